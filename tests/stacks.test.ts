import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { DEFAULT_SERVICES } from "../model/services";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { readStackConfig } from "../offline/stack-files";
import { scaledProdConfig } from "../scripts/bench-stack";
import { loadStackConfig } from "../stacks/config";
import { networkLayout, ofType, registered } from "../offline/inspect";
import { only } from "./helpers";
import { stackPlans } from "./plans";

describe("the three stack files, each evaluated whole", async () => {
    const [dev, staging, prod] = await stackPlans();

    describe.each([
        ["dev", dev],
        ["staging", staging],
        ["prod", prod],
    ])("every stack: %s", (stack, record) => {
        it("is accepted and exports the network", () => {
            expect(record.configError).toBeUndefined();
            expect(record.outputs).toMatchObject({ environment: stack, region: "us-east-1", clusterName: `rag-${stack}` });
            expect(record.outputs.privateSubnetIds).toHaveLength((record.outputs.availabilityZones as string[]).length);
        });

        it("creates every AWS resource through the tagged stack provider", () => {
            const provider = only(record, "pulumi:providers:aws");
            // Provider inputs reach the engine JSON-encoded, as the Pulumi CLI hands them to the plugin.
            expect(JSON.parse(String(provider.inputs.defaultTags))).toEqual({
                tags: { project: "rag-platform", stack, environment: stack, owner: "platform-team", "cost-center": "rag-platform", "managed-by": "pulumi" },
            });
            const providerRef = `${provider.urn}::${provider.id}`;
            for (const r of registered(record).filter((r) => r.custom && r.type.startsWith("aws:"))) expect(r.provider, r.urn).toBe(providerRef);
        });

        it("chooses what EKS does at the end of standard support: dev takes its upgrade, staging and prod pay for extended support", () => {
            expect(only(record, "eks:index:Cluster").inputs.upgradePolicy).toEqual({ supportType: stack === "dev" ? "STANDARD" : "EXTENDED" });
        });

        it("keeps the database tier without a route out and flow logs encrypted", () => {
            const layout = networkLayout(record);
            expect(layout.internetRoutes.map((r) => r.tier)).toEqual(["public", "private"]);
            expect(layout.flowLogs.every((f) => f.encrypted && f.trafficType === "ALL")).toBe(true);
        });
    });

    describe("dev: cheapest that still exercises everything", () => {
        const layout = networkLayout(dev);
        it("spans two AZs with one shared NAT gateway", () => {
            expect([...new Set(layout.subnets.map((s) => s.az))]).toEqual(["us-east-1a", "us-east-1b"]);
            expect(layout.natGateways.map((n) => n.az)).toEqual(["us-east-1a"]);
            expect(layout.privateEgress).toEqual([{ az: "us-east-1a", natAz: "us-east-1a" }, { az: "us-east-1b", natAz: "us-east-1a" }]);
        });
        it("pays only for the ECR and STS interface endpoints and keeps flow logs a week", () => {
            expect(layout.endpoints.map((e) => e.service)).toEqual(["s3", "ecr.api", "ecr.dkr", "sts"]);
            expect(layout.flowLogs[0].retentionInDays).toBe(7);
        });
        it("protects nothing, so the stack can be torn down", () => {
            expect(registered(dev).filter((r) => r.protect)).toEqual([]);
            expect(ofType(dev, "aws:kms/key:Key").map((k) => k.inputs.deletionWindowInDays)).toEqual([7, 7, 7, 7, 7]);
        });
    });

    describe("staging: prod's topology at smaller sizes", () => {
        it("spans three AZs with a NAT gateway in each", () => {
            const layout = networkLayout(staging);
            expect(layout.natGateways).toHaveLength(3);
            expect(layout.privateEgress.every((e) => e.az === e.natAz)).toBe(true);
            expect(registered(staging).filter((r) => r.protect)).toEqual([]);
        });
    });

    describe("prod: 3 AZs everywhere, nothing that holds data can be lost", () => {
        const layout = networkLayout(prod);
        it("uses the three pinned AZs for every tier", () => {
            for (const tier of ["public", "private", "database"]) {
                expect(layout.subnets.filter((s) => s.tier === tier).map((s) => s.az)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
            }
        });
        it("routes each private subnet through the NAT gateway of its own AZ", () => {
            expect(layout.natGateways.map((n) => n.az)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
            expect(layout.privateEgress).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"].map((az) => ({ az, natAz: az })));
            expect(prod.outputs.natGatewayPublicIps).toHaveLength(3);
        });
        it("protects and retains everything that holds data, protects the cluster, with 30-day key windows", () => {
            const stateful = registered(prod).filter((r) => r.protect);
            expect(stateful.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
                "aws:backup/vault:Vault data-backup-dr-vault",
                "aws:backup/vault:Vault data-backup-vault",
                "aws:cloudwatch/logGroup:LogGroup cluster-control-plane",
                "aws:cloudwatch/logGroup:LogGroup data-postgres-logs-rag-prod-postgres",
                "aws:cloudwatch/logGroup:LogGroup data-postgres-logs-rag-prod-postgres-replica-1",
                "aws:cloudwatch/logGroup:LogGroup data-postgres-logs-rag-prod-postgres-replica-1-upgrade",
                "aws:cloudwatch/logGroup:LogGroup data-postgres-logs-rag-prod-postgres-upgrade",
                "aws:cloudwatch/logGroup:LogGroup network-flow-logs",
                "aws:elasticache/replicationGroup:ReplicationGroup data-cache-group",
                "aws:kms/key:Key cluster-secrets",
                "aws:kms/key:Key cluster-volumes",
                "aws:kms/key:Key data-dr-key",
                "aws:kms/key:Key data-key",
                "aws:kms/key:Key network-flow-logs",
                "aws:kms/key:Key observability-key",
                "aws:rds/instance:Instance data-postgres-replica-1",
                "aws:rds/instance:Instance data-postgres-writer",
                "aws:s3/bucket:Bucket data-buckets-backups",
                "aws:s3/bucket:Bucket data-buckets-backups-replica",
                "aws:s3/bucket:Bucket data-buckets-documents",
                "aws:s3/bucket:Bucket data-buckets-documents-replica",
                "aws:s3/bucket:Bucket data-buckets-logs",
                "aws:s3/bucket:Bucket observability-loki",
                "aws:s3/bucket:Bucket observability-telemetry",
                "aws:secretsmanager/secret:Secret data-api-keys",
                "aws:secretsmanager/secret:Secret data-cache-auth-token",
                "aws:secretsmanager/secret:Secret data-database-url",
                "aws:secretsmanager/secret:Secret data-postgres-app",
                "aws:secretsmanager/secret:Secret data-postgres-master",
                "aws:secretsmanager/secret:Secret data-redis-url",
                "aws:secretsmanager/secret:Secret observability-alert-receivers",
                "eks:index:Cluster cluster-eks",
                // Deleting either namespace would delete its volume claims.
                "kubernetes:core/v1:Namespace observability-namespace",
                "kubernetes:core/v1:Namespace workload-namespace",
                // A replaced password would leave the rotated secret holding another.
                "random:index/randomPassword:RandomPassword data-postgres-app-password",
                "random:index/randomPassword:RandomPassword data-postgres-master-password",
            ]);
            // The cluster and the password are protected but not retained: removing either from the program must
            // fail, not orphan it (an orphaned password is only a value in state).
            expect(stateful.filter((r) => !r.retainOnDelete).map((r) => r.type).sort()).toEqual(["eks:index:Cluster", "random:index/randomPassword:RandomPassword", "random:index/randomPassword:RandomPassword"]);
            expect(ofType(prod, "aws:kms/key:Key").map((k) => k.inputs.deletionWindowInDays)).toEqual([30, 30, 30, 30, 30, 30]);
            expect(layout.flowLogs[0].retentionInDays).toBe(90);
            // Deleted secrets wait out the longest recovery window.
            expect(ofType(prod, "aws:secretsmanager/secret:Secret").map((s) => s.inputs.recoveryWindowInDays)).toEqual(Array(8).fill(30));
        });
        it("reaches the AWS APIs nodes need through interface endpoints", () => {
            expect(layout.endpoints.filter((e) => e.type === "Interface").map((e) => e.service)).toEqual(
                ["ec2", "ecr.api", "ecr.dkr", "elasticloadbalancing", "kms", "logs", "secretsmanager", "sts"],
            );
        });
        it("makes the NAT gateways wait for the internet gateway", () => {
            const igw = only(prod, "aws:ec2/internetGateway:InternetGateway");
            for (const nat of ofType(prod, "aws:ec2/natGateway:NatGateway")) expect(nat.dependencies).toContain(igw.urn);
        });
    });

    describe("a rejected stack registers nothing", () => {
        it("stops at validation with every problem named", async () => {
            const record = await evaluateStack({ stack: "prod", overrides: { "rag-platform:natGateways": "single", "rag-platform:vpcCidr": "10.0.0.0/8" } });
            expect(registered(record)).toEqual([]);
            expect(record.configError?.problems.map((p) => p.key)).toEqual(["rag-platform:natGateways", "rag-platform:vpcCidr"]);
        });
        it("checks the AZs against what the account has before registering", async () => {
            const record = await evaluateStack({ stack: "prod", overrides: { "aws:region": "eu-west-1", "rag-platform:availabilityZones": ["eu-west-1a", "eu-west-1b", "eu-west-1c"], "rag-platform:azCount": 4, "rag-platform:nodeMinSize": 4, "rag-platform:nodeDesiredSize": 4 } });
            expect(registered(record)).toEqual([]);
            expect(record.configError?.message).toContain('rag-platform:azCount = 4: disagrees with the 3 availabilityZones listed');
        });
    });
});

describe("the bench's large stack (npm run bench)", () => {
    it("is a prod stack the config accepts, with five times the default services", () => {
        const file = join(mkdtempSync(join(tmpdir(), "rag-bench-")), "Pulumi.prod-scaled.yaml");
        writeFileSync(file, stringify({ config: scaledProdConfig(5) }));
        const config = loadStackConfig("prod", readStackConfig(PROJECT_DIR, "prod", { file }));
        expect(config.services).toHaveLength(5 * DEFAULT_SERVICES.length);
        expect(config.capacity.ok).toBe(true);
    });
});
