/**
 * The workload's service model: what a stack's `services` key may say about each service (API, workers,
 * frontend, MCP server, ...), the defaults each kind of service starts from per environment (the spec's numbers),
 * and the rules a service list must keep. Pure: no resources, so config validation and the capacity check use it
 * before anything is registered.
 *
 * A stack file lists its services under `rag-platform:services` (structured config); `pulumi config set --path
 * 'services[0].replicas.max' 20` edits one field. Problems are reported with that same path.
 */
import { z } from "zod";
import { CREDENTIAL_KEY } from "./credentials";
import type { Environment } from "./environments";
import { imageProblem as unpinnedImage } from "./images";

export const SERVICE_KINDS = ["api", "frontend", "worker", "service", "job", "cronjob"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
/** Kinds that run to completion (a Job, or a Job per schedule) instead of serving. */
export const BATCH_KINDS: readonly ServiceKind[] = ["job", "cronjob"];
export const DELIVERY_STRATEGIES = ["rolling", "canary", "blueGreen"] as const;
export const VERTICAL_SCALING = ["recommend", "auto"] as const;
export type DeliveryStrategy = (typeof DELIVERY_STRATEGIES)[number];
/** App secrets of the data tier (Secrets Manager `<cluster>/<name>`) a service may have delivered as env vars. */
export const APP_SECRETS = ["database-url", "redis-url", "mongodb-url", "api-keys"] as const;
export type AppSecret = (typeof APP_SECRETS)[number];
/** What api, worker and batch kinds take by default: the spec's PostgreSQL, Redis and model keys (DocumentDB only by asking). */
const DEFAULT_SECRETS: AppSecret[] = ["database-url", "redis-url", "api-keys"];
/** The keys each app secret puts into the service's Secret (api-keys: whatever keys operators stored). */
export const SECRET_KEYS: Record<AppSecret, string[]> = {
    "database-url": ["DATABASE_URL", "PGUSER", "PGPASSWORD"],
    "redis-url": ["REDIS_URL", "REDIS_PASSWORD"],
    "mongodb-url": ["MONGODB_URL", "MONGODB_USERNAME", "MONGODB_PASSWORD"],
    "api-keys": [],
};
export const BUCKET_ACCESS = ["none", "read", "readWrite"] as const;
/** Node groups a service may be placed on (the observability group is reserved). */
export const SERVICE_NODE_GROUPS = ["application", "queue-worker"] as const;
export type ServiceNodeGroup = (typeof SERVICE_NODE_GROUPS)[number];
/** The UID every container runs as unless its service says otherwise (never 0). */
export const DEFAULT_UID = 1000;

const cpu = z.string().regex(/^(\d+m|\d+(\.\d{1,3})?)$/, "a CPU quantity such as \"500m\" or \"2\"");
const memory = z.string().regex(/^\d+(Mi|Gi)$/, "a memory quantity in Mi or Gi such as \"512Mi\"");
const path = z.string().regex(/^\/[\w./-]*$/, "an absolute path such as \"/ready\"");
const port = z.number().int().min(1024).max(65535);
/** An HTTP GET on the service's port (a path) or a command run in the container (an argv list). */
const probe = z.union([path, z.array(z.string()).min(1)]);
const uid = z.number().int().min(0).max(2147483647);

const resourcesInput = z.strictObject({
    requests: z.strictObject({ cpu, memory }).partial().optional(),
    limits: z.strictObject({ cpu, memory }).partial().optional(),
});

const sidecarInput = z.strictObject({
    name: z.string().regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/),
    image: z.string().min(1),
    /** When set, the service's traffic enters through this container (e.g. S3's nginx in front of the API). */
    port: port.optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    resources: resourcesInput.optional(),
    writablePaths: z.array(path).optional(),
    files: z.record(path, z.string()).optional(),
    secretFiles: z.record(path, z.string().min(1)).optional(),
    runAsUser: uid.optional(),
});

// Each field's description is the one text docs/services.md shows for it (npm run docs:tables).
export const serviceInput = z.strictObject({
    name: z.string().regex(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/, "a DNS label of 1-20 characters").describe("DNS label of 1-20 characters; required"),
    kind: z.enum(SERVICE_KINDS).optional().describe("`api`, `frontend`, `worker`, `service` (e.g. an MCP server, a vector DB), or `job` / `cronjob` that run to completion (index rebuilds, application backups): picks the defaults"),
    schedule: z.string().regex(/^\S+( \S+){4}$/, "a cron schedule of five fields such as \"0 3 * * *\"").optional()
        .describe("a `cronjob`'s cron schedule (five fields, UTC); runs never overlap"),
    run: z.strictObject({ timeoutSeconds: z.number().int().min(60).max(86400), retries: z.number().int().min(0).max(10), keepFinishedSeconds: z.number().int().min(0).max(604800) }).partial().optional()
        .describe("a `job`'s or `cronjob`'s bounds: `timeoutSeconds` (activeDeadlineSeconds), `retries` (backoffLimit), `keepFinishedSeconds` (ttlSecondsAfterFinished)"),
    image: z.string().min(1).describe("pinned by tag (not `latest`) or digest; required"),
    port: port.optional().describe("main container's port, 1024 or above (no container may bind low ports)"),
    command: z.array(z.string()).optional().describe("main container's command"),
    args: z.array(z.string()).optional().describe("main container's arguments"),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional().describe("settings added to the service's ConfigMap (never credentials)"),
    secrets: z.array(z.enum(APP_SECRETS)).optional().describe("app secrets delivered as env: `database-url` (DATABASE_URL + PGPASSWORD), `redis-url` (REDIS_URL + REDIS_PASSWORD), `mongodb-url` (MONGODB_URL + MONGODB_USERNAME, MONGODB_PASSWORD; brings the stack's DocumentDB), `api-keys` (each key); each also opens the network path to its store"),
    probes: z.strictObject({ readiness: probe, liveness: probe, startup: probe, startupFailureThreshold: z.number().int().min(1).max(120) }).partial().optional()
        .describe("`readiness`, `liveness`, `startup`: an HTTP path or a command; `startupFailureThreshold`"),
    resources: resourcesInput.optional().describe("requests and limits of the main container"),
    replicas: z.strictObject({ min: z.number().int().min(1).max(500), max: z.number().int().min(1).max(500) }).partial().optional().describe("`min`, `max`"),
    autoscaling: z.strictObject({
        cpuPercent: z.number().int().min(1).max(100).nullable(),
        memoryPercent: z.number().int().min(1).max(100).nullable(),
        requestsPerSecondPerPod: z.number().positive().nullable(),
        queue: z.strictObject({ list: z.string().min(1), lengthPerPod: z.number().int().min(1) }).nullable(),
    }).partial().optional().describe("`cpuPercent`, `memoryPercent`, `requestsPerSecondPerPod`, `queue: {list, lengthPerPod}` (null turns one off)"),
    disruptionBudget: z.strictObject({ minAvailable: z.number().int().min(0), maxUnavailable: z.number().int().min(0) }).partial().optional()
        .describe("`minAvailable` or `maxUnavailable`; unset: minAvailable 2 above two replicas, maxUnavailable 1 at two, none at one"),
    ingress: z.strictObject({ paths: z.array(path).min(1) }).nullable().optional().describe("`paths` routed to it on the shared ALB (null: internal)"),
    volumes: z.array(z.strictObject({ name: z.string().regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/), mountPath: path, sizeGiB: z.number().int().min(1).max(16384), shared: z.boolean().optional() })).optional()
        .describe("`[{name, mountPath, sizeGiB, shared}]`: per-replica gp3 volumes (a StatefulSet), or with `shared: true` one EFS directory every replica reads and writes"),
    cluster: z.strictObject({ peerPort: port }).optional()
        .describe("the replicas form one cluster (e.g. Qdrant): a headless `<name>-peers` Service on `peerPort` that lists every pod, ready or not, pods started together (an ordered start deadlocks after a full restart), peers admitted by the network policy, `PEER_DOMAIN` in the env"),
    sidecars: z.array(sidecarInput).optional().describe("extra containers (`port` set: traffic enters through it), sized like a frontend unless set"),
    delivery: z.enum(DELIVERY_STRATEGIES).optional().describe("`rolling`, `canary` or `blueGreen`"),
    staticPaths: z.array(z.string().regex(/^\/[\w./*-]*$/, "a CloudFront path pattern such as \"/assets/*\"")).optional()
        .describe("path patterns the edge (CloudFront) caches, e.g. the frontend's built assets; everything else reaches the service uncached"),
    verticalScaling: z.enum(VERTICAL_SCALING).optional()
        .describe("the VerticalPodAutoscaler's part: `recommend` (requests suggested, never applied) or `auto` (requests set in place, up to the limits; not with cpuPercent or memoryPercent, which the HPA scales on)"),
    nodeGroup: z.enum(SERVICE_NODE_GROUPS).optional().describe("`application` or `queue-worker` (workers default to queue-worker only where the stack has that group)"),
    calls: z.array(z.string()).optional().describe("services it sends requests to (its network policy allows them)"),
    bucketAccess: z.enum(BUCKET_ACCESS).optional().describe("documents bucket through IRSA: `none`, `read`, `readWrite`"),
    internetEgress: z.boolean().optional().describe("HTTPS to anywhere (model providers)"),
    writablePaths: z.array(path).optional().describe("extra writable emptyDir mounts (the root filesystem is read-only)"),
    files: z.record(path, z.string()).optional().describe("config files, absolute path -> content, mounted read-only from the service's `<name>-files` ConfigMap (sidecars take `files` too); a change rolls the pods"),
    secretFiles: z.record(path, z.string().min(1)).optional().describe("keys of the service's secrets mounted as files, absolute path -> key (e.g. `DATABASE_URL`, or a key of api-keys); sidecars take `secretFiles` too"),
    metrics: z.strictObject({ port, path }).partial().optional().describe("port and path Prometheus scrapes"),
    runAsUser: uid.optional().describe("UID the containers run as (never 0)"),
});
export type ServiceInput = z.infer<typeof serviceInput>;
export const servicesInput = z.array(serviceInput);

export interface Resources {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

export interface SidecarSpec {
    name: string;
    /** Config files (path -> content) and secret keys mounted as files (path -> key). */
    files: Record<string, string>;
    secretFiles: Record<string, string>;
    image: string;
    port?: number;
    command?: string[];
    args?: string[];
    env: Record<string, string>;
    resources: Resources;
    writablePaths: string[];
    runAsUser: number;
}

/** One service with every default resolved: what RagWorkload deploys. */
export interface ServiceSpec {
    name: string;
    kind: ServiceKind;
    image: string;
    /** Port the main container serves on; undefined for a worker that takes no requests. */
    port?: number;
    command?: string[];
    args?: string[];
    env: Record<string, string>;
    secrets: AppSecret[];
    probes: { readiness?: string | string[]; liveness?: string | string[]; startup?: string | string[]; startupFailureThreshold: number };
    resources: Resources;
    replicas: { min: number; max: number };
    autoscaling: { cpuPercent?: number; memoryPercent?: number; requestsPerSecondPerPod?: number; queue?: { list: string; lengthPerPod: number } };
    /** Explicit budget; undefined means derived from replicas.min (see disruptionBudgetFor). */
    disruptionBudget?: { minAvailable?: number; maxUnavailable?: number };
    ingress?: { paths: string[] };
    /** Per-replica gp3 volumes (`shared` false) and EFS directories all replicas share (`shared` true). */
    volumes: { name: string; mountPath: string; sizeGiB: number; shared: boolean }[];
    /** Set when the replicas form one cluster and find each other on `peerPort`. */
    cluster?: { peerPort: number };
    /** A cronjob's schedule (UTC). */
    schedule?: string;
    /** Bounds of a job or cronjob run. */
    run: { timeoutSeconds: number; retries: number; keepFinishedSeconds: number };
    sidecars: SidecarSpec[];
    delivery: DeliveryStrategy;
    verticalScaling: (typeof VERTICAL_SCALING)[number];
    /** Path patterns the edge caches. */
    staticPaths: string[];
    nodeGroup: ServiceNodeGroup;
    calls: string[];
    bucketAccess: (typeof BUCKET_ACCESS)[number];
    internetEgress: boolean;
    writablePaths: string[];
    /** Config files of the main container (path -> content) and secret keys mounted as files (path -> key). */
    files: Record<string, string>;
    secretFiles: Record<string, string>;
    metrics: { port: number; path: string };
    runAsUser: number;
}

type KindDefaults = Omit<ServiceSpec, "name" | "image" | "kind" | "command" | "args" | "env" | "volumes" | "cluster" | "schedule" | "run" | "sidecars" | "calls" | "writablePaths" | "files" | "secretFiles" | "runAsUser" | "verticalScaling" | "staticPaths" | "disruptionBudget" | "nodeGroup" | "metrics"> & { metricsPort?: number };

const resources = (cpuRequest: string, memoryRequest: string, cpuLimit: string, memoryLimit: string): Resources => ({
    requests: { cpu: cpuRequest, memory: memoryRequest },
    limits: { cpu: cpuLimit, memory: memoryLimit },
});
const replicas = (environment: Environment, prod: [number, number], staging: [number, number], dev: [number, number]) => {
    const [min, max] = environment === "prod" ? prod : environment === "staging" ? staging : dev;
    return { min, max };
};

/** Spec numbers (docs/requirements.md, the workload) per kind; dev and staging scale the ranges down, not the pods. */
export function kindDefaults(kind: ServiceKind, environment: Environment): KindDefaults {
    const scaling = { cpuPercent: 70, memoryPercent: 80 };
    const rolling = "rolling" as const;
    switch (kind) {
        case "api":
            return {
                port: 8000,
                secrets: [...DEFAULT_SECRETS],
                probes: { readiness: "/ready", liveness: "/health", startup: "/startup", startupFailureThreshold: 30 },
                resources: resources("1", "2Gi", "2", "4Gi"),
                replicas: replicas(environment, [3, 10], [3, 6], [2, 4]),
                autoscaling: { ...scaling, requestsPerSecondPerPod: 100 },
                ingress: { paths: ["/api"] },
                delivery: rolling,
                bucketAccess: "readWrite",
                internetEgress: true, // model providers' APIs
            };
        case "frontend":
            return {
                port: 8080,
                secrets: [],
                probes: { readiness: "/", liveness: "/", startup: "/", startupFailureThreshold: 30 },
                resources: resources("250m", "256Mi", "500m", "512Mi"),
                replicas: replicas(environment, [2, 5], [2, 3], [1, 2]),
                autoscaling: scaling,
                ingress: { paths: ["/"] },
                delivery: rolling,
                bucketAccess: "none",
                internetEgress: false,
            };
        case "worker":
            return {
                port: undefined,
                secrets: [...DEFAULT_SECRETS],
                probes: { startupFailureThreshold: 30 },
                resources: resources("500m", "1Gi", "1", "2Gi"),
                // The spec's 1-50; staging and prod keep two so a node drain never stops the queue.
                replicas: replicas(environment, [2, 50], [2, 20], [1, 5]),
                autoscaling: { queue: { list: "celery", lengthPerPod: 100 } },
                ingress: undefined,
                delivery: rolling,
                bucketAccess: "readWrite",
                internetEgress: true,
                metricsPort: 9808,
            };
        case "job":
        case "cronjob":
            return {
                port: undefined,
                secrets: [...DEFAULT_SECRETS],
                probes: { startupFailureThreshold: 30 },
                resources: resources("500m", "1Gi", "1", "2Gi"),
                replicas: { min: 1, max: 1 },
                autoscaling: {},
                ingress: undefined,
                delivery: rolling,
                bucketAccess: "readWrite",
                internetEgress: true,
                metricsPort: 9808,
            };
        case "service":
            return {
                port: 8080,
                secrets: [],
                probes: { startupFailureThreshold: 30 },
                resources: resources("500m", "1Gi", "1", "2Gi"),
                replicas: replicas(environment, [2, 4], [2, 3], [1, 2]),
                autoscaling: scaling,
                ingress: undefined,
                delivery: rolling,
                bucketAccess: "none",
                internetEgress: false,
            };
    }
}

/** S0 (MCP RAG Demo): the FastAPI backend (REST + MCP + RAG) and the frontend. The default of every stack. */
export const DEFAULT_SERVICES: ServiceInput[] = [
    { name: "api", kind: "api", image: "public.ecr.aws/rag-platform/api:1.0.0" },
    { name: "frontend", kind: "frontend", image: "public.ecr.aws/rag-platform/frontend:1.0.0" },
];

export interface ServiceProblem {
    /** Path under `services` as `pulumi config set --path` takes it, e.g. `services[0].replicas.min`. */
    path: string;
    value: unknown;
    message: string;
    allowed: string;
}

const at = (index: number, field?: string) => `services[${index}]${field ? `.${field}` : ""}`;

/** Zod's complaints about the raw list, as problems with config paths. */
export function parseServices(value: unknown): { services?: ServiceInput[]; problems: ServiceProblem[] } {
    const result = servicesInput.safeParse(value);
    if (result.success) return { services: result.data, problems: [] };
    const pathOf = (parts: PropertyKey[]) => "services" + parts.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
    const allowed = "see the service model in docs/services.md and model/services.ts";
    return {
        // Each unknown field is named where it is, with its own value: never the whole service.
        problems: result.error.issues.flatMap((issue) =>
            issue.code === "unrecognized_keys"
                ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), value: shownValue(key, valueAt(value, [...issue.path, key])), message: "unknown field", allowed }))
                : [{ path: pathOf(issue.path), value: shownValue(String(issue.path.at(-1) ?? ""), valueAt(value, issue.path)), message: issue.message, allowed }],
        ),
    };
}

/** A value as a message may show it: never a credential, never a whole object (it may hold one). */
function shownValue(key: string, value: unknown): unknown {
    if (CREDENTIAL_KEY.test(key) || looksLikeCredential(value)) return "[redacted]";
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return `(a map of ${Object.keys(value).join(", ") || "nothing"})`;
    return value;
}

/** Values that are credentials whatever their name: AWS access key ids, PEM keys, URLs with a password. */
function looksLikeCredential(value: unknown): boolean {
    return typeof value === "string" && (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(value) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) || /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value));
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let value: unknown = root;
    for (const part of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
    return value;
}

export interface ServiceContext {
    environment: Environment;
    /** Whether the stack runs a queue-worker node group. */
    hasWorkerGroup: boolean;
}

/** Every default applied. */
export function resolveServices(inputs: ServiceInput[], context: ServiceContext): ServiceSpec[] {
    return inputs.map((input) => {
        const kind = input.kind ?? "service";
        const d = kindDefaults(kind, context.environment);
        const nullable = <T>(value: T | null | undefined, fallback: T | undefined) => (value === null ? undefined : (value ?? fallback));
        const servicePort = input.port ?? d.port;
        const res = (r: z.infer<typeof resourcesInput> | undefined, base: Resources): Resources => ({
            requests: { ...base.requests, ...r?.requests },
            limits: { ...base.limits, ...r?.limits },
        });
        return {
            name: input.name,
            kind,
            image: input.image,
            port: servicePort,
            command: input.command,
            args: input.args,
            env: input.env ?? {},
            secrets: input.secrets ?? d.secrets,
            probes: { ...d.probes, ...input.probes },
            resources: res(input.resources, d.resources),
            replicas: { min: input.replicas?.min ?? d.replicas.min, max: input.replicas?.max ?? Math.max(d.replicas.max, input.replicas?.min ?? 0) },
            autoscaling: {
                cpuPercent: nullable(input.autoscaling?.cpuPercent, d.autoscaling.cpuPercent),
                memoryPercent: nullable(input.autoscaling?.memoryPercent, d.autoscaling.memoryPercent),
                requestsPerSecondPerPod: nullable(input.autoscaling?.requestsPerSecondPerPod, d.autoscaling.requestsPerSecondPerPod),
                queue: nullable(input.autoscaling?.queue, d.autoscaling.queue),
            },
            disruptionBudget: input.disruptionBudget,
            ingress: input.ingress === null ? undefined : (input.ingress ?? d.ingress),
            volumes: (input.volumes ?? []).map((v) => ({ ...v, shared: v.shared ?? false })),
            cluster: input.cluster,
            schedule: input.schedule,
            run: { timeoutSeconds: input.run?.timeoutSeconds ?? 3600, retries: input.run?.retries ?? 2, keepFinishedSeconds: input.run?.keepFinishedSeconds ?? 86400 },
            sidecars: (input.sidecars ?? []).map((s) => ({
                name: s.name,
                image: s.image,
                port: s.port,
                command: s.command,
                args: s.args,
                env: s.env ?? {},
                resources: res(s.resources, kindDefaults("frontend", context.environment).resources),
                writablePaths: s.writablePaths ?? [],
                files: s.files ?? {},
                secretFiles: s.secretFiles ?? {},
                runAsUser: s.runAsUser ?? DEFAULT_UID,
            })),
            delivery: input.delivery ?? d.delivery,
            verticalScaling: input.verticalScaling ?? "recommend",
            // A frontend's built files are content-hashed and immutable: the edge may keep them.
            staticPaths: input.staticPaths ?? (kind === "frontend" ? ["/assets/*", "/static/*"] : []),
            nodeGroup: input.nodeGroup ?? (kind === "worker" && context.hasWorkerGroup ? "queue-worker" : "application"),
            calls: input.calls ?? [],
            bucketAccess: input.bucketAccess ?? d.bucketAccess,
            internetEgress: input.internetEgress ?? d.internetEgress,
            writablePaths: input.writablePaths ?? [],
            files: input.files ?? {},
            secretFiles: input.secretFiles ?? {},
            metrics: { port: input.metrics?.port ?? d.metricsPort ?? servicePort ?? 9808, path: input.metrics?.path ?? "/metrics" },
            runAsUser: input.runAsUser ?? DEFAULT_UID,
        };
    });
}

/** The PodDisruptionBudget a service gets: the spec's minAvailable 2 where a drain can still evict, else maxUnavailable 1. */
export function disruptionBudgetFor(service: ServiceSpec): { minAvailable?: number; maxUnavailable?: number } | undefined {
    if (BATCH_KINDS.includes(service.kind)) return undefined; // a run is retried, not protected from drains
    if (service.disruptionBudget) return service.disruptionBudget;
    if (service.replicas.min < 2) return undefined; // a one-replica budget either blocks drains or protects nothing
    return service.replicas.min > 2 ? { minAvailable: 2 } : { maxUnavailable: 1 };
}

/** The ports traffic reaches a service on: the sidecar that fronts it, else the main container. */
export function servingPort(service: ServiceSpec): number | undefined {
    return service.sidecars.find((s) => s.port !== undefined)?.port ?? service.port;
}

/** The volumes each replica has of its own (gp3, claimed per pod): with any, the service runs as a StatefulSet. */
export function ownVolumes(service: ServiceSpec): ServiceSpec["volumes"] {
    return service.volumes.filter((v) => !v.shared);
}

/** The volumes every replica shares (EFS): the stack needs a shared file system when any service has one. */
export function sharedVolumes(service: ServiceSpec): ServiceSpec["volumes"] {
    return service.volumes.filter((v) => v.shared);
}

/** Whether the service scales on anything (otherwise it runs replicas.min, fixed). */
export function isAutoscaled(service: ServiceSpec): boolean {
    if (BATCH_KINDS.includes(service.kind)) return false;
    const a = service.autoscaling;
    return service.replicas.max > service.replicas.min && Boolean(a.cpuPercent || a.memoryPercent || a.requestsPerSecondPerPod || a.queue);
}

/** The rules a resolved service list keeps. */
export function checkServices(services: ServiceSpec[], context: ServiceContext): ServiceProblem[] {
    const problems: ServiceProblem[] = [];
    const report = (path: string, value: unknown, message: string, allowed: string) => problems.push({ path, value, message, allowed });
    const names = services.map((s) => s.name);
    if (services.length === 0) report("services", [], "no services to deploy", "one or more services (the default is S0's api and frontend)");
    const seenPaths = new Map<string, string>();

    services.forEach((s, i) => {
        if (names.indexOf(s.name) !== i) report(at(i, "name"), s.name, "a service of this name is listed earlier", "distinct service names");
        const pinned = (image: string, field: string) => {
            const problem = imageProblem(image);
            if (problem) report(at(i, field), image, problem, "repo:<version> or repo@sha256:<digest> (never latest)");
        };
        pinned(s.image, "image");
        s.sidecars.forEach((c, j) => pinned(c.image, `sidecars[${j}].image`));

        if (s.runAsUser === 0) report(at(i, "runAsUser"), 0, "asks for root; every container runs as a non-root user", `a UID other than 0 (default ${DEFAULT_UID})`);
        // Plain env is stored in the stack file and the pod spec for anyone to read: credentials go through secrets.
        const plainCredentials = (env: Record<string, string>, field: string) => {
            for (const [name, text] of Object.entries(env)) {
                if (CREDENTIAL_KEY.test(name) || looksLikeCredential(text)) {
                    report(at(i, `${field}.${name}`), "[redacted]", "a credential in plain env (stored in the stack file and the pod spec)", `the platform's secrets: "secrets": [${APP_SECRETS.map((a) => `"${a}"`).join(", ")}], delivered by External Secrets; operators put model keys into api-keys`);
                }
            }
        };
        plainCredentials(s.env, "env");
        s.sidecars.forEach((c, j) => plainCredentials(c.env, `sidecars[${j}].env`));
        s.sidecars.forEach((c, j) => {
            if (c.runAsUser === 0) report(at(i, `sidecars[${j}].runAsUser`), 0, "asks for root; every container runs as a non-root user", `a UID other than 0 (default ${DEFAULT_UID})`);
        });

        const batch = BATCH_KINDS.includes(s.kind);
        if (batch) {
            if (s.kind === "cronjob" && !s.schedule) report(at(i, "schedule"), undefined, "a cronjob runs on a schedule", "a cron schedule of five fields, e.g. \"0 3 * * *\"");
            if (s.kind !== "cronjob" && s.schedule) report(at(i, "schedule"), s.schedule, `only a cronjob runs on a schedule (this is a ${s.kind})`, "kind cronjob, or no schedule");
            const serving: [string, unknown][] = [["port", s.port], ["ingress", s.ingress], ["cluster", s.cluster], ["volumes", ownVolumes(s).length ? ownVolumes(s) : undefined]];
            for (const [field, value] of serving) if (value !== undefined) report(at(i, field), value, `a ${s.kind} runs to completion: it takes no ${field}`, "none (shared volumes are fine)");
            if (s.replicas.min !== 1 || s.replicas.max !== 1) report(at(i, "replicas"), s.replicas, `a ${s.kind} runs one pod at a time`, "none, or {min: 1, max: 1}");
            if (s.delivery !== "rolling") report(at(i, "delivery"), s.delivery, `a ${s.kind} is not rolled out`, '"rolling" (the default)');
        } else if (s.schedule) {
            report(at(i, "schedule"), s.schedule, `only a cronjob runs on a schedule (this is a ${s.kind})`, "kind cronjob, or no schedule");
        }
        if (!batch && (!s.probes.readiness || !s.probes.liveness)) {
            report(at(i, "probes"), s.probes, `service "${s.name}" has no ${!s.probes.readiness ? "readiness" : "liveness"} probe: traffic and restarts would not follow its health`, "readiness and liveness probes: an HTTP path (\"/ready\") or a command ([\"celery\", \"inspect\", \"ping\"])");
        }
        for (const kind of ["readiness", "liveness", "startup"] as const) {
            const probe = s.probes[kind];
            if (typeof probe === "string" && s.port === undefined) report(at(i, `probes.${kind}`), probe, "an HTTP probe needs the service's port", "a command probe, or set port");
        }

        if (s.replicas.min > s.replicas.max) report(at(i, "replicas.max"), s.replicas.max, `below replicas.min (${s.replicas.min})`, `${s.replicas.min} or more`);
        if (context.environment !== "dev" && s.replicas.min < 2 && !batch) {
            report(at(i, "replicas.min"), s.replicas.min, `one replica in ${context.environment}: a node drain or a zone outage stops the service (the high-availability pack requires 2)`, "2 or more");
        }
        const budget = s.disruptionBudget;
        if (budget) {
            if (budget.minAvailable !== undefined && budget.maxUnavailable !== undefined) report(at(i, "disruptionBudget"), budget, "sets both minAvailable and maxUnavailable", "one of them");
            else if (budget.minAvailable !== undefined && budget.minAvailable >= s.replicas.min) {
                report(at(i, "disruptionBudget.minAvailable"), budget.minAvailable, `at least replicas.min (${s.replicas.min}): no pod could ever be evicted and node drains would hang`, `below ${s.replicas.min}`);
            } else if (budget.maxUnavailable !== undefined && budget.maxUnavailable < 1) {
                report(at(i, "disruptionBudget.maxUnavailable"), budget.maxUnavailable, "no pod could ever be evicted and node drains would hang", "1 or more");
            }
        }

        if (s.autoscaling.requestsPerSecondPerPod && servingPort(s) === undefined) report(at(i, "autoscaling.requestsPerSecondPerPod"), s.autoscaling.requestsPerSecondPerPod, "scales on request rate but serves no port", "a port, or no request-rate target");
        if (s.autoscaling.queue && !s.secrets.includes("redis-url")) report(at(i, "secrets"), s.secrets, "scales on a Redis queue but does not receive redis-url", 'a list including "redis-url"');
        if (s.staticPaths.length > 0 && !s.ingress) report(at(i, "staticPaths"), s.staticPaths, "the edge caches only what the load balancer routes, and this service has no ingress", "none, or ingress paths");
        if (s.ingress && servingPort(s) === undefined) report(at(i, "ingress"), s.ingress, "exposed through the load balancer but serves no port", "a port, or no ingress");
        for (const p of s.ingress?.paths ?? []) {
            const other = seenPaths.get(p);
            if (other) report(at(i, "ingress.paths"), p, `already routed to service "${other}"`, "paths no other service uses");
            else seenPaths.set(p, s.name);
        }
        if (s.delivery !== "rolling" && ownVolumes(s).length > 0) {
            report(at(i, "delivery"), s.delivery, "a service with volumes of its own per replica runs as a StatefulSet, which Argo Rollouts cannot shift traffic for", '"rolling"');
        }
        // Replicas with a volume each hold their own copy: unless they replicate to one another, the copies diverge.
        if (ownVolumes(s).length > 0 && s.replicas.max > 1 && !s.cluster) {
            report(at(i, "volumes"), ownVolumes(s).map((v) => v.name), `up to ${s.replicas.max} replicas would each keep a volume of their own, and their data would diverge`, "`cluster: {peerPort}` for a store whose replicas replicate one another, `shared: true` for files every replica reads and writes (EFS), or replicas {min: 1, max: 1}");
        }
        if (s.cluster) {
            if (ownVolumes(s).length === 0) report(at(i, "cluster"), s.cluster, "a cluster's members keep their state on volumes of their own", "a volume without `shared`, or no cluster");
            if (s.replicas.min !== s.replicas.max) report(at(i, "replicas"), s.replicas, "a cluster's membership is its replica count: it is not autoscaled", "min equal to max");
            if ([s.port, s.metrics.port, ...s.sidecars.map((c) => c.port)].includes(s.cluster.peerPort)) report(at(i, "cluster.peerPort"), s.cluster.peerPort, "collides with another port of the service", "a port of its own");
        }
        // Two autoscalers on one resource: the HPA adds pods as usage nears the request, the VPA raises the request.
        if (s.verticalScaling === "auto" && (s.autoscaling.cpuPercent || s.autoscaling.memoryPercent)) {
            report(at(i, "verticalScaling"), "auto", "the HPA scales this service on CPU or memory, which a VPA in auto would keep resizing under it", '"recommend", or autoscaling.cpuPercent and memoryPercent null (scale out on requests or a queue instead)');
        }
        if (s.verticalScaling === "auto" && batch) report(at(i, "verticalScaling"), "auto", `a ${s.kind}'s runs are too short for the VPA to act on`, '"recommend"');
        if (s.delivery !== "rolling" && servingPort(s) === undefined) report(at(i, "delivery"), s.delivery, "canary and blue-green shift traffic, and this service takes none", '"rolling"');
        if (s.nodeGroup === "queue-worker" && !context.hasWorkerGroup) {
            report(at(i, "nodeGroup"), s.nodeGroup, "the stack runs no queue-worker node group (workerNodeMaxSize is 0)", '"application", or size the worker group');
        }
        s.calls.forEach((target, j) => {
            const callee = services.find((o) => o.name === target);
            if (!callee) report(at(i, `calls[${j}]`), target, "no service of this name", `one of ${names.map((n) => JSON.stringify(n)).join(", ")}`);
            else if (servingPort(callee) === undefined) report(at(i, `calls[${j}]`), target, `service "${target}" serves no port`, "a service with a port");
        });
        const mounts = [...s.writablePaths, ...s.volumes.map((v) => v.mountPath), ...Object.keys(s.files), ...Object.keys(s.secretFiles)];
        if (new Set(mounts).size !== mounts.length) report(at(i, "volumes"), mounts, "two volumes, writable paths or files share a mount path", "distinct mount paths");
        // Secret files come from the service's own Secret: it must take secrets, and a key it does not have mounts nothing.
        const secretKeys = new Set(s.secrets.flatMap((secret) => SECRET_KEYS[secret]));
        const checkSecretFiles = (files: Record<string, string>, field: string) => {
            for (const [file, key] of Object.entries(files)) {
                if (!s.secrets.includes("api-keys") && !secretKeys.has(key)) {
                    report(at(i, `${field}.${file}`), key, s.secrets.length ? "not a key of the service's secrets" : "the service takes no secrets", `one of ${[...secretKeys].join(", ") || "the keys of the secrets it takes"}, or any key of api-keys once it takes api-keys`);
                }
            }
        };
        checkSecretFiles(s.secretFiles, "secretFiles");
        s.sidecars.forEach((c, j) => checkSecretFiles(c.secretFiles, `sidecars[${j}].secretFiles`));
        const ports = [s.port, s.metrics.port, ...s.sidecars.map((c) => c.port)].filter((p) => p !== undefined);
        if (s.metrics.port !== s.port && new Set(ports).size !== ports.length) report(at(i, "metrics.port"), s.metrics.port, "collides with another container port", "a port no container of the service uses");
        checkResources(s.resources, at(i, "resources"), report);
        s.sidecars.forEach((c, j) => checkResources(c.resources, at(i, `sidecars[${j}].resources`), report));
    });
    return problems;
}

function checkResources(r: Resources, path: string, report: (path: string, value: unknown, message: string, allowed: string) => void) {
    if (parseCpu(r.limits.cpu) < parseCpu(r.requests.cpu)) report(`${path}.limits.cpu`, r.limits.cpu, `below the request (${r.requests.cpu})`, `${r.requests.cpu} or more`);
    if (parseMemoryMiB(r.limits.memory) < parseMemoryMiB(r.requests.memory)) report(`${path}.limits.memory`, r.limits.memory, `below the request (${r.requests.memory})`, `${r.requests.memory} or more`);
}

/**
 * Why an image reference is not pinned, as the container-hardening pack judges it, or not a valid reference;
 * undefined when it is fine. Config catches it before the pack would.
 */
export function imageProblem(image: string): string | undefined {
    const unpinned = unpinnedImage(image);
    if (unpinned || /@sha256:[0-9a-f]{64}$/.test(image)) return unpinned;
    const tag = image.slice(image.lastIndexOf(":") + 1);
    return /^\w[\w.-]{0,127}$/.test(tag) ? undefined : `image ${image} has a malformed tag`;
}

/** Millicores in a CPU quantity. */
export function parseCpu(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** MiB in a memory quantity (Mi or Gi). */
export function parseMemoryMiB(quantity: string): number {
    return quantity.endsWith("Gi") ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
}

/** The resources of each container of a pod of the service: the main container and every sidecar. */
export function containerResources(service: ServiceSpec): Resources[] {
    return [service.resources, ...service.sidecars.map((s) => s.resources)];
}

/**
 * The most one pod of the service may come to request: a VPA in auto raises the main container's requests up to
 * its limits (its maxAllowed), so that container counts at its limits; otherwise what the pod requests.
 */
export function podRequestCeiling(service: ServiceSpec): { cpuMillis: number; memoryMiB: number } {
    if (service.verticalScaling !== "auto") return podTotal(service, "requests");
    return sumQuantities([service.resources.limits, ...service.sidecars.map((sidecar) => sidecar.resources.requests)]);
}

/** What one pod of the service requests, or is limited to, over all its containers. */
export function podTotal(service: ServiceSpec, kind: keyof Resources): { cpuMillis: number; memoryMiB: number } {
    return sumQuantities(containerResources(service).map((r) => r[kind]));
}

/** CPU and memory of several containers together. */
function sumQuantities(quantities: Resources[keyof Resources][]): { cpuMillis: number; memoryMiB: number } {
    return {
        cpuMillis: quantities.reduce((sum, q) => sum + parseCpu(q.cpu), 0),
        memoryMiB: quantities.reduce((sum, q) => sum + parseMemoryMiB(q.memory), 0),
    };
}
