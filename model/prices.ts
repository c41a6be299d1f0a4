/**
 * The price catalog the cost estimate uses: AWS list prices (on-demand, USD), each with where it was read and when,
 * looked up by name and region. Three kinds of figure:
 *
 * - regional tables (data/, written by scripts/derive-instance-data.ts from copies of the feeds behind AWS's pricing
 *   pages and the AWS Price List, dates inside): EC2 per type, RDS for PostgreSQL per class and deployment with its
 *   storage, EBS gp3, ElastiCache per node type and engine, in every region the config accepts;
 * - figures AWS lists at one rate in every commercial region (EKS, public IPv4, WAF, KMS, Secrets Manager, Route 53
 *   health checks; CloudFront is priced by where viewers are, not by the stack's region);
 * - figures read for US East (N. Virginia) and US West (Oregon) only, which share them (NAT gateways, endpoints,
 *   load balancers, CloudWatch, S3, EFS, DocumentDB, inter-region transfer). Elsewhere the estimate leaves the lines
 *   that need them out of its total and says so, rather than guess.
 *
 * A figure marked `verified: false` is a list price not re-read against a source in this repository's checks; the
 * estimate counts and names them. Everything here is a fact to replace when AWS's prices move, never a rule.
 */
import { REGIONS } from "./aws-catalog";
import cacheData from "./data/elasticache-on-demand.json";
import ebsData from "./data/ebs-gp3.json";
import ec2Data from "./data/ec2-on-demand.json";
import rdsData from "./data/rds-postgresql-on-demand.json";

/** Hours AWS bills a month of continuous use (the figure AWS's own calculator uses). */
export const HOURS_PER_MONTH = 730;

/** When the catalog was assembled. */
export const PRICES_CHECKED = "2026-12-02";

/** The regions every figure of the catalog has a price for. */
const PRICED_REGIONS = ["us-east-1", "us-west-2"] as const;

export interface Price {
    usd: number;
    unit: string;
    /** Where the figure was read (a copy of AWS's feed or price list, a page quoting it), or why it is derived. */
    source: string;
    verified: boolean;
}

const SOURCES = {
    eks: "aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing ($0.10 standard, $0.60 extended, per cluster-hour)",
    nat: "basavytix.com/blog/aws-nat-gateway-pricing (us-east-1 $0.045/h, $0.045/GB); cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 (US West the same)",
    vpc: "factualminds.com/blog/amazon-vpc-pricing-endpoints-peering-transit-gateway (June 2026: public IPv4 $3.60/month, interface endpoint $0.01/h per AZ, inter-AZ $0.01/GB); aws.amazon.com/privatelink/pricing ($0.01/GB, first PB)",
    alb: "c3x.dev/resources/aws/aws_lb (ALB $0.0225/h); cloud-horizons.com/blog/alb-the-line-item-nobody-watches (May 2026: $0.0225 per ALB-hour, $0.008 per LCU-hour)",
    s3: "cloudburn.io/blog/amazon-s3-pricing (US East, March 2026: S3 Standard $0.023/GB-month)",
    alarms: "c3x.dev/resources/aws/aws_cloudwatch_metric_alarm ($0.10 per alarm-month at standard resolution)",
    healthChecks: "wewantcode.com/en/course/aws/lesson/7-84-health-checks-status-check (about $0.50 a month for a check of an AWS endpoint, extras for HTTPS)",
    waf: "dev.to aws-builders 'WAF for ALBs' ($5 per web ACL-month, $1 per rule-month, $0.60 per million requests)",
    kms: "c3x.dev/resources/aws/aws_kms_key ($1 per key-month, $0.03 per 10,000 requests)",
    secrets: "hivebook.wiki aws-secrets-manager ($0.40 per secret-month, $0.05 per 10,000 calls)",
    logs: "c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026: ingestion $0.50/GB, storage $0.03/GB-month)",
    spot: "cloudprice.app/blog/spot-instance-economics-when-interruption-fine (us-east-1, 2026: m6i ~60-70%, c6i ~55-70%, m7g ~50-70%, r6i ~55-72% off)",
    unverified: "AWS list price as published for us-east-1; not re-read against a source here",
} as const;

const price = (usd: number, unit: string, source: string, verified = true): Price => ({ usd, unit, source, verified });

/** Priced at one rate in every commercial region. */
const EVERY_REGION = {
    eksCluster: price(0.1, "cluster-hour", SOURCES.eks),
    eksClusterExtended: price(0.6, "cluster-hour", SOURCES.eks),
    publicIpv4Hour: price(0.005, "address-hour", SOURCES.vpc),
    wafWebAclMonth: price(5, "web ACL-month", SOURCES.waf),
    wafRuleMonth: price(1, "rule-month", SOURCES.waf),
    wafMillionRequests: price(0.6, "million requests", SOURCES.waf),
    kmsKeyMonth: price(1, "key-month", SOURCES.kms),
    secretMonth: price(0.4, "secret-month", SOURCES.secrets),
    cloudfrontGbOut: price(0.085, "GB to viewers (first 10 TB, North America)", SOURCES.unverified, false),
    healthCheckMonth: price(0.5, "health check-month (AWS endpoint)", SOURCES.healthChecks),
    healthCheckHttpsMonth: price(1, "health check-month, HTTPS option", SOURCES.unverified, false),
} as const satisfies Record<string, Price>;

/** Read for us-east-1 and us-west-2 only. */
const US_ONLY = {
    natGatewayHour: price(0.045, "gateway-hour", SOURCES.nat),
    natGatewayGb: price(0.045, "GB processed", SOURCES.nat),
    interfaceEndpointHour: price(0.01, "endpoint-AZ-hour", SOURCES.vpc),
    interfaceEndpointGb: price(0.01, "GB processed", SOURCES.vpc),
    albHour: price(0.0225, "load balancer-hour", SOURCES.alb),
    albLcuHour: price(0.008, "LCU-hour", SOURCES.alb),
    logsIngestGb: price(0.5, "GB ingested", SOURCES.logs),
    logsStoreGbMonth: price(0.03, "GB-month", SOURCES.logs),
    s3StandardGbMonth: price(0.023, "GB-month", SOURCES.s3),
    efsStandardGbMonth: price(0.3, "GB-month", SOURCES.unverified, false),
    metricAlarmMonth: price(0.1, "alarm-month (standard resolution)", SOURCES.alarms),
    crossRegionGb: price(0.02, "GB replicated to another region", SOURCES.unverified, false),
    "docdb db.t4g.medium": price(0.078, "instance-hour", SOURCES.unverified, false),
    "docdb db.r6g.large": price(0.277, "instance-hour", SOURCES.unverified, false),
} as const satisfies Record<string, Price>;

const EC2 = ec2Data as { source: string; prices: Record<string, Record<string, number>> };
type RdsStorage = { gp3SingleAz: number; gp3MultiAz: number; backup: number };
const RDS = rdsData as { source: string; storage: Record<string, RdsStorage>; prices: Record<string, Record<string, { singleAz: number; multiAz: number }>> };
const EBS = ebsData as { source: string; prices: Record<string, number> };
const CACHE = cacheData as { source: string; prices: Record<string, Record<string, { redis?: number; valkey?: number }>> };

const from = (usd: number | undefined, unit: string, source: string) => (usd === undefined ? undefined : price(usd, unit, source));

/** The names under which the regional tables' figures are looked up, with how to read each. */
const REGIONAL: readonly { pattern: RegExp; lookup: (m: RegExpExecArray, region: string) => Price | undefined }[] = [
    { pattern: /^ec2 (\S+)$/, lookup: (m, region) => from(EC2.prices[m[1]]?.[region], "instance-hour", EC2.source) },
    { pattern: /^rds (\S+)( Multi-AZ)?$/, lookup: (m, region) => from(RDS.prices[m[1]]?.[region]?.[m[2] ? "multiAz" : "singleAz"], m[2] ? "instance-hour, primary and standby" : "instance-hour", RDS.source) },
    { pattern: /^rdsGp3GbMonth( Multi-AZ)?$/, lookup: (m, region) => from(RDS.storage[region]?.[m[1] ? "gp3MultiAz" : "gp3SingleAz"], m[1] ? "GB-month, both copies" : "GB-month", RDS.source) },
    { pattern: /^rdsBackupGbMonth$/, lookup: (_, region) => from(RDS.storage[region]?.backup, "GB-month of database snapshots (RDS's own beyond the instance's storage, or AWS Backup's)", RDS.source) },
    { pattern: /^ebsGp3GbMonth$/, lookup: (_, region) => from(EBS.prices[region], "GB-month", EBS.source) },
    { pattern: /^elasticache (\S+) (redis|valkey)$/, lookup: (m, region) => from(CACHE.prices[region]?.[m[1]]?.[m[2] as "redis" | "valkey"], "node-hour", CACHE.source) },
];

/**
 * A figure of the catalog in a region: `ec2 <type>`, `rds <class>[ Multi-AZ]`, `rdsGp3GbMonth[ Multi-AZ]`,
 * `rdsBackupGbMonth`, `ebsGp3GbMonth`, `elasticache <node type> <redis|valkey>`, `docdb <class>` or a unit price's
 * name, each optionally followed by ` in <region>` to read it in that region instead. Undefined where the catalog
 * has no figure for that region (or no such figure at all).
 */
export function priceIn(name: string, region: string): Price | undefined {
    // "<figure> in <region>" is a figure of another region than the stack's (a DR vault's storage).
    const elsewhere = / in ([a-z]{2}-[a-z]+-\d)$/.exec(name);
    if (elsewhere) return priceIn(name.slice(0, elsewhere.index), elsewhere[1]);
    if (name in EVERY_REGION) return EVERY_REGION[name as keyof typeof EVERY_REGION];
    if (name in US_ONLY) return (PRICED_REGIONS as readonly string[]).includes(region) ? US_ONLY[name as keyof typeof US_ONLY] : undefined;
    for (const { pattern, lookup } of REGIONAL) {
        const m = pattern.exec(name);
        if (m) return lookup(m, region);
    }
    return undefined;
}

/** Whether a name is one the catalog looks figures up by (what `costPrices` may set), whatever the region. */
export const isPriceName = (name: string) => name in EVERY_REGION || name in US_ONLY || REGIONAL.some(({ pattern }) => pattern.test(name));
export const PRICE_NAME_FORMS = `${[...Object.keys(EVERY_REGION), ...Object.keys(US_ONLY).filter((n) => !n.startsWith("docdb "))].join(", ")}, "ec2 <type>", "rds <class>[ Multi-AZ]", "rdsGp3GbMonth[ Multi-AZ]", "rdsBackupGbMonth", "ebsGp3GbMonth", "elasticache <node type> <redis|valkey>", "docdb <class>"`;

/** Every figure of the catalog in a region, by name (for the tests and the statement of sources). */
export function allPrices(region: string): Record<string, Price> {
    const names = [
        ...Object.keys(EVERY_REGION), ...Object.keys(US_ONLY),
        ...Object.keys(EC2.prices).map((t) => `ec2 ${t}`),
        ...Object.keys(RDS.prices).flatMap((c) => [`rds ${c}`, `rds ${c} Multi-AZ`]),
        "rdsGp3GbMonth", "rdsGp3GbMonth Multi-AZ", "rdsBackupGbMonth", "ebsGp3GbMonth",
        ...Object.entries(CACHE.prices[region] ?? {}).flatMap(([t, engines]) => Object.keys(engines).map((e) => `elasticache ${t} ${e}`)),
    ];
    return Object.fromEntries(names.flatMap((n) => (priceIn(n, region) ? [[n, priceIn(n, region)!]] : [])));
}

/** The supported regions the catalog prices a figure in: for an instance class, those whose price list offers it. */
export const regionsPricing = (name: string): string[] => REGIONS.filter((region) => priceIn(name, region) !== undefined);

/** When the price list a figure was read from was published (or built), as its source states it. */
export function priceListDate(name: string): string | undefined {
    const source = REGIONS.map((region) => priceIn(name, region)?.source).find((s) => s !== undefined);
    return source && (/published (\d{4}-\d\d-\d\d)/.exec(source) ?? /\((\d{4}-\d\d-\d\d)\)/.exec(source))?.[1];
}

/** The classes the regional tables price in some region (the tests hold the config's catalogs to them). */
export const PRICED_EC2_TYPES: readonly string[] = Object.keys(EC2.prices);
export const PRICED_RDS_CLASSES: readonly string[] = Object.keys(RDS.prices);
export const pricedCacheNodeTypes = (region: string): string[] => Object.keys(CACHE.prices[region] ?? {});

/**
 * Spot's typical discount off on-demand per instance family, where a source gives one: the low end of the range
 * quoted for us-east-1 in 2026 (spot prices move daily; the low end keeps the estimate from understating). Other
 * families take `costAssumptions.spotDiscountPercent`.
 */
export const SPOT_DISCOUNT_PERCENT: Readonly<Record<string, { percent: number; source: string }>> = Object.fromEntries(
    Object.entries({ m6i: 60, c6i: 55, m7g: 50, r6i: 55 }).map(([family, percent]) => [family, { percent, source: SOURCES.spot }]),
);
