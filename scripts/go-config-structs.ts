/**
 * Reads Go configuration structs out of a git mirror at a ref, as a Go program's config decoder sees them: the
 * keys of a struct are its fields' `yaml` (gopkg.in/yaml.v2) or `mapstructure` (the OpenTelemetry collector's
 * confmap) tags, `,inline` / `,squash` fields lend their keys to the parent, `-` fields are skipped, an untagged
 * exported field is its lowercased name. Types are followed across packages (the repository's own module, its
 * vendor/ directory, or another mirror given for a module prefix). A type with its own decoder (UnmarshalYAML
 * not of the `type plain T` kind, UnmarshalText) accepts what its decoder accepts: it is left unchecked ("any").
 *
 * Used by scripts/derive-app-config.ts; no third-party Go tooling, a small lexer of Go declarations.
 */
import { execFileSync } from "node:child_process";

/** A type as the app-config facts hold it: a scalar kind, a list `[elem]`, a map `{"*": value}`, or a struct's name `#pkg.Type`. */
export type TypeNode = string | TypeNode[] | { [key: string]: TypeNode };

export interface Source {
    /** Import-path prefix this source serves (a module path). */
    prefix: string;
    gitDir: string;
    ref: string;
    /** Directory in the repository the prefix maps to ("" for the root). */
    dir: string;
    /** Whether the repository vendors its dependencies (vendor/<import path>). */
    vendor?: boolean;
}

interface GoFile {
    /** Imports named by their path's last element, whose package clause may say otherwise. */
    unnamed?: string[];
    pkg: string;
    imports: Map<string, string>;
    text: string;
}

interface Decl {
    /** Package import path and name, e.g. `github.com/grafana/loki/v3/pkg/validation` and `Limits`. */
    path: string;
    name: string;
    type: string;
    file: GoFile;
}

export class GoStructs {
    private readonly files = new Map<string, GoFile[] | undefined>();
    private readonly decls = new Map<string, Decl | undefined>();
    /** Struct types in the order first reached: `#<short name>` -> keys. */
    readonly structs: Record<string, Record<string, TypeNode>> = {};
    private readonly shortNames = new Map<string, string>();
    private readonly building = new Set<string>();

    constructor(private readonly sources: Source[], private readonly tag: "yaml" | "mapstructure") {}

    /** The node of `name` in package `path`, and every struct it reaches into `structs`. */
    typeOf(path: string, name: string): TypeNode {
        return this.named(path, name);
    }

    private git(gitDir: string, ...args: string[]): string {
        return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    }

    private locate(importPath: string): { source: Source; dir: string } | undefined {
        const own = this.sources.filter((s) => importPath === s.prefix || importPath.startsWith(`${s.prefix}/`)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
        if (own) return { source: own, dir: [own.dir, importPath.slice(own.prefix.length + 1)].filter(Boolean).join("/") };
        const vendoring = this.sources.find((s) => s.vendor);
        if (vendoring) return { source: vendoring, dir: `vendor/${importPath}` };
        return undefined;
    }

    private packageFiles(importPath: string): GoFile[] | undefined {
        if (this.files.has(importPath)) return this.files.get(importPath);
        const where = this.locate(importPath);
        let result: GoFile[] | undefined;
        if (where) {
            let names: string[] = [];
            try {
                names = this.git(where.source.gitDir, "ls-tree", "--name-only", `${where.source.ref}:${where.dir}`).split("\n").filter((n) => n.endsWith(".go") && !n.endsWith("_test.go"));
            } catch {
                names = [];
            }
            result = names.map((n) => parseFile(this.git(where.source.gitDir, "show", `${where.source.ref}:${where.dir}/${n}`))).filter((f) => f.pkg !== "main" || names.length === 1);
            if (result.length === 0) result = undefined;
        }
        this.files.set(importPath, result);
        return result;
    }

    private decl(path: string, name: string): Decl | undefined {
        const key = `${path}.${name}`;
        if (this.decls.has(key)) return this.decls.get(key);
        let found: Decl | undefined;
        for (const file of this.packageFiles(path) ?? []) {
            const type = findTypeDecl(file.text, name);
            if (type !== undefined) {
                found = { path, name, type, file };
                break;
            }
        }
        this.decls.set(key, found);
        return found;
    }

    /** Methods of a type in its package: the decoder it brings, if any. */
    private decoder(path: string, name: string): "plain" | "own" | "text" | undefined {
        for (const file of this.packageFiles(path) ?? []) {
            const yaml = new RegExp(`func\\s*\\(\\s*\\w*\\s*\\*?${name}\\s*\\)\\s*UnmarshalYAML\\s*\\(`).exec(file.text);
            if (yaml && this.tag === "yaml") {
                const body = file.text.slice(yaml.index, yaml.index + 3000);
                const end = body.indexOf("\n}\n");
                const fn = end > 0 ? body.slice(0, end) : body;
                return /type\s+\w+\s+\*?\w+/.test(fn) && /\(\*\w+\)\(\w+\)|\(\*\w+\)\(&\w+\)/.test(fn) ? "plain" : "own";
            }
            if (new RegExp(`func\\s*\\(\\s*\\w*\\s*\\*?${name}\\s*\\)\\s*UnmarshalText\\s*\\(`).test(file.text)) return "text";
        }
        return undefined;
    }

    private named(path: string, name: string): TypeNode {
        const builtin = BUILTIN[`${path === "" ? "" : `${path}.`}${name}`] ?? (path === "" ? BUILTIN[name] : undefined);
        if (builtin) return builtin;
        const decl = this.decl(path, name);
        if (!decl) return "any";
        const decoder = this.decoder(path, name);
        if (decoder === "own" || decoder === "text") return "any";
        const type = decl.type.trim();
        if (!type.startsWith("struct")) return this.expr(type, decl.file, path);
        const key = `${path}.${name}`;
        const short = this.shortName(path, name);
        if (this.structs[short] || this.building.has(key)) return `#${short}`;
        this.building.add(key);
        const fields: Record<string, TypeNode> = {};
        this.structFields(type, decl.file, path, fields);
        this.structs[short] = fields;
        this.building.delete(key);
        return `#${short}`;
    }

    private shortName(path: string, name: string): string {
        const key = `${path}.${name}`;
        const known = this.shortNames.get(key);
        if (known) return known;
        const parts = path.split("/").filter((p) => !/^v\d+$/.test(p));
        let short = `${parts.at(-1)}.${name}`;
        for (let i = 2; [...this.shortNames.values()].includes(short) && i <= parts.length; i++) short = `${parts.slice(-i).join("/")}.${name}`;
        this.shortNames.set(key, short);
        return short;
    }

    private structFields(structType: string, file: GoFile, path: string, into: Record<string, TypeNode>): void {
        const body = structType.slice(structType.indexOf("{") + 1, matchBrace(structType, structType.indexOf("{")));
        for (const line of splitFields(body)) {
            const tagMatch = /`([^`]*)`\s*$/.exec(line);
            const tags = tagMatch ? tagMatch[1] : "";
            const decl = (tagMatch ? line.slice(0, tagMatch.index) : line).trim();
            if (!decl) continue;
            const tag = new RegExp(`${this.tag}:"([^"]*)"`).exec(tags)?.[1];
            const [tagName, ...options] = (tag ?? "").split(",");
            if (tagName === "-") continue;
            const embedded = /^\*?[\w.]+$/.test(decl);
            const names = embedded ? [decl.replace(/^\*/, "").split(".").at(-1)!] : decl.slice(0, firstTypeStart(decl)).split(",").map((n) => n.trim());
            const typeExpr = embedded ? decl : decl.slice(firstTypeStart(decl)).trim();
            const inline = options.includes("inline") || options.includes("squash");
            if (inline) {
                const node = this.expr(typeExpr, file, path);
                const inner = typeof node === "string" && node.startsWith("#") ? this.structs[node.slice(1)] : undefined;
                if (inner) Object.assign(into, inner);
                else if (node === "any" || typeof node !== "string") into["..."] = "any";
                continue;
            }
            for (const name of names) {
                if (!/^[A-Z]/.test(name)) continue; // unexported: the decoder never sets it
                const key = tagName || name.toLowerCase();
                into[key] = this.expr(typeExpr, file, path);
            }
        }
    }

    /** A Go type expression, in the package `path` whose file is `file`. */
    private expr(type: string, file: GoFile, path: string): TypeNode {
        type = type.trim();
        if (type.startsWith("*")) return this.expr(type.slice(1), file, path);
        if (type.startsWith("[]")) return [this.expr(type.slice(2), file, path)];
        const array = /^\[\d+\](.*)$/s.exec(type);
        if (array) return [this.expr(array[1], file, path)];
        if (type.startsWith("map[")) {
            const close = matchBracket(type, 3);
            const keyType = type.slice(4, close);
            const value = this.expr(type.slice(close + 1), file, path);
            return keyType === "string" || /^[\w.]+$/.test(keyType) ? { "*": value } : "any";
        }
        if (type.startsWith("struct")) {
            const fields: Record<string, TypeNode> = {};
            this.structFields(type, file, path, fields);
            return fields;
        }
        if (/^(interface|func|chan)\b/.test(type) || type === "any") return "any";
        const generic = type.indexOf("[");
        if (generic > 0) type = type.slice(0, generic);
        const qualified = /^(\w+)\.(\w+)$/.exec(type);
        if (qualified) {
            const importPath = file.imports.get(qualified[1]) ?? this.importByPackageName(file, qualified[1]);
            const builtin = importPath !== undefined ? BUILTIN[`${importPath}.${qualified[2]}`] : undefined;
            if (builtin) return builtin;
            return importPath === undefined ? "any" : this.named(importPath, qualified[2]);
        }
        if (BUILTIN[type]) return BUILTIN[type];
        return this.named(path, type);
    }

    /** An import whose package clause names it `name` (imports whose last element is not the package name). */
    private importByPackageName(file: GoFile, name: string): string | undefined {
        for (const importPath of file.unnamed ?? []) {
            const files = this.packageFiles(importPath);
            if (files?.[0]?.pkg === name) {
                file.imports.set(name, importPath);
                return importPath;
            }
        }
        return undefined;
    }
}

const BUILTIN: Record<string, TypeNode> = {
    bool: "bool",
    string: "string",
    int: "int", int8: "int", int16: "int", int32: "int", int64: "int", uint: "int", uint8: "int", uint16: "int", uint32: "int", uint64: "int", uintptr: "int", byte: "int", rune: "int",
    float32: "float", float64: "float",
    "time.Duration": "duration",
    "time.Time": "any",
    "net/url.URL": "any",
    "regexp.Regexp": "any",
    "github.com/prometheus/common/model.Duration": "mduration",
    "github.com/prometheus/prometheus/model/relabel.Config": "any",
    "github.com/prometheus/common/config.Secret": "string",
};


function parseFile(source: string): GoFile {
    const text = stripComments(source);
    const pkg = /^\s*package\s+(\w+)/m.exec(text)?.[1] ?? "";
    const imports = new Map<string, string>();
    const unnamed: string[] = [];
    const add = (alias: string | undefined, importPath: string) => {
        if (alias === "_" || alias === ".") return;
        if (alias) imports.set(alias, importPath);
        else {
            const parts = importPath.split("/");
            let last = parts.at(-1)!;
            if (/^v\d+$/.test(last) && parts.length > 1) last = parts.at(-2)!;
            last = last.replace(/\.v\d+$/, "").replace(/^go-/, "").replace(/-go$/, "");
            imports.set(last, importPath);
            unnamed.push(importPath);
        }
    };
    for (const block of text.matchAll(/\bimport\s*\(([\s\S]*?)\)/g)) for (const m of block[1].matchAll(/(?:([\w.]+)\s+)?"([^"]+)"/g)) add(m[1], m[2]);
    for (const m of text.matchAll(/\bimport\s+(?:([\w.]+)\s+)?"([^"]+)"/g)) add(m[1], m[2]);
    return { pkg, imports, text, unnamed };
}

function stripComments(source: string): string {
    let out = "";
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === "/" && source[i + 1] === "/") {
            while (i < source.length && source[i] !== "\n") i++;
            out += "\n";
        } else if (c === "/" && source[i + 1] === "*") {
            i += 2;
            while (i < source.length && !(source[i] === "*" && source[i + 1] === "/")) i++;
            i++;
        } else if (c === '"' || c === "`" || c === "'") {
            const start = i;
            i++;
            while (i < source.length && source[i] !== c) {
                if (source[i] === "\\" && c !== "`") i++;
                i++;
            }
            out += source.slice(start, i + 1);
        } else out += c;
    }
    return out;
}

/** The type expression of `type <name> ...` (alone or in a `type ( ... )` group). */
function findTypeDecl(text: string, name: string): string | undefined {
    const candidates = [
        ...[...text.matchAll(new RegExp(`\\btype\\s+${name}(?:\\[[^\\]]*\\])?\\s+(?:=\\s*)?`, "g"))].map((m) => m.index + m[0].length),
        ...[...text.matchAll(new RegExp(`\\n[ \\t]+${name}(?:\\[[^\\]]*\\])?[ \\t]+(?:=[ \\t]*)?`, "g"))].filter((m) => insideTypeGroup(text.slice(0, m.index + 1))).map((m) => m.index + m[0].length),
    ];
    for (const start of candidates) {
        const rest = text.slice(start);
        if (/^(struct|interface)\s*\{/.test(rest)) return rest.slice(0, matchBrace(rest, rest.indexOf("{")) + 1);
        const line = rest.split("\n")[0].trim();
        if (line && !line.startsWith("(")) return line;
    }
    return undefined;
}

function insideTypeGroup(before: string): boolean {
    const group = before.lastIndexOf("type (");
    if (group < 0) return false;
    let depth = 0;
    for (let i = group + 5; i < before.length; i++) {
        if (before[i] === "(" || before[i] === "{") depth++;
        else if (before[i] === ")" || before[i] === "}") depth--;
    }
    return depth === 1;
}

function matchBrace(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "`" || c === '"') {
            const q = c;
            i++;
            while (i < text.length && text[i] !== q) {
                if (text[i] === "\\" && q === '"') i++;
                i++;
            }
        } else if (c === "{") depth++;
        else if (c === "}" && --depth === 0) return i;
    }
    return text.length;
}

function matchBracket(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "[") depth++;
        else if (text[i] === "]" && --depth === 0) return i;
    }
    return text.length;
}

/** Field lines of a struct body, nested struct types kept whole. */
function splitFields(body: string): string[] {
    const lines: string[] = [];
    let current = "";
    let depth = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "`" || c === '"') {
            const q = c;
            let j = i + 1;
            while (j < body.length && body[j] !== q) {
                if (body[j] === "\\" && q === '"') j++;
                j++;
            }
            current += body.slice(i, j + 1);
            i = j;
            continue;
        }
        if (c === "{" || c === "(") depth++;
        if (c === "}" || c === ")") depth--;
        if ((c === "\n" || c === ";") && depth === 0) {
            if (current.trim()) lines.push(current.trim());
            current = "";
        } else current += c;
    }
    if (current.trim()) lines.push(current.trim());
    return lines;
}

/** Where the type starts in `Name1, Name2 Type`. */
function firstTypeStart(decl: string): number {
    const m = /^[\w\s,]*?\w\s+(?=[^\s,])/.exec(decl);
    return m ? m[0].length : 0;
}
