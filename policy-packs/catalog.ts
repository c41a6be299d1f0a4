/**
 * The packs by directory, for tools that need every policy without starting a server: the offline
 * check's pack list, the generated POLICIES.md, and tests. The Pulumi CLI never loads this file.
 */
import { containerHardeningPack } from "./container-hardening/policies";
import { encryptionPack } from "./encryption/policies";
import { highAvailabilityPack } from "./high-availability/policies";
import { networkExposurePack } from "./network-exposure/policies";

export const POLICY_PACKS = [
    { dir: "encryption", ...encryptionPack },
    { dir: "container-hardening", ...containerHardeningPack },
    { dir: "high-availability", ...highAvailabilityPack },
    { dir: "network-exposure", ...networkExposurePack },
] as const;
