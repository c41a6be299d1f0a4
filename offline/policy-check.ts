/**
 * The offline policy check: every pack under policy-packs/ started as the CLI starts it, configured with the
 * stack's policy config file, sent every recorded resource (Analyze) and then the whole stack (AnalyzeStack).
 */
import { join, relative } from "node:path";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest, PolicyPackProcess, type AnalyzedResource, type Diagnostic, type EnforcementLevel, type PackInfo, type Severity, type StackDescription } from "./analyzer-client";
import { buildPacks } from "../policy-packs/build";
import { POLICY_PACKS } from "../policy-packs/catalog";
import type { PlanRecord } from "./evaluate";
import type { RecordedResource } from "./mocks";
import { policyConfigPath, readPolicyConfigFile, reconcilePolicyConfig } from "./policy-config";

export const POLICY_PACKS_DIR = join(__dirname, "..", "policy-packs");
/** The config key naming a stack's environment, whose policy config a stack without its own uses. */
const ENVIRONMENT_KEY = "rag-platform:environment";
/** The packs, by directory under policy-packs/. */
export const PACK_DIRS: readonly string[] = POLICY_PACKS.map((p) => p.dir);

export interface Violation {
    pack: string;
    policy: string;
    level: EnforcementLevel;
    severity: Severity;
    message: string;
    remediationSteps: string;
    urn: string;
    /** Type and name of the resource, from its URN; empty for a stack-wide violation. */
    resourceType: string;
    resourceName: string;
}

export interface PackRun {
    dir: string;
    name: string;
    version: string;
    /** The policy config file applied, relative to the repository; undefined when the stack has none. */
    configFile?: string;
    /** Each policy's enforcement level after the config file. */
    levels: Record<string, EnforcementLevel>;
}

export interface PolicyReport {
    packs: PackRun[];
    violations: Violation[];
    /** Process start to last answer, all packs in parallel. */
    elapsedMs: number;
}

/** The Analyze and AnalyzeStack requests of one plan, encoded once and sent to every pack. */
export interface EncodedPlan {
    analyze: { urn: string; request: Uint8Array }[];
    analyzeStack: Uint8Array;
}

export function encodePlan(inputs: AnalyzedResource[], outputs: AnalyzedResource[] = inputs): EncodedPlan {
    return { analyze: inputs.map((r) => ({ urn: r.urn, request: encodeAnalyzeRequest(r) })), analyzeStack: encodeAnalyzeStackRequest(outputs) };
}

/** A started, configured pack: what tests keep open across many fixtures. */
export class ConfiguredPack {
    private constructor(
        readonly process: PolicyPackProcess,
        readonly info: PackInfo,
        readonly run: PackRun,
    ) {}

    /**
     * Starts the pack in `dir` and configures it. `config` is the policy config (the file's JSON) to apply;
     * by default the stack's file under policy-packs/config/<stack>/, if it has one.
     */
    static async start(dir: string, stack: StackDescription, config?: { file: string; raw: Record<string, unknown> | undefined }): Promise<ConfiguredPack> {
        const process = await startPack(dir);
        try {
            return await ConfiguredPack.configure(process, stack, config);
        } catch (error) {
            await process.stop();
            throw error;
        }
    }

    /** Configures a started pack for a stack, as the CLI does before the first Analyze (again for each stack). */
    static async configure(process: PolicyPackProcess, stack: StackDescription, config?: { file: string; raw: Record<string, unknown> | undefined }): Promise<ConfiguredPack> {
        const dir = process.dir;
        const info = await process.info();
        const file = config?.file ?? policyConfigPath(POLICY_PACKS_DIR, stack.stack, relative(POLICY_PACKS_DIR, dir), stack.config[ENVIRONMENT_KEY]);
        const raw = config ? config.raw : readPolicyConfigFile(file);
        const entries = reconcilePolicyConfig(info, file, raw);
        await process.configure(entries);
        await process.configureStack(stack);
        const levels = Object.fromEntries(Object.entries(entries).map(([policy, entry]) => [policy, entry.enforcementLevel]));
        const configFile = raw === undefined ? undefined : relative(join(POLICY_PACKS_DIR, ".."), file);
        return new ConfiguredPack(process, info, { dir: relative(POLICY_PACKS_DIR, dir), name: info.name, version: info.version, configFile, levels });
    }

    /** Analyze for each resource (in registration order, as the engine steps), then AnalyzeStack once. */
    async check(inputs: AnalyzedResource[], outputs: AnalyzedResource[] = inputs): Promise<Violation[]> {
        return this.checkEncoded(encodePlan(inputs, outputs));
    }

    async checkEncoded(plan: EncodedPlan): Promise<Violation[]> {
        const perResource = await Promise.all(plan.analyze.map((r) => this.process.analyzeEncoded(r.request, r.urn)));
        const stackWide = await this.process.analyzeStackEncoded(plan.analyzeStack);
        return [...perResource.flat(), ...stackWide].map((d) => this.violation(d));
    }

    stop(): Promise<void> {
        return this.process.stop();
    }

    private violation(d: Diagnostic): Violation {
        // urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>
        const [, , qualifiedType = "", ...name] = d.urn.split("::");
        const remediationSteps = this.info.policies.find((p) => p.name === d.policy)?.remediationSteps ?? "";
        return {
            pack: d.pack,
            policy: d.policy,
            level: d.level,
            severity: d.severity,
            // @pulumi/policy prefixes each message with the policy's description; keep only what went wrong.
            message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
            remediationSteps,
            urn: d.urn,
            resourceType: qualifiedType.split("$").pop() ?? "",
            resourceName: name.join("::"),
        };
    }
}

/** How the engine would present one recorded registration: inputs before the step, outputs after it. */
export function analyzedResources(resources: RecordedResource[]): { inputs: AnalyzedResource[]; outputs: AnalyzedResource[] } {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const build = (r: RecordedResource, properties: Record<string, unknown>): AnalyzedResource => {
        const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties,
            parent: r.parent,
            protect: r.protect,
            ignoreChanges: r.ignoreChanges,
            deleteBeforeReplace: r.deleteBeforeReplace,
            additionalSecretOutputs: r.additionalSecretOutputs,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            provider: provider && { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs },
        };
    };
    return {
        inputs: resources.map((r) => build(r, r.inputs)),
        outputs: resources.map((r) => build(r, { ...r.inputs, ...r.state })),
    };
}

export function stackDescription(record: Pick<PlanRecord, "project" | "stack" | "config" | "secretKeys">): StackDescription {
    return { project: record.project, stack: record.stack, organization: "offline", config: record.config, secretKeys: record.secretKeys };
}

/** Starts a pack's process from its built entry, as under the Pulumi CLI: never from one older than the sources. */
function startPack(dir: string): Promise<PolicyPackProcess> {
    buildPacks();
    return PolicyPackProcess.start(dir);
}

/**
 * How the packs run: `cli`, each in its own process exactly as the Pulumi CLI starts it; `shared`, all in one
 * host process, each still on its own Analyzer server (the same protocol, a third of the start-up).
 */
export type PackProcesses = "cli" | "shared";

/**
 * The packs of a policy check, started as soon as this is created (offline they start while the program is
 * evaluated, as the CLI starts analyzers before the program's first resource), then configured for each stack
 * they check: one set of processes serves every stack a command checks.
 */
export class PolicyPacks {
    private readonly started: Promise<PolicyPackProcess>[];
    private readonly since = process.hrtime.bigint();

    constructor(
        readonly packDirs: readonly string[] = PACK_DIRS,
        readonly processes: PackProcesses = "shared",
    ) {
        const dirs = packDirs.map((dir) => join(POLICY_PACKS_DIR, dir));
        if (processes === "cli") {
            this.started = dirs.map(startPack);
        } else {
            buildPacks();
            const hosted = PolicyPackProcess.startHosted(dirs);
            this.started = dirs.map((_, i) => hosted.then((packs) => packs[i]));
        }
        // A pack that fails to start is reported by check(); until then nothing waits on it.
        for (const started of this.started) started.catch(() => undefined);
    }

    /** Every pack over one plan, in parallel, with the stack's policy config; requests encoded once for all. */
    async check(record: PlanRecord): Promise<PolicyReport> {
        const { inputs, outputs } = analyzedResources(record.resources);
        const stack = stackDescription(record);
        const plan = encodePlan(inputs, outputs);
        const runs = await Promise.all(
            this.started.map(async (started) => {
                const pack = await ConfiguredPack.configure(await started, stack);
                return { run: pack.run, violations: await pack.checkEncoded(plan) };
            }),
        );
        return {
            packs: runs.map((r) => r.run),
            violations: runs.flatMap((r) => r.violations),
            elapsedMs: Number(process.hrtime.bigint() - this.since) / 1e6,
        };
    }

    async stop(): Promise<void> {
        const packs = await Promise.all(this.started.map((started) => started.catch(() => undefined)));
        await Promise.all(packs.map((pack) => pack?.stop()));
        if (this.processes === "shared") await packs.find(Boolean)?.stopProcess();
    }
}

/** Runs every pack over a plan, packs in parallel, started for this plan alone (as for one `pulumi preview`). */
export async function checkPolicies(record: PlanRecord, packDirs: readonly string[] = PACK_DIRS, processes: PackProcesses = "shared"): Promise<PolicyReport> {
    const packs = new PolicyPacks(packDirs, processes);
    try {
        return await packs.check(record);
    } finally {
        await packs.stop();
    }
}

export function mandatoryViolations(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.level === "mandatory");
}
