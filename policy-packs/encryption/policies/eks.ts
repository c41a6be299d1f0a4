/** EKS: Kubernetes secrets envelope-encrypted with a customer-managed KMS key. */
import { resourcePolicy, type Props } from "../../lib/policy";

export const eksSecretsEncrypted = resourcePolicy(
    {
        name: "eks-secrets-encrypted",
        description: "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key.",
        severity: "critical",
        remediationSteps: 'Set encryptionConfig { resources: ["secrets"], provider: { keyArn } } (aws.eks.Cluster) or encryptionConfigKeyArn (eks.Cluster). It can be added to a running cluster but never removed.',
    },
    // The eks component's own input is checked too: offline its children are not built, in a real preview both are.
    ["aws:eks/cluster:Cluster", "eks:index:Cluster"],
    (cluster, report, args) => {
        if (args.type === "eks:index:Cluster") {
            if (!cluster.encryptionConfigKeyArn) report("encryptionConfigKeyArn is not set: Kubernetes secrets are stored only base64-encoded in etcd");
            return;
        }
        const configs: Props[] = Array.isArray(cluster.encryptionConfig) ? cluster.encryptionConfig : cluster.encryptionConfig ? [cluster.encryptionConfig] : [];
        const secrets = configs.find((c) => (c.resources ?? []).includes("secrets"));
        if (!secrets) report("encryptionConfig does not cover \"secrets\"");
        else if (!secrets.provider?.keyArn) report("encryptionConfig for secrets has no provider.keyArn");
    },
);
