/**
 * Each pack directory as `pulumi policy publish` takes it (pkg/cmd/pulumi/policy/policy_publish.go and
 * pkg/backend/httpstate/policypack.go in pulumi/pulumi): PulumiPolicy.yaml found from the directory, the pack
 * started there for its name and version, `npm pack` run there for a nodejs pack and the tarball uploaded; where
 * a group enforces the pack, the tarball unpacked and `npm install`ed, then started. Here: the same `npm pack`, the
 * tarball unpacked and started alone (the root's node_modules standing for the install), and the names and
 * versions docs/policy-packs.md gives.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PolicyPackProcess } from "../offline/analyzer-client";
import { PROJECT_DIR } from "../offline/evaluate";
import { POLICY_PACKS_DIR } from "../offline/policy-check";
import { POLICY_PACKS } from "../policy-packs/catalog";
import { buildPacks, bundle, entryPath, sourceHash } from "../policy-packs/build";

const rootPackage = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8"));
const DOC = readFileSync(join(PROJECT_DIR, "docs", "policy-packs.md"), "utf8");
/** The file names the CLI takes for a policy project (workspace.isPolicyPack: PulumiPolicy with a markup extension). */
const POLICY_PROJECT_FILES = ["PulumiPolicy.yaml", "PulumiPolicy.yml", "PulumiPolicy.json"];
/** The service's rule for a version tag (pkg/backend/httpstate/client/client.go, validatePolicyPackVersion). */
const VERSION_TAG = /^[a-zA-Z0-9-_.]{1,100}$/;

/** `version` within a caret range `^M.m.p` (same major, not below it): the only form @pulumi/policy uses for the SDK. */
function satisfiesCaret(version: string, range: string): boolean {
    const [v, r] = [version, range.replace(/^\^/, "")].map((x) => x.split(".").map(Number));
    expect(range, "a caret range").toMatch(/^\^\d+\.\d+\.\d+$/);
    return v[0] === r[0] && (v[1] > r[1] || (v[1] === r[1] && v[2] >= r[2]));
}

/** A version of a package as installed at the root. */
const installed = (name: string) => JSON.parse(readFileSync(join(PROJECT_DIR, "node_modules", name, "package.json"), "utf8"));

describe.each(POLICY_PACKS)("policy pack $dir, as `pulumi policy publish` packs it", ({ dir, name, policies }) => {
    const packDir = join(POLICY_PACKS_DIR, dir);
    const pkg = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8"));
    let work: string;
    let packed: { filename: string; files: { path: string }[]; name: string; version: string };

    beforeAll(() => {
        buildPacks();
        work = mkdtempSync(join(tmpdir(), `rag-publish-${dir}-`));
        // What the CLI runs (npm.Pack: `npm pack --loglevel=error` in the pack's directory), into a directory of ours.
        const result = spawnSync("npm", ["pack", "--loglevel=error", "--json", "--pack-destination", work], { cwd: packDir, encoding: "utf8" });
        expect(result.status, result.stderr).toBe(0);
        [packed] = JSON.parse(result.stdout);
        // The service unpacks under package/ (installRequiredPolicy), as npm packs.
        const untar = spawnSync("tar", ["-xzf", join(work, packed.filename), "-C", work], { encoding: "utf8" });
        expect(untar.status, untar.stderr).toBe(0);
    });
    afterAll(() => work && rmSync(work, { recursive: true, force: true }));

    it("has its own PulumiPolicy.yaml with runtime nodejs, found from the pack's directory before any other", () => {
        expect(POLICY_PROJECT_FILES.filter((f) => existsSync(join(packDir, f)))).toEqual(["PulumiPolicy.yaml"]);
        const project = parse(readFileSync(join(packDir, "PulumiPolicy.yaml"), "utf8"));
        expect(project.runtime).toBe("nodejs");
        // A version or main here would override package.json's (analyzer_plugin.go, GetAnalyzerInfo; GetPwdMain).
        expect(project.version).toBeUndefined();
        expect(project.main).toBeUndefined();
    });

    it("declares in package.json the name, a version tag the service takes, the built entry, and dependencies pinned to the root's", () => {
        expect(pkg.name).toBe(`@rag-platform/policy-${dir}`);
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(pkg.version).toMatch(VERSION_TAG);
        expect(pkg.main).toBe("dist/index.js");
        // No lifecycle script: npm pack would run prepack/prepare, and the CLI reads the tarball's name from its stdout.
        expect(pkg.scripts).toBeUndefined();
        // The org side runs `npm install` in the unpacked tarball: exact versions, the ones installed (and tested) here.
        for (const [dep, version] of Object.entries(pkg.dependencies as Record<string, string>)) {
            expect(version, dep).toBe(rootPackage.dependencies[dep]);
            // (@pulumi/policy's own package.json spells its version with a leading "v".)
            expect(installed(dep).version.replace(/^v/, ""), dep).toBe(version);
        }
        // @pulumi/pulumi is what starts the pack (cmd/run-policy-pack); @pulumi/policy is what the entry requires.
        expect(Object.keys(pkg.dependencies).sort()).toEqual(["@pulumi/policy", "@pulumi/pulumi"]);
        // The pinned SDK is one @pulumi/policy accepts, so the install resolves a single @pulumi/pulumi.
        expect(satisfiesCaret(pkg.dependencies["@pulumi/pulumi"], installed("@pulumi/policy").dependencies["@pulumi/pulumi"])).toBe(true);
    });

    it("ships exactly what runs: PulumiPolicy.yaml, package.json and the entry built from today's sources", () => {
        expect(packed.name).toBe(pkg.name);
        expect(packed.version).toBe(pkg.version);
        expect(packed.files.map((f) => f.path).sort()).toEqual(["PulumiPolicy.yaml", "dist/index.js", "package.json"]);
        const unpacked = join(work, "package");
        expect(readFileSync(join(unpacked, "dist", "index.js"), "utf8")).toBe(bundle(dir, sourceHash()));
        expect(readFileSync(join(unpacked, "dist", "index.js"), "utf8")).toBe(readFileSync(entryPath(dir), "utf8"));
        // Every module the entry loads is a declared dependency: the org's `npm install` provides nothing else.
        const requires = [...readFileSync(join(unpacked, "dist", "index.js"), "utf8").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
        const builtin = (m: string) => m.startsWith("node:") || builtinModules.includes(m);
        expect([...new Set(requires.filter((m) => !builtin(m)))].filter((m) => !(m in pkg.dependencies))).toEqual([]);
    });

    it("starts from the unpacked tarball alone and answers with the name and version it is published under", async () => {
        const unpacked = join(work, "package");
        // Stands for the `npm install` the org side runs: the same pinned versions, from the root.
        symlinkSync(join(PROJECT_DIR, "node_modules"), join(unpacked, "node_modules"), "dir");
        expect(readdirSync(unpacked).sort()).toEqual(["PulumiPolicy.yaml", "dist", "node_modules", "package.json"]);
        const pack = await PolicyPackProcess.start(unpacked);
        try {
            const info = await pack.info();
            expect({ name: info.name, version: info.version }).toEqual({ name, version: pkg.version });
            expect(info.policies.map((p) => p.name)).toEqual(policies.map((p) => p.name));
        } finally {
            await pack.stop();
        }
    });

    it("is listed in docs/policy-packs.md under the name, version and npm package it publishes", () => {
        const row = new RegExp(`^\\| \`policy-packs/${dir}\` \\| \`([^\`]+)\` \\| \`([^\`]+)\` \\| \`([^\`]+)\` \\| (\\d+) \\|$`, "m").exec(DOC);
        expect(row, `docs/policy-packs.md: no row for policy-packs/${dir} in the publishing table`).not.toBeNull();
        expect(row!.slice(1)).toEqual([name, pkg.version, pkg.name, String(policies.length)]);
    });
});

describe("docs/policy-packs.md", () => {
    it("lists every pack it publishes, and no other", () => {
        const rows = [...DOC.matchAll(/^\| `policy-packs\/([a-z-]+)` \|/gm)].map((m) => m[1]);
        expect(rows).toEqual(POLICY_PACKS.map((p) => p.dir));
    });

    it("maps each environment's policy group to its stacks and its config directory, as the stack files say", () => {
        const groups = Object.fromEntries(
            [...DOC.matchAll(/^\| `rag-([a-z-]+)` \| ([^|]+) \| `policy-packs\/config\/([a-z-]+)\/`/gm)].map((m) => [m[1], { stacks: [...m[2].matchAll(/`rag-platform\/([a-z-]+)`/g)].map((s) => s[1]).sort(), config: m[3] }]),
        );
        // Each stack in the group of its environment (rag-platform:environment in its stack file).
        const byEnvironment: Record<string, string[]> = {};
        for (const file of readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            const stack = file.slice("Pulumi.".length, -".yaml".length);
            const environment = parse(readFileSync(join(PROJECT_DIR, file), "utf8")).config["rag-platform:environment"];
            (byEnvironment[environment] ??= []).push(stack);
            // A stack whose own files differ from its environment's would need a group of its own.
            for (const { dir } of POLICY_PACKS) {
                const own = join(POLICY_PACKS_DIR, "config", stack, `${dir}.json`);
                if (existsSync(own)) expect(JSON.parse(readFileSync(own, "utf8")), `${stack}/${dir}.json differs from ${environment}'s`).toEqual(JSON.parse(readFileSync(join(POLICY_PACKS_DIR, "config", environment, `${dir}.json`), "utf8")));
            }
        }
        expect(groups).toEqual(Object.fromEntries(Object.entries(byEnvironment).map(([env, stacks]) => [env, { stacks: stacks.sort(), config: env }])));
    });
});
