/**
 * Helm values checked by type (offline/fidelity/helm-values.ts): against the chart's values.schema.json where it
 * ships one (Helm refuses the install), otherwise against the types of its default values (a template breaks or
 * renders a bad manifest). Every shared plan passes; broken values on real releases of the prod plan are refused.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartFacts, checkHelmValues, type ChartFacts } from "../offline/fidelity/helm-values";
import type { RecordedResource } from "../offline/mocks";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";
import { withValues } from "./helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET = "4dabf18193072939515e22adb298388d";

const messages = (resources: RecordedResource[]) => checkHelmValues(resources).findings.map((f) => `${f.resource}: ${f.message}`);

describe("the facts carry types", () => {
    const dir = join(__dirname, "..", "offline", "data", "helm-values");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    it.each(files)("%s: default types, and the chart's schema exactly where it ships one", (file) => {
        const facts = JSON.parse(readFileSync(join(dir, file), "utf8")) as ChartFacts;
        expect(Object.keys(facts.types ?? {}).length).toBeGreaterThan(50);
        expect(Boolean(facts.schema)).toBe(facts.valuesSchema);
        // Compacted: no descriptions left in schema positions.
        if (facts.schema) expect(JSON.stringify(facts.schema)).not.toMatch(/"description":"/);
    });
    it("knows which pinned charts ship a values.schema.json", () => {
        const withSchema = files.filter((f) => JSON.parse(readFileSync(join(dir, f), "utf8")).valuesSchema).sort();
        expect(withSchema).toEqual(["cert-manager-v1.19.3.json", "external-secrets-1.2.1.json", "opentelemetry-collector-0.108.0.json", "reloader-2.2.16.json"]);
    });
});

describe("Helm values by type", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));
    const prod = records[SHARED_PLANS.findIndex((p) => p.key === "prod")];

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: no helm-values finding", (_, i) => {
        const result = checkHelmValues(records[i].resources);
        expect(result.findings).toEqual([]);
        expect(result.releases).toBeGreaterThan(10);
        // Every release's chart has type facts to check against.
        for (const r of records[i].resources.filter((r) => r.type === RELEASE)) expect(chartFacts(String(r.inputs.chart), String(r.inputs.version))?.types).toBeDefined();
    });

    describe("charts with a values.schema.json: Helm refuses the install", () => {
        it("cert-manager (draft-07, through $refs): a string replica count", () => {
            expect(messages(withValues(prod, "cluster-addons-cert-manager", (v) => (v.replicaCount = "2")))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-cert-manager": replicaCount: string "2" where number is expected (#/$defs/helm-values.replicaCount/type of cert-manager@v1.19.3's values.schema.json; Helm refuses the install)`,
            ]);
        });
        it("external-secrets (2020-12): a string replica count", () => {
            expect(messages(withValues(prod, "cluster-addons-external-secrets", (v) => (v.replicaCount = "2")))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-external-secrets": replicaCount: string "2" where integer is expected (#/properties/replicaCount/type of external-secrets@1.2.1's values.schema.json; Helm refuses the install)`,
            ]);
        });
        it("opentelemetry-collector: a scalar where the schema wants a map, and a key its schema refuses outright", () => {
            expect(messages(withValues(prod, "observability-opentelemetry-collector", (v) => { v.podDisruptionBudget = true; v.replicaCuont = 2; }))).toEqual([
                expect.stringMatching(/^kubernetes:helm.sh\/v3:Release "observability-opentelemetry-collector": replicaCuont: not a value of opentelemetry-collector@0.108.0, and its values.schema.json refuses other keys there \(#\/additionalProperties; Helm refuses the install\); nearest key: replicaCount$/),
                expect.stringMatching(/^kubernetes:helm.sh\/v3:Release "observability-opentelemetry-collector": podDisruptionBudget: boolean true where object is expected \(.* of opentelemetry-collector@0.108.0's values.schema.json; Helm refuses the install\)$/),
            ]);
        });
        it("checks the values merged over the defaults: a required key the defaults hold is not missing", () => {
            // The schema requires each port's `enabled`; the chart's defaults set it for otlp.
            expect(messages(withValues(prod, "observability-opentelemetry-collector", (v) => (v.ports = { otlp: { hostPort: 4317 } })))).toEqual([]);
        });
        it("reloader's partial schema: where it says nothing of a type, the default's type rules", () => {
            expect(messages(withValues(prod, "cluster-addons-reloader", (v) => (v.reloader.deployment.replicas = "2")))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-reloader": reloader.deployment.replicas: string "2" where a number is expected (reloader@2.2.16's default values.yaml has an integer there; a template reading it breaks or renders a bad manifest)`,
            ]);
        });
    });

    describe("charts without a schema: the defaults' types", () => {
        it("a string where the default is a number (metrics-server's replicas)", () => {
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = "2")))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-metrics-server": replicas: string "2" where a number is expected (metrics-server@3.12.2's default values.yaml has an integer there; a template reading it breaks or renders a bad manifest)`,
            ]);
        });
        it("a string where the default is a boolean, a number where it is a string", () => {
            expect(messages(withValues(prod, "cluster-addons-argo-rollouts", (v) => (v.dashboard.enabled = "false")))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-argo-rollouts": dashboard.enabled: string "false" where a boolean is expected (argo-rollouts@2.40.1's default values.yaml has a boolean there; a template reading it breaks or renders a bad manifest)`,
            ]);
            expect(messages(withValues(prod, "observability-tempo", (v) => (v.persistence.size = 10)))).toEqual([expect.stringMatching(/^.*"observability-tempo": persistence.size: integer 10 where a string is expected \(tempo@1.15.0's default/)]);
        });
        it("a map where a scalar is expected: the type is the finding, not its keys", () => {
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = { count: 2 })))).toEqual([
                `kubernetes:helm.sh/v3:Release "cluster-addons-metrics-server": replicas: a map where a number is expected (metrics-server@3.12.2's default values.yaml has an integer there; a template reading it breaks or renders a bad manifest)`,
            ]);
        });
        it("a scalar where a subchart's default is a map (grafana under kube-prometheus-stack)", () => {
            expect(messages(withValues(prod, "observability-kube-prometheus-stack", (v) => (v.grafana.persistence = true)))).toEqual([
                `kubernetes:helm.sh/v3:Release "observability-kube-prometheus-stack": grafana.persistence: boolean true where a map is expected (grafana@11.1.5's default values.yaml has a map there; a template reading it breaks or renders a bad manifest)`,
            ]);
        });
        it("a list where a scalar is expected", () => {
            expect(messages(withValues(prod, "cluster-addons-argo-rollouts", (v) => (v.controller.replicas = [2])))).toEqual([expect.stringMatching(/controller.replicas: a list where a number is expected/)]);
        });
    });

    describe("what accepts anything", () => {
        it("a path whose default is null (metrics-server's revisionHistoryLimit, its PDB's minAvailable): any type (keys below a map are still checked as keys)", () => {
            for (const value of ["3", 3, true, {}, [1]]) {
                expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => { v.revisionHistoryLimit = value; v.podDisruptionBudget.minAvailable = value; }))).toEqual([]);
            }
        });
        it("free-form paths (the cluster autoscaler's extraArgs, Loki's limits_config), in their place and below", () => {
            expect(messages(withValues(prod, "cluster-addons-cluster-autoscaler", (v) => (v.extraArgs.expander = ["least-waste"])))).toEqual([]);
            expect(messages(withValues(prod, "observability-loki", (v) => (v.loki.limits_config = "raw")))).toEqual([]);
        });
        it("null, which unsets the default", () => {
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = null)))).toEqual([]);
        });
        it("a value unknown at plan time is skipped; a secret is checked by what it holds", () => {
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = UNKNOWN)))).toEqual([]);
            expect(messages(withValues(prod, "cluster-addons-cert-manager", (v) => (v.replicaCount = UNKNOWN)))).toEqual([]);
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", value: 2 })))).toEqual([]);
            expect(messages(withValues(prod, "cluster-addons-metrics-server", (v) => (v.replicas = { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", value: "2" })))).toEqual([expect.stringMatching(/replicas: string "2" where a number is expected/)]);
        });
    });
});
