/**
 * Reading a plan record back: lookups, and the network layout derived from what was really registered (subnets,
 * which NAT gateway each private subnet's route points at, endpoints). Used by the summary and by the tests.
 */
import { SUBNET_TIERS } from "../model/network-layout";
import type { PlanRecord } from "./evaluate";
import type { RecordedResource } from "./mocks";

export const STACK_TYPE = "pulumi:pulumi:Stack";
const tierOrder = (tier: string) => (SUBNET_TIERS as readonly string[]).indexOf(tier);

export function ofType<R extends { type: string } = RecordedResource>(record: { resources: R[] }, type: string): R[] {
    return record.resources.filter((r) => r.type === type);
}

export function byId(record: PlanRecord, id: unknown): RecordedResource | undefined {
    return record.resources.find((r) => r.id !== undefined && r.id === id);
}

/** Everything registered under `urn`, at any depth. */
export function descendants(record: PlanRecord, urn: string): RecordedResource[] {
    const children = record.resources.filter((r) => r.parent === urn);
    return children.flatMap((child) => [child, ...descendants(record, child.urn)]);
}

/** The region an AWS resource lives in: its own `region` input, else its provider's, else the stack's first provider's. */
export function regionResolver(resources: RecordedResource[]): (r: RecordedResource) => string {
    const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:aws")).map((p) => [p.urn, String(p.inputs.region ?? "")]));
    const fallback = [...providers.values()].find(Boolean) ?? "";
    return (r) => String(r.inputs.region ?? providers.get(String(r.provider ?? "").split("::").slice(0, -1).join("::")) ?? fallback);
}

/** Resources the program registered, without the stack resource itself. */
export function registered(record: PlanRecord): RecordedResource[] {
    return record.resources.filter((r) => r.type !== STACK_TYPE);
}

export interface NetworkLayout {
    vpcCidr: string;
    subnets: { tier: string; az: string; cidr: string; id: string }[];
    natGateways: { az: string; id: string }[];
    /** For each private subnet's AZ, the AZ of the NAT gateway its default route uses. */
    privateEgress: { az: string; natAz: string }[];
    /** Tiers whose route tables have a default route, and where it goes. */
    internetRoutes: { tier: string; target: "internet-gateway" | "nat-gateway" }[];
    endpoints: { service: string; type: string }[];
    flowLogs: { trafficType: string; retentionInDays: number; encrypted: boolean }[];
}

export function networkLayout(record: PlanRecord): NetworkLayout {
    const subnet = (id: unknown) => {
        const r = byId(record, id);
        return r && { tier: String((r.inputs.tags as Record<string, string>).tier), az: String(r.inputs.availabilityZone) };
    };
    const natGateways = ofType(record, "aws:ec2/natGateway:NatGateway")
        .map((n) => ({ az: subnet(n.inputs.subnetId)?.az ?? "?", id: n.id ?? "" }))
        .sort((a, b) => a.az.localeCompare(b.az));
    const tablesOf = (tier: string) =>
        ofType(record, "aws:ec2/routeTableAssociation:RouteTableAssociation")
            .filter((a) => subnet(a.inputs.subnetId)?.tier === tier)
            .map((a) => ({ table: a.inputs.routeTableId, az: subnet(a.inputs.subnetId)!.az }))
            .sort((a, b) => a.az.localeCompare(b.az));
    const defaultRoutes = ofType(record, "aws:ec2/route:Route").filter((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0");
    const routeOf = (table: unknown) => defaultRoutes.find((r) => r.inputs.routeTableId === table);
    const logGroups = ofType(record, "aws:cloudwatch/logGroup:LogGroup");
    return {
        vpcCidr: String(ofType(record, "aws:ec2/vpc:Vpc")[0]?.inputs.cidrBlock),
        // Registration order follows when inputs resolve, not program order: sort for a stable layout.
        subnets: ofType(record, "aws:ec2/subnet:Subnet")
            .map((s) => ({
                tier: String((s.inputs.tags as Record<string, string>).tier),
                az: String(s.inputs.availabilityZone),
                cidr: String(s.inputs.cidrBlock),
                id: s.id ?? "",
            }))
            .sort((a, b) => tierOrder(a.tier) - tierOrder(b.tier) || a.az.localeCompare(b.az)),
        natGateways,
        privateEgress: tablesOf("private").map(({ table, az }) => ({
            az,
            natAz: natGateways.find((n) => n.id === routeOf(table)?.inputs.natGatewayId)?.az ?? "none",
        })),
        internetRoutes: SUBNET_TIERS.flatMap((tier) =>
            tablesOf(tier)
                .map(({ table }) => routeOf(table))
                .filter((route) => route !== undefined)
                .slice(0, 1)
                .map((route) => ({ tier, target: route.inputs.gatewayId ? ("internet-gateway" as const) : ("nat-gateway" as const) })),
        ),
        endpoints: ofType(record, "aws:ec2/vpcEndpoint:VpcEndpoint")
            .map((e) => ({ service: String(e.inputs.serviceName).split(".").slice(3).join("."), type: String(e.inputs.vpcEndpointType) }))
            .sort((a, b) => a.type.localeCompare(b.type) || a.service.localeCompare(b.service)),
        flowLogs: ofType(record, "aws:ec2/flowLog:FlowLog").map((f) => {
            const group = logGroups.find((g) => g.state.arn === f.inputs.logDestination);
            return { trafficType: String(f.inputs.trafficType), retentionInDays: Number(group?.inputs.retentionInDays), encrypted: Boolean(group?.inputs.kmsKeyId) };
        }),
    };
}

export interface ClusterLayout {
    name: string;
    version: string;
    endpoint: { private: boolean; publicCidrs: string[] };
    secretsEncrypted: boolean;
    logTypes: string[];
    logRetentionDays: number;
    nodeGroups: {
        name: string;
        instanceTypes: string[];
        capacityType: string;
        amiType: string;
        min: number;
        desired: number;
        max: number;
        subnets: number;
        taints: string[];
        ignoresDesiredSize: boolean;
    }[];
    nodeVolume: { type: string; sizeGiB: number; encrypted: boolean };
    imds: { tokens: string; hopLimit: number };
    addons: { name: string; version: string }[];
    charts: { name: string; version: string; namespace: string }[];
    accessEntries: { principal: string; policy: string }[];
}

/** The EKS cluster as registered: the eks component's inputs and the node groups, launch template and add-ons beside it. */
export function clusterLayout(record: PlanRecord): ClusterLayout | undefined {
    const cluster = ofType(record, "eks:index:Cluster")[0];
    if (!cluster) return undefined;
    const template = ofType(record, "aws:ec2/launchTemplate:LaunchTemplate")[0];
    const ebs = ((template?.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[] | undefined) ?? [])[0]?.ebs ?? {};
    const metadata = (template?.inputs.metadataOptions ?? {}) as Record<string, unknown>;
    const logGroup = ofType(record, "aws:cloudwatch/logGroup:LogGroup").find((g) => String(g.inputs.name).startsWith("/aws/eks/"));
    const shortPolicy = (arn: unknown) => String(arn).split("/").pop() ?? "";
    return {
        name: String(cluster.inputs.name),
        version: String(cluster.inputs.version),
        endpoint: { private: cluster.inputs.endpointPrivateAccess === true, publicCidrs: cluster.inputs.endpointPublicAccess ? (cluster.inputs.publicAccessCidrs as string[]) : [] },
        secretsEncrypted: Boolean(cluster.inputs.encryptionConfigKeyArn),
        logTypes: (cluster.inputs.enabledClusterLogTypes as string[] | undefined) ?? [],
        logRetentionDays: Number(logGroup?.inputs.retentionInDays),
        nodeGroups: ofType(record, "aws:eks/nodeGroup:NodeGroup")
            .map((g) => {
                const scaling = g.inputs.scalingConfig as Record<string, number>;
                return {
                    name: String((g.inputs.labels as Record<string, string>)["rag-platform.io/node-group"]),
                    instanceTypes: g.inputs.instanceTypes as string[],
                    capacityType: String(g.inputs.capacityType),
                    amiType: String(g.inputs.amiType),
                    min: scaling.minSize,
                    desired: scaling.desiredSize,
                    max: scaling.maxSize,
                    subnets: (g.inputs.subnetIds as string[]).length,
                    taints: ((g.inputs.taints as { key: string; value: string; effect: string }[] | undefined) ?? []).map((t) => `${t.key}=${t.value}:${t.effect}`),
                    ignoresDesiredSize: g.ignoreChanges.includes("scalingConfig.desiredSize"),
                };
            })
            .sort((a, b) => a.name.localeCompare(b.name)),
        nodeVolume: { type: String(ebs.volumeType), sizeGiB: Number(ebs.volumeSize), encrypted: ebs.encrypted === "true" && Boolean(ebs.kmsKeyId) },
        imds: { tokens: String(metadata.httpTokens), hopLimit: Number(metadata.httpPutResponseHopLimit) },
        addons: ofType(record, "aws:eks/addon:Addon").map((a) => ({ name: String(a.inputs.addonName), version: String(a.inputs.addonVersion) })).sort((a, b) => a.name.localeCompare(b.name)),
        charts: ofType(record, "kubernetes:helm.sh/v3:Release")
            .map((r) => ({ name: String(r.inputs.chart), version: String(r.inputs.version), namespace: String(r.inputs.namespace) }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        accessEntries: ofType(record, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => ({ principal: String(a.inputs.principalArn), policy: shortPolicy(a.inputs.policyArn) })),
    };
}

export interface DataLayout {
    database: { engineVersion: string; instanceClass: string; multiAz: boolean; storage: string; backupDays: number; replicas: number; deletionProtection: boolean };
    cache: { engine: string; nodeType: string; clusterMode: boolean; shards: number; nodesPerShard: number; multiAz: boolean; transit: string };
    buckets: { name: string; encryption: string; versioned: boolean; replicatedTo?: string }[];
    backup?: { schedule: string; retentionDays: number; copiesTo?: string };
    secrets: string[];
}

/** The data tier as registered: database writer and replicas, cache, buckets, backup plan, secrets. */
export function dataLayout(record: PlanRecord): DataLayout | undefined {
    const instances = ofType(record, "aws:rds/instance:Instance");
    const writer = instances.find((i) => !i.inputs.replicateSourceDb);
    const cache = ofType(record, "aws:elasticache/replicationGroup:ReplicationGroup")[0];
    if (!writer || !cache) return undefined;
    const forBucket = (type: string, bucket: RecordedResource) => ofType(record, type).find((r) => r.inputs.bucket === bucket.id);
    const plan = ofType(record, "aws:backup/plan:Plan")[0];
    const rule = (plan?.inputs.rules as Record<string, any>[] | undefined)?.[0];
    const vaults = ofType(record, "aws:backup/vault:Vault");
    return {
        database: {
            engineVersion: String(writer.inputs.engineVersion),
            instanceClass: String(writer.inputs.instanceClass),
            multiAz: writer.inputs.multiAz === true,
            storage: `${writer.inputs.allocatedStorage}-${writer.inputs.maxAllocatedStorage} GiB ${writer.inputs.storageType}`,
            backupDays: Number(writer.inputs.backupRetentionPeriod),
            replicas: instances.length - 1,
            deletionProtection: writer.inputs.deletionProtection === true,
        },
        cache: {
            engine: `${cache.inputs.engine} ${cache.inputs.engineVersion}`,
            nodeType: String(cache.inputs.nodeType),
            clusterMode: cache.inputs.clusterMode !== "disabled",
            shards: cache.inputs.clusterMode === "disabled" ? 1 : Number(cache.inputs.numNodeGroups),
            nodesPerShard: cache.inputs.clusterMode === "disabled" ? Number(cache.inputs.numCacheClusters) : 1 + Number(cache.inputs.replicasPerNodeGroup),
            multiAz: cache.inputs.multiAzEnabled === true,
            transit: String(cache.inputs.transitEncryptionMode),
        },
        buckets: ofType(record, "aws:s3/bucket:Bucket")
            .filter((b) => !b.inputs.region)
            .map((b) => {
                const sse = (forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b)?.inputs.rules as Record<string, any>[] | undefined)?.[0];
                const replication = (forBucket("aws:s3/bucketReplicationConfig:BucketReplicationConfig", b)?.inputs.rules as Record<string, any>[] | undefined)?.[0];
                const target = replication && ofType(record, "aws:s3/bucket:Bucket").find((r) => r.state.arn === replication.destination.bucket);
                return {
                    name: String((b.inputs.tags as Record<string, string>)["rag-platform.io/bucket"]),
                    encryption: String(sse?.applyServerSideEncryptionByDefault?.sseAlgorithm ?? "none"),
                    versioned: Boolean(forBucket("aws:s3/bucketVersioning:BucketVersioning", b)),
                    replicatedTo: target ? String(target.inputs.region) : undefined,
                };
            }),
        backup: rule && {
            schedule: String(rule.schedule),
            retentionDays: Number(rule.lifecycle?.deleteAfter),
            copiesTo: vaults.find((v) => v.inputs.region)?.inputs.region as string | undefined,
        },
        secrets: ofType(record, "aws:secretsmanager/secret:Secret").map((s) => String(s.inputs.name)).sort(),
    };
}

export interface ObservabilityLayout {
    charts: { name: string; version: string }[];
    metrics: { retention: string; scrapeInterval: string; replicas: number; volume: string };
    logRetention: string;
    traceRetention: string;
    samplingPercent: number;
    alertRules: number;
    dashboards: number;
    cloudWatchAlarms: number;
    auditTrail: boolean;
    guardDuty: boolean;
    securityHub: boolean;
}

/** The observability stack as registered: chart values, generated rules and dashboards, AWS alarms and detectors. */
export function observabilityLayout(record: PlanRecord): ObservabilityLayout | undefined {
    const releases = ofType(record, "kubernetes:helm.sh/v3:Release");
    const values = (chart: string) => releases.find((r) => r.inputs.chart === chart)?.inputs.values as Record<string, any> | undefined;
    const stack = values("kube-prometheus-stack");
    if (!stack) return undefined;
    const spec = stack.prometheus.prometheusSpec;
    const limits = values("loki")?.loki?.limits_config;
    const toDays = (hours: string | undefined) => (hours ? `${Number.parseInt(hours, 10) / 24} d` : "?");
    const rules = ofType(record, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").flatMap((r) => (r.inputs.spec as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) => g.rules));
    return {
        charts: releases.filter((r) => ["kube-prometheus-stack", "loki", "tempo", "opentelemetry-collector", "fluent-bit"].includes(String(r.inputs.chart))).map((r) => ({ name: String(r.inputs.chart), version: String(r.inputs.version) })),
        metrics: { retention: spec.retention, scrapeInterval: spec.scrapeInterval, replicas: spec.replicas, volume: spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage },
        logRetention: `${toDays(limits?.retention_period)} (access logs ${toDays(limits?.retention_stream?.[0]?.period)})`,
        traceRetention: toDays(values("tempo")?.tempo?.retention),
        samplingPercent: values("opentelemetry-collector")?.config?.processors?.probabilistic_sampler?.sampling_percentage,
        alertRules: rules.filter((r) => r.alert).length,
        dashboards: ofType(record, "kubernetes:core/v1:ConfigMap").filter((c) => (c.inputs.metadata as { labels?: Record<string, string> }).labels?.grafana_dashboard === "1").length,
        cloudWatchAlarms: ofType(record, "aws:cloudwatch/metricAlarm:MetricAlarm").length,
        auditTrail: ofType(record, "aws:cloudtrail/trail:Trail").length > 0,
        guardDuty: ofType(record, "aws:guardduty/detector:Detector").length > 0,
        securityHub: ofType(record, "aws:securityhub/account:Account").length > 0,
    };
}

export interface WorkloadServiceLayout {
    name: string;
    /** Deployment, StatefulSet or Rollout (canary / blueGreen). */
    kind: string;
    delivery: string;
    replicas: string;
    triggers: string[];
    disruptionBudget: string;
    containers: string[];
    paths: string[];
}

export interface WorkloadLayout {
    namespace: string;
    podSecurity: string;
    networkPolicies: number;
    entryPoint?: { domain: string; certificate: string; wafRules: string[]; edge?: string; dns: string[] };
    services: WorkloadServiceLayout[];
}

/** The RAG workload as registered: namespace guard rails, and each service's workload, scaling, budget and routes. */
export function workloadLayout(record: PlanRecord): WorkloadLayout | undefined {
    const namespace = ofType(record, "rag:workload:RagWorkload")[0];
    if (!namespace) return undefined;
    const ns = ofType(record, "kubernetes:core/v1:Namespace").find((n) => n.parent === namespace.urn);
    const labels = (ns?.inputs.metadata as { name?: string; labels?: Record<string, string> } | undefined) ?? {};
    const acl = ofType(record, "aws:wafv2/webAcl:WebAcl")[0];
    const certificate = ofType(record, "aws:acm/certificate:Certificate")[0];
    const ingress = ofType(record, "kubernetes:networking.k8s.io/v1:Ingress")[0];
    const services = ofType(record, "rag:workload:Service").map((component): WorkloadServiceLayout => {
        const children = descendants(record, component.urn);
        const workload = children.find((r) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:argoproj.io/v1alpha1:Rollout", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"].includes(r.type))!;
        const workloadSpec = workload.inputs.spec as Record<string, any>;
        // A CronJob's pod template sits one level down, in its job template.
        const spec = workload.type === "kubernetes:batch/v1:CronJob" ? { ...workloadSpec.jobTemplate.spec, schedule: workloadSpec.schedule } : workloadSpec;
        const scaler = children.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")?.inputs.spec as Record<string, any> | undefined;
        const pdb = children.find((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")?.inputs.spec as Record<string, unknown> | undefined;
        const route = children.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")?.inputs.spec as Record<string, any> | undefined;
        const batch = workload.type.startsWith("kubernetes:batch/");
        const strategy = batch ? "runs to completion" : spec.strategy?.canary ? "canary" : spec.strategy?.blueGreen ? "blueGreen" : "rolling";
        return {
            name: String((workload.inputs.metadata as { name: string }).name),
            kind: workload.type.split(":")[2],
            delivery: strategy,
            replicas: scaler ? `${scaler.minReplicaCount}-${scaler.maxReplicaCount}` : spec.schedule ? `1 on "${spec.schedule}"` : String(spec.replicas ?? 1),
            triggers: (scaler?.triggers ?? []).map((t: { type: string; metadata: Record<string, string> }) =>
                t.type === "prometheus" ? `${t.metadata.threshold} req/s per pod` : t.type === "redis-cluster" || t.type === "redis" ? `queue ${t.metadata.listName} ${t.metadata.listLength} per pod` : `${t.type} ${t.metadata.value}%`),
            disruptionBudget: pdb ? Object.entries(pdb).filter(([k]) => k === "minAvailable" || k === "maxUnavailable").map(([k, v]) => `${k} ${v}`).join(", ") : "none",
            containers: (spec.template.spec.containers as { name: string; image: string }[]).map((c) => `${c.name} ${c.image}`),
            paths: (route?.rules?.[0]?.http?.paths ?? []).map((p: { path: string }) => p.path),
        };
    });
    return {
        namespace: String(labels.name ?? "?"),
        podSecurity: labels.labels?.["pod-security.kubernetes.io/enforce"] ?? "none",
        networkPolicies: ofType(record, "kubernetes:networking.k8s.io/v1:NetworkPolicy").length,
        entryPoint: ingress
            ? {
                  domain: String((ingress.inputs.spec as { rules: { host: string }[] }).rules[0].host),
                  certificate: certificate ? "ACM, DNS-validated in Route 53" : "ACM certificate from config",
                  wafRules: ((acl?.inputs.rules ?? []) as { name: string }[]).map((r) => r.name),
                  edge: edgeOf(record),
                  dns: ofType(record, "aws:route53/record:Record").filter((r) => !String(r.inputs.name).startsWith("_")).map((r) => describeRecord(record, r)),
              }
            : undefined,
        services,
    };
}

/** The CloudFront distribution in front of the entry point, in a line. */
function edgeOf(record: PlanRecord): string | undefined {
    const distribution = ofType(record, "aws:cloudfront/distribution:Distribution")[0];
    if (!distribution) return undefined;
    const viewer = distribution.inputs.viewerCertificate as { minimumProtocolVersion?: string } | undefined;
    const cached = ((distribution.inputs.orderedCacheBehaviors ?? []) as { pathPattern: string }[]).map((b) => b.pathPattern);
    return `CloudFront (${viewer?.minimumProtocolVersion ?? "?"}, WAF of CLOUDFRONT scope${cached.length ? `, cached ${cached.join(" ")}` : ", nothing cached"}) -> ALB over HTTPS with the origin header`;
}

/** A public record: its type and where it points, with its failover role and health check. */
function describeRecord(record: PlanRecord, r: RecordedResource): string {
    const role = (r.inputs.failoverRoutingPolicies as { type: string }[] | undefined)?.[0]?.type;
    const check = r.inputs.healthCheckId ? byId(record, r.inputs.healthCheckId) : undefined;
    const probe = check ? `, health check HTTPS ${String(check.inputs.fqdn)}${String(check.inputs.resourcePath)}` : "";
    return `${String(r.inputs.type)} ${String(r.inputs.name)}${role ? ` failover ${role}${probe}` : ""}`;
}

export interface StandbyLayout {
    primary: string;
    promoted: boolean;
    database: { identifier: string; source?: string };
    buckets: string[];
}

/** A standby stack's relation to its primary, from its outputs and its database. */
export function standbyLayout(record: PlanRecord): StandbyLayout | undefined {
    const primary = String(record.outputs.primaryStack ?? "");
    if (!primary) return undefined;
    const writer = ofType(record, "aws:rds/instance:Instance").find((r) => r.name.endsWith("-writer"));
    return {
        primary,
        promoted: writer?.inputs.replicateSourceDb === undefined,
        database: { identifier: String(writer?.inputs.identifier ?? "?"), source: writer?.inputs.replicateSourceDb as string | undefined },
        buckets: [String(record.outputs.documentsBucketName), String(record.outputs.backupsBucketName)],
    };
}
