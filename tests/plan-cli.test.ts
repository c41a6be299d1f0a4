import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR, type PlanRecord } from "../offline/evaluate";
import type { PolicyReport } from "../offline/policy-check";
import { highAvailabilityPack } from "../policy-packs/high-availability/policies";

// `npm run plan`'s own command.
const plan = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_DIR, "offline", "cli.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
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
        expect(result.stdout).toMatch(/Fidelity checks: \d+ Kubernetes objects against Kubernetes 1\.35 and the pinned CRDs, \d+ Helm values files against their charts, \d+ IAM documents against the IAM catalogue/);
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
    });

    it("shows what a change adds per month against a previous plan's record with --compare", () => {
        const file = join(work, "Pulumi.dev-three-nat.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:environment: dev", "  rag-platform:natGateways: onePerAz", ""].join("\n"));
        const result = plan("--stack", "dev", "--config", file, "--skip-policy", "--compare", join(work, "dev.json"));
        expect(result.status, result.stderr).toBe(0);
        // One more NAT gateway and its address (dev has two AZs).
        expect(result.stdout).toContain("Cost change against the previous plan: +$37 per month (minimum / maximum scale)\n  network: +$37\n    aws:ec2/eip:Eip: +$4\n    aws:ec2/natGateway:NatGateway: +$33");
        const missing = plan("--stack", "dev", "--skip-policy", "--compare", file);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/--compare .*Pulumi\.dev-three-nat\.yaml: /);
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
        expect(result.stdout).toMatch(/\nResources:\n    - 1 to delete\n    \d+ unchanged\n$/);
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
    });

    it("skips the packs with --skip-policy", () => {
        const result = plan("--stack", "dev", "--skip-policy");
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain("Policy packs: skipped (--skip-policy)");
    });

    it("exits 1 with one message per problem, and registers nothing, for a bad stack file", () => {
        const file = join(work, "Pulumi.broken.yaml");
        writeFileSync(file, ["config:", "  aws:region: us-east-1", "  rag-platform:environment: prod", "  rag-platform:natGateway: single", "  rag-platform:nodeMinSize: 12", ""].join("\n"));
        const json = join(work, "broken.json");
        const result = plan("--stack", "prod", "--config", file, "--json", json);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('stack "prod": rag-platform:natGateway = "single": unknown key (did you mean "rag-platform:natGateways"?)');
        expect(result.stderr).toContain('stack "prod": rag-platform:nodeMinSize = 12: greater than nodeMaxSize (10)');
        const record = JSON.parse(readFileSync(json, "utf8")) as PlanRecord;
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
});
