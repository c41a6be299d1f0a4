/**
 * The schema walk shared by the derivations that read hashicorp/terraform-provider-aws (scripts/derive-aws-*.ts):
 * the provider's Go source, read from a local bare git mirror (the provider's own repository, or
 * lonegunmanb/terraform-provider-aws-index: one file per function, method, type and var) heuristically (brace
 * tracking over composite literals, not a Go parser), and the Pulumi input names of node_modules/@pulumi/aws. What
 * the walk follows is described in scripts/derive-aws-replace-on-change.ts. Each attribute also keeps the fields of
 * its literal and the package its text sits in, for derivations that read more than ForceNew
 * (scripts/derive-aws-input-constraints.ts reads validators, Required, MaxItems and the combinations).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Pulumi tokens whose Terraform name the token-to-name rule cannot guess. */
export const TOKEN_TO_TERRAFORM: Record<string, string> = {
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
};
/** Terraform attributes the bridge gives another Pulumi name than the camelCase one (pulumi-aws resources.go). */
export const PULUMI_RENAMES: Record<string, Record<string, string>> = {
    aws_cloudwatch_metric_alarm: { alarm_name: "name" },
};
/** Pulumi module -> Terraform name prefixes tried besides aws_<module>_ and aws_. */
export const MODULE_PREFIXES: Record<string, string[]> = {
    rds: ["db"],
    serverlessrepository: ["serverlessapplicationrepository"],
};
// ---------------------------------------------------------------------------------------------------------------
// Go text helpers (brace tracking that skips strings, runes and comments)

/** Index just past the bracket that closes the one at `open` (one of ({[). */
export function matchBracket(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
        } else if (c === "`") {
            i = text.indexOf("`", i + 1);
        } else if (c === "/" && text[i + 1] === "/") {
            i = text.indexOf("\n", i);
            if (i < 0) return text.length;
        } else if (c === "/" && text[i + 1] === "*") {
            i = text.indexOf("*/", i + 2) + 1;
        } else if (c === "(" || c === "{" || c === "[") {
            depth++;
        } else if (c === ")" || c === "}" || c === "]") {
            depth--;
            if (depth === 0) return i + 1;
        }
    }
    return text.length;
}

/** Splits a composite literal's inside at top-level commas; drops comments and empty parts. */
export function splitTopLevel(body: string, sep = ","): string[] {
    const parts: string[] = [];
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === '"' || c === "'") {
            for (i++; i < body.length && body[i] !== c; i++) if (body[i] === "\\") i++;
        } else if (c === "`") {
            i = body.indexOf("`", i + 1);
        } else if (c === "/" && body[i + 1] === "/") {
            i = body.indexOf("\n", i);
            if (i < 0) i = body.length;
        } else if (c === "/" && body[i + 1] === "*") {
            i = body.indexOf("*/", i + 2) + 1;
        } else if (c === "(" || c === "{" || c === "[") {
            i = matchBracket(body, i) - 1;
        } else if (c === sep) {
            parts.push(body.slice(start, i));
            start = i + 1;
            if (sep === ":") break; // key: value — only the first colon
        }
    }
    parts.push(body.slice(start));
    return parts.map(stripComments).map((s) => s.trim()).filter(Boolean);
}
export const stripComments = (s: string) => s.replace(/^\s*\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");

/** `key: value` pairs of a keyed composite literal's inside. */
export function keyedElements(body: string): [string, string][] {
    return splitTopLevel(body).flatMap((element) => {
        const [key, value] = splitTopLevel(element, ":");
        return value === undefined ? [] : [[key, value] as [string, string]];
    });
}

/** Inside of the first composite literal whose type text matches `type` in `text`. */
export function literalInside(text: string, type: RegExp): string | undefined {
    const m = type.exec(text);
    if (!m) return undefined;
    const open = m.index + m[0].length - 1;
    return text.slice(open + 1, matchBracket(text, open) - 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Schema model

export interface Attr {
    name: string; // Terraform name
    replace: boolean; // ForceNew / RequiresReplace
    conditional?: string; // RequiresReplaceIf* and the like
    computed: boolean;
    nested: Attr[];
    unresolved?: string; // expression the heuristic could not follow
    /** The fields of the attribute's literal (SDKv2 schema.Schema, framework schema.*Attribute/*Block), when read. */
    fields?: Map<string, string>;
    /** The package the literal's text sits in (where its identifiers resolve). */
    pkg?: string;
    /** Framework: the attribute's kind (ListNestedBlock, StringAttribute...). */
    kind?: string;
    /** The expression standing for the attribute when its literal was not read (a helper such as tftags.TagsSchema()). */
    expression?: string;
}

export interface Detection {
    key: string; // "CustomizeDiff:engine", "RequiresReplaceIf:a.b", "ModifyPlan:*"
    path?: string; // Terraform attribute path, when known
    where: string; // the function it was found in
}

export interface Registration {
    pkg: string;
    factory: string;
    kind: "sdkv2" | "framework";
    regional: boolean;
}

/** Opens the provider's source at `ref` in the bare git mirror `gitDir`. */
export function openProviderSource(gitDir: string, ref: string) {
    // ---------------------------------------------------------------------------------------------------------------
    // Git access

    const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });

    /** Reads many blobs at once (git cat-file --batch); returns path -> text. */
    function readBlobs(paths: string[]): Map<string, string> {
        const out = new Map<string, string>();
        if (paths.length === 0) return out;
        const buf = execFileSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
            input: paths.map((p) => `${ref}:${p}`).join("\n") + "\n",
            maxBuffer: 1 << 30,
        });
        let pos = 0;
        for (const path of paths) {
            const eol = buf.indexOf(10, pos);
            const header = buf.subarray(pos, eol).toString("utf8");
            pos = eol + 1;
            if (header.endsWith(" missing")) continue;
            const size = Number(header.split(" ")[2]);
            out.set(path, buf.subarray(pos, pos + size).toString("utf8"));
            pos += size + 1;
        }
        return out;
    }

    const allPaths = git("ls-tree", "-r", "--name-only", ref).split("\n").filter(Boolean);
    const layout: "repo" | "index" = allPaths.includes("index/terraform-provider-aws-index.json") ? "index" : "repo";
    const [commit, commitDate] = git("log", "-1", "--format=%H %cs", ref).trim().split(" ");

    /** Directory (in the mirror) of a provider package, e.g. "internal/service/rds" or "internal/tags". */
    const packageDir = (pkg: string) => (layout === "index" ? `index/${pkg}` : pkg);
    const isSource = (p: string) => (layout === "index" ? p.endsWith(".goindex") : p.endsWith(".go") && !p.endsWith("_test.go"));

    const packageCache = new Map<string, string[]>();
    /** All source texts of one provider package (e.g. "internal/service/ec2"). */
    function packageTexts(pkg: string): string[] {
        let texts = packageCache.get(pkg);
        if (!texts) {
            const dir = packageDir(pkg) + "/";
            const paths = allPaths.filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes("/") && isSource(p));
            texts = [...readBlobs(paths).values()];
            packageCache.set(pkg, texts);
        }
        return texts;
    }

    /** Body of `func name(` or `func (r *T) name(` in a package. */
    function findFunc(pkg: string, name: string, receiver?: string): string | undefined {
        const re = receiver
            ? new RegExp(`\\nfunc \\(\\w* ?\\*?${receiver}\\) ${name}\\(`)
            : new RegExp(`(^|\\n)func ${name}(\\[[^\\]]*\\])?\\(`);
        for (const text of packageTexts(pkg)) {
            const m = re.exec(text);
            if (!m) continue;
            const open = text.indexOf("{\n", m.index);
            return text.slice(open, matchBracket(text, open));
        }
        return undefined;
    }

    /** A method of a struct type or, failing that, of a struct it embeds (same package). */
    function findMethod(pkg: string, name: string, struct: string, depth = 0): string | undefined {
        const own = findFunc(pkg, name, struct);
        if (own || depth > 3) return own;
        for (const text of packageTexts(pkg)) {
            const m = new RegExp(`(^|\\n)type ${struct} struct \\{`).exec(text);
            if (!m) continue;
            const open = text.indexOf("{", m.index + m[0].length - 1);
            for (const e of text.slice(open + 1, matchBracket(text, open) - 1).matchAll(/^\s*\*?(\w+)\s*$/gm)) {
                const found = findMethod(pkg, name, e[1], depth + 1);
                if (found) return found;
            }
        }
        return undefined;
    }

    /** Right-hand side of a package-level `name = ...` (var) in a package. */
    function findVar(pkg: string, name: string): string | undefined {
        const re = new RegExp(`(^|\\n)\\s*(var )?${name}\\s*(\\*?[\\w.\\[\\]]+\\s*)?=\\s*[^=]`);
        for (const text of packageTexts(pkg)) {
            const m = re.exec(text);
            if (!m) continue;
            const start = m.index + m[0].length - 1;
            const brace = text.indexOf("{", start);
            const eol = text.indexOf("\n", start);
            return brace >= 0 && brace < eol ? text.slice(start, matchBracket(text, brace)) : text.slice(start, eol);
        }
        return undefined;
    }

    /** Package path of an import alias as used in `pkg` (e.g. tftags -> internal/tags). */
    function importedPackage(pkg: string, alias: string): string | undefined {
        for (const text of packageTexts(pkg)) {
            const m = new RegExp(`(?:^|\\s)(?:${alias}\\s+)?"github\\.com/hashicorp/terraform-provider-aws/([\\w/]+)"`, "m").exec(text);
            if (m && (m[0].trim().startsWith(alias) || m[1].endsWith(`/${alias}`))) return m[1];
        }
        return undefined;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Attribute-name constants (names.AttrFoo, local consts)

    const namesConsts = new Map<string, string>();
    if (layout === "repo") {
        for (const text of packageTexts("names")) {
            for (const m of text.matchAll(/\b(\w+)\s*=\s*"([a-z0-9_]+)"/g)) namesConsts.set(m[1], m[2]);
        }
    }
    /** AttrKMSKeyID -> kms_key_id (rule used where the constant's own text is not available). */
    const snakeFromIdentifier = (id: string) =>
        id
            .replace(/^Attr/, "")
            .match(/IPv[46]|[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g)!
            .map((s) => s.toLowerCase())
            .join("_");

    function keyName(pkg: string, key: string): string | undefined {
        if (key.startsWith('"')) return key.slice(1, -1);
        const m = /^names\.(\w+)$/.exec(key);
        if (m) return namesConsts.get(m[1]) ?? snakeFromIdentifier(m[1]);
        if (/^\w+$/.test(key)) {
            for (const text of packageTexts(pkg)) {
                const c = new RegExp(`\\b${key}\\s*=\\s*"([a-z0-9_]+)"`).exec(text);
                if (c) return c[1];
            }
            return snakeFromIdentifier(key.replace(/^attr/, "Attr"));
        }
        return undefined;
    }


    /** `scope` is the text of the function the literal sits in (for closures such as `x := func() *schema.Schema {...}`). */
    function sdkSchemaMap(pkg: string, map: string, scope: string, depth = 0): Attr[] {
        return keyedElements(map).map(([key, value]) => sdkAttr(pkg, keyName(pkg, key) ?? key, value, scope, depth));
    }

    function sdkAttr(pkg: string, name: string, value: string, scope: string, depth: number): Attr {
        let body: string | undefined;
        let bodyPkg = pkg;
        const literal = /^&?(schema\.Schema)?\{/.exec(value);
        if (literal) body = value.slice(value.indexOf("{") + 1, matchBracket(value, value.indexOf("{")) - 1);
        else {
            const resolved = resolveExpression(pkg, value, scope);
            if (resolved.body !== undefined) {
                body = resolved.body;
                bodyPkg = resolved.pkg;
            } else
                return {
                    name,
                    replace: /ForceNew/.test(value),
                    computed: /Computed/.test(value),
                    nested: [],
                    unresolved: /ForceNew|Computed|^tftags\.|^sdkv2\./.test(value) ? undefined : value,
                    expression: value,
                };
        }
        const fields = new Map(keyedElements(body));
        const attr: Attr = {
            name,
            replace: fields.get("ForceNew") === "true",
            computed: fields.get("Computed") === "true",
            nested: [],
            fields,
            pkg: bodyPkg,
        };
        const elem = fields.get("Elem");
        if (elem && depth < 8) {
            const map = elemSchemaMap(pkg, elem, scope);
            if (map !== undefined) attr.nested = sdkSchemaMap(map.pkg, map.map, map.scope, depth + 1);
        }
        return attr;
    }

    function sdkResource(pkg: string, factory: string): { attrs: Attr[]; detections: Detection[] } {
        const text = findFunc(pkg, factory);
        if (!text) throw new Error(`${pkg}: no func ${factory}`);
        // The returned literal (a factory may build other resources first, e.g. a V0 schema for a state upgrader).
        const resource = keyedElements(literalInside(text, /return &schema\.Resource\{/) ?? literalInside(text, /&schema\.Resource\{/) ?? "");
        const field = resource.find(([k]) => k === "Schema" || k === "SchemaFunc");
        const map = field && schemaMapOf(pkg, field[1], text);
        if (map === undefined) throw new Error(`${pkg}: no schema map in ${factory}`);
        return { attrs: sdkSchemaMap(map.pkg, map.map, map.scope), detections: customizeDiffForceNew(pkg, resource) };
    }

    /** The map[string]*schema.Schema literal a Schema/SchemaFunc value stands for (inline, var, func, maps.Clone(x)). */
    function schemaMapOf(pkg: string, expr: string, scope: string, depth = 0): { pkg: string; map: string; scope: string } | undefined {
        const inline = literalInside(expr, /map\[string\]\*schema\.Schema\{/);
        if (inline !== undefined) return { pkg, map: inline, scope };
        if (depth > 3) return undefined;
        const inner = /^maps\.Clone\(([\s\S]*)\)$/.exec(expr.trim());
        const resolved = resolveExpression(pkg, inner ? inner[1] : expr, scope);
        if (!resolved.text) return undefined;
        const map = literalInside(resolved.text, /map\[string\]\*schema\.Schema\{/);
        if (map !== undefined) return { pkg: resolved.pkg, map, scope: resolved.text };
        const ref = /return\s+([\w.]+(\([^)]*\))?)/.exec(resolved.text);
        return ref ? schemaMapOf(resolved.pkg, ref[1], resolved.text, depth + 1) : undefined;
    }

    /** The map[string]*schema.Schema of an Elem value, if it is a nested resource (not &schema.Schema{...}). */
    function elemSchemaMap(pkg: string, elem: string, scope: string) {
        return /^&schema\.Schema\{/.test(elem) ? undefined : schemaMapOf(pkg, elem, scope);
    }

    /** Follows a closure in `scope`, a local var or function, or package.Function(), to its text. */
    function resolveExpression(pkg: string, expr: string, scope = ""): { pkg: string; text?: string; body?: string } {
        const m = /^(?:(\w+)\.)?(\w+)(\[[^\]]*\])?(\(([\s\S]*)\))?$/.exec(expr.trim());
        if (!m) return { pkg };
        const [, alias, name, , call] = m;
        const local = !alias && new RegExp(`\\b${name}\\s*:=\\s*`).exec(scope);
        let text: string | undefined;
        let target: string | undefined = pkg;
        if (local) {
            const start = local.index + local[0].length;
            const brace = scope.indexOf("{", start);
            text = scope.slice(start, brace >= 0 && brace < scope.indexOf("\n", start) ? matchBracket(scope, brace) : scope.indexOf("\n", start));
        } else {
            target = alias ? importedPackage(pkg, alias) : pkg;
            if (!target) return { pkg };
            text = call ? (findFunc(target, name) ?? findVar(target, name)) : (findVar(target, name) ?? findFunc(target, name));
        }
        if (!text) return { pkg: target };
        const body = literalInside(text, /&schema\.Schema\{/);
        return { pkg: target, text, body };
    }


    /** Each ForceNew/ForceNewIf* call reachable from the resource's CustomizeDiff (two calls deep). */
    function customizeDiffForceNew(pkg: string, resource: [string, string][]): Detection[] {
        const field = resource.find(([k]) => k === "CustomizeDiff");
        if (!field) return [];
        const found = new Map<string, Detection>();
        const scan = (text: string, where: string, depth: number) => {
            for (const call of text.matchAll(/\bForceNew(If|IfChange)?\(\s*([\w."]+)/g)) {
                const name = keyName(pkg, call[2]);
                if (name && name !== "region" && !found.has(name))
                    found.set(name, { key: `CustomizeDiff:${name}`, path: name, where: call[1] ? `customdiff.ForceNew${call[1]} in ${where}` : where });
            }
            if (depth > 1) return;
            for (const ref of text.matchAll(/(?<![.\w])([a-z]\w*)\b(?!\s*:)/g)) {
                const fn = ref[1];
                if (fn === where || /^(func|return|if|else|for|range|switch|case|ctx|d|diff|meta|err|nil|true|false|string|int|bool|any|interface|context|schema|customdiff|verify)$/.test(fn)) continue;
                const body = findFunc(pkg, fn);
                if (body) scan(body, fn, depth + 1);
            }
        };
        scan(field[1], "CustomizeDiff", 0);
        return [...found.values()];
    }

    // --- Framework

    function fwAttributes(pkg: string, map: string, depth = 0): Attr[] {
        return keyedElements(map).map(([key, value]) => fwElement(pkg, keyName(pkg, key) ?? key, value, depth));
    }

    function fwElement(pkg: string, name: string, value: string, depth: number): Attr {
        let text = value;
        if (!/^schema\.\w+\{/.test(value)) {
            const resolved = resolveExpression(pkg, value);
            // A helper's own text decides (its literal or its name); otherwise the call's text (plan modifiers passed in).
            const literal = resolved.text && /return\s+(schema\.\w+\{)/.exec(resolved.text);
            if (literal && resolved.text) {
                const open = resolved.text.indexOf("{", literal.index + literal[0].length - 1);
                text = resolved.text.slice(literal.index + 7, matchBracket(resolved.text, open));
                pkg = resolved.pkg;
            }
        }
        const open = text.indexOf("{");
        const body = open >= 0 && /^schema\.\w+\{/.test(text.trim()) ? text.slice(open + 1, matchBracket(text, open) - 1) : "";
        const fields = new Map(keyedElements(body));
        const modifiers = body ? (fields.get("PlanModifiers") ?? "") : text;
        const attr: Attr = {
            name,
            replace: /\bRequiresReplace(IfConfigured)?\(\)/.test(modifiers),
            computed: body ? fields.get("Computed") === "true" : /Computed/.test(text),
            nested: [],
            fields,
            pkg,
            kind: /^schema\.(\w+)\{/.exec(text.trim())?.[1],
        };
        if (!body) attr.expression = value;
        const conditional = /\b(RequiresReplace(?!IfConfigured\b)(?:If|When|WO)\w*)\b/.exec(modifiers);
        if (conditional) attr.conditional = conditional[1];
        if (!body && !/^(framework|tftags)\./.test(value)) attr.unresolved = value;
        if (depth < 8 && body) {
            const object = fields.get("NestedObject");
            const inner = object ? new Map(keyedElements(object.slice(object.indexOf("{") + 1, matchBracket(object, object.indexOf("{")) - 1))) : fields;
            for (const kind of ["Attributes", "Blocks"]) {
                const m = inner.get(kind);
                if (!m) continue;
                const mapBody = m.startsWith("map[") ? m.slice(m.indexOf("{") + 1, matchBracket(m, m.indexOf("{")) - 1) : undefined;
                if (mapBody !== undefined) attr.nested.push(...fwAttributes(pkg, mapBody, depth + 1));
            }
        }
        return attr;
    }

    function frameworkResource(pkg: string, factory: string): { attrs: Attr[]; detections: Detection[] } {
        const factoryText = findFunc(pkg, factory);
        const struct = factoryText && /&(\w+)\{/.exec(factoryText)?.[1];
        if (!struct) throw new Error(`${pkg}: cannot find the resource type made by ${factory}`);
        const schemaText = findMethod(pkg, "Schema", struct);
        const inside = schemaText && literalInside(schemaText, /schema\.Schema\{/);
        if (inside === undefined) throw new Error(`${pkg}: no Schema method on ${struct}`);
        const fields = new Map(keyedElements(inside));
        const attrs: Attr[] = [];
        for (const kind of ["Attributes", "Blocks"]) {
            const m = fields.get(kind);
            if (m) attrs.push(...fwAttributes(pkg, m.slice(m.indexOf("{") + 1, matchBracket(m, m.indexOf("{")) - 1)));
        }
        const modifyPlan = findMethod(pkg, "ModifyPlan", struct) ?? "";
        const detections = new Map<string, Detection>();
        for (const m of modifyPlan.matchAll(/\bRequiresReplace\b[\s\S]{0,120}?path\.Root\(\s*([\w."]+)/g)) {
            const literal = /^"|^names\./.test(m[1]) ? keyName(pkg, m[1]) : undefined;
            const key = `ModifyPlan:${literal ?? "*"}`;
            detections.set(key, { key, path: literal, where: `${struct}.ModifyPlan` });
        }
        return { attrs, detections: [...detections.values()] };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Registrations: TypeName -> service package, factory, kind, regional

    const registrations = new Map<string, Registration>();
    {
        const files =
            layout === "repo"
                ? allPaths.filter((p) => /^internal\/service\/\w+\/service_package_gen\.go$/.test(p))
                : allPaths.filter((p) => /^index\/internal\/service\/\w+\/method\.servicePackage\.(SDK|Framework)Resources\.goindex$/.test(p));
        for (const [path, text] of readBlobs(files)) {
            const pkg = path.replace(/^index\//, "").replace(/\/[^/]+$/, "");
            for (const fn of text.matchAll(/func \(p \*servicePackage\) (SDK|Framework)Resources\(/g)) {
                const open = text.indexOf("{\n", fn.index);
                const body = text.slice(open, matchBracket(text, open));
                for (const entry of body.matchAll(/Factory:\s*(\w+),\s*TypeName:\s*"(aws_\w+)"/g)) {
                    const rest = body.slice(entry.index);
                    const end = rest.search(/\n\t\t\},?\n/);
                    registrations.set(entry[2], {
                        pkg,
                        factory: entry[1],
                        kind: fn[1] === "SDK" ? "sdkv2" : "framework",
                        regional: /Region:\s*(unique\.Make\()?inttypes\.ResourceRegionDefault\(\)/.test(rest.slice(0, end)),
                    });
                }
            }
        }
    }

    const normalizedRegistrations = new Map([...registrations.keys()].map((n) => [normalize(n), n]));

    function terraformName(token: string): string | undefined {
        if (TOKEN_TO_TERRAFORM[token]) return TOKEN_TO_TERRAFORM[token];
        const [, mod, , name] = /^aws:(\w+)\/(\w+):(\w+)$/.exec(token)!;
        for (const prefix of [mod, ...(MODULE_PREFIXES[mod] ?? []), ""]) {
            const hit = normalizedRegistrations.get(normalize(`aws_${prefix}_${name}`));
            if (hit) return hit;
        }
        return undefined;
    }
    return { layout, commit, commitDate, allPaths, readBlobs, packageTexts, findFunc, findMethod, findVar, importedPackage, keyName, resolveExpression, sdkResource, frameworkResource, registrations, terraformName };
}
export type ProviderSource = ReturnType<typeof openProviderSource>;

// ---------------------------------------------------------------------------------------------------------------
// Pulumi side: input names from the SDK's .d.ts

export const normalize = (s: string) => s.replace(/_/g, "").toLowerCase();
/** The input types of the installed @pulumi/aws (`pulumiAwsDir`: node_modules/@pulumi/aws). */
export function pulumiInputTypes(pulumiAwsDir: string) {
    const inputTypes = readFileSync(join(pulumiAwsDir, "types", "input.d.ts"), "utf8");
    /** Properties of an interface: name -> referenced nested input type ("mod.Type") if any. */
    function interfaceProps(text: string, iface: string): Map<string, string | undefined> | undefined {
        const m = new RegExp(`\\n\\s*(?:export )?interface ${iface} \\{`).exec(text);
        if (!m) return undefined;
        const open = m.index + m[0].length - 1;
        const body = text.slice(open + 1, matchBracket(text, open) - 1);
        const props = new Map<string, string | undefined>();
        for (const p of body.matchAll(/\n\s*(?:readonly )?(\w+)\??: ([^;]*);/g)) props.set(p[1], /inputs\.(\w+\.\w+)/.exec(p[2])?.[1]);
        return props;
    }
    function nestedProps(ref: string) {
        const [mod, type] = ref.split(".");
        const ns = new RegExp(`\\nexport declare namespace ${mod} \\{`).exec(inputTypes);
        if (!ns) return undefined;
        const open = ns.index + ns[0].length - 1;
        return interfaceProps(inputTypes.slice(open, matchBracket(inputTypes, open)), type);
    }
    return { interfaceProps, nestedProps };
}
/** Pulumi name of a Terraform attribute among `props` (the bridge camelCases and pluralizes list names). */
export function pulumiName(tf: string, props: Map<string, string | undefined>, renames: Record<string, string> = {}): string | undefined {
    if (renames[tf] && props.has(renames[tf])) return renames[tf];
    const n = normalize(tf);
    const candidates = [n, n + "s", n + "es", n.replace(/y$/, "ies")];
    return [...props.keys()].find((p) => candidates.includes(p.toLowerCase()));
}
export const camel = (tf: string) => tf.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

