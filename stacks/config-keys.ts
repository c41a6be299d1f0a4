/**
 * Every config key of the `rag-platform` namespace: its Pulumi.yaml type, what it means, and the shape its value
 * must have. This table is the single source of Pulumi.yaml's `config:` schema (`npm run schema` writes it, a
 * test fails when the two drift). Defaults are not here: they depend on the environment and live in profiles.ts.
 *
 * Pulumi.yaml can only declare scalars and arrays, so every key is one of those; rules that relate keys to each
 * other (AZ counts, size ordering, what prod requires) are in config.ts.
 */
import { z } from "zod";
import { KMS_DELETION_WINDOW_ALLOWED, KMS_DELETION_WINDOW_DAYS } from "../model/kms";
import {
    ADDON_CHARTS,
    CACHE_ENGINE_VERSIONS,
    DOCUMENTDB_ENGINE_VERSIONS,
    DOCUMENTDB_INSTANCE_CLASSES,
    EKS_MANAGED_ADDONS,
    EKS_VERSIONS,
    GATEWAY_ENDPOINT_SERVICES,
    INTERFACE_ENDPOINT_SERVICES,
    LOG_RETENTION_DAYS,
    POSTGRES_VERSIONS_ALLOWED,
} from "../model/aws-catalog";
import { ENVIRONMENTS } from "../model/environments";
import { isPriceName, PRICE_NAME_FORMS } from "../model/prices";
import { COST_ASSUMPTIONS_SCHEMA } from "../model/cost-assumptions";

export const NAT_GATEWAY_STRATEGIES = ["single", "onePerAz"] as const;
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;

export interface KeyDefinition<S extends z.ZodType = z.ZodType> {
    /**
     * The type Pulumi.yaml declares (and the Pulumi CLI checks). `structured` keys (lists of objects) are declared
     * without a type, as the project schema has no object type; the program validates them field by field.
     */
    type: "string" | "integer" | "boolean" | "array" | "structured";
    /** The type of an array's items, as Pulumi.yaml declares it. Default `string`. */
    items?: "string" | "integer";
    description: string;
    /** Shape of a value once parsed from its config string. */
    schema: S;
    /** What is allowed, in words, for error messages. */
    allowed: string;
}

const quoted = (values: readonly (string | number)[]) => values.map((v) => JSON.stringify(v)).join(", ");
const key = <S extends z.ZodType>(def: KeyDefinition<S>) => def;
const stringList = z.array(z.string());
const positiveInt = (max: number) => z.number().int().min(0).max(max);

/** The node groups a stack runs, by the prefix of their config keys. */
export const NODE_GROUPS = {
    node: "application",
    observabilityNode: "observability",
    workerNode: "queue-worker",
} as const;
export type NodeGroupPrefix = keyof typeof NODE_GROUPS;

/** The five keys that size one node group: `<prefix>InstanceTypes`, `...CapacityType`, `...MinSize`, `...DesiredSize`, `...MaxSize`. */
function nodeGroupKeys<P extends NodeGroupPrefix>(prefix: P) {
    const group = NODE_GROUPS[prefix];
    return {
        [`${prefix}InstanceTypes`]: key({
            type: "array",
            description: `EC2 instance types of the ${group} node group, all of one CPU architecture; several spread spot risk.`,
            schema: stringList.min(1),
            allowed: "one or more EC2 instance types such as \"m6i.xlarge\" from model/aws-catalog.ts",
        }),
        [`${prefix}CapacityType`]: key({
            type: "string",
            description: `Capacity type of the ${group} node group.`,
            schema: z.enum(CAPACITY_TYPES),
            allowed: `${quoted(CAPACITY_TYPES)} (ON_DEMAND for the application and observability groups in prod)`,
        }),
        [`${prefix}MinSize`]: key({
            type: "integer",
            description: `Minimum nodes in the ${group} node group.`,
            schema: positiveInt(450),
            allowed: "an integer from 0 to 450, at most the desired size (at least the AZ count in staging and prod)",
        }),
        [`${prefix}DesiredSize`]: key({
            type: "integer",
            description: `Initial nodes in the ${group} node group (the cluster autoscaler owns it afterwards).`,
            schema: positiveInt(450),
            allowed: "an integer between the group's min and max sizes",
        }),
        [`${prefix}MaxSize`]: key({
            type: "integer",
            description: `Maximum nodes the cluster autoscaler may run in the ${group} node group${prefix === "workerNode" ? " (0: no such group)" : ""}.`,
            schema: z.number().int().min(prefix === "workerNode" ? 0 : 1).max(450),
            allowed: `an integer from ${prefix === "workerNode" ? 0 : 1} to 450, at least the desired size`,
        }),
    } as { [K in `${P}InstanceTypes`]: KeyDefinition<typeof stringList> } & { [K in `${P}CapacityType`]: KeyDefinition<z.ZodEnum<{ ON_DEMAND: "ON_DEMAND"; SPOT: "SPOT" }>> } & {
        [K in `${P}MinSize` | `${P}DesiredSize` | `${P}MaxSize`]: KeyDefinition<z.ZodNumber>;
    };
}

/** A `name@version` pin's two halves (the version is after the last `@`). */
export function splitPin(pin: string): [name: string, version: string] {
    const at = pin.lastIndexOf("@");
    return [pin.slice(0, at), pin.slice(at + 1)];
}

/** `name@version` pins, e.g. `coredns@v1.13.2-eksbuild.21`. */
const pinList = (names: readonly string[]) =>
    z.array(z.string().regex(new RegExp(`^(${names.map((n) => n.replace(/[.-]/g, "\\$&")).join("|")})@[\\w.+-]+$`)));

export const CONFIG_KEYS = {
    environment: key({
        type: "string",
        description: "Environment profile whose defaults this stack starts from.",
        schema: z.enum(ENVIRONMENTS),
        allowed: quoted(ENVIRONMENTS),
    }),
    owner: key({
        type: "string",
        description: "Value of the `owner` tag on every resource (who gets paged, who pays).",
        schema: z.string().regex(/^[\w .:/=+@-]{1,256}$/),
        allowed: "1-256 characters valid in an AWS tag value",
    }),
    costCenter: key({
        type: "string",
        description: "Value of the `cost-center` tag on every resource.",
        schema: z.string().regex(/^[\w .:/=+@-]{1,256}$/),
        allowed: "1-256 characters valid in an AWS tag value",
    }),
    clusterName: key({
        type: "string",
        description:
            "Name of the EKS cluster; the network tags its subnets with it for the load balancer controller and Karpenter discovery.",
        // The strictest rule of the names derived from it (RDS identifiers), and room for their suffixes.
        schema: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/).max(40),
        allowed: "1-40 lowercase letters, digits and single hyphens, starting with a letter (every name derived from it must be one AWS takes)",
    }),
    availabilityZones: key({
        type: "array",
        description:
            "Availability zone names to spread every tier over.",
        schema: stringList,
        allowed: "a list of distinct AZ names of the stack's region, e.g. [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]",
    }),
    azCount: key({
        type: "integer",
        description: "How many availability zones to use when `availabilityZones` is not set.",
        schema: z.number().int().min(1).max(6),
        allowed: "an integer from 2 to 6 (3 or more in staging and prod)",
    }),
    vpcCidr: key({
        type: "string",
        description: "IPv4 CIDR of the VPC.",
        schema: z.string(),
        allowed: "an RFC 1918 IPv4 CIDR from /16 to /19 when subnets are carved automatically, e.g. 10.0.0.0/16",
    }),
    publicSubnetCidrs: key({
        type: "array",
        description: "Public subnet CIDRs, one per AZ in order (load balancers, NAT gateways).",
        schema: stringList,
        allowed: "one IPv4 CIDR per AZ inside vpcCidr",
    }),
    privateSubnetCidrs: key({
        type: "array",
        description: "Private subnet CIDRs, one per AZ in order (nodes and pods).",
        schema: stringList,
        allowed: "one IPv4 CIDR per AZ inside vpcCidr",
    }),
    databaseSubnetCidrs: key({
        type: "array",
        description: "Isolated database subnet CIDRs, one per AZ in order (no route to the internet).",
        schema: stringList,
        allowed: "one IPv4 CIDR per AZ inside vpcCidr",
    }),
    natGateways: key({
        type: "string",
        description: "NAT gateway layout: one shared gateway, or one per AZ so an AZ outage does not cut the others' egress.",
        schema: z.enum(NAT_GATEWAY_STRATEGIES),
        allowed: quoted(NAT_GATEWAY_STRATEGIES),
    }),
    vpcInterfaceEndpoints: key({
        type: "array",
        description: "AWS services reached through interface VPC endpoints in the private subnets instead of the NAT gateways.",
        schema: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)),
        allowed: `a list drawn from ${quoted(INTERFACE_ENDPOINT_SERVICES)}`,
    }),
    vpcGatewayEndpoints: key({
        type: "array",
        description: "AWS services reached through (free) gateway VPC endpoints from the private and database subnets.",
        schema: z.array(z.enum(GATEWAY_ENDPOINT_SERVICES)),
        allowed: `a list drawn from ${quoted(GATEWAY_ENDPOINT_SERVICES)}`,
    }),
    flowLogRetentionDays: key({
        type: "integer",
        description: "Days VPC flow logs are kept in their KMS-encrypted CloudWatch log group.",
        schema: z.number().int().refine((days) => LOG_RETENTION_DAYS.includes(days)),
        allowed: `one of the CloudWatch retention values ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    protectStatefulResources: key({
        type: "boolean",
        description:
            "Pulumi `protect`, provider-side deletion protection and retain-on-delete for everything that holds data (keys, logs, databases, buckets).",
        schema: z.boolean(),
        allowed: "true or false (true in prod)",
    }),
    kmsKeyDeletionWindowDays: key({
        type: "integer",
        description: "Waiting period before a deleted KMS key is destroyed (the last chance to cancel).",
        schema: z.number().int().min(KMS_DELETION_WINDOW_DAYS.min).max(KMS_DELETION_WINDOW_DAYS.max),
        allowed: `${KMS_DELETION_WINDOW_ALLOWED} (${KMS_DELETION_WINDOW_DAYS.max} in prod)`,
    }),
    kubernetesVersion: key({
        type: "string",
        description: "Kubernetes version of the EKS control plane and node groups (upgrade one minor version at a time).",
        schema: z.string(),
        allowed: `one of ${quoted(Object.keys(EKS_VERSIONS))} (model/aws-catalog.ts)`,
    }),
    eksSupportType: key({
        type: "string",
        description: "What EKS does when the cluster's Kubernetes version leaves standard support: STANDARD upgrades it to the next minor by itself (outside Pulumi: the stack's kubernetesVersion and the charts pinned per minor are then behind the cluster), EXTENDED keeps it on extended support, billed at six times the cluster-hour price (the cost estimate shows it from the date). Upgrade before the date either way (docs/operations.md).",
        schema: z.enum(["STANDARD", "EXTENDED"]),
        allowed: "\"STANDARD\" or \"EXTENDED\"",
    }),
    deployRoleArn: key({
        type: "string",
        description: "The IAM role that runs `pulumi up` for this stack (CI's deploy role). EKS gives the cluster's creator cluster-admin by itself (@pulumi/eks 4.3.0 always sets bootstrapClusterCreatorAdminPermissions), so this role needs no access entry and must not be listed in clusterAdminRoleArns or clusterViewerRoleArns (a second entry for it fails with ResourceInUseException). Empty: not said.",
        schema: z.string(),
        allowed: "empty, or an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    }),
    clusterPublicAccessCidrs: key({
        type: "array",
        description: "CIDRs allowed to reach the Kubernetes API endpoint from the internet; empty keeps the endpoint private (reach it from inside the VPC).",
        schema: stringList.max(40),
        allowed: "up to 40 IPv4 CIDRs (never 0.0.0.0/0 in prod)",
    }),
    clusterPrivateAccessCidrs: key({
        type: "array",
        description:
            "Private CIDRs admitted on 443 to the private API endpoint, through the cluster security group: networks routed to the VPC (peering, transit gateway, VPN) that run `pulumi up` or kubectl. docs/deploy.md says how to deploy to a private endpoint.",
        schema: stringList.max(40),
        allowed: "up to 40 RFC 1918 IPv4 CIDRs, e.g. [\"10.20.0.0/24\"]",
    }),
    clusterPrivateAccessSecurityGroupIds: key({
        type: "array",
        description:
            "Security groups admitted on 443 to the private API endpoint, e.g. of self-hosted CI runners in this VPC or a peered one of the same region.",
        schema: z.array(z.string().regex(/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/)).max(40),
        allowed: "up to 40 security group ids (sg- and 8 or 17 hex digits)",
    }),
    clusterAdminRoleArns: key({
        type: "array",
        description: "IAM roles that operate the stack besides the one that creates the cluster (deployRoleArn, which EKS makes admin by itself): cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy), and readers of the app secrets next to the workload (without any, the identity running `pulumi up` is).",
        schema: stringList,
        allowed: "IAM role ARNs (arn:aws:iam::<account>:role/<name>)",
    }),
    clusterViewerRoleArns: key({
        type: "array",
        description: "IAM roles given read-only access through EKS access entries (AmazonEKSViewPolicy).",
        schema: stringList,
        allowed: "IAM role ARNs (arn:aws:iam::<account>:role/<name>)",
    }),
    clusterLogRetentionDays: key({
        type: "integer",
        description: "Days the control-plane logs (api, audit, authenticator, controllerManager, scheduler) are kept.",
        schema: z.number().int().refine((d) => LOG_RETENTION_DAYS.includes(d)),
        allowed: `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    ...nodeGroupKeys("node"),
    ...nodeGroupKeys("observabilityNode"),
    ...nodeGroupKeys("workerNode"),
    nodeVolumeSizeGiB: key({
        type: "integer",
        description: "Size of every node's encrypted gp3 root volume (images and emptyDir volumes live there).",
        schema: z.number().int().min(20).max(16384),
        allowed: "an integer from 20 to 16384",
    }),
    eksAddonVersions: key({
        type: "array",
        description: "Versions pinned for EKS managed add-ons; an add-on not listed gets AWS's default for the cluster's Kubernetes version.",
        schema: pinList(EKS_MANAGED_ADDONS),
        allowed: `"<add-on>@<version>" for ${quoted(EKS_MANAGED_ADDONS)}, e.g. "coredns@v1.13.2-eksbuild.21"`,
    }),
    addonChartVersions: key({
        type: "array",
        description: "Helm chart versions overriding those pinned in model/aws-catalog.ts (ADDON_CHARTS).",
        schema: pinList(Object.values(ADDON_CHARTS).map((c) => c.chart)),
        allowed: `"<chart>@<version>" for ${quoted(Object.values(ADDON_CHARTS).map((c) => c.chart))}`,
    }),
    dbInstanceClass: key({
        type: "string",
        description: "RDS instance class of the PostgreSQL writer and readers.",
        schema: z.string(),
        allowed: "an RDS class offered for PostgreSQL such as \"db.r6g.large\" (no burstable db.t* in prod)",
    }),
    dbEngineVersion: key({
        type: "string",
        description: "RDS PostgreSQL engine version: a major (RDS picks its default minor) or major.minor.",
        schema: z.string(),
        allowed: POSTGRES_VERSIONS_ALLOWED,
    }),
    dbAllocatedStorageGiB: key({
        type: "integer",
        description: "Initial gp3 storage of the PostgreSQL instance; storage autoscaling grows it up to dbMaxAllocatedStorageGiB.",
        schema: z.number().int().min(20).max(65536),
        allowed: "an integer from 20 to 65536, at most dbMaxAllocatedStorageGiB",
    }),
    dbMaxAllocatedStorageGiB: key({
        type: "integer",
        description: "Ceiling of storage autoscaling for the PostgreSQL instance.",
        schema: z.number().int().min(20).max(65536),
        allowed: "an integer from 20 to 65536, at least dbAllocatedStorageGiB",
    }),
    dbMultiAz: key({
        type: "boolean",
        description: "Run the PostgreSQL writer with a synchronous standby in another AZ.",
        schema: z.boolean(),
        allowed: "true or false (true in prod)",
    }),
    dbBackupRetentionDays: key({
        type: "integer",
        description: "Days of automated backups and point-in-time recovery RDS keeps.",
        schema: z.number().int().min(1).max(35),
        allowed: "an integer from 1 to 35 (7 or more in prod)",
    }),
    docdbEngineVersion: key({
        type: "string",
        description: "DocumentDB engine version, for stacks whose services take mongodb-url.",
        schema: z.string(),
        allowed: `one of ${quoted(Object.keys(DOCUMENTDB_ENGINE_VERSIONS))}`,
    }),
    docdbInstanceClass: key({
        type: "string",
        description: "DocumentDB instance class of every instance.",
        schema: z.string(),
        allowed: `one of ${quoted(DOCUMENTDB_INSTANCE_CLASSES)}`,
    }),
    docdbInstances: key({
        type: "integer",
        description: "DocumentDB instances: a primary and replicas, one AZ after another; a replica takes over a failed primary.",
        schema: z.number().int().min(1).max(16),
        allowed: "an integer from 1 to 16 (2 or more in prod)",
    }),
    dbReadReplicas: key({
        type: "integer",
        description: "Read replicas of the PostgreSQL writer (same region, spread over the AZs).",
        schema: z.number().int().min(0).max(5),
        allowed: "an integer from 0 to 5",
    }),
    cacheClusterMode: key({
        type: "boolean",
        description: "Cache in cluster mode (keys sharded over cacheShards node groups), or one primary with replicas, which a queue broker such as Celery needs.",
        schema: z.boolean(),
        allowed: "true or false (false where services use the cache as a queue broker)",
    }),
    cacheShards: key({
        type: "integer",
        description: "Shards (node groups) of the cache in cluster mode; 1 without it.",
        schema: z.number().int().min(1).max(500),
        allowed: "an integer from 1 to 500",
    }),
    cacheReplicasPerShard: key({
        type: "integer",
        description: "Replicas per cache shard; cluster mode fails over to a replica, so every shard needs one.",
        schema: z.number().int().min(0).max(5),
        allowed: "an integer from 1 to 5 (a shard needs 2 or more nodes for automatic failover)",
    }),
    cacheMultiAz: key({
        type: "boolean",
        description: "Place each shard's replicas in other AZs than its primary.",
        schema: z.boolean(),
        allowed: "true or false (true in prod)",
    }),
    cacheSnapshotRetentionDays: key({
        type: "integer",
        description: "Days automatic cache snapshots are kept (0: none).",
        schema: z.number().int().min(0).max(35),
        allowed: "an integer from 0 to 35",
    }),
    drRegion: key({
        type: "string",
        description: "Region that receives S3 replicas and backup copies; empty for none.",
        schema: z.string(),
        allowed: "empty, or a region of model/aws-catalog.ts other than aws:region (required in prod)",
    }),
    backupFrequency: key({
        type: "string",
        description: "How often AWS Backup snapshots the database and the workload's EBS volumes.",
        schema: z.enum(["none", "daily", "weekly"]),
        allowed: '"none", "daily" or "weekly" (daily in prod)',
    }),
    backupRetentionDays: key({
        type: "integer",
        description: "Days AWS Backup keeps each recovery point (and its copy in drRegion).",
        schema: z.number().int().min(1).max(36500),
        allowed: "an integer from 1 to 36500 (30 or more in prod)",
    }),
    traceSamplingPercent: key({
        type: "integer",
        description: "Percentage of traces the OpenTelemetry Collector keeps (head sampling).",
        schema: z.number().int().min(1).max(100),
        allowed: "an integer from 1 to 100",
    }),
    metricsRetentionDays: key({
        type: "integer",
        description: "Days Prometheus keeps metrics.",
        schema: z.number().int().min(1).max(400),
        allowed: "an integer from 1 to 400",
    }),
    prometheusStorageGiB: key({
        type: "integer",
        description: "Size of each Prometheus replica's encrypted gp3 volume.",
        schema: z.number().int().min(10).max(16384),
        allowed: "an integer from 10 to 16384",
    }),
    appLogRetentionDays: key({
        type: "integer",
        description: "Days Loki keeps application logs.",
        schema: z.number().int().min(1).max(3650),
        allowed: "an integer from 1 to 3650",
    }),
    accessLogRetentionDays: key({
        type: "integer",
        description: "Days Loki keeps access logs (streams labelled log_type=access).",
        schema: z.number().int().min(1).max(3650),
        allowed: "an integer from 1 to 3650",
    }),
    traceRetentionDays: key({
        type: "integer",
        description: "Days Tempo keeps traces.",
        schema: z.number().int().min(1).max(365),
        allowed: "an integer from 1 to 365",
    }),
    sloAvailabilityPercent: key({
        type: "string",
        description: "Availability SLO: share of requests that must not fail with a 5xx, in percent.",
        schema: z.string().regex(/^\d{2}(\.\d{1,3})?$/),
        allowed: "a percentage such as \"99.95\" (90 to 99.999)",
    }),
    sloErrorRatePercent: key({
        type: "string",
        description: "Error-rate SLO: the share of requests that may fail, in percent.",
        schema: z.string().regex(/^\d(\.\d{1,3})?$/),
        allowed: "a percentage such as \"0.1\" (0.001 to 9.999)",
    }),
    sloLatencyP95Ms: key({
        type: "integer",
        description: "Latency SLO: 95% of requests complete within this many milliseconds (a bucket boundary of the workload's histogram).",
        schema: z.number().int().min(1).max(60000),
        allowed: "an integer from 1 to 60000, at most sloLatencyP99Ms",
    }),
    sloLatencyP99Ms: key({
        type: "integer",
        description: "Latency SLO: 99% of requests complete within this many milliseconds (a bucket boundary of the workload's histogram).",
        schema: z.number().int().min(1).max(60000),
        allowed: "an integer from 1 to 60000, at least sloLatencyP95Ms",
    }),
    cloudTrail: key({
        type: "boolean",
        description: "Record the account's API calls with a multi-region CloudTrail trail into the logs bucket.",
        schema: z.boolean(),
        allowed: "true or false (true in prod)",
    }),
    guardDuty: key({
        type: "boolean",
        description: "Enable GuardDuty in the region. Account-wide: set false where the organization's delegated administrator enables it, since a second detector cannot be created (the create fails). A prod stack must set it (no default there): the choice is the account's, not the environment's.",
        schema: z.boolean(),
        allowed: "true or false (set explicitly in prod)",
    }),
    securityHub: key({
        type: "boolean",
        description: "Enable Security Hub with AWS Foundational Security Best Practices. Account-wide: set false where the organization enables it, as guardDuty. A prod stack must set it (no default there).",
        schema: z.boolean(),
        allowed: "true or false (set explicitly in prod)",
    }),
    services: key({
        type: "structured",
        description:
            "The workload's services (API, workers, frontend, MCP server, ...): image, port, probes, resources, replicas, autoscaling, ingress, volumes, sidecars, delivery strategy. Edit one field with `pulumi config set --path 'services[0].replicas.max' 20`.",
        schema: z.array(z.unknown()),
        allowed: "a list of services as docs/services.md and model/services.ts describe them",
    }),
    costAssumptions: key({
        type: "structured",
        description: "Usage the plan's monthly cost estimate assumes (NAT, log and edge GB, stored GB, requests, ALB LCUs, backups, spot discount), per field over the environment's defaults (model/cost-assumptions.ts). Set one with `pulumi config set --path costAssumptions.natGbPerMonth 800`.",
        schema: COST_ASSUMPTIONS_SCHEMA.partial(),
        allowed: `a map of ${Object.keys(COST_ASSUMPTIONS_SCHEMA.shape).join(", ")} (non-negative numbers; spotDiscountPercent 0-90)`,
    }),
    costPrices: key({
        type: "structured",
        description: "Unit prices the monthly cost estimate takes from the stack instead of the catalog (model/prices.ts), in USD per the catalog's unit: for a region the catalog lacks a figure for (NAT, endpoints, load balancers, CloudWatch, S3 outside us-east-1 and us-west-2), or a negotiated rate. Set one with `pulumi config set --path 'costPrices.natGatewayHour' 0.048`.",
        schema: z.record(z.string(), z.number().min(0)).superRefine((prices, ctx) => {
            for (const name of Object.keys(prices).filter((n) => !isPriceName(n))) ctx.addIssue({ code: "custom", path: [name], message: "not a figure of the price catalog" });
        }),
        allowed: `a map of catalog figures to non-negative USD: ${PRICE_NAME_FORMS}`,
    }),
    workloadNamespace: key({
        type: "string",
        description: "Kubernetes namespace of the workload (Pod Security Admission `restricted`, quotas, default-deny network policies).",
        schema: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/),
        allowed: "a DNS label of 1-32 characters",
    }),
    targetThroughputRps: key({
        type: "integer",
        description: "Requests per second the services that scale on request rate must reach together at maximum scale (the capacity check).",
        schema: z.number().int().min(0).max(1000000),
        allowed: "an integer from 0 (no check) to 1000000",
    }),
    domainName: key({
        type: "string",
        description: "Host name the load balancer serves the workload on over HTTPS; empty keeps every service inside the cluster.",
        schema: z.string().regex(/^$|^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/),
        allowed: "empty, or a lower-case DNS name such as \"rag.example.com\"",
    }),
    hostedZoneId: key({
        type: "string",
        description: "Route 53 hosted zone of domainName: the certificate is validated and the alias record and health check are made there.",
        schema: z.string().regex(/^$|^Z[A-Z0-9]{1,31}$/),
        allowed: "empty, or a Route 53 hosted zone id such as \"Z0123456789ABCDEFGHIJ\"",
    }),
    certificateArn: key({
        type: "string",
        description: "ACM certificate for domainName made outside this program; empty requests one, validated in hostedZoneId.",
        schema: z.string().regex(/^$|^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/),
        allowed: "empty, or an ACM certificate ARN in the stack's region",
    }),
    edge: key({
        type: "boolean",
        description: "CloudFront in front of the public entry point (when domainName is set): TLS, WAF and rate limit at the edge, static paths cached, the ALB reachable only through it.",
        schema: z.boolean(),
        allowed: "true or false (true needs hostedZoneId, or a certificateArn in us-east-1, for the edge's certificate)",
    }),
    primaryStack: key({
        type: "string",
        description: "The stack this one stands by for, `<organization>/rag-platform/<stack>`: set, this stack is a warm standby in the primary's drRegion (a cross-region replica of its database, its replicated buckets and master secret, the workload at the scale its config sets, the SECONDARY failover record). Empty: a primary.",
        schema: z.string().regex(/^$|^[\w.-]+\/[\w.-]+\/[\w.-]+$/),
        allowed: "empty, or `<organization>/rag-platform/<stack>` of a deployed stack whose drRegion is this stack's region",
    }),
    standbyPromoted: key({
        type: "boolean",
        description: "The standby has taken over (docs/disaster-recovery.md): its database replica becomes a standalone writer with backups. One way: a promoted replica does not follow its primary again.",
        schema: z.boolean(),
        allowed: "true or false (true only with primaryStack)",
    }),
    failoverRouting: key({
        type: "boolean",
        description: "The public record is a Route 53 failover record: PRIMARY, health-checked at this stack's load balancer, in a primary; SECONDARY in a standby (primaryStack set), which requires it.",
        schema: z.boolean(),
        allowed: "true or false (true needs domainName and hostedZoneId; a standby with a domain requires true)",
    }),
    failoverFenced: key({
        type: "boolean",
        description: "Prod is fenced off during a failover (docs/disaster-recovery.md): the PRIMARY record's calculated health check needs more healthy probes than it has, so Route 53 answers with the SECONDARY whatever prod's own probe says, until the fence is lifted at failback.",
        schema: z.boolean(),
        allowed: "true or false (true only with failoverRouting in a primary)",
    }),
    intendedReplacements: key({
        type: "array",
        description: "Resources that hold data (databases, caches, buckets, file systems, keys, secrets, volumes) whose replacement by this change is intended; the change preview (`npm run plan -- --from`) refuses any other. Names as the preview prints them. Empty it once the change is applied.",
        schema: stringList,
        allowed: "resource names from the change preview, e.g. [\"data-cache\"]",
    }),
    letsEncryptEmail: key({
        type: "string",
        description: "Contact of the Let's Encrypt account; set, cert-manager gets letsencrypt-staging and letsencrypt-prod ClusterIssuers solving DNS-01 in hostedZoneId for names under domainName.",
        schema: z.string().regex(/^$|^[^@\s]+@[^@\s]+\.[^@\s]+$/),
        allowed: "empty (no issuers), or an e-mail address, with domainName and hostedZoneId set",
    }),
    monthlyBudgetUsd: key({
        type: "integer",
        description: "AWS Budgets monthly cost budget for the stack's resources (by its `stack` cost allocation tag), alerting the medium-severity topic; 0 for none.",
        schema: z.number().int().min(0).max(10000000),
        allowed: "an integer of US dollars, 0 for no budget",
    }),
    budgetAlertPercents: key({
        type: "array",
        items: "integer",
        description: "Percentages of monthlyBudgetUsd at which actual spend alerts; a forecast above 100% alerts too.",
        schema: z.array(z.number().int().min(1).max(1000)).min(1).max(9),
        allowed: "1 to 9 integers from 1 to 1000, e.g. [80, 100]",
    }),
    wafRateLimitPer5Min: key({
        type: "integer",
        description: "Requests one client IP may send in five minutes before the web ACL blocks it.",
        schema: z.number().int().min(10).max(2000000000),
        allowed: "an integer from 10 to 2000000000 (AWS WAF's rate-based rule limits)",
    }),
    cacheEngine: key({
        type: "string",
        description: "ElastiCache engine of the cache replication group.",
        schema: z.enum(["redis", "valkey"]),
        allowed: "\"redis\" or \"valkey\"",
    }),
    cacheEngineVersion: key({
        type: "string",
        description: "ElastiCache engine version of the cache replication group.",
        schema: z.string(),
        allowed: `redis ${quoted(CACHE_ENGINE_VERSIONS.redis)}; valkey ${quoted(CACHE_ENGINE_VERSIONS.valkey)}`,
    }),
    cacheNodeType: key({
        type: "string",
        description: "ElastiCache node type of every cache node.",
        schema: z.string(),
        allowed: "an ElastiCache node type such as \"cache.r6g.large\"",
    }),
} satisfies Record<string, KeyDefinition>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];

/** The parsed value of every key, before cross-key rules and AZ resolution. */
export type ConfigValues = { [K in ConfigKey]: z.infer<(typeof CONFIG_KEYS)[K]["schema"]> };

type NodeGroupKey = `${NodeGroupPrefix}${"InstanceTypes" | "CapacityType" | "MinSize" | "DesiredSize" | "MaxSize"}`;

/** The node groups a stack's values size: application and observability always, queue workers when their max is above 0. */
export function sizedNodeGroups(values: Pick<ConfigValues, NodeGroupKey>) {
    return (Object.keys(NODE_GROUPS) as NodeGroupPrefix[])
        .filter((prefix) => values[`${prefix}MaxSize`] > 0)
        .map((prefix) => ({
            prefix,
            name: NODE_GROUPS[prefix],
            instanceTypes: values[`${prefix}InstanceTypes`],
            capacityType: values[`${prefix}CapacityType`],
            minSize: values[`${prefix}MinSize`],
            desiredSize: values[`${prefix}DesiredSize`],
            maxSize: values[`${prefix}MaxSize`],
        }));
}
