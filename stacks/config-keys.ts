/**
 * Every config key of the `rag-platform` namespace: its Pulumi.yaml type, what it means, and the shape its value
 * must have. This table is the single source of Pulumi.yaml's `config:` schema (`npm run schema` writes it, a
 * test fails when the two drift). Defaults are not here: they depend on the environment and live in profiles.ts.
 *
 * Pulumi.yaml can only declare scalars and arrays, so every key is one of those; rules that relate keys to each
 * other (AZ counts, size ordering, what prod requires) are in validate.ts.
 */
import { z } from "zod";
import {
    CACHE_ENGINE_VERSIONS,
    GATEWAY_ENDPOINT_SERVICES,
    INTERFACE_ENDPOINT_SERVICES,
    LOG_RETENTION_DAYS,
} from "./aws-catalog";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const NAT_GATEWAY_STRATEGIES = ["single", "onePerAz"] as const;
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;

export interface KeyDefinition<S extends z.ZodType = z.ZodType> {
    /** The type Pulumi.yaml declares (and the Pulumi CLI checks). */
    type: "string" | "integer" | "boolean" | "array";
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
        schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/),
        allowed: "1-40 letters, digits, '-' or '_', starting with a letter or digit (leaves room in IAM and node names derived from it)",
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
        schema: z.number().int().min(7).max(30),
        allowed: "an integer from 7 to 30 (30 in prod)",
    }),
    nodeInstanceTypes: key({
        type: "array",
        description: "EC2 instance types of the application node group, all of one CPU architecture; several spread spot risk.",
        schema: stringList.min(1),
        allowed: "one or more EC2 instance types such as \"m6i.xlarge\" from stacks/aws-catalog.ts",
    }),
    nodeCapacityType: key({
        type: "string",
        description: "Capacity type of the application node group.",
        schema: z.enum(CAPACITY_TYPES),
        allowed: `${quoted(CAPACITY_TYPES)} (ON_DEMAND in prod)`,
    }),
    nodeMinSize: key({
        type: "integer",
        description: "Minimum nodes in the application node group.",
        schema: positiveInt(450),
        allowed: "an integer from 0 to 450, at most nodeDesiredSize",
    }),
    nodeDesiredSize: key({
        type: "integer",
        description: "Initial nodes in the application node group (the autoscaler owns it afterwards).",
        schema: positiveInt(450),
        allowed: "an integer between nodeMinSize and nodeMaxSize",
    }),
    nodeMaxSize: key({
        type: "integer",
        description: "Maximum nodes the autoscaler may run in the application node group.",
        schema: z.number().int().min(1).max(450),
        allowed: "an integer from 1 to 450, at least nodeDesiredSize",
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
        allowed: "15, 16, 17 or 18, optionally with a minor RDS still creates (e.g. \"17.6\")",
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
