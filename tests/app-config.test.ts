/**
 * Application configuration inside the charts' free-form values (offline/fidelity/app-config.ts): every stack and
 * example system plans with none of it refused, a misspelt or misplaced key is refused as the application would
 * refuse it at its pinned version, the collector's pipelines name only components it defines and its image
 * includes, and every application config the plans pass through a chart's free-form values has facts.
 */
import { describe, expect, it } from "vitest";
import { appConfigCharts, checkApplicationConfig, didYouMean } from "../offline/fidelity/app-config";
import { chartFacts } from "../offline/fidelity/helm-values";
import type { RecordedResource } from "../offline/mocks";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";
import { withValues } from "./helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";

const messages = (resources: RecordedResource[]) => checkApplicationConfig(resources).findings.map((f) => f.message);

describe("application configuration under the charts' free-form values", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));
    const prod = () => records[SHARED_PLANS.findIndex((p) => p.key === "prod")];

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: no finding", (_, i) => {
        const report = checkApplicationConfig(records[i].resources);
        expect(report.findings).toEqual([]);
        // Loki, Tempo and the collector, each checked.
        expect(report.applications).toBe(3);
    });

    describe("Loki 3.3.2 (chart loki 6.24.0)", () => {
        it("refuses a misspelt key in limits_config, naming the nearest keys and the version", () => {
            const broken = withValues(prod(), "observability-loki", (v) => (v.loki.limits_config.retention_perod = v.loki.limits_config.retention_period));
            expect(checkApplicationConfig(broken).findings).toEqual([
                {
                    check: "app-config",
                    resource: `${RELEASE} "observability-loki"`,
                    message: 'loki.limits_config -> Loki 3.3.2 config limits_config.retention_perod: unknown key "retention_perod"; did you mean: retention_period?',
                },
            ]);
        });
        it("refuses keys deep in lists and in the chart's storage block, and scalars of the wrong kind", () => {
            const broken = withValues(prod(), "observability-loki", (v) => {
                v.loki.limits_config.retention_stream[0].selectr = '{log_type="access"}';
                v.loki.storage.s3.sse.kms_key = "k";
                v.loki.compactor.retention_enabled = "yes";
                v.loki.schemaConfig.configs[0].object_stor = "s3";
            });
            expect(messages(broken).sort()).toEqual([
                'loki.compactor -> Loki 3.3.2 config compactor.retention_enabled: expects true or false, got "yes"',
                'loki.limits_config -> Loki 3.3.2 config limits_config.retention_stream[0].selectr: unknown key "selectr"; did you mean: selector?',
                'loki.schemaConfig -> Loki 3.3.2 config schema_config.configs[0].object_stor: unknown key "object_stor"; did you mean: object_store?',
                'loki.storage.s3.sse -> Loki 3.3.2 config common.storage.s3.sse.kms_key: unknown key "kms_key"; did you mean: kms_key_id?',
            ]);
        });
        it("checks structuredConfig against the whole file, and a key the chart's values do not have", () => {
            const broken = withValues(prod(), "observability-loki", (v) => (v.loki.structuredConfig = { ingester: { wal: { dirr: "/var/loki/wal" } }, limits_config: { max_query_serie: 1 } }));
            expect(messages(broken).sort()).toEqual([
                expect.stringContaining('ingester.wal.dirr: unknown key "dirr"; did you mean: dir?'),
                expect.stringContaining('limits_config.max_query_serie: unknown key "max_query_serie"; did you mean: max_query_series?'),
            ]);
        });
        it("accepts keys Loki reads but does not document (hidden), and unknown-at-plan-time values", () => {
            const fine = withValues(prod(), "observability-loki", (v) => {
                v.loki.structuredConfig = { http_prefix: "" };
                v.loki.limits_config.retention_period = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            });
            expect(messages(fine)).toEqual([]);
        });
        it("refuses a chart version without facts", () => {
            const bumped = prod().resources.map((r) => (r.type === RELEASE && r.name === "observability-loki" ? { ...r, inputs: { ...r.inputs, version: "6.99.0" } } : r));
            expect(messages(bumped)).toEqual([expect.stringMatching(/^no application-config facts for loki@6\.99\.0/)]);
        });
    });

    describe("Tempo 2.6.1 (chart tempo 1.15.0)", () => {
        it("refuses a wrong key in its storage and overrides", () => {
            const broken = withValues(prod(), "observability-tempo", (v) => {
                v.tempo.storage.trace.s3.bucket_name = "x";
                v.tempo.global_overrides = { defaults: { ingestion: { rate_limit_byte: 5 } } };
            });
            expect(messages(broken).sort()).toEqual([
                'tempo.global_overrides -> Tempo 2.6.1 config overrides.defaults.ingestion.rate_limit_byte: unknown key "rate_limit_byte"; did you mean: rate_limit_bytes?',
                'tempo.storage -> Tempo 2.6.1 config storage.trace.s3.bucket_name: unknown key "bucket_name"; did you mean: bucket?',
            ]);
        });
        it("accepts the legacy overrides layout Tempo still reads", () => {
            expect(messages(withValues(prod(), "observability-tempo", (v) => (v.tempo.global_overrides = { max_traces_per_user: 10000, per_tenant_override_config: "/conf/overrides.yaml" })))).toEqual([]);
        });
    });

    describe("OpenTelemetry Collector 0.111.0 (chart opentelemetry-collector 0.108.0, image otelcol-contrib)", () => {
        const collector = "observability-opentelemetry-collector";
        it("refuses a pipeline naming a component not defined", () => {
            const broken = withValues(prod(), collector, (v) => v.config.service.pipelines.traces.processors.push("tail_sampling"));
            expect(messages(broken)).toEqual(["config.service.pipelines.traces.processors[3]: processor tail_sampling is not defined under config.processors (defined: batch, memory_limiter, probabilistic_sampler)"]);
        });
        it("refuses a component the image's distribution does not include", () => {
            const broken = withValues(prod(), collector, (v) => {
                v.config.extensions = { memory_limiter: { check_interval: "1s" } };
                v.config.service.extensions = ["health_check", "memory_limiter"];
            });
            expect(messages(broken)).toEqual(["config.extensions.memory_limiter: the extension memory_limiter is not included in otelcol-contrib 0.111.0 (image otel/opentelemetry-collector-contrib)"]);
        });
        it("refuses a type no distribution has, a misspelt key, and a receiver of another signal", () => {
            const broken = withValues(prod(), collector, (v) => {
                v.config.processors.batching = {};
                v.config.exporters.otlp.tlss = { insecure: true };
                v.config.receivers.zipkin = {};
                v.config.service.pipelines.metrics = { receivers: ["zipkin"], exporters: ["otlp"] };
            });
            expect(messages(broken)).toEqual([
                expect.stringMatching(/^config\.processors\.batching: no processor "batching" among the otelcol-contrib 0\.111\.0 components the facts know; did you mean: batch\?/),
                'config.exporters.otlp.tlss: unknown key "tlss"; did you mean: tls? (the OpenTelemetry Collector 0.111.0)',
                "config.service.pipelines.metrics.receivers[0]: the receiver zipkin does not support metrics (it supports traces)",
            ]);
        });
        it("follows Helm's merge: a chart default the values delete (null) is no longer defined", () => {
            // The platform deletes the chart's metrics pipeline and its prometheus receiver; a pipeline restored without
            // the receiver names one that is gone.
            const restored = withValues(prod(), collector, (v) => (v.config.service.pipelines.metrics = undefined));
            expect(messages(restored)).toEqual([
                "config.service.pipelines.metrics.receivers[1]: receiver prometheus is not defined under config.receivers (defined: otlp)",
                "config.service.pipelines.metrics.exporters[0]: exporter debug is not defined under config.exporters (defined: otlp)",
            ]);
            const both = withValues(prod(), collector, (v) => {
                v.config.service.pipelines.metrics = undefined;
                v.config.receivers.prometheus = undefined;
                v.config.exporters.debug = undefined;
            });
            expect(messages(both)).toEqual([]);
        });
        it("refuses an image without distribution facts and a tag other than the facts' version", () => {
            const broken = withValues(prod(), collector, (v) => (v.image = { repository: "example.com/collector", tag: "0.120.0" }));
            expect(messages(broken)).toEqual([expect.stringMatching(/^image\.repository "example\.com\/collector": no distribution facts/)]);
            const tagged = withValues(prod(), collector, (v) => (v.image.tag = "0.120.0"));
            expect(messages(tagged)).toEqual(["image.tag 0.120.0: the facts are for opentelemetry-collector's appVersion 0.111.0; derive those of 0.120.0"]);
        });
    });

    describe("drift: every application config the plans pass through free-form values has facts", () => {
        // Free-form paths holding Kubernetes objects or fields (checked by offline/fidelity/kubernetes.ts as
        // rendered, or plain maps), not an application's own configuration.
        const KUBERNETES_SHAPED = /(^|\.)(resources(\.(requests|limits))?|ports|tolerations|nodeSelector|affinity|annotations|labels|podAnnotations|podLabels|securityContext|podSecurityContext|containerSecurityContext|podDisruptionBudget(\.\w+)?|storage|storageSpec|topologySpreadConstraints|extraEnv|env|serviceAccount\.annotations|rbac\.serviceAccount\.annotations)$/;
        // Application configuration this check does not cover yet, each with why.
        const NOT_COVERED: Record<string, string> = {
            "cluster-autoscaler:extraArgs": "command-line flags of cluster-autoscaler (flags.go at the image's tag), not a config file",
        };
        const charts = appConfigCharts().charts;

        it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s", (_, i) => {
            const uncovered: string[] = [];
            for (const release of records[i].resources.filter((r) => r.type === RELEASE)) {
                const chart = String(release.inputs.chart);
                const version = String(release.inputs.version);
                const facts = chartFacts(chart, version);
                if (!facts) continue; // helm-values' own finding
                const entry = charts[`${chart}@${version}`];
                const covered = [...Object.keys(entry?.mapping ?? {}), ...Object.keys(entry?.unchecked ?? {}), ...(entry?.collector ?? [])];
                for (const path of leafPaths(release.inputs.values)) {
                    // A subchart's values are its own chart's (kube-prometheus-stack's grafana: grafana.ini lives there).
                    const alias = path.split(".")[0];
                    const sub = facts.subcharts?.[alias]?.split("@");
                    const subFacts = sub && chartFacts(sub[0], sub[1]);
                    const [where, within, prefix] = subFacts ? [subFacts, path.slice(alias.length + 1), `${alias}.`] : [facts, path, ""];
                    const open = where.open.filter((o) => within === o || within.startsWith(`${o}.`)).sort((a, b) => a.length - b.length)[0];
                    if (!open) continue;
                    const openPath = `${prefix}${open}`;
                    if (covered.some((c) => path === c || path.startsWith(`${c}.`) || c === openPath || c.startsWith(`${openPath}.`))) continue;
                    if (KUBERNETES_SHAPED.test(open)) continue;
                    if (NOT_COVERED[`${chart}:${openPath}`]) continue;
                    uncovered.push(`${release.name} (${chart}@${version}): ${path} under the free-form ${openPath}`);
                }
            }
            expect(uncovered).toEqual([]);
        });

        it("every chart with facts names an application file that exists, at the chart's appVersion", () => {
            for (const [key, entry] of Object.entries(charts)) {
                expect(entry.app, key).toMatch(new RegExp(`-${entry.appVersion.replace(/\./g, "\\.")}$`));
                // A release of that chart at that version resolves to an application checked.
                const [chart, version] = key.split("@");
                const release = { urn: "u", type: RELEASE, name: "x", custom: true, remote: false, inputs: { chart, version, values: {} }, state: {}, protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], dependencies: [], propertyDependencies: {}, additionalSecretOutputs: [], aliases: [] } as RecordedResource;
                expect(checkApplicationConfig([release]).applications, key).toBe(1);
            }
        });
    });

    it("did-you-mean ranks by edit distance and shared prefix", () => {
        expect(didYouMean("max_tracez", ["forwarders", "max_traces_per_user", "ingestion"])).toBe("; did you mean: max_traces_per_user?");
    });
});

/** Dotted paths of the values' leaves (lists and scalars are leaves). */
function leafPaths(values: unknown, prefix = ""): string[] {
    if (typeof values !== "object" || values === null || Array.isArray(values) || "4dabf18193072939515e22adb298388d" in values) return prefix ? [prefix] : [];
    const entries = Object.entries(values);
    if (entries.length === 0) return prefix ? [prefix] : [];
    return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}
