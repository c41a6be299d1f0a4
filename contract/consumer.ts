/**
 * Reading a platform stack from another team's Pulumi program, by the contract: typed Outputs, the deployed
 * contract version checked, a missing output named, secrets kept secret.
 *
 *   const platform = new PlatformStack("acme/rag-platform/prod");
 *   const kubeconfig = platform.get("kubeconfig");       // Output<string>, secret
 *   const subnets = platform.get("privateSubnetIds");     // Output<string[]>
 */
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, isCompatible, OUTPUTS, type OutputName, type PlatformContract } from "./outputs";

export class PlatformContractError extends Error {}

export class PlatformStack {
    private readonly ref: pulumi.StackReference;
    /** The deployed contract version, once checked against this program's. */
    readonly contractVersion: pulumi.Output<string>;

    /** `name`: the fully qualified platform stack, `<organization>/rag-platform/<stack>`. */
    constructor(
        readonly name: string,
        opts?: pulumi.CustomResourceOptions,
    ) {
        this.ref = new pulumi.StackReference(`platform-${name.split("/").pop()}`, { name }, opts);
        this.contractVersion = pulumi.output(this.ref.getOutputDetails("contractVersion")).apply((details) => checkContractVersion(name, details.value));
    }

    /** One output, typed by the contract; a secret output stays secret. */
    get<K extends OutputName>(key: K): pulumi.Output<PlatformContract[K]> {
        const spec = OUTPUTS[key];
        return pulumi.all([this.contractVersion, this.ref.getOutputDetails(key)]).apply(([deployed, details]) => {
            const secret = details.secretValue !== undefined;
            const value = requireOutput(this.name, deployed, key, secret ? details.secretValue : details.value);
            return (secret || spec.secret ? pulumi.secret(value) : pulumi.output(value)) as pulumi.Output<PlatformContract[K]>;
        });
    }
}

/** The deployed contract version, or an error saying why this program cannot use the stack. */
export function checkContractVersion(stack: string, deployed: unknown): string {
    if (typeof deployed !== "string") {
        throw new PlatformContractError(`platform stack ${stack} exports no contractVersion: it predates the output contract or is not a rag-platform stack; this program needs contract ${CONTRACT_VERSION}`);
    }
    if (!isCompatible(deployed)) {
        throw new PlatformContractError(`platform stack ${stack} serves contract ${deployed}; this program was built against ${CONTRACT_VERSION} (same major and at least its minor required)`);
    }
    return deployed;
}

/** An output's value, or an error naming the missing output. */
export function requireOutput(stack: string, deployedVersion: string, key: OutputName, value: unknown): unknown {
    if (value === undefined) throw new PlatformContractError(`platform stack ${stack} (contract ${deployedVersion}) has no output "${key}"; contract ${CONTRACT_VERSION} defines it`);
    return value;
}
