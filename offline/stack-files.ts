/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does before it starts the program: the
 * project file checked as the CLI checks it, stack values as strings (structured ones as JSON), project-level
 * defaults where the stack sets nothing, required and typed keys enforced (offline/project-config.ts), and
 * `secure:` values reported as secret keys.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument } from "yaml";
import type { RawConfig } from "../stacks/config";
import { applyProjectConfig, projectFileProblems, ProjectConfigError, type ProjectConfigType, type StackValue } from "./project-config";

export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigType | string | number | boolean | unknown[]>;
}

/** Pulumi.yaml as the CLI loads it; a file the CLI would refuse throws {@link ProjectConfigError}. */
export function readProjectFile(dir: string): ProjectFile {
    const doc = parseDocument(readFileSync(join(dir, "Pulumi.yaml"), "utf8")).toJS() as Partial<ProjectFile> | null;
    const problems = projectFileProblems(doc);
    if (problems.length > 0) throw new ProjectConfigError(problems.map((p) => `${join(dir, "Pulumi.yaml")}: ${p}`));
    return { name: doc!.name!, config: doc!.config ?? {} };
}

/** Top-level keys of a stack file the Pulumi CLI reads (workspace.ProjectStack); it ignores any other. */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/**
 * A stack file that cannot be read as one: `usage` when there is none (exit 2), else a broken file (exit 1).
 * Each message names the file, and where the YAML is broken, the line and column.
 */
export class StackFileError extends Error {
    constructor(
        readonly kind: "usage" | "config",
        readonly file: string,
        readonly messages: string[],
    ) {
        super(messages.join("\n"));
        this.name = "StackFileError";
    }
}

/** The file a stack's config lives in. */
export const stackFilePath = (dir: string, stack: string) => join(dir, `Pulumi.${stack}.yaml`);

/**
 * The config the engine would hand the program for `stack`: the stack file (or `file`), then `overrides` (already
 * namespaced keys, handy for tests), then Pulumi.yaml's defaults for keys still unset.
 */
export function readStackConfig(
    dir: string,
    stack: string,
    options: { file?: string; overrides?: Record<string, unknown> } = {},
): RawConfig & { project: string } {
    const project = readProjectFile(dir);
    const file = options.file ?? stackFilePath(dir, stack);
    const doc = readStackFile(file);
    // Overrides come as the engine hands config to a program, lists as JSON text; `pulumi config set --path` would
    // have stored them structured, so that is how the CLI's checks see them.
    const overrides = Object.fromEntries(Object.entries(options.overrides ?? {}).map(([key, value]) => [key, structuredIfJson(value)]));
    const entries = { ...(doc.config ?? {}), ...overrides };

    const stackValues: Record<string, StackValue> = {};
    for (const [rawKey, value] of Object.entries(entries)) {
        if (value === undefined) continue;
        // A bare key belongs to the project, as `pulumi config set` would write it.
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        // The CLI keeps a scalar as its text ("3", "true") and a list or map as a structured value.
        stackValues[key] = isSecure(value)
            ? { value: "[secret]", secure: true }
            : { value: typeof value === "object" && value !== null ? value : String(value), secure: false };
    }
    const merged = applyProjectConfig(project.name, project.config, stack, stackValues);
    const values: Record<string, string> = {};
    for (const [key, { value }] of Object.entries(merged)) values[key] = typeof value === "string" ? value : JSON.stringify(value);
    const secretKeys = Object.keys(merged).filter((key) => merged[key].secure);
    return { project: project.name, values, secretKeys };
}

/** The stack file's content, refused with a message naming file, line and column where it is not a stack file. */
function readStackFile(file: string): { config?: Record<string, unknown> } {
    const name = file.startsWith(process.cwd()) ? relative(process.cwd(), file) : file;
    if (!existsSync(file)) throw new StackFileError("usage", file, [`no stack file ${name}: create it (pulumi stack init), or name a stack or --config file that exists`]);
    const text = readFileSync(file, "utf8");
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) {
        // The first error is the one to fix; the parser's later ones follow from it.
        const [first] = parsed.errors;
        const [line, col] = [first.linePos?.[0].line ?? "?", first.linePos?.[0].col ?? "?"];
        throw new StackFileError("config", file, [`${name}:${line}:${col}: not valid YAML: ${first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`]);
    }
    const doc: unknown = parsed.toJS();
    if (doc === null || doc === undefined) throw new StackFileError("config", file, [`${name} is empty: a stack file sets at least config: rag-platform:environment`]);
    if (typeof doc !== "object" || Array.isArray(doc)) throw new StackFileError("config", file, [`${name} is not a map of settings: a stack file holds config: and its keys`]);
    const outside = Object.keys(doc).filter((key) => !STACK_FILE_KEYS.includes(key));
    const problems = outside.map((key) => `${name}: '${key}' is outside config: (the Pulumi CLI ignores it); indent it under config:, or use one of the top-level keys ${STACK_FILE_KEYS.join(", ")}`);
    const config = (doc as { config?: unknown }).config;
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) problems.push(`${name}: config: is not a map of keys to values`);
    if (problems.length > 0) throw new StackFileError("config", file, problems);
    return doc as { config?: Record<string, unknown> };
}

function structuredIfJson(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
