/**
 * Where AWS offers each instance class the config accepts: a class is offered in a region when AWS's price list
 * for that region prices it (model/data, dated builds). The config refuses a class its region lacks and fits the
 * profile's defaults to the region with this; the cost estimate prices from the same tables.
 */
import { EC2_INSTANCE_SIZES, ELASTICACHE_NODE_SIZES, isGraviton, RDS_INSTANCE_SIZES, splitInstanceClass } from "./aws-catalog";
import { priceIn, priceListDate, regionsPricing } from "./prices";

/** The instance classes of the catalogs, by the name the price catalog lists each under. */
const CLASS_KINDS = {
    ec2: { catalog: EC2_INSTANCE_SIZES, prefix: "", name: (cls: string) => `ec2 ${cls}` },
    rds: { catalog: RDS_INSTANCE_SIZES, prefix: "db.", name: (cls: string) => `rds ${cls}` },
    cache: { catalog: ELASTICACHE_NODE_SIZES, prefix: "cache.", name: (cls: string, engine?: string) => `elasticache ${cls} ${engine}` },
} as const;
export type ClassKind = keyof typeof CLASS_KINDS;

/** Whether the region's price list offers the class (a cache node with its engine). */
const offeredIn = (kind: ClassKind, cls: string, region: string, engine?: string) => priceIn(CLASS_KINDS[kind].name(cls, engine), region) !== undefined;

/** The supported regions whose price list offers the class; none when the tables do not know it at all. */
export const regionsOffering = (kind: ClassKind, cls: string, engine?: string) => regionsPricing(CLASS_KINDS[kind].name(cls, engine));

/**
 * Whether the price lists offer the class elsewhere but not in the region. A class they list nowhere (newer than
 * the tables) is not held against any region.
 */
export function lackedIn(kind: ClassKind, cls: string, region: string, engine?: string): boolean {
    const listed = regionsOffering(kind, cls, engine);
    return listed.length > 0 && !listed.includes(region);
}

/** When the price list that says where the class is offered was published. */
export const offeringListDate = (kind: ClassKind, cls: string, engine?: string) => priceListDate(CLASS_KINDS[kind].name(cls, engine));

/**
 * Classes of the same size as `cls` that the region offers, in the catalog's order; for node types, of the same
 * architecture too (a node group runs one AMI).
 */
export function offeredAlternatives(kind: ClassKind, cls: string, region: string, engine?: string): string[] {
    const { catalog, prefix } = CLASS_KINDS[kind];
    const parts = splitInstanceClass(cls, prefix);
    if (!parts) return [];
    return Object.entries(catalog)
        .filter(([family, sizes]) => sizes.includes(parts.size) && (kind !== "ec2" || isGraviton(family) === isGraviton(parts.family)))
        .map(([family]) => `${prefix}${family}.${parts.size}`)
        .filter((alternative) => offeredIn(kind, alternative, region, engine));
}
