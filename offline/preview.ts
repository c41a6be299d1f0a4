/**
 * The preview of a change, offline: what `pulumi preview --diff` would show for the new plan of a stack, given its
 * last deployment (the `--json` record of the plan that was applied, or `pulumi stack export`).
 *
 * The engine's rules as the Pulumi CLI applies them (pulumi/pulumi's step generator): a resource is matched to
 * its last state by URN or by one of its aliases; it is created, updated (the inputs that differ, less its
 * `ignoreChanges`), replaced (an input its provider cannot change in place, or one in its `replaceOnChanges`)
 * or deleted (in the old state and no longer registered). A protected resource is neither deleted nor replaced:
 * the CLI stops with its message. The replace-on-change inputs of each type are facts of its provider
 * (offline/change-rules.ts). A replacement spreads: the new resource's outputs are unknown until it exists, so a
 * resource whose input came from it sees that input change, and is replaced where the input is one its provider
 * cannot change in place.
 *
 * On top of the engine, the platform's own rule: replacing a resource that holds data is an error unless the
 * stack says it is intended (`intendedReplacements`), since the replacement starts empty.
 */
import { readFileSync } from "node:fs";
import { computedInputs, holdsData, physicalNameInputs, replaceOnChangePaths } from "./change-rules";
import type { PlanRecord } from "./evaluate";
import type { RecordedResource } from "./mocks";
import { isSecretEnvelope } from "./sdk-values";

/** One resource as the last deployment left it: a plan record's registration, or a state export's resource. */
export interface DeployedResource {
    urn: string;
    type: string;
    custom: boolean;
    parent?: string;
    inputs: Record<string, unknown>;
    /** What the provider last read back (a plan record's mock state, a state export's outputs), when known. */
    outputs?: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    dependencies: string[];
}

export interface Deployment {
    /** Where it was read from: a plan record (`--json`) or a `pulumi stack export` file. */
    kind: "plan" | "state";
    stack?: string;
    resources: DeployedResource[];
    /** The stack's outputs as its last update left them (what a StackReference to itself reads). */
    outputs: Record<string, unknown>;
}

export type Operation = "create" | "update" | "replace" | "delete" | "same";

export interface ResourceChange {
    op: Operation;
    urn: string;
    type: string;
    name: string;
    /** Input paths that differ (updates and replacements), as the CLI's `[diff: ...]` names them. */
    diffs: string[];
    /** The inputs that force the replacement. */
    replaceReasons: string[];
    /** Deleted before its replacement is created (`deleteBeforeReplace`). */
    deleteBeforeReplace?: boolean;
    /** Deleted from the stack but left in the account (`retainOnDelete`). */
    retained?: boolean;
    /** The old URN, when the resource was found through an alias. */
    aliasOf?: string;
}

export interface PreviewError {
    urn: string;
    message: string;
}

export interface ChangePreview {
    stack: string;
    changes: ResourceChange[];
    /** What stops the preview: protected deletes and replacements, unintended replacements of data. */
    errors: PreviewError[];
    counts: Record<Operation, number>;
}

export class DeploymentFileError extends Error {}

/** Reads the last deployment: a plan record written by `--json`, or the output of `pulumi stack export`. */
export function readDeployment(file: string): Deployment {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new DeploymentFileError(`--from ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message} (give the --json record of the last deployed plan, or the output of \`pulumi stack export\`)`);
    }
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        throw new DeploymentFileError(`--from ${file}: not JSON (give the --json record of the last deployed plan, or the output of \`pulumi stack export\`)`);
    }
    return deploymentOf(data, file);
}

export function deploymentOf(data: unknown, file = "the deployment"): Deployment {
    const object = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    if (Array.isArray(object.resources) && typeof object.stack === "string") {
        const record = object as unknown as PlanRecord;
        if (record.configError) throw new DeploymentFileError(`--from ${file}: that plan was refused (${record.configError.source} config error), so it was never deployed`);
        return { kind: "plan", stack: record.stack, resources: record.resources.map((r) => ({ ...r, outputs: r.state })), outputs: record.outputs ?? {} };
    }
    const deployment = object.deployment as { resources?: StateResource[] } | undefined;
    if (deployment && (deployment.resources === undefined || Array.isArray(deployment.resources))) {
        const resources = (deployment.resources ?? []).filter((r) => !r.delete && !r.pendingReplacement);
        const stackResource = resources.find((r) => r.type === "pulumi:pulumi:Stack");
        return {
            kind: "state",
            stack: stackResource?.urn.split("::")[0].replace(/^urn:pulumi:/, ""),
            resources: resources.map((r) => ({
                urn: r.urn,
                type: r.type,
                custom: r.custom ?? false,
                parent: r.parent,
                inputs: r.inputs ?? {},
                outputs: r.outputs,
                protect: r.protect ?? false,
                retainOnDelete: r.retainOnDelete ?? false,
                dependencies: r.dependencies ?? [],
            })),
            outputs: (stackResource?.outputs as Record<string, unknown>) ?? {},
        };
    }
    throw new DeploymentFileError(`--from ${file}: neither a plan record (written by --json) nor a state export (\`pulumi stack export\`, with deployment.resources)`);
}

/** The fields of a resource in `pulumi stack export` (apitype.ResourceV3) the preview reads. */
interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    parent?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
    dependencies?: string[];
    delete?: boolean;
    pendingReplacement?: boolean;
}

/**
 * A URN without its parents' types: the mock monitor qualifies a child's type with its parent's type only, the
 * engine with the whole chain, so a plan record and a state export agree on the last type and the name.
 */
const identity = (urn: string) => {
    const [stack, project, qualifiedType, ...name] = urn.replace(/^urn:pulumi:/, "").split("::");
    return `${stack}::${project}::${qualifiedType.split("$").pop()}::${name.join("::")}`;
};
const nameOf = (urn: string) => urn.split("::").slice(3).join("::");


/** The stack's `intendedReplacements`, as its config holds it (validated by the program with every other key). */
export function intendedReplacements(plan: PlanRecord): string[] {
    const text = plan.config[`${plan.project}:intendedReplacements`];
    try {
        const value: unknown = text === undefined ? [] : JSON.parse(text);
        return Array.isArray(value) ? value.map(String) : [];
    } catch {
        return [];
    }
}

export interface PreviewOptions {
    /** Names or URNs of data-holding resources whose replacement the stack intends. */
    intendedReplacements?: readonly string[];
    /** Names or URNs replaced whatever changed, as `pulumi up --replace <urn>` does. */
    replace?: readonly string[];
}

export function previewChanges(deployment: Deployment, plan: PlanRecord, options: PreviewOptions = {}): ChangePreview {
    const old = new Map(deployment.resources.map((r) => [identity(r.urn), r]));
    const matched = new Set<string>();
    // URNs whose outputs are unknown during the preview: created or replaced resources.
    const unknown = new Set<string>();
    const changes: ResourceChange[] = [];
    const errors: PreviewError[] = [];
    const intended = new Set(options.intendedReplacements ?? []);
    const replace = new Set(options.replace ?? []);

    for (const resource of plan.resources) {
        const candidates = [resource.urn, ...resource.aliases];
        const previousKey = candidates.map(identity).find((key) => old.has(key) && !matched.has(key));
        const base = { urn: resource.urn, type: resource.type, name: resource.name, diffs: [] as string[], replaceReasons: [] as string[] };
        if (previousKey === undefined) {
            changes.push({ ...base, op: "create" });
            unknown.add(resource.urn);
            continue;
        }
        matched.add(previousKey);
        const previous = old.get(previousKey)!;
        const aliasOf = identity(resource.urn) === previousKey ? undefined : previous.urn;
        // A computed input the program leaves unset keeps the state's value; a region left unset is the provider's.
        const computed = computedInputs(resource.type);
        const effective = (inputs: Record<string, unknown>) => (resource.type.startsWith("aws:") && inputs.region === undefined ? { ...inputs, region: plan.region } : inputs);
        const after = effective(resource.inputs);
        // A bridged provider diffs the program's inputs against the state it read back: an input the last
        // deployment left unset but AWS filled in (a replica's storageEncrypted) compares with that value.
        const readBack = (key: string) => resource.type.startsWith("aws:") && previous.inputs[key] === undefined && previous.outputs !== undefined && key in previous.outputs;
        const before = effective(Object.fromEntries(Object.keys({ ...previous.inputs, ...resource.inputs }).map((key) => [key, readBack(key) ? previous.outputs![key] : previous.inputs[key]])));
        const diffs = changedPaths(before, after)
            .filter((path) => !ignored(path, resource.ignoreChanges))
            .filter((path) => !(computed.includes(topKey(path)) && after[topKey(path)] === undefined));
        // Set now, unset before, and what AWS holds unknown (a plan record's mock state holds no reads): changed
        // only if the deployed value differs, which only the state (\`pulumi stack export\`) can tell.
        const unsure = diffs.map(topKey).filter((key) => before[key] === undefined && (deployment.kind === "plan" || computed.includes(key)));
        // Inputs that came from a resource being created or replaced are unknown, hence changed.
        const viaUnknown = Object.entries(resource.propertyDependencies)
            .filter(([key, urns]) => urns.some((urn) => unknown.has(urn)) && !ignored(key, resource.ignoreChanges))
            .map(([key]) => key);
        for (const key of viaUnknown) if (!diffs.some((path) => topKey(path) === key)) diffs.push(key);
        const targeted = resource.custom && (replace.has(resource.name) || replace.has(resource.urn));
        if (diffs.length === 0 && !targeted) {
            changes.push({ ...base, op: "same", aliasOf });
            continue;
        }
        const forcing = [...replaceOnChangePaths(resource.type), ...resource.replaceOnChanges];
        const replaceReasons = resource.custom ? forcing.filter((path) => diffs.some((d) => overlaps(d, path)) && forces(path, before, after, viaUnknown)) : [];
        if (targeted) replaceReasons.push("--replace");
        if (replaceReasons.length === 0) {
            changes.push({ ...base, op: "update", diffs, aliasOf });
            const refusal = backupsOffUnderReplicas(resource, previous, before, after, deployment);
            if (refusal) errors.push({ urn: resource.urn, message: `stack "${plan.stack}": ${refusal}` });
            continue;
        }
        // The Kubernetes provider deletes first by itself when the object's name is set and stays the same.
        const namedObject = resource.type.startsWith("kubernetes:") && (resource.inputs.metadata as { name?: unknown } | undefined)?.name !== undefined && !replaceReasons.includes("metadata.name");
        const deleteBeforeReplace = resource.deleteBeforeReplace || namedObject;
        changes.push({ ...base, op: "replace", diffs, replaceReasons, deleteBeforeReplace: deleteBeforeReplace || undefined, aliasOf });
        unknown.add(resource.urn);
        // The engine refuses only while both the state and the program protect it: unprotecting and replacing in
        // one update is allowed.
        const unsureReasons = replaceReasons.filter((reason) => unsure.includes(topKey(reason)));
        const hint = unsureReasons.length === 0 ? "" : `\n  (${unsureReasons.join(", ")} was unset and is now set; ${deployment.kind === "plan" ? "the plan record does not hold the value AWS filled in" : "the state holds no value for it"}: if the deployed value is the same, nothing is replaced. Preview against \`pulumi stack export\` to know.)`;
        if (previous.protect && resource.protect) errors.push({ urn: resource.urn, message: protectedReplace(previous.urn) + hint });
        else if (holdsData(resource.type) && !intended.has(resource.name) && !intended.has(resource.urn)) {
            errors.push({ urn: resource.urn, message: unintendedReplacement(plan.stack, resource, replaceReasons) + hint });
        }
        const name = physicalNameInputs(resource.type).find((input) => resource.inputs[input] !== undefined && !diffs.some((d) => topKey(d) === input));
        if (name && !deleteBeforeReplace) {
            errors.push({ urn: resource.urn, message: `stack "${plan.stack}": the replacement of ${resource.type} "${resource.name}" would be created before the old one is deleted, under the same ${name} ${JSON.stringify(resource.inputs[name])}: AWS refuses a second resource of that name (or, where it overwrites, the old one's deletion removes the new). Set deleteBeforeReplace on it, or change its ${name} with it${hint}` });
        }
    }

    // Deletes come last, children before their parents, as the engine orders them.
    const deleted = deployment.resources.filter((r) => !matched.has(identity(r.urn))).reverse();
    for (const resource of deleted) {
        changes.push({ op: "delete", urn: resource.urn, type: resource.type, name: nameOf(resource.urn), diffs: [], replaceReasons: [], retained: resource.retainOnDelete || undefined });
        if (resource.protect) errors.push({ urn: resource.urn, message: protectedDelete(resource.urn) });
    }
    const counts = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
    for (const change of changes) counts[change.op]++;
    return { stack: plan.stack, changes, errors, counts };
}

/**
 * RDS refuses to turn a source of read replicas' backups off (ModifyDBInstance, BackupRetentionPeriod: "Can't be
 * set to 0 if the DB instance is a source to read replicas"), and the engine deletes what the program dropped only
 * after its updates: a replica of the last deployment still follows the instance when its update runs.
 */
function backupsOffUnderReplicas(resource: RecordedResource, previous: DeployedResource, before: Record<string, unknown>, after: Record<string, unknown>, deployment: Deployment): string | undefined {
    if (resource.type !== "aws:rds/instance:Instance" || after.backupRetentionPeriod !== 0 || before.backupRetentionPeriod === 0) return undefined;
    const source = [previous.inputs.identifier, previous.outputs?.identifier, previous.outputs?.arn].filter((n) => typeof n === "string");
    const replicas = deployment.resources.filter((r) => r.type === resource.type && source.includes(r.inputs.replicateSourceDb as string));
    if (replicas.length === 0) return undefined;
    const steps = replicas.map((r) => {
        const id = String(r.inputs.identifier ?? nameOf(r.urn));
        return `${r.protect ? `\`pulumi state unprotect '${r.urn}'\`, ` : ""}\`aws rds modify-db-instance --db-instance-identifier ${id} --no-deletion-protection --apply-immediately\`, \`aws rds delete-db-instance --db-instance-identifier ${id} --skip-final-snapshot\` (a replica takes no final snapshot), \`pulumi state delete '${r.urn}'\``;
    });
    const names = replicas.map((r) => nameOf(r.urn)).join(", ");
    return `${resource.type} "${resource.name}": backupRetentionPeriod goes to 0 while ${names} still replicate${replicas.length === 1 ? "s" : ""} it, and the engine deletes what the program dropped only after its updates: RDS refuses (ModifyDBInstance: can't be set to 0 for a source of read replicas). Delete the replica first: ${steps.join("; ")}; then \`pulumi up\``;
}

/** The CLI's refusal to delete a protected resource (pulumi/pulumi, pkg/resource/deploy/step.go, deleteProtectedError). */
export const protectedDelete = (urn: string) =>
    `Preview failed: resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``;

/** The CLI's refusal to replace a protected resource (pkg/resource/deploy/step_generator.go). */
export const protectedReplace = (urn: string) =>
    `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``;

function unintendedReplacement(stack: string, resource: RecordedResource, reasons: string[]): string {
    return `stack "${stack}": replacing ${resource.type} "${resource.name}" (forced by ${reasons.join(", ")}) would start it empty and lose what it holds; revert the change, or say it is intended: rag-platform:intendedReplacements: ["${resource.name}"]`;
}

const topKey = (path: string) => path.split(/[.[]/)[0];

/** Paths (`a.b[0].c`) at which two input values differ; an object or list that differs in shape is one path. */
export function changedPaths(before: unknown, after: unknown, path = ""): string[] {
    // A state export stores a secret as an envelope holding ciphertext: offline it cannot be compared.
    if (isSecretEnvelope(before)) return [];
    if (Array.isArray(before) && Array.isArray(after)) {
        if (before.length !== after.length) return [path];
        return before.flatMap((item, i) => changedPaths(item, after[i], `${path}[${i}]`));
    }
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        return [...keys].flatMap((key) => changedPaths(before[key], after[key], path ? `${path}.${key}` : key));
    }
    return sameValue(before, after) ? [] : [path];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
// An input left out and one set to nothing are the same to the engine.
const sameValue = (a: unknown, b: unknown) => (a ?? undefined) === (b ?? undefined) || JSON.stringify(a) === JSON.stringify(b);

/** Splits a property path into segments; `[0]`, `[*]` and `[]` become their own segments. */
const segments = (path: string) => path.split(/\.|(?=\[)/).filter(Boolean);
const segmentMatches = (pattern: string, actual: string) => pattern === actual || pattern === "*" || ((pattern === "[*]" || pattern === "[]") && /^\[\d+\]$/.test(actual));

/** ignoreChanges: a path is ignored when a pattern names it or one of its ancestors. */
function ignored(path: string, patterns: readonly string[]): boolean {
    const actual = segments(path);
    return patterns.some((pattern) => {
        const wanted = segments(pattern);
        return wanted.length <= actual.length && wanted.every((segment, i) => segmentMatches(segment, actual[i]));
    });
}

/** Whether a changed path and a replace-on-change path are the same, or one lies inside the other. */
function overlaps(changed: string, forcing: string): boolean {
    const [a, b] = [segments(changed), segments(forcing)];
    return a.slice(0, b.length).every((segment, i) => segmentMatches(b[i], segment) || segmentMatches(segment, b[i]));
}

/** Whether a replace-on-change path differs between the two inputs (or is fed by an unknown input). */
function forces(path: string, before: Record<string, unknown>, after: Record<string, unknown>, unknownKeys: string[]): boolean {
    if (path === "*") return true;
    if (unknownKeys.includes(topKey(path))) return true;
    return JSON.stringify(valuesAt(before, segments(path))) !== JSON.stringify(valuesAt(after, segments(path)));
}

function valuesAt(value: unknown, path: string[]): unknown[] {
    if (path.length === 0) return value === undefined || value === null ? [] : [value];
    const [head, ...rest] = path;
    if (head === "[]" || head === "[*]" || head === "*") {
        const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
        return items.flatMap((item) => valuesAt(item, rest));
    }
    if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
    if (!isPlainObject(value)) return [];
    return valuesAt(value[head], rest);
}

const SYMBOLS: Record<Operation, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/** The preview as the CLI prints it: one line per step, errors, and the resource summary. */
export function renderChangePreview(preview: ChangePreview, from: string): string {
    const steps = preview.changes.filter((c) => c.op !== "same");
    const width = Math.min(60, Math.max(4, ...steps.map((c) => c.type.length)));
    const lines = [`Previewing update (${preview.stack}):`, `  against the last deployment in ${from}`, ""];
    for (const change of steps) {
        const info = [
            change.diffs.length ? `[diff: ${change.diffs.map((d) => `~${d}`).join(", ")}]` : "",
            change.replaceReasons.length ? `[replace: ${change.replaceReasons.join(", ")}]` : "",
            change.deleteBeforeReplace ? "[delete before replace]" : "",
            change.retained ? "[retain]" : "",
            change.aliasOf ? `[alias of ${nameOf(change.aliasOf)}]` : "",
        ].filter(Boolean);
        const op = change.op === "delete" && change.retained ? "discard" : change.op;
        lines.push(` ${SYMBOLS[change.op].padEnd(3)}${change.type.padEnd(width)}  ${change.name}  ${op}${info.length ? `  ${info.join(" ")}` : ""}`);
    }
    if (steps.length === 0) lines.push("  no changes");
    if (preview.errors.length) {
        lines.push("", "Diagnostics:");
        for (const error of preview.errors) lines.push(`  error: ${error.message.replace(/\n/g, "\n    ")}`);
        lines.push("  error: preview failed");
    }
    lines.push("", "Resources:");
    const count = (op: Operation, text: string) => preview.counts[op] && lines.push(`    ${SYMBOLS[op]}${SYMBOLS[op].length === 1 ? " " : ""}${preview.counts[op]} to ${text}`);
    count("create", "create");
    count("update", "update");
    count("delete", "delete");
    count("replace", "replace");
    // As the CLI (pkg/backend/display/diff.go, renderSummaryEvent): the total only for two kinds of change or more.
    const kinds = (["create", "update", "delete", "replace"] as const).filter((op) => preview.counts[op] > 0).length;
    const changed = steps.length;
    const pieces = [kinds >= 2 ? `${changed} change${changed === 1 ? "" : "s"}` : "", preview.counts.same ? `${preview.counts.same} unchanged` : ""].filter(Boolean);
    if (pieces.length) lines.push(`    ${pieces.join(". ")}`);
    return lines.join("\n");
}
