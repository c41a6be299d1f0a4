/**
 * Each system's asks (examples/systems/asks.ts) against its example's plan: an answer that claims the platform
 * does something (faithful or substituted) must find it among the resources the plan registers.
 */
import { describe, expect, it } from "vitest";
import { SYSTEM_ASKS, SYSTEMS, systemFile, type SystemKey } from "../examples/systems/asks";
import { planOf } from "./plans";

describe("each system document's asks, against its example's plan", () => {
    for (const system of Object.keys(SYSTEMS) as SystemKey[]) {
        it(`${system}: every faithful or substituted answer is in the plan of ${systemFile(system)}`, async () => {
            const plan = await planOf(SYSTEMS[system].plan);
            expect(plan.configError).toBeUndefined();
            const unfounded = SYSTEM_ASKS.filter((a) => a.system === system && a.status !== "missing" && !a.evidence(plan)).map((a) => a.ask);
            expect(unfounded).toEqual([]);
        });
    }

    it("answers an ask with evidence that can fail: each predicate refuses a plan without resources", () => {
        const empty = { resources: [] };
        const vacuous = SYSTEM_ASKS.filter((a) => a.status !== "missing" && a.evidence(empty)).map((a) => `${a.system}: ${a.ask}`);
        expect(vacuous).toEqual([]);
    });
});
