/**
 * `npm run plan`'s command line: the options (one table feeds the parser and `--help`), the checks every argument
 * gets before anything starts, and the one-line messages for a bad invocation (reason, fix, pointer to --help).
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { closest, distance } from "fastest-levenshtein";
import { EXIT, EXIT_MEANING } from "./exit-codes";

/** Where the stack files are (the same directory offline/evaluate.ts plans from). */
const PROJECT_DIR = resolve(__dirname, "..");

interface OptionSpec {
    short?: string;
    /** The value's name in --help; none for a switch. */
    value?: string;
    help: string;
    /** Left out of --help (for scripts). */
    hidden?: boolean;
}

export const OPTIONS = {
    stack: { short: "s", value: "name", help: "the stack to plan: dev, staging, prod, prod-dr, or any Pulumi.<name>.yaml here" },
    config: { value: "file", help: "plan from this stack file instead of Pulumi.<name>.yaml (needs --stack)" },
    primary: { value: "file", help: "a standby's primary planned from this stack file instead of its Pulumi.<primary>.yaml" },
    json: { value: "file|-", help: "write the full record (resources, fidelity, policy, cost); - writes it to stdout and the report to stderr" },
    compare: { value: "file", help: "show the cost change against a previous plan's --json file" },
    from: { value: "file", help: "preview the change against the last deployment: its --json record or `pulumi stack export`" },
    summary: { value: "file", help: "append the verdict and cost (change) as Markdown tables, e.g. to $GITHUB_STEP_SUMMARY" },
    "skip-policy": { help: "leave the policy packs out" },
    "packs-as-cli": { help: "start each pack in its own process exactly as the Pulumi CLI does (slower)" },
    stats: { help: "print one JSON line of timings and nothing else (scripts/bench.ts)", hidden: true },
    help: { short: "h", help: "this help" },
} as const satisfies Record<string, OptionSpec>;

type Name = keyof typeof OPTIONS;
type StringName = { [K in Name]: (typeof OPTIONS)[K] extends { value: string } ? K : never }[Name];
type SwitchName = Exclude<Name, StringName>;
export type PlanArgs = { [K in StringName]?: string } & { [K in SwitchName]?: boolean };

/** A bad invocation: one line, reason and fix; the CLI prints it and exits 2. */
export class UsageError extends Error {}

export const HELP_POINTER = "see npm run plan -- --help";

/** Reads argv (as after `npm run plan --`); throws {@link UsageError}. */
export function parsePlanArgs(argv: string[]): PlanArgs {
    const args: Record<string, string | boolean> = {};
    const byShort = new Map<string, Name>(Object.entries(OPTIONS).flatMap(([name, spec]) => ("short" in spec ? [[spec.short, name as Name] as const] : [])));
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
        const short = /^-([^-])$/.exec(arg);
        if (!long && !short) {
            const previous = argv[i - 1];
            throw new UsageError(
                previous?.startsWith("-") && !(previous.slice(2) in OPTIONS)
                    ? `unexpected argument "${arg}" after ${previous}`
                    : `unexpected argument "${arg}": options are given as --name value${/^[\w.-]+$/.test(arg) && !args.stack ? ` (the stack? --stack ${arg})` : ""}`,
            );
        }
        const name = long ? long[1] : byShort.get(short![1]);
        if (!name || !(name in OPTIONS)) {
            throw new UsageError(long ? `unknown option --${name}${suggestion(name!)}` : `unknown option ${arg} (the short options are -s for --stack and -h for --help)`);
        }
        const spec: OptionSpec = OPTIONS[name as Name];
        const flag = long ? `--${name}` : arg;
        if (!spec.value) {
            if (long?.[2] !== undefined) throw new UsageError(`${flag} takes no value (give ${flag} alone)`);
            args[name] = true;
            continue;
        }
        let value = long?.[2];
        if (value === undefined) {
            const next = argv[i + 1];
            // "-" is a value (stdout for --json); anything else starting with a dash is the next option.
            if (next === undefined || (next.startsWith("-") && next !== "-")) throw new UsageError(`${flag} needs a value: ${flag} <${spec.value}>`);
            value = next;
            i++;
        }
        if (value === "") throw new UsageError(`${flag} needs a value: ${flag} <${spec.value}>`);
        if (name in args) throw new UsageError(`${flag} given twice ("${args[name]}" and "${value}"): give it once`);
        args[name] = value;
    }
    return args as PlanArgs;
}

function suggestion(typed: string): string {
    const names = Object.keys(OPTIONS);
    // A typo (at most a third of the name wrong) or a prefix (--skip for --skip-policy).
    const best = closest(typed, names);
    const near = distance(typed, best) <= Math.max(1, Math.floor(best.length / 3)) ? best : typed.length >= 3 ? names.find((n) => n.startsWith(typed)) : undefined;
    return near ? `: did you mean --${near}?` : "";
}

/** The stacks that have a stack file here. */
export function knownStacks(dir = PROJECT_DIR): string[] {
    return readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * What must hold before anything starts: a stack (that has a stack file, unless --config gives one), input files
 * that exist and can be read, output files whose directory exists.
 */
export function checkPlanArgs(args: PlanArgs, dir = PROJECT_DIR): void {
    if (!args.stack) {
        if (args.config) throw new UsageError(`--config needs --stack too: name the stack the file configures, e.g. --stack dev --config ${args.config}`);
        throw new UsageError(`no stack given: usage: npm run plan -- --stack <${knownStacks(dir).join("|")}> [options]`);
    }
    if (args["skip-policy"] && args["packs-as-cli"]) throw new UsageError("--skip-policy and --packs-as-cli contradict each other: give one");
    if (!args.config && !existsSync(resolve(dir, `Pulumi.${args.stack}.yaml`))) {
        const stacks = knownStacks(dir);
        const best = stacks.length ? closest(args.stack, stacks) : undefined;
        const guess = best && distance(args.stack, best) <= Math.max(2, Math.floor(best.length / 3)) ? `did you mean --stack ${best}? ` : "";
        throw new UsageError(`no stack "${args.stack}": no Pulumi.${args.stack}.yaml here; ${guess}the stacks are ${stacks.join(", ")}, or give a stack file with --config`);
    }
    const fixes: Partial<Record<StringName, string>> = {
        config: "give a stack file that exists, e.g. Pulumi.dev.yaml",
        primary: "give the primary's stack file",
        compare: "give the file an earlier plan wrote with --json",
        from: "give the --json record of the last deployed plan, or the output of `pulumi stack export`",
    };
    for (const [name, fix] of Object.entries(fixes) as [StringName, string][]) {
        const file = args[name];
        if (file) readable(`--${name} ${file}`, file, fix);
    }
    for (const name of ["json", "summary"] as const) {
        const file = args[name];
        if (!file || (name === "json" && file === "-")) continue;
        const parent = dirname(resolve(file));
        if (!existsSync(parent)) throw new UsageError(`--${name} ${file}: the directory ${parent} does not exist (create it, or write elsewhere)`);
        if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--${name} ${file}: is a directory (name a file in it)`);
    }
}

function readable(what: string, file: string, fix: string): void {
    if (!existsSync(file)) throw new UsageError(`${what}: no such file (${fix})`);
    if (statSync(file).isDirectory()) throw new UsageError(`${what}: is a directory (${fix})`);
    try {
        accessSync(file, constants.R_OK);
    } catch {
        throw new UsageError(`${what}: cannot be read (permission denied; ${fix})`);
    }
}

/** `--help`: options from {@link OPTIONS}, exit codes from offline/exit-codes.ts, examples. */
export function renderHelp(dir = PROJECT_DIR): string {
    const shown = Object.entries(OPTIONS as Record<string, OptionSpec>).filter(([, spec]) => !spec.hidden);
    const left = shown.map(([name, spec]) => `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` <${spec.value}>` : ""}`);
    const width = Math.max(...left.map((l) => l.length)) + 2;
    const codes = Object.entries(EXIT).map(([key, code]) => `  ${code}  ${key.padEnd(9)}${EXIT_MEANING[code]}`);
    return [
        "npm run plan -- --stack <name> [options]",
        "",
        "Plans a stack offline: evaluates the program under Pulumi's mock runtime (nothing is created), then runs",
        "the capacity and fidelity checks, the policy packs and the cost estimate, and ends with the verdict.",
        `Stacks here: ${knownStacks(dir).join(", ")}.`,
        "",
        "Options:",
        ...shown.map(([, spec], i) => `  ${left[i].padEnd(width)}${spec.help}`),
        "",
        "Exit codes:",
        ...codes,
        "",
        "Examples:",
        "  npm run plan -- --stack dev",
        "  npm run plan -- --stack prod --skip-policy --json prod.json",
        "  npm run plan -- --stack prod --compare prod.json        # the cost change against that earlier plan",
        "  npm run plan -- --stack prod --from deployed.json       # preview the change against the last deployment",
        "  npm run plan -- --stack prod --config examples/systems/s2-rag-engine.yaml",
        "  npm run plan -- --stack dev --json - | jq .cost.total    # the record on stdout, the report on stderr",
        "",
        "Colour and progress on a terminal; NO_COLOR (any value) turns colour off, FORCE_COLOR on when piped.",
        "PLAN_PROGRESS=1 shows the progress lines when stderr is not a terminal, PLAN_PROGRESS=0 hides them.",
        "More: docs/offline-plan.md.",
    ].join("\n");
}

export { EXIT };
