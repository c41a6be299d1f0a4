/**
 * Where the pod spec sits in each Kubernetes workload kind, and the helpers the hardening and availability
 * policies share. Type tokens are those of @pulumi/kubernetes (`kubernetes:<group>/<version>:<Kind>`).
 */
import type { PolicyResource } from "@pulumi/policy";
import type { Props } from "./policy";

/** Every kind that carries a pod template, and the path to its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    // The ReplicaSet's predecessor, still served by the API: its pods need the same hardening.
    "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    // Argo Rollouts replaces a Deployment for canary and blue-green delivery; same pod template.
    "kubernetes:argoproj.io/v1alpha1:Rollout": ["spec", "template", "spec"],
};
export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

/** Kinds that keep a number of long-running replicas: what availability rules apply to. */
export const REPLICATED_TYPES = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:ReplicaSet", "kubernetes:core/v1:ReplicationController", "kubernetes:argoproj.io/v1alpha1:Rollout"];

export const PDB_TYPE = "kubernetes:policy/v1:PodDisruptionBudget";
export const HPA_TYPES = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"];
export const KEDA_SCALED_OBJECT_TYPE = "kubernetes:keda.sh/v1alpha1:ScaledObject";

export function podSpecOf(type: string, props: Props): Props | undefined {
    const path = POD_SPEC_PATHS[type];
    if (!path) return undefined;
    let value: Props | undefined = props;
    for (const key of path) value = value?.[key];
    return value;
}

export function podTemplateLabels(props: Props): Record<string, string> {
    return props.spec?.template?.metadata?.labels ?? {};
}

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

export interface NamedContainer {
    kind: ContainerKind;
    name: string;
    container: Props;
}

/** Containers, init containers and ephemeral containers alike: the Pod Security Standards cover all three. */
export function containersOf(spec: Props): NamedContainer[] {
    const lists: [ContainerKind, Props[] | undefined][] = [
        ["container", spec.containers],
        ["initContainer", spec.initContainers],
        ["ephemeralContainer", spec.ephemeralContainers],
    ];
    return lists.flatMap(([kind, list]) => (list ?? []).map((container) => ({ kind, name: String(container.name ?? "?"), container })));
}

export function describeContainer(c: NamedContainer): string {
    return `${c.kind} "${c.name}"`;
}

export function namespaceOf(props: Props): string {
    return props.metadata?.namespace ?? "default";
}

/** The object's name; Pulumi auto-names Kubernetes objects from the resource name when metadata.name is unset. */
export function objectName(resource: PolicyResource): string {
    return resource.props.metadata?.name ?? resource.name;
}

/** Whether a label selector (matchLabels and matchExpressions) selects pods with these labels. */
export function selectorMatches(selector: Props | undefined, labels: Record<string, string>): boolean {
    if (!selector) return false;
    const matchLabels: Record<string, string> = selector.matchLabels ?? {};
    const expressions: Props[] = selector.matchExpressions ?? [];
    if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
    const labelsOk = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
    const expressionsOk = expressions.every((e) => {
        const values: string[] = e.values ?? [];
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
            case "In":
                return has && values.includes(labels[e.key]);
            case "NotIn":
                return !has || !values.includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
    return labelsOk && expressionsOk;
}

