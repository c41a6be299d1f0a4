/** KMS: symmetric customer keys rotate yearly (asymmetric and HMAC keys cannot rotate automatically). */
import { resourcePolicy } from "../../lib/policy";

export const kmsKeyRotation = resourcePolicy(
    {
        name: "kms-key-rotation",
        description: "Symmetric customer-managed KMS keys have automatic rotation on.",
        severity: "medium",
        remediationSteps: "Set enableKeyRotation: true (rotationPeriodInDays defaults to 365).",
    },
    ["aws:kms/key:Key"],
    (key, report) => {
        const spec = key.customerMasterKeySpec ?? key.keySpec ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && key.enableKeyRotation !== true) report("enableKeyRotation is not true");
    },
);
