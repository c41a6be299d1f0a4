/** Pod Security Standards (baseline, part of restricted): no host namespaces, host ports or host paths. */
import { describeContainer } from "../../lib/kubernetes";
import { workloadPolicy } from "./workload-policy";

export const podHostNamespaces = workloadPolicy(
    {
        name: "pod-host-namespaces",
        description: "Pods do not share the node's network, PID or IPC namespace.",
        severity: "critical",
        remediationSteps: "Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them false).",
    },
    ({ spec }, report) => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field] === true) report(`${field} is true`);
    },
);

export const podHostPorts = workloadPolicy(
    {
        name: "pod-host-ports",
        description: "Containers do not bind ports on the node (hostPort).",
        severity: "high",
        remediationSteps: "Remove hostPort from container ports; expose the container through a Service.",
    },
    ({ containers }, report) => {
        for (const c of containers) {
            for (const port of c.container.ports ?? []) if (port.hostPort) report(`${describeContainer(c)} binds hostPort ${port.hostPort}`);
        }
    },
);

/** The volume types the restricted profile allows; hostPath and every in-tree network volume are left out. */
export const RESTRICTED_VOLUME_TYPES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const podVolumeTypes = workloadPolicy(
    {
        name: "pod-volume-types",
        description: `Pods use only the volume types the restricted profile allows: ${RESTRICTED_VOLUME_TYPES.join(", ")}.`,
        severity: "critical",
        remediationSteps: "Replace hostPath and in-tree volumes with a PersistentVolumeClaim (EBS CSI), an emptyDir, or a projected/configMap/secret volume.",
    },
    ({ spec }, report) => {
        for (const volume of spec.volumes ?? []) {
            const kinds = Object.keys(volume).filter((k) => k !== "name");
            const bad = kinds.filter((k) => !RESTRICTED_VOLUME_TYPES.includes(k));
            if (bad.length) report(`volume "${volume.name}" is of type ${bad.join(", ")}`);
        }
    },
);
