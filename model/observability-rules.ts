/**
 * What the platform alerts on and shows, as data: SLOs and the Prometheus rules generated from them
 * (multi-window, multi-burn-rate alerts after the SRE workbook), the alerts the requirements list (docs/requirements.md), Alertmanager's
 * routing by severity, and the three Grafana dashboards. Pure functions: the Observability component deploys
 * them, and tests run them through promtool.
 *
 * The metrics are the workload's contract (RagWorkload exports them): `http_requests_total{service, code}`,
 * `http_request_duration_seconds_bucket{service, le}`, `rag_database_up{service}`, `rag_queries_total`,
 * `rag_documents_ingested_total`, `rag_active_sessions`, `rag_cache_requests_total{result}`.
 */

export type Severity = "critical" | "high" | "medium" | "low";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

export interface Slo {
    /** kebab-case; the `slo` label of its rules. */
    name: string;
    description: string;
    /** Fraction of good events, e.g. 0.9995. */
    objective: number;
    /** Good events: responses other than 5xx, or responses faster than `thresholdSeconds`. */
    sli: { kind: "availability" } | { kind: "latency"; thresholdSeconds: number };
}

/** The spec's SLOs: availability 99.95%, p95 < 500 ms, p99 < 1 s, error rate < 0.1%. */
export const DEFAULT_SLOS: Slo[] = [
    { name: "availability", description: "99.95% of requests succeed (no 5xx)", objective: 0.9995, sli: { kind: "availability" } },
    { name: "error-rate", description: "fewer than 0.1% of requests fail", objective: 0.999, sli: { kind: "availability" } },
    { name: "latency-p95", description: "95% of requests complete within 500 ms", objective: 0.95, sli: { kind: "latency", thresholdSeconds: 0.5 } },
    { name: "latency-p99", description: "99% of requests complete within 1 s", objective: 0.99, sli: { kind: "latency", thresholdSeconds: 1 } },
];

/**
 * Burn-rate alerts of the SRE workbook (chapter 5): a long window that proves the budget is really burning and a
 * short one (1/12 of it) that stops the alert soon after the burn does. The two fast ones page; the slow ones
 * open a ticket.
 */
export const BURN_RATE_ALERTS = [
    { alert: "ErrorBudgetBurnFast", long: "1h", short: "5m", factor: 14.4, for: "2m", severity: "high", page: true },
    { alert: "ErrorBudgetBurnSustained", long: "6h", short: "30m", factor: 6, for: "15m", severity: "high", page: true },
    { alert: "ErrorBudgetBurnSlow", long: "1d", short: "2h", factor: 3, for: "1h", severity: "low", page: false },
    { alert: "ErrorBudgetBurnChronic", long: "3d", short: "6h", factor: 1, for: "3h", severity: "low", page: false },
] as const;

export const SLI_WINDOWS = [...new Set(BURN_RATE_ALERTS.flatMap((a) => [a.short, a.long]))];

export interface Rule {
    record?: string;
    alert?: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}
export interface RuleGroup {
    name: string;
    interval?: string;
    rules: Rule[];
}

/** Name of the recorded error ratio of an SLO's SLI over a window. */
export const errorRatio = (window: string) => `slo:sli_error:ratio_rate${window}`;

function sliErrorExpr(slo: Slo, window: string): string {
    if (slo.sli.kind === "availability") {
        return `sum by (service) (rate(http_requests_total{code=~"5.."}[${window}])) / sum by (service) (rate(http_requests_total[${window}]))`;
    }
    return `1 - (sum by (service) (rate(http_request_duration_seconds_bucket{${leMatcher(slo.sli.thresholdSeconds)}}[${window}])) / sum by (service) (rate(http_request_duration_seconds_count[${window}])))`;
}

/**
 * The bucket boundary as clients write it: Go's client says `le="1"`, Python's (FastAPI) and Prometheus 3's
 * normalisation say `le="1.0"`; a whole-number threshold matches both.
 */
export function leMatcher(thresholdSeconds: number): string {
    // PromQL anchors regexes; the unescaped dot can only ever meet "1.0" in an le label.
    return Number.isInteger(thresholdSeconds) ? `le=~"${thresholdSeconds}|${thresholdSeconds}.0"` : `le="${thresholdSeconds}"`;
}

/** Recording rules for every SLO and window, then the burn-rate alerts on them. */
export function sloRuleGroups(slos: Slo[] = DEFAULT_SLOS): RuleGroup[] {
    const recording: RuleGroup = {
        name: "slo-sli-recordings",
        interval: "30s",
        rules: slos.flatMap((slo) => SLI_WINDOWS.map((window) => ({ record: errorRatio(window), expr: sliErrorExpr(slo, window), labels: { slo: slo.name } }))),
    };
    const alerts: RuleGroup = {
        name: "slo-burn-rate-alerts",
        rules: slos.flatMap((slo) =>
            BURN_RATE_ALERTS.map((a) => {
                const threshold = round(a.factor * (1 - slo.objective));
                return {
                    alert: a.alert,
                    expr: `${errorRatio(a.long)}{slo="${slo.name}"} > ${threshold} and ${errorRatio(a.short)}{slo="${slo.name}"} > ${threshold}`,
                    for: a.for,
                    labels: { severity: a.severity, slo: slo.name, page: String(a.page), long_window: a.long },
                    annotations: {
                        summary: `{{ $labels.service }} is burning its ${slo.name} error budget ${a.factor}x too fast`,
                        description: `SLO: ${slo.description}. Over ${a.long} (and ${a.short}) the error ratio is above ${threshold}; at this rate the 30-day budget lasts ${round(30 / a.factor)} days.`,
                    },
                };
            }),
        ),
    };
    return [recording, alerts];
}

/** The alerts docs/requirements.md lists, by severity: critical pages now, high within 15 min, medium within 1 h, low next day. */
export function platformAlertGroups(): RuleGroup[] {
    const alert = (name: string, expr: string, forDuration: string, severity: Severity, summary: string): Rule => ({
        alert: name,
        expr,
        for: forDuration,
        labels: { severity },
        annotations: { summary },
    });
    return [{
        name: "platform-alerts",
        rules: [
            alert("ServiceDown", `sum by (service) (up{job=~"rag-.+"}) == 0`, "2m", "critical", "every instance of {{ $labels.service }} is down"),
            alert("HighErrorRate", `${errorRatio("5m")}{slo="availability"} > 0.1`, "5m", "critical", "{{ $labels.service }} fails more than 10% of requests"),
            alert("DatabaseUnreachable", `max by (service) (rag_database_up) == 0`, "2m", "critical", "{{ $labels.service }} cannot reach PostgreSQL"),
            alert("PersistentVolumeFailed", `max by (persistentvolume) (kube_persistentvolume_status_phase{phase="Failed"}) == 1`, "1m", "critical", "volume {{ $labels.persistentvolume }} failed: its data is at risk"),
            alert("LatencyP99High", `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1`, "10m", "high", "p99 latency of {{ $labels.service }} is above 1 s"),
            alert(
                "ContainerMemoryHigh",
                `max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > 0.8`,
                "15m",
                "medium",
                "{{ $labels.namespace }}/{{ $labels.pod }} {{ $labels.container }} uses more than 80% of its memory limit",
            ),
            alert("PersistentVolumeFillingUp", `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.2`, "15m", "medium", "volume {{ $labels.persistentvolumeclaim }} has less than 20% free"),
            alert("NodeDiskFillingUp", `node_filesystem_avail_bytes{mountpoint="/",fstype!="tmpfs"} / node_filesystem_size_bytes{mountpoint="/",fstype!="tmpfs"} < 0.2`, "15m", "medium", "node {{ $labels.instance }} has less than 20% disk free"),
            alert("CertificateExpiringSoon", `min by (name, namespace) (certmanager_certificate_expiration_timestamp_seconds) - time() < 7 * 86400`, "1h", "low", "certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 7 days"),
        ],
    }];
}

export function allRuleGroups(slos: Slo[] = DEFAULT_SLOS): RuleGroup[] {
    return [...sloRuleGroups(slos), ...platformAlertGroups()];
}

/** Keys of the Secrets Manager secret that holds the receivers' endpoints (filled in by operators). */
export const RECEIVER_SECRET_KEYS = ["pagerduty_routing_key", "slack_webhook_url", "alert_email_to", "smtp_smarthost", "smtp_from", "smtp_username", "smtp_password"] as const;

/**
 * What the receivers secret holds until operators set the real endpoints. Alertmanager refuses a config whose
 * receivers lack a routing key, webhook URL, recipient, smarthost or sender, and then never starts; these
 * placeholders pass its checks and deliver nowhere (reserved names, RFC 2606), so it runs from the first apply.
 */
export const RECEIVER_PLACEHOLDERS: Record<(typeof RECEIVER_SECRET_KEYS)[number], string> = {
    pagerduty_routing_key: "set-in-secrets-manager",
    slack_webhook_url: "https://hooks.slack.invalid/set-in-secrets-manager",
    alert_email_to: "alerts@example.invalid",
    smtp_smarthost: "smtp.example.invalid:587",
    smtp_from: "alertmanager@example.invalid",
    smtp_username: "",
    smtp_password: "",
};

/**
 * Alertmanager's configuration as an External Secrets template: routing by severity (critical and high page
 * through PagerDuty and post to Slack; medium to Slack; low by email), endpoints filled in from Secrets Manager.
 * `{{ .key }}` are External Secrets' template fields, resolved before Alertmanager reads the file.
 */
export function alertmanagerConfigTemplate(): Record<string, unknown> {
    return {
        global: {
            resolve_timeout: "5m",
            smtp_smarthost: "{{ .smtp_smarthost }}",
            smtp_from: "{{ .smtp_from }}",
            smtp_auth_username: "{{ .smtp_username }}",
            smtp_auth_password: "{{ .smtp_password }}",
            smtp_require_tls: true,
        },
        route: {
            receiver: "slack",
            group_by: ["alertname", "service", "slo"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                // The chart's always-firing dead man's switch and its inhibitor helper are not incidents.
                { matchers: ['alertname=~"Watchdog|InfoInhibitor"'], receiver: "null" },
                { matchers: ['severity="critical"'], receiver: "pagerduty", group_wait: "10s", repeat_interval: "1h", continue: true },
                { matchers: ['severity="critical"'], receiver: "slack" },
                { matchers: ['severity="high"'], receiver: "pagerduty", repeat_interval: "2h", continue: true },
                { matchers: ['severity="high"'], receiver: "slack" },
                { matchers: ['severity="medium"'], receiver: "slack", repeat_interval: "12h" },
                { matchers: ['severity="low"'], receiver: "email", group_wait: "10m", repeat_interval: "24h" },
            ],
        },
        // A page that fires makes the ticket for the same SLO redundant.
        inhibit_rules: [{ source_matchers: ['page="true"'], target_matchers: ['page="false"'], equal: ["slo", "service"] }],
        receivers: [
            { name: "null" },
            { name: "pagerduty", pagerduty_configs: [{ routing_key: "{{ .pagerduty_routing_key }}", send_resolved: true }] },
            { name: "slack", slack_configs: [{ api_url: "{{ .slack_webhook_url }}", send_resolved: true, title: '{{`{{ .CommonLabels.severity }}: {{ .CommonAnnotations.summary }}`}}' }] },
            { name: "email", email_configs: [{ to: "{{ .alert_email_to }}", send_resolved: false }] },
        ],
    };
}

export interface DashboardPanel {
    title: string;
    expr: string;
    unit: string;
}
export interface Dashboard {
    uid: string;
    title: string;
    panels: DashboardPanel[];
}

const requests = (filter = "") => `sum(rate(http_requests_total${filter}[5m]))`;
const quantile = (q: number) => `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))`;

/** The three dashboards of docs/requirements.md and their panels. */
export const DASHBOARDS: Dashboard[] = [
    {
        uid: "rag-executive",
        title: "RAG platform: Executive",
        panels: [
            { title: "Availability (30 days)", expr: `1 - avg_over_time(${errorRatio("1h")}{slo="availability"}[30d])`, unit: "percentunit" },
            { title: "Request rate", expr: requests(), unit: "reqps" },
            { title: "Error rate", expr: `${requests('{code=~"5.."}')} / ${requests()}`, unit: "percentunit" },
            { title: "Latency p95", expr: quantile(0.95), unit: "s" },
            { title: "Latency p99", expr: quantile(0.99), unit: "s" },
            { title: "Nodes running (cost driver)", expr: `count(kube_node_info)`, unit: "none" },
            { title: "Error budget left (availability)", expr: `1 - (avg_over_time(${errorRatio("1h")}{slo="availability"}[30d]) / (1 - 0.9995))`, unit: "percentunit" },
        ],
    },
    {
        uid: "rag-operations",
        title: "RAG platform: Operations",
        panels: [
            { title: "Traffic by service", expr: `sum by (service) (rate(http_requests_total[5m]))`, unit: "reqps" },
            { title: "Errors by service", expr: `sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))`, unit: "reqps" },
            { title: "Latency p99 by service", expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))`, unit: "s" },
            { title: "CPU saturation by pod", expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu"})`, unit: "percentunit" },
            { title: "Memory saturation by pod", expr: `sum by (namespace, pod) (container_memory_working_set_bytes{container!=""}) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory"})`, unit: "percentunit" },
            { title: "Database reachable", expr: `min by (service) (rag_database_up)`, unit: "bool" },
            { title: "Cache hit ratio", expr: `sum(rate(rag_cache_requests_total{result="hit"}[5m])) / sum(rate(rag_cache_requests_total[5m]))`, unit: "percentunit" },
        ],
    },
    {
        uid: "rag-business",
        title: "RAG platform: Business",
        panels: [
            { title: "Documents ingested (24 h)", expr: `sum(increase(rag_documents_ingested_total[1d]))`, unit: "none" },
            { title: "RAG queries per second", expr: `sum(rate(rag_queries_total[5m]))`, unit: "reqps" },
            { title: "RAG queries (24 h)", expr: `sum(increase(rag_queries_total[1d]))`, unit: "none" },
            { title: "Active sessions (engagement)", expr: `sum(rag_active_sessions)`, unit: "none" },
        ],
    },
];

/** A dashboard as Grafana's JSON model: one time-series panel per query, two per row. */
export function grafanaDashboard(dashboard: Dashboard): Record<string, unknown> {
    return {
        uid: dashboard.uid,
        title: dashboard.title,
        tags: ["rag-platform"],
        timezone: "utc",
        schemaVersion: 39,
        refresh: "1m",
        time: { from: "now-24h", to: "now" },
        panels: dashboard.panels.map((panel, i) => ({
            id: i + 1,
            type: "timeseries",
            title: panel.title,
            datasource: { type: "prometheus", uid: "prometheus" },
            gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
            fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
            targets: [{ refId: "A", expr: panel.expr }],
        })),
    };
}

/** Every panel's query as a recording rule, so `promtool check rules` parses each one. */
export function dashboardQueryRuleGroups(dashboards: Dashboard[] = DASHBOARDS): RuleGroup[] {
    return dashboards.map((d) => ({ name: d.uid, rules: d.panels.map((p, i) => ({ record: `dashboard:${d.uid.replace(/-/g, "_")}:panel${i + 1}`, expr: p.expr })) }));
}

function round(value: number): number {
    return Math.round(value * 1e6) / 1e6;
}
