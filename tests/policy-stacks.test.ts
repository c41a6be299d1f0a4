/**
 * The three stacks through the four packs, with their own policy config files, and deliberately broken
 * variants of each (the platform plus bad resources, evaluated as one program) that the packs must catch.
 * One pack host serves the checks (tests/packs.ts), reconfigured per stack, as for a command that checks several
 * stacks; one check starts each pack in its own process, exactly as the Pulumi CLI does.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { evaluateStack } from "../offline/evaluate";
import { checkPolicies, mandatoryViolations, PACK_DIRS, type PolicyReport } from "../offline/policy-check";
import { checkWithSharedPacks } from "./packs";
import { deployPlatform } from "../stacks/platform";
import { stackPlans } from "./plans";

const STACKS = ["dev", "staging", "prod"] as const;

/** The platform with one more resource registered beside it, as another component (or team) might. */
const platformWith = (extra: () => void) => async () => {
    const outputs = await deployPlatform();
    extra();
    return outputs;
};

const BROKEN = {
    "an unencrypted database": () =>
        new aws.rds.Instance("orders", {
            engine: "postgres",
            engineVersion: "17.5",
            instanceClass: "db.r6g.large",
            allocatedStorage: 100,
            storageType: "gp3",
            storageEncrypted: false,
            multiAz: true,
            username: "app",
            manageMasterUserPassword: true,
        }),
    "a root container": () =>
        new k8s.apps.v1.Deployment("api", {
            metadata: { namespace: "rag" },
            spec: {
                replicas: 3,
                selector: { matchLabels: { app: "api" } },
                template: {
                    metadata: { labels: { app: "api" } },
                    spec: { containers: [{ name: "api", image: "ghcr.io/example/rag-api:1.4.2", securityContext: { runAsUser: 0 } }] },
                },
            },
        }),
    // Another team's cluster with AWS's defaults: a public endpoint open to 0.0.0.0/0.
    "a public Kubernetes API": () =>
        new aws.eks.Cluster("tools", { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } }),
    "a single-AZ cache": () =>
        new aws.elasticache.ReplicationGroup("sessions", {
            description: "sessions",
            engine: "redis",
            engineVersion: "7.1",
            nodeType: "cache.r6g.large",
            numCacheClusters: 1,
            automaticFailoverEnabled: false,
            multiAzEnabled: false,
            atRestEncryptionEnabled: true,
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/0b7e3c55-8f0e-4f9b-9b8a-3f2f6e1c2d4a",
            transitEncryptionEnabled: true,
            authToken: "not-a-real-token-but-long-enough",
        }),
};

/** Which policy must catch each variant, and at which level per stack (dev runs multi-AZ rules as advisory). */
const EXPECTED: Record<keyof typeof BROKEN, { pack: string; policy: string; resource: string; level: Record<(typeof STACKS)[number], string> }> = {
    "an unencrypted database": { pack: "encryption", policy: "rds-storage-encrypted", resource: "orders", level: { dev: "mandatory", staging: "mandatory", prod: "mandatory" } },
    "a root container": { pack: "container-hardening", policy: "pod-run-as-non-root", resource: "api", level: { dev: "mandatory", staging: "mandatory", prod: "mandatory" } },
    "a public Kubernetes API": { pack: "network-exposure", policy: "eks-endpoint-not-open", resource: "tools", level: { dev: "mandatory", staging: "mandatory", prod: "mandatory" } },
    "a single-AZ cache": { pack: "high-availability", policy: "elasticache-multi-az", resource: "sessions", level: { dev: "advisory", staging: "mandatory", prod: "mandatory" } },
};

const summary = (report: PolicyReport) => report.violations.map((v) => ({ policy: v.policy, level: v.level, resource: v.resourceName }));

describe("the stacks pass their policy packs", async () => {
    const [dev, staging, prod] = await stackPlans();
    const records = { dev, staging, prod };
    const reports = {} as Record<(typeof STACKS)[number], PolicyReport>;
    // One after the other: a pack holds one stack's configuration at a time.
    for (const stack of STACKS) reports[stack] = await checkWithSharedPacks(records[stack]);

    it("gives a stack without policy config of its own its environment's (dev-eu: dev's advisories; prod-eu: prod's mandatory levels)", async () => {
        const report = await checkWithSharedPacks({ ...records.dev, stack: "dev-eu" });
        expect(report.packs.map((p) => p.configFile)).toEqual(PACK_DIRS.map((pack) => `policy-packs/config/dev/${pack}.json`));
        expect(summary(report)).toEqual(summary(reports.dev));
        const prodEu = await checkWithSharedPacks({ ...records.prod, stack: "prod-eu" });
        expect(new Set(prodEu.packs.flatMap((p) => Object.values(p.levels)))).toEqual(new Set(["mandatory"]));
        expect(prodEu.packs[2].configFile).toBe("policy-packs/config/prod/high-availability.json");
    });

    it("gives the same verdicts with each pack in its own process, started exactly as the Pulumi CLI starts it", async () => {
        const alone = await checkPolicies(records.dev, PACK_DIRS, "cli");
        expect(alone.packs).toEqual(reports.dev.packs);
        expect(summary(alone)).toEqual(summary(reports.dev));
    });

    it.each(STACKS)("%s: every pack ran with the stack's policy config, and no mandatory violation", (stack) => {
        const report = reports[stack];
        expect(report.packs.map((p) => [p.name, p.configFile])).toEqual([
            ["rag-encryption", `policy-packs/config/${stack}/encryption.json`],
            ["rag-container-hardening", `policy-packs/config/${stack}/container-hardening.json`],
            ["rag-high-availability", `policy-packs/config/${stack}/high-availability.json`],
            ["rag-network-exposure", `policy-packs/config/${stack}/network-exposure.json`],
        ]);
        expect(mandatoryViolations(report)).toEqual([]);
    });

    it("prod and staging: every policy mandatory, and nothing to report", () => {
        for (const stack of ["staging", "prod"] as const) {
            expect(new Set(reports[stack].packs.flatMap((p) => Object.values(p.levels)))).toEqual(new Set(["mandatory"]));
            expect(summary(reports[stack])).toEqual([]);
        }
    });

    it("dev: multi-AZ rules advisory, reporting its shared NAT gateway, single-node groups, single-AZ data and one-replica frontend as such", () => {
        const levels = Object.fromEntries(reports.dev.packs.map((p) => [p.name, new Set(Object.values(p.levels))]));
        expect(levels).toEqual({ "rag-encryption": new Set(["mandatory"]), "rag-container-hardening": new Set(["mandatory"]), "rag-high-availability": new Set(["advisory"]), "rag-network-exposure": new Set(["mandatory"]) });
        expect(summary(reports.dev).sort((a, b) => a.policy.localeCompare(b.policy) || a.resource.localeCompare(b.resource))).toEqual([
            { policy: "elasticache-multi-az", level: "advisory", resource: "data-cache-group" },
            { policy: "nat-gateway-per-az", level: "advisory", resource: "network-private-us-east-1b" },
            { policy: "node-group-multi-az", level: "advisory", resource: "cluster-application" },
            { policy: "node-group-multi-az", level: "advisory", resource: "cluster-observability" },
            { policy: "rds-multi-az", level: "advisory", resource: "data-postgres-writer" },
            { policy: "workload-replicas", level: "advisory", resource: "workload-frontend-deployment" },
        ]);
    });
});

describe.each(STACKS)("broken variants of %s are caught", (stack) => {
    // The platform with all four bad resources beside it, evaluated and checked once per stack: each case below
    // finds its own violation, on its own resource, among the report's.
    let checked: Promise<PolicyReport> | undefined;
    const brokenReport = () => (checked ??= evaluateStack({ stack, program: platformWith(() => Object.values(BROKEN).forEach((add) => add())) }).then(checkWithSharedPacks));
    it.each(Object.keys(BROKEN) as (keyof typeof BROKEN)[])("%s", async (variant) => {
        const expected = EXPECTED[variant];
        const report = await brokenReport();
        const caught = report.violations.filter((v) => v.pack === `rag-${expected.pack}`).map((v) => ({ policy: v.policy, level: v.level, resource: v.resourceName }));
        expect(caught).toContainEqual({ policy: expected.policy, level: expected.level[stack], resource: expected.resource });
    });
});
