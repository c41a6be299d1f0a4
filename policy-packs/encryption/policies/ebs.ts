/** EBS: volumes, launch templates, instances, managed node groups and the Kubernetes StorageClasses that make volumes. */
import { isTrue, resourcePolicy, type Props } from "../../lib/policy";

export const ebsVolumeEncrypted = resourcePolicy(
    {
        name: "ebs-volume-encrypted",
        description: "EBS volumes, instance root and data volumes are encrypted with a customer-managed KMS key.",
        severity: "critical",
        remediationSteps: "Set encrypted: true and kmsKeyId on the volume (rootBlockDevice / ebsBlockDevices for instances). An existing volume is encrypted by copying a snapshot.",
    },
    ["aws:ebs/volume:Volume", "aws:ec2/instance:Instance"],
    (props, report, args) => {
        const volumes: [string, Props | undefined][] =
            args.type === "aws:ebs/volume:Volume"
                ? [["volume", props]]
                : [["rootBlockDevice", props.rootBlockDevice ?? {}], ...(props.ebsBlockDevices ?? []).map((d: Props) => [`ebsBlockDevices ${d.deviceName}`, d] as [string, Props])];
        for (const [where, volume] of volumes) {
            if (!isTrue(volume?.encrypted)) report(`${where} is not encrypted`);
            else if (!volume?.kmsKeyId) report(`${where} uses the AWS-managed aws/ebs key; set kmsKeyId`);
        }
    },
);

export const launchTemplateVolumesEncrypted = resourcePolicy(
    {
        name: "launch-template-volumes-encrypted",
        description: "Launch templates (the node groups' root volumes) map only encrypted gp3 EBS volumes.",
        severity: "critical",
        remediationSteps: "In every blockDeviceMappings entry set ebs.encrypted \"true\", ebs.kmsKeyId, and ebs.volumeType \"gp3\".",
    },
    ["aws:ec2/launchTemplate:LaunchTemplate"],
    (template, report) => {
        const mappings: Props[] = template.blockDeviceMappings ?? [];
        if (mappings.length === 0) report("no blockDeviceMappings: the root volume follows the AMI and is not encrypted unless the account encrypts by default");
        for (const mapping of mappings) {
            const ebs: Props | undefined = mapping.ebs;
            if (!ebs) continue; // instance-store or NoDevice mappings hold no EBS data
            const device = mapping.deviceName ?? "?";
            if (!isTrue(ebs.encrypted)) report(`volume ${device} is not encrypted`);
            else if (!ebs.kmsKeyId) report(`volume ${device} uses the AWS-managed aws/ebs key; set kmsKeyId`);
            if (ebs.volumeType && ebs.volumeType !== "gp3" && ebs.volumeType !== "io2") report(`volume ${device} is ${ebs.volumeType}; use gp3 (cheaper and faster than gp2)`);
        }
    },
);

export const eksNodeGroupVolumesEncrypted = resourcePolicy(
    {
        name: "eks-node-group-volumes-encrypted",
        description: "EKS managed node groups take a launch template, so their root volumes' encryption is set, not left to the AMI.",
        severity: "high",
        remediationSteps: "Give the node group a launchTemplate whose blockDeviceMappings encrypt the root volume (diskSize alone creates an unencrypted gp2 volume unless the account encrypts by default).",
    },
    ["aws:eks/nodeGroup:NodeGroup"],
    (group, report) => {
        if (!group.launchTemplate) report("no launchTemplate: the root volume's encryption is not controlled by this program");
    },
);

const EBS_CSI = "ebs.csi.aws.com";

export const storageClassEncrypted = resourcePolicy(
    {
        name: "storage-class-encrypted",
        description: "Kubernetes StorageClasses that provision EBS volumes encrypt them with a customer-managed KMS key.",
        severity: "high",
        remediationSteps: 'For the ebs.csi.aws.com provisioner set parameters.encrypted "true", parameters.kmsKeyId, and parameters.type "gp3".',
    },
    ["kubernetes:storage.k8s.io/v1:StorageClass"],
    (storageClass, report) => {
        if (storageClass.provisioner === "kubernetes.io/aws-ebs") report("the in-tree kubernetes.io/aws-ebs provisioner is removed from EKS; use ebs.csi.aws.com");
        if (storageClass.provisioner !== EBS_CSI) return;
        const parameters: Props = storageClass.parameters ?? {};
        if (!isTrue(parameters.encrypted)) report('parameters.encrypted is not "true"');
        else if (!parameters.kmsKeyId) report("volumes use the AWS-managed aws/ebs key; set parameters.kmsKeyId");
        if (parameters.type && parameters.type !== "gp3") report(`parameters.type is ${parameters.type}; use gp3`);
    },
);
