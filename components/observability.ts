import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { OBSERVABILITY_CHARTS } from "../model/aws-catalog";
import { containerResources, lokiCacheMegabytes, lokiReplicas, memcachedSize, OBSERVABILITY_SIZES } from "../model/observability-footprint";
import { argsRejecter, checkKmsDeletionWindow, stripUndefined } from "./args";
import { trailKeyStatements } from "./audit";
import { lockedBucket } from "./buckets";
import { DEDICATED_TAINT_KEY } from "./cluster";
import { pinnedRelease } from "./helm";
import { awsEnvironment, keyPolicy, type AwsEnvironment } from "./iam-documents";
import { irsaRole } from "./irsa-role";
import {
    allRuleGroups,
    alertmanagerConfigTemplate,
    DASHBOARDS,
    DEFAULT_SLOS,
    grafanaDashboard,
    RECEIVER_PLACEHOLDERS, RECEIVER_SECRET_KEYS,
    SEVERITIES,
    type Severity,
    type Slo,
} from "../model/observability-rules";

export interface ObservabilityArgs {
    /** The cluster's name (secret prefix `<clusterName>/observability/`), OIDC provider and issuer. Required. */
    clusterName: string;
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    /** ClusterSecretStore that reads Secrets Manager (ClusterAddons). Required. */
    secretStoreName: string;
    /** Node group label value and taint the observability workloads are placed with. Default `observability`. */
    nodeGroup?: string;
    /** SLOs the burn-rate alerts are generated from. Default the spec's four (DEFAULT_SLOS). */
    slos?: Slo[];
    /** Days Prometheus keeps metrics, and each replica's volume size. Default 30 and 100. */
    metricsRetentionDays?: number;
    prometheusStorageGiB?: number;
    /** Days Loki keeps application and access logs, and Tempo traces. Default 30, 90 and 7. */
    appLogRetentionDays?: number;
    accessLogRetentionDays?: number;
    traceRetentionDays?: number;
    /** Percentage of traces kept. Default 10. */
    traceSamplingPercent?: number;
    /** Replicas of Prometheus, Alertmanager and Grafana (2 or more survive a node drain). Default 2. */
    replicas?: number;
    /**
     * Data-tier resources CloudWatch alarms watch: databases, replicas, cache nodes, the buckets' cross-region
     * replication rules, and whether AWS Backup copies recovery points to another region. Default none.
     */
    alarms?: {
        databaseIdentifiers?: string[];
        replicaIdentifiers?: string[];
        cacheNodeIds?: pulumi.Input<string>[];
        replicationRules?: { sourceBucket: pulumi.Input<string>; destinationBucket: pulumi.Input<string>; ruleId: string }[];
        backupCopies?: boolean;
    };
    /**
     * A monthly AWS Budgets cost budget for the resources carrying `costTag` (a cost allocation tag the account
     * has activated), alerting the medium topic at each percentage of actual spend and on a forecast above 100%.
     * Default none.
     */
    budget?: { monthlyUsd: number; alertPercents: number[]; costTag: { key: string; value: string } };
    /** Waiting period before the observability key is destroyed once deleted. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /** `protect` and retain-on-delete for the logs-and-traces bucket and the key. Default false. */
    protect?: boolean;
    /** Tags on every AWS resource. Default `{}`. */
    tags?: Record<string, string>;
}

export const OBSERVABILITY_NAMESPACE = "observability";
/** In-cluster OTLP endpoint workloads send traces to (gRPC). */
export const OTLP_ENDPOINT = `http://opentelemetry-collector.${OBSERVABILITY_NAMESPACE}.svc.cluster.local:4317`;
/** In-cluster Prometheus API (KEDA's request-rate trigger and Argo Rollouts' analyses query it). */
export const PROMETHEUS_URL = `http://kube-prometheus-stack-prometheus.${OBSERVABILITY_NAMESPACE}.svc.cluster.local:9090`;

/** kube-prometheus-stack components EKS does not let Prometheus scrape (offline/data/kube-prometheus-stack-*.target-alerts.yaml). */
export const EKS_HIDDEN_COMPONENTS = {
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
};

/** Where Loki (3.3, auth off) writes in its bucket: chunks under the single tenant `fake`, the TSDB index under `index/`. */
export const LOKI_TENANT_PREFIX = "fake/";
export const LOKI_INDEX_PREFIX = "index/";

/**
 * Metrics, logs, traces and alerting for the platform: kube-prometheus-stack (Prometheus, Alertmanager, Grafana,
 * node-exporter, kube-state-metrics), Loki and Tempo on an encrypted S3 bucket through IRSA, Fluent Bit, the
 * OpenTelemetry Collector; SLO burn-rate and platform alerts as PrometheusRules; Alertmanager and Grafana
 * credentials from Secrets Manager through External Secrets; the three dashboards; on the AWS side SNS topics
 * per severity and CloudWatch alarms for the data tier, load balancers and backups. Its key also serves the
 * audit trail (Audit).
 * Takes the Kubernetes provider from its `providers` option.
 */
export class Observability extends pulumi.ComponentResource {
    readonly namespace: string;
    readonly otlpEndpoint: string;
    /** Grafana inside the cluster (kubectl port-forward, or an Ingress the workload adds). */
    readonly grafanaUrl: string;
    /** SNS topics by severity: CloudWatch alarms publish here; subscribe pagers and mail to them. */
    readonly alertTopicArns: Record<Severity, pulumi.Output<string>>;
    /** Bucket of Tempo's trace blocks (under `tempo/`). */
    readonly bucketName: pulumi.Output<string>;
    /** Bucket Loki owns whole: chunks, TSDB index, ruler and seed files. */
    readonly lokiBucketName: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = resolveArgs(args);
        super("rag:observability:Observability", name, {}, opts);
        const step: Step = { name, cfg, env: awsEnvironment(this), ns: OBSERVABILITY_NAMESPACE, tags: (resourceName) => ({ ...cfg.tags, Name: resourceName }) };
        this.namespace = step.ns;
        this.otlpEndpoint = OTLP_ENDPOINT;
        this.grafanaUrl = `http://kube-prometheus-stack-grafana.${step.ns}.svc.cluster.local`;

        const key = this.key(step);
        this.kmsKeyArn = key.arn;
        const storage = this.storage(step, key);
        this.bucketName = storage.bucket.bucket;
        this.lokiBucketName = storage.lokiBucket.bucket;
        const namespace = this.namespaceFor(step);
        const credentials = this.credentials(step, key, namespace);
        const prometheusStack = this.metricsStack(step, namespace, credentials);
        this.logsAndTraces(step, key, storage, namespace);
        this.rulesAndDashboards(step, namespace, prometheusStack);
        this.certificateMetrics(step, prometheusStack);
        this.alertTopicArns = Object.fromEntries(
            SEVERITIES.map((severity) => [severity, new aws.sns.Topic(`${name}-${severity}`, { kmsMasterKeyId: key.arn, tags: step.tags(`${cfg.clusterName}-alerts-${severity}`) }, { parent: this }).arn]),
        ) as Record<Severity, pulumi.Output<string>>;
        this.cloudWatchAlarms(name, cfg, step.tags);
        if (cfg.budget) this.costBudget(step, cfg.budget);

        this.registerOutputs({ otlpEndpoint: this.otlpEndpoint, alertTopicArns: this.alertTopicArns, grafanaUrl: this.grafanaUrl });
    }

    /** One key for what observability stores and sends: the log/trace buckets, secrets, SNS, the audit trail. */
    private key({ name, cfg, env, tags }: Step): aws.kms.Key {
        return new aws.kms.Key(`${name}-key`, {
            description: `Encrypts logs, traces, alert topics and the audit trail of ${cfg.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
            policy: keyPolicy(
                env,
                { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
                // AWS Budgets publishes its alerts to the (encrypted) medium topic.
                ...(cfg.budget ? [{ Sid: "BudgetsPublish", Effect: "Allow", Principal: { Service: "budgets.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" }] : []),
                ...trailKeyStatements(env),
            ),
            tags: tags(`${cfg.clusterName}-observability`),
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
    }

    /** Buckets Tempo and Loki write to, their lifecycle backstops, and the IRSA roles that reach them. */
    private storage({ name, cfg, env, ns }: Step, key: aws.kms.Key): TelemetryStorage {
        // Tempo keeps its blocks under tempo/ in the telemetry bucket; Loki gets a bucket of its own, since it
        // writes at the root (chunks under its tenant, `fake/` without auth; the TSDB index under `index/`;
        // ruler and seed files) and cannot be confined to a prefix.
        const { bucket } = lockedBucket(this, `${name}-telemetry`, "telemetry", { sse: key.arn, accountId: env.accountId, tags: cfg.tags, protect: cfg.protect });
        const { bucket: lokiBucket } = lockedBucket(this, `${name}-loki`, "loki", { sse: key.arn, accountId: env.accountId, tags: cfg.tags, protect: cfg.protect });
        // Loki and Tempo delete by their own retention; the lifecycle is the backstop if a compactor stops.
        new aws.s3.BucketLifecycleConfiguration(`${name}-telemetry`, {
            bucket: bucket.id,
            rules: [{ id: "tempo-backstop", status: "Enabled", filter: { prefix: "tempo/" }, expiration: { days: cfg.traceRetentionDays + 7 } }],
        }, { parent: this });
        new aws.s3.BucketLifecycleConfiguration(`${name}-loki`, {
            bucket: lokiBucket.id,
            rules: [LOKI_TENANT_PREFIX, LOKI_INDEX_PREFIX].map((prefix) => ({
                id: `loki-${prefix.replace("/", "")}-backstop`,
                status: "Enabled",
                filter: { prefix },
                expiration: { days: cfg.accessLogRetentionDays + 7 },
            })),
        }, { parent: this });
        const bucketAccess = (arn: pulumi.Output<string>, prefix?: string) =>
            pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "s3:ListBucket", Resource: arn, ...(prefix ? { Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } } } : {}) },
                    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: prefix ? pulumi.interpolate`${arn}/${prefix}/*` : pulumi.interpolate`${arn}/*` },
                    { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: key.arn },
                ],
            });
        const irsa = { oidcProviderArn: cfg.oidcProviderArn, oidcIssuer: cfg.oidcIssuer, partition: env.partition, tags: cfg.tags, namespace: ns };
        const lokiRole = irsaRole(`${name}-loki`, { ...irsa, serviceAccount: "loki", policy: bucketAccess(lokiBucket.arn) }, { parent: this });
        const tempoRole = irsaRole(`${name}-tempo`, { ...irsa, serviceAccount: "tempo", policy: bucketAccess(bucket.arn, "tempo") }, { parent: this });
        return { bucket, lokiBucket, lokiRole, tempoRole };
    }

    private namespaceFor({ name, cfg, ns }: Step): k8s.core.v1.Namespace {
        return new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: ns,
                // Host-level agents (node-exporter, Fluent Bit) run in kube-system; everything here meets baseline and
                // is warned about where it misses restricted (some upstream charts still do).
                labels: { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" },
            },
            // Deleting the namespace would delete Prometheus', Loki's and Alertmanager's volume claims.
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
    }

    /** Grafana's admin (generated here) and the alert receivers (set by operators), from Secrets Manager through External Secrets. */
    private credentials({ name, cfg, ns, tags }: Step, key: aws.kms.Key, namespace: pulumi.Resource): pulumi.Resource[] {
        const secretsPrefix = `${cfg.clusterName}/observability/`;
        const grafanaPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
        // Deleted secrets wait out the recovery window; in prod the longest, and the operator-set receivers are kept.
        const recoveryWindowInDays = cfg.protect ? 30 : 7;
        const grafanaSecret = new aws.secretsmanager.Secret(`${name}-grafana-admin`, { name: `${secretsPrefix}grafana-admin`, kmsKeyId: key.arn, recoveryWindowInDays, tags: tags("grafana-admin") }, { parent: this });
        new aws.secretsmanager.SecretVersion(`${name}-grafana-admin`, { secretId: grafanaSecret.id, secretString: pulumi.jsonStringify({ user: "admin", password: grafanaPassword.result }) }, { parent: this });
        const receiversSecret = new aws.secretsmanager.Secret(`${name}-alert-receivers`, { name: `${secretsPrefix}alert-receivers`, kmsKeyId: key.arn, recoveryWindowInDays, tags: tags("alert-receivers") }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
        new aws.secretsmanager.SecretVersion(`${name}-alert-receivers`, {
            secretId: receiversSecret.id,
            secretString: JSON.stringify(RECEIVER_PLACEHOLDERS),
        }, { parent: this, ignoreChanges: ["secretString"] });
        const externalSecret = (secretName: string, remoteKey: pulumi.Input<string>, template: Record<string, string>, properties: string[]) =>
            new k8s.apiextensions.CustomResource(`${name}-${secretName}`, {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: secretName, namespace: ns },
                spec: {
                    refreshInterval: "1h",
                    secretStoreRef: { kind: "ClusterSecretStore", name: cfg.secretStoreName },
                    target: { name: secretName, creationPolicy: "Owner", template: { engineVersion: "v2", data: template } },
                    data: properties.map((property) => ({ secretKey: property, remoteRef: { key: remoteKey, property } })),
                },
            }, { parent: this, dependsOn: [namespace] });
        return [
            externalSecret("grafana-admin", grafanaSecret.name, { "admin-user": "{{ .user }}", "admin-password": "{{ .password }}" }, ["user", "password"]),
            externalSecret("alertmanager-config", receiversSecret.name, { "alertmanager.yaml": JSON.stringify(alertmanagerConfigTemplate()) }, [...RECEIVER_SECRET_KEYS]),
        ];
    }

    /** kube-prometheus-stack: Prometheus, Alertmanager, Grafana, the operator, kube-state-metrics, node-exporter. */
    private metricsStack({ name, cfg, ns }: Step, namespace: pulumi.Resource, credentials: pulumi.Resource[]): pulumi.Resource {
        return pinnedRelease(`${name}-kube-prometheus-stack`, OBSERVABILITY_CHARTS.kubePrometheusStack, ns, {
            fullnameOverride: "kube-prometheus-stack",
            prometheus: {
                prometheusSpec: {
                    ...placement(cfg.nodeGroup),
                    replicas: cfg.replicas,
                    retention: `${cfg.metricsRetentionDays}d`,
                    scrapeInterval: "30s",
                    evaluationInterval: "30s",
                    resources: containerResources(OBSERVABILITY_SIZES.prometheus),
                    storageSpec: { volumeClaimTemplate: volume(`${cfg.prometheusStorageGiB}Gi`) },
                    // Pick up every ServiceMonitor and PrometheusRule, not only those labelled for this release.
                    serviceMonitorSelectorNilUsesHelmValues: false,
                    podMonitorSelectorNilUsesHelmValues: false,
                    ruleSelectorNilUsesHelmValues: false,
                },
            },
            alertmanager: {
                alertmanagerSpec: { ...placement(cfg.nodeGroup), replicas: cfg.replicas, configSecret: "alertmanager-config", resources: containerResources(OBSERVABILITY_SIZES.alertmanager), storage: { volumeClaimTemplate: volume("10Gi") } },
            },
            grafana: {
                ...placement(cfg.nodeGroup),
                replicas: 1,
                admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
                persistence: { enabled: true, storageClassName: "gp3", size: "10Gi" },
                // The chart's chown init container runs as root; the volume is group-writable through fsGroup instead.
                initChownData: { enabled: false },
                resources: containerResources(OBSERVABILITY_SIZES.grafana),
                sidecar: { dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: ns } },
                additionalDataSources: [
                    { name: "Loki", uid: "loki", type: "loki", url: `http://loki-gateway.${ns}.svc.cluster.local` },
                    { name: "Tempo", uid: "tempo", type: "tempo", url: `http://tempo.${ns}.svc.cluster.local:3100` },
                ],
            },
            prometheusOperator: { ...placement(cfg.nodeGroup), resources: containerResources(OBSERVABILITY_SIZES.prometheusOperator) },
            // EKS runs the scheduler, controller manager and etcd out of Prometheus' reach, and kube-proxy binds its
            // metrics to 127.0.0.1: scraping them finds nothing or a down target, and their alerts would page forever.
            ...EKS_HIDDEN_COMPONENTS,
            defaultRules: { rules: { windows: false } },
            "kube-state-metrics": { ...placement(cfg.nodeGroup), resources: containerResources(OBSERVABILITY_SIZES.kubeStateMetrics) },
            // node-exporter needs the host's network, PID namespace and filesystem: kube-system, excluded from hardening.
            "prometheus-node-exporter": { namespaceOverride: "kube-system" },
        }, { parent: this, dependsOn: [namespace, ...credentials] });
    }

    /** Loki and Tempo on S3, the OpenTelemetry Collector in front of Tempo, Fluent Bit on every node into Loki. */
    private logsAndTraces({ name, cfg, env, ns }: Step, key: aws.kms.Key, { bucket, lokiBucket, lokiRole, tempoRole }: TelemetryStorage, namespace: pulumi.Resource): void {
        const hours = (days: number) => `${days * 24}h`;
        // A write needs a quorum of the replication factor: with 2 replicas and the chart's factor 3 every write
        // fails, and with 2 and 2 any restart stops writes. So one replica without HA, else 3 with factor 3.
        const loki = lokiReplicas(cfg.replicas);
        const caches = lokiCacheMegabytes(cfg.replicas > 1);
        pinnedRelease(`${name}-loki`, OBSERVABILITY_CHARTS.loki, ns, {
            deploymentMode: "SingleBinary",
            singleBinary: { ...placement(cfg.nodeGroup), replicas: loki, resources: containerResources(OBSERVABILITY_SIZES.loki), persistence: { storageClass: "gp3", size: "20Gi" } },
            gateway: { ...placement(cfg.nodeGroup), replicas: cfg.replicas, resources: containerResources(OBSERVABILITY_SIZES.lokiGateway) },
            // Sized for this platform and placed with the rest: at the chart's defaults the two caches asked for
            // about 11 GiB on application nodes, counted nowhere.
            chunksCache: { ...placement(cfg.nodeGroup), allocatedMemory: caches.chunks, resources: containerResources(memcachedSize(caches.chunks)) },
            resultsCache: { ...placement(cfg.nodeGroup), allocatedMemory: caches.results, resources: containerResources(memcachedSize(caches.results)) },
            memcachedExporter: { resources: containerResources(OBSERVABILITY_SIZES.memcachedExporter) },
            serviceAccount: { create: true, name: "loki", annotations: { "eks.amazonaws.com/role-arn": lokiRole.arn } },
            loki: {
                auth_enabled: false,
                commonConfig: { replication_factor: loki },
                storage: { type: "s3", bucketNames: { chunks: lokiBucket.bucket, ruler: lokiBucket.bucket, admin: lokiBucket.bucket }, s3: { region: env.region, sse: { type: "SSE-KMS", kms_key_id: key.arn } } },
                // A table name is a path segment: a '/' in the prefix breaks the compactor and retention.
                schemaConfig: { configs: [{ from: "2025-01-01", store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }] },
                storage_config: { aws: { s3forcepathstyle: false }, tsdb_shipper: { active_index_directory: "/var/loki/index", cache_location: "/var/loki/cache" } },
                compactor: { retention_enabled: true, delete_request_store: "s3" },
                limits_config: {
                    retention_period: hours(cfg.appLogRetentionDays),
                    retention_stream: [{ selector: '{log_type="access"}', priority: 1, period: hours(cfg.accessLogRetentionDays) }],
                },
            },
            backend: { replicas: 0 },
            read: { replicas: 0 },
            write: { replicas: 0 },
        }, { parent: this, dependsOn: [namespace] });

        pinnedRelease(`${name}-tempo`, OBSERVABILITY_CHARTS.tempo, ns, {
            ...placement(cfg.nodeGroup),
            serviceAccount: { create: true, name: "tempo", annotations: { "eks.amazonaws.com/role-arn": tempoRole.arn } },
            tempo: {
                retention: hours(cfg.traceRetentionDays),
                storage: { trace: { backend: "s3", s3: { bucket: bucket.bucket, endpoint: pulumi.interpolate`s3.${env.region}.amazonaws.com`, prefix: "tempo" } } },
                resources: containerResources(OBSERVABILITY_SIZES.tempo),
            },
            persistence: { enabled: true, storageClassName: "gp3", size: "10Gi" },
        }, { parent: this, dependsOn: [namespace] });

        pinnedRelease(`${name}-opentelemetry-collector`, OBSERVABILITY_CHARTS.openTelemetryCollector, ns, {
            ...placement(cfg.nodeGroup),
            fullnameOverride: "opentelemetry-collector",
            mode: "deployment",
            replicaCount: cfg.replicas,
            image: { repository: "otel/opentelemetry-collector-contrib" },
            resources: containerResources(OBSERVABILITY_SIZES.openTelemetryCollector),
            // Traces over OTLP only: the chart's Jaeger and Zipkin receivers, its self-scrape and its metrics and
            // logs pipelines into the debug exporter are removed (Helm deletes a key set to null), with their ports.
            ports: { "jaeger-compact": { enabled: false }, "jaeger-thrift": { enabled: false }, "jaeger-grpc": { enabled: false }, zipkin: { enabled: false } },
            config: {
                receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } }, jaeger: null, zipkin: null, prometheus: null },
                processors: {
                    memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
                    probabilistic_sampler: { sampling_percentage: cfg.traceSamplingPercent },
                    batch: {},
                },
                exporters: { otlp: { endpoint: `tempo.${ns}.svc.cluster.local:4317`, tls: { insecure: true } }, debug: null },
                service: { pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "probabilistic_sampler", "batch"], exporters: ["otlp"] }, metrics: null, logs: null } },
            },
        }, { parent: this, dependsOn: [namespace] });

        // Fluent Bit reads /var/log on every node: kube-system, like node-exporter.
        pinnedRelease(`${name}-fluent-bit`, OBSERVABILITY_CHARTS.fluentBit, "kube-system", {
            tolerations: [{ operator: "Exists" }],
            resources: containerResources(OBSERVABILITY_SIZES.fluentBit),
            config: {
                outputs: [
                    "[OUTPUT]",
                    "    Name        loki",
                    "    Match       kube.*",
                    `    Host        loki-gateway.${ns}.svc.cluster.local`,
                    "    Port        80",
                    "    Labels      job=fluent-bit, namespace=$kubernetes['namespace_name'], pod=$kubernetes['pod_name'], container=$kubernetes['container_name'], app=$kubernetes['labels']['app.kubernetes.io/name'], log_type=$kubernetes['labels']['rag-platform.io/log-type']",
                    "    Auto_Kubernetes_Labels off",
                ].join("\n"),
            },
        }, { parent: this });
    }

    /**
     * cert-manager's metrics (certificate expiry among them), which its chart serves on a Service in its namespace:
     * the chart's own ServiceMonitor cannot be used, since cert-manager is installed before these CRDs exist.
     */
    private certificateMetrics({ name }: Step, prometheusStack: pulumi.Resource): void {
        new k8s.apiextensions.CustomResource(`${name}-cert-manager-monitor`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { name: "cert-manager", namespace: "cert-manager" },
            spec: {
                selector: { matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" } },
                endpoints: [{ port: "tcp-prometheus-servicemonitor", path: "/metrics", interval: "60s" }],
            },
        }, { parent: this, dependsOn: [prometheusStack] });
    }

    /** The generated PrometheusRules (SLO burn rates, platform alerts) and the dashboards Grafana's sidecar loads. */
    private rulesAndDashboards({ name, cfg, ns }: Step, namespace: pulumi.Resource, prometheusStack: pulumi.Resource): void {
        for (const group of allRuleGroups(cfg.slos)) {
            new k8s.apiextensions.CustomResource(`${name}-rules-${group.name}`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: group.name, namespace: ns, labels: { "rag-platform.io/rules": "generated" } },
                spec: { groups: [group] },
            }, { parent: this, dependsOn: [prometheusStack] });
        }
        for (const dashboard of DASHBOARDS) {
            new k8s.core.v1.ConfigMap(`${name}-dashboard-${dashboard.uid}`, {
                metadata: { name: `dashboard-${dashboard.uid}`, namespace: ns, labels: { grafana_dashboard: "1" } },
                data: { [`${dashboard.uid}.json`]: JSON.stringify(grafanaDashboard(dashboard)) },
            }, { parent: this, dependsOn: [namespace] });
        }
    }

    /**
     * The stack's monthly cost budget. The medium topic's policy keeps what SNS grants its owner by default and
     * lets AWS Budgets (for this account's budgets only) and CloudWatch alarms publish.
     */
    private costBudget({ name, cfg, env, tags }: Step, budget: NonNullable<ObservabilityArgs["budget"]>): void {
        const topicArn = this.alertTopicArns.medium;
        new aws.sns.TopicPolicy(`${name}-medium`, {
            arn: topicArn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "OwnerManages",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${env.partition}:iam::${env.accountId}:root` },
                        Action: ["sns:Publish", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic"],
                        Resource: topicArn,
                    },
                    { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { StringEquals: { "aws:SourceAccount": env.accountId } } },
                    {
                        Sid: "BudgetsPublish",
                        Effect: "Allow",
                        Principal: { Service: "budgets.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topicArn,
                        Condition: { StringEquals: { "aws:SourceAccount": env.accountId }, ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${env.partition}:budgets::${env.accountId}:*` } },
                    },
                ],
            }),
        }, { parent: this });
        const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) =>
            ({ notificationType, comparisonOperator: "GREATER_THAN", threshold, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [topicArn] });
        new aws.budgets.Budget(`${name}-budget`, {
            name: `${cfg.clusterName}-monthly`,
            budgetType: "COST",
            limitAmount: String(budget.monthlyUsd),
            limitUnit: "USD",
            timeUnit: "MONTHLY",
            costFilters: [{ name: "TagKeyValue", values: [`user:${budget.costTag.key}$${budget.costTag.value}`] }],
            notifications: [...budget.alertPercents.map((percent) => notify("ACTUAL", percent)), notify("FORECASTED", 100)],
            tags: tags(`${cfg.clusterName}-monthly`),
        }, { parent: this });
    }

    /** CloudWatch alarms for what Prometheus cannot see: the managed database and cache, load balancers, backups. */
    private cloudWatchAlarms(name: string, cfg: ResolvedObservabilityArgs, tags: (resourceName: string) => Record<string, string>) {
        const alarm = (alarmName: string, severity: Severity, description: string, metric: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
            new aws.cloudwatch.MetricAlarm(`${name}-${alarmName}`, {
                alarmDescription: `[${severity}] ${description}`,
                evaluationPeriods: 3,
                treatMissingData: "notBreaching",
                alarmActions: [this.alertTopicArns[severity]],
                okActions: [this.alertTopicArns[severity]],
                tags: tags(alarmName),
                ...metric,
            } as aws.cloudwatch.MetricAlarmArgs, { parent: this });
        const rds = (id: string, metricName: string, comparisonOperator: string, threshold: number, statistic = "Average") =>
            ({ namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: id }, statistic, period: 300, comparisonOperator, threshold });

        for (const id of cfg.alarms.databaseIdentifiers ?? []) {
            alarm(`${id}-cpu`, "high", `${id}: CPU above 80% for 15 minutes`, rds(id, "CPUUtilization", "GreaterThanThreshold", 80));
            alarm(`${id}-free-storage`, "high", `${id}: less than 10 GiB free (autoscaling may be at its ceiling)`, rds(id, "FreeStorageSpace", "LessThanThreshold", 10 * 1024 ** 3));
            alarm(`${id}-connections`, "medium", `${id}: more than 400 connections (pool exhaustion ahead)`, rds(id, "DatabaseConnections", "GreaterThanThreshold", 400, "Maximum"));
        }
        for (const id of cfg.alarms.replicaIdentifiers ?? []) {
            alarm(`${id}-replica-lag`, "high", `${id}: replica more than 60 s behind`, rds(id, "ReplicaLag", "GreaterThanThreshold", 60, "Maximum"));
        }
        (cfg.alarms.cacheNodeIds ?? []).forEach((nodeId, i) => {
            const cache = (metricName: string, comparisonOperator: string, threshold: number, statistic = "Average") =>
                ({ namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: nodeId }, statistic, period: 300, comparisonOperator, threshold });
            alarm(`cache-node-${i + 1}-cpu`, "high", "cache node: engine CPU above 80%", cache("EngineCPUUtilization", "GreaterThanThreshold", 80));
            alarm(`cache-node-${i + 1}-memory`, "medium", "cache node: memory above 80%", cache("DatabaseMemoryUsagePercentage", "GreaterThanThreshold", 80));
            alarm(`cache-node-${i + 1}-evictions`, "medium", "cache node: keys evicted", cache("Evictions", "GreaterThanThreshold", 0, "Sum"));
            alarm(`cache-node-${i + 1}-replication-lag`, "high", "cache node: replication more than 30 s behind", cache("ReplicationLag", "GreaterThanThreshold", 30, "Maximum"));
        });
        // The load balancer controller names ALBs itself; Metrics Insights queries cover every ALB in the region.
        const insights = (id: string, query: string) => ({ metricQueries: [{ id, expression: query, period: 300, returnData: true }] });
        alarm("alb-5xx", "high", "load balancers: more than 50 5xx responses in 5 minutes", {
            ...insights("errors", `SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)`),
            comparisonOperator: "GreaterThanThreshold",
            threshold: 50,
        });
        alarm("alb-unhealthy-targets", "critical", "load balancers: unhealthy targets for 15 minutes", {
            ...insights("unhealthy", `SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup)`),
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
        });
        // The region-loss RPO rests on these: replicas 15 minutes behind at most (Replication Time Control), copies made.
        for (const rule of cfg.alarms.replicationRules ?? []) {
            const s3 = (metricName: string, statistic: string, comparisonOperator: string, threshold: number) => ({
                namespace: "AWS/S3",
                metricName,
                dimensions: { SourceBucket: rule.sourceBucket, DestinationBucket: rule.destinationBucket, RuleId: rule.ruleId },
                statistic,
                period: 300,
                comparisonOperator,
                threshold,
            });
            alarm(`${rule.ruleId}-failed`, "high", `${rule.ruleId}: objects failed to replicate to the DR region`, { ...s3("OperationsFailedReplication", "Sum", "GreaterThanThreshold", 0), evaluationPeriods: 1 });
            alarm(`${rule.ruleId}-latency`, "high", `${rule.ruleId}: replication more than 15 minutes behind (the RPO)`, s3("ReplicationLatency", "Maximum", "GreaterThanThreshold", 900));
        }
        if (cfg.alarms.backupCopies) {
            alarm("backup-copies-failed", "medium", "AWS Backup: a copy to the DR region failed", {
                namespace: "AWS/Backup",
                metricName: "NumberOfCopyJobsFailed",
                statistic: "Sum",
                period: 3600,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
            });
        }
        alarm("backup-jobs-failed", "low", "AWS Backup: a backup job failed", {
            namespace: "AWS/Backup",
            metricName: "NumberOfBackupJobsFailed",
            statistic: "Sum",
            period: 3600,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
        });
    }
}

/** What each step of building observability reads. */
interface Step {
    name: string;
    cfg: ResolvedObservabilityArgs;
    env: AwsEnvironment;
    ns: string;
    tags: (resourceName: string) => Record<string, string>;
}

interface TelemetryStorage {
    bucket: aws.s3.Bucket;
    lokiBucket: aws.s3.Bucket;
    lokiRole: { arn: pulumi.Output<string> };
    tempoRole: { arn: pulumi.Output<string> };
}

/** Node selector and toleration of the observability node group. */
function placement(nodeGroup: string) {
    return {
        nodeSelector: { "rag-platform.io/node-group": nodeGroup },
        tolerations: [{ key: DEDICATED_TAINT_KEY, operator: "Equal", value: nodeGroup, effect: "NoSchedule" }],
    };
}
const volume = (size: string) => ({ spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } });

type ResolvedObservabilityArgs = Required<ObservabilityArgs>;

function resolveArgs(args: ObservabilityArgs): ResolvedObservabilityArgs {
    const fail = argsRejecter("Observability");
    const defaults = {
        nodeGroup: "observability",
        slos: DEFAULT_SLOS,
        metricsRetentionDays: 30,
        prometheusStorageGiB: 100,
        appLogRetentionDays: 30,
        accessLogRetentionDays: 90,
        traceRetentionDays: 7,
        traceSamplingPercent: 10,
        replicas: 2,
        alarms: {},
        kmsKeyDeletionWindowDays: 30,
        protect: false,
        tags: {},
    };
    const cfg = { ...defaults, ...stripUndefined(args) } as ResolvedObservabilityArgs;
    if (!(cfg.traceSamplingPercent >= 1 && cfg.traceSamplingPercent <= 100)) fail("traceSamplingPercent", cfg.traceSamplingPercent, "1 to 100");
    if (cfg.accessLogRetentionDays < cfg.appLogRetentionDays) fail("accessLogRetentionDays", cfg.accessLogRetentionDays, `appLogRetentionDays (${cfg.appLogRetentionDays}) or more`);
    for (const slo of cfg.slos) if (!(slo.objective > 0 && slo.objective < 1)) fail(`slos[${slo.name}].objective`, slo.objective, "a fraction between 0 and 1, e.g. 0.9995");
    if (new Set(cfg.slos.map((s) => s.name)).size !== cfg.slos.length) fail("slos", cfg.slos.map((s) => s.name), "unique SLO names");
    if (cfg.replicas < 1) fail("replicas", cfg.replicas, "1 or more");
    checkKmsDeletionWindow(fail, cfg.kmsKeyDeletionWindowDays);
    return cfg;
}

/**
 * Node ids ElastiCache gives a replication group's members: `<group>-<shard, 4 digits>-<node, 3 digits>` in
 * cluster mode, `<group>-<node, 3 digits>` for one primary with replicas.
 */
export function cacheNodeIds(replicationGroupId: pulumi.Input<string>, shards: number, nodesPerShard: number, clusterMode = true): pulumi.Output<string>[] {
    const node = (n: number) => String(n + 1).padStart(3, "0");
    if (!clusterMode) return Array.from({ length: nodesPerShard }, (_, n) => pulumi.interpolate`${replicationGroupId}-${node(n)}`);
    return Array.from({ length: shards }, (_, s) => Array.from({ length: nodesPerShard }, (_, n) => pulumi.interpolate`${replicationGroupId}-${String(s + 1).padStart(4, "0")}-${node(n)}`)).flat();
}
