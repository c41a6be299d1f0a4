/** EKS node groups and load balancers: spread over the zones, sized so every zone keeps a node. */
import { configNumber, stackPolicy } from "../../lib/policy";
import { DEFAULT_MIN_AZS, minAzConfig, zonesOf } from "./zones";

export const nodeGroupMultiAz = stackPolicy(
    {
        name: "node-group-multi-az",
        description: "EKS node groups span at least three availability zones and keep at least one node per zone (min size >= AZ count).",
        severity: "high",
        remediationSteps: "Give the node group the private subnets of every AZ and set scalingConfig.minSize to at least the number of AZs.",
        configSchema: minAzConfig,
    },
    (stack, report, args) => {
        const min = configNumber(args, "minAvailabilityZones", DEFAULT_MIN_AZS);
        for (const group of stack.ofType("aws:eks/nodeGroup:NodeGroup", "eks:index:ManagedNodeGroup")) {
            const { zones, ids, known } = zonesOf(stack, group, "subnetIds");
            const spread = known ? zones.size : ids;
            if (spread < min) report(group, known ? `subnets span ${spread} AZ(s) (${[...zones].join(", ")}); at least ${min} required` : `${ids} subnet(s) given; at least ${min}, one per AZ, required`);
            const minSize = Number(group.props.scalingConfig?.minSize ?? 0);
            if (minSize < spread) report(group, `scalingConfig.minSize ${minSize} is below the ${spread} AZs it spans: a zone can be left without nodes`);
        }
    },
);

export const loadBalancerMultiAz = stackPolicy(
    {
        name: "load-balancer-multi-az",
        description: "Load balancers are placed in at least two availability zones.",
        severity: "high",
        remediationSteps: "Give the load balancer subnets (or subnetMappings) in two or more AZs; ALBs require it, NLBs silently accept one.",
    },
    (stack, report) => {
        for (const lb of stack.ofType("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")) {
            const viaSubnets = zonesOf(stack, lb, "subnets");
            const viaMappings = zonesOf(stack, lb, "subnetMappings");
            const picked = viaSubnets.ids ? viaSubnets : viaMappings;
            const spread = picked.known ? picked.zones.size : picked.ids;
            if (spread < 2) report(lb, `placed in ${spread} AZ(s)`);
        }
    },
);
