/**
 * The shared plans (tests/plan-list.ts), evaluated once per run by tests/global-setup.ts: each file reads its own
 * copy, so no file sees another's changes. Outside a full run (no cache) a plan is evaluated on the spot.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { evaluateStack, PROJECT_DIR, type PlanRecord } from "../offline/evaluate";
import { SHARED_PLANS, type PlanKey } from "./plan-list";

export async function planOf(key: PlanKey): Promise<PlanRecord> {
    const dir = inject("planCacheDir");
    const file = dir && join(dir, `${key}.json`);
    if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as PlanRecord;
    const plan = SHARED_PLANS.find((p) => p.key === key)!;
    const primary = "after" in plan ? SHARED_PLANS.find((p) => p.key === plan.after) : undefined;
    return evaluateStack({
        stack: plan.stack,
        file: "file" in plan ? join(PROJECT_DIR, plan.file) : undefined,
        primaryFile: primary && "file" in primary ? join(PROJECT_DIR, primary.file) : undefined,
    });
}

/** dev, staging and prod, in that order. */
export const stackPlans = () => Promise.all((["dev", "staging", "prod"] as const).map(planOf));
