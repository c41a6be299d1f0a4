import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { argsRejecter, stripUndefined } from "./args";

export interface SharedFilesArgs {
    /** The cluster the file system serves (its `Name` tag). Required. */
    clusterName: string;
    /** Subnets that get a mount target, one per AZ. Required, two or more. */
    subnetIds: pulumi.Input<string>[];
    /** Security group of the mount targets; it must admit NFS (2049) from the nodes. Required. */
    securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for the files at rest. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days without access before a file moves to Infrequent Access (back on first read). Default 30. */
    infrequentAccessAfterDays?: 7 | 14 | 30 | 60 | 90;
    /** `protect` and retain-on-delete for the file system. Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = { infrequentAccessAfterDays: 30 as const, protect: false, tags: {} };

/**
 * An encrypted EFS file system for what every replica of a service must see at once (S4's FAISS index and
 * uploads): a mount target per AZ, in-transit encryption enforced by the file system policy, root squashed for
 * NFS clients (access points set each service's UID), elastic throughput, Infrequent Access for cold files.
 * DataTier adds it to its AWS Backup selection.
 */
export class SharedFiles extends pulumi.ComponentResource {
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;

    constructor(name: string, args: SharedFilesArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) };
        if (cfg.subnetIds.length < 2) argsRejecter("SharedFiles")("subnetIds", cfg.subnetIds.length, "subnets in two or more AZs (one mount target each)");
        super("rag:data:SharedFiles", name, {}, opts);
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };

        const fileSystem = new aws.efs.FileSystem(`${name}-efs`, {
            encrypted: true,
            kmsKeyId: cfg.kmsKeyArn,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: `AFTER_${cfg.infrequentAccessAfterDays}_DAYS` }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            tags: { ...cfg.tags, Name: `${cfg.clusterName}-shared-files` },
        }, stateful);
        // Clients that reach the file system through its mount targets may mount and write, over TLS only; none
        // gets root (ClientRootAccess is not granted), so access points decide each service's UID.
        new aws.efs.FileSystemPolicy(`${name}-efs`, {
            fileSystemId: fileSystem.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "MountThroughMountTargets",
                        Effect: "Allow",
                        Principal: { AWS: "*" },
                        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                        Resource: fileSystem.arn,
                        Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
                    },
                    { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Resource: fileSystem.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                ],
            }),
        }, { parent: this });
        const mountTargets = cfg.subnetIds.map((subnetId, i) =>
            new aws.efs.MountTarget(`${name}-efs-${i + 1}`, { fileSystemId: fileSystem.id, subnetId, securityGroups: [cfg.securityGroupId] }, { parent: this }),
        );

        this.fileSystemArn = fileSystem.arn;
        // Resolved once every mount target exists, so nothing mounts before the file system is reachable.
        this.fileSystemId = pulumi.all([fileSystem.id, ...mountTargets.map((t) => t.id)]).apply(([id]) => id);
        this.registerOutputs({ fileSystemId: this.fileSystemId, fileSystemArn: this.fileSystemArn });
    }
}
