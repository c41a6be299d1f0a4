/**
 * Policy config files in the form `pulumi preview --policy-pack-config <file>` takes, turned into what the CLI
 * sends a pack's Configure call: every policy's enforcement level and its properties, schema defaults filled in
 * and validated against the schema the pack declares.
 *
 *   { "all": "mandatory", "rds-multi-az": "advisory", "vpc-subnets-multi-az": { "minAvailabilityZones": 2 } }
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv from "ajv";
import type { EnforcementLevel, PackInfo, PolicyConfigEntry } from "./analyzer-client";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PolicyConfigError extends Error {}

/**
 * The policy config file of a pack for a stack: the stack's own (`config/<stack>/<pack>.json`) if it has one, else
 * its environment's (`config/<environment>/`), so a stack `prod-eu` of environment prod gets prod's levels.
 */
export function policyConfigPath(policyPacksDir: string, stack: string, packDir: string, environment?: string): string {
    const own = join(policyPacksDir, "config", stack, `${packDir}.json`);
    if (existsSync(own) || !environment) return own;
    return join(policyPacksDir, "config", environment, `${packDir}.json`);
}

/** The key of a stack file (Pulumi.<stack>.yaml) naming the stack's environment, whose policy config it borrows. */
export const ENVIRONMENT_KEY = "rag-platform:environment";

/**
 * Each pack's policy config file for a stack, by {@link policyConfigPath}, in the order of `packDirs`, as paths from
 * the project root: what the workflows pass `pulumi preview`/`pulumi up` as `--policy-pack-config`, pack by pack
 * (scripts/policy-config-for.ts). Where neither the stack nor its environment has a pack's file, it is refused
 * with the files to add: the CLI would stop at a missing file, and a pack's own levels are levels nobody chose.
 */
export function stackPolicyConfigFiles(policyPacksDir: string, stack: string, packDirs: readonly string[], environment?: string): string[] {
    const root = join(policyPacksDir, "..");
    const files = packDirs.map((dir) => policyConfigPath(policyPacksDir, stack, dir, environment));
    const missing = packDirs.filter((_, i) => !existsSync(files[i]));
    if (missing.length === 0) return files.map((file) => relative(root, file));
    const own = (dir: string) => relative(root, join(policyPacksDir, "config", stack, `${dir}.json`));
    const where = environment
        ? `neither stack "${stack}" nor its environment "${environment}" (${ENVIRONMENT_KEY}) has one`
        : `stack "${stack}" has none of its own and its stack file sets no ${ENVIRONMENT_KEY} to borrow its environment's`;
    throw new PolicyConfigError(
        `no policy config for ${missing.join(", ")}: ${where}. Add ${missing.map(own).join(", ")}` +
            (environment ? ` (or policy-packs/config/${environment}/ for every stack of ${environment})` : `, or set ${ENVIRONMENT_KEY} in Pulumi.${stack}.yaml`),
    );
}

export function readPolicyConfigFile(file: string): Record<string, unknown> | undefined {
    if (!existsSync(file)) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
        throw new PolicyConfigError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new PolicyConfigError(`${file}: must be a JSON object keyed by policy name (or "all")`);
    return parsed as Record<string, unknown>;
}

/**
 * Reconciles a pack's declared policies with a config file as the CLI does: a policy's own level, overridden by
 * "all", overridden by its own entry. Unlike the CLI, a policy name the pack does not have is an error: a typo
 * would otherwise leave a policy at a level nobody chose.
 */
export function reconcilePolicyConfig(pack: PackInfo, file: string, raw: Record<string, unknown> | undefined): Record<string, PolicyConfigEntry> {
    const problems: string[] = [];
    const entries = Object.entries(raw ?? {});
    const known = new Set(pack.policies.map((p) => p.name));
    for (const [key] of entries) {
        if (key !== "all" && !known.has(key)) problems.push(`"${key}" is not a policy of ${pack.name}; its policies are: ${[...known].join(", ")}`);
    }
    const split = (key: string, value: unknown): { level?: EnforcementLevel; properties: Record<string, unknown> } => {
        if (value === undefined) return { properties: {} };
        if (typeof value === "string") {
            if (!LEVELS.includes(value as EnforcementLevel)) problems.push(`"${key}": enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`);
            return { level: value as EnforcementLevel, properties: {} };
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            problems.push(`"${key}": must be an enforcement level or an object`);
            return { properties: {} };
        }
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
            problems.push(`"${key}": enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${LEVELS.join(", ")}`);
        }
        return { level: enforcementLevel as EnforcementLevel | undefined, properties };
    };

    const all = split("all", raw?.all);
    if (Object.keys(all.properties).length) problems.push(`"all" may only set an enforcement level`);
    const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
    const result: Record<string, PolicyConfigEntry> = {};
    for (const policy of pack.policies) {
        const own = split(policy.name, raw?.[policy.name]);
        const properties = structuredClone(own.properties);
        if (policy.configSchema) {
            const validate = ajv.compile({ type: "object", properties: policy.configSchema.properties, required: policy.configSchema.required, additionalProperties: false });
            if (!validate(properties)) {
                for (const e of validate.errors ?? []) problems.push(`"${policy.name}": ${e.instancePath || "config"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`);
            }
        } else if (Object.keys(properties).length) {
            problems.push(`"${policy.name}" takes no settings besides enforcementLevel`);
        }
        result[policy.name] = { enforcementLevel: own.level ?? all.level ?? policy.enforcementLevel, properties };
    }
    if (problems.length) throw new PolicyConfigError(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return result;
}
