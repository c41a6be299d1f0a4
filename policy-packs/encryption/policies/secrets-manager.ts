/** Secrets Manager: secrets under a customer-managed key, so who may decrypt them is decided in one key policy. */
import { resourcePolicy } from "../../lib/policy";

export const secretsManagerCmk = resourcePolicy(
    {
        name: "secretsmanager-secret-cmk",
        description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
        severity: "high",
        remediationSteps: "Set kmsKeyId on the secret to the data tier's key; the aws/secretsmanager key cannot be shared across accounts (DR) or restricted by key policy.",
    },
    ["aws:secretsmanager/secret:Secret"],
    (secret, report) => {
        if (!secret.kmsKeyId) report("kmsKeyId is not set: the AWS-managed aws/secretsmanager key is used");
    },
);
