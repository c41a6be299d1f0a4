/**
 * The RAG workload in every stack (S0 by default) and in the example systems S1-S4: what each service really
 * registers, that the examples pass the policy packs, and the service configs and capacities that are refused
 * before anything is registered.
 */
import { describe, expect, it } from "vitest";
import { evaluateStack, type PlanRecord } from "../offline/evaluate";
import { descendants, ofType, STACK_TYPE } from "../offline/inspect";
import type { RecordedResource } from "../offline/mocks";
import { mandatoryViolations } from "../offline/policy-check";
import { checkWithSharedPacks } from "./packs";
import { readStackConfig } from "../offline/stack-files";
import { capacityReport, describeGroup, describeThroughput, nodeShape } from "../model/capacity";
import { memcachedSize, observabilityPods } from "../model/observability-footprint";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadStackConfig } from "../stacks/config";
import { podRequestCeiling, podTotal, resolveServices } from "../model/services";
import { named, only } from "./helpers";
import { planOf, stackPlans } from "./plans";

type Any = Record<string, any>;
type PlanKeyOf = "s0-mcp-rag-demo" | "s1-mcp-ui" | "s2-rag-engine" | "s3-deployment-engine" | "s4-askrag";
const inService = (record: PlanRecord, service: string, type: string): RecordedResource[] => {
    const component = named(record, "rag:workload:Service", `workload-${service}`);
    return descendants(record, component.urn).filter((r) => r.type === type);
};
const one = (record: PlanRecord, service: string, type: string): Any => {
    const found = inService(record, service, type);
    if (found.length !== 1) throw new Error(`expected one ${type} in ${service}, found ${found.length}`);
    return found[0].inputs as Any;
};
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFULSET = "kubernetes:apps/v1:StatefulSet";
const ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout";
const SCALER = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const mainContainer = (workload: Any) => workload.spec.template.spec.containers[0];

describe("S0 in every stack", async () => {
    const [dev, staging, prod] = await stackPlans();

    it("deploys the API and the frontend, each as a Deployment scaled by KEDA within the environment's range", () => {
        for (const record of [dev, staging, prod]) expect(ofType(record, "rag:workload:Service").map((s) => s.name)).toEqual(["workload-api", "workload-frontend"]);
        const range = (record: PlanRecord, service: string) => {
            const spec = one(record, service, SCALER).spec;
            return [spec.minReplicaCount, spec.maxReplicaCount];
        };
        expect([dev, staging, prod].map((r) => range(r, "api"))).toEqual([[2, 4], [3, 6], [3, 10]]);
        expect([dev, staging, prod].map((r) => range(r, "frontend"))).toEqual([[1, 2], [2, 3], [2, 5]]);
        // KEDA owns the scale: a replicas field would reset it on every update.
        expect(one(prod, "api", DEPLOYMENT).spec.replicas).toBeUndefined();
    });

    it("gives the API the spec's resources, probes and rolling update", () => {
        const api = one(prod, "api", DEPLOYMENT);
        expect(api.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        const c = mainContainer(api);
        expect(c.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } });
        expect(c.readinessProbe.httpGet.path).toBe("/ready");
        expect(c.livenessProbe.httpGet.path).toBe("/health");
        expect(c.startupProbe).toMatchObject({ httpGet: { path: "/startup" }, failureThreshold: 30 });
    });

    it("scales the API on CPU 70%, memory 80% and 100 req/s per pod with the spec's behaviour", () => {
        const spec = one(prod, "api", SCALER).spec;
        expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
        expect(spec.triggers.map((t: Any) => [t.type, t.metadata.value ?? t.metadata.threshold])).toEqual([["cpu", "70"], ["memory", "80"], ["prometheus", "100"]]);
        expect(spec.triggers[2].metadata.query).toBe('sum(rate(http_requests_total{namespace="rag",service="api"}[2m]))');
        const behavior = spec.advanced.horizontalPodAutoscalerConfig.behavior;
        expect(behavior.scaleUp).toMatchObject({ selectPolicy: "Max", policies: [{ type: "Percent", value: 50, periodSeconds: 60 }, { type: "Pods", value: 2, periodSeconds: 60 }] });
        expect(behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }, { type: "Pods", value: 1, periodSeconds: 60 }] });
    });

    it("keeps two pods through a drain without ever blocking one: minAvailable 2 above two replicas, maxUnavailable 1 at two, none at one", () => {
        expect(one(prod, "api", PDB).spec).toMatchObject({ minAvailable: 2, selector: { matchLabels: { "rag-platform.io/service": "api" } } });
        expect(one(prod, "frontend", PDB).spec).toMatchObject({ maxUnavailable: 1 });
        expect(inService(dev, "frontend", PDB)).toHaveLength(0);
    });

    it("hardens every pod: UID 1000, read-only root with a writable /tmp, no escalation, no capabilities, RuntimeDefault, no token", () => {
        const pod = one(prod, "api", DEPLOYMENT).spec.template.spec;
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(mainContainer({ spec: { template: { spec: pod } } }).securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        expect(pod.volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "1Gi" } });
        expect(pod.topologySpreadConstraints.map((c: Any) => c.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    });

    it("enforces Pod Security restricted, a quota sized to maximum scale and default-deny networking with DNS allowed", () => {
        const ns = ofType(prod, "kubernetes:core/v1:Namespace").find((n) => n.name === "workload-namespace")!;
        expect(ns.inputs.metadata).toMatchObject({ name: "rag", labels: { "pod-security.kubernetes.io/enforce": "restricted", "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } });
        expect(ns.protect).toBe(true);
        // api 11 pods (10 + 1 surge) x 1 CPU, frontend 6 x 250m, and the database users Job's one pod at 50m.
        expect((ofType(prod, "kubernetes:core/v1:ResourceQuota")[0].inputs.spec as Any).hard).toMatchObject({ "requests.cpu": "12550m", pods: "18", "services.loadbalancers": "0" });
        const policies = ofType(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs as Any);
        expect(policies.find((p) => p.metadata.name === "default-deny")!.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(policies.find((p) => p.metadata.name === "allow-dns")!.spec.egress[0].ports).toEqual([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
    });

    it("lets the API reach the database and cache subnets and Prometheus scrape it; the frontend reaches neither", () => {
        const api = one(prod, "api", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
        const dataCidrs = ofType(prod, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("network-database-")).map((s) => String(s.inputs.cidrBlock));
        expect(dataCidrs).toHaveLength(3);
        expect(api.egress).toContainEqual({ to: dataCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 5432 }] });
        expect(api.egress).toContainEqual({ to: dataCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 6379 }] });
        expect(api.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }], ports: [{ protocol: "TCP", port: 8000 }] });
        const frontend = one(prod, "frontend", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
        expect(JSON.stringify(frontend.egress)).not.toContain("5432");
    });

    it("delivers the database and Redis URLs and API keys from Secrets Manager through External Secrets", () => {
        const secret = one(prod, "api", "kubernetes:external-secrets.io/v1:ExternalSecret").spec;
        expect(secret.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
        expect(secret.data.map((d: Any) => [d.secretKey, d.remoteRef.key])).toEqual([
            ["DATABASE_URL", "rag-prod/database-url"],
            // The user alternates with the password at each rotation: both come from the workload's own secret.
            ["PGUSER", prod.outputs.databaseAppSecretArn],
            ["PGPASSWORD", prod.outputs.databaseAppSecretArn],
            ["REDIS_URL", "rag-prod/redis-url"],
            ["REDIS_PASSWORD", "rag-prod/cache-auth-token"],
        ]);
        expect(secret.dataFrom).toEqual([{ extract: { key: "rag-prod/api-keys" } }]);
        // RDS rotates the master password in place: it is re-read within minutes and Reloader rolls the pods.
        expect(secret.refreshInterval).toBe("5m");
        expect(one(prod, "api", DEPLOYMENT).metadata.annotations).toEqual({
            "secret.reloader.stakater.com/reload": "api-secrets",
            "configmap.reloader.stakater.com/reload": "api-config",
        });
        expect(one(prod, "frontend", DEPLOYMENT).metadata.annotations).toEqual({ "configmap.reloader.stakater.com/reload": "frontend-config" });
        expect(inService(prod, "frontend", "kubernetes:external-secrets.io/v1:ExternalSecret")).toHaveLength(0);
        const grant = JSON.parse(String(named(prod, "aws:iam/rolePolicy:RolePolicy", "workload-database-password").inputs.policy));
        // The workload's credentials for the services, the master's for the Job that makes their users.
        expect(grant.Statement[0].Resource).toEqual([prod.outputs.databaseAppSecretArn, prod.outputs.databaseMasterSecretArn]);
    });

    it("makes the workload's database users with the master credentials, in a hardened Job allowed out to the database only", () => {
        const job = named(prod, "kubernetes:batch/v1:Job", "workload-database-users-job").inputs as Any;
        const pod = job.spec.template.spec;
        expect(pod.containers[0]).toMatchObject({ image: "public.ecr.aws/docker/library/postgres:17.6-alpine", envFrom: [{ secretRef: { name: "database-users-credentials" } }] });
        expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        expect(job.spec).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 900 });
        const credentials = named(prod, "kubernetes:external-secrets.io/v1:ExternalSecret", "workload-database-users-credentials").inputs as Any;
        expect(credentials.spec.data.map((d: Any) => [d.secretKey, d.remoteRef.key])).toEqual([
            ["PGUSER", prod.outputs.databaseMasterSecretArn],
            ["PGPASSWORD", prod.outputs.databaseMasterSecretArn],
            ["APP_USER", prod.outputs.databaseAppSecretArn],
            ["APP_PASSWORD", prod.outputs.databaseAppSecretArn],
        ]);
        // Both logins AWS's alternating-users rotation takes turns with exist before its first run, acting as one owner.
        const sql = String((named(prod, "kubernetes:core/v1:ConfigMap", "workload-database-users-sql").inputs as Any).data["users.sql"]);
        expect(sql).toContain("unnest(ARRAY['rag_app', 'rag_app_clone'])");
        expect(sql).toContain("ALTER ROLE rag_app_clone SET role = 'rag_owner';");
        expect(sql).toContain(`ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';`);
        const policy = named(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "workload-database-users-network").inputs as Any;
        expect(policy.spec.egress).toEqual([{ to: expect.any(Array), ports: [{ protocol: "TCP", port: 5432 }] }]);
        // The services wait for the users.
        const api = ofType(prod, "rag:workload:Service").find((s) => s.name === "workload-api")!;
        expect(api.dependencies).toContain(named(prod, "kubernetes:batch/v1:Job", "workload-database-users-job").urn);
    });

    it("gives the API an IRSA role scoped to the documents bucket and its key, and the frontend none", () => {
        const role = named(prod, "aws:iam/role:Role", "workload-api-role");
        expect(Object.values(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals)).toContain("system:serviceaccount:rag:api");
        const policy = JSON.parse(String(named(prod, "aws:iam/rolePolicy:RolePolicy", "workload-api-role").inputs.policy));
        expect(policy.Statement.map((s: Any) => s.Resource)).toEqual([prod.outputs.documentsBucketArn, `${prod.outputs.documentsBucketArn}/*`, prod.outputs.dataKmsKeyArn]);
        expect(one(prod, "api", "kubernetes:core/v1:ServiceAccount").metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(role.state.arn);
        expect(ofType(prod, "aws:iam/role:Role").some((r) => r.name === "workload-frontend-role")).toBe(false);
    });

    it("wires observability: ServiceMonitor with job rag-<service>, OTLP endpoint, access-log label on exposed services", () => {
        const monitor = one(prod, "api", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").spec;
        expect(monitor.jobLabel).toBe("rag-platform.io/job");
        expect(monitor.endpoints[0]).toMatchObject({ port: "metrics", path: "/metrics", interval: "30s" });
        expect(inService(prod, "api", "kubernetes:core/v1:Service").map((s) => (s.inputs as Any).metadata.labels["rag-platform.io/job"])).toContain("rag-api");
        const config = inService(prod, "api", "kubernetes:core/v1:ConfigMap")[0].inputs as Any;
        expect(config.data.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(prod.outputs.otlpEndpoint);
        expect(one(prod, "api", DEPLOYMENT).spec.template.metadata.labels["rag-platform.io/log-type"]).toBe("access");
    });

    it("has no load balancer without a domain, and exports the namespace and in-cluster URLs", () => {
        expect(ofType(prod, INGRESS)).toHaveLength(0);
        expect(prod.outputs).toMatchObject({ workloadNamespace: "rag", publicUrl: "", serviceUrls: { api: "http://api.rag.svc.cluster.local:8000", frontend: "http://frontend.rag.svc.cluster.local:8080" } });
    });
});

const EXAMPLES = [
    ["s0-mcp-rag-demo", "prod"],
    ["s1-mcp-ui", "prod"],
    ["s2-rag-engine", "prod"],
    ["s3-deployment-engine", "prod"],
    ["s4-askrag", "staging"],
] as const;

describe("the example systems S0-S4", async () => {
    const records = Object.fromEntries(
        await Promise.all(EXAMPLES.map(async ([system]) => [system, await planOf(system)] as const)),
    ) as Record<(typeof EXAMPLES)[number][0], PlanRecord>;

    it.each(EXAMPLES)("%s passes every policy pack with the %s policy config", async (system) => {
        const report = await checkWithSharedPacks(records[system]);
        expect(report.packs.map((p) => p.name)).toEqual(["rag-encryption", "rag-container-hardening", "rag-high-availability", "rag-network-exposure"]);
        expect(mandatoryViolations(report)).toEqual([]);
    });

    it("evaluates every file of examples/systems", () => {
        // S0's standby is planned and drilled with its primary (tests/standby.test.ts, tests/drills.test.ts).
        expect(readdirSync(join(process.cwd(), "examples/systems")).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual([...EXAMPLES.map(([system]) => system), "s0-mcp-rag-demo-standby"].sort());
    });

    it("S0 in prod has its public entry point: one ALB for the API and the frontend, a validated certificate, an alias record", () => {
        const record = records["s0-mcp-rag-demo"];
        expect(record.outputs.publicUrl).toBe("https://rag.example.com");
        expect(ofType(record, INGRESS).map((i) => (i.inputs as Any).spec.rules[0].http.paths.map((p: Any) => p.path)).sort()).toEqual([["/"], ["/api"]]);
        expect(named(record, "aws:acm/certificate:Certificate", "workload-entry-certificate").inputs).toMatchObject({ domainName: "rag.example.com", validationMethod: "DNS" });
        expect(ofType(record, "aws:route53/record:Record").find((r) => r.inputs.type === "A")!.inputs).toMatchObject({ zoneId: "Z0EXAMPLE00000000000S0", name: "rag.example.com" });
    });

    it("S1 gets Let's Encrypt issuers for cert-manager, solving DNS-01 with a role that may only write ACME TXT records in its zone", () => {
        const record = records["s1-mcp-ui"];
        const issuers = ofType(record, "kubernetes:cert-manager.io/v1:ClusterIssuer").map((r) => r.inputs as Any);
        expect(issuers.map((i) => [i.metadata.name, i.spec.acme.server])).toEqual([
            ["letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"],
            ["letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory"],
        ]);
        expect(issuers[1].spec.acme).toMatchObject({ email: "platform@example.com", solvers: [{ selector: { dnsZones: ["mcp.example.com"] }, dns01: { route53: { region: "us-east-1", hostedZoneID: "Z0EXAMPLE00000000000S1" } } }] });
        const role = named(record, "aws:iam/role:Role", "cluster-addons-cert-manager");
        const release = ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "cert-manager")!;
        expect((release.inputs.values as Any).serviceAccount).toEqual({ create: true, name: "cert-manager", annotations: { "eks.amazonaws.com/role-arn": role.state.arn } });
        const statements = JSON.parse(String(named(record, "aws:iam/rolePolicy:RolePolicy", "cluster-addons-cert-manager").inputs.policy)).Statement;
        expect(statements[2]).toMatchObject({ Action: "route53:ChangeResourceRecordSets", Resource: "arn:aws:route53:::hostedzone/Z0EXAMPLE00000000000S1", Condition: { "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] } } });
        // Stacks that ask for none get none, and cert-manager keeps its chart's service account.
        expect(ofType(records["s2-rag-engine"], "kubernetes:cert-manager.io/v1:ClusterIssuer")).toEqual([]);
    });

    it("warns a week before the certificate the ALB serves expires, whether ACM issued it here or it came from config", async () => {
        const expiryAlarms = (record: PlanRecord) => ofType(record, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === "DaysToExpiry");
        for (const system of ["s1-mcp-ui", "s3-deployment-engine"] as const) {
            const record = records[system];
            const served = (ofType(record, INGRESS)[0].inputs as Any).metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"];
            const low = named(record, "aws:sns/topic:Topic", "observability-low").state.arn;
            expect(expiryAlarms(record), system).toHaveLength(1);
            expect(expiryAlarms(record)[0].inputs).toMatchObject({ namespace: "AWS/CertificateManager", dimensions: { CertificateArn: served }, comparisonOperator: "LessThanOrEqualToThreshold", threshold: 7, alarmActions: [low] });
        }
        // No domain, no certificate, no alarm.
        const prod = await planOf("prod");
        expect(expiryAlarms(prod)).toEqual([]);
        // cert-manager's own certificates: Prometheus scrapes its metrics, so CertificateExpiringSoon can fire.
        const monitor = ofType(prod, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").map((r) => r.inputs as Any).find((m) => m.metadata.namespace === "cert-manager")!;
        expect(monitor.spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" } }, endpoints: [{ port: "tcp-prometheus-servicemonitor", path: "/metrics", interval: "60s" }] });
    });

    it("puts CloudFront in front of the ALB: TLS 1.2 at the edge, its own WAF and rate limit, headers, static paths cached, a secret origin header, logs, aliases", async () => {
        const record = records["s1-mcp-ui"];
        const distribution = only(record, "aws:cloudfront/distribution:Distribution");
        const d = distribution.inputs as Any;
        const edgeCertificate = named(record, "aws:acm/certificate:Certificate", "workload-entry-edge-certificate");
        expect(edgeCertificate.inputs).toMatchObject({ region: "us-east-1", domainName: "mcp.example.com", validationMethod: "DNS" });
        expect(d.viewerCertificate).toMatchObject({ sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        expect(d.viewerCertificate.acmCertificateArn).toBe(named(record, "aws:acm/certificateValidation:CertificateValidation", "workload-entry-edge-certificate").state.certificateArn);
        expect(d.aliases).toEqual(["mcp.example.com"]);
        // The edge WAF (CLOUDFRONT scope, us-east-1) with the per-IP rate limit on viewers' real addresses.
        const edgeAcl = named(record, "aws:wafv2/webAcl:WebAcl", "workload-entry-edge-waf");
        expect(edgeAcl.inputs).toMatchObject({ scope: "CLOUDFRONT", region: "us-east-1" });
        expect((edgeAcl.inputs.rules as Any[]).map((r) => r.name)).toEqual(["rate-limit-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "large-body-outside-upload-paths"]);
        // Bodies over the core rule set's 8 KB (uploads, long prompts) reach the API's paths and are blocked elsewhere:
        // its body-size rule only counts (and labels), the last rule blocks the label outside /api.
        for (const acl of [edgeAcl, named(record, "aws:wafv2/webAcl:WebAcl", "workload-entry-waf")]) {
            const rules = acl.inputs.rules as Any[];
            const core = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet")!;
            expect(core.statement.managedRuleGroupStatement.ruleActionOverrides).toEqual([{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
            const large = rules[rules.length - 1];
            expect(large).toMatchObject({ name: "large-body-outside-upload-paths", action: { block: {} } });
            expect(large.priority).toBeGreaterThan(core.priority);
            const [label, ...outside] = large.statement.andStatement.statements;
            expect(label).toEqual({ labelMatchStatement: { scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } });
            // One NOT per API path (the provider nests logical statements three levels deep at most).
            expect(outside[0]).toEqual({ notStatement: { statement: { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: "STARTS_WITH", searchString: "/api", textTransformations: [{ priority: 0, type: "NONE" }] } } } });
            expect(outside.every((s: Any) => s.notStatement.statement.byteMatchStatement.positionalConstraint === "STARTS_WITH")).toBe(true);
        }
        expect((edgeAcl.inputs.rules as Any[])[0].statement.rateBasedStatement.limit).toBe(2000);
        expect(d.webAclId).toBe(edgeAcl.state.arn);
        // Nothing is cached but the frontend's static files; the origin is the ALB over TLS 1.2 with the secret header.
        expect(d.defaultCacheBehavior).toMatchObject({ viewerProtocolPolicy: "redirect-to-https", cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", originRequestPolicyId: "216adef6-5c7f-47e4-b989-5492eafa07d3" });
        expect(d.orderedCacheBehaviors.map((b: Any) => [b.pathPattern, b.cachePolicyId])).toEqual([["/assets/*", "658327ea-f89d-4fab-a63d-7e88639e58f6"], ["/static/*", "658327ea-f89d-4fab-a63d-7e88639e58f6"]]);
        const origin = d.origins[0];
        expect(origin.customOriginConfig).toMatchObject({ originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] });
        const regional = named(record, "aws:wafv2/webAcl:WebAcl", "workload-entry-waf");
        const gate = (regional.inputs.rules as Any[])[0].statement.notStatement.statement.byteMatchStatement;
        expect(origin.customHeaders).toEqual([{ name: "x-origin-verify", value: gate.searchString }]);
        expect(gate.fieldToMatch).toEqual({ singleHeader: { name: "x-origin-verify" } });
        // Security headers as the ALB adds them.
        const headers = only(record, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs as Any;
        expect(headers.securityHeadersConfig).toMatchObject({ strictTransportSecurity: { accessControlMaxAgeSec: 63072000, preload: true }, frameOptions: { frameOption: "DENY" } });
        expect(d.defaultCacheBehavior.responseHeadersPolicyId).toBe(only(record, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").id);
        // Access logs into the logs bucket (standard logging v2), which admits the delivery service under cloudfront/.
        // Named after the domain: delivery names are per account and region, and staging and prod may share both.
        expect(only(record, "aws:cloudwatch/logDeliverySource:LogDeliverySource").inputs).toMatchObject({ name: "mcp-example-com-edge", region: "us-east-1", logType: "ACCESS_LOGS", resourceArn: distribution.state.arn });
        expect(only(record, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination").inputs).toMatchObject({ deliveryDestinationConfiguration: { destinationResourceArn: `${record.outputs.logsBucketArn}/cloudfront` } });
        const logsPolicy = JSON.parse(String(ofType(record, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "data-buckets-logs")!.inputs.policy));
        expect(logsPolicy.Statement.find((st: Any) => st.Sid === "EdgeAccessLogs")).toMatchObject({ Principal: { Service: "delivery.logs.amazonaws.com" }, Resource: `${record.outputs.logsBucketArn}/cloudfront/*` });
        // The domain points at the edge (IPv4 and IPv6), no longer at the ALB.
        const aliases = ofType(record, "aws:route53/record:Record").filter((r) => r.inputs.name === "mcp.example.com" && r.inputs.aliases);
        expect(aliases.map((r) => [r.inputs.type, (r.inputs.aliases as Any[])[0]])).toEqual([
            ["A", { name: distribution.state.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
            ["AAAA", { name: distribution.state.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
        ]);
        // S3's certificate from config is in us-east-1: the edge serves it too, and requests none.
        const s3 = records["s3-deployment-engine"];
        expect((only(s3, "aws:cloudfront/distribution:Distribution").inputs as Any).viewerCertificate.acmCertificateArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
        expect(ofType(s3, "aws:acm/certificate:Certificate")).toEqual([]);
        // Without a domain there is no edge.
        expect(ofType(await planOf("prod"), "aws:cloudfront/distribution:Distribution")).toEqual([]);
    });

    it("S1 is sized for the document's 10,000 req/s, and the capacity check confirms it at maximum scale", () => {
        const config = loadStackConfig("prod", readStackConfig(process.cwd(), "prod", { file: "examples/systems/s1-mcp-ui.yaml" }));
        expect(config.targetThroughputRps).toBe(10000);
        expect(config.capacity.throughput).toMatchObject({ capacity: 10000, holds: true });
        expect(describeThroughput(config.capacity.throughput)).toMatch(/^throughput at max scale: 10000 req\/s for a target of 10000 req\/s/);
    });

    it("S1 ships the manager as an ALB canary 5 -> 25 -> 50 -> 100% gated by the SLO analysis", () => {
        const rollout = one(records["s1-mcp-ui"], "mcp-manager", ROLLOUT).spec;
        const canary = rollout.strategy.canary;
        expect(canary.steps.filter((s: Any) => s.setWeight).map((s: Any) => s.setWeight)).toEqual([5, 25, 50, 100]);
        expect(canary).toMatchObject({ stableService: "mcp-manager", canaryService: "mcp-manager-canary", trafficRouting: { alb: { ingress: "mcp-manager", rootService: "mcp-manager" } } });
        const analysis = one(records["s1-mcp-ui"], "mcp-manager", "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate").spec;
        expect(analysis.metrics.map((m: Any) => m.successCondition)).toEqual(["result[0] <= 0.001", "result[0] <= 0.5"]);
        const ingress = one(records["s1-mcp-ui"], "mcp-manager", INGRESS).spec;
        expect(ingress.rules[0].http.paths.map((p: Any) => [p.path, p.backend.service.port])).toEqual([["/api", { name: "use-annotation" }], ["/mcp", { name: "use-annotation" }]]);
        // Reloader is told to roll Argo Rollouts too (isArgoRollouts), so rotated secrets reach canary services.
        expect(one(records["s1-mcp-ui"], "mcp-manager", ROLLOUT).metadata.annotations["secret.reloader.stakater.com/reload"]).toBe("mcp-manager-secrets");
        expect(one(records["s1-mcp-ui"], "mcp-manager", SCALER).spec.scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "mcp-manager" });
    });

    it("S1 puts both services on one ALB with TLS 1.2+, HTTPS redirect, security headers, WAF and a validated certificate", () => {
        const record = records["s1-mcp-ui"];
        const [manager, frontend] = ofType(record, INGRESS).map((i) => (i.inputs as Any).metadata.annotations);
        const a = "alb.ingress.kubernetes.io/";
        expect(manager[`${a}group.name`]).toBe(frontend[`${a}group.name`]);
        expect(manager).toMatchObject({ [`${a}ssl-redirect`]: "443", [`${a}ssl-policy`]: "ELBSecurityPolicy-TLS13-1-2-2021-06", [`${a}target-type`]: "ip", [`${a}target-group-attributes`]: "deregistration_delay.timeout_seconds=30" });
        expect(manager[`${a}load-balancer-attributes`]).toBe(`routing.http.drop_invalid_header_fields.enabled=true,deletion_protection.enabled=true,idle_timeout.timeout_seconds=120,access_logs.s3.enabled=true,access_logs.s3.bucket=${record.outputs.logsBucketName},access_logs.s3.prefix=alb/rag`);
        // The logs bucket admits the region's ELB log delivery under the prefix the ALB writes to.
        const logsPolicy = JSON.parse(String(ofType(record, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "data-buckets-logs")!.inputs.policy));
        expect(logsPolicy.Statement.find((s: Any) => s.Sid === "LoadBalancerAccessLogs")).toMatchObject({ Principal: { AWS: "arn:aws:iam::127311923021:root" }, Resource: `arn:aws:s3:::${record.outputs.logsBucketName}/alb/*` });
        // A terminating pod keeps serving until the ALB has deregistered it.
        const pod = one(record, "mcp-manager", ROLLOUT).spec.template.spec;
        expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
        expect(pod.terminationGracePeriodSeconds).toBe(45);
        expect(manager[`${a}listener-attributes.HTTPS-443`]).toMatch(/strict_transport_security\.header_value=max-age=63072000.*content_security_policy\.header_value=default-src 'self'.*x_frame_options\.header_value=DENY/);
        const acl = named(record, "aws:wafv2/webAcl:WebAcl", "workload-entry-waf");
        expect(manager[`${a}wafv2-acl-arn`]).toBe(acl.state.arn);
        const rules = (acl.inputs.rules as Any[]).map((r) => r.name);
        // Behind the edge: the ALB's WAF turns away what does not come through CloudFront; the rate limit is the edge's.
        expect(rules).toEqual(["only-through-the-edge", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList", "large-body-outside-upload-paths"]);
        const logging = only(record, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs as Any;
        const logGroup = named(record, "aws:cloudwatch/logGroup:LogGroup", "workload-entry-waf-logs");
        expect(logGroup.inputs).toMatchObject({ name: "aws-waf-logs-mcp-example-com", retentionInDays: 90, kmsKeyId: named(record, "aws:kms/key:Key", "workload-entry-waf-logs").state.arn });
        expect(logGroup.protect).toBe(true);
        expect(logging).toMatchObject({ resourceArn: acl.state.arn, logDestinationConfigs: [logGroup.state.arn], loggingFilter: { defaultBehavior: "DROP" } });
        expect(logging.redactedFields).toEqual([{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
        const certificate = named(record, "aws:acm/certificate:Certificate", "workload-entry-certificate");
        expect(certificate.inputs).toMatchObject({ domainName: "mcp.example.com", validationMethod: "DNS" });
        expect(manager[`${a}certificate-arn`]).toBe(certificate.state.arn);
        expect(only(record, "aws:route53/healthCheck:HealthCheck").inputs).toMatchObject({ type: "HTTPS", fqdn: "mcp.example.com" });
        expect(record.outputs.publicUrl).toBe("https://mcp.example.com");
    });

    it("S2 scales Celery workers on the Redis queue over TLS, on the spot queue-worker group", () => {
        const record = records["s2-rag-engine"];
        const trigger = one(record, "worker", SCALER).spec.triggers;
        expect(trigger).toHaveLength(1);
        // Celery's broker is one primary with replicas (no cluster mode): KEDA's single-server redis scaler on its primary.
        expect(record.outputs.cacheMode).toBe("replicated");
        expect(record.outputs.cacheEndpoint).toMatch(/^master\./);
        expect(trigger[0]).toMatchObject({ type: "redis", metadata: { listName: "celery", listLength: "100", enableTLS: "true", address: `${record.outputs.cacheEndpoint}:6379` } });
        expect(trigger[0].metadata.addresses).toBeUndefined();
        // CloudWatch names its nodes <group>-001.. (no shard part): the cache alarms watch those.
        const group = ofType(record, "aws:elasticache/replicationGroup:ReplicationGroup")[0];
        const watched = ofType(record, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.endsWith("-cpu") && a.inputs.namespace === "AWS/ElastiCache");
        expect(watched.map((a) => (a.inputs.dimensions as Record<string, string>).CacheClusterId)).toEqual(["001", "002", "003"].map((n) => `${group.state.replicationGroupId}-${n}`));
        expect(one(record, "worker", "kubernetes:keda.sh/v1alpha1:TriggerAuthentication").spec.secretTargetRef).toEqual([{ parameter: "password", name: "worker-secrets", key: "REDIS_PASSWORD" }]);
        expect(one(record, "worker", SCALER).spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 50 });
        const pod = one(record, "worker", DEPLOYMENT).spec.template.spec;
        expect(pod.nodeSelector).toEqual({ "rag-platform.io/node-group": "queue-worker" });
        expect(pod.tolerations).toEqual([{ key: "rag-platform.io/dedicated", operator: "Equal", value: "queue-worker", effect: "NoSchedule" }]);
        expect(mainContainer({ spec: { template: { spec: pod } } }).readinessProbe.exec.command[0]).toBe("sh");
    });

    it("S2 runs Qdrant as one cluster of three: per-member volumes, a peers Service listing every pod, members started together, peers admitted", () => {
        const record = records["s2-rag-engine"];
        const qdrant = one(record, "qdrant", STATEFULSET).spec;
        expect(qdrant).toMatchObject({ replicas: 3, serviceName: "qdrant-peers", podManagementPolicy: "Parallel" });
        expect(qdrant.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
        expect(qdrant.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } });
        const peers = inService(record, "qdrant", "kubernetes:core/v1:Service").map((r) => r.inputs as Any).find((svc) => svc.metadata.name === "qdrant-peers")!;
        expect(peers.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true, ports: [{ name: "peer", port: 6335, targetPort: 6335 }], selector: { "rag-platform.io/service": "qdrant" } });
        const container = mainContainer(one(record, "qdrant", STATEFULSET));
        expect(container.ports).toContainEqual({ name: "peer", containerPort: 6335 });
        expect(container.env).toContainEqual({ name: "PEER_DOMAIN", value: "qdrant-peers.rag.svc.cluster.local" });
        const policy = one(record, "qdrant", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
        const self = [{ podSelector: { matchLabels: { "rag-platform.io/service": "qdrant" } } }];
        expect(policy.ingress).toContainEqual({ from: self, ports: [{ protocol: "TCP", port: 6335 }] });
        expect(policy.egress).toContainEqual({ to: self, ports: [{ protocol: "TCP", port: 6335 }] });
        expect(policy.ingress[1].from.map((f: Any) => f.podSelector.matchLabels["rag-platform.io/service"])).toEqual(["api", "worker", "qdrant-snapshot"]);
        // A fixed membership: no scaler resizes the cluster.
        expect(inService(record, "qdrant", SCALER)).toEqual([]);
    });

    it("S2 snapshots Qdrant nightly in a bounded, hardened CronJob that may call Qdrant, and nothing serves it", () => {
        const record = records["s2-rag-engine"];
        const cron = one(record, "qdrant-snapshot", "kubernetes:batch/v1:CronJob").spec;
        expect(cron).toMatchObject({ schedule: "30 2 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid", startingDeadlineSeconds: 300 });
        expect(cron.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
        const pod = cron.jobTemplate.spec.template.spec;
        expect(pod.restartPolicy).toBe("Never");
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        for (const type of [SCALER, PDB, "kubernetes:core/v1:Service", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]) expect(inService(record, "qdrant-snapshot", type), type).toEqual([]);
        const egress = one(record, "qdrant-snapshot", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec.egress;
        expect(egress).toContainEqual({ to: [{ podSelector: { matchLabels: { "rag-platform.io/service": "qdrant" } } }], ports: [{ protocol: "TCP", port: 6333 }] });
        const qdrantFrom = one(record, "qdrant", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec.ingress[1].from.map((f: Any) => f.podSelector.matchLabels["rag-platform.io/service"]);
        expect(qdrantFrom).toContain("qdrant-snapshot");
    });

    it("gives every serving workload a VPA: recommendations by default, requests resized in place where a service opts in", () => {
        const vpa = (system: PlanKeyOf, service: string) => one(records[system], service, "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler").spec;
        expect(vpa("s1-mcp-ui", "mcp-manager")).toMatchObject({ targetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "mcp-manager" }, updatePolicy: { updateMode: "Off" } });
        expect(vpa("s0-mcp-rag-demo", "api")).toMatchObject({ targetRef: { kind: "Deployment", name: "api" }, updatePolicy: { updateMode: "Off" } });
        expect(vpa("s3-deployment-engine", "worker")).toEqual({
            targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" },
            updatePolicy: { updateMode: "InPlaceOrRecreate" },
            resourcePolicy: { containerPolicies: [{ containerName: "worker", controlledResources: ["cpu", "memory"], controlledValues: "RequestsOnly", maxAllowed: { cpu: "200m", memory: "256Mi" } }] },
        });
        // A VPA in auto may raise the worker's requests to its limits: the quota and the capacity check count
        // them there, or the resize would be refused (quota) or leave pods pending (nodes).
        const s3 = records["s3-deployment-engine"];
        const config = loadStackConfig(s3.stack, { values: s3.config, secretKeys: s3.secretKeys }, s3.project);
        const worker = config.services.find((svc) => svc.name === "worker")!;
        expect(podRequestCeiling(worker)).toEqual({ cpuMillis: 200, memoryMiB: 256 });
        expect(podRequestCeiling(worker)).not.toEqual(podTotal(worker, "requests"));
        const quota = (ofType(s3, "kubernetes:core/v1:ResourceQuota")[0].inputs.spec as Any).hard;
        // Plus the database users Job's pod (50m).
        const expectedCpu = 50 + config.services.reduce((sum, svc) => sum + podRequestCeiling(svc).cpuMillis * (svc.replicas.max + (svc.delivery === "rolling" ? 1 : svc.replicas.max)), 0);
        expect(quota["requests.cpu"]).toBe(`${expectedCpu}m`);
        const application = config.capacity.groups.find((g) => g.group === "application")!;
        expect(application.required.cpuMillis).toBe(config.services.filter((svc) => svc.nodeGroup === "application").reduce((sum, svc) => sum + podRequestCeiling(svc).cpuMillis * svc.replicas.max, 0));
        // Batch runs have none; the chart runs in kube-system at its pinned version.
        expect(inService(records["s2-rag-engine"], "qdrant-snapshot", "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler")).toEqual([]);
        expect(ofType(records["s1-mcp-ui"], "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "vertical-pod-autoscaler")!.inputs).toMatchObject({ version: "0.11.0", namespace: "kube-system" });
    });

    it("S3 runs its migrations as a Job Pulumi owns: bounded, never retried, not deleted behind Pulumi's back", () => {
        const job = one(records["s3-deployment-engine"], "migrate", "kubernetes:batch/v1:Job").spec;
        expect(job).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900 });
        expect(job.ttlSecondsAfterFinished).toBeUndefined();
        expect(job.template.spec.restartPolicy).toBe("Never");
        expect(job.template.spec.containers[0]).toMatchObject({ command: ["alembic", "upgrade", "head"] });
    });

    it("S3 fronts the API with a hardened nginx sidecar and ships it blue-green with a preview service", () => {
        const record = records["s3-deployment-engine"];
        const rollout = one(record, "api", ROLLOUT).spec;
        expect(rollout.strategy.blueGreen).toMatchObject({ activeService: "api", previewService: "api-preview", prePromotionAnalysis: { templates: [{ templateName: "api-slo" }] } });
        const nginx = rollout.template.spec.containers[1];
        expect(nginx).toMatchObject({ name: "nginx", ports: [{ name: "proxy", containerPort: 8080 }], securityContext: { runAsUser: 101, readOnlyRootFilesystem: true } });
        // Its own sizes, and its config from the service's files ConfigMap: nginx forwards to the API, not to its default page.
        expect(nginx.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } });
        expect(nginx.volumeMounts).toContainEqual({ name: "files", mountPath: "/etc/nginx/conf.d/default.conf", subPath: "nginx.etc_nginx_conf.d_default.conf", readOnly: true });
        expect(rollout.template.spec.volumes).toContainEqual({ name: "files", configMap: { name: "api-files" } });
        const files = inService(record, "api", "kubernetes:core/v1:ConfigMap").map((r) => r.inputs as Any).find((c) => c.metadata.name === "api-files")!;
        expect(files.data["nginx.etc_nginx_conf.d_default.conf"]).toMatch(/listen 8080;[\s\S]*proxy_pass http:\/\/127\.0\.0\.1:8000;/);
        // A changed file rolls the pods (subPath mounts never see ConfigMap updates).
        expect(one(record, "api", ROLLOUT).metadata.annotations["configmap.reloader.stakater.com/reload"]).toBe("api-config,api-files");
        expect(inService(record, "api", "kubernetes:core/v1:Service").map((s) => (s.inputs as Any).spec.ports[0].port)).toEqual([8080, 8080, 8000]);
        // A certificate from config: none is requested.
        expect(ofType(record, "aws:acm/certificate:Certificate")).toHaveLength(0);
        expect((ofType(record, INGRESS)[0].inputs as Any).metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:us-east-1:/);
    });

    it("S4 gets MongoDB as DocumentDB: encrypted, TLS only, a managed master secret, an instance per AZ, reachable only by the backend", () => {
        const record = records["s4-askrag"];
        const cluster = only(record, "aws:docdb/cluster:Cluster");
        const dataKey = named(record, "aws:kms/key:Key", "data-key").state.arn;
        expect(cluster.inputs).toMatchObject({ engine: "docdb", engineVersion: "5.0.0", storageEncrypted: true, kmsKeyId: dataKey, manageMasterUserPassword: true, backupRetentionPeriod: 7, enabledCloudwatchLogsExports: ["audit", "profiler"] });
        expect(cluster.inputs.masterPassword).toBeUndefined();
        expect(only(record, "aws:docdb/clusterParameterGroup:ClusterParameterGroup").inputs.parameters).toContainEqual(expect.objectContaining({ name: "tls", value: "enabled" }));
        const instances = ofType(record, "aws:docdb/clusterInstance:ClusterInstance");
        expect(instances.map((i) => i.inputs.availabilityZone)).toEqual(["us-east-1a", "us-east-1b"]);
        for (const logGroup of ofType(record, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/docdb/"))) {
            expect(logGroup.inputs.kmsKeyId).toBe(dataKey);
            expect(cluster.dependencies).toContain(logGroup.urn);
        }
        expect(named(record, "aws:backup/selection:Selection", "data-backup-databases").inputs.resources).toContain(cluster.state.arn);
        // The backend gets the URL and DocumentDB's own credentials through External Secrets, and a path to 27017.
        const masterSecret = (cluster.state.masterUserSecrets as Any[])[0].secretArn;
        const data = one(record, "backend", "kubernetes:external-secrets.io/v1:ExternalSecret").spec.data;
        expect(data).toEqual(expect.arrayContaining([
            { secretKey: "MONGODB_URL", remoteRef: { key: "askrag-staging/mongodb-url" } },
            { secretKey: "MONGODB_USERNAME", remoteRef: { key: masterSecret, property: "username" } },
            { secretKey: "MONGODB_PASSWORD", remoteRef: { key: masterSecret, property: "password" } },
        ]));
        const url = (ofType(record, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "data-mongodb-url")!.inputs.secretString as Any).value;
        expect(url).toBe(`mongodb://${cluster.state.endpoint}:27017/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false`);
        const grant = JSON.parse(String(named(record, "aws:iam/rolePolicy:RolePolicy", "workload-database-password").inputs.policy));
        expect(grant.Statement[0].Resource).toContain(masterSecret);
        const egressPorts = (service: string) => one(record, service, "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec.egress.flatMap((e: Any) => e.ports.map((p: Any) => p.port));
        expect(egressPorts("backend")).toContain(27017);
        expect(egressPorts("frontend")).not.toContain(27017);
        const dataSg = named(record, "aws:ec2/securityGroup:SecurityGroup", "network-data").id;
        expect(named(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "network-data-in-mongodb").inputs).toMatchObject({ securityGroupId: dataSg, fromPort: 27017, toPort: 27017 });
        expect(ofType(records["s2-rag-engine"], "aws:docdb/cluster:Cluster")).toEqual([]);
    });

    it("S4 shares the FAISS index and uploads over EFS: every backend replica mounts the same directories", () => {
        const record = records["s4-askrag"];
        const backend = one(record, "backend", DEPLOYMENT);
        expect(inService(record, "backend", STATEFULSET)).toEqual([]);
        expect(mainContainer(backend).volumeMounts.map((m: Any) => m.mountPath)).toEqual(["/tmp", "/data/faiss", "/data/uploads"]);
        expect(backend.spec.template.spec.volumes).toEqual(expect.arrayContaining([
            { name: "faiss-index", persistentVolumeClaim: { claimName: "backend-faiss-index" } },
            { name: "uploads", persistentVolumeClaim: { claimName: "backend-uploads" } },
        ]));
        expect(one(record, "backend", SCALER).spec.scaleTargetRef.kind).toBe("Deployment");
        // The file system: encrypted with the data key, a mount target per AZ behind the data security group, TLS only.
        const fileSystem = only(record, "aws:efs/fileSystem:FileSystem");
        const dataKey = named(record, "aws:kms/key:Key", "data-key").state.arn;
        expect(fileSystem.inputs).toMatchObject({ encrypted: true, kmsKeyId: dataKey, throughputMode: "elastic" });
        const dataSg = named(record, "aws:ec2/securityGroup:SecurityGroup", "network-data").id;
        const databaseSubnets = ofType(record, "aws:ec2/subnet:Subnet").filter((sub) => sub.name.startsWith("network-database-")).map((sub) => sub.id);
        expect(ofType(record, "aws:efs/mountTarget:MountTarget").map((t) => [t.inputs.subnetId, t.inputs.securityGroups])).toEqual(databaseSubnets.map((id) => [id, [dataSg]]));
        expect(named(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "network-data-in-nfs").inputs).toMatchObject({ securityGroupId: dataSg, fromPort: 2049, toPort: 2049 });
        const policy = JSON.parse(String(only(record, "aws:efs/fileSystemPolicy:FileSystemPolicy").inputs.policy));
        expect(policy.Statement.map((st: Any) => [st.Effect, st.Action])).toEqual([["Allow", ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]], ["Deny", "*"]]);
        // Each volume: an access point entered as the service's UID, a volume bound to it, the service's claim on that.
        const accessPoint = named(record, "aws:efs/accessPoint:AccessPoint", "workload-backend-faiss-index");
        expect(accessPoint.inputs).toMatchObject({ fileSystemId: fileSystem.id, posixUser: { uid: 1000, gid: 1000 }, rootDirectory: { path: "/rag/backend/faiss-index" } });
        const volume = inService(record, "backend", "kubernetes:core/v1:PersistentVolume").map((r) => r.inputs as Any).find((v) => v.metadata.name === "rag-backend-faiss-index")!;
        expect(volume.spec).toMatchObject({ accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain", csi: { driver: "efs.csi.aws.com", volumeHandle: `${fileSystem.id}::${accessPoint.id}` } });
        const claim = inService(record, "backend", "kubernetes:core/v1:PersistentVolumeClaim").map((r) => r.inputs as Any).find((c) => c.metadata.name === "backend-faiss-index")!;
        expect(claim.spec).toMatchObject({ accessModes: ["ReadWriteMany"], volumeName: "rag-backend-faiss-index", storageClassName: "efs" });
        // The driver and its identity, and AWS Backup over the file system with the database.
        const addon = named(record, "aws:eks/addon:Addon", "cluster-aws-efs-csi-driver");
        const role = named(record, "aws:iam/role:Role", "cluster-efs-csi");
        expect(addon.inputs.serviceAccountRoleArn).toBe(role.state.arn);
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals;
        expect(Object.entries(trust).find(([k]) => k.endsWith(":sub"))![1]).toEqual(["system:serviceaccount:kube-system:efs-csi-controller-sa", "system:serviceaccount:kube-system:efs-csi-node-sa"]);
        expect(named(record, "aws:backup/selection:Selection", "data-backup-databases").inputs.resources).toContain(fileSystem.state.arn);
        // Stacks without shared volumes get none of it.
        for (const other of [records["s2-rag-engine"], records["s1-mcp-ui"]]) {
            expect(ofType(other, "aws:efs/fileSystem:FileSystem")).toEqual([]);
            expect(ofType(other, "aws:eks/addon:Addon").map((a) => a.inputs.addonName)).not.toContain("aws-efs-csi-driver");
        }
    });
});

/** The prod stack file with one service override; the config error's problems. */
function problemsWith(services: unknown[], extra: Record<string, unknown> = {}, stack = "prod") {
    const raw = readStackConfig(process.cwd(), stack, { overrides: { "rag-platform:services": services, ...extra } });
    try {
        loadStackConfig(stack, raw);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}
const api = { name: "api", kind: "api", image: "example/api:1.0" };

describe("services the config refuses, before anything is registered", () => {
    it("a PodDisruptionBudget that would block every eviction", () => {
        expect(problemsWith([{ ...api, replicas: { min: 3, max: 10 }, disruptionBudget: { minAvailable: 3 } }])).toContainEqual(
            expect.objectContaining({ key: "rag-platform:services[0].disruptionBudget.minAvailable", value: 3, message: expect.stringMatching(/no pod could ever be evicted/) }),
        );
    });

    it("maxReplicas below minReplicas", () => {
        expect(problemsWith([{ ...api, replicas: { min: 5, max: 3 } }])).toContainEqual(expect.objectContaining({ key: "rag-platform:services[0].replicas.max", value: 3, allowed: "5 or more" }));
    });

    it("a service without probes", () => {
        expect(problemsWith([api, { name: "worker", kind: "worker", image: "example/worker:1.0" }])).toContainEqual(
            expect.objectContaining({ key: "rag-platform:services[1].probes", message: expect.stringMatching(/no readiness probe/) }),
        );
    });

    it("a container asking for root, in the service or a sidecar", () => {
        const problems = problemsWith([{ ...api, runAsUser: 0, sidecars: [{ name: "proxy", image: "nginx:1.27", runAsUser: 0 }] }]);
        expect(problems.map((p) => p.key)).toEqual(expect.arrayContaining(["rag-platform:services[0].runAsUser", "rag-platform:services[0].sidecars[0].runAsUser"]));
    });

    it("unpinned images, unknown fields, a single replica in prod, and calls to nobody", () => {
        const problems = problemsWith([{ ...api, image: "example/api:latest", replicas: { min: 1, max: 4 }, calls: ["search"], colour: "blue" }]);
        // The unknown field is named where it is, with its value, not by printing the whole service.
        expect(problems.map((p) => [p.key, p.value])).toEqual([["rag-platform:services[0].colour", "blue"]]);
        const valid = problemsWith([{ ...api, image: "example/api:latest", replicas: { min: 1, max: 4 }, calls: ["search"] }]);
        expect(valid.map((p) => p.key)).toEqual(["rag-platform:services[0].image", "rag-platform:services[0].replicas.min", "rag-platform:services[0].calls[0]"]);
    });

    it("replicas that would each keep a volume of their own, and clusters that could not hold together", () => {
        const store = { name: "store", image: "example/store:1.0", port: 8080, probes: { readiness: "/ready", liveness: "/health" }, volumes: [{ name: "data", mountPath: "/data", sizeGiB: 10 }] };
        expect(problemsWith([api, { ...store, replicas: { min: 2, max: 3 } }])).toContainEqual(expect.objectContaining({
            key: "rag-platform:services[1].volumes",
            message: "up to 3 replicas would each keep a volume of their own, and their data would diverge",
        }));
        const problems = problemsWith([api, { ...store, replicas: { min: 3, max: 5 }, cluster: { peerPort: 8080 } }, { ...store, name: "shared", volumes: [{ ...store.volumes[0], shared: true }], cluster: { peerPort: 7000 } }]);
        expect(problems.map((p) => [p.key, p.message])).toEqual(expect.arrayContaining([
            ["rag-platform:services[1].replicas", "a cluster's membership is its replica count: it is not autoscaled"],
            ["rag-platform:services[1].cluster.peerPort", "collides with another port of the service"],
            ["rag-platform:services[2].cluster", "a cluster's members keep their state on volumes of their own"],
        ]));
        // Shared volumes and a clustered store are fine.
        expect(problemsWith([api, { ...store, replicas: { min: 3, max: 3 }, cluster: { peerPort: 7000 } }, { ...store, name: "files", replicas: { min: 2, max: 4 }, volumes: [{ ...store.volumes[0], shared: true }] }])).toEqual([]);
    });

    it("a VPA in auto where the HPA scales on CPU or memory", () => {
        expect(problemsWith([{ ...api, verticalScaling: "auto" }]).map((p) => [p.key, p.message])).toEqual([
            ["rag-platform:services[0].verticalScaling", "the HPA scales this service on CPU or memory, which a VPA in auto would keep resizing under it"],
        ]);
        expect(problemsWith([{ ...api, verticalScaling: "auto", autoscaling: { cpuPercent: null, memoryPercent: null } }])).toEqual([]);
    });

    it("jobs that serve, cronjobs without a schedule, and schedules on anything else", () => {
        const job = { name: "reindex", kind: "job", image: "example/ops:1.0" };
        const problems = problemsWith([api, { ...job, port: 8080, replicas: { min: 2, max: 2 } }, { ...job, name: "nightly", kind: "cronjob" }, { ...api, name: "api2", ingress: null, schedule: "0 3 * * *" }]);
        expect(problems.map((p) => [p.key, p.message])).toEqual([
            ["rag-platform:services[1].port", "a job runs to completion: it takes no port"],
            ["rag-platform:services[1].replicas", "a job runs one pod at a time"],
            ["rag-platform:services[2].schedule", "a cronjob runs on a schedule"],
            ["rag-platform:services[3].schedule", "only a cronjob runs on a schedule (this is a api)"],
        ]);
    });

    it("secret files naming keys the service's secrets do not have", () => {
        const frontend = { name: "web", kind: "frontend", image: "example/web:1.0" };
        const problems = problemsWith([api, { ...frontend, secretFiles: { "/etc/web/db": "DATABASE_URL" } }, { ...api, name: "api2", ingress: null, secrets: ["database-url"], secretFiles: { "/etc/api/token": "OPENAI_API_KEY" } }]);
        expect(problems.map((p) => [p.key, p.message])).toEqual([
            ["rag-platform:services[1].secretFiles./etc/web/db", "the service takes no secrets"],
            ["rag-platform:services[2].secretFiles./etc/api/token", "not a key of the service's secrets"],
        ]);
    });

    it("mounts a secret key as a file readable by the pod's group only", async () => {
        const record = await evaluateStack({ stack: "dev", overrides: { "rag-platform:services": [{ ...api, secretFiles: { "/etc/api/database-url": "DATABASE_URL" } }] } });
        const pod = one(record, "api", DEPLOYMENT).spec.template.spec;
        expect(pod.volumes).toContainEqual({ name: "secret-files", secret: { secretName: "api-secrets", defaultMode: 0o440 } });
        expect(pod.containers[0].volumeMounts).toContainEqual({ name: "secret-files", mountPath: "/etc/api/database-url", subPath: "DATABASE_URL", readOnly: true });
    });

    it("a domain without a zone or certificate, a certificate of another region, a WAF log retention CloudWatch lacks", () => {
        expect(problemsWith([api], { "rag-platform:domainName": "rag.example.com" })).toContainEqual(expect.objectContaining({ key: "rag-platform:domainName", message: "no way to get a certificate for it" }));
        const problems = problemsWith([api], {
            "rag-platform:domainName": "rag.example.com",
            "rag-platform:certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            "rag-platform:accessLogRetentionDays": 100,
        });
        // The edge cannot use a certificate outside us-east-1, and without a zone it cannot request one there.
        expect(problems.map((p) => p.key)).toEqual(["rag-platform:edge", "rag-platform:accessLogRetentionDays", "rag-platform:certificateArn"]);
        expect(problemsWith([api], { "rag-platform:domainName": "rag.example.com", "rag-platform:certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc", "rag-platform:edge": false }).map((p) => p.key)).toEqual(["rag-platform:certificateArn"]);
    });

    it("services that do not fit the node groups at maximum scale, naming the group's max size", () => {
        const problems = problemsWith([{ ...api, replicas: { min: 3, max: 40 } }]);
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatchObject({ key: "rag-platform:nodeMaxSize", value: 10 });
        expect(problems[0].message).toMatch(/requests 40\.0 vCPU \/ 80\.0 GiB of 33\.7 vCPU/);
    });

    it("a target throughput the request-rate-scaled services cannot reach", () => {
        const problems = problemsWith([api], { "rag-platform:targetThroughputRps": 1500 });
        expect(problems).toEqual([expect.objectContaining({ key: "rag-platform:targetThroughputRps", value: 1500, message: expect.stringMatching(/1000 req\/s for a target of 1500 req\/s \(headroom -33%\)/) })]);
    });

    it("and the plan registers nothing but the stack", async () => {
        const record = await evaluateStack({ stack: "prod", overrides: { "rag-platform:services": [{ ...api, runAsUser: 0 }] } });
        expect(record.configError?.problems.map((p) => p.key)).toEqual(["rag-platform:services[0].runAsUser"]);
        expect(record.resources.map((r) => r.type)).toEqual([STACK_TYPE]);
    });
});

describe("capacity arithmetic", () => {
    it("derives allocatable from the EKS AMI's reservations", () => {
        // Prefix delegation on: managed node groups set 110 pods below 30 vCPUs, and kube-reserved memory follows.
        expect(nodeShape("m6i.xlarge")).toMatchObject({ vcpus: 4, memoryMiB: 16384, maxPods: 110, allocatable: { cpuMillis: 3920, memoryMiB: 14819 } });
        expect(nodeShape("r6i.large")).toMatchObject({ vcpus: 2, memoryMiB: 16384, maxPods: 110 });
        expect(nodeShape("m6i.8xlarge")).toMatchObject({ vcpus: 32, maxPods: 250 });
    });

    it("sizes a mixed group by its smallest type and fails a pod larger than any node", () => {
        const services = resolveServices([{ name: "big", kind: "service", image: "x/y:1", probes: { readiness: "/", liveness: "/" }, resources: { requests: { cpu: "3", memory: "8Gi" }, limits: { cpu: "3", memory: "8Gi" } }, replicas: { min: 2, max: 2 } }], { environment: "prod", hasWorkerGroup: false });
        const report = capacityReport(services, [{ name: "application", instanceTypes: ["m6i.large", "m6i.2xlarge"], maxSize: 50 }], 0);
        expect(report.groups[0].node?.instanceType).toBe("m6i.large");
        expect(report.groups[0].fits).toBe(false);
        expect(report.ok).toBe(false);
    });

    it("counts pods: tiny pods that fit in CPU and memory still need a pod slot each (max pods per node, DaemonSets and add-ons taken)", () => {
        const tiny = (max: number) => resolveServices([{ name: "tiny", kind: "service", image: "x/y:1", probes: { readiness: "/", liveness: "/" }, resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } }, replicas: { min: 2, max } }], { environment: "prod", hasWorkerGroup: false });
        // 3 x m6i.xlarge: 3 x (110 - 6 DaemonSet pods) - 31 add-on pods = 281 slots.
        const group = [{ name: "application", instanceTypes: ["m6i.xlarge"], maxSize: 3 }];
        const fits = capacityReport(tiny(281), group, 0).groups[0];
        expect([fits.required.pods, fits.capacity.pods, fits.fits]).toEqual([281, 281, true]);
        const over = capacityReport(tiny(282), group, 0).groups[0];
        expect([over.required.pods, over.capacity.pods, over.fits]).toEqual([282, 281, false]);
        expect(over.headroom.cpu).toBeGreaterThan(0.6);
        expect(describeGroup(over)).toContain("282 of 281 pod slots");
    });

    it("counts every pod the observability charts run on their group, Loki's caches at the sizes given to them", () => {
        const pods = observabilityPods(2);
        const byName = Object.fromEntries(pods.map((p) => [p.name, p]));
        // memcached asks for round(allocatedMemory x 1.2) MiB, its exporter beside it: 2048 MB of chunks -> 2458 + 32 MiB.
        expect(byName["loki-chunks-cache"]).toEqual({ name: "loki-chunks-cache", replicas: 1, cpuMillis: 510, memoryMiB: 2490 });
        expect(byName.loki.replicas).toBe(3);
        const group = (maxSize: number) => [{ name: "observability", instanceTypes: ["r6i.large"], maxSize }];
        const one = capacityReport([], group(1), 0, { observability: pods }).groups[0];
        expect(one).toMatchObject({ group: "observability", fits: false });
        expect(one.services).toEqual(expect.arrayContaining(["prometheus", "loki-chunks-cache", "opentelemetry-collector"]));
        expect(one.required.cpuMillis).toBe(pods.reduce((sum, p) => sum + p.cpuMillis * p.replicas, 0));
        expect(capacityReport([], group(3), 0, { observability: pods }).groups[0].fits).toBe(true);
        // At the chart's default cache sizes (8192 and 1024 MB), prod's three nodes would have held 11 GiB more.
        expect(memcachedSize(8192).memory).toBe("9830Mi");
    });
});
