/**
 * The price catalog the cost estimate uses: AWS list prices (on-demand, USD) in the regions it covers, each with
 * where it was read and when. A figure marked `verified: false` is a list price not re-read against a source in
 * this repository's checks; the estimate counts and names them, so they are checked first when AWS changes a
 * price. Everything here is a fact to replace when AWS's price list moves, never a rule. The instance tables in
 * data/ are derived from public builds of the AWS Price List by scripts/derive-instance-data.ts, each with its source and
 * date inside.
 */
import cacheData from "./data/elasticache-on-demand.json";
import ec2Data from "./data/ec2-on-demand.json";

/** Hours AWS bills a month of continuous use (the figure AWS's own calculator uses). */
export const HOURS_PER_MONTH = 730;

/** When the catalog was assembled. */
export const PRICES_CHECKED = "2026-12-02";

/**
 * Regions whose list prices these are. US East (N. Virginia) and US West (Oregon) share them for every service
 * priced here (NAT and endpoint pages below list them together; the ElastiCache table has both, equal); other
 * regions differ by up to a third, and only the ElastiCache table has them, so the estimate names its region as
 * uncovered instead of guessing.
 */
export const PRICED_REGIONS = ["us-east-1", "us-west-2"] as const;

export interface Price {
    usd: number;
    unit: string;
    /** Where the figure was read (a page quoting AWS's price list), or why it is derived. */
    source: string;
    verified: boolean;
}

const SOURCES = {
    eks: "aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing ($0.10 standard, $0.60 extended, per cluster-hour)",
    nat: "basavytix.com/blog/aws-nat-gateway-pricing (us-east-1 $0.045/h, $0.045/GB); cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 (US West the same)",
    vpc: "factualminds.com/blog/amazon-vpc-pricing-endpoints-peering-transit-gateway (June 2026: public IPv4 $3.60/month, interface endpoint $0.01/h per AZ, inter-AZ $0.01/GB); aws.amazon.com/privatelink/pricing ($0.01/GB, first PB)",
    rds: "usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator (June 2026: gp3 $0.115/GB-month, backup $0.095/GB-month beyond the free 100%); infratally.com/articles/aws-rds-pricing-explained-2026 (db.t4g.medium $0.065/h, Multi-AZ double)",
    alb: "c3x.dev/resources/aws/aws_lb (ALB $0.0225/h; LCUs usage-based)",
    waf: "dev.to aws-builders 'WAF for ALBs' ($5 per web ACL-month, $1 per rule-month, $0.60 per million requests)",
    kms: "c3x.dev/resources/aws/aws_kms_key ($1 per key-month, $0.03 per 10,000 requests)",
    secrets: "hivebook.wiki aws-secrets-manager ($0.40 per secret-month, $0.05 per 10,000 calls)",
    logs: "c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026: ingestion $0.50/GB, storage $0.03/GB-month)",
    ebs: "c3x.dev/resources/aws/aws_ebs_volume (gp3 $0.08/GB-month in us-east-1)",
    spot: "cloudprice.app/blog/spot-instance-economics-when-interruption-fine (us-east-1, 2026: m6i ~60-70%, c6i ~55-70%, m7g ~50-70%, r6i ~55-72% off)",
    unverified: "AWS list price as published for us-east-1; not re-read against a source here",
} as const;

const price = (usd: number, unit: string, source: string, verified = true): Price => ({ usd, unit, source, verified });

/** EC2 Linux on-demand per instance type, derived by scripts/derive-instance-data.ts (us-east-1's, which us-west-2 shares). */
const EC2 = ec2Data as { source: string; region: string; prices: Record<string, number> };
/** ElastiCache on-demand per region, node type and engine, derived by scripts/derive-instance-data.ts. */
const CACHE = cacheData as { source: string; prices: Record<string, Record<string, { redis?: number; valkey?: number }>> };

/** The on-demand price of an EC2 instance type in a priced region. */
export function ec2Hourly(instanceType: string): Price | undefined {
    const usd = EC2.prices[instanceType];
    return usd === undefined ? undefined : price(usd, "instance-hour", EC2.source);
}

/** The on-demand price of an ElastiCache node of an engine in a region (Valkey's is AWS's own, 20% below Redis OSS). */
export function cacheHourly(nodeType: string, engine: "redis" | "valkey", region: string): Price | undefined {
    const usd = CACHE.prices[region]?.[nodeType]?.[engine];
    return usd === undefined ? undefined : price(usd, "node-hour", CACHE.source);
}

/** The classes the derived tables price (the tests hold the config's catalogs to them). */
export const PRICED_EC2_TYPES: readonly string[] = Object.keys(EC2.prices);
export const pricedCacheNodeTypes = (region: string): string[] => Object.keys(CACHE.prices[region] ?? {});

/**
 * Spot's typical discount off on-demand per instance family, where a source gives one: the low end of the range
 * quoted for us-east-1 in 2026 (spot prices move daily; the low end keeps the estimate's maximum honest). Other
 * families take `costAssumptions.spotDiscountPercent`.
 */
export const SPOT_DISCOUNT_PERCENT: Readonly<Record<string, { percent: number; source: string }>> = Object.fromEntries(
    Object.entries({ m6i: 60, c6i: 55, m7g: 50, r6i: 55 }).map(([family, percent]) => [family, { percent, source: SOURCES.spot }]),
);

/** RDS for PostgreSQL Single-AZ on-demand, per instance-hour (Multi-AZ runs a standby: twice). */
export const RDS_HOURLY: Readonly<Record<string, Price>> = {
    "db.t4g.medium": price(0.065, "instance-hour", SOURCES.rds),
    "db.r6g.large": price(0.225, "instance-hour", SOURCES.unverified, false),
};

/** DocumentDB on-demand, per instance-hour. */
export const DOCDB_HOURLY: Readonly<Record<string, Price>> = {
    "db.t4g.medium": price(0.078, "instance-hour", SOURCES.unverified, false),
    "db.r6g.large": price(0.277, "instance-hour", SOURCES.unverified, false),
};

export const UNIT_PRICES = {
    eksCluster: price(0.1, "cluster-hour", SOURCES.eks),
    eksClusterExtended: price(0.6, "cluster-hour", SOURCES.eks),
    natGatewayHour: price(0.045, "gateway-hour", SOURCES.nat),
    natGatewayGb: price(0.045, "GB processed", SOURCES.nat),
    publicIpv4Hour: price(0.005, "address-hour", SOURCES.vpc),
    interfaceEndpointHour: price(0.01, "endpoint-AZ-hour", SOURCES.vpc),
    interfaceEndpointGb: price(0.01, "GB processed", SOURCES.vpc),
    rdsGp3GbMonth: price(0.115, "GB-month", SOURCES.rds),
    rdsBackupGbMonth: price(0.095, "GB-month beyond the instance's storage", SOURCES.rds),
    ebsGp3GbMonth: price(0.08, "GB-month", SOURCES.ebs),
    albHour: price(0.0225, "load balancer-hour", SOURCES.alb),
    albLcuHour: price(0.008, "LCU-hour", SOURCES.unverified, false),
    wafWebAclMonth: price(5, "web ACL-month", SOURCES.waf),
    wafRuleMonth: price(1, "rule-month", SOURCES.waf),
    wafMillionRequests: price(0.6, "million requests", SOURCES.waf),
    kmsKeyMonth: price(1, "key-month", SOURCES.kms),
    secretMonth: price(0.4, "secret-month", SOURCES.secrets),
    logsIngestGb: price(0.5, "GB ingested", SOURCES.logs),
    logsStoreGbMonth: price(0.03, "GB-month", SOURCES.logs),
    s3StandardGbMonth: price(0.023, "GB-month", SOURCES.unverified, false),
    efsStandardGbMonth: price(0.3, "GB-month", SOURCES.unverified, false),
    cloudfrontGbOut: price(0.085, "GB to viewers (first 10 TB, North America)", SOURCES.unverified, false),
    healthCheckMonth: price(0.5, "health check-month (AWS endpoint)", SOURCES.unverified, false),
    healthCheckHttpsMonth: price(1, "health check-month, HTTPS option", SOURCES.unverified, false),
    metricAlarmMonth: price(0.1, "alarm-month (standard resolution)", SOURCES.unverified, false),
    crossRegionGb: price(0.02, "GB replicated to another region", SOURCES.unverified, false),
} as const satisfies Record<string, Price>;

/** Every figure of the catalog in a region, by the name the estimate lists it under. */
export function allPrices(region: string): Record<string, Price> {
    const cache = Object.entries(CACHE.prices[region] ?? {}).flatMap(([type, engines]) =>
        (["redis", "valkey"] as const).filter((e) => engines[e] !== undefined).map((e) => [`elasticache ${type} ${e}`, cacheHourly(type, e, region)!]));
    return {
        ...Object.fromEntries(PRICED_EC2_TYPES.map((type) => [`ec2 ${type}`, ec2Hourly(type)!])),
        ...Object.fromEntries(Object.entries(RDS_HOURLY).map(([k, v]) => [`rds ${k}`, v])),
        ...Object.fromEntries(Object.entries(DOCDB_HOURLY).map(([k, v]) => [`docdb ${k}`, v])),
        ...Object.fromEntries(cache),
        ...UNIT_PRICES,
    };
}
