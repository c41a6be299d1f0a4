/** RDS and Aurora: storage and Performance Insights encrypted with a customer key, connections forced to TLS. */
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type Props } from "../../lib/policy";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
const CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup";

export const rdsStorageEncrypted = resourcePolicy(
    {
        name: "rds-storage-encrypted",
        description: "RDS instances and Aurora clusters encrypt storage with a customer-managed KMS key; a replica in another region names one of its region.",
        severity: "critical",
        remediationSteps: "Set storageEncrypted: true and kmsKeyId to a customer-managed key (on a cross-region replica: kmsKeyId, a key of the replica's region). Encryption can only be chosen at creation: restore an encrypted copy of a snapshot to change it.",
    },
    [INSTANCE, CLUSTER],
    (db, report, args) => {
        // A replica in its source's region inherits the source's encryption (checked on its own); one in another
        // region (its source named by ARN) is encrypted with the key it names, or refused by RDS when the source is
        // encrypted. The replica's region is its own `region` or its provider's; unknown, an ARN counts as elsewhere.
        if (db.replicateSourceDb) {
            const sourceRegion = /^arn:[^:]+:rds:([^:]+):/.exec(String(db.replicateSourceDb))?.[1];
            const region = db.region ?? args.provider?.props?.region;
            if (sourceRegion && sourceRegion !== region && !db.kmsKeyId) {
                report(`a replica of a source in ${sourceRegion}${region ? `, in ${region},` : ""} without kmsKeyId: name a customer-managed key of the replica's region`);
            }
            return;
        }
        if (db.storageEncrypted !== true) report("storage is not encrypted (storageEncrypted is not true)");
        else if (!db.kmsKeyId) report("storage is encrypted with the AWS-managed key; set kmsKeyId to a customer-managed key so access and rotation are yours to control");
    },
);

export const rdsPerformanceInsightsEncrypted = resourcePolicy(
    {
        name: "rds-performance-insights-encrypted",
        description: "Performance Insights data (it holds query text) is encrypted with a customer-managed KMS key.",
        severity: "high",
        remediationSteps: "Where performanceInsightsEnabled is true, set performanceInsightsKmsKeyId to the data tier's KMS key.",
    },
    [INSTANCE, CLUSTER],
    (db, report) => {
        if (db.performanceInsightsEnabled === true && !db.performanceInsightsKmsKeyId) {
            report("Performance Insights is on without performanceInsightsKmsKeyId: query text would be stored under the AWS-managed key");
        }
    },
);

/** Parameters that make each engine refuse unencrypted connections. */
const TLS_PARAMETERS: readonly { engine: RegExp; parameter: string; value: RegExp }[] = [
    { engine: /postgres/, parameter: "rds.force_ssl", value: /^1$/ },
    { engine: /mysql|mariadb/, parameter: "require_secure_transport", value: /^(1|on)$/i },
];

/** RDS PostgreSQL 15 and newer ship rds.force_ssl=1 in their default parameter groups. */
const POSTGRES_DEFAULT_FORCES_TLS_FROM = 15;

export const rdsTlsRequired = stackPolicy(
    {
        name: "rds-tls-required",
        description: "RDS instances and Aurora clusters use a parameter group that refuses unencrypted connections.",
        severity: "high",
        remediationSteps: "Attach a parameter group from this stack with rds.force_ssl = 1 (PostgreSQL) or require_secure_transport = ON (MySQL/MariaDB).",
    },
    (stack, report) => {
        const check = (db: PolicyResource, groupProperty: string, groupTypes: string[]) => {
            const engine = String(db.props.engine ?? "");
            const rule = TLS_PARAMETERS.find((r) => r.engine.test(engine));
            // Replicas use their own group but inherit the source's engine; other engines are out of scope.
            if (!rule) return;
            const groups = stack.referenced(db, groupProperty, ...groupTypes);
            if (groups.length === 0) {
                if (db.props[groupProperty]) {
                    report(db, `${groupProperty} "${db.props[groupProperty]}" is not managed in this stack, so TLS enforcement cannot be verified; manage the group here`);
                } else if (!(/postgres/.test(engine) && majorVersion(db.props.engineVersion) >= POSTGRES_DEFAULT_FORCES_TLS_FROM)) {
                    report(db, `no ${groupProperty}: the engine's default group does not force TLS; attach one with ${rule.parameter} set`);
                }
                return;
            }
            for (const group of groups) {
                const parameters: Props[] = group.props.parameters ?? [];
                const param = parameters.find((p) => p.name === rule.parameter);
                if (!param || !rule.value.test(String(param.value))) {
                    report(db, `parameter group "${group.name}" does not set ${rule.parameter} to force TLS (found ${param ? JSON.stringify(param.value) : "nothing"})`);
                }
            }
        };
        for (const db of stack.ofType(INSTANCE)) {
            // Aurora instances take TLS settings from the cluster parameter group, checked below.
            if (/aurora/.test(String(db.props.engine ?? ""))) continue;
            check(db, "parameterGroupName", [PARAMETER_GROUP]);
        }
        for (const cluster of stack.ofType(CLUSTER)) check(cluster, "dbClusterParameterGroupName", [CLUSTER_PARAMETER_GROUP]);
    },
);

function majorVersion(version: unknown): number {
    return Number.parseInt(String(version ?? ""), 10) || 0;
}
