/**
 * Synthetic resources for the policy tests, shaped as the engine describes resources to an analyzer. References
 * between them become propertyDependencies, which is how stack policies join resources.
 */
import type { AnalyzedResource } from "../../offline/analyzer-client";

export type Stack = AnalyzedResource[];

/** One policy's cases: stacks it must accept, stacks it must reject with a message matching the pattern. */
export interface PolicyCases {
    pass: Stack[];
    fail: [Stack, RegExp][];
}

export function res(type: string, name: string, properties: Record<string, unknown>, refs: Record<string, AnalyzedResource | AnalyzedResource[]> = {}): AnalyzedResource {
    const propertyDependencies = Object.fromEntries(Object.entries(refs).map(([key, value]) => [key, (Array.isArray(value) ? value : [value]).map((r) => r.urn)]));
    return {
        urn: `urn:pulumi:test::fixtures::${type}::${name}`,
        type,
        name,
        properties,
        protect: false,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        additionalSecretOutputs: [],
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
    };
}

/** A copy of a fixture with some properties replaced (undefined removes one) and optionally renamed. */
export function vary(base: AnalyzedResource, changes: Record<string, unknown>, name = `${base.name}-variant`): AnalyzedResource {
    const properties = { ...base.properties, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete properties[key];
    return { ...base, name, urn: base.urn.replace(/::[^:]+$/, `::${name}`), properties };
}

export const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b7e3c55-8f0e-4f9b-9b8a-3f2f6e1c2d4a";
