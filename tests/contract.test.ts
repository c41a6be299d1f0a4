/**
 * The output contract: every stack exports exactly it, with the promised types and secrets; the recorded
 * snapshot forbids removing or retyping an output without a major bump; the consumer helper checks versions,
 * names missing outputs and keeps secrets secret; the contract builds as the package entry other repos import.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { checkContractVersion, PlatformStack, requireOutput } from "../contract/consumer";
import { CONTRACT_VERSION, hasKind, isCompatible, OUTPUTS, type OutputName } from "../contract/outputs";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { currentShape, readSnapshot } from "../scripts/write-contract-snapshot";
import { planOf, stackPlans } from "./plans";

const version = (v: string) => v.split(".").map(Number) as [number, number, number];

describe("the contract every stack exports", async () => {
    const records = await stackPlans();

    it.each(records.map((r) => [r.stack, r] as const))("%s exports exactly the contract's outputs, each of its type", (_, record) => {
        expect(Object.keys(record.outputs).sort()).toEqual(Object.keys(OUTPUTS).sort());
        for (const [name, spec] of Object.entries(OUTPUTS)) expect(hasKind(spec.kind, record.outputs[name]), `${name}: ${JSON.stringify(record.outputs[name])}`).toBe(true);
        expect(record.outputs.contractVersion).toBe(CONTRACT_VERSION);
    });

    it("marks as secret exactly the outputs the contract calls secret", () => {
        const secret = Object.entries(OUTPUTS).filter(([, spec]) => spec.secret).map(([name]) => name);
        for (const record of records) expect(record.secretOutputs.sort()).toEqual(secret.sort());
    });
});

describe("contract versions", () => {
    const snapshot = readSnapshot();
    const versions = Object.keys(snapshot).sort((a, b) => version(a)[0] - version(b)[0] || version(a)[1] - version(b)[1] || version(a)[2] - version(b)[2]);

    it("records the current contract under its version (npm run contract:snapshot after a bump)", () => {
        expect(snapshot[CONTRACT_VERSION]).toEqual(currentShape());
    });

    it("bumps the major for a removed, retyped or un-secreted output, and at least the minor for an added one", () => {
        for (let i = 1; i < versions.length; i++) {
            const [before, after] = [snapshot[versions[i - 1]], snapshot[versions[i]]];
            const broken = Object.entries(before).filter(([name, spec]) => !after[name] || after[name].kind !== spec.kind || (spec.secret && !after[name].secret));
            const added = Object.keys(after).filter((name) => !before[name]);
            const [from, to] = [version(versions[i - 1]), version(versions[i])];
            if (broken.length) expect(to[0], `${versions[i]} breaks ${broken.map(([n]) => n).join(", ")}`).toBeGreaterThan(from[0]);
            else if (added.length) expect(to[0] > from[0] || to[1] > from[1], `${versions[i]} adds ${added.join(", ")}`).toBe(true);
        }
        expect(versions.at(-1)).toBe(CONTRACT_VERSION);
    });

    it("serves a consumer of the same major and an older or equal minor only", () => {
        expect(isCompatible("1.0.0", "1.0.0")).toBe(true);
        expect(isCompatible("1.3.0", "1.2.0")).toBe(true);
        expect(isCompatible("1.1.0", "1.2.0")).toBe(false);
        expect(isCompatible("2.0.0", "1.0.0")).toBe(false);
    });
});

describe("PlatformStack, the consumer helper", async () => {
    const prod = await planOf("prod");
    const read = async (deployedOutputs: Record<string, unknown>, keys: OutputName[]) => {
        const seen: Record<string, { value: unknown; secret: boolean }> = {};
        let failure: unknown;
        await evaluateStack({
            stack: "dev",
            deployedOutputs,
            program: async () => {
                const platform = new PlatformStack("acme/rag-platform/prod");
                try {
                    for (const key of keys) {
                        const output = platform.get(key);
                        // Output.promise() is internal (version pinned), but the only way to see an apply's error.
                        seen[key] = { value: await (output as unknown as { promise(): Promise<unknown> }).promise(), secret: await pulumi.isSecret(output) };
                    }
                } catch (error) {
                    failure = error;
                }
                return undefined;
            },
        }).catch((error) => {
            failure = error;
        });
        return { seen, failure };
    };

    it("reads typed outputs of a real prod record, the kubeconfig still a secret", async () => {
        const { seen, failure } = await read(prod.outputs, ["vpcId", "privateSubnetIds", "kubeconfig", "databasePort"]);
        expect(failure).toBeUndefined();
        expect(seen.vpcId).toEqual({ value: prod.outputs.vpcId, secret: false });
        expect(seen.privateSubnetIds.value).toEqual(prod.outputs.privateSubnetIds);
        expect(seen.databasePort.value).toBe(5432);
        expect(seen.kubeconfig.secret).toBe(true);
    });

    // A refused stack fails the consumer's program from inside an apply, as `pulumi up` would show it; the
    // checks themselves are these functions.
    it("refuses a stack of another major contract version, or one without a contract", () => {
        expect(checkContractVersion("acme/rag-platform/prod", "1.4.0")).toBe("1.4.0");
        // A consumer built against 1.4.0 needs databaseAppSecretArn, which a 1.3.0 stack does not have.
        expect(() => checkContractVersion("acme/rag-platform/prod", "1.3.0")).toThrow("platform stack acme/rag-platform/prod serves contract 1.3.0; this program was built against 1.4.0");
        expect(() => checkContractVersion("acme/rag-platform/prod", "2.0.0")).toThrow("platform stack acme/rag-platform/prod serves contract 2.0.0; this program was built against 1.4.0");
        expect(() => checkContractVersion("acme/rag-platform/prod", undefined)).toThrow("platform stack acme/rag-platform/prod exports no contractVersion");
    });

    it("names an output the stack does not have", () => {
        expect(() => requireOutput("acme/rag-platform/prod", "1.3.0", "vpcId", undefined)).toThrow('platform stack acme/rag-platform/prod (contract 1.3.0) has no output "vpcId"; contract 1.4.0 defines it');
        expect(requireOutput("acme/rag-platform/prod", "1.0.0", "vpcId", "vpc-1")).toBe("vpc-1");
    });
});

it("builds as the package entry other repositories import (@rag-platform/contract)", () => {
    const result = spawnSync(join(PROJECT_DIR, "node_modules", ".bin", "tsc"), ["-p", "contract/tsconfig.json", "--outDir", join(require("node:os").tmpdir(), "rag-contract-build")], { cwd: PROJECT_DIR, encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
});

describe("what 1.3.0 adds for the data stores a system brings", async () => {
    it("S4 exports its DocumentDB endpoint and secret and its shared file system; prod, which has neither, exports them empty", async () => {
        const s4 = await planOf("s4-askrag");
        expect(s4.outputs.documentDbEndpoint).toMatch(/\.docdb\.amazonaws\.com$/);
        expect(s4.outputs.documentDbMasterSecretArn).toMatch(/^arn:aws:secretsmanager:.*:secret:rds!cluster-/);
        expect(s4.outputs.sharedFileSystemId).toMatch(/^fs-/);
        const prod = await planOf("prod");
        expect([prod.outputs.documentDbEndpoint, prod.outputs.documentDbMasterSecretArn, prod.outputs.sharedFileSystemId]).toEqual(["", "", ""]);
    });
});
