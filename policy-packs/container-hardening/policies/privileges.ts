/** Pod Security Standards restricted profile: what a container may do as a process on the node. */
import { describeContainer } from "../../lib/kubernetes";
import type { Props } from "../../lib/policy";
import { effective, workloadPolicy } from "./workload-policy";

export const containerPrivileged = workloadPolicy(
    {
        name: "container-privileged",
        description: "No container runs privileged.",
        severity: "critical",
        remediationSteps: "Remove securityContext.privileged (or set it false); grant a specific capability instead if one is really needed.",
    },
    ({ containers }, report) => {
        for (const c of containers) if (c.container.securityContext?.privileged === true) report(`${describeContainer(c)} is privileged`);
    },
);

export const containerPrivilegeEscalation = workloadPolicy(
    {
        name: "container-privilege-escalation",
        description: "Every container sets allowPrivilegeEscalation: false.",
        severity: "high",
        remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container (unset means allowed).",
    },
    ({ containers }, report) => {
        for (const c of containers) {
            if (c.container.securityContext?.allowPrivilegeEscalation !== false) report(`${describeContainer(c)} does not set allowPrivilegeEscalation: false`);
        }
    },
);

export const ADDABLE_CAPABILITIES = ["NET_BIND_SERVICE"];

export const containerCapabilities = workloadPolicy(
    {
        name: "container-capabilities",
        description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.",
        severity: "high",
        remediationSteps: 'Set securityContext.capabilities: { drop: ["ALL"] } (add: ["NET_BIND_SERVICE"] only to bind ports below 1024).',
    },
    ({ containers }, report) => {
        for (const c of containers) {
            const capabilities: Props = c.container.securityContext?.capabilities ?? {};
            if (!(capabilities.drop ?? []).includes("ALL")) report(`${describeContainer(c)} does not drop ALL capabilities`);
            const added = (capabilities.add ?? []).filter((cap: string) => !ADDABLE_CAPABILITIES.includes(cap));
            if (added.length) report(`${describeContainer(c)} adds ${added.join(", ")}`);
        }
    },
);

export const podRunAsNonRoot = workloadPolicy(
    {
        name: "pod-run-as-non-root",
        description: "Every container runs as a non-root user: runAsNonRoot true and runAsUser never 0.",
        severity: "critical",
        remediationSteps: "Set securityContext.runAsNonRoot: true and runAsUser: 1000 (runAsGroup/fsGroup 1000) on the pod; build images with a numeric non-root USER.",
    },
    ({ spec, containers }, report) => {
        if (spec.securityContext?.runAsUser === 0) report("the pod sets runAsUser: 0");
        for (const c of containers) {
            if (effective(spec, c.container, "runAsNonRoot") !== true) report(`${describeContainer(c)} may run as root: runAsNonRoot is not true on it or the pod`);
            if (c.container.securityContext?.runAsUser === 0) report(`${describeContainer(c)} sets runAsUser: 0`);
        }
    },
);

const SECCOMP_ALLOWED = ["RuntimeDefault", "Localhost"];

export const podSeccomp = workloadPolicy(
    {
        name: "pod-seccomp",
        description: "Every container runs under a seccomp profile: RuntimeDefault or Localhost.",
        severity: "high",
        remediationSteps: 'Set securityContext.seccompProfile: { type: "RuntimeDefault" } on the pod.',
    },
    ({ spec, containers }, report) => {
        for (const c of containers) {
            const type = (effective(spec, c.container, "seccompProfile") as Props | undefined)?.type;
            if (!SECCOMP_ALLOWED.includes(type)) report(`${describeContainer(c)} has seccomp profile ${type ?? "unset"} (Unconfined by default)`);
        }
    },
);

/** Sysctls the baseline profile considers namespaced and safe. */
export const SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const APPARMOR_TYPES = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export const podSecurityContextRestrictions = workloadPolicy(
    {
        name: "pod-security-context-restrictions",
        description: "The remaining baseline controls: no custom SELinux user/role or type, default /proc mount, safe sysctls only, AppArmor not unconfined, no Windows HostProcess.",
        severity: "high",
        remediationSteps: "Remove seLinuxOptions.user/role and unusual types, procMount other than Default, sysctls outside the safe set, AppArmor Unconfined profiles and windowsOptions.hostProcess.",
    },
    ({ spec, containers, metadata }, report) => {
        const contexts: [string, Props | undefined][] = [["the pod", spec.securityContext], ...containers.map((c) => [describeContainer(c), c.container.securityContext] as [string, Props | undefined])];
        for (const [where, context] of contexts) {
            const selinux: Props = context?.seLinuxOptions ?? {};
            if (selinux.type && !SELINUX_TYPES.includes(selinux.type)) report(`${where} sets SELinux type ${selinux.type}`);
            if (selinux.user || selinux.role) report(`${where} sets a custom SELinux user or role`);
            if (context?.procMount && context.procMount !== "Default") report(`${where} sets procMount ${context.procMount}`);
            if (context?.appArmorProfile && !APPARMOR_TYPES.includes(context.appArmorProfile.type)) report(`${where} sets AppArmor profile ${context.appArmorProfile.type}`);
            if (context?.windowsOptions?.hostProcess === true) report(`${where} runs as a Windows HostProcess`);
        }
        for (const sysctl of spec.securityContext?.sysctls ?? []) {
            if (!SAFE_SYSCTLS.includes(sysctl.name)) report(`the pod sets unsafe sysctl ${sysctl.name}`);
        }
        for (const [key, value] of Object.entries<string>(metadata.annotations ?? {})) {
            if (key.startsWith(APPARMOR_ANNOTATION) && !(value === "runtime/default" || value.startsWith("localhost/"))) report(`annotation ${key} is ${value}`);
        }
    },
);
