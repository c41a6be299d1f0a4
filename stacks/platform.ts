/**
 * The composition of one platform stack: config -> validated StackConfig -> Network -> Cluster -> DataTier ->
 * Observability -> Audit -> RagWorkload -> the exported output contract.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { Audit } from "../components/audit";
import { Cluster, DEDICATED_TAINT_KEY, type ClusterArgs, type NodeGroupSpec } from "../components/cluster";
import { DataTier, type DataTierArgs } from "../components/data-tier";
import { Network, type NetworkArgs } from "../components/network";
import { cacheNodeIds, Observability, PROMETHEUS_URL, type ObservabilityArgs } from "../components/observability";
import { RagWorkload, type RagWorkloadArgs } from "../components/rag-workload";
import { observabilityReplicas } from "../model/observability-footprint";
import type { Slo } from "../model/observability-rules";
import { sharedVolumes } from "../model/services";
import { CONTRACT_VERSION, type OutputName, type PlatformContract } from "../contract/outputs";
import { ADDON_CHARTS, isGraviton, splitInstanceClass, type AddonChart, type EksManagedAddon } from "../model/aws-catalog";
import { ConfigError, loadStackConfig, resolveAvailabilityZones, type RawConfig, type StackConfig } from "./config";
import { sizedNodeGroups, splitPin } from "./config-keys";
import { deployedIdentity, replacementProblems } from "./replacement-guard";
import { readPrimary, standbyProblems, type PrimaryFacts } from "./standby";
import { replicaSecretArn } from "../model/aws-names";

/**
 * What every stack exports: the output contract (contract/outputs.ts), each value as an Input (Outputs resolve
 * at export).
 */
export type PlatformOutputs = { [K in OutputName]: Exported<PlatformContract[K]> };
type Exported<T> = T extends string[] ? pulumi.Input<string>[] | pulumi.Input<string[]> : T extends Record<string, string> ? Record<string, pulumi.Input<string>> : pulumi.Input<T>;

/** The stack's config as the engine passed it, with the keys that were `secure:` in the stack file. */
export function readRawConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    // isConfigSecret is internal to the SDK (pinned in package.json); there is no public way to list secret keys.
    const isSecret = (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;
    return { values, secretKeys: Object.keys(values).filter((key) => isSecret(key)) };
}

/** Validates the stack's config, then builds it. Nothing is registered until every check has passed. */
export async function deployPlatform(): Promise<PlatformOutputs> {
    const config = loadStackConfig(pulumi.getStack(), readRawConfig(), pulumi.getProject());
    for (const warning of config.warnings) void pulumi.log.warn(warning);
    const zones = await aws.getAvailabilityZones({
        region: config.region,
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }], // local and wavelength zones are opt-in
    });
    const availabilityZones = resolveAvailabilityZones(config, zones.names.map((name, i) => ({ name, id: zones.zoneIds[i] })));
    const problems = config.protectStatefulResources ? replacementProblems(config, await deployedIdentity()) : [];
    const primary = config.primaryStack ? await readPrimary(config.primaryStack) : undefined;
    if (primary) problems.push(...standbyProblems(config, primary));
    if (problems.length > 0) throw new ConfigError(config.stack, problems);
    return composePlatform(config, availabilityZones, primary as PrimaryFacts | undefined);
}

/** `primary`: the stack this one stands by for (its outputs, checked by standbyProblems); undefined for a primary. */
export function composePlatform(config: StackConfig, availabilityZones: string[], primary?: PrimaryFacts): PlatformOutputs {
    // A service with a volume every replica shares brings the EFS file system, its driver and NFS to the data tier.
    const sharedFiles = config.services.some((service) => sharedVolumes(service).length > 0);
    // Likewise a service that takes mongodb-url brings DocumentDB and its port.
    const documentDb = config.services.some((service) => service.secrets.includes("mongodb-url"));
    const provider = new aws.Provider("aws", { region: config.region, defaultTags: { tags: config.tags } });
    const network = new Network("network", networkArgs(config, availabilityZones, sharedFiles, documentDb), { providers: [provider] });
    const cluster = new Cluster("cluster", clusterArgs(config, availabilityZones, network, sharedFiles), { providers: [provider] });
    const data = new DataTier("data", dataTierArgs(config, availabilityZones, network, cluster, sharedFiles, documentDb, primary), { providers: [provider] });
    const observability = new Observability("observability", observabilityArgs(config, cluster, data), { providers: [provider, cluster.provider], dependsOn: [cluster.addons] });
    if (config.cloudTrail || config.guardDuty || config.securityHub) {
        new Audit("audit", {
            clusterName: config.clusterName,
            trailBucketName: config.cloudTrail ? data.buckets.logs.name : undefined,
            trailKmsKeyArn: observability.kmsKeyArn,
            guardDuty: config.guardDuty,
            securityHub: config.securityHub,
            movedFrom: { parent: observability, name: "observability" },
        }, { providers: [provider] });
    }
    const workload = new RagWorkload("workload", workloadArgs(config, cluster, data, observability), {
        providers: [provider, cluster.provider],
        // CRDs (ExternalSecret, ScaledObject, Rollout, ServiceMonitor) come with the add-ons and observability; the
        // load balancer controller must outlive the Ingresses so `destroy` removes the ALB it made.
        dependsOn: [cluster.addons, observability],
    });
    return contractOutputs(config, availabilityZones, { network, cluster, data, observability, workload });
}

function networkArgs(config: StackConfig, availabilityZones: string[], sharedFiles: boolean, documentDb: boolean): NetworkArgs {
    return {
        sharedFiles: sharedFiles || undefined,
        documentDb: documentDb || undefined,
        clusterName: config.clusterName,
        availabilityZones,
        cidrBlock: config.vpcCidr,
        subnetCidrs: config.subnetCidrs,
        natGateways: config.natGateways,
        interfaceEndpoints: config.vpcInterfaceEndpoints,
        gatewayEndpoints: config.vpcGatewayEndpoints,
        flowLogRetentionDays: config.flowLogRetentionDays,
        kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
        protect: config.protectStatefulResources,
    };
}

function clusterArgs(config: StackConfig, availabilityZones: string[], network: Network, sharedFiles: boolean): ClusterArgs {
    return {
        efsCsiDriver: sharedFiles || undefined,
        letsEncrypt: config.letsEncryptEmail ? { email: config.letsEncryptEmail, hostedZoneId: config.hostedZoneId, domainName: config.domainName } : undefined,
        clusterName: config.clusterName,
        kubernetesVersion: config.kubernetesVersion,
        supportType: config.eksSupportType,
        vpcId: network.vpcId,
        availabilityZones,
        privateSubnetIds: network.subnetIds.private,
        nodeSecurityGroupId: network.securityGroupIds.nodes,
        publicAccessCidrs: config.clusterPublicAccessCidrs,
        privateAccessCidrs: config.clusterPrivateAccessCidrs,
        privateAccessSecurityGroupIds: config.clusterPrivateAccessSecurityGroupIds,
        adminRoleArns: config.clusterAdminRoleArns,
        viewerRoleArns: config.clusterViewerRoleArns,
        logRetentionDays: config.clusterLogRetentionDays,
        nodeGroups: nodeGroups(config),
        nodeVolume: { sizeGiB: config.nodeVolumeSizeGiB },
        addonVersions: pins(config.eksAddonVersions) as Partial<Record<EksManagedAddon, string>>,
        chartVersions: chartPins(config.addonChartVersions),
        kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
        protect: config.protectStatefulResources,
    };
}

function dataTierArgs(config: StackConfig, availabilityZones: string[], network: Network, cluster: Cluster, sharedFiles: boolean, documentDb: boolean, primary?: PrimaryFacts): DataTierArgs {
    return {
        standbyOf: primary && {
            databaseArn: primary.databaseArn,
            masterSecretArn: replicaSecretArn(primary.databaseMasterSecretArn, config.region),
            appSecretArn: replicaSecretArn(primary.databaseAppSecretArn, config.region),
            promoted: config.standbyPromoted,
            buckets: {
                documents: { name: pulumi.output(primary.drBucketNames.documents), arn: pulumi.output(primary.drBucketArns.documents) },
                backups: { name: pulumi.output(primary.drBucketNames.backups), arn: pulumi.output(primary.drBucketArns.backups) },
            },
            bucketKeyArn: primary.drKmsKeyArn,
        },
        sharedFiles: sharedFiles || undefined,
        documentDb: documentDb ? { engineVersion: config.docdbEngineVersion, instanceClass: config.docdbInstanceClass, instances: config.docdbInstances } : undefined,
        availabilityZones: documentDb ? availabilityZones : undefined,
        name: config.clusterName,
        subnetIds: network.subnetIds.database,
        securityGroupId: network.securityGroupIds.data,
        database: {
            engineVersion: config.dbEngineVersion,
            instanceClass: config.dbInstanceClass,
            allocatedStorageGiB: config.dbAllocatedStorageGiB,
            maxAllocatedStorageGiB: config.dbMaxAllocatedStorageGiB,
            multiAz: config.dbMultiAz,
            backupRetentionDays: config.dbBackupRetentionDays,
            readReplicas: config.dbReadReplicas,
        },
        cache: {
            engine: config.cacheEngine,
            engineVersion: config.cacheEngineVersion,
            nodeType: config.cacheNodeType,
            clusterMode: config.cacheClusterMode,
            shards: config.cacheShards,
            replicasPerShard: config.cacheReplicasPerShard,
            multiAz: config.cacheMultiAz,
            snapshotRetentionDays: config.cacheSnapshotRetentionDays,
        },
        rotation: { vpcId: network.vpcId, subnetIds: network.subnetIds.private },
        drRegion: config.drRegion || undefined,
        backup: { frequency: config.backupFrequency, retentionDays: config.backupRetentionDays },
        secretReaderRoleArns: [cluster.addons.externalSecretsRoleArn],
        secretAdminRoleArns: config.clusterAdminRoleArns,
        cloudTrail: config.cloudTrail,
        edgeLogs: Boolean(config.edge && config.domainName) || undefined,
        kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
        protect: config.protectStatefulResources,
    };
}

function observabilityArgs(config: StackConfig, cluster: Cluster, data: DataTier): ObservabilityArgs {
    return {
        clusterName: config.clusterName,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        secretStoreName: cluster.addons.clusterSecretStoreName,
        slos: slosFrom(config),
        metricsRetentionDays: config.metricsRetentionDays,
        prometheusStorageGiB: config.prometheusStorageGiB,
        appLogRetentionDays: config.appLogRetentionDays,
        accessLogRetentionDays: config.accessLogRetentionDays,
        traceRetentionDays: config.traceRetentionDays,
        traceSamplingPercent: config.traceSamplingPercent,
        replicas: observabilityReplicas(config.environment),
        alarms: {
            databaseIdentifiers: [data.database.identifier],
            replicaIdentifiers: data.database.replicaIdentifiers,
            cacheNodeIds: cacheNodeIds(data.cache.replicationGroupId, config.cacheShards, 1 + config.cacheReplicasPerShard, config.cacheClusterMode),
            replicationRules: data.replicationRules,
            backupCopies: Boolean(config.drRegion) && config.backupFrequency !== "none",
        },
        // Every resource carries the stack tag (the provider's default tags): the budget counts what it costs.
        budget: config.monthlyBudgetUsd > 0 ? { monthlyUsd: config.monthlyBudgetUsd, alertPercents: config.budgetAlertPercents, costTag: { key: "stack", value: config.stack } } : undefined,
        kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
        protect: config.protectStatefulResources,
    };
}

function workloadArgs(config: StackConfig, cluster: Cluster, data: DataTier, observability: Observability): RagWorkloadArgs {
    // A standby's database is a read-only replica until promoted: one-shot Jobs (migrations) wait for promotion.
    const following = config.primaryStack !== "" && !config.standbyPromoted;
    return {
        clusterName: config.clusterName,
        namespace: config.workloadNamespace,
        services: following ? config.services.filter((service) => service.kind !== "job") : config.services,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        secretStoreName: cluster.addons.clusterSecretStoreName,
        externalSecretsRoleName: cluster.addons.externalSecretsRoleName,
        data: {
            databaseMasterSecretArn: data.database.masterSecretArn,
            databaseAppSecretArn: data.database.appSecretArn,
            writableDatabase: data.database.following ? undefined : { host: data.database.endpoint, port: data.database.port, name: data.database.databaseName },
            documentsBucket: { name: data.buckets.documents.name, arn: data.buckets.documents.arn },
            kmsKeyArn: data.bucketKeyArn,
            cache: { endpoint: data.cache.endpoint, port: data.cache.port, clusterMode: data.cache.clusterMode },
            accessLogsBucketName: data.buckets.logs.name,
            accessLogsBucketArn: data.buckets.logs.arn,
            sharedFileSystemId: data.sharedFiles?.fileSystemId,
            documentDbMasterSecretArn: data.documentDb?.masterSecretArn,
        },
        cidrs: { vpc: config.vpcCidr, public: config.subnetCidrs.public, database: config.subnetCidrs.database },
        observability: { namespace: observability.namespace, prometheusUrl: PROMETHEUS_URL, otlpEndpoint: observability.otlpEndpoint },
        slo: { errorRate: Number(config.sloErrorRatePercent) / 100, latencyP95Seconds: config.sloLatencyP95Ms / 1000 },
        entryPoint: config.domainName
            ? {
                  domainName: config.domainName,
                  hostedZoneId: config.hostedZoneId || undefined,
                  certificateArn: config.certificateArn || undefined,
                  rateLimitPer5Min: config.wafRateLimitPer5Min,
                  logRetentionDays: config.accessLogRetentionDays,
                  kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
                  expiryAlertTopicArn: observability.alertTopicArns.low,
                  edge: config.edge,
                  failover: config.failoverRouting ? (config.primaryStack ? "secondary" : "primary") : undefined,
                  fenced: config.failoverFenced,
              }
            : undefined,
        settings: { AWS_REGION: config.region, ENVIRONMENT: config.environment },
        protect: config.protectStatefulResources,
        tags: config.tags,
    };
}

/** The stack's exports, named and typed by the output contract. */
function contractOutputs(
    config: StackConfig,
    availabilityZones: string[],
    { network, cluster, data, observability, workload }: { network: Network; cluster: Cluster; data: DataTier; observability: Observability; workload: RagWorkload },
): PlatformOutputs {
    return {
        contractVersion: CONTRACT_VERSION,
        environment: config.environment,
        region: config.region,
        clusterName: config.clusterName,
        availabilityZones,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidrBlock,
        publicSubnetIds: network.subnetIds.public,
        privateSubnetIds: network.subnetIds.private,
        databaseSubnetIds: network.subnetIds.database,
        natGatewayPublicIps: network.natGatewayPublicIps,
        securityGroupIds: { ...network.securityGroupIds },
        flowLogGroupName: network.flowLogGroupName,
        kubernetesVersion: cluster.kubernetesVersion,
        clusterEndpoint: cluster.endpoint,
        clusterCertificateAuthority: cluster.certificateAuthorityData,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        kubeconfig: cluster.kubeconfig,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        nodeSecurityGroupIds: cluster.nodeSecurityGroupIds,
        nodeRoleArn: cluster.nodeRoleArn,
        nodeGroupNames: cluster.nodeGroupNames,
        databaseEndpoint: data.database.endpoint,
        databaseReaderEndpoints: data.database.readerEndpoints,
        databasePort: data.database.port,
        databaseName: data.database.databaseName,
        databaseEngineVersion: config.dbEngineVersion,
        databaseMasterSecretArn: data.database.masterSecretArn,
        databaseAppSecretArn: data.database.appSecretArn,
        cacheEndpoint: data.cache.endpoint,
        cacheMode: config.cacheClusterMode ? "cluster" : "replicated",
        cachePort: data.cache.port,
        cacheAuthSecretArn: data.cache.authTokenSecretArn,
        appSecretArns: { ...data.appSecretArns },
        documentsBucketName: data.buckets.documents.name,
        documentsBucketArn: data.buckets.documents.arn,
        backupsBucketName: data.buckets.backups.name,
        backupsBucketArn: data.buckets.backups.arn,
        logsBucketName: data.buckets.logs.name,
        logsBucketArn: data.buckets.logs.arn,
        dataKmsKeyArn: data.kmsKeyArn,
        drKmsKeyArn: data.drKmsKeyArn ?? pulumi.output(""),
        drRegion: config.drRegion,
        backupVaultName: data.backupVaultName ?? pulumi.output(""),
        observabilityNamespace: observability.namespace,
        alertTopicArns: observability.alertTopicArns,
        otlpEndpoint: observability.otlpEndpoint,
        grafanaUrl: observability.grafanaUrl,
        workloadNamespace: workload.namespace,
        serviceUrls: workload.serviceUrls,
        publicUrl: workload.publicUrl,
        databaseArn: data.database.arn,
        drBucketNames: Object.fromEntries(Object.entries(data.buckets.replicas).map(([kind, bucket]) => [kind, bucket.name])),
        drBucketArns: Object.fromEntries(Object.entries(data.buckets.replicas).map(([kind, bucket]) => [kind, bucket.arn])),
        primaryStack: config.primaryStack,
        documentDbEndpoint: data.documentDb?.endpoint ?? "",
        documentDbMasterSecretArn: data.documentDb?.masterSecretArn ?? "",
        sharedFileSystemId: data.sharedFiles?.fileSystemId ?? "",
    };
}

/** The node groups a stack's config asks for, each on its CPU architecture; all but the application group tainted for their own pods. */
export function nodeGroups(config: StackConfig): NodeGroupSpec[] {
    return sizedNodeGroups(config).map(({ prefix, ...group }) => ({
        ...group,
        architecture: isGraviton(splitInstanceClass(group.instanceTypes[0], "")?.family ?? "") ? "arm64" : "x86_64",
        taints: prefix === "node" ? undefined : [{ key: DEDICATED_TAINT_KEY, value: group.name, effect: "NO_SCHEDULE" as const }],
    }));
}

/** The stack's SLOs, from its config (the spec's by default). */
export function slosFrom(config: StackConfig): Slo[] {
    const availability = Number(config.sloAvailabilityPercent) / 100;
    const errorRate = Number(config.sloErrorRatePercent) / 100;
    return [
        { name: "availability", description: `${config.sloAvailabilityPercent}% of requests succeed (no 5xx)`, objective: availability, sli: { kind: "availability" } },
        { name: "error-rate", description: `fewer than ${config.sloErrorRatePercent}% of requests fail`, objective: 1 - errorRate, sli: { kind: "availability" } },
        { name: "latency-p95", description: `95% of requests complete within ${config.sloLatencyP95Ms} ms`, objective: 0.95, sli: { kind: "latency", thresholdSeconds: config.sloLatencyP95Ms / 1000 } },
        { name: "latency-p99", description: `99% of requests complete within ${config.sloLatencyP99Ms} ms`, objective: 0.99, sli: { kind: "latency", thresholdSeconds: config.sloLatencyP99Ms / 1000 } },
    ];
}

/** `name@version` pins as a map. */
function pins(list: string[]): Record<string, string> {
    return Object.fromEntries(list.map(splitPin));
}

/** Chart pins keyed by the catalog's add-on keys. */
function chartPins(list: string[]): Partial<Record<AddonChart, string>> {
    const byChart = pins(list);
    return Object.fromEntries(
        (Object.keys(ADDON_CHARTS) as AddonChart[]).filter((key) => byChart[ADDON_CHARTS[key].chart]).map((key) => [key, byChart[ADDON_CHARTS[key].chart]]),
    );
}
