/**
 * The DataTier component (database, cache, buckets, backups, secrets) by the resources it registers, its children
 * rejecting what they cannot build, and the data tier each stack file really registers.
 */
import { describe, expect, it } from "vitest";
import { BackupPlan } from "../components/backup-plan";
import { Cache } from "../components/cache";
import { DataTier, type DataTierArgs } from "../components/data-tier";
import { Database } from "../components/database";
import { EntryPoint } from "../components/entry-point";
import { SharedFiles } from "../components/shared-files";
import { DocumentDatabase } from "../components/document-database";
import { evaluateStack, type PlanRecord } from "../offline/evaluate";
import { ofType, registered } from "../offline/inspect";
import type { RecordedResource } from "../offline/mocks";
import { named, only, registerUnderMocks, rejectionOf } from "./helpers";
import { stackPlans } from "./plans";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const ESO_ROLE = "arn:aws:iam::123456789012:role/external-secrets";
const ARGS: DataTierArgs = {
    name: "rag-test",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    securityGroupId: "sg-data",
    database: { engineVersion: "17", instanceClass: "db.r6g.large", readReplicas: 1 },
    cache: { engine: "redis", engineVersion: "7.1", nodeType: "cache.r6g.large" },
    drRegion: "eu-central-1",
    rotation: { vpcId: "vpc-1", subnetIds: ["subnet-p1", "subnet-p2", "subnet-p3"] },
    secretReaderRoleArns: [ESO_ROLE],
    protect: true,
};
const build = (args: Partial<DataTierArgs> = {}) => registerUnderMocks(() => new DataTier("data", { ...ARGS, ...args }));
const json = (value: unknown) => JSON.parse(String(value));
const byName = (record: PlanRecord, type: string) => Object.fromEntries(ofType(record, type).map((r) => [r.name, r]));
const forBucket = (record: PlanRecord, type: string, bucket: RecordedResource) => ofType(record, type).filter((r) => r.inputs.bucket === bucket.id);

describe("DataTier, production settings", async () => {
    const record = await build();
    const keys = byName(record, "aws:kms/key:Key");
    const dataKey = keys["data-key"].state.arn;
    const drKey = keys["data-dr-key"].state.arn;

    it("parents every child to a data component", () => {
        const components = registered(record).filter((r) => !r.custom).map((r) => r.urn);
        for (const child of registered(record).filter((r) => r.custom)) expect(components, child.name).toContain(child.parent);
    });

    it("has its own rotating keys, one in the DR region, with a 30-day deletion window", () => {
        expect(keys["data-key"].inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(keys["data-dr-key"].inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, region: "eu-central-1" });
    });

    it("runs PostgreSQL Multi-AZ, encrypted, TLS-only, with IAM auth, the platform's master password, 30 days of PITR and deletion protection", () => {
        const writer = named(record, "aws:rds/instance:Instance", "data-postgres-writer");
        expect(writer.inputs).toMatchObject({
            identifier: "rag-test-postgres",
            engine: "postgres",
            engineVersion: "17",
            instanceClass: "db.r6g.large",
            storageType: "gp3",
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            storageEncrypted: true,
            kmsKeyId: dataKey,
            multiAz: true,
            publiclyAccessible: false,
            vpcSecurityGroupIds: ["sg-data"],
            iamDatabaseAuthenticationEnabled: true,
            username: "rag_admin",
            backupRetentionPeriod: 30,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: dataKey,
            monitoringInterval: 60,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "rag-test-postgres-final",
            allowMajorVersionUpgrade: false,
        });
        expect(only(record, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(ARGS.subnetIds);
        const parameters = only(record, "aws:rds/parameterGroup:ParameterGroup");
        expect(parameters.inputs.family).toBe("postgres17");
        expect(Object.fromEntries((parameters.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]))).toMatchObject({
            "rds.force_ssl": "1",
            shared_preload_libraries: "pg_stat_statements,auto_explain",
        });
        expect(writer.inputs.parameterGroupName).toBe(parameters.state.name);
    });

    it("adds read replicas of the writer that autoscale their storage like it", () => {
        const replica = named(record, "aws:rds/instance:Instance", "data-postgres-replica-1");
        expect(replica.inputs).toMatchObject({ identifier: "rag-test-postgres-replica-1", replicateSourceDb: "rag-test-postgres", backupRetentionPeriod: 0, maxAllocatedStorage: 1000 });
    });

    it("creates a log group for every log type every instance exports, first and encrypted", () => {
        for (const instance of ofType(record, "aws:rds/instance:Instance")) {
            expect(instance.inputs.enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
            for (const logType of instance.inputs.enabledCloudwatchLogsExports as string[]) {
                const group = ofType(record, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/rds/instance/${instance.inputs.identifier}/${logType}`);
                expect(group?.inputs, `${instance.inputs.identifier} ${logType}`).toMatchObject({ kmsKeyId: dataKey, retentionInDays: 30 });
                expect(instance.dependencies).toContain(group!.urn);
            }
        }
    });

    it("keeps the master credentials in a secret of its own, replicated to the DR region, rotated every 90 days by AWS's function", () => {
        const writer = named(record, "aws:rds/instance:Instance", "data-postgres-writer");
        // RDS refuses replicas of an instance whose password it manages: the platform generates and keeps it.
        expect(writer.inputs.manageMasterUserPassword).toBeUndefined();
        const password = named(record, "random:index/randomPassword:RandomPassword", "data-postgres-master-password");
        expect(password.inputs).toMatchObject({ length: 40, special: false });
        // Replacing it would set a password the rotated secret does not hold.
        expect(password.protect).toBe(true);
        const secret = named(record, "aws:secretsmanager/secret:Secret", "data-postgres-master");
        expect(secret.inputs).toMatchObject({ name: "rag-test-postgres/master", kmsKeyId: dataKey, recoveryWindowInDays: 30, replicas: [{ region: "eu-central-1", kmsKeyId: drKey }] });
        expect(secret.protect && secret.retainOnDelete).toBe(true);
        const version = named(record, "aws:secretsmanager/secretVersion:SecretVersion", "data-postgres-master");
        // The shape AWS's rotation function reads; after the first rotation the secret holds the password, not the program.
        expect(json((version.inputs.secretString as Record<string, string>).value)).toEqual({
            engine: "postgres", host: writer.state.address, port: 5432, dbname: "rag", username: "rag_admin", password: password.state.result, dbInstanceIdentifier: "rag-test-postgres",
        });
        expect(version.ignoreChanges).toEqual(["secretString"]);
        const [single] = ofType(record, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack");
        expect(single.inputs).toMatchObject({
            applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
            semanticVersion: "1.1.671",
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: { functionName: "rag-test-postgres-rotation", endpoint: "https://secretsmanager.eu-west-1.amazonaws.com", vpcSubnetIds: "subnet-p1,subnet-p2,subnet-p3", kmsKeyArn: dataKey },
        });
        const rotations = ofType(record, "aws:secretsmanager/secretRotation:SecretRotation");
        expect(rotations[0].inputs).toEqual({ secretId: secret.id, rotationLambdaArn: (single.state.outputs as Record<string, string>).RotationLambdaARN, rotationRules: { automaticallyAfterDays: 90 } });
        const app = single;
        // The function reaches PostgreSQL (and the database admits it) and Secrets Manager, nothing else.
        const sg = named(record, "aws:ec2/securityGroup:SecurityGroup", "data-postgres-rotation");
        expect(app.inputs.parameters).toMatchObject({ vpcSecurityGroupIds: sg.id });
        expect(named(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "data-postgres-database-from-rotation").inputs).toMatchObject({ securityGroupId: "sg-data", fromPort: 5432, toPort: 5432 });
        expect(ofType(record, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4])).toEqual([[5432, "sg-data"], [443, "0.0.0.0/0"]]);
    });

    it("gives the workload credentials of its own, rotated by alternating users so that the pair pods hold stays valid", () => {
        const writer = named(record, "aws:rds/instance:Instance", "data-postgres-writer");
        const master = named(record, "aws:secretsmanager/secret:Secret", "data-postgres-master");
        const password = named(record, "random:index/randomPassword:RandomPassword", "data-postgres-app-password");
        expect(password.protect).toBe(true);
        const secret = named(record, "aws:secretsmanager/secret:Secret", "data-postgres-app");
        expect(secret.inputs).toMatchObject({ name: "rag-test-postgres/app", kmsKeyId: dataKey, replicas: [{ region: "eu-central-1", kmsKeyId: drKey }] });
        expect(secret.protect && secret.retainOnDelete).toBe(true);
        const version = ofType(record, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "data-postgres-app")!;
        // AWS's alternating-users function needs masterarn: it sets the other user's password with the master's.
        expect(json((version.inputs.secretString as Record<string, string>).value)).toEqual({
            engine: "postgres", host: writer.state.address, port: 5432, dbname: "rag", username: "rag_app", password: password.state.result, dbInstanceIdentifier: "rag-test-postgres", masterarn: master.state.arn,
        });
        expect(version.ignoreChanges).toEqual(["secretString"]);
        const alternating = ofType(record, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack")[1];
        expect(alternating.inputs).toMatchObject({
            applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser",
            semanticVersion: "1.1.671",
            parameters: { functionName: "rag-test-postgres-app-rotation", kmsKeyArn: dataKey, masterSecretKmsKeyArn: dataKey },
        });
        expect(String((alternating.inputs.parameters as Record<string, string>).masterSecretArn)).toMatch(/:secret:rag-test-postgres\/master-\*$/);
        const rotation = ofType(record, "aws:secretsmanager/secretRotation:SecretRotation")[1];
        expect(rotation.inputs).toEqual({ secretId: secret.id, rotationLambdaArn: (alternating.state.outputs as Record<string, string>).RotationLambdaARN, rotationRules: { automaticallyAfterDays: 90 } });
        // The database-url secret names neither user nor password: both come from the rotating secret.
        const url = ofType(record, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "data-database-url")!;
        expect(json((url.inputs.secretString as Record<string, string>).value)).toEqual({ url: `postgresql://${String(writer.state.address)}:5432/rag?sslmode=verify-full`, credentialsSecretArn: secret.state.arn });
    });

    it("runs the cache in cluster mode with 3 nodes, failover and Multi-AZ, encrypted at rest and in transit, behind an AUTH token", () => {
        const group = only(record, "aws:elasticache/replicationGroup:ReplicationGroup");
        expect(group.inputs).toMatchObject({
            engine: "redis",
            engineVersion: "7.1",
            clusterMode: "enabled",
            numNodeGroups: 1,
            replicasPerNodeGroup: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            kmsKeyId: dataKey,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            securityGroupIds: ["sg-data"],
            snapshotRetentionLimit: 7,
        });
        // The token reaches the engine as a secret, and lives in Secrets Manager under the cluster's prefix.
        expect((group.inputs.authToken as Record<string, string>)[SECRET_SIG]).toBeDefined();
        expect(byName(record, "aws:secretsmanager/secret:Secret")["data-cache-auth-token"].inputs).toMatchObject({ name: "rag-test/cache-auth-token", kmsKeyId: dataKey });
        expect(only(record, "aws:elasticache/parameterGroup:ParameterGroup").inputs).toMatchObject({ family: "redis7", parameters: [{ name: "cluster-enabled", value: "yes" }] });
    });

    it("locks every bucket down: public access blocked, owner enforced, TLS-only policy", () => {
        const buckets = ofType(record, "aws:s3/bucket:Bucket");
        expect(buckets.map((b) => b.name).sort()).toEqual(["data-buckets-backups", "data-buckets-backups-replica", "data-buckets-documents", "data-buckets-documents-replica", "data-buckets-logs"]);
        for (const bucket of buckets) {
            expect(forBucket(record, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)[0].inputs, bucket.name).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            expect(forBucket(record, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket)[0].inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
            const [deny] = json(forBucket(record, "aws:s3/bucketPolicy:BucketPolicy", bucket)[0].inputs.policy).Statement;
            expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        }
    });

    it("encrypts documents and backups with SSE-KMS and bucket keys, replicas with the DR key, the log bucket with SSE-S3", () => {
        const buckets = byName(record, "aws:s3/bucket:Bucket");
        const sse = (bucket: string) => (forBucket(record, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", buckets[bucket])[0].inputs.rules as object[])[0];
        for (const bucket of ["data-buckets-documents", "data-buckets-backups"]) {
            expect(sse(bucket)).toEqual({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: dataKey }, bucketKeyEnabled: true });
        }
        for (const bucket of ["data-buckets-documents-replica", "data-buckets-backups-replica"]) {
            expect(sse(bucket)).toEqual({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: drKey }, bucketKeyEnabled: true });
            expect(buckets[bucket].inputs.region).toBe("eu-central-1");
        }
        expect(sse("data-buckets-logs")).toEqual({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false });
    });

    it("versions documents, moves them to Standard-IA at 30 days and Glacier at 90, expires old versions, logs access", () => {
        const buckets = byName(record, "aws:s3/bucket:Bucket");
        const documents = buckets["data-buckets-documents"];
        expect(forBucket(record, "aws:s3/bucketVersioning:BucketVersioning", documents)[0].inputs.versioningConfiguration).toEqual({ status: "Enabled" });
        const rules = forBucket(record, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", documents)[0].inputs.rules as Record<string, unknown>[];
        expect(rules.find((r) => r.id === "tier-documents")!.transitions).toEqual([{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER" }]);
        expect(rules.find((r) => r.id === "expire-old-versions")!.noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
        expect(ofType(record, "aws:s3/bucketLogging:BucketLogging").map((l) => [l.inputs.bucket, l.inputs.targetBucket, l.inputs.targetPrefix])).toEqual([
            [documents.id, buckets["data-buckets-logs"].id, "documents/"],
            [buckets["data-buckets-backups"].id, buckets["data-buckets-logs"].id, "backups/"],
        ]);
        const logDelivery = json(forBucket(record, "aws:s3/bucketPolicy:BucketPolicy", buckets["data-buckets-logs"])[0].inputs.policy).Statement[1];
        expect(logDelivery).toMatchObject({ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
    });

    it("replicates documents and backups to the DR region within 15 minutes (RTC), re-encrypted with the DR key", () => {
        const buckets = byName(record, "aws:s3/bucket:Bucket");
        const configs = ofType(record, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        expect(configs.map((c) => c.inputs.bucket)).toEqual([buckets["data-buckets-documents"].id, buckets["data-buckets-backups"].id]);
        for (const [config, replica] of [[configs[0], "data-buckets-documents-replica"], [configs[1], "data-buckets-backups-replica"]] as const) {
            const [rule] = config.inputs.rules as Record<string, any>[];
            expect(rule.destination).toMatchObject({
                bucket: buckets[replica].state.arn,
                encryptionConfiguration: { replicaKmsKeyId: drKey },
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
            });
            expect(rule.sourceSelectionCriteria).toEqual({ sseKmsEncryptedObjects: { status: "Enabled" } });
        }
    });

    it("backs up the database and tagged volumes daily for 30 days, continuously for PITR, with copies in the DR region", () => {
        const vaults = byName(record, "aws:backup/vault:Vault");
        expect(vaults["data-backup-vault"].inputs.kmsKeyArn).toBe(dataKey);
        expect(vaults["data-backup-dr-vault"].inputs).toMatchObject({ region: "eu-central-1", kmsKeyArn: drKey });
        const [rule] = only(record, "aws:backup/plan:Plan").inputs.rules as Record<string, any>[];
        expect(rule).toMatchObject({ schedule: "cron(0 5 ? * * *)", enableContinuousBackup: true, lifecycle: { deleteAfter: 30 } });
        expect(rule.copyActions).toEqual([{ destinationVaultArn: vaults["data-backup-dr-vault"].state.arn, lifecycle: { deleteAfter: 30 } }]);
        const selections = byName(record, "aws:backup/selection:Selection");
        expect(selections["data-backup-databases"].inputs.resources).toEqual([named(record, "aws:rds/instance:Instance", "data-postgres-writer").state.arn]);
        expect(selections["data-backup-volumes"].inputs.conditions).toEqual([{ stringEquals: [{ key: "aws:ResourceTag/rag-platform.io/backup", value: "true" }] }]);
    });

    it("keeps the app's secrets under the cluster's prefix, readable only by External Secrets and, without admin roles named, the deployer", () => {
        const secrets = byName(record, "aws:secretsmanager/secret:Secret");
        expect(Object.values(secrets).map((s) => s.inputs.name).sort()).toEqual(["rag-test-postgres/app", "rag-test-postgres/master", "rag-test/api-keys", "rag-test/cache-auth-token", "rag-test/database-url", "rag-test/redis-url"]);
        for (const policy of ofType(record, "aws:secretsmanager/secretPolicy:SecretPolicy")) {
            expect(json(policy.inputs.policy).Statement).toEqual([{
                Sid: "OnlyTheWorkloadReads",
                Effect: "Deny",
                Principal: "*",
                Action: "secretsmanager:GetSecretValue",
                Resource: "*",
                Condition: { ArnNotEquals: { "aws:PrincipalArn": [ESO_ROLE, "arn:aws:iam::123456789012:user/offline-plan"] } },
            }]);
        }
        const versions = byName(record, "aws:secretsmanager/secretVersion:SecretVersion");
        // Operators put the real API keys in; the program never overwrites them.
        expect(versions["data-api-keys"].ignoreChanges).toEqual(["secretString"]);
        // secretString is a secret in the provider's schema: it reaches the engine in the secret envelope.
        const unwrap = (value: unknown) => (value as Record<string, string>).value;
        const databaseUrl = json(unwrap(versions["data-database-url"].inputs.secretString));
        expect(databaseUrl.url).toMatch(/^postgresql:\/\/rag-test-postgres\..+:5432\/rag\?sslmode=verify-full$/);
        expect((versions["data-redis-url"].inputs.secretString as Record<string, string>)[SECRET_SIG]).toBeDefined();
    });

    it("never sets the writer's password after creation, and says what RDS reports of replicas so that no update replaces them", () => {
        // After the first rotation (or a failback's import) the secret holds the password, not the program.
        expect(named(record, "aws:rds/instance:Instance", "data-postgres-writer").ignoreChanges).toEqual(["password"]);
        const replica = named(record, "aws:rds/instance:Instance", "data-postgres-replica-1");
        // storageEncrypted forces a new instance (terraform-provider-aws): left unset, AWS's true would be a change.
        expect(replica.inputs.storageEncrypted).toBe(true);
        // Its identifier is fixed: a replacement (to follow a new writer) must delete the old one first.
        expect(replica.deleteBeforeReplace).toBe(true);
    });

    it("protects and retains everything that holds data", () => {
        const unprotected = ofType(record, "aws:rds/instance:Instance").concat(ofType(record, "aws:s3/bucket:Bucket"), ofType(record, "aws:backup/vault:Vault"), ofType(record, "aws:kms/key:Key"), ofType(record, "aws:elasticache/replicationGroup:ReplicationGroup")).filter((r) => !(r.protect && r.retainOnDelete));
        expect(unprotected.map((r) => r.name)).toEqual([]);
    });
});

describe("DataTier with a queue broker's cache (no cluster mode)", async () => {
    const record = await build({ cache: { ...ARGS.cache, clusterMode: false } });
    it("runs one primary with two replicas behind the primary endpoint, failing over across AZs", () => {
        const group = only(record, "aws:elasticache/replicationGroup:ReplicationGroup");
        expect(group.inputs).toMatchObject({ clusterMode: "disabled", numCacheClusters: 3, automaticFailoverEnabled: true, multiAzEnabled: true, transitEncryptionMode: "required" });
        expect(group.inputs.numNodeGroups).toBeUndefined();
        expect(group.inputs.replicasPerNodeGroup).toBeUndefined();
        expect(only(record, "aws:elasticache/parameterGroup:ParameterGroup").inputs).toMatchObject({ parameters: [{ name: "cluster-enabled", value: "no" }] });
    });
    it("gives the app a rediss:// URL of the primary that Celery accepts (certificates verified)", () => {
        const group = only(record, "aws:elasticache/replicationGroup:ReplicationGroup");
        const url = ofType(record, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "data-redis-url")!.inputs.secretString as Record<string, string>;
        expect(url.value).toMatch(new RegExp(`^rediss://:[A-Za-z0-9]{64}@${String(group.state.primaryEndpointAddress).replace(/\./g, "\\.")}:6379\\?ssl_cert_reqs=required$`));
    });
});

describe("DataTier with DocumentDB, protected", async () => {
    const record = await build({ documentDb: { instanceClass: "db.r6g.large", instances: 3 }, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    it("keeps DocumentDB like the database: deletion protection, a final snapshot, protected and retained, 30 days of backups", () => {
        const cluster = only(record, "aws:docdb/cluster:Cluster");
        expect(cluster.inputs).toMatchObject({ clusterIdentifier: "rag-test-docdb", deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "rag-test-docdb-final", backupRetentionPeriod: 30 });
        expect([cluster.protect, cluster.retainOnDelete]).toEqual([true, true]);
        expect(ofType(record, "aws:docdb/clusterInstance:ClusterInstance").map((i) => [i.inputs.identifier, i.inputs.availabilityZone, i.inputs.promotionTier])).toEqual([
            ["rag-test-docdb-1", "eu-west-1a", 0],
            ["rag-test-docdb-2", "eu-west-1b", 1],
            ["rag-test-docdb-3", "eu-west-1c", 2],
        ]);
        // The data key lets CloudWatch Logs encrypt DocumentDB's log groups.
        const key = JSON.parse(String(named(record, "aws:kms/key:Key", "data-key").inputs.policy));
        expect(key.Statement.map((st: { Sid: string }) => st.Sid)).toContain("CloudWatchLogsEncryptsDocumentDb");
    });
});

describe("DataTier without a DR region or backups, unprotected", async () => {
    const record = await build({ drRegion: undefined, backup: { frequency: "none", retentionDays: 7 }, protect: false });
    it("replicates nothing, backs up nothing, and can be torn down", () => {
        expect(ofType(record, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
        expect(ofType(record, "aws:backup/plan:Plan")).toEqual([]);
        expect(registered(record).filter((r) => r.protect)).toEqual([]);
        expect(named(record, "aws:rds/instance:Instance", "data-postgres-writer").inputs).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
        for (const bucket of ofType(record, "aws:s3/bucket:Bucket")) expect(bucket.inputs.forceDestroy).toBe(true);
    });
});

describe("data and edge components reject what they cannot build, before registering anything", () => {
    const common = { subnetIds: ["subnet-a", "subnet-b"], securityGroupId: "sg-data", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/x" };
    it.each([
        ["PostgreSQL older than 16", () => new Database("db", { ...common, identifier: "rag-db", engineVersion: "15", instanceClass: "db.r6g.large" }), "Database: engineVersion = \"15\" is not allowed"],
        // The same rule as config validation (model/aws-catalog.ts): exact versions, not a minimum.
        ["a PostgreSQL version RDS does not have", () => new Database("db", { ...common, identifier: "rag-db", engineVersion: "17.6.1", instanceClass: "db.r6g.large" }), "Database: engineVersion = \"17.6.1\" is not allowed; allowed: 16 (or 16.9"],
        ["storage above its autoscaling ceiling", () => new Database("db", { ...common, identifier: "rag-db", engineVersion: "17", instanceClass: "db.r6g.large", allocatedStorageGiB: 2000, maxAllocatedStorageGiB: 1000 }), "Database: allocatedStorageGiB = 2000 is not allowed; allowed: 20 to maxAllocatedStorageGiB (1000)"],
        ["a cache shard without a replica (failover is always on)", () => new Cache("cache", { ...common, secretPrefix: "x/", engine: "redis", engineVersion: "7.1", nodeType: "cache.r6g.large", replicasPerShard: 0 }), "Cache: replicasPerShard = 0 is not allowed"],
        ["shards without cluster mode", () => new Cache("cache", { ...common, secretPrefix: "x/", engine: "redis", engineVersion: "7.1", nodeType: "cache.r6g.large", clusterMode: false, shards: 2 }), "Cache: shards = 2 is not allowed; allowed: 1 without cluster mode"],
        ["a Redis version ElastiCache does not offer", () => new Cache("cache", { ...common, secretPrefix: "x/", engine: "redis", engineVersion: "6.2", nodeType: "cache.r6g.large" }), 'Cache: engineVersion = "6.2" is not allowed'],
        ["a DocumentDB instance class it does not offer", () => new DocumentDatabase("docs", { ...common, identifier: "docs", instanceClass: "db.m5.large", availabilityZones: ["a", "b"] }), 'DocumentDatabase: instanceClass = "db.m5.large" is not allowed'],
        ["a DocumentDB engine version it does not create", () => new DocumentDatabase("docs", { ...common, identifier: "docs", engineVersion: "3.6.0", instanceClass: "db.r6g.large", availabilityZones: ["a", "b"] }), 'DocumentDatabase: engineVersion = "3.6.0" is not allowed; allowed: 5.0.0, 8.0.0'],
        ["a shared file system reachable in one AZ only", () => new SharedFiles("files", { clusterName: "c", subnetIds: ["subnet-a"], securityGroupId: "sg-data", kmsKeyArn: common.kmsKeyArn }), "SharedFiles: subnetIds = 1 is not allowed; allowed: subnets in two or more AZs"],
        ["backups kept for no days", () => new BackupPlan("backup", { frequency: "daily", retentionDays: 0, kmsKeyArn: common.kmsKeyArn }), "BackupPlan: retentionDays = 0 is not allowed"],
        ["a KMS deletion window KMS refuses", () => new DataTier("data", { ...ARGS, kmsKeyDeletionWindowDays: 45 }), "DataTier: kmsKeyDeletionWindowDays = 45 is not allowed; allowed: an integer from 7 to 30"],
        [
            "a WAF log key with a deletion window KMS refuses",
            () => new EntryPoint("edge", { domainName: "rag.example.com", hostedZoneId: "Z123", kmsKeyDeletionWindowDays: 0 }),
            "EntryPoint: kmsKeyDeletionWindowDays = 0 is not allowed; allowed: an integer from 7 to 30",
        ],
        [
            "a probe path with a query string of its own (the probe's token goes there)",
            () => new EntryPoint("edge", { domainName: "rag.example.com", hostedZoneId: "Z123", healthCheckPath: "/healthz?deep=1" }),
            'EntryPoint: healthCheckPath = "/healthz?deep=1" is not allowed; allowed: a path starting with "/", without query string or fragment, of at most 202 characters',
        ],
        ["app secrets nobody may read", () => new DataTier("data", { ...ARGS, secretReaderRoleArns: [] }), "DataTier: secretReaderRoleArns = [] is not allowed"],
    ] as [string, () => unknown, string][])("%s", async (_, create, message) => {
        const rejection = await rejectionOf(create);
        expect(rejection.message).toContain(message);
        expect(rejection.registered).toEqual([]);
    });
});

describe("the data tier each stack registers", async () => {
    const [dev, staging, prod] = await stackPlans();
    const writer = (record: PlanRecord) => named(record, "aws:rds/instance:Instance", "data-postgres-writer").inputs;
    const cache = (record: PlanRecord) => only(record, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;

    it("dev: a small single-AZ database, a two-node cache, no replicas, no DR copies, no backup plan", () => {
        expect(writer(dev)).toMatchObject({ instanceClass: "db.t4g.medium", multiAz: false, allocatedStorage: 20, backupRetentionPeriod: 1, deletionProtection: false });
        expect(cache(dev)).toMatchObject({ nodeType: "cache.t4g.small", replicasPerNodeGroup: 1, multiAzEnabled: false });
        expect(ofType(dev, "aws:rds/instance:Instance")).toHaveLength(1);
        expect(ofType(dev, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
        expect(ofType(dev, "aws:backup/plan:Plan")).toEqual([]);
        expect(dev.outputs.backupVaultName).toBe("");
    });

    it("staging: prod's topology at smaller scale, weekly backups, no DR region", () => {
        expect(writer(staging)).toMatchObject({ instanceClass: "db.r6g.large", multiAz: true, allocatedStorage: 100, maxAllocatedStorage: 1000, backupRetentionPeriod: 7 });
        expect(cache(staging)).toMatchObject({ replicasPerNodeGroup: 2, multiAzEnabled: true });
        expect((only(staging, "aws:backup/plan:Plan").inputs.rules as { schedule: string }[])[0].schedule).toBe("cron(0 5 ? * SUN *)");
        expect(ofType(staging, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
    });

    it("prod: Multi-AZ with a replica, 30 days of PITR, daily backups copied to us-west-2, documents replicated there", () => {
        expect(writer(prod)).toMatchObject({ multiAz: true, backupRetentionPeriod: 30, deletionProtection: true, finalSnapshotIdentifier: "rag-prod-postgres-final" });
        expect(ofType(prod, "aws:rds/instance:Instance")).toHaveLength(2);
        expect(only(prod, "aws:backup/plan:Plan").inputs.rules).toMatchObject([{ schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 30 } }]);
        expect(named(prod, "aws:backup/vault:Vault", "data-backup-dr-vault").inputs.region).toBe("us-west-2");
        expect(ofType(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(2);
    });

    it("puts the database and cache in the database subnets behind the data security group", () => {
        for (const record of [dev, staging, prod]) {
            const databaseSubnets = ofType(record, "aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).tier === "database").map((s) => s.id);
            const dataSg = named(record, "aws:ec2/securityGroup:SecurityGroup", "network-data").id;
            expect(only(record, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(databaseSubnets);
            expect(only(record, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(databaseSubnets);
            expect(writer(record).vpcSecurityGroupIds).toEqual([dataSg]);
            expect(cache(record).securityGroupIds).toEqual([dataSg]);
        }
    });

    it("lets only the cluster's External Secrets role (and the deployer) read the app secrets", () => {
        const esoRole = named(prod, "aws:iam/role:Role", "cluster-addons-external-secrets").state.arn;
        for (const policy of ofType(prod, "aws:secretsmanager/secretPolicy:SecretPolicy")) {
            expect(json(policy.inputs.policy).Statement[0].Condition.ArnNotEquals["aws:PrincipalArn"][0]).toBe(esoRole);
        }
    });

    it("admits the stack's admin roles, not whoever ran `pulumi up` last, once the stack names them", async () => {
        const admin = "arn:aws:iam::123456789012:role/platform-deploy";
        const record = await evaluateStack({ stack: "prod", overrides: { "rag-platform:clusterAdminRoleArns": JSON.stringify([admin]) } });
        const esoRole = named(record, "aws:iam/role:Role", "cluster-addons-external-secrets").state.arn;
        for (const policy of ofType(record, "aws:secretsmanager/secretPolicy:SecretPolicy")) {
            expect(json(policy.inputs.policy).Statement[0].Condition.ArnNotEquals["aws:PrincipalArn"]).toEqual([esoRole, admin]);
        }
    });

    it("exports endpoints, ports, secret ARNs (never values), buckets and keys", () => {
        expect(prod.outputs).toMatchObject({ databasePort: 5432, cachePort: 6379, databaseName: "rag", drRegion: "us-west-2" });
        for (const key of ["databaseEndpoint", "databaseMasterSecretArn", "cacheEndpoint", "cacheAuthSecretArn", "documentsBucketName", "documentsBucketArn", "dataKmsKeyArn", "drKmsKeyArn", "backupVaultName"]) {
            expect(prod.outputs[key], key).toEqual(expect.any(String));
        }
        expect(prod.outputs.databaseReaderEndpoints).toHaveLength(1);
        expect(Object.keys(prod.outputs.appSecretArns as object)).toEqual(["databaseUrl", "redisUrl", "apiKeys"]);
        for (const arn of Object.values(prod.outputs.appSecretArns as object)) expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rag-prod\//);
        expect(prod.secretOutputs).toEqual(["kubeconfig"]);
    });
});
