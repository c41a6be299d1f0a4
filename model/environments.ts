/** The environments a stack can be (one Pulumi stack each); each has a profile of defaults (stacks/profiles.ts). */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
