/**
 * model/rules.ts is the one home of each environment rule: config validation refuses exactly what a rule refuses,
 * where it applies, with the rule's words; every key it names is a config key and every policy it names exists.
 */
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS, type Environment } from "../model/environments";
import { COMPOSITE_RULES, ENVIRONMENT_RULES } from "../model/rules";
import { POLICY_PACKS } from "../policy-packs/catalog";
import { CONFIG_KEY_NAMES } from "../stacks/config-keys";
import { ConfigError, loadStackConfig, PROJECT } from "../stacks/config";
import { PROFILES, type Profile } from "../stacks/profiles";

/** The problems a stack of `environment` that sets only its region and `key` to `value` is refused with. */
function problemsWith(environment: Environment, key: string, value: unknown): { key: string; message: string; allowed: string }[] {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    try {
        loadStackConfig(environment, { values: { "aws:region": "us-east-1", [`${PROJECT}:environment`]: environment, [`${PROJECT}:${key}`]: text }, secretKeys: [] });
        return [];
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems;
    }
}

/** A value of the key's type that breaks the rule: dev's own, else the smallest of its kind. */
function breaking(rule: (typeof ENVIRONMENT_RULES)[number]): unknown {
    const candidates = [PROFILES.dev[rule.key as keyof Profile], 0, false, "single", "none", ""];
    const value = candidates.find((c) => typeof c === typeof PROFILES.prod[rule.key as keyof Profile] && !rule.holds(c));
    if (value === undefined) throw new Error(`no breaking value for ${rule.key}`);
    return value;
}

describe("environment rules", () => {
    it("name config keys and existing policies only", () => {
        const policies = new Set(POLICY_PACKS.flatMap((pack) => pack.policies.map((p) => `${pack.name}/${p.name}`)));
        for (const rule of ENVIRONMENT_RULES) {
            expect(CONFIG_KEY_NAMES, rule.title).toContain(rule.key);
            for (const policy of rule.policies ?? []) expect(policies, rule.title).toContain(policy);
        }
        for (const rule of COMPOSITE_RULES) {
            for (const key of rule.keys.split(", ").filter((k) => !k.startsWith("<"))) expect(CONFIG_KEY_NAMES, rule.title).toContain(key);
            for (const policy of rule.policies ?? []) expect(policies, rule.title).toContain(policy);
        }
    });

    it("are kept by every environment's own defaults", () => {
        for (const rule of ENVIRONMENT_RULES) {
            for (const env of rule.environments) expect(rule.holds(PROFILES[env][rule.key as keyof Profile]), `${rule.key} in ${env}`).toBe(true);
        }
    });

    it.each(ENVIRONMENT_RULES.map((rule) => [rule.key, rule] as const))("%s: refused where the rule applies, with its words, and nowhere else", (key, rule) => {
        const value = breaking(rule);
        for (const env of ENVIRONMENTS) {
            const mine = problemsWith(env, key, value).filter((p) => p.key === `${PROJECT}:${key}`);
            if (rule.environments.includes(env)) expect(mine, env).toEqual([expect.objectContaining({ message: rule.why, allowed: rule.allowed })]);
            else expect(mine, env).toEqual([]);
        }
    });
});
