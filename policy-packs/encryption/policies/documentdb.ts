/** DocumentDB: storage under a customer-managed key, and TLS never turned off by the cluster parameter group. */
import { resourcePolicy } from "../../lib/policy";

export const documentDbEncrypted = resourcePolicy(
    {
        name: "documentdb-encrypted",
        description: "DocumentDB clusters encrypt storage with a customer-managed KMS key; cluster parameter groups keep TLS required.",
        severity: "high",
        remediationSteps: "Set storageEncrypted: true and kmsKeyId on the cluster (only at creation: restore a snapshot into an encrypted cluster otherwise); leave the tls parameter enabled.",
    },
    ["aws:docdb/cluster:Cluster", "aws:docdb/clusterParameterGroup:ClusterParameterGroup"],
    (props, report, args) => {
        if (args.type === "aws:docdb/clusterParameterGroup:ClusterParameterGroup") {
            const tls = (props.parameters ?? []).find((p: { name?: string }) => p.name === "tls");
            if (tls && tls.value === "disabled") report("parameter tls is disabled: clients may connect in plain text");
            return;
        }
        if (props.storageEncrypted !== true) report("storageEncrypted is not true: documents are stored unencrypted, and only a new cluster can change that");
        else if (!props.kmsKeyId) report("kmsKeyId is not set: the AWS-managed aws/rds key is used");
    },
);
