/**
 * `npm run bench [-- --runs N]`: how fast the offline plan is, against its targets, on this machine.
 *
 * - floor: what no offline plan can go below, measured in the same run: a Node process loading the SDKs and the
 *   SDK modules the program's resources come from, plus one policy pack process started as the Pulumi CLI starts
 *   it until it serves;
 * - each stack (and prod with five times the services), the plan as a user runs it (`npm run plan`'s command,
 *   all packs, fidelity checks), N times: median wall time, its parts, resources and peak memory;
 * - each figure with its target and ratio; cost per resource for the 5x stack against prod (linear growth);
 * - the preview of a change (`--from`): prod against its own last record, the time it adds to the plan.
 *
 * Exits 0 when it ran, whatever the figures (they are read, not asserted); non-zero only when it could not run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { scaledProdConfig } from "./bench-stack";

/** `npm run plan`'s own command (package.json), its `node` this Node. */
const PLAN = (JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan.split(" ");
const TARGET_SECONDS = 5;
const TARGET_FLOOR_RATIO = 2;
const TARGET_MIB = 1024;
const SCALE = 5;
/** What previewing a change against the last deployment may add to the plan's wall time. */
const TARGET_PREVIEW_ADDED = 0.2;

const { runs } = parseArgs({ options: { runs: { type: "string", default: "5" } } }).values;
const count = Math.max(1, Number(runs));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function timed(command: string, args: string[], cwd = PROJECT_DIR): { ms: number; stdout: string } {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
    return { ms, stdout: result.stdout };
}

async function main() {
    console.log(`offline plan benchmark, ${count} run(s) each, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);

    // Floor, part 1: the SDKs and the modules of every namespace the program's resources come from.
    const prod = await evaluateStack({ stack: "prod" });
    const namespaces = [...new Set(prod.resources.map((r) => /^(aws|kubernetes):([\w.-]+)\//.exec(r.type)).filter((m) => m !== null).map((m) => `${m![1]}:${m![2]}`))];
    const loader = [
        'const sdk = { aws: require("@pulumi/aws"), kubernetes: require("@pulumi/kubernetes") };',
        'require("@pulumi/pulumi"); require("@pulumi/eks"); require("@pulumi/random");',
        `for (const ns of ${JSON.stringify(namespaces)}) { const [pkg, path] = ns.split(":"); path.split(/[./]/).reduce((m, k) => m && m[k === "core" ? "core" : k.replace(/\\.k8s\\.io$/, "")], sdk[pkg]); }`,
    ].join("\n");
    const sdkMs = median(Array.from({ length: count }, () => timed(process.execPath, ["-e", loader]).ms));
    // Floor, part 2: one pack, started as the CLI starts it, until it prints its port.
    const runPolicyPack = join(dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
    const packReady = `const { spawn } = require("child_process"); const p = spawn(process.execPath, [${JSON.stringify(runPolicyPack)}, "127.0.0.1:0", "."], { stdio: ["ignore", "pipe", "inherit"] }); p.stdout.once("data", () => p.kill());`;
    const packMs = median(Array.from({ length: count }, () => timed(process.execPath, ["-e", packReady], join(PROJECT_DIR, "policy-packs", "encryption")).ms));
    const floorMs = sdkMs + packMs;
    console.log(`floor ${seconds(floorMs)} s = SDKs and ${namespaces.length} resource modules loaded ${seconds(sdkMs)} s + one pack serving ${seconds(packMs)} s\n`);

    // Prod with five times the services, sized so the capacity check admits them.
    const scaledFile = join(mkdtempSync(join(tmpdir(), "rag-bench-")), "Pulumi.prod-scaled.yaml");
    writeFileSync(scaledFile, stringify({ config: scaledProdConfig(SCALE) }));
    const scaled = await evaluateStack({ stack: "prod", file: scaledFile });
    if (scaled.configError) throw new Error(`the ${SCALE}x stack's config was refused:\n${scaled.configError.message}`);

    const header = `${"stack".padEnd(12)}${"resources".padStart(10)}${"wall s".padStart(8)}${"x floor".padStart(9)}${"evaluate".padStart(10)}${"fidelity".padStart(10)}${"packs".padStart(7)}${"cost ms".padStart(9)}${"peak MiB".padStart(10)}  target: < ${TARGET_SECONDS} s, <= ${TARGET_FLOOR_RATIO}x floor, < ${TARGET_MIB} MiB`;
    console.log(header);
    const results: Record<string, { resources: number; wallMs: number }> = {};
    for (const [label, args] of [["dev", ["--stack", "dev"]], ["staging", ["--stack", "staging"]], ["prod", ["--stack", "prod"]], [`prod x${SCALE}`, ["--stack", "prod", "--config", scaledFile]]] as const) {
        const samples = Array.from({ length: count }, () => {
            const { ms, stdout } = timed(PLAN[0] === "node" ? process.execPath : PLAN[0], [...PLAN.slice(1), ...args, "--stats"]);
            return { wallMs: ms, ...(JSON.parse(stdout.trim().split("\n").pop()!) as { evaluateMs: number; fidelityMs: number; policyMs: number; costMs: number; resources: number; maxRssKb: number }) };
        });
        const wallMs = median(samples.map((s) => s.wallMs));
        const ratio = wallMs / floorMs;
        const peak = Math.max(...samples.map((s) => s.maxRssKb)) / 1024;
        const verdicts = [wallMs < TARGET_SECONDS * 1000 ? "" : `over ${TARGET_SECONDS} s`, ratio <= TARGET_FLOOR_RATIO ? "" : `over ${TARGET_FLOOR_RATIO}x floor`, peak < TARGET_MIB ? "" : `over ${TARGET_MIB} MiB`].filter(Boolean);
        results[label] = { resources: samples[0].resources, wallMs };
        console.log(
            `${label.padEnd(12)}${String(samples[0].resources).padStart(10)}${seconds(wallMs).padStart(8)}${ratio.toFixed(2).padStart(9)}` +
                `${seconds(median(samples.map((s) => s.evaluateMs))).padStart(10)}${seconds(median(samples.map((s) => s.fidelityMs))).padStart(10)}${seconds(median(samples.map((s) => s.policyMs))).padStart(7)}${median(samples.map((s) => s.costMs)).toFixed(1).padStart(9)}` +
                `${peak.toFixed(0).padStart(10)}  ${verdicts.length ? verdicts.join(", ") : "met"}`,
        );
    }
    // Growth: the extra time per extra resource from prod to its 5x variant, against prod's own average.
    const base = results.prod;
    const big = results[`prod x${SCALE}`];
    const marginal = (big.wallMs - base.wallMs) / (big.resources - base.resources);
    const average = (base.wallMs - floorMs) / base.resources;
    // The preview of a change: prod's plan against its own last record (the read, the diff), with --from.
    const deployed = join(dirname(scaledFile), "prod.json");
    timed(PLAN[0] === "node" ? process.execPath : PLAN[0], [...PLAN.slice(1), "--stack", "prod", "--skip-policy", "--json", deployed]);
    const previews = Array.from({ length: count }, () => {
        const { ms, stdout } = timed(PLAN[0] === "node" ? process.execPath : PLAN[0], [...PLAN.slice(1), "--stack", "prod", "--from", deployed, "--stats"]);
        return { wallMs: ms, previewMs: (JSON.parse(stdout.trim().split("\n").pop()!) as { previewMs: number }).previewMs };
    });
    const previewWall = median(previews.map((p) => p.wallMs));
    const added = (previewWall - base.wallMs) / base.wallMs;
    console.log(`\n${"prod --from".padEnd(12)}${String(base.resources).padStart(10)}${seconds(previewWall).padStart(8)}  the preview itself ${median(previews.map((p) => p.previewMs)).toFixed(1)} ms; ${(added * 100).toFixed(0)}% over the plan  target: <= ${TARGET_PREVIEW_ADDED * 100}% over the plan  ${added <= TARGET_PREVIEW_ADDED ? "met" : "missed"}`);

    console.log(`\ngrowth: ${marginal.toFixed(1)} ms per added resource (prod -> x${SCALE}: +${big.resources - base.resources} resources), against ${average.toFixed(1)} ms per resource above the floor in prod: ${marginal <= average * 1.5 ? "linear" : "faster than linear"}`);
    console.log("(evaluate: the program under the mocks; fidelity: the fidelity checks; packs: from the packs' start, before evaluation, to their last answer; cost: the monthly estimate)");
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
