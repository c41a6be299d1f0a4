/**
 * Helm values as the pinned chart reads them. Helm ignores a key the chart's templates never read, so a misspelled
 * or moved key (a chart upgrade renames many) silently leaves the default in place. Each value the program sets
 * must be a key of the chart's default values or values.schema.json (offline/data/helm-values, one file per chart
 * version), or sit below a key whose default is a free-form map; a subchart's keys are checked against its own
 * file. A chart version without a file is a finding too, so bumping a chart brings its facts along.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { closest } from "fastest-levenshtein";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";

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
        for (const path of leafPaths(release.inputs.values)) {
            const problem = unknownKey(facts, path);
            if (problem) report(problem);
        }
    }
    return { releases: releases.length, findings };
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

function isSecretEnvelope(value: object): boolean {
    return "4dabf18193072939515e22adb298388d" in value;
}
