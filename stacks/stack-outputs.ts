/** Another stack's outputs (or this stack's own, from its last update), read through a StackReference. */
import * as pulumi from "@pulumi/pulumi";

/** The named outputs the stack has; one it lacks (never deployed, an older contract) is left out. */
export async function readStackOutputs<K extends string>(stack: string, names: readonly K[]): Promise<Partial<Record<K, unknown>>> {
    const ref = new pulumi.StackReference(stack);
    const values = await Promise.all(names.map(async (name) => [name, (await ref.getOutputDetails(name)).value] as const));
    return Object.fromEntries(values.filter(([, value]) => value !== undefined)) as Partial<Record<K, unknown>>;
}
