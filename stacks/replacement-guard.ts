/**
 * Config changes that AWS can only apply by replacing stateful resources, refused in stacks that protect them.
 *
 * The identities of the database, the cache's secrets, the buckets' replication and the EKS cluster derive from
 * `clusterName` and `aws:region`; a lower PostgreSQL major cannot be applied in place; a cache's cluster mode
 * cannot be turned off. `protect` would stop such a
 * plan halfway through `pulumi up`; this stops it before anything is registered, saying which key and why. The
 * stack's own last outputs (a StackReference to itself) are what the new config is compared with.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem, StackConfig } from "./config";
import { readStackOutputs } from "./stack-outputs";

/** Outputs the comparison needs; every stack exports them. */
export const IDENTITY_OUTPUTS = ["clusterName", "region", "databaseEngineVersion", "cacheMode"] as const;
export type DeployedIdentity = Partial<Record<(typeof IDENTITY_OUTPUTS)[number], string>>;

export function replacementProblems(config: StackConfig, deployed: DeployedIdentity): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const key = (k: string) => `${config.project}:${k}`;
    if (deployed.clusterName !== undefined && deployed.clusterName !== config.clusterName) {
        problems.push({
            key: key("clusterName"),
            value: config.clusterName,
            message: `the deployed database (${deployed.clusterName}-postgres), its secrets and the EKS cluster are named after it; changing it would replace them and lose their data`,
            allowed: `${JSON.stringify(deployed.clusterName)} (the deployed value)`,
        });
    }
    if (deployed.region !== undefined && deployed.region !== config.region) {
        problems.push({
            key: "aws:region",
            value: config.region,
            message: `everything this stack holds lives in ${deployed.region}; another region would mean new, empty resources`,
            allowed: `${JSON.stringify(deployed.region)} (move data through the DR region's replicas and backups instead)`,
        });
    }
    const major = (version: string | undefined) => Number.parseInt(version ?? "", 10);
    if (deployed.databaseEngineVersion !== undefined && major(config.dbEngineVersion) < major(deployed.databaseEngineVersion)) {
        problems.push({
            key: key("dbEngineVersion"),
            value: config.dbEngineVersion,
            message: `RDS cannot downgrade PostgreSQL ${deployed.databaseEngineVersion} in place; the instance would be replaced`,
            allowed: `${major(deployed.databaseEngineVersion)} or newer (restore a snapshot into a new stack to go back)`,
        });
    }
    const cacheMode = config.cacheClusterMode ? "cluster" : "replicated";
    if (deployed.cacheMode !== undefined && deployed.cacheMode !== cacheMode) {
        problems.push({
            key: key("cacheClusterMode"),
            value: config.cacheClusterMode,
            message: `the deployed cache runs in ${deployed.cacheMode} mode; ElastiCache cannot turn cluster mode off on a replication group, and turning it on changes the protocol every client and queue broker speaks`,
            allowed: `${deployed.cacheMode === "cluster"} (the deployed mode; move to the other mode through a new stack)`,
        });
    }
    return problems;
}

/** The stack's own outputs from its last update; empty before the first one. */
export async function deployedIdentity(): Promise<DeployedIdentity> {
    const deployed = await readStackOutputs(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`, IDENTITY_OUTPUTS);
    return Object.fromEntries(Object.entries(deployed).filter(([, value]) => typeof value === "string")) as DeployedIdentity;
}
