/**
 * Every documented operation as a drill (tests/drill.ts): each step of docs/deploy.md, docs/operations.md and
 * docs/disaster-recovery.md previewed against the state the step before left, asserting what the docs say happens
 * and nothing else. A step `pulumi up` would stop on fails its drill with the CLI's message.
 */
import { describe, expect, it } from "vitest";
import type { PlanRecord } from "../offline/evaluate";
import { ofType } from "../offline/inspect";
import type { Deployment } from "../offline/preview";
import { applied, changed, DrillFailure, primaryOutputs, refreshedAway, regionsTouched, runDrill, unprotect } from "./drill";
import { planOf } from "./plans";

const byOp = (preview: Parameters<typeof changed>[0]) => Object.fromEntries(changed(preview).map((c) => [c.name, c.op]));
const ADMIN = "arn:aws:iam::123456789012:role/platform-oncall";
const DEPLOYER = "arn:aws:iam::123456789012:role/rag-platform-deploy-dev";
const API_AND_FRONTEND = [
    { name: "api", kind: "api", image: "public.ecr.aws/rag-platform/api:1.0.0" },
    { name: "frontend", kind: "frontend", image: "public.ecr.aws/rag-platform/frontend:1.0.0" },
];

describe("drill: a dev stack's life (docs/deploy.md, docs/operations.md)", () => {
    it("deploys, grows, scales, rotates, upgrades Kubernetes with its add-ons and charts, and is destroyed", async () => {
        await runDrill({ stack: "dev" }, [
            {
                step: "deploy.md step 1 and 3: the first update, from a runner admitted by its egress CIDR, the deploy role not listed",
                config: { "rag-platform:kubernetesVersion": "1.34", "rag-platform:deployRoleArn": DEPLOYER, "rag-platform:clusterAdminRoleArns": [ADMIN], "rag-platform:clusterPublicAccessCidrs": ["203.0.113.10/32"] },
                expect: (preview, plan) => {
                    expect(preview.counts).toMatchObject({ update: 0, replace: 0, delete: 0, same: 0, create: plan.resources.length });
                    // One access entry per principal; the creator's is EKS's own.
                    const principals = ofType(plan, "aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn);
                    expect(principals).toEqual([ADMIN]);
                },
            },
            {
                step: "deploy.md step 3: the second update moves the API to the private endpoint only",
                config: { "rag-platform:clusterPublicAccessCidrs": [], "rag-platform:clusterPrivateAccessCidrs": ["10.20.0.0/24"] },
                expect: (preview) => {
                    expect(byOp(preview)).toEqual({ "cluster-eks": "update", "cluster-api-from-10-20-0-0-24": "create" });
                },
            },
            {
                step: "operations.md: add a service",
                config: { "rag-platform:services": JSON.stringify([...API_AND_FRONTEND, { name: "mcp", kind: "api", image: "public.ecr.aws/rag-platform/mcp:1.0.0", ingress: { paths: ["/mcp"] } }]) },
                expect: (preview) => {
                    const steps = changed(preview);
                    expect(steps.filter((c) => c.op !== "create").map((c) => `${c.name} ${c.op}`)).toEqual(["workload-quota update"]);
                    expect(steps.filter((c) => c.op === "create").every((c) => c.name.startsWith("workload-mcp"))).toBe(true);
                    expect(steps.map((c) => c.type)).toContain("kubernetes:apps/v1:Deployment");
                },
            },
            {
                step: "operations.md: scale the application node group",
                config: { "rag-platform:nodeMaxSize": 6 },
                expect: (preview) => {
                    expect(changed(preview).map((c) => [c.name, c.op, c.diffs])).toEqual([["cluster-application", "update", ["scalingConfig.maxSize"]]]);
                },
            },
            {
                step: "operations.md: the database password rotates (Secrets Manager), then the next `pulumi up`",
                state: (d) => rotated(d, "rotated-by-secrets-manager"),
                expect: (preview) => expect(changed(preview)).toEqual([]),
            },
            {
                step: "operations.md: upgrade Kubernetes 1.34 -> 1.35: control plane, then node groups, add-ons and the autoscaler chart",
                config: { "rag-platform:kubernetesVersion": "1.35" },
                expect: (preview) => {
                    const steps = changed(preview);
                    expect(steps.every((c) => c.op === "update")).toBe(true);
                    expect(Object.fromEntries(steps.map((c) => [c.name, c.diffs]))).toEqual({
                        "cluster-eks": ["version"],
                        "cluster-application": ["version"],
                        "cluster-observability": ["version"],
                        "cluster-vpc-cni": ["addonVersion"],
                        "cluster-kube-proxy": ["addonVersion"],
                        "cluster-coredns": ["addonVersion"],
                        "cluster-aws-ebs-csi-driver": ["addonVersion"],
                        "cluster-addons-cluster-autoscaler": ["version"],
                    });
                    // The control plane goes first: node groups depend on it.
                    expect(steps.findIndex((c) => c.name === "cluster-eks")).toBeLessThan(steps.findIndex((c) => c.name === "cluster-application"));
                },
            },
            { step: "operations.md: destroy dev (nothing protected there)", destroy: true, expect: (preview) => expect(preview.counts.delete).toBeGreaterThan(200) },
        ]);
    });

    it("refuses what the docs say not to do: the deploy role as an admin entry, an upgrade KEDA is not tested on", async () => {
        await expect(runDrill({ stack: "dev" }, [{ step: "the deploy role listed again", config: { "rag-platform:deployRoleArn": DEPLOYER, "rag-platform:clusterAdminRoleArns": [DEPLOYER] } }])).rejects.toThrow(
            `rag-platform:clusterAdminRoleArns = "${DEPLOYER}": is deployRoleArn, which creates the cluster: EKS already gives it an access entry with cluster-admin, and a second one fails the first deploy (409 ResourceInUseException)`,
        );
        await expect(runDrill({ stack: "dev" }, [{ step: "Kubernetes 1.32", config: { "rag-platform:kubernetesVersion": "1.32" } }])).rejects.toThrow(
            "rag-platform:kubernetesVersion = \"1.32\": KEDA 2.20.2 (the workload's autoscaler) is not tested on Kubernetes 1.32; allowed: 1.33 to 1.35, the minors KEDA 2.20.2 is tested on",
        );
    });
});

/** The state after Secrets Manager rotated the master password: the secret's value and the instance's password moved. */
function rotated(deployment: Deployment, password: string): Deployment {
    return {
        ...deployment,
        resources: deployment.resources.map((r) =>
            r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.urn.endsWith("::data-postgres-master")
                ? { ...r, inputs: { ...r.inputs, secretString: JSON.stringify({ password }) } }
                : r.type === "aws:rds/instance:Instance" && r.urn.endsWith("::data-postgres-writer")
                  ? { ...r, inputs: { ...r.inputs, password } }
                  : r,
        ),
    };
}

const PRIMARY_FILE = "examples/systems/s0-mcp-rag-demo.yaml";
const STANDBY_FILE = "examples/systems/s0-mcp-rag-demo-standby.yaml";
/** What only a promoted standby has and protects: its generated passwords and the secrets that hold them. */
const isPromotedOnly = (urn: string) => /::data-postgres-(master|app)-password$/.test(urn) || /\$aws:secretsmanager\/secret:Secret::data-postgres-(master|app)$/.test(urn);

describe("drill: failover and failback of the shipped pair (docs/disaster-recovery.md)", async () => {
    const primary = await planOf("s0-mcp-rag-demo");
    const standby = await planOf("s0-mcp-rag-demo-standby");
    const primaryDrill = { stack: "prod", file: PRIMARY_FILE, from: { deployment: applied(primary), plan: primary } };
    const standbyDrill = (from: Deployment | undefined, plan?: PlanRecord) => {
        if (!from) throw new Error("the failover drill did not leave a promoted standby (see its failure above)");
        return standbyDrillFrom(from, plan);
    };
    const standbyDrillFrom = (from: Deployment, plan?: PlanRecord) => ({ stack: "prod-dr", file: STANDBY_FILE, from: { deployment: from, plan }, stackOutputs: () => primaryOutputs(primary) });
    let promotedStandby: Deployment | undefined;

    it("fails over: fence prod, promote the standby without touching the lost region, scale it", async () => {
        await runDrill(primaryDrill, [
            {
                step: "failing over, step 3: fence prod (only the calculated check's threshold moves, past its one child)",
                config: { "rag-platform:failoverFenced": true },
                expect: (preview, plan) => {
                    expect(changed(preview).map((c) => [c.name, c.op, c.diffs])).toEqual([["rag.example.com-failover", "update", ["childHealthThreshold"]]]);
                    const check = ofType(plan, "aws:route53/healthCheck:HealthCheck").find((h) => h.name === "rag.example.com-failover")!;
                    expect(check.inputs).toMatchObject({ type: "CALCULATED", childHealthThreshold: 2 });
                    expect((check.inputs.childHealthchecks as unknown[]).length).toBe(1);
                },
            },
        ]);
        const { deployment } = await runDrill(standbyDrill(applied(standby), standby), [
            {
                step: "failing over, step 4: promote (us-east-1 is down: nothing there may be created or changed)",
                config: { "rag-platform:standbyPromoted": true },
                expect: (preview, plan) => {
                    expect([...regionsTouched(preview, plan, applied(standby))]).toEqual(["us-west-2"]);
                    const ops = byOp(preview);
                    expect(ops["data-postgres-writer"]).toBe("update");
                    expect(changed(preview).find((c) => c.name === "data-postgres-writer")!.diffs).toEqual(expect.arrayContaining(["replicateSourceDb", "backupRetentionPeriod", "password"]));
                    expect(ops).toMatchObject({ "data-postgres-master": "create", "data-postgres-master-rotation": "create", "data-postgres-replica-1": "create" });
                    // The rotation function was deployed with the standby, not at the promotion.
                    expect(ops["data-postgres-rotation"]).toBeUndefined();
                },
            },
            {
                step: "failing over, step 6: scale the standby to prod's size",
                config: { "rag-platform:nodeMinSize": 6, "rag-platform:nodeDesiredSize": 6 },
                expect: (preview) => expect(changed(preview).map((c) => [c.name, c.op])).toEqual([["cluster-application", "update"]]),
            },
        ]);
        promotedStandby = deployment;
    });

    it("fails back: prod takes the re-seeded writer and keeps its own password, its replica follows the new writer, the fence lifts, the standby is rebuilt", async () => {
        await runDrill(primaryDrill, [
            { step: "failing over, step 3: fence prod", config: { "rag-platform:failoverFenced": true } },
            {
                step: "failing back, steps 4-5: `pulumi state delete` and `pulumi import` of the re-seeded writer, then `pulumi up -s prod`",
                state: imported("data-postgres-writer"),
                expect: (preview) => {
                    // The imported writer keeps the password the handed-back secret holds: the program never sets it again.
                    const writer = changed(preview).find((c) => c.name === "data-postgres-writer");
                    expect(writer?.diffs ?? []).not.toContain("password");
                    expect(preview.counts.replace + preview.counts.delete + preview.counts.create).toBe(0);
                },
            },
            {
                step: "failing back, step 6: re-create prod's read replica on the new writer (`pulumi state unprotect`, then `pulumi up --replace`)",
                state: unprotect((r) => r.urn.endsWith("::data-postgres-replica-1")),
                replace: ["data-postgres-replica-1"],
                config: { "rag-platform:intendedReplacements": ["data-postgres-replica-1"] },
                expect: (preview) => {
                    expect(changed(preview).map((c) => [c.name, c.op, c.deleteBeforeReplace])).toEqual([["data-postgres-replica-1", "replace", true]]);
                },
            },
            {
                step: "failing back, step 7: lift the fence (and empty intendedReplacements)",
                config: { "rag-platform:failoverFenced": false, "rag-platform:intendedReplacements": [] },
                expect: (preview) => expect(changed(preview).map((c) => [c.name, c.diffs])).toEqual([["rag.example.com-failover", ["childHealthThreshold"]]]),
            },
        ]);
        await runDrill(standbyDrill(promotedStandby), [
            {
                step: "failing back, step 8: delete the promoted writer by hand, `pulumi refresh`, unprotect its password and secret, `standbyPromoted: false`, `pulumi up -s prod-dr`",
                state: (d) => unprotect((r) => isPromotedOnly(r.urn))(refreshedAway((r) => /::data-postgres-(writer|replica-1)$/.test(r.urn))(d)),
                config: { "rag-platform:standbyPromoted": false },
                expect: (preview) => {
                    const ops = byOp(preview);
                    expect(ops["data-postgres-writer"]).toBe("create");
                    expect(ops["data-postgres-master-password"]).toBe("delete");
                    expect(changed(preview).find((c) => c.name === "data-postgres-master" && c.type === "aws:secretsmanager/secret:Secret")).toMatchObject({ op: "delete", retained: true });
                },
            },
        ]);
    });

    it("fails a runbook step the engine would stop: un-promoting without unprotecting the promoted password and secret", async () => {
        const wrong = runDrill(standbyDrill(promotedStandby), [
            {
                step: "the old failback step 6: `standbyPromoted: false`, `pulumi up -s prod-dr`",
                state: refreshedAway((r) => /::data-postgres-(writer|replica-1)$/.test(r.urn)),
                config: { "rag-platform:standbyPromoted": false },
            },
        ]);
        const failure = await wrong.then(() => undefined, (error: unknown) => error);
        expect(failure).toBeInstanceOf(DrillFailure);
        expect((failure as Error).message).toMatch(/cannot be deleted\nbecause it is protected[^]*data-postgres-master-password/);
    });
});

describe("drill: upgrading a standby deployed before contract 1.4.0 (docs/disaster-recovery.md)", () => {
    it("refuses the plain `pulumi up`, then applies once the cascading replica is deleted by hand", async () => {
        const standby = await planOf("s0-mcp-rag-demo-standby");
        const primary = await planOf("s0-mcp-rag-demo");
        // Before 1.4.0 a following standby kept 30 days of backups and a protected, retained replica of its writer.
        const current = applied(standby);
        const writer = current.resources.find((r) => r.urn.endsWith("::data-postgres-writer"))!;
        const replica = { ...writer, urn: writer.urn.replace(/data-postgres-writer$/, "data-postgres-replica-1"), inputs: { ...writer.inputs, identifier: `${String(writer.inputs.identifier)}-replica-1`, replicateSourceDb: writer.inputs.identifier, backupRetentionPeriod: 0 }, outputs: undefined };
        const old: Deployment = { ...current, resources: [...current.resources.map((r) => (r === writer ? { ...r, inputs: { ...r.inputs, backupRetentionPeriod: 30 } } : r)), replica] };
        const drill = { stack: "prod-dr", file: STANDBY_FILE, from: { deployment: old, plan: standby }, stackOutputs: () => primaryOutputs(primary) };
        await runDrill(drill, [
            {
                step: "the upgrade without the runbook: `pulumi up -s prod-dr`",
                plan: standby,
                refused: true,
                expect: (preview) => {
                    const messages = preview.errors.map((e) => e.message).join("\n");
                    expect(messages).toContain("cannot be deleted\nbecause it is protected");
                    expect(messages).toMatch(/backupRetentionPeriod goes to 0 while data-postgres-replica-1 still replicates it/);
                },
            },
            {
                step: "upgrading a standby from before 1.4.0: unprotect the replica, delete it with the AWS CLI, `pulumi state delete` it, then `pulumi up -s prod-dr`",
                state: refreshedAway((r) => r.urn === replica.urn),
                plan: standby,
                expect: (preview) => {
                    expect(changed(preview).map((c) => [c.name, c.op, c.diffs])).toEqual([["data-postgres-writer", "update", ["backupRetentionPeriod"]]]);
                },
            },
        ]);
    });
});

describe("drill: upgrading a clustered store deployed with an ordered start (docs/operations.md)", () => {
    it("replaces the StatefulSet only when the stack says so, deleting first, and keeps the members' volumes", async () => {
        const s2 = await planOf("s2-rag-engine");
        const isQdrant = (urn: string) => urn.endsWith("::workload-qdrant-statefulset");
        const current = applied(s2);
        const old: Deployment = { ...current, resources: current.resources.map((r) => (isQdrant(r.urn) ? { ...r, inputs: { ...r.inputs, spec: { ...(r.inputs.spec as object), podManagementPolicy: "OrderedReady" } } } : r)) };
        const drill = { stack: "prod", file: "examples/systems/s2-rag-engine.yaml", from: { deployment: old, plan: s2 } };
        await runDrill(drill, [
            {
                step: "the upgrade as is: `pulumi up` (the API server cannot change podManagementPolicy in place)",
                plan: s2,
                refused: true,
                expect: (preview) => expect(preview.errors.map((e) => e.message)).toEqual([expect.stringContaining('replacing kubernetes:apps/v1:StatefulSet "workload-qdrant-statefulset" (forced by spec.podManagementPolicy)')]),
            },
            {
                step: "with `intendedReplacements: [workload-qdrant-statefulset]`: the set is deleted first and its claims, retained, are taken again by the new one",
                config: { "rag-platform:intendedReplacements": ["workload-qdrant-statefulset"] },
                plan: s2,
                expect: (preview, plan) => {
                    expect(changed(preview).map((c) => [c.name, c.op, c.deleteBeforeReplace])).toEqual([["workload-qdrant-statefulset", "replace", true]]);
                    const spec = plan.resources.find((r) => isQdrant(r.urn))!.inputs.spec as { persistentVolumeClaimRetentionPolicy: unknown };
                    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
                },
            },
        ]);
    });
});

/**
 * `pulumi state delete` then `pulumi import` of a resource: its state's inputs become what the provider reads back
 * from AWS, which never includes a password.
 */
function imported(name: string): (d: Deployment) => Deployment {
    return (d) => ({
        ...d,
        resources: d.resources.map((r) => {
            if (!r.urn.endsWith(`::${name}`)) return r;
            const { password: _password, ...inputs } = r.inputs;
            return { ...r, inputs };
        }),
    });
}
