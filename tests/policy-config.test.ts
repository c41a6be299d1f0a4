/**
 * Policy config files reconciled as the CLI does before Configure, and bad ones refused with every problem named;
 * which file a stack gets (its own, else its environment's), the rule the offline plan and the workflows share.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PackInfo } from "../offline/analyzer-client";
import { PolicyConfigError, policyConfigPath, reconcilePolicyConfig, stackPolicyConfigFiles } from "../offline/policy-config";

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

describe("the policy config file of a stack", () => {
    /** policy-packs/config/ with the given files, in a directory of its own. */
    function packsDir(files: string[]): string {
        const dir = join(mkdtempSync(join(tmpdir(), "rag-policy-config-")), "policy-packs");
        for (const file of files) {
            mkdirSync(join(dir, "config", file.split("/")[0]), { recursive: true });
            writeFileSync(join(dir, "config", file), '{ "all": "mandatory" }');
        }
        return dir;
    }
    const PACKS = ["encryption", "high-availability"];

    it("is the stack's own where it has one, else its environment's, pack by pack", () => {
        const dir = packsDir(["staging/encryption.json", "staging/high-availability.json", "qa/high-availability.json"]);
        expect(policyConfigPath(dir, "qa", "encryption", "staging")).toBe(join(dir, "config", "staging", "encryption.json"));
        expect(policyConfigPath(dir, "qa", "high-availability", "staging")).toBe(join(dir, "config", "qa", "high-availability.json"));
        expect(stackPolicyConfigFiles(dir, "qa", PACKS, "staging")).toEqual(["policy-packs/config/staging/encryption.json", "policy-packs/config/qa/high-availability.json"]);
        expect(stackPolicyConfigFiles(dir, "staging", PACKS, "staging")).toEqual(["policy-packs/config/staging/encryption.json", "policy-packs/config/staging/high-availability.json"]);
    });

    it("is refused, naming the files to add, where neither the stack nor its environment has one", () => {
        const dir = packsDir(["staging/encryption.json"]);
        expect(() => stackPolicyConfigFiles(dir, "qa", PACKS, "staging")).toThrow(
            new PolicyConfigError(
                'no policy config for high-availability: neither stack "qa" nor its environment "staging" (rag-platform:environment) has one. Add policy-packs/config/qa/high-availability.json (or policy-packs/config/staging/ for every stack of staging)',
            ),
        );
        expect(() => stackPolicyConfigFiles(dir, "qa", PACKS)).toThrow(
            "no policy config for encryption, high-availability: stack \"qa\" has none of its own and its stack file sets no rag-platform:environment to borrow its environment's. Add policy-packs/config/qa/encryption.json, policy-packs/config/qa/high-availability.json, or set rag-platform:environment in Pulumi.qa.yaml",
        );
    });
});
