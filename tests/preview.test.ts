/**
 * The change preview (offline/preview.ts): the engine's rules on small programs registered under the mocks, the
 * replace-on-change facts held to every type the stacks register, and a state export read as the CLI writes it.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { knowsType } from "../offline/change-rules";
import type { PlanRecord } from "../offline/evaluate";
import { deploymentOf, type Deployment, previewChanges, protectedDelete, protectedReplace, renderChangePreview } from "../offline/preview";
import { registerUnderMocks } from "./helpers";
import { planOf } from "./plans";
import { SHARED_PLANS } from "./plan-list";

const asDeployment = (record: PlanRecord): Deployment => deploymentOf(JSON.parse(JSON.stringify(record)));
const EMPTY: Deployment = deploymentOf({ version: 3, deployment: { resources: [] } });

/** A small program: a KMS key, a database encrypted with it, and a bucket, with the options given. */
function program(options: {
    identifier?: string;
    username?: string;
    instanceClass?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    withBucket?: boolean;
    bucketName?: string;
    ignorePassword?: boolean;
    aliasOldName?: string;
    keyDescription?: string;
    replaceOnChangesTags?: boolean;
}) {
    return () => {
        const key = new aws.kms.Key("key", { description: options.keyDescription ?? "data", deletionWindowInDays: 30 });
        new aws.rds.Instance("db", {
            identifier: options.identifier ?? "db-one",
            engine: "postgres",
            instanceClass: options.instanceClass ?? "db.r6g.large",
            allocatedStorage: 100,
            kmsKeyId: key.arn,
            storageEncrypted: true,
            username: options.username ?? "rag_admin",
            password: "not-a-real-one",
            tags: { team: options.replaceOnChangesTags ? "b" : "a" },
        }, {
            protect: options.protect,
            retainOnDelete: options.retainOnDelete,
            ignoreChanges: options.ignorePassword ? ["password"] : [],
            aliases: options.aliasOldName ? [{ name: options.aliasOldName }] : [],
            replaceOnChanges: options.replaceOnChangesTags ? ["tags"] : [],
        });
        if (options.withBucket) new aws.s3.Bucket("documents", { bucket: options.bucketName ?? "docs-one" }, { protect: options.protect });
        return {};
    };
}

const plan = (options: Parameters<typeof program>[0]) => registerUnderMocks(program(options));
const change = (preview: ReturnType<typeof previewChanges>, name: string) => preview.changes.find((c) => c.name === name)!;

describe("change preview: the engine's rules", () => {
    it("shows nothing to do for the plan that was deployed, and everything to create from an empty state", async () => {
        const record = await plan({ withBucket: true });
        const same = previewChanges(asDeployment(record), record);
        expect(same.changes.every((c) => c.op === "same")).toBe(true);
        expect(same.errors).toEqual([]);
        const first = previewChanges(EMPTY, record);
        expect(first.counts).toMatchObject({ create: record.resources.length, update: 0, delete: 0, same: 0 });
        expect(renderChangePreview(first, "empty")).toMatch(new RegExp(`Resources:\\n    \\+ ${record.resources.length} to create$`));
    });

    it("updates in place what the provider changes in place, naming the inputs", async () => {
        const preview = previewChanges(asDeployment(await plan({})), await plan({ instanceClass: "db.r6g.xlarge" }));
        expect(change(preview, "db")).toMatchObject({ op: "update", diffs: ["instanceClass"], replaceReasons: [] });
        expect(preview.counts).toMatchObject({ update: 1, replace: 0 });
    });

    it("replaces on an input the provider cannot change in place, and refuses it for data unless intended", async () => {
        const before = asDeployment(await plan({}));
        // RDS renames an instance in place (identifier); a new master user name needs a new instance.
        expect(change(previewChanges(before, await plan({ identifier: "db-two" })), "db")).toMatchObject({ op: "update", diffs: ["identifier"] });
        const after = await plan({ identifier: "db-two", username: "admin" });
        const preview = previewChanges(before, after);
        expect(change(preview, "db")).toMatchObject({ op: "replace", replaceReasons: ["username"] });
        expect(preview.errors.map((e) => e.message)).toEqual([expect.stringContaining('replacing aws:rds/instance:Instance "db" (forced by username) would start it empty')]);
        expect(previewChanges(before, after, { intendedReplacements: ["db"] }).errors).toEqual([]);
        // Under the same identifier, the replacement would be created while the old instance still holds the name.
        const sameName = previewChanges(before, await plan({ username: "admin" }), { intendedReplacements: ["db"] });
        expect(sameName.errors.map((e) => e.message)).toEqual([expect.stringContaining('under the same identifier "db-one": AWS refuses a second resource of that name')]);
    });

    it("stops on a protected resource replaced or deleted, with the CLI's messages", async () => {
        const before = asDeployment(await plan({ protect: true, withBucket: true }));
        const replaced = previewChanges(before, await plan({ protect: true, withBucket: true, bucketName: "docs-two" }), { intendedReplacements: ["documents"] });
        const bucket = change(replaced, "documents");
        expect(bucket.op).toBe("replace");
        expect(replaced.errors).toEqual([{ urn: bucket.urn, message: protectedReplace(bucket.urn) }]);
        const deleted = previewChanges(before, await plan({ protect: true }));
        expect(change(deleted, "documents").op).toBe("delete");
        expect(deleted.errors).toEqual([{ urn: bucket.urn, message: protectedDelete(bucket.urn) }]);
        expect(protectedDelete(bucket.urn)).toContain(`pulumi state unprotect '${bucket.urn}'`);
    });

    it("deletes a retained resource from the stack only, and honours ignoreChanges, aliases and replaceOnChanges", async () => {
        const retained = previewChanges(asDeployment(await plan({ retainOnDelete: true, withBucket: true })), await plan({ retainOnDelete: true }));
        expect(change(retained, "documents")).toMatchObject({ op: "delete" });
        expect(previewChanges(asDeployment(await plan({ retainOnDelete: true })), await registerUnderMocks(() => ({}))).changes.find((c) => c.name === "db")).toMatchObject({ op: "delete", retained: true });

        const ignoring = await registerUnderMocks(() => {
            new aws.rds.Instance("db", { identifier: "db-one", engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 100, password: "rotated-since" }, { ignoreChanges: ["password"] });
            return {};
        });
        const withoutKey = await registerUnderMocks(() => {
            new aws.rds.Instance("db", { identifier: "db-one", engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 100, password: "not-a-real-one" });
            return {};
        });
        expect(change(previewChanges(asDeployment(withoutKey), ignoring), "db").op).toBe("same");

        const renamed = await registerUnderMocks(() => {
            new aws.rds.Instance("database", { identifier: "db-one", engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 100, password: "not-a-real-one" }, { aliases: [{ name: "db" }] });
            return {};
        });
        const aliased = previewChanges(asDeployment(withoutKey), renamed);
        expect(aliased.counts).toMatchObject({ create: 0, delete: 0 });
        expect(change(aliased, "database").aliasOf).toContain("::db");

        const forced = previewChanges(asDeployment(await plan({})), await plan({ replaceOnChangesTags: true }), { intendedReplacements: ["db"] });
        expect(change(forced, "db")).toMatchObject({ op: "replace", replaceReasons: ["tags"] });
    });

    it("spreads a replacement to the inputs that came from it: unknown until the new resource exists", async () => {
        // A new key description replaces nothing; a key replaced by the program's own option replaces the
        // database, whose kmsKeyId (forces a new instance) is the key's ARN.
        const before = asDeployment(await plan({}));
        const described = previewChanges(before, await plan({ keyDescription: "documents" }));
        expect(change(described, "key").op).toBe("update");
        expect(change(described, "db").op).toBe("same");
        const rekeyed = await registerUnderMocks(() => {
            const key = new aws.kms.Key("key", { description: "data", deletionWindowInDays: 30, customerMasterKeySpec: "SYMMETRIC_DEFAULT" }, { replaceOnChanges: ["customerMasterKeySpec"] });
            new aws.rds.Instance("db", { identifier: "db-one", engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 100, kmsKeyId: key.arn, storageEncrypted: true, password: "not-a-real-one", tags: { team: "a" } });
            return {};
        });
        const cascade = previewChanges(before, rekeyed, { intendedReplacements: ["key", "db"] });
        expect(change(cascade, "key").op).toBe("replace");
        expect(change(cascade, "db")).toMatchObject({ op: "replace", replaceReasons: ["kmsKeyId"] });
    });

    it("replaces a Kubernetes object whose immutable fields change, and updates the rest", async () => {
        const deployment = (selector: string, replicas: number) => () => {
            new k8s.apps.v1.Deployment("api", {
                metadata: { name: "api", namespace: "rag" },
                spec: { replicas, selector: { matchLabels: { app: selector } }, template: { metadata: { labels: { app: selector } }, spec: { containers: [{ name: "api", image: "api:1" }] } } },
            });
            return {};
        };
        const before = asDeployment(await registerUnderMocks(deployment("api", 3)));
        expect(change(previewChanges(before, await registerUnderMocks(deployment("api", 5))), "api")).toMatchObject({ op: "update", diffs: ["spec.replicas"] });
        expect(change(previewChanges(before, await registerUnderMocks(deployment("rag-api", 3))), "api")).toMatchObject({ op: "replace", replaceReasons: ["spec.selector"] });
    });

    it("reads a `pulumi stack export`: the engine's URNs, secrets as ciphertext it cannot compare, the stack's outputs", async () => {
        const record = await plan({ withBucket: true });
        // The engine qualifies a child's type with every ancestor's; the export holds ciphertext for secrets.
        const resources = record.resources.map((r) => ({
            urn: r.urn.replace("::aws:", "::pulumi:pulumi:Stack$aws:"),
            type: r.type,
            custom: r.custom,
            inputs: r.type === "aws:rds/instance:Instance" ? { ...r.inputs, password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" } } : r.inputs,
            outputs: r.type === "pulumi:pulumi:Stack" ? { clusterName: "t" } : {},
            protect: r.protect,
        }));
        const exported = deploymentOf({ version: 3, deployment: { manifest: {}, resources } });
        expect(exported).toMatchObject({ kind: "state", stack: "dev", outputs: { clusterName: "t" } });
        expect(previewChanges(exported, record).changes.every((c) => c.op === "same")).toBe(true);
        expect(() => deploymentOf({ hello: 1 }, "x.json")).toThrow("--from x.json: neither a plan record (written by --json) nor a state export");
    });
});

/** A writer and its read replica, as the standby had them before 1.4.0 and after. */
const writerAndReplica = (options: { replicaEncrypted?: boolean; writerBackups: number; replica: boolean }) =>
    registerUnderMocks(() => {
        new aws.rds.Instance("writer", { identifier: "db-one", engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 100, storageEncrypted: true, backupRetentionPeriod: options.writerBackups });
        if (options.replica) new aws.rds.Instance("replica", { identifier: "db-one-replica", replicateSourceDb: "db-one", instanceClass: "db.r6g.large", storageEncrypted: options.replicaEncrypted }, { protect: true });
        return {};
    });

describe("change preview: what AWS filled in, and the order of the engine's steps", () => {
    it("compares an input set for the first time with what AWS read back; a plan record, which holds no reads, says it cannot tell", async () => {
        const before = await writerAndReplica({ writerBackups: 7, replica: true });
        const after = await writerAndReplica({ writerBackups: 7, replica: true, replicaEncrypted: true });
        // From a plan record: storageEncrypted forces a new instance, and whether AWS holds true already is unknown.
        const fromRecord = previewChanges(asDeployment(before), after);
        expect(change(fromRecord, "replica")).toMatchObject({ op: "replace", replaceReasons: ["storageEncrypted"] });
        expect(fromRecord.errors.length).toBeGreaterThan(0);
        for (const error of fromRecord.errors) expect(error.message).toContain("storageEncrypted was unset and is now set; the plan record does not hold the value AWS filled in");
        // From the state: AWS read back an encrypted replica (it inherits its source's encryption), so nothing changes.
        const exported = (storageEncrypted: boolean) => deploymentOf({ version: 3, deployment: { resources: before.resources.map((r) => ({ ...r, outputs: r.type === "aws:rds/instance:Instance" ? { ...r.state, storageEncrypted } : r.state })) } });
        expect(change(previewChanges(exported(true), after), "replica").op).toBe("same");
        const unencrypted = previewChanges(exported(false), after);
        expect(change(unencrypted, "replica")).toMatchObject({ op: "replace", replaceReasons: ["storageEncrypted"] });
        expect(unencrypted.errors.length).toBeGreaterThan(0);
        for (const error of unencrypted.errors) expect(error.message).not.toContain("was unset and is now set");
    });

    it("refuses turning a source's backups off while its replica is still there: the engine deletes the replica after its updates", async () => {
        const before = asDeployment(await writerAndReplica({ writerBackups: 30, replica: true }));
        const after = await writerAndReplica({ writerBackups: 0, replica: false });
        const preview = previewChanges({ ...before, resources: before.resources.map((r) => ({ ...r, protect: false })) }, after);
        expect(change(preview, "writer")).toMatchObject({ op: "update", diffs: ["backupRetentionPeriod"] });
        expect(change(preview, "replica").op).toBe("delete");
        expect(preview.errors.map((e) => e.message)).toEqual([expect.stringMatching(/backupRetentionPeriod goes to 0 while replica still replicates it.*RDS refuses .*aws rds delete-db-instance --db-instance-identifier db-one-replica --skip-final-snapshot.*pulumi state delete '[^']*replica'/s)]);
        // The runbook's order: the replica deleted on its own first, then the update applies.
        const withoutReplica = { ...before, resources: before.resources.filter((r) => !r.urn.endsWith("::replica")) };
        expect(previewChanges(withoutReplica, after).errors).toEqual([]);
    });
});

describe("change preview: the provider facts", () => {
    it("knows the replace-on-change inputs of every custom type the stacks and example systems register", async () => {
        const plans = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));
        const types = new Set(plans.flatMap((p) => p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type)));
        expect([...types].filter((type) => !knowsType(type))).toEqual([]);
    });
});
