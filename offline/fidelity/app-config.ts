/**
 * Application configuration carried in a chart's free-form values, as the application reads it at the version the
 * pinned chart ships. Helm renders these values whole (offline/fidelity/helm-values.ts accepts any key below them),
 * and the application decodes them strictly: a misspelt key in Loki's limits_config plans green, then Loki stops
 * with "field X not found in type validation.plain" and the release rolls back. Each value the platform writes
 * there must be a key (of the right scalar kind) of the config struct it lands in, and the OpenTelemetry
 * Collector's pipelines must name components that are defined and that the image's distribution includes.
 *
 * Facts: offline/data/app-config/ (charts.json maps chart values to config paths; one file per application
 * version, derived from its Go config structs by scripts/derive-app-config.ts). A release of a chart listed
 * there at a version without facts is a finding, so a chart bump brings its application's facts along.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { distance } from "fastest-levenshtein";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";
import { isSecretEnvelope, UNKNOWN, unwrapSecret } from "../sdk-values";

const DIR = join(__dirname, "..", "data", "app-config");

/** A scalar kind, a list `[elem]`, a map `{"*": value}`, an inline struct `{key: node}`, or a named struct `#name`. */
type TypeNode = string | TypeNode[] | { [key: string]: TypeNode };

interface AppFacts {
    app: string;
    version: string;
    source: string;
    checked: string;
    root: TypeNode;
    structs: Record<string, Record<string, TypeNode>>;
}

interface CollectorFacts extends AppFacts {
    distributions: Record<string, string[]>;
    components: Record<string, { kind: string; type: string; signals: string[]; config?: TypeNode; source?: string }>;
}

interface ChartEntry {
    app: string;
    appVersion: string;
    /** Chart value path -> config path ("" for the file's root). */
    mapping?: Record<string, string>;
    unchecked?: Record<string, string>;
    /** The collector chart: the value paths holding the whole collector config, its defaults, image -> distribution. */
    collector?: string[];
    defaultConfig?: Record<string, unknown>;
    images?: Record<string, string>;
}

interface ChartsFile {
    source: string;
    checked: string;
    charts: Record<string, ChartEntry>;
}

let chartsCache: ChartsFile | undefined;
export function appConfigCharts(): ChartsFile {
    chartsCache ??= JSON.parse(readFileSync(join(DIR, "charts.json"), "utf8")) as ChartsFile;
    return chartsCache;
}

const appCache = new Map<string, AppFacts | undefined>();
function appFacts(name: string): AppFacts | undefined {
    if (!appCache.has(name)) {
        const file = join(DIR, `${name}.json`);
        appCache.set(name, existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as AppFacts) : undefined);
    }
    return appCache.get(name);
}

/** Display name of an application for messages. */
const DISPLAY: Record<string, string> = { loki: "Loki", tempo: "Tempo", otelcol: "the OpenTelemetry Collector" };

export function checkApplicationConfig(resources: RecordedResource[]): { applications: number; findings: FidelityFinding[] } {
    const findings: FidelityFinding[] = [];
    const charts = appConfigCharts().charts;
    const chartNames = new Set(Object.keys(charts).map((k) => k.split("@")[0]));
    let applications = 0;
    for (const release of resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")) {
        const chart = String(release.inputs.chart);
        const version = String(release.inputs.version);
        const report = (message: string) => findings.push({ check: "app-config", resource: `${release.type} "${release.name}"`, message });
        if (!chartNames.has(chart)) continue;
        const entry = charts[`${chart}@${version}`];
        const facts = entry && appFacts(entry.app);
        if (!entry || !facts) {
            report(`no application-config facts for ${chart}@${version}: derive offline/data/app-config/ for the app version it ships (scripts/derive-app-config.ts) and add it to charts.json`);
            continue;
        }
        applications++;
        const values = unwrapSecret(release.inputs.values) as Record<string, unknown> | undefined;
        if (!isMap(values)) continue;
        const appName = `${DISPLAY[facts.app] ?? facts.app} ${facts.version}`;
        for (const [valuePath, configPath] of Object.entries(entry.mapping ?? {})) {
            const value = at(values, valuePath);
            if (value === undefined || value === null) continue;
            const node = nodeAt(facts, facts.root, configPath ? configPath.split(".") : []);
            if (node === undefined) {
                report(`${valuePath}: the facts of ${appName} have no ${configPath}`);
                continue;
            }
            for (const problem of check(facts, value, node, configPath ? configPath.split(".") : [])) report(`${valuePath} -> ${appName} config ${problem}`);
        }
        if (entry.collector) for (const message of checkCollector(entry, facts as CollectorFacts, values, chart)) report(message);
    }
    return { applications, findings };
}

/** Problems of `value` against `node`, each as `<config path>: <what>`. */
function check(facts: AppFacts, value: unknown, node: TypeNode, path: string[]): string[] {
    value = unwrapSecret(value);
    if (value === undefined || value === null || value === UNKNOWN) return [];
    const where = path.join(".") || "(root)";
    if (typeof node === "string" && node.startsWith("#")) {
        const fields = facts.structs[node.slice(1)];
        return fields ? checkStruct(facts, value, fields, path) : [];
    }
    if (Array.isArray(node)) {
        if (!Array.isArray(value)) return [`${where}: expects a list, got ${describe(value)}`];
        return value.flatMap((item, i) => check(facts, item, node[0], [...path.slice(0, -1), `${path.at(-1) ?? ""}[${i}]`]));
    }
    if (typeof node === "object") {
        if ("*" in node && Object.keys(node).length === 1) {
            if (!isMap(value)) return [`${where}: expects a map, got ${describe(value)}`];
            return Object.entries(value).flatMap(([k, v]) => check(facts, v, node["*"], [...path, k]));
        }
        return checkStruct(facts, value, node, path);
    }
    const problem = scalarProblem(node, value);
    return problem ? [`${where}: ${problem}`] : [];
}

function checkStruct(facts: AppFacts, value: unknown, fields: Record<string, TypeNode>, path: string[]): string[] {
    const where = path.join(".") || "(root)";
    if (!isMap(value)) return [`${where}: expects a block of keys, got ${describe(value)}`];
    const problems: string[] = [];
    for (const [key, child] of Object.entries(value)) {
        if (key in fields) problems.push(...check(facts, child, fields[key], [...path, key]));
        else if (!("..." in fields)) problems.push(`${[...path, key].join(".")}: unknown key "${key}"${didYouMean(key, Object.keys(fields))}`);
    }
    return problems;
}

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const PROM_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

function scalarProblem(kind: string, value: unknown): string | undefined {
    const isScalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    if (!isScalar && kind !== "any") return `expects a ${kind === "mduration" || kind === "duration" ? "duration" : kind}, got ${describe(value)}`;
    switch (kind) {
        case "bool":
            return typeof value === "boolean" ? undefined : `expects true or false, got ${JSON.stringify(value)}`;
        case "int":
            return typeof value === "number" && Number.isInteger(value) ? undefined : `expects an integer, got ${JSON.stringify(value)}`;
        case "float":
            return typeof value === "number" ? undefined : `expects a number, got ${JSON.stringify(value)}`;
        case "duration":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && (value === "0" || GO_DURATION.test(value)) || isTemplated(value)) ? undefined : `expects a duration such as 30s or 720h, got ${JSON.stringify(value)}`;
        case "mduration":
            return typeof value === "string" && value !== "" && (value === "0" || PROM_DURATION.test(value) || isTemplated(value)) ? undefined : `expects a duration such as 30s, 720h or 30d, got ${JSON.stringify(value)}`;
        default:
            return undefined;
    }
}

/** A value the chart or the app expands before decoding (Helm tpl, ${env:X}). */
const isTemplated = (value: unknown) => typeof value === "string" && /\{\{|\$\{/.test(value);

// ---------------------------------------------------------------------------------------------------------------
// The OpenTelemetry Collector: the rendered config (the chart's default config under the release's values), its
// components against the image's distribution, and its pipelines.

const SECTIONS = ["receivers", "processors", "exporters", "extensions", "connectors"] as const;
const KIND: Record<(typeof SECTIONS)[number], string> = { receivers: "receiver", processors: "processor", exporters: "exporter", extensions: "extension", connectors: "connector" };

function checkCollector(entry: ChartEntry, facts: CollectorFacts, values: Record<string, unknown>, chart: string): string[] {
    const problems: string[] = [];
    const app = `the OpenTelemetry Collector ${facts.version}`;
    const alternate = at(values, "alternateConfig");
    const config = (isMap(alternate) && Object.keys(alternate).length ? alternate : coalesce(entry.defaultConfig ?? {}, at(values, "config"))) as Record<string, unknown>;
    const repository = String(at(values, "image.repository") ?? "");
    const tag = at(values, "image.tag");
    const distribution = entry.images?.[repository];
    if (!distribution) {
        problems.push(`image.repository ${JSON.stringify(repository)}: no distribution facts for this image (known: ${Object.keys(entry.images ?? {}).join(", ")}); its components cannot be checked`);
        return problems;
    }
    if (typeof tag === "string" && tag !== "" && tag !== UNKNOWN && tag.replace(/^v/, "") !== facts.version) {
        problems.push(`image.tag ${tag}: the facts are for ${chart}'s appVersion ${facts.version}; derive those of ${tag}`);
    }
    const modules = new Set(facts.distributions[distribution] ?? []);
    const included = (kind: string) => new Set(Object.entries(facts.components).filter(([m, c]) => c.kind === kind && modules.has(m)).map(([, c]) => c.type));
    const componentOf = (kind: string, type: string) => Object.entries(facts.components).find(([m, c]) => c.kind === kind && c.type === type && modules.has(m))?.[1];
    const unknownModules = [...modules].filter((m) => !facts.components[m]).length;

    for (const key of Object.keys(config)) {
        if (![...SECTIONS, "service"].includes(key as never)) problems.push(`config.${key}: unknown top-level key of ${app}'s config${didYouMean(key, [...SECTIONS, "service"])}`);
    }
    const defined: Record<string, Set<string>> = {};
    for (const section of SECTIONS) {
        const components = unwrapSecret(config[section]);
        defined[section] = new Set(isMap(components) ? Object.keys(components) : []);
        if (!isMap(components)) continue;
        const kind = KIND[section];
        const types = included(kind);
        for (const [id, componentConfig] of Object.entries(components)) {
            const type = id.split("/")[0];
            const component = componentOf(kind, type);
            if (!component) {
                const elsewhere = Object.entries(facts.components).find(([, c]) => c.kind === kind && c.type === type);
                problems.push(
                    elsewhere
                        ? `config.${section}.${id}: the ${kind} ${type} is not included in ${distribution} ${facts.version} (image ${repository})`
                        : `config.${section}.${id}: no ${kind} "${type}" among the ${distribution} ${facts.version} components the facts know${didYouMean(type, [...types])}${unknownModules ? ` If the distribution's manifest includes it (${unknownModules} of its modules have no type in the facts yet), add it to scripts/derive-app-config.ts from its metadata.yaml; else the collector refuses the unknown type.` : ""}`,
                );
                continue;
            }
            if (component.config !== undefined) for (const p of check(facts, componentConfig, component.config, [section, id])) problems.push(`config.${p} (${app})`);
        }
    }
    const service = unwrapSecret(config.service);
    if (!isMap(service)) {
        problems.push(`config.service: missing: ${app} runs no pipeline`);
        return problems;
    }
    for (const p of check(facts, { ...service, pipelines: undefined }, facts.root, ["service"])) problems.push(`config.${p} (${app})`);
    for (const [i, id] of (Array.isArray(service.extensions) ? service.extensions : []).entries()) {
        if (typeof id === "string" && id !== UNKNOWN && !defined.extensions.has(id)) problems.push(`config.service.extensions[${i}]: extension ${id} is not defined under config.extensions${didYouMean(id, [...defined.extensions]) || ` (defined: ${[...defined.extensions].sort().join(", ") || "none"})`}`);
    }
    const pipelines = unwrapSecret(service.pipelines);
    if (!isMap(pipelines) || Object.keys(pipelines).length === 0) problems.push(`config.service.pipelines: none: ${app} refuses a config without pipelines`);
    for (const [pipelineId, pipeline] of Object.entries(isMap(pipelines) ? pipelines : {})) {
        const signal = pipelineId.split("/")[0];
        const where = `config.service.pipelines.${pipelineId}`;
        if (!["traces", "metrics", "logs"].includes(signal)) {
            problems.push(`${where}: unknown signal "${signal}" (traces, metrics or logs)`);
            continue;
        }
        if (!isMap(pipeline)) continue;
        for (const key of Object.keys(pipeline)) if (!["receivers", "processors", "exporters"].includes(key)) problems.push(`${where}.${key}: unknown key${didYouMean(key, ["receivers", "processors", "exporters"])}`);
        const list = (key: string) => (Array.isArray(pipeline[key]) ? (pipeline[key] as unknown[]) : []).filter((v): v is string => typeof v === "string" && v !== UNKNOWN);
        if (list("receivers").length === 0) problems.push(`${where}: no receivers: ${app} refuses the pipeline`);
        if (list("exporters").length === 0) problems.push(`${where}: no exporters: ${app} refuses the pipeline`);
        for (const [key, sections] of [["receivers", ["receivers", "connectors"]], ["processors", ["processors"]], ["exporters", ["exporters", "connectors"]]] as const) {
            for (const [i, id] of list(key).entries()) {
                const section = sections.find((s) => defined[s].has(id));
                if (!section) {
                    const candidates = sections.flatMap((s) => [...defined[s]]);
                    problems.push(`${where}.${key}[${i}]: ${KIND[key]} ${id} is not defined under config.${key}${didYouMean(id, candidates) || ` (defined: ${candidates.sort().join(", ") || "none"})`}`);
                    continue;
                }
                if (section === "connectors") continue;
                const component = componentOf(KIND[section], id.split("/")[0]);
                if (component && !component.signals.includes(signal)) problems.push(`${where}.${key}[${i}]: the ${KIND[section]} ${id} does not support ${signal} (it supports ${component.signals.join(", ")})`);
            }
        }
    }
    return problems;
}

/** Helm's coalescing of a chart's default map with the release's values: maps merge, a null deletes, the rest replaces. */
function coalesce(defaults: unknown, override: unknown): unknown {
    override = unwrapSecret(override);
    if (override === undefined) return defaults;
    if (!isMap(defaults) || !isMap(override)) return override;
    const out: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(override)) {
        if (v === null) delete out[k];
        else out[k] = coalesce(defaults[k], v);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------

function nodeAt(facts: AppFacts, node: TypeNode, path: string[]): TypeNode | undefined {
    let current: TypeNode | undefined = node;
    for (const key of path) {
        if (typeof current === "string" && current.startsWith("#")) current = facts.structs[current.slice(1)];
        if (current === undefined || typeof current !== "object" || Array.isArray(current)) return undefined;
        current = (current as Record<string, TypeNode>)[key];
    }
    return current;
}

function at(values: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, k) => (isMap(unwrapSecret(v)) ? (unwrapSecret(v) as Record<string, unknown>)[k] : undefined), values);
}


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMap = (v: unknown): v is Record<string, unknown> => isObject(v) && !isSecretEnvelope(v);

function describe(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (isObject(value)) return "a block of keys";
    return JSON.stringify(value);
}

/** "; did you mean: a, b?" with the nearest candidates: edit distance, less half the prefix they share. */
export function didYouMean(key: string, candidates: string[]): string {
    const k = key.toLowerCase();
    const prefix = (c: string) => {
        let i = 0;
        while (i < k.length && i < c.length && k[i] === c[i]) i++;
        return i;
    };
    const ranked = candidates
        .filter((c) => c !== "...")
        .map((c) => ({ c, score: distance(k, c.toLowerCase()) - prefix(c.toLowerCase()) / 2 }))
        .sort((a, b) => a.score - b.score || a.c.localeCompare(b.c));
    // Only what is near enough to be the key meant.
    const near = ranked.filter((r) => r.score <= ranked[0].score + 1 && r.score <= Math.max(2, k.length * 0.6)).slice(0, 3);
    if (near.length === 0) return "";
    return `; did you mean: ${near.map((r) => r.c).join(", ")}?`;
}
