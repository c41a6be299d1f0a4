import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { only, registerUnderMocks } from "./helpers";

describe("the offline runtime and remote components", () => {
    it("registers an eks Cluster once, without children, with the mock's outputs", async () => {
        let kubeconfigJson: pulumi.Output<string> | undefined;
        const record = await registerUnderMocks(() => {
            const cluster = new eks.Cluster("cluster", { name: "rag-test", vpcId: "vpc-1", privateSubnetIds: ["subnet-1", "subnet-2"] });
            kubeconfigJson = cluster.kubeconfigJson;
            return { kubeconfigJson: cluster.kubeconfigJson, oidcProviderArn: cluster.oidcProviderArn };
        });
        const cluster = only(record, "eks:index:Cluster");
        expect(cluster).toMatchObject({ remote: true, custom: false });
        expect(record.resources.filter((r) => r.parent === cluster.urn)).toEqual([]);
        expect(kubeconfigJson).toBeDefined();
        const kubeconfig = JSON.parse(String(record.outputs.kubeconfigJson));
        expect(kubeconfig.clusters[0].cluster.server).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
        expect(kubeconfig.users[0].user.exec.args).toContain("rag-test");
        expect(record.outputs.oidcProviderArn).toMatch(/^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    });

    it("registers a helm v4 Chart without rendering it", async () => {
        const record = await registerUnderMocks(() => new k8s.helm.v4.Chart("metrics-server", { chart: "metrics-server", version: "3.12.2" }));
        expect(only(record, "kubernetes:helm.sh/v4:Chart")).toMatchObject({ remote: true, inputs: expect.objectContaining({ chart: "metrics-server" }) });
    });

    it("fails loudly on a remote component it has no outputs for", async () => {
        const awsx = await import("@pulumi/awsx");
        await expect(registerUnderMocks(() => new awsx.ecr.Repository("repo", {}))).rejects.toThrow(
            "the offline plan cannot build remote component awsx:ecr:Repository",
        );
    });

    it("fails loudly on an invoke it has no answer for", async () => {
        await expect(registerUnderMocks(() => aws.ec2.getVpc({ default: true }))).rejects.toThrow(
            "the offline plan has no answer for invoke aws:ec2/getVpc:getVpc",
        );
    });
});
