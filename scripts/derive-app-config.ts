/**
 * Derives offline/data/app-config/: the configuration keys (and scalar kinds) each application accepts at the
 * version its pinned chart ships, from the Go structs its config file is decoded into (scripts/go-config-structs.ts),
 * for the configuration the platform passes through a chart's free-form values (offline/fidelity/app-config.ts).
 *
 *   node --import tsx scripts/derive-app-config.ts <mirror dir>   # e.g. /work/.mirror, with these git mirrors:
 *     grafana+loki/repo (tag v3.3.2), grafana+tempo/repo (v2.6.1), open-telemetry+opentelemetry-collector/repo
 *     (v0.111.0), open-telemetry+opentelemetry-collector-releases/repo (v0.111.0),
 *     open-telemetry+opentelemetry-helm-charts/repo (opentelemetry-collector-0.108.0)
 *
 * Loki and Tempo decode their file with yaml.v2's UnmarshalStrict (Loki: pkg/util/cfg, Tempo: cmd/tempo/main.go),
 * so an unknown key stops them; the collector's confmap refuses unknown keys too ("has invalid keys"). What the
 * script cannot read from Go is kept by hand below, each with its source: the chart-value -> config-path mapping
 * of each chart's template, and the contrib components' types and keys (the contrib repository is too large to
 * mirror here; its files were read one by one at the commits named).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { GoStructs, type TypeNode } from "./go-config-structs";

const mirrors = process.argv[2] ?? "/work/.mirror";
const OUT = join(__dirname, "..", "offline", "data", "app-config");
const today = new Date().toISOString().slice(0, 10);
const git = (repo: string, ...args: string[]) => execFileSync("git", ["--git-dir", join(mirrors, repo, "repo"), ...args], { encoding: "utf8" }).trim();
const commitOf = (repo: string, tag: string) => git(repo, "rev-parse", `${tag}^{commit}`).slice(0, 10);

interface AppFacts {
    app: string;
    version: string;
    source: string;
    checked: string;
    notes?: string[];
    /** The config file's root struct. */
    root: TypeNode;
    structs: Record<string, Record<string, TypeNode>>;
    [extra: string]: unknown;
}

function write(name: string, facts: unknown) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(facts)}\n`);
    console.log(`wrote ${name}.json`);
}

// Loki 3.3.2 (chart loki 6.24.0's appVersion).
{
    const repo = "grafana+loki";
    const go = new GoStructs([{ prefix: "github.com/grafana/loki/v3", gitDir: join(mirrors, repo, "repo"), ref: "v3.3.2", dir: "", vendor: true }], "yaml");
    const root = go.typeOf("github.com/grafana/loki/v3/pkg/loki", "Config");
    const facts: AppFacts = {
        app: "loki",
        version: "3.3.2",
        source: `github.com/grafana/loki pkg/loki/loki.go Config and every struct it reaches (vendor/ included), yaml tags, at v3.3.2 (${commitOf(repo, "v3.3.2")})`,
        checked: today,
        notes: ["types with their own YAML decoder (flagext.ByteSize, the schema's DayTime and index table config, ...) are not looked into: 'any'"],
        root,
        structs: go.structs,
    };
    write("loki-3.3.2", facts);
}

// Tempo 2.6.1 (chart tempo 1.15.0's appVersion).
{
    const repo = "grafana+tempo";
    const go = new GoStructs([{ prefix: "github.com/grafana/tempo", gitDir: join(mirrors, repo, "repo"), ref: "v2.6.1", dir: "", vendor: true }], "yaml");
    const root = go.typeOf("github.com/grafana/tempo/cmd/tempo/app", "Config");
    // overrides.Config's UnmarshalYAML accepts the new layout, or else the legacy one (LegacyOverrides inline).
    const legacy = go.typeOf("github.com/grafana/tempo/modules/overrides", "LegacyOverrides");
    const overrides = go.structs["overrides.Config"];
    if (!overrides || typeof legacy !== "string") throw new Error("tempo: overrides.Config or LegacyOverrides not found");
    const legacyKeys = go.structs[legacy.slice(1)];
    for (const [k, v] of Object.entries(legacyKeys)) overrides[k] ??= v;
    const facts: AppFacts = {
        app: "tempo",
        version: "2.6.1",
        source: `github.com/grafana/tempo cmd/tempo/app/config.go Config and every struct it reaches (vendor/ included), yaml tags, at v2.6.1 (${commitOf(repo, "v2.6.1")}); docs/sources/tempo/configuration/manifest.md at that tag is a 2023-11-13 dump, not used`,
        checked: today,
        notes: ["overrides: the new layout and the legacy one (modules/overrides/config.go UnmarshalYAML) are both accepted", "distributor.receivers is the OpenTelemetry receivers' own config: not looked into"],
        root,
        structs: go.structs,
    };
    write("tempo-2.6.1", facts);
}

// OpenTelemetry Collector 0.111.0 (chart opentelemetry-collector 0.108.0's appVersion), distributions otelcol-contrib, otelcol, otelcol-k8s.
{
    const core = "open-telemetry+opentelemetry-collector";
    const releases = "open-telemetry+opentelemetry-collector-releases";
    const ref = "v0.111.0";
    const go = new GoStructs([{ prefix: "go.opentelemetry.io/collector", gitDir: join(mirrors, core, "repo"), ref, dir: "" }], "mapstructure");
    // Core components: type from metadata.yaml, config from the component's Config, at the tag.
    const coreComponents: Record<string, { kind: string; type: string; signals: string[]; config: TypeNode }> = {};
    for (const file of git(core, "ls-tree", "-r", "--name-only", ref).split("\n").filter((f) => /^(receiver|processor|exporter|extension|connector)\/[a-z]+\/metadata\.yaml$/.test(f))) {
        const dir = file.replace(/\/metadata\.yaml$/, "");
        if (/helper$/.test(dir)) continue;
        const text = git(core, "show", `${ref}:${file}`);
        const type = /^type:\s*(\S+)/m.exec(text)![1];
        const signals = [...text.matchAll(/^\s+(?:alpha|beta|stable|development|deprecated|unmaintained):\s*\[([^\]]*)\]/gm)].flatMap((m) => m[1].split(",").map((s) => s.trim()));
        coreComponents[`go.opentelemetry.io/collector/${dir}`] = { kind: dir.split("/")[0], type, signals, config: go.typeOf(`go.opentelemetry.io/collector/${dir}`, "Config") };
    }
    const service = go.typeOf("go.opentelemetry.io/collector/service", "Config");
    // Contrib components the chart's defaults and the platform name, read one by one (metadata.yaml's type and
    // stability; probabilistic_sampler's config.go), at the commits named: later than v0.111.0, their type and
    // signals unchanged since (the contrib CHANGELOG names no rename of these).
    const contribComponents: Record<string, { kind: string; type: string; signals: string[]; config?: TypeNode; source: string }> = {
        "github.com/open-telemetry/opentelemetry-collector-contrib/processor/probabilisticsamplerprocessor": {
            kind: "processor", type: "probabilistic_sampler", signals: ["traces", "logs"],
            config: { sampling_percentage: "float", hash_seed: "int", mode: "string", fail_closed: "bool", sampling_precision: "int", attribute_source: "string", from_attribute: "string", sampling_priority: "string" },
            source: "metadata.yaml at 01c969f2cf, config.go at 07841e52c4",
        },
        "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/jaegerreceiver": { kind: "receiver", type: "jaeger", signals: ["traces"], source: "metadata.yaml at 059d044afb" },
        "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/zipkinreceiver": { kind: "receiver", type: "zipkin", signals: ["traces"], source: "metadata.yaml at 0ae6f55f06" },
        "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver": { kind: "receiver", type: "prometheus", signals: ["metrics"], source: "metadata.yaml at 0543c83fac" },
        "github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension": { kind: "extension", type: "health_check", signals: ["extension"], source: "metadata.yaml at 1257c9a552" },
    };
    const distributions: Record<string, string[]> = {};
    for (const dist of ["otelcol-contrib", "otelcol", "otelcol-k8s"]) {
        const manifest = git(releases, "show", `${ref}:distributions/${dist}/manifest.yaml`);
        distributions[dist] = [...manifest.matchAll(/gomod:\s*(\S+)\s+v/g)].map((m) => m[1]).filter((m) => !m.includes("/confmap/provider/"));
    }
    const components: Record<string, { kind: string; type: string; signals: string[]; config?: TypeNode; source?: string }> = { ...coreComponents, ...contribComponents };
    write("otelcol-0.111.0", {
        app: "otelcol",
        version: "0.111.0",
        source: `distributions' manifest.yaml in github.com/open-telemetry/opentelemetry-collector-releases at v0.111.0 (${commitOf(releases, ref)}); core components' metadata.yaml and Config structs (mapstructure tags), service.Config, in github.com/open-telemetry/opentelemetry-collector at v0.111.0 (${commitOf(core, ref)}); contrib components read one by one in github.com/open-telemetry/opentelemetry-collector-contrib (each names its commit)`,
        checked: today,
        notes: ["a distribution's module whose component has no entry in `components` has no known type: a config naming a type that no known module provides is a finding asking for the facts"],
        distributions,
        components,
        root: service,
        structs: go.structs,
    });
}

// Which chart values hold which application's configuration, and where in the config file each lands.
const otelChartValues = YAML.parse(git("open-telemetry+opentelemetry-helm-charts", "show", "opentelemetry-collector-0.108.0:charts/opentelemetry-collector/values.yaml")) as { config: unknown };
write("charts", {
    source: "each chart's templates at its tag: loki production/helm/loki/values.yaml (loki.config) and templates/_helpers.tpl (loki.calculatedConfig, loki.commonStorageConfig, loki.rulerConfig) at helm-loki-6.24.0 (28683a9026); tempo charts/tempo/values.yaml (config) at tempo-1.15.0 (897c25093d); opentelemetry-collector charts/opentelemetry-collector/templates/_config.tpl at opentelemetry-collector-0.108.0 (694c38d175)",
    checked: today,
    charts: {
        "loki@6.24.0": {
            app: "loki-3.3.2",
            appVersion: "3.3.2",
            mapping: {
                "loki.structuredConfig": "",
                "loki.server": "server",
                "loki.memberlistConfig": "memberlist",
                "loki.extraMemberlistConfig": "memberlist",
                "loki.ingester": "ingester",
                "loki.commonConfig": "common",
                "loki.limits_config": "limits_config",
                "loki.schemaConfig": "schema_config",
                "loki.testSchemaConfig": "schema_config",
                "loki.rulerConfig": "ruler",
                "loki.query_range": "query_range",
                "loki.storage_config": "storage_config",
                "loki.query_scheduler": "query_scheduler",
                "loki.compactor": "compactor",
                "loki.analytics": "analytics",
                "loki.querier": "querier",
                "loki.index_gateway": "index_gateway",
                "loki.frontend": "frontend",
                "loki.frontend_worker": "frontend_worker",
                "loki.distributor": "distributor",
                "loki.bloom_build": "bloom_build",
                "loki.bloom_gateway": "bloom_gateway",
                "loki.storage.s3.http_config": "common.storage.s3.http_config",
                "loki.storage.s3.backoff_config": "common.storage.s3.backoff_config",
                "loki.storage.s3.sse": "common.storage.s3.sse",
            },
            unchecked: { "loki.runtimeConfig": "the runtime config file (per-tenant overrides), not the config file" },
        },
        "tempo@1.15.0": {
            app: "tempo-2.6.1",
            appVersion: "2.6.1",
            mapping: {
                "tempo.ingester": "ingester",
                "tempo.server": "server",
                "tempo.storage": "storage",
                "tempo.querier": "querier",
                "tempo.queryFrontend": "query_frontend",
                "tempo.global_overrides": "overrides",
                "tempo.receivers": "distributor.receivers",
            },
            unchecked: { "tempo.overrides": "the per-tenant overrides file, not the config file" },
        },
        "opentelemetry-collector@0.108.0": {
            app: "otelcol-0.111.0",
            appVersion: "0.111.0",
            collector: ["config", "alternateConfig"],
            /** The chart's default `config`, which Helm merges the release's values over (alternateConfig replaces it). */
            defaultConfig: otelChartValues.config,
            /** The image repository the platform may set -> distribution (the chart has no default; the tag defaults to appVersion). */
            images: {
                "otel/opentelemetry-collector-contrib": "otelcol-contrib",
                "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib": "otelcol-contrib",
                "otel/opentelemetry-collector": "otelcol",
                "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector": "otelcol",
                "otel/opentelemetry-collector-k8s": "otelcol-k8s",
                "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s": "otelcol-k8s",
            },
        },
    },
});
