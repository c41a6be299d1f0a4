/**
 * Writes README's environments table from the profiles (stacks/profiles.ts), so the table cannot drift from what
 * a stack gets. "(enforced)" is not written by hand either: a prod cell carries it when a prod stack that sets dev's
 * value for one of the row's keys (and nothing else but its region) is refused by config validation naming that key. tests/docs.test.ts
 * fails when the committed table is stale; `npm run docs:tables` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../offline/evaluate";
import { NODE_GROUPS, sizedNodeGroups, type ConfigKey, type NodeGroupPrefix } from "../stacks/config-keys";
import { ConfigError, loadStackConfig, PROJECT } from "../stacks/config";
import { PROFILES, type Profile } from "../stacks/profiles";
import { replaceGeneratedBlock } from "./generated-block";

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
const group = (types: string[], capacity: string, min: number, max: number) => `${types.join(", ")} ${capacity}, ${min}-${max}`;

/** Each row: its label, the keys it shows, and how one environment's values read. */
const ROWS: { label: string; keys: ConfigKey[]; cell: (p: Profile) => string }[] = [
    { label: "AZs", keys: ["azCount"], cell: (p) => String(p.azCount) },
    { label: "NAT gateways", keys: ["natGateways"], cell: (p) => (p.natGateways === "single" ? "1 shared" : "one per AZ") },
    { label: "interface endpoints", keys: ["vpcInterfaceEndpoints"], cell: (p) => p.vpcInterfaceEndpoints.join(", ") },
    { label: "flow-log retention", keys: ["flowLogRetentionDays"], cell: (p) => days(p.flowLogRetentionDays) },
    { label: "stateful resources protected, retained on delete", keys: ["protectStatefulResources"], cell: (p) => (p.protectStatefulResources ? "yes" : "no") },
    { label: "KMS deletion window", keys: ["kmsKeyDeletionWindowDays"], cell: (p) => days(p.kmsKeyDeletionWindowDays) },
    { label: "Kubernetes", keys: ["kubernetesVersion"], cell: (p) => p.kubernetesVersion },
    { label: "API endpoint", keys: ["clusterPublicAccessCidrs"], cell: (p) => (p.clusterPublicAccessCidrs.length ? `public to ${p.clusterPublicAccessCidrs.join(", ")}` : "private") },
    // One row per node group, from the same table that defines the groups' config keys.
    ...(Object.entries(NODE_GROUPS) as [NodeGroupPrefix, string][]).map(([prefix, name]) => ({
        label: `${name} nodes${prefix === "node" ? "" : " (tainted)"}`,
        keys: (["InstanceTypes", "CapacityType", "MinSize"] as const).map((field): ConfigKey => `${prefix}${field}`),
        cell: (p: Profile) => {
            const g = sizedNodeGroups(p).find((sized) => sized.prefix === prefix);
            return g ? group(g.instanceTypes, g.capacityType, g.minSize, g.maxSize) : "none (workers on application nodes)";
        },
    })),
    { label: "control-plane log retention", keys: ["clusterLogRetentionDays"], cell: (p) => days(p.clusterLogRetentionDays) },
    {
        label: "PostgreSQL",
        keys: ["dbInstanceClass", "dbMultiAz", "dbBackupRetentionDays", "dbReadReplicas"],
        cell: (p) =>
            `${p.dbInstanceClass}, ${p.dbEngineVersion}, ${p.dbMultiAz ? "Multi-AZ" : "single-AZ"}, ${p.dbAllocatedStorageGiB}-${p.dbMaxAllocatedStorageGiB} GiB, ` +
            `${days(p.dbBackupRetentionDays)} PITR, ${p.dbReadReplicas} read replica${p.dbReadReplicas === 1 ? "" : "s"}`,
    },
    {
        label: "cache (cluster mode)",
        keys: ["cacheNodeType", "cacheMultiAz", "cacheSnapshotRetentionDays"],
        cell: (p) =>
            `${p.cacheNodeType}, ${p.cacheEngine} ${p.cacheEngineVersion}, ${p.cacheShards} shard x ${p.cacheReplicasPerShard + 1} nodes, ` +
            `${p.cacheMultiAz ? "Multi-AZ" : "single-AZ"}, ${days(p.cacheSnapshotRetentionDays)} of snapshots`,
    },
    { label: "S3 replication, backup copies", keys: ["drRegion"], cell: (p) => p.drRegion || "none" },
    { label: "AWS Backup", keys: ["backupFrequency"], cell: (p) => (p.backupFrequency === "none" ? "none" : `${p.backupFrequency}, ${days(p.backupRetentionDays)}`) },
    { label: "trace sampling", keys: ["traceSamplingPercent"], cell: (p) => `${p.traceSamplingPercent}%` },
    {
        label: "metrics / app logs / access logs / traces kept",
        keys: ["metricsRetentionDays"],
        cell: (p) => `${p.metricsRetentionDays} / ${p.appLogRetentionDays} / ${p.accessLogRetentionDays} / ${days(p.traceRetentionDays)}`,
    },
    { label: "Prometheus volume", keys: ["prometheusStorageGiB"], cell: (p) => `${p.prometheusStorageGiB} GiB` },
    {
        label: "CloudTrail, GuardDuty, Security Hub",
        keys: ["cloudTrail"],
        cell: (p) => [p.cloudTrail, p.guardDuty, p.securityHub].map((on) => (on ? "on" : "off")).join(", "),
    },
];

/** A prod stack that sets only what a prod stack must (environment, region, the account-wide services), plus `values`. */
const prodStack = (values: Record<string, string> = {}) =>
    loadStackConfig("prod", { values: { "aws:region": "us-east-1", [`${PROJECT}:environment`]: "prod", [`${PROJECT}:guardDuty`]: "true", [`${PROJECT}:securityHub`]: "true", ...values }, secretKeys: [] });

/** Whether such a prod stack refuses dev's value of `key`, naming that key. */
function prodRefusesDevValue(key: ConfigKey): boolean {
    const value = PROFILES.dev[key as keyof Profile];
    if (JSON.stringify(value) === JSON.stringify(PROFILES.prod[key as keyof Profile])) return false;
    try {
        prodStack({ [`${PROJECT}:${key}`]: typeof value === "string" ? value : JSON.stringify(value) });
        return false;
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.some((p) => p.key === `${PROJECT}:${key}`);
    }
}

const BEGIN = "<!-- environments table: generated by npm run docs:tables from stacks/profiles.ts -->";
const END = "<!-- end of environments table -->";

export function environmentsTable(): string {
    prodStack(); // the probes mean something only if prod's own defaults pass
    const lines = ["| | dev | staging | prod |", "|---|---|---|---|"];
    for (const row of ROWS) {
        const enforced = row.keys.some(prodRefusesDevValue) ? " (enforced)" : "";
        lines.push(`| ${row.label} | ${row.cell(PROFILES.dev)} | ${row.cell(PROFILES.staging)} | ${row.cell(PROFILES.prod)}${enforced} |`);
    }
    return lines.join("\n");
}

/** README with its environments table replaced by `table`. */
export function withTable(readme: string, table: string): string {
    return replaceGeneratedBlock(readme, BEGIN, END, table);
}

if (process.argv[1]?.endsWith("write-environments-table.ts")) {
    const path = join(PROJECT_DIR, "README.md");
    writeFileSync(path, withTable(readFileSync(path, "utf8"), environmentsTable()));
    console.log("wrote the environments table in README.md");
}
