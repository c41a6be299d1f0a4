/**
 * How `npm run plan` writes to a terminal: colour (NO_COLOR, FORCE_COLOR), lines wrapped with a hanging indent,
 * progress by phase on stderr, and the verdict that ends the report.
 */
import { EXIT, EXIT_MEANING } from "./exit-codes";

type Env = Record<string, string | undefined>;
interface Stream {
    isTTY?: boolean;
    columns?: number;
    write(text: string): unknown;
}

/** Colour on a terminal; NO_COLOR (any value, even empty) turns it off, FORCE_COLOR (not "0") on when piped. */
export function colourOn(stream: Stream, env: Env = process.env): boolean {
    if ("NO_COLOR" in env) return false;
    if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
    return !!stream.isTTY && env.TERM !== "dumb";
}

const SGR = { red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22], dim: [2, 22] } as const;
export type Paint = Record<keyof typeof SGR, (text: string) => string>;

export function painter(on: boolean): Paint {
    const paint = {} as Paint;
    for (const [name, [open, close]] of Object.entries(SGR)) paint[name as keyof Paint] = on ? (t) => `\x1b[${open}m${t}\x1b[${close}m` : (t) => t;
    return paint;
}

/** Colours one line of the report: ERROR/MANDATORY red, WARN/ADVISORY yellow, results green or red, titles bold. */
export function colourLine(line: string, p: Paint): string {
    if (/^\S/.test(line) && /^(?:[A-Z][\w -]*|Stack outputs|Not visible offline|Resources by component)$/.test(line)) return p.bold(line);
    let out = line
        .replace(/\b(ERROR|MANDATORY|UNCLASSIFIED|NOT encrypted|A ROUTE OUT)\b/g, (m) => p.red(m))
        .replace(/^(\s*)(error:|FAIL\b)/, (_, s: string, m: string) => s + p.red(m))
        .replace(/^(\s*)(warning:)/, (_, s: string, m: string) => s + p.yellow(m))
        .replace(/\b(WARN(?:ING)?|ADVISORY)\b/g, (m) => p.yellow(m))
        .replace(/^(\s+)(ok)(\s)/, (_, s: string, m: string, t: string) => s + p.green(m) + t);
    out = out.replace(/^(Policy result|Fidelity result): (no mandatory violations|no findings)$/, (_, h: string, r: string) => `${h}: ${p.green(r)}`);
    out = out.replace(/^(Policy result|Fidelity result): (\d+ .*)$/, (_, h: string, r: string) => `${h}: ${p.red(r)}`);
    return out;
}

/** The width the report is wrapped to: the terminal's (at most 160), 160 when piped. */
export function reportWidth(stream: Stream): number {
    return stream.isTTY && stream.columns ? Math.max(60, Math.min(stream.columns, 160)) : 160;
}

/**
 * One line wrapped at spaces to `width`, continuation lines hung under the text after a short label ("  label: "),
 * a bullet ("  - ") or the first column, else indented four more than the line; a word longer than the room is cut.
 */
export function wrapLine(line: string, width: number): string[] {
    line = line.trimEnd();
    if (line.length <= width) return [line];
    const lead = /^\s*/.exec(line)![0].length;
    // Under the text after a short label ("  label: "), a bullet ("  - ") or the first column ("  name   text").
    const label = /^\s*(?:- |[^\s:][^:]{0,28}?: )/.exec(line)?.[0].length;
    const column = /^\s*\S+(?: \S+)*? {2,}(?=\S)/.exec(line)?.[0].length;
    const hangs = [label, column].filter((n): n is number => !!n && n > lead && n <= width / 2);
    const hang = hangs.length ? Math.min(...hangs) : lead + 4;
    const pad = " ".repeat(hang);
    const out: string[] = [];
    let current = line.slice(0, lead);
    // Words with the spaces after them, so that aligned columns keep their spacing.
    for (let word of line.slice(lead).split(/(?<= )(?=\S)/)) {
        if (current.length + word.trimEnd().length <= width) {
            current += word;
            continue;
        }
        if (current.trim()) {
            out.push(current.trimEnd());
            current = pad;
        }
        while (current.length + word.trimEnd().length > width) {
            const cut = width - current.length;
            out.push(current + word.slice(0, cut));
            word = word.slice(cut);
            current = pad;
        }
        current += word;
    }
    if (current.trim()) out.push(current.trimEnd());
    return out;
}

/** The report as written: each line wrapped, then coloured. */
export function formatReport(text: string, width: number, p: Paint): string {
    return text
        .split("\n")
        .flatMap((line) => wrapLine(line, width))
        .map((line) => colourLine(line, p))
        .join("\n");
}

/** Progress by phase on stderr ("evaluating prod… 1.4 s"): on when stderr is a terminal, or PLAN_PROGRESS=1. */
export class Progress {
    private started = 0;
    private label = "";
    /** Something else wrote to the stream after the label: the label is written again with its time. */
    private interrupted = false;
    constructor(
        readonly on: boolean,
        private readonly write: (text: string) => unknown,
        private readonly p: Paint,
    ) {}

    static for(stream: Stream, p: Paint, env: Env = process.env): Progress {
        return new Progress(env.PLAN_PROGRESS !== undefined ? env.PLAN_PROGRESS !== "0" : !!stream.isTTY, stream.write.bind(stream), p);
    }

    /** Starts a phase: its label now, its time when the next phase starts or {@link end} is called. */
    phase(label: string): void {
        this.end();
        if (!this.on) return;
        this.label = label;
        this.interrupted = false;
        this.started = performance.now();
        this.write(this.p.dim(`${label}… `));
    }

    end(note = ""): void {
        if (!this.on || !this.label) return;
        const time = `${((performance.now() - this.started) / 1000).toFixed(1)} s${note ? ` (${note})` : ""}`;
        this.write(this.p.dim(this.interrupted ? `${this.label}… ${time}` : time) + "\n");
        this.label = "";
    }

    /** Another write is coming: ends the label's line first. */
    interrupt(): void {
        if (!this.on || !this.label || this.interrupted) return;
        this.write("\n");
        this.interrupted = true;
    }
}

/**
 * While the plan runs, what others write to stderr (the program's warnings) is wrapped and coloured like the report,
 * and kept off the progress line. Returns the undo.
 */
export function tidyStderr(width: number, p: Paint, progress: Progress): () => void {
    const original = process.stderr.write;
    process.stderr.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        progress.interrupt();
        if (typeof chunk === "string") chunk = chunk.split("\n").map((line) => formatReport(line, width, p)).join("\n");
        return (original as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
    } as typeof process.stderr.write;
    return () => {
        process.stderr.write = original;
    };
}

export interface VerdictInput {
    stack: string;
    code: number;
    configError?: boolean;
    mandatory?: number;
    advisory?: number;
    fidelityFindings?: number;
    changeErrors?: number;
    policySkipped?: boolean;
}

/** What failed, most important first, e.g. ["2 mandatory policy violations", "1 fidelity finding"]. */
export function failures(v: VerdictInput): string[] {
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
    return [
        v.configError ? "config rejected" : "",
        v.mandatory ? n(v.mandatory, "mandatory policy violation") : "",
        v.fidelityFindings ? n(v.fidelityFindings, "fidelity finding") : "",
        v.changeErrors ? n(v.changeErrors, "change pulumi up would refuse") : "",
    ].filter(Boolean);
}

/** The report's last line: ok, or what failed, and what the exit code means. */
export function verdictLine(v: VerdictInput, p: Paint): string {
    const meaning = `exit ${v.code}: ${EXIT_MEANING[v.code as keyof typeof EXIT_MEANING] ?? "unknown"}`;
    if (v.code === EXIT.clean) {
        const notes = [v.advisory ? `${v.advisory} advisory violation${v.advisory === 1 ? "" : "s"}` : "", v.policySkipped ? "policy packs skipped" : ""].filter(Boolean);
        return `${p.bold(`Verdict for ${v.stack}:`)} ${p.green("ok")}${notes.length ? `, ${notes.join(", ")}` : ""} (${meaning})`;
    }
    return `${p.bold(`Verdict for ${v.stack}:`)} ${p.red(`FAILED, ${failures(v).join(", ") || "see above"}`)} (${meaning})`;
}
