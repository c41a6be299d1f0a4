/**
 * Environment profiles: the defaults a stack starts from, per environment. A stack file sets only what differs.
 * Numbers follow the requirements (docs/requirements.md); where this departs from the spec's named class, docs/design.md says why.
 */
import { NEWEST_EKS_VERSION } from "../model/aws-catalog";
import type { ConfigValues } from "./config-keys";
import type { Environment } from "../model/environments";

/** Keys whose default is computed rather than fixed: from the stack name, the account's AZs or the VPC CIDR. */
export type DerivedKey = "environment" | "clusterName" | "availabilityZones" | "publicSubnetCidrs" | "privateSubnetCidrs" | "databaseSubnetCidrs" | "services" | "costAssumptions" | "costPrices";
export type Profile = Omit<ConfigValues, DerivedKey>;

/** Interface endpoints prod and staging pay for: image pulls, IRSA token exchange, logs, secrets, keys, node bootstrap. */
const FULL_ENDPOINTS: Profile["vpcInterfaceEndpoints"] = [
    "ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager", "kms", "ec2", "elasticloadbalancing",
];

const common = {
    owner: "platform-team",
    costCenter: "rag-platform",
    vpcCidr: "10.0.0.0/16",
    vpcGatewayEndpoints: ["s3"],
    cacheEngine: "redis",
    // The spec's cluster mode; systems whose workers use the cache as a Celery broker turn it off.
    cacheClusterMode: true,
    cacheEngineVersion: "7.1",
    docdbEngineVersion: "5.0.0",
    dbEngineVersion: "17",
    kubernetesVersion: NEWEST_EKS_VERSION,
    deployRoleArn: "",
    // Private endpoint everywhere by default: add your CI runners' and admins' egress CIDRs per stack, or deploy
    // from inside the VPC.
    clusterPublicAccessCidrs: [],
    clusterPrivateAccessCidrs: [],
    clusterPrivateAccessSecurityGroupIds: [],
    clusterAdminRoleArns: [],
    clusterViewerRoleArns: [],
    nodeVolumeSizeGiB: 50,
    eksAddonVersions: [],
    addonChartVersions: [],
    workerNodeInstanceTypes: ["m6i.large", "m5.large", "m5a.large"],
    workerNodeCapacityType: "SPOT",
    // The spec's SLOs, the same in every environment so alerts are exercised before prod.
    sloAvailabilityPercent: "99.95",
    sloErrorRatePercent: "0.1",
    sloLatencyP95Ms: 500,
    sloLatencyP99Ms: 1000,
    metricsRetentionDays: 30,
    appLogRetentionDays: 30,
    accessLogRetentionDays: 90,
    traceRetentionDays: 7,
    workloadNamespace: "rag",
    // No public entry point until a stack names its domain (and the zone or certificate for it).
    domainName: "",
    hostedZoneId: "",
    certificateArn: "",
    letsEncryptEmail: "",
    edge: true,
    primaryStack: "",
    standbyPromoted: false,
    failoverRouting: false,
    failoverFenced: false,
    intendedReplacements: [],
    wafRateLimitPer5Min: 2000,
    budgetAlertPercents: [80, 100],
} satisfies Partial<Profile>;

/** No separate queue-worker group: workers share the application nodes. */
const NO_WORKER_GROUP = { workerNodeMinSize: 0, workerNodeDesiredSize: 0, workerNodeMaxSize: 0 } satisfies Partial<Profile>;

export const PROFILES: Readonly<Record<Environment, Profile>> = {
    // Cheapest that still exercises everything: two AZs (EKS and RDS subnet groups need two), one NAT, spot nodes.
    dev: {
        ...common,
        azCount: 2,
        natGateways: "single",
        vpcInterfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"],
        flowLogRetentionDays: 7,
        protectStatefulResources: false,
        kmsKeyDeletionWindowDays: 7,
        // Dev takes EKS's own upgrade at the end of standard support rather than pay for extended support.
        eksSupportType: "STANDARD",
        nodeInstanceTypes: ["m6i.xlarge", "m5.xlarge", "m5a.xlarge"],
        nodeCapacityType: "SPOT",
        nodeMinSize: 1,
        nodeDesiredSize: 2,
        nodeMaxSize: 4,
        observabilityNodeInstanceTypes: ["r6i.large", "r5.large", "r5a.large"],
        observabilityNodeCapacityType: "SPOT",
        observabilityNodeMinSize: 1,
        observabilityNodeDesiredSize: 1,
        observabilityNodeMaxSize: 2,
        ...NO_WORKER_GROUP,
        clusterLogRetentionDays: 7,
        dbInstanceClass: "db.t4g.medium",
        dbAllocatedStorageGiB: 20,
        dbMaxAllocatedStorageGiB: 100,
        dbMultiAz: false,
        dbBackupRetentionDays: 1,
        dbReadReplicas: 0,
        docdbInstanceClass: "db.t4g.medium",
        docdbInstances: 1,
        cacheNodeType: "cache.t4g.small",
        cacheShards: 1,
        cacheReplicasPerShard: 1,
        cacheMultiAz: false,
        cacheSnapshotRetentionDays: 1,
        drRegion: "",
        backupFrequency: "none",
        backupRetentionDays: 7,
        traceSamplingPercent: 100,
        targetThroughputRps: 100,
        monthlyBudgetUsd: 300,
        prometheusStorageGiB: 20,
        cloudTrail: false,
        guardDuty: false,
        securityHub: false,
    },
    // Prod's topology at smaller sizes (about 30% of its cost).
    staging: {
        ...common,
        azCount: 3,
        natGateways: "onePerAz",
        vpcInterfaceEndpoints: FULL_ENDPOINTS,
        flowLogRetentionDays: 30,
        protectStatefulResources: false,
        kmsKeyDeletionWindowDays: 30,
        // No upgrade the team did not plan (staging rehearses each minor before prod); extended support is billed.
        eksSupportType: "EXTENDED",
        nodeInstanceTypes: ["m6i.large"],
        nodeCapacityType: "ON_DEMAND",
        nodeMinSize: 3,
        nodeDesiredSize: 3,
        nodeMaxSize: 6,
        // Prometheus and Loki tolerate a spot interruption in staging; prod keeps them on demand.
        observabilityNodeInstanceTypes: ["r6i.large", "r5.large", "r5a.large"],
        observabilityNodeCapacityType: "SPOT",
        observabilityNodeMinSize: 3,
        observabilityNodeDesiredSize: 3,
        observabilityNodeMaxSize: 4,
        // Queue workers on spot, one node per AZ at rest, scaled out by the autoscaler on queue backlog.
        workerNodeMinSize: 3,
        workerNodeDesiredSize: 3,
        workerNodeMaxSize: 10,
        clusterLogRetentionDays: 30,
        dbInstanceClass: "db.r6g.large",
        dbAllocatedStorageGiB: 100,
        dbMaxAllocatedStorageGiB: 1000,
        dbMultiAz: true,
        dbBackupRetentionDays: 7,
        dbReadReplicas: 0,
        docdbInstanceClass: "db.r6g.large",
        docdbInstances: 2,
        cacheNodeType: "cache.r6g.large",
        cacheShards: 1,
        cacheReplicasPerShard: 2,
        cacheMultiAz: true,
        cacheSnapshotRetentionDays: 7,
        drRegion: "",
        backupFrequency: "weekly",
        backupRetentionDays: 30,
        traceSamplingPercent: 25,
        targetThroughputRps: 300,
        monthlyBudgetUsd: 900,
        prometheusStorageGiB: 50,
        cloudTrail: true,
        guardDuty: false,
        securityHub: false,
    },
    // 3 AZs everywhere, NAT per AZ, everything that holds data protected.
    prod: {
        ...common,
        azCount: 3,
        natGateways: "onePerAz",
        vpcInterfaceEndpoints: FULL_ENDPOINTS,
        flowLogRetentionDays: 90,
        protectStatefulResources: true,
        kmsKeyDeletionWindowDays: 30,
        // No upgrade the team did not plan; the estimate prices extended support from the day it starts.
        eksSupportType: "EXTENDED",
        nodeInstanceTypes: ["m6i.xlarge"],
        nodeCapacityType: "ON_DEMAND",
        nodeMinSize: 3,
        nodeDesiredSize: 3,
        nodeMaxSize: 10,
        observabilityNodeInstanceTypes: ["r6i.large"],
        observabilityNodeCapacityType: "ON_DEMAND",
        observabilityNodeMinSize: 3,
        observabilityNodeDesiredSize: 3,
        observabilityNodeMaxSize: 6,
        ...NO_WORKER_GROUP,
        clusterLogRetentionDays: 90,
        dbInstanceClass: "db.r6g.large",
        dbAllocatedStorageGiB: 100,
        dbMaxAllocatedStorageGiB: 1000,
        dbMultiAz: true,
        dbBackupRetentionDays: 30,
        dbReadReplicas: 1,
        docdbInstanceClass: "db.r6g.large",
        docdbInstances: 3,
        cacheNodeType: "cache.r6g.large",
        cacheShards: 1,
        cacheReplicasPerShard: 2,
        cacheMultiAz: true,
        cacheSnapshotRetentionDays: 7,
        // us-east-1's usual pair; a stack in another region sets its own.
        drRegion: "us-west-2",
        backupFrequency: "daily",
        backupRetentionDays: 30,
        traceSamplingPercent: 10,
        // The spec's launch throughput.
        targetThroughputRps: 1000,
        monthlyBudgetUsd: 3000,
        prometheusStorageGiB: 100,
        cloudTrail: true,
        guardDuty: true,
        securityHub: true,
    },
};

/** The default EKS cluster name of a stack. */
export const defaultClusterName = (stack: string) => `rag-${stack}`;
