/**
 * One policy pack host per test process, shared by every file that process runs (vitest runs a worker's files one
 * after another, modules kept: isolate is off), configured for each check in turn: a pack holds one stack's
 * configuration at a time, so checks queue. The host exits with the process (it watches its stdin).
 */
import type { PlanRecord } from "../offline/evaluate";
import { PolicyPacks, type PolicyReport } from "../offline/policy-check";

let packs: PolicyPacks | undefined;
let queue: Promise<unknown> = Promise.resolve();

export function checkWithSharedPacks(record: PlanRecord): Promise<PolicyReport> {
    packs ??= new PolicyPacks();
    const started = packs;
    const run = queue.then(() => started.check(record));
    queue = run.catch(() => undefined);
    return run;
}
