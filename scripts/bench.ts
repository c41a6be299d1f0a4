/**
 * `npm run bench [-- --runs N]`: per stack, the offline plan run N times, each in a fresh process as a user runs
 * it, printing the median wall time of the process, the median time of the evaluation alone (after modules are
 * loaded), the median time to run all three policy packs over the plan (start, configure, Analyze each resource,
 * AnalyzeStack; packs in parallel), the resource count and the plan process's peak memory (each pack is its own
 * process). Targets: under 10 s in all and under 1 GiB per stack.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(__dirname, "..");
const STACKS = ["dev", "staging", "prod"];
const TARGET_SECONDS = 10;
const TARGET_MIB = 1024;

const { runs } = parseArgs({ options: { runs: { type: "string", default: "5" } } }).values;
const count = Math.max(1, Number(runs));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`offline plan, ${count} run(s) per stack, each in a new process\n`);
console.log(`${"stack".padEnd(9)}${"resources".padStart(10)}${"process s".padStart(12)}${"evaluate s".padStart(12)}${"policy s".padStart(10)}${"peak MiB".padStart(10)}  target`);
let failed = false;
for (const stack of STACKS) {
    const samples = Array.from({ length: count }, () => {
        const started = process.hrtime.bigint();
        const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "offline", "cli.ts"), "--stack", stack, "--stats"], { encoding: "utf8" });
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.status !== 0) throw new Error(`plan of ${stack} failed:\n${result.stderr}`);
        const stats = JSON.parse(result.stdout.trim().split("\n").pop()!) as { evaluateMs: number; policyMs: number; resources: number; maxRssKb: number };
        return { wallMs, ...stats };
    });
    const wall = median(samples.map((s) => s.wallMs)) / 1000;
    const evaluate = median(samples.map((s) => s.evaluateMs)) / 1000;
    const policy = median(samples.map((s) => s.policyMs)) / 1000;
    const peak = Math.max(...samples.map((s) => s.maxRssKb)) / 1024;
    const ok = wall < TARGET_SECONDS && peak < TARGET_MIB;
    failed ||= !ok;
    console.log(`${stack.padEnd(9)}${String(samples[0].resources).padStart(10)}${wall.toFixed(2).padStart(12)}${evaluate.toFixed(2).padStart(12)}${policy.toFixed(2).padStart(10)}${peak.toFixed(0).padStart(10)}  ${ok ? "ok" : `OVER (< ${TARGET_SECONDS} s, < ${TARGET_MIB} MiB)`}`);
}
process.exitCode = failed ? 1 : 0;
