/** Policy config files reconciled as the CLI does before Configure, and bad ones refused with every problem named. */
import { describe, expect, it } from "vitest";
import type { PackInfo } from "../offline/analyzer-client";
import { PolicyConfigError, reconcilePolicyConfig } from "../offline/policy-config";

const PACK: PackInfo = {
    name: "rag-test",
    version: "0.1.0",
    policies: [
        { name: "plain", description: "d", enforcementLevel: "mandatory", severity: "high", remediationSteps: "r" },
        {
            name: "zones",
            description: "d",
            enforcementLevel: "mandatory",
            severity: "high",
            remediationSteps: "r",
            configSchema: { properties: { minAvailabilityZones: { type: "integer", minimum: 1, default: 3 } }, required: [] },
        },
    ],
};

describe("reconcilePolicyConfig", () => {
    it("keeps each policy's own level and fills schema defaults when there is no file", () => {
        expect(reconcilePolicyConfig(PACK, "none.json", undefined)).toEqual({
            plain: { enforcementLevel: "mandatory", properties: {} },
            zones: { enforcementLevel: "mandatory", properties: { minAvailabilityZones: 3 } },
        });
    });

    it('lets "all" set every level and a policy entry override it, with its settings', () => {
        expect(reconcilePolicyConfig(PACK, "dev.json", { all: "advisory", zones: { enforcementLevel: "mandatory", minAvailabilityZones: 2 } })).toEqual({
            plain: { enforcementLevel: "advisory", properties: {} },
            zones: { enforcementLevel: "mandatory", properties: { minAvailabilityZones: 2 } },
        });
    });

    it("refuses unknown policies, bad levels, settings the schema does not allow, and settings on \"all\"", () => {
        const attempt = () =>
            reconcilePolicyConfig(PACK, "bad.json", {
                all: { enforcementLevel: "advisory", minAvailabilityZones: 2 },
                zone: "advisory",
                plain: "warn",
                zones: { minAvailabilityZones: 0, maxZones: 4 },
            });
        expect(attempt).toThrow(PolicyConfigError);
        expect(attempt).toThrow(
            [
                "bad.json:",
                '  - "zone" is not a policy of rag-test; its policies are: plain, zones',
                '  - "all" may only set an enforcement level',
                '  - "plain": enforcement level "warn" is not one of advisory, mandatory, remediate, disabled',
                '  - "zones": config must NOT have additional properties (maxZones)',
                '  - "zones": /minAvailabilityZones must be >= 1',
            ].join("\n"),
        );
    });

    it("refuses settings for a policy that takes none", () => {
        expect(() => reconcilePolicyConfig(PACK, "x.json", { plain: { enforcementLevel: "advisory", threshold: 1 } })).toThrow('"plain" takes no settings besides enforcementLevel');
    });
});
