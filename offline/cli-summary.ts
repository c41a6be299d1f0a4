/**
 * `--summary <file>`: the plan's verdict and cost (and its change against `--compare`) as Markdown tables, appended
 * to the file, for a GitHub job summary ($GITHUB_STEP_SUMMARY), where plain text would fold into one paragraph.
 */
import { basename } from "node:path";
import type { CostEstimate } from "./cost";
import { EXIT_MEANING } from "./exit-codes";
import { failures, type VerdictInput } from "./cli-format";

type Range = { min: number; max: number };

const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;
const signed = (n: number) => `${Math.round(n) >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (...cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
const changed = (d: Range) => Math.round(d.min) !== 0 || Math.round(d.max) !== 0;

export interface JobSummaryInput {
    /** Its stack is "project/stack". */
    verdict: VerdictInput;
    resources?: number;
    cost?: CostEstimate;
    previous?: CostEstimate;
    /** Where the previous estimate came from (the --compare file). */
    previousFrom?: string;
}

export function renderJobSummary(s: JobSummaryInput): string {
    const v = s.verdict;
    const ok = v.code === 0;
    const out = [`### Offline plan of ${v.stack}: ${ok ? "ok" : "FAILED"}`, ""];
    out.push(row("Check", "Result"), row("---", "---"));
    out.push(row("Verdict", `${ok ? "✅ ok" : `❌ ${failures(v).join(", ") || "failed"}`} (exit ${v.code}: ${EXIT_MEANING[v.code as keyof typeof EXIT_MEANING] ?? "unknown"})`));
    if (s.resources !== undefined) out.push(row("Resources", String(s.resources)));
    if (!v.configError) {
        out.push(row("Fidelity", v.fidelityFindings ? `${v.fidelityFindings} finding(s)` : "no findings"));
        out.push(row("Policy packs", v.policySkipped ? "skipped" : `${v.mandatory ?? 0} mandatory, ${v.advisory ?? 0} advisory violation(s)`));
    }
    if (s.cost) {
        out.push("", "#### Monthly cost estimate", "", row("", "Minimum scale", "Maximum scale"), row("---", "---:", "---:"));
        if (s.previous) out.push(row(`Previous plan${s.previousFrom ? ` (${basename(s.previousFrom)})` : ""}`, usd(s.previous.total.min), usd(s.previous.total.max)));
        out.push(row("This plan", usd(s.cost.total.min), usd(s.cost.total.max)));
        if (s.previous) out.push(row("**Change**", `**${signed(s.cost.total.min - s.previous.total.min)}**`, `**${signed(s.cost.total.max - s.previous.total.max)}**`));
        out.push("", `On-demand list prices of ${s.cost.pricesChecked}, ${s.cost.region}.`);
    }
    if (s.cost && s.previous) {
        const rows = costChanges(s.previous, s.cost);
        out.push("", "#### Cost change by component and type", "");
        if (rows.length) {
            out.push(row("Component", "Type", "Minimum", "Maximum"), row("---", "---", "---:", "---:"));
            for (const r of rows) out.push(row(r.type ? "" : `**${r.component}**`, r.type ?? "(all)", signed(r.min), signed(r.max)));
        } else out.push("No change in the monthly estimate.");
    }
    return out.join("\n") + "\n\n";
}

/** Each component's change, then the changes by resource type within it (from the estimates' lines). */
export function costChanges(before: CostEstimate, after: CostEstimate): { component: string; type?: string; min: number; max: number }[] {
    const sum = (e: CostEstimate) => {
        const m = new Map<string, Range>();
        for (const l of e.lines ?? []) {
            const key = `${l.component}\u0000${l.type}`;
            const r = m.get(key) ?? { min: 0, max: 0 };
            m.set(key, { min: r.min + l.min, max: r.max + l.max });
        }
        return m;
    };
    const [b, a] = [sum(before), sum(after)];
    const components = [...new Set([...Object.keys(before.byComponent), ...Object.keys(after.byComponent)])].sort();
    const rows: { component: string; type?: string; min: number; max: number }[] = [];
    for (const component of components) {
        const d = { min: (after.byComponent[component]?.min ?? 0) - (before.byComponent[component]?.min ?? 0), max: (after.byComponent[component]?.max ?? 0) - (before.byComponent[component]?.max ?? 0) };
        if (!changed(d)) continue;
        rows.push({ component, ...d });
        const types = [...new Set([...a.keys(), ...b.keys()].filter((k) => k.startsWith(`${component}\u0000`)))].sort();
        for (const key of types) {
            const t = { min: (a.get(key)?.min ?? 0) - (b.get(key)?.min ?? 0), max: (a.get(key)?.max ?? 0) - (b.get(key)?.max ?? 0) };
            if (changed(t)) rows.push({ component, type: key.split("\u0000")[1], ...t });
        }
    }
    return rows;
}
