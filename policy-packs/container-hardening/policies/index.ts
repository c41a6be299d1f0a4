/** The container-hardening pack's policies: each importable alone without starting a server. */
import { podHostNamespaces, podHostPorts, podVolumeTypes } from "./host-access";
import { containerCapabilities, containerPrivileged, containerPrivilegeEscalation, podRunAsNonRoot, podSeccomp, podSecurityContextRestrictions } from "./privileges";
import { containerImagePinned, containerReadOnlyRootFilesystem, containerResourceLimits } from "./runtime";

export {
    containerCapabilities,
    containerImagePinned,
    containerPrivileged,
    containerPrivilegeEscalation,
    containerReadOnlyRootFilesystem,
    containerResourceLimits,
    podHostNamespaces,
    podHostPorts,
    podRunAsNonRoot,
    podSeccomp,
    podSecurityContextRestrictions,
    podVolumeTypes,
};

export const containerHardeningPolicies = [
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
];
