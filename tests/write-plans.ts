/** `node --import tsx tests/write-plans.ts <dir> <key>...`: evaluates the named shared plans into <dir>/<key>.json. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { SHARED_PLANS } from "./plan-list";

async function main() {
    const [dir, ...keys] = process.argv.slice(2);
    for (const key of keys) {
        const plan = SHARED_PLANS.find((p) => p.key === key)!;
        const record = await evaluateStack({ stack: plan.stack, file: "file" in plan ? join(PROJECT_DIR, plan.file) : undefined });
        writeFileSync(join(dir, `${key}.json`), JSON.stringify(record));
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
