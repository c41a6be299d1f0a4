/**
 * `node --import tsx scripts/policy-config-for.ts <stack> [--cli-args]`
 *
 * The policy packs and the stack's policy config file for each, by the offline plan's rule
 * (offline/policy-config.ts): the stack's own `policy-packs/config/<stack>/<pack>.json`, else the one of its
 * environment (`rag-platform:environment` in Pulumi.<stack>.yaml, read as the offline plan reads it). A stack
 * without either is refused (exit 1) with the files to add.
 *
 * By default it prints GitHub step outputs, `packs` and `configs`, one path a line in the same order (the Pulumi
 * CLI pairs the n-th --policy-pack-config with the n-th --policy-pack): the workflows append them to
 * $GITHUB_OUTPUT and hand them to pulumi/actions. With --cli-args, the flags for `pulumi preview`/`pulumi up`.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PACK_DIRS } from "../offline/policy-check";
import { ENVIRONMENT_KEY, PolicyConfigError, stackPolicyConfigFiles } from "../offline/policy-config";
import { ProjectConfigError } from "../offline/project-config";
import { readStackConfig, StackFileError, stackFilePath } from "../offline/stack-files";

export interface StackPolicyConfig {
    stack: string;
    environment?: string;
    /** Pack directories and their config files, paths from the project root, pair by pair. */
    packs: string[];
    configs: string[];
}

/** The packs and config files for a stack whose file is Pulumi.<stack>.yaml in `projectDir`. */
export function policyConfigFor(stack: string, projectDir = resolve(__dirname, "..")): StackPolicyConfig {
    if (!existsSync(stackFilePath(projectDir, stack))) throw new PolicyConfigError(`no stack "${stack}": there is no Pulumi.${stack}.yaml in ${projectDir}`);
    const environment = readStackConfig(projectDir, stack).values[ENVIRONMENT_KEY];
    const configs = stackPolicyConfigFiles(join(projectDir, "policy-packs"), stack, PACK_DIRS, environment);
    return { stack, environment, packs: PACK_DIRS.map((dir) => `policy-packs/${dir}`), configs };
}

/** `name<<DELIMITER` blocks, the form $GITHUB_OUTPUT takes a multi-line value in. */
export function githubOutputs(config: StackPolicyConfig): string {
    const delimiter = `EOF_${randomBytes(8).toString("hex")}`;
    const block = (name: string, lines: string[]) => `${name}<<${delimiter}\n${lines.join("\n")}\n${delimiter}\n`;
    return block("packs", config.packs) + block("configs", config.configs);
}

function main(argv: string[]): number {
    const stack = argv.find((a) => !a.startsWith("--"));
    if (!stack) {
        console.error("usage: node --import tsx scripts/policy-config-for.ts <stack> [--cli-args]");
        return 2;
    }
    let config: StackPolicyConfig;
    try {
        config = policyConfigFor(stack);
    } catch (error) {
        if (error instanceof PolicyConfigError) console.error(`${stack}: ${error.message}`);
        // The stack file refused as the CLI refuses it (no environment set, a broken file): in the CLI's words.
        else if (error instanceof ProjectConfigError) console.error(`Pulumi.${stack}.yaml: ${error.message}`);
        else if (error instanceof StackFileError) console.error(error.message);
        else throw error;
        return 1;
    }
    const borrowed = config.configs.some((file) => !file.startsWith(`policy-packs/config/${stack}/`));
    console.error(`${stack}: policy config ${borrowed ? `of its environment ${config.environment}` : "of its own"}: ${config.configs.join(", ")}`);
    if (argv.includes("--cli-args")) {
        console.log(config.packs.flatMap((pack, i) => ["--policy-pack", pack, "--policy-pack-config", config.configs[i]]).join(" "));
    } else {
        process.stdout.write(githubOutputs(config));
    }
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
