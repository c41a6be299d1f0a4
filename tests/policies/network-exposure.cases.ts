/** Accepted and rejected resources for every policy of the network-exposure pack. */
import { res, type PolicyCases } from "./fixtures";

const eks = (vpcConfig: Record<string, unknown>) => res("aws:eks/cluster:Cluster", "eks", { name: "rag", vpcConfig: { subnetIds: ["a", "b"], ...vpcConfig } });
const eksComponent = (inputs: Record<string, unknown>) => res("eks:index:Cluster", "cluster", { name: "rag", ...inputs });
const rule = (fromPort: number, toPort: number, cidrIpv4: string, ipProtocol = "tcp") => res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `r-${fromPort}-${cidrIpv4}`, { securityGroupId: "sg-1", ipProtocol, fromPort, toPort, cidrIpv4 });

export const networkExposureCases: Record<string, PolicyCases> = {
    "eks-endpoint-not-open": {
        pass: [
            [eks({ endpointPrivateAccess: true, endpointPublicAccess: false })],
            [eks({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })],
            [eksComponent({ endpointPublicAccess: false })],
            [eksComponent({ endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.7/32"] })],
        ],
        fail: [
            [[eks({})], /publicAccessCidrs is empty, which AWS reads as 0.0.0.0\/0/],
            [[eks({ endpointPublicAccess: true, publicAccessCidrs: ["10.0.0.0/8", "0.0.0.0/0"] })], /public to 0.0.0.0\/0/],
            [[eksComponent({ publicAccessCidrs: [] })], /publicAccessCidrs is empty/],
        ],
    },
    "rds-not-public": {
        pass: [[res("aws:rds/instance:Instance", "db", { engine: "postgres", publiclyAccessible: false })], [res("aws:rds/instance:Instance", "db2", { engine: "postgres" })]],
        fail: [[[res("aws:rds/instance:Instance", "open", { engine: "postgres", publiclyAccessible: true })], /publiclyAccessible is true/]],
    },
    "no-sensitive-ports-from-world": {
        pass: [[rule(443, 443, "0.0.0.0/0")], [rule(5432, 5432, "10.0.0.0/16")], [res("aws:ec2/securityGroup:SecurityGroup", "lb", { ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }] })]],
        fail: [
            [[rule(22, 22, "0.0.0.0/0")], /opens SSH \(22\) to 0.0.0.0\/0/],
            [[rule(5000, 6500, "0.0.0.0/0")], /opens PostgreSQL \(5432\), Redis \(6379\) to 0.0.0.0\/0/],
            [[rule(2049, 2049, "0.0.0.0/0")], /opens NFS \(2049\) to 0.0.0.0\/0/],
            [[rule(27017, 27017, "0.0.0.0/0")], /opens MongoDB \(27017\) to 0.0.0.0\/0/],
            [[rule(0, 0, "0.0.0.0/0", "-1")], /opens SSH \(22\), NFS \(2049\), RDP \(3389\), PostgreSQL/],
            [[res("aws:ec2/securityGroup:SecurityGroup", "legacy", { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }] })], /opens RDP \(3389\)/],
            [[res("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" })], /opens SSH \(22\)/],
        ],
    },
    "cloudfront-waf": {
        pass: [[res("aws:cloudfront/distribution:Distribution", "cdn", { webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc" })]],
        fail: [[[res("aws:cloudfront/distribution:Distribution", "cdn", {})], /no webAclId/]],
    },
};
