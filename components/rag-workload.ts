import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { containerResources, ownVolumes, parseCpu, parseMemoryMiB, podRequestCeiling, podTotal, sharedVolumes, type ServiceSpec } from "../model/services";
import { argsRejecter, stripUndefined } from "./args";
import { LOAD_BALANCER_LOG_PREFIX } from "./buckets";
import { DEFAULT_SSL_POLICY } from "./cluster-addons";
import { DATABASE_USERS_RESOURCES, DatabaseUsers } from "./database-users";
import { CONTENT_SECURITY_POLICY, EntryPoint } from "./entry-point";
import { EFS_CSI_DRIVER, SHARED_STORAGE_CLASS, WorkloadService } from "./workload-service";

export interface RagWorkloadArgs {
    /** The cluster's name: prefix of the data tier's secrets (`<clusterName>/...`) and of AWS names. Required. */
    clusterName: string;
    /** Namespace of the workload. Default `rag`. */
    namespace?: string;
    /** The services, every default resolved (model/services.ts resolveServices). Required, one or more. */
    services: ServiceSpec[];
    /** Cluster identity for the services' IRSA roles. Required. */
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    /** ClusterSecretStore (ClusterAddons) and the External Secrets role, which is granted the database's credentials secrets. Required. */
    secretStoreName: string;
    externalSecretsRoleName: pulumi.Input<string>;
    /** The data tier: master secret, documents bucket and its key, cache endpoint. Required. */
    data: {
        /** The database's master credentials (DatabaseUsers creates the workload's users with them) and the workload's own, which rotate. */
        databaseMasterSecretArn: pulumi.Input<string>;
        databaseAppSecretArn: pulumi.Input<string>;
        /**
         * The writer, where the workload's users are made (DatabaseUsers) when a service takes database-url. Default
         * none: the database is a replica still (a standby), whose users come from its source.
         */
        writableDatabase?: { host: pulumi.Input<string>; port: number; name: string };
        documentsBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
        /** The key that encrypts the documents bucket (the data key; in a standby, the primary's DR key). */
        kmsKeyArn: pulumi.Input<string>;
        /** `clusterMode`: whether the cache shards keys (cluster clients and KEDA's redis-cluster scaler) or has one primary. */
        cache: { endpoint: pulumi.Input<string>; port: pulumi.Input<number>; clusterMode: boolean };
        /** Logs bucket the ALB (and the edge) write access logs to (SSE-S3, as ELB log delivery requires). Default none. */
        accessLogsBucketName?: pulumi.Input<string>;
        accessLogsBucketArn?: pulumi.Input<string>;
        /** EFS file system of shared volumes (DataTier's SharedFiles). Required when a service has shared volumes. */
        sharedFileSystemId?: pulumi.Input<string>;
        /** DocumentDB's managed master secret (External Secrets is granted it). Required when a service takes mongodb-url. */
        documentDbMasterSecretArn?: pulumi.Input<string>;
    };
    /** CIDRs of the VPC, the public subnets (where the ALB's nodes are) and the database subnets. Required. */
    cidrs: { vpc: string; public: string[]; database: string[] };
    /** Observability hooks (Observability's namespace, Prometheus URL and OTLP endpoint). Required. */
    observability: { namespace: string; prometheusUrl: string; otlpEndpoint: string };
    /** SLOs canary and blue-green analyses hold new versions to. Default 0.1% errors, p95 500 ms. */
    slo?: { errorRate: number; latencyP95Seconds: number };
    /** Public entry point; without it every service stays inside the cluster. Default none. */
    entryPoint?: { domainName: string; hostedZoneId?: string; certificateArn?: string; rateLimitPer5Min?: number; logRetentionDays?: number; kmsKeyDeletionWindowDays?: number; expiryAlertTopicArn?: pulumi.Input<string>; edge?: boolean; failover?: "primary" | "secondary"; fenced?: boolean };
    /** Settings added to every service's ConfigMap. Default `{}`. */
    settings?: Record<string, pulumi.Input<string>>;
    /** `protect` on the namespace (its deletion takes every volume claim with it) and ALB deletion protection. Default false. */
    protect?: boolean;
    /** Tags on every AWS resource. Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = { namespace: "rag", slo: { errorRate: 0.001, latencyP95Seconds: 0.5 }, settings: {}, protect: false, tags: {} } satisfies Partial<RagWorkloadArgs>;

/** Security headers the ALB adds to every HTTPS response (listener attributes; values may not contain commas). */
export const SECURITY_HEADERS = {
    strict_transport_security: "max-age=63072000;includeSubDomains;preload",
    content_security_policy: CONTENT_SECURITY_POLICY,
    x_frame_options: "DENY",
    x_content_type_options: "nosniff",
};

/**
 * The RAG application on Kubernetes: a namespace with Pod Security Admission `restricted` enforced, a quota sized
 * to every service at maximum scale, default limits, default-deny network policies (DNS allowed), the External
 * Secrets role's grant to the database password, one {@link WorkloadService} per service, and, when a domain is
 * configured, the {@link EntryPoint} (certificate, WAF, DNS) with every exposed service on one shared ALB.
 * Takes the AWS and Kubernetes providers from its `providers` option.
 */
export class RagWorkload extends pulumi.ComponentResource {
    readonly namespace: string;
    /** In-cluster URL of every service that takes requests, by service name. */
    readonly serviceUrls: Record<string, string>;
    /** `https://<domain>`, or empty when the workload has no public entry point. */
    readonly publicUrl: string;

    constructor(name: string, args: RagWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) };
        const reject = argsRejecter("RagWorkload");
        if (cfg.services.length === 0) reject("services", [], "one or more services");
        const names = cfg.services.map((s) => s.name);
        if (new Set(names).size !== names.length) reject("services", names, "distinct service names");
        super("rag:workload:RagWorkload", name, {}, opts);
        const parent = { parent: this };
        const ns = cfg.namespace;
        this.namespace = ns;

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: ns,
                labels: {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/warn": "restricted",
                    "pod-security.kubernetes.io/audit": "restricted",
                    // The controller adds a readiness gate per ALB target: a rolling update waits until the new pod
                    // is healthy in the target group, not only in Kubernetes.
                    "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
                },
            },
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect }); // deleting it would delete every volume claim in it
        const inNamespace = { parent: this, dependsOn: [namespace] };
        const databaseUsers = cfg.data.writableDatabase && cfg.services.some((s) => s.secrets.includes("database-url")) ? cfg.data.writableDatabase : undefined;
        const quota = workloadQuota(cfg.services, databaseUsers ? [DATABASE_USERS_RESOURCES] : []);
        new k8s.core.v1.ResourceQuota(`${name}-quota`, { metadata: { name: "workload", namespace: ns }, spec: { hard: quota } }, inNamespace);
        new k8s.core.v1.LimitRange(`${name}-limits`, {
            metadata: { name: "defaults", namespace: ns },
            spec: {
                limits: [{
                    type: "Container",
                    // For anything added by hand: the quota refuses pods without requests and limits.
                    defaultRequest: { cpu: "100m", memory: "128Mi" },
                    default: { cpu: "500m", memory: "512Mi" },
                    max: largestLimits(cfg.services),
                }],
            },
        }, inNamespace);
        new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, {
            metadata: { name: "default-deny", namespace: ns },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, inNamespace);
        new k8s.networking.v1.NetworkPolicy(`${name}-dns`, {
            metadata: { name: "allow-dns", namespace: ns },
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                }],
            },
        }, inNamespace);

        // The master secrets (the database's `<identifier>/master`, DocumentDB's `rds!...`) are outside the prefix External Secrets may read.
        const secretGrant = new aws.iam.RolePolicy(`${name}-database-password`, {
            role: cfg.externalSecretsRoleName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: [cfg.data.databaseAppSecretArn, cfg.data.databaseMasterSecretArn, ...(cfg.data.documentDbMasterSecretArn ? [cfg.data.documentDbMasterSecretArn] : [])],
                }],
            }),
        }, parent);

        const entryPoint = cfg.entryPoint
            ? new EntryPoint(`${name}-entry`, {
                  ...cfg.entryPoint,
                  edge: cfg.entryPoint.edge && cfg.data.accessLogsBucketName && cfg.data.accessLogsBucketArn
                      ? { cachedPaths: cfg.services.flatMap((s) => s.staticPaths), logsBucket: { name: cfg.data.accessLogsBucketName, arn: cfg.data.accessLogsBucketArn } }
                      : undefined,
                  healthCheckPath: healthPath(cfg.services),
                  // The API services take uploads and prompts: bodies over the core rule set's 8 KB reach them only.
                  largeBodyPaths: cfg.services.filter((s) => s.kind === "api").flatMap((s) => s.ingress?.paths ?? []),
                  protect: cfg.protect,
                  tags: cfg.tags,
              }, parent)
            : undefined;
        this.publicUrl = entryPoint?.url ?? "";
        const ingress = entryPoint && {
            host: entryPoint.domainName,
            annotations: albAnnotations(ns, entryPoint, cfg.data.accessLogsBucketName, cfg.protect, cfg.tags),
        };
        // A failover primary's health check reaches the load balancer by its own name: the service that takes the
        // root answers its health path for any host.
        const probe = cfg.entryPoint?.failover === "primary" ? { service: rootService(cfg.services)?.name, path: healthPath(cfg.services) } : undefined;

        if (cfg.data.sharedFileSystemId !== undefined) {
            // For claims other programs make on the file system: the driver gives each its own access point.
            new k8s.storage.v1.StorageClass(`${name}-efs`, {
                metadata: { name: SHARED_STORAGE_CLASS },
                provisioner: EFS_CSI_DRIVER,
                parameters: { provisioningMode: "efs-ap", fileSystemId: cfg.data.sharedFileSystemId, directoryPerms: "700", basePath: "/dynamic" },
                reclaimPolicy: "Retain",
                volumeBindingMode: "Immediate",
            }, parent);
        }

        // The workload's database users exist before any service connects (the Job is awaited to completion).
        const users = databaseUsers && new DatabaseUsers(`${name}-database-users`, {
            namespace: ns,
            secretStoreName: cfg.secretStoreName,
            masterSecretArn: cfg.data.databaseMasterSecretArn,
            appSecretArn: cfg.data.databaseAppSecretArn,
            host: databaseUsers.host,
            port: databaseUsers.port,
            database: databaseUsers.name,
            dataCidrs: cfg.cidrs.database,
        }, { parent: this, dependsOn: [namespace, secretGrant] });

        const partition = aws.getPartitionOutput({}, parent).partition;
        const services = cfg.services.map((service) => new WorkloadService(`${name}-${service.name}`, {
            service,
            peers: cfg.services,
            namespace: ns,
            secretPrefix: `${cfg.clusterName}/`,
            secretStoreName: cfg.secretStoreName,
            databaseCredentialsSecretArn: cfg.data.databaseAppSecretArn,
            documentDbMasterSecretArn: cfg.data.documentDbMasterSecretArn,
            oidcProviderArn: cfg.oidcProviderArn,
            oidcIssuer: cfg.oidcIssuer,
            partition,
            documentsBucket: cfg.data.documentsBucket,
            dataKmsKeyArn: cfg.data.kmsKeyArn,
            cache: cfg.data.cache,
            sharedFileSystemId: cfg.data.sharedFileSystemId,
            cidrs: { loadBalancers: cfg.cidrs.public, data: cfg.cidrs.database, vpc: cfg.cidrs.vpc },
            observability: cfg.observability,
            slo: cfg.slo,
            settings: cfg.settings,
            ingress: ingress && { ...ingress, probePath: probe?.service === service.name ? probe.path : undefined },
            tags: cfg.tags,
        }, { parent: this, dependsOn: [namespace, secretGrant, ...(users ? [users] : [])] }));

        const exposed = services.find((s) => s.ingress);
        if (entryPoint && exposed?.ingress) entryPoint.route(exposed.ingress.status.loadBalancer.ingress[0].hostname);
        this.serviceUrls = Object.fromEntries(cfg.services.flatMap((spec, i) => (services[i].url ? [[spec.name, services[i].url]] : [])));
        this.registerOutputs({ namespace: this.namespace, serviceUrls: this.serviceUrls, publicUrl: this.publicUrl });
    }
}

/** Annotations every Ingress of the workload carries, so the controller merges them into one ALB. */
function albAnnotations(namespace: string, entryPoint: EntryPoint, logsBucket: pulumi.Input<string> | undefined, protect: boolean, tags: Record<string, string>): Record<string, pulumi.Input<string>> {
    const a = "alb.ingress.kubernetes.io/";
    const lbAttributes = [
        "routing.http.drop_invalid_header_fields.enabled=true",
        `deletion_protection.enabled=${protect}`,
        "idle_timeout.timeout_seconds=120", // RAG answers stream for a while
    ];
    return {
        [`${a}group.name`]: namespace,
        [`${a}scheme`]: "internet-facing",
        [`${a}target-type`]: "ip",
        [`${a}listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        [`${a}ssl-redirect`]: "443",
        [`${a}ssl-policy`]: DEFAULT_SSL_POLICY,
        [`${a}certificate-arn`]: entryPoint.certificateArn,
        [`${a}wafv2-acl-arn`]: entryPoint.webAclArn,
        [`${a}listener-attributes.HTTPS-443`]: [
            "routing.http.response.server.enabled=false",
            ...Object.entries(SECURITY_HEADERS).map(([header, value]) => `routing.http.response.${header}.header_value=${value}`),
        ].join(","),
        [`${a}load-balancer-attributes`]: logsBucket
            ? pulumi.interpolate`${lbAttributes.join(",")},access_logs.s3.enabled=true,access_logs.s3.bucket=${logsBucket},access_logs.s3.prefix=${LOAD_BALANCER_LOG_PREFIX}/${namespace}`
            : lbAttributes.join(","),
        [`${a}target-group-attributes`]: "deregistration_delay.timeout_seconds=30",
        [`${a}tags`]: Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(","),
    };
}

/** The service the domain's root path reaches. */
function rootService(services: ServiceSpec[]): ServiceSpec | undefined {
    return services.find((s) => s.ingress?.paths.includes("/"));
}

/** The Route 53 health check's path: the readiness path of the service that takes the root, else `/`. */
function healthPath(services: ServiceSpec[]): string {
    const root = rootService(services);
    return typeof root?.probes.readiness === "string" ? root.probes.readiness : "/";
}

/**
 * The namespace quota: every service at maximum scale, plus what a rollout adds (one surge pod for rolling
 * updates, a full second set for canary and blue-green), so the quota never blocks a deployment the capacity
 * check allowed.
 */
export function workloadQuota(services: ServiceSpec[], oneShotPods: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }[] = []): Record<string, string> {
    let cpu = 0, memory = 0, cpuLimit = 0, memoryLimit = 0, pods = 0, claims = 0, storage = 0;
    // The platform's own one-shot pods (DatabaseUsers), one each.
    for (const pod of oneShotPods) {
        cpu += parseCpu(pod.requests.cpu);
        memory += parseMemoryMiB(pod.requests.memory);
        cpuLimit += parseCpu(pod.limits.cpu);
        memoryLimit += parseMemoryMiB(pod.limits.memory);
        pods += 1;
    }
    for (const s of services) {
        const n = s.replicas.max + (s.delivery === "rolling" ? 1 : s.replicas.max);
        // A VPA in auto may raise requests up to the limits: the quota must not refuse the resize.
        const requests = podRequestCeiling(s);
        const limits = podTotal(s, "limits");
        cpu += n * requests.cpuMillis;
        memory += n * requests.memoryMiB;
        cpuLimit += n * limits.cpuMillis;
        memoryLimit += n * limits.memoryMiB;
        pods += n;
        // A claim per replica for volumes of its own, one claim for each shared volume.
        claims += ownVolumes(s).length * s.replicas.max + sharedVolumes(s).length;
        storage += ownVolumes(s).reduce((sum, v) => sum + v.sizeGiB, 0) * s.replicas.max + sharedVolumes(s).reduce((sum, v) => sum + v.sizeGiB, 0);
    }
    return {
        "requests.cpu": `${cpu}m`,
        "requests.memory": `${memory}Mi`,
        "limits.cpu": `${cpuLimit}m`,
        "limits.memory": `${memoryLimit}Mi`,
        pods: String(pods),
        persistentvolumeclaims: String(claims),
        "requests.storage": `${storage}Gi`,
        // The ALB reaches pods directly (IP targets): no Service needs a node port or its own load balancer.
        "services.loadbalancers": "0",
        "services.nodeports": "0",
    };
}

/** The LimitRange maximum: the largest limits any container of the workload declares. */
function largestLimits(services: ServiceSpec[]): { cpu: string; memory: string } {
    const all = services.flatMap(containerResources);
    return {
        cpu: `${Math.max(...all.map((r) => parseCpu(r.limits.cpu)))}m`,
        memory: `${Math.max(...all.map((r) => parseMemoryMiB(r.limits.memory)))}Mi`,
    };
}
