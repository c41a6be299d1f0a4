import { evaluateStack, type PlanRecord } from "../offline/evaluate";
import { ofType, STACK_TYPE } from "../offline/inspect";
import type { RecordedResource } from "../offline/mocks";

/** Runs `build` as the whole program under the offline runtime and returns what it registered. */
export function registerUnderMocks(build: () => unknown, region = "eu-west-1"): Promise<PlanRecord> {
    return evaluateStack({ stack: "dev", overrides: { "aws:region": region }, program: async () => build() });
}

export function only(record: PlanRecord, type: string): RecordedResource {
    const found = ofType(record, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
}

export function named(record: PlanRecord, type: string, name: string): RecordedResource {
    const found = record.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have ${ofType(record, type).map((r) => r.name).join(", ")}`);
    return found;
}

/**
 * Runs `construct` as the whole program and reports the error it threw and what got registered: a component that
 * rejects its args must do so before registering anything.
 */
export async function rejectionOf(construct: () => unknown): Promise<{ message: string; registered: RecordedResource[] }> {
    let message = "";
    const record = await registerUnderMocks(() => {
        try {
            construct();
        } catch (error) {
            message = (error as Error).message;
        }
    });
    return { message, registered: record.resources.filter((r) => r.type !== STACK_TYPE) };
}

/**
 * A copy of a plan's resources with one resource changed (its inputs, or the whole copy): a real plan with one
 * edit, as a broken stack would register it. Fails when the plan has no such resource.
 */
export function withChanged(record: PlanRecord, type: string, name: string, change: (inputs: Record<string, any>, resource: RecordedResource) => void): RecordedResource[] {
    let found = false;
    const resources = record.resources.map((r) => {
        if (r.type !== type || r.name !== name) return r;
        found = true;
        const copy = structuredClone(r);
        change(copy.inputs, copy);
        return copy;
    });
    if (!found) throw new Error(`${type} "${name}" is not in the plan of ${record.stack}`);
    return resources;
}

/** The same for one Helm release's values. */
export const withValues = (record: PlanRecord, name: string, change: (values: Record<string, any>) => void) =>
    withChanged(record, "kubernetes:helm.sh/v3:Release", name, (inputs) => change(inputs.values));
