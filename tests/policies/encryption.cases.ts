/** Accepted and rejected resources for every policy of the encryption pack. */
import { KEY_ARN, res, vary, type PolicyCases } from "./fixtures";

const db = res("aws:rds/instance:Instance", "db", {
    engine: "postgres",
    engineVersion: "17.5",
    instanceClass: "db.r6g.large",
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY_ARN,
    multiAz: true,
});
const aurora = res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY_ARN });
const pgGroup = res("aws:rds/parameterGroup:ParameterGroup", "pg", { family: "postgres17", parameters: [{ name: "rds.force_ssl", value: "1" }] });
const clusterGroup = res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "cpg", { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value: "1" }] });
const withGroup = (group: typeof pgGroup, base = db, property = "parameterGroupName") => res(base.type, `${base.name}-grouped`, { ...base.properties, [property]: "pg-name" }, { [property]: group });

const cache = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
    engine: "redis",
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY_ARN,
    transitEncryptionEnabled: true,
    authToken: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x".repeat(32) },
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numCacheClusters: 3,
});
const standaloneRedis = res("aws:elasticache/cluster:Cluster", "single", { engine: "redis", numCacheNodes: 1 });

const bucket = res("aws:s3/bucket:Bucket", "docs", { bucket: "docs-1234" });
const sse = (rule: Record<string, unknown>) => res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "docs-sse", { bucket: "docs-1234", rules: [rule] }, { bucket });
const logsBucket = res("aws:s3/bucket:Bucket", "logs", { bucket: "logs-1234" });
const logsSse = (rule: Record<string, unknown>) =>
    res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-sse", { bucket: "logs-1234", rules: [rule] }, { bucket: logsBucket });
const logging = res("aws:s3/bucketLogging:BucketLogging", "docs-logging", { bucket: "docs-1234", targetBucket: "logs-1234", targetPrefix: "documents/" }, { bucket, targetBucket: logsBucket });
/** A logs bucket that only load balancers write to: its policy admits ELB's log delivery. */
const elbLogsPolicy = res("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", {
    bucket: "logs-1234",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs-1234/alb/*" }] }),
}, { bucket: logsBucket });
const kmsRule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true };
const tlsPolicy = (statement: Record<string, unknown>) =>
    res("aws:s3/bucketPolicy:BucketPolicy", "docs-policy", { bucket: "docs-1234", policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }, { bucket });
const denyInsecure = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::docs-1234", "arn:aws:s3:::docs-1234/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } };

const volume = res("aws:ebs/volume:Volume", "vol", { availabilityZone: "us-east-1a", size: 100, type: "gp3", encrypted: true, kmsKeyId: KEY_ARN });
const instance = res("aws:ec2/instance:Instance", "vm", { ami: "ami-0abcdef1234567890", instanceType: "t3.micro", rootBlockDevice: { encrypted: true, kmsKeyId: KEY_ARN, volumeType: "gp3" } });
const launchTemplate = res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY_ARN, volumeType: "gp3", volumeSize: 50 } }],
});
const nodeGroup = res("aws:eks/nodeGroup:NodeGroup", "app", { launchTemplate: { id: "lt-0123", version: "1" }, scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 10 } });
const storageClass = res("kubernetes:storage.k8s.io/v1:StorageClass", "gp3", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY_ARN } });

const eksCluster = res("aws:eks/cluster:Cluster", "eks", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } } });
const eksComponent = res("eks:index:Cluster", "eks-component", { encryptionConfigKeyArn: KEY_ARN });

const https = res("aws:lb/listener:Listener", "https", { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" });
const httpRedirect = res("aws:alb/listener:Listener", "http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });

const ALB = "alb.ingress.kubernetes.io/";
const ingress = res("kubernetes:networking.k8s.io/v1:Ingress", "api", {
    metadata: {
        namespace: "rag",
        annotations: {
            [`${ALB}listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]',
            [`${ALB}ssl-redirect`]: "443",
            [`${ALB}ssl-policy`]: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            [`${ALB}certificate-arn`]: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        },
    },
    spec: { ingressClassName: "alb", rules: [] },
});
const annotate = (changes: Record<string, string | undefined>, name: string) => {
    const annotations = { ...(ingress.properties.metadata as { annotations: Record<string, string> }).annotations, ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete annotations[k];
    return vary(ingress, { metadata: { namespace: "rag", annotations } }, name);
};

const distribution = res("aws:cloudfront/distribution:Distribution", "cdn", {
    enabled: true,
    defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https", targetOriginId: "alb" },
    orderedCacheBehaviors: [{ pathPattern: "/static/*", viewerProtocolPolicy: "https-only", targetOriginId: "alb" }],
    viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    origins: [{ originId: "alb", domainName: "alb.example.com", customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 } }],
});

export const encryptionCases: Record<string, PolicyCases> = {
    "rds-storage-encrypted": {
        pass: [
            [db],
            [aurora],
            [res(db.type, "replica", { replicateSourceDb: "db-id", instanceClass: "db.r6g.large" })],
            [res(db.type, "standby", { replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres", kmsKeyId: KEY_ARN, instanceClass: "db.r6g.large" })],
            // Named by ARN but in the source's own region: it takes the source's key.
            [res(db.type, "replica", { replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres", region: "us-east-1", instanceClass: "db.r6g.large" })],
        ],
        fail: [
            [[res(db.type, "standby", { replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres", instanceClass: "db.r6g.large" })], /a replica of a source in us-east-1 without kmsKeyId/],
            [[res(db.type, "standby", { replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres", region: "us-west-2", instanceClass: "db.r6g.large" })], /a replica of a source in us-east-1, in us-west-2, without kmsKeyId/],
            [[vary(db, { storageEncrypted: false })], /storage is not encrypted/],
            [[vary(db, { kmsKeyId: undefined })], /AWS-managed key/],
            [[vary(aurora, { storageEncrypted: undefined })], /storage is not encrypted/],
        ],
    },
    "rds-performance-insights-encrypted": {
        pass: [[db], [vary(db, { performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined })]],
        fail: [[[vary(db, { performanceInsightsKmsKeyId: undefined })], /Performance Insights is on without performanceInsightsKmsKeyId/]],
    },
    "rds-tls-required": {
        pass: [[pgGroup, withGroup(pgGroup)], [db], [clusterGroup, withGroup(clusterGroup, aurora, "dbClusterParameterGroupName")]],
        fail: [
            [[vary(pgGroup, { parameters: [{ name: "rds.force_ssl", value: "0" }] }, "pg"), withGroup(pgGroup)], /does not set rds.force_ssl/],
            [[vary(db, { engineVersion: "14.12" })], /default group does not force TLS/],
            [[vary(db, { parameterGroupName: "shared-group" })], /not managed in this stack/],
            [[res(db.type, "mysql", { engine: "mysql", engineVersion: "8.0", storageEncrypted: true, kmsKeyId: KEY_ARN })], /require_secure_transport/],
            [[vary(clusterGroup, { parameters: [] }, "cpg"), withGroup(clusterGroup, aurora, "dbClusterParameterGroupName")], /does not set rds.force_ssl/],
        ],
    },
    "elasticache-at-rest-encrypted": {
        pass: [[cache], [res("aws:elasticache/cluster:Cluster", "member", { replicationGroupId: "cache" })]],
        fail: [
            [[vary(cache, { atRestEncryptionEnabled: false })], /atRestEncryptionEnabled is not true/],
            [[vary(cache, { kmsKeyId: undefined })], /AWS-managed key/],
            [[standaloneRedis], /cannot encrypt at rest/],
        ],
    },
    "elasticache-in-transit-encrypted": {
        pass: [[cache]],
        fail: [
            [[vary(cache, { transitEncryptionEnabled: false })], /plaintext/],
            [[vary(cache, { transitEncryptionMode: "preferred" })], /"preferred"/],
        ],
    },
    "elasticache-auth-required": {
        pass: [[cache], [vary(cache, { authToken: undefined, userGroupIds: ["rag-users"] })]],
        fail: [[[vary(cache, { authToken: undefined })], /neither authToken nor userGroupIds/]],
    },
    "s3-sse-kms": {
        pass: [
            [bucket, sse(kmsRule)],
            [vary(bucket, { serverSideEncryptionConfiguration: { rule: kmsRule } }, "inline")],
            [bucket, sse(kmsRule), logsBucket, logsSse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }), logging],
            [logsBucket, logsSse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }), elbLogsPolicy],
        ],
        fail: [
            [[bucket], /no server-side encryption configuration/],
            [[bucket, sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } })], /not aws:kms/],
            [[bucket, sse({ ...kmsRule, bucketKeyEnabled: false })], /bucketKeyEnabled/],
            [[bucket, sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true })], /aws\/s3 key/],
            [[logsBucket, logsSse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }), logging], /deliver only to SSE-S3/],
            [[logsBucket, logsSse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }), elbLogsPolicy], /deliver only to SSE-S3/],
        ],
    },
    "s3-tls-only": {
        pass: [[bucket, tlsPolicy(denyInsecure)], [bucket, tlsPolicy({ ...denyInsecure, Principal: { AWS: "*" }, Condition: { Bool: { "aws:SecureTransport": false } } })]],
        fail: [
            [[bucket], /no bucket policy/],
            [[bucket, tlsPolicy({ ...denyInsecure, Effect: "Allow" })], /no Deny statement/],
        ],
    },
    "ebs-volume-encrypted": {
        pass: [[volume], [instance]],
        fail: [
            [[vary(volume, { encrypted: false })], /volume is not encrypted/],
            [[vary(volume, { kmsKeyId: undefined })], /aws\/ebs key/],
            [[vary(instance, { rootBlockDevice: undefined })], /rootBlockDevice is not encrypted/],
        ],
    },
    "launch-template-volumes-encrypted": {
        pass: [[launchTemplate]],
        fail: [
            [[vary(launchTemplate, { blockDeviceMappings: [] })], /no blockDeviceMappings/],
            [[vary(launchTemplate, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeType: "gp3" } }] })], /is not encrypted/],
            [[vary(launchTemplate, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY_ARN, volumeType: "gp2" } }] })], /is gp2; use gp3/],
        ],
    },
    "eks-node-group-volumes-encrypted": {
        pass: [[nodeGroup]],
        fail: [[[vary(nodeGroup, { launchTemplate: undefined, diskSize: 50 })], /no launchTemplate/]],
    },
    "storage-class-encrypted": {
        pass: [[storageClass], [res(storageClass.type, "efs", { provisioner: "efs.csi.aws.com" })]],
        fail: [
            [[vary(storageClass, { parameters: { type: "gp3" } })], /encrypted is not "true"/],
            [[vary(storageClass, { parameters: { type: "gp2", encrypted: "true", kmsKeyId: KEY_ARN } })], /type is gp2/],
            [[vary(storageClass, { provisioner: "kubernetes.io/aws-ebs" })], /in-tree/],
        ],
    },
    "documentdb-encrypted": {
        pass: [[res("aws:docdb/cluster:Cluster", "docs", { storageEncrypted: true, kmsKeyId: KEY_ARN })], [res("aws:docdb/clusterParameterGroup:ClusterParameterGroup", "params", { family: "docdb5.0", parameters: [{ name: "tls", value: "enabled" }] })]],
        fail: [
            [[res("aws:docdb/cluster:Cluster", "docs", {})], /documents are stored unencrypted/],
            [[res("aws:docdb/cluster:Cluster", "docs", { storageEncrypted: true })], /aws\/rds key/],
            [[res("aws:docdb/clusterParameterGroup:ClusterParameterGroup", "params", { family: "docdb5.0", parameters: [{ name: "tls", value: "disabled" }] })], /tls is disabled/],
        ],
    },
    "efs-encrypted": {
        pass: [[res("aws:efs/fileSystem:FileSystem", "files", { encrypted: true, kmsKeyId: KEY_ARN })]],
        fail: [
            [[res("aws:efs/fileSystem:FileSystem", "files", {})], /files are stored unencrypted/],
            [[res("aws:efs/fileSystem:FileSystem", "files", { encrypted: true })], /aws\/elasticfilesystem key/],
        ],
    },
    "eks-secrets-encrypted": {
        pass: [[eksCluster], [eksComponent]],
        fail: [
            [[vary(eksCluster, { encryptionConfig: undefined })], /does not cover "secrets"/],
            [[vary(eksCluster, { encryptionConfig: { resources: ["secrets"] } })], /no provider.keyArn/],
            [[vary(eksComponent, { encryptionConfigKeyArn: undefined })], /encryptionConfigKeyArn is not set/],
        ],
    },
    "sns-topic-encrypted": {
        pass: [[res("aws:sns/topic:Topic", "alerts", { kmsMasterKeyId: KEY_ARN })]],
        fail: [
            [[res("aws:sns/topic:Topic", "alerts", {})], /messages are stored unencrypted/],
            [[res("aws:sns/topic:Topic", "alerts", { kmsMasterKeyId: "alias/aws/sns" })], /cannot be granted/],
        ],
    },
    "sqs-queue-encrypted": {
        pass: [[res("aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: KEY_ARN })]],
        fail: [
            [[res("aws:sqs/queue:Queue", "jobs", {})], /kmsMasterKeyId is not set/],
            [[res("aws:sqs/queue:Queue", "jobs", { sqsManagedSseEnabled: true })], /only SSE-SQS/],
        ],
    },
    "secretsmanager-secret-cmk": {
        pass: [[res("aws:secretsmanager/secret:Secret", "db-url", { kmsKeyId: KEY_ARN })]],
        fail: [[[res("aws:secretsmanager/secret:Secret", "db-url", {})], /aws\/secretsmanager/]],
    },
    "cloudwatch-log-group-encrypted": {
        pass: [[res("aws:cloudwatch/logGroup:LogGroup", "logs", { kmsKeyId: KEY_ARN, retentionInDays: 30 })]],
        fail: [[[res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 })], /kmsKeyId is not set/]],
    },
    "kms-key-rotation": {
        pass: [[res("aws:kms/key:Key", "data", { enableKeyRotation: true })], [res("aws:kms/key:Key", "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })]],
        fail: [[[res("aws:kms/key:Key", "data", {})], /enableKeyRotation is not true/]],
    },
    "lb-listener-tls": {
        pass: [[https], [httpRedirect]],
        fail: [
            [[vary(https, { sslPolicy: undefined })], /without sslPolicy/],
            [[vary(https, { sslPolicy: "ELBSecurityPolicy-2016-08" })], /not in the allow-list/],
            [[vary(httpRedirect, { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] })], /serves traffic unencrypted/],
        ],
    },
    "alb-ingress-tls": {
        pass: [[ingress], [res(ingress.type, "nginx", { spec: { ingressClassName: "nginx" } })]],
        fail: [
            [[annotate({ [`${ALB}listen-ports`]: undefined }, "default-ports")], /no HTTPS listener/],
            [[annotate({ [`${ALB}ssl-redirect`]: undefined }, "no-redirect")], /without alb.ingress.kubernetes.io\/ssl-redirect/],
            [[annotate({ [`${ALB}ssl-policy`]: undefined }, "no-policy")], /accepts TLS 1.0/],
            [[annotate({ [`${ALB}ssl-policy`]: "ELBSecurityPolicy-TLS-1-1-2017-01" }, "old-policy")], /not in the allow-list/],
            [[annotate({ [`${ALB}certificate-arn`]: undefined }, "no-cert")], /no certificate/],
        ],
    },
    "cloudfront-tls": {
        pass: [[distribution]],
        fail: [
            [[vary(distribution, { defaultCacheBehavior: { viewerProtocolPolicy: "allow-all", targetOriginId: "alb" } })], /defaultCacheBehavior allows plain HTTP/],
            [[vary(distribution, { viewerCertificate: { cloudfrontDefaultCertificate: true } })], /default certificate/],
            [[vary(distribution, { viewerCertificate: { acmCertificateArn: "arn", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1" } })], /older than TLSv1.2_2021/],
            [[vary(distribution, { origins: [{ originId: "alb", customOriginConfig: { originProtocolPolicy: "http-only", originSslProtocols: ["TLSv1", "TLSv1.2"] } }] })], /originProtocolPolicy http-only/],
        ],
    },
};
