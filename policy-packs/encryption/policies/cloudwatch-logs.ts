/** CloudWatch Logs: log groups (flow logs, control-plane audit logs) under a customer-managed KMS key. */
import { resourcePolicy } from "../../lib/policy";

export const logGroupEncrypted = resourcePolicy(
    {
        name: "cloudwatch-log-group-encrypted",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        severity: "medium",
        remediationSteps: "Set kmsKeyId to a key whose policy grants logs.<region>.amazonaws.com kms:Encrypt*/Decrypt*/GenerateDataKey* for this log group's ARN.",
    },
    ["aws:cloudwatch/logGroup:LogGroup"],
    (group, report) => {
        if (!group.kmsKeyId) report("kmsKeyId is not set: audit and flow logs are encrypted only with a CloudWatch-owned key");
    },
);
