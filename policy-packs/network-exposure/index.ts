// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/network-exposure`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { networkExposurePack } from "./policies";

new PolicyPack(networkExposurePack.name, { enforcementLevel: "mandatory", policies: networkExposurePack.policies });
