/**
 * A warm standby reads its primary through the output contract before it registers anything: the database to
 * replicate, the replicas of the buckets and the master secret in this region, and the facts that must agree
 * (regions, environment, engine). A primary that cannot serve this standby is a config error naming
 * `primaryStack`, like any other bad input.
 */
import { checkContractVersion, PlatformContractError } from "../contract/consumer";
import type { PlatformContract } from "../contract/outputs";
import type { ConfigProblem, StackConfig } from "./config";
import { readStackOutputs } from "./stack-outputs";

/** The primary's outputs a standby is built from. */
export const PRIMARY_OUTPUTS = [
    "contractVersion", "environment", "region", "drRegion", "clusterName", "databaseArn", "databaseEngineVersion", "databaseMasterSecretArn", "databaseAppSecretArn",
    "drKmsKeyArn", "drBucketNames", "drBucketArns", "primaryStack",
] as const;
export type PrimaryFacts = Pick<PlatformContract, (typeof PRIMARY_OUTPUTS)[number]>;

/** The primary's outputs as its last update left them; a missing one is undefined. */
export async function readPrimary(name: string): Promise<Partial<PrimaryFacts>> {
    return (await readStackOutputs(name, PRIMARY_OUTPUTS)) as Partial<PrimaryFacts>;
}

/** Why the primary cannot serve this standby, as config problems on `primaryStack` (and the keys that disagree). */
export function standbyProblems(config: StackConfig, primary: Partial<PrimaryFacts>): ConfigProblem[] {
    const key = (k: string) => `${config.project}:${k}`;
    const problem = (k: string, value: unknown, message: string, allowed: string) => ({ key: k, value, message, allowed });
    try {
        checkContractVersion(config.primaryStack, primary.contractVersion);
    } catch (error) {
        if (!(error instanceof PlatformContractError)) throw error;
        return [problem(key("primaryStack"), config.primaryStack, `${error.message} (has it been deployed, with contract 1.3.0 or later?)`, "a deployed rag-platform stack of this contract major, at 1.3.0 or later")];
    }
    const problems: ConfigProblem[] = [];
    if (primary.primaryStack) {
        problems.push(problem(key("primaryStack"), config.primaryStack, `that stack is itself a standby (of ${primary.primaryStack})`, "a primary stack"));
    }
    if (primary.drRegion !== config.region) {
        problems.push(problem("aws:region", config.region, `the primary replicates its buckets, secret and backups to ${primary.drRegion || "no region"}: a standby elsewhere would have no data`, primary.drRegion ? JSON.stringify(primary.drRegion) : "set the primary's drRegion first"));
    }
    if (config.drRegion !== primary.region) {
        problems.push(problem(key("drRegion"), config.drRegion, "a standby copies its backups back to its primary's region, where the service returns after a failover", JSON.stringify(primary.region)));
    }
    if (primary.environment !== config.environment) {
        problems.push(problem(key("environment"), config.environment, `the primary is ${primary.environment}: a standby takes over its traffic under the same rules`, JSON.stringify(primary.environment)));
    }
    if (primary.databaseEngineVersion !== undefined && Number.parseInt(primary.databaseEngineVersion, 10) !== Number.parseInt(config.dbEngineVersion, 10)) {
        problems.push(problem(key("dbEngineVersion"), config.dbEngineVersion, `the replica runs its source's PostgreSQL ${primary.databaseEngineVersion} (the parameter group's family must match it)`, JSON.stringify(primary.databaseEngineVersion)));
    }
    if (!primary.drBucketNames?.documents || !primary.drBucketNames?.backups || !primary.drKmsKeyArn || !primary.databaseArn) {
        problems.push(problem(key("primaryStack"), config.primaryStack, "the primary exports no database ARN, replica buckets or DR key", "a primary deployed with drRegion set"));
    }
    return problems;
}
