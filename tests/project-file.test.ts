import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_DIR } from "../offline/evaluate";
import { readStackConfig } from "../offline/stack-files";
import { renderProjectFile } from "../scripts/write-config-schema";
import { CONFIG_KEYS, CONFIG_KEY_NAMES } from "../stacks/config-keys";

describe("Pulumi.yaml", () => {
    const text = readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8");

    it("is what `npm run schema` generates from the config keys and profiles (run it after changing either)", () => {
        expect(text).toBe(renderProjectFile());
    });

    it("declares every key with a scalar or array type (none for structured keys) and a description", () => {
        const project = parse(text);
        expect(project).toMatchObject({ name: "rag-platform", runtime: { name: "nodejs" }, main: "index.ts" });
        expect(Object.keys(project.config)).toEqual(CONFIG_KEY_NAMES);
        for (const [key, schema] of Object.entries(project.config as Record<string, { type: string; description: string }>)) {
            // The project schema has no object type: a structured key is declared untyped and validated by the program.
            expect(["string", "integer", "boolean", "array"], key).toContain(CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].type === "structured" ? "array" : schema.type);
            if (CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].type === "structured") expect(schema.type, key).toBeUndefined();
            expect(schema.description, key).toMatch(/Allowed: /);
        }
    });

    it("gives a project default only where every environment agrees, as the CLI applies it", () => {
        const project = parse(text);
        expect(project.config.vpcCidr.default).toBe("10.0.0.0/16");
        expect(project.config.natGateways.default).toBeUndefined();
        expect(project.config.natGateways.description).toContain('Default: dev "single", staging "onePerAz", prod "onePerAz"');
        expect(readStackConfig(PROJECT_DIR, "dev").values["rag-platform:vpcCidr"]).toBe("10.0.0.0/16");
    });

    it.each(["dev", "staging", "prod"])("Pulumi.%s.yaml sets only namespaced keys and no secrets", (stack) => {
        const file = parse(readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
        for (const [key, value] of Object.entries(file.config)) {
            expect(key).toMatch(/^(aws|rag-platform):/);
            expect(typeof value === "object" && value !== null && "secure" in value, key).toBe(false);
        }
    });
});
