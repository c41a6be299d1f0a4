/**
 * Environment profiles: the defaults a stack starts from, per environment. A stack file sets only what differs.
 * Numbers follow ../shared/PLATFORM-SPEC.md; where this departs from the spec's named class, the README says why.
 */
import type { ConfigValues, Environment } from "./config-keys";

/** Keys whose default is computed rather than fixed: from the stack name, the account's AZs or the VPC CIDR. */
export type DerivedKey = "environment" | "clusterName" | "availabilityZones" | "publicSubnetCidrs" | "privateSubnetCidrs" | "databaseSubnetCidrs";
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
    cacheEngineVersion: "7.1",
    dbEngineVersion: "17",
} satisfies Partial<Profile>;

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
        nodeInstanceTypes: ["m6i.xlarge", "m5.xlarge", "m5a.xlarge"],
        nodeCapacityType: "SPOT",
        nodeMinSize: 1,
        nodeDesiredSize: 2,
        nodeMaxSize: 4,
        dbInstanceClass: "db.t4g.medium",
        cacheNodeType: "cache.t4g.small",
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
        nodeInstanceTypes: ["m6i.large"],
        nodeCapacityType: "ON_DEMAND",
        nodeMinSize: 3,
        nodeDesiredSize: 3,
        nodeMaxSize: 6,
        dbInstanceClass: "db.r6g.large",
        cacheNodeType: "cache.r6g.large",
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
        nodeInstanceTypes: ["m6i.xlarge"],
        nodeCapacityType: "ON_DEMAND",
        nodeMinSize: 3,
        nodeDesiredSize: 3,
        nodeMaxSize: 10,
        dbInstanceClass: "db.r6g.large",
        cacheNodeType: "cache.r6g.large",
    },
};

/** The default EKS cluster name of a stack. */
export const defaultClusterName = (stack: string) => `rag-${stack}`;
