/**
 * The package face of components/backup-plan.ts: the same args, `frequency` as an enum and the volume tag as a
 * named type the schema can express. It builds the real BackupPlan as its only child.
 */
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan as PlatformBackupPlan, type BackupPlanArgs as PlatformBackupPlanArgs } from "../components/backup-plan";

/** How often recovery points are taken. */
export const BackupFrequency = {
    /** Every day at 05:00 UTC. */
    daily: "daily",
    /** Sundays at 05:00 UTC. */
    weekly: "weekly",
} as const;
export type BackupFrequency = (typeof BackupFrequency)[keyof typeof BackupFrequency];

/** A tag EBS volumes carry to be backed up. */
export interface VolumeTag {
    key: string;
    value: string;
}

export interface BackupPlanArgs {
    /** `daily` at 05:00 UTC or `weekly` on Sundays. Required. */
    frequency: BackupFrequency;
    /** Days each recovery point (and its DR copy) is kept. Required, 1 or more. */
    retentionDays: number;
    /** Customer-managed key of the vault. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Resources to back up by ARN (RDS instances, EFS file systems). Default none. */
    resourceArns?: pulumi.Input<string>[];
    /** EBS volumes carrying this tag are backed up too. Default `rag-platform.io/backup=true`. */
    volumeTag?: VolumeTag;
    /** Region that receives a copy of every recovery point. Default none. */
    drRegion?: string;
    /** Key of the DR region's vault; required with `drRegion`. */
    drKmsKeyArn?: pulumi.Input<string>;
    /** `protect` and retain-on-delete for the vaults. Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

/**
 * AWS Backup: an encrypted vault, a daily or weekly plan with continuous backup for RDS, a selection by ARN and
 * by volume tag, copies to a vault in the DR region (components/backup-plan.ts).
 */
export class BackupPlan extends pulumi.ComponentResource {
    readonly vaultName: pulumi.Output<string>;
    /** Only with `drRegion`. */
    readonly drVaultName?: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rag-platform:index:BackupPlan", name, {}, opts);
        const platformArgs: PlatformBackupPlanArgs = args;
        const plan = new PlatformBackupPlan(name, platformArgs, { parent: this });
        this.vaultName = plan.vaultName;
        this.drVaultName = plan.drVaultName;
        this.planId = plan.planId;
        this.registerOutputs({ vaultName: this.vaultName, drVaultName: this.drVaultName, planId: this.planId });
    }
}
