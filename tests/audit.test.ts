/** The Audit component in each stack: the trail with its bucket and key permissions, the detectors, and the move from Observability. */
import { describe, expect, it } from "vitest";
import { Audit } from "../components/audit";
import { evaluateStack } from "../offline/evaluate";
import { ofType } from "../offline/inspect";
import { named, only, rejectionOf } from "./helpers";
import { stackPlans } from "./plans";

const AUDIT_TYPES = ["aws:cloudtrail/trail:Trail", "aws:guardduty/detector:Detector", "aws:guardduty/detectorFeature:DetectorFeature", "aws:securityhub/account:Account", "aws:securityhub/standardsSubscription:StandardsSubscription"];

describe("audit in each stack", async () => {
    const [dev, staging, prod] = await stackPlans();

    it("records API calls with CloudTrail in staging and prod, and enables GuardDuty and Security Hub in prod", () => {
        expect([dev, staging, prod].map((r) => ofType(r, "aws:cloudtrail/trail:Trail").length)).toEqual([0, 1, 1]);
        const trail = only(prod, "aws:cloudtrail/trail:Trail");
        expect(trail.inputs).toMatchObject({ s3BucketName: named(prod, "aws:s3/bucket:Bucket", "data-buckets-logs").state.bucket, s3KeyPrefix: "cloudtrail", isMultiRegionTrail: true, enableLogFileValidation: true });
        const logsPolicy = JSON.parse(String(ofType(prod, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "data-buckets-logs")!.inputs.policy));
        expect(logsPolicy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport", "S3ServerAccessLogs", "LoadBalancerAccessLogs", "LoadBalancerLogDelivery", "CloudTrailAclCheck", "CloudTrailWrite"]);
        // CloudTrail checks the bucket policy when the trail is created (InsufficientS3BucketPolicyException).
        const logsBucketPolicy = ofType(prod, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "data-buckets-logs")!;
        expect(trail.propertyDependencies.s3BucketName).toContain(logsBucketPolicy.urn);
        for (const logging of ofType(prod, "aws:s3/bucketLogging:BucketLogging")) expect(logging.propertyDependencies.targetBucket, logging.name).toContain(logsBucketPolicy.urn);
        // CloudTrail's DescribeKey carries no encryption context, so it must not sit under that condition.
        const key = JSON.parse(String(named(prod, "aws:kms/key:Key", "observability-key").inputs.policy));
        const trailStatements = key.Statement.filter((s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudtrail.amazonaws.com");
        expect(trailStatements).toEqual([
            expect.objectContaining({ Action: "kms:GenerateDataKey*", Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*" } } }),
            { Sid: "CloudTrailDescribesKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*" },
        ]);
        expect([dev, staging, prod].map((r) => [ofType(r, "aws:guardduty/detector:Detector").length, ofType(r, "aws:securityhub/account:Account").length])).toEqual([[0, 0], [0, 0], [1, 1]]);
    });

    it("leaves GuardDuty and Security Hub to the organization when the stack says so (a second detector or hub fails to create)", async () => {
        const orgManaged = await evaluateStack({ stack: "prod", overrides: { "rag-platform:guardDuty": "false", "rag-platform:securityHub": "false" } });
        expect(orgManaged.configError).toBeUndefined();
        for (const type of ["aws:guardduty/detector:Detector", "aws:guardduty/detectorFeature:DetectorFeature", "aws:securityhub/account:Account", "aws:securityhub/standardsSubscription:StandardsSubscription"]) {
            expect(ofType(orgManaged, type), type).toEqual([]);
        }
    });

    it("keeps stacks made before Audit existed: each resource names its URN under Observability as an alias", () => {
        const audit = only(prod, "rag:audit:Audit");
        const children = prod.resources.filter((r) => r.parent === audit.urn);
        expect(children.map((r) => r.type).sort()).toEqual([...AUDIT_TYPES, ...Array(3).fill("aws:guardduty/detectorFeature:DetectorFeature")].sort());
        // The URNs the previous version registered (recorded from its plan), which the engine matches state by.
        const former = (type: string, name: string) => `urn:pulumi:prod::rag-platform::rag:observability:Observability$${type}::${name}`;
        expect(named(prod, "aws:cloudtrail/trail:Trail", "audit-trail").aliases).toEqual([former("aws:cloudtrail/trail:Trail", "observability-audit")]);
        expect(named(prod, "aws:guardduty/detector:Detector", "audit-guardduty").aliases).toEqual([former("aws:guardduty/detector:Detector", "observability-guardduty")]);
        expect(named(prod, "aws:guardduty/detectorFeature:DetectorFeature", "audit-guardduty-eks-audit-logs").aliases)
            .toEqual([former("aws:guardduty/detectorFeature:DetectorFeature", "observability-guardduty-eks-audit-logs")]);
        expect(named(prod, "aws:securityhub/account:Account", "audit-securityhub").aliases).toEqual([former("aws:securityhub/account:Account", "observability-securityhub")]);
        expect(named(prod, "aws:securityhub/standardsSubscription:StandardsSubscription", "audit-fsbp").aliases)
            .toEqual([former("aws:securityhub/standardsSubscription:StandardsSubscription", "observability-fsbp")]);
        // Nothing of the audit is left under Observability.
        const observability = only(prod, "rag:observability:Observability");
        expect(prod.resources.filter((r) => r.parent === observability.urn && AUDIT_TYPES.includes(r.type))).toEqual([]);
        expect(ofType(dev, "rag:audit:Audit")).toEqual([]);
        expect(only(staging, "rag:audit:Audit")).toBeDefined();
    });

    it("refuses a trail without a key before registering anything", async () => {
        const rejection = await rejectionOf(() => new Audit("audit", { clusterName: "c", trailBucketName: "logs" }));
        expect(rejection.message).toBe('Audit: trailKmsKeyArn = undefined is not allowed; allowed: a key ARN whenever trailBucketName is set');
        expect(rejection.registered).toEqual([]);
    });
});
