/**
 * The config keys each provider namespace takes, read from the installed provider SDKs, so a misspelled
 * `aws:regoin` is named (the providers ignore an unknown key, and the stack then runs with their defaults):
 * @pulumi/aws's config getters, and the ProviderArgs of @pulumi/kubernetes (the default provider's config keys).
 */
import { readFileSync } from "node:fs";

let keys: Record<string, readonly string[]> | undefined;

/** Namespace -> the keys its provider reads; `random` takes none. */
export function providerConfigKeys(): Record<string, readonly string[]> {
    keys ??= {
        aws: Object.keys(require("@pulumi/aws/config/vars") as object),
        kubernetes: kubernetesProviderArgs(),
        random: [],
    };
    return keys;
}

function kubernetesProviderArgs(): string[] {
    const declarations = readFileSync(require.resolve("@pulumi/kubernetes/provider.d.ts"), "utf8");
    const body = /export interface ProviderArgs \{([\s\S]*?)\n\}/.exec(declarations)?.[1] ?? "";
    return [...body.matchAll(/^\s{4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
}

