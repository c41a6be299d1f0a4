import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DOCUMENTDB_ENGINE_VERSIONS, DOCUMENTDB_INSTANCE_CLASSES } from "../model/aws-catalog";
import { DOCUMENTDB_PORT } from "../model/ports";
import { argsRejecter, stripUndefined } from "./args";

export interface DocumentDatabaseArgs {
    /** Cluster identifier; instances append `-<n>`. Required, 1-60 characters. */
    identifier: string;
    /** Engine version (model/aws-catalog.ts DOCUMENTDB_ENGINE_VERSIONS). Default `5.0.0` (LTS). */
    engineVersion?: string;
    /** Instance class of every instance. Required. */
    instanceClass: string;
    /** Instances: one primary, the rest replicas in other AZs that take over on failure. Default 3. */
    instances?: number;
    /** AZs of the database subnets, in order: instance n goes to AZ n mod their count. Required. */
    availabilityZones: string[];
    /** Database subnets (one per AZ) and the security group that admits the nodes on 27017. Required. */
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for storage and the exported logs. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days of automated backups (point-in-time restore). Default 30 (the spec's). */
    backupRetentionDays?: number;
    /** Days the audit and profiler logs are kept. Default 30. */
    logRetentionDays?: number;
    /** Deletion protection, a final snapshot, `protect` and retain-on-delete. Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = { engineVersion: "5.0.0", instances: 3, backupRetentionDays: 30, logRetentionDays: 30, protect: false, tags: {} };

/** Master user; fixed, since changing it replaces the cluster. Its password is DocumentDB's own secret. */
export const DOCUMENTDB_MASTER_USERNAME = "rag_admin";
/** Log types exported to CloudWatch; each gets its own group, created first. */
const LOG_EXPORTS = ["audit", "profiler"] as const;

/**
 * Amazon DocumentDB (MongoDB-compatible) for the services that take `mongodb-url`: instances spread over the
 * AZs (a replica takes over from a failed primary), storage and logs under the data key, TLS required by the
 * cluster parameter group, audit logging on, a master password DocumentDB generates and keeps in Secrets
 * Manager (never in Pulumi state), automated backups; deletion protection and a final snapshot when protected.
 */
export class DocumentDatabase extends pulumi.ComponentResource {
    /** Cluster (primary) and reader endpoints. */
    readonly endpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port = DOCUMENTDB_PORT;
    readonly arn: pulumi.Output<string>;
    /** The Secrets Manager secret DocumentDB keeps the master credentials in (`username`, `password`). */
    readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: DocumentDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) };
        const fail = argsRejecter("DocumentDatabase");
        const family = DOCUMENTDB_ENGINE_VERSIONS[cfg.engineVersion];
        if (!family) fail("engineVersion", cfg.engineVersion, Object.keys(DOCUMENTDB_ENGINE_VERSIONS).join(", "));
        if (!(DOCUMENTDB_INSTANCE_CLASSES as readonly string[]).includes(cfg.instanceClass)) fail("instanceClass", cfg.instanceClass, DOCUMENTDB_INSTANCE_CLASSES.join(", "));
        if (!(cfg.instances >= 1 && cfg.instances <= 16)) fail("instances", cfg.instances, "1 to 16 (a primary and up to 15 replicas)");
        if (cfg.availabilityZones.length === 0) fail("availabilityZones", cfg.availabilityZones, "the AZs of the database subnets");
        if (!(cfg.backupRetentionDays >= 1 && cfg.backupRetentionDays <= 35)) fail("backupRetentionDays", cfg.backupRetentionDays, "1 to 35");
        if (!/^[a-z][a-z0-9-]{0,59}$/.test(cfg.identifier) || cfg.identifier.endsWith("-") || cfg.identifier.includes("--")) fail("identifier", cfg.identifier, "1-60 lowercase letters, digits and single hyphens, starting with a letter");
        super("rag:data:DocumentDatabase", name, {}, opts);
        const parent = { parent: this };
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };
        const tags = (resourceName: string) => ({ ...cfg.tags, Name: resourceName });

        const subnetGroup = new aws.docdb.SubnetGroup(`${name}-subnets`, { subnetIds: cfg.subnetIds, description: `Database subnets of ${cfg.identifier}`, tags: tags(cfg.identifier) }, parent);
        const parameterGroup = new aws.docdb.ClusterParameterGroup(`${name}-${family.replace(".", "-")}`, {
            family,
            description: `TLS required and audit logging for ${cfg.identifier}`,
            parameters: [
                { name: "tls", value: "enabled", applyMethod: "pending-reboot" },
                { name: "audit_logs", value: "enabled", applyMethod: "immediate" },
            ],
            tags: tags(cfg.identifier),
        }, parent);
        // DocumentDB creates a group per exported log type when it first exports, unencrypted and kept forever;
        // created first, they are the data key's and expire.
        const logGroups = LOG_EXPORTS.map((logType) =>
            new aws.cloudwatch.LogGroup(`${name}-logs-${logType}`, {
                name: `/aws/docdb/${cfg.identifier}/${logType}`,
                retentionInDays: cfg.logRetentionDays,
                kmsKeyId: cfg.kmsKeyArn,
                tags: tags(`${cfg.identifier}-${logType}`),
            }, stateful),
        );

        const cluster = new aws.docdb.Cluster(`${name}-cluster`, {
            clusterIdentifier: cfg.identifier,
            engine: "docdb",
            engineVersion: cfg.engineVersion,
            masterUsername: DOCUMENTDB_MASTER_USERNAME,
            manageMasterUserPassword: true,
            port: DOCUMENTDB_PORT,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [cfg.securityGroupId],
            dbClusterParameterGroupName: parameterGroup.name,
            storageEncrypted: true,
            kmsKeyId: cfg.kmsKeyArn,
            backupRetentionPeriod: cfg.backupRetentionDays,
            preferredBackupWindow: "03:00-04:00",
            preferredMaintenanceWindow: "sun:05:00-sun:06:00",
            enabledCloudwatchLogsExports: [...LOG_EXPORTS],
            deletionProtection: cfg.protect,
            skipFinalSnapshot: !cfg.protect,
            finalSnapshotIdentifier: cfg.protect ? `${cfg.identifier}-final` : undefined,
            applyImmediately: !cfg.protect,
            tags: tags(cfg.identifier),
        }, { ...stateful, dependsOn: logGroups });

        for (let i = 0; i < cfg.instances; i++) {
            new aws.docdb.ClusterInstance(`${name}-${i + 1}`, {
                identifier: `${cfg.identifier}-${i + 1}`,
                clusterIdentifier: cluster.id,
                instanceClass: cfg.instanceClass,
                // One AZ after another, so a replica in another AZ takes over when the primary's AZ fails.
                availabilityZone: cfg.availabilityZones[i % cfg.availabilityZones.length],
                promotionTier: i,
                autoMinorVersionUpgrade: true,
                applyImmediately: !cfg.protect,
                tags: tags(`${cfg.identifier}-${i + 1}`),
            }, stateful);
        }

        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.arn = cluster.arn;
        this.masterSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
        this.registerOutputs({ endpoint: this.endpoint, readerEndpoint: this.readerEndpoint, masterSecretArn: this.masterSecretArn });
    }
}
