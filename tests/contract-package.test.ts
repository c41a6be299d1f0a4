/**
 * The contract as its own package (contract/package.json), along the path docs/contract.md gives other teams:
 * `npm run pack:contract` builds and packs it, the tarball holds the built JS and its types and nothing else, and
 * a program outside this repository installs it without network, type-checks against it under both the Pulumi
 * template's module resolution and node16's (package exports), and reads mocked stack outputs through it.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_VERSION, OUTPUTS, type OutputKind } from "../contract/outputs";
import { readSnapshot } from "../scripts/write-contract-snapshot";

const PROJECT_DIR = resolve(__dirname, "..");
const CONTRACT_DIR = join(PROJECT_DIR, "contract");
const read = (...path: string[]) => readFileSync(join(...path), "utf8");
const rootPackage = JSON.parse(read(PROJECT_DIR, "package.json"));
const contractPackage = JSON.parse(read(CONTRACT_DIR, "package.json"));
const NAME: string = contractPackage.name;
const TARBALL = `${NAME.replace(/^@/, "").replace("/", "-")}-${CONTRACT_VERSION}.tgz`;

describe("contract/package.json", () => {
    it("carries the contract version the code declares", () => {
        expect(contractPackage.version).toBe(CONTRACT_VERSION);
    });

    it("depends on nothing of the platform: @pulumi/pulumi as a peer, in a range holding the version the platform pins", () => {
        expect(contractPackage.dependencies ?? {}).toEqual({});
        expect(Object.keys(contractPackage.peerDependencies)).toEqual(["@pulumi/pulumi"]);
        const pinned = rootPackage.dependencies["@pulumi/pulumi"].split(".").map(Number);
        const [, major, minor, patch] = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(contractPackage.peerDependencies["@pulumi/pulumi"])!.map(Number);
        expect(pinned[0]).toBe(major);
        expect(pinned[1] > minor || (pinned[1] === minor && pinned[2] >= patch)).toBe(true);
        expect(contractPackage.engines).toEqual(rootPackage.engines);
    });

    it("records every contract version of the snapshot in CHANGELOG.md, newest first", () => {
        const headings = [...read(CONTRACT_DIR, "CHANGELOG.md").matchAll(/^## (\d+\.\d+\.\d+)\b/gm)].map((m) => m[1]);
        expect(headings).toEqual(Object.keys(readSnapshot()).reverse());
        expect(headings[0]).toBe(CONTRACT_VERSION);
    });

    it("is what docs/contract.md sends other teams to, at this version and its tag", () => {
        const docs = read(PROJECT_DIR, "docs", "contract.md");
        for (const text of [`now ${CONTRACT_VERSION}`, `contract-v${CONTRACT_VERSION}`, `npm install ./${TARBALL}`, `from "${NAME}"`, "npm run pack:contract", "contract/CHANGELOG.md"]) {
            expect(docs, text).toContain(text);
        }
        expect(docs).not.toContain('from "rag-platform/contract"');
    });
});

/** Scratch files of this test, outside the repository. */
const scratch = mkdtempSync(join(realpathSync(tmpdir()), "rag-contract-package-"));
// npm run by `npm test` exports its config as npm_* variables; the consumer's npm must not see the platform's.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const run = (command: string, args: string[], options: SpawnSyncOptions) => {
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...env, npm_config_update_notifier: "false" }, ...options });
    expect(result.status, `${command} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return String(result.stdout);
};

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the packed contract, installed without network into a program outside the repository", () => {
    const packs = join(scratch, "packs");
    const program = join(scratch, "team-program");
    const installed = join(program, "node_modules", ...NAME.split("/"));
    let packed: { name: string; version: string; filename: string; files: { path: string }[] };

    beforeAll(() => {
        expect(scratch.startsWith(PROJECT_DIR + sep)).toBe(false);
        mkdirSync(packs);
        // The documented command (prepack builds contract/dist in place), with its JSON report and a destination.
        [packed] = JSON.parse(run("npm", ["run", "--silent", "pack:contract", "--", "--json", "--pack-destination", packs], { cwd: PROJECT_DIR }));

        // `npm install <tarball>` with an empty cache in offline mode: it fetches nothing. --legacy-peer-deps because
        // this scratch program has no @pulumi/pulumi from a registry: it gets the platform's, linked, as a team's own
        // install would provide it (and @types/node, as its devDependency would).
        mkdirSync(program);
        writeFileSync(join(program, "package.json"), JSON.stringify({ name: "team-program", private: true }));
        run("npm", ["install", "--offline", "--cache", join(scratch, "npm-cache"), "--legacy-peer-deps", "--no-audit", "--no-fund", join(packs, packed.filename)], { cwd: program });
        for (const dependency of ["@pulumi/pulumi", "@types/node"]) {
            mkdirSync(join(program, "node_modules", dependency, ".."), { recursive: true });
            symlinkSync(join(PROJECT_DIR, "node_modules", dependency), join(program, "node_modules", dependency), "dir");
        }
    });

    it("packs as the contract version, holding the built JS, its types, README and CHANGELOG only", () => {
        expect([packed.name, packed.version, packed.filename]).toEqual([NAME, CONTRACT_VERSION, TARBALL]);
        const modules = readdirSync(CONTRACT_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => f.replace(/\.ts$/, ""));
        expect(modules.sort()).toEqual(["consumer", "index", "outputs"]);
        const expected = ["CHANGELOG.md", "README.md", "package.json", ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`])];
        // A file of a module since removed, left in contract/dist, shows here: delete contract/dist and pack again.
        expect(packed.files.map((f) => f.path).sort()).toEqual(expected.sort());
    });

    it("installs as a package that requires nothing but @pulumi/pulumi and its own modules", () => {
        expect(JSON.parse(read(installed, "package.json")).version).toBe(CONTRACT_VERSION);
        const required = new Set<string>();
        for (const file of readdirSync(join(installed, "dist"))) {
            for (const m of read(installed, "dist", file).matchAll(/(?:require\(|from )"([^"]+)"/g)) required.add(m[1]);
        }
        expect([...required].sort()).toEqual(["./consumer", "./outputs", "@pulumi/pulumi"]);
    });

    it("type-checks a consumer against it, with the contract's names and types (not any), and reads mocked stacks through it", () => {
        writeFileSync(join(program, "index.ts"), CONSUMER_PROGRAM.replaceAll("@rag-platform/contract", NAME));
        const tsc = join(PROJECT_DIR, "node_modules", ".bin", "tsc");
        const compilerOptions = { target: "ES2022", strict: true, skipLibCheck: true, types: ["node"], outDir: "out" };
        // `pulumi new typescript`'s resolution (main/types), which emits the program run below ...
        writeFileSync(join(program, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, module: "commonjs", moduleResolution: "node" }, files: ["index.ts"] }));
        run(tsc, ["-p", "tsconfig.json"], { cwd: program });
        // ... and node16's, through the package's exports.
        writeFileSync(join(program, "tsconfig.node16.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, module: "node16", moduleResolution: "node16" }, files: ["index.ts"] }));
        run(tsc, ["-p", "tsconfig.node16.json", "--noEmit"], { cwd: program });

        const sample = (kind: OutputKind, name: string) => ({ string: `${name}-value`, number: 5432, "string[]": [`${name}-a`, `${name}-b`], map: { a: `${name}-a` } })[kind];
        const full = Object.fromEntries(Object.entries(OUTPUTS).filter(([name]) => name !== "contractVersion").map(([name, spec]) => [name, sample(spec.kind, name)]));
        const { databaseAppSecretArn: _, ...withoutAppSecret } = full;
        const stacks = {
            "acme/rag-platform/prod": { ...full, contractVersion: CONTRACT_VERSION },
            "acme/rag-platform/later": { ...full, contractVersion: `${CONTRACT_VERSION.split(".")[0]}.99.0` },
            "acme/rag-platform/partial": { ...withoutAppSecret, contractVersion: CONTRACT_VERSION },
            "acme/rag-platform/next": { ...full, contractVersion: `${Number(CONTRACT_VERSION.split(".")[0]) + 1}.0.0` },
            "acme/rag-platform/legacy": full,
        };
        const stdout = run(process.execPath, [join("out", "index.js")], { cwd: program, env: { ...env, PLATFORM_OUTPUTS: JSON.stringify(stacks) } });
        const { contractVersion, results, unhandled } = JSON.parse(stdout) as { contractVersion: string; results: Record<string, { value?: unknown; secret?: boolean; error?: string }>; unhandled: string[] };

        expect(contractVersion).toBe(CONTRACT_VERSION);
        expect(results["prod vpcId"]).toEqual({ value: "vpcId-value", secret: false });
        expect(results["prod privateSubnetIds"]).toEqual({ value: ["privateSubnetIds-a", "privateSubnetIds-b"], secret: false });
        expect(results["prod databasePort"]).toEqual({ value: 5432, secret: false });
        // Not marked secret by this mocked stack: the contract makes it one.
        expect(results["prod kubeconfig"]).toEqual({ value: "kubeconfig-value", secret: true });
        expect(results["later vpcId"]).toEqual({ value: "vpcId-value", secret: false });
        const refusals = {
            "partial databaseAppSecretArn": `platform stack acme/rag-platform/partial (contract ${CONTRACT_VERSION}) has no output "databaseAppSecretArn"; contract ${CONTRACT_VERSION} defines it`,
            "next vpcId": `platform stack acme/rag-platform/next serves contract ${stacks["acme/rag-platform/next"].contractVersion}; this program was built against ${CONTRACT_VERSION} (same major and at least its minor required)`,
            "legacy vpcId": "platform stack acme/rag-platform/legacy exports no contractVersion",
        };
        for (const [key, message] of Object.entries(refusals)) expect(results[key].error, key).toContain(message);
        // As under `pulumi up`, where the language host fails the program with them, nothing else went wrong.
        expect(unhandled.length).toBeGreaterThan(0);
        for (const message of unhandled) expect(Object.values(refusals).some((m) => message.includes(m)), message).toBe(true);
    });
});

/** Another team's program, as it would import the package. */
const CONSUMER_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, PlatformContractError, PlatformStack, type OutputName } from "@rag-platform/contract";

// Types only, never called: a misspelled output or a wrong type does not compile.
export function typed(platform: PlatformStack): unknown[] {
    const subnets: pulumi.Output<string[]> = platform.get("privateSubnetIds");
    const port: pulumi.Output<number> = platform.get("databasePort");
    // @ts-expect-error: the contract has no output "vpcID"
    const misspelled = platform.get("vpcID");
    // @ts-expect-error: vpcId is a string
    const retyped: pulumi.Output<number> = platform.get("vpcId");
    return [subnets, port, misspelled, retyped];
}

const stacks: Record<string, Record<string, unknown>> = JSON.parse(process.env.PLATFORM_OUTPUTS ?? "{}");
pulumi.runtime.setMocks(
    {
        newResource: (args) =>
            args.type === "pulumi:pulumi:StackReference"
                ? { id: String(args.inputs.name), state: { name: args.inputs.name, outputs: stacks[args.inputs.name] ?? {}, secretOutputNames: [] } }
                : { id: args.name + "-id", state: args.inputs },
        call: () => ({}),
    },
    "team-program",
    "dev",
    false,
);

// A failed apply also rejects the Outputs derived from it; the language host reports those and fails the program.
const unhandled: string[] = [];
process.on("unhandledRejection", (error) => unhandled.push(error instanceof Error ? error.message : String(error)));

// Output.promise() is internal to the SDK, but the only way to see the error an apply failed with.
async function outcome(output: pulumi.Output<unknown>): Promise<object> {
    try {
        const value = await (output as unknown as { promise(): Promise<unknown> }).promise();
        return { value, secret: await pulumi.isSecret(output) };
    } catch (error) {
        return { error: error instanceof PlatformContractError ? error.message : "not a PlatformContractError: " + String(error) };
    }
}

async function main(): Promise<void> {
    const reads: [string, OutputName][] = [
        ["prod", "vpcId"], ["prod", "privateSubnetIds"], ["prod", "databasePort"], ["prod", "kubeconfig"], ["later", "vpcId"],
        ["partial", "databaseAppSecretArn"], ["next", "vpcId"], ["legacy", "vpcId"],
    ];
    const platforms = new Map<string, PlatformStack>();
    const results: Record<string, object> = {};
    for (const [stack, key] of reads) {
        if (!platforms.has(stack)) platforms.set(stack, new PlatformStack("acme/rag-platform/" + stack));
        results[stack + " " + key] = await outcome(platforms.get(stack)!.get(key));
    }
    process.once("beforeExit", () => console.log(JSON.stringify({ contractVersion: CONTRACT_VERSION, results, unhandled })));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
`;
