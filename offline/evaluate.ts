/**
 * Evaluates one stack of the program under the Pulumi SDK's mock runtime, with the stack's own config, and
 * returns what it registered. No cloud account, no Pulumi CLI. Each evaluation gets a fresh runtime store, so
 * several stacks can be evaluated in one process (tests, the benchmark).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import * as state from "@pulumi/pulumi/runtime/state";
import { ConfigError, PROJECT, type ConfigProblem } from "../stacks/config";
import { deployPlatform } from "../stacks/platform";
import { RecordingMonitor, type RecordedResource } from "./mocks";
import { ProjectConfigError } from "./project-config";
import { readStackConfig, StackFileError } from "./stack-files";

export const PROJECT_DIR = resolve(__dirname, "..");

export interface PlanRecord {
    project: string;
    stack: string;
    region: string;
    /** The stack's config as the program saw it (secure values masked), and which keys are secret. */
    config: Record<string, string>;
    secretKeys: string[];
    /** Every registration in order, the stack resource first. */
    resources: RecordedResource[];
    /** The stack's exported outputs, resolved (secret ones too: the record is for tests and local inspection). */
    outputs: Record<string, unknown>;
    /** Names of the outputs that are secrets, which the summary masks as the Pulumi CLI does. */
    secretOutputs: string[];
    /**
     * Set when the config was rejected: a stack file that is not one (`file`) or the Pulumi CLI's own
     * project-config rules (`cli`): the program never starts, nothing is registered; or the program's
     * validation (`program`): only the stack resource.
     */
    configError?: { source: "file" | "cli" | "program"; message: string; problems: ConfigProblem[] };
}

export interface EvaluateOptions {
    stack: string;
    /** Project directory holding Pulumi.yaml. Default: this repository. */
    dir?: string;
    /** Stack config file to read instead of Pulumi.<stack>.yaml (e.g. an example system). */
    file?: string;
    /** Namespaced config values laid over the stack file, e.g. `{ "rag-platform:natGateways": "single" }`. */
    overrides?: Record<string, unknown>;
    /** The program to run. Default: the platform (index.ts). */
    program?: () => Promise<unknown>;
    /** Outputs of the stack's last update, as a StackReference to itself reads them. Default: never deployed. */
    deployedOutputs?: Record<string, unknown>;
    /**
     * Outputs other stacks' StackReferences read, by fully qualified name. A standby's primary (its
     * `primaryStack`) that is not given here is planned first from its own stack file in `dir`, and its planned
     * outputs are what the standby reads.
     */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** The stack file the primary is planned from, instead of its own `Pulumi.<stack>.yaml` (an example pair). */
    primaryFile?: string;
    /** Called once the stack's config is read, before the program runs (the engine configures analyzers then). */
    onStackConfig?: (stack: { project: string; stack: string; config: Record<string, string>; secretKeys: string[] }) => void;
    /** Called with each registration as the engine would step it (where analyzers get Analyze). */
    onResource?: (resource: RecordedResource) => void;
}

const FALLBACK_REGION = "us-east-1";
/** The organization a self-managed backend reports (`pulumi login --local` / s3). */
const OFFLINE_ORGANIZATION = "organization";
/** A planned stack's fully qualified name, as another stack's StackReference names it offline. */
export const qualifiedStackName = (record: Pick<PlanRecord, "project" | "stack">) => `${OFFLINE_ORGANIZATION}/${record.project}/${record.stack}`;

export async function evaluateStack(options: EvaluateOptions): Promise<PlanRecord> {
    const dir = options.dir ?? PROJECT_DIR;
    let raw: ReturnType<typeof readStackConfig>;
    try {
        raw = readStackConfig(dir, options.stack, { file: options.file, overrides: options.overrides });
    } catch (error) {
        if (error instanceof ProjectConfigError) return cliRefusal(options.stack, error);
        if (error instanceof StackFileError && error.kind === "config") return fileRefusal(options.stack, error);
        throw error;
    }
    const region = raw.values["aws:region"] ?? FALLBACK_REGION;
    const program = options.program ?? deployPlatform;
    const stackOutputs = { ...options.stackOutputs };
    const primary = raw.values[`${raw.project}:primaryStack`];
    if (primary && !stackOutputs[primary] && (options.primaryFile || existsSync(resolve(dir, `Pulumi.${primary.split("/").pop()}.yaml`)))) {
        stackOutputs[primary] = (await evaluateStack({ stack: primary.split("/").pop()!, dir, file: options.primaryFile })).outputs;
    }

    // withLocalStorage is the SDK's own isolation for inline programs (internal API, version pinned).
    const withLocalStorage = (state as unknown as { withLocalStorage<T>(fn: () => Promise<T>): Promise<T> }).withLocalStorage;
    return withLocalStorage(async () => {
        options.onStackConfig?.({ project: raw.project, stack: options.stack, config: raw.values, secretKeys: raw.secretKeys });
        const monitor = new RecordingMonitor({ region, deployedOutputs: options.deployedOutputs, stackOutputs, onRecorded: options.onResource });
        // setMocks turns on the engine features the mock monitor supports; ours then replaces its monitor.
        await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, raw.project, options.stack, true, OFFLINE_ORGANIZATION);
        settings.setMockOptions(monitor, raw.project, options.stack, true, OFFLINE_ORGANIZATION);
        pulumi.runtime.setAllConfig(raw.values, raw.secretKeys);

        const record: PlanRecord = { project: raw.project, stack: options.stack, region, config: raw.values, secretKeys: raw.secretKeys, resources: monitor.recorded, outputs: {}, secretOutputs: [] };
        // The program's error is caught inside the stack callback: thrown through the Stack resource, the SDK
        // would also reject promises of its own that nobody awaits outside the Pulumi CLI.
        let failure: unknown;
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            try {
                const exported = await program();
                record.secretOutputs = await secretKeysOf(exported);
                return exported;
            } catch (error) {
                failure = error;
                return undefined;
            }
        });
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        if (monitor.gaps.length > 0) {
            throw new Error(`offline plan of stack "${options.stack}" is incomplete:\n${[...new Set(monitor.gaps)].map((g) => `  - ${g}`).join("\n")}`);
        }
        if (failure instanceof ConfigError) {
            record.configError = { source: "program", message: failure.message, problems: failure.problems };
        } else if (failure !== undefined) {
            throw failure;
        }
        record.outputs = (outputs ?? {}) as Record<string, unknown>;
        return record;
    });
}

/** A stack file that is not one: nothing runs, nothing is registered. */
function fileRefusal(stack: string, error: StackFileError): PlanRecord {
    const message = `stack "${stack}": the stack file cannot be read:\n${error.messages.map((m) => `  - ${m}`).join("\n")}`;
    const problems = error.messages.map((m) => ({ key: error.file, value: undefined, message: m, allowed: "a YAML map with config: and the keys under it" }));
    return { project: PROJECT, stack, region: "", config: {}, secretKeys: [], resources: [], outputs: {}, secretOutputs: [], configError: { source: "file", message, problems } };
}

/** What `pulumi preview` prints when it stops before starting the program (its exit code 255 maps to our 1). */
function cliRefusal(stack: string, error: ProjectConfigError): PlanRecord {
    const message = `the Pulumi CLI would stop before running the program:\n${error.messages.map((m) => `  error: ${m}`).join("\n")}`;
    const problems = error.messages.map((m) => ({ key: "Pulumi.yaml", value: undefined, message: m, allowed: "what the Pulumi CLI accepts (offline/project-config.ts)" }));
    return { project: PROJECT, stack, region: "", config: {}, secretKeys: [], resources: [], outputs: {}, secretOutputs: [], configError: { source: "cli", message, problems } };
}

/** Top-level exports whose value is a secret Output. */
async function secretKeysOf(exported: unknown): Promise<string[]> {
    if (typeof exported !== "object" || exported === null) return [];
    const flags = await Promise.all(
        Object.entries(exported).map(async ([key, value]) => [key, pulumi.Output.isInstance(value) && (await pulumi.isSecret(value))] as const),
    );
    return flags.filter(([, secret]) => secret).map(([key]) => key);
}
