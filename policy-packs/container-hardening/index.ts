// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/container-hardening`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { containerHardeningPack } from "./policies";

new PolicyPack(containerHardeningPack.name, { enforcementLevel: "mandatory", policies: containerHardeningPack.policies });
