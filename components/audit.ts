import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { argsRejecter, stripUndefined } from "./args";
import { awsEnvironment, type AwsEnvironment } from "./iam-documents";

export interface AuditArgs {
    /** The cluster the audit resources belong to (their `Name` tags). Required. */
    clusterName: string;
    /**
     * Bucket a multi-region CloudTrail trail delivers to under `cloudtrail/`. Its policy must hold
     * `trailBucketStatements` (Buckets does with `cloudTrail: true`). Default none: no trail.
     */
    trailBucketName?: pulumi.Input<string>;
    /** Key the trail encrypts with; its policy must hold `trailKeyStatements`. Required with `trailBucketName`. */
    trailKmsKeyArn?: pulumi.Input<string>;
    /** A GuardDuty detector with EKS audit, S3, RDS login and EBS malware protection. Default false (organizations often run it centrally). */
    guardDuty?: boolean;
    /** Security Hub with AWS Foundational Security Best Practices. Default false (likewise). */
    securityHub?: boolean;
    /**
     * The component and name prefix these resources were registered under before Audit existed (Observability,
     * `observability`). Aliases let stacks created then keep their trail and detectors instead of replacing them.
     * Default none.
     */
    movedFrom?: { parent: pulumi.Resource; name: string };
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

/** Prefix the trail writes under in its bucket. */
export const CLOUDTRAIL_PREFIX = "cloudtrail";
/** GuardDuty protections turned on with the detector. */
export const GUARDDUTY_FEATURES = ["EKS_AUDIT_LOGS", "S3_DATA_EVENTS", "RDS_LOGIN_EVENTS", "EBS_MALWARE_PROTECTION"] as const;

/** What the trail's bucket policy must admit: CloudTrail checks the ACL, then writes for this account's trails only. */
export function trailBucketStatements(bucketArn: pulumi.Input<string>, accountId: pulumi.Input<string>): unknown[] {
    const ownTrails = { StringEquals: { "aws:SourceAccount": accountId } };
    return [
        { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucketArn, Condition: ownTrails },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/${CLOUDTRAIL_PREFIX}/AWSLogs/${accountId}/*`,
            Condition: ownTrails,
        },
    ];
}

/** What the trail's key policy must admit: data keys for this account's trails, and DescribeKey. */
export function trailKeyStatements(env: AwsEnvironment): Record<string, unknown>[] {
    return [
        {
            Sid: "CloudTrailEncrypts",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${env.partition}:cloudtrail:*:${env.accountId}:trail/*` } },
        },
        // DescribeKey carries no encryption context: under the condition above CloudTrail could never call it.
        { Sid: "CloudTrailDescribesKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*" },
    ];
}

/**
 * The account's audit and threat detection: a multi-region CloudTrail trail with log file validation, encrypted
 * with a customer-managed key; optionally a GuardDuty detector and Security Hub. The trail's bucket and key
 * permissions are the two statement sets above, which the bucket's and key's owners include.
 */
export class Audit extends pulumi.ComponentResource {
    /** The trail's ARN, when there is one. */
    readonly trailArn?: pulumi.Output<string>;
    readonly guardDutyDetectorId?: pulumi.Output<string>;

    constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { guardDuty: false, securityHub: false, tags: {}, ...stripUndefined(args) };
        if (cfg.trailBucketName && !cfg.trailKmsKeyArn) argsRejecter("Audit")("trailKmsKeyArn", cfg.trailKmsKeyArn, "a key ARN whenever trailBucketName is set");
        super("rag:audit:Audit", name, {}, opts);
        const tags = (resourceName: string) => ({ ...cfg.tags, Name: resourceName });
        // Each child under its own name here, known to the engine also by its name under the former parent.
        const options = (former: string, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
            parent: this,
            ...extra,
            ...(cfg.movedFrom ? { aliases: [{ name: `${cfg.movedFrom.name}-${former}`, parent: cfg.movedFrom.parent }] } : {}),
        });

        if (cfg.trailBucketName) {
            this.trailArn = new aws.cloudtrail.Trail(`${name}-trail`, {
                s3BucketName: cfg.trailBucketName,
                s3KeyPrefix: CLOUDTRAIL_PREFIX,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                kmsKeyId: cfg.trailKmsKeyArn,
                tags: tags(`${cfg.clusterName}-audit`),
            }, options("audit")).arn;
        }
        if (cfg.guardDuty) {
            const detector = new aws.guardduty.Detector(`${name}-guardduty`, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: tags("guardduty") }, options("guardduty"));
            for (const feature of GUARDDUTY_FEATURES) {
                const suffix = `guardduty-${feature.toLowerCase().replace(/_/g, "-")}`;
                new aws.guardduty.DetectorFeature(`${name}-${suffix}`, { detectorId: detector.id, name: feature, status: "ENABLED" }, options(suffix));
            }
            this.guardDutyDetectorId = detector.id;
        }
        if (cfg.securityHub) {
            const env = awsEnvironment(this);
            const hub = new aws.securityhub.Account(`${name}-securityhub`, { enableDefaultStandards: false }, options("securityhub"));
            new aws.securityhub.StandardsSubscription(`${name}-fsbp`, {
                standardsArn: pulumi.interpolate`arn:${env.partition}:securityhub:${env.region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
            }, options("fsbp", { dependsOn: [hub] }));
        }
        this.registerOutputs({ trailArn: this.trailArn, guardDutyDetectorId: this.guardDutyDetectorId });
    }
}
