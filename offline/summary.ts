/** The human-readable report of an offline plan. */
import { SUBNET_TIERS } from "../model/network-layout";
import type { PlanRecord } from "./evaluate";
import { mandatoryViolations, type PolicyReport } from "./policy-check";
import { renderCapacity } from "../model/capacity";
import { loadStackConfig } from "../stacks/config";
import { STACK_TYPE, clusterLayout, dataLayout, descendants, networkLayout, observabilityLayout, registered, standbyLayout, workloadLayout } from "./inspect";

/** What the offline plan cannot see; printed with every plan so nobody mistakes it for a preview. */
export const OFFLINE_LIMITS = [
    "AWS itself: quotas, capacity in each AZ, IAM permissions of the deploying role, and values only AWS computes (ids, ARNs and addresses here are mocked).",
    "The account's real availability zones: they come from model/aws-catalog.ts, not from AWS.",
    "Provider-side validation and defaults: the inputs shown are what the program sends, not what the provider would plan.",
    "Children of remote components (awsx, eks, helm v4 Chart): they are registered once, with mocked outputs, and nothing below them is built.",
    "What policy packs see beyond the program: a real preview sends inputs after the provider's Check (defaults filled in), real outputs, and the children of remote components (helm charts, eks node groups); offline they get the program's inputs and the mocked outputs.",
];

export function renderSummary(record: PlanRecord): string {
    const lines: string[] = [];
    const out = (line = "") => lines.push(line);
    const env = record.outputs.environment ?? "?";
    out(`${record.project}/${record.stack}: offline plan (Pulumi SDK mock runtime; nothing was created)`);

    if (record.configError) {
        out();
        out(record.configError.message);
        return lines.join("\n");
    }

    const resources = registered(record);
    out(`environment ${env}, region ${record.region}: ${resources.length} resources (${resources.filter((r) => r.custom).length} cloud resources, ${resources.filter((r) => !r.custom).length} component(s))`);
    const standby = standbyLayout(record);
    if (standby) {
        out(`warm standby of ${standby.primary}: ${standby.promoted ? `promoted, database ${standby.database.identifier} is a standalone writer` : `database ${standby.database.identifier} replicates ${standby.database.source} (promote: standbyPromoted true)`}; documents and backups are the primary's replicas ${standby.buckets.join(", ")}`);
    }
    out();
    out("Resources by component");
    const stackUrn = record.resources.find((r) => r.type === STACK_TYPE)?.urn;
    for (const top of resources.filter((r) => r.parent === stackUrn)) {
        const below = descendants(record, top.urn);
        out(`  ${top.type} "${top.name}"${top.remote ? " (remote component: children not built offline)" : ""}${below.length ? ` - ${below.length} resources` : ""}`);
        const counts = new Map<string, number>();
        for (const r of below) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        for (const [type, count] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) out(`      ${String(count).padStart(3)}  ${type}`);
    }

    if (resources.some((r) => r.type === "rag:network:Network")) {
        const net = networkLayout(record);
        const azs = [...new Set(net.subnets.map((s) => s.az))];
        out();
        out(`Network: VPC ${net.vpcCidr} over ${azs.length} AZs`);
        out(`  ${"tier".padEnd(10)}${azs.map((az) => az.padEnd(18)).join("")}`);
        for (const tier of SUBNET_TIERS) {
            out(`  ${tier.padEnd(10)}${azs.map((az) => (net.subnets.find((s) => s.tier === tier && s.az === az)?.cidr ?? "-").padEnd(18)).join("")}`);
        }
        out(`  NAT gateways: ${net.natGateways.length} (${net.natGateways.map((n) => n.az).join(", ")})`);
        out(`  private egress: ${net.privateEgress.map((e) => `${e.az} -> NAT in ${e.natAz}`).join("; ")}`);
        out(`  default routes: ${net.internetRoutes.map((r) => `${r.tier} -> ${r.target}`).join("; ")}; database tier has ${net.internetRoutes.some((r) => r.tier === "database") ? "A ROUTE OUT" : "no route out of the VPC"}`);
        out(`  endpoints: gateway ${list(net.endpoints.filter((e) => e.type === "Gateway"))}; interface ${list(net.endpoints.filter((e) => e.type === "Interface"))}`);
        out(`  flow logs: ${net.flowLogs.map((f) => `${f.trafficType} traffic, ${f.retentionInDays} days, ${f.encrypted ? "KMS-encrypted" : "NOT encrypted"}`).join("; ")}`);
    }

    const cluster = clusterLayout(record);
    if (cluster) {
        out();
        out(`EKS cluster ${cluster.name}: Kubernetes ${cluster.version}, API endpoint ${cluster.endpoint.publicCidrs.length ? `private + public from ${cluster.endpoint.publicCidrs.join(", ")}` : "private only"}`);
        out(`  secrets ${cluster.secretsEncrypted ? "envelope-encrypted (KMS)" : "NOT encrypted"}; control-plane logs ${cluster.logTypes.join(", ")} kept ${cluster.logRetentionDays} days`);
        out(`  ${"node group".padEnd(16)}${"instance types".padEnd(34)}${"capacity".padEnd(11)}${"min/desired/max".padEnd(17)}${"AZs".padEnd(5)}taints`);
        for (const g of cluster.nodeGroups) {
            out(`  ${g.name.padEnd(16)}${g.instanceTypes.join(",").padEnd(34)}${g.capacityType.padEnd(11)}${`${g.min}/${g.desired}/${g.max}`.padEnd(17)}${String(g.subnets).padEnd(5)}${g.taints.join(", ") || "-"}`);
        }
        out(`  nodes: ${cluster.nodeVolume.type} ${cluster.nodeVolume.sizeGiB} GiB root volume ${cluster.nodeVolume.encrypted ? "encrypted (KMS)" : "NOT encrypted"}; IMDSv2 ${cluster.imds.tokens}, hop limit ${cluster.imds.hopLimit}; desired size ${cluster.nodeGroups.every((g) => g.ignoresDesiredSize) ? "left to the autoscaler" : "managed by Pulumi"}`);
        out(`  EKS add-ons: ${cluster.addons.map((a) => `${a.name} ${a.version}`).join(", ")}`);
        out(`  Helm charts: ${cluster.charts.map((c) => `${c.name} ${c.version} (${c.namespace})`).join(", ")}`);
        out(`  access entries: ${cluster.accessEntries.length ? cluster.accessEntries.map((e) => `${e.principal} ${e.policy}`).join(", ") : "none beyond the creating identity"}`);
    }

    const data = dataLayout(record);
    if (data) {
        const { database: db, cache, backup } = data;
        out();
        out(`Data tier: PostgreSQL ${db.engineVersion} on ${db.instanceClass}, ${db.multiAz ? "Multi-AZ" : "single-AZ"}, ${db.storage}, ${db.backupDays} day${db.backupDays === 1 ? "" : "s"} of PITR, ${db.replicas} read replica(s)${db.deletionProtection ? ", deletion protection" : ""}`);
        out(`  cache: ${cache.engine} on ${cache.nodeType}, ${cache.clusterMode ? `cluster mode, ${cache.shards} shard(s) x ${cache.nodesPerShard} nodes` : `one primary with ${cache.nodesPerShard - 1} replica(s)`}, ${cache.multiAz ? "Multi-AZ" : "single-AZ"}, TLS ${cache.transit}`);
        out(`  buckets: ${data.buckets.map((b) => `${b.name} (${b.encryption}${b.versioned ? ", versioned" : ""}${b.replicatedTo ? `, replicated to ${b.replicatedTo}` : ""})`).join("; ")}`);
        out(`  AWS Backup: ${backup ? `${backup.schedule}, kept ${backup.retentionDays} days${backup.copiesTo ? `, copied to ${backup.copiesTo}` : ""}` : "none"}`);
        out(`  secrets: ${data.secrets.join(", ")}`);
    }

    const obs = observabilityLayout(record);
    if (obs) {
        const onOff = (on: boolean) => (on ? "on" : "off");
        out();
        out(`Observability: Prometheus ${obs.metrics.retention} at ${obs.metrics.scrapeInterval} scrape, ${obs.metrics.replicas} replica(s) on ${obs.metrics.volume}; Loki ${obs.logRetention}; Tempo ${obs.traceRetention}, ${obs.samplingPercent}% of traces sampled`);
        out(`  ${obs.alertRules} alert rules (SLO burn rates and platform alerts), ${obs.dashboards} dashboards, ${obs.cloudWatchAlarms} CloudWatch alarms; CloudTrail ${onOff(obs.auditTrail)}, GuardDuty ${onOff(obs.guardDuty)}, Security Hub ${onOff(obs.securityHub)}`);
        out(`  charts: ${obs.charts.map((c) => `${c.name} ${c.version}`).join(", ")}`);
    }

    const workload = workloadLayout(record);
    if (workload) {
        out();
        out(`RAG workload: namespace ${workload.namespace} (Pod Security ${workload.podSecurity}), ${workload.networkPolicies} network policies (default deny)`);
        out(workload.entryPoint ? `  entry point: https://${workload.entryPoint.domain} on one ALB (${workload.entryPoint.certificate}; WAF ${workload.entryPoint.wafRules.join(", ")})` : "  entry point: none (no domainName): services are reachable inside the cluster only");
        if (workload.entryPoint?.edge) out(`  edge: ${workload.entryPoint.edge}`);
        if (workload.entryPoint?.dns.length) out(`  DNS: ${workload.entryPoint.dns.join("; ")}`);
        for (const s of workload.services) {
            out(`  ${s.name.padEnd(14)} ${s.kind} (${s.delivery}), replicas ${s.replicas}${s.triggers.length ? ` on ${s.triggers.join(", ")}` : ""}; PDB ${s.disruptionBudget}${s.paths.length ? `; routes ${s.paths.join(" ")}` : ""}`);
            out(`  ${"".padEnd(15)}${s.containers.join("; ")}`);
        }
        // The same check config validation enforces; here with its figures.
        const config = loadStackConfig(record.stack, { values: record.config, secretKeys: record.secretKeys }, record.project);
        out("  capacity at maximum scale:");
        for (const line of renderCapacity(config.capacity)) out(`    ${line}`);
    }

    const protectedOnes = resources.filter((r) => r.protect);
    out();
    out(`Protected from deletion: ${protectedOnes.length ? `${protectedOnes.length} resource(s)` : "nothing"}`);
    // By type, the names after it in aligned columns.
    const byType = new Map<string, string[]>();
    for (const r of protectedOnes) {
        const key = `${r.type}${r.retainOnDelete ? " (retained on delete)" : ""}`;
        byType.set(key, [...(byType.get(key) ?? []), `"${r.name}"`]);
    }
    const typeWidth = Math.max(0, ...[...byType.keys()].map((t) => t.length));
    for (const [type, names] of byType) out(`  ${type.padEnd(typeWidth)}  ${names.join(", ")}`);
    out();
    out("Stack outputs");
    for (const [key, value] of Object.entries(record.outputs)) out(`  ${key} = ${record.secretOutputs.includes(key) ? "[secret]" : show(value)}`);
    out();
    out("Not visible offline");
    for (const limit of OFFLINE_LIMITS) out(`  - ${limit}`);
    return lines.join("\n");
}

/** A value as JSON, with a space after each comma so that a long list or map wraps between its items. */
function show(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
    if (value && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${show(v)}`).join(", ")}}`;
    return JSON.stringify(value) ?? "undefined";
}

function list(endpoints: { service: string }[]): string {
    return endpoints.length ? endpoints.map((e) => e.service).join(", ") : "none";
}

/** The policy section of a plan: which packs ran with which config, then each violation with how to fix it. */
export function renderPolicyReport(report: PolicyReport): string {
    const lines: string[] = [];
    const policies = report.packs.reduce((n, p) => n + Object.keys(p.levels).length, 0);
    lines.push(`Policy packs: ${report.packs.length} packs, ${policies} policies, over the analyzer protocol (${(report.elapsedMs / 1000).toFixed(1)} s)`);
    for (const pack of report.packs) {
        const levels = Object.values(pack.levels);
        const count = (level: string) => levels.filter((l) => l === level).length;
        const found = report.violations.filter((v) => v.pack === pack.name);
        lines.push(
            `  ${pack.name}@${pack.version}  config ${pack.configFile ?? "(none: every policy at its default, mandatory)"}; ` +
                `${count("mandatory")} mandatory, ${count("advisory")} advisory, ${count("disabled")} disabled; ` +
                `${found.length ? `${found.length} violation(s)` : "no violations"}`,
        );
    }
    const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };
    for (const v of [...report.violations].sort((a, b) => order[a.level] - order[b.level] || a.policy.localeCompare(b.policy))) {
        const where = v.resourceName ? `${v.resourceType} "${v.resourceName}"` : "the stack";
        lines.push(`  ${v.level.toUpperCase()} [${v.severity}] ${v.pack}/${v.policy}: ${where}`);
        lines.push(`      ${v.message.replace(/\n/g, "\n      ")}`);
        lines.push(`      fix: ${v.remediationSteps}`);
    }
    const mandatory = mandatoryViolations(report).length;
    lines.push(mandatory ? `Policy result: ${mandatory} mandatory violation(s): \`pulumi up\` would be refused` : "Policy result: no mandatory violations");
    return lines.join("\n");
}
