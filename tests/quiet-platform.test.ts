/**
 * A healthy, empty platform raises no alert, and Alertmanager starts on the config the platform seeds:
 * - the kube-prometheus-stack alerts that fire on absent or down scrape targets (offline/data, from the pinned
 *   chart), gated by the values each stack really registers, evaluated by `promtool test rules` over the targets a
 *   healthy EKS cluster has (no scheduler, controller manager or etcd to scrape; kube-proxy on 127.0.0.1);
 * - the Alertmanager config as External Secrets renders it from the seeded receivers secret, through
 *   `amtool check-config`.
 * Both tools come from Debian (`prometheus`, `prometheus-alertmanager`; `.ci/run` installs them); skipped, saying
 * so, without them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { alertmanagerConfigTemplate, RECEIVER_PLACEHOLDERS, RECEIVER_SECRET_KEYS } from "../model/observability-rules";
import { PROJECT_DIR } from "../offline/evaluate";
import { ofType } from "../offline/inspect";
import { stackPlans } from "./plans";

const has = (tool: string) => spawnSync(tool, ["--version"], { encoding: "utf8" }).status === 0;
const PROMTOOL = has("promtool");
const AMTOOL = has("amtool");
if (!PROMTOOL || !AMTOOL) console.warn("promtool or amtool not found: the quiet-platform checks are SKIPPED (apt-get install prometheus prometheus-alertmanager)");
const work = mkdtempSync(join(tmpdir(), "rag-quiet-"));

interface TargetAlert {
    alert: string;
    gates: string[];
    expr: string;
    for: string;
    severity: string;
}
const DATA = parse(readFileSync(join(PROJECT_DIR, "offline/data/kube-prometheus-stack-81.6.9.target-alerts.yaml"), "utf8")) as {
    version: string;
    alerts: TargetAlert[];
    eksTargets: Record<string, "missing" | "down">;
};

/** A chart gate: true unless the values set it false (every gate here defaults to true in the chart). */
const gateOn = (values: Record<string, unknown>, path: string) => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values) !== false;

/** Alerts that fire within 30 minutes on a healthy EKS cluster scraped with these chart values. */
function firingOnHealthyEks(values: Record<string, unknown>): string[] {
    const alerts = DATA.alerts.filter((a) => a.gates.every((g) => gateOn(values, g)));
    const series = ["apiserver", "kubelet", "node-exporter", "kube-state-metrics", "coredns"].map((job) => ({ series: `up{job="${job}"}`, values: "1x60" }));
    for (const [gate, state] of Object.entries(DATA.eksTargets)) {
        if (gateOn(values, gate) && state === "down") series.push({ series: `up{job="${gate === "kubeProxy.enabled" ? "kube-proxy" : gate}"}`, values: "0x60" });
    }
    writeFileSync(join(work, "rules.yaml"), stringify({ groups: [{ name: "chart-target-alerts", rules: alerts.map((a) => ({ alert: a.alert, expr: a.expr, for: a.for, labels: { severity: a.severity } })) }] }));
    const fired: string[] = [];
    for (const alert of alerts) {
        // One promtool test per alert, expecting silence: a failure names the alert that fired.
        writeFileSync(join(work, "test.yaml"), stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests: [{ interval: "1m", input_series: series, alert_rule_test: [{ eval_time: "30m", alertname: alert.alert, exp_alerts: [] }] }] }));
        const run = spawnSync("promtool", ["test", "rules", "test.yaml"], { cwd: work, encoding: "utf8" });
        if (run.status !== 0) fired.push(alert.alert);
    }
    return fired;
}

describe.skipIf(!PROMTOOL)("a healthy, empty platform raises no alert", async () => {
    const records = await stackPlans();
    const chartValues = (record: (typeof records)[number]) => ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "kube-prometheus-stack")!.inputs;

    it("deploys the chart version the alert data was taken from", () => {
        for (const record of records) expect(chartValues(record).version).toBe(DATA.version);
    });

    it.each(["dev", "staging", "prod"])("%s: none of the chart's target alerts fires on a healthy EKS cluster", (stack) => {
        const values = chartValues(records[["dev", "staging", "prod"].indexOf(stack)]).values as Record<string, unknown>;
        expect(firingOnHealthyEks(values)).toEqual([]);
    });

    it("would page forever with the chart's defaults, which monitor what EKS hides", () => {
        expect(firingOnHealthyEks({})).toEqual(["KubeSchedulerDown", "KubeControllerManagerDown", "TargetDown"]);
    });
});

/** The Alertmanager config External Secrets renders from the receivers secret (its v2 template engine, in short). */
function renderedAlertmanagerConfig(secret: Record<string, string>): string {
    return JSON.stringify(alertmanagerConfigTemplate())
        .replace(/\{\{ \.(\w+) \}\}/g, (_, key: string) => JSON.stringify(secret[key]).slice(1, -1))
        .replace(/\{\{`(.*?)`\}\}/g, "$1");
}

describe.skipIf(!AMTOOL)("Alertmanager starts on the config the platform seeds", () => {
    const check = (secret: Record<string, string>) => {
        writeFileSync(join(work, "alertmanager.yaml"), renderedAlertmanagerConfig(secret));
        return spawnSync("amtool", ["check-config", "alertmanager.yaml"], { cwd: work, encoding: "utf8" });
    };

    it("accepts the seeded placeholders for every receiver key", () => {
        expect(Object.keys(RECEIVER_PLACEHOLDERS).sort()).toEqual([...RECEIVER_SECRET_KEYS].sort());
        const run = check(RECEIVER_PLACEHOLDERS);
        expect(run.status, run.stdout + run.stderr).toBe(0);
    });

    it("refuses receivers seeded as empty strings (the first version's seed)", () => {
        const run = check(Object.fromEntries(RECEIVER_SECRET_KEYS.map((k) => [k, ""])));
        expect(run.status).not.toBe(0);
        expect(run.stdout + run.stderr).toMatch(/FAILED/);
    });

    it("sends the chart's always-firing Watchdog nowhere", () => {
        const route = alertmanagerConfigTemplate().route as { routes: { matchers: string[]; receiver: string }[] };
        expect(route.routes[0]).toEqual({ matchers: ['alertname=~"Watchdog|InfoInhibitor"'], receiver: "null" });
    });
});
