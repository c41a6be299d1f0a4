// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/container-hardening`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { containerHardeningPolicies } from "./policies";

new PolicyPack("rag-container-hardening", { enforcementLevel: "mandatory", policies: containerHardeningPolicies });
