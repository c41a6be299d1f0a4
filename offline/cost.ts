/**
 * The monthly cost estimate of a plan: every registered resource priced from the dated catalog (model/prices.ts)
 * at the stack's minimum and maximum scale (node groups, storage autoscaling ceilings), plus the usage the stack's
 * `costAssumptions` state (NAT traffic, log ingestion, stored data, requests, edge traffic). A resource type is
 * either priced, usage-only (priced through an assumption, or named as not estimated), or free; a type in none of
 * the three is reported, so a new resource cannot silently cost nothing.
 */
import { EKS_VERSIONS } from "../model/aws-catalog";
import { HOURS_PER_MONTH, type Price, priceIn as catalogPriceIn, PRICES_CHECKED, SPOT_DISCOUNT_PERCENT } from "../model/prices";
import type { CostAssumptions } from "../model/cost-assumptions";
import { loadStackConfig } from "../stacks/config";
import type { PlanRecord } from "./evaluate";
import { byId, ofType, registered, STACK_TYPE } from "./inspect";
import type { RecordedResource } from "./mocks";

export interface CostLine {
    component: string;
    type: string;
    name: string;
    /** USD per month at the stack's minimum and maximum scale. */
    min: number;
    max: number;
    /** How it was computed, with the figures. */
    basis: string;
}

export interface CostEstimate {
    region: string;
    pricesChecked: string;
    /** The lines priced at the region's own figures; the totals are theirs. */
    lines: CostLine[];
    total: { min: number; max: number };
    /**
     * Lines that need a figure the catalog lacks for the region, priced at us-east-1's to show what they amount to,
     * and kept out of the totals; with the figures missing.
     */
    outside: { lines: CostLine[]; total: { min: number; max: number }; missingPrices: string[] };
    byComponent: Record<string, { min: number; max: number }>;
    byType: Record<string, { min: number; max: number }>;
    assumptions: CostAssumptions;
    /** The catalog figures the estimate used, by name, as "$<usd> per <unit>". */
    pricesUsed: Record<string, string>;
    /** Catalog figures used that are not re-verified against a source. */
    unverifiedPrices: string[];
    /** Figures used that the stack's `costPrices` set instead of the catalog. */
    configuredPrices: string[];
    /** Usage-only resources the estimate does not put a figure on, by type. */
    notEstimated: string[];
    /** Registered types the classification does not know (a test keeps this empty). */
    unclassified: string[];
}

const month = (hourly: number) => hourly * HOURS_PER_MONTH;
const round = (usd: number) => Math.round(usd * 100) / 100;

/** Types whose cost is only usage; those with an assumption are priced in usageLines, the rest named. */
export const USAGE_ONLY_TYPES: Readonly<Record<string, string>> = {
    "aws:s3/bucket:Bucket": "storage and requests (costAssumptions.storageGb)",
    "aws:cloudwatch/logGroup:LogGroup": "ingestion and storage (costAssumptions.logIngestGbPerMonth)",
    "aws:ec2/flowLog:FlowLog": "log ingestion (in costAssumptions.logIngestGbPerMonth)",
    "aws:cloudfront/distribution:Distribution": "data to viewers (costAssumptions.edgeGbPerMonth)",
    "aws:efs/fileSystem:FileSystem": "stored data (costAssumptions.sharedFilesGb)",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "cross-region transfer (costAssumptions.crossRegionGbPerMonth)",
    "aws:backup/plan:Plan": "its recovery points are priced in its vaults (costAssumptions.backupGb)",
    "aws:guardduty/detector:Detector": "events analysed: not estimated (30-day free trial, then by volume)",
    "aws:guardduty/detectorFeature:DetectorFeature": "events analysed: not estimated",
    "aws:securityhub/account:Account": "security checks: not estimated (by check volume)",
    "aws:securityhub/standardsSubscription:StandardsSubscription": "security checks: not estimated",
    "aws:cloudtrail/trail:Trail": "the first management-events trail is free; its S3 storage is in storageGb",
    "aws:sns/topic:Topic": "notifications: not estimated (first million free)",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": "the rotation function's invocations: not estimated (a few a quarter)",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": "edge log delivery: not estimated (vended logs by volume)",
    "aws:budgets/budget:Budget": "the first two budgets of an account are free",
    "aws:docdb/cluster:Cluster": "storage and I/O: not estimated (by use; its instances are priced)",
    "aws:route53/record:Record": "alias queries to AWS resources are free; others by query volume",
    "aws:acm/certificate:Certificate": "public certificates are free",
};

/** Types that cost nothing by themselves (their cost, if any, is another resource's). */
export const FREE_TYPE_PATTERNS: readonly RegExp[] = [
    /^pulumi:/, /^rag:/, /^kubernetes:/, /^random:/, /^eks:index:/,
    /^aws:iam\//, /^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|route|internetGateway|securityGroup|defaultSecurityGroup|networkAcl|launchTemplate):/,
    /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/, /^aws:kms\/alias:/, /^aws:s3\/bucket(PublicAccessBlock|OwnershipControls|ServerSideEncryptionConfiguration|Versioning|Policy|Logging|LifecycleConfiguration):/,
    /^aws:rds\/(subnetGroup|parameterGroup):/, /^aws:elasticache\/(subnetGroup|parameterGroup):/, /^aws:docdb\/(subnetGroup|clusterParameterGroup):/,
    /^aws:secretsmanager\/(secretVersion|secretPolicy|secretRotation):/, /^aws:backup\/selection:/, /^aws:eks\/(addon|accessEntry|accessPolicyAssociation|podIdentityAssociation):/,
    /^aws:efs\/(mountTarget|accessPoint|fileSystemPolicy|backupPolicy):/, /^aws:wafv2\/webAclLoggingConfiguration:/, /^aws:sns\/topicPolicy:/, /^aws:sns\/topicSubscription:/,
    /^aws:cloudfront\/(responseHeadersPolicy|originAccessControl):/, /^aws:cloudwatch\/(logDeliveryDestination|logDelivery|eventRule|eventTarget):/, /^aws:acm\/certificateValidation:/,
    /^aws:s3\/bucketNotification:/,
];

/** The priced types (computed per resource below). */
export const PRICED_TYPES = [
    "eks:index:Cluster", "aws:eks/nodeGroup:NodeGroup", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:docdb/clusterInstance:ClusterInstance",
    "aws:backup/vault:Vault", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:route53/healthCheck:HealthCheck",
    "aws:wafv2/webAcl:WebAcl", "kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:apps/v1:StatefulSet", "kubernetes:helm.sh/v3:Release",
] as const;

export function classify(type: string): "priced" | "usage" | "free" | undefined {
    if ((PRICED_TYPES as readonly string[]).includes(type)) return "priced";
    if (type in USAGE_ONLY_TYPES) return "usage";
    if (FREE_TYPE_PATTERNS.some((p) => p.test(type))) return "free";
    return undefined;
}

/**
 * The estimate of one plan, with the stack's usage assumptions and the unit prices it sets itself (`costPrices`, by
 * catalog name, for the stack's own region). `today` decides EKS extended support.
 */
export function estimateCost(record: PlanRecord, assumptions: CostAssumptions, today = new Date(), configured: Record<string, number> = {}): CostEstimate {
    const region = record.region;
    const priceIn = (name: string, where: string): Price | undefined =>
        where === region && name in configured
            ? { usd: configured[name], unit: catalogPriceIn(name, region)?.unit ?? catalogPriceIn(name, "us-east-1")?.unit ?? "as the stack sets it", source: "costPrices in the stack's config", verified: true }
            : catalogPriceIn(name, where);
    const resources = registered(record);
    const used = new Set<string>();
    const missing = new Set<string>();
    const lines: CostLine[] = [];
    const outside: CostLine[] = [];
    const componentOf = topComponents(record);
    // A figure the region lacks is read at us-east-1's; the line that used it is kept out of the totals.
    const usd: Usd = (name) => (priceIn(name, region) ?? priceIn(name, "us-east-1"))?.usd;
    const push: Push = (line, ...prices) => {
        const lacking = prices.filter((p) => !priceIn(p, region));
        lacking.forEach((p) => missing.add(p));
        if (!lacking.length) prices.forEach((p) => used.add(p));
        (lacking.length ? outside : lines).push({ ...line, min: round(line.min), max: round(line.max) });
    };
    const add: Add = (r, min, max, basis, ...prices) => push({ component: componentOf(r), type: r.type, name: r.name, min, max, basis }, ...prices);
    for (const r of resources) priceResource(r, record, assumptions, today, usd, add);
    usageLines(resources, assumptions, componentOf, usd, push);
    const sum = (key: (l: CostLine) => string) => {
        const out: Record<string, { min: number; max: number }> = {};
        for (const l of lines) {
            const k = key(l);
            out[k] = { min: round((out[k]?.min ?? 0) + l.min), max: round((out[k]?.max ?? 0) + l.max) };
        }
        return out;
    };
    const total = (of: CostLine[]) => ({ min: round(of.reduce((s, l) => s + l.min, 0)), max: round(of.reduce((s, l) => s + l.max, 0)) });
    const figure = (name: string) => priceIn(name, region)!;
    return {
        region,
        pricesChecked: PRICES_CHECKED,
        lines,
        total: total(lines),
        outside: { lines: outside, total: total(outside), missingPrices: [...missing].sort() },
        byComponent: sum((l) => l.component),
        byType: sum((l) => l.type),
        assumptions,
        pricesUsed: Object.fromEntries([...used].sort().map((name) => [name, `$${figure(name).usd} per ${figure(name).unit}`])),
        unverifiedPrices: [...used].filter((name) => !figure(name).verified).sort(),
        configuredPrices: [...used].filter((name) => name in configured).sort(),
        notEstimated: [...new Set(resources.filter((r) => classify(r.type) === "usage" && USAGE_ONLY_TYPES[r.type].includes("not estimated")).map((r) => r.type))].sort(),
        unclassified: [...new Set(resources.map((r) => r.type).filter((t) => !classify(t)))].sort(),
    };
}

/** The estimate of a plan with the usage its own stack config assumes. */
export function estimatePlanCost(record: PlanRecord): CostEstimate {
    const config = loadStackConfig(record.stack, { values: record.config, secretKeys: record.secretKeys }, record.project);
    return estimateCost(record, config.costAssumptions, undefined, config.costPrices);
}

/** How a line whose class the catalog has no price for ends its basis (the render lists such lines). */
const NO_PRICE = ": no catalog price";

/** A figure's USD in the estimate's region (us-east-1's where the region lacks it), or none at all. */
type Usd = (name: string) => number | undefined;
/** A line, with the catalog figures it was computed from. */
type Push = (line: CostLine, ...prices: string[]) => void;
type Add = (r: RecordedResource, min: number, max: number, basis: string, ...prices: string[]) => void;

function priceResource(r: RecordedResource, record: PlanRecord, a: CostAssumptions, today: Date, usd: Usd, add: Add): void {
    const i = r.inputs as Record<string, any>;
    const monthly = (name: string, count = 1) => month(usd(name) ?? 0) * count;
    const noPrice = (cls: string) => add(r, 0, 0, `${cls}${NO_PRICE}`);
    switch (r.type) {
        case "eks:index:Cluster": {
            const ends = EKS_VERSIONS[String(i.version)]?.standardSupportEnds;
            // On STANDARD, EKS upgrades the cluster at the end of standard support instead of billing extended support.
            const extended = ends !== undefined && new Date(ends) < today && i.upgradePolicy?.supportType !== "STANDARD";
            const rate = extended ? "eksClusterExtended" : "eksCluster";
            return add(r, monthly(rate), monthly(rate), `control plane, Kubernetes ${i.version}${extended ? " in extended support" : ""}: $${usd(rate)}/h`, rate);
        }
        case "aws:eks/nodeGroup:NodeGroup": {
            const type = String(i.instanceTypes?.[0]);
            const hourly = usd(`ec2 ${type}`);
            const { minSize, maxSize } = i.scalingConfig ?? {};
            const volumeGiB = launchTemplateVolume(record, i.launchTemplate?.id);
            if (hourly === undefined) return noPrice(type);
            const family = type.split(".")[0];
            const spot = i.capacityType === "SPOT" ? (SPOT_DISCOUNT_PERCENT[family] ?? { percent: a.spotDiscountPercent, source: "costAssumptions.spotDiscountPercent" }) : undefined;
            const node = month(hourly * (1 - (spot?.percent ?? 0) / 100)) + volumeGiB * usd("ebsGp3GbMonth")!;
            const rate = spot ? `spot (${spot.percent}% below $${hourly}/h${spot.source.startsWith("cost") ? ", assumed" : ""})` : `$${hourly}/h`;
            return add(r, node * minSize, node * maxSize, `${minSize}-${maxSize} x ${type} ${rate} + ${volumeGiB} GiB gp3 each`, `ec2 ${type}`, "ebsGp3GbMonth");
        }
        case "aws:ec2/natGateway:NatGateway":
            return add(r, monthly("natGatewayHour"), monthly("natGatewayHour"), `$${usd("natGatewayHour")}/h`, "natGatewayHour");
        case "aws:ec2/eip:Eip":
            return add(r, monthly("publicIpv4Hour"), monthly("publicIpv4Hour"), `public IPv4 $${usd("publicIpv4Hour")}/h`, "publicIpv4Hour");
        case "aws:ec2/vpcEndpoint:VpcEndpoint": {
            if (i.vpcEndpointType !== "Interface") return;
            const azs = (i.subnetIds ?? []).length;
            return add(r, monthly("interfaceEndpointHour", azs), monthly("interfaceEndpointHour", azs), `interface endpoint in ${azs} AZs, $${usd("interfaceEndpointHour")}/h each`, "interfaceEndpointHour");
        }
        case "aws:rds/instance:Instance": {
            const cls = String(i.instanceClass);
            const multiAz = i.multiAz ? " Multi-AZ" : "";
            const hourly = usd(`rds ${cls}${multiAz}`);
            const source = i.replicateSourceDb ? record.resources.find((s) => s.type === r.type && s.inputs.identifier === i.replicateSourceDb)?.inputs : undefined;
            const storage = Number(i.allocatedStorage ?? source?.allocatedStorage ?? a.replicaStorageGb);
            const ceiling = Number(i.maxAllocatedStorage ?? storage);
            if (hourly === undefined) return noPrice(cls);
            const gb = usd(`rdsGp3GbMonth${multiAz}`)!;
            return add(r, month(hourly) + storage * gb, month(hourly) + ceiling * gb,
                `${cls}${multiAz} $${hourly}/h + gp3 ${storage}-${ceiling} GiB at $${gb}`, `rds ${cls}${multiAz}`, `rdsGp3GbMonth${multiAz}`);
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const nodes = i.numCacheClusters ?? (i.numNodeGroups ?? 1) * (1 + (i.replicasPerNodeGroup ?? 0));
            const name = `elasticache ${i.nodeType} ${i.engine === "valkey" ? "valkey" : "redis"}`;
            if (usd(name) === undefined) return noPrice(`${i.nodeType} ${i.engine}`);
            return add(r, monthly(name, nodes), monthly(name, nodes), `${nodes} x ${i.nodeType} ${i.engine} $${usd(name)}/h`, name);
        }
        case "aws:docdb/clusterInstance:ClusterInstance": {
            const name = `docdb ${i.instanceClass}`;
            if (usd(name) === undefined) return noPrice(String(i.instanceClass));
            return add(r, monthly(name), monthly(name), `${i.instanceClass} $${usd(name)}/h (storage and I/O by usage)`, name);
        }
        case "aws:backup/vault:Vault": {
            // Recovery points are priced as database snapshots in the vault's own region (a DR vault's is another).
            const elsewhere = i.region && i.region !== record.region ? ` in ${i.region}` : "";
            const name = `rdsBackupGbMonth${elsewhere}`;
            const total = a.backupGb * usd(name)!;
            return add(r, total, total, `${a.backupGb} GB of recovery points at $${usd(name)}/GB-month${elsewhere}`, name);
        }
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return add(r, usd("metricAlarmMonth")!, usd("metricAlarmMonth")!, "standard alarm", "metricAlarmMonth");
        case "aws:kms/key:Key":
            return add(r, usd("kmsKeyMonth")!, usd("kmsKeyMonth")!, "customer-managed key", "kmsKeyMonth");
        case "aws:secretsmanager/secret:Secret": {
            const copies = 1 + (i.replicas ?? []).length;
            return add(r, usd("secretMonth")! * copies, usd("secretMonth")! * copies, copies > 1 ? `secret and ${copies - 1} replica(s)` : "secret", "secretMonth");
        }
        case "aws:route53/healthCheck:HealthCheck": {
            const https = String(i.type).startsWith("HTTPS");
            const total = usd("healthCheckMonth")! + (https ? usd("healthCheckHttpsMonth")! : 0);
            return add(r, total, total, `health check${https ? " with HTTPS" : ""}`, "healthCheckMonth", ...(https ? ["healthCheckHttpsMonth"] : []));
        }
        case "aws:wafv2/webAcl:WebAcl": {
            const rules = (i.rules ?? []).length;
            const total = usd("wafWebAclMonth")! + rules * usd("wafRuleMonth")! + a.requestsMillionsPerMonth * usd("wafMillionRequests")!;
            return add(r, total, total, `web ACL with ${rules} rules + ${a.requestsMillionsPerMonth} M requests`, "wafWebAclMonth", "wafRuleMonth", "wafMillionRequests");
        }
        case "kubernetes:networking.k8s.io/v1:Ingress": {
            // The load balancer controller makes one ALB per group; the group's first Ingress carries its cost.
            const group = i.metadata?.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? r.name;
            const first = record.resources.find((o) => o.type === r.type && ((o.inputs as Record<string, any>).metadata?.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? o.name) === group);
            if (first !== r) return;
            const total = monthly("albHour") + monthly("albLcuHour", a.albLcus);
            return add(r, total, total, `ALB "${group}": $${usd("albHour")}/h + ${a.albLcus} LCU at $${usd("albLcuHour")}/h`, "albHour", "albLcuHour");
        }
        case "kubernetes:apps/v1:StatefulSet": {
            const spec = i.spec ?? {};
            const perPod = (spec.volumeClaimTemplates ?? []).reduce((s: number, c: any) => s + gib(c.spec?.resources?.requests?.storage), 0);
            if (!perPod) return;
            const total = perPod * (spec.replicas ?? 1) * usd("ebsGp3GbMonth")!;
            return add(r, total, total, `${spec.replicas ?? 1} x ${perPod} GiB gp3 claims`, "ebsGp3GbMonth");
        }
        case "kubernetes:helm.sh/v3:Release": {
            const gb = chartVolumesGiB(i.values);
            if (!gb) return;
            return add(r, gb * usd("ebsGp3GbMonth")!, gb * usd("ebsGp3GbMonth")!, `${gb} GiB of gp3 claims in ${i.chart}'s values`, "ebsGp3GbMonth");
        }
    }
}

/** The stack's usage that no single resource carries, from its assumptions. */
function usageLines(resources: RecordedResource[], a: CostAssumptions, componentOf: (r: RecordedResource) => string, usd: Usd, push: Push): void {
    const line = (type: string, gb: number, basis: (...rates: number[]) => string, ...prices: string[]) => {
        const r = resources.find((o) => o.type === type);
        if (!r || !gb) return;
        const rates = prices.map((p) => usd(p)!);
        const total = gb * rates.reduce((s, rate) => s + rate, 0);
        push({ component: componentOf(r), type: r.type, name: `${r.name} (usage)`, min: total, max: total, basis: basis(...rates) }, ...prices);
    };
    line("aws:ec2/natGateway:NatGateway", a.natGbPerMonth, (rate) => `${a.natGbPerMonth} GB through NAT at $${rate}/GB`, "natGatewayGb");
    line("aws:cloudwatch/logGroup:LogGroup", a.logIngestGbPerMonth, (ingest, store) => `${a.logIngestGbPerMonth} GB/month ingested at $${ingest} and kept a month at $${store}`, "logsIngestGb", "logsStoreGbMonth");
    line("aws:s3/bucket:Bucket", a.storageGb, (rate) => `${a.storageGb} GB in S3 Standard at $${rate}`, "s3StandardGbMonth");
    line("aws:cloudfront/distribution:Distribution", a.edgeGbPerMonth, (rate) => `${a.edgeGbPerMonth} GB to viewers at $${rate}`, "cloudfrontGbOut");
    line("aws:efs/fileSystem:FileSystem", a.sharedFilesGb, (rate) => `${a.sharedFilesGb} GB in EFS Standard at $${rate}`, "efsStandardGbMonth");
    line("aws:s3/bucketReplicationConfig:BucketReplicationConfig", a.crossRegionGbPerMonth, (rate) => `${a.crossRegionGbPerMonth} GB replicated to the DR region at $${rate}`, "crossRegionGb");
}

/** Each resource's top-level component (the stack's direct child it sits under), by its URN's parent chain. */
function topComponents(record: PlanRecord): (r: RecordedResource) => string {
    const byUrn = new Map(record.resources.map((r) => [r.urn, r]));
    const stack = record.resources.find((r) => r.type === STACK_TYPE)?.urn;
    return (r) => {
        let node = r;
        while (node.parent && node.parent !== stack && byUrn.get(node.parent)) node = byUrn.get(node.parent)!;
        return node.custom ? "stack" : node.name;
    };
}

function launchTemplateVolume(record: PlanRecord, id: unknown): number {
    const template = id === undefined ? ofType(record, "aws:ec2/launchTemplate:LaunchTemplate")[0] : byId(record, id);
    const mapping = (template?.inputs.blockDeviceMappings as { ebs?: { volumeSize?: number } }[] | undefined)?.[0];
    return Number(mapping?.ebs?.volumeSize ?? 20);
}

/** GiB of a Kubernetes quantity (Gi, G, Ti). */
function gib(quantity: unknown): number {
    const m = /^(\d+(?:\.\d+)?)(Gi|G|Ti|T|Mi)?$/.exec(String(quantity ?? ""));
    if (!m) return 0;
    const n = Number(m[1]);
    return m[2] === "Ti" || m[2] === "T" ? n * 1024 : m[2] === "Mi" ? n / 1024 : n;
}

/** Volumes a chart's values ask for: each block with a claim template or a persistence size, times its replicas. */
function chartVolumesGiB(values: unknown): number {
    let total = 0;
    const walk = (node: unknown): void => {
        if (!node || typeof node !== "object" || Array.isArray(node)) return;
        const v = node as Record<string, any>;
        const claim = v.storageSpec?.volumeClaimTemplate ?? v.storage?.volumeClaimTemplate;
        const size = claim ? gib(claim.spec?.resources?.requests?.storage) : v.persistence?.enabled !== false ? gib(v.persistence?.size) : 0;
        if (size) total += size * Number(v.replicas ?? 1);
        for (const child of Object.values(v)) walk(child);
    };
    walk(values);
    return total;
}

const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

/** The plan's "Monthly cost estimate" section. */
export function renderCostEstimate(e: CostEstimate): string {
    const out = [`Monthly cost estimate (on-demand list prices of ${e.pricesChecked}, ${e.region}): ${usd(e.total.min)} at minimum scale, ${usd(e.total.max)} at maximum${e.outside.lines.length ? `, without the ${e.outside.lines.length} line(s) below` : ""}`];
    if (e.outside.lines.length) {
        const short = (l: CostLine) => l.type.split(":").pop()!;
        const usage = e.outside.lines.filter((l) => l.name.endsWith(" (usage)"));
        const counts = e.outside.lines.filter((l) => !usage.includes(l)).reduce<Record<string, number>>((c, l) => ({ ...c, [short(l)]: (c[short(l)] ?? 0) + 1 }), {});
        const what = [...Object.entries(counts).map(([t, n]) => `${t} x${n}`), ...(usage.length ? [`the usage of ${usage.map(short).join(", ")}`] : [])];
        out.push(`  left out, the catalog having no ${e.region} figure for ${e.outside.missingPrices.join(", ")}: ${what.join(", ")}; at us-east-1's prices ${range(e.outside.total)}`);
    }
    const components = Object.entries(e.byComponent).sort((a, b) => b[1].max - a[1].max);
    out.push(`  by component: ${components.map(([c, v]) => `${c} ${range(v)}`).join(", ")}`);
    const types = Object.entries(e.byType).sort((a, b) => b[1].max - a[1].max).slice(0, 8);
    out.push(`  largest types: ${types.map(([t, v]) => `${t.split(":").pop()} ${range(v)}`).join(", ")}`);
    const a = e.assumptions;
    out.push(`  usage assumed (costAssumptions): NAT ${a.natGbPerMonth} GB, logs ${a.logIngestGbPerMonth} GB, S3 ${a.storageGb} GB, ${a.requestsMillionsPerMonth} M requests, edge ${a.edgeGbPerMonth} GB, EFS ${a.sharedFilesGb} GB, DR replication ${a.crossRegionGbPerMonth} GB, ${a.albLcus} ALB LCU, backups ${a.backupGb} GB a vault, spot ${a.spotDiscountPercent}% off where the catalog has no figure for the family`);
    out.push(`  unit prices: ${Object.entries(e.pricesUsed).map(([name, p]) => `${name} ${p}`).join("; ")}`);
    const unknown = e.lines.filter((l) => l.basis.endsWith(NO_PRICE));
    if (unknown.length) out.push(`  no catalog price, counted at nothing: ${unknown.map((l) => `${l.basis.slice(0, -NO_PRICE.length)} (${l.name})`).join(", ")}`);
    if (e.notEstimated.length) out.push(`  not estimated (usage only): ${e.notEstimated.map((t) => t.split(":").pop()).join(", ")}`);
    if (e.configuredPrices.length) out.push(`  set by the stack's costPrices: ${e.configuredPrices.join(", ")}`);
    if (e.unverifiedPrices.length) out.push(`  ${e.unverifiedPrices.length} unit price(s) not re-verified against a source: ${e.unverifiedPrices.join(", ")}`);
    if (e.unclassified.length) out.push(`  UNCLASSIFIED resource types (neither priced, usage-only nor free): ${e.unclassified.join(", ")}`);
    return out.join("\n");
}

const range = (v: { min: number; max: number }) => (Math.round(v.min) === Math.round(v.max) ? usd(v.min) : `${usd(v.min)}-${usd(v.max)}`);

/** What a change adds per month: this estimate against a previous plan's (its `--json` file's `cost`). */
export function renderCostComparison(before: CostEstimate, after: CostEstimate): string {
    const delta = (b = { min: 0, max: 0 }, a = { min: 0, max: 0 }) => ({ min: a.min - b.min, max: a.max - b.max });
    const signed = (v: { min: number; max: number }) => `${v.min >= 0 ? "+" : "-"}${usd(Math.abs(v.min))}${Math.round(v.min) === Math.round(v.max) ? "" : ` / ${v.max >= 0 ? "+" : "-"}${usd(Math.abs(v.max))}`}`;
    const out = [`Cost change against the previous plan: ${signed(delta(before.total, after.total))} per month (minimum / maximum scale)`];
    const keys = [...new Set([...Object.keys(before.byComponent), ...Object.keys(after.byComponent)])].sort();
    for (const k of keys) {
        const d = delta(before.byComponent[k], after.byComponent[k]);
        if (Math.round(d.min) !== 0 || Math.round(d.max) !== 0) out.push(`  ${k}: ${signed(d)}`);
    }
    const types = [...new Set([...Object.keys(before.byType), ...Object.keys(after.byType)])].sort();
    for (const t of types) {
        const d = delta(before.byType[t], after.byType[t]);
        if (Math.round(d.min) !== 0 || Math.round(d.max) !== 0) out.push(`    ${t}: ${signed(d)}`);
    }
    return out.join("\n");
}
