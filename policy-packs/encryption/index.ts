// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/encryption`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { encryptionPolicies } from "./policies";

new PolicyPack("rag-encryption", { enforcementLevel: "mandatory", policies: encryptionPolicies });
