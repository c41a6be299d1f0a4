/**
 * Runs a documented operation as a drill: a sequence of steps from a starting deployment, each one the new plan of
 * the stack previewed against the state the step before left (offline/preview.ts), as `pulumi up` would run it.
 * A step whose preview the engine would stop (a protected delete, an unintended replacement of data) fails the
 * drill with the CLI's message, unless the step says it expects that; commands a runbook runs between updates
 * (`pulumi state unprotect`, `pulumi import`, `pulumi refresh` after a deletion by hand) change the state first.
 */
import { evaluateStack, PROJECT_DIR, qualifiedStackName, type PlanRecord } from "../offline/evaluate";
import { regionResolver } from "../offline/inspect";
import { deploymentOf, type ChangePreview, type Deployment, type DeployedResource, previewChanges, type ResourceChange } from "../offline/preview";
import { join } from "node:path";

export interface DrillStep {
    /** The runbook's words for the step, e.g. "disaster-recovery.md, failing over, step 4: promote". */
    step: string;
    /** Config the stack file holds from this step on (laid over the stack file, and kept for later steps). */
    config?: Record<string, unknown>;
    /** Commands the runbook runs on the state before the update. */
    state?: (deployment: Deployment) => Deployment;
    /** `pulumi up --replace` targets (names or URNs). */
    replace?: string[];
    /** The stack's program registers nothing (`pulumi destroy`). */
    destroy?: boolean;
    /** The step is meant to be refused by the engine: the drill goes on from the state before it. */
    refused?: boolean;
    /** What the docs say happens. */
    expect?: (preview: ChangePreview, plan: PlanRecord) => void;
    /**
     * The step's plan when the tests already hold it (the program and its resources as a shared plan has them; a
     * step's `intendedReplacements` still applies): the step is previewed without evaluating the stack again.
     */
    plan?: PlanRecord;
}

export interface Drill {
    stack: string;
    /** Stack file instead of Pulumi.<stack>.yaml (an example system). */
    file?: string;
    /** The state before the first step; default empty (a first deployment). */
    from?: { deployment: Deployment; plan?: PlanRecord };
    /** The outputs of the stacks it reads (a standby's primary), by qualified name. */
    stackOutputs?: () => Record<string, Record<string, unknown>>;
}

export class DrillFailure extends Error {}

/** The deployment a plan leaves once applied. */
export const applied = (plan: PlanRecord): Deployment => deploymentOf(JSON.parse(JSON.stringify(plan)));

/** Runs the steps in order; returns the last applied plan and deployment. */
export async function runDrill(drill: Drill, steps: DrillStep[]): Promise<{ plan?: PlanRecord; deployment: Deployment }> {
    let deployment = drill.from?.deployment ?? deploymentOf({ version: 3, deployment: { resources: [] } });
    let lastPlan = drill.from?.plan;
    let config: Record<string, unknown> = {};
    for (const step of steps) {
        const before = step.state ? step.state(deployment) : deployment;
        const stepConfig = { ...config, ...step.config };
        const plan = step.plan ?? await evaluateStack({
            stack: drill.stack,
            file: drill.file && join(PROJECT_DIR, drill.file),
            overrides: stepConfig,
            deployedOutputs: before.outputs,
            stackOutputs: drill.stackOutputs?.(),
            program: step.destroy ? async () => ({}) : undefined,
        });
        if (plan.configError) throw new DrillFailure(`${step.step}: the stack's config is refused:\n${plan.configError.message}`);
        const preview = previewChanges(before, plan, { intendedReplacements: intendedOf(stepConfig), replace: step.replace });
        if (step.refused) {
            if (preview.errors.length === 0) throw new DrillFailure(`${step.step}: expected the engine to stop, but the update applies`);
            step.expect?.(preview, plan);
            continue;
        }
        if (preview.errors.length > 0) {
            throw new DrillFailure(`${step.step}: \`pulumi up\` would stop:\n${preview.errors.map((e) => `  error: ${e.message}`).join("\n")}`);
        }
        step.expect?.(preview, plan);
        deployment = applied(plan);
        lastPlan = plan;
        config = stepConfig;
    }
    return { plan: lastPlan, deployment };
}

const intendedOf = (config: Record<string, unknown>) => {
    const value = config["rag-platform:intendedReplacements"];
    return Array.isArray(value) ? value.map(String) : typeof value === "string" ? (JSON.parse(value) as string[]) : [];
};

/** The steps of a preview that change something. */
export const changed = (preview: ChangePreview): ResourceChange[] => preview.changes.filter((c) => c.op !== "same");

/** `pulumi state unprotect <urn>` for each resource `match` selects. */
export function unprotect(match: (r: DeployedResource) => boolean): (d: Deployment) => Deployment {
    return (d) => ({ ...d, resources: d.resources.map((r) => (match(r) ? { ...r, protect: false } : r)) });
}

/** Resources gone from the account and dropped from the state by `pulumi refresh`. */
export function refreshedAway(match: (r: DeployedResource) => boolean): (d: Deployment) => Deployment {
    return (d) => ({ ...d, resources: d.resources.filter((r) => !match(r)) });
}

/** Regions a step touches: each changed AWS resource's own, and the regions its inputs reach into (replicas, copies). */
export function regionsTouched(preview: ChangePreview, plan: PlanRecord, before: Deployment): Set<string> {
    const regionOf = regionResolver(plan.resources);
    const regions = new Set<string>();
    for (const change of changed(preview)) {
        const resource = plan.resources.find((r) => r.urn === change.urn);
        if (!resource) {
            const old = before.resources.find((r) => r.urn === change.urn);
            if (old && old.type.startsWith("aws:")) regions.add(String(old.inputs.region ?? plan.region));
            continue;
        }
        if (!resource.type.startsWith("aws:")) continue;
        regions.add(regionOf(resource) || plan.region);
        for (const match of JSON.stringify(resource.inputs).matchAll(/"region":"([a-z]{2}-[a-z]+-\d)"|arn:aws:[a-z0-9-]+:([a-z]{2}-[a-z]+-\d):/g)) regions.add(match[1] ?? match[2]);
    }
    return regions;
}

/** The outputs a standby reads of its primary, keyed as its StackReference names it. */
export const primaryOutputs = (primary: PlanRecord) => ({ [qualifiedStackName(primary)]: primary.outputs });
