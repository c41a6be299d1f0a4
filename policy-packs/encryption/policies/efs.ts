/** EFS: shared files at rest under a customer-managed key (encryption can only be chosen when the file system is created). */
import { resourcePolicy } from "../../lib/policy";

export const efsEncrypted = resourcePolicy(
    {
        name: "efs-encrypted",
        description: "EFS file systems are encrypted at rest with a customer-managed KMS key.",
        severity: "high",
        remediationSteps: "Set encrypted: true and kmsKeyId to the data tier's key when creating the file system; an existing one must be copied into a new, encrypted file system.",
    },
    ["aws:efs/fileSystem:FileSystem"],
    (fileSystem, report) => {
        if (fileSystem.encrypted !== true) report("encrypted is not true: files are stored unencrypted, and only a new file system can change that");
        else if (!fileSystem.kmsKeyId) report("kmsKeyId is not set: the AWS-managed aws/elasticfilesystem key is used");
    },
);
