import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BATCH_KINDS, disruptionBudgetFor, isAutoscaled, ownVolumes, SECRET_KEYS, servingPort, sharedVolumes, type Resources, type ServiceSpec } from "../model/services";
import { DATA_PORTS, DOCUMENTDB_PORT } from "../model/ports";
import { DEDICATED_TAINT_KEY, NODE_GROUP_LABEL } from "./cluster";
import { argsRejecter } from "./args";
import { irsaRole } from "./irsa-role";

export interface WorkloadServiceArgs {
    /** The service, every default resolved (model/services.ts). Required. */
    service: ServiceSpec;
    /** Every service of the workload: who calls this one, and whom it calls. Required. */
    peers: ServiceSpec[];
    /** Namespace the workload runs in (created by RagWorkload). Required. */
    namespace: string;
    /** Prefix of the data tier's Secrets Manager names (`<cluster>/`). Required. */
    secretPrefix: string;
    /** ClusterSecretStore the ExternalSecrets read through. Required. */
    secretStoreName: string;
    /** The database's workload credentials (rotated by alternating users): user and password reach pods as PGUSER and PGPASSWORD. Required when the service takes database-url. */
    databaseCredentialsSecretArn: pulumi.Input<string>;
    /** DocumentDB's managed master secret: its user and password reach pods. Required when the service takes mongodb-url. */
    documentDbMasterSecretArn?: pulumi.Input<string>;
    /** OIDC provider ARN and issuer of the cluster, and the partition, for the service's IRSA role. Required. */
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Documents bucket and the key that encrypts it, for the service's bucket access. Required. */
    documentsBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    dataKmsKeyArn: pulumi.Input<string>;
    /** The cache KEDA's queue-length trigger reads: its endpoint, port and whether it runs in cluster mode. Required. */
    cache: { endpoint: pulumi.Input<string>; port: pulumi.Input<number>; clusterMode: boolean };
    /** CIDRs for the network policy: where the ALB's nodes sit, the data tier, the VPC (interface endpoints). Required. */
    cidrs: { loadBalancers: string[]; data: string[]; vpc: string };
    /** EFS file system of the service's shared volumes (DataTier's SharedFiles). Required when it has any. */
    sharedFileSystemId?: pulumi.Input<string>;
    /** Data-tier ports the service may reach. Default model/ports.ts DATA_PORTS (5432 and 6379). */
    dataPorts?: { database: number; cache: number };
    /** Observability hooks: namespace Prometheus scrapes from, its URL, the OTLP endpoint. Required. */
    observability: { namespace: string; prometheusUrl: string; otlpEndpoint: string };
    /** The SLOs a canary or blue-green analysis holds the new version to. Required. */
    slo: { errorRate: number; latencyP95Seconds: number };
    /** Settings every service receives in its ConfigMap (region, environment, ...). Default `{}`. */
    settings?: Record<string, pulumi.Input<string>>;
    /**
     * The public entry point: ALB annotations shared by every Ingress of the group, and `probePath`, answered for
     * any host name (a failover primary's health check). Default none (cluster-internal).
     */
    ingress?: { host: string; annotations: Record<string, pulumi.Input<string>>; probePath?: string };
    /** Tags on AWS resources. Default `{}`. */
    tags?: Record<string, string>;
}

export const SERVICE_LABEL = "rag-platform.io/service";
/** StorageClass of EFS volumes (RagWorkload creates it for dynamic claims; shared volumes bind statically). */
export const SHARED_STORAGE_CLASS = "efs";
export const EFS_CSI_DRIVER = "efs.csi.aws.com";
const ZONE = "topology.kubernetes.io/zone";

/** How often External Secrets re-reads Secrets Manager for a service's secrets. */
export const SECRET_REFRESH_INTERVAL = "5m";
/** Annotation keys of Stakater Reloader (ClusterAddons), which rolls a workload when a named Secret or ConfigMap changes. */
export const RELOAD_SECRET_ANNOTATION = "secret.reloader.stakater.com/reload";
export const RELOAD_CONFIGMAP_ANNOTATION = "configmap.reloader.stakater.com/reload";

/**
 * Environment variables are read once at start: a rotated password or a changed setting reaches the pods only
 * through a rolling restart, which Reloader does when the service's Secret or ConfigMap changes.
 */
function reloadOnChange(s: ServiceSpec): Record<string, string> {
    return {
        ...(s.secrets.length > 0 ? { [RELOAD_SECRET_ANNOTATION]: `${s.name}-secrets` } : {}),
        [RELOAD_CONFIGMAP_ANNOTATION]: Object.keys(allFiles(s)).length ? `${s.name}-config,${s.name}-files` : `${s.name}-config`,
    };
}

const FILES_VOLUME = "files";
const SECRET_FILES_VOLUME = "secret-files";

/** The ConfigMap key of a container's file: its container and path, in the characters a key may hold. */
function fileKey(container: string, file: string): string {
    return `${container}.${file.slice(1).replace(/[^-._a-zA-Z0-9]/g, "_")}`;
}

/** Every config file of the service's containers, by ConfigMap key. */
function allFiles(s: ServiceSpec): Record<string, string> {
    return Object.fromEntries([s, ...s.sidecars].flatMap((c) => Object.entries(c.files).map(([file, content]) => [fileKey(c.name, file), content])));
}

function hasSecretFiles(s: ServiceSpec): boolean {
    return [s, ...s.sidecars].some((c) => Object.keys(c.secretFiles).length > 0);
}

type Meta = (objectName: string, extra?: Record<string, string>) => k8s.types.input.meta.v1.ObjectMeta;

/** What each step of building one service reads: the service, the component's args and the names derived from them. */
interface Step {
    name: string;
    s: ServiceSpec;
    args: WorkloadServiceArgs;
    labels: Record<string, string>;
    selector: Record<string, string>;
    meta: Meta;
    /** The port the service's Services forward to (a proxy sidecar's, or the main container's). */
    port: number | undefined;
    /** Routed from the stack's ALB: its pods wait out target deregistration before they stop. */
    exposed: boolean;
}

/**
 * One service of the RAG workload on Kubernetes: its ServiceAccount and IRSA role, ExternalSecret and ConfigMap,
 * the workload (Deployment; StatefulSet when it has volumes; Argo Rollout for canary or blue-green), Services,
 * PodDisruptionBudget, KEDA ScaledObject, ServiceMonitor, NetworkPolicy and, when exposed, its Ingress on the
 * shared ALB. Takes the Kubernetes provider from its `providers` option.
 */
export class WorkloadService extends pulumi.ComponentResource {
    /** In-cluster URL, or undefined for a service that takes no requests. */
    readonly url?: string;
    /** The Ingress, when the service is exposed: its status carries the ALB's host name. */
    readonly ingress?: k8s.networking.v1.Ingress;
    readonly roleArn?: pulumi.Output<string>;

    constructor(name: string, args: WorkloadServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.service.secrets.includes("mongodb-url") && args.documentDbMasterSecretArn === undefined) {
            argsRejecter("WorkloadService")("documentDbMasterSecretArn", undefined, `DocumentDB's master secret: ${args.service.name} takes mongodb-url`);
        }
        if (sharedVolumes(args.service).length > 0 && args.sharedFileSystemId === undefined) {
            argsRejecter("WorkloadService")("sharedFileSystemId", undefined, `an EFS file system id: ${args.service.name} has shared volumes`);
        }
        super("rag:workload:Service", name, {}, opts);
        const s = args.service;
        const labels = { "app.kubernetes.io/name": s.name, "app.kubernetes.io/part-of": "rag-platform", [SERVICE_LABEL]: s.name };
        const step: Step = {
            name,
            s,
            args,
            labels,
            selector: { [SERVICE_LABEL]: s.name },
            meta: (objectName, extra = {}) => ({ name: objectName, namespace: args.namespace, labels: { ...labels, ...extra } }),
            port: servingPort(s),
            exposed: s.ingress !== undefined && args.ingress !== undefined,
        };

        this.roleArn = this.bucketRole(step);
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: { ...step.meta(s.name), annotations: this.roleArn ? { "eks.amazonaws.com/role-arn": this.roleArn } : {} },
            // The IRSA webhook mounts its own projected token; no pod needs the Kubernetes API.
            automountServiceAccountToken: false,
        }, { parent: this });
        const externalSecret = this.externalSecret(step);
        const configMap = this.configMap(step);
        const files = Object.keys(allFiles(s)).length
            ? [new k8s.core.v1.ConfigMap(`${name}-files`, { metadata: step.meta(`${s.name}-files`), data: allFiles(s) }, { parent: this })]
            : [];
        const claims = this.sharedClaims(step);
        const envFrom = [...(externalSecret ? [{ secretRef: { name: `${s.name}-secrets` } }] : []), { configMapRef: { name: configMap.metadata.name } }];

        // An autoscaled workload leaves spec.replicas to KEDA: setting it here would reset the scale on every update.
        const autoscaled = isAutoscaled(s);
        const workload = this.workload(step, podTemplate(step, envFrom), autoscaled ? undefined : s.replicas.min, [serviceAccount, ...(externalSecret ? [externalSecret] : []), ...files, ...claims]);
        this.url = this.services(step);
        if (!BATCH_KINDS.includes(s.kind)) this.monitoring(step); // a run has no endpoint to scrape
        this.disruptionBudget(step);
        if (autoscaled) this.scaledObject(step, workload);
        if (!BATCH_KINDS.includes(s.kind)) this.verticalAutoscaler(step, workload);
        this.networkPolicy(step, args.dataPorts ?? { database: DATA_PORTS.postgres, cache: DATA_PORTS.redis });
        this.ingress = this.ingressFor(step, workload);
        this.registerOutputs({ url: this.url, roleArn: this.roleArn });
    }

    /** An IRSA role limited to the documents bucket and its key, when the service touches the bucket. */
    private bucketRole({ name, s, args }: Step): pulumi.Output<string> | undefined {
        if (s.bucketAccess === "none") return undefined;
        const write = s.bucketAccess === "readWrite";
        return irsaRole(`${name}-role`, {
            oidcProviderArn: args.oidcProviderArn,
            oidcIssuer: args.oidcIssuer,
            partition: args.partition,
            namespace: args.namespace,
            serviceAccount: s.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: args.documentsBucket.arn },
                    { Effect: "Allow", Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"] : ["s3:GetObject"], Resource: pulumi.interpolate`${args.documentsBucket.arn}/*` },
                    { Effect: "Allow", Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"], Resource: args.dataKmsKeyArn },
                ],
            }),
            tags: args.tags,
        }, { parent: this }).arn;
    }

    /** The service's app secrets from Secrets Manager through External Secrets, when it takes any. */
    private externalSecret({ name, s, args, meta }: Step): k8s.apiextensions.CustomResource | undefined {
        if (s.secrets.length === 0) return undefined;
        const data: Record<string, unknown>[] = [];
        const dataFrom: Record<string, unknown>[] = [];
        const remote = (secretName: string) => `${args.secretPrefix}${secretName}`;
        // Each secret's keys in model/services.ts SECRET_KEYS order: the connection, then its credentials.
        const [databaseUrl, pgUser, pgPassword] = SECRET_KEYS["database-url"];
        const [redisUrl, redisPassword] = SECRET_KEYS["redis-url"];
        const [mongoUrl, mongoUser, mongoPassword] = SECRET_KEYS["mongodb-url"];
        if (s.secrets.includes("database-url")) {
            data.push({ secretKey: databaseUrl, remoteRef: { key: remote("database-url"), property: "url" } });
            // libpq and asyncpg read PGUSER and PGPASSWORD: the URL names neither, since rotation alternates the user
            // (rag_app, rag_app_clone) with the password, and the pair the pods hold stays valid until the next one.
            data.push({ secretKey: pgUser, remoteRef: { key: args.databaseCredentialsSecretArn, property: "username" } });
            data.push({ secretKey: pgPassword, remoteRef: { key: args.databaseCredentialsSecretArn, property: "password" } });
        }
        if (s.secrets.includes("redis-url")) {
            data.push({ secretKey: redisUrl, remoteRef: { key: remote("redis-url") } });
            data.push({ secretKey: redisPassword, remoteRef: { key: remote("cache-auth-token") } });
        }
        if (s.secrets.includes("mongodb-url")) {
            // Likewise: DocumentDB's managed secret rotates, and Mongo drivers take the user and password apart.
            data.push({ secretKey: mongoUrl, remoteRef: { key: remote("mongodb-url") } });
            data.push({ secretKey: mongoUser, remoteRef: { key: args.documentDbMasterSecretArn!, property: "username" } });
            data.push({ secretKey: mongoPassword, remoteRef: { key: args.documentDbMasterSecretArn!, property: "password" } });
        }
        if (s.secrets.includes("api-keys")) dataFrom.push({ extract: { key: remote("api-keys") } });
        return new k8s.apiextensions.CustomResource(`${name}-secrets`, {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: meta(`${s.name}-secrets`),
            spec: {
                // RDS rotates the master password in place (the old one stops working): pick it up within
                // minutes, then Reloader rolls the pods (reloadOnChange) so new connections use it.
                refreshInterval: SECRET_REFRESH_INTERVAL,
                secretStoreRef: { kind: "ClusterSecretStore", name: args.secretStoreName },
                target: { name: `${s.name}-secrets`, creationPolicy: "Owner", deletionPolicy: "Retain" },
                data,
                dataFrom,
            },
        }, { parent: this });
    }

    /** The service's settings: the stack's, its bucket and telemetry endpoints, then its own `env`. */
    private configMap({ name, s, args, meta }: Step): k8s.core.v1.ConfigMap {
        return new k8s.core.v1.ConfigMap(`${name}-config`, {
            metadata: meta(`${s.name}-config`),
            data: {
                ...args.settings,
                SERVICE_NAME: s.name,
                DOCUMENTS_BUCKET: args.documentsBucket.name,
                OTEL_SERVICE_NAME: s.name,
                OTEL_EXPORTER_OTLP_ENDPOINT: args.observability.otlpEndpoint,
                OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
                // The collector samples (per environment); services send every span.
                OTEL_TRACES_SAMPLER: "parentbased_always_on",
                METRICS_PORT: String(s.metrics.port),
                ...(s.port ? { PORT: String(s.port) } : {}),
                ...s.env,
            },
        }, { parent: this });
    }

    /**
     * Each shared volume: an EFS access point (its own directory, entered as the service's UID, which the file
     * system's root squash cannot override), a PersistentVolume bound to it and the service's claim on that.
     */
    private sharedClaims({ name, s, args, meta, labels }: Step): k8s.core.v1.PersistentVolumeClaim[] {
        const volumes = sharedVolumes(s);
        if (volumes.length === 0) return [];
        const fileSystemId = args.sharedFileSystemId!; // checked before anything was registered
        return volumes.map((v) => {
            const accessPoint = new aws.efs.AccessPoint(`${name}-${v.name}`, {
                fileSystemId,
                posixUser: { uid: s.runAsUser, gid: s.runAsUser },
                rootDirectory: { path: `/${args.namespace}/${s.name}/${v.name}`, creationInfo: { ownerUid: s.runAsUser, ownerGid: s.runAsUser, permissions: "0750" } },
                tags: { ...args.tags, Name: `${args.namespace}-${s.name}-${v.name}` },
            }, { parent: this });
            const size = `${v.sizeGiB}Gi`; // EFS is elastic: the size only satisfies the claim and the quota
            const volume = new k8s.core.v1.PersistentVolume(`${name}-${v.name}`, {
                metadata: { name: `${args.namespace}-${s.name}-${v.name}`, labels },
                spec: {
                    capacity: { storage: size },
                    volumeMode: "Filesystem",
                    accessModes: ["ReadWriteMany"],
                    persistentVolumeReclaimPolicy: "Retain",
                    storageClassName: SHARED_STORAGE_CLASS,
                    csi: { driver: EFS_CSI_DRIVER, volumeHandle: pulumi.interpolate`${fileSystemId}::${accessPoint.id}` },
                },
            }, { parent: this });
            return new k8s.core.v1.PersistentVolumeClaim(`${name}-${v.name}`, {
                metadata: meta(`${s.name}-${v.name}`),
                spec: { accessModes: ["ReadWriteMany"], storageClassName: SHARED_STORAGE_CLASS, volumeName: volume.metadata.name, resources: { requests: { storage: size } } },
            }, { parent: this });
        });
    }

    /** The Service traffic goes to, plus the canary or preview one Argo Rollouts shifts to; returns the in-cluster URL. */
    private services({ name, s, args, meta, selector, port }: Step): string | undefined {
        if (s.cluster) {
            // Members find one another by name before they are ready (a cluster forms before it serves).
            new k8s.core.v1.Service(`${name}-peers`, {
                metadata: meta(`${s.name}-peers`),
                spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: [{ name: "peer", port: s.cluster.peerPort, targetPort: s.cluster.peerPort }] },
            }, { parent: this });
        }
        if (port === undefined) return undefined;
        const service = (objectName: string) =>
            new k8s.core.v1.Service(`${name}-${objectName}`, {
                metadata: meta(objectName),
                spec: { type: "ClusterIP", selector, ports: [{ name: "http", port, targetPort: port }] },
            }, { parent: this });
        service(s.name);
        if (s.delivery === "canary") service(`${s.name}-canary`);
        if (s.delivery === "blueGreen") service(`${s.name}-preview`);
        return `http://${s.name}.${args.namespace}.svc.cluster.local:${port}`;
    }

    /** A headless Service over the metrics port and its ServiceMonitor. */
    private monitoring({ name, s, meta, selector }: Step): void {
        new k8s.core.v1.Service(`${name}-metrics`, {
            metadata: meta(`${s.name}-metrics`, { "rag-platform.io/metrics": "true", "rag-platform.io/job": `rag-${s.name}` }),
            spec: { clusterIP: "None", selector, ports: [{ name: "metrics", port: s.metrics.port, targetPort: s.metrics.port }] },
        }, { parent: this });
        new k8s.apiextensions.CustomResource(`${name}-monitor`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: meta(s.name),
            spec: {
                // job="rag-<service>": the ServiceDown alert's selector; service="<name>" on every series, canary or not.
                jobLabel: "rag-platform.io/job",
                selector: { matchLabels: { ...selector, "rag-platform.io/metrics": "true" } },
                endpoints: [{
                    port: "metrics",
                    path: s.metrics.path,
                    interval: "30s",
                    relabelings: [
                        { targetLabel: "service", replacement: s.name, action: "replace" },
                        { sourceLabels: ["__meta_kubernetes_pod_label_rollouts_pod_template_hash"], targetLabel: "rollouts_pod_template_hash", action: "replace" },
                    ],
                }],
            },
        }, { parent: this });
    }

    private disruptionBudget({ name, s, meta, selector }: Step): void {
        const budget = disruptionBudgetFor(s);
        if (!budget) return;
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
            metadata: meta(s.name),
            spec: { ...budget, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        }, { parent: this });
    }

    /** The service's paths on the stack's shared ALB, when it is exposed. */
    private ingressFor({ name, s, args, meta, port }: Step, workload: pulumi.Resource): k8s.networking.v1.Ingress | undefined {
        if (!s.ingress || !args.ingress || port === undefined) return undefined;
        const canary = s.delivery === "canary";
        // Argo Rollouts writes the weighted forward action this port name points at.
        const backend = { service: { name: s.name, port: canary ? { name: "use-annotation" } : { number: port } } };
        return new k8s.networking.v1.Ingress(`${name}-ingress`, {
            metadata: { ...meta(s.name), annotations: { ...args.ingress.annotations, "alb.ingress.kubernetes.io/healthcheck-path": typeof s.probes.readiness === "string" ? s.probes.readiness : "/" } },
            spec: {
                ingressClassName: "alb",
                rules: [
                    { host: args.ingress.host, http: { paths: s.ingress.paths.map((p) => ({ path: p, pathType: "Prefix", backend })) } },
                    // The failover probe reaches the load balancer by its own name: this one path answers any host.
                    ...(args.ingress.probePath ? [{ http: { paths: [{ path: args.ingress.probePath, pathType: "Exact", backend }] } }] : []),
                ],
            },
        }, { parent: this, dependsOn: [workload] });
    }

    private workload(
        step: Step,
        template: k8s.types.input.core.v1.PodTemplateSpec,
        replicas: number | undefined,
        dependsOn: pulumi.Resource[],
    ): pulumi.CustomResource {
        const { name, s, args, meta, selector, port } = step;
        const opts = { parent: this, dependsOn };
        if (BATCH_KINDS.includes(s.kind)) return this.batch(step, template, dependsOn);
        if (ownVolumes(s).length > 0) {
            return new k8s.apps.v1.StatefulSet(`${name}-statefulset`, {
                metadata: { ...meta(s.name), annotations: reloadOnChange(s) },
                spec: {
                    // A cluster's members are addressed through the peers Service (which lists them before they
                    // are ready) and start together: started in order, after a full restart the first waits to be
                    // ready for a quorum whose other members wait for it.
                    serviceName: s.cluster ? `${s.name}-peers` : `${s.name}-metrics`,
                    replicas,
                    selector: { matchLabels: selector },
                    podManagementPolicy: "Parallel",
                    updateStrategy: { type: "RollingUpdate" },
                    // Scaling in or deleting the set keeps the volumes (and the AWS Backup snapshots of them).
                    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
                    template,
                    volumeClaimTemplates: ownVolumes(s).map((v) => ({
                        metadata: { name: v.name },
                        spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${v.sizeGiB}Gi` } } },
                    })),
                },
            }, opts);
        }
        if (s.delivery === "rolling") {
            return new k8s.apps.v1.Deployment(`${name}-deployment`, {
                metadata: { ...meta(s.name), annotations: reloadOnChange(s) },
                spec: {
                    replicas,
                    selector: { matchLabels: selector },
                    revisionHistoryLimit: 5,
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                    template,
                },
            }, opts);
        }
        // Argo Rollouts: ALB weighted target groups for canary (5 -> 25 -> 50 -> 100%), or a preview stack for
        // blue-green, each gated by the SLO analysis below.
        const analysis = new k8s.apiextensions.CustomResource(`${name}-analysis`, {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "AnalysisTemplate",
            metadata: meta(`${s.name}-slo`),
            spec: {
                args: [{ name: "pod-template-hash" }],
                metrics: sloMetrics(s.name, args),
            },
        }, { parent: this });
        const analysisRef = { templates: [{ templateName: `${s.name}-slo` }], args: [{ name: "pod-template-hash", valueFrom: { podTemplateHashValue: "Latest" } }] };
        const pause = { pause: { duration: "5m" } };
        const strategy =
            s.delivery === "canary"
                ? {
                      canary: {
                          stableService: s.name,
                          canaryService: `${s.name}-canary`,
                          maxSurge: 1,
                          maxUnavailable: 0,
                          trafficRouting: s.ingress && args.ingress ? { alb: { ingress: s.name, servicePort: port, rootService: s.name } } : undefined,
                          analysis: { ...analysisRef, startingStep: 1 },
                          steps: [{ setWeight: 5 }, pause, { setWeight: 25 }, pause, { setWeight: 50 }, pause, { setWeight: 100 }],
                      },
                  }
                : {
                      blueGreen: {
                          activeService: s.name,
                          previewService: `${s.name}-preview`,
                          autoPromotionEnabled: true,
                          prePromotionAnalysis: analysisRef,
                          scaleDownDelaySeconds: 600,
                      },
                  };
        return new k8s.apiextensions.CustomResource(`${name}-rollout`, {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Rollout",
            metadata: { ...meta(s.name), annotations: reloadOnChange(s) },
            spec: { replicas, selector: { matchLabels: selector }, revisionHistoryLimit: 5, template, strategy },
        }, { parent: this, dependsOn: [...dependsOn, analysis] });
    }

    /**
     * A job runs once per change of its spec (a migration, an index build for a new image), and `pulumi up` waits
     * for it within its timeout; a cronjob runs on its schedule in UTC, never two runs at once, a missed start
     * dropped after 5 minutes, its finished runs kept for keepFinishedSeconds.
     */
    private batch({ name, s, meta }: Step, template: k8s.types.input.core.v1.PodTemplateSpec, dependsOn: pulumi.Resource[]): pulumi.CustomResource {
        const run = { backoffLimit: s.run.retries, activeDeadlineSeconds: s.run.timeoutSeconds };
        const pod = { ...template, spec: { ...template.spec, restartPolicy: "Never" } } as k8s.types.input.core.v1.PodTemplateSpec;
        if (s.kind === "job") {
            // Pulumi owns the Job: a TTL would delete it behind Pulumi's back and the next update would run it again.
            const wait = `${s.run.timeoutSeconds + 300}s`;
            return new k8s.batch.v1.Job(`${name}-job`, { metadata: meta(s.name), spec: { ...run, template: pod } }, { parent: this, dependsOn, customTimeouts: { create: wait, update: wait } });
        }
        return new k8s.batch.v1.CronJob(`${name}-cronjob`, {
            metadata: meta(s.name),
            spec: {
                schedule: s.schedule!,
                timeZone: "Etc/UTC",
                concurrencyPolicy: "Forbid",
                startingDeadlineSeconds: 300,
                successfulJobsHistoryLimit: 3,
                failedJobsHistoryLimit: 3,
                jobTemplate: { spec: { ...run, ttlSecondsAfterFinished: s.run.keepFinishedSeconds, template: pod } },
            },
        }, { parent: this, dependsOn });
    }

    /**
     * A VerticalPodAutoscaler for every serving workload: recommendations only (updateMode Off) unless the service
     * opts in, then requests are resized in place (or the pod recreated) within the service's own limits, which
     * stay as declared, and the namespace quota and the capacity check count the service at them.
     */
    private verticalAutoscaler({ name, s, meta }: Step, workload: pulumi.CustomResource): void {
        const auto = s.verticalScaling === "auto";
        new k8s.apiextensions.CustomResource(`${name}-vpa`, {
            apiVersion: "autoscaling.k8s.io/v1",
            kind: "VerticalPodAutoscaler",
            metadata: meta(s.name),
            spec: {
                targetRef: { ...workloadKind(s), name: s.name },
                updatePolicy: { updateMode: auto ? "InPlaceOrRecreate" : "Off" },
                resourcePolicy: {
                    containerPolicies: [{
                        containerName: s.name,
                        controlledResources: ["cpu", "memory"],
                        controlledValues: "RequestsOnly",
                        maxAllowed: { cpu: s.resources.limits.cpu, memory: s.resources.limits.memory },
                    }],
                },
            },
        }, { parent: this, dependsOn: [workload] });
    }

    private scaledObject({ name, s, args, meta }: Step, workload: pulumi.CustomResource) {
        const a = s.autoscaling;
        const triggers: Record<string, unknown>[] = [];
        if (a.cpuPercent) triggers.push({ type: "cpu", metricType: "Utilization", metadata: { value: String(a.cpuPercent) } });
        if (a.memoryPercent) triggers.push({ type: "memory", metricType: "Utilization", metadata: { value: String(a.memoryPercent) } });
        if (a.requestsPerSecondPerPod) {
            triggers.push({
                type: "prometheus",
                metricType: "AverageValue",
                metadata: {
                    serverAddress: args.observability.prometheusUrl,
                    query: `sum(rate(http_requests_total{namespace="${args.namespace}",service="${s.name}"}[2m]))`,
                    threshold: String(a.requestsPerSecondPerPod),
                },
            });
        }
        if (a.queue) {
            const auth = new k8s.apiextensions.CustomResource(`${name}-queue-auth`, {
                apiVersion: "keda.sh/v1alpha1",
                kind: "TriggerAuthentication",
                metadata: meta(`${s.name}-queue`),
                spec: { secretTargetRef: [{ parameter: "password", name: `${s.name}-secrets`, key: "REDIS_PASSWORD" }] },
            }, { parent: this });
            triggers.push({
                // KEDA's redis-cluster scaler takes the cluster's nodes (`addresses`), its redis scaler one server (`address`).
                type: args.cache.clusterMode ? "redis-cluster" : "redis",
                metricType: "AverageValue",
                metadata: {
                    [args.cache.clusterMode ? "addresses" : "address"]: pulumi.interpolate`${args.cache.endpoint}:${args.cache.port}`,
                    listName: a.queue.list,
                    listLength: String(a.queue.lengthPerPod),
                    enableTLS: "true",
                },
                authenticationRef: { name: auth.metadata.name },
            });
        }
        const kind = workloadKind(s);
        new k8s.apiextensions.CustomResource(`${name}-scaler`, {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: meta(s.name),
            spec: {
                scaleTargetRef: { ...kind, name: s.name },
                minReplicaCount: s.replicas.min,
                maxReplicaCount: s.replicas.max,
                pollingInterval: 15,
                advanced: { horizontalPodAutoscalerConfig: { behavior: SCALING_BEHAVIOR } },
                triggers,
            },
        }, { parent: this, dependsOn: [workload] });
    }

    private networkPolicy({ name, s, args, meta, selector, port }: Step, dataPorts: { database: number; cache: number }) {
        const tcp = (p: number) => ({ protocol: "TCP", port: p });
        const ipBlocks = (cidrs: string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
        const podsOf = (names: string[]) => names.map((n) => ({ podSelector: { matchLabels: { [SERVICE_LABEL]: n } } }));
        const observability = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.observability.namespace } } };
        const callers = args.peers.filter((p) => p.calls.includes(s.name)).map((p) => p.name);
        const callees = args.peers.filter((p) => s.calls.includes(p.name));

        const ingress: Record<string, unknown>[] = [{ from: [observability], ports: [tcp(s.metrics.port)] }];
        if (port !== undefined && s.ingress && args.ingress) ingress.push({ from: ipBlocks(args.cidrs.loadBalancers), ports: [tcp(port)] });
        if (port !== undefined && callers.length > 0) ingress.push({ from: podsOf(callers), ports: [tcp(port)] });

        if (s.cluster) ingress.push({ from: podsOf([s.name]), ports: [tcp(s.cluster.peerPort)] });

        const egress: Record<string, unknown>[] = [{ to: [observability], ports: [tcp(4317)] }];
        if (s.cluster) egress.push({ to: podsOf([s.name]), ports: [tcp(s.cluster.peerPort)] });
        for (const callee of callees) egress.push({ to: podsOf([callee.name]), ports: [tcp(servingPort(callee)!)] });
        if (s.secrets.includes("database-url")) egress.push({ to: ipBlocks(args.cidrs.data), ports: [tcp(dataPorts.database)] });
        if (s.secrets.includes("redis-url")) egress.push({ to: ipBlocks(args.cidrs.data), ports: [tcp(dataPorts.cache)] });
        if (s.secrets.includes("mongodb-url")) egress.push({ to: ipBlocks(args.cidrs.data), ports: [tcp(DOCUMENTDB_PORT)] });
        // AWS APIs: STS and others through interface endpoints in the VPC; S3's gateway endpoint and model
        // providers are public addresses, which a NetworkPolicy cannot name more narrowly than 443 anywhere.
        if (s.bucketAccess !== "none" || s.internetEgress) egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] });
        else if (this.roleArn) egress.push({ to: ipBlocks([args.cidrs.vpc]), ports: [tcp(443)] });

        new k8s.networking.v1.NetworkPolicy(`${name}-network`, {
            metadata: meta(s.name),
            spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress", "Egress"], ingress, egress },
        }, { parent: this });
    }
}

/** The pod: non-root, read-only root, no privilege, RuntimeDefault seccomp; spread over zones and nodes. */
function podTemplate({ s, args: { namespace }, labels, selector, exposed }: Step, envFrom: k8s.types.input.core.v1.EnvFromSource[]): k8s.types.input.core.v1.PodTemplateSpec {
    const writable = (paths: string[], prefix: string) => paths.map((mountPath, i) => ({ name: `${prefix}-${i}`, mountPath }));
    // Each container's writable paths are emptyDirs named `<mountPrefix>-<i>` (main: `rw`, sidecars: `<name>-rw`).
    const container = (
        c: { name: string; image: string; command?: string[]; args?: string[]; resources: Resources; runAsUser: number; writablePaths: string[]; files: Record<string, string>; secretFiles: Record<string, string> },
        mountPrefix: string,
        ports: k8s.types.input.core.v1.ContainerPort[],
        extra: Partial<k8s.types.input.core.v1.Container>,
        extraMounts: k8s.types.input.core.v1.VolumeMount[] = [],
    ) => ({
        name: c.name,
        image: c.image,
        command: c.command,
        args: c.args,
        ports,
        resources: c.resources,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: c.runAsUser,
            runAsGroup: c.runAsUser,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        volumeMounts: [
            { name: "tmp", mountPath: "/tmp" },
            ...writable(c.writablePaths, mountPrefix),
            ...extraMounts,
            // One file each (subPath): the directory around it keeps what the image ships.
            ...Object.keys(c.files).map((file) => ({ name: FILES_VOLUME, mountPath: file, subPath: fileKey(c.name, file), readOnly: true })),
            ...Object.entries(c.secretFiles).map(([file, key]) => ({ name: SECRET_FILES_VOLUME, mountPath: file, subPath: key, readOnly: true })),
        ],
        ...extra,
    });
    const probe = (p: string | string[] | undefined, periodSeconds: number, failureThreshold: number) =>
        p === undefined ? undefined : { ...(typeof p === "string" ? { httpGet: { path: p, port: "http" } } : { exec: { command: p } }), periodSeconds, failureThreshold, timeoutSeconds: 5 };
    const mainPorts = [
        ...(s.port ? [{ name: "http", containerPort: s.port }] : []),
        ...(s.metrics.port !== s.port ? [{ name: "metrics", containerPort: s.metrics.port }] : []),
        ...(s.cluster ? [{ name: "peer", containerPort: s.cluster.peerPort }] : []),
    ];
    // Behind the ALB a terminating pod keeps serving until the target has deregistered (30 s, see the
    // target group attributes); the native sleep action needs no shell in the image.
    const lifecycle = exposed ? { preStop: { sleep: { seconds: 15 } } } : undefined;
    const main = container(s, "rw", mainPorts, {
        envFrom,
        lifecycle: s.sidecars.some((c) => c.port) ? undefined : lifecycle,
        env: [
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            // <pod>.<PEER_DOMAIN> reaches each member of a cluster.
            ...(s.cluster ? [{ name: "PEER_DOMAIN", value: `${s.name}-peers.${namespace}.svc.cluster.local` }] : []),
        ],
        readinessProbe: probe(s.probes.readiness, 10, 3),
        livenessProbe: probe(s.probes.liveness, 20, 3),
        startupProbe: probe(s.probes.startup ?? s.probes.liveness, 10, s.probes.startupFailureThreshold),
    }, s.volumes.map((v) => ({ name: v.name, mountPath: v.mountPath })));
    const sidecars = s.sidecars.map((c) =>
        container(c, `${c.name}-rw`, c.port ? [{ name: "proxy", containerPort: c.port }] : [], {
            env: Object.entries(c.env).map(([k, v]) => ({ name: k, value: v })),
            readinessProbe: c.port ? { tcpSocket: { port: c.port }, periodSeconds: 10 } : undefined,
            lifecycle: c.port ? lifecycle : undefined,
            livenessProbe: c.port ? { tcpSocket: { port: c.port }, periodSeconds: 20 } : undefined,
        }),
    );
    const emptyDirs = [
        { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
        ...writable(s.writablePaths, "rw").map(({ name: n }) => ({ name: n, emptyDir: { sizeLimit: "1Gi" } })),
        ...s.sidecars.flatMap((c) => writable(c.writablePaths, `${c.name}-rw`).map(({ name: n }) => ({ name: n, emptyDir: { sizeLimit: "256Mi" } }))),
        ...sharedVolumes(s).map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: `${s.name}-${v.name}` } })),
        ...(Object.keys(allFiles(s)).length ? [{ name: FILES_VOLUME, configMap: { name: `${s.name}-files` } }] : []),
        // Readable by the pod's group only (fsGroup is the service's UID).
        ...(hasSecretFiles(s) ? [{ name: SECRET_FILES_VOLUME, secret: { secretName: `${s.name}-secrets`, defaultMode: 0o440 } }] : []),
    ];
    // matchLabelKeys: the skew is counted per revision, so a rollout spreads the new pods as well as the old.
    const spread = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector }, matchLabelKeys: ["pod-template-hash", "rollouts-pod-template-hash"] });
    const dedicated = s.nodeGroup !== "application";
    return {
        // Fluent Bit turns log-type into Loki's log_type: request logs of exposed services are kept as access logs.
        metadata: { labels: { ...labels, "rag-platform.io/log-type": s.ingress ? "access" : "app" } },
        spec: {
            serviceAccountName: s.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
                runAsNonRoot: true,
                runAsUser: s.runAsUser,
                runAsGroup: s.runAsUser,
                fsGroup: s.runAsUser,
                fsGroupChangePolicy: "OnRootMismatch",
                seccompProfile: { type: "RuntimeDefault" },
            },
            nodeSelector: { [NODE_GROUP_LABEL]: s.nodeGroup },
            tolerations: dedicated ? [{ key: DEDICATED_TAINT_KEY, operator: "Equal", value: s.nodeGroup, effect: "NoSchedule" }] : undefined,
            topologySpreadConstraints: [spread(ZONE), spread("kubernetes.io/hostname")],
            // Workers finish the task in hand; exposed services first wait out the ALB deregistration.
            terminationGracePeriodSeconds: s.kind === "worker" ? 120 : exposed ? 45 : 30,
            containers: [main, ...sidecars],
            volumes: emptyDirs,
        },
    };
}

/** The kind of a serving workload, as a scaleTargetRef or targetRef names it. */
function workloadKind(s: ServiceSpec): { apiVersion: string; kind: string } {
    if (ownVolumes(s).length > 0) return { apiVersion: "apps/v1", kind: "StatefulSet" };
    return s.delivery === "rolling" ? { apiVersion: "apps/v1", kind: "Deployment" } : { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" };
}

/** The spec's HPA behaviour: up by 50% or 2 pods a minute (the faster), down by 10% or 1 pod a minute after 5 minutes. */
export const SCALING_BEHAVIOR = {
    scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }, { type: "Pods", value: 2, periodSeconds: 60 }],
    },
    scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }, { type: "Pods", value: 1, periodSeconds: 60 }],
    },
};

/** Error rate and p95 latency of the new version's pods, against the stack's SLOs. */
function sloMetrics(service: string, args: WorkloadServiceArgs) {
    const pods = `namespace="${args.namespace}",service="${service}",rollouts_pod_template_hash="{{args.pod-template-hash}}"`;
    const provider = (query: string) => ({ prometheus: { address: args.observability.prometheusUrl, query } });
    return [
        {
            name: "error-rate",
            interval: "1m",
            count: 5,
            failureLimit: 1,
            successCondition: `result[0] <= ${args.slo.errorRate}`,
            provider: provider(`sum(rate(http_requests_total{${pods},code=~"5.."}[2m])) / sum(rate(http_requests_total{${pods}}[2m]))`),
        },
        {
            name: "latency-p95",
            interval: "1m",
            count: 5,
            failureLimit: 1,
            successCondition: `result[0] <= ${args.slo.latencyP95Seconds}`,
            provider: provider(`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${pods}}[2m])))`),
        },
    ];
}
