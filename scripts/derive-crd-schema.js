/**
 * Derives one entry of offline/data/crd-schemas.json (the compact form offline/fidelity/kubernetes.ts reads) from
 * a CustomResourceDefinition file: the openAPIV3Schema of the named served version, descriptions left out.
 * Objects with properties keep them (and their required list); maps keep their value schema; objects that keep
 * unknown fields or declare nothing are free-form (any); x-kubernetes-int-or-string is int-or-string.
 *
 *   node scripts/derive-crd-schema.js <crd.yaml> <version> "<chart label>" "<file label>" [<Kind>]
 * (the kind picks one CustomResourceDefinition from a file that holds several)
 * prints `{"<group>/<version>:<Kind>": {chart, file, schema}}`, to merge into offline/data/crd-schemas.json.
 */
const { readFileSync } = require("node:fs");
const YAML = require("yaml");

const [file, version, chart, label, kind] = process.argv.slice(2);
const crds = YAML.parseAllDocuments(readFileSync(file, "utf8")).map((doc) => doc.toJS()).filter((doc) => doc?.kind === "CustomResourceDefinition");
const crd = kind ? crds.find((doc) => doc.spec.names.kind === kind) : crds.length === 1 ? crds[0] : undefined;
if (!crd) throw new Error(`${file}: ${kind ? `no CustomResourceDefinition of kind ${kind}` : `${crds.length} CustomResourceDefinitions; name the kind`}`);
const served = crd.spec.versions.find((v) => v.name === version);
if (!served) throw new Error(`${file}: no version ${version}`);

function node(schema) {
    if (schema["x-kubernetes-int-or-string"]) return { t: "int-or-string" };
    if (schema.type === "array") return { t: "array", items: schema.items ? node(schema.items) : { t: "any" } };
    if (schema.type === "object" || schema.properties) {
        if (schema.properties) {
            const props = Object.fromEntries(Object.entries(schema.properties).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, node(v)]));
            return { t: "object", props, ...(schema.required?.length ? { required: schema.required } : {}) };
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === "object") return { t: "object", values: node(schema.additionalProperties) };
        return { t: "any" };
    }
    if (["string", "integer", "boolean", "number"].includes(schema.type)) return { t: schema.type };
    return { t: "any" };
}

const schema = node(served.schema.openAPIV3Schema);
// Metadata is checked against ObjectMeta separately; the CRD declares it as a bare object.
schema.props.metadata = { t: "object", values: { t: "any" } };
const key = `${crd.spec.group}/${version}:${crd.spec.names.kind}`;
process.stdout.write(JSON.stringify({ [key]: { chart, file: label, schema } }));
