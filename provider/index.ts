/**
 * The entry point of the rag-platform component package (PulumiPlugin.yaml, runtime nodejs). The Pulumi CLI
 * starts it with @pulumi/pulumi's run-plugin, which hosts every ComponentResource class exported here; the
 * analyzer reads their args interfaces (from this file's exports) to write the schema. Each class is a thin
 * package face of a component in ../components/ with args the schema can express: docs/components.md.
 */
export { Network, NatGateways, GatewayEndpoint, type NetworkArgs, type SubnetCidrs, type SecurityGroupIds } from "./network";
export { Cache, CacheEngine, type CacheArgs } from "./cache";
export { BackupPlan, BackupFrequency, type BackupPlanArgs, type VolumeTag } from "./backup-plan";
