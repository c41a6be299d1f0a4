/**
 * `npm run plan -- --stack <name> [options]` (`--help` lists the options, exit codes and examples).
 *
 * Evaluates the program for one stack under the Pulumi SDK's mocks, prints what it would register, then runs
 * the fidelity checks (offline/fidelity) and the CrossGuard packs over it through the analyzer protocol, the cost
 * estimate and, with `--from`, the preview of the change; the last line is the verdict. Exit codes:
 * offline/exit-codes.ts (1 config rejected, 2 bad usage, 3 crash, 4 mandatory policy violation, 5 fidelity finding,
 * 6 a change `pulumi up` would stop). A bad invocation is one line (reason and fix) and exit 2, before anything
 * starts. Terminal niceties (colour, progress, wrapping): offline/cli-format.ts.
 */
// The SDK captures a stack trace for every resource and promise; with tsx's source maps each costs a lookup.
process.setSourceMapsEnabled(false);
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { checkPlanArgs, HELP_POINTER, parsePlanArgs, renderHelp, UsageError, type PlanArgs } from "./cli-args";
import { colourOn, formatReport, painter, Progress, reportWidth, tidyStderr, verdictLine, type VerdictInput } from "./cli-format";
import type { CostEstimate } from "./cost";
import { EXIT, planExitCode } from "./exit-codes";
import type { FidelityReport } from "./fidelity";
import type { PlanAnalysis, PolicyReport } from "./policy-check";
import type { Deployment } from "./preview";

const errPaint = painter(colourOn(process.stderr));

/** A bad invocation: one line, exit 2. */
function usageError(message: string): number {
    console.error(`${errPaint.red("error:")} ${message} (${HELP_POINTER})`);
    return EXIT.usage;
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(renderHelp());
        return EXIT.clean;
    }
    let args: PlanArgs;
    try {
        args = parsePlanArgs(argv);
        checkPlanArgs(args);
    } catch (error) {
        if (error instanceof UsageError) return usageError(error.message);
        throw error;
    }
    const stack = args.stack!;
    // With `--json -` the record owns stdout and the report goes to stderr.
    const out = args.json === "-" ? process.stderr : process.stdout;
    const paint = painter(colourOn(out));
    const progress = Progress.for(process.stderr, errPaint);

    // The files given are read before anything starts: a bad one is a usage error at once.
    const preview = await import("./preview");
    let previous: CostEstimate | undefined;
    let deployment: Deployment | undefined;
    try {
        if (args.compare) {
            let parsed: { cost?: CostEstimate };
            try {
                parsed = JSON.parse(readFileSync(args.compare, "utf8"));
            } catch (error) {
                throw new UsageError(`--compare ${args.compare}: not JSON (${(error as Error).message}; give the --json file of an earlier plan)`);
            }
            previous = parsed?.cost;
            if (!previous) throw new UsageError(`--compare ${args.compare}: the file holds no cost estimate (write one with --json)`);
        }
        if (args.from) {
            try {
                deployment = preview.readDeployment(args.from);
            } catch (error) {
                if (error instanceof preview.DeploymentFileError) throw new UsageError(error.message);
                throw error;
            }
        }
    } catch (error) {
        if (error instanceof UsageError) return usageError(error.message);
        throw error;
    }

    progress.phase(args["skip-policy"] ? "loading the SDKs" : "loading the SDKs, starting the policy packs");
    const { mandatoryViolations, PolicyPacks, stackDescription } = await import("./policy-check");
    // The packs start first and come up while the SDKs load and the program is evaluated.
    const packs = args["skip-policy"] ? undefined : new PolicyPacks(undefined, args["packs-as-cli"] ? "cli" : "shared");
    const [{ evaluateStack }, { checkFidelity, renderFidelityReport }, { registered }, { renderPolicyReport, renderSummary }, costs] = await Promise.all([
        import("./evaluate"),
        import("./fidelity"),
        import("./inspect"),
        import("./summary"),
        import("./cost"),
    ]);
    const untidy = tidyStderr(reportWidth(process.stderr), errPaint, progress);
    let record, fidelity: FidelityReport | undefined, policy: PolicyReport | undefined, elapsedMs, cost: CostEstimate | undefined, costMs: number | undefined;
    try {
        progress.phase(`evaluating ${stack}`);
        const started = process.hrtime.bigint();
        // As under `pulumi up`: the packs analyze each resource as it is registered, while the program still runs.
        let analysis: PlanAnalysis | undefined;
        record = await evaluateStack({
            stack,
            file: args.config,
            primaryFile: args.primary,
            // The stack reads its own last outputs (the replacement guard) from the deployment it is previewed against.
            deployedOutputs: deployment?.outputs,
            onStackConfig: (config) => (analysis = packs?.begin(stackDescription(config))),
            onResource: (resource) => analysis?.analyze(resource),
        });
        elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (!record.configError) {
            progress.end(`${registered(record).length} resources`);
            progress.phase(analysis ? "fidelity, policy packs" : "fidelity");
            // The packs' requests go out first: the fidelity checks, synchronous, then run while the packs answer.
            const packsAnswer = analysis?.finish(record);
            [fidelity, policy] = await Promise.all([new Promise<void>((ready) => setImmediate(ready)).then(() => checkFidelity(record!.resources)), packsAnswer]);
            progress.phase("cost");
            const costStarted = process.hrtime.bigint();
            cost = costs.estimatePlanCost(record);
            costMs = Number(process.hrtime.bigint() - costStarted) / 1e6;
        } else progress.end("config rejected");
    } finally {
        await packs?.stop();
    }
    if (deployment && !record.configError) progress.phase("preview against the last deployment");
    const previewStarted = process.hrtime.bigint();
    const change = deployment && !record.configError ? preview.previewChanges(deployment, record, { intendedReplacements: preview.intendedReplacements(record) }) : undefined;
    const previewMs = change && Number(process.hrtime.bigint() - previewStarted) / 1e6;
    progress.end();
    untidy();

    const full = { ...record, fidelity, policy, cost };
    if (args.json === "-") process.stdout.write(JSON.stringify(full, null, 2) + "\n");
    else if (args.json) writeFileSync(args.json, JSON.stringify(full, null, 2));
    const mandatory = policy && mandatoryViolations(policy).length;
    const code = planExitCode({ configError: record.configError, mandatoryViolations: mandatory, fidelityFindings: fidelity?.findings.length, changeErrors: change?.errors.length });
    const verdict: VerdictInput = {
        stack: `${record.project}/${stack}`,
        code,
        configError: !!record.configError,
        mandatory,
        advisory: policy?.violations.filter((v) => v.level === "advisory").length,
        fidelityFindings: fidelity?.findings.length,
        changeErrors: change?.errors.length,
        policySkipped: !policy && !record.configError,
    };
    if (args.summary) {
        const { renderJobSummary } = await import("./cli-summary");
        appendFileSync(args.summary, renderJobSummary({ verdict, resources: record.configError ? undefined : registered(record).length, cost, previous, previousFrom: args.compare }));
    }
    if (args.stats) {
        // For scripts/bench.ts: one JSON line, nothing else.
        console.log(JSON.stringify({ evaluateMs: elapsedMs, fidelityMs: fidelity?.elapsedMs, policyMs: policy?.elapsedMs, costMs, previewMs, resources: registered(record).length, maxRssKb: process.resourceUsage().maxRSS }));
        return code;
    }
    const sections = [renderSummary(record)];
    if (!record.configError) {
        sections.push(renderFidelityReport(fidelity!));
        sections.push(policy ? renderPolicyReport(policy) : "Policy packs: skipped (--skip-policy)");
        sections.push(costs.renderCostEstimate(cost!) + (previous ? `\n${costs.renderCostComparison(previous, cost!)}` : ""));
        if (change) sections.push(preview.renderChangePreview(change, args.from!));
    }
    // A refused config is an error: its report goes to stderr, the verdict with it.
    const stream = record.configError ? process.stderr : out;
    const p = record.configError ? errPaint : paint;
    stream.write(`${formatReport(sections.join("\n\n"), reportWidth(stream), p)}\n\n${verdictLine(verdict, p)}\n`);
    return code;
}

/** Exits once stdout and stderr are flushed: a pipe takes a large `--json -` in several writes. */
function exit(code: number): void {
    process.exitCode = code;
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, async (error) => {
    // No stack file: bad usage, said in one line. Anything else is a crash, with its stack.
    const { StackFileError } = await import("./stack-files");
    if (error instanceof StackFileError) return exit(usageError(error.message.replace(/\n/g, "; ")));
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    exit(EXIT.crash);
});
