import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { attachManagedPolicies } from "./irsa-role";
import { argsRejecter } from "./args";

export interface BackupPlanArgs {
    /** How often: `daily` at 05:00 UTC or `weekly` on Sundays. Required. */
    frequency: "daily" | "weekly";
    /** Days each recovery point (and its DR copy) is kept. Required, 1 or more. */
    retentionDays: number;
    /** Customer-managed key of the vault. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Resources to back up by ARN (RDS instances, EFS file systems). Default none. */
    resourceArns?: pulumi.Input<string>[];
    /**
     * EBS volumes carrying this tag are backed up too: the default StorageClass tags the workload's persistent
     * volumes with it. Default `{ key: "rag-platform.io/backup", value: "true" }`.
     */
    volumeTag?: { key: string; value: string };
    /** Region that receives a copy of every recovery point, with its key. Default none. */
    drRegion?: string;
    drKmsKeyArn?: pulumi.Input<string>;
    /** `protect` and retain-on-delete for the vaults (they hold the recovery points). Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

export const BACKUP_VOLUME_TAG = { key: "rag-platform.io/backup", value: "true" };
const SCHEDULES = { daily: "cron(0 5 ? * * *)", weekly: "cron(0 5 ? * SUN *)" };

/**
 * AWS Backup for the data tier: an encrypted vault, a daily or weekly plan with continuous backup for point-in-time
 * restores of RDS, a selection of the database and of tagged EBS volumes, and copies to a vault in the DR region.
 */
export class BackupPlan extends pulumi.ComponentResource {
    readonly vaultName: pulumi.Output<string>;
    readonly drVaultName?: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        const fail = argsRejecter("BackupPlan");
        if (!(args.retentionDays >= 1)) fail("retentionDays", args.retentionDays, "1 or more");
        if (args.drRegion && !args.drKmsKeyArn) fail("drKmsKeyArn", args.drKmsKeyArn, `a key in ${args.drRegion} when drRegion is set`);
        super("rag:data:BackupPlan", name, {}, opts);
        const parent = { parent: this };
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const tags = (resourceName: string) => ({ ...args.tags, Name: resourceName });
        const partition = aws.getPartitionOutput({}, parent).partition;

        const vault = new aws.backup.Vault(`${name}-vault`, { kmsKeyArn: args.kmsKeyArn, forceDestroy: !protect, tags: tags(`${name}-vault`) }, stateful);
        const drVault = args.drRegion
            ? new aws.backup.Vault(`${name}-dr-vault`, { region: args.drRegion, kmsKeyArn: args.drKmsKeyArn!, forceDestroy: !protect, tags: tags(`${name}-dr-vault`) }, stateful)
            : undefined;

        const plan = new aws.backup.Plan(`${name}-plan`, {
            rules: [{
                ruleName: `${args.frequency}-${args.retentionDays}d`,
                targetVaultName: vault.name,
                schedule: SCHEDULES[args.frequency],
                startWindow: 60,
                completionWindow: 360,
                // Continuous backup gives RDS point-in-time restores (RPO of minutes) from the vault as well.
                enableContinuousBackup: true,
                lifecycle: { deleteAfter: Math.min(args.retentionDays, 35) },
                recoveryPointTags: tags(`${name}-recovery-point`),
                copyActions: drVault ? [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: args.retentionDays } }] : undefined,
            }],
            tags: tags(`${name}-plan`),
        }, parent);

        const role = new aws.iam.Role(`${name}-backup`, {
            description: "AWS Backup of the platform's data tier",
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(`${name}-backup`),
        }, parent);
        attachManagedPolicies(`${name}-backup`, role, ["service-role/AWSBackupServiceRolePolicyForBackup", "service-role/AWSBackupServiceRolePolicyForRestores"], partition, parent);

        if (args.resourceArns?.length) {
            new aws.backup.Selection(`${name}-databases`, { planId: plan.id, iamRoleArn: role.arn, name: `${name}-databases`, resources: args.resourceArns }, parent);
        }
        const volumeTag = args.volumeTag ?? BACKUP_VOLUME_TAG;
        new aws.backup.Selection(`${name}-volumes`, {
            planId: plan.id,
            iamRoleArn: role.arn,
            name: `${name}-volumes`,
            resources: [pulumi.interpolate`arn:${partition}:ec2:*:*:volume/*`],
            conditions: [{ stringEquals: [{ key: `aws:ResourceTag/${volumeTag.key}`, value: volumeTag.value }] }],
        }, parent);

        this.vaultName = vault.name;
        this.drVaultName = drVault?.name;
        this.planId = plan.id;
        this.registerOutputs({ vaultName: this.vaultName, planId: this.planId });
    }
}
