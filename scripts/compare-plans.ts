/**
 * Shows that a change leaves behaviour alone: `record <dir>` writes the `--json` record of every stack and example
 * system (tests/plan-list.ts, policy packs skipped), `compare <before> <after>` reports every resource, output or
 * config value that differs between two such directories and exits 1 if any does. For refactors: record on main,
 * change, record again, compare.
 *
 *   npm run plans -- record /tmp/before && <change> && npm run plans -- record /tmp/after
 *   npm run plans -- compare /tmp/before /tmp/after
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { SHARED_PLANS } from "../tests/plan-list";

type Record_ = { config: Record<string, unknown>; resources: { urn: string }[]; outputs: Record<string, unknown>; fidelity: { elapsedMs?: number } };

function record(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const plan of SHARED_PLANS) {
        const args = ["--import", "tsx", "offline/cli.ts", "--stack", plan.stack, "--skip-policy", "--json", join(dir, `${plan.key}.json`)];
        if ("file" in plan) args.push("--config", plan.file);
        execFileSync(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
        console.log(`recorded ${plan.key}`);
    }
}

/** The differences between two records of one plan, as lines; timing is not behaviour. */
function differences(before: Record_, after: Record_): string[] {
    const lines: string[] = [];
    const byUrn = (r: Record_) => new Map(r.resources.map((res) => [res.urn, res]));
    const [a, b] = [byUrn(before), byUrn(after)];
    for (const urn of new Set([...a.keys(), ...b.keys()])) {
        if (!a.has(urn)) lines.push(`+ ${urn}`);
        else if (!b.has(urn)) lines.push(`- ${urn}`);
        else if (!isDeepStrictEqual(a.get(urn), b.get(urn))) lines.push(`~ ${urn}`);
    }
    for (const part of ["config", "outputs"] as const) if (!isDeepStrictEqual(before[part], after[part])) lines.push(`~ ${part}`);
    const untimed = (r: Record_) => ({ ...r.fidelity, elapsedMs: undefined });
    if (!isDeepStrictEqual(untimed(before), untimed(after))) lines.push("~ fidelity findings");
    return lines;
}

function compare(beforeDir: string, afterDir: string): number {
    let changed = 0;
    for (const { key } of SHARED_PLANS) {
        const load = (dir: string) => JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as Record_;
        const lines = differences(load(beforeDir), load(afterDir));
        console.log(lines.length === 0 ? `${key}: identical` : `${key}: ${lines.length} differences\n  ${lines.join("\n  ")}`);
        if (lines.length) changed++;
    }
    return changed === 0 ? 0 : 1;
}

const [command, ...dirs] = process.argv.slice(2);
if (command === "record" && dirs.length === 1) record(dirs[0]);
else if (command === "compare" && dirs.length === 2) process.exitCode = compare(dirs[0], dirs[1]);
else {
    console.error("usage: npm run plans -- record <dir> | compare <before-dir> <after-dir>");
    process.exitCode = 2;
}
