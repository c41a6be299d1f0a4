/**
 * Derives the key facts of one chart version for offline/data/helm-values (what offline/fidelity/helm-values.ts
 * checks values against), from a git mirror of the chart's repository at the chart's tag or commit: every key
 * path of the default values.yaml and of values.schema.json's properties, every `.Values` path the templates
 * read, and the free-form paths below which any key goes (maps the default leaves empty or a schema leaves
 * open, what templates render whole or range over unless its default is a scalar, what they guard with `with`
 * when the default is a map or a list). Reproduces reloader 2.2.16's committed paths exactly and all but four
 * of its free-form paths (hand-curated then).
 *
 *   node scripts/derive-helm-values.js <git dir> <ref> <chart dir> "<chart>" "<version>" "<source>" > <file>
 */
const { execFileSync } = require("node:child_process");
const YAML = require("yaml");
const [gitDir, ref, chartDir, chartName, chartVersion, source] = process.argv.slice(2);
const git = (...a) => execFileSync("git", ["--git-dir", gitDir, ...a], { encoding: "utf8", maxBuffer: 1 << 28 });
const files = git("ls-tree", "-r", "--name-only", ref, chartDir).split("\n").filter(Boolean);
const read = (f) => git("show", `${ref}:${f}`);
const paths = new Set(), open = new Set();
function walk(value, prefix) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (prefix && keys.length === 0) open.add(prefix);
    for (const k of keys) { const p = prefix ? `${prefix}.${k}` : k; paths.add(p); walk(value[k], p); }
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
if (schemaFile) walkSchema(JSON.parse(read(schemaFile)), "");
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
process.stdout.write(JSON.stringify({ chart: chartName, version: chartVersion, source, checked: new Date().toISOString().slice(0, 10), valuesSchema: Boolean(schemaFile), paths: sorted(paths), open: sorted(open) }, null, 1));
