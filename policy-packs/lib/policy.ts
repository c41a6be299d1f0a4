/**
 * The shape every policy of the packs shares, and the small amount of plumbing they need. Policies are
 * plain objects (`ResourceValidationPolicy` / `StackValidationPolicy`): importing one never starts a server, so
 * tests and other packs can take them one by one.
 *
 * Rules match raw provider type tokens (`aws:rds/instance:Instance`), not SDK classes: the pack then needs no
 * provider SDK at run time, starts in about a second, and covers resources that awsx/eks components and other
 * teams' programs create, whatever language registered them.
 */
import type {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** Property bags as the analyzer hands them over: whatever the provider schema allows, unchecked. */
export type Props = Record<string, any>;

/** What a policy says about itself; the CLI and the offline check print these with every violation. */
export interface PolicyDoc {
    /** kebab-case, unique across the packs (policy config files address policies by it). */
    name: string;
    /** One sentence: what must hold. */
    description: string;
    /** How bad a violation is: critical (data exposure or loss), high, medium, low. */
    severity: Severity;
    /** What to change so the resource passes, concretely enough to act on. */
    remediationSteps: string;
    /** Settings a policy config file may give, as JSON schema; defaults here are what the policy uses when unset. */
    configSchema?: PolicyConfigSchema;
}

/** Checks one resource's properties; `report` once per distinct problem. */
export type ResourceCheck = (props: Props, report: (message: string) => void, args: ResourceValidationArgs) => void;

/**
 * A policy over single resources of the given types. Every policy starts mandatory; per-stack policy config
 * files lower that where a stack can afford it (policy-packs/config/).
 */
export function resourcePolicy(doc: PolicyDoc, types: readonly string[], check: ResourceCheck): ResourceValidationPolicy & { resourceTypes: readonly string[] } {
    return {
        ...doc,
        // Not part of the protocol: lets an offline host skip Analyze calls no policy of a pack would look at.
        resourceTypes: types,
        enforcementLevel: "mandatory",
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.includes(args.type)) return;
            check(args.props, (message) => reportViolation(message), args);
        },
    };
}

/** Checks the whole stack; used where a rule joins resources (a bucket and its policy, a subnet and its AZ). */
export type StackCheck = (stack: StackIndex, report: (resource: PolicyResource, message: string) => void, args: StackValidationArgs) => void;

export function stackPolicy(doc: PolicyDoc, check: StackCheck): StackValidationPolicy {
    return {
        ...doc,
        enforcementLevel: "mandatory",
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            check(new StackIndex(args.resources), (resource, message) => reportViolation(message, resource.urn), args);
        },
    };
}

/** Lookups over the resources of one stack. Joins follow propertyDependencies: AnalyzeStack carries no ids. */
export class StackIndex {
    constructor(readonly resources: PolicyResource[]) {}

    ofType(...types: string[]): PolicyResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    /** The resources the value of `property` came from, optionally only those of the given types. */
    referenced(resource: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
        const deps = resource.propertyDependencies[property] ?? [];
        return types.length ? deps.filter((d) => types.includes(d.type)) : deps;
    }

    /** Resources of `types` whose `property` was computed from `target`. */
    referencing(target: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
        return this.ofType(...types).filter((r) => (r.propertyDependencies[property] ?? []).some((d) => d.urn === target.urn));
    }
}

/** `true`, `"true"`: launch templates and Kubernetes parameters carry booleans as strings. */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** The value of a string list setting from the policy's config, or its schema default. */
export function configList(args: { getConfig<T extends object>(): T }, key: string, fallback: readonly string[]): readonly string[] {
    const value = (args.getConfig<Record<string, unknown>>() ?? {})[key];
    return Array.isArray(value) ? value.map(String) : fallback;
}

/** The value of a numeric setting from the policy's config, or its schema default. */
export function configNumber(args: { getConfig<T extends object>(): T }, key: string, fallback: number): number {
    const value = (args.getConfig<Record<string, unknown>>() ?? {})[key];
    return typeof value === "number" ? value : fallback;
}

/** Source CIDRs that mean everyone on the internet. */
export const WORLD_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];
