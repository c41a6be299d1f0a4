/**
 * What an environment requires of one config key, whatever the stack file says: the single home of each such
 * rule. Config validation refuses a stack that breaks one (stacks/config.ts applies this table), and
 * docs/rules.md is generated from it, with each rule's environment defaults and the policies that check the same
 * requirement on the registered resources at their level per environment (`npm run docs:tables`).
 *
 * Rules that weigh several keys together (AZ count, node groups per AZ, the public API's reach, the database
 * class) stay with their checks in stacks/config.ts; docs/rules.md lists them too, below this table's rows.
 */
import type { Environment } from "./environments";
import { KMS_DELETION_WINDOW_DAYS } from "./kms";

export interface EnvironmentRule {
    /** What the rule keeps, in a few words. */
    title: string;
    /** The config key it is about (without the project prefix). */
    key: string;
    /** The environments it applies in. */
    environments: readonly Environment[];
    /** Whether a value of the key keeps the rule. */
    holds: (value: unknown) => boolean;
    /** Why the rule exists: the refusal's message. */
    why: string;
    /** What is allowed instead. */
    allowed: string;
    /** Policies (`<pack>/<policy>`) that check the same requirement on the registered resources. Default none. */
    policies?: readonly string[];
    /** The component argument that keeps it when nothing is said (`Component.field = default`). Default none. */
    componentDefault?: string;
}

/** Point-in-time recovery prod keeps: the spec's 30-day backups. */
export const PROD_MIN_BACKUP_DAYS = 30;

const PROD = ["prod"] as const;
const atLeast = (min: number) => (value: unknown) => typeof value === "number" && value >= min;

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
    {
        title: "NAT gateway per AZ",
        key: "natGateways",
        environments: PROD,
        holds: (v) => v === "onePerAz",
        why: "prod needs a NAT gateway in every AZ so one AZ's outage does not cut the others' egress",
        allowed: '"onePerAz"',
        policies: ["rag-high-availability/nat-gateway-per-az"],
    },
    {
        title: "stateful resources protected",
        key: "protectStatefulResources",
        environments: PROD,
        holds: (v) => v === true,
        why: "prod must protect everything that holds data",
        allowed: "true",
        componentDefault: "every component: protect = false",
    },
    {
        title: "longest KMS deletion window",
        key: "kmsKeyDeletionWindowDays",
        environments: PROD,
        holds: atLeast(KMS_DELETION_WINDOW_DAYS.max),
        why: "prod keeps the longest window to undo a key deletion",
        allowed: String(KMS_DELETION_WINDOW_DAYS.max),
        componentDefault: `every key-creating component: kmsKeyDeletionWindowDays = ${KMS_DELETION_WINDOW_DAYS.max}`,
    },
    {
        title: "database Multi-AZ",
        key: "dbMultiAz",
        environments: PROD,
        holds: (v) => v === true,
        why: "prod's database must survive an AZ outage (RTO < 1 h)",
        allowed: "true",
        policies: ["rag-high-availability/rds-multi-az"],
        componentDefault: "Database.multiAz = true",
    },
    {
        title: "30 days of point-in-time recovery",
        key: "dbBackupRetentionDays",
        environments: PROD,
        holds: atLeast(PROD_MIN_BACKUP_DAYS),
        why: `prod keeps the spec's ${PROD_MIN_BACKUP_DAYS} days of point-in-time recovery`,
        allowed: `${PROD_MIN_BACKUP_DAYS} to 35`,
        componentDefault: `Database.backupRetentionDays = ${PROD_MIN_BACKUP_DAYS}`,
    },
    {
        title: "cache snapshots kept",
        key: "cacheSnapshotRetentionDays",
        environments: PROD,
        holds: atLeast(1),
        why: "prod keeps at least a day of cache snapshots (sessions and queues survive a lost replication group)",
        allowed: "1 to 35",
        componentDefault: "Cache.snapshotRetentionDays = 7",
    },
    {
        title: "cache Multi-AZ",
        key: "cacheMultiAz",
        environments: PROD,
        holds: (v) => v === true,
        why: "prod's cache replicas must sit in other AZs than their primaries",
        allowed: "true",
        policies: ["rag-high-availability/elasticache-multi-az"],
        componentDefault: "Cache.multiAz = true",
    },
    {
        title: "DocumentDB across AZs",
        key: "docdbInstances",
        environments: PROD,
        holds: atLeast(2),
        why: "prod's DocumentDB needs a replica in another AZ to fail over to",
        allowed: "2 or more",
        policies: ["rag-high-availability/documentdb-multi-az"],
        componentDefault: "DocumentDatabase.instances = 3",
    },
    {
        title: "daily AWS Backup",
        key: "backupFrequency",
        environments: PROD,
        holds: (v) => v === "daily",
        why: "prod backs up daily",
        allowed: '"daily"',
    },
    {
        title: "30 days of AWS Backup",
        key: "backupRetentionDays",
        environments: PROD,
        holds: atLeast(30),
        why: "prod keeps 30 days of backups",
        allowed: "30 or more",
    },
    {
        title: "audit trail",
        key: "cloudTrail",
        environments: PROD,
        holds: (v) => v === true,
        why: "prod keeps an audit log of every API call",
        allowed: "true",
    },
];

/** Rules whose check weighs several keys together: listed in docs/rules.md, checked in stacks/config.ts. */
export const COMPOSITE_RULES: readonly { title: string; keys: string; environments: string; policies?: readonly string[] }[] = [
    { title: "availability zones", keys: "availabilityZones, azCount", environments: "2 or more in dev, 3 or more in staging and prod", policies: ["rag-high-availability/vpc-subnets-multi-az", "rag-high-availability/node-group-multi-az"] },
    { title: "a node in every AZ", keys: "<group>MinSize", environments: "staging and prod: each group's minimum at least the AZ count", policies: ["rag-high-availability/node-group-multi-az"] },
    { title: "on-demand nodes", keys: "nodeCapacityType, observabilityNodeCapacityType", environments: "prod (queue workers may run on spot)" },
    { title: "Kubernetes API reach", keys: "clusterPublicAccessCidrs", environments: "prod: at most a /16 in all", policies: ["rag-network-exposure/eks-endpoint-not-open"] },
    { title: "no burstable database", keys: "dbInstanceClass", environments: "prod: a db.r* or db.m* class" },
    { title: "a DR region", keys: "drRegion", environments: "prod: set, and not the stack's region" },
    { title: "a standby in its primary's DR region", keys: "primaryStack, drRegion", environments: "every standby: its region is the primary's drRegion, its drRegion the primary's region, same environment and PostgreSQL major (checked against the primary's outputs)" },
    { title: "a standby answers as SECONDARY, without an edge", keys: "failoverRouting, edge", environments: "every standby with a domain: failoverRouting true, edge false", policies: ["rag-high-availability/route53-failover-health-check"] },
    { title: "no standby of DocumentDB or shared volumes", keys: "primaryStack, services", environments: "every standby: services on PostgreSQL, the cache and S3 only" },
];
