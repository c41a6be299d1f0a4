/**
 * The frame every hardening policy shares: it applies to each Kubernetes kind that carries a pod spec, skips
 * namespaces a stack's policy config exempts (kube-system by default, where EKS add-ons need host access),
 * and hands the check the pod spec with all of its containers.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, namespaceOf, podSpecOf, WORKLOAD_TYPES, type NamedContainer } from "../../lib/kubernetes";
import { configList, resourcePolicy, type PolicyDoc, type Props } from "../../lib/policy";

export const DEFAULT_EXCLUDED_NAMESPACES = ["kube-system"];

export type PodCheck = (pod: { spec: Props; containers: NamedContainer[]; metadata: Props }, report: (message: string) => void) => void;

export function workloadPolicy(doc: Omit<PolicyDoc, "configSchema">, check: PodCheck): ResourceValidationPolicy {
    return resourcePolicy(
        {
            ...doc,
            configSchema: {
                properties: {
                    excludedNamespaces: {
                        type: "array",
                        items: { type: "string" },
                        default: DEFAULT_EXCLUDED_NAMESPACES,
                        description: "Namespaces this policy does not check (system add-ons that need host access).",
                    },
                },
            },
        },
        WORKLOAD_TYPES,
        (props, report, args) => {
            if (configList(args, "excludedNamespaces", DEFAULT_EXCLUDED_NAMESPACES).includes(namespaceOf(props))) return;
            const spec = podSpecOf(args.type, props);
            if (!spec) return;
            const metadata = args.type === "kubernetes:core/v1:Pod" ? (props.metadata ?? {}) : templateMetadata(args.type, props);
            check({ spec, containers: containersOf(spec), metadata }, report);
        },
    );
}

function templateMetadata(type: string, props: Props): Props {
    const template = type === "kubernetes:batch/v1:CronJob" ? props.spec?.jobTemplate?.spec?.template : props.spec?.template;
    return template?.metadata ?? {};
}

/** A container's security context field, falling back to the pod's where Kubernetes does the same. */
export function effective(pod: Props, container: Props, field: string): unknown {
    return container.securityContext?.[field] ?? pod.securityContext?.[field];
}
