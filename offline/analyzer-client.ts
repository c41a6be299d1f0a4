/**
 * The Pulumi CLI's side of the Analyzer protocol, for the offline check: start a policy pack the way the CLI
 * does (`node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>`, working directory the pack),
 * or several in one host process (offline/pack-host.js), read the port each serves on, and call its gRPC service
 * on loopback.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";

/** How the engine would describe one resource to an analyzer; built from a RecordedResource. */
export interface AnalyzedResource {
    urn: string;
    type: string;
    name: string;
    /** Inputs for Analyze (what the engine checks before a step); outputs for AnalyzeStack. */
    properties: Record<string, unknown>;
    parent?: string;
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    additionalSecretOutputs: string[];
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical" | "unspecified";

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface PackInfo {
    name: string;
    version: string;
    policies: PolicyInfo[];
}

export interface Diagnostic {
    policy: string;
    pack: string;
    packVersion: string;
    description: string;
    message: string;
    level: EnforcementLevel;
    severity: Severity;
    /** The resource the violation is about; empty for a stack policy that named none. */
    urn: string;
}

export interface PolicyConfigEntry {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface StackDescription {
    project: string;
    stack: string;
    organization: string;
    config: Record<string, string>;
    secretKeys: string[];
}

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<EnforcementLevel, number>;
const SEVERITIES: Record<number, Severity> = {
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "unspecified",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** The CLI hands the plugin its own engine address; the offline check has no engine, and packs do not call it. */
const NO_ENGINE = "127.0.0.1:0";
const RUN_POLICY_PACK = join(dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
const STARTUP_TIMEOUT_MS = 120_000;
/** The CLI raises gRPC's 4 MiB default the same way: a stack's resources go in one AnalyzeStack message. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** One running policy pack: its process and a client for its Analyzer service. */
export class PolicyPackProcess {
    private constructor(
        readonly dir: string,
        private readonly child: ChildProcess,
        private readonly client: InstanceType<typeof analyzerRpc.AnalyzerClient>,
        private readonly stderr: () => string,
        /** False for a pack served by a shared host: stopping it closes the client, the host stops the process. */
        private readonly ownsProcess = true,
    ) {}

    /** Starts one pack exactly as the Pulumi CLI does: its own `run-policy-pack` process, working directory the pack. */
    static async start(dir: string): Promise<PolicyPackProcess> {
        const { child, stderr, output } = spawnServer([RUN_POLICY_PACK, NO_ENGINE, "."], dir, `policy pack ${dir}`, (stdout) => /^(\d+)\s*\n/.exec(stdout)?.[1]);
        return new PolicyPackProcess(dir, child, connect(Number(await output)), stderr);
    }

    /**
     * Starts several packs in one host process (offline/pack-host.js), each on its own Analyzer server: the same
     * protocol for a third of the start-up. `stop` each pack, then `stopHost` the first.
     */
    static async startHosted(dirs: readonly string[]): Promise<PolicyPackProcess[]> {
        const { child, stderr, output } = spawnServer([PACK_HOST, ...dirs], process.cwd(), `policy pack host (${dirs.join(", ")})`, (stdout) => /^(\{.*\})\s*\n/.exec(stdout)?.[1], true);
        const ports = JSON.parse(await output) as Record<string, number>;
        return dirs.map((dir) => new PolicyPackProcess(dir, child, connect(ports[dir]), stderr, false));
    }

    async info(): Promise<PackInfo> {
        const info = await this.call<analyzerProto.AnalyzerInfo>("getAnalyzerInfo", new Empty());
        const plugin = await this.call<pluginProto.PluginInfo>("getPluginInfo", new Empty());
        return {
            name: info.getName(),
            version: info.getVersion() || plugin.getVersion(),
            policies: info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    severity: SEVERITIES[p.getSeverity()],
                    remediationSteps: p.getRemediationSteps(),
                    configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
                };
            }),
        };
    }

    async configure(config: Record<string, PolicyConfigEntry>): Promise<void> {
        const request = new analyzerProto.ConfigureAnalyzerRequest();
        for (const [policy, entry] of Object.entries(config)) {
            const wire = new analyzerProto.PolicyConfig();
            wire.setEnforcementlevel(LEVEL_CODES[entry.enforcementLevel]);
            wire.setProperties(Struct.fromJavaScript(toWire(entry.properties) as Record<string, never>));
            request.getPolicyconfigMap().set(policy, wire);
        }
        await this.call("configure", request);
    }

    async configureStack(stack: StackDescription): Promise<void> {
        const request = new analyzerProto.AnalyzerStackConfigureRequest();
        request.setProject(stack.project);
        request.setStack(stack.stack);
        request.setOrganization(stack.organization);
        request.setDryRun(true);
        for (const [key, value] of Object.entries(stack.config)) request.getConfigMap().set(key, value);
        request.setConfigSecretKeysList(stack.secretKeys);
        for (const [key, value] of Object.entries({ "pulumi:project": stack.project, "pulumi:runtime": "nodejs" })) request.getTagsMap().set(key, value);
        await this.call("configureStack", request);
    }

    /** One resource, as the engine sends it before the step that would create or update it (encodeAnalyzeRequest). */
    async analyzeEncoded(request: Uint8Array, urn: string): Promise<Diagnostic[]> {
        const response = await this.callEncoded("/pulumirpc.Analyzer/Analyze", request);
        // A resource policy reports without naming a resource: it is about the one analyzed.
        return diagnostics(response).map((d) => ({ ...d, urn: d.urn || urn }));
    }

    /** The whole stack, as the engine sends it once every step has run (encodeAnalyzeStackRequest). */
    async analyzeStackEncoded(request: Uint8Array): Promise<Diagnostic[]> {
        return diagnostics(await this.callEncoded("/pulumirpc.Analyzer/AnalyzeStack", request));
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.ownsProcess) await this.stopProcess();
    }

    /** Stops the process serving this pack, and with it every pack it hosts. */
    async stopProcess(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill();
        await exited;
    }

    /** A unary call whose request is already encoded: the bytes go on the wire as they are. */
    private callEncoded(path: string, request: Uint8Array): Promise<analyzerProto.AnalyzeResponse> {
        return new Promise((resolve, reject) => {
            this.client.makeUnaryRequest(path, (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (bytes: Buffer) => analyzerProto.AnalyzeResponse.deserializeBinary(bytes), request, (error, response) => {
                if (error || !response) reject(new Error(`policy pack ${this.dir}: ${path} failed: ${error?.details || error?.message}\n${this.stderr().trim()}`));
                else resolve(response);
            });
        });
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            (this.client as unknown as Record<string, Function>)[method](request, (error: grpc.ServiceError | null, response: T) => {
                if (error) reject(new Error(`policy pack ${this.dir}: ${method} failed: ${error.details || error.message}\n${this.stderr().trim()}`));
                else resolve(response);
            });
        });
    }
}

const PACK_HOST = join(__dirname, "pack-host.js");

/** Spawns a server process and resolves what it prints once it serves (`ready` extracts it from stdout). */
export function spawnServer(args: string[], cwd: string, what: string, ready: (stdout: string) => string | undefined, holdStdin = false) {
    // A host gets a stdin it watches: it exits when this process goes, however it goes.
    const child = spawn(process.execPath, args, { cwd, stdio: [holdStdin ? "pipe" : "ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const output = new Promise<string>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => fail(`did not start serving within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill();
            reject(new Error(`${what} ${why}\n${stderr.trim()}`));
        };
        child.stdout!.on("data", (chunk) => {
            stdout += chunk;
            const found = ready(stdout);
            if (found !== undefined) {
                clearTimeout(timer);
                child.removeAllListeners("exit");
                resolve(found);
            }
        });
        child.on("exit", (code) => fail(`exited with code ${code} before serving`));
        child.on("error", (error) => fail(`could not start: ${error.message}`));
    });
    return { child, stderr: () => stderr, output };
}

function connect(port: number): InstanceType<typeof analyzerRpc.AnalyzerClient> {
    return new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
}

/** An Analyze request on the wire, as the engine encodes it for each analyzer. */
export function encodeAnalyzeRequest(resource: AnalyzedResource): Uint8Array {
    return describe(new analyzerProto.AnalyzeRequest(), resource).serializeBinary();
}

/** An AnalyzeStack request on the wire: every resource with its outputs, parent and dependencies. */
export function encodeAnalyzeStackRequest(resources: AnalyzedResource[]): Uint8Array {
    const request = new analyzerProto.AnalyzeStackRequest();
    request.setResourcesList(
        resources.map((r) => {
            const wire = describe(new analyzerProto.AnalyzerResource(), r);
            if (r.parent) wire.setParent(r.parent);
            wire.setDependenciesList(r.dependencies);
            for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                const deps = new analyzerProto.AnalyzerPropertyDependencies();
                deps.setUrnsList(urns);
                wire.getPropertydependenciesMap().set(key, deps);
            }
            return wire;
        }),
    );
    return request.serializeBinary();
}

function diagnostics(response: analyzerProto.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        pack: d.getPolicypackname(),
        packVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        level: LEVELS[d.getEnforcementlevel()],
        severity: SEVERITIES[d.getSeverity()],
        urn: d.getUrn(),
    }));
}

/** The fields AnalyzeRequest and AnalyzeStack's AnalyzerResource share. */
function describe<T extends analyzerProto.AnalyzeRequest | analyzerProto.AnalyzerResource>(wire: T, resource: AnalyzedResource): T {
    wire.setType(resource.type);
    wire.setUrn(resource.urn);
    wire.setName(resource.name);
    wire.setProperties(struct(resource.properties));
    wire.setOptions(options(resource));
    if (resource.provider) wire.setProvider(provider(resource.provider));
    return wire;
}

function options(resource: AnalyzedResource): analyzerProto.AnalyzerResourceOptions {
    const wire = new analyzerProto.AnalyzerResourceOptions();
    wire.setProtect(resource.protect);
    wire.setIgnorechangesList(resource.ignoreChanges);
    wire.setDeletebeforereplace(resource.deleteBeforeReplace);
    wire.setDeletebeforereplacedefined(resource.deleteBeforeReplace);
    wire.setAdditionalsecretoutputsList(resource.additionalSecretOutputs);
    wire.setAliasesList([]);
    wire.setCustomtimeouts(new analyzerProto.AnalyzerResourceOptions.CustomTimeouts());
    if (resource.parent) wire.setParent(resource.parent);
    return wire;
}

function provider(p: NonNullable<AnalyzedResource["provider"]>): analyzerProto.AnalyzerProviderResource {
    const wire = new analyzerProto.AnalyzerProviderResource();
    wire.setType(p.type);
    wire.setUrn(p.urn);
    wire.setName(p.name);
    wire.setProperties(struct(p.properties));
    return wire;
}

function struct(properties: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(toWire(properties) as Record<string, never>);
}

/**
 * Property values as the engine puts them on the wire: JSON values, secrets in their signature envelope (kept
 * as the SDK recorded them), and nothing that is not data (resource objects become their URN).
 */
export function toWire(value: unknown): unknown {
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toWire(v)));
    if (typeof value === "object") {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
            const urn = (value as { urn?: unknown }).urn;
            return typeof urn === "string" ? urn : null;
        }
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = toWire(v);
        return out;
    }
    return null;
}
