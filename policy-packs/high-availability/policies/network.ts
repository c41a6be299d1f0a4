/** VPC layout: subnets over enough AZs, and no AZ whose egress depends on a NAT gateway in another AZ. */
import type { PolicyResource } from "@pulumi/policy";
import { configNumber, stackPolicy } from "../../lib/policy";
import { DEFAULT_MIN_AZS, minAzConfig, SUBNET, subnetAz } from "./zones";

export const vpcSubnetsMultiAz = stackPolicy(
    {
        name: "vpc-subnets-multi-az",
        description: "The subnets of each VPC span at least three availability zones.",
        severity: "high",
        remediationSteps: "Add subnets in further AZs (rag-platform: raise azCount or list availabilityZones in the stack config).",
        configSchema: minAzConfig,
    },
    (stack, report, args) => {
        const min = configNumber(args, "minAvailabilityZones", DEFAULT_MIN_AZS);
        for (const vpc of stack.ofType("aws:ec2/vpc:Vpc")) {
            const zones = new Set(stack.referencing(vpc, "vpcId", SUBNET).map(subnetAz).filter(Boolean));
            if (zones.size < min) report(vpc, `subnets span ${zones.size} AZ(s) (${[...zones].join(", ") || "none"}); at least ${min} required`);
        }
    },
);

const NAT = "aws:ec2/natGateway:NatGateway";

export const natGatewayPerAz = stackPolicy(
    {
        name: "nat-gateway-per-az",
        description: "Every subnet that egresses through a NAT gateway uses one in its own availability zone.",
        severity: "medium",
        remediationSteps: "Create one NAT gateway per AZ and give each AZ's private subnets a route table whose default route targets that AZ's gateway (rag-platform: natGateways onePerAz).",
    },
    (stack, report) => {
        const natZone = (nat: PolicyResource) => stack.referenced(nat, "subnetId", SUBNET).map(subnetAz)[0];
        for (const table of stack.ofType("aws:ec2/routeTable:RouteTable")) {
            const nats = [
                ...stack.referencing(table, "routeTableId", "aws:ec2/route:Route").flatMap((route) => stack.referenced(route, "natGatewayId", NAT)),
                ...stack.referenced(table, "routes", NAT),
            ];
            if (nats.length === 0) continue;
            const natZones = new Set(nats.map(natZone));
            for (const association of stack.referencing(table, "routeTableId", "aws:ec2/routeTableAssociation:RouteTableAssociation")) {
                for (const subnet of stack.referenced(association, "subnetId", SUBNET)) {
                    const zone = subnetAz(subnet);
                    if (zone && !natZones.has(zone)) {
                        report(subnet, `subnet in ${zone} egresses through a NAT gateway in ${[...natZones].join(", ")}: an outage there cuts ${zone} off`);
                    }
                }
            }
        }
    },
);
