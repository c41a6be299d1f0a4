/** ElastiCache (Redis OSS / Valkey): encrypted at rest with a customer key, TLS required, clients authenticated. */
import { resourcePolicy } from "../../lib/policy";

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";

export const elasticacheAtRestEncrypted = resourcePolicy(
    {
        name: "elasticache-at-rest-encrypted",
        description: "ElastiCache replication groups encrypt data at rest with a customer-managed KMS key.",
        severity: "critical",
        remediationSteps: "Use a replication group with atRestEncryptionEnabled: true and kmsKeyId set (a standalone cache cluster cannot encrypt at rest). Changing it replaces the group: migrate through a snapshot.",
    },
    [REPLICATION_GROUP, CLUSTER, SERVERLESS],
    (cache, report, args) => {
        if (args.type === CLUSTER) {
            // Members of a replication group are covered by the group.
            if (!cache.replicationGroupId && cache.engine !== "memcached") report("a standalone Redis/Valkey cache cluster cannot encrypt at rest; use a replication group");
            return;
        }
        if (args.type === SERVERLESS) {
            if (!cache.kmsKeyId) report("serverless cache uses the AWS-managed key; set kmsKeyId to a customer-managed key");
            return;
        }
        if (cache.atRestEncryptionEnabled !== true && cache.atRestEncryptionEnabled !== "true") report("atRestEncryptionEnabled is not true");
        else if (!cache.kmsKeyId) report("at-rest encryption uses the AWS-managed key; set kmsKeyId to a customer-managed key");
    },
);

export const elasticacheInTransitEncrypted = resourcePolicy(
    {
        name: "elasticache-in-transit-encrypted",
        description: "ElastiCache requires TLS from every client.",
        severity: "high",
        remediationSteps: "Set transitEncryptionEnabled: true and leave transitEncryptionMode unset or \"required\" (\"preferred\" still accepts plaintext clients).",
    },
    [REPLICATION_GROUP, CLUSTER],
    (cache, report, args) => {
        if (args.type === CLUSTER && (cache.replicationGroupId || cache.engine === "memcached")) return;
        if (cache.transitEncryptionEnabled !== true) report("transitEncryptionEnabled is not true: clients connect in plaintext");
        else if (cache.transitEncryptionMode === "preferred") report('transitEncryptionMode is "preferred": plaintext connections are still accepted');
    },
);

export const elasticacheAuthRequired = resourcePolicy(
    {
        name: "elasticache-auth-required",
        description: "ElastiCache replication groups authenticate clients with an AUTH token or RBAC user groups.",
        severity: "high",
        remediationSteps: "Set authToken (from Secrets Manager or @pulumi/random, never a literal) or userGroupIds with RBAC users.",
    },
    [REPLICATION_GROUP],
    (cache, report) => {
        const groups: unknown[] = cache.userGroupIds ?? [];
        if (!cache.authToken && groups.length === 0) report("neither authToken nor userGroupIds is set: any client in the network can read and write the cache");
    },
);
