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
        const perResource = await Promise.all(plan.analyze.map((r) => this.analyzeEncoded(r.request, r.urn)));
        return [...perResource.flat(), ...(await this.analyzeStackEncoded(plan.analyzeStack))];
    }

    async analyzeEncoded(request: Uint8Array, urn: string): Promise<Violation[]> {
        return (await this.process.analyzeEncoded(request, urn)).map((d) => this.violation(d));
    }

    async analyzeStackEncoded(request: Uint8Array): Promise<Violation[]> {
        return (await this.process.analyzeStackEncoded(request)).map((d) => this.violation(d));
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
    return {
        inputs: resources.map((r) => analyzedResource(r, r.inputs, byUrn)),
        outputs: resources.map((r) => analyzedResource(r, { ...r.inputs, ...r.state }, byUrn)),
    };
}

/** One registration as an analyzer sees it, its provider looked up among the registrations so far. */
function analyzedResource(r: RecordedResource, properties: Record<string, unknown>, byUrn: Map<string, RecordedResource>): AnalyzedResource {
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
        const analysis = this.begin(stackDescription(record));
        for (const resource of record.resources) analysis.analyze(resource);
        return analysis.finish(record);
    }

    /**
     * Analysis as the engine does it during an update: the packs configured for the stack as soon as its config is
     * known, each resource analyzed as it is registered (while the rest of the program still runs), then the
     * whole stack. Gives the same report as {@link check} on the finished plan.
     */
    begin(stack: StackDescription): PlanAnalysis {
        const configured = Promise.all(this.started.map(async (started) => ConfiguredPack.configure(await started, stack)));
        configured.catch(() => undefined); // reported by finish()
        // In one host, a pack is sent only the resources one of its resource policies looks at (the verdicts are the
        // same: a resource policy ignores other types); started as the CLI starts it, a pack gets every resource.
        const wanted = this.processes === "shared" ? analyzedTypes(this.packDirs) : Promise.resolve(this.packDirs.map(() => undefined));
        const seen = new Map<string, RecordedResource>();
        const analyses: Promise<Violation[][]>[] = [];
        const since = this.since;
        return {
            analyze: (resource) => {
                seen.set(resource.urn, resource);
                const request = encodeAnalyzeRequest(analyzedResource(resource, resource.inputs, seen));
                const analysis = Promise.all([configured, wanted]).then(([packs, types]) =>
                    Promise.all(packs.map((pack, p) => (types[p] && !types[p].has(resource.type) ? [] : pack.analyzeEncoded(request, resource.urn)))),
                );
                analysis.catch(() => undefined); // reported by finish(), if it is still asked for
                analyses.push(analysis);
            },
            finish: async (record) => {
                const packs = await configured;
                const stackWide = encodeAnalyzeStackRequest(analyzedResources(record.resources).outputs);
                const perResource = await Promise.all(analyses);
                const whole = await Promise.all(packs.map((pack) => pack.analyzeStackEncoded(stackWide)));
                // Per pack: its resource verdicts in registration order, then its stack verdicts (as check() lists them).
                const order = new Map(record.resources.map((r, i) => [r.urn, i]));
                const violations = packs.flatMap((_, p) => [
                    ...perResource.flatMap((byPack) => byPack[p]).sort((a, b) => (order.get(a.urn) ?? 0) - (order.get(b.urn) ?? 0)),
                    ...whole[p],
                ]);
                return { packs: packs.map((pack) => pack.run), violations, elapsedMs: Number(process.hrtime.bigint() - since) / 1e6 };
            },
        };
    }

    async stop(): Promise<void> {
        const packs = await Promise.all(this.started.map((started) => started.catch(() => undefined)));
        await Promise.all(packs.map((pack) => pack?.stop()));
        if (this.processes === "shared") await packs.find(Boolean)?.stopProcess();
    }
}

/** Per pack, the resource types its resource policies look at; undefined for a pack where one of them does not say. */
async function analyzedTypes(dirs: readonly string[]): Promise<(Set<string> | undefined)[]> {
    const { POLICY_PACKS } = await import("../policy-packs/catalog");
    return dirs.map((dir) => {
        const policies: object[] = [...(POLICY_PACKS.find((p) => p.dir === dir)?.policies ?? [])];
        const resourcePolicies = policies.filter((p) => "validateResource" in p) as { resourceTypes?: readonly string[] }[];
        if (resourcePolicies.some((p) => !p.resourceTypes)) return undefined;
        return new Set(resourcePolicies.flatMap((p) => p.resourceTypes!));
    });
}

/** A plan being analyzed while it is evaluated (PolicyPacks.begin). */
export interface PlanAnalysis {
    analyze(resource: RecordedResource): void;
    finish(record: PlanRecord): Promise<PolicyReport>;
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
