import { describe, expect, it } from "vitest";
import { Network, type NetworkArgs } from "../components/network";
import { networkLayout, ofType } from "../offline/inspect";
import { named, only, registerUnderMocks, rejectionOf } from "./helpers";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const build = (args: Partial<NetworkArgs> = {}) =>
    registerUnderMocks(() => new Network("net", { clusterName: "rag-test", availabilityZones: AZS, ...args }));

describe("Network with its defaults", async () => {
    const record = await build();
    const layout = networkLayout(record);

    it("puts a public, private and database subnet in every AZ with the carved CIDRs", () => {
        expect(layout.vpcCidr).toBe("10.0.0.0/16");
        expect(layout.subnets.map((s) => `${s.tier} ${s.az} ${s.cidr}`)).toEqual([
            "public eu-west-1a 10.0.128.0/22", "public eu-west-1b 10.0.132.0/22", "public eu-west-1c 10.0.136.0/22",
            "private eu-west-1a 10.0.0.0/19", "private eu-west-1b 10.0.32.0/19", "private eu-west-1c 10.0.64.0/19",
            "database eu-west-1a 10.0.144.0/24", "database eu-west-1b 10.0.145.0/24", "database eu-west-1c 10.0.146.0/24",
        ]);
    });

    it("parents every child to the component", () => {
        const component = only(record, "rag:network:Network");
        const children = record.resources.filter((r) => r.custom);
        expect(children.length).toBeGreaterThan(40);
        for (const child of children) expect(child.parent, child.urn).toBe(component.urn);
    });

    it("tags subnets for the load balancer controller and Karpenter", () => {
        const tags = (tier: string) => ofType(record, "aws:ec2/subnet:Subnet").map((s) => s.inputs.tags as Record<string, string>).filter((t) => t.tier === tier);
        for (const t of tags("public")) expect(t).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/rag-test": "shared" });
        for (const t of tags("private")) expect(t).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "rag-test" });
        for (const t of tags("database")) expect(Object.keys(t).some((k) => k.startsWith("kubernetes.io"))).toBe(false);
    });

    it("gives each AZ its own NAT gateway and routes each private subnet through its own AZ's", () => {
        expect(layout.natGateways.map((n) => n.az)).toEqual(AZS);
        expect(layout.privateEgress).toEqual(AZS.map((az) => ({ az, natAz: az })));
    });

    it("leaves the database tier without any route out of the VPC, fenced by a VPC-only ACL", () => {
        expect(layout.internetRoutes).toEqual([{ tier: "public", target: "internet-gateway" }, { tier: "private", target: "nat-gateway" }]);
        const acl = only(record, "aws:ec2/networkAcl:NetworkAcl");
        expect(acl.inputs.subnetIds).toEqual(layout.subnets.filter((s) => s.tier === "database").map((s) => s.id));
        for (const rule of [...(acl.inputs.ingress as object[]), ...(acl.inputs.egress as object[])]) {
            expect(rule).toMatchObject({ action: "allow", cidrBlock: "10.0.0.0/16" });
        }
        expect(ofType(record, "aws:ec2/subnet:Subnet").every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    });

    it("chains the security groups load balancer -> nodes -> data, with nothing from the internet past the load balancer", () => {
        const sgId = (name: string) => named(record, "aws:ec2/securityGroup:SecurityGroup", name).id;
        const rules = ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
        const open = rules.filter((r) => r.cidrIpv4 === "0.0.0.0/0");
        expect(open.map((r) => [r.securityGroupId, r.fromPort])).toEqual([[sgId("net-lb"), 80], [sgId("net-lb"), 443]]);
        const intoData = rules.filter((r) => r.securityGroupId === sgId("net-data"));
        expect(intoData.map((r) => [r.referencedSecurityGroupId, r.fromPort, r.toPort])).toEqual([[sgId("net-nodes"), 5432, 5432], [sgId("net-nodes"), 6379, 6379]]);
        const intoNodesFromLb = rules.filter((r) => r.securityGroupId === sgId("net-nodes") && r.referencedSecurityGroupId === sgId("net-lb"));
        expect(intoNodesFromLb).toHaveLength(1);
        const egress = ofType(record, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs.securityGroupId);
        expect(egress).not.toContain(sgId("net-data"));
        expect(only(record, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs.ingress).toBeUndefined();
    });

    it("creates the S3 gateway endpoint on private and database route tables and ECR/STS interface endpoints in the private subnets", () => {
        expect(layout.endpoints).toEqual([
            { service: "s3", type: "Gateway" },
            { service: "ecr.api", type: "Interface" },
            { service: "ecr.dkr", type: "Interface" },
            { service: "sts", type: "Interface" },
        ]);
        const s3 = named(record, "aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3");
        expect(s3.inputs.serviceName).toBe("com.amazonaws.eu-west-1.s3");
        expect(s3.inputs.routeTableIds).toHaveLength(4);
        const ecr = named(record, "aws:ec2/vpcEndpoint:VpcEndpoint", "net-ecr-dkr");
        expect(ecr.inputs).toMatchObject({ privateDnsEnabled: true, subnetIds: layout.subnets.filter((s) => s.tier === "private").map((s) => s.id) });
    });

    it("logs all traffic to a KMS-encrypted log group with the default retention, key rotated", () => {
        expect(layout.flowLogs).toEqual([{ trafficType: "ALL", retentionInDays: 90, encrypted: true }]);
        const key = only(record, "aws:kms/key:Key");
        expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
        const policy = JSON.parse(String(key.inputs.policy));
        expect(policy.Statement[1].Principal.Service).toBe("logs.eu-west-1.amazonaws.com");
        // The flow-log service lists log groups before writing (AWS's documented role permissions).
        const rolePolicy = JSON.parse(String(named(record, "aws:iam/rolePolicy:RolePolicy", "net-flow-logs").inputs.policy));
        expect(rolePolicy.Statement.flatMap((st: { Action: string | string[] }) => st.Action)).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"]);
        expect(key.protect).toBe(false);
    });
});

describe("Network options", () => {
    it("single NAT: one gateway in the first AZ that every private subnet uses", async () => {
        const layout = networkLayout(await build({ natGateways: "single" }));
        expect(layout.natGateways.map((n) => n.az)).toEqual(["eu-west-1a"]);
        expect(layout.privateEgress.map((e) => e.natAz)).toEqual(["eu-west-1a", "eu-west-1a", "eu-west-1a"]);
    });

    it("protect: the flow-log key and log group are protected and retained on delete", async () => {
        const record = await build({ protect: true, flowLogRetentionDays: 365, kmsKeyDeletionWindowDays: 7 });
        for (const type of ["aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup"]) {
            expect(only(record, type)).toMatchObject({ protect: true, retainOnDelete: true });
        }
        expect(only(record, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
        expect(only(record, "aws:kms/key:Key").inputs.deletionWindowInDays).toBe(7);
    });

    it("explicit subnet CIDRs and endpoint lists are used as given", async () => {
        const record = await build({
            cidrBlock: "172.20.0.0/16",
            subnetCidrs: { database: ["172.20.250.0/28", "172.20.250.16/28", "172.20.250.32/28"] },
            interfaceEndpoints: ["logs"],
            gatewayEndpoints: ["s3", "dynamodb"],
        });
        const layout = networkLayout(record);
        expect(layout.subnets.filter((s) => s.tier === "database").map((s) => s.cidr)).toEqual(["172.20.250.0/28", "172.20.250.16/28", "172.20.250.32/28"]);
        expect(layout.subnets.find((s) => s.tier === "private")?.cidr).toBe("172.20.0.0/19");
        expect(layout.endpoints.map((e) => e.service)).toEqual(["dynamodb", "s3", "logs"]);
    });

    it.each([
        [{ availabilityZones: ["eu-west-1a"] }, 'Network: availabilityZones = ["eu-west-1a"] is not allowed; allowed: two or more distinct AZs'],
        [{ subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"] } }, 'Network: subnetCidrs.private = "10.0.0.0/19" is not allowed; allowed: subnets that share no address (overlaps the public subnet 10.0.0.0/24)'],
        [{ cidrBlock: "10.0.0.0/24" }, 'Network: subnetCidrs.public = "10.0.0.128/30" is not allowed; allowed: /16 to /27 inside the VPC 10.0.0.0/24 (a /30 public subnet is too small)'],
        [{ kmsKeyDeletionWindowDays: 3 }, "Network: kmsKeyDeletionWindowDays = 3 is not allowed; allowed: an integer from 7 to 30"],
    ])("rejects %o before registering anything", async (args, message) => {
        const rejection = await rejectionOf(() => new Network("net", { clusterName: "rag-test", availabilityZones: AZS, ...args }));
        expect(rejection.message).toContain(message);
        expect(rejection.registered).toEqual([]);
    });
});
