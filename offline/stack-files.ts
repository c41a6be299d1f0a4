/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does before it starts the program: the
 * project file checked as the CLI checks it, stack values as strings (structured ones as JSON), project-level
 * defaults where the stack sets nothing, required and typed keys enforced (offline/project-config.ts), and
 * `secure:` values reported as secret keys.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RawConfig } from "../stacks/config";
import { applyProjectConfig, projectFileProblems, ProjectConfigError, type ProjectConfigType, type StackValue } from "./project-config";

export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigType | string | number | boolean | unknown[]>;
}

/** Pulumi.yaml as the CLI loads it; a file the CLI would refuse throws {@link ProjectConfigError}. */
export function readProjectFile(dir: string): ProjectFile {
    const doc = parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as Partial<ProjectFile> | null;
    const problems = projectFileProblems(doc);
    if (problems.length > 0) throw new ProjectConfigError(problems.map((p) => `${join(dir, "Pulumi.yaml")}: ${p}`));
    return { name: doc!.name!, config: doc!.config ?? {} };
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
    if (!existsSync(file)) throw new Error(`no stack file ${file}: create it, or pass a stack that has one`);
    const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
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
