/**
 * The generated Prometheus rules proven with promtool: `promtool check rules` on every rule file (and on every
 * dashboard query, as recording rules), and `promtool test rules` showing each burn-rate alert firing on a series
 * that burns the budget at its rate, and staying silent on a healthy one. Skipped, saying so, without promtool
 * (Debian's `prometheus` package; `.ci/run` installs it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
    BURN_RATE_ALERTS,
    DEFAULT_SLOS,
    alertmanagerConfigTemplate,
    allRuleGroups,
    dashboardQueryRuleGroups,
    errorRatio,
    sloRuleGroups,
    type Rule,
    type RuleGroup,
    type Slo,
} from "../model/observability-rules";

const PROMTOOL = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0 ? "promtool" : undefined;
if (!PROMTOOL) console.warn("promtool not found: the promtool rule checks and unit tests are SKIPPED (apt-get install prometheus)");
const work = mkdtempSync(join(tmpdir(), "rag-rules-"));

function writeRules(file: string, groups: RuleGroup[]): string {
    const path = join(work, file);
    writeFileSync(path, stringify({ groups }));
    return path;
}

function promtool(...args: string[]) {
    return spawnSync(PROMTOOL!, args, { encoding: "utf8", cwd: work, timeout: 300_000 });
}

describe("generated rules, without promtool", () => {
    it("record each SLO's error ratio over every window the burn-rate alerts use", () => {
        const [recording] = sloRuleGroups();
        expect(recording.rules).toHaveLength(DEFAULT_SLOS.length * 7);
        expect(new Set(recording.rules.map((r) => r.record))).toEqual(new Set(["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map(errorRatio)));
    });

    it("alert on the workbook's windows and factors, the fast ones paging, with thresholds from each objective", () => {
        const [, alerts] = sloRuleGroups();
        const availability = alerts.rules.filter((r) => r.labels?.slo === "availability");
        expect(availability.map((r) => [r.alert, r.labels?.severity, r.labels?.page, r.expr])).toEqual([
            ["ErrorBudgetBurnFast", "high", "true", `${errorRatio("1h")}{slo="availability"} > 0.0072 and ${errorRatio("5m")}{slo="availability"} > 0.0072`],
            ["ErrorBudgetBurnSustained", "high", "true", `${errorRatio("6h")}{slo="availability"} > 0.003 and ${errorRatio("30m")}{slo="availability"} > 0.003`],
            ["ErrorBudgetBurnSlow", "low", "false", `${errorRatio("1d")}{slo="availability"} > 0.0015 and ${errorRatio("2h")}{slo="availability"} > 0.0015`],
            ["ErrorBudgetBurnChronic", "low", "false", `${errorRatio("3d")}{slo="availability"} > 0.0005 and ${errorRatio("6h")}{slo="availability"} > 0.0005`],
        ]);
    });

    it("route every severity somewhere: critical and high page and post, medium posts, low mails", () => {
        const route = alertmanagerConfigTemplate().route as { routes: { matchers: string[]; receiver: string }[] };
        const receiversOf = (severity: string) => route.routes.filter((r) => r.matchers.includes(`severity="${severity}"`)).map((r) => r.receiver);
        expect(["critical", "high", "medium", "low"].map(receiversOf)).toEqual([["pagerduty", "slack"], ["pagerduty", "slack"], ["slack"], ["email"]]);
        for (const group of allRuleGroups()) {
            for (const rule of group.rules.filter((r) => r.alert)) expect(["critical", "high", "medium", "low"], rule.alert).toContain(rule.labels?.severity);
        }
    });
});

describe.skipIf(!PROMTOOL)("promtool", () => {
    it("accepts every generated rule file", () => {
        const result = promtool("check", "rules", writeRules("slo.yml", sloRuleGroups()), writeRules("platform.yml", allRuleGroups().slice(2)));
        expect(result.status, result.stdout + result.stderr).toBe(0);
        expect(result.stdout).toContain("SUCCESS");
    });

    it("parses every dashboard panel's query", () => {
        const result = promtool("check", "rules", writeRules("dashboards.yml", dashboardQueryRuleGroups()));
        expect(result.status, result.stdout + result.stderr).toBe(0);
    });

    it("rejects a broken query, so the checks above can fail", () => {
        const result = promtool("check", "rules", writeRules("broken.yml", [{ name: "broken", rules: [{ record: "x", expr: "sum(rate(http_requests_total[5m])" }] }]));
        expect(result.status).not.toBe(0);
    });

    // One unit test per SLO and burn class: the SLI's bad fraction held at 5% above the class's threshold, evaluated
    // once the class's long window and `for` have passed. Every burn alert whose threshold that fraction exceeds
    // (of every SLO the series feed) and whose `for` has run must be firing; no other. Plus a healthy series.
    const SERVICE = "api";
    const PER_MINUTE = 100_000;
    const MARGIN_MINUTES = 10;
    const minutes = (d: string) => Number.parseInt(d, 10) * ({ m: 1, h: 60, d: 1440 } as Record<string, number>)[d.slice(-1)];
    /**
     * Sample and evaluation step: a sixth of the shortest short window among the alerts expected to fire, so each
     * window they read holds six samples or more, but never over 5 minutes: an alert reads the recorded ratios as
     * instant vectors, which go stale after 5 minutes (at an hour's step, whether the alert group saw this tick's
     * ratio raced with the recording group). 1 minute where the 5-minute window fires, 5 where only hours matter.
     */
    const stepFor = (firing: readonly string[]) =>
        Math.min(5, Math.max(1, Math.min(...BURN_RATE_ALERTS.filter((b) => firing.includes(b.alert)).map((b) => minutes(b.short))) / 6));

    /** Input series in which each kind of SLI has the given bad fraction. */
    function series(bad: { availability?: number; slowerThan05?: number; slowerThan1?: number }, evalMinutes: number, step: number, oneSecond = "1") {
        const counter = (perMinute: number) => `0+${Math.round(perMinute * step)}x${Math.ceil(evalMinutes / step) + 2}`;
        const out: { series: string; values: string }[] = [];
        if (bad.availability !== undefined) {
            out.push({ series: `http_requests_total{service="${SERVICE}",code="200"}`, values: counter(PER_MINUTE * (1 - bad.availability)) });
            out.push({ series: `http_requests_total{service="${SERVICE}",code="500"}`, values: counter(PER_MINUTE * bad.availability) });
        }
        if (bad.slowerThan05 !== undefined && bad.slowerThan1 !== undefined) {
            out.push({ series: `http_request_duration_seconds_bucket{service="${SERVICE}",le="0.5"}`, values: counter(PER_MINUTE * (1 - bad.slowerThan05)) });
            out.push({ series: `http_request_duration_seconds_bucket{service="${SERVICE}",le="${oneSecond}"}`, values: counter(PER_MINUTE * (1 - bad.slowerThan1)) });
            out.push({ series: `http_request_duration_seconds_bucket{service="${SERVICE}",le="+Inf"}`, values: counter(PER_MINUTE) });
            out.push({ series: `http_request_duration_seconds_count{service="${SERVICE}"}`, values: counter(PER_MINUTE) });
        }
        return out;
    }

    function badFractionOf(slo: Slo, bad: { availability?: number; slowerThan05?: number; slowerThan1?: number }): number | undefined {
        if (slo.sli.kind === "availability") return bad.availability;
        return slo.sli.thresholdSeconds === 0.5 ? bad.slowerThan05 : bad.slowerThan1;
    }

    function expectedAlerts(bad: Parameters<typeof badFractionOf>[1], evalMinutes: number) {
        const [, alertGroup] = sloRuleGroups();
        return BURN_RATE_ALERTS.map((burn) => ({
            eval_time: `${evalMinutes}m`,
            alertname: burn.alert,
            exp_alerts: DEFAULT_SLOS.flatMap((slo) => {
                const fraction = badFractionOf(slo, bad);
                const threshold = burn.factor * (1 - slo.objective);
                if (fraction === undefined || fraction <= threshold || minutes(burn.for) + MARGIN_MINUTES > evalMinutes) return [];
                const rule = alertGroup.rules.find((r: Rule) => r.alert === burn.alert && r.labels?.slo === slo.name)!;
                return [{
                    exp_labels: { ...rule.labels, service: SERVICE },
                    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, v.replace("{{ $labels.service }}", SERVICE)])),
                }];
            }),
        }));
    }

    const cases = DEFAULT_SLOS.flatMap((slo) =>
        BURN_RATE_ALERTS.map((burn) => {
            const fraction = Math.min(1, burn.factor * (1 - slo.objective) * 1.05);
            // Latency SLOs share their histogram: a request slower than 1 s is also slower than 0.5 s.
            const bad = slo.sli.kind === "availability" ? { availability: fraction } : slo.sli.thresholdSeconds === 0.5 ? { slowerThan05: fraction, slowerThan1: 0 } : { slowerThan05: fraction, slowerThan1: fraction };
            const evalMinutes = minutes(burn.long) + minutes(burn.for) + MARGIN_MINUTES;
            const firing = expectedAlerts(bad, evalMinutes).filter((t) => t.exp_alerts.length).map((t) => t.alertname);
            return { name: `${slo.name} burning at ${burn.factor}x fires ${burn.alert}`, bad, evalMinutes, step: stepFor(firing), mustFire: { alert: burn.alert, slo: slo.name } };
        }),
    );

    const unitTest = (file: string, rules: string, bad: Parameters<typeof series>[0], evalMinutes: number, step: number, alertTests: unknown[], oneSecond = "1") =>
        writeFileSync(file, stringify({ rule_files: [rules], evaluation_interval: `${step}m`, tests: [{ interval: `${step}m`, input_series: series(bad, evalMinutes, step, oneSecond), alert_rule_test: alertTests }] }));

    it.each(cases)("$name", ({ bad, evalMinutes, step, mustFire }) => {
        const tests = expectedAlerts(bad, evalMinutes);
        // The case is only meaningful if its own alert is among those expected.
        const own = tests.find((t) => t.alertname === mustFire.alert)!.exp_alerts.map((a) => (a.exp_labels as Record<string, string>).slo);
        expect(own).toContain(mustFire.slo);
        const rules = writeRules("burn.yml", sloRuleGroups());
        const file = join(work, `test-${mustFire.slo}-${mustFire.alert}.yml`);
        unitTest(file, rules, bad, evalMinutes, step, tests);
        const result = promtool("test", "rules", file);
        expect(result.status, result.stdout + result.stderr).toBe(0);
    });

    it("reads a Python client's bucket boundary (le=\"1.0\") as the 1 s threshold", () => {
        const bad = { slowerThan05: 0.16, slowerThan1: 0.16 };
        const evalMinutes = 60 + 2 + MARGIN_MINUTES;
        const tests = expectedAlerts(bad, evalMinutes);
        expect(tests.find((t) => t.alertname === "ErrorBudgetBurnFast")!.exp_alerts.map((a) => (a.exp_labels as Record<string, string>).slo)).toContain("latency-p99");
        const file = join(work, "test-python-le.yml");
        unitTest(file, writeRules("python-le.yml", sloRuleGroups()), bad, evalMinutes, 1, tests, "1.0");
        const result = promtool("test", "rules", file);
        expect(result.status, result.stdout + result.stderr).toBe(0);
    });

    it("stays silent on a healthy service (a tenth of every budget)", () => {
        const evalMinutes = minutes("3d") + minutes("3h") + MARGIN_MINUTES;
        const bad = { availability: 0.00005, slowerThan05: 0.005, slowerThan1: 0.001 };
        const tests = expectedAlerts(bad, evalMinutes);
        expect(tests.every((t) => t.exp_alerts.length === 0)).toBe(true);
        const file = join(work, "test-healthy.yml");
        unitTest(file, writeRules("healthy.yml", sloRuleGroups()), bad, evalMinutes, 5, tests);
        const result = promtool("test", "rules", file);
        expect(result.status, result.stdout + result.stderr).toBe(0);
    });

    it("would notice an alert that does not fire (a unit test expecting one on a healthy series fails)", () => {
        const evalMinutes = 90;
        const file = join(work, "test-negative.yml");
        const expectation = [{ eval_time: `${evalMinutes}m`, alertname: "ErrorBudgetBurnFast", exp_alerts: [{ exp_labels: { severity: "high", slo: "availability", page: "true", long_window: "1h", service: SERVICE } }] }];
        unitTest(file, writeRules("negative.yml", sloRuleGroups()), { availability: 0 }, evalMinutes, 1, expectation);
        expect(promtool("test", "rules", file).status).not.toBe(0);
    });
});
