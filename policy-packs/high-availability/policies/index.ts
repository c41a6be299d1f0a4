/** The high-availability pack's policies: each importable alone without starting a server. */
import { loadBalancerMultiAz, nodeGroupMultiAz } from "./compute";
import { auroraMultiAz, documentDbMultiAz, elasticacheMultiAz, rdsMultiAz } from "./databases";
import { failoverHealthChecked } from "./dns";
import { natGatewayPerAz, vpcSubnetsMultiAz } from "./network";
import { disruptionBudgetAllowsEviction, workloadDisruptionBudget, workloadReplicas, workloadZoneSpread } from "./workloads";

export { auroraMultiAz, documentDbMultiAz, failoverHealthChecked, elasticacheMultiAz, loadBalancerMultiAz, natGatewayPerAz, nodeGroupMultiAz, rdsMultiAz, vpcSubnetsMultiAz, workloadDisruptionBudget, workloadReplicas, workloadZoneSpread, disruptionBudgetAllowsEviction };

/** What the pack serves: its name (as policy config files and the CLI show it) and its policies. */
export const highAvailabilityPack = {
    name: "rag-high-availability",
    policies: [
        rdsMultiAz,
        auroraMultiAz,
        documentDbMultiAz,
        elasticacheMultiAz,
        vpcSubnetsMultiAz,
        natGatewayPerAz,
        nodeGroupMultiAz,
        loadBalancerMultiAz,
        workloadReplicas,
        workloadDisruptionBudget,
        disruptionBudgetAllowsEviction,
        workloadZoneSpread,
        failoverHealthChecked,
    ],
};
