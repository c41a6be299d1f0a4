/**
 * The warm standby (issue 16): prod-dr plans against prod's planned outputs, with a cross-region replica of prod's
 * database, prod's replicated buckets and master secret, and the failover pair of records; promotion by config;
 * and every way a standby's config or primary can be wrong refused before anything is registered.
 */
import { describe, expect, it } from "vitest";
import { evaluateStack, type PlanRecord } from "../offline/evaluate";
import { checkFidelity } from "../offline/fidelity";
import { ofType, byId } from "../offline/inspect";
import { mandatoryViolations } from "../offline/policy-check";
import { named, only } from "./helpers";
import { checkWithSharedPacks } from "./packs";
import { planOf } from "./plans";

const PRIMARY = "organization/rag-platform/prod";
const DOMAIN = { "rag-platform:domainName": "rag.example.com", "rag-platform:hostedZoneId": "Z0123456789ABCDEFGHIJ", "rag-platform:failoverRouting": true };
const json = (value: unknown) => JSON.parse(String(value));
const problems = (record: PlanRecord) => record.configError?.problems.map((p) => `${p.key}: ${p.message}`) ?? [];
const registeredBeyondTheStack = (record: PlanRecord) => record.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:pulumi:StackReference");

describe("prod-dr, prod's warm standby in us-west-2", async () => {
    const prod = await planOf("prod");
    const standby = await planOf("prod-dr");
    const writer = named(standby, "aws:rds/instance:Instance", "data-postgres-writer");
    const dataKey = named(standby, "aws:kms/key:Key", "data-key");

    it("replicates prod's database across regions, encrypted with a key of its own region, without credentials of its own", () => {
        expect(writer.inputs).toMatchObject({
            identifier: "rag-prod-dr-postgres",
            replicateSourceDb: prod.outputs.databaseArn,
            kmsKeyId: dataKey.state.arn,
            multiAz: true,
            // None while it follows: RDS cannot promote a replica during its backup, so a backup window would add
            // its length to the RTO; and so no cascading replica until promotion (RDS needs a source with backups).
            backupRetentionPeriod: 0,
            skipFinalSnapshot: true,
            deletionProtection: true,
            storageEncrypted: true,
        });
        expect(writer.inputs.backupWindow).toBeUndefined();
        expect(ofType(standby, "aws:rds/instance:Instance").map((r) => r.name)).toEqual(["data-postgres-writer"]);
        expect(writer.inputs.finalSnapshotIdentifier).toBeUndefined();
        expect(String(prod.outputs.databaseArn)).toMatch(/^arn:aws:rds:us-east-1:/);
        expect(String(dataKey.state.arn)).toMatch(/^arn:aws:kms:us-west-2:/);
        for (const input of ["password", "username", "manageMasterUserPassword", "engine", "dbName"]) expect(writer.inputs[input], input).toBeUndefined();
        expect(writer.protect && writer.retainOnDelete).toBe(true);
        // Its provider is the standby's region.
        expect(only(standby, "pulumi:providers:aws").inputs.region).toBe("us-west-2");
        // No secret of its own to rotate while it follows prod, but the rotation functions are there already:
        // promotion, during prod's region's outage, only attaches them. AWS Backup takes no snapshot of a replica.
        expect(ofType(standby, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack").map((f) => (f.inputs.parameters as Record<string, string>).functionName)).toEqual(["rag-prod-dr-postgres-rotation", "rag-prod-dr-postgres-app-rotation"]);
        expect(ofType(standby, "aws:secretsmanager/secretRotation:SecretRotation")).toEqual([]);
        expect(ofType(standby, "aws:secretsmanager/secret:Secret").map((s) => s.inputs.name)).not.toContain("rag-prod-dr-postgres/master");
        expect(ofType(standby, "aws:backup/selection:Selection").flatMap((sel) => (sel.inputs.resources as string[] | undefined) ?? [])).not.toContain(writer.state.arn);
    });

    it("reads prod's master and workload secrets as replicated into us-west-2, where prod's stack put replicas", () => {
        for (const kind of ["master", "app"]) {
            expect(named(prod, "aws:secretsmanager/secret:Secret", `data-postgres-${kind}`).inputs.replicas).toEqual([{ region: "us-west-2", kmsKeyId: named(prod, "aws:kms/key:Key", "data-dr-key").state.arn }]);
        }
        const replica = (arn: unknown) => String(arn).replace(":us-east-1:", ":us-west-2:");
        const databaseUrl = named(standby, "aws:secretsmanager/secretVersion:SecretVersion", "data-database-url");
        expect(json((databaseUrl.inputs.secretString as { value: string }).value)).toMatchObject({ credentialsSecretArn: replica(prod.outputs.databaseAppSecretArn), url: expect.stringContaining("rag-prod-dr-postgres.") });
        const grant = named(standby, "aws:iam/rolePolicy:RolePolicy", "workload-database-password");
        expect(json(grant.inputs.policy).Statement[0].Resource).toEqual([replica(prod.outputs.databaseAppSecretArn), replica(prod.outputs.databaseMasterSecretArn)]);
        // The users exist in the replica already (they came with the data): nothing makes them here.
        expect(ofType(standby, "kubernetes:batch/v1:Job")).toEqual([]);
    });

    it("serves prod's replicated documents and backups, through prod's DR key, and makes only its logs bucket", () => {
        const drBuckets = prod.outputs.drBucketNames as Record<string, string>;
        expect(standby.outputs).toMatchObject({ documentsBucketName: drBuckets.documents, backupsBucketName: drBuckets.backups, primaryStack: PRIMARY, drRegion: "us-east-1" });
        expect(ofType(standby, "aws:s3/bucket:Bucket").map((b) => b.name).sort()).toEqual(["data-buckets-logs", "observability-loki", "observability-telemetry"]);
        const api = ofType(standby, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.startsWith("workload-api") && String(p.inputs.policy).includes("s3:"));
        const statements = json(api!.inputs.policy).Statement as { Action: string[] | string; Resource: unknown }[];
        expect(JSON.stringify(statements)).toContain((prod.outputs.drBucketArns as Record<string, string>).documents);
        expect(statements.find((s) => String(s.Action).includes("kms:Decrypt"))!.Resource).toBe(prod.outputs.drKmsKeyArn);
    });

    it("alarms when the replica falls more than a minute behind", () => {
        const lag = ofType(standby, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.metricName === "ReplicaLag" && (a.inputs.dimensions as Record<string, string>).DBInstanceIdentifier === "rag-prod-dr-postgres");
        expect(lag?.inputs).toMatchObject({ threshold: 60, comparisonOperator: "GreaterThanThreshold" });
    });

    it("plans clean through the fidelity checks and every pack with prod's policy levels", async () => {
        expect((await checkFidelity(standby.resources)).findings).toEqual([]);
        const report = await checkWithSharedPacks(standby);
        // prod's levels: every policy mandatory.
        expect(report.packs.flatMap((p) => Object.values(p.levels)).filter((level) => level !== "mandatory")).toEqual([]);
        expect(mandatoryViolations(report)).toEqual([]);
    });

    it("once promoted, is a writer of its own: backups, a final snapshot, its own master secret rotated by AWS's function", async () => {
        const promoted = await evaluateStack({ stack: "prod-dr", overrides: { "rag-platform:standbyPromoted": true }, stackOutputs: { [PRIMARY]: prod.outputs } });
        const writer = named(promoted, "aws:rds/instance:Instance", "data-postgres-writer");
        expect(writer.inputs.replicateSourceDb).toBeUndefined();
        expect(writer.inputs).toMatchObject({ identifier: "rag-prod-dr-postgres", kmsKeyId: expect.stringMatching(/:us-west-2:/), backupRetentionPeriod: 30, skipFinalSnapshot: false, finalSnapshotIdentifier: "rag-prod-dr-postgres-final" });
        expect(writer.inputs.password).toBeDefined();
        // Its secrets stay out of us-east-1: promoted during that region's outage, a replica there would fail.
        for (const kind of ["master", "app"]) {
            const secret = named(promoted, "aws:secretsmanager/secret:Secret", `data-postgres-${kind}`);
            expect(secret.inputs).toMatchObject({ name: `rag-prod-dr-postgres/${kind}` });
            expect(secret.inputs.replicas).toBeUndefined();
        }
        expect(ofType(promoted, "aws:secretsmanager/secretRotation:SecretRotation").map((r) => r.inputs.rotationRules)).toEqual([{ automaticallyAfterDays: 90 }, { automaticallyAfterDays: 90 }]);
        expect(ofType(promoted, "aws:rds/instance:Instance").map((r) => r.name)).toEqual(["data-postgres-writer", "data-postgres-replica-1"]);
        expect(ofType(promoted, "aws:backup/selection:Selection").flatMap((sel) => (sel.inputs.resources as string[] | undefined) ?? [])).toContain(writer.state.arn);
        // Nothing that would replace the instance changes with promotion.
        const before = named(await planOf("prod-dr"), "aws:rds/instance:Instance", "data-postgres-writer").inputs;
        for (const input of ["identifier", "kmsKeyId", "dbSubnetGroupName", "engine", "username", "dbName", "storageEncrypted"]) expect(writer.inputs[input], input).toEqual(before[input]);
        expect(promoted.outputs.databaseMasterSecretArn).toBe(named(promoted, "aws:secretsmanager/secret:Secret", "data-postgres-master").state.arn);
    });
});

describe("a standby of a system with a migrations Job (S3)", async () => {
    const primary = await evaluateStack({ stack: "prod", file: "examples/systems/s3-deployment-engine.yaml" });
    // Its own stack in us-west-2; the entry point is left out here (the failover pair is tested below).
    const overrides = { "rag-platform:primaryStack": PRIMARY, "aws:region": "us-west-2", "rag-platform:availabilityZones": ["us-west-2a", "us-west-2b", "us-west-2c"], "rag-platform:drRegion": "us-east-1", "rag-platform:vpcCidr": "10.1.0.0/16", "rag-platform:domainName": "", "rag-platform:certificateArn": "" };
    const jobs = (record: PlanRecord) => ofType(record, "kubernetes:batch/v1:Job").map((j) => j.name);

    it("runs the Job only once promoted: against a read-only replica a migration would fail the update", async () => {
        expect(jobs(primary)).toEqual(["workload-database-users-job", "workload-migrate-job"]);
        const following = await evaluateStack({ stack: "prod-s3-dr", file: "examples/systems/s3-deployment-engine.yaml", overrides, stackOutputs: { [PRIMARY]: primary.outputs } });
        expect(following.configError).toBeUndefined();
        expect(jobs(following)).toEqual([]);
        expect(ofType(following, "kubernetes:apps/v1:Deployment").length + ofType(following, "kubernetes:argoproj.io/v1alpha1:Rollout").length).toBeGreaterThan(0);
        const promoted = await evaluateStack({ stack: "prod-s3-dr", file: "examples/systems/s3-deployment-engine.yaml", overrides: { ...overrides, "rag-platform:standbyPromoted": true }, stackOutputs: { [PRIMARY]: primary.outputs } });
        expect(jobs(promoted)).toEqual(["workload-database-users-job", "workload-migrate-job"]);
    });
});

describe("the failover pair of records", async () => {
    const prod = await evaluateStack({ stack: "prod", overrides: DOMAIN });
    const standby = await evaluateStack({ stack: "prod-dr", overrides: DOMAIN, stackOutputs: { [PRIMARY]: prod.outputs } });
    const albHostname = (record: PlanRecord) => (named(record, "kubernetes:networking.k8s.io/v1:Ingress", "workload-frontend-ingress").state.status as any).loadBalancer.ingress[0].hostname;

    it("prod answers as the PRIMARY through its edge, health-checked at its own load balancer, IPv4 only", () => {
        const records = ofType(prod, "aws:route53/record:Record").filter((r) => r.inputs.name === "rag.example.com");
        expect(records.map((r) => r.inputs.type)).toEqual(["A"]);
        const [primary] = records;
        expect(primary.inputs).toMatchObject({ setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }] });
        expect((primary.inputs.aliases as { name: string }[])[0].name).toBe(only(prod, "aws:cloudfront/distribution:Distribution").state.domainName);
        // The record follows a calculated check over the probe, which the fence (failoverFenced) can hold unhealthy.
        const calculated = byId(prod, primary.inputs.healthCheckId)!;
        expect(calculated.inputs).toMatchObject({ type: "CALCULATED", childHealthThreshold: 1 });
        const check = byId(prod, (calculated.inputs.childHealthchecks as string[])[0])!;
        // The domain would answer from the standby after a failover; the probe must not follow it.
        expect(check.inputs).toMatchObject({ type: "HTTPS", fqdn: albHostname(prod), port: 443, failureThreshold: 3 });
        expect(check.inputs.resourcePath).toMatch(/^\/\?probe-token=[A-Za-z0-9]{40}$/);
    });

    it("prod's load balancer answers the probe: one hostless path, let through the edge-only WAF with the probe's own token", () => {
        const ingress = named(prod, "kubernetes:networking.k8s.io/v1:Ingress", "workload-frontend-ingress");
        const rules = (ingress.inputs.spec as { rules: { host?: string; http: { paths: { path: string; pathType: string }[] } }[] }).rules;
        expect(rules[1]).toEqual({ http: { paths: [expect.objectContaining({ path: "/", pathType: "Exact" })] } });
        expect(rules[0].host).toBe("rag.example.com");
        const acl = ofType(prod, "aws:wafv2/webAcl:WebAcl").find((a) => a.inputs.scope === "REGIONAL")!;
        const byName = Object.fromEntries((acl.inputs.rules as { name: string; priority: number; action?: unknown; statement: any }[]).map((r) => [r.name, r]));
        // The probe path alone is not enough: the probe proves itself with its token, as the edge does with its header.
        const token = String(ofType(prod, "aws:route53/healthCheck:HealthCheck").find((h) => h.inputs.type === "HTTPS")!.inputs.resourcePath).split("probe-token=")[1];
        expect(byName["failover-probe"]).toMatchObject({ priority: 0, action: { allow: {} } });
        expect(byName["failover-probe"].statement.andStatement.statements).toEqual([
            { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: "EXACTLY", searchString: "/", textTransformations: [{ priority: 0, type: "NONE" }] } },
            { byteMatchStatement: { fieldToMatch: { singleQueryArgument: { name: "probe-token" } }, positionalConstraint: "EXACTLY", searchString: token, textTransformations: [{ priority: 0, type: "NONE" }] } },
        ]);
        expect(token).not.toBe(byName["only-through-the-edge"].statement.notStatement.statement.byteMatchStatement.searchString);
        expect(byName["only-through-the-edge"].priority).toBe(1);
        // Only the root service answers any host.
        expect((named(prod, "kubernetes:networking.k8s.io/v1:Ingress", "workload-api-ingress").inputs.spec as { rules: unknown[] }).rules).toHaveLength(1);
    });

    it("prod-dr answers as the SECONDARY on its own load balancer, with no edge", () => {
        const [secondary] = ofType(standby, "aws:route53/record:Record").filter((r) => r.inputs.name === "rag.example.com");
        expect(secondary.inputs).toMatchObject({
            type: "A",
            setIdentifier: "secondary",
            failoverRoutingPolicies: [{ type: "SECONDARY" }],
            aliases: [{ name: albHostname(standby), evaluateTargetHealth: true }],
        });
        expect(secondary.inputs.healthCheckId).toBeUndefined();
        expect(ofType(standby, "aws:cloudfront/distribution:Distribution")).toEqual([]);
        expect(ofType(standby, "aws:route53/healthCheck:HealthCheck")).toEqual([]);
        // Both stacks ask ACM for the name's one validation record: neither removes it when it goes.
        for (const record of [prod, standby]) {
            const validations = ofType(record, "aws:route53/record:Record").filter((r) => r.name.endsWith("-certificate-validation"));
            expect(validations.length).toBeGreaterThan(0);
            expect(validations.every((r) => r.retainOnDelete && r.inputs.allowOverwrite === true)).toBe(true);
        }
    });

    it("without the edge, prod's PRIMARY aliases its load balancer and both plans pass the packs", async () => {
        const direct = await evaluateStack({ stack: "prod", overrides: { ...DOMAIN, "rag-platform:edge": false } });
        const primary = ofType(direct, "aws:route53/record:Record").find((r) => r.inputs.name === "rag.example.com")!;
        expect(primary.inputs).toMatchObject({ setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], aliases: [{ name: albHostname(direct), evaluateTargetHealth: true }] });
        const probe = (byId(direct, primary.inputs.healthCheckId)!.inputs.childHealthchecks as string[])[0];
        expect(byId(direct, probe)!.inputs.fqdn).toBe(albHostname(direct));
        for (const record of [prod, standby, direct]) {
            expect((await checkFidelity(record.resources)).findings).toEqual([]);
            expect(mandatoryViolations(await checkWithSharedPacks(record))).toEqual([]);
        }
    });
});

describe("a standby that cannot be is refused before anything is registered", async () => {
    const prod = await planOf("prod");
    const refused = async (overrides: Record<string, unknown>, primaryOutputs: Record<string, unknown> = prod.outputs) => {
        const record = await evaluateStack({ stack: "prod-dr", overrides, stackOutputs: { [PRIMARY]: primaryOutputs } });
        expect(registeredBeyondTheStack(record)).toEqual([]);
        return problems(record);
    };

    it("a primary that replicates to another region, or a drRegion other than the primary's region", async () => {
        expect(await refused({ "aws:region": "eu-west-1", "rag-platform:availabilityZones": ["eu-west-1a", "eu-west-1b", "eu-west-1c"] })).toEqual([
            'aws:region: the primary replicates its buckets, secret and backups to us-west-2: a standby elsewhere would have no data',
        ]);
        expect(await refused({ "rag-platform:drRegion": "eu-west-1" })).toEqual(["rag-platform:drRegion: a standby copies its backups back to its primary's region, where the service returns after a failover"]);
    });

    it("a primary never deployed, or deployed before contract 1.4.0", async () => {
        expect(await refused({}, {})).toEqual([expect.stringMatching(/^rag-platform:primaryStack: platform stack organization\/rag-platform\/prod exports no contractVersion/)]);
        expect(await refused({}, { ...prod.outputs, contractVersion: "1.3.0" })).toEqual([expect.stringMatching(/serves contract 1\.3\.0; this program was built against 1\.4\.0/)]);
    });

    it("another engine major than the primary's, or a primary that is itself a standby", async () => {
        expect(await refused({ "rag-platform:dbEngineVersion": "16" })).toEqual([expect.stringMatching(/^rag-platform:dbEngineVersion: the replica runs its source's PostgreSQL 17/)]);
        expect(await refused({}, { ...prod.outputs, primaryStack: "organization/rag-platform/other" })).toEqual(["rag-platform:primaryStack: that stack is itself a standby (of organization/rag-platform/other)"]);
    });

    it("the edge, or a plain record, on a standby with a domain; failover without a zone; promotion of a primary", async () => {
        expect(await refused({ ...DOMAIN, "rag-platform:edge": true })).toEqual([expect.stringMatching(/^rag-platform:edge: CloudFront serves a name from one distribution only/)]);
        expect(await refused({ ...DOMAIN, "rag-platform:failoverRouting": false })).toEqual([expect.stringMatching(/^rag-platform:failoverRouting: a standby's record must be the SECONDARY/)]);
        const prodRecord = await evaluateStack({ stack: "prod", overrides: { "rag-platform:failoverRouting": true, "rag-platform:standbyPromoted": true } });
        expect(problems(prodRecord)).toEqual([
            "rag-platform:standbyPromoted: only a standby (primaryStack set) has a replica to promote",
            "rag-platform:failoverRouting: failover records live in the stack's hosted zone, under its domain",
        ]);
    });

    it("services on DocumentDB or shared EFS volumes, which a standby does not receive", async () => {
        const record = await evaluateStack({ stack: "staging", file: "examples/systems/s4-askrag.yaml", overrides: { "rag-platform:primaryStack": "organization/rag-platform/staging-main" }, stackOutputs: { "organization/rag-platform/staging-main": {} } });
        expect(problems(record)).toContainEqual("rag-platform:primaryStack: backend uses DocumentDB or a shared EFS volume, which a standby does not receive (no cross-region replica of either here)");
    });
});
