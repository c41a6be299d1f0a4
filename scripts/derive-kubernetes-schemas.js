/**
 * Derives offline/data/kubernetes-<minor>.schemas.json (the compact form offline/fidelity/kubernetes.ts reads) from
 * a Kubernetes OpenAPI v2 document, e.g. kubernetes-client/python's kubernetes/swagger.json.unprocessed at the
 * release tag of that minor: the kinds already listed plus any named, and every definition they reach. References
 * to primitive definitions are inlined (Quantity and IntOrString as int-or-string, free-form objects as any);
 * descriptions are left out. Prints the new file; it reproduces the committed one exactly when no kind is added.
 *
 *   node scripts/derive-kubernetes-schemas.js swagger.json offline/data/kubernetes-1.35.schemas.json core/v1:PersistentVolume > new.json
 */
const fs = require("fs");
const [swaggerPath, existingPath, ...extraKinds] = process.argv.slice(2);
const swagger = JSON.parse(fs.readFileSync(swaggerPath, "utf8")).definitions;
const existing = JSON.parse(fs.readFileSync(existingPath, "utf8"));
const kindToDef = (kind) => {
  const [gv, k] = kind.split(":");
  const [group, version] = gv.includes("/") ? gv.split("/") : ["core", gv];
  const g = group === "core" ? "core" : group.replace(/\.k8s\.io$/, "").replace(/\.authorization$/, ".authorization");
  const candidates = Object.keys(swagger).filter((n) => n.endsWith(`.${version}.${k}`) && n.startsWith("io.k8s.api."));
  const want = group === "core" ? "core" : group.split(".")[0];
  return candidates.find((n) => n.split(".")[3] === want) ?? candidates[0];
};
const out = {};
function node(schema) {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/definitions/", "");
    const def = swagger[name];
    if (def.format === "int-or-string" || name.endsWith("resource.Quantity")) return { t: "int-or-string" };
    if (!def.properties && def.type && def.type !== "object") return { t: def.type === "number" ? "number" : def.type };
    if (!def.properties && (!def.type || def.type === "object")) return { t: "any" };
    walk(name);
    return { ref: name };
  }
  if (schema.type === "array") return { t: "array", items: node(schema.items) };
  if (schema.type === "object" && schema.additionalProperties) return { t: "object", values: node(schema.additionalProperties) };
  if (schema.type === "object" && !schema.properties) return { t: "any" };
  if (!schema.type) return { t: "any" };
  return { t: schema.type };
}
function walk(name) {
  if (out[name]) return;
  const def = swagger[name];
  out[name] = {};
  const props = {};
  for (const [k, v] of Object.entries(def.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) props[k] = node(v);
  out[name] = { t: "object", props, ...(def.required?.length ? { required: def.required } : {}) };
}
const kinds = { ...existing.kinds };
for (const k of extraKinds) kinds[k] = kindToDef(k);
for (const def of Object.values(kinds)) walk(def);
const result = { ...existing, kinds, definitions: Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1))) };
process.stdout.write(JSON.stringify(result));
