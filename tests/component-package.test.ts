/**
 * The component package (provider/): its schema, built offline in-process and served over the provider's gRPC
 * protocol by the process the Pulumi CLI starts (`node @pulumi/pulumi/cmd/run-plugin <dir> <engine>`, working
 * directory the package), checked against the args of the components it wraps; and one Construct over gRPC
 * against a small resource monitor stub, as the engine would send it for a Python, Go or YAML program.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBNET_TIERS } from "../model/network-layout";
import { spawnServer } from "../offline/analyzer-client";

const ROOT = resolve(__dirname, "..");
const PROVIDER_DIR = join(ROOT, "provider");
const RUN_PLUGIN = join(dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-plugin");
const PACKAGE = "rag-platform";

/** Each exposed component: the real component's file, args interface and class, and what the package names it. */
const EXPOSED = [
    { name: "Network", file: "components/network.ts", args: "NetworkArgs" },
    { name: "Cache", file: "components/cache.ts", args: "CacheArgs" },
    { name: "BackupPlan", file: "components/backup-plan.ts", args: "BackupPlanArgs" },
] as const;

type Property = { type?: string; $ref?: string; items?: Property; additionalProperties?: Property; plain?: boolean; optional?: boolean };
interface Schema {
    name: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, Property>; requiredInputs?: string[]; properties: Record<string, Property>; required?: string[] }>;
    types: Record<string, { type: string; enum?: { value: unknown }[]; properties?: Record<string, Property>; required?: string[] }>;
}

// ---- the real components' args and outputs, read from their source (parse only, no type check) ----

interface Field { name: string; optional: boolean; type: ts.TypeNode }

function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
}

function argsFields(file: string, iface: string): Field[] {
    const source = parse(file);
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === iface);
    if (!decl) throw new Error(`${iface} not found in ${file}`);
    return decl.members.filter(ts.isPropertySignature).map((m) => ({
        name: m.name.getText(source),
        optional: !!m.questionToken,
        type: m.type!,
    }));
}

/** Public instance fields of the real component class (its outputs). */
function classFields(file: string, className: string): { name: string; optional: boolean }[] {
    const source = parse(file);
    const decl = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
    if (!decl) throw new Error(`${className} not found in ${file}`);
    return decl.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => !m.modifiers?.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword || k.kind === ts.SyntaxKind.StaticKeyword))
        .map((m) => ({ name: m.name.getText(source), optional: !!m.questionToken }));
}

/** The literals of a union of string literals, following a type alias declared in the same file. */
function literals(node: ts.TypeNode, source: ts.SourceFile): string[] | undefined {
    if (ts.isParenthesizedTypeNode(node)) return literals(node.type, source);
    if (ts.isUnionTypeNode(node)) {
        const values = node.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined));
        return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
    }
    if (ts.isTypeReferenceNode(node)) {
        const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === node.typeName.getText(source));
        return alias ? literals(alias.type, source) : undefined;
    }
    return undefined;
}

// ---- what the schema must say for a TypeScript type of the real args ----

function checkType(schema: Schema, field: string, node: ts.TypeNode, prop: Property, source: ts.SourceFile, plain: boolean): void {
    const text = node.getText(source);
    const where = `${field}: ${text}`;
    const ref = (p: Property) => schema.types[decodeURIComponent(p.$ref!.replace("#/types/", ""))];
    if (ts.isTypeReferenceNode(node) && /^(pulumi\.)?Input$/.test(node.typeName.getText(source))) {
        return checkType(schema, field, node.typeArguments![0], prop, source, false);
    }
    expect(prop.plain ?? false, `${where}: plain`).toBe(plain);
    const values = literals(node, source);
    if (values) {
        expect(prop.$ref, `${where}: an enum`).toBeDefined();
        expect(ref(prop).enum?.map((e) => e.value).sort(), where).toEqual([...values].sort());
        return;
    }
    if (node.kind === ts.SyntaxKind.StringKeyword) return void expect(prop.type, where).toBe("string");
    if (node.kind === ts.SyntaxKind.NumberKeyword) return void expect(prop.type, where).toBe("number");
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return void expect(prop.type, where).toBe("boolean");
    if (ts.isArrayTypeNode(node)) {
        expect(prop.type, where).toBe("array");
        return checkType(schema, `${field}[]`, node.elementType, prop.items!, source, true);
    }
    if (text === "Record<string, string>") {
        expect(prop.type, where).toBe("object");
        return void expect(prop.additionalProperties?.type, where).toBe("string");
    }
    if (text === "Partial<SubnetCidrs>") {
        const type = ref(prop);
        expect(Object.keys(type.properties!).sort(), where).toEqual([...SUBNET_TIERS].sort());
        for (const tier of SUBNET_TIERS) expect(type.properties![tier], `${where}.${tier}`).toMatchObject({ type: "array", items: { type: "string" }, optional: true });
        return;
    }
    if (ts.isTypeLiteralNode(node)) {
        const type = ref(prop);
        for (const member of node.members.filter(ts.isPropertySignature)) {
            const name = member.name.getText(source);
            expect(type.properties?.[name], `${where}.${name}`).toBeDefined();
            expect(type.required?.includes(name) ?? false, `${where}.${name} required`).toBe(!member.questionToken);
            checkType(schema, `${field}.${name}`, member.type!, type.properties![name], source, true);
        }
        return;
    }
    throw new Error(`the test does not know how the schema should express ${where}`);
}

// ---- a resource monitor and engine stub, on loopback, for Construct ----

interface Registered { type: string; name: string; urn: string; parent: string; custom: boolean; inputs: Record<string, unknown> }

const INVOKES: Record<string, Record<string, unknown>> = {
    "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" },
    "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "123456789012", arn: "arn:aws:iam::123456789012:root", userId: "123456789012", id: "123456789012" },
    "aws:index/getRegion:getRegion": { region: "eu-west-1", name: "eu-west-1", id: "eu-west-1", endpoint: "ec2.eu-west-1.amazonaws.com", description: "Europe (Ireland)" },
};

function startMonitor(project: string, stack: string): Promise<{ address: string; registered: Registered[]; server: grpc.Server }> {
    const registered: Registered[] = [];
    const types = new Map<string, string>();
    const server = new grpc.Server();
    const fail = (message: string) => ({ code: grpc.status.UNKNOWN, details: message });
    server.addService(resourceRpc.ResourceMonitorService, {
        supportsFeature(call: grpc.ServerUnaryCall<resourceProto.SupportsFeatureRequest, unknown>, done: grpc.sendUnaryData<resourceProto.SupportsFeatureResponse>) {
            const resp = new resourceProto.SupportsFeatureResponse();
            resp.setHassupport(["secrets", "resourceReferences"].includes(call.request.getId()));
            done(null, resp);
        },
        invoke(call: grpc.ServerUnaryCall<resourceProto.ResourceInvokeRequest, unknown>, done: grpc.sendUnaryData<resourceProto.ResourceInvokeResponse>) {
            const answer = INVOKES[call.request.getTok()];
            if (!answer) return done(fail(`no answer for invoke ${call.request.getTok()}`));
            const resp = new resourceProto.ResourceInvokeResponse();
            resp.setReturn(Struct.fromJavaScript(answer as never));
            done(null, resp);
        },
        registerResource(call: grpc.ServerUnaryCall<resourceProto.RegisterResourceRequest, unknown>, done: grpc.sendUnaryData<resourceProto.RegisterResourceResponse>) {
            const req = call.request;
            const parent = req.getParent();
            const parentType = parent ? types.get(parent) : undefined;
            const qualified = parentType ? `${parentType}$${req.getType()}` : req.getType();
            const urn = `urn:pulumi:${stack}::${project}::${qualified}::${req.getName()}`;
            types.set(urn, qualified);
            const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
            registered.push({ type: req.getType(), name: req.getName(), urn, parent, custom: req.getCustom(), inputs });
            const resp = new resourceProto.RegisterResourceResponse();
            resp.setUrn(urn);
            if (req.getCustom()) {
                const id = `${req.getName()}-id`;
                resp.setId(id);
                const extra = req.getType() === "aws:ec2/eip:Eip" ? { publicIp: `203.0.113.${registered.length % 250}` } : {};
                resp.setObject(Struct.fromJavaScript({ ...inputs, ...extra, id, arn: `arn:aws:test:eu-west-1:123456789012:${req.getName()}` } as never));
            }
            done(null, resp);
        },
        registerResourceOutputs(_call: unknown, done: grpc.sendUnaryData<Empty>) {
            done(null, new Empty());
        },
    });
    server.addService(engineRpc.EngineService, {
        log(_call: unknown, done: grpc.sendUnaryData<Empty>) {
            done(null, new Empty());
        },
    });
    return new Promise((ok, ko) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? ko(error) : ok({ address: `127.0.0.1:${port}`, registered, server }))),
    );
}

// ---- the provider, started as the CLI starts it ----

async function startProvider(engineAddress: string): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
    // As the CLI starts a plugin: it prints its port once it serves.
    const server = spawnServer([RUN_PLUGIN, ".", engineAddress], PROVIDER_DIR, "the component provider", (stdout) => /^(\d+)\s*\n/.exec(stdout)?.[1], true);
    return { child: server.child, port: Number(await server.output), stderr: server.stderr };
}

function unary<Res>(client: grpc.Client, method: string, request: unknown): Promise<Res> {
    return new Promise((ok, ko) => (client as never as Record<string, (r: unknown, cb: (e: Error | null, v: Res) => void) => void>)[method](request, (error, value) => (error ? ko(error) : ok(value))));
}

describe("the component package (provider/)", () => {
    let monitor: Awaited<ReturnType<typeof startMonitor>>;
    let provider: Awaited<ReturnType<typeof startProvider>>;
    let client: InstanceType<typeof providerRpc.ResourceProviderClient>;
    let served: Schema;

    beforeAll(async () => {
        monitor = await startMonitor("consumer", "dev");
        provider = await startProvider(monitor.address);
        client = new providerRpc.ResourceProviderClient(`127.0.0.1:${provider.port}`, grpc.credentials.createInsecure());
        served = JSON.parse((await unary<providerProto.GetSchemaResponse>(client, "getSchema", new providerProto.GetSchemaRequest())).getSchema());
    }, 60_000);

    afterAll(async () => {
        client?.close();
        provider?.child.kill("SIGTERM");
        await new Promise<void>((done) => (monitor ? monitor.server.tryShutdown(() => done()) : done()));
    });

    it("serves over gRPC the schema of the exposed components, named after provider/package.json", () => {
        expect(served.name).toBe(PACKAGE);
        expect(Object.keys(served.resources).sort()).toEqual(EXPOSED.map((c) => `${PACKAGE}:index:${c.name}`).sort());
        for (const resource of Object.values(served.resources)) expect(resource.isComponent).toBe(true);
        expect(readFileSync(join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    });

    for (const component of EXPOSED) {
        it(`${component.name}: every field of ${component.args} with its type and required-ness; every output typed`, () => {
            const resource = served.resources[`${PACKAGE}:index:${component.name}`];
            const source = parse(component.file);
            const fields = argsFields(component.file, component.args);
            expect(fields.length).toBeGreaterThan(3);
            for (const field of fields) {
                const prop = resource.inputProperties[field.name];
                expect(prop, `${component.args}.${field.name} in the schema`).toBeDefined();
                expect(resource.requiredInputs?.includes(field.name) ?? false, `${field.name} required`).toBe(!field.optional);
                expect(!!(prop as { description?: string }).description, `${field.name} described`).toBe(true);
                checkType(served, field.name, field.type, prop, source, true);
            }
            expect(Object.keys(resource.inputProperties).sort()).toEqual(fields.map((f) => f.name).sort());

            const outputs = classFields(component.file, component.name).flatMap((f) =>
                f.name === "subnetIds" ? SUBNET_TIERS.map((tier) => ({ name: `${tier}SubnetIds`, optional: false })) : [f],
            );
            expect(Object.keys(resource.properties).sort()).toEqual(outputs.map((o) => o.name).sort());
            for (const output of outputs) {
                const prop = resource.properties[output.name];
                expect(prop.type ?? prop.$ref, `output ${output.name} typed`).toBeDefined();
                expect(resource.required?.includes(output.name) ?? false, `output ${output.name} required`).toBe(!output.optional);
            }
        });
    }

    it("constructs a Network over gRPC: the wrapper, the real component under it, and the VPC's resources", async () => {
        const request = new providerProto.ConstructRequest();
        request.setProject("consumer");
        request.setStack("dev");
        request.setOrganization("organization");
        request.setDryrun(false);
        request.setParallel(4);
        request.setMonitorendpoint(monitor.address);
        request.setType(`${PACKAGE}:index:Network`);
        request.setName("net");
        request.setInputs(Struct.fromJavaScript({ clusterName: "rag-test", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single", tags: { team: "search" } }));
        request.setAcceptsOutputValues(true);
        const response = await unary<providerProto.ConstructResponse>(client, "construct", request);

        const wrapperUrn = `urn:pulumi:dev::consumer::${PACKAGE}:index:Network::net`;
        expect(response.getUrn()).toBe(wrapperUrn);
        const registered = monitor.registered;
        const real = registered.filter((r) => r.type === "rag:network:Network");
        expect(real).toMatchObject([{ name: "net", parent: wrapperUrn, custom: false }]);
        const under = (type: string) => registered.filter((r) => r.type === type && r.parent === real[0].urn);
        expect(under("aws:ec2/vpc:Vpc")).toHaveLength(1);
        expect(under("aws:ec2/subnet:Subnet")).toHaveLength(SUBNET_TIERS.length * 2);
        expect(under("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        expect(under("aws:ec2/flowLog:FlowLog")).toHaveLength(1);
        expect(under("aws:ec2/vpc:Vpc")[0].inputs).toMatchObject({ cidrBlock: "10.0.0.0/16", tags: { team: "search", Name: "rag-test-vpc" } });

        const state = response.getState()!.toJavaScript() as Record<string, unknown>;
        expect(state.vpcId).toBe("net-vpc-id");
        for (const tier of SUBNET_TIERS) expect(state[`${tier}SubnetIds`]).toHaveLength(2);
        expect(state.natGatewayPublicIps).toHaveLength(1);
        expect(Object.keys(state.securityGroupIds as object).sort()).toEqual(["data", "endpoints", "loadBalancer", "nodes"]);
    }, 30_000);

    it("is importable with types as rag-platform/components (the .ts source, as package.json exports it)", async () => {
        const { createRequire } = await import("node:module");
        expect(createRequire(join(ROOT, "index.ts")).resolve("rag-platform/components")).toBe(join(ROOT, "components", "index.ts"));
        const exported = await import("../components");
        for (const { name } of EXPOSED) expect(exported[name as keyof typeof exported], name).toBeTypeOf("function");
        for (const internal of ["ClusterAddons", "WorkloadService", "DatabaseUsers"]) expect(exported).not.toHaveProperty(internal);
    });

    it("refuses over gRPC what the real component refuses, with its message", async () => {
        const request = new providerProto.ConstructRequest();
        request.setProject("consumer");
        request.setStack("dev");
        request.setMonitorendpoint(monitor.address);
        request.setType(`${PACKAGE}:index:Network`);
        request.setName("one-az");
        request.setInputs(Struct.fromJavaScript({ clusterName: "rag-test", availabilityZones: ["eu-west-1a"] }));
        await expect(unary(client, "construct", request)).rejects.toThrow(/availabilityZones/);
    });
});
