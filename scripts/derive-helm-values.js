/**
 * Derives the key facts of one chart version for offline/data/helm-values (what offline/fidelity/helm-values.ts
 * checks values against), from a git mirror of the chart's repository at the chart's tag or commit: every key
 * path of the default values.yaml and of values.schema.json's properties, every `.Values` path the templates
 * read, and the free-form paths below which any key goes (maps the default leaves empty or a schema leaves
 * open, what templates render whole or range over unless its default is a scalar, what they guard with `with`
 * when the default is a map or a list). Reproduces reloader 2.2.16's committed paths exactly and all but four
 * of its free-form paths (hand-curated then).
 *
 * Types too: `types` holds the JSON type of each default value path (string, integer, number, boolean, object,
 * array, null), and `schema` the chart's values.schema.json itself where it ships one, compacted (descriptions,
 * titles, examples and comments dropped; property names kept whatever they are called). The check validates
 * values against `schema` where there is one, otherwise against `types`.
 *
 *   node scripts/derive-helm-values.js [--keep <file>] <git dir> <ref> <chart dir> "<chart>" "<version>" "<source>" > <file>
 *
 * --keep <file>: re-derive a committed file at its source, keeping its `paths`, `open` and `subcharts` as they
 * are (most were curated by hand after an earlier derivation) and deriving everything else afresh; what this
 * script would derive for `paths` and `open` differs for most charts, printed to stderr to review.
 */
const { execFileSync } = require("node:child_process");
const YAML = require("yaml");
const argv = process.argv.slice(2);
const keepFile = argv[0] === "--keep" ? argv.splice(0, 2)[1] : undefined;
const [gitDir, ref, chartDir, chartName, chartVersion, source] = argv;
const git = (...a) => execFileSync("git", ["--git-dir", gitDir, ...a], { encoding: "utf8", maxBuffer: 1 << 28 });
const files = git("ls-tree", "-r", "--name-only", ref, chartDir).split("\n").filter(Boolean);
const read = (f) => git("show", `${ref}:${f}`);
const paths = new Set(), open = new Set(), types = {};
const typeOf = (v) => (v === null || v === undefined ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v);
function walk(value, prefix) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (prefix && keys.length === 0) open.add(prefix);
    for (const k of keys) { const p = prefix ? `${prefix}.${k}` : k; paths.add(p); types[p] = typeOf(value[k]); walk(value[k], p); }
  }
}
const values = YAML.parse(read(`${chartDir}/values.yaml`)) ?? {};
walk(values, "");
const schemaFile = files.find((f) => f === `${chartDir}/values.schema.json`);
function walkSchema(s, prefix) {
  if (!s || typeof s !== "object") return;
  for (const [k, v] of Object.entries(s.properties ?? {})) { const p = prefix ? `${prefix}.${k}` : k; paths.add(p); walkSchema(v, p); }
  if (s.additionalProperties && prefix) open.add(prefix);
}
const schema = schemaFile ? JSON.parse(read(schemaFile)) : undefined;
if (schema) walkSchema(schema, "");
// Keywords whose value maps names to schemas (the names are data, kept whatever they are); every other keyword
// whose value is a schema or a list of schemas is compacted in turn; the rest (enum, const, default, required,
// type, ...) is kept as it is.
const NAMED = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"]);
const SCHEMAS = new Set(["items", "prefixItems", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "contains", "propertyNames", "not", "if", "then", "else", "allOf", "anyOf", "oneOf"]);
const DROPPED = new Set(["description", "title", "examples", "$comment", "markdownDescription"]);
function compact(s) {
  if (Array.isArray(s)) return s.map(compact);
  if (!s || typeof s !== "object") return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k)) continue;
    if (NAMED.has(k) && v && typeof v === "object") out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, compact(x)]));
    else out[k] = SCHEMAS.has(k) ? compact(v) : v;
  }
  return out;
}
for (const f of files.filter((f) => f.startsWith(`${chartDir}/templates/`))) {
  const text = read(f);
  for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) {
    const parts = m[1].slice(1).split(".");
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join("."));
  }
  for (const m of text.matchAll(/(toYaml|with|range(?:\s+\$\w+\s*(?:,\s*\$\w+\s*)?:=)?)\s*\(?\s*\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) {
    const path = m[2].slice(1);
    const value = path.split(".").reduce((v, k) => (v && typeof v === "object" ? v[k] : undefined), values);
    // Free-form: what a template renders whole or ranges over, unless its default is a scalar; what it only
    // guards with "with" when the default is a map or a list.
    const structured = value !== null && typeof value === "object";
    if (m[1] === "with" ? structured : structured || value === null || value === undefined) open.add(path);
  }
}
const sorted = (s) => [...s].sort();
let facts = { paths: sorted(paths), open: sorted(open) };
if (keepFile) {
  const kept = JSON.parse(require("node:fs").readFileSync(keepFile, "utf8"));
  for (const k of ["paths", "open"]) {
    const was = new Set(kept[k]), now = new Set(facts[k]);
    const only = (a, b) => [...a].filter((p) => !b.has(p));
    if (only(was, now).length || only(now, was).length) process.stderr.write(`${chartName}@${chartVersion} ${k}: kept ${was.size}; derived here ${now.size} (${only(was, now).length} kept only, ${only(now, was).length} derived only)\n`);
  }
  facts = { ...(kept.subcharts ? { subcharts: kept.subcharts } : {}), paths: kept.paths, open: kept.open };
}
const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const text = JSON.stringify({ chart: chartName, version: chartVersion, source, checked: new Date().toISOString().slice(0, 10), valuesSchema: Boolean(schemaFile), ...facts, types: sortedTypes, ...(schema ? { schema: compact(schema) } : {}) }, null, 1);
// A kept file written without indentation stays so, for a readable diff (JSON strings hold no raw newline).
process.stdout.write(keepFile && /^\{\n"/.test(require("node:fs").readFileSync(keepFile, "utf8")) ? text.replace(/^ +/gm, "") : text);
