/** SNS and SQS: messages at rest under a customer-managed KMS key (alerts and job payloads can carry data). */
import { resourcePolicy } from "../../lib/policy";

export const snsTopicEncrypted = resourcePolicy(
    {
        name: "sns-topic-encrypted",
        description: "SNS topics encrypt messages with a customer-managed KMS key.",
        severity: "medium",
        remediationSteps: "Set kmsMasterKeyId to a customer-managed key whose policy lets the publishing services (cloudwatch.amazonaws.com, events.amazonaws.com, ...) use it.",
    },
    ["aws:sns/topic:Topic"],
    (topic, report) => {
        if (!topic.kmsMasterKeyId) report("kmsMasterKeyId is not set: messages are stored unencrypted");
        else if (topic.kmsMasterKeyId === "alias/aws/sns") report("alias/aws/sns cannot be granted to CloudWatch alarms or other services; use a customer-managed key");
    },
);

export const sqsQueueEncrypted = resourcePolicy(
    {
        name: "sqs-queue-encrypted",
        description: "SQS queues encrypt messages with a customer-managed KMS key.",
        severity: "medium",
        remediationSteps: "Set kmsMasterKeyId to a customer-managed key (SSE-SQS, sqsManagedSseEnabled, is AWS-owned and cannot be audited or revoked).",
    },
    ["aws:sqs/queue:Queue"],
    (queue, report) => {
        if (!queue.kmsMasterKeyId) report(queue.sqsManagedSseEnabled ? "only SSE-SQS (AWS-owned key); set kmsMasterKeyId" : "kmsMasterKeyId is not set: messages are not encrypted with a key you control");
    },
);
