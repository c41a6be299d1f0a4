import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsEnvironment, keyPolicy, logsEncryptStatement, type AwsEnvironment } from "./iam-documents";
import { SUBNET_TIERS, carveSubnets, checkSubnetLayout, type SubnetCidrs, type SubnetTier } from "../model/network-layout";
import { DATA_PORTS, DOCUMENTDB_PORT, NFS_PORT } from "../model/ports";
import { argsRejecter, checkKmsDeletionWindow, stripUndefined } from "./args";

export type NatGatewayStrategy = "single" | "onePerAz";

export interface NetworkArgs {
    /**
     * Name of the EKS cluster that will run in this VPC. Subnets are tagged with it so the AWS Load Balancer
     * Controller and Karpenter discover them. Required.
     */
    clusterName: string;
    /** Availability zones, in order; subnet i of every tier lands in zone i. Required, two or more. */
    availabilityZones: string[];
    /** IPv4 CIDR of the VPC. Default `10.0.0.0/16`. */
    cidrBlock?: string;
    /**
     * Subnet CIDRs per tier, one per AZ in the order of `availabilityZones`. Default: carved from `cidrBlock` by
     * `carveSubnets` (for a /16: private /19, public /22, database /24), each tier not given here.
     */
    subnetCidrs?: Partial<SubnetCidrs>;
    /** `onePerAz` keeps egress up through an AZ outage; `single` saves the per-gateway cost. Default `onePerAz`. */
    natGateways?: NatGatewayStrategy;
    /**
     * Services reached through interface endpoints (`com.amazonaws.<region>.<service>`) in the private subnets.
     * Default `["ecr.api", "ecr.dkr", "sts"]`: image pulls and IRSA token exchange, the bulk of node egress.
     */
    interfaceEndpoints?: string[];
    /** Services reached through gateway endpoints from the private and database subnets. Default `["s3"]`. */
    gatewayEndpoints?: ("s3" | "dynamodb")[];
    /** Days VPC flow logs are kept. Default 90. */
    flowLogRetentionDays?: number;
    /** Admit NFS from the nodes to the data security group, for a shared EFS file system there. Default false. */
    sharedFiles?: boolean;
    /** Admit MongoDB's port (27017) from the nodes to the data security group, for DocumentDB there. Default false. */
    documentDb?: boolean;
    /** Waiting period before the flow-log KMS key is destroyed once deleted. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /**
     * `protect` and retain-on-delete for the resources that hold data (the flow-log key and log group), so an `up`
     * or a stack removal cannot destroy them. Default false.
     */
    protect?: boolean;
    /** Tags added to every resource, next to its `Name` (the provider's default tags apply too). Default `{}`. */
    tags?: Record<string, string>;
}

/** Security groups of the three tiers, plus the one interface endpoints listen on. */
export interface NetworkSecurityGroups {
    /** Internet-facing load balancers: 80 and 443 from anywhere, out to the nodes only. */
    loadBalancer: pulumi.Output<string>;
    /** EKS nodes and pods: from the load balancers and each other. */
    nodes: pulumi.Output<string>;
    /** Databases and caches: PostgreSQL and Redis from the nodes only; no egress. */
    data: pulumi.Output<string>;
    /** Interface endpoints: HTTPS from inside the VPC. */
    endpoints: pulumi.Output<string>;
}

const DEFAULTS = {
    sharedFiles: false,
    documentDb: false,
    cidrBlock: "10.0.0.0/16",
    natGateways: "onePerAz" as NatGatewayStrategy,
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"],
    gatewayEndpoints: ["s3"] as ("s3" | "dynamodb")[],
    flowLogRetentionDays: 90,
    kmsKeyDeletionWindowDays: 30,
    protect: false,
    tags: {} as Record<string, string>,
};

/**
 * Pods run as non-root and so listen on unprivileged ports; load balancers reach them there (ALB target type ip).
 */
const APP_PORTS = { fromPort: 1024, toPort: 65535 };

/**
 * The VPC of one platform stack: public, private and isolated database subnets in every AZ, NAT gateways, VPC
 * endpoints, encrypted flow logs and the three-tier security groups (load balancer -> nodes -> data).
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidrBlock: pulumi.Output<string>;
    readonly availabilityZones: string[];
    /** Subnet ids per tier, in the order of `availabilityZones`. */
    readonly subnetIds: Record<SubnetTier, pulumi.Output<string>[]>;
    readonly natGatewayPublicIps: pulumi.Output<string>[];
    readonly securityGroupIds: NetworkSecurityGroups;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly flowLogKmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): bad args must not leave a half-registered component behind.
        const cfg = resolveArgs(args);
        super("rag:network:Network", name, {}, opts);
        const env = awsEnvironment(this);
        const step: Step = { name, cfg, azs: cfg.availabilityZones, tagged: (resourceName, extra = {}) => ({ ...cfg.tags, Name: resourceName, ...extra }) };

        const { vpc, igw, subnets } = this.vpcAndSubnets(step);
        const { natGateways, privateTables, databaseTable } = this.routing(step, vpc, igw, subnets);
        const groups = this.securityGroups(step, vpc);
        this.endpoints(step, env.region, vpc, subnets.private, [...privateTables, databaseTable], groups.endpoints);
        const flowLogs = this.flowLogs(name, vpc, env, cfg, step.tagged);

        this.vpcId = vpc.id;
        this.vpcCidrBlock = vpc.cidrBlock;
        this.availabilityZones = step.azs;
        this.subnetIds = Object.fromEntries(SUBNET_TIERS.map((tier) => [tier, subnets[tier].map((s) => s.id)])) as Record<SubnetTier, pulumi.Output<string>[]>;
        this.natGatewayPublicIps = natGateways.map((n) => n.eip.publicIp);
        this.securityGroupIds = { loadBalancer: groups.loadBalancer.id, nodes: groups.nodes.id, data: groups.data.id, endpoints: groups.endpoints.id };
        this.flowLogGroupName = flowLogs.logGroup.name;
        this.flowLogKmsKeyArn = flowLogs.key.arn;
        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            natGatewayPublicIps: this.natGatewayPublicIps,
            securityGroupIds: this.securityGroupIds,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    /** The VPC, its default security group stripped, the internet gateway, and a subnet per tier and AZ. */
    private vpcAndSubnets({ name, cfg, azs, tagged }: Step) {
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: cfg.cidrBlock,
            enableDnsSupport: true,
            enableDnsHostnames: true, // private DNS of interface endpoints and EKS need both
            tags: tagged(`${cfg.clusterName}-vpc`),
        }, { parent: this });

        // Adopt the VPC's default security group and strip its rules, so nothing attached to it by accident talks.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tagged(`${cfg.clusterName}-default-deny`) }, { parent: this });

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged(`${cfg.clusterName}-igw`) }, { parent: this });

        const clusterTag = { [`kubernetes.io/cluster/${cfg.clusterName}`]: "shared" };
        const tierTags: Record<SubnetTier, Record<string, string>> = {
            public: { ...clusterTag, "kubernetes.io/role/elb": "1" },
            private: { ...clusterTag, "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": cfg.clusterName },
            database: {},
        };
        return { vpc, igw, subnets: Object.fromEntries(
            SUBNET_TIERS.map((tier) => [
                tier,
                azs.map((az, i) => new aws.ec2.Subnet(`${name}-${tier}-${az}`, {
                    vpcId: vpc.id,
                    availabilityZone: az,
                    cidrBlock: cfg.subnetCidrs[tier][i],
                    // Nothing is launched with a public address: load balancers and NAT gateways get their own.
                    mapPublicIpOnLaunch: false,
                    tags: tagged(`${cfg.clusterName}-${tier}-${az}`, { tier, ...tierTags[tier] }),
                }, { parent: this })),
            ]),
        ) as Record<SubnetTier, aws.ec2.Subnet[]> };
    }

    /** Public routes through the internet gateway, private ones through NAT, none out of the database tier. */
    private routing({ name, cfg, azs, tagged }: Step, vpc: aws.ec2.Vpc, igw: aws.ec2.InternetGateway, subnets: Record<SubnetTier, aws.ec2.Subnet[]>) {
        const associate = (table: aws.ec2.RouteTable, tier: SubnetTier, index: number) =>
            new aws.ec2.RouteTableAssociation(`${name}-${tier}-${azs[index]}`, { routeTableId: table.id, subnetId: subnets[tier][index].id }, { parent: this });

        const publicTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: tagged(`${cfg.clusterName}-public`) }, { parent: this });
        new aws.ec2.Route(`${name}-public-internet`, { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { parent: this });
        azs.forEach((_, i) => associate(publicTable, "public", i));

        const natAzs = cfg.natGateways === "onePerAz" ? azs : azs.slice(0, 1);
        const natGateways = natAzs.map((az, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${az}`, { domain: "vpc", tags: tagged(`${cfg.clusterName}-nat-${az}`) }, { parent: this });
            return {
                eip,
                gateway: new aws.ec2.NatGateway(`${name}-nat-${az}`, {
                    allocationId: eip.allocationId,
                    subnetId: subnets.public[i].id,
                    connectivityType: "public",
                    tags: tagged(`${cfg.clusterName}-nat-${az}`),
                }, { parent: this, dependsOn: [igw] }),
            };
        });

        // One private route table per AZ whatever the NAT layout, so moving from one NAT to one per AZ only
        // changes routes, never subnet associations.
        const privateTables = azs.map((az, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${az}`, { vpcId: vpc.id, tags: tagged(`${cfg.clusterName}-private-${az}`) }, { parent: this });
            new aws.ec2.Route(`${name}-private-${az}-nat`, {
                routeTableId: table.id,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].gateway.id,
            }, { parent: this });
            associate(table, "private", i);
            return table;
        });

        // The database tier has no route out of the VPC: only the local route (and gateway endpoints) exist there.
        const databaseTable = new aws.ec2.RouteTable(`${name}-database`, { vpcId: vpc.id, tags: tagged(`${cfg.clusterName}-database`) }, { parent: this });
        azs.forEach((_, i) => associate(databaseTable, "database", i));
        // A second fence around the isolated tier: its network ACL admits nothing from outside the VPC.
        new aws.ec2.NetworkAcl(`${name}-database`, {
            vpcId: vpc.id,
            subnetIds: subnets.database.map((s) => s.id),
            ingress: [{ ruleNo: 100, protocol: "-1", action: "allow", cidrBlock: cfg.cidrBlock, fromPort: 0, toPort: 0 }],
            egress: [{ ruleNo: 100, protocol: "-1", action: "allow", cidrBlock: cfg.cidrBlock, fromPort: 0, toPort: 0 }],
            tags: tagged(`${cfg.clusterName}-database`),
        }, { parent: this });
        return { natGateways, privateTables, databaseTable };
    }

    /** One security group per role (load balancers, nodes, data, endpoints) and the rules between them. */
    private securityGroups({ name, cfg, tagged }: Step, vpc: aws.ec2.Vpc) {
        const securityGroup = (tier: string, description: string) =>
            new aws.ec2.SecurityGroup(`${name}-${tier}`, { vpcId: vpc.id, description, tags: tagged(`${cfg.clusterName}-${tier}`, { tier }) }, { parent: this });
        const lbSg = securityGroup("lb", "Internet-facing load balancers of the RAG platform");
        const nodesSg = securityGroup("nodes", "EKS nodes and pods of the RAG platform");
        const dataSg = securityGroup("data", "Databases and caches of the RAG platform; reachable from nodes only");
        const endpointsSg = securityGroup("endpoints", "Interface VPC endpoints; HTTPS from inside the VPC");

        const ingress = (ruleName: string, ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs) =>
            new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName}`, ruleArgs, { parent: this });
        const egress = (ruleName: string, ruleArgs: aws.vpc.SecurityGroupEgressRuleArgs) =>
            new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName}`, ruleArgs, { parent: this });

        for (const port of [80, 443]) {
            ingress(`lb-in-${port}`, { securityGroupId: lbSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", description: port === 80 ? "HTTP, redirected to HTTPS" : "HTTPS" });
        }
        egress("lb-out-nodes", { securityGroupId: lbSg.id, ipProtocol: "tcp", ...APP_PORTS, referencedSecurityGroupId: nodesSg.id, description: "to pods on unprivileged ports" });
        ingress("nodes-in-lb", { securityGroupId: nodesSg.id, ipProtocol: "tcp", ...APP_PORTS, referencedSecurityGroupId: lbSg.id, description: "from the load balancers" });
        ingress("nodes-in-self", { securityGroupId: nodesSg.id, ipProtocol: "-1", referencedSecurityGroupId: nodesSg.id, description: "node to node and pod to pod" });
        egress("nodes-out-all", { securityGroupId: nodesSg.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "AWS APIs, registries and the data tier" });
        for (const [service, port] of Object.entries(DATA_PORTS)) {
            ingress(`data-in-${service}`, { securityGroupId: dataSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: nodesSg.id, description: `${service} from the nodes` });
        }
        if (cfg.documentDb) {
            ingress("data-in-mongodb", { securityGroupId: dataSg.id, ipProtocol: "tcp", fromPort: DOCUMENTDB_PORT, toPort: DOCUMENTDB_PORT, referencedSecurityGroupId: nodesSg.id, description: "DocumentDB from the nodes" });
        }
        if (cfg.sharedFiles) {
            ingress("data-in-nfs", { securityGroupId: dataSg.id, ipProtocol: "tcp", fromPort: NFS_PORT, toPort: NFS_PORT, referencedSecurityGroupId: nodesSg.id, description: "NFS (EFS) from the nodes" });
        }
        ingress("endpoints-in-https", { securityGroupId: endpointsSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cfg.cidrBlock, description: "HTTPS from the VPC" });
        return { loadBalancer: lbSg, nodes: nodesSg, data: dataSg, endpoints: endpointsSg };
    }

    /** Gateway endpoints on every private and database route table; interface endpoints in the private subnets. */
    private endpoints({ name, cfg, tagged }: Step, region: pulumi.Input<string>, vpc: aws.ec2.Vpc, privateSubnets: aws.ec2.Subnet[], routeTables: aws.ec2.RouteTable[], endpointsSg: aws.ec2.SecurityGroup): void {
        for (const service of cfg.gatewayEndpoints) {
            new aws.ec2.VpcEndpoint(`${name}-${service}`, {
                vpcId: vpc.id,
                vpcEndpointType: "Gateway",
                serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                routeTableIds: routeTables.map((t) => t.id),
                tags: tagged(`${cfg.clusterName}-${service}`),
            }, { parent: this });
        }
        for (const service of cfg.interfaceEndpoints) {
            new aws.ec2.VpcEndpoint(`${name}-${service.replace(/\./g, "-")}`, {
                vpcId: vpc.id,
                vpcEndpointType: "Interface",
                serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                privateDnsEnabled: true,
                subnetIds: privateSubnets.map((s) => s.id),
                securityGroupIds: [endpointsSg.id],
                tags: tagged(`${cfg.clusterName}-${service}`),
            }, { parent: this });
        }
    }

    /** All VPC traffic, to a CloudWatch log group encrypted with a key of its own. */
    private flowLogs(
        name: string,
        vpc: aws.ec2.Vpc,
        env: AwsEnvironment,
        cfg: ResolvedNetworkArgs,
        tagged: (resourceName: string) => Record<string, string>,
    ) {
        const { accountId } = env;
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };
        const key = new aws.kms.Key(`${name}-flow-logs`, {
            description: `Encrypts the VPC flow logs of ${cfg.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
            policy: keyPolicy(env, logsEncryptStatement(env, "*")),
            tags: tagged(`${cfg.clusterName}-flow-logs`),
        }, stateful);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            retentionInDays: cfg.flowLogRetentionDays,
            kmsKeyId: key.arn,
            tags: tagged(`${cfg.clusterName}-flow-logs`),
        }, stateful);

        const role = new aws.iam.Role(`${name}-flow-logs`, {
            description: `Lets VPC Flow Logs write to the flow-log group of ${cfg.clusterName}`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": accountId } }, // confused-deputy guard
                }],
            }),
            tags: tagged(`${cfg.clusterName}-flow-logs`),
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                    },
                    // The delivery service lists log groups before it writes; the action takes no single-group ARN.
                    { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: pulumi.interpolate`arn:${env.partition}:logs:${env.region}:${env.accountId}:log-group:*` },
                ],
            }),
        }, { parent: this });

        new aws.ec2.FlowLog(`${name}-vpc`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: tagged(`${cfg.clusterName}-flow-logs`),
        }, { parent: this });
        return { key, logGroup };
    }
}

type ResolvedNetworkArgs = Required<Omit<NetworkArgs, "subnetCidrs">> & { subnetCidrs: SubnetCidrs };

/** What each step of building the network reads. */
interface Step {
    name: string;
    cfg: ResolvedNetworkArgs;
    azs: string[];
    tagged: (resourceName: string, extra?: Record<string, string>) => Record<string, string>;
}

/** Applies the defaults and rejects args the VPC cannot be built from, naming the field, value and what is allowed. */
function resolveArgs(args: NetworkArgs): ResolvedNetworkArgs {
    const resolved = { ...DEFAULTS, ...stripUndefined(args) };
    const fail = argsRejecter("Network");
    const azs = resolved.availabilityZones;
    if (azs.length < 2 || new Set(azs).size !== azs.length) fail("availabilityZones", azs, "two or more distinct AZs");
    const given = stripUndefined(args.subnetCidrs ?? {});
    let carved: Partial<SubnetCidrs> = {};
    if (SUBNET_TIERS.some((tier) => given[tier] === undefined)) {
        try {
            carved = carveSubnets(resolved.cidrBlock, azs.length);
        } catch (error) {
            fail("cidrBlock", resolved.cidrBlock, `a VPC the default layout can carve, or subnetCidrs for every tier (${(error as Error).message})`);
        }
    }
    const subnetCidrs = { ...carved, ...given } as SubnetCidrs;
    const problem = checkSubnetLayout(resolved.cidrBlock, subnetCidrs, azs.length)[0];
    if (problem) fail(problem.tier ? `subnetCidrs.${problem.tier}` : "cidrBlock", problem.value, `${problem.allowed} (${problem.message})`);
    if (!["single", "onePerAz"].includes(resolved.natGateways)) fail("natGateways", resolved.natGateways, '"single" or "onePerAz"');
    if (resolved.flowLogRetentionDays < 1) fail("flowLogRetentionDays", resolved.flowLogRetentionDays, "1 or more days");
    checkKmsDeletionWindow(fail, resolved.kmsKeyDeletionWindowDays);
    return { ...resolved, subnetCidrs };
}
