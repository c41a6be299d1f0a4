/**
 * Kubernetes workloads survive a node drain and a zone outage: at least two replicas (counting what an HPA or a
 * KEDA ScaledObject keeps as its minimum), a PodDisruptionBudget that still lets nodes drain, zone spread.
 */
import type { PolicyResource } from "@pulumi/policy";
import { HPA_TYPES, KEDA_SCALED_OBJECT_TYPE, namespaceOf, objectName, PDB_TYPE, podTemplateLabels, REPLICATED_TYPES, selectorMatches } from "../../lib/kubernetes";
import { configList, configNumber, resourcePolicy, stackPolicy, type StackIndex } from "../../lib/policy";

const DEFAULT_MIN_REPLICAS = 2;
const DEFAULT_EXCLUDED_NAMESPACES = ["kube-system"];
const ZONE_KEY = "topology.kubernetes.io/zone";

const workloadConfig = {
    properties: {
        minReplicas: { type: "integer", minimum: 1, default: DEFAULT_MIN_REPLICAS, description: "Fewest replicas a workload may run." },
        excludedNamespaces: { type: "array", items: { type: "string" }, default: DEFAULT_EXCLUDED_NAMESPACES, description: "Namespaces not checked." },
    },
} as const;

/** The fewest replicas a workload runs: an autoscaler's floor when one targets it, else spec.replicas (default 1). */
export function minimumReplicas(stack: StackIndex, workload: PolicyResource): number {
    const name = objectName(workload);
    const kind = workload.type.split(":")[2];
    const targets = (scaler: PolicyResource, ref: { kind?: string; name?: string } | undefined) =>
        namespaceOf(scaler.props) === namespaceOf(workload.props) &&
        ((ref?.kind === kind && ref?.name === name) || (scaler.propertyDependencies.spec ?? []).some((d) => d.urn === workload.urn));
    const hpa = stack.ofType(...HPA_TYPES).find((h) => targets(h, h.props.spec?.scaleTargetRef));
    if (hpa) return Number(hpa.props.spec?.minReplicas ?? 1);
    const scaledObject = stack.ofType(KEDA_SCALED_OBJECT_TYPE).find((s) => targets(s, { kind: s.props.spec?.scaleTargetRef?.kind ?? "Deployment", name: s.props.spec?.scaleTargetRef?.name }));
    if (scaledObject) return Number(scaledObject.props.spec?.minReplicaCount ?? 0);
    return Number(workload.props.spec?.replicas ?? 1);
}

function checkedWorkloads(stack: StackIndex, args: { getConfig<T extends object>(): T }): PolicyResource[] {
    const excluded = configList(args, "excludedNamespaces", DEFAULT_EXCLUDED_NAMESPACES);
    return stack.ofType(...REPLICATED_TYPES).filter((w) => !excluded.includes(namespaceOf(w.props)));
}

export const workloadReplicas = stackPolicy(
    {
        name: "workload-replicas",
        description: "Deployments, StatefulSets and ReplicaSets run at least two replicas (an autoscaler's minimum counts).",
        severity: "high",
        remediationSteps: "Set spec.replicas >= 2, or the HorizontalPodAutoscaler's minReplicas / the ScaledObject's minReplicaCount >= 2.",
        configSchema: workloadConfig,
    },
    (stack, report, args) => {
        const min = configNumber(args, "minReplicas", DEFAULT_MIN_REPLICAS);
        for (const workload of checkedWorkloads(stack, args)) {
            const replicas = minimumReplicas(stack, workload);
            if (replicas < min) report(workload, `runs as few as ${replicas} replica(s); at least ${min} required`);
        }
    },
);

export const workloadDisruptionBudget = stackPolicy(
    {
        name: "workload-disruption-budget",
        description: "Every replicated workload has a matching PodDisruptionBudget that still allows at least one eviction.",
        severity: "medium",
        remediationSteps: "Add a policy/v1 PodDisruptionBudget in the workload's namespace selecting its pod labels, with minAvailable below the replica floor (e.g. 2 of 3) or maxUnavailable 1.",
        configSchema: workloadConfig,
    },
    (stack, report, args) => {
        for (const workload of checkedWorkloads(stack, args)) {
            const replicas = minimumReplicas(stack, workload);
            if (replicas < 2) continue; // a single replica cannot have a budget that both protects it and lets nodes drain
            const labels = podTemplateLabels(workload.props);
            const budgets = stack.ofType(PDB_TYPE).filter((p) => namespaceOf(p.props) === namespaceOf(workload.props) && selectorMatches(p.props.spec?.selector, labels));
            if (budgets.length === 0) {
                report(workload, "no PodDisruptionBudget selects its pods: a node drain may evict every replica at once");
                continue;
            }
            for (const budget of budgets) {
                const blocked = blocksEvictions(budget.props.spec ?? {}, replicas);
                if (blocked) report(workload, `PodDisruptionBudget "${objectName(budget)}" ${blocked}: node drains and upgrades would hang`);
            }
        }
    },
);

export const disruptionBudgetAllowsEviction = resourcePolicy(
    {
        name: "pdb-allows-eviction",
        description: "A PodDisruptionBudget allows at least one eviction, whatever the size of the workload it selects.",
        severity: "medium",
        remediationSteps: "Use maxUnavailable 1 (or a percentage above 0), or a minAvailable below the replica count; never maxUnavailable 0 or minAvailable 100%.",
    },
    [PDB_TYPE],
    (props, report) => {
        // Judged on its own, so other teams' budgets are checked even when their workload is not in this stack.
        const blocked = blocksEvictions(props.spec ?? {}, Number.MAX_SAFE_INTEGER);
        if (blocked) report(`${blocked.replace(/ of \d+ replicas$/, "")}: node drains and cluster upgrades would hang on every pod it selects`);
    },
);

/** Why a budget lets no pod be evicted when `replicas` are running, or undefined when it allows one. */
export function blocksEvictions(spec: { minAvailable?: number | string; maxUnavailable?: number | string }, replicas: number): string | undefined {
    const absolute = (value: number | string, roundUp: boolean) => {
        if (typeof value === "number") return value;
        const percent = Number.parseFloat(value) / 100;
        return roundUp ? Math.ceil(percent * replicas) : Math.floor(percent * replicas);
    };
    if (spec.maxUnavailable !== undefined) {
        return absolute(spec.maxUnavailable, true) < 1 ? `has maxUnavailable ${spec.maxUnavailable}` : undefined;
    }
    if (spec.minAvailable !== undefined && absolute(spec.minAvailable, true) >= replicas) return `requires minAvailable ${spec.minAvailable} of ${replicas} replicas`;
    return undefined;
}

export const workloadZoneSpread = stackPolicy(
    {
        name: "workload-zone-spread",
        description: "Replicated workloads spread their pods across availability zones.",
        severity: "medium",
        remediationSteps: `Add a topologySpreadConstraint with topologyKey ${ZONE_KEY} (maxSkew 1, whenUnsatisfiable ScheduleAnyway or DoNotSchedule) to the pod template, or a pod anti-affinity on that key.`,
        configSchema: workloadConfig,
    },
    (stack, report, args) => {
        for (const workload of checkedWorkloads(stack, args)) {
            if (minimumReplicas(stack, workload) < 2) continue;
            const spec = workload.props.spec?.template?.spec ?? {};
            const spread = (spec.topologySpreadConstraints ?? []).some((c: { topologyKey?: string }) => c.topologyKey === ZONE_KEY);
            const antiAffinity = spec.affinity?.podAntiAffinity ?? {};
            const terms = [
                ...(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
                ...(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: { podAffinityTerm?: unknown }) => p.podAffinityTerm),
            ];
            const antiZone = terms.some((t: { topologyKey?: string } | undefined) => t?.topologyKey === ZONE_KEY);
            if (!spread && !antiZone) report(workload, `no topology spread or anti-affinity on ${ZONE_KEY}: all replicas may land in one zone`);
        }
    },
);
