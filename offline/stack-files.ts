/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does before it starts the program: stack
 * values as strings (structured ones as JSON), project-level defaults from Pulumi.yaml's schema where the stack
 * sets nothing, and `secure:` values reported as secret keys.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RawConfig } from "../stacks/config";

export interface ProjectFile {
    name: string;
    config: Record<string, { type?: string; description?: string; default?: unknown }>;
}

export function readProjectFile(dir: string): ProjectFile {
    const doc = parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as Partial<ProjectFile> | null;
    if (!doc?.name) throw new Error(`${join(dir, "Pulumi.yaml")} has no project name`);
    return { name: doc.name, config: doc.config ?? {} };
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
    const entries = { ...(doc.config ?? {}), ...(options.overrides ?? {}) };

    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(entries)) {
        if (value === undefined) continue;
        // A bare key belongs to the project, as `pulumi config set` would write it.
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        if (isSecure(value)) {
            secretKeys.push(key);
            values[key] = "[secret]";
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    for (const [name, schema] of Object.entries(project.config)) {
        const key = name.includes(":") ? name : `${project.name}:${name}`;
        if (values[key] === undefined && schema?.default !== undefined) {
            values[key] = typeof schema.default === "string" ? schema.default : JSON.stringify(schema.default);
        }
    }
    return { project: project.name, values, secretKeys };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
