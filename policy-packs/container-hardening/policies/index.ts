/** The container-hardening pack's policies: each importable alone without starting a server. */
import { podHostNamespaces, podHostPorts, podVolumeTypes } from "./host-access";
import { jobBounded } from "./jobs";
import { containerCapabilities, containerPrivileged, containerPrivilegeEscalation, podRunAsNonRoot, podSeccomp, podSecurityContextRestrictions } from "./privileges";
import { containerImagePinned, containerReadOnlyRootFilesystem, containerResourceLimits } from "./runtime";

export {
    containerCapabilities,
    containerImagePinned,
    containerPrivileged,
    containerPrivilegeEscalation,
    containerReadOnlyRootFilesystem,
    containerResourceLimits,
    jobBounded,
    podHostNamespaces,
    podHostPorts,
    podRunAsNonRoot,
    podSeccomp,
    podSecurityContextRestrictions,
    podVolumeTypes,
};

/** What the pack serves: its name (as policy config files and the CLI show it) and its policies. */
export const containerHardeningPack = {
    name: "rag-container-hardening",
    policies: [
        podHostNamespaces,
        podHostPorts,
        podVolumeTypes,
        containerPrivileged,
        containerPrivilegeEscalation,
        containerCapabilities,
        podRunAsNonRoot,
        podSeccomp,
        podSecurityContextRestrictions,
        containerReadOnlyRootFilesystem,
        containerResourceLimits,
        containerImagePinned,
        jobBounded,
    ],
};
