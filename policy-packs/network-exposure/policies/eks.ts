/** EKS: the Kubernetes API endpoint is private, or public only to the CIDRs that need it. */
import { resourcePolicy, WORLD_CIDRS, type Props } from "../../lib/policy";

export const eksEndpointNotOpen = resourcePolicy(
    {
        name: "eks-endpoint-not-open",
        description: "A public Kubernetes API endpoint admits only listed CIDRs, never the whole internet.",
        severity: "high",
        remediationSteps: "Set endpointPublicAccess false (reach the API from inside the VPC), or list your runners' and admins' egress CIDRs in publicAccessCidrs; an empty list means 0.0.0.0/0.",
    },
    ["aws:eks/cluster:Cluster", "eks:index:Cluster"],
    (props, report, args) => {
        // The raw resource nests its settings under vpcConfig; the eks component takes them at the top. Both default
        // to a public endpoint open to 0.0.0.0/0.
        const settings: Props = args.type === "aws:eks/cluster:Cluster" ? (props.vpcConfig ?? {}) : props;
        if (settings.endpointPublicAccess === false || settings.endpointPublicAccess === "false") return;
        const cidrs: string[] = settings.publicAccessCidrs ?? [];
        if (cidrs.length === 0) report("the API endpoint is public and publicAccessCidrs is empty, which AWS reads as 0.0.0.0/0");
        else if (cidrs.some((c) => WORLD_CIDRS.includes(c))) report(`the API endpoint is public to ${cidrs.filter((c) => WORLD_CIDRS.includes(c)).join(", ")}`);
    },
);
