import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "./backup-plan";
import { Buckets, type BucketRef } from "./buckets";
import { Cache, type CacheArgs } from "./cache";
import { Database, type DatabaseArgs } from "./database";
import { DocumentDatabase, type DocumentDatabaseArgs } from "./document-database";
import { SharedFiles } from "./shared-files";
import { awsEnvironment, keyPolicy, logsEncryptStatement } from "./iam-documents";
import { argsRejecter, checkKmsDeletionWindow } from "./args";

export interface DataTierArgs {
    /**
     * Name everything is derived from: the database identifier (`<name>-postgres`) and the prefix of every secret
     * (`<name>/...`, the prefix the cluster's External Secrets may read). Required: the cluster name.
     */
    name: string;
    /** Database subnets (one per AZ) and the data security group (reachable from the nodes only). Required. */
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** PostgreSQL settings (see DatabaseArgs); identifier, subnets, security group and key are filled in here. Required. */
    database: Omit<DatabaseArgs, "identifier" | "subnetIds" | "securityGroupId" | "kmsKeyArn" | "protect" | "tags">;
    /** Cache settings (see CacheArgs); secret prefix, subnets, security group and key are filled in here. Required. */
    cache: Omit<CacheArgs, "secretPrefix" | "subnetIds" | "securityGroupId" | "kmsKeyArn" | "protect" | "tags">;
    /** VPC and private subnets of the master password's rotation function (see DatabaseArgs.rotation). Default none: not rotated. */
    rotation?: DatabaseArgs["rotation"];
    /** Region for S3 replicas, backup copies and the master secret's replica. Default none. */
    drRegion?: string;
    /** AWS Backup frequency and retention; `none` for no plan. Default `{ frequency: "daily", retentionDays: 30 }`. */
    backup?: { frequency: "none" | "daily" | "weekly"; retentionDays: number };
    /**
     * IAM roles that may read the app secrets (the cluster's External Secrets role); everyone else but the
     * `secretAdminRoleArns` is denied `GetSecretValue` by the secrets' resource policy. Required, one or more.
     */
    secretReaderRoleArns: pulumi.Input<string>[];
    /**
     * Roles that deploy and operate the stack (`pulumi up` reads the secret versions back; operators break glass).
     * Default `[]`: then the identity running `pulumi up` is admitted, which ties the policy to whoever ran it
     * last, so every stack that more than one role deploys should list its roles here.
     */
    secretAdminRoleArns?: string[];
    /** Let a CloudTrail trail write into the logs bucket (Audit creates it). Default false. */
    cloudTrail?: boolean;
    /** Let the edge (CloudFront standard logging v2) deliver its access logs into the logs bucket. Default false. */
    edgeLogs?: boolean;
    /**
     * Amazon DocumentDB for services that take `mongodb-url` (see DocumentDatabaseArgs); identifier
     * `<name>-docdb`, placement and key filled in here, backups as the database's. Default none.
     */
    documentDb?: Pick<DocumentDatabaseArgs, "engineVersion" | "instanceClass" | "instances">;
    /** AZs of `subnetIds`, in order (DocumentDB places an instance in each). Required with `documentDb`. */
    availabilityZones?: string[];
    /**
     * An encrypted EFS file system for volumes every replica of a service shares, with mount targets in the
     * database subnets behind the data security group (which must admit NFS from the nodes), backed up with the
     * database. Default false.
     */
    sharedFiles?: boolean;
    /**
     * A standby's data, the primary stack's as replicated into this region: the database is a replica of
     * `databaseArn` (see DatabaseArgs.replicaOf), its credentials the primary's master and workload secrets
     * replicated here (`masterSecretArn`, `appSecretArn`), and the documents and backups buckets the primary's replicas, encrypted with
     * `bucketKeyArn`. `promoted` once the standby has taken over. Default none: the stack's own data.
     */
    standbyOf?: {
        databaseArn: pulumi.Input<string>;
        masterSecretArn: pulumi.Input<string>;
        appSecretArn: pulumi.Input<string>;
        promoted: boolean;
        buckets: { documents: BucketRef; backups: BucketRef };
        bucketKeyArn: pulumi.Input<string>;
    };
    /** Waiting period before a deleted data key is destroyed. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /** Production safety for everything that holds data (see each component). Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

export interface AppSecretArns {
    /** JSON: `url` (no user, no password) and `credentialsSecretArn`, whose rotated user and password complete it. */
    databaseUrl: pulumi.Output<string>;
    /** `rediss://:<token>@<configuration endpoint>:6379`. */
    redisUrl: pulumi.Output<string>;
    /** Placeholder JSON for model-provider API keys, filled in by operators (the program never overwrites it). */
    apiKeys: pulumi.Output<string>;
}

/**
 * Without cluster mode the cache is a queue broker, and Celery refuses a rediss:// URL without `ssl_cert_reqs`
 * (its Redis backend maps `required` to CERT_REQUIRED, as redis-py does): certificates are verified.
 */
function redisUrlQuery(clusterMode: boolean): string {
    return clusterMode ? "" : "?ssl_cert_reqs=required";
}

/**
 * The platform's data tier: customer-managed KMS keys, PostgreSQL (pgvector), the cache, S3 buckets
 * with replication, AWS Backup, and the app's secrets in Secrets Manager readable only by the workload's identity.
 */
export class DataTier extends pulumi.ComponentResource {
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The key of the documents and backups buckets: the data key, or in a standby the primary's DR key. */
    readonly bucketKeyArn: pulumi.Output<string>;
    readonly drKmsKeyArn?: pulumi.Output<string>;
    readonly database: Database;
    readonly cache: Cache;
    /** The cross-region replication rules of the buckets (what their CloudWatch metrics are named by). */
    readonly replicationRules: Buckets["replicationRules"];
    /** The shared file system, when `sharedFiles` asked for one. */
    readonly sharedFiles?: SharedFiles;
    /** DocumentDB, and the ARN of its app secret `mongodb-url`, when `documentDb` asked for it. */
    readonly documentDb?: DocumentDatabase;
    readonly documentDbUrlSecretArn?: pulumi.Output<string>;
    readonly buckets: { documents: BucketRef; backups: BucketRef; logs: BucketRef; replicas: Partial<Record<"documents" | "backups", BucketRef>> };
    readonly appSecretArns: AppSecretArns;
    readonly backupVaultName?: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
        const fail = argsRejecter("DataTier");
        if (args.secretReaderRoleArns.length === 0) fail("secretReaderRoleArns", args.secretReaderRoleArns, "the roles that read the app secrets (External Secrets)");
        const deletionWindowInDays = args.kmsKeyDeletionWindowDays ?? 30;
        checkKmsDeletionWindow(fail, deletionWindowInDays);
        super("rag:data:DataTier", name, {}, opts);
        const parent = { parent: this };
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const tags = args.tags ?? {};
        const env = awsEnvironment(this);
        const identifier = `${args.name}-postgres`;
        // Who may read the secrets besides the workload: the roles named, else the identity running `pulumi up`
        // (it reads secret versions back), as a role ARN, which is what aws:PrincipalArn holds.
        const admins: pulumi.Input<string>[] = args.secretAdminRoleArns?.length
            ? args.secretAdminRoleArns
            : [aws.iam.getSessionContextOutput({ arn: aws.getCallerIdentityOutput({}, parent).arn }, parent).issuerArn];
        const secretPrefix = `${args.name}/`;

        const key = new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the data tier of ${args.name}: database, cache, buckets, secrets, backups`,
            enableKeyRotation: true,
            deletionWindowInDays,
            policy: keyPolicy(
                env,
                logsEncryptStatement(env, `/aws/rds/instance/${identifier}*`),
                ...(args.documentDb ? [{ ...logsEncryptStatement(env, `/aws/docdb/${args.name}-docdb/*`), Sid: "CloudWatchLogsEncryptsDocumentDb" }] : []),
            ),
            tags: { ...tags, Name: `${args.name}-data` },
        }, stateful);
        new aws.kms.Alias(`${name}-key`, { name: `alias/${args.name}-data`, targetKeyId: key.keyId }, parent);
        const drKey = args.drRegion
            ? new aws.kms.Key(`${name}-dr-key`, {
                  region: args.drRegion,
                  description: `Encrypts the ${args.drRegion} replicas and backup copies of ${args.name}`,
                  enableKeyRotation: true,
                  deletionWindowInDays,
                  policy: keyPolicy({ ...env, region: args.drRegion }),
                  tags: { ...tags, Name: `${args.name}-data-dr` },
              }, stateful)
            : undefined;
        this.kmsKeyArn = key.arn;
        this.drKmsKeyArn = drKey?.arn;
        this.securityGroupId = pulumi.output(args.securityGroupId);

        // Database and cache share their placement: the database subnets, the data security group, the data key.
        const placement = { subnetIds: args.subnetIds, securityGroupId: args.securityGroupId, kmsKeyArn: key.arn, protect, tags };
        this.database = new Database(`${name}-postgres`, {
            ...args.database,
            ...placement,
            identifier,
            rotation: args.rotation,
            // A standby's drRegion is its primary's: promoted during that region's outage, its new secret must not
            // reach into it (the replica would be created there, and fail). Failback makes prod the primary again.
            secretReplica: args.drRegion && drKey && !args.standbyOf ? { region: args.drRegion, kmsKeyArn: drKey.arn } : undefined,
            replicaOf: args.standbyOf && { sourceArn: args.standbyOf.databaseArn, masterSecretArn: args.standbyOf.masterSecretArn, appSecretArn: args.standbyOf.appSecretArn, promoted: args.standbyOf.promoted },
        }, parent);
        this.cache = new Cache(`${name}-cache`, { ...args.cache, ...placement, secretPrefix }, parent);

        this.documentDb = args.documentDb
            ? new DocumentDatabase(`${name}-docdb`, {
                  ...args.documentDb,
                  identifier: `${args.name}-docdb`,
                  availabilityZones: args.availabilityZones ?? [],
                  subnetIds: args.subnetIds,
                  securityGroupId: args.securityGroupId,
                  kmsKeyArn: key.arn,
                  backupRetentionDays: args.database.backupRetentionDays,
                  protect,
                  tags,
              }, parent)
            : undefined;
        this.sharedFiles = args.sharedFiles
            ? new SharedFiles(`${name}-files`, { clusterName: args.name, subnetIds: args.subnetIds, securityGroupId: args.securityGroupId, kmsKeyArn: key.arn, protect, tags }, parent)
            : undefined;

        const buckets = new Buckets(`${name}-buckets`, { kmsKeyArn: key.arn, drRegion: args.drRegion, drKmsKeyArn: drKey?.arn, existing: args.standbyOf?.buckets, cloudTrail: args.cloudTrail, edgeLogs: args.edgeLogs, protect, tags }, parent);
        this.bucketKeyArn = pulumi.output(args.standbyOf?.bucketKeyArn ?? key.arn);
        this.buckets = { documents: buckets.documents, backups: buckets.backups, logs: buckets.logs, replicas: buckets.replicas };
        this.replicationRules = buckets.replicationRules;

        const backup = args.backup ?? { frequency: "daily", retentionDays: 30 };
        if (backup.frequency !== "none") {
            const plan = new BackupPlan(`${name}-backup`, {
                frequency: backup.frequency,
                retentionDays: backup.retentionDays,
                kmsKeyArn: key.arn,
                // AWS Backup takes no snapshots of a read replica: a standby's database is backed up once promoted.
                resourceArns: [...(this.database.following ? [] : [this.database.arn]), ...(this.documentDb ? [this.documentDb.arn] : []), ...(this.sharedFiles ? [this.sharedFiles.fileSystemArn] : [])],
                drRegion: args.drRegion,
                drKmsKeyArn: drKey?.arn,
                protect,
                tags,
            }, parent);
            this.backupVaultName = plan.vaultName;
        }

        const appSecret = (secretName: string, description: string, value: pulumi.Input<string>, managedOutside = false) => {
            const secret = new aws.secretsmanager.Secret(`${name}-${secretName}`, {
                name: `${secretPrefix}${secretName}`,
                description,
                kmsKeyId: key.arn,
                recoveryWindowInDays: protect ? 30 : 7,
                tags: { ...tags, Name: `${secretPrefix}${secretName}` },
            }, stateful);
            new aws.secretsmanager.SecretVersion(`${name}-${secretName}`, { secretId: secret.id, secretString: value }, { parent: this, ignoreChanges: managedOutside ? ["secretString"] : [] });
            new aws.secretsmanager.SecretPolicy(`${name}-${secretName}`, {
                secretArn: secret.arn,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{
                        Sid: "OnlyTheWorkloadReads",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: "*",
                        Condition: { ArnNotEquals: { "aws:PrincipalArn": [...args.secretReaderRoleArns, ...admins] } },
                    }],
                }),
            }, parent);
            return secret.arn;
        };
        this.appSecretArns = {
            databaseUrl: appSecret(
                "database-url",
                "PostgreSQL connection for the RAG app; user and password are in the workload's credentials secret, which rotates by alternating users",
                pulumi.jsonStringify({
                    url: pulumi.interpolate`postgresql://${this.database.endpoint}:${this.database.port}/${this.database.databaseName}?sslmode=verify-full`,
                    credentialsSecretArn: this.database.appSecretArn,
                }),
            ),
            redisUrl: appSecret("redis-url", "Redis connection (TLS, AUTH token) for the RAG app", pulumi.secret(pulumi.interpolate`rediss://:${this.cache.authToken}@${this.cache.endpoint}:${this.cache.port}${redisUrlQuery(this.cache.clusterMode)}`)),
            apiKeys: appSecret("api-keys", "Model-provider API keys of the RAG app; set by operators, never by the program", JSON.stringify({ OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" }), true),
        };

        if (this.documentDb) {
            // Without credentials: they are DocumentDB's own secret, which rotates. DocumentDB has no retryable
            // writes, one replica set (rs0), and requires TLS (clients trust the Amazon RDS CA bundle).
            this.documentDbUrlSecretArn = appSecret(
                "mongodb-url",
                "DocumentDB connection for the RAG app; the credentials are DocumentDB's managed master secret",
                pulumi.interpolate`mongodb://${this.documentDb.endpoint}:${this.documentDb.port}/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false`,
            );
        }
        this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, appSecretArns: this.appSecretArns });
    }
}
