/**
 * A team's service on the RAG platform, as another repository would write it: everything about the platform
 * comes from its stack outputs through the contract package (here imported from the repository's source; elsewhere
 * `import { PlatformStack } from "@rag-platform/contract"`).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformStack } from "../../contract/index";

export async function deploySearchService() {
    const config = new pulumi.Config();
    const team = config.require("team");
    const platform = new PlatformStack(config.require("platformStack"));
    const provider = new k8s.Provider("platform", { kubeconfig: platform.get("kubeconfig"), enableServerSideApply: true });
    const k8sOpts = { provider };

    const namespace = new k8s.core.v1.Namespace(team, {
        metadata: { name: team, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    }, k8sOpts);

    // The team may read and write its own prefix of the platform's documents bucket, nothing else.
    const oidcHost = platform.get("oidcProviderUrl").apply((url) => url.replace(/^https:\/\//, ""));
    const role = new aws.iam.Role(`${team}-documents`, {
        description: `${team}/${team} service account: its prefix of the platform's documents bucket`,
        assumeRolePolicy: pulumi.all([platform.get("oidcProviderArn"), oidcHost]).apply(([arn, host]) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { [`${host}:sub`]: `system:serviceaccount:${team}:${team}`, [`${host}:aud`]: "sts.amazonaws.com" } },
                }],
            }),
        ),
    });
    new aws.iam.RolePolicy(`${team}-documents`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${platform.get("documentsBucketArn")}/teams/${team}/*` },
                { Effect: "Allow", Action: "s3:ListBucket", Resource: platform.get("documentsBucketArn"), Condition: { StringLike: { "s3:prefix": [`teams/${team}/*`] } } },
                { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: platform.get("dataKmsKeyArn") },
            ],
        }),
    });

    const serviceAccount = new k8s.core.v1.ServiceAccount(team, {
        metadata: { name: team, namespace: namespace.metadata.name, annotations: { "eks.amazonaws.com/role-arn": role.arn } },
    }, k8sOpts);

    const labels = { app: team };
    new k8s.apps.v1.Deployment(team, {
        metadata: { name: team, namespace: namespace.metadata.name },
        spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    serviceAccountName: serviceAccount.metadata.name,
                    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
                    containers: [{
                        name: team,
                        image: "ghcr.io/example/search-service:2.3.1",
                        ports: [{ containerPort: 8080 }],
                        env: [
                            { name: "DOCUMENTS_BUCKET", value: platform.get("documentsBucketName") },
                            { name: "DOCUMENTS_PREFIX", value: `teams/${team}/` },
                            { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: platform.get("otlpEndpoint") },
                            // The RAG API inside the cluster (contract 1.1.0); a missing service fails the update here.
                            { name: "RAG_API_URL", value: platform.get("serviceUrls").apply((urls) => requireService(urls, "api")) },
                        ],
                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                    }],
                },
            },
        },
    }, k8sOpts);
    new k8s.policy.v1.PodDisruptionBudget(team, {
        metadata: { name: team, namespace: namespace.metadata.name },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    }, k8sOpts);

    return { namespace: namespace.metadata.name, roleArn: role.arn, platformContract: platform.contractVersion };
}

/** A service of the platform's workload, or an error naming the ones it has. */
function requireService(urls: Record<string, string>, name: string): string {
    const url = urls[name];
    if (!url) throw new Error(`the platform's workload has no service "${name}"; it has ${Object.keys(urls).join(", ") || "none"}`);
    return url;
}
