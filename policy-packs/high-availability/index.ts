// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/high-availability`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { highAvailabilityPolicies } from "./policies";

new PolicyPack("rag-high-availability", { enforcementLevel: "mandatory", policies: highAvailabilityPolicies });
