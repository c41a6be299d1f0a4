// Entry point the Pulumi CLI runs (`pulumi preview --policy-pack policy-packs/high-availability`): serve the policies.
import { PolicyPack } from "@pulumi/policy";
import { highAvailabilityPack } from "./policies";

new PolicyPack(highAvailabilityPack.name, { enforcementLevel: "mandatory", policies: highAvailabilityPack.policies });
