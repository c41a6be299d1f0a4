/**
 * Facts the change preview (offline/preview.ts) needs of each resource type: which inputs its provider cannot
 * change in place (so a change replaces the resource), and whether the resource holds data that a replacement
 * would lose. The replace-on-change inputs are upstream facts kept as dated data with their source:
 * - AWS: offline/data/aws-replace-on-change.json, derived from terraform-provider-aws (which @pulumi/aws bridges)
 *   by scripts/derive-aws-replace-on-change.ts;
 * - Kubernetes and random: offline/data/provider-replace-on-change.json, read from pulumi-kubernetes' and
 *   pulumi-random's sources at their pinned versions.
 * A type the program registers that is in neither file fails the test that holds the files to the plans
 * (tests/preview.test.ts), so a new type cannot silently be updated in place where its provider would replace it.
 */
import awsData from "./data/aws-replace-on-change.json";
import providerData from "./data/provider-replace-on-change.json";

type TypeFacts = { replaceOnChanges: string[]; computed?: string[] };
const FACTS: Readonly<Record<string, TypeFacts>> = { ...(awsData.types as Record<string, TypeFacts>), ...(providerData.types as Record<string, TypeFacts>) };

/** Kinds of the Kubernetes provider whose metadata name or namespace change replaces them (every kind). */
const KUBERNETES_IDENTITY = ["metadata.name", "metadata.namespace"];

/** The input paths of `type` whose change its provider applies by replacing the resource. */
export function replaceOnChangePaths(type: string): readonly string[] {
    const facts = FACTS[type]?.replaceOnChanges ?? [];
    return type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/") ? [...KUBERNETES_IDENTITY, ...facts] : facts;
}

/**
 * Inputs the provider fills in when the program leaves them unset (Terraform's Optional+Computed): left unset, the
 * value in the state stands and nothing changes.
 */
export const computedInputs = (type: string): readonly string[] => FACTS[type]?.computed ?? [];

/** Whether the preview knows the type's replace-on-change inputs (components and providers need none). */
export const knowsType = (type: string) => type in FACTS;

/**
 * Types whose replacement starts empty: databases and their clusters, caches, buckets, file systems, volumes and
 * the claims and StatefulSets that own them, keys (whatever they encrypted becomes unreadable once the old key is
 * deleted), secrets and the generated passwords they hold, backup vaults.
 */
export const DATA_HOLDING_TYPES: readonly string[] = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:docdb/cluster:Cluster",
    "aws:docdb/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:efs/fileSystem:FileSystem",
    "aws:ebs/volume:Volume",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:backup/vault:Vault",
    "random:index/randomPassword:RandomPassword",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:PersistentVolume",
];

export const holdsData = (type: string) => DATA_HOLDING_TYPES.includes(type);

/**
 * Inputs that name an AWS resource in its account or parent: a replacement created before the old one is deleted
 * (the engine's default) takes a name AWS still holds, so the create fails, or, for names AWS overwrites (an inline
 * role policy), the old one's deletion then removes the new one. Names the program sets, not autonames (the engine
 * draws a new autoname for a replacement).
 */
const PHYSICAL_NAME_INPUTS = ["name", "identifier", "bucket", "clusterIdentifier", "replicationGroupId", "functionName", "clusterName", "nodeGroupName", "roleName"] as const;

export const physicalNameInputs = (type: string): readonly string[] => (type.startsWith("aws:") ? PHYSICAL_NAME_INPUTS : []);
