import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPTIONS } from "../offline/cli-args";
import { PROJECT_DIR, type PlanRecord } from "../offline/evaluate";
import { EXIT, EXIT_MEANING } from "../offline/exit-codes";
import type { PolicyReport } from "../offline/policy-check";
import { highAvailabilityPack } from "../policy-packs/high-availability/policies";

// `npm run plan`'s own command, piped, with no colour or progress asked for unless `env` does.
const planWith = (env: Record<string, string>, ...args: string[]) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["NO_COLOR", "FORCE_COLOR", "PLAN_PROGRESS"].includes(k)));
    return spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_DIR, "offline", "cli.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8", env: { ...base, ...env } });
};
const plan = (...args: string[]) => planWith({}, ...args);
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);
const ANSI = /\x1b\[\d+m/g;
const work = mkdtempSync(join(tmpdir(), "rag-plan-"));

describe("npm run plan", () => {
    it("prints the dev plan and writes the record with --json", () => {
        const json = join(work, "dev.json");
        const result = plan("--stack", "dev", "--json", json);
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain("rag-platform/dev: offline plan");
        expect(result.stdout).toContain("NAT gateways: 1 (us-east-1a)");
        expect(result.stdout).toContain("database tier has no route out of the VPC");
        expect(result.stdout).toContain("Not visible offline");
        expect(result.stdout).toContain(`rag-high-availability@0.1.0  config policy-packs/config/dev/high-availability.json; 0 mandatory, ${highAvailabilityPack.policies.length} advisory`);
        expect(result.stdout).toContain('ADVISORY [medium] rag-high-availability/nat-gateway-per-az: aws:ec2/subnet:Subnet "network-private-us-east-1b"');
        expect(result.stdout).toContain("Policy result: no mandatory violations");
        // Wrapped at 160 columns: the line breaks where a space was.
        expect(result.stdout).toMatch(/Fidelity checks: \d+ Kubernetes objects against Kubernetes 1\.35 and the pinned CRDs, \d+ Helm values files against their charts, \d+ IAM documents\s+against\s+the\s+IAM\s+catalogue/);
        expect(result.stdout).toContain("Fidelity result: no findings");
        const record = JSON.parse(readFileSync(json, "utf8")) as PlanRecord & { policy: PolicyReport; fidelity: { findings: unknown[] } };
        expect(record.fidelity.findings).toEqual([]);
        expect(record.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")?.inputs.cidrBlock).toBe("10.0.0.0/16");
        expect(record.policy.violations.map((v) => `${v.level} ${v.policy}`).sort()).toEqual([
            "advisory elasticache-multi-az",
            "advisory nat-gateway-per-az",
            "advisory node-group-multi-az",
            "advisory node-group-multi-az",
            "advisory rds-multi-az",
            "advisory workload-replicas",
        ]);
        expect(result.stdout).toContain("EKS cluster rag-dev: Kubernetes 1.35, API endpoint private only");
        expect(result.stdout).toContain("  kubeconfig = [secret]");
        expect(result.stdout).toContain("Data tier: PostgreSQL 17 on db.t4g.medium, single-AZ, 20-100 GiB gp3, 1 day of PITR, 0 read replica(s)");
        expect(result.stdout).toContain("Tempo 7 d, 100% of traces sampled");
        // The cost estimate ends the plan, and the record carries it for a later --compare.
        expect(result.stdout).toMatch(/\nMonthly cost estimate \(on-demand list prices of 2026-12-02, us-east-1\): \$\d[\d,]* at minimum scale, \$\d[\d,]* at maximum\n  by component: cluster/);
        expect((record as unknown as { cost: { total: { min: number } } }).cost.total.min).toBeGreaterThan(100);
        // The verdict is the last line; no line is wider than 160 columns; piped, no colour and no progress.
        expect(lastLine(result.stdout)).toBe("Verdict for rag-platform/dev: ok, 6 advisory violations (exit 0: clean, advisory violations allowed)");
        expect(Math.max(...result.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(160);
        expect(result.stdout + result.stderr).not.toMatch(ANSI);
        expect(result.stderr).not.toContain("evaluating dev…");
    });

    it("shows what a change adds per month against a previous plan's record with --compare", () => {
        const file = join(work, "Pulumi.dev-three-nat.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:environment: dev", "  rag-platform:natGateways: onePerAz", ""].join("\n"));
        const summary = join(work, "summary.md");
        writeFileSync(summary, "earlier steps' summary\n");
        const result = plan("--stack", "dev", "--config", file, "--skip-policy", "--compare", join(work, "dev.json"), "--summary", summary);
        expect(result.status, result.stderr).toBe(0);
        // One more NAT gateway and its address (dev has two AZs).
        expect(result.stdout).toContain("Cost change against the previous plan: +$37 per month (minimum / maximum scale)\n  network: +$37\n    aws:ec2/eip:Eip: +$4\n    aws:ec2/natGateway:NatGateway: +$33");
        // The job summary: appended, Markdown tables for the verdict, the totals and the change by component and type.
        const markdown = readFileSync(summary, "utf8");
        expect(markdown).toMatch(/^earlier steps' summary\n### Offline plan of rag-platform\/dev: ok\n/);
        expect(markdown).toContain("| Verdict | ✅ ok (exit 0: clean, advisory violations allowed) |");
        expect(markdown).toContain("| Policy packs | skipped |");
        expect(markdown).toMatch(/\| This plan \| \$\d[\d,]* \| \$\d[\d,]* \|\n\| \*\*Change\*\* \| \*\*\+\$37\*\* \| \*\*\+\$37\*\* \|/);
        expect(markdown).toContain(
            ["| Component | Type | Minimum | Maximum |", "| --- | --- | ---: | ---: |", "| **network** | (all) | +$37 | +$37 |", "|  | aws:ec2/eip:Eip | +$4 | +$4 |", "|  | aws:ec2/natGateway:NatGateway | +$33 | +$33 |"].join("\n"),
        );
        const missing = plan("--stack", "dev", "--skip-policy", "--compare", file);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/--compare .*Pulumi\.dev-three-nat\.yaml: not JSON/);
    });

    it("previews the change against the last deployment with --from, and exits 6 where pulumi up would stop", () => {
        // The last deployment held a protected resource the program no longer registers.
        const deployed = JSON.parse(readFileSync(join(work, "dev.json"), "utf8")) as PlanRecord;
        const gone = { ...deployed.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!, protect: true };
        gone.urn = gone.urn.replace(/::[^:]+$/, "::data-buckets-archive");
        writeFileSync(join(work, "dev-deployed.json"), JSON.stringify({ ...deployed, resources: [...deployed.resources, gone] }));
        const result = plan("--stack", "dev", "--skip-policy", "--from", join(work, "dev-deployed.json"));
        expect(result.status, result.stderr).toBe(6);
        expect(result.stdout).toContain(`Previewing update (dev):\n  against the last deployment in ${join(work, "dev-deployed.json")}`);
        expect(result.stdout).toContain(" -  aws:s3/bucket:Bucket");
        expect(result.stdout).toContain(`error: Preview failed: resource "${gone.urn}" cannot be deleted\n    because it is protected.`);
        // The preview ends the report; the verdict follows it.
        expect(result.stdout).toMatch(/\nResources:\n    - 1 to delete\n    \d+ unchanged\n\nVerdict for rag-platform\/dev: FAILED, 1 change pulumi up would refuse \(exit 6: the change previewed with --from would stop pulumi up\)\n$/);
        const missing = plan("--stack", "dev", "--skip-policy", "--from", join(work, "nothing.json"));
        expect(missing.status).toBe(2);
        expect(missing.stderr).toContain(`--from ${join(work, "nothing.json")}: no such file (give the --json record of the last deployed plan, or the output of \`pulumi stack export\`)`);
    });

    it("exits 4 and names pack, policy, level, resource and fix on a mandatory violation", () => {
        // Accepted by config validation (staging may pick a single NAT) but refused by staging's policy config.
        const file = join(work, "Pulumi.staging-single-nat.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:environment: staging", "  rag-platform:natGateways: single", ""].join("\n"));
        const result = plan("--stack", "staging", "--config", file);
        expect(result.status, result.stderr).toBe(4);
        expect(result.stdout).toContain('MANDATORY [medium] rag-high-availability/nat-gateway-per-az: aws:ec2/subnet:Subnet "network-private-us-east-1c"');
        expect(result.stdout).toContain("subnet in us-east-1c egresses through a NAT gateway in us-east-1a");
        expect(result.stdout).toContain("fix: Create one NAT gateway per AZ");
        expect(result.stdout).toContain("Policy result: 2 mandatory violation(s)");
        expect(lastLine(result.stdout)).toBe("Verdict for rag-platform/staging: FAILED, 2 mandatory policy violations (exit 4: a mandatory policy violation)");
    });

    it("skips the packs with --skip-policy; --json - on stdout, the report on stderr; colour and progress when forced", () => {
        const result = planWith({ FORCE_COLOR: "1", PLAN_PROGRESS: "1" }, "--stack", "dev", "--skip-policy", "--json", "-");
        expect(result.status, result.stderr).toBe(0);
        // The whole record (far more than a pipe's buffer), and nothing else, on stdout.
        const record = JSON.parse(result.stdout) as PlanRecord & { cost: { total: { min: number } } };
        expect(record.resources.length).toBeGreaterThan(200);
        expect(record.cost.total.min).toBeGreaterThan(100);
        expect(result.stderr.replace(ANSI, "")).toContain("Policy packs: skipped (--skip-policy)");
        expect(lastLine(result.stderr)).toBe("\x1b[1mVerdict for rag-platform/dev:\x1b[22m \x1b[32mok\x1b[39m, policy packs skipped (exit 0: clean, advisory violations allowed)");
        expect(result.stderr).toContain("Fidelity result: \x1b[32mno findings\x1b[39m");
        // Progress by phase on stderr, each with its time.
        const progress = result.stderr.replace(ANSI, "");
        expect(progress).toMatch(/^loading the SDKs… \d+\.\d s$/m);
        expect(progress).toMatch(/^evaluating dev… (.*\n)*?(evaluating dev… )?\d+\.\d s \(\d+ resources\)$/m);
        expect(progress).toMatch(/^fidelity… \d+\.\d s$/m);
    });

    it("exits 1 with one message per problem, and registers nothing, for a bad stack file", () => {
        const file = join(work, "Pulumi.broken.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:environment: prod", "  rag-platform:natGateway: single", "  rag-platform:nodeMinSize: 12", ""].join("\n"));
        // `--json -`: the record on stdout, the report (here an error) on stderr, the verdict last.
        const result = plan("--stack", "prod", "--config", file, "--json", "-");
        expect(result.status).toBe(1);
        expect(lastLine(result.stderr)).toBe("Verdict for rag-platform/prod: FAILED, config rejected (exit 1: the stack's config is rejected (by the Pulumi CLI's rules or the program's))");
        expect(result.stderr).toContain('stack "prod": rag-platform:natGateway = "single": unknown key (did you mean "rag-platform:natGateways"?)');
        expect(result.stderr).toContain('stack "prod": rag-platform:nodeMinSize = 12: greater than nodeMaxSize (10)');
        const record = JSON.parse(result.stdout) as PlanRecord;
        expect(record.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });

    it("exits 1 where the Pulumi CLI would stop before the program, with the CLI's words, and registers nothing", () => {
        const file = join(work, "Pulumi.no-environment.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:kubernetesVersion: [1.35]", ""].join("\n"));
        const json = join(work, "no-environment.json");
        const result = plan("--stack", "prod", "--config", file, "--json", json);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("the Pulumi CLI would stop before running the program:\n  error: Stack 'prod' is missing configuration value 'environment'");
        expect((JSON.parse(readFileSync(json, "utf8")) as PlanRecord).resources).toEqual([]);
    });

    it("exits 2 without a stack", () => {
        const result = plan();
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("usage: npm run plan -- --stack");
    });

    it("prints --help with every option and exit code, and exits 0", () => {
        for (const flag of ["--help", "-h"]) {
            const result = plan(flag);
            expect(result.status, result.stderr).toBe(0);
            for (const [name, code] of Object.entries(EXIT)) expect(result.stdout).toMatch(new RegExp(`^  ${code}  ${name} +${EXIT_MEANING[code].replace(/[()]/g, "\\$&")}$`, "m"));
            for (const [name, spec] of Object.entries(OPTIONS)) if (!("hidden" in spec)) expect(result.stdout).toContain(`--${name}`);
            expect(result.stdout).toContain("Examples:\n  npm run plan -- --stack dev\n");
        }
    });

    it("refuses every bad invocation in one line with the reason and the fix, exit 2, before anything starts", () => {
        const unreadable = join(work, "unreadable.json");
        writeFileSync(unreadable, "{}");
        chmodSync(unreadable, 0o000);
        const cases: [string[], string][] = [
            [["--stak", "dev"], "error: unknown option --stak: did you mean --stack? (see npm run plan -- --help)"],
            [["--stack", "dev", "--skip"], "error: unknown option --skip: did you mean --skip-policy?"],
            [["--stack", "prd"], 'error: no stack "prd": no Pulumi.prd.yaml here; did you mean --stack prod? the stacks are dev, prod, prod-dr, staging, or give a stack file with --config'],
            [["--config", "Pulumi.dev.yaml"], "error: --config needs --stack too: name the stack the file configures, e.g. --stack dev --config Pulumi.dev.yaml"],
            [["--stack", "dev", "--config", join(work, "none.yaml")], `error: --config ${join(work, "none.yaml")}: no such file (give a stack file that exists, e.g. Pulumi.dev.yaml)`],
            [["--stack", "dev", "--compare", join(work, "none.json")], `error: --compare ${join(work, "none.json")}: no such file (give the file an earlier plan wrote with --json)`],
            [["--stack", "dev", "--compare", work], `error: --compare ${work}: is a directory`],
            [["--stack", "dev", "--json"], "error: --json needs a value: --json <file|->"],
            [["--stack", "--skip-policy"], "error: --stack needs a value: --stack <name>"],
            [["--stack", "dev", "--json", join(work, "no", "x.json")], `error: --json ${join(work, "no", "x.json")}: the directory ${join(work, "no")} does not exist`],
            [["dev"], 'error: unexpected argument "dev": options are given as --name value (the stack? --stack dev)'],
        ];
        // Root reads any file: the permission case only where permissions hold.
        if (process.getuid?.() !== 0) cases.push([["--stack", "dev", "--from", unreadable], `error: --from ${unreadable}: cannot be read (permission denied;`]);
        for (const [args, message] of cases) {
            const result = plan(...args);
            expect(result.status, args.join(" ")).toBe(2);
            expect(result.stderr, args.join(" ")).toMatch(/^[^\n]+\n$/);
            expect(result.stderr, args.join(" ")).toContain(message);
            expect(result.stdout).toBe("");
        }
    });

    it("colours on FORCE_COLOR, never with NO_COLOR (any value)", () => {
        expect(planWith({ FORCE_COLOR: "1" }, "--stak").stderr).toMatch(/^\x1b\[31merror:\x1b\[39m unknown option --stak: did you mean --stack\?/);
        expect(planWith({ FORCE_COLOR: "1", NO_COLOR: "" }, "--stak").stderr).toMatch(/^error: unknown option --stak/);
        expect(planWith({}, "--stak").stderr).toMatch(/^error: /);
    });
});
