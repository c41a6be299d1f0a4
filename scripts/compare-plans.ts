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

type Resource = { urn: string; name: string; parent?: string; id?: string; inputs: unknown; state: unknown; aliases?: string[]; dependencies: string[]; propertyDependencies: Record<string, string[]> };
type Record_ = { config: Record<string, unknown>; resources: Resource[]; outputs: Record<string, unknown>; fidelity: { elapsedMs?: number } };

function record(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const plan of SHARED_PLANS) {
        const args = ["--import", "tsx", "offline/cli.ts", "--stack", plan.stack, "--skip-policy", "--json", join(dir, `${plan.key}.json`)];
        if ("file" in plan) args.push("--config", plan.file);
        execFileSync(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
        console.log(`recorded ${plan.key}`);
    }
}

/**
 * The differences between two records of one plan, as lines; timing is not behaviour. A resource registered
 * under a new URN that names its old one as an alias is the same resource to the engine (no replacement): it is
 * compared with its old self, URNs mapped, and listed as moved.
 */
function differences(before: Record_, after: Record_): { lines: string[]; moves: string[] } {
    const lines: string[] = [];
    const moves: string[] = [];
    const a = new Map(before.resources.map((res) => [res.urn, res]));
    const b = new Map<string, Resource>();
    const renamed = new Map<string, string>(); // old URN -> new URN
    for (const res of after.resources) {
        const old = (res.aliases ?? []).find((alias) => a.has(alias) && !after.resources.some((r) => r.urn === alias));
        if (old) renamed.set(old, res.urn);
        b.set(old ?? res.urn, res);
    }
    const toOld = new Map([...renamed].map(([old, now]) => [now, old]));
    const mapped = (urn: string) => toOld.get(urn) ?? urn;
    // Ids of moved resources, as the mocks derived them from the new logical names, back to their old values.
    const oldIds = [...renamed.keys()].flatMap((old) => (b.get(old)?.id && a.get(old)?.id ? [[b.get(old)!.id!, a.get(old)!.id!]] : []));
    const withOldIds = <T>(value: T): T => JSON.parse(oldIds.reduce((text, [now, old]) => text.split(JSON.stringify(now).slice(1, -1)).join(JSON.stringify(old).slice(1, -1)), JSON.stringify(value ?? null)));
    // A moved resource's logical name and parent change; the mocks' ids and auto-names follow the logical name, while
    // the provider keeps the physical name it already has (the bridge reuses an old auto-name).
    const normalized = (res: Resource) => ({
        ...res,
        ...(renamed.has(mapped(res.urn)) ? { name: undefined, parent: undefined, id: undefined, state: undefined } : { parent: res.parent && mapped(res.parent) }),
        urn: mapped(res.urn),
        inputs: withOldIds(res.inputs),
        aliases: undefined,
        dependencies: res.dependencies.map(mapped),
        propertyDependencies: Object.fromEntries(Object.entries(res.propertyDependencies).map(([k, v]) => [k, v.map(mapped)])),
    });
    for (const urn of new Set([...a.keys(), ...b.keys()])) {
        if (!a.has(urn)) lines.push(`+ ${urn}`);
        else if (!b.has(urn)) lines.push(`- ${urn}`);
        else if (!isDeepStrictEqual(normalized(a.get(urn)!), normalized(b.get(urn)!))) lines.push(`~ ${urn}`);
        if (renamed.has(urn)) moves.push(`> ${urn} -> ${renamed.get(urn)} (aliased)`);
    }
    for (const part of ["config", "outputs"] as const) if (!isDeepStrictEqual(before[part], after[part])) lines.push(`~ ${part}`);
    const untimed = (r: Record_) => ({ ...r.fidelity, elapsedMs: undefined });
    if (!isDeepStrictEqual(untimed(before), untimed(after))) lines.push("~ fidelity findings");
    return { lines, moves };
}

function compare(beforeDir: string, afterDir: string): number {
    let changed = 0;
    for (const { key } of SHARED_PLANS) {
        const load = (dir: string) => JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as Record_;
        const { lines, moves } = differences(load(beforeDir), load(afterDir));
        const moved = moves.length ? `\n  ${moves.join("\n  ")}` : "";
        console.log(lines.length === 0 ? `${key}: identical${moves.length ? `, ${moves.length} resources moved under aliases` : ""}${moved}` : `${key}: ${lines.length} differences\n  ${lines.join("\n  ")}${moved}`);
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
