/**
 * `node --import tsx tests/write-plans.ts <dir> <key>...`: evaluates the named shared plans into <dir>/<key>.json.
 * A stack planned here is what a later standby's StackReference reads, so the standby does not plan it again.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStack, PROJECT_DIR, qualifiedStackName } from "../offline/evaluate";
import { SHARED_PLANS } from "./plan-list";

async function main() {
    const [dir, ...keys] = process.argv.slice(2);
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    for (const key of keys) {
        const plan = SHARED_PLANS.find((p) => p.key === key)!;
        const file = "file" in plan ? join(PROJECT_DIR, plan.file) : undefined;
        const record = await evaluateStack({ stack: plan.stack, file, stackOutputs });
        if (!file) stackOutputs[qualifiedStackName(record)] = record.outputs;
        writeFileSync(join(dir, `${key}.json`), JSON.stringify(record));
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
