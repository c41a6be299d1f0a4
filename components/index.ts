/**
 * The components another TypeScript program may build on its own (`import { Network } from "rag-platform/components"`),
 * with their args types and the named types those args use. docs/components.md says how to import them and why
 * the rest is internal:
 * - ClusterAddons: Cluster installs it with the IRSA roles, Kubernetes provider and versions it resolves; alone it
 *   would duplicate Cluster's controllers.
 * - WorkloadService, DatabaseUsers: RagWorkload builds them from its resolved service model and namespace; their
 *   args are that model's internals, not an interface of their own.
 * - helm, irsa-role, iam-documents, certificate, waf-rules, args: helpers, not components.
 */
export { Network, type NetworkArgs, type NetworkSecurityGroups, type NatGatewayStrategy } from "./network";
export { Cluster, type ClusterArgs, type NodeGroupSpec, type NodeVolumeSpec } from "./cluster";
export { DataTier, type DataTierArgs, type AppSecretArns } from "./data-tier";
export { Database, type DatabaseArgs } from "./database";
export { Cache, type CacheArgs } from "./cache";
export { Buckets, type BucketsArgs, type BucketRef } from "./buckets";
export { BackupPlan, type BackupPlanArgs } from "./backup-plan";
export { SharedFiles, type SharedFilesArgs } from "./shared-files";
export { DocumentDatabase, type DocumentDatabaseArgs } from "./document-database";
export { Observability, type ObservabilityArgs } from "./observability";
export { Audit, type AuditArgs } from "./audit";
export { RagWorkload, type RagWorkloadArgs } from "./rag-workload";
export { EntryPoint, type EntryPointArgs } from "./entry-point";
export { Edge, type EdgeArgs, type RecordRouting } from "./edge";
