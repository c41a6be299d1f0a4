/**
 * The fidelity checks (offline/fidelity): every stack and example system plans with no finding, and each check
 * refuses a deliberately broken input of its kind, most of them the very faults the first version shipped with.
 */
import { describe, expect, it } from "vitest";
import { checkFidelity, renderFidelityReport } from "../offline/fidelity";
import { checkAddonSettings } from "../offline/fidelity/addons";
import { checkAwsApiRules } from "../offline/fidelity/aws-api";
import { checkHelmValues } from "../offline/fidelity/helm-values";
import { checkIamDocuments } from "../offline/fidelity/iam";
import { ADDON_CHARTS, OBSERVABILITY_CHARTS } from "../model/aws-catalog";
import { checkKubernetesObjects } from "../offline/fidelity/kubernetes";
import { scheduleProblem } from "../offline/fidelity/kubernetes-formats";
import type { RecordedResource } from "../offline/mocks";
import { named, only, withChanged } from "./helpers";
import { ofType } from "../offline/inspect";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";


function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        urn: `urn:pulumi:test::p::${type}::${name}`,
        type,
        name,
        custom: true,
        remote: false,
        inputs,
        state: {},
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        replaceOnChanges: [],
        dependencies: [],
        propertyDependencies: {},
        additionalSecretOutputs: [],
        aliases: [],
        ...extra,
    };
}
const policy = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("every stack and example system passes the fidelity checks", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: no finding", async (_, i) => {
        const report = await checkFidelity(records[i].resources);
        expect(report.findings).toEqual([]);
        // It really looked: objects, charts, documents and rules of a whole platform.
        expect(report.checked.kubernetesObjects).toBeGreaterThan(30);
        // Every add-on and observability chart the catalog pins.
        expect(report.checked.helmReleases).toBe(Object.keys(ADDON_CHARTS).length + Object.keys(OBSERVABILITY_CHARTS).length);
        expect(report.checked.iamDocuments).toBeGreaterThan(30);
        expect(report.checked.addonRules).toBeGreaterThanOrEqual(4);
    });

    it("prints a Fidelity checks section naming each finding's resource", async () => {
        const broken = withChanged(records[2], "aws:eks/addon:Addon", "cluster-vpc-cni", (inputs) => (inputs.configurationValues = "{}"));
        const text = renderFidelityReport(await checkFidelity(broken));
        expect(text).toMatch(/^Fidelity checks: \d+ Kubernetes objects against Kubernetes 1\.35 and the pinned CRDs, \d+ Helm values files against their charts, \d+ IAM documents against the IAM catalogue, \d+ add-on rules, \d+ AWS API rules/);
        expect(text).toContain('ERROR [addons] aws:eks/addon:Addon "cluster-vpc-cni": ');
        expect(text).toMatch(/Fidelity result: 1 finding\(s\)/);
    });

    describe("add-on settings", () => {
        const prod = () => records[2];
        it("refuses NetworkPolicies without the vpc-cni's enforcement (the first version's add-on config)", () => {
            const broken = withChanged(prod(), "aws:eks/addon:Addon", "cluster-vpc-cni", (inputs) => (inputs.configurationValues = JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: "true" } })));
            expect(checkAddonSettings(broken).findings.map((f) => f.message)).toEqual([expect.stringMatching(/NetworkPolicies are registered but the vpc-cni add-on does not enforce them/)]);
        });
        it("refuses two External Secrets controllers without leader election", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "cluster-addons-external-secrets", (inputs) => delete inputs.values.leaderElect);
            expect(checkAddonSettings(broken).findings.map((f) => f.message)).toEqual(["2 external-secrets controllers without leader election: set leaderElect: true"]);
        });
        it("refuses kube-prometheus-stack monitoring what EKS hides", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "observability-kube-prometheus-stack", (inputs) => delete inputs.values.kubeScheduler);
            expect(checkAddonSettings(broken).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^kubeScheduler.enabled is on, but EKS does not let Prometheus scrape it/)]);
        });
        it("refuses the first version's cluster autoscaler: chart 9.46.3 with a 1.35 image", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "cluster-addons-cluster-autoscaler", (inputs) => {
                inputs.version = "9.46.3";
                inputs.values.image = { tag: "v1.35.0" };
            });
            expect(checkAddonSettings(broken).findings.map((f) => f.message)).toEqual([
                "chart 9.46.3 is not the one made for Kubernetes 1.35 (9.59.0, app 1.35.0)",
                "image.tag overrides the image the chart's RBAC was written for: leave it to the chart",
            ]);
        });
    });

    describe("Helm values", () => {
        const prod = () => records[2];
        it("refuses a misspelled key, with the nearest one the chart has", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "cluster-addons-external-secrets", (inputs) => (inputs.values.leaderElection = true));
            expect(checkHelmValues(broken).findings.map((f) => f.message)).toEqual([
                "leaderElection is not a value of external-secrets@1.2.1 (Helm ignores it and keeps the default); nearest key: leaderElect",
            ]);
        });
        it("refuses a key of a subchart that subchart does not have", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "observability-kube-prometheus-stack", (inputs) => (inputs.values.grafana.persistence.storageClass = "gp3"));
            expect(checkHelmValues(broken).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^grafana.persistence.storageClass is not a value of kube-prometheus-stack@81.6.9/)]);
        });
        it("accepts keys the templates read that the defaults only mention in comments, and free-form maps", () => {
            // kube-prometheus-stack reads alertmanager.alertmanagerSpec.configSecret, commented out in its values.yaml;
            // the cluster autoscaler ranges over extraArgs.
            const values = (name: string) => named(prod(), "kubernetes:helm.sh/v3:Release", name).inputs.values as Record<string, any>;
            expect(values("observability-kube-prometheus-stack").alertmanager.alertmanagerSpec.configSecret).toBe("alertmanager-config");
            expect(values("cluster-addons-cluster-autoscaler").extraArgs.expander).toBe("least-waste");
            expect(checkHelmValues(prod().resources).findings).toEqual([]);
        });
        it("refuses a chart version it has no facts for, so a chart bump brings its facts", () => {
            const broken = withChanged(prod(), "kubernetes:helm.sh/v3:Release", "cluster-addons-keda", (inputs) => (inputs.version = "2.99.0"));
            expect(checkHelmValues(broken).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^no values facts for keda@2.99.0: add offline\/data\/helm-values\/keda-2.99.0.json/)]);
        });
    });
});

describe("Kubernetes objects", () => {
    it("refuses unknown fields and wrong types in built-in kinds (Kubernetes 1.35)", () => {
        const deployment = resource("kubernetes:apps/v1:Deployment", "d", {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "d", lables: { a: "b" } },
            spec: { selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ name: "c", image: "i:1", ports: [{ containerPort: "80" }], readinessProbe: { httpGet: { path: "/ready", port: 8000 }, periodSecond: 5 } }] } } },
        });
        expect(checkKubernetesObjects([deployment]).findings.map((f) => f.message)).toEqual([
            "metadata.lables: unknown field (Kubernetes 1.35)",
            'spec.template.spec.containers[0].ports[0].containerPort: "80" is not an integer (Kubernetes 1.35)',
            "spec.template.spec.containers[0].readinessProbe.periodSecond: unknown field (Kubernetes 1.35)",
        ]);
    });

    it("refuses fields the pinned chart's CRD does not have, and missing required ones", () => {
        const scaledObject = resource("kubernetes:keda.sh/v1alpha1:ScaledObject", "s", { metadata: { name: "s" }, spec: { scaleTargetRef: { name: "api" }, triggers: [{ type: "cpu", metricType: "Utilization", metadataa: { value: "70" } }] } });
        const externalSecret = resource("kubernetes:external-secrets.io/v1:ExternalSecret", "e", { metadata: { name: "e" }, spec: { refreshIntervall: "1h" } });
        expect(checkKubernetesObjects([scaledObject, externalSecret]).findings.map((f) => f.message)).toEqual([
            "spec.triggers[0].metadataa: unknown field (keda chart 2.20.2 CRD)",
            "spec.triggers[0].metadata: required field missing (keda chart 2.20.2 CRD)",
            "spec.refreshIntervall: unknown field (external-secrets chart 1.2.1 CRD)",
        ]);
    });

    it("refuses what the API server validates beyond the schema: names, label keys and values, annotation size, cron schedules", () => {
        const job = resource("kubernetes:batch/v1:CronJob", "c", {
            metadata: { name: "Nightly_Snapshot", labels: { "app.kubernetes.io/name": "qdrant snapshot", "-bad": "x" }, annotations: { big: "x".repeat(262_144) } },
            spec: { schedule: "0 25 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "i:1" }], restartPolicy: "OnFailure" } } } } },
        });
        const service = resource("kubernetes:core/v1:Service", "s", { metadata: { name: "1api" }, spec: { ports: [{ port: 80 }] } });
        expect(checkKubernetesObjects([job, service]).findings.map((f) => f.message)).toEqual([
            'metadata.name: "Nightly_Snapshot" is not a DNS-1123 subdomain (at most 253 lowercase letters, digits, \'-\' and \'.\', alphanumeric at both ends) (Kubernetes 1.35)',
            'metadata.labels.app.kubernetes.io/name: "qdrant snapshot" is not a label value: at most 63 letters, digits, \'-\', \'_\' or \'.\', alphanumeric at both ends (or empty) (Kubernetes 1.35)',
            'metadata.labels: key "-bad": name "-bad" must be at most 63 letters, digits, \'-\', \'_\' or \'.\', alphanumeric at both ends (Kubernetes 1.35)',
            "metadata.annotations: 262147 bytes, over the API server's 262144 (Kubernetes 1.35)",
            'spec.schedule: "0 25 * * *": hour "25" outside 0-23 (Kubernetes 1.35)',
            'metadata.name: "1api" is not a DNS-1035 label (at most 63 lowercase letters, digits and \'-\', starting with a letter, ending alphanumeric) (Kubernetes 1.35)',
        ]);
        for (const schedule of ["30 2 * * *", "*/15 * * * *", "0 3 * * SUN", "0 0 1 JAN-MAR ?", "@daily", "@every 1h30m"]) expect(scheduleProblem(schedule), schedule).toBeUndefined();
        for (const schedule of ["0 3 * *", "60 * * * *", "0 0 0 * *", "0 0 * * 7", "5-1 * * * *", "*/0 * * * *", "TZ=UTC 0 3 * * *", "@fortnightly"]) expect(scheduleProblem(schedule), schedule).toBeDefined();
    });

    it("refuses a kind it has no schema for", () => {
        const findings = checkKubernetesObjects([resource("kubernetes:example.com/v1:Widget", "w", { metadata: { name: "w" }, spec: {} })]).findings;
        expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/^no schema for example.com\/v1:Widget/)]);
    });
});

describe("IAM documents", () => {
    it("refuses actions, condition keys and operators IAM does not have, and managed policies AWS does not publish", async () => {
        const findings = await checkIamDocuments([
            resource("aws:iam/rolePolicy:RolePolicy", "p", {
                policy: policy(
                    { Sid: "Ok", Effect: "Allow", Action: ["kms:Encrypt*", "elasticloadbalancing:Describe*", "s3:GetObject"], Resource: "*", Condition: { StringEquals: { "aws:PrincipalArn": "x", "kms:EncryptionContext:aws:logs:arn": "y" } } },
                    { Sid: "Typos", Effect: "Allow", Action: ["s3:GetObjekt", "kms:Describe2*", "nosuchservice:Get"], Resource: "*", Condition: { StringEqual: { "aws:PrincipalArnn": "x" } } },
                    // Set operators as IAM spells them (ForAllValues plural, ForAnyValue singular), and a misspelling.
                    {
                        Sid: "Sets",
                        Effect: "Allow",
                        Action: "route53:ChangeResourceRecordSets",
                        Resource: "*",
                        Condition: {
                            "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                            "ForAnyValue:StringLikeIfExists": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
                            "ForAllValue:StringEquals": { "route53:ChangeResourceRecordSetsActions": ["UPSERT"] },
                        },
                    },
                ),
            }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { policyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policyy" }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "b", { policyArn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" }),
        ]);
        expect(findings.findings.map((f) => f.message)).toEqual([
            'policy, statement Typos: action "s3:GetObjekt" matches no action of s3',
            'policy, statement Typos: action "kms:Describe2*" matches no action of kms',
            'policy, statement Typos: action "nosuchservice:Get" names no service "nosuchservice"',
            'policy, statement Typos: condition operator "StringEqual" does not exist',
            'policy, statement Typos: condition key "aws:PrincipalArnn" does not exist',
            'policy, statement Sets: condition operator "ForAllValue:StringEquals" does not exist',
            'managed policy "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policyy" does not exist',
        ]);
    });

    it("refuses a principal that may not exist when the policy is set (the first version's node-volume key)", async () => {
        const slr = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
        const key = resource("aws:kms/key:Key", "volumes", { policy: policy({ Sid: "AutoScalingUsesKey", Effect: "Allow", Principal: { AWS: slr }, Action: "kms:Decrypt*", Resource: "*" }) });
        const { findings } = await checkIamDocuments([key]);
        expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/^policy, statement AutoScalingUsesKey: principal ".*AWSServiceRoleForAutoScaling" must exist when the policy is set/)]);
    });

    it("requires a document naming a role of this stack to wait for it", async () => {
        const role = resource("aws:iam/role:Role", "reader", { assumeRolePolicy: policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }) }, { state: { arn: "arn:aws:iam::123456789012:role/reader-1234" } });
        const statement = { Sid: "Reader", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/reader-1234" }, Action: "kms:Decrypt", Resource: "*" };
        const racing = resource("aws:kms/key:Key", "k", { policy: policy(statement) });
        const waiting = resource("aws:kms/key:Key", "k2", { policy: policy(statement) }, { dependencies: [role.urn] });
        const { findings } = await checkIamDocuments([role, racing, waiting]);
        expect(findings.map((f) => `${f.resource}: ${f.message}`)).toEqual(['aws:kms/key:Key "k": policy, statement Reader: principal "arn:aws:iam::123456789012:role/reader-1234" is created by this stack, but this resource does not wait for it']);
    });
});

describe("AWS API rules", () => {
    const prod = () => planOf("prod");
    const messages = (resources: RecordedResource[]) => checkAwsApiRules(resources).findings.map((f) => `${f.resource}: ${f.message}`);

    it("prod's replica plans clean: the platform, not RDS, keeps the master password", async () => {
        const record = await prod();
        const replica = named(record, "aws:rds/instance:Instance", "data-postgres-replica-1");
        expect(replica.inputs.replicateSourceDb).toBeDefined();
        expect(named(record, "aws:rds/instance:Instance", "data-postgres-writer").inputs.manageMasterUserPassword).toBeUndefined();
        expect(checkAwsApiRules(record.resources)).toEqual({ rules: expect.any(Number), findings: [] });
    });

    it("refuses a replica of a writer whose password RDS manages (the first version's prod)", async () => {
        const broken = withChanged(await prod(), "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => {
            inputs.manageMasterUserPassword = true;
            delete inputs.password;
        });
        expect(messages(broken)).toEqual([
            'aws:rds/instance:Instance "data-postgres-replica-1": its source aws:rds/instance:Instance "data-postgres-writer" has manageMasterUserPassword: RDS creates no read replica of an instance whose password it manages in Secrets Manager',
        ]);
    });

    it("refuses master credentials on a replica, and a key on a replica in its source's region", async () => {
        const broken = withChanged(await prod(), "aws:rds/instance:Instance", "data-postgres-replica-1", (inputs) => {
            inputs.manageMasterUserPassword = true;
            inputs.kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/x";
        });
        expect(messages(broken)).toEqual([
            'aws:rds/instance:Instance "data-postgres-replica-1": manageMasterUserPassword is set on a read replica: a replica has its source\'s master user and password',
            'aws:rds/instance:Instance "data-postgres-replica-1": kmsKeyId is set on a replica in its source\'s region: RDS refuses it (the replica takes the source\'s key)',
        ]);
    });

    it("refuses a replica of a source without automated backups (a following standby's writer has none, so no cascade)", async () => {
        const broken = withChanged(await planOf("prod"), "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => (inputs.backupRetentionPeriod = 0));
        expect(messages(broken)).toEqual([
            'aws:rds/instance:Instance "data-postgres-replica-1": its source aws:rds/instance:Instance "data-postgres-writer" keeps no automated backups (backupRetentionPeriod 0): RDS replicates only a source that has them',
        ]);
    });

    it("refuses a second access entry for one principal, a regional web ACL or a certificate outside us-east-1 on CloudFront", async () => {
        const dev = await planOf("dev");
        const entry = dev.resources.find((r) => r.type === "aws:eks/accessEntry:AccessEntry");
        const admin = "arn:aws:iam::123456789012:role/ops";
        const twice = [...dev.resources, ...["a", "b"].map((n) => ({ ...(entry ?? dev.resources[1]), type: "aws:eks/accessEntry:AccessEntry", name: `cluster-admin-${n}`, urn: `urn:${n}`, inputs: { clusterName: "rag-dev", principalArn: admin, type: "STANDARD" } }))];
        expect(messages(twice)).toEqual([`aws:eks/accessEntry:AccessEntry "cluster-admin-b": a second access entry for ${admin} (aws:eks/accessEntry:AccessEntry "cluster-admin-a" has one): EKS refuses it with 409 ResourceInUseException`]);

        const s0 = await planOf("s0-mcp-rag-demo");
        const regional = ofType(s0, "aws:wafv2/webAcl:WebAcl").find((a) => a.inputs.scope === "REGIONAL")!;
        const distribution = only(s0, "aws:cloudfront/distribution:Distribution").name;
        expect(messages(withChanged(s0, "aws:cloudfront/distribution:Distribution", distribution, (inputs) => (inputs.webAclId = regional.state.arn)))).toEqual([
            `aws:cloudfront/distribution:Distribution "${distribution}": webAclId is aws:wafv2/webAcl:WebAcl "${regional.name}", a REGIONAL web ACL in us-east-1: CloudFront takes only a CLOUDFRONT-scope web ACL, managed in us-east-1`,
        ]);
        expect(messages(withChanged(s0, "aws:cloudfront/distribution:Distribution", distribution, (inputs) => (inputs.viewerCertificate.acmCertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/x")))).toEqual([
            `aws:cloudfront/distribution:Distribution "${distribution}": viewerCertificate.acmCertificateArn is a certificate of eu-west-1: CloudFront uses ACM certificates of us-east-1 only`,
        ]);
    });

    it("refuses a cross-region replica without a key of its region, or naming its source by identifier", () => {
        const provider = resource("pulumi:providers:aws", "aws", { region: "us-west-2" }, { urn: "urn:pulumi:test::p::pulumi:providers:aws::aws" });
        const replica = (inputs: Record<string, unknown>) => resource("aws:rds/instance:Instance", "standby", inputs, { provider: `${provider.urn}::aws-provider-id` });
        expect(messages([provider, replica({ replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres" })])).toEqual([
            'aws:rds/instance:Instance "standby": a replica in us-west-2 of a source in us-east-1 needs kmsKeyId, a key of us-west-2',
        ]);
        expect(messages([provider, replica({ replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:rag-prod-postgres", kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/x" })])).toEqual([]);
        // A source of this plan in another region, named by its identifier.
        const source = resource("aws:rds/instance:Instance", "source", { identifier: "rag-prod-postgres", backupRetentionPeriod: 7, region: "us-east-1" });
        expect(messages([provider, source, replica({ replicateSourceDb: "rag-prod-postgres", kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/x" })])).toEqual([
            'aws:rds/instance:Instance "standby": replicateSourceDb "rag-prod-postgres" is an identifier, but the source is in another region: name it by ARN',
        ]);
    });

    it("refuses a KMS key of another region: on a resource, a secret's replica, an S3 replica", async () => {
        const record = await prod();
        const dataKey = String(named(record, "aws:kms/key:Key", "data-key").state.arn);
        let broken = withChanged(record, "aws:secretsmanager/secret:Secret", "data-postgres-master", (inputs) => (inputs.replicas[0].kmsKeyId = dataKey));
        broken = broken.map((r) => (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig" && r.name === "data-buckets-documents" ? { ...r, inputs: { ...structuredClone(r.inputs), rules: [{ ...structuredClone((r.inputs.rules as any[])[0]), destination: { ...structuredClone((r.inputs.rules as any[])[0].destination), encryptionConfiguration: { replicaKmsKeyId: dataKey } } }] } } : r));
        expect(messages(broken)).toEqual([
            'aws:s3/bucketReplicationConfig:BucketReplicationConfig "data-buckets-documents": rules[0].destination.encryptionConfiguration.replicaKmsKeyId is a KMS key of us-east-1, used in us-west-2: a key serves only its own region',
            'aws:secretsmanager/secret:Secret "data-postgres-master": replicas[0].kmsKeyId is a KMS key of us-east-1, used in us-west-2: a key serves only its own region',
        ]);
        const standby = await planOf("prod-dr");
        const refused = withChanged(standby, "aws:rds/instance:Instance", "data-postgres-writer", (inputs) => (inputs.kmsKeyId = dataKey));
        expect(messages(refused)).toEqual(['aws:rds/instance:Instance "data-postgres-writer": kmsKeyId is a KMS key of us-east-1, used in us-west-2: a key serves only its own region']);
    });

    it("refuses a plain record set beside a routed one of the same name and type", () => {
        const record = (name: string, inputs: Record<string, unknown>) => resource("aws:route53/record:Record", name, { zoneId: "Z1", name: "rag.example.com", type: "A", ...inputs });
        expect(messages([record("plain", {}), record("primary", { setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }] })])).toEqual([
            'aws:route53/record:Record "plain": 2 A record sets named rag.example.com in one zone, 1 without a set identifier: Route 53 keeps one plain record set per name and type, and none beside routed ones',
        ]);
        expect(messages([record("primary", { setIdentifier: "primary" }), record("secondary", { setIdentifier: "secondary" })])).toEqual([]);
    });
});
