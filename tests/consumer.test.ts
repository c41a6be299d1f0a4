/**
 * examples/consumer, another team's program, run under mocks with its StackReference answered by the outputs
 * the platform's prod stack really registers: renaming or removing an output it uses breaks this test.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateStack, PROJECT_DIR } from "../offline/evaluate";
import { ofType } from "../offline/inspect";
import { mandatoryViolations } from "../offline/policy-check";
import { checkWithSharedPacks } from "./packs";
import { deploySearchService } from "../examples/consumer/program";
import { CONTRACT_VERSION } from "../contract/outputs";
import { only } from "./helpers";
import { planOf } from "./plans";

const CONSUMER_DIR = join(PROJECT_DIR, "examples", "consumer");

describe("examples/consumer on the prod platform's recorded outputs", async () => {
    const platform = await planOf("prod");
    const consumer = await evaluateStack({ stack: "prod", dir: CONSUMER_DIR, program: deploySearchService, deployedOutputs: platform.outputs });

    it("deploys through a Kubernetes provider built from the platform's kubeconfig, kept secret", () => {
        const provider = only(consumer, "pulumi:providers:kubernetes");
        const kubeconfig = provider.inputs.kubeconfig as Record<string, string>;
        expect(kubeconfig["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
        expect(kubeconfig.value).toBe(platform.outputs.kubeconfig);
        for (const r of ofType(consumer, "kubernetes:apps/v1:Deployment")) expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
    });

    it("scopes the team's IAM role to its service account and its prefix of the documents bucket", () => {
        const trust = JSON.parse(String(only(consumer, "aws:iam/role:Role").inputs.assumeRolePolicy)).Statement[0];
        expect(trust.Principal.Federated).toBe(platform.outputs.oidcProviderArn);
        const host = String(platform.outputs.oidcProviderUrl).replace("https://", "");
        expect(trust.Condition.StringEquals).toEqual({ [`${host}:sub`]: "system:serviceaccount:search:search", [`${host}:aud`]: "sts.amazonaws.com" });
        const policy = JSON.parse(String(only(consumer, "aws:iam/rolePolicy:RolePolicy").inputs.policy)).Statement;
        expect(policy[0].Resource).toBe(`${platform.outputs.documentsBucketArn}/teams/search/*`);
        expect(policy[2].Resource).toBe(platform.outputs.dataKmsKeyArn);
    });

    it("wires the platform's bucket, OTLP endpoint and RAG API URL into the service", () => {
        const deployment = only(consumer, "kubernetes:apps/v1:Deployment");
        const env = (deployment.inputs.spec as any).template.spec.containers[0].env as { name: string; value: string }[];
        expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
            DOCUMENTS_BUCKET: platform.outputs.documentsBucketName,
            DOCUMENTS_PREFIX: "teams/search/",
            OTEL_EXPORTER_OTLP_ENDPOINT: platform.outputs.otlpEndpoint,
            RAG_API_URL: "http://api.rag.svc.cluster.local:8000",
        });
        expect(consumer.outputs.platformContract).toBe(CONTRACT_VERSION);
    });

    it("passes the platform's policy packs at prod's levels (the packs cover other teams' programs too)", async () => {
        const report = await checkWithSharedPacks(consumer);
        expect(mandatoryViolations(report)).toEqual([]);
        expect(report.violations).toEqual([]);
    });
});
