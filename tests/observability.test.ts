/** The Observability component in each stack: what it deploys where, with which retention and sampling, and which alerts. */
import { describe, expect, it } from "vitest";
import { Observability, cacheNodeIds } from "../components/observability";
import { DASHBOARDS, allRuleGroups } from "../model/observability-rules";
import { type PlanRecord } from "../offline/evaluate";
import { ofType } from "../offline/inspect";
import { named, only, rejectionOf } from "./helpers";
import { stackPlans } from "./plans";

const release = (record: PlanRecord, chart: string) => ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!;
const values = (record: PlanRecord, chart: string) => release(record, chart).inputs.values as Record<string, any>;
const PLACEMENT = {
    nodeSelector: { "rag-platform.io/node-group": "observability" },
    tolerations: [{ key: "rag-platform.io/dedicated", operator: "Equal", value: "observability", effect: "NoSchedule" }],
};

describe("observability in each stack", async () => {
    const [dev, staging, prod] = await stackPlans();

    it("samples 100% of traces in dev, 25% in staging and 10% in prod", () => {
        const sampling = (record: PlanRecord) => values(record, "opentelemetry-collector").config.processors.probabilistic_sampler.sampling_percentage;
        expect([dev, staging, prod].map(sampling)).toEqual([100, 25, 10]);
    });

    it("runs the collector for traces over OTLP only: the chart's other receivers, pipelines and their ports removed", () => {
        const collector = values(prod, "opentelemetry-collector");
        expect(collector.config.receivers).toMatchObject({ jaeger: null, zipkin: null, prometheus: null });
        expect(collector.config.service.pipelines).toMatchObject({ metrics: null, logs: null, traces: { receivers: ["otlp"] } });
        expect(collector.config.exporters.debug).toBeNull();
        for (const port of ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"]) expect(collector.ports[port]).toEqual({ enabled: false });
    });

    it("keeps metrics 30 days at a 30 s scrape on encrypted gp3 volumes, with requests and limits", () => {
        const spec = values(prod, "kube-prometheus-stack").prometheus.prometheusSpec;
        expect(spec).toMatchObject({ retention: "30d", scrapeInterval: "30s", replicas: 2, resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "6Gi" } } });
        expect(spec.storageSpec.volumeClaimTemplate.spec).toMatchObject({ storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } });
        expect(values(dev, "kube-prometheus-stack").prometheus.prometheusSpec).toMatchObject({ replicas: 1, storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "20Gi" } } } } } });
    });

    it("keeps application logs 30 days, access logs 90 and traces 7, in encrypted buckets through IRSA", () => {
        const loki = values(prod, "loki");
        expect(loki.loki.limits_config).toEqual({ retention_period: "720h", retention_stream: [{ selector: '{log_type="access"}', priority: 1, period: "2160h" }] });
        expect(loki.loki.compactor.retention_enabled).toBe(true);
        expect(values(prod, "tempo").tempo.retention).toBe("168h");
        const lokiRole = named(prod, "aws:iam/role:Role", "observability-loki");
        expect(loki.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(lokiRole.state.arn);
        const bucket = named(prod, "aws:s3/bucket:Bucket", "observability-telemetry");
        expect(values(prod, "tempo").tempo.storage.trace.s3).toMatchObject({ bucket: bucket.state.bucket, prefix: "tempo" });
        const tempoAccess = JSON.parse(String(named(prod, "aws:iam/rolePolicy:RolePolicy", "observability-tempo").inputs.policy)).Statement;
        expect(tempoAccess[1].Resource).toBe(`${bucket.state.arn}/tempo/*`);
    });

    it("gives Loki a bucket of its own it may write anywhere in (it writes fake/, index/, rules/ at the root), with a backstop lifecycle on what it writes", () => {
        const loki = values(prod, "loki");
        const lokiBucket = named(prod, "aws:s3/bucket:Bucket", "observability-loki");
        expect(loki.loki.storage.bucketNames).toEqual({ chunks: lokiBucket.state.bucket, ruler: lokiBucket.state.bucket, admin: lokiBucket.state.bucket });
        const access = JSON.parse(String(named(prod, "aws:iam/rolePolicy:RolePolicy", "observability-loki").inputs.policy)).Statement;
        expect(access[0]).toEqual({ Effect: "Allow", Action: "s3:ListBucket", Resource: lokiBucket.state.arn });
        expect(access[1].Resource).toBe(`${lokiBucket.state.arn}/*`);
        const lifecycle = ofType(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.name === "observability-loki")!;
        expect((lifecycle.inputs.rules as { filter: { prefix: string }; expiration: { days: number } }[]).map((r) => [r.filter.prefix, r.expiration.days])).toEqual([["fake/", 97], ["index/", 97]]);
        // A table name is a path segment: no '/' in the index prefix.
        expect(loki.loki.schemaConfig.configs[0].index.prefix).toBe("loki_index_");
    });

    it("runs Loki with a replication factor its replicas can meet through a restart: 3 of 3 with HA, 1 of 1 in dev", () => {
        for (const [record, replicas] of [[prod, 3], [staging, 3], [dev, 1]] as const) {
            const loki = values(record, "loki");
            expect(loki.singleBinary.replicas).toBe(replicas);
            expect(loki.loki.commonConfig).toEqual({ replication_factor: replicas });
        }
    });

    it("runs every observability workload on the tainted observability node group, host agents in kube-system", () => {
        const stack = values(prod, "kube-prometheus-stack");
        const loki = values(prod, "loki");
        for (const spec of [stack.prometheus.prometheusSpec, stack.alertmanager.alertmanagerSpec, stack.grafana, stack.prometheusOperator, stack["kube-state-metrics"], loki.singleBinary, loki.gateway, loki.chunksCache, loki.resultsCache, values(prod, "tempo"), values(prod, "opentelemetry-collector")]) {
            expect(spec).toMatchObject(PLACEMENT);
        }
        // Loki's caches at a size of ours, with the resources memcached needs for it (the chart's defaults: 8192 and 1024 MB).
        expect(loki.chunksCache).toMatchObject({ allocatedMemory: 2048, resources: { requests: { memory: "2458Mi" }, limits: { memory: "2458Mi" } } });
        expect(loki.resultsCache).toMatchObject({ allocatedMemory: 512, resources: { requests: { memory: "614Mi" } } });
        expect(values(dev, "loki").chunksCache.allocatedMemory).toBe(512);
        expect(stack["prometheus-node-exporter"].namespaceOverride).toBe("kube-system");
        expect(release(prod, "fluent-bit").inputs.namespace).toBe("kube-system");
        expect(named(prod, "kubernetes:core/v1:Namespace", "observability-namespace").inputs.metadata).toMatchObject({ name: "observability", labels: { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" } });
    });

    it("takes Grafana's admin and Alertmanager's receivers from Secrets Manager through External Secrets", () => {
        const externalSecrets = ofType(prod, "kubernetes:external-secrets.io/v1:ExternalSecret").filter((e) => (e.inputs.metadata as { namespace: string }).namespace === "observability");
        expect(externalSecrets.map((e) => (e.inputs.metadata as { name: string }).name)).toEqual(["grafana-admin", "alertmanager-config"]);
        for (const e of externalSecrets) expect((e.inputs.spec as any).secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
        const secrets = ofType(prod, "aws:secretsmanager/secret:Secret").map((s) => s.inputs.name);
        expect(secrets).toEqual(expect.arrayContaining(["rag-prod/observability/grafana-admin", "rag-prod/observability/alert-receivers"]));
        const stack = values(prod, "kube-prometheus-stack");
        expect(stack.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
        expect(stack.alertmanager.alertmanagerSpec.configSecret).toBe("alertmanager-config");
        const template = JSON.parse((externalSecrets[1].inputs.spec as any).target.template.data["alertmanager.yaml"]);
        expect(template.receivers.map((r: { name: string }) => r.name)).toEqual(["null", "pagerduty", "slack", "email"]);
        // Seeded with placeholders Alertmanager accepts (tests/quiet-platform.test.ts runs amtool on them).
        const seed = named(prod, "aws:secretsmanager/secretVersion:SecretVersion", "observability-alert-receivers");
        expect(JSON.parse((seed.inputs.secretString as { value: string }).value)).toMatchObject({ pagerduty_routing_key: "set-in-secrets-manager", alert_email_to: "alerts@example.invalid" });
    });

    it("deploys the generated rules as PrometheusRules after the operator, and the three dashboards", () => {
        const rules = ofType(prod, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        expect(rules.map((r) => (r.inputs.metadata as { name: string }).name).sort()).toEqual(allRuleGroups().map((g) => g.name).sort());
        const alerts = rules.flatMap((r) => (r.inputs.spec as { groups: { rules: { alert?: string }[] }[] }).groups[0].rules.map((x) => x.alert).filter(Boolean));
        expect(new Set(alerts)).toEqual(new Set([
            "ErrorBudgetBurnFast", "ErrorBudgetBurnSustained", "ErrorBudgetBurnSlow", "ErrorBudgetBurnChronic",
            "ServiceDown", "HighErrorRate", "DatabaseUnreachable", "PersistentVolumeFailed", "LatencyP99High",
            "ContainerMemoryHigh", "PersistentVolumeFillingUp", "NodeDiskFillingUp", "CertificateExpiringSoon",
        ]));
        for (const rule of rules) expect(rule.dependencies).toContain(release(prod, "kube-prometheus-stack").urn);
        const dashboards = ofType(prod, "kubernetes:core/v1:ConfigMap").filter((c) => (c.inputs.metadata as any).labels?.grafana_dashboard === "1");
        expect(dashboards.map((d) => JSON.parse(Object.values(d.inputs.data as Record<string, string>)[0]).title).sort()).toEqual(DASHBOARDS.map((d) => d.title).sort());
    });

    it("alerts on AWS through KMS-encrypted SNS topics per severity: RDS, replicas, cache nodes, ALBs, backups", () => {
        const topics = ofType(prod, "aws:sns/topic:Topic");
        expect(topics.map((t) => t.name)).toEqual(["observability-critical", "observability-high", "observability-medium", "observability-low"]);
        for (const topic of topics) expect(topic.inputs.kmsMasterKeyId).toBe(named(prod, "aws:kms/key:Key", "observability-key").state.arn);
        const alarms = (record: PlanRecord) => ofType(record, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name.replace(/^observability-/, ""));
        expect(alarms(prod)).toEqual(expect.arrayContaining([
            "rag-prod-postgres-cpu", "rag-prod-postgres-free-storage", "rag-prod-postgres-connections", "rag-prod-postgres-replica-1-replica-lag",
            "cache-node-1-cpu", "cache-node-3-replication-lag", "alb-5xx", "alb-unhealthy-targets", "backup-jobs-failed",
        ]));
        // prod also watches its two replication rules (failures, latency) and the backup copies to the DR region.
        expect(alarms(prod)).toHaveLength(3 + 1 + 3 * 4 + 3 + 2 * 2 + 1);
        expect(alarms(dev)).toHaveLength(3 + 0 + 2 * 4 + 3);
        const documents = named(prod, "aws:s3/bucket:Bucket", "data-buckets-documents").state.bucket;
        const replica = named(prod, "aws:s3/bucket:Bucket", "data-buckets-documents-replica").state.bucket;
        expect(named(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-replicate-documents-latency").inputs).toMatchObject({
            namespace: "AWS/S3",
            metricName: "ReplicationLatency",
            dimensions: { SourceBucket: documents, DestinationBucket: replica, RuleId: "replicate-documents" },
            statistic: "Maximum",
            threshold: 900,
            alarmActions: [topics[1].state.arn],
        });
        expect(named(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-replicate-backups-failed").inputs).toMatchObject({ metricName: "OperationsFailedReplication", statistic: "Sum", threshold: 0 });
        expect(named(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-backup-copies-failed").inputs).toMatchObject({ namespace: "AWS/Backup", metricName: "NumberOfCopyJobsFailed" });
        const replicaLag = named(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-rag-prod-postgres-replica-1-replica-lag");
        expect(replicaLag.inputs).toMatchObject({ namespace: "AWS/RDS", metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: "rag-prod-postgres-replica-1" }, alarmActions: [topics[1].state.arn] });
    });

    it("keeps a monthly cost budget per stack, alerting the medium topic, which AWS Budgets may publish to through its key", () => {
        const budgets = [dev, staging, prod].map((record) => only(record, "aws:budgets/budget:Budget").inputs as Record<string, any>);
        expect(budgets.map((b) => [b.name, b.limitAmount, b.costFilters])).toEqual([
            ["rag-dev-monthly", "300", [{ name: "TagKeyValue", values: ["user:stack$dev"] }]],
            ["rag-staging-monthly", "900", [{ name: "TagKeyValue", values: ["user:stack$staging"] }]],
            ["rag-prod-monthly", "3000", [{ name: "TagKeyValue", values: ["user:stack$prod"] }]],
        ]);
        const medium = named(prod, "aws:sns/topic:Topic", "observability-medium").state.arn;
        expect(budgets[2].notifications.map((n: Record<string, unknown>) => [n.notificationType, n.threshold, n.subscriberSnsTopicArns])).toEqual([
            ["ACTUAL", 80, [medium]], ["ACTUAL", 100, [medium]], ["FORECASTED", 100, [medium]],
        ]);
        const topicPolicy = JSON.parse(String(only(prod, "aws:sns/topicPolicy:TopicPolicy").inputs.policy));
        expect(topicPolicy.Statement.find((st: { Sid: string }) => st.Sid === "BudgetsPublish")).toMatchObject({ Principal: { Service: "budgets.amazonaws.com" }, Action: "sns:Publish", Resource: medium });
        // CloudWatch alarms keep publishing to the topic once it has a policy of its own.
        expect(topicPolicy.Statement.map((st: { Sid: string }) => st.Sid)).toEqual(["OwnerManages", "CloudWatchAlarmsPublish", "BudgetsPublish"]);
        const key = JSON.parse(String(named(prod, "aws:kms/key:Key", "observability-key").inputs.policy));
        expect(key.Statement.find((st: { Sid: string }) => st.Sid === "BudgetsPublish")).toMatchObject({ Principal: { Service: "budgets.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] });
    });

    it("generates the alerts from the stack's SLO config: the spec's SLOs give exactly the promtool-proven rules", () => {
        for (const record of [dev, staging, prod]) {
            const deployed = ofType(record, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").flatMap((r) => (r.inputs.spec as { groups: { rules: { expr: string; alert?: string; record?: string }[] }[] }).groups[0].rules);
            const proven = allRuleGroups().flatMap((g) => g.rules);
            expect(deployed.map((r) => `${r.alert ?? r.record} ${r.expr}`).sort()).toEqual(proven.map((r) => `${r.alert ?? r.record} ${r.expr}`).sort());
        }
    });

    it("exports the OTLP endpoint, Grafana's address and the alert topics", () => {
        expect(prod.outputs).toMatchObject({ observabilityNamespace: "observability", otlpEndpoint: "http://opentelemetry-collector.observability.svc.cluster.local:4317" });
        expect(Object.keys(prod.outputs.alertTopicArns as object)).toEqual(["critical", "high", "medium", "low"]);
    });
});

describe("Observability rejects what it cannot build, before registering anything", () => {
    const base = { clusterName: "rag-test", oidcProviderArn: "arn", oidcIssuer: "issuer", secretStoreName: "store" };
    it.each([
        ["a KMS deletion window KMS refuses", { kmsKeyDeletionWindowDays: 6 }, "Observability: kmsKeyDeletionWindowDays = 6 is not allowed; allowed: an integer from 7 to 30"],
        ["no traces kept", { traceSamplingPercent: 0 }, "Observability: traceSamplingPercent = 0 is not allowed; allowed: 1 to 100"],
        ["access logs dropped before application logs", { accessLogRetentionDays: 7 }, "Observability: accessLogRetentionDays = 7 is not allowed"],
        ["an SLO objective given in percent", { slos: [{ name: "availability", description: "x", objective: 99.95, sli: { kind: "availability" as const } }] }, "Observability: slos[availability].objective = 99.95 is not allowed"],
    ])("%s", async (_, args, message) => {
        const rejection = await rejectionOf(() => new Observability("obs", { ...base, ...args }));
        expect(rejection.message).toContain(message);
        expect(rejection.registered).toEqual([]);
    });

    it("names cache nodes as ElastiCache does in cluster mode", async () => {
        const ids = await Promise.all(cacheNodeIds("rag-cache", 2, 2).map((id) => new Promise((resolve) => id.apply(resolve))));
        expect(ids).toEqual(["rag-cache-0001-001", "rag-cache-0001-002", "rag-cache-0002-001", "rag-cache-0002-002"]);
    });
});
