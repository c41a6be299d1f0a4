/**
 * The capacity check: at every service's maximum scale, do the pods' requests (a service the VPA resizes in place
 * counted at its limits, the most the VPA may set) fit what the node groups can allocate at their maximum size, and
 * do the request-rate-scaled services reach the stack's target throughput?
 * Pure arithmetic over the config, so it runs before anything is registered (config validation) and the offline
 * plan prints it.
 *
 * Allocatable per node follows the EKS AMI's reservations (kube-reserved CPU on a sliding scale, 255 MiB +
 * 11 MiB per pod of memory, 100 MiB eviction threshold) with max pods as managed node groups set them, minus the
 * DaemonSets every node runs; the application group also carries the cluster add-ons' controllers. Pods are
 * counted too: every replica at max scale needs a pod slot. The overheads are estimates of this platform's charts
 * (see the constants), not measurements.
 */
import { splitInstanceClass } from "./aws-catalog";
import shapes from "./data/ec2-shapes.json";
import type { PlatformPod } from "./observability-footprint";
import { podRequestCeiling, type ServiceNodeGroup, type ServiceSpec } from "./services";

/**
 * Per node: aws-node, kube-proxy, ebs-csi-node, Fluent Bit, node-exporter: their requests and their pods; and a pod
 * slot for Loki's canary (no requests; on the nodes without a dedicated taint).
 */
export const DAEMONSET_OVERHEAD = { cpuMillis: 350, memoryMiB: 640, pods: 6 };
/**
 * On the application group: CoreDNS (2), load balancer controller (2), External Secrets (2 + webhook 2 + cert
 * controller 1), cert-manager (2 + webhook 2 + cainjector 1), metrics-server (2), cluster autoscaler (1), KEDA
 * (2 + metrics server 2 + admission 1), Argo Rollouts (2), Reloader (2), EBS CSI controller (2).
 */
export const ADDON_OVERHEAD = { cpuMillis: 2000, memoryMiB: 4096, pods: 31 };

/**
 * vCPUs by instance size and memory per vCPU by family letter (m 4 GiB, r 8, c 2), as AWS names its m, r and c
 * types; burstable types by size alone. tests/instance-data.test.ts holds both to DescribeInstanceTypes (model/data).
 */
const SIZE_VCPUS: Record<string, number> = { medium: 1, large: 2, xlarge: 4 };
const MEMORY_PER_VCPU_GIB: Record<string, number> = { m: 4, r: 8, c: 2 };
const BURSTABLE: Record<string, { vcpus: number; memoryGiB: number }> = {
    nano: { vcpus: 2, memoryGiB: 0.5 }, micro: { vcpus: 2, memoryGiB: 1 }, small: { vcpus: 2, memoryGiB: 2 }, medium: { vcpus: 2, memoryGiB: 4 },
    large: { vcpus: 2, memoryGiB: 8 }, xlarge: { vcpus: 4, memoryGiB: 16 }, "2xlarge": { vcpus: 8, memoryGiB: 32 },
};
/** Network limits per node type (network interfaces on the default card, IPv4 addresses each), from the EC2 API. */
const NETWORK = (shapes as { types: Record<string, { enis: number; ipv4PerEni: number; nitro: boolean }> }).types;

/**
 * The platform turns on the VPC CNI's prefix delegation (Cluster's vpc-cni configuration follows this). Max pods is
 * then what the interfaces' /28 prefixes allow (interfaces x (addresses - 1) x 16 + 2 on Nitro types), capped at
 * 110 up to 30 vCPUs and 250 above, as the EKS AMI's max-pods-calculator.sh computes it (awslabs/amazon-eks-ami,
 * templates/al2/runtime/max-pods-calculator.sh); without prefixes, interfaces x (addresses - 1) + 2.
 */
export const PREFIX_DELEGATION = true;
function maxPodsFor(instanceType: string, vcpus: number): number | undefined {
    const net = NETWORK[instanceType];
    if (!net) return undefined;
    const perInterface = PREFIX_DELEGATION && net.nitro ? (net.ipv4PerEni - 1) * 16 : net.ipv4PerEni - 1;
    return Math.min(net.enis * perInterface + 2, vcpus > 30 ? 250 : 110);
}

export interface NodeShape {
    instanceType: string;
    vcpus: number;
    memoryMiB: number;
    maxPods: number;
    allocatable: { cpuMillis: number; memoryMiB: number };
}

export function nodeShape(instanceType: string): NodeShape | undefined {
    const parts = splitInstanceClass(instanceType, "");
    if (!parts) return undefined;
    const burstable = parts.family.startsWith("t") ? BURSTABLE[parts.size] : undefined;
    const vcpus = burstable?.vcpus ?? SIZE_VCPUS[parts.size] ?? (/^(\d+)xlarge$/.test(parts.size) ? Number(parts.size.replace("xlarge", "")) * 4 : undefined);
    const memoryGiB = burstable?.memoryGiB ?? (vcpus && MEMORY_PER_VCPU_GIB[parts.family[0]] ? vcpus * MEMORY_PER_VCPU_GIB[parts.family[0]] : undefined);
    const maxPods = vcpus ? maxPodsFor(instanceType, vcpus) : undefined;
    if (!vcpus || !memoryGiB || !maxPods) return undefined;
    const memoryMiB = memoryGiB * 1024;
    // kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest.
    const reservedCpu = 60 + (vcpus > 1 ? 10 : 0) + Math.min(Math.max(vcpus - 2, 0), 2) * 5 + Math.max(vcpus - 4, 0) * 2.5;
    const reservedMemory = 255 + 11 * maxPods + 100;
    return { instanceType, vcpus, memoryMiB, maxPods, allocatable: { cpuMillis: vcpus * 1000 - reservedCpu, memoryMiB: memoryMiB - reservedMemory } };
}

export interface NodeGroupCapacity {
    name: string;
    instanceTypes: string[];
    maxSize: number;
}

export interface GroupReport {
    group: string;
    /** The smallest instance type of the group: what the autoscaler may be left with. */
    node?: NodeShape;
    capacity: { cpuMillis: number; memoryMiB: number; pods: number };
    required: { cpuMillis: number; memoryMiB: number; pods: number };
    /** Share of capacity left at maximum scale (negative: does not fit). */
    headroom: { cpu: number; memory: number };
    services: string[];
    fits: boolean;
}

export interface ThroughputReport {
    target: number;
    capacity: number;
    headroom: number;
    byService: { name: string; maxReplicas: number; perPod: number }[];
    holds: boolean;
}

export interface CapacityReport {
    groups: GroupReport[];
    throughput: ThroughputReport;
    ok: boolean;
}

const share = (capacity: number, required: number) => (capacity > 0 ? (capacity - required) / capacity : required > 0 ? -1 : 0);

/**
 * `platformPods`: pods the platform's own charts run on a group (the observability group's), counted with the
 * services placed there.
 */
export function capacityReport(services: ServiceSpec[], nodeGroups: NodeGroupCapacity[], targetThroughputRps: number, platformPods: Record<string, PlatformPod[]> = {}): CapacityReport {
    const groupNames = new Set<string>([...nodeGroups.map((g) => g.name), ...services.map((s) => s.nodeGroup), ...Object.keys(platformPods)]);
    const groups = [...groupNames].map((name): GroupReport => {
        const group = nodeGroups.find((g) => g.name === name);
        const shapes = (group?.instanceTypes ?? []).map(nodeShape).filter((s) => s !== undefined);
        const node = shapes.sort((a, b) => a.allocatable.cpuMillis - b.allocatable.cpuMillis || a.allocatable.memoryMiB - b.allocatable.memoryMiB)[0];
        const nodes = group?.maxSize ?? 0;
        const addons = name === ("application" satisfies ServiceNodeGroup) ? ADDON_OVERHEAD : { cpuMillis: 0, memoryMiB: 0, pods: 0 };
        const capacity = node
            ? {
                  cpuMillis: Math.max(nodes * (node.allocatable.cpuMillis - DAEMONSET_OVERHEAD.cpuMillis) - addons.cpuMillis, 0),
                  memoryMiB: Math.max(nodes * (node.allocatable.memoryMiB - DAEMONSET_OVERHEAD.memoryMiB) - addons.memoryMiB, 0),
                  pods: Math.max(nodes * (node.maxPods - DAEMONSET_OVERHEAD.pods) - addons.pods, 0),
              }
            : { cpuMillis: 0, memoryMiB: 0, pods: 0 };
        const placed = services.filter((s) => s.nodeGroup === name);
        const own = platformPods[name] ?? [];
        // A service the VPA resizes in place counts at the ceiling its VPA may raise it to.
        const pods = [
            ...placed.map((s) => ({ pod: podRequestCeiling(s), replicas: s.replicas.max })),
            ...own.map((p) => ({ pod: { cpuMillis: p.cpuMillis, memoryMiB: p.memoryMiB }, replicas: p.replicas })),
        ];
        const required = {
            cpuMillis: pods.reduce((sum, { pod, replicas }) => sum + pod.cpuMillis * replicas, 0),
            memoryMiB: pods.reduce((sum, { pod, replicas }) => sum + pod.memoryMiB * replicas, 0),
            pods: pods.reduce((sum, { replicas }) => sum + replicas, 0),
        };
        // A pod bigger than one node never schedules, however many nodes there are.
        const podFits = pods.every(({ pod }) => node !== undefined && pod.cpuMillis <= node.allocatable.cpuMillis - DAEMONSET_OVERHEAD.cpuMillis && pod.memoryMiB <= node.allocatable.memoryMiB - DAEMONSET_OVERHEAD.memoryMiB);
        const headroom = { cpu: share(capacity.cpuMillis, required.cpuMillis), memory: share(capacity.memoryMiB, required.memoryMiB) };
        return { group: name, node, capacity, required, headroom, services: [...placed.map((s) => s.name), ...own.map((p) => p.name)], fits: podFits && headroom.cpu >= 0 && headroom.memory >= 0 && required.pods <= capacity.pods };
    });

    const byService = services
        .filter((s) => s.autoscaling.requestsPerSecondPerPod)
        .map((s) => ({ name: s.name, maxReplicas: s.replicas.max, perPod: s.autoscaling.requestsPerSecondPerPod! }));
    const capacity = byService.reduce((sum, s) => sum + s.maxReplicas * s.perPod, 0);
    // Throughput headroom is relative to the target: 0% just reaches it.
    const throughput = { target: targetThroughputRps, capacity, headroom: targetThroughputRps > 0 ? capacity / targetThroughputRps - 1 : 0, byService, holds: capacity >= targetThroughputRps };
    return { groups, throughput, ok: groups.every((g) => g.fits) && throughput.holds };
}

const percent = (x: number) => `${x >= 0 ? "" : "-"}${Math.abs(Math.round(x * 100))}%`;
const cores = (millis: number) => `${(millis / 1000).toFixed(1)} vCPU`;
const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

/** One node group's figures, in words. */
export function describeGroup(g: GroupReport): string {
    return (
        `${g.group} group at max scale: requests ${cores(g.required.cpuMillis)} / ${gib(g.required.memoryMiB)} of ` +
        `${cores(g.capacity.cpuMillis)} / ${gib(g.capacity.memoryMiB)} allocatable, ${g.required.pods} of ${g.capacity.pods} pod slots (${g.node?.instanceType ?? "no nodes"}; headroom cpu ${percent(g.headroom.cpu)}, memory ${percent(g.headroom.memory)})` +
        (g.services.length ? ` [${g.services.join(", ")}]` : "")
    );
}

/** The throughput figures, in words. */
export function describeThroughput(t: ThroughputReport): string {
    return (
        `throughput at max scale: ${t.capacity} req/s for a target of ${t.target} req/s (headroom ${percent(t.headroom)})` +
        (t.byService.length ? ` [${t.byService.map((s) => `${s.name} ${s.maxReplicas} x ${s.perPod}`).join(", ")}]` : " [no service scales on request rate]")
    );
}

/** Lines for the plan: one per node group and one for throughput, each marked ok or FAIL. */
export function renderCapacity(report: CapacityReport): string[] {
    const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");
    return [...report.groups.map((g) => `${mark(g.fits)} ${describeGroup(g)}`), `${mark(report.throughput.holds)} ${describeThroughput(report.throughput)}`];
}
