/**
 * `node --import tsx tests/write-plans.ts <dir> <key>...`: evaluates the named shared plans into <dir>/<key>.json.
 * A standby reads the planned outputs of the primary it comes `after` (planned earlier in the same call) instead of
 * planning it again; no other plan is shown them (a stack reading its own last outputs would take them for its
 * deployment's).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStack, PROJECT_DIR, qualifiedStackName, type PlanRecord } from "../offline/evaluate";
import { SHARED_PLANS } from "./plan-list";

async function main() {
    const [dir, ...keys] = process.argv.slice(2);
    const planned = new Map<string, PlanRecord>();
    for (const key of keys) {
        const plan = SHARED_PLANS.find((p) => p.key === key)!;
        const primary = "after" in plan ? planned.get(plan.after) : undefined;
        const record = await evaluateStack({
            stack: plan.stack,
            file: "file" in plan ? join(PROJECT_DIR, plan.file) : undefined,
            stackOutputs: primary && { [qualifiedStackName(primary)]: primary.outputs },
        });
        planned.set(key, record);
        writeFileSync(join(dir, `${key}.json`), JSON.stringify(record));
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
