/**
 * The package face of components/network.ts: the same args with types the Pulumi schema can express (enums for
 * the literal unions, an interface for the per-tier CIDRs), the subnet ids as one output per tier. It builds the
 * real Network as its only child; nothing of its logic is here.
 */
import * as pulumi from "@pulumi/pulumi";
import { Network as PlatformNetwork, type NetworkArgs as PlatformNetworkArgs } from "../components/network";

/** How many NAT gateways carry the private subnets' egress. */
export const NatGateways = {
    /** One gateway per AZ: egress survives an AZ outage. */
    onePerAz: "onePerAz",
    /** One gateway for every AZ: cheaper, egress depends on its AZ. */
    single: "single",
} as const;
export type NatGateways = (typeof NatGateways)[keyof typeof NatGateways];

/** A service reached through a gateway endpoint. */
export const GatewayEndpoint = {
    s3: "s3",
    dynamodb: "dynamodb",
} as const;
export type GatewayEndpoint = (typeof GatewayEndpoint)[keyof typeof GatewayEndpoint];

/** Subnet CIDRs of one or more tiers, one per AZ in the order of `availabilityZones`. */
export interface SubnetCidrs {
    public?: string[];
    private?: string[];
    database?: string[];
}

/** Security group ids of the three tiers and of the interface endpoints. */
export interface SecurityGroupIds {
    /** Internet-facing load balancers: 80 and 443 from anywhere, out to the nodes only. */
    loadBalancer: string;
    /** EKS nodes and pods: from the load balancers and each other. */
    nodes: string;
    /** Databases and caches: from the nodes only; no egress. */
    data: string;
    /** Interface endpoints: HTTPS from inside the VPC. */
    endpoints: string;
}

export interface NetworkArgs {
    /** Name of the EKS cluster that will run in this VPC (subnet discovery tags). Required. */
    clusterName: string;
    /** Availability zones, in order; subnet i of every tier lands in zone i. Required, two or more. */
    availabilityZones: string[];
    /** IPv4 CIDR of the VPC. Default `10.0.0.0/16`. */
    cidrBlock?: string;
    /** Subnet CIDRs per tier; tiers not given are carved from `cidrBlock`. */
    subnetCidrs?: SubnetCidrs;
    /** `onePerAz` (default) or `single`. */
    natGateways?: NatGateways;
    /** Services reached through interface endpoints. Default `["ecr.api", "ecr.dkr", "sts"]`. */
    interfaceEndpoints?: string[];
    /** Services reached through gateway endpoints. Default `["s3"]`. */
    gatewayEndpoints?: GatewayEndpoint[];
    /** Days VPC flow logs are kept. Default 90. */
    flowLogRetentionDays?: number;
    /** Admit NFS from the nodes to the data security group (EFS). Default false. */
    sharedFiles?: boolean;
    /** Admit MongoDB's port from the nodes to the data security group (DocumentDB). Default false. */
    documentDb?: boolean;
    /** Waiting period before the flow-log KMS key is destroyed once deleted. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /** `protect` and retain-on-delete for the flow-log key and log group. Default false. */
    protect?: boolean;
    /** Tags added to every resource. Default `{}`. */
    tags?: Record<string, string>;
}

/**
 * The VPC of one platform stack: public, private and database subnets in every AZ, NAT gateways, VPC endpoints,
 * encrypted flow logs and the three-tier security groups (components/network.ts).
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidrBlock: pulumi.Output<string>;
    readonly availabilityZones: pulumi.Output<string[]>;
    /** Subnet ids per tier, in the order of `availabilityZones`. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly databaseSubnetIds: pulumi.Output<string[]>;
    readonly natGatewayPublicIps: pulumi.Output<string[]>;
    readonly securityGroupIds: pulumi.Output<SecurityGroupIds>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly flowLogKmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rag-platform:index:Network", name, {}, opts);
        const platformArgs: PlatformNetworkArgs = args;
        const network = new PlatformNetwork(name, platformArgs, { parent: this });
        this.vpcId = network.vpcId;
        this.vpcCidrBlock = network.vpcCidrBlock;
        this.availabilityZones = pulumi.output(network.availabilityZones);
        this.publicSubnetIds = pulumi.all(network.subnetIds.public);
        this.privateSubnetIds = pulumi.all(network.subnetIds.private);
        this.databaseSubnetIds = pulumi.all(network.subnetIds.database);
        this.natGatewayPublicIps = pulumi.all(network.natGatewayPublicIps);
        this.securityGroupIds = pulumi.output(network.securityGroupIds);
        this.flowLogGroupName = network.flowLogGroupName;
        this.flowLogKmsKeyArn = network.flowLogKmsKeyArn;
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidrBlock: this.vpcCidrBlock,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            databaseSubnetIds: this.databaseSubnetIds,
            natGatewayPublicIps: this.natGatewayPublicIps,
            securityGroupIds: this.securityGroupIds,
            flowLogGroupName: this.flowLogGroupName,
            flowLogKmsKeyArn: this.flowLogKmsKeyArn,
        });
    }
}
