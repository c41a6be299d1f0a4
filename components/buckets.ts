import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { argsRejecter, stripUndefined } from "./args";
import { trailBucketStatements } from "./audit";
import { EDGE_LOG_PREFIX, EDGE_REGION } from "./edge";

export interface BucketsArgs {
    /** Customer-managed key for the documents and backups buckets. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Region receiving replicas of documents and backups; none when unset. Default none. */
    drRegion?: string;
    /** Customer-managed key in `drRegion` for the replicas. Required with `drRegion`. */
    drKmsKeyArn?: pulumi.Input<string>;
    /** Days before documents move to Standard-IA, and to Glacier Flexible Retrieval. Default 30 and 90. */
    documentsWarmAfterDays?: number;
    documentsArchiveAfterDays?: number;
    /** Days a replaced or deleted object version is kept. Default 90. */
    noncurrentVersionDays?: number;
    /** Days access logs are kept. Default 365. */
    accessLogDays?: number;
    /** Let CloudTrail deliver to the logs bucket under `cloudtrail/` (Audit's trail). Default false. */
    cloudTrail?: boolean;
    /** Let CloudFront's standard logging (v2) deliver the edge's access logs to the logs bucket under `cloudfront/`. Default false. */
    edgeLogs?: boolean;
    /**
     * Documents and backups that already exist, kept in sync by another stack's replication (a standby's view of
     * its primary's replicas): only the logs bucket is made here. Default none: all three are made.
     */
    existing?: { documents: BucketRef; backups: BucketRef };
    /** `protect` and retain-on-delete for every bucket (their data survives a stack removal). Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = { documentsWarmAfterDays: 30, documentsArchiveAfterDays: 90, noncurrentVersionDays: 90, accessLogDays: 365, cloudTrail: false, edgeLogs: false, protect: false, tags: {} };

/** Prefix the workload's load balancers write access logs under in the logs bucket. */
export const LOAD_BALANCER_LOG_PREFIX = "alb";

/**
 * ELB log delivery: the region's ELB account (regions older than August 2022) or the log delivery service
 * principal (newer ones); granting both keeps the policy right in either.
 */
function loadBalancerLogStatements(bucket: aws.s3.Bucket, parent: pulumi.Resource): unknown[] {
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent });
    const resource = pulumi.interpolate`${bucket.arn}/${LOAD_BALANCER_LOG_PREFIX}/*`;
    return [
        { Sid: "LoadBalancerAccessLogs", Effect: "Allow", Principal: { AWS: elbAccount.arn }, Action: "s3:PutObject", Resource: resource },
        { Sid: "LoadBalancerLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: resource },
    ];
}

/** CloudWatch's log delivery (the edge's standard logging v2, whose sources live in us-east-1) writing under cloudfront/. */
function edgeLogStatement(bucket: aws.s3.Bucket, accountId: pulumi.Input<string>): unknown {
    return {
        Sid: "EdgeAccessLogs",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${bucket.arn}/${EDGE_LOG_PREFIX}/*`,
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${bucket.arn.apply((arn) => arn.split(":")[1])}:logs:${EDGE_REGION}:${accountId}:delivery-source:*` },
        },
    };
}

export interface BucketRef {
    /** The bucket's name, resolved once its bucket policy is in place. */
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}


/**
 * The platform's S3 buckets: documents (the RAG corpus), backups and access logs. Public access blocked, owner-
 * enforced, a bucket policy refusing plain HTTP, SSE-KMS with bucket keys (SSE-S3 for the logs bucket: S3 cannot
 * deliver access logs to an SSE-KMS bucket), versioning and lifecycle, access logging, and cross-region
 * replication of documents and backups with Replication Time Control (15 min) when a DR region is given.
 */
export class Buckets extends pulumi.ComponentResource {
    readonly documents: BucketRef;
    readonly backups: BucketRef;
    readonly logs: BucketRef;
    /** Replicas in the DR region, when there is one. */
    readonly replicas: Partial<Record<"documents" | "backups", BucketRef>>;
    /** Each replication rule by the names CloudWatch's replication metrics carry (SourceBucket, DestinationBucket, RuleId). */
    readonly replicationRules: { sourceBucket: pulumi.Output<string>; destinationBucket: pulumi.Output<string>; ruleId: string }[] = [];

    constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) } as BucketsArgs & typeof DEFAULTS;
        const fail = argsRejecter("Buckets");
        if (cfg.drRegion && !cfg.drKmsKeyArn) fail("drKmsKeyArn", cfg.drKmsKeyArn, `a key in ${cfg.drRegion} when drRegion is set`);
        if (cfg.documentsArchiveAfterDays < cfg.documentsWarmAfterDays + 30) {
            fail("documentsArchiveAfterDays", cfg.documentsArchiveAfterDays, "at least documentsWarmAfterDays + 30 (Standard-IA's minimum storage duration)");
        }
        super("rag:data:Buckets", name, {}, opts);
        const parent = { parent: this };
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

        const logs = lockedBucket(this, `${name}-logs`, "logs", {
            sse: "AES256",
            accountId,
            tags: cfg.tags,
            protect: cfg.protect,
            extraStatements: (bucket) => [
                {
                    Sid: "S3ServerAccessLogs",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${bucket.arn}/*`,
                    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                },
                ...loadBalancerLogStatements(bucket, this),
                ...(cfg.cloudTrail ? trailBucketStatements(bucket.arn, accountId) : []),
                ...(cfg.edgeLogs ? [edgeLogStatement(bucket, accountId)] : []),
            ],
        });
        new aws.s3.BucketLifecycleConfiguration(`${name}-logs`, {
            bucket: logs.bucket.id,
            rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: cfg.accessLogDays } }],
        }, parent);
        this.logs = { name: logs.readyName, arn: logs.bucket.arn };
        this.replicas = {};
        if (cfg.existing) {
            // Their lifecycle and replication belong to the stack that made them.
            this.documents = cfg.existing.documents;
            this.backups = cfg.existing.backups;
            this.registerOutputs({ documents: this.documents, backups: this.backups, logs: this.logs });
            return;
        }

        const documents = lockedBucket(this, `${name}-documents`, "documents", { sse: cfg.kmsKeyArn, versioned: true, logsTo: logs.readyName, accountId, tags: cfg.tags, protect: cfg.protect });
        new aws.s3.BucketLifecycleConfiguration(`${name}-documents`, {
            bucket: documents.bucket.id,
            rules: [
                {
                    id: "tier-documents",
                    status: "Enabled",
                    filter: {},
                    transitions: [
                        { days: cfg.documentsWarmAfterDays, storageClass: "STANDARD_IA" },
                        { days: cfg.documentsArchiveAfterDays, storageClass: "GLACIER" },
                    ],
                },
                ...this.housekeeping(cfg.noncurrentVersionDays),
            ],
        }, { parent: this, dependsOn: documents.versioning ? [documents.versioning] : [] });

        const backups = lockedBucket(this, `${name}-backups`, "backups", { sse: cfg.kmsKeyArn, versioned: true, logsTo: logs.readyName, accountId, tags: cfg.tags, protect: cfg.protect });
        new aws.s3.BucketLifecycleConfiguration(`${name}-backups`, {
            bucket: backups.bucket.id,
            rules: this.housekeeping(cfg.noncurrentVersionDays),
        }, { parent: this, dependsOn: backups.versioning ? [backups.versioning] : [] });

        const ref = (b: { bucket: aws.s3.Bucket; readyName: pulumi.Output<string> }): BucketRef => ({ name: b.readyName, arn: b.bucket.arn });
        this.documents = ref(documents);
        this.backups = ref(backups);

        if (cfg.drRegion && cfg.drKmsKeyArn) {
            const sources = { documents, backups };
            const replicas = Object.fromEntries(
                (Object.keys(sources) as ("documents" | "backups")[]).map((kind) => [
                    kind,
                    lockedBucket(this, `${name}-${kind}-replica`, kind, { sse: cfg.drKmsKeyArn!, versioned: true, region: cfg.drRegion, accountId, tags: cfg.tags, protect: cfg.protect }),
                ]),
            ) as Record<"documents" | "backups", ReturnType<typeof lockedBucket>>;
            const role = new aws.iam.Role(`${name}-replication`, {
                description: "S3 replication of documents and backups to the DR region",
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } }],
                }),
                tags: { ...cfg.tags, Name: `${name}-replication` },
            }, parent);
            new aws.iam.RolePolicy(`${name}-replication`, {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [documents.bucket.arn, backups.bucket.arn] },
                        {
                            Effect: "Allow",
                            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                            Resource: [pulumi.interpolate`${documents.bucket.arn}/*`, pulumi.interpolate`${backups.bucket.arn}/*`],
                        },
                        {
                            Effect: "Allow",
                            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                            Resource: [pulumi.interpolate`${replicas.documents.bucket.arn}/*`, pulumi.interpolate`${replicas.backups.bucket.arn}/*`],
                        },
                        { Effect: "Allow", Action: "kms:Decrypt", Resource: cfg.kmsKeyArn },
                        { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: cfg.drKmsKeyArn },
                    ],
                }),
            }, parent);
            for (const kind of ["documents", "backups"] as const) {
                new aws.s3.BucketReplicationConfig(`${name}-${kind}`, {
                    bucket: sources[kind].bucket.id,
                    role: role.arn,
                    rules: [{
                        id: `replicate-${kind}`,
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: replicas[kind].bucket.arn,
                            storageClass: "STANDARD_IA",
                            encryptionConfiguration: { replicaKmsKeyId: cfg.drKmsKeyArn },
                            // Replication Time Control: 99.99% of objects within 15 minutes, the platform's RPO.
                            replicationTime: { status: "Enabled", time: { minutes: 15 } },
                            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                        },
                    }],
                }, { parent: this, dependsOn: [sources[kind].versioning!, replicas[kind].versioning!] });
                this.replicas[kind] = ref(replicas[kind]);
                this.replicationRules.push({ sourceBucket: sources[kind].bucket.bucket, destinationBucket: replicas[kind].bucket.bucket, ruleId: `replicate-${kind}` });
            }
        }

        this.registerOutputs({ documents: this.documents, backups: this.backups, logs: this.logs });
    }

    /** Old versions and abandoned uploads are not data anyone can use; they only cost. */
    private housekeeping(noncurrentVersionDays: number) {
        return [
            { id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: noncurrentVersionDays } },
            { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ];
    }
}

export interface LockedBucketOptions {
    /** "AES256" (SSE-S3) or a KMS key ARN (SSE-KMS with a bucket key). */
    sse: pulumi.Input<string>;
    versioned?: boolean;
    /** Name of the bucket receiving this bucket's server access logs, under `<kind>/` (its `readyName`). */
    logsTo?: pulumi.Output<string>;
    /** Region other than the provider's (DR replicas). */
    region?: string;
    accountId: pulumi.Input<string>;
    /** Statements added to the bucket policy after the TLS-only deny. */
    extraStatements?: (bucket: aws.s3.Bucket) => unknown[];
    tags: Record<string, string>;
    protect: boolean;
}

/**
 * One bucket with what every platform bucket gets: public access blocked, owner enforced, default encryption,
 * optional versioning and access logging, and a policy that refuses plain HTTP. Children are parented to `parent`.
 */
export function lockedBucket(parent: pulumi.Resource, id: string, kind: string, options: LockedBucketOptions) {
    const opts = { parent };
    const regional = options.region ? { region: options.region } : {};
    const bucket = new aws.s3.Bucket(id, { ...regional, forceDestroy: !options.protect, tags: { ...options.tags, Name: id, "rag-platform.io/bucket": kind } }, { parent, protect: options.protect, retainOnDelete: options.protect });
    new aws.s3.BucketPublicAccessBlock(id, { ...regional, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts);
    new aws.s3.BucketOwnershipControls(id, { ...regional, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const kms = options.sse !== "AES256";
    new aws.s3.BucketServerSideEncryptionConfiguration(id, {
        ...regional,
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: kms ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.sse } : { sseAlgorithm: "AES256" },
            bucketKeyEnabled: kms,
        }],
    }, opts);
    const versioning = options.versioned
        ? new aws.s3.BucketVersioning(id, { ...regional, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts)
        : undefined;
    if (options.logsTo) {
        new aws.s3.BucketLogging(id, { bucket: bucket.id, targetBucket: options.logsTo, targetPrefix: `${kind}/` }, opts);
    }
    const statements: unknown[] = [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(options.extraStatements?.(bucket) ?? []),
    ];
    const policy = new aws.s3.BucketPolicy(id, { ...regional, bucket: bucket.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) }, opts);
    // Services that deliver into a bucket (CloudTrail, S3 access logging, ELB) check its policy when they are set
    // up: whatever takes this name waits for the policy, not only for the bucket.
    const readyName = pulumi.all([bucket.bucket, policy.id]).apply(([name]) => name);
    return { bucket, versioning, readyName };
}
