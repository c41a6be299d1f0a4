/**
 * Reads a stack's raw config into one typed, validated {@link StackConfig}: environment profile first, stack
 * file on top, then every rule checked. All problems are collected and thrown together as a {@link ConfigError},
 * before any resource is registered, each naming the stack, the key, the bad value and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import {
    ADDON_CHARTS,
    CACHE_ENGINE_VERSIONS,
    clusterAutoscalerChart,
    DOCUMENTDB_ENGINE_VERSIONS,
    DOCUMENTDB_INSTANCE_CLASSES,
    EC2_INSTANCE_SIZES,
    EKS_DISALLOWED_AZ_IDS,
    EKS_VERSIONS,
    ELASTICACHE_NODE_SIZES,
    LOG_RETENTION_DAYS,
    isPostgresVersion,
    POSTGRES_VERSIONS_ALLOWED,
    RDS_INSTANCE_SIZES,
    REGION_AZ_LETTERS,
    REGIONS,
    isGraviton,
    splitInstanceClass,
    KEDA_KUBERNETES_SUPPORT,
    kedaSupportsKubernetes,
} from "../model/aws-catalog";
import { addonVersionRefusal } from "../model/eks-addon-versions";
import { observabilityPods, observabilityReplicas } from "../model/observability-footprint";
import { capacityReport, describeGroup, describeThroughput, type CapacityReport } from "../model/capacity";
import { ENVIRONMENT_RULES } from "../model/rules";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, sizedNodeGroups, splitPin, NODE_GROUPS, type ConfigKey, type ConfigValues, type NodeGroupPrefix } from "./config-keys";
import { ENVIRONMENTS, type Environment } from "../model/environments";
import { PROFILES, defaultClusterName, type DerivedKey, type Profile } from "./profiles";
import { derivedNames } from "../model/aws-names";
import { CREDENTIAL_KEY } from "../model/credentials";
import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from "../model/cost-assumptions";
import { type ClassKind, lackedIn, offeredAlternatives, offeringListDate, regionsOffering } from "../model/offerings";
import { providerConfigKeys } from "./provider-config";
import { checkServices, DEFAULT_SERVICES, parseServices, resolveServices, sharedVolumes, type ServiceSpec } from "../model/services";
import {
    MAX_CARVABLE_VPC_PREFIX,
    MAX_CARVED_AZS,
    carveSubnets,
    checkSubnetLayout,
    isPrivateCidr,
    parseCidr,
    type Cidr,
    type SubnetCidrs,
    type SubnetTier,
} from "../model/network-layout";

export const PROJECT = "rag-platform";

/** Namespaces other than the project's that a stack file may set (provider and engine settings). */
const FOREIGN_NAMESPACES = ["aws", "pulumi", "kubernetes", "random"];

/** The config of one stack as the Pulumi engine hands it to the program: `namespace:key` -> string. */
export interface RawConfig {
    values: Record<string, string>;
    /** Keys whose value was `secure:` in the stack file. */
    secretKeys: string[];
}

export interface StackConfig extends Omit<ConfigValues, "availabilityZones" | "publicSubnetCidrs" | "privateSubnetCidrs" | "databaseSubnetCidrs" | "services" | "costAssumptions" | "costPrices"> {
    /** What plans and applies but will not work as the stack stands (printed by the plan, logged by `pulumi up`). */
    warnings: string[];
    /** The usage the cost estimate assumes: the environment's defaults with the stack's overrides. */
    costAssumptions: CostAssumptions;
    /** Unit prices the cost estimate takes from the stack instead of the catalog, by catalog name. */
    costPrices: Record<string, number>;
    project: string;
    stack: string;
    environment: Environment;
    region: string;
    /** AZs named in the stack file; undefined means "the first azCount the account has". */
    availabilityZones?: string[];
    subnetCidrs: SubnetCidrs;
    /** Tags every taggable resource carries (through the provider's defaultTags). */
    tags: Record<string, string>;
    /** The workload's services, every default resolved. */
    services: ServiceSpec[];
    /** The capacity check's figures (it passed, or the config would have been rejected). */
    capacity: CapacityReport;
}

export interface ConfigProblem {
    key: string;
    /** The offending value; undefined when the key is missing. */
    value: unknown;
    message: string;
    allowed: string;
}

/** Thrown for bad config; `RunError` so the Pulumi CLI prints the message without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: ConfigProblem[],
    ) {
        super(
            `invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${formatProblem(stack, p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export function formatProblem(stack: string, p: ConfigProblem): string {
    const value = p.value === undefined ? "(not set)" : JSON.stringify(p.value);
    return `stack "${stack}": ${p.key} = ${value}: ${p.message}; allowed: ${p.allowed}`;
}

const SUBNET_KEYS: Record<SubnetTier, ConfigKey> = {
    public: "publicSubnetCidrs",
    private: "privateSubnetCidrs",
    database: "databaseSubnetCidrs",
};

/**
 * A stack that validates but that no deploy can finish: with no public CIDR, private CIDR or security group
 * admitted to the API endpoint, the cluster security group admits only the cluster, and `pulumi up` stops at the
 * first Kubernetes object it sends. The shipped stack files are templates, so this warns rather than refuses.
 */
function configWarnings(stack: string, values: Pick<ConfigValues, "clusterPublicAccessCidrs" | "clusterPrivateAccessCidrs" | "clusterPrivateAccessSecurityGroupIds">): string[] {
    const reachable = values.clusterPublicAccessCidrs.length + values.clusterPrivateAccessCidrs.length + values.clusterPrivateAccessSecurityGroupIds.length > 0;
    return reachable
        ? []
        : [
              `stack "${stack}": no runner can reach the Kubernetes API (clusterPublicAccessCidrs, clusterPrivateAccessCidrs and clusterPrivateAccessSecurityGroupIds are all empty), so \`pulumi up\` would stop at the first Kubernetes object; set rag-platform:clusterPrivateAccessSecurityGroupIds to your runner's security group, clusterPrivateAccessCidrs to its subnet, or clusterPublicAccessCidrs to its egress /32 for the first deploy (docs/deploy.md, step 3)`,
          ];
}

export function loadStackConfig(stack: string, raw: RawConfig, project = PROJECT): StackConfig {
    const problems: ConfigProblem[] = [];
    const fullKey = (k: string) => `${project}:${k}`;
    const report = (k: ConfigKey | "aws:region", value: unknown, message: string, allowed?: string) =>
        problems.push({
            key: k.includes(":") ? k : fullKey(k),
            value,
            message,
            allowed: allowed ?? CONFIG_KEYS[k as ConfigKey].allowed,
        });

    const parsed = parseValues(raw, project, problems, report);
    const region = raw.values["aws:region"];
    if (region === undefined) report("aws:region", undefined, "the AWS region is required", `one of ${REGIONS.join(", ")}`);
    else if (!REGIONS.includes(region)) report("aws:region", region, "not a region this platform is validated for", `one of ${REGIONS.join(", ")}`);

    const environment = parsed.environment;
    if (environment === undefined) {
        if (!problems.some((p) => p.key === fullKey("environment"))) report("environment", undefined, "every stack must name its environment");
        throw new ConfigError(stack, problems);
    }
    if ((ENVIRONMENTS as readonly string[]).includes(stack) && stack !== environment) {
        report("environment", environment, `stack "${stack}" is named after a different environment`, JSON.stringify(stack));
    }

    const values = { ...PROFILES[environment], ...regionalDefaults(PROFILES[environment], parsed, region), clusterName: defaultClusterName(stack), ...parsed, environment };
    const isProd = environment === "prod";

    if (!problems.some((p) => p.key === fullKey("clusterName"))) checkDerivedNames(values, report);
    const { zones, azCount } = checkZones(values, parsed, region, environment, report);
    checkEnvironmentRules(values, environment, report);
    const subnetCidrs = checkNetwork(values, azCount, report);
    checkCluster(values, environment, report);
    checkNodes(values, azCount, environment, report);
    checkDataTier(values, isProd, report);
    checkOfferedInRegion(values, region, report);
    checkDataSafety(values, region, environment, report);
    checkEntryPoint(values, region, report);
    checkStandby(values, stack, project, report);
    // Account-wide services: in an organization that manages them, creating them fails; prod says which it is.
    if (isProd) {
        for (const k of ["guardDuty", "securityHub"] as const) {
            if (parsed[k] === undefined) report(k, undefined, "a prod stack says whether it enables this account-wide service itself (creating it fails where the organization's delegated administrator already has)", "true (this stack enables it) or false (the organization manages it); docs/deploy.md");
        }
    }

    const parsedServices = parseServices(values.services ?? DEFAULT_SERVICES);
    const serviceContext = { environment, hasWorkerGroup: values.workerNodeMaxSize > 0 };
    const services = parsedServices.services ? resolveServices(parsedServices.services, serviceContext) : [];
    for (const p of [...parsedServices.problems, ...(parsedServices.services ? checkServices(services, serviceContext) : [])]) {
        problems.push({ key: fullKey(p.path), value: p.value, message: p.message, allowed: p.allowed });
    }
    // A queue trigger reads a Redis list its workers consume: the cache is their broker (Celery, RQ), and those
    // brokers' Redis transports do not speak Redis Cluster.
    const brokers = services.filter((service) => service.autoscaling.queue && service.secrets.includes("redis-url")).map((service) => service.name);
    if (values.cacheClusterMode && brokers.length > 0) {
        report("cacheClusterMode", true, `${brokers.join(", ")} use${brokers.length === 1 ? "s" : ""} the cache as a queue broker (autoscaling.queue), and Celery's Redis transport does not speak Redis Cluster`, "false (one primary with replicas), or no queue trigger on those services");
    }
    // A standby receives the database, buckets and master secret by replication; DocumentDB and EFS have none here.
    const unreplicated = services.filter((service) => service.secrets.includes("mongodb-url") || sharedVolumes(service).length > 0).map((service) => service.name);
    if (values.primaryStack !== "" && unreplicated.length > 0) {
        report("primaryStack", values.primaryStack, `${unreplicated.join(", ")} use${unreplicated.length === 1 ? "s" : ""} DocumentDB or a shared EFS volume, which a standby does not receive (no cross-region replica of either here)`, "empty, or services on PostgreSQL, the cache and S3 only");
    }
    // Capacity is only meaningful once every service and node group is valid.
    const capacity = capacityReport(services, sizedNodeGroups(values), values.targetThroughputRps, { observability: observabilityPods(observabilityReplicas(environment)) });
    if (problems.length === 0) checkCapacity(capacity, values, report);

    if (problems.length > 0) throw new ConfigError(stack, problems);
    return {
        ...values,
        project,
        stack,
        environment,
        region: region!,
        availabilityZones: zones,
        azCount,
        subnetCidrs: subnetCidrs!,
        services,
        capacity,
        warnings: configWarnings(stack, values),
        costAssumptions: { ...DEFAULT_COST_ASSUMPTIONS[environment], ...values.costAssumptions },
        costPrices: values.costPrices ?? {},
        tags: {
            project,
            stack,
            environment,
            owner: values.owner,
            "cost-center": values.costCenter,
            "managed-by": "pulumi",
        },
    };
}

type ProblemReport = (k: ConfigKey | "aws:region", value: unknown, message: string, allowed?: string) => void;
type Report = (k: ConfigKey, value: unknown, message: string, allowed?: string) => void;
type Values = Profile & { environment: Environment; clusterName: string } & Partial<Pick<ConfigValues, DerivedKey>>;

/**
 * Each raw value parsed and checked against its key's schema. Credentials in plain text, unknown namespaces,
 * unknown keys and secrets where none belong are problems; a value is shown only when it cannot be a credential.
 */
function parseValues(raw: RawConfig, project: string, problems: ConfigProblem[], report: ProblemReport): Partial<ConfigValues> {
    const fullKey = (k: string) => `${project}:${k}`;
    const parsed: Partial<ConfigValues> = {};
    const providerKeys = providerConfigKeys();
    for (const [name, text] of Object.entries(raw.values)) {
        const [namespace, k] = splitKey(name);
        const secure = raw.secretKeys.includes(name);
        // A value is shown in a message only when it cannot be a credential.
        const shown = secure || CREDENTIAL_KEY.test(k) ? "[redacted]" : text;
        if (CREDENTIAL_KEY.test(k) && !secure) {
            problems.push({
                key: name,
                value: shown,
                message: "a credential in plain text in the stack file",
                allowed: namespace === "aws"
                    ? "AWS credentials from the environment, a profile or a role (OIDC in CI), never the stack file"
                    : `\`pulumi config set --secret ${name} <value>\` (encrypted by the stack's secrets provider), or a secret the platform keeps in AWS Secrets Manager`,
            });
            continue;
        }
        if (namespace !== project) {
            if (!FOREIGN_NAMESPACES.includes(namespace)) {
                problems.push({
                    key: name,
                    value: shown,
                    message: `unknown namespace "${namespace}"` + suggestion(namespace, [project, ...FOREIGN_NAMESPACES], (s) => `${s}:${k}`),
                    allowed: `keys of ${[project, ...FOREIGN_NAMESPACES].map((n) => `"${n}:"`).join(", ")}`,
                });
            } else if (providerKeys[namespace] && !providerKeys[namespace].includes(k)) {
                problems.push({
                    key: name,
                    value: shown,
                    message: `unknown ${namespace} provider key (the provider ignores it)` + suggestion(k, providerKeys[namespace], (s) => `${namespace}:${s}`),
                    allowed: providerKeys[namespace].length ? `the keys the ${namespace} provider reads: ${providerKeys[namespace].join(", ")}` : `none: the ${namespace} provider takes no config`,
                });
            }
            continue;
        }
        if (!(CONFIG_KEY_NAMES as string[]).includes(k)) {
            problems.push({
                key: name,
                value: shown,
                message: "unknown key" + suggestion(k, CONFIG_KEY_NAMES, fullKey),
                allowed: "the keys declared in Pulumi.yaml's config schema",
            });
            continue;
        }
        const configKey = k as ConfigKey;
        if (raw.secretKeys.includes(name)) {
            report(configKey, "[secret]", "secrets do not belong in stack files", "a plain value; credentials are generated (@pulumi/random) or kept in AWS Secrets Manager");
            continue;
        }
        const value = parseValue(CONFIG_KEYS[configKey].type, text);
        const result = value === undefined ? undefined : CONFIG_KEYS[configKey].schema.safeParse(value);
        if (!result?.success) {
            // A map's problem is one of its fields: say which (the field names are the schema's, never a value).
            const issue = CONFIG_KEYS[configKey].type === "structured" ? result?.error.issues[0] : undefined;
            report(configKey, value ?? text, `not a valid ${configKey}${issue ? ` (${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message})` : ""}`);
            continue;
        }
        (parsed as Record<string, unknown>)[configKey] = result.data;
    }

    return parsed;
}

/** Every physical name derived from the cluster name must be one AWS takes, or a component fails half-way. */
function checkDerivedNames(values: Values, report: Report): void {
    for (const { name, rule } of derivedNames(values.clusterName, values.dbReadReplicas)) {
        if (!rule.test(name)) {
            report("clusterName", values.clusterName, `derives the ${rule.what} "${name}", which AWS refuses (${rule.allowed})`);
            break;
        }
    }
}

/** Availability zones: explicit names (in the region, distinct, agreeing with azCount), or a count resolved at run time. */
function checkZones(values: Values, parsed: Partial<ConfigValues>, region: string | undefined, environment: Environment, report: Report): { zones?: string[]; azCount: number } {
    const minAzs = environment === "dev" ? 2 : 3;
    const zones = values.availabilityZones;
    if (zones !== undefined && region !== undefined) {
        const letters = REGION_AZ_LETTERS[region] ?? "";
        const outside = zones.filter((z) => !(z.startsWith(region) && z.length === region.length + 1 && letters.includes(z.slice(-1))));
        if (outside.length > 0) {
            report("availabilityZones", zones, `${outside.map((z) => JSON.stringify(z)).join(", ")} not in region ${region}`, `AZs of ${region}: ${letters ? [...letters].map((l) => region + l).join(", ") : "none known"}`);
        }
        if (new Set(zones).size !== zones.length) report("availabilityZones", zones, "an AZ is listed twice", "distinct AZ names");
        if (parsed.azCount !== undefined && parsed.azCount !== zones.length) {
            report("azCount", parsed.azCount, `disagrees with the ${zones.length} availabilityZones listed`, "unset, or the length of availabilityZones");
        }
    }
    const azCount = zones?.length ?? values.azCount;
    if (azCount < minAzs) {
        report(zones ? "availabilityZones" : "azCount", zones ?? azCount, `${azCount} availability zone(s) in ${environment}`, environment === "dev" ? "2 or more (EKS and RDS need subnets in two AZs)" : `3 or more in ${environment} (99.95% availability needs to survive an AZ outage with capacity to spare)`);
    }

    return { zones, azCount };
}

/** Subnets and endpoints. */
function checkNetwork(values: Values, azCount: number, report: Report): SubnetCidrs | undefined {
    const subnetCidrs = resolveSubnets(values, azCount, report);
    if (new Set(values.vpcInterfaceEndpoints).size !== values.vpcInterfaceEndpoints.length) {
        report("vpcInterfaceEndpoints", values.vpcInterfaceEndpoints, "a service is listed twice", "distinct services");
    }
    return subnetCidrs;
}

/** The environment's rules on single keys (model/rules.ts): what it keeps whatever the stack file says. */
function checkEnvironmentRules(values: Values, environment: Environment, report: Report): void {
    for (const rule of ENVIRONMENT_RULES) {
        const value = values[rule.key as keyof Values];
        if (rule.environments.includes(environment) && !rule.holds(value)) report(rule.key as ConfigKey, value, rule.why, rule.allowed);
    }
}

function resolveSubnets(values: Values, azCount: number, report: Report): SubnetCidrs | undefined {
    const vpc = parseCidr(values.vpcCidr);
    const explicit = { public: values.publicSubnetCidrs, private: values.privateSubnetCidrs, database: values.databaseSubnetCidrs };
    const needsCarving = Object.values(explicit).some((list) => list === undefined);
    if (needsCarving && typeof vpc !== "string" && (vpc.prefix > MAX_CARVABLE_VPC_PREFIX || azCount > MAX_CARVED_AZS)) {
        report("vpcCidr", values.vpcCidr, vpc.prefix > MAX_CARVABLE_VPC_PREFIX ? `a /${vpc.prefix} is too small to carve subnets of the minimum sizes from` : `the automatic layout holds ${MAX_CARVED_AZS} AZs, not ${azCount}`, `a VPC of /${MAX_CARVABLE_VPC_PREFIX} or larger, or every tier's subnet CIDRs listed explicitly`);
        return undefined;
    }
    const carved = needsCarving && typeof vpc !== "string" ? carveSubnets(values.vpcCidr, azCount) : undefined;
    const subnets: SubnetCidrs = {
        public: explicit.public ?? carved?.public ?? [],
        private: explicit.private ?? carved?.private ?? [],
        database: explicit.database ?? carved?.database ?? [],
    };
    for (const problem of checkSubnetLayout(values.vpcCidr, subnets, azCount)) {
        const k = problem.tier ? SUBNET_KEYS[problem.tier] : "vpcCidr";
        report(k, problem.value, problem.message, problem.allowed);
    }
    return subnets;
}

function checkNodes(values: Values, azCount: number, environment: Environment, report: Report) {
    const keys = (prefix: NodeGroupPrefix) =>
        ({ types: `${prefix}InstanceTypes`, capacity: `${prefix}CapacityType`, min: `${prefix}MinSize`, desired: `${prefix}DesiredSize`, max: `${prefix}MaxSize` }) as const;
    for (const prefix of Object.keys(NODE_GROUPS) as NodeGroupPrefix[]) {
        const k = keys(prefix);
        const [min, desired, max] = [values[k.min], values[k.desired], values[k.max]];
        if (max === 0) {
            // Only the worker group may be left out; it then takes no nodes at all.
            if (min !== 0 || desired !== 0) report(k.max, max, `no ${NODE_GROUPS[prefix]} node group, yet ${k.min}/${k.desired} ask for ${min}/${desired} nodes`, `0 for all three, or a max of 1 or more`);
            continue;
        }
        const families = values[k.types].map((type) => {
            const parts = splitInstanceClass(type, "");
            if (!parts || !EC2_INSTANCE_SIZES[parts.family]?.includes(parts.size)) {
                report(k.types, type, "not an EC2 instance type AWS offers");
                return undefined;
            }
            return parts.family;
        });
        const architectures = new Set(families.filter((f) => f !== undefined).map((f) => (isGraviton(f) ? "arm64" : "x86_64")));
        if (architectures.size > 1) {
            report(k.types, values[k.types], "mixes arm64 (Graviton) and x86_64 types; a node group runs one AMI architecture", "instance types of one architecture");
        }
        if (min > max) report(k.min, min, `greater than ${k.max} (${max})`);
        else if (desired < min || desired > max) report(k.desired, desired, `outside ${k.min}..${k.max} (${min}..${max})`);
        // Staging and prod run the high-availability policies as mandatory: a zone without nodes fails them.
        if (environment !== "dev" && min < azCount) {
            report(k.min, min, `fewer nodes than the ${azCount} AZs, so some AZ would have no capacity`, `${azCount} or more in ${environment}`);
        }
        if (environment === "prod" && prefix !== "workerNode" && values[k.capacity] !== "ON_DEMAND") {
            report(k.capacity, values[k.capacity], `prod ${NODE_GROUPS[prefix]} nodes must not be reclaimed at two minutes' notice`, '"ON_DEMAND"');
        }
    }
}

/** The most public addresses prod may admit to its API endpoint, all CIDRs together: a /16. */
const MAX_PROD_PUBLIC_API_ADDRESSES = 2 ** 16;

/** Addresses the CIDRs cover together, overlaps counted once. */
function addressCount(ranges: Cidr[]): number {
    let total = 0;
    let reached = -1;
    for (const { start, size } of [...ranges].sort((a, b) => a.start - b.start)) {
        const end = start + size - 1;
        if (end <= reached) continue;
        total += end - Math.max(start, reached + 1) + 1;
        reached = end;
    }
    return total;
}

function checkCluster(values: Values, environment: Environment, report: Report) {
    if (!EKS_VERSIONS[values.kubernetesVersion]) {
        report("kubernetesVersion", values.kubernetesVersion, "not a Kubernetes version EKS supports");
    }
    const publicRanges: Cidr[] = [];
    for (const cidr of values.clusterPublicAccessCidrs) {
        const parsed = parseCidr(cidr);
        if (typeof parsed === "string") report("clusterPublicAccessCidrs", cidr, parsed);
        else publicRanges.push(parsed);
    }
    // Judged as a whole: 0.0.0.0/1 and 128.0.0.0/1 open the API as wide as 0.0.0.0/0 does.
    const exposed = addressCount(publicRanges);
    if (environment === "prod" && exposed > MAX_PROD_PUBLIC_API_ADDRESSES) {
        report(
            "clusterPublicAccessCidrs",
            values.clusterPublicAccessCidrs,
            exposed === 2 ** 32 ? "together open the prod Kubernetes API to the whole internet" : `together open the prod Kubernetes API to ${exposed.toLocaleString("en")} addresses, more than a /16`,
            "your CI runners' and admins' egress CIDRs, at most a /16 in all, or none (private endpoint)",
        );
    }
    for (const cidr of values.clusterPrivateAccessCidrs) {
        const parsed = parseCidr(cidr);
        if (typeof parsed === "string") report("clusterPrivateAccessCidrs", cidr, parsed);
        else if (!isPrivateCidr(parsed)) report("clusterPrivateAccessCidrs", cidr, "not a private range: the private endpoint is reached from networks routed to the VPC", "RFC 1918 CIDRs; the internet reaches the API only through clusterPublicAccessCidrs");
    }
    const roleArn = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
    if (values.deployRoleArn !== "" && !roleArn.test(values.deployRoleArn)) report("deployRoleArn", values.deployRoleArn, "not an IAM role ARN");
    // EKS takes one access entry per principal (CreateAccessEntry: 409 ResourceInUseException), the creator's included.
    const listed = new Map<string, string>();
    for (const k of ["clusterAdminRoleArns", "clusterViewerRoleArns"] as const) {
        for (const arn of values[k]) {
            if (!roleArn.test(arn)) report(k, arn, "not an IAM role ARN");
            else if (arn === values.deployRoleArn) report(k, arn, "is deployRoleArn, which creates the cluster: EKS already gives it an access entry with cluster-admin, and a second one fails the first deploy (409 ResourceInUseException)", "the roles other than deployRoleArn");
            else if (listed.has(arn)) report(k, arn, `is listed twice (${listed.get(arn)} already has it): one access entry per principal`, "each role once, in one of the two lists");
            listed.set(arn, k);
        }
    }
    const keda = values.addonChartVersions.find((pin) => pin.startsWith("keda@"))?.split("@")[1] ?? ADDON_CHARTS.keda.version;
    if (EKS_VERSIONS[values.kubernetesVersion] && !kedaSupportsKubernetes(keda, values.kubernetesVersion)) {
        const range = KEDA_KUBERNETES_SUPPORT[keda.split(".").slice(0, 2).join(".")];
        report("kubernetesVersion", values.kubernetesVersion, `KEDA ${keda} (the workload's autoscaler) is not tested on Kubernetes ${values.kubernetesVersion}`, range ? `${range.from} to ${range.to}, the minors KEDA ${keda} is tested on` : "a Kubernetes minor the pinned KEDA is tested on (model/aws-catalog.ts)");
    }
    for (const k of ["eksAddonVersions", "addonChartVersions"] as const) {
        const names = values[k].map((pin) => splitPin(pin)[0]);
        if (new Set(names).size !== names.length) report(k, values[k], "an add-on is pinned twice", "one pin per add-on");
    }
    for (const pin of values.eksAddonVersions) {
        const refusal = EKS_VERSIONS[values.kubernetesVersion] && addonVersionRefusal(...splitPin(pin), values.kubernetesVersion);
        if (refusal) report("eksAddonVersions", pin, refusal.problem, refusal.allowed);
    }
    const autoscalerPin = values.addonChartVersions.find((pin) => pin.startsWith("cluster-autoscaler@"));
    const autoscaler = clusterAutoscalerChart(values.kubernetesVersion, autoscalerPin && splitPin(autoscalerPin)[1]);
    if ("problem" in autoscaler) report(autoscalerPin ? "addonChartVersions" : "kubernetesVersion", autoscalerPin ?? values.kubernetesVersion, autoscaler.problem, autoscaler.allowed);
}

function checkDataTier(values: Values, isProd: boolean, report: Report) {
    const db = splitInstanceClass(values.dbInstanceClass, "db.");
    if (!db || !RDS_INSTANCE_SIZES[db.family]?.includes(db.size)) {
        report("dbInstanceClass", values.dbInstanceClass, "not an RDS instance class offered for PostgreSQL");
    } else if (isProd && db.family.startsWith("t")) {
        report("dbInstanceClass", values.dbInstanceClass, "burstable classes run out of CPU credits under sustained load", "a db.r* or db.m* class in prod");
    }

    if (!isPostgresVersion(values.dbEngineVersion)) {
        report("dbEngineVersion", values.dbEngineVersion, "not a PostgreSQL version RDS creates", POSTGRES_VERSIONS_ALLOWED);
    }

    if (!CACHE_ENGINE_VERSIONS[values.cacheEngine].includes(values.cacheEngineVersion)) {
        report("cacheEngineVersion", values.cacheEngineVersion, `not a ${values.cacheEngine} version ElastiCache offers`);
    }
    if (!DOCUMENTDB_ENGINE_VERSIONS[values.docdbEngineVersion]) report("docdbEngineVersion", values.docdbEngineVersion, "not a DocumentDB engine version this platform creates");
    if (!(DOCUMENTDB_INSTANCE_CLASSES as readonly string[]).includes(values.docdbInstanceClass)) report("docdbInstanceClass", values.docdbInstanceClass, "not a DocumentDB instance class offered for 5.0 and 8.0");
    const cache = splitInstanceClass(values.cacheNodeType, "cache.");
    if (!cache || !ELASTICACHE_NODE_SIZES[cache.family]?.includes(cache.size)) {
        report("cacheNodeType", values.cacheNodeType, "not an ElastiCache node type AWS offers");
    }
}

/**
 * The environment profile's instance classes fitted to the region, for the keys the stack leaves to it: node types
 * the region does not offer are dropped from their group (the rest keep its spot diversity), and a database or
 * cache class it does not offer gives way to the first class of the same size it does (ElastiCache has no
 * Graviton nodes in eu-central-2 or ap-northeast-3: dev's cache.t4g.small is cache.t3.small there). A value the
 * stack sets itself is never changed; checkOfferedInRegion refuses it instead.
 */
function regionalDefaults(profile: Profile, parsed: Partial<ConfigValues>, region: string | undefined): Partial<Profile> {
    if (region === undefined || !REGIONS.includes(region)) return {};
    const fitted: Partial<Profile> = {};
    for (const prefix of Object.keys(NODE_GROUPS) as NodeGroupPrefix[]) {
        const key = `${prefix}InstanceTypes` as const;
        const offered = profile[key].filter((type) => !lackedIn("ec2", type, region));
        if (parsed[key] === undefined && offered.length && offered.length < profile[key].length) fitted[key] = offered;
    }
    const engine = parsed.cacheEngine ?? profile.cacheEngine;
    if (parsed.dbInstanceClass === undefined && lackedIn("rds", profile.dbInstanceClass, region)) {
        const [alternative] = offeredAlternatives("rds", profile.dbInstanceClass, region);
        if (alternative) fitted.dbInstanceClass = alternative;
    }
    if (parsed.cacheNodeType === undefined && lackedIn("cache", profile.cacheNodeType, region, engine)) {
        const [alternative] = offeredAlternatives("cache", profile.cacheNodeType, region, engine);
        if (alternative) fitted.cacheNodeType = alternative;
    }
    return fitted;
}

/**
 * A class AWS's price list offers in other supported regions but not in the stack's: the node group, database or
 * cache would fail at apply. The tables are dated builds (model/data); a class they list nowhere, newer than them,
 * is not judged here.
 */
function checkOfferedInRegion(values: Values, region: string | undefined, report: Report) {
    if (region === undefined || !REGIONS.includes(region)) return;
    const check = (key: ConfigKey, kind: ClassKind, value: string, engine?: string) => {
        if (!lackedIn(kind, value, region, engine)) return;
        const offered = offeredAlternatives(kind, value, region, engine);
        report(key, value, `not offered in ${region}: AWS's price list of ${offeringListDate(kind, value, engine)} has it in ${regionsOffering(kind, value, engine).length} other supported regions, not this one (model/data: derive it again if AWS has launched it there since)`, offered.length ? `one offered in ${region}, such as ${offered.slice(0, 4).join(", ")}` : `a class offered in ${region}`);
    };
    for (const prefix of Object.keys(NODE_GROUPS) as NodeGroupPrefix[]) {
        if (values[`${prefix}MaxSize`] === 0) continue;
        for (const type of values[`${prefix}InstanceTypes`]) check(`${prefix}InstanceTypes`, "ec2", type);
    }
    check("dbInstanceClass", "rds", values.dbInstanceClass);
    check("cacheNodeType", "cache", values.cacheNodeType, values.cacheEngine);
}

function checkDataSafety(values: Values, region: string | undefined, environment: Environment, report: Report) {
    const isProd = environment === "prod";
    if (values.dbAllocatedStorageGiB > values.dbMaxAllocatedStorageGiB) {
        report("dbAllocatedStorageGiB", values.dbAllocatedStorageGiB, `above the storage autoscaling ceiling dbMaxAllocatedStorageGiB (${values.dbMaxAllocatedStorageGiB})`);
    } else if (values.dbMaxAllocatedStorageGiB < values.dbAllocatedStorageGiB * 1.1) {
        report("dbMaxAllocatedStorageGiB", values.dbMaxAllocatedStorageGiB, "RDS needs the ceiling at least 10% above the allocated storage to autoscale", `${Math.ceil(values.dbAllocatedStorageGiB * 1.1)} or more`);
    }
    // Cluster mode always fails over automatically, and a shard without a replica has nothing to fail over to.
    if (!values.cacheClusterMode && values.cacheShards !== 1) {
        report("cacheShards", values.cacheShards, "without cluster mode the cache is one primary with its replicas: one shard", "1 with cacheClusterMode false");
    }
    if (values.cacheReplicasPerShard < 1) {
        report("cacheReplicasPerShard", values.cacheReplicasPerShard, "a cache shard with fewer than 2 nodes cannot fail over, and cluster mode always has failover on", "1 to 5");
    }
    if (values.drRegion !== "") {
        if (!REGIONS.includes(values.drRegion)) report("drRegion", values.drRegion, "not a region this platform is validated for", `one of ${REGIONS.join(", ")}`);
        else if (values.drRegion === region) report("drRegion", values.drRegion, "the same region as the stack: copies there do not survive a regional outage", `a region other than ${region}`);
    } else if (isProd) {
        report("drRegion", "", "prod replicates documents and copies backups to another region", `a region other than ${region ?? "aws:region"}`);
    }
    const availability = Number(values.sloAvailabilityPercent);
    if (!(availability >= 90 && availability < 100)) report("sloAvailabilityPercent", values.sloAvailabilityPercent, "outside 90 to 99.999: the error budget would be meaningless");
    if (!(Number(values.sloErrorRatePercent) > 0)) report("sloErrorRatePercent", values.sloErrorRatePercent, "a zero error budget can never be met");
    if (values.sloLatencyP95Ms > values.sloLatencyP99Ms) report("sloLatencyP95Ms", values.sloLatencyP95Ms, `above sloLatencyP99Ms (${values.sloLatencyP99Ms})`);
    if (values.accessLogRetentionDays < values.appLogRetentionDays) {
        report("accessLogRetentionDays", values.accessLogRetentionDays, `shorter than appLogRetentionDays (${values.appLogRetentionDays}); Loki's default retention would cut access logs first`, `${values.appLogRetentionDays} or more`);
    }
}

/** A standby's settings (the primary's own facts are checked against its outputs when the program runs). */
function checkStandby(values: Values, stack: string, project: string, report: Report) {
    const standby = values.primaryStack !== "";
    if (values.standbyPromoted && !standby) report("standbyPromoted", true, "only a standby (primaryStack set) has a replica to promote", "false, or set primaryStack");
    if (standby && values.primaryStack.split("/")[2] === stack && values.primaryStack.split("/")[1] === project) {
        report("primaryStack", values.primaryStack, "a stack cannot stand by for itself", `another stack of ${project}`);
    }
    if (values.failoverRouting && (values.domainName === "" || values.hostedZoneId === "")) {
        report("failoverRouting", true, "failover records live in the stack's hosted zone, under its domain", "false, or set domainName and hostedZoneId");
    }
    if (values.failoverFenced && (standby || !values.failoverRouting)) {
        report("failoverFenced", true, standby ? "a standby's record is the SECONDARY: the fence is on the primary's" : "only a PRIMARY failover record has a health check to fence", "false, or true in a primary with failoverRouting");
    }
    if (standby && values.domainName !== "") {
        if (!values.failoverRouting) report("failoverRouting", false, "a standby's record must be the SECONDARY of the primary's failover pair: a plain record would take the primary's name", "true (and the primary's failoverRouting true)");
        if (values.edge) report("edge", true, "CloudFront serves a name from one distribution only, the primary's: the standby's entry point is its load balancer", "false in a standby");
    }
}

function checkEntryPoint(values: Values, region: string | undefined, report: Report) {
    if (values.letsEncryptEmail !== "" && (values.domainName === "" || values.hostedZoneId === "")) {
        report("letsEncryptEmail", values.letsEncryptEmail, "Let's Encrypt issuers solve DNS-01 in the stack's zone, for names under its domain", "empty, or set domainName and hostedZoneId too");
    }
    if (values.domainName === "") {
        for (const k of ["hostedZoneId", "certificateArn"] as const) {
            if (values[k] !== "") report(k, values[k], "set without domainName", "empty, or set domainName too");
        }
        return;
    }
    if (values.hostedZoneId === "" && values.certificateArn === "") {
        report("domainName", values.domainName, "no way to get a certificate for it", "also set hostedZoneId (a DNS-validated certificate is requested) or certificateArn");
    } else if (values.edge && values.hostedZoneId === "" && values.certificateArn.split(":")[3] !== "us-east-1") {
        report("edge", true, "CloudFront takes certificates from us-east-1 only, and without hostedZoneId none can be requested there", "false, or hostedZoneId set, or certificateArn in us-east-1");
    }
    if (!LOG_RETENTION_DAYS.includes(values.accessLogRetentionDays)) {
        report("accessLogRetentionDays", values.accessLogRetentionDays, "the entry point's WAF logs are kept as long as access logs, in CloudWatch", `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const certRegion = values.certificateArn.split(":")[3];
    if (values.certificateArn !== "" && region !== undefined && certRegion !== region) {
        report("certificateArn", values.certificateArn, `in ${certRegion}; a load balancer only takes certificates of its own region`, `a certificate in ${region}`);
    }
}

function checkCapacity(capacity: CapacityReport, values: Values, report: Report) {
    for (const group of capacity.groups) {
        if (group.fits) continue;
        const prefix = (Object.keys(NODE_GROUPS) as NodeGroupPrefix[]).find((p) => NODE_GROUPS[p] === group.group) ?? "node";
        report(`${prefix}MaxSize`, values[`${prefix}MaxSize`], `at every service's maximum scale the pods do not fit: ${describeGroup(group)}`, `a larger ${prefix}MaxSize or instance type, or lower replicas.max / resources.requests of ${group.services.join(", ")}`);
    }
    if (!capacity.throughput.holds) {
        report("targetThroughputRps", values.targetThroughputRps, `not reached at maximum scale: ${describeThroughput(capacity.throughput)}`, "raise replicas.max or autoscaling.requestsPerSecondPerPod of the request-rate-scaled services, or lower the target");
    }
}

/** An availability zone as the account reports it: its name (mapped per account) and its physical id. */
export interface AccountZone {
    name: string;
    id: string;
}

/**
 * The AZs the stack uses, checked against those the account really has in the region (AZ names map to different
 * physical zones per account, and some are opt-in) and against the zone ids EKS refuses. Unpinned, the first
 * azCount zones EKS accepts are taken. Throws a ConfigError naming the key when they do not fit.
 */
export function resolveAvailabilityZones(config: StackConfig, available: AccountZone[]): string[] {
    const refused = EKS_DISALLOWED_AZ_IDS[config.region] ?? [];
    const usable = available.filter((z) => !refused.includes(z.id));
    const describe = (zones: AccountZone[]) => zones.map((z) => `${z.name} (${z.id})`).join(", ");
    const problem = (value: unknown, message: string): never => {
        throw new ConfigError(config.stack, [{ key: `${config.project}:${config.availabilityZones ? "availabilityZones" : "azCount"}`, value, message, allowed: `AZs of this account in ${config.region} that EKS accepts: ${describe(usable)}` }]);
    };
    if (config.availabilityZones) {
        const missing = config.availabilityZones.filter((name) => !available.some((z) => z.name === name));
        if (missing.length > 0) problem(config.availabilityZones, `${missing.join(", ")} not available to this account`);
        const unsupported = available.filter((z) => config.availabilityZones!.includes(z.name) && refused.includes(z.id));
        if (unsupported.length > 0) problem(config.availabilityZones, `${describe(unsupported)}: EKS does not accept cluster subnets in zone id ${unsupported.map((z) => z.id).join(", ")} (this account maps the name to it)`);
        return config.availabilityZones;
    }
    if (usable.length < config.azCount) problem(config.azCount, `the account has only ${usable.length} AZs in ${config.region} that EKS accepts`);
    return usable.slice(0, config.azCount).map((z) => z.name);
}

function splitKey(name: string): [string, string] {
    const at = name.indexOf(":");
    return at < 0 ? ["", name] : [name.slice(0, at), name.slice(at + 1)];
}

/** Converts a config string to the JS value of its declared type; undefined when it does not parse. */
function parseValue(type: (typeof CONFIG_KEYS)[ConfigKey]["type"], text: string): unknown {
    switch (type) {
        case "string":
            return text;
        case "integer":
            return /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
        case "boolean":
            return text === "true" ? true : text === "false" ? false : undefined;
        case "array":
        case "structured":
            try {
                const value: unknown = JSON.parse(text);
                // A structured key is a list of objects or, set by path, a map.
                return Array.isArray(value) || (type === "structured" && value !== null && typeof value === "object") ? value : undefined;
            } catch {
                return undefined;
            }
    }
}

function suggestion(word: string, candidates: readonly string[], render: (s: string) => string): string {
    if (candidates.length === 0) return "";
    const best = closest(word, [...candidates]);
    return distance(word, best) <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean "${render(best)}"?)` : "";
}
