/**
 * The monthly cost estimate (issue 17): its arithmetic on a small fixed plan, every resource type the program
 * registers priced, usage-only or free, each stack's estimate and what drives it, the comparison of two plans,
 * and the `costAssumptions` key.
 */
import { describe, expect, it } from "vitest";
import type { PlanRecord } from "../offline/evaluate";
import { classify, estimateCost, renderCostComparison, renderCostEstimate } from "../offline/cost";
import { evaluateStack } from "../offline/evaluate";
import type { RecordedResource } from "../offline/mocks";
import { DEFAULT_COST_ASSUMPTIONS } from "../model/cost-assumptions";
import { allPrices, HOURS_PER_MONTH } from "../model/prices";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
function resource(type: string, name: string, inputs: Record<string, unknown>, parent = "urn:pulumi:t::p::rag:data:DataTier::data", extra: Partial<RecordedResource> = {}): RecordedResource {
    return { urn: `urn:pulumi:t::p::${type}::${name}`, type, name, parent, custom: !type.startsWith("rag:"), remote: false, inputs, state: {}, protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], dependencies: [], propertyDependencies: {}, additionalSecretOutputs: [], aliases: [], ...extra };
}
const plan = (region: string, resources: RecordedResource[]): PlanRecord => ({
    project: "p", stack: "t", region, config: {}, secretKeys: [], outputs: {}, secretOutputs: [],
    resources: [
        resource("pulumi:pulumi:Stack", "p-t", {}, undefined, { urn: STACK, custom: false }),
        resource("rag:data:DataTier", "data", {}, STACK, { urn: "urn:pulumi:t::p::rag:data:DataTier::data", custom: false }),
        resource("rag:cluster:Cluster", "cluster", {}, STACK, { urn: "urn:pulumi:t::p::rag:cluster:Cluster::cluster", custom: false }),
        ...resources,
    ],
});
const CLUSTER = "urn:pulumi:t::p::rag:cluster:Cluster::cluster";
const NO_USAGE = { ...DEFAULT_COST_ASSUMPTIONS.prod, natGbPerMonth: 0, logIngestGbPerMonth: 0, storageGb: 0, requestsMillionsPerMonth: 0, edgeGbPerMonth: 0, sharedFilesGb: 0, crossRegionGbPerMonth: 0 };

describe("the estimate's arithmetic on a small fixed plan", () => {
    const fixed = plan("us-east-1", [
        resource("aws:ec2/launchTemplate:LaunchTemplate", "nodes", { blockDeviceMappings: [{ ebs: { volumeSize: 50 } }] }, CLUSTER, { id: "lt-1" }),
        resource("aws:eks/nodeGroup:NodeGroup", "app", { instanceTypes: ["m6i.xlarge"], capacityType: "ON_DEMAND", scalingConfig: { minSize: 3, maxSize: 10 }, launchTemplate: { id: "lt-1" } }, CLUSTER),
        resource("aws:eks/nodeGroup:NodeGroup", "workers", { instanceTypes: ["m6i.large"], capacityType: "SPOT", scalingConfig: { minSize: 0, maxSize: 4 }, launchTemplate: { id: "lt-1" } }, CLUSTER),
        resource("aws:rds/instance:Instance", "db", { identifier: "db", instanceClass: "db.r6g.large", multiAz: true, allocatedStorage: 100, maxAllocatedStorage: 1000 }),
        resource("aws:rds/instance:Instance", "replica", { identifier: "db-replica-1", instanceClass: "db.r6g.large", replicateSourceDb: "db", maxAllocatedStorage: 1000 }),
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { engine: "valkey", nodeType: "cache.r6g.large", numNodeGroups: 1, replicasPerNodeGroup: 2 }),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", "kms", { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] }),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }),
        resource("aws:secretsmanager/secret:Secret", "master", { replicas: [{ region: "us-west-2" }] }),
        resource("aws:iam/role:Role", "role", {}),
    ]);
    const estimate = estimateCost(fixed, NO_USAGE, new Date("2026-12-02"));
    const line = (name: string) => estimate.lines.find((l) => l.name === name)!;

    it("prices nodes by group size, spot at its discount, each with its gp3 root volume", () => {
        // 730 h x $0.192 + 50 GiB x $0.08 = $144.16 a node.
        expect(line("app")).toMatchObject({ component: "cluster", min: 432.48, max: 1441.6 });
        // m6i.large $0.096/h, m6i's catalog spot discount 60%: 730 x 0.096 x 0.4 + 4 = $32.032 a node.
        expect(line("workers")).toMatchObject({ min: 0, max: 128.13 });
    });

    it("prices the database Multi-AZ twice, storage from allocated to its ceiling, and a replica on its source's storage", () => {
        // 2 x 730 x 0.225 = 328.5; 2 x 100 x 0.115 = 23; 2 x 1000 x 0.115 = 230.
        expect(line("db")).toMatchObject({ min: 351.5, max: 558.5 });
        // 730 x 0.225 = 164.25; 100 or 1000 GiB x 0.115.
        expect(line("replica")).toMatchObject({ min: 175.75, max: 279.25 });
    });

    it("prices Valkey nodes at Valkey's price, interface endpoints per AZ, gateway endpoints and IAM at nothing, secret replicas", () => {
        expect(line("cache")).toMatchObject({ min: 360.91, max: 360.91 }); // 3 x 730 x 0.1648 (Redis OSS: 0.206)
        expect(line("kms")).toMatchObject({ min: 21.9, max: 21.9 }); // 3 AZs x 730 x 0.01
        expect(estimate.lines.map((l) => l.name)).not.toContain("s3");
        expect(estimate.lines.map((l) => l.name)).not.toContain("role");
        expect(line("master")).toMatchObject({ min: 0.8, max: 0.8 });
        expect(estimate.total).toEqual({ min: 1343.34, max: 2791.09 });
        expect(estimate.byComponent).toEqual({ cluster: { min: 432.48, max: 1569.73 }, data: { min: 910.86, max: 1221.36 } });
    });

    it("adds the usage its assumptions state, and names unverified prices it used", () => {
        const withNat = plan("us-east-1", [resource("aws:ec2/natGateway:NatGateway", "nat", {}), resource("aws:cloudwatch/logGroup:LogGroup", "logs", {})]);
        const e = estimateCost(withNat, { ...NO_USAGE, natGbPerMonth: 1000, logIngestGbPerMonth: 10 });
        expect(e.lines.map((l) => [l.name, l.min])).toEqual([["nat", 32.85], ["nat (usage)", 45], ["logs (usage)", 5.3]]);
        expect(estimate.unverifiedPrices).toEqual([]);
        expect(estimate.pricesUsed["rds db.r6g.large"]).toBe("$0.225 per instance-hour");
        expect(estimate.pricesUsed["elasticache cache.r6g.large valkey"]).toBe("$0.1648 per node-hour");
        expect(estimate.pricesUsed["rds db.r6g.large Multi-AZ"]).toBe("$0.45 per instance-hour, primary and standby");
        expect(renderCostEstimate(estimate)).toContain("  unit prices: ebsGp3GbMonth $0.08 per GB-month; ec2 m6i.large $0.096 per instance-hour; ec2 m6i.xlarge $0.192 per instance-hour;");
        expect(HOURS_PER_MONTH).toBe(730);
    });

    it("takes spot's discount from the catalog for its family, else from costAssumptions.spotDiscountPercent", () => {
        const spot = (type: string) => plan("us-east-1", [resource("aws:eks/nodeGroup:NodeGroup", type, { instanceTypes: [type], capacityType: "SPOT", scalingConfig: { minSize: 1, maxSize: 1 } }, CLUSTER)]);
        const e = (type: string) => estimateCost(spot(type), { ...NO_USAGE, spotDiscountPercent: 40 }).lines[0];
        // m7g.xlarge $0.1632/h, 50% off (catalog); m5.xlarge $0.192/h, 40% off (assumed); 20 GiB gp3 at $0.08 each.
        expect(e("m7g.xlarge")).toMatchObject({ min: 61.17, basis: "1-1 x m7g.xlarge spot (50% below $0.1632/h) + 20 GiB gp3 each" });
        expect(e("m5.xlarge")).toMatchObject({ min: 85.7, basis: "1-1 x m5.xlarge spot (40% below $0.192/h, assumed) + 20 GiB gp3 each" });
    });

    it("prices each backup vault's recovery points as database snapshots in the vault's own region", () => {
        const vaults = plan("eu-west-1", [
            resource("aws:backup/vault:Vault", "vault", {}),
            resource("aws:backup/vault:Vault", "dr-vault", { region: "ap-northeast-1" }),
            resource("aws:backup/plan:Plan", "plan", {}),
        ]);
        const e = estimateCost(vaults, { ...NO_USAGE, backupGb: 100 });
        // AWS's RDS feed: snapshots $0.095/GB-month in eu-west-1 and ap-northeast-1 alike.
        expect(e.lines.map((l) => [l.name, l.min])).toEqual([["vault", 9.5], ["dr-vault", 9.5]]);
        expect(Object.keys(e.pricesUsed)).toEqual(["rdsBackupGbMonth", "rdsBackupGbMonth in ap-northeast-1"]);
        expect(e.outside.lines).toEqual([]);
    });

    it("takes a unit price the stack sets in costPrices, where the catalog has none for the region or in place of its own", () => {
        const nat = plan("eu-west-1", [resource("aws:ec2/natGateway:NatGateway", "nat", {}), resource("aws:kms/key:Key", "key", {})]);
        const e = estimateCost(nat, NO_USAGE, new Date("2026-12-02"), { natGatewayHour: 0.048, kmsKeyMonth: 0.9 });
        expect(e.lines.map((l) => [l.name, l.min])).toEqual([["nat", 35.04], ["key", 0.9]]);
        expect(e.outside.lines).toEqual([]);
        expect(e.configuredPrices).toEqual(["kmsKeyMonth", "natGatewayHour"]);
        expect(e.pricesUsed.natGatewayHour).toBe("$0.048 per gateway-hour");
        expect(renderCostEstimate(e)).toContain("  set by the stack's costPrices: kmsKeyMonth, natGatewayHour");
    });

    it("names a class the catalog has no price for instead of pricing it silently at nothing", () => {
        const e = estimateCost(plan("us-east-1", [resource("aws:rds/instance:Instance", "db", { identifier: "db", instanceClass: "db.r8g.large", allocatedStorage: 100 })]), NO_USAGE);
        expect(e.lines).toEqual([expect.objectContaining({ name: "db", min: 0, max: 0, basis: "db.r8g.large: no catalog price" })]);
        expect(renderCostEstimate(e)).toContain("  no catalog price, counted at nothing: db.r8g.large (db)");
    });

    it("charges EKS extended support once a version is past standard support", () => {
        const cluster = plan("us-east-1", [resource("eks:index:Cluster", "eks", { version: "1.32" }, CLUSTER)]);
        expect(estimateCost(cluster, NO_USAGE, new Date("2026-01-01")).total.min).toBe(73);
        expect(estimateCost(cluster, NO_USAGE, new Date("2026-04-01")).total.min).toBe(438);
    });

    it("prices another region at its own figures, and leaves out the lines it has no figures for there, saying what they would add at us-east-1's", () => {
        const withNat = plan("eu-west-1", [...fixed.resources.slice(3), resource("aws:ec2/natGateway:NatGateway", "nat", {})]);
        const e = estimateCost(withNat, NO_USAGE, new Date("2026-12-02"));
        // eu-west-1: m6i.xlarge $0.214/h, gp3 $0.088; db.r6g.large $0.504/h Multi-AZ and $0.252 single, gp3 $0.254 and $0.127; Valkey $0.1832/h.
        expect(e.lines.find((l) => l.name === "app")).toMatchObject({ min: 481.86, max: 1606.2 }); // 3 or 10 x (730 x 0.214 + 50 x 0.088)
        expect(e.lines.find((l) => l.name === "db")).toMatchObject({ min: 393.32, max: 621.92 }); // 730 x 0.504 + 100 or 1000 x 0.254
        expect(e.lines.find((l) => l.name === "cache")).toMatchObject({ min: 401.21 }); // 3 x 730 x 0.1832
        expect(e.outside).toEqual({
            lines: [expect.objectContaining({ name: "kms", min: 21.9 }), expect.objectContaining({ name: "nat", min: 32.85 })],
            total: { min: 54.75, max: 54.75 },
            missingPrices: ["interfaceEndpointHour", "natGatewayHour"],
        });
        expect(e.total.min).toBe(Math.round(e.lines.reduce((s, l) => s + l.min, 0) * 100) / 100);
        expect(renderCostEstimate(e).split("\n").slice(0, 2)).toEqual([
            "Monthly cost estimate (on-demand list prices of 2026-12-02, eu-west-1): $1,474 at minimum scale, $3,084 at maximum, without the 2 line(s) below",
            "  left out, the catalog having no eu-west-1 figure for interfaceEndpointHour, natGatewayHour: VpcEndpoint x1, NatGateway x1; at us-east-1's prices $55",
        ]);
    });

    it("shows what a change adds per month, per component and type", () => {
        const after = estimateCost(plan("us-east-1", [...fixed.resources.slice(3), resource("aws:ec2/natGateway:NatGateway", "nat-2", {})]), NO_USAGE, new Date("2026-12-02"));
        expect(renderCostComparison(estimate, after).split("\n")).toEqual([
            "Cost change against the previous plan: +$33 per month (minimum / maximum scale)",
            "  data: +$33",
            "    aws:ec2/natGateway:NatGateway: +$33",
        ]);
    });
});

describe("every stack and example system", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: every registered type is priced, usage-only or free", (_, i) => {
        const types = [...new Set(records[i].resources.map((r) => r.type))];
        expect(types.filter((t) => !classify(t))).toEqual([]);
    });

    it("every catalog figure names its source", () => {
        for (const [name, price] of Object.entries(allPrices("us-east-1"))) expect(price.source.length, name).toBeGreaterThan(20);
    });

    it("prod costs $2,219-3,826 a month: nodes, the Multi-AZ database and its replica, the cache, the network and the backups", () => {
        const prod = estimateCost(records[2], DEFAULT_COST_ASSUMPTIONS.prod);
        expect(prod.unclassified).toEqual([]);
        expect([Math.round(prod.total.min), Math.round(prod.total.max)]).toEqual([2219, 3826]);
        expect(Object.keys(prod.byComponent).sort()).toEqual(["cluster", "data", "network", "observability"]);
        expect(Math.round(prod.byType["aws:eks/nodeGroup:NodeGroup"].max)).toBe(2017);
    });
});

describe("the costAssumptions key", () => {
    it("overrides the environment's defaults field by field", async () => {
        const record = await evaluateStack({ stack: "dev", overrides: { "rag-platform:costAssumptions": { natGbPerMonth: 1000 } }, program: async () => ({}) });
        const { loadStackConfig } = await import("../stacks/config");
        const config = loadStackConfig("dev", { values: record.config, secretKeys: [] }, "rag-platform");
        expect(config.costAssumptions).toEqual({ ...DEFAULT_COST_ASSUMPTIONS.dev, natGbPerMonth: 1000 });
    });

    it("costPrices: the estimate of a stack reads them, and a name the catalog has not or a negative price is refused", async () => {
        const { loadStackConfig } = await import("../stacks/config");
        const raw = (prices: unknown) => ({ values: { "aws:region": "eu-west-1", "rag-platform:environment": "dev", "rag-platform:costPrices": JSON.stringify(prices) }, secretKeys: [] });
        expect(loadStackConfig("dev", raw({ natGatewayHour: 0.048, "ec2 m6i.xlarge": 0.2 }), "rag-platform").costPrices).toEqual({ natGatewayHour: 0.048, "ec2 m6i.xlarge": 0.2 });
        expect(() => loadStackConfig("dev", raw({ natGateway: 1 }), "rag-platform")).toThrow('rag-platform:costPrices = {"natGateway":1}: not a valid costPrices (natGateway: not a figure of the price catalog); allowed: a map of catalog figures to non-negative USD: eksCluster,');
        expect(() => loadStackConfig("dev", raw({ natGatewayHour: -1 }), "rag-platform")).toThrow("not a valid costPrices (natGatewayHour: Too small");
    });

    it("refuses an unknown field or a negative figure, naming the key", async () => {
        for (const [bad, why] of [[{ natGb: 5 }, '(Unrecognized key: "natGb")'], [{ natGbPerMonth: -1 }, "(natGbPerMonth: Too small"]] as const) {
            const record = await evaluateStack({ stack: "dev", overrides: { "rag-platform:costAssumptions": bad } });
            expect(record.configError?.problems.map((p) => p.key)).toEqual(["rag-platform:costAssumptions"]);
            expect(record.configError?.message).toContain(`not a valid costAssumptions ${why}`);
            expect(record.configError?.message).toContain("allowed: a map of natGbPerMonth, logIngestGbPerMonth");
            expect(record.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
        }
    });
});
