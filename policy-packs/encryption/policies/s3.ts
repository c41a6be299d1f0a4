/** S3: SSE-KMS by default on every bucket, and a bucket policy that refuses requests without TLS. */
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, type Props } from "../../lib/policy";

/** `Bucket` in provider v7; `BucketV2` is its deprecated alias that older programs still register. */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const ENCRYPTION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
/** The principal ELB delivers access logs as (newer regions; older ones use a regional account, named beside it here). */
const ELB_LOG_DELIVERY = /logdelivery\.elasticloadbalancing\.amazonaws\.com/;

export const s3SseKms = stackPolicy(
    {
        name: "s3-sse-kms",
        description: "Every S3 bucket encrypts new objects with SSE-KMS (customer-managed key, bucket keys on); a bucket that receives S3 server access logs or load balancer access logs uses SSE-S3, the only encryption either delivers to.",
        severity: "critical",
        remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm \"aws:kms\", kmsMasterKeyId set to a customer-managed key, and bucketKeyEnabled: true (bucket keys cut KMS request cost by orders of magnitude).",
    },
    (stack, report) => {
        // Neither S3 server access logging nor ELB access logging writes into an SSE-KMS bucket: their targets (named
        // by a logging configuration, or admitting the ELB log delivery in their policy) are held to SSE-S3 instead.
        const logTargets = new Set([
            ...stack.ofType(...LOGGING_TYPES).flatMap((l) => stack.referenced(l, "targetBucket", ...BUCKET_TYPES)),
            ...stack.ofType(...BUCKET_TYPES).filter((b) => stack.referencing(b, "bucket", BUCKET_POLICY).some((p) => ELB_LOG_DELIVERY.test(JSON.stringify(p.props.policy ?? "")))),
        ].map((b) => b.urn));
        for (const bucket of stack.ofType(...BUCKET_TYPES)) {
            const separate = stack.referencing(bucket, "bucket", ...ENCRYPTION_TYPES).flatMap((c) => asArray(c.props.rules ?? c.props.rule));
            const inline = asArray(bucket.props.serverSideEncryptionConfiguration?.rule ?? bucket.props.serverSideEncryptionConfiguration?.rules);
            // The separate resource wins when both exist: it is what the provider applies last.
            const rules = separate.length ? separate : inline;
            const problem = logTargets.has(bucket.urn) ? logTargetProblem(rules) : encryptionProblem(rules);
            if (problem) report(bucket, problem);
        }
    },
);

function encryptionProblem(rules: Props[]): string | undefined {
    if (rules.length === 0) return "no server-side encryption configuration: objects get SSE-S3 (AES256) with an AWS-owned key";
    const rule = rules[0];
    const byDefault = rule.applyServerSideEncryptionByDefault ?? {};
    if (!KMS_ALGORITHMS.includes(byDefault.sseAlgorithm)) return `sseAlgorithm is ${JSON.stringify(byDefault.sseAlgorithm)}, not aws:kms`;
    if (!byDefault.kmsMasterKeyId) return "SSE-KMS uses the AWS-managed aws/s3 key; set kmsMasterKeyId to a customer-managed key";
    if (rule.bucketKeyEnabled !== true) return "bucketKeyEnabled is not true: every object operation calls KMS";
    return undefined;
}

function logTargetProblem(rules: Props[]): string | undefined {
    const algorithm = rules[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm;
    return algorithm === "AES256" ? undefined : `receives access logs, which S3 and ELB deliver only to SSE-S3 (AES256) buckets; found ${JSON.stringify(algorithm ?? "no encryption configuration")}`;
}

export const s3TlsOnly = stackPolicy(
    {
        name: "s3-tls-only",
        description: "Every S3 bucket has a bucket policy that denies requests not made over TLS.",
        severity: "high",
        remediationSteps: "Attach an aws.s3.BucketPolicy with a Deny statement for Principal \"*\", Action \"s3:*\", on the bucket and its objects, with Condition { Bool: { \"aws:SecureTransport\": \"false\" } }.",
    },
    (stack, report) => {
        for (const bucket of stack.ofType(...BUCKET_TYPES)) {
            const policies = stack.referencing(bucket, "bucket", BUCKET_POLICY);
            if (!policies.some((p) => deniesInsecureTransport(p))) {
                report(bucket, policies.length ? "the bucket policy has no Deny statement for aws:SecureTransport = false" : "no bucket policy: requests over plain HTTP are accepted");
            }
        }
    },
);

function deniesInsecureTransport(policy: PolicyResource): boolean {
    let document: Props;
    try {
        document = typeof policy.props.policy === "string" ? JSON.parse(policy.props.policy) : policy.props.policy;
    } catch {
        return false;
    }
    return asArray(document?.Statement).some((s) => {
        const actions = asArray(s.Action).map(String);
        const everyone = s.Principal === "*" || asArray<string>(s.Principal?.AWS).includes("*");
        const insecure = asArray(s.Condition?.Bool?.["aws:SecureTransport"]).map((v) => String(v).toLowerCase());
        return s.Effect === "Deny" && everyone && actions.some((a) => a === "s3:*" || a === "*") && insecure.includes("false");
    });
}

function asArray<T = Props>(value: unknown): T[] {
    if (value === undefined || value === null) return [];
    return (Array.isArray(value) ? value : [value]) as T[];
}
