/**
 * Writes Pulumi.yaml from stacks/config-keys.ts (types, descriptions) and stacks/profiles.ts (defaults), so the
 * schema the Pulumi CLI checks and the config the program validates cannot drift. `npm run schema` rewrites it;
 * tests/project-file.test.ts fails when the committed file is stale.
 *
 * The CLI requires of every stack a project key declared without a `default` (workspace/config.go, mergeConfig),
 * whatever its type. So a key is declared only where one default serves every environment, plus `environment`,
 * which every stack file must set. Keys whose default depends on the environment or is derived (cluster name,
 * AZs, subnets, services) are listed in a comment block with the same text: declaring them would make the CLI
 * refuse every stack that leaves them to its profile.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { z } from "zod";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, type ConfigKey } from "../stacks/config-keys";
import { ENVIRONMENTS } from "../model/environments";
import { PROJECT } from "../stacks/config";
import { PROFILES } from "../stacks/profiles";

/** Defaults that are computed, in words. */
const DERIVED_DEFAULTS: Record<string, string> = {
    clusterName: "rag-<stack>",
    availabilityZones: "the first azCount AZs the account has in the region",
    publicSubnetCidrs: "carved from vpcCidr (a /22 per AZ in a /16)",
    privateSubnetCidrs: "carved from vpcCidr (a /19 per AZ in a /16)",
    databaseSubnetCidrs: "carved from vpcCidr (a /24 per AZ in a /16)",
    services: "S0's api and frontend (model/services.ts DEFAULT_SERVICES), sized per environment",
    costAssumptions: "per environment, in model/cost-assumptions.ts (DEFAULT_COST_ASSUMPTIONS)",
    costPrices: "none: every figure from the catalog (model/prices.ts)",
};

/** The key every stack file must set: declared without a default on purpose, so the CLI itself requires it. */
export const REQUIRED_KEYS: readonly ConfigKey[] = ["environment"];

interface KeyEntry {
    key: ConfigKey;
    type?: string;
    items?: { type: string };
    default?: unknown;
    description: string;
}

/** Every key with its Pulumi.yaml declaration; `declared` says whether the CLI may see it. */
export function projectKeyEntries(): { entry: KeyEntry; declared: boolean }[] {
    return CONFIG_KEY_NAMES.map((key) => {
        const def = CONFIG_KEYS[key];
        const entry: KeyEntry = { key, description: def.description };
        if (def.type === "structured" && !(def.schema instanceof z.ZodArray)) {
            // Pulumi CLI 3.187+ knows `object`: a map set field by field with --path.
            entry.type = "object";
        } else if (def.type === "structured") {
            // A list of services is an array of objects.
            entry.type = "array";
            entry.items = { type: "object" };
        } else {
            entry.type = def.type;
            if (def.type === "array") entry.items = { type: def.items ?? "string" };
        }
        const perEnv = ENVIRONMENTS.map((env) => (PROFILES[env] as Record<string, unknown>)[key]);
        const same = perEnv.every((v) => JSON.stringify(v) === JSON.stringify(perEnv[0]));
        let declared = REQUIRED_KEYS.includes(key);
        if (key in DERIVED_DEFAULTS) {
            entry.description += ` Default: ${DERIVED_DEFAULTS[key]}.`;
        } else if (REQUIRED_KEYS.includes(key)) {
            entry.description += " Required: every stack file sets it.";
        } else if (same && perEnv[0] !== undefined) {
            entry.default = perEnv[0];
            declared = true;
        } else if (same) {
            entry.description += " Default: not set.";
        } else {
            entry.description += ` Default: ${ENVIRONMENTS.map((env, i) => `${env} ${JSON.stringify(perEnv[i])}`).join(", ")}.`;
        }
        entry.description += ` Allowed: ${def.allowed}.`;
        return { entry, declared };
    });
}

export function renderProjectFile(): string {
    const entries = projectKeyEntries();
    const config: Record<string, Record<string, unknown>> = {};
    for (const { entry, declared } of entries) {
        if (!declared) continue;
        // Key order as in the CLI's own docs: type first, description last.
        const { key, type, items, description } = entry;
        config[key] = { type, ...(items ? { items } : {}), ...("default" in entry ? { default: entry.default } : {}), description };
    }
    const project = {
        name: PROJECT,
        description: "Production RAG platform on AWS: network, EKS, data tier, observability and the RAG workload",
        runtime: { name: "nodejs", options: { typescript: true, packagemanager: "npm" } },
        main: "index.ts",
        config,
    };
    const undeclared = entries
        .filter(({ declared }) => !declared)
        .map(({ entry }) => {
            const type = entry.items ? `array<${entry.items.type}>` : entry.type;
            return `#   ${PROJECT}:${entry.key} (${type})\n${wrap(entry.description, "#       ")}`;
        });
    return (
        "# Generated by `npm run schema` from stacks/config-keys.ts and stacks/profiles.ts; edit those, not this.\n" +
        "# Pulumi.<stack>.yaml sets only what differs from its environment's profile.\n" +
        stringify(project, { lineWidth: 0 }) +
        "\n# Keys whose default depends on the environment or is derived. They are not declared above because the\n" +
        "# Pulumi CLI requires of every stack each declared key that has no default; the program validates them\n" +
        "# (stacks/config.ts) with the same types and rules. Set them with `pulumi config set [--path] <key> <value>`.\n" +
        undeclared.join("\n") +
        "\n"
    );
}

function wrap(text: string, indent: string, width = 116): string {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
        if (line && indent.length + line.length + 1 + word.length > width) {
            lines.push(indent + line);
            line = word;
        } else {
            line = line ? `${line} ${word}` : word;
        }
    }
    if (line) lines.push(indent + line);
    return lines.join("\n");
}

if (require.main === module) {
    writeFileSync(join(__dirname, "..", "Pulumi.yaml"), renderProjectFile());
    console.log("wrote Pulumi.yaml");
}
