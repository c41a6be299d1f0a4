/**
 * What the observability charts run, at the sizes the platform gives them: the one home of their requests and
 * limits. components/observability.ts sets them in the charts' values; the capacity check (model/capacity.ts)
 * counts them on the observability group, so a stack whose observability nodes cannot hold them fails before apply.
 *
 * Pods a chart runs without a size of ours are sized here too where the chart's default would be large or land
 * elsewhere: Loki's memcached caches request round(allocatedMemory x 1.2) MiB and 500m each unless given resources
 * (grafana/loki helm-loki-6.24.0, production/helm/loki/templates/memcached/_memcached-statefulset.tpl), and their
 * default allocatedMemory (chunks 8192 MB, results 1024 MB) asked for about 9.8 GiB on whatever node took them.
 */

import { parseCpu, parseMemoryMiB } from "./services";

/** Requests and limits of one container, as Kubernetes quantities. */
export interface ContainerSize {
    cpu: string;
    memory: string;
    cpuLimit: string;
    memoryLimit: string;
}

export const OBSERVABILITY_SIZES = {
    prometheus: { cpu: "500m", memory: "2Gi", cpuLimit: "2", memoryLimit: "6Gi" },
    alertmanager: { cpu: "100m", memory: "256Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
    grafana: { cpu: "100m", memory: "256Mi", cpuLimit: "1", memoryLimit: "1Gi" },
    prometheusOperator: { cpu: "100m", memory: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
    kubeStateMetrics: { cpu: "50m", memory: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
    loki: { cpu: "500m", memory: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    lokiGateway: { cpu: "50m", memory: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
    memcachedExporter: { cpu: "10m", memory: "32Mi", cpuLimit: "100m", memoryLimit: "64Mi" },
    tempo: { cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    openTelemetryCollector: { cpu: "200m", memory: "256Mi", cpuLimit: "1", memoryLimit: "1Gi" },
    /** On every node (kube-system), within the DaemonSets' share of each node (model/capacity.ts). */
    fluentBit: { cpu: "50m", memory: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
} as const satisfies Record<string, ContainerSize>;

/**
 * Loki's caches in MB of memcached item memory: enough for the recent chunks and query results of a platform
 * of this size, where the chart's defaults were sized for a large multi-tenant Loki.
 */
export function lokiCacheMegabytes(highlyAvailable: boolean): { chunks: number; results: number } {
    return highlyAvailable ? { chunks: 2048, results: 512 } : { chunks: 512, results: 128 };
}

/** A memcached cache's container, sized as the chart would size it from allocatedMemory, given to it explicitly. */
export function memcachedSize(allocatedMegabytes: number): ContainerSize {
    const memory = `${Math.round(allocatedMegabytes * 1.2)}Mi`;
    return { cpu: "500m", memory, cpuLimit: "1", memoryLimit: memory };
}

/** Replicas of the observability stack's HA components: one where the observability group has one node (dev). */
export const observabilityReplicas = (environment: string) => (environment === "dev" ? 1 : 2);

/** Loki replicas: a write needs a quorum of the replication factor, so 1 without HA, else 3 with factor 3. */
export const lokiReplicas = (replicas: number) => (replicas > 1 ? 3 : 1);

export interface PlatformPod {
    name: string;
    replicas: number;
    cpuMillis: number;
    memoryMiB: number;
}

/** Every pod the observability charts run on the observability group, for `replicas` (1 in dev, else 2). */
export function observabilityPods(replicas: number): PlatformPod[] {
    const caches = lokiCacheMegabytes(replicas > 1);
    const pods: [string, number, ContainerSize[]][] = [
        ["prometheus", replicas, [OBSERVABILITY_SIZES.prometheus]],
        ["alertmanager", replicas, [OBSERVABILITY_SIZES.alertmanager]],
        ["grafana", 1, [OBSERVABILITY_SIZES.grafana]],
        ["prometheus-operator", 1, [OBSERVABILITY_SIZES.prometheusOperator]],
        ["kube-state-metrics", 1, [OBSERVABILITY_SIZES.kubeStateMetrics]],
        ["loki", lokiReplicas(replicas), [OBSERVABILITY_SIZES.loki]],
        ["loki-gateway", replicas, [OBSERVABILITY_SIZES.lokiGateway]],
        ["loki-chunks-cache", 1, [memcachedSize(caches.chunks), OBSERVABILITY_SIZES.memcachedExporter]],
        ["loki-results-cache", 1, [memcachedSize(caches.results), OBSERVABILITY_SIZES.memcachedExporter]],
        ["tempo", 1, [OBSERVABILITY_SIZES.tempo]],
        ["opentelemetry-collector", replicas, [OBSERVABILITY_SIZES.openTelemetryCollector]],
    ];
    return pods.map(([name, count, containers]) => ({
        name,
        replicas: count,
        cpuMillis: containers.reduce((sum, c) => sum + parseCpu(c.cpu), 0),
        memoryMiB: containers.reduce((sum, c) => sum + parseMemoryMiB(c.memory), 0),
    }));
}


/** A size as a container's `resources`. */
export const containerResources = (size: ContainerSize) => ({ requests: { cpu: size.cpu, memory: size.memory }, limits: { cpu: size.cpuLimit, memory: size.memoryLimit } });
