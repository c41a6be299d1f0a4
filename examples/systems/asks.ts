/**
 * What each system's design document asks of its deployment, point by point, and how the platform answers in that
 * system's example stack file: faithful (as asked), substituted (another tool doing the same job, and why) or
 * missing (why, and the issue that carries it). docs/services.md shows this table (`npm run docs:tables`), and
 * tests/system-asks.test.ts holds every faithful or substituted answer to the example's plan: its `evidence` must
 * find what the answer claims among the resources the plan really registers.
 */
import { ofType } from "../../offline/inspect";
import type { RecordedResource } from "../../offline/mocks";

export const SYSTEMS = {
    S0: { name: "MCP RAG Demo", plan: "s0-mcp-rag-demo" },
    S1: { name: "MCP-UI", plan: "s1-mcp-ui" },
    S2: { name: "RAG engine", plan: "s2-rag-engine" },
    S3: { name: "Deployment engine", plan: "s3-deployment-engine" },
    S4: { name: "AskRAG", plan: "s4-askrag" },
} as const;
export type SystemKey = keyof typeof SYSTEMS;
/** A system's stack file in examples/systems: its plan's key names it. */
export const systemFile = (key: SystemKey) => `${SYSTEMS[key].plan}.yaml`;

/** What an evidence predicate reads: the resources a plan registered. */
export interface PlanResources {
    resources: Pick<RecordedResource, "type" | "name" | "inputs">[];
}
export type Evidence = (plan: PlanResources) => boolean;

interface AskBase {
    system: SystemKey;
    /** The document's ask, in our words. */
    ask: string;
    /** What the example stack does about it. */
    here: string;
}
/** A faithful or substituted answer names its evidence; a substituted or missing one its reason. */
export type SystemAsk =
    | (AskBase & { status: "faithful"; evidence: Evidence })
    | (AskBase & { status: "substituted"; why: string; evidence: Evidence })
    | (AskBase & { status: "missing"; why: string });

type Inputs = Record<string, any>;
const has = (type: string, test: (inputs: Inputs) => boolean = () => true): Evidence => (plan) => ofType(plan, type).some((r) => test(r.inputs));
const all = (...checks: Evidence[]): Evidence => (plan) => checks.every((check) => check(plan));
const release = (chart: string) => has("kubernetes:helm.sh/v3:Release", (i) => i.chart === chart);
/** A service scaled between `min` and `max` by its KEDA ScaledObject. */
const scaled = (service: string, min: number, max: number) =>
    has("kubernetes:keda.sh/v1alpha1:ScaledObject", (i) => i.metadata?.name === service && i.spec?.minReplicaCount === min && i.spec?.maxReplicaCount === max);
const WORKLOAD_KINDS = ["apps/v1:Deployment", "apps/v1:StatefulSet", "argoproj.io/v1alpha1:Rollout", "batch/v1:CronJob", "batch/v1:Job"];
/** A workload named `service` whose pod template passes `test`. */
const workload = (service: string, test: (pod: Inputs) => boolean = () => true): Evidence => (plan) =>
    WORKLOAD_KINDS.some((kind) => ofType(plan, `kubernetes:${kind}`).some((r) => {
        const inputs = r.inputs as Inputs;
        const pod = inputs.spec?.jobTemplate?.spec?.template?.spec ?? inputs.spec?.template?.spec;
        return inputs.metadata?.name === service && pod !== undefined && test(pod);
    }));
const container = (pod: Inputs, name: string): Inputs | undefined => [...(pod.containers ?? []), ...(pod.initContainers ?? [])].find((c: Inputs) => c.name === name);
const sized = (requests: { cpu: string; memory: string }, limits: { cpu: string; memory: string }) => (c: Inputs | undefined) =>
    c?.resources?.requests?.cpu === requests.cpu && c?.resources?.requests?.memory === requests.memory && c?.resources?.limits?.cpu === limits.cpu && c?.resources?.limits?.memory === limits.memory;
/** S3's document sizes every pod of the API, its nginx and the workers alike. */
const S3_POD_SIZE = sized({ cpu: "100m", memory: "128Mi" }, { cpu: "200m", memory: "256Mi" });
const canary = (service: string) => has("kubernetes:argoproj.io/v1alpha1:Rollout", (i) => i.metadata?.name === service && Array.isArray(i.spec?.strategy?.canary?.steps));
const PROMETHEUS = release("kube-prometheus-stack");
const LOKI = release("loki");
const TEMPO = all(release("tempo"), release("opentelemetry-collector"));

const ISSUE_DELIVERY = "application delivery is issue 27 (registries, signed images, admission, GitOps, drift detection)";

export const SYSTEM_ASKS: SystemAsk[] = [
    // S0 MCP RAG Demo
    { system: "S0", ask: "one backend for FastAPI REST, the MCP server and RAG; a frontend", status: "faithful", here: "the default `api` and `frontend` services", evidence: all(workload("api"), workload("frontend")) },
    { system: "S0", ask: "backend 3-10 replicas, frontend 3-10", status: "faithful", here: "`api` 3-10 (prod's default), `frontend` 3-10 set in the example", evidence: all(scaled("api", 3, 10), scaled("frontend", 3, 10)) },
    { system: "S0", ask: "Istio with mTLS between services", status: "missing", here: "NetworkPolicies (VPC CNI) and TLS at the ALB", why: "the mesh is being added under issue 26" },
    { system: "S0", ask: "Flagger canaries", status: "substituted", here: "Argo Rollouts canaries (5 -> 25 -> 50 -> 100%) with SLO analysis, an option per service", why: "Flagger shifts traffic only through a mesh or an ingress it supports, and the AWS Load Balancer Controller is not one; Argo Rollouts weights the ALB's target groups itself", evidence: release("argo-rollouts") },
    { system: "S0", ask: "Argo CD (GitOps)", status: "missing", here: "Pulumi deploys from the CI workflows", why: ISSUE_DELIVERY },
    { system: "S0", ask: "Jaeger tracing", status: "substituted", here: "OpenTelemetry Collector into Tempo, 10% sampling in prod, 7 days", why: "Tempo keeps traces on S3 with no index to run; the collector takes Jaeger's protocol too", evidence: TEMPO },
    { system: "S0", ask: "Loki for logs", status: "faithful", here: "Loki on S3 (30 days app, 90 days access logs), Fluent Bit shipping", evidence: LOKI },
    { system: "S0", ask: "Karpenter for node autoscaling", status: "missing", here: "the cluster autoscaler", why: "Karpenter is being added under issue 26" },
    { system: "S0", ask: "every secret rotated every 90 days", status: "missing", here: "PostgreSQL's master and workload credentials rotate every 90 days", why: "the cache token, DocumentDB and Grafana credentials are being given rotations under issue 26" },
    { system: "S0", ask: "images built, scanned and deployed by a pipeline", status: "missing", here: "the infrastructure workflows only", why: ISSUE_DELIVERY },
    // S1 MCP-UI
    { system: "S1", ask: "MCP manager and frontend", status: "faithful", here: "`mcp-manager` (api kind) and `frontend`", evidence: all(workload("mcp-manager"), workload("frontend")) },
    { system: "S1", ask: "10,000+ req/s on 3-20 nodes", status: "faithful", here: "`mcp-manager` 3-100 at 100 req/s a pod on a 3-20 node 4xlarge group, held by the capacity check", evidence: all(scaled("mcp-manager", 3, 100), has("aws:eks/nodeGroup:NodeGroup", (i) => i.scalingConfig?.maxSize === 20)) },
    { system: "S1", ask: "canary releases", status: "faithful", here: "`mcp-manager` as an Argo Rollouts canary", evidence: canary("mcp-manager") },
    { system: "S1", ask: "Vertical Pod Autoscaler", status: "faithful", here: "recommendations for both services", evidence: has("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler") },
    { system: "S1", ask: "Amazon Managed Prometheus and Grafana", status: "substituted", here: "kube-prometheus-stack in the cluster (Prometheus 30 days, Alertmanager, Grafana)", why: "one stack that the dashboards, alerts and SLO analyses share in every environment, with no per-metric ingestion charge", evidence: PROMETHEUS },
    { system: "S1", ask: "Grafana on PostgreSQL with Redis sessions", status: "missing", here: "one Grafana with its own volume", why: "Grafana on the stack's PostgreSQL is being added under issue 26" },
    { system: "S1", ask: "OpenSearch for logs", status: "substituted", here: "Loki on S3", why: "no cluster of data nodes to size and pay for; LogQL answers the operational queries", evidence: LOKI },
    { system: "S1", ask: "X-Ray tracing", status: "substituted", here: "OpenTelemetry Collector into Tempo", why: "vendor-neutral instrumentation; the collector could export to X-Ray too", evidence: TEMPO },
    { system: "S1", ask: "cert-manager with Let's Encrypt, DNS-01 in Route 53", status: "faithful", here: "`letsencrypt-staging` and `letsencrypt-prod` ClusterIssuers solving DNS-01 in the stack's zone", evidence: has("kubernetes:cert-manager.io/v1:ClusterIssuer", (i) => i.spec?.acme?.solvers?.some((s: Inputs) => s.dns01?.route53)) },
    { system: "S1", ask: "the public certificate (HTTP-01 or wildcard) from cert-manager", status: "substituted", here: "an ACM certificate, DNS-validated in the zone, on the ALB and CloudFront", why: "an ALB and CloudFront serve ACM certificates only; cert-manager's issuers remain for certificates inside the cluster", evidence: has("aws:acm/certificate:Certificate", (i) => i.validationMethod === "DNS") },
    { system: "S1", ask: "backups of Kubernetes objects (Velero)", status: "missing", here: "AWS Backup for the data stores", why: "Velero is being added under issue 26" },
    { system: "S1", ask: "manual approval for production and automated rollback", status: "missing", here: "canary analysis aborts a bad rollout", why: ISSUE_DELIVERY },
    // S2 RAG engine
    { system: "S2", ask: "FastAPI API scaled 2-20", status: "faithful", here: "`api` 2-20 set in the example", evidence: scaled("api", 2, 20) },
    { system: "S2", ask: "Celery workers scaled on queue length, on spot instances", status: "faithful", here: "`worker` on the Redis list `celery` (100 a pod) on a SPOT queue-worker group; the cache without cluster mode as broker", evidence: all(has("kubernetes:keda.sh/v1alpha1:ScaledObject", (i) => i.metadata?.name === "worker" && i.spec?.triggers?.some((t: Inputs) => t.type === "redis")), has("aws:eks/nodeGroup:NodeGroup", (i) => i.capacityType === "SPOT")) },
    { system: "S2", ask: "Qdrant, managed or self-hosted", status: "faithful", here: "self-hosted, a cluster of three with a volume each and a nightly snapshot to S3", evidence: all(workload("qdrant"), workload("qdrant-snapshot")) },
    { system: "S2", ask: "connection pooling (PgBouncer or RDS Proxy)", status: "missing", here: "each pod connects to the database directly", why: "RDS Proxy is being added under issue 26" },
    { system: "S2", ask: "a standby region, RTO 15 min", status: "substituted", here: "a warm standby through a prod-dr stack (docs/disaster-recovery.md): RPO of 5 minutes holds for the database", why: "detection (2 min), the decision (15 min) and promotion (about 15 min) make the runbook's RTO about 56 minutes; automatic promotion would risk split brain", evidence: has("aws:rds/instance:Instance", (i) => i.backupRetentionPeriod > 0) },
    // S3 Deployment engine
    { system: "S3", ask: "API 6-30 replicas behind an nginx sidecar; two workers", status: "faithful", here: "`api` 6-30 with an nginx sidecar proxying to it; `worker` fixed at 2", evidence: all(scaled("api", 6, 30), workload("api", (pod) => container(pod, "nginx") !== undefined), workload("worker")) },
    { system: "S3", ask: "pods of the API, workers and nginx at 100m-200m CPU and 128-256 MiB", status: "faithful", here: "requests 100m / 128Mi and limits 200m / 256Mi on each", evidence: all(workload("api", (pod) => [container(pod, "api"), container(pod, "nginx")].every(S3_POD_SIZE)), workload("worker", (pod) => S3_POD_SIZE(container(pod, "worker")))) },
    { system: "S3", ask: "Fluent Bit at the document's pod sizes", status: "substituted", here: "Fluent Bit on every node, requests 50m / 64Mi, limits 500m / 256Mi", why: "one DaemonSet ships every namespace's logs and is sized for the node, not the system: its range holds the document's 100m-200m and 128-256 MiB", evidence: release("fluent-bit") },
    { system: "S3", ask: "ELK for logs", status: "substituted", here: "Loki on S3 with Fluent Bit", why: "no Elasticsearch cluster to run; Fluent Bit stays the shipper", evidence: LOKI },
    { system: "S3", ask: "S3 cross-region replication", status: "faithful", here: "documents and backups replicated with Replication Time Control (15 minutes)", evidence: has("aws:s3/bucketReplicationConfig:BucketReplicationConfig") },
    { system: "S3", ask: "blue-green deployments", status: "faithful", here: "`api` as an Argo Rollouts blue-green with SLO analysis before promotion", evidence: has("kubernetes:argoproj.io/v1alpha1:Rollout", (i) => i.metadata?.name === "api" && i.spec?.strategy?.blueGreen !== undefined) },
    { system: "S3", ask: "drift detection", status: "missing", here: "the offline change preview (`npm run plan -- --from`)", why: ISSUE_DELIVERY },
    // S4 AskRAG
    { system: "S4", ask: "backend 3-10, frontend 2-5", status: "faithful", here: "as asked", evidence: all(scaled("backend", 3, 10), scaled("frontend", 2, 5)) },
    { system: "S4", ask: "MongoDB", status: "substituted", here: "Amazon DocumentDB (MongoDB-compatible), Multi-AZ", why: "managed, backed up and encrypted like the other stores; no replica set to operate", evidence: has("aws:docdb/cluster:Cluster") },
    { system: "S4", ask: "Redis", status: "faithful", here: "ElastiCache with TLS and AUTH", evidence: has("aws:elasticache/replicationGroup:ReplicationGroup") },
    { system: "S4", ask: "a FAISS index and uploads on persistent volumes", status: "faithful", here: "EFS shared by every replica (ReadWriteMany, an access point each)", evidence: has("aws:efs/accessPoint:AccessPoint") },
    { system: "S4", ask: "backups weekly in staging, daily in prod", status: "faithful", here: "AWS Backup weekly in this staging example (EFS and DocumentDB included)", evidence: has("aws:backup/plan:Plan", (i) => i.rules?.some((r: Inputs) => /^cron\(.*\bSUN\b/.test(String(r.schedule)))) },
    { system: "S4", ask: "backups of Kubernetes objects with restore tests", status: "missing", here: "AWS Backup for the data stores", why: "Velero is being added under issue 26" },
    { system: "S4", ask: "session affinity", status: "missing", here: "requests balanced across pods", why: "being added under issue 26" },
    { system: "S4", ask: "no PostgreSQL (the system keeps its data in MongoDB)", status: "missing", here: "the stack's PostgreSQL is created anyway", why: "being made optional under issue 26" },
];

/** The table docs/services.md shows: one row per ask, system by system. */
export function systemAsksTable(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const lines = ["| system | the document asks | status | here | why |", "|---|---|---|---|---|"];
    for (const a of SYSTEM_ASKS) {
        lines.push(`| ${a.system} ${SYSTEMS[a.system].name} | ${cell(a.ask)} | ${a.status} | ${cell(a.here)} | ${a.status === "faithful" ? "" : cell(a.why)} |`);
    }
    return lines.join("\n");
}

/** The README's short form: per system its file, how many asks are met each way, and what is missing. */
export function systemsSummaryTable(): string {
    const lines = ["| system | file | faithful | substituted | missing |", "|---|---|---|---|---|"];
    for (const [key, system] of Object.entries(SYSTEMS) as [SystemKey, (typeof SYSTEMS)[SystemKey]][]) {
        const asks = SYSTEM_ASKS.filter((a) => a.system === key);
        const count = (status: SystemAsk["status"]) => asks.filter((a) => a.status === status).length;
        const missing = asks.filter((a) => a.status === "missing").map((a) => a.ask);
        lines.push(`| ${key} ${system.name} | \`${systemFile(key)}\` | ${count("faithful")} | ${count("substituted")} | ${missing.length ? missing.join("; ") : "none"} |`);
    }
    return lines.join("\n");
}
