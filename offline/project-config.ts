/**
 * The Pulumi CLI's project-config rules, applied offline before the program runs, so `npm run plan` refuses
 * what `pulumi preview` refuses. The rules (not code) are those of the CLI's `sdk/go/common/workspace`, read at
 * pulumi/pulumi 2808395 (2026-07-24): Pulumi.yaml's shape as its project schema (project.json) constrains it, and
 * Project.Validate; then, per stack, a key of the project's namespace declared without `default` or `value` is
 * required (mergeConfig), and the value of a declared key with a `type` must be of that type
 * (validateStackConfigValue). Messages use the CLI's wording.
 */
import { z } from "zod";

/** Config types the project schema allows (`object` since CLI v3.187.0). */
const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
const itemsType: z.ZodType<{ type: string; items?: unknown }> = z.lazy(() =>
    z.object({ type: z.enum(CONFIG_TYPES), items: itemsType.optional() }).refine((t) => t.type !== "array" || t.items !== undefined, { message: "an array needs 'items'" }),
);
/** The long form of a `config:` entry; the schema admits no other attribute. */
const configDeclaration = z.strictObject({
    type: z.enum(CONFIG_TYPES).optional(),
    items: itemsType.optional(),
    description: z.string().optional(),
    secret: z.boolean().optional(),
    default: z.unknown().optional(),
    value: z.unknown().optional(),
});
/** The parts of a project file the CLI's schema constrains that this project uses; other top-level keys are free. */
const projectSchema = z.looseObject({
    name: z.string().min(1),
    runtime: z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() })]).optional(),
    main: z.string().optional(),
    config: z.record(z.string(), z.union([z.string(), z.number().int(), z.boolean(), z.array(z.unknown()), configDeclaration])).optional(),
});

/** One `config:` entry of Pulumi.yaml, in its long form. */
export interface ProjectConfigType {
    type?: string;
    items?: ProjectConfigItems;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}
interface ProjectConfigItems {
    type: string;
    items?: ProjectConfigItems;
}

/** A stack file's value as the CLI holds it: scalars as text, lists and maps as structured values. */
export interface StackValue {
    value: unknown;
    secure: boolean;
}

/** The CLI would stop before starting the program; `messages` are what it would print. */
export class ProjectConfigError extends Error {
    constructor(readonly messages: string[]) {
        super(messages.join("\n"));
        this.name = "ProjectConfigError";
    }
}

/** Problems the CLI reports when it loads Pulumi.yaml, before any stack is looked at. */
export function projectFileProblems(doc: unknown): string[] {
    if (typeof doc !== "object" || doc === null) return ["expected project to be an object"];
    const project = doc as { name?: unknown; config?: Record<string, unknown> };
    if (typeof project.name !== "string" || project.name === "") return ["project is missing a non-empty string 'name' attribute"];
    const shape = projectSchema.safeParse(doc);
    if (!shape.success) return shape.error.issues.map((issue) => `${issue.path.join(".") || "/"}: ${issue.message}`);
    const problems: string[] = [];
    for (const [key, raw] of Object.entries(project.config ?? {})) {
        const decl = longForm(project.name, key, raw);
        if (decl.default !== undefined && decl.value !== undefined) {
            problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        }
        if (!key.includes(":") || key.startsWith(`${project.name}:`)) {
            if (decl.type === "array" && !decl.items) {
                problems.push(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
            }
            if (decl.type !== undefined && decl.default !== undefined && !matchesType(decl.type, decl.items, decl.default)) {
                problems.push(`The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(decl.type, decl.items)}'`);
            }
        } else if (decl.type !== undefined) {
            problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        } else if (decl.default !== undefined) {
            problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`);
        } else if (decl.value === undefined) {
            problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
    }
    return problems;
}

/**
 * The stack's config after the CLI merged the project's: `stackValues` (namespaced keys) plus each declared
 * default or value the stack does not set. Throws {@link ProjectConfigError} where the CLI would stop.
 */
export function applyProjectConfig(
    projectName: string,
    projectConfig: Record<string, unknown>,
    stack: string,
    stackValues: Record<string, StackValue>,
): Record<string, StackValue> {
    const merged = { ...stackValues };
    const missing: string[] = [];
    const keys = Object.keys(projectConfig).sort();
    for (const key of keys) {
        const decl = longForm(projectName, key, projectConfig[key]);
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        if (merged[full] !== undefined) continue;
        const fallback = decl.default ?? decl.value;
        if (fallback === undefined) {
            if (full.startsWith(`${projectName}:`)) missing.push(key);
            continue;
        }
        merged[full] = { value: isPrimitive(fallback) ? String(fallback) : fallback, secure: false };
    }
    if (missing.length > 0) {
        throw new ProjectConfigError([`Stack '${stack}' is missing configuration ${missing.length === 1 ? "value" : "values"} ${formatMissingKeys(missing)}`]);
    }
    // The CLI stops at the first value of the wrong type, in key order.
    for (const key of keys) {
        const decl = longForm(projectName, key, projectConfig[key]);
        if (decl.type === undefined) continue;
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        const stackValue = merged[full];
        if (stackValue === undefined) continue;
        if (decl.secret && !stackValue.secure) {
            throw new ProjectConfigError([`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`]);
        }
        // A secure value's type can only be judged once decrypted, which needs the stack's secrets provider.
        if (stackValue.secure) continue;
        if (!matchesType(decl.type, decl.items, stackValue.value)) {
            throw new ProjectConfigError([`Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, decl.items)}'`]);
        }
    }
    return merged;
}

/** The CLI's value check: scalars arrive as text, so "3" is an integer and "true" a boolean. */
function matchesType(type: string, items: ProjectConfigItems | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => matchesType(items.type, items.items, item));
    }
}

function fullTypeName(type: string, items: ProjectConfigItems | undefined): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

function formatMissingKeys(keys: string[]): string {
    if (keys.length === 1) return `'${keys[0]}'`;
    const sorted = [...keys].sort();
    return sorted.map((k, i) => (i === sorted.length - 1 ? `and '${k}'` : i === sorted.length - 2 ? `'${k}' ` : `'${k}', `)).join("");
}

/** A short-form entry (`key: value`) is a default for the project's own keys and a value for any other. */
function longForm(projectName: string, key: string, raw: unknown): ProjectConfigType {
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return raw as ProjectConfigType;
    return !key.includes(":") || key.startsWith(`${projectName}:`) ? { default: raw } : { value: raw };
}

const isPrimitive = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
