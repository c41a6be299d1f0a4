/** Accepted and rejected workloads for every policy of the container-hardening pack. */
import { res, type PolicyCases } from "./fixtures";

type Spec = Record<string, unknown>;

const container = {
    name: "api",
    image: "ghcr.io/example/rag-api:1.4.2",
    ports: [{ containerPort: 8000 }],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
};
const pod: Spec = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container],
    volumes: [{ name: "tmp", emptyDir: {} }, { name: "index", persistentVolumeClaim: { claimName: "faiss" } }],
};

/** The hardened pod with changes: to the pod spec, to its one container's fields, or to that container's securityContext. */
function podWith(changes: { spec?: Spec; container?: Spec; securityContext?: Spec }): Spec {
    const c = { ...container, ...changes.container, securityContext: { ...container.securityContext, ...changes.securityContext } };
    return { ...pod, containers: [c], ...changes.spec };
}

function job(name: string, bounds: Spec, namespace = "rag") {
    return res("kubernetes:batch/v1:Job", name, { metadata: { namespace }, spec: { ...bounds, template: { spec: { ...pod, restartPolicy: "Never" } } } });
}

function cronJob(name: string, spec: Spec, bounds: Spec) {
    return res("kubernetes:batch/v1:CronJob", name, {
        metadata: { namespace: "rag" },
        spec: { schedule: "0 3 * * *", ...spec, jobTemplate: { spec: { ...bounds, template: { spec: { ...pod, restartPolicy: "Never" } } } } },
    });
}

function deployment(name: string, spec: Spec = pod, namespace = "rag", annotations: Record<string, string> = {}) {
    return res("kubernetes:apps/v1:Deployment", name, {
        metadata: { namespace },
        spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name }, annotations }, spec } },
    });
}

/** The same pod spec under every kind that carries one. */
const everyKind = [
    res("kubernetes:core/v1:Pod", "pod", { metadata: { namespace: "rag" }, spec: pod }),
    deployment("deployment"),
    res("kubernetes:apps/v1:StatefulSet", "statefulset", { metadata: { namespace: "rag" }, spec: { serviceName: "s", selector: {}, template: { spec: pod } } }),
    res("kubernetes:apps/v1:DaemonSet", "daemonset", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: pod } } }),
    res("kubernetes:apps/v1:ReplicaSet", "replicaset", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: pod } } }),
    res("kubernetes:core/v1:ReplicationController", "replicationcontroller", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: pod } } }),
    res("kubernetes:batch/v1:Job", "job", { metadata: { namespace: "rag" }, spec: { template: { spec: { ...pod, restartPolicy: "Never" } } } }),
    res("kubernetes:batch/v1:CronJob", "cronjob", { metadata: { namespace: "rag" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: pod } } } } }),
    res("kubernetes:argoproj.io/v1alpha1:Rollout", "rollout", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: pod }, strategy: { canary: {} } } }),
];

const rootInit = { ...container, name: "migrate", securityContext: { ...container.securityContext, runAsUser: 0 } };
const debug = { name: "debug", image: "busybox:1.37", securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } };

export const containerHardeningCases: Record<string, PolicyCases> = {
    "pod-host-namespaces": {
        pass: [everyKind, [deployment("node-agent", podWith({ spec: { hostNetwork: true } }), "kube-system")]],
        fail: [
            [[deployment("hostnet", podWith({ spec: { hostNetwork: true } }))], /hostNetwork is true/],
            [[res("kubernetes:batch/v1:CronJob", "hostpid", { spec: { jobTemplate: { spec: { template: { spec: podWith({ spec: { hostPID: true } }) } } } } })], /hostPID is true/],
            [[res("kubernetes:core/v1:Pod", "hostipc", { spec: podWith({ spec: { hostIPC: true } }) })], /hostIPC is true/],
        ],
    },
    "pod-host-ports": {
        pass: [everyKind],
        fail: [[[deployment("hostport", podWith({ container: { ports: [{ containerPort: 8000, hostPort: 8000 }] } }))], /binds hostPort 8000/]],
    },
    "pod-volume-types": {
        pass: [everyKind],
        fail: [
            [[deployment("hostpath", podWith({ spec: { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] } }))], /volume "docker" is of type hostPath/],
            [[deployment("nfs", podWith({ spec: { volumes: [{ name: "share", nfs: { server: "fs", path: "/" } }] } }))], /of type nfs/],
        ],
    },
    "container-privileged": {
        pass: [everyKind],
        fail: [
            [[deployment("privileged", podWith({ securityContext: { privileged: true } }))], /container "api" is privileged/],
            [[deployment("privileged-init", { ...pod, initContainers: [{ ...container, name: "setup", securityContext: { ...container.securityContext, privileged: true } }] })], /initContainer "setup" is privileged/],
        ],
    },
    "container-privilege-escalation": {
        pass: [everyKind],
        fail: [
            [[deployment("escalation", podWith({ securityContext: { allowPrivilegeEscalation: undefined } }))], /does not set allowPrivilegeEscalation: false/],
            [[deployment("escalation-true", podWith({ securityContext: { allowPrivilegeEscalation: true } }))], /does not set allowPrivilegeEscalation: false/],
        ],
    },
    "container-capabilities": {
        pass: [everyKind, [deployment("bind", podWith({ securityContext: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }))]],
        fail: [
            [[deployment("no-drop", podWith({ securityContext: { capabilities: {} } }))], /does not drop ALL/],
            [[deployment("net-admin", podWith({ securityContext: { capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } } }))], /adds NET_ADMIN/],
            [[res("kubernetes:core/v1:Pod", "debugged", { spec: { ...pod, ephemeralContainers: [debug] } })], /ephemeralContainer "debug" does not drop ALL/],
        ],
    },
    "pod-run-as-non-root": {
        pass: [everyKind, [deployment("per-container", podWith({ spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }, securityContext: { runAsNonRoot: true, runAsUser: 1000 } }))]],
        fail: [
            [[deployment("root", podWith({ spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" } } } }))], /may run as root/],
            [[deployment("uid0", podWith({ spec: { securityContext: { runAsNonRoot: true, runAsUser: 0 } } }))], /the pod sets runAsUser: 0/],
            [[deployment("root-init", { ...pod, initContainers: [rootInit] })], /initContainer "migrate" sets runAsUser: 0/],
            [[res("kubernetes:argoproj.io/v1alpha1:Rollout", "root-rollout", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: podWith({ securityContext: { runAsUser: 0 } }) } } })], /container "api" sets runAsUser: 0/],
            [[deployment("override", podWith({ securityContext: { runAsNonRoot: false } }))], /container "api" may run as root/],
            [[res("kubernetes:core/v1:ReplicationController", "root-rc", { metadata: { namespace: "rag" }, spec: { selector: {}, template: { spec: podWith({ securityContext: { runAsUser: 0 } }) } } })], /container "api" sets runAsUser: 0/],
        ],
    },
    "pod-seccomp": {
        pass: [everyKind, [deployment("localhost", podWith({ spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "Localhost", localhostProfile: "rag.json" } } } }))]],
        fail: [
            [[deployment("no-seccomp", podWith({ spec: { securityContext: { runAsNonRoot: true } } }))], /seccomp profile unset/],
            [[deployment("unconfined", podWith({ securityContext: { seccompProfile: { type: "Unconfined" } } }))], /seccomp profile Unconfined/],
        ],
    },
    "pod-security-context-restrictions": {
        pass: [everyKind, [deployment("safe-sysctl", podWith({ spec: { securityContext: { ...(pod.securityContext as Spec), sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }] } } }))]],
        fail: [
            [[deployment("sysctl", podWith({ spec: { securityContext: { ...(pod.securityContext as Spec), sysctls: [{ name: "kernel.msgmax", value: "65536" }] } } }))], /unsafe sysctl kernel.msgmax/],
            [[deployment("selinux", podWith({ securityContext: { seLinuxOptions: { type: "spc_t" } } }))], /SELinux type spc_t/],
            [[deployment("procmount", podWith({ securityContext: { procMount: "Unmasked" } }))], /procMount Unmasked/],
            [[deployment("apparmor", podWith({ securityContext: { appArmorProfile: { type: "Unconfined" } } }))], /AppArmor profile Unconfined/],
            [[deployment("apparmor-annotation", pod, "rag", { "container.apparmor.security.beta.kubernetes.io/api": "unconfined" })], /annotation container.apparmor/],
            [[deployment("hostprocess", podWith({ securityContext: { windowsOptions: { hostProcess: true } } }))], /Windows HostProcess/],
        ],
    },
    "container-read-only-root-fs": {
        pass: [everyKind],
        fail: [[[deployment("writable", podWith({ securityContext: { readOnlyRootFilesystem: false } }))], /container "api" has a writable root filesystem/]],
    },
    "container-resource-limits": {
        pass: [everyKind, [res("kubernetes:core/v1:Pod", "debugged", { spec: { ...pod, ephemeralContainers: [{ ...debug, securityContext: container.securityContext }] } })]],
        fail: [
            [[deployment("unbounded", podWith({ container: { resources: { requests: { cpu: "1", memory: "2Gi" } } } }))], /no limits for cpu and memory/],
            [[deployment("no-memory", podWith({ container: { resources: { requests: { cpu: "1" }, limits: { cpu: "2" } } } }))], /no requests for memory/],
        ],
    },
    "job-bounded": {
        pass: [[job("reindex", { activeDeadlineSeconds: 3600, backoffLimit: 2 })], [cronJob("nightly", { concurrencyPolicy: "Forbid", startingDeadlineSeconds: 300 }, { activeDeadlineSeconds: 3600, backoffLimit: 2 })], [job("system", {}, "kube-system")]],
        fail: [
            [[job("endless", { backoffLimit: 2 })], /activeDeadlineSeconds is not set/],
            [[job("retrying", { activeDeadlineSeconds: 600 })], /backoffLimit is not set/],
            [[cronJob("overlapping", { startingDeadlineSeconds: 300 }, { activeDeadlineSeconds: 600, backoffLimit: 1 })], /concurrencyPolicy is Allow/],
            [[cronJob("replaying", { concurrencyPolicy: "Forbid" }, { activeDeadlineSeconds: 600, backoffLimit: 1 })], /startingDeadlineSeconds is not set/],
        ],
    },
    "container-image-pinned": {
        pass: [everyKind, [deployment("digest", podWith({ container: { image: `ghcr.io/example/rag-api@sha256:${"a".repeat(64)}` } }))], [deployment("registry-port", podWith({ container: { image: "registry.local:5000/rag/api:2.0" } }))]],
        fail: [
            [[deployment("latest", podWith({ container: { image: "ghcr.io/example/rag-api:latest" } }))], /uses the latest tag/],
            [[deployment("untagged", podWith({ container: { image: "registry.local:5000/rag/api" } }))], /has no tag/],
        ],
    },
};
