/** The packs as directories the Pulumi CLI can run, and the generated policy table in step with them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_DIR } from "../offline/evaluate";
import { PACK_DIRS, POLICY_PACKS_DIR } from "../offline/policy-check";
import { POLICY_PACKS } from "../policy-packs/catalog";
import { POLICY_DOCS_PATH, renderPolicyDocs } from "../scripts/write-policy-docs";

const rootPackage = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8"));

describe.each(POLICY_PACKS)("policy pack directory $dir", ({ dir, name }) => {
    const packDir = join(POLICY_PACKS_DIR, dir);

    it("is a Node.js policy pack the CLI can run: PulumiPolicy.yaml, versioned package.json, index.ts built to dist/index.js", () => {
        expect(parse(readFileSync(join(packDir, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs" });
        const pkg = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8"));
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(pkg.main).toBe("dist/index.js");
        // Same pins as the project: the pack resolves them from the repository's node_modules.
        expect(pkg.dependencies).toEqual({ "@pulumi/policy": rootPackage.dependencies["@pulumi/policy"], "@pulumi/pulumi": rootPackage.dependencies["@pulumi/pulumi"] });
        expect(readFileSync(join(packDir, "index.ts"), "utf8")).toMatch(/new PolicyPack\(\w+\.name, \{ enforcementLevel: "mandatory", policies: \w+\.policies \}\);/);
        expect(name).toMatch(/^rag-[a-z-]+$/);
    });
});

describe("policies across the packs", () => {
    it("are the packs the build and the offline check know, in the same order", () => {
        expect(POLICY_PACKS.map((p) => p.dir)).toEqual(PACK_DIRS);
    });

    it("have names unique across all three (config files address them by name alone)", () => {
        const names = POLICY_PACKS.flatMap((p) => p.policies.map((policy) => policy.name));
        expect(new Set(names).size).toBe(names.length);
    });

    it("are listed in policy-packs/POLICIES.md as generated (run `npm run policy-docs` after changing one)", () => {
        expect(readFileSync(POLICY_DOCS_PATH, "utf8")).toBe(renderPolicyDocs());
    });
});
