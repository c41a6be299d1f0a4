/**
 * What AWS offers, as far as config validation needs to know before anything is registered.
 *
 * This is a static snapshot (checked 2026-11): it lets a typo fail in seconds, offline, with a message that says
 * what is allowed, instead of minutes into `pulumi up`. It errs on the side of rejecting: a genuinely new
 * offering is added here in one line. The account's real availability zones are still checked against
 * `aws.getAvailabilityZones` at run time (stacks/platform.ts), because AZ names are mapped per account.
 */

/**
 * AZ ids in which EKS refuses cluster subnets (UnsupportedAvailabilityZoneException). Ids, not names: names map to
 * physical zones per account. Source: Amazon EKS User Guide, "VPC and subnet requirements" (network-reqs),
 * awsdocs/amazon-eks-user-guide at 4d52b4d, checked 2026-12.
 */
export const EKS_DISALLOWED_AZ_IDS: Readonly<Record<string, readonly string[]>> = {
    "us-east-1": ["use1-az3"],
    "us-west-1": ["usw1-az2"],
    "ca-central-1": ["cac1-az3"],
};

/** Regions this program is validated for, with the AZ letters AWS lists there. */
export const REGION_AZ_LETTERS: Readonly<Record<string, string>> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
    "ca-central-1": "abd",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-north-1": "abc",
    "eu-south-1": "abc",
    "ap-south-1": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "sa-east-1": "abc",
};

export const REGIONS = Object.keys(REGION_AZ_LETTERS);

/** The AZ names of a region as this catalog knows them (`us-east-1a`, ...). */
export function regionZones(region: string): string[] {
    return [...(REGION_AZ_LETTERS[region] ?? "")].map((letter) => `${region}${letter}`);
}

const upTo = (sizes: string[], last: string) => sizes.slice(0, sizes.indexOf(last) + 1);
const GENERAL = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge"];
const GRAVITON = ["medium", ...upTo(GENERAL, "16xlarge")];
/** The 7th-generation Intel and 8th-generation Graviton sizes: no 32xlarge (the AWS Price List has none). */
const NO_32XLARGE = GENERAL.filter((size) => size !== "32xlarge");
const BURSTABLE = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"];

/** EC2 instance families usable for EKS nodes, with the sizes AWS sells. Graviton families are arm64. */
export const EC2_INSTANCE_SIZES: Readonly<Record<string, string[]>> = {
    m5: upTo(GENERAL, "24xlarge"),
    m5a: upTo(GENERAL, "24xlarge"),
    m6i: upTo(GENERAL, "32xlarge"),
    m6a: upTo(GENERAL, "48xlarge"),
    m7i: NO_32XLARGE,
    m7a: upTo(GENERAL, "48xlarge"),
    m6g: GRAVITON,
    m7g: GRAVITON,
    r5: upTo(GENERAL, "24xlarge"),
    r5a: upTo(GENERAL, "24xlarge"),
    r6i: upTo(GENERAL, "32xlarge"),
    r6a: upTo(GENERAL, "48xlarge"),
    r7i: NO_32XLARGE,
    r6g: GRAVITON,
    r7g: GRAVITON,
    c5: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"],
    c6i: upTo(GENERAL, "32xlarge"),
    c7i: NO_32XLARGE,
    c6g: GRAVITON,
    c7g: GRAVITON,
    t3: BURSTABLE,
    t3a: BURSTABLE,
    t4g: BURSTABLE,
};

/** RDS instance classes offered for PostgreSQL (`db.<family>.<size>`). */
export const RDS_INSTANCE_SIZES: Readonly<Record<string, string[]>> = {
    r5: upTo(GENERAL, "24xlarge"),
    r6i: upTo(GENERAL, "32xlarge"),
    r7i: NO_32XLARGE,
    r6g: upTo(GENERAL, "16xlarge"),
    r7g: upTo(GENERAL, "16xlarge"),
    r8g: NO_32XLARGE,
    m5: upTo(GENERAL, "24xlarge"),
    m6i: upTo(GENERAL, "32xlarge"),
    m6g: upTo(GENERAL, "16xlarge"),
    m7g: upTo(GENERAL, "16xlarge"),
    t3: ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
    t4g: ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
};

/** ElastiCache's r5 and m5 nodes skip the 8xlarge and 16xlarge sizes EC2 and RDS sell. */
const ELASTICACHE_5TH_GEN = ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"];

/**
 * ElastiCache node types (`cache.<family>.<size>`). Each accepted class has a price in model/data (the AWS Price
 * List's classes), which tests/instance-data.test.ts checks, as it checks the EC2 and RDS classes above.
 */
export const ELASTICACHE_NODE_SIZES: Readonly<Record<string, string[]>> = {
    r5: ELASTICACHE_5TH_GEN,
    r6g: upTo(GENERAL, "16xlarge"),
    r7g: upTo(GENERAL, "16xlarge"),
    m5: ELASTICACHE_5TH_GEN,
    m6g: upTo(GENERAL, "16xlarge"),
    m7g: upTo(GENERAL, "16xlarge"),
    t3: ["micro", "small", "medium"],
    t4g: ["micro", "small", "medium"],
};

/**
 * RDS for PostgreSQL versions this platform accepts (16 and newer: pgvector's HNSW improvements and the data
 * tier's parameters), exactly the minors RDS creates: the versions aws-cdk's PostgresEngineVersion lists (16 up to
 * 16.13, 17 up to 17.9, 18 up to 18.3), less those RDS stopped creating on 2026-05-01 (16.5-16.8, 17.1-17.4, per
 * AWS's deprecation notice). A major alone takes RDS's default minor. Checked 2026-12.
 */
export const POSTGRES_VERSIONS: Readonly<Record<string, readonly string[]>> = {
    "16": ["16.9", "16.10", "16.11", "16.12", "16.13"],
    "17": ["17.5", "17.6", "17.7", "17.8", "17.9"],
    "18": ["18.1", "18.2", "18.3"],
};

/** Whether RDS creates this PostgreSQL version (a major alone, or one of its listed minors). */
export const isPostgresVersion = (version: string) => version in POSTGRES_VERSIONS || Object.values(POSTGRES_VERSIONS).some((minors) => minors.includes(version));
export const POSTGRES_VERSIONS_ALLOWED = Object.entries(POSTGRES_VERSIONS).map(([major, minors]) => `${major} (or ${minors.join(", ")})`).join("; ");

/**
 * Amazon DocumentDB engine versions for instance-based clusters, with their cluster parameter group family: 5.0
 * (LTS, vector search) and 8.0 (GA November 2025). 4.0 is left out (no vector search), 3.6 is end of life (March
 * 2026). Source: Amazon DocumentDB Developer Guide, "Amazon DocumentDB features and configurations"
 * (docdb-engine-version-supportability), checked 2026-12.
 */
export const DOCUMENTDB_ENGINE_VERSIONS: Readonly<Record<string, string>> = { "5.0.0": "docdb5.0", "8.0.0": "docdb8.0" };
/** Instance classes a DocumentDB 5.0 or 8.0 cluster takes here (Graviton and the previous Intel generation), checked 2026-12. */
export const DOCUMENTDB_INSTANCE_CLASSES = ["db.t4g.medium", "db.t3.medium", "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge", "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge"] as const;

/** ElastiCache engines and the versions offered for a replication group with cluster mode. */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<"redis" | "valkey", string[]>> = {
    redis: ["7.0", "7.1"],
    valkey: ["7.2", "8.0", "8.1"],
};

/**
 * Interface endpoint services (`com.amazonaws.<region>.<name>`) worth having for an EKS platform: each one keeps
 * that traffic off the NAT gateways. S3 and DynamoDB are gateway endpoints and configured separately.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api", "ecr.dkr", "sts", "logs", "monitoring", "secretsmanager", "kms", "ssm", "ssmmessages", "ec2messages",
    "ec2", "elasticloadbalancing", "autoscaling", "eks", "eks-auth", "sqs", "sns", "xray", "aps-workspaces",
] as const;

export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Splits `db.r6g.large` into family and size, after checking the prefix; undefined when it does not parse. */
export function splitInstanceClass(value: string, prefix: "" | "db." | "cache."): { family: string; size: string } | undefined {
    if (!value.startsWith(prefix)) return undefined;
    const [family, size, ...rest] = value.slice(prefix.length).split(".");
    return family && size && rest.length === 0 ? { family, size } : undefined;
}

/** Whether an instance family runs arm64 (Graviton); nodes and images must agree on the architecture. */
export function isGraviton(family: string): boolean {
    return /^[a-z]\d+g/.test(family);
}

/**
 * EKS Kubernetes versions that still get (standard or extended) support, with the end of standard support from
 * AWS's release calendar. The default is the newest; versions past standard support cost more per cluster hour.
 */
export const EKS_VERSIONS: Readonly<Record<string, { standardSupportEnds: string }>> = {
    "1.32": { standardSupportEnds: "2026-03-23" },
    "1.33": { standardSupportEnds: "2026-07-29" },
    "1.34": { standardSupportEnds: "2026-12-02" },
    "1.35": { standardSupportEnds: "2027-03-27" },
};
export const NEWEST_EKS_VERSION = Object.keys(EKS_VERSIONS).sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])).at(-1)!;

/**
 * Upstream Helm charts of the cluster add-ons, pinned. Versions are as published by each project (seen in use
 * 2025-2026); offline they cannot be fetched, so `helm search repo <chart> --versions` before raising one.
 */
export const ADDON_CHARTS = {
    awsLoadBalancerController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.13.4" },
    externalSecrets: { repo: "https://charts.external-secrets.io", chart: "external-secrets", version: "1.2.1" },
    certManager: { repo: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.19.3" },
    metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server", chart: "metrics-server", version: "3.12.2" },
    // The version here is the newest; the one deployed follows the cluster's Kubernetes minor (CLUSTER_AUTOSCALER_CHARTS).
    clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.59.0" },
    // The workload's autoscaler (CPU, memory, request rate from Prometheus, Redis queue length) and progressive delivery.
    keda: { repo: "https://kedacore.github.io/charts", chart: "keda", version: "2.20.2" },
    argoRollouts: { repo: "https://argoproj.github.io/argo-helm", chart: "argo-rollouts", version: "2.40.1" },
    // Rolls workloads whose Secret or ConfigMap changed (rotated database password). stakater/Reloader, chart 2.2.16 (app v1.4.21), 2026-08.
    reloader: { repo: "https://stakater.github.io/stakater-charts", chart: "reloader", version: "2.2.16" },
    // Right-sizing: recommendations for every service, requests set in place for those that opt in. The SIG's own
    // chart 0.11.0 (VPA 1.7.1), the newest in the kubernetes.github.io/autoscaler index (gh-pages, 2026-07-26).
    verticalPodAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "vertical-pod-autoscaler", version: "0.11.0" },
} as const;
export type AddonChart = keyof typeof ADDON_CHARTS;

/**
 * The Kubernetes minors each KEDA minor was tested on (KEDA's chart version is its app version). Source: KEDA's
 * "Kubernetes Compatibility" matrix, kedacore/keda-docs content/docs/2.21/operate/cluster.md at a55c5d3
 * (2026-08-20); v2.21 is listed there as TBD, so it is left out.
 */
export const KEDA_KUBERNETES_SUPPORT: Readonly<Record<string, { from: string; to: string }>> = {
    "2.17": { from: "1.30", to: "1.32" },
    "2.18": { from: "1.31", to: "1.33" },
    "2.19": { from: "1.32", to: "1.34" },
    "2.20": { from: "1.33", to: "1.35" },
};

/** Whether KEDA's chart `chartVersion` (2.20.2) was tested on Kubernetes `kubernetesMinor` (1.35); false when either is unknown. */
export function kedaSupportsKubernetes(chartVersion: string, kubernetesMinor: string): boolean {
    const minor = (version: string) => {
        const m = /^v?(\d+)\.(\d+)(?:\.|$)/.exec(version);
        return m ? { key: `${m[1]}.${m[2]}`, rank: Number(m[1]) * 1000 + Number(m[2]) } : undefined;
    };
    const range = KEDA_KUBERNETES_SUPPORT[minor(chartVersion)?.key ?? ""];
    const kubernetes = minor(kubernetesMinor);
    if (!range || !kubernetes) return false;
    return kubernetes.rank >= minor(range.from)!.rank && kubernetes.rank <= minor(range.to)!.rank;
}

/**
 * The cluster autoscaler supports the Kubernetes minor it was released for, and each chart's RBAC covers only what
 * its own app version reads (CA 1.35 also watches resource.k8s.io, which chart 9.46.x does not grant: it then
 * waits forever while reporting healthy). So the chart is chosen per minor, with the image the chart ships.
 * Newest chart per app-version minor, from kubernetes/autoscaler tags `cluster-autoscaler-chart-*`
 * (charts/cluster-autoscaler/Chart.yaml appVersion and templates/clusterrole.yaml), checked 2026-12.
 */
export const CLUSTER_AUTOSCALER_CHARTS: Readonly<Record<string, { version: string; appVersion: string }>> = {
    "1.32": { version: "9.46.6", appVersion: "1.32.0" },
    "1.33": { version: "9.51.0", appVersion: "1.33.0" },
    "1.34": { version: "9.53.0", appVersion: "1.34.2" },
    "1.35": { version: "9.59.0", appVersion: "1.35.0" },
};

/**
 * The cluster-autoscaler chart for a Kubernetes minor: the pinned one if given, else the catalog's. Returns a
 * problem (what is wrong, what is allowed) when a pin would run an autoscaler of another minor, or one this
 * catalog cannot vouch for.
 */
export function clusterAutoscalerChart(kubernetesVersion: string, pinned?: string): { version: string } | { problem: string; allowed: string } {
    const expected = CLUSTER_AUTOSCALER_CHARTS[kubernetesVersion];
    const allowed = expected ? `cluster-autoscaler@${expected.version} (app ${expected.appVersion}) for Kubernetes ${kubernetesVersion}` : `a Kubernetes version of ${Object.keys(CLUSTER_AUTOSCALER_CHARTS).join(", ")}`;
    if (!expected) return { problem: `no cluster-autoscaler chart is known for Kubernetes ${kubernetesVersion}`, allowed };
    if (pinned === undefined || pinned === expected.version) return { version: expected.version };
    const known = Object.entries(CLUSTER_AUTOSCALER_CHARTS).find(([, chart]) => chart.version === pinned);
    return {
        problem: known
            ? `chart ${pinned} runs cluster autoscaler ${known[1].appVersion}, made for Kubernetes ${known[0]}, on a ${kubernetesVersion} cluster`
            : `chart ${pinned} is not one whose app version and RBAC were checked for Kubernetes ${kubernetesVersion}`,
        allowed,
    };
}

/** EKS managed add-ons the cluster runs; their versions resolve per Kubernetes version unless pinned in config. */
export const EKS_MANAGED_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver"] as const;
export type EksManagedAddon = (typeof EKS_MANAGED_ADDONS)[number];

/** Upstream Helm charts of the observability stack, pinned (as ADDON_CHARTS: seen in use 2025-2026). */
export const OBSERVABILITY_CHARTS = {
    kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "81.6.9" },
    loki: { repo: "https://grafana.github.io/helm-charts", chart: "loki", version: "6.24.0" },
    tempo: { repo: "https://grafana.github.io/helm-charts", chart: "tempo", version: "1.15.0" },
    fluentBit: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.47.10" },
    openTelemetryCollector: { repo: "https://open-telemetry.github.io/opentelemetry-helm-charts", chart: "opentelemetry-collector", version: "0.108.0" },
} as const;

/**
 * The AWS-published function that rotates a PostgreSQL user's password held in a Secrets Manager secret of the
 * shape {engine, host, username, password, dbname, port}, deployed from the Serverless Application Repository.
 * Its parameters: endpoint, functionName (at most 64 characters), vpcSubnetIds and vpcSecurityGroupIds (comma
 * separated), kmsKeyArn of the secret. Source: aws/aws-cdk aws-secretsmanager/lib/secret-rotation.ts at 0b89b3c
 * (POSTGRES_ROTATION_SINGLE_USER, aws partition), checked 2026-12.
 */
export const POSTGRES_ROTATION_APPLICATION = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.671",
} as const;

/**
 * The same for the alternating-users strategy: the secret also holds `masterarn`, the master secret the function
 * logs in with to set the password of the user the secret does not name now (`<user>` and `<user>_clone` take
 * turns), so the password clients hold stays valid until the rotation after next. Extra parameters:
 * masterSecretArn and masterSecretKmsKeyArn. Source: aws-cdk secret-rotation.ts at 0b89b3c
 * (POSTGRES_ROTATION_MULTI_USER); the function's logic: aws-samples/aws-secrets-manager-rotation-lambdas
 * SecretsManagerRDSPostgreSQLRotationMultiUser/lambda_function.py at b4b8eca (2025-02-25), checked 2026-12.
 */
export const POSTGRES_MULTI_USER_ROTATION_APPLICATION = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser",
    semanticVersion: "1.1.671",
} as const;
