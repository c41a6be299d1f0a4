/**
 * AWS input constraints (offline/fidelity/aws-inputs.ts): every stack and example system plans with no finding,
 * and inputs `pulumi preview` or AWS would refuse are refused, each shown on a real resource of a real plan with
 * one input changed, the way a real edit would break it. Values unknown at plan time are never judged.
 */
import { describe, expect, it } from "vitest";
import { checkAwsInputConstraints, loadAwsInputFacts } from "../offline/fidelity/aws-inputs";
import type { RecordedResource } from "../offline/mocks";
import type { PlanRecord } from "../offline/evaluate";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";
import { withChanged } from "./helpers";

const messages = (resources: RecordedResource[]) => checkAwsInputConstraints(resources).findings.map((f) => `${f.resource}: ${f.message}`);

describe("every stack and example system passes the AWS input constraints", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: no finding", (_, i) => {
        const result = checkAwsInputConstraints(records[i].resources);
        expect(result.findings).toEqual([]);
        // It really looked: thousands of constraints over a whole platform.
        expect(result.rules).toBeGreaterThan(1500);
    });

    it("has facts for every aws: type the plans register (an entry, possibly without constraints, with its reason)", () => {
        const { types } = loadAwsInputFacts();
        const registered = [...new Set(records.flatMap((r) => r.resources.filter((x) => x.custom && x.type.startsWith("aws:")).map((x) => x.type)))].sort();
        expect(registered.length).toBeGreaterThan(50);
        expect(registered.filter((t) => !types[t])).toEqual([]);
        for (const t of registered) {
            const entry = types[t] as unknown as Record<string, unknown>;
            const constrained = Object.keys(entry.inputs as object).length > 0 || entry.required || entry.combinations || entry.aws;
            expect(constrained || typeof entry.note === "string", t).toBeTruthy();
        }
    });
});

describe("refuses what pulumi preview or AWS would refuse", async () => {
    const prod = await planOf("prod");
    const LB_443 = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "network-lb-in-443"] as const;
    const LOGS_LIFECYCLE = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-buckets-logs"] as const;

    it("a security group rule whose fromPort exceeds its toPort (AWS: InvalidParameterValue)", () => {
        const broken = withChanged(prod, ...LB_443, (inputs) => (inputs.toPort = 80));
        expect(messages(broken)).toEqual([expect.stringMatching(/^aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule "network-lb-in-443": fromPort 443 exceeds toPort 80: AWS refuses the rule \(InvalidParameterValue\): /)]);
    });

    it("a tcp rule without its ports, and all ICMP types with one code", () => {
        const noPorts = withChanged(prod, ...LB_443, (inputs) => delete inputs.toPort);
        expect(messages(noPorts)).toEqual([expect.stringContaining("toPort is not set on a tcp rule")]);
        const icmp = withChanged(prod, ...LB_443, (inputs) => Object.assign(inputs, { ipProtocol: "icmp", fromPort: -1, toPort: 0 }));
        expect(messages(icmp)).toEqual([expect.stringContaining("toPort 0 with fromPort -1 (all ICMP types)")]);
    });

    it("an S3 lifecycle expiration of 0 days, and a transition to STANDARD_IA before 30 days", () => {
        const zero = withChanged(prod, ...LOGS_LIFECYCLE, (inputs) => (inputs.rules[0].expiration.days = 0));
        expect(messages(zero)).toEqual([expect.stringMatching(/"data-buckets-logs": rules\[0\]\.expiration\.days 0 is refused: expiration days is a non-zero positive integer/)]);
        const early = withChanged(prod, LOGS_LIFECYCLE[0], "data-buckets-documents", (inputs) => (inputs.rules[0].transitions[0].days = 7));
        expect(messages(early)).toEqual([expect.stringContaining("rules[0].transitions[0].days 7 is refused for STANDARD_IA (at least 30 days)")]);
    });

    it("a value outside an enum: a lifecycle rule status, a log retention CloudWatch does not offer", () => {
        const status = withChanged(prod, ...LOGS_LIFECYCLE, (inputs) => (inputs.rules[0].status = "enabled"));
        expect(messages(status)).toEqual([expect.stringContaining('rules[0].status "enabled" is refused: allowed: one of "Disabled", "Enabled"')]);
        const retention = withChanged(prod, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs", (inputs) => (inputs.retentionInDays = 45));
        expect(messages(retention)).toEqual([expect.stringMatching(/network-flow-logs": retentionInDays 45 is refused: allowed: one of 0, 1, 3, 5, 7, 14, 30, 60, 90, .*3653 \(aws_cloudwatch_log_group, provider v6\.58\.0\)$/)]);
    });

    it("a length and a pattern: a KMS key description over 8192 characters, a final snapshot name with two hyphens in a row", () => {
        const long = withChanged(prod, "aws:kms/key:Key", "data-key", (inputs) => (inputs.description = "x".repeat(8193)));
        expect(messages(long)).toEqual([expect.stringContaining("description \"xxx")]);
        expect(messages(long)[0]).toContain("length 8193, allowed: 0 to 8192 characters");
        const pattern = withChanged(prod, "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => (inputs.finalSnapshotIdentifier = "rag-prod--final"));
        expect(messages(pattern)).toEqual([expect.stringContaining('finalSnapshotIdentifier "rag-prod--final" is refused: it cannot contain two consecutive hyphens')]);
    });

    it("provider checks with a fixed form: an ARN without its account, an RDS backup window out of format, a subnet CIDR with host bits", () => {
        const arn = withChanged(prod, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cluster-nodes-AmazonEKSWorkerNodePolicy", (inputs) => (inputs.policyArn = "arn:aws:iam:policy/AmazonEKSWorkerNodePolicy"));
        expect(messages(arn)).toEqual([expect.stringContaining('policyArn "arn:aws:iam:policy/AmazonEKSWorkerNodePolicy" is refused: it is not an ARN (not enough sections)')]);
        const window = withChanged(prod, "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => (inputs.backupWindow = "3:00-4:00"));
        expect(messages(window)).toEqual([expect.stringContaining('backupWindow "3:00-4:00" is refused: it must satisfy the format of "hh24:mi-hh24:mi"')]);
        const subnet = prod.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && typeof r.inputs.cidrBlock === "string")!;
        const cidr = withChanged(prod, subnet.type, subnet.name, (inputs) => (inputs.cidrBlock = String(inputs.cidrBlock).replace(/\.0\//, ".1/")));
        expect(messages(cidr)).toEqual([expect.stringMatching(/cidrBlock "[\d.]+\.1\/\d+" is refused: it is not a network address: did you mean [\d.]+\.0\/\d+\?/)]);
    });

    it("a range: a KMS deletion window of 5 days, a backup retention of 36 days", () => {
        const window = withChanged(prod, "aws:kms/key:Key", "data-key", (inputs) => (inputs.deletionWindowInDays = 5));
        expect(messages(window)).toEqual([expect.stringContaining("deletionWindowInDays 5 is refused: allowed: 7 to 30")]);
        const retention = withChanged(prod, "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => (inputs.backupRetentionPeriod = 36));
        expect(messages(retention)).toEqual([expect.stringContaining("backupRetentionPeriod 36 is refused: allowed: 0 to 35")]);
    });

    it("a backup window RDS refuses: overlapping the maintenance window (across midnight too), or under 30 minutes", () => {
        const writer = (change: (inputs: Record<string, any>) => void) => messages(withChanged(prod, "aws:rds/instance:Instance", "data-postgres-writer", change));
        // prod: backups 03:00-04:00 daily, maintenance sun:04:30-sun:05:30.
        expect(writer((inputs) => (inputs.backupWindow = "04:00-05:00"))).toEqual([expect.stringContaining('backupWindow "04:00-05:00" overlaps maintenanceWindow "sun:04:30-sun:05:30"')]);
        expect(writer((inputs) => (inputs.maintenanceWindow = "sat:23:45-sun:03:15"))).toEqual([expect.stringContaining('backupWindow "03:00-04:00" overlaps maintenanceWindow')]);
        expect(writer((inputs) => (inputs.backupWindow = "03:00-03:20"))).toEqual([expect.stringContaining('backupWindow "03:00-03:20" lasts 20 minutes')]);
        expect(writer((inputs) => (inputs.backupWindow = "23:40-00:20"))).toEqual([]);
    });

    it("a ConflictsWith pair: numCacheClusters on a cache group sized by node groups", () => {
        const broken = withChanged(prod, "aws:elasticache/replicationGroup:ReplicationGroup", "data-cache-group", (inputs) => (inputs.numCacheClusters = 3));
        const found = messages(broken);
        expect(found).toContainEqual(expect.stringContaining('"data-cache-group": numCacheClusters conflicts with numNodeGroups: set only one of them (Terraform ConflictsWith)'));
        expect(found.every((m) => m.includes("conflicts with"))).toBe(true);
    });

    it("a required attribute missing: a lifecycle rule without its status", () => {
        const broken = withChanged(prod, ...LOGS_LIFECYCLE, (inputs) => delete inputs.rules[0].status);
        expect(messages(broken)).toEqual([expect.stringContaining("rules[0].status is required and not set")]);
    });

    it("never judges a value unknown at plan time: the SDK's unknown, or another resource's output", () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        expect(messages(withChanged(prod, "aws:kms/key:Key", "data-key", (inputs) => (inputs.deletionWindowInDays = UNKNOWN)))).toEqual([]);
        // A bucket name longer than S3 allows, refused as written by the program...
        const name = `rag-${"x".repeat(70)}`;
        const written = withChanged(prod, ...LOGS_LIFECYCLE, (inputs) => (inputs.bucket = name));
        expect(messages(written)).toEqual([expect.stringContaining("bucket")]);
        // ...but not when it is the bucket resource's output (unknown until the bucket exists; offline a stand-in).
        const fromOutput = withChanged({ ...prod, resources: written } as PlanRecord, "aws:s3/bucket:Bucket", "data-buckets-logs", (_inputs, bucket) => (bucket.state.bucket = name));
        expect(messages(fromOutput)).toEqual([]);
    });
});
