import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isPostgresVersion, POSTGRES_VERSIONS_ALLOWED } from "../model/aws-catalog";
import { attachManagedPolicies } from "./irsa-role";
import { argsRejecter, stripUndefined } from "./args";
import { NAME_RULES } from "../model/aws-names";
import { DATA_PORTS } from "../model/ports";

export interface DatabaseArgs {
    /** RDS identifier of the writer; replicas append `-replica-<n>`. Required, 1-54 characters (room for the suffix). */
    identifier: string;
    /** PostgreSQL version: a major (`17`, RDS picks the minor) or `major.minor`. Required, 16 or newer. */
    engineVersion: string;
    /** Instance class of the writer and replicas. Required. */
    instanceClass: string;
    /** Database subnets (one per AZ, no route out) and the security group the nodes may reach. Required. */
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for storage, Performance Insights, the master secret and log groups. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Initial gp3 storage and the storage-autoscaling ceiling, GiB. Default 100 and 1000. */
    allocatedStorageGiB?: number;
    maxAllocatedStorageGiB?: number;
    /** Synchronous standby in another AZ. Default true. */
    multiAz?: boolean;
    /** Days of automated backups and point-in-time recovery. Default 30. */
    backupRetentionDays?: number;
    /** Read replicas in the same region. Default 0. */
    readReplicas?: number;
    /** Days the exported PostgreSQL logs are kept. Default 30. */
    logRetentionDays?: number;
    /** Deletion protection, a final snapshot, `protect` and retain-on-delete. Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

/** Log types exported to CloudWatch; each gets its own group, created before the instance. */
const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

const DEFAULTS = { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 1000, multiAz: true, backupRetentionDays: 30, readReplicas: 0, logRetentionDays: 30, protect: false, tags: {} };

/** Database name and master user; fixed, since changing either replaces the database. */
export const DATABASE_NAME = "rag";
export const MASTER_USERNAME = "rag_admin";

/**
 * Parameters of every instance: connections only over TLS; pg_stat_statements and auto_explain loaded for query
 * insight; slow statements logged. pgvector needs no preloading (`CREATE EXTENSION vector` per database).
 */
export const POSTGRES_PARAMETERS: { name: string; value: string; applyMethod: "immediate" | "pending-reboot" }[] = [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "shared_preload_libraries", value: "pg_stat_statements,auto_explain", applyMethod: "pending-reboot" },
    { name: "pg_stat_statements.track", value: "all", applyMethod: "immediate" },
    { name: "track_io_timing", value: "1", applyMethod: "immediate" },
    { name: "auto_explain.log_min_duration", value: "2000", applyMethod: "immediate" },
    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
    { name: "password_encryption", value: "scram-sha-256", applyMethod: "immediate" },
];

/**
 * RDS PostgreSQL for the RAG platform: writer (Multi-AZ by config) and read replicas in the database subnets,
 * encrypted with the data key, TLS-only, IAM authentication, master password managed by RDS in Secrets Manager
 * (rotated every 90 days), Performance Insights, enhanced monitoring, logs to encrypted log groups it creates.
 */
export class Database extends pulumi.ComponentResource {
    readonly identifier: string;
    readonly replicaIdentifiers: string[];
    readonly arn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly readerEndpoints: pulumi.Output<string>[];
    readonly port: number;
    readonly databaseName: string;
    readonly masterUsername: string;
    /** Secrets Manager secret RDS keeps the master password in. */
    readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = resolveArgs(args);
        super("rag:data:Database", name, {}, opts);
        const parent = { parent: this };
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };
        const tags = (resourceName: string) => ({ ...cfg.tags, Name: resourceName });
        const major = cfg.engineVersion.split(".")[0];
        const partition = aws.getPartitionOutput({}, parent).partition;
        this.identifier = cfg.identifier;
        this.port = DATA_PORTS.postgres;
        this.databaseName = DATABASE_NAME;
        this.masterUsername = MASTER_USERNAME;

        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: cfg.subnetIds, description: `Database subnets of ${cfg.identifier}`, tags: tags(cfg.identifier) }, parent);
        const parameterGroup = new aws.rds.ParameterGroup(`${name}-postgres${major}`, {
            family: `postgres${major}`,
            description: `TLS-only PostgreSQL ${major} with query insight for ${cfg.identifier}`,
            parameters: POSTGRES_PARAMETERS,
            tags: tags(cfg.identifier),
        }, parent);

        const monitoringRole = new aws.iam.Role(`${name}-monitoring`, {
            description: `RDS enhanced monitoring of ${cfg.identifier}`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(`${cfg.identifier}-monitoring`),
        }, parent);
        attachManagedPolicies(`${name}-monitoring`, monitoringRole, ["service-role/AmazonRDSEnhancedMonitoringRole"], partition, parent);

        // RDS creates one group per exported log type when it first exports, unencrypted and kept forever;
        // created first, they are neither.
        const identifiers = [cfg.identifier, ...Array.from({ length: cfg.readReplicas }, (_, i) => `${cfg.identifier}-replica-${i + 1}`)];
        this.replicaIdentifiers = identifiers.slice(1);
        const logGroups = identifiers.map((id) =>
            RDS_LOG_EXPORTS.map((logType) =>
                new aws.cloudwatch.LogGroup(`${name}-logs-${id}${logType === "postgresql" ? "" : `-${logType}`}`, {
                    name: `/aws/rds/instance/${id}/${logType}`,
                    retentionInDays: cfg.logRetentionDays,
                    kmsKeyId: cfg.kmsKeyArn,
                    tags: tags(`${id}-${logType}`),
                }, stateful),
            ),
        );

        const common = {
            instanceClass: cfg.instanceClass,
            parameterGroupName: parameterGroup.name,
            vpcSecurityGroupIds: [cfg.securityGroupId],
            publiclyAccessible: false,
            iamDatabaseAuthenticationEnabled: true,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: cfg.kmsKeyArn,
            performanceInsightsRetentionPeriod: 7,
            monitoringInterval: 60,
            monitoringRoleArn: monitoringRole.arn,
            enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
            autoMinorVersionUpgrade: true,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            copyTagsToSnapshot: true,
            deletionProtection: cfg.protect,
        };
        const writer = new aws.rds.Instance(`${name}-writer`, {
            ...common,
            identifier: cfg.identifier,
            engine: "postgres",
            engineVersion: cfg.engineVersion,
            dbName: DATABASE_NAME,
            username: MASTER_USERNAME,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: cfg.kmsKeyArn,
            storageType: "gp3",
            allocatedStorage: cfg.allocatedStorageGiB,
            maxAllocatedStorage: cfg.maxAllocatedStorageGiB,
            storageEncrypted: true,
            kmsKeyId: cfg.kmsKeyArn,
            multiAz: cfg.multiAz,
            dbSubnetGroupName: subnetGroup.name,
            backupRetentionPeriod: cfg.backupRetentionDays,
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:04:30-sun:05:30",
            // Majors are planned upgrades (a new parameter group family), never a side effect of a config change.
            allowMajorVersionUpgrade: false,
            skipFinalSnapshot: !cfg.protect,
            finalSnapshotIdentifier: cfg.protect ? `${cfg.identifier}-final` : undefined,
            tags: tags(cfg.identifier),
        }, { ...stateful, dependsOn: logGroups[0] });

        const replicas = identifiers.slice(1).map((id, i) =>
            new aws.rds.Instance(`${name}-replica-${i + 1}`, {
                ...common,
                identifier: id,
                replicateSourceDb: writer.identifier,
                // Encryption, storage type and engine follow the source, storage autoscaling does not: without its
                // own ceiling a replica fills up while the writer grows.
                maxAllocatedStorage: cfg.maxAllocatedStorageGiB,
                // A replica keeps no backups of its own.
                backupRetentionPeriod: 0,
                skipFinalSnapshot: true,
                tags: tags(id),
            }, { ...stateful, dependsOn: logGroups[i + 1] }),
        );

        const masterSecretArn = writer.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? "");
        // RDS rotates its managed secret every 7 days unless told otherwise; the platform's cycle is 90.
        new aws.secretsmanager.SecretRotation(`${name}-master-rotation`, {
            secretId: masterSecretArn,
            rotationRules: { automaticallyAfterDays: 90 },
        }, parent);

        this.arn = writer.arn;
        this.endpoint = writer.address;
        this.readerEndpoints = replicas.map((r) => r.address);
        this.masterSecretArn = masterSecretArn;
        this.registerOutputs({ endpoint: this.endpoint, readerEndpoints: this.readerEndpoints, masterSecretArn: this.masterSecretArn });
    }
}

type ResolvedDatabaseArgs = Required<DatabaseArgs>;

function resolveArgs(args: DatabaseArgs): ResolvedDatabaseArgs {
    const fail = argsRejecter("Database");
    const cfg = { ...DEFAULTS, ...stripUndefined(args) } as ResolvedDatabaseArgs;
    if (!NAME_RULES.rdsIdentifier.test(cfg.identifier)) {
        fail("identifier", cfg.identifier, NAME_RULES.rdsIdentifier.allowed);
    }
    if (!isPostgresVersion(cfg.engineVersion)) fail("engineVersion", cfg.engineVersion, POSTGRES_VERSIONS_ALLOWED);
    if (cfg.allocatedStorageGiB < 20 || cfg.allocatedStorageGiB > cfg.maxAllocatedStorageGiB) {
        fail("allocatedStorageGiB", cfg.allocatedStorageGiB, `20 to maxAllocatedStorageGiB (${cfg.maxAllocatedStorageGiB})`);
    }
    if (cfg.backupRetentionDays < 1 || cfg.backupRetentionDays > 35) fail("backupRetentionDays", cfg.backupRetentionDays, "1 to 35 (replicas need the writer's backups)");
    if (cfg.readReplicas < 0 || cfg.readReplicas > 5) fail("readReplicas", cfg.readReplicas, "0 to 5");
    if (cfg.subnetIds.length < 2) fail("subnetIds", cfg.subnetIds.length, "subnets in two or more AZs (RDS subnet groups need two)");
    return cfg;
}
