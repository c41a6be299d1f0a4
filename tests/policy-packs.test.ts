/**
 * Every policy of the four packs, accepting and rejecting resources, through the analyzer protocol: each pack
 * runs as the Pulumi CLI runs it (run-policy-pack, gRPC on loopback) and gets Analyze and AnalyzeStack calls.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackDescription } from "../offline/analyzer-client";
import { ConfiguredPack, POLICY_PACKS_DIR, type Violation } from "../offline/policy-check";
import { buildPacks, bundle, entryPath, sourceHash, stalePacks } from "../policy-packs/build";
import { containerHardeningCases } from "./policies/container-hardening.cases";
import { encryptionCases } from "./policies/encryption.cases";
import type { PolicyCases, Stack } from "./policies/fixtures";
import { highAvailabilityCases } from "./policies/high-availability.cases";
import { networkExposureCases } from "./policies/network-exposure.cases";

const STACK: StackDescription = { project: "fixtures", stack: "test", organization: "offline", config: {}, secretKeys: [] };
const ALL_MANDATORY = { file: "(test) all mandatory", raw: { all: "mandatory" } };

const PACKS: { dir: string; name: string; cases: Record<string, PolicyCases> }[] = [
    { dir: "encryption", name: "rag-encryption", cases: encryptionCases },
    { dir: "container-hardening", name: "rag-container-hardening", cases: containerHardeningCases },
    { dir: "high-availability", name: "rag-high-availability", cases: highAvailabilityCases },
    { dir: "network-exposure", name: "rag-network-exposure", cases: networkExposureCases },
];

const of = (violations: Violation[], policy: string) => violations.filter((v) => v.policy === policy);

describe.each(PACKS)("policy pack $dir", ({ dir, name, cases }) => {
    let pack: ConfiguredPack;
    beforeAll(async () => {
        pack = await ConfiguredPack.start(join(POLICY_PACKS_DIR, dir), STACK, ALL_MANDATORY);
    });
    afterAll(() => pack?.stop());

    it(`serves as ${name} and describes each policy with a severity and remediation steps`, () => {
        expect(pack.info.name).toBe(name);
        for (const policy of pack.info.policies) {
            expect(policy.description, policy.name).not.toBe("");
            expect(["low", "medium", "high", "critical"], policy.name).toContain(policy.severity);
            expect(policy.remediationSteps.length, policy.name).toBeGreaterThan(20);
        }
    });

    it("has accepting and rejecting cases for exactly the policies it serves", () => {
        expect(Object.keys(cases).sort()).toEqual(pack.info.policies.map((p) => p.name).sort());
        for (const [policy, { pass, fail }] of Object.entries(cases)) {
            expect(pass.length, policy).toBeGreaterThan(0);
            expect(fail.length, policy).toBeGreaterThan(0);
        }
    });

    for (const [policy, { pass, fail }] of Object.entries(cases)) {
        it.each(pass.map((stack, i) => [i + 1, stack] as [number, Stack]))(`${policy} accepts case %i`, async (_, stack) => {
            expect(of(await pack.check(stack), policy)).toEqual([]);
        });
        it.each(fail.map(([stack, pattern], i) => [i + 1, pattern, stack] as [number, RegExp, Stack]))(`${policy} rejects case %i (%s)`, async (_, pattern, stack) => {
            const found = of(await pack.check(stack), policy);
            expect(found.length).toBeGreaterThan(0);
            expect(found.map((v) => v.message).join("\n")).toMatch(pattern);
            for (const v of found) {
                expect(v.level).toBe("mandatory");
                expect(v.pack).toBe(name);
                // Every violation names a resource of the stack, so the CLI can point at it.
                expect(stack.map((r) => r.urn)).toContain(v.urn);
            }
        });
    }
});

describe("policy config reaches the packs through Configure", () => {
    it("applies enforcement levels: all, then per policy, disabled policies silent", async () => {
        const pack = await ConfiguredPack.start(join(POLICY_PACKS_DIR, "encryption"), STACK, {
            file: "(test)",
            raw: { all: "advisory", "kms-key-rotation": "disabled", "sns-topic-encrypted": { enforcementLevel: "mandatory" } },
        });
        try {
            const [key] = encryptionCases["kms-key-rotation"].fail[0][0];
            const [topic] = encryptionCases["sns-topic-encrypted"].fail[0][0];
            const [group] = encryptionCases["cloudwatch-log-group-encrypted"].fail[0][0];
            const violations = await pack.check([key, topic, group]);
            expect(of(violations, "kms-key-rotation")).toEqual([]);
            expect(of(violations, "sns-topic-encrypted").map((v) => v.level)).toEqual(["mandatory"]);
            expect(of(violations, "cloudwatch-log-group-encrypted").map((v) => v.level)).toEqual(["advisory"]);
            expect(pack.run.levels["kms-key-rotation"]).toBe("disabled");
        } finally {
            await pack.stop();
        }
    });

    it("hands policies their settings: a narrower TLS allow-list, a lower AZ minimum", async () => {
        const [encryption, availability] = await Promise.all([
            ConfiguredPack.start(join(POLICY_PACKS_DIR, "encryption"), STACK, { file: "(test)", raw: { "lb-listener-tls": { allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] } } }),
            ConfiguredPack.start(join(POLICY_PACKS_DIR, "high-availability"), STACK, { file: "(test)", raw: { "vpc-subnets-multi-az": { minAvailabilityZones: 2 } } }),
        ]);
        try {
            const [listener] = encryptionCases["lb-listener-tls"].pass[0];
            expect(of(await encryption.check([listener]), "lb-listener-tls").map((v) => v.message)).toEqual([
                "sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 is not in the allow-list of TLS 1.2+ policies",
            ]);
            const [twoAzNetwork] = highAvailabilityCases["vpc-subnets-multi-az"].fail[0];
            expect(of(await availability.check(twoAzNetwork), "vpc-subnets-multi-az")).toEqual([]);
        } finally {
            await Promise.all([encryption.stop(), availability.stop()]);
        }
    });
});

describe("the packs' built entries (what the Pulumi CLI starts)", () => {
    it.each(PACKS)("$dir starts from JavaScript built from the current sources, so the CLI type-checks nothing at start", ({ dir }) => {
        buildPacks();
        const manifest = JSON.parse(readFileSync(join(POLICY_PACKS_DIR, dir, "package.json"), "utf8")) as { main: string };
        expect(manifest.main).toBe("dist/index.js");
        // The entry is exactly what a build of today's sources gives (its first line records their hash).
        expect(readFileSync(entryPath(dir), "utf8")).toBe(bundle(dir, sourceHash()));
    });

    it("finds an entry built from other sources stale, and rebuilds it", () => {
        expect(stalePacks("0000000000000000")).toEqual(["encryption", "container-hardening", "high-availability", "network-exposure"]);
        expect(stalePacks()).toEqual([]);
    });
});
