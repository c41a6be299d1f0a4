/**
 * The price catalog the cost estimate uses: AWS list prices (on-demand, USD) in the regions it covers, each with
 * where it was read and when. A figure marked `verified: false` is a list price not re-read against a source in
 * this repository's checks; the estimate counts and names them, so they are checked first when AWS changes a
 * price. Everything here is a fact to replace when AWS's price list moves, never a rule.
 */

/** Hours AWS bills a month of continuous use (the figure AWS's own calculator uses). */
export const HOURS_PER_MONTH = 730;

/** When the catalog was assembled. */
export const PRICES_CHECKED = "2026-12-02";

/**
 * Regions whose list prices these are. US East (N. Virginia) and US West (Oregon) share them for every service
 * priced here (NAT and endpoint pages below list them together); other regions differ by up to a third, so the
 * estimate names its region as uncovered instead of guessing.
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
    ec2: "c3x.dev/blog/m5-vs-m6i-vs-m7i-cost-performance (us-east-1 Linux: m5.xlarge and m6i.xlarge $0.192/h, m7g.xlarge $0.1632/h); sizes scale linearly within a family",
    rds: "usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator (June 2026: gp3 $0.115/GB-month, backup $0.095/GB-month beyond the free 100%); infratally.com/articles/aws-rds-pricing-explained-2026 (db.t4g.medium $0.065/h, Multi-AZ double)",
    alb: "c3x.dev/resources/aws/aws_lb (ALB $0.0225/h; LCUs usage-based)",
    waf: "dev.to aws-builders 'WAF for ALBs' ($5 per web ACL-month, $1 per rule-month, $0.60 per million requests)",
    kms: "c3x.dev/resources/aws/aws_kms_key ($1 per key-month, $0.03 per 10,000 requests)",
    secrets: "hivebook.wiki aws-secrets-manager ($0.40 per secret-month, $0.05 per 10,000 calls)",
    logs: "c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026: ingestion $0.50/GB, storage $0.03/GB-month)",
    ebs: "c3x.dev/resources/aws/aws_ebs_volume (gp3 $0.08/GB-month in us-east-1)",
    unverified: "AWS list price as published for us-east-1; not re-read against a source here",
} as const;

const price = (usd: number, unit: string, source: string, verified = true): Price => ({ usd, unit, source, verified });

/** Linux on-demand price of the xlarge size of each family the program's defaults and examples use, per hour. */
export const EC2_XLARGE_HOURLY: Readonly<Record<string, Price>> = {
    m6i: price(0.192, "instance-hour (xlarge)", SOURCES.ec2),
    m5: price(0.192, "instance-hour (xlarge)", SOURCES.ec2),
    m7g: price(0.1632, "instance-hour (xlarge)", SOURCES.ec2),
    m5a: price(0.172, "instance-hour (xlarge)", SOURCES.unverified, false),
    r6i: price(0.252, "instance-hour (xlarge)", SOURCES.unverified, false),
    r5: price(0.252, "instance-hour (xlarge)", SOURCES.unverified, false),
    r5a: price(0.226, "instance-hour (xlarge)", SOURCES.unverified, false),
};

/** How an instance size relates to its family's xlarge in EC2's, RDS's and ElastiCache's price lists. */
export const SIZE_FACTORS: Readonly<Record<string, number>> = {
    medium: 0.25, large: 0.5, xlarge: 1, "2xlarge": 2, "4xlarge": 4, "8xlarge": 8, "12xlarge": 12, "16xlarge": 16,
};

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

/** ElastiCache for Redis OSS on-demand, per node-hour (Valkey is VALKEY_DISCOUNT below it). */
export const CACHE_HOURLY: Readonly<Record<string, Price>> = {
    "cache.t4g.small": price(0.032, "node-hour", SOURCES.unverified, false),
    "cache.r6g.large": price(0.206, "node-hour", SOURCES.unverified, false),
};
/** Valkey's node price relative to Redis OSS's (AWS announced node-based Valkey 20% lower). */
export const VALKEY_FACTOR = price(0.8, "of the Redis OSS node price", SOURCES.unverified, false);

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

/** Every figure of the catalog, by name (for the estimate's statement of prices and the tests). */
export function allPrices(): Record<string, Price> {
    return {
        ...Object.fromEntries(Object.entries(EC2_XLARGE_HOURLY).map(([k, v]) => [`ec2 ${k}.xlarge`, v])),
        ...Object.fromEntries(Object.entries(RDS_HOURLY).map(([k, v]) => [`rds ${k}`, v])),
        ...Object.fromEntries(Object.entries(DOCDB_HOURLY).map(([k, v]) => [`docdb ${k}`, v])),
        ...Object.fromEntries(Object.entries(CACHE_HOURLY).map(([k, v]) => [`elasticache ${k}`, v])),
        ...UNIT_PRICES,
        valkeyFactor: VALKEY_FACTOR,
    };
}

/** The hourly price of an instance class from a table keyed by family (xlarge) or by exact class. */
export function instanceHourly(instanceType: string): number | undefined {
    const [family, size] = instanceType.split(".");
    const base = EC2_XLARGE_HOURLY[family];
    const factor = SIZE_FACTORS[size];
    return base && factor !== undefined ? base.usd * factor : undefined;
}
