import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isPostgresVersion, POSTGRES_MULTI_USER_ROTATION_APPLICATION, POSTGRES_ROTATION_APPLICATION, POSTGRES_VERSIONS_ALLOWED } from "../model/aws-catalog";
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
    /**
     * Where the function that rotates the master password every 90 days runs: the VPC and private subnets from
     * which both the database and Secrets Manager (NAT or an interface endpoint) are reachable. Default none: the
     * password is not rotated.
     */
    rotation?: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[] };
    /**
     * A copy of the master secret kept by Secrets Manager in another region, under the same name and encrypted
     * with that region's key: a standby there reads the credentials when this region is gone. Default none.
     */
    secretReplica?: { region: string; kmsKeyArn: pulumi.Input<string> };
    /**
     * A standby's database: the writer is a replica of `sourceArn` (a writer in another region, by ARN), encrypted
     * with `kmsKeyArn` of this region, and its credentials are the source's, read from `masterSecretArn` (the
     * source's master secret as replicated into this region), its clients' from `appSecretArn` likewise.
     * `promoted`: the replica has become a standalone writer with backups, its own secrets and their rotation.
     * Default none: a writer of its own.
     */
    replicaOf?: { sourceArn: pulumi.Input<string>; masterSecretArn: pulumi.Input<string>; appSecretArn: pulumi.Input<string>; promoted?: boolean };
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
 * The user the workload connects as, and the role that owns what it creates. Rotation alternates the login between
 * `rag_app` and `rag_app_clone` (AWS's alternating-users function); both are members of `rag_owner` and act as it
 * (`ALTER ROLE ... SET role`), so tables created under either login belong to one owner. DatabaseUsers creates them.
 */
export const APP_USERNAME = "rag_app";
export const APP_OWNER_ROLE = "rag_owner";

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
    /** The writer is still a replica of another region's database (a standby not yet promoted). */
    readonly following: boolean;
    readonly arn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly readerEndpoints: pulumi.Output<string>[];
    readonly port: number;
    readonly databaseName: string;
    readonly masterUsername: string;
    /** The master credentials (rag_admin), rotated by the single-user function: for administrators and the app user's rotation. */
    readonly masterSecretArn: pulumi.Output<string>;
    /**
     * The workload's credentials ({username, password, host, ...}), rotated every 90 days by alternating users: the
     * username changes with the password, and the previous pair stays valid until the next rotation.
     */
    readonly appSecretArn: pulumi.Output<string>;

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

        // A standby that still follows has no same-region replicas: its writer keeps no backups (see below).
        const following = cfg.replicaOf !== undefined && !cfg.replicaOf.promoted;
        this.following = following;
        const identifiers = [cfg.identifier, ...Array.from({ length: cfg.readReplicas }, (_, i) => `${cfg.identifier}-replica-${i + 1}`)];
        this.replicaIdentifiers = following ? [] : identifiers.slice(1);
        // RDS creates one group per exported log type when it first exports, unencrypted and kept forever;
        // created first, they are neither. Every configured replica's groups exist while a standby follows, so
        // that neither promotion nor its undoing at failback creates or deletes (protected) log groups.
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

        // The platform keeps the master password, not RDS: AWS refuses read replicas (here or in a standby region)
        // of an instance whose password RDS manages in Secrets Manager. Letters and digits only, so it needs no
        // escaping in a connection URL. A standby's replica has its source's password until it is promoted.
        // Protected with the data: a replaced password would be set on the instance while the rotated secret holds
        // another, and every client would lose the database.
        const password = following ? undefined : new random.RandomPassword(`${name}-master-password`, { length: 40, special: false }, { parent: this, protect: cfg.protect });

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
        // What a writer of its own keeps: backups and PITR, a final snapshot when protected.
        const backups = {
            backupRetentionPeriod: cfg.backupRetentionDays,
            backupWindow: "03:00-04:00",
            skipFinalSnapshot: !cfg.protect,
            finalSnapshotIdentifier: cfg.protect ? `${cfg.identifier}-final` : undefined,
        };
        const placement = {
            ...common,
            identifier: cfg.identifier,
            maxAllocatedStorage: cfg.maxAllocatedStorageGiB,
            multiAz: cfg.multiAz,
            dbSubnetGroupName: subnetGroup.name,
            maintenanceWindow: "sun:04:30-sun:05:30",
            // Majors are planned upgrades (a new parameter group family), never a side effect of a config change.
            allowMajorVersionUpgrade: false,
            tags: tags(cfg.identifier),
        };
        const writer = new aws.rds.Instance(`${name}-writer`, cfg.replicaOf
            ? {
                  // Engine, version, storage type, user and database name follow the source; a replica in another
                  // region needs a key of its own region and names its source by ARN. Promotion only drops the
                  // source and adds backups and a password: nothing that would replace the instance changes.
                  ...placement,
                  replicateSourceDb: cfg.replicaOf.promoted ? undefined : cfg.replicaOf.sourceArn,
                  kmsKeyId: cfg.kmsKeyArn,
                  storageEncrypted: true,
                  password: password?.result,
                  // No backups while it follows: RDS cannot promote a replica while it is backing up (PromoteReadReplica,
                  // "a read replica cannot be promoted ... when it is in the backing-up status"), so a daily backup
                  // window would add up to its length to the RTO. Promotion turns them on (the provider promotes with
                  // the retention set) and only then are same-region replicas made, as RDS needs a source with backups.
                  ...(cfg.replicaOf.promoted ? backups : { backupRetentionPeriod: 0, skipFinalSnapshot: true }),
              }
            : {
                  ...placement,
                  ...backups,
                  engine: "postgres",
                  engineVersion: cfg.engineVersion,
                  dbName: DATABASE_NAME,
                  username: MASTER_USERNAME,
                  password: password!.result,
                  storageType: "gp3",
                  allocatedStorage: cfg.allocatedStorageGiB,
                  storageEncrypted: true,
                  kmsKeyId: cfg.kmsKeyArn,
              }, {
                  ...stateful,
                  dependsOn: logGroups[0],
                  // A writer of its own gets the generated password once, at creation; from then on the rotated
                  // secret holds it. Never set again by an update: after a failback's `pulumi import` the program's
                  // original password would overwrite the one the secret holds (docs/disaster-recovery.md).
                  // A standby's writer takes its password at promotion, so it is not ignored there.
                  ignoreChanges: cfg.replicaOf ? [] : ["password"],
              });
        // A standby's replica is watched for lag like any replica, until it is promoted.
        if (following) this.replicaIdentifiers = [cfg.identifier, ...this.replicaIdentifiers];

        const replicas = (following ? [] : identifiers.slice(1)).map((id, i) =>
            new aws.rds.Instance(`${name}-replica-${i + 1}`, {
                ...common,
                identifier: id,
                replicateSourceDb: writer.identifier,
                // Encryption, storage type and engine follow the source; said explicitly all the same, as RDS reports
                // it: the provider would replace an instance whose storageEncrypted changes.
                storageEncrypted: true,
                // Storage autoscaling does not follow the source: without its
                // own ceiling a replica fills up while the writer grows.
                maxAllocatedStorage: cfg.maxAllocatedStorageGiB,
                // A replica keeps no backups of its own.
                backupRetentionPeriod: 0,
                skipFinalSnapshot: true,
                tags: tags(id),
            }, {
                ...stateful,
                dependsOn: logGroups[i + 1],
                // A replica holds nothing of its own, and its identifier is fixed: a replacement (after a failback,
                // to follow the new writer) must delete it first, or RDS refuses the second instance of that name.
                deleteBeforeReplace: true,
            }),
        );

        // The rotation function exists before it has a secret to rotate: a standby deploys it while it follows, so
        // that promotion, during its primary region's outage, only attaches it (the function comes from the
        // Serverless Application Repository, whose application ARNs name us-east-1).
        const rotationGroup = cfg.rotation ? this.rotationSecurityGroup(name, cfg, cfg.rotation) : undefined;
        const rotation = (kind: RotationKind) => (cfg.rotation && rotationGroup ? this.rotationFunction(name, cfg, cfg.rotation, rotationGroup, kind) : undefined);
        const masterRotation = rotation("single-user");
        const appRotation = rotation("alternating-users");
        if (password) {
            this.masterSecretArn = this.credentials(name, cfg, writer, { kind: "master", username: MASTER_USERNAME, password: password.result }, masterRotation);
            // The workload's password is the platform's too, and protected like the master's: DatabaseUsers sets it on
            // the user once, the rotation from then on.
            const appPassword = new random.RandomPassword(`${name}-app-password`, { length: 40, special: false }, { parent: this, protect: cfg.protect });
            this.appSecretArn = this.credentials(name, cfg, writer, { kind: "app", username: APP_USERNAME, password: appPassword.result, masterSecretArn: this.masterSecretArn }, appRotation);
        } else {
            this.masterSecretArn = pulumi.output(cfg.replicaOf!.masterSecretArn);
            this.appSecretArn = pulumi.output(cfg.replicaOf!.appSecretArn);
        }
        this.arn = writer.arn;
        this.endpoint = writer.address;
        this.readerEndpoints = replicas.map((r) => r.address);
        this.registerOutputs({ endpoint: this.endpoint, readerEndpoints: this.readerEndpoints, masterSecretArn: this.masterSecretArn, appSecretArn: this.appSecretArn });
    }

    /**
     * Credentials in Secrets Manager (`<identifier>/master` or `<identifier>/app`), in the shape AWS's rotation
     * functions and the workload's External Secrets read ({engine, host, port, dbname, username, password}, and
     * `masterarn` for alternating users), replicated where `secretReplica` says, rotated every 90 days where
     * `rotation` places the functions. After the first rotation the secret, not the program, holds the password:
     * the program never writes it again.
     */
    private credentials(name: string, cfg: ResolvedDatabaseArgs, writer: aws.rds.Instance, user: { kind: "master" | "app"; username: string; password: pulumi.Output<string>; masterSecretArn?: pulumi.Output<string> }, rotationLambdaArn?: pulumi.Output<string>): pulumi.Output<string> {
        const secretName = `${cfg.identifier}/${user.kind}`;
        const resourceName = `${name}-${user.kind}`;
        const secret = new aws.secretsmanager.Secret(resourceName, {
            name: secretName,
            description: user.kind === "master"
                ? `Master credentials of ${cfg.identifier}, rotated every 90 days`
                : `Workload credentials of ${cfg.identifier}, rotated every 90 days by alternating ${user.username} and ${user.username}_clone`,
            kmsKeyId: cfg.kmsKeyArn,
            recoveryWindowInDays: cfg.protect ? 30 : 7,
            replicas: cfg.secretReplica ? [{ region: cfg.secretReplica.region, kmsKeyId: cfg.secretReplica.kmsKeyArn }] : undefined,
            tags: { ...cfg.tags, Name: secretName },
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
        const version = new aws.secretsmanager.SecretVersion(resourceName, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify({
                engine: "postgres",
                host: writer.address,
                port: DATA_PORTS.postgres,
                dbname: DATABASE_NAME,
                username: user.username,
                password: user.password,
                dbInstanceIdentifier: cfg.identifier,
                ...(user.masterSecretArn ? { masterarn: user.masterSecretArn } : {}),
            })),
        }, { parent: this, ignoreChanges: ["secretString"] });
        if (rotationLambdaArn) {
            new aws.secretsmanager.SecretRotation(`${resourceName}-rotation`, {
                secretId: secret.id,
                rotationLambdaArn,
                rotationRules: { automaticallyAfterDays: 90 },
            }, { parent: this, dependsOn: [version] });
        }
        return secret.arn;
    }

    /** The rotation functions' security group: PostgreSQL and Secrets Manager only, admitted by the database's. */
    private rotationSecurityGroup(name: string, cfg: ResolvedDatabaseArgs, placement: NonNullable<DatabaseArgs["rotation"]>): aws.ec2.SecurityGroup {
        const parent = { parent: this };
        const sg = new aws.ec2.SecurityGroup(`${name}-rotation`, {
            vpcId: placement.vpcId,
            // Worded as when it served one function: a security group's description forces its replacement.
            description: `Rotation function of ${cfg.identifier}: PostgreSQL and Secrets Manager only`,
            tags: { ...cfg.tags, Name: `${cfg.identifier}-rotation` },
        }, parent);
        new aws.vpc.SecurityGroupEgressRule(`${name}-rotation-to-database`, {
            securityGroupId: sg.id, ipProtocol: "tcp", fromPort: DATA_PORTS.postgres, toPort: DATA_PORTS.postgres, referencedSecurityGroupId: cfg.securityGroupId, description: "PostgreSQL",
        }, parent);
        new aws.vpc.SecurityGroupEgressRule(`${name}-rotation-to-secrets-manager`, {
            securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "Secrets Manager, through its interface endpoint or the NAT gateways",
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${name}-database-from-rotation`, {
            securityGroupId: cfg.securityGroupId, ipProtocol: "tcp", fromPort: DATA_PORTS.postgres, toPort: DATA_PORTS.postgres, referencedSecurityGroupId: sg.id, description: `PostgreSQL from the rotation functions of ${cfg.identifier}`,
        }, parent);
        return sg;
    }

    /**
     * One of AWS's rotation functions for PostgreSQL (Serverless Application Repository, versions pinned in the
     * catalog), in the given subnets behind the rotation security group. The alternating-users function also
     * reads the master secret, with which it sets the other user's password.
     */
    private rotationFunction(name: string, cfg: ResolvedDatabaseArgs, placement: NonNullable<DatabaseArgs["rotation"]>, sg: aws.ec2.SecurityGroup, kind: RotationKind): pulumi.Output<string> {
        const parent = { parent: this };
        const alternating = kind === "alternating-users";
        const functionName = `${cfg.identifier}-${alternating ? "app-" : ""}rotation`;
        const application = alternating ? POSTGRES_MULTI_USER_ROTATION_APPLICATION : POSTGRES_ROTATION_APPLICATION;
        const region = aws.getRegionOutput({}, parent).region;
        const dnsSuffix = aws.getPartitionOutput({}, parent).dnsSuffix;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const stack = new aws.serverlessrepository.CloudFormationStack(`${name}-${alternating ? "app-" : ""}rotation`, {
            name: functionName,
            applicationId: application.applicationId,
            semanticVersion: application.semanticVersion,
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                endpoint: pulumi.interpolate`https://secretsmanager.${region}.${dnsSuffix}`,
                functionName,
                vpcSubnetIds: pulumi.output(placement.subnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: sg.id,
                kmsKeyArn: cfg.kmsKeyArn,
                // The master secret by the ARN pattern of its name: it may not exist yet (a standby deploys the
                // functions before its promotion creates the secrets). Same key as the secret it rotates.
                ...(alternating
                    ? {
                          masterSecretArn: pulumi.interpolate`arn:${aws.getPartitionOutput({}, parent).partition}:secretsmanager:${region}:${account}:secret:${cfg.identifier}/master-*`,
                          masterSecretKmsKeyArn: cfg.kmsKeyArn,
                      }
                    : {}),
            },
            tags: { ...cfg.tags, Name: functionName },
        }, parent);
        return stack.outputs.apply((outputs) => outputs.RotationLambdaARN);
    }
}

type RotationKind = "single-user" | "alternating-users";

type ResolvedDatabaseArgs = Required<Omit<DatabaseArgs, "rotation" | "secretReplica" | "replicaOf">> & Pick<DatabaseArgs, "rotation" | "secretReplica" | "replicaOf">;

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
