/**
 * Helm values as the pinned chart reads them. Helm ignores a key the chart's templates never read, so a misspelled
 * or moved key (a chart upgrade renames many) silently leaves the default in place. Each value the program sets
 * must be a key of the chart's default values or values.schema.json (offline/data/helm-values, one file per chart
 * version), or sit below a key whose default is a free-form map; a subchart's keys are checked against its own
 * file. A chart version without a file is a finding too, so bumping a chart brings its facts along.
 *
 * Values are checked by type too. Where the chart ships a values.schema.json, Helm validates the values against it
 * and refuses the install: the values are validated against that schema (draft-07, or 2019-09/2020-12 as it
 * declares). Where it ships none, a value of another kind than the chart's default (a string where it defaults to
 * a number or a boolean, a scalar where it defaults to a map or a list, and the other way round) breaks a template
 * or renders a bad manifest: each is compared with the default's type (integer and number alike; a null default,
 * and anything below a free-form path, accept anything). Values unknown at plan time are skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import { closest } from "fastest-levenshtein";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";
import { isSecretEnvelope, UNKNOWN } from "../sdk-values";

const HELM_VALUES_DIR = join(__dirname, "..", "data", "helm-values");

export interface ChartFacts {
    chart: string;
    version: string;
    source: string;
    checked: string;
    valuesSchema: boolean;
    /** Alias in the parent's values -> `<chart>@<version>` of the subchart. */
    subcharts?: Record<string, string>;
    /** Every key path of the default values (and of values.schema.json's properties). */
    paths: string[];
    /** Paths below which any key is accepted: free-form maps (annotations, extra args, raw config). */
    open: string[];
    /** JSON type of each default value path of values.yaml ("null": the chart leaves it unset, anything goes). */
    types?: Record<string, "string" | "integer" | "number" | "boolean" | "object" | "array" | "null">;
    /** The chart's values.schema.json (compacted) where it ships one: Helm refuses values it does not validate. */
    schema?: Record<string, unknown>;
}

const cache = new Map<string, ChartFacts | undefined>();
export function chartFacts(chart: string, version: string): ChartFacts | undefined {
    const key = `${chart}@${version}`;
    if (!cache.has(key)) {
        const file = join(HELM_VALUES_DIR, `${chart}-${version}.json`);
        cache.set(key, existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ChartFacts) : undefined);
    }
    return cache.get(key);
}

export interface HelmCheckResult {
    releases: number;
    findings: FidelityFinding[];
}

export function checkHelmValues(resources: RecordedResource[]): HelmCheckResult {
    const findings: FidelityFinding[] = [];
    const releases = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    for (const release of releases) {
        const chart = String(release.inputs.chart);
        const version = String(release.inputs.version);
        const report = (message: string) => findings.push({ check: "helm-values", resource: `${release.type} "${release.name}"`, message });
        const facts = chartFacts(chart, version);
        if (!facts) {
            report(`no values facts for ${chart}@${version}: add offline/data/helm-values/${chart}-${version}.json from the chart's values.yaml at that version`);
            continue;
        }
        const keyProblems: [string, string][] = [];
        for (const path of leafPaths(release.inputs.values)) {
            const problem = unknownKey(facts, path);
            if (problem) keyProblems.push([path.join("."), problem]);
        }
        const types = typeProblems(facts, release.inputs.values, new Map(keyProblems));
        // A map where the chart takes a scalar: its keys are not the chart's either, but the type is the fault; a
        // key the schema refuses is reported as refused.
        const wrongType = types.map((t) => t.slice(0, t.indexOf(": ")));
        for (const [path, problem] of keyProblems) if (!wrongType.some((w) => path === w || path.startsWith(`${w}.`))) report(problem);
        for (const problem of types) report(problem);
    }
    return { releases: releases.length, findings };
}


/**
 * The values as Helm would receive them, as far as the plan knows them: secrets unwrapped, unknown values left out
 * (their paths collected in `skipped`).
 */
export function knownValues(value: unknown, skipped: Set<string> = new Set(), path: string[] = []): unknown {
    if (value === UNKNOWN) {
        skipped.add(path.join("."));
        return undefined;
    }
    if (Array.isArray(value)) {
        const items = value.map((v, i) => knownValues(v, skipped, [...path, String(i)]));
        if (!items.some((v) => v === undefined)) return items;
        skipped.add(path.join(".")); // a list with an unknown item is unknown as a whole
        return undefined;
    }
    if (typeof value !== "object" || value === null) return value;
    if (isSecretEnvelope(value)) return knownValues((value as { value?: unknown }).value ?? UNKNOWN, skipped, path);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        const known = knownValues(v, skipped, [...path, k]);
        if (known !== undefined) out[k] = known;
    }
    return out;
}

/** Each value whose type the chart does not take, against its values.schema.json or else its defaults' types. */
export function typeProblems(facts: ChartFacts, values: unknown, unknownKeyPaths: Map<string, string> = new Map()): string[] {
    const skipped = new Set<string>();
    const known = knownValues(values ?? {}, skipped);
    if (!facts.schema) return defaultTypeProblems(facts, known);
    // The schema is what Helm enforces; where it leaves a value's type open (a partial schema, e.g. reloader's),
    // the templates still read the default's type.
    const bySchema = schemaProblems(facts, known, skipped, unknownKeyPaths);
    const atPath = bySchema.map((t) => t.slice(0, t.indexOf(": ")));
    const byDefaults = defaultTypeProblems(facts, known, (path) => schemaConstrains(facts.schema!, path)).filter((t) => {
        const at = t.slice(0, t.indexOf(": "));
        return !atPath.some((p) => at === p || at.startsWith(`${p}.`) || p.startsWith(`${at}.`));
    });
    return [...bySchema, ...byDefaults];
}

/**
 * Whether the schema says something of the type of the value at `path` (then it alone rules there): it does where
 * the path's schema has a type, an enum, a const or alternatives, and wherever the path is not a plain chain of
 * `properties` (pattern or additional properties, combinators on the way).
 */
function schemaConstrains(root: Record<string, unknown>, path: string[]): boolean {
    const resolve = (s: any, depth = 0): any => {
        if (s && typeof s.$ref === "string" && s.$ref.startsWith("#/") && depth < 20) {
            const target = s.$ref.slice(2).split("/").reduce((v: any, k: string) => v?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], root);
            return resolve({ ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) }, depth + 1);
        }
        return s;
    };
    let s: any = resolve(root);
    for (const key of path) {
        if (!s || typeof s !== "object") return false;
        if (s.properties && key in s.properties) s = resolve(s.properties[key]);
        else return Boolean(s.patternProperties || (s.additionalProperties !== undefined && s.additionalProperties !== true) || s.allOf || s.anyOf || s.oneOf);
    }
    return Boolean(s && ["type", "enum", "const", "anyOf", "oneOf", "allOf", "not", "if"].some((k) => k in s));
}

const validators = new Map<string, ValidateFunction>();
function validatorOf(facts: ChartFacts): ValidateFunction {
    const key = `${facts.chart}@${facts.version}`;
    let validate = validators.get(key);
    if (!validate) {
        const declared = String(facts.schema!.$schema ?? "");
        // Unoptimised code compiles in half the time; each schema validates a handful of values once per plan.
        const options = { strict: false, allErrors: true, validateFormats: false, validateSchema: false, logger: false as const, code: { optimize: false } };
        const ajv = declared.includes("2020-12") ? new Ajv2020(options) : declared.includes("2019-09") ? new Ajv2019(options) : new Ajv(options);
        // Draft-07 rules for draft-07 and for the unversioned "http://json-schema.org/schema#" some charts declare.
        const { $schema: _, ...schema } = facts.schema!;
        validate = ajv.compile(schema);
        validators.set(key, validate);
    }
    return validate;
}

function schemaProblems(facts: ChartFacts, values: unknown, skipped: Set<string>, unknownKeyPaths: Map<string, string>): string[] {
    const validate = validatorOf(facts);
    if (validate(values)) return [];
    const refused: string[] = [];
    const dotted = (pointer: string) => pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
    const byPath = new Map<string, ErrorObject[]>();
    for (const error of validate.errors ?? []) {
        const at = dotted(error.instancePath);
        if (error.keyword === "required") {
            // Helm validates the values merged over the chart's defaults: a key the defaults hold, or one unknown
            // at plan time, is not missing.
            const missing = [at, String(error.params.missingProperty)].filter(Boolean).join(".");
            if (facts.types?.[missing] !== undefined || skipped.has(missing)) continue;
        }
        if (error.keyword === "additionalProperties") {
            // A key the chart does not have, which its schema refuses outright (not only ignored).
            const extra = [at, String(error.params.additionalProperty)].filter(Boolean).join(".");
            const hint = unknownKeyPaths.get(extra)?.match(/; nearest key: .*$/)?.[0] ?? "";
            refused.push(`${extra}: not a value of ${facts.chart}@${facts.version}, and its values.schema.json refuses other keys there (${error.schemaPath}; Helm refuses the install)${hint}`);
            continue;
        }
        // anyOf/oneOf/if only summarise their branches' errors, reported on their own.
        if (["anyOf", "oneOf", "if", "allOf"].includes(error.keyword) && (validate.errors ?? []).some((e) => e !== error && e.instancePath === error.instancePath && e.keyword !== error.keyword)) continue;
        byPath.set(at, [...(byPath.get(at) ?? []), error]);
    }
    const rule = `${facts.chart}@${facts.version}'s values.schema.json; Helm refuses the install`;
    return [...refused, ...[...byPath].map(([at, errors]) => {
        const value = at ? at.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], values) : values;
        const typeErrors = errors.filter((e) => e.keyword === "type");
        if (typeErrors.length) {
            const expected = [...new Set(typeErrors.flatMap((e) => [e.params.type].flat()))].join(" or ");
            return `${at || "(values)"}: ${describe(value)} where ${expected} is expected (${typeErrors[0].schemaPath} of ${rule})`;
        }
        const e = errors[0];
        return `${at || "(values)"}: ${describe(value)} ${e.message ?? e.keyword}${e.keyword === "enum" ? ` ${JSON.stringify(e.params.allowedValues)}` : ""} (${e.schemaPath} of ${rule})`;
    })];
}

type Kind = "string" | "number" | "boolean" | "object" | "array" | "null";
function kindOf(value: unknown): Kind {
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) return "array";
    const t = typeof value;
    return t === "number" || t === "bigint" ? "number" : t === "boolean" ? "boolean" : t === "string" ? "string" : "object";
}
function describe(value: unknown): string {
    const kind = kindOf(value);
    if (kind === "object" || kind === "array") return `a ${kind === "object" ? "map" : "list"}`;
    const text = JSON.stringify(value);
    return `${kind === "number" && Number.isInteger(value) ? "integer" : kind} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}
const NAME: Record<Kind, string> = { string: "a string", number: "a number", boolean: "a boolean", object: "a map", array: "a list", null: "anything" };

type DefaultType = NonNullable<ChartFacts["types"]>[string];

/**
 * Against the defaults' types (a chart without a schema). Below a subchart's alias, the parent's defaults for it
 * come first (they override the subchart's), then the subchart's own file (its schema, if it ships one).
 */
function defaultTypeProblems(facts: ChartFacts, values: unknown, ruledBySchema: (path: string[]) => boolean = () => false): string[] {
    const own = (path: string[]) => ({ type: ruledBySchema(path) ? undefined : facts.types?.[path.join(".")], open: facts.open.includes(path.join(".")), chart: facts });
    return walkTypes(values, [], (path) => {
        const sub = facts.subcharts?.[path[0]];
        const subFacts = sub ? chartFacts(...(sub.split("@") as [string, string])) : undefined;
        const mine = own(path);
        if (!subFacts || path.length === 1 || mine.open || mine.type !== undefined) return mine;
        const rest = path.slice(1).join(".");
        return { type: subFacts.types?.[rest], open: subFacts.open.includes(rest), chart: subFacts };
    }, (alias, value) => {
        const sub = facts.subcharts?.[alias];
        const subFacts = sub ? chartFacts(...(sub.split("@") as [string, string])) : undefined;
        return subFacts?.schema ? schemaProblems(subFacts, value, new Set(), new Map()).map((p) => `${alias}.${p}`) : undefined;
    });
}

function walkTypes(
    values: unknown,
    path: string[],
    at: (path: string[]) => { type: DefaultType | undefined; open: boolean; chart: ChartFacts },
    subchartSchema: (alias: string, value: unknown) => string[] | undefined,
): string[] {
    if (kindOf(values) !== "object") return [];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
        const here = [...path, key];
        if (here.length === 1) {
            const bySchema = subchartSchema(key, value);
            if (bySchema) {
                problems.push(...bySchema);
                continue;
            }
        }
        const { type, open, chart } = at(here);
        if (open) continue; // free-form: anything goes, in its place and below
        if (type === undefined || type === "null" || value === null) {
            // No default (a key only the templates read, or one the chart leaves null), or a null that unsets it.
            problems.push(...walkTypes(value, here, at, subchartSchema));
            continue;
        }
        const expected: Kind = type === "integer" ? "number" : type;
        const kind = kindOf(value);
        if (kind !== expected) {
            problems.push(
                `${here.join(".")}: ${describe(value)} where ${NAME[expected]} is expected (${chart.chart}@${chart.version}'s default values.yaml has ${type === "integer" ? "an integer" : NAME[expected]} there; a template reading it breaks or renders a bad manifest)`,
            );
        } else if (kind === "object") {
            problems.push(...walkTypes(value, here, at, subchartSchema));
        }
    }
    return problems;
}

/** Why `path` is not a key the chart reads, or undefined when it is. */
export function unknownKey(facts: ChartFacts, path: string[]): string | undefined {
    const known = new Set(facts.paths);
    const open = new Set(facts.open);
    for (let i = 1; i <= path.length; i++) {
        const prefix = path.slice(0, i).join(".");
        if (open.has(prefix)) return undefined;
        const sub = i === 1 ? facts.subcharts?.[path[0]] : undefined;
        if (sub) {
            const [chart, version] = sub.split("@");
            const subFacts = chartFacts(chart, version);
            // The parent may document some of the subchart's keys itself (e.g. kube-prometheus-stack's grafana).
            if (known.has(path.join("."))) return undefined;
            if (subFacts && path.length > 1 && !unknownKey(subFacts, path.slice(1))) return undefined;
            if (!subFacts) return `${path.join(".")}: no values facts for subchart ${sub}`;
        }
        if (!known.has(prefix)) {
            const siblings = facts.paths.filter((p) => p.split(".").length === i && p.startsWith(path.slice(0, i - 1).join(".")));
            const best = siblings.length ? closest(prefix, siblings) : undefined;
            return `${path.join(".")} is not a value of ${facts.chart}@${facts.version} (Helm ignores it and keeps the default)${best ? `; nearest key: ${best}` : ""}`;
        }
    }
    return undefined;
}

/** Paths of the values' leaves: maps are walked, everything else (lists, scalars) is a leaf. */
function leafPaths(values: unknown, prefix: string[] = []): string[][] {
    if (typeof values !== "object" || values === null || Array.isArray(values) || isSecretEnvelope(values)) return prefix.length ? [prefix] : [];
    const entries = Object.entries(values);
    if (entries.length === 0) return prefix.length ? [prefix] : [];
    return entries.flatMap(([key, value]) => leafPaths(value, [...prefix, key]));
}
