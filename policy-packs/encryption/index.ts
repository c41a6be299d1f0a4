// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/encryption`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { encryptionPack } from "./policies";

new PolicyPack(encryptionPack.name, { enforcementLevel: "mandatory", policies: encryptionPack.policies });
