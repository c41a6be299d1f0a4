/**
 * Add-on settings a cluster needs for what the program asks of it, which nothing else refuses: each was once
 * missing here and an applied platform misbehaved while every check was green.
 * - NetworkPolicies are enforced only when the vpc-cni add-on has `enableNetworkPolicy: "true"`.
 * - A chart whose leader election is opt-in must not run several controllers without it.
 * - On EKS, kube-prometheus-stack must not monitor what EKS hides (its alerts would fire forever).
 * - The cluster autoscaler must be the chart made for the cluster's Kubernetes minor, with that chart's image.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CLUSTER_AUTOSCALER_CHARTS } from "../../model/aws-catalog";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";

/** Charts whose controllers elect a leader only when asked, with the values that say how many run and whether they elect. */
export const OPT_IN_LEADER_ELECTION: Readonly<Record<string, { replicas: string; leaderElection: string }>> = {
    "external-secrets": { replicas: "replicaCount", leaderElection: "leaderElect" },
    reloader: { replicas: "reloader.deployment.replicas", leaderElection: "reloader.enableHA" },
};

const RELEASE = "kubernetes:helm.sh/v3:Release";
const at = (values: unknown, path: string) => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values);

export interface AddonCheckResult {
    rules: number;
    findings: FidelityFinding[];
}

export function checkAddonSettings(resources: RecordedResource[]): AddonCheckResult {
    const findings: FidelityFinding[] = [];
    const where = (r: RecordedResource) => `${r.type} "${r.name}"`;
    const releases = resources.filter((r) => r.type === RELEASE);
    const cluster = resources.find((r) => r.type === "eks:index:Cluster");
    let rules = 0;

    const policies = resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const cni = resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni");
    if (policies.length > 0 && cni) {
        rules++;
        const configuration = typeof cni.inputs.configurationValues === "string" ? (JSON.parse(cni.inputs.configurationValues) as Record<string, unknown>) : {};
        if (configuration.enableNetworkPolicy !== "true") {
            findings.push({ check: "addons", resource: where(cni), message: `${policies.length} NetworkPolicies are registered but the vpc-cni add-on does not enforce them: set configurationValues enableNetworkPolicy "true"` });
        }
    }

    for (const release of releases) {
        const chart = String(release.inputs.chart);
        const values = release.inputs.values;
        const election = OPT_IN_LEADER_ELECTION[chart];
        if (election) {
            rules++;
            const replicas = Number(at(values, election.replicas) ?? 1);
            if (replicas > 1 && at(values, election.leaderElection) !== true) {
                findings.push({ check: "addons", resource: where(release), message: `${replicas} ${chart} controllers without leader election: set ${election.leaderElection}: true` });
            }
        }
        if (chart === "kube-prometheus-stack" && cluster) {
            rules++;
            for (const gate of eksHiddenGates()) {
                if (at(values, gate) !== false) findings.push({ check: "addons", resource: where(release), message: `${gate} is on, but EKS does not let Prometheus scrape it: its alerts would fire forever; set it false` });
            }
        }
        if (chart === "cluster-autoscaler" && cluster) {
            rules++;
            const minor = String(cluster.inputs.version);
            const expected = CLUSTER_AUTOSCALER_CHARTS[minor];
            if (!expected || release.inputs.version !== expected.version) {
                findings.push({ check: "addons", resource: where(release), message: `chart ${String(release.inputs.version)} is not the one made for Kubernetes ${minor}${expected ? ` (${expected.version}, app ${expected.appVersion})` : ""}` });
            }
            if (at(values, "image.tag") !== undefined) {
                findings.push({ check: "addons", resource: where(release), message: `image.tag overrides the image the chart's RBAC was written for: leave it to the chart` });
            }
        }
    }
    return { rules, findings };
}

let gates: string[] | undefined;
/** The kube-prometheus-stack switches of components EKS hides, from the chart facts in offline/data. */
function eksHiddenGates(): string[] {
    gates ??= Object.keys((parse(readFileSync(join(__dirname, "..", "data", "kube-prometheus-stack-81.6.9.target-alerts.yaml"), "utf8")) as { eksTargets: Record<string, string> }).eksTargets);
    return gates;
}
