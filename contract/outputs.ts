/**
 * The platform's stack outputs as a contract for other teams' programs: every output, its type, whether it is a
 * secret, and what it means. The platform's exports are typed by it (stacks/platform.ts), the consumer helper
 * reads by it (consumer.ts), and contract.snapshot.json records it so that removing or retyping an output
 * without a major version bump fails a test.
 *
 * Compatibility promise: within a major version outputs are only added (minor bumps), never removed, renamed or
 * retyped, and a secret stays a secret.
 */

export const CONTRACT_VERSION = "1.4.0";

export type OutputKind = "string" | "number" | "string[]" | "map";
export interface OutputSpec {
    kind: OutputKind;
    group: "stack" | "network" | "cluster" | "data" | "observability" | "workload";
    description: string;
    /** The value is encrypted in state and arrives as a secret Output. */
    secret?: boolean;
}

function out<K extends OutputKind>(kind: K, group: OutputSpec["group"], description: string, secret = false): OutputSpec & { kind: K } {
    return { kind, group, description, secret };
}

export const OUTPUTS = {
    contractVersion: out("string", "stack", "Semantic version of this contract the stack was deployed with."),
    environment: out("string", "stack", "dev, staging or prod."),
    region: out("string", "stack", "AWS region of everything the stack holds."),
    clusterName: out("string", "cluster", "EKS cluster name; also the prefix of the platform's Secrets Manager names."),
    availabilityZones: out("string[]", "network", "AZs in use, in subnet order."),
    vpcId: out("string", "network", "VPC id."),
    vpcCidr: out("string", "network", "VPC IPv4 CIDR."),
    publicSubnetIds: out("string[]", "network", "Public subnets, one per AZ in availabilityZones order."),
    privateSubnetIds: out("string[]", "network", "Private (workload) subnets, one per AZ."),
    databaseSubnetIds: out("string[]", "network", "Isolated database subnets, one per AZ."),
    natGatewayPublicIps: out("string[]", "network", "Egress IPs of the NAT gateways (for allow-lists elsewhere)."),
    securityGroupIds: out("map", "network", "Security groups by tier: loadBalancer, nodes, data, endpoints."),
    flowLogGroupName: out("string", "network", "CloudWatch log group of the VPC flow logs."),
    kubernetesVersion: out("string", "cluster", "Kubernetes minor version of the cluster."),
    clusterEndpoint: out("string", "cluster", "Kubernetes API endpoint."),
    clusterCertificateAuthority: out("string", "cluster", "Base64 CA data of the API endpoint."),
    oidcProviderArn: out("string", "cluster", "IAM OIDC provider of the cluster, for IRSA trust policies."),
    oidcProviderUrl: out("string", "cluster", "Issuer URL of the OIDC provider."),
    kubeconfig: out("string", "cluster", "Kubeconfig that authenticates with `aws eks get-token`.", true),
    clusterSecurityGroupId: out("string", "cluster", "Security group EKS attaches to the control plane and nodes."),
    nodeSecurityGroupIds: out("string[]", "cluster", "Security groups every node carries."),
    nodeRoleArn: out("string", "cluster", "IAM role of the nodes."),
    nodeGroupNames: out("string[]", "cluster", "Managed node group names."),
    databaseEndpoint: out("string", "data", "PostgreSQL writer address."),
    databaseReaderEndpoints: out("string[]", "data", "Read replica addresses (empty without replicas)."),
    databasePort: out("number", "data", "PostgreSQL port."),
    databaseName: out("string", "data", "Database name."),
    databaseEngineVersion: out("string", "data", "PostgreSQL version as configured."),
    databaseMasterSecretArn: out("string", "data", "Secrets Manager ARN of the master credentials, rotated every 90 days (never the value)."),
    cacheEndpoint: out("string", "data", "Cache endpoint (TLS, AUTH): the configuration endpoint in cluster mode, else the primary's."),
    cacheMode: out("string", "data", "`cluster` (use a cluster client) or `replicated` (one primary with replicas; 1.2.0)."),
    cachePort: out("number", "data", "Cache port."),
    cacheAuthSecretArn: out("string", "data", "Secrets Manager ARN of the cache AUTH token."),
    appSecretArns: out("map", "data", "Secrets Manager ARNs of the app's secrets: databaseUrl, redisUrl, apiKeys."),
    documentsBucketName: out("string", "data", "Documents bucket (the RAG corpus)."),
    documentsBucketArn: out("string", "data", "Documents bucket ARN."),
    backupsBucketName: out("string", "data", "Backups bucket."),
    backupsBucketArn: out("string", "data", "Backups bucket ARN."),
    logsBucketName: out("string", "data", "Access-log and audit bucket."),
    logsBucketArn: out("string", "data", "Access-log and audit bucket ARN."),
    dataKmsKeyArn: out("string", "data", "KMS key of the data tier (grant decrypt to readers of its data)."),
    drKmsKeyArn: out("string", "data", "KMS key of the DR-region copies; empty without a DR region."),
    drRegion: out("string", "data", "Region of replicas and backup copies; empty without one."),
    backupVaultName: out("string", "data", "AWS Backup vault; empty when the stack runs no backup plan."),
    observabilityNamespace: out("string", "observability", "Namespace of Prometheus, Grafana, Loki and Tempo."),
    alertTopicArns: out("map", "observability", "SNS topics by severity: critical, high, medium, low."),
    otlpEndpoint: out("string", "observability", "In-cluster OTLP gRPC endpoint for traces."),
    grafanaUrl: out("string", "observability", "In-cluster Grafana address."),
    // 1.1.0
    workloadNamespace: out("string", "workload", "Namespace of the RAG services (PSA restricted, default-deny network policies)."),
    serviceUrls: out("map", "workload", "In-cluster URL of every service that takes requests, by service name."),
    publicUrl: out("string", "workload", "https://<domainName> of the shared ALB; empty when the stack has no domain."),
    // 1.3.0: what a standby stack in drRegion reads from its primary.
    databaseArn: out("string", "data", "ARN of the PostgreSQL writer (a standby replicates it; 1.3.0)."),
    drBucketNames: out("map", "data", "Replicas in drRegion by purpose: documents, backups; empty without a DR region (1.3.0)."),
    drBucketArns: out("map", "data", "ARNs of the drRegion replicas by purpose: documents, backups (1.3.0)."),
    primaryStack: out("string", "stack", "The stack this one stands by for; empty for a primary (1.3.0)."),
    documentDbEndpoint: out("string", "data", "DocumentDB cluster endpoint (TLS); empty when no service takes mongodb-url (1.3.0)."),
    documentDbMasterSecretArn: out("string", "data", "Secrets Manager ARN of DocumentDB's managed master credentials; empty without DocumentDB (1.3.0)."),
    sharedFileSystemId: out("string", "data", "EFS file system of the shared volumes (mount through an access point); empty without one (1.3.0)."),
    // 1.4.0: clients connect as a user of their own, rotated by alternating users, not as the master user.
    databaseAppSecretArn: out("string", "data", "Secrets Manager ARN of the workload's database credentials (username and password change together at each 90-day rotation, the previous pair valid until the next; 1.4.0)."),
};

export type OutputName = keyof typeof OUTPUTS;

type ValueOf<K extends OutputKind> = K extends "string" ? string : K extends "number" ? number : K extends "string[]" ? string[] : Record<string, string>;

/** The values a platform stack exports, by name. */
export type PlatformContract = { [K in OutputName]: ValueOf<(typeof OUTPUTS)[K]["kind"]> };

/** Whether a stack deployed with contract `deployed` serves a program built against `required` (same major, not older minor). */
export function isCompatible(deployed: string, required: string = CONTRACT_VERSION): boolean {
    const [dMajor, dMinor] = deployed.split(".").map(Number);
    const [rMajor, rMinor] = required.split(".").map(Number);
    return dMajor === rMajor && dMinor >= rMinor;
}

/** Whether `value` has the shape its output promises. */
export function hasKind(kind: OutputKind, value: unknown): boolean {
    switch (kind) {
        case "string":
            return typeof value === "string";
        case "number":
            return typeof value === "number";
        case "string[]":
            return Array.isArray(value) && value.every((v) => typeof v === "string");
        case "map":
            return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
    }
}
