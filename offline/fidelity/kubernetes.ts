/**
 * Kubernetes objects as the API server of the cluster's version takes them: each object the program registers
 * is checked against the schema of its kind (Kubernetes 1.35 for built-in kinds, the CRD shipped by the pinned
 * chart for custom ones: offline/data), with unknown fields rejected. The API server drops unknown fields of
 * built-in kinds with a warning and refuses them in CRDs with structural schemas (server-side apply, as the
 * provider uses, refuses both), so a misspelled field either fails `pulumi up` or silently does nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RecordedResource } from "../mocks";
import { formatProblems } from "./kubernetes-formats";
import type { FidelityFinding } from "./types";
import { isSecretEnvelope, UNKNOWN } from "../sdk-values";

/** A schema node in the compact form of offline/data (derived from the OpenAPI definitions and CRDs). */
interface Node {
    t?: "string" | "integer" | "boolean" | "number" | "object" | "array" | "any" | "int-or-string";
    ref?: string;
    props?: Record<string, Node>;
    values?: Node;
    items?: Node;
    required?: string[];
}
interface CoreSchemas {
    kubernetes: string;
    kinds: Record<string, string>;
    definitions: Record<string, Node>;
}
interface CrdSchemas {
    kinds: Record<string, { chart: string; file: string; schema: Node }>;
}

const DATA = join(__dirname, "..", "data");
let loaded: { core: CoreSchemas; crds: CrdSchemas } | undefined;
function schemas() {
    loaded ??= {
        core: JSON.parse(readFileSync(join(DATA, "kubernetes-1.35.schemas.json"), "utf8")) as CoreSchemas,
        crds: JSON.parse(readFileSync(join(DATA, "crd-schemas.json"), "utf8")) as CrdSchemas,
    };
    return loaded;
}
const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
/** Resource types of the Kubernetes provider that are not API objects. */
const NOT_OBJECTS = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"]);

export interface KubernetesCheckResult {
    objects: number;
    kubernetesVersion: string;
    findings: FidelityFinding[];
}

export function checkKubernetesObjects(resources: RecordedResource[]): KubernetesCheckResult {
    const { core, crds } = schemas();
    const findings: FidelityFinding[] = [];
    let objects = 0;
    for (const resource of resources) {
        if (!resource.type.startsWith("kubernetes:") || NOT_OBJECTS.has(resource.type) || !resource.custom) continue;
        const gvk = resource.type.slice("kubernetes:".length);
        const where = `${resource.type} "${resource.name}"`;
        const coreDef = core.kinds[gvk];
        const crd = crds.kinds[gvk];
        if (!coreDef && !crd) {
            findings.push({ check: "kubernetes", resource: where, message: `no schema for ${gvk}: add the kind to offline/data (Kubernetes ${core.kubernetes} or the CRD of the chart that installs it)` });
            continue;
        }
        objects++;
        const root: Node = coreDef ? { ref: coreDef } : crd.schema;
        const { apiVersion: _apiVersion, kind: _kind, metadata, ...body } = resource.inputs;
        const problems: string[] = [];
        validate(metadata ?? {}, { ref: OBJECT_META }, "metadata", core.definitions, problems);
        const rootNode = resolve(root, core.definitions);
        for (const [field, value] of Object.entries(body)) {
            const node = rootNode.props?.[field];
            if (!node) problems.push(`${field}: unknown field`);
            else validate(value, node, field, core.definitions, problems);
        }
        // What the API server checks beyond the schema: names, labels, annotations, schedules.
        problems.push(...formatProblems(gvk, resource.inputs));
        for (const p of problems) findings.push({ check: "kubernetes", resource: where, message: `${p} (${coreDef ? `Kubernetes ${core.kubernetes}` : `${crd.chart} CRD`})` });
    }
    return { objects, kubernetesVersion: core.kubernetes, findings };
}

function resolve(node: Node, definitions: Record<string, Node>): Node {
    let current = node;
    for (let i = 0; current.ref && i < 10; i++) current = definitions[current.ref] ?? { t: "any" };
    return current;
}

function validate(value: unknown, schema: Node, path: string, definitions: Record<string, Node>, problems: string[]): void {
    if (value === undefined || value === null || value === UNKNOWN || isSecretEnvelope(value)) return;
    const node = resolve(schema, definitions);
    const kindOf = Array.isArray(value) ? "array" : typeof value;
    switch (node.t) {
        case "any":
        case undefined:
            return;
        case "int-or-string":
            if (typeof value !== "string" && typeof value !== "number") problems.push(`${path}: ${JSON.stringify(value)} is not an integer or string`);
            return;
        case "string":
        case "boolean":
            if (typeof value !== node.t) problems.push(`${path}: ${JSON.stringify(value)} is not a ${node.t}`);
            return;
        case "integer":
            if (!Number.isInteger(value)) problems.push(`${path}: ${JSON.stringify(value)} is not an integer`);
            return;
        case "number":
            if (typeof value !== "number") problems.push(`${path}: ${JSON.stringify(value)} is not a number`);
            return;
        case "array":
            if (!Array.isArray(value)) problems.push(`${path}: a ${kindOf} where a list is expected`);
            else value.forEach((item, i) => validate(item, node.items ?? { t: "any" }, `${path}[${i}]`, definitions, problems));
            return;
        case "object": {
            if (kindOf !== "object") {
                problems.push(`${path}: a ${kindOf} where an object is expected`);
                return;
            }
            const record = value as Record<string, unknown>;
            for (const [key, child] of Object.entries(record)) {
                const childPath = `${path}.${key}`;
                const prop = node.props?.[key];
                if (prop) validate(child, prop, childPath, definitions, problems);
                else if (node.values) validate(child, node.values, childPath, definitions, problems);
                else problems.push(`${childPath}: unknown field`);
            }
            for (const required of node.required ?? []) {
                if (record[required] === undefined) problems.push(`${path}.${required}: required field missing`);
            }
        }
    }
}
