import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { applyProjectConfig, projectFileProblems, ProjectConfigError } from "../offline/project-config";
import { readStackConfig } from "../offline/stack-files";
import { projectKeyEntries, renderProjectFile } from "../scripts/write-config-schema";
import { CONFIG_KEYS, CONFIG_KEY_NAMES } from "../stacks/config-keys";

const text = readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
const project = parse(text);
const EXAMPLES = readdirSync(join(PROJECT_DIR, "examples/systems")).filter((f) => f.endsWith(".yaml")).map((f) => join("examples/systems", f));

/** A project directory holding `projectYaml` and one stack file `Pulumi.test.yaml`. */
function projectDir(projectYaml: object, stackConfig: object): string {
    const dir = mkdtempSync(join(tmpdir(), "rag-project-"));
    writeFileSync(join(dir, "Pulumi.yaml"), stringify(projectYaml));
    writeFileSync(join(dir, "Pulumi.test.yaml"), stringify({ config: stackConfig }));
    return dir;
}
const refusal = (fn: () => unknown) => {
    try {
        fn();
    } catch (error) {
        if (error instanceof ProjectConfigError) return error.messages;
        throw error;
    }
    return [];
};

describe("Pulumi.yaml", () => {
    it("is what `npm run schema` generates from the config keys and profiles (run it after changing either)", () => {
        expect(text).toBe(renderProjectFile());
    });

    it("passes the Pulumi CLI's project schema and project rules", () => {
        expect(projectFileProblems(project)).toEqual([]);
    });

    it("declares only keys the CLI can leave to a default, and `environment`, which every stack must set", () => {
        for (const [key, schema] of Object.entries(project.config as Record<string, { type: string; default?: unknown; description: string }>)) {
            expect(["string", "integer", "boolean", "array"], key).toContain(schema.type);
            expect(schema.default !== undefined || key === "environment", key).toBe(true);
            expect(schema.description, key).toMatch(/Allowed: /);
        }
        expect(project.config.environment.default).toBeUndefined();
    });

    it("documents every other key, with its type and per-environment default, in the comment block", () => {
        const declared = Object.keys(project.config);
        const undeclared = CONFIG_KEY_NAMES.filter((k) => !declared.includes(k));
        expect(undeclared.length + declared.length).toBe(CONFIG_KEY_NAMES.length);
        for (const key of undeclared) expect(text, key).toMatch(new RegExp(`^#   rag-platform:${key} \\(`, "m"));
        expect(text).toContain("#   rag-platform:services (array<object>)");
        expect(projectKeyEntries().find((e) => e.entry.key === "natGateways")?.entry.description).toContain('Default: dev "single", staging "onePerAz", prod "onePerAz"');
        expect(CONFIG_KEYS.natGateways.type).toBe("string");
    });

    it("gives the program the declared defaults, as the CLI applies them", () => {
        expect(project.config.vpcCidr.default).toBe("10.0.0.0/16");
        expect(readStackConfig(PROJECT_DIR, "dev").values["rag-platform:vpcCidr"]).toBe("10.0.0.0/16");
        expect(readStackConfig(PROJECT_DIR, "dev").values["rag-platform:vpcGatewayEndpoints"]).toBe('["s3"]');
    });

    it.each(["dev", "staging", "prod"])("Pulumi.%s.yaml sets only namespaced keys and no secrets", (stack) => {
        const file = parse(readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
        for (const [key, value] of Object.entries(file.config)) {
            expect(key).toMatch(/^(aws|rag-platform):/);
            expect(typeof value === "object" && value !== null && "secure" in value, key).toBe(false);
        }
    });

    it.each([...["dev", "staging", "prod"].map((s) => [s, undefined]), ...EXAMPLES.map((f) => ["prod", f])])(
        "the CLI's project-config rules accept stack %s with %s",
        (stack, file) => {
            expect(refusal(() => readStackConfig(PROJECT_DIR, stack!, { file: file ? join(PROJECT_DIR, file) : undefined }))).toEqual([]);
        },
    );
});

describe("the Pulumi CLI's project-config rules, applied offline", () => {
    it("refuses a stack that leaves unset a key declared with a type and no default, in the CLI's words", () => {
        const messages = refusal(() =>
            applyProjectConfig("p", { azCount: { type: "integer" }, zone: { type: "string" }, ok: { type: "string", default: "x" } }, "prod", {}),
        );
        expect(messages).toEqual(["Stack 'prod' is missing configuration values 'azCount' and 'zone'"]);
        expect(refusal(() => applyProjectConfig("p", { environment: { description: "untyped, no default" } }, "dev", {}))).toEqual([
            "Stack 'dev' is missing configuration value 'environment'",
        ]);
    });

    it("would have refused every stack with the project file of the first version (46 keys without defaults)", async () => {
        const first = parse(readFileSync(join(__dirname, "fixtures/pulumi-yaml-v0.1.yaml"), "utf8"));
        const dir = projectDir(first, { "aws:region": "us-east-1", "rag-platform:environment": "dev" });
        const record = await evaluateStack({ stack: "test", dir });
        expect(record.configError?.source).toBe("cli");
        expect(record.resources).toEqual([]);
        expect(record.configError?.message).toMatch(/^the Pulumi CLI would stop before running the program:\n {2}error: Stack 'test' is missing configuration values 'availabilityZones', 'azCount', /);
    });

    it("refuses a value of the wrong declared type, as text the way stack files hold scalars", () => {
        const decl = { size: { type: "integer", default: 1 }, on: { type: "boolean", default: true }, zones: { type: "array", items: { type: "string" }, default: [] } };
        expect(refusal(() => applyProjectConfig("p", decl, "s", { "p:size": { value: "3", secure: false }, "p:on": { value: "false", secure: false } }))).toEqual([]);
        expect(refusal(() => applyProjectConfig("p", decl, "s", { "p:size": { value: "three", secure: false } }))).toEqual([
            "Stack 's' with configuration key 'size' must be of type 'integer'",
        ]);
        expect(refusal(() => applyProjectConfig("p", decl, "s", { "p:zones": { value: "a", secure: false } }))).toEqual([
            "Stack 's' with configuration key 'zones' must be of type 'array<string>'",
        ]);
        expect(refusal(() => applyProjectConfig("p", decl, "s", { "p:zones": { value: [1], secure: false } }))).toEqual([
            "Stack 's' with configuration key 'zones' must be of type 'array<string>'",
        ]);
        expect(refusal(() => applyProjectConfig("p", { token: { type: "string", secret: true, default: "x" } }, "s", { "p:token": { value: "plain", secure: false } }))).toEqual([
            "Stack 's' with configuration key 'token' must be encrypted as it's secret",
        ]);
    });

    it("refuses a project file the CLI would not load", () => {
        expect(projectFileProblems({ name: "p", config: { zones: { type: "array" } } })).toEqual([
            "The configuration key 'zones' declares an array but does not specify the underlying type via the 'items' attribute",
        ]);
        expect(projectFileProblems({ name: "p", config: { size: { type: "integer", default: "big" } } })).toEqual([
            "The default value specified for configuration key 'size' is not of the expected type 'integer'",
        ]);
        expect(projectFileProblems({ name: "p", config: { "aws:region": { type: "string" } } })).toEqual([
            "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
        ]);
        expect(projectFileProblems({ name: "p", config: { size: { type: "number" } } }).join()).toMatch(/^config.size: /);
        expect(projectFileProblems({ name: "p", config: { size: { type: "integer", minimum: 1 } } }).join()).toMatch(/^config.size: /);
        expect(projectFileProblems({ config: {} })).toEqual(["project is missing a non-empty string 'name' attribute"]);
    });

    it("reads short forms as the CLI does: a default for the project's keys, a value for others", () => {
        const merged = applyProjectConfig("p", { size: 3, "aws:region": "eu-west-1" }, "s", {});
        expect(merged).toEqual({ "p:size": { value: "3", secure: false }, "aws:region": { value: "eu-west-1", secure: false } });
    });
});
