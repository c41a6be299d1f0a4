import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { clusterAutoscalerChart, EKS_MANAGED_ADDONS, EKS_VERSIONS, type EksManagedAddon } from "../model/aws-catalog";
import { NAME_RULES } from "../model/aws-names";
import { PREFIX_DELEGATION } from "../model/capacity";
import { BACKUP_VOLUME_TAG } from "./backup-plan";
import { ClusterAddons, type ClusterAddonsArgs } from "./cluster-addons";
import { awsEnvironment, keyPolicy, KMS_USE_ACTIONS, logsEncryptStatement, type AwsEnvironment } from "./iam-documents";
import { attachManagedPolicies, irsaRole } from "./irsa-role";
import { argsRejecter, checkKmsDeletionWindow, stripUndefined } from "./args";

/** One managed node group. Every group spans every AZ the cluster is given. */
export interface NodeGroupSpec {
    /** Short name: the `rag-platform.io/node-group` label value and part of resource names. Required. */
    name: string;
    /** EC2 instance types, all of one architecture (`arm64` for Graviton families). Required, one or more. */
    instanceTypes: string[];
    /** CPU architecture of `instanceTypes`; picks the AL2023 AMI. Default `x86_64`. */
    architecture?: "x86_64" | "arm64";
    /** `ON_DEMAND` or `SPOT`. Default `ON_DEMAND`. */
    capacityType?: "ON_DEMAND" | "SPOT";
    /** Node counts; the cluster autoscaler moves the desired size between min and max afterwards. Required. */
    minSize: number;
    desiredSize: number;
    maxSize: number;
    /** Taints that keep other pods off this group (e.g. observability only). Default none. */
    taints?: { key: string; value: string; effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE" }[];
    /**
     * AZs this group may use, a subset of the cluster's. Default: all of them. Anything less is rejected: a group
     * in fewer AZs than the network loses all its capacity in an AZ outage.
     */
    availabilityZones?: string[];
}

export interface NodeVolumeSpec {
    /** Root volume size in GiB. Default 50. */
    sizeGiB?: number;
    /** EBS volume type. Only `gp3` is accepted (cheaper and faster than gp2). Default `gp3`. */
    type?: string;
    /** Encrypted with the cluster's volume key. Only `true` is accepted. Default `true`. */
    encrypted?: boolean;
}

export interface ClusterArgs {
    /** EKS cluster name; also names the control-plane log group. Required, 1-100 characters. */
    clusterName: string;
    /** Kubernetes version (`1.35`). Required; one of model/aws-catalog.ts `EKS_VERSIONS`. */
    kubernetesVersion: string;
    /**
     * What EKS does when `kubernetesVersion` leaves standard support: `STANDARD` upgrades the cluster by itself,
     * `EXTENDED` keeps the version on extended support, billed higher. Default `EXTENDED` (the EKS API's own
     * default, said explicitly so that a stack chooses).
     */
    supportType?: "STANDARD" | "EXTENDED";
    /** VPC the cluster runs in. Required. */
    vpcId: pulumi.Input<string>;
    /** AZs of the network, in order. Required, two or more. */
    availabilityZones: string[];
    /** Private subnet ids in the order of `availabilityZones`: control-plane ENIs, nodes and pods. Required. */
    privateSubnetIds: pulumi.Input<string>[];
    /** The network's node security group (reaches the data tier), attached to every node next to the cluster SG. Required. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** CIDRs that may reach the API endpoint from the internet. Default `[]`: the endpoint is private only. */
    publicAccessCidrs?: string[];
    /**
     * Private CIDRs admitted on 443 to the private endpoint (the cluster security group otherwise admits only
     * itself, so nothing outside the cluster, not even a runner in the VPC, could run `pulumi up`). Default `[]`.
     */
    privateAccessCidrs?: string[];
    /** Security groups admitted on 443 to the private endpoint, e.g. self-hosted CI runners'. Default `[]`. */
    privateAccessSecurityGroupIds?: string[];
    /** IAM roles given cluster-admin through access entries. Default `[]` (the creating identity is admin). */
    adminRoleArns?: string[];
    /** IAM roles given read-only access through access entries. Default `[]`. */
    viewerRoleArns?: string[];
    /** Days control-plane logs are kept. Default 90. */
    logRetentionDays?: number;
    /** Node groups. Required, one or more; the first runs the add-ons (it must have no taints). */
    nodeGroups: NodeGroupSpec[];
    /** Root volume of every node. Default `{ sizeGiB: 50, type: "gp3", encrypted: true }`. */
    nodeVolume?: NodeVolumeSpec;
    /** Let's Encrypt DNS-01 issuers for cert-manager (ClusterAddonsArgs.letsEncrypt). Default none. */
    letsEncrypt?: ClusterAddonsArgs["letsEncrypt"];
    /** The EFS CSI driver (EKS add-on with its IRSA role), for volumes on a shared EFS file system. Default false. */
    efsCsiDriver?: boolean;
    /** Versions pinned per EKS managed add-on; an add-on not listed gets AWS's default for `kubernetesVersion`. Default `{}`. */
    addonVersions?: Partial<Record<EksManagedAddon, string>>;
    /** Helm chart versions of the upstream add-ons, overriding the catalog's pins. Default `{}`. */
    chartVersions?: ClusterAddonsArgs["chartVersions"];
    /** Waiting period before the cluster's KMS keys are destroyed once deleted. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /**
     * Production safety: EKS deletion protection, `protect` on the cluster, keys and log group, keys and log group
     * retained if removed from the program, and PersistentVolumes retained when their claim goes. Default false.
     */
    protect?: boolean;
    /** Tags added to every AWS resource (the provider's default tags apply too). Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = {
    publicAccessCidrs: [] as string[],
    privateAccessCidrs: [] as string[],
    privateAccessSecurityGroupIds: [] as string[],
    supportType: "EXTENDED" as "STANDARD" | "EXTENDED",
    adminRoleArns: [] as string[],
    viewerRoleArns: [] as string[],
    logRetentionDays: 90,
    efsCsiDriver: false,
    nodeVolume: { sizeGiB: 50, type: "gp3", encrypted: true } as Required<NodeVolumeSpec>,
    addonVersions: {} as Partial<Record<EksManagedAddon, string>>,
    chartVersions: {} as NonNullable<ClusterAddonsArgs["chartVersions"]>,
    kmsKeyDeletionWindowDays: 30,
    protect: false,
    tags: {} as Record<string, string>,
};

/** Control-plane log types: all five, since audit and authenticator alone miss scheduler and controller failures. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
export const NODE_GROUP_LABEL = "rag-platform.io/node-group";
/** Taint key (value: the group's name) that reserves a node group for the pods that tolerate it. */
export const DEDICATED_TAINT_KEY = "rag-platform.io/dedicated";
/** Configuration of the vpc-cni add-on (keys of its configuration schema: `aws eks describe-addon-configuration`). */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: String(PREFIX_DELEGATION), WARM_PREFIX_TARGET: "1" } };
const ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
/** Managed node policies; CNI permissions go to the vpc-cni add-on's own role instead of every node. */
const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"];

/**
 * An EKS cluster for the platform: private API endpoint, envelope-encrypted secrets, encrypted control-plane logs,
 * access entries, managed node groups on encrypted gp3 volumes with IMDSv2, EKS managed add-ons, the upstream
 * add-ons (ClusterAddons) and the one Kubernetes provider later components deploy through.
 */
export class Cluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly kubernetesVersion: string;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthorityData: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcProviderUrl: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    /** Kubeconfig that authenticates with `aws eks get-token`; a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Security group EKS creates for the control plane and attaches to nodes. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Security groups every node carries: the cluster SG and the network's node SG. */
    readonly nodeSecurityGroupIds: pulumi.Output<string>[];
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly nodeGroupNames: pulumi.Output<string>[];
    /** KMS key of node volumes and of PersistentVolumes from the default StorageClass. */
    readonly volumeKmsKeyArn: pulumi.Output<string>;
    /** KMS key of Kubernetes secrets and the control-plane logs. */
    readonly clusterKmsKeyArn: pulumi.Output<string>;
    /** The Kubernetes provider every later component uses. */
    readonly provider: k8s.Provider;
    readonly addons: ClusterAddons;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): bad args must not leave a half-registered component behind.
        const cfg = resolveArgs(args);
        super("rag:cluster:Cluster", name, {}, opts);
        const step: Step = { name, cfg, env: awsEnvironment(this), tags: (resourceName) => ({ ...cfg.tags, Name: resourceName }) };
        this.kubernetesVersion = cfg.kubernetesVersion;

        const { clusterKey, volumeKey, logGroup } = this.keysAndLogs(step);
        const cluster = this.controlPlane(step, clusterKey, logGroup);
        this.clusterName = cluster.eksCluster.name;
        this.endpoint = cluster.eksCluster.endpoint;
        this.certificateAuthorityData = cluster.eksCluster.certificateAuthority.data;
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcProviderUrl = cluster.oidcProviderUrl;
        this.oidcIssuer = cluster.oidcIssuer;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.nodeSecurityGroupIds = [this.clusterSecurityGroupId, pulumi.output(cfg.nodeSecurityGroupId)];
        this.clusterKmsKeyArn = clusterKey.arn;
        this.volumeKmsKeyArn = volumeKey.arn;

        this.apiAccess(step);
        const networking = this.networking(step, cluster);
        const { nodeRole, nodeGroups } = this.nodes(step, volumeKey, networking);
        this.nodeRoleArn = nodeRole.arn;
        this.nodeGroupNames = nodeGroups.map((g) => g.nodeGroupName);
        const ebsCsi = this.nodeAddons(step, volumeKey, nodeGroups);

        this.kubeconfig = pulumi.secret(pulumi.all([this.clusterName, this.endpoint, this.certificateAuthorityData, step.env.region]).apply(([clusterName, endpoint, ca, region]) => kubeconfigFor(clusterName, endpoint, ca, region)));
        // Built from the cluster's name, endpoint and CA only: it changes when the cluster does, never because of
        // who runs `pulumi up`, so the provider (and everything deployed through it) is not replaced by churn.
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, { parent: this });

        new k8s.storage.v1.StorageClass(`${name}-gp3`, {
            metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: "ebs.csi.aws.com",
            // The tag puts every PersistentVolume into the data tier's AWS Backup selection.
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: volumeKey.arn, "csi.storage.k8s.io/fstype": "ext4", tagSpecification_1: `${BACKUP_VOLUME_TAG.key}=${BACKUP_VOLUME_TAG.value}` },
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
            reclaimPolicy: cfg.protect ? "Retain" : "Delete",
        }, { parent: this, provider: this.provider, dependsOn: [ebsCsi] });

        this.addons = new ClusterAddons(`${name}-addons`, {
            clusterName: this.clusterName,
            kubernetesVersion: cfg.kubernetesVersion,
            region: step.env.region,
            vpcId: cfg.vpcId,
            oidcProviderArn: this.oidcProviderArn,
            oidcIssuer: this.oidcIssuer,
            chartVersions: cfg.chartVersions,
            letsEncrypt: args.letsEncrypt,
            tags: cfg.tags,
        }, { parent: this, providers: { kubernetes: this.provider }, dependsOn: nodeGroups });

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            kubeconfig: this.kubeconfig,
            nodeRoleArn: this.nodeRoleArn,
        });
    }

    /**
     * Keys and the control-plane log group exist before the cluster, so EKS never writes an unencrypted,
     * never-expiring /aws/eks/<name>/cluster group of its own.
     */
    private keysAndLogs({ name, cfg, env, tags }: Step) {
        const logGroupName = `/aws/eks/${cfg.clusterName}/cluster`;
        const clusterKey = new aws.kms.Key(`${name}-secrets`, {
            description: `Encrypts Kubernetes secrets and control-plane logs of ${cfg.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
            policy: keyPolicy(env, logsEncryptStatement(env, `${logGroupName}*`)),
            tags: tags(`${cfg.clusterName}-secrets`),
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
        const volumeKey = new aws.kms.Key(`${name}-volumes`, {
            description: `Encrypts node and persistent volumes of ${cfg.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
            policy: keyPolicy(env, ...autoscalingVolumeStatements(env)),
            tags: tags(`${cfg.clusterName}-volumes`),
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
            name: logGroupName,
            retentionInDays: cfg.logRetentionDays,
            kmsKeyId: clusterKey.arn,
            tags: tags(`${cfg.clusterName}-control-plane`),
        }, { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect });

        return { clusterKey, volumeKey, logGroup };
    }

    private controlPlane({ name, cfg }: Step, clusterKey: aws.kms.Key, logGroup: aws.cloudwatch.LogGroup): eks.Cluster {
        return new eks.Cluster(`${name}-eks`, {
            name: cfg.clusterName,
            version: cfg.kubernetesVersion,
            upgradePolicy: { supportType: cfg.supportType },
            vpcId: cfg.vpcId,
            privateSubnetIds: cfg.privateSubnetIds,
            endpointPrivateAccess: true,
            endpointPublicAccess: cfg.publicAccessCidrs.length > 0,
            publicAccessCidrs: cfg.publicAccessCidrs.length > 0 ? cfg.publicAccessCidrs : undefined,
            enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
            encryptionConfigKeyArn: clusterKey.arn,
            authenticationMode: eks.AuthenticationMode.Api,
            createOidcProvider: true,
            deletionProtection: cfg.protect,
            // Node groups, security groups and the core add-ons are this component's own (below), so the offline
            // plan and the policy packs see them and their versions are pinned here.
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            bootstrapSelfManagedAddons: false,
            useDefaultVpcCni: true,
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: false },
            tags: { ...cfg.tags, Name: cfg.clusterName },
        }, { parent: this, dependsOn: [logGroup], protect: cfg.protect });

    }

    /** Who reaches the API: private-endpoint clients through the cluster security group, and the access entries. */
    private apiAccess({ name, cfg, tags }: Step): void {
        // The API's private endpoint sits behind the cluster security group, which admits only its own members.
        const apiClients = [
            ...cfg.privateAccessCidrs.map((cidr) => ({ id: cidr.replace(/[./]/g, "-"), rule: { cidrIpv4: cidr } })),
            ...cfg.privateAccessSecurityGroupIds.map((sg) => ({ id: sg, rule: { referencedSecurityGroupId: sg } })),
        ];
        for (const client of apiClients) {
            new aws.vpc.SecurityGroupIngressRule(`${name}-api-from-${client.id}`, {
                securityGroupId: this.clusterSecurityGroupId,
                description: "Kubernetes API (private endpoint)",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                ...client.rule,
                tags: tags(`${cfg.clusterName}-api-from-${client.id}`),
            }, { parent: this });
        }

        for (const [kind, arns, policyArn] of [["admin", cfg.adminRoleArns, ADMIN_POLICY], ["viewer", cfg.viewerRoleArns, VIEW_POLICY]] as const) {
            for (const principalArn of arns) {
                // Named after the role, not its position, so reordering the config list replaces nothing.
                const entryName = `${name}-${kind}-${principalArn.split("/").pop()}`;
                const entry = new aws.eks.AccessEntry(entryName, { clusterName: this.clusterName, principalArn, type: "STANDARD", tags: tags(entryName) }, { parent: this });
                new aws.eks.AccessPolicyAssociation(entryName, { clusterName: this.clusterName, principalArn, policyArn, accessScope: { type: "cluster" } }, { parent: this, dependsOn: [entry] });
            }
        }
    }

    /** One EKS managed add-on at its pinned version (else the default for the cluster's Kubernetes version). */
    private addon({ name, cfg, tags }: Step, addonName: EksManagedAddon, extra: Partial<aws.eks.AddonArgs>, dependsOn: pulumi.Resource[]): aws.eks.Addon {
        return new aws.eks.Addon(`${name}-${addonName}`, {
            clusterName: this.clusterName,
            addonName,
            addonVersion: cfg.addonVersions[addonName] ?? aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: cfg.kubernetesVersion }, { parent: this }).version,
            // Take over what EKS may have installed; keep manual tuning on upgrades.
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags: tags(`${cfg.clusterName}-${addonName}`),
            ...extra,
        }, { parent: this, dependsOn });
    }

    private irsaBase({ cfg, env }: Step) {
        return { oidcProviderArn: this.oidcProviderArn, oidcIssuer: this.oidcIssuer, partition: env.partition, tags: cfg.tags };
    }

    /** The VPC CNI (with its IRSA role) and kube-proxy: node groups wait for them. */
    private networking(step: Step, cluster: eks.Cluster): aws.eks.Addon[] {
        const { name } = step;
        const vpcCniRole = irsaRole(`${name}-vpc-cni`, { ...this.irsaBase(step), namespace: "kube-system", serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] }, { parent: this });
        return [
            this.addon(step, "vpc-cni", {
                serviceAccountRoleArn: vpcCniRole.arn,
                // Prefix delegation: ~110 pods per node instead of the ENI-bound ~58 on an xlarge. Network policy
                // enforcement is off unless asked for: without it every NetworkPolicy the platform writes is inert.
                configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
            }, [cluster]),
            this.addon(step, "kube-proxy", {}, [cluster]),
        ];
    }

    /** The node role, one launch template (encrypted gp3 root, IMDSv2 only) and a managed node group per spec. */
    private nodes({ name, cfg, env, tags }: Step, volumeKey: aws.kms.Key, networking: pulumi.Resource[]) {
        const nodeRole = new aws.iam.Role(`${name}-nodes`, {
            description: `Nodes of ${cfg.clusterName}`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(`${cfg.clusterName}-nodes`),
        }, { parent: this });
        attachManagedPolicies(`${name}-nodes`, nodeRole, NODE_MANAGED_POLICIES, env.partition, { parent: this });

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
            description: `Nodes of ${cfg.clusterName}: encrypted gp3 root volume, IMDSv2 only`,
            updateDefaultVersion: true,
            blockDeviceMappings: [{
                deviceName: "/dev/xvda", // AL2023 root device
                ebs: {
                    volumeSize: cfg.nodeVolume.sizeGiB,
                    volumeType: "gp3",
                    encrypted: "true",
                    kmsKeyId: volumeKey.arn,
                    deleteOnTermination: "true",
                },
            }],
            // Hop limit 1: pods cannot reach the node's credentials; add-ons get theirs through IRSA.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            vpcSecurityGroupIds: this.nodeSecurityGroupIds,
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: tags(`${cfg.clusterName}-node`) })),
            tags: tags(`${cfg.clusterName}-nodes`),
        }, { parent: this });

        const nodeGroups = cfg.nodeGroups.map((group) =>
            new aws.eks.NodeGroup(`${name}-${group.name}`, {
                clusterName: this.clusterName,
                version: cfg.kubernetesVersion,
                nodeRoleArn: nodeRole.arn,
                subnetIds: cfg.privateSubnetIds, // every AZ: resolveArgs rejects a group in fewer
                instanceTypes: group.instanceTypes,
                capacityType: group.capacityType,
                amiType: group.architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
                scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
                updateConfig: { maxUnavailablePercentage: 33 },
                nodeRepairConfig: { enabled: true },
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                labels: { [NODE_GROUP_LABEL]: group.name },
                taints: group.taints,
                tags: tags(`${cfg.clusterName}-${group.name}`),
            }, {
                parent: this,
                dependsOn: networking,
                // The cluster autoscaler owns the desired size once the group exists; a scale-out is not drift.
                ignoreChanges: ["scalingConfig.desiredSize"],
            }),
        );
        return { nodeRole, nodeGroups };
    }

    /** CoreDNS, the EBS CSI driver (its role may use the volume key) and, when asked for, the EFS CSI driver. */
    private nodeAddons(step: Step, volumeKey: aws.kms.Key, nodeGroups: pulumi.Resource[]): aws.eks.Addon {
        const { name } = step;
        const ebsCsiRole = irsaRole(`${name}-ebs-csi`, {
            ...this.irsaBase(step),
            namespace: "kube-system",
            serviceAccount: "ebs-csi-controller-sa",
            managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"],
            // The managed policy covers EBS; volumes under a customer key also need the key.
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: KMS_USE_ACTIONS, Resource: volumeKey.arn },
                    { Effect: "Allow", Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: volumeKey.arn, Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
                ],
            }),
        }, { parent: this });
        // CoreDNS and the CSI controllers are Deployments: they only turn healthy once nodes exist.
        this.addon(step, "coredns", {}, nodeGroups);
        if (step.cfg.efsCsiDriver) {
            // The add-on annotates its controller's and its node daemon's accounts with the one role.
            const efsCsiRole = irsaRole(`${name}-efs-csi`, {
                ...this.irsaBase(step),
                namespace: "kube-system",
                serviceAccount: ["efs-csi-controller-sa", "efs-csi-node-sa"],
                managedPolicies: ["service-role/AmazonEFSCSIDriverPolicy"],
            }, { parent: this });
            this.addon(step, "aws-efs-csi-driver", { serviceAccountRoleArn: efsCsiRole.arn }, nodeGroups);
        }
        return this.addon(step, "aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiRole.arn }, nodeGroups);
    }
}

/** What each step of building the cluster reads. */
interface Step {
    name: string;
    cfg: ResolvedClusterArgs;
    env: AwsEnvironment;
    tags: (resourceName: string) => Record<string, string>;
}

/** A kubeconfig for one EKS cluster that gets tokens from the AWS CLI of whoever runs the program. */
export function kubeconfigFor(clusterName: string, endpoint: string, certificateAuthorityData: string, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [{
            name: clusterName,
            user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"] } },
        }],
    });
}

/**
 * EC2 Auto Scaling launches the node groups' instances with its service-linked role; without these grants on the
 * volume key, instances with CMK-encrypted root volumes fail to start. The role is named by condition, not as the
 * principal: KMS refuses a key policy whose principal does not exist, and AWSServiceRoleForAutoScaling exists only
 * once the account's first Auto Scaling group was made (the node groups below make it, after this key).
 */
function autoscalingVolumeStatements(env: AwsEnvironment): Record<string, unknown>[] {
    const autoscaling = pulumi.interpolate`arn:${env.partition}:iam::${env.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const asAutoscaling = { StringEquals: { "aws:PrincipalArn": autoscaling, "kms:CallerAccount": env.accountId } };
    return [
        { Sid: "AutoScalingUsesKey", Effect: "Allow", Principal: { AWS: "*" }, Action: KMS_USE_ACTIONS, Resource: "*", Condition: asAutoscaling },
        {
            Sid: "AutoScalingGrants",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { ...asAutoscaling, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}

type ResolvedNodeGroup = Required<Omit<NodeGroupSpec, "taints">> & Pick<NodeGroupSpec, "taints">;
type ResolvedClusterArgs = Required<Omit<ClusterArgs, "nodeGroups" | "nodeVolume" | "letsEncrypt">> & Pick<ClusterArgs, "letsEncrypt"> & { nodeGroups: ResolvedNodeGroup[]; nodeVolume: Required<NodeVolumeSpec> };

/** Applies the defaults and rejects args the cluster cannot be built from, naming the field, value and what is allowed. */
function resolveArgs(args: ClusterArgs): ResolvedClusterArgs {
    const fail = argsRejecter("Cluster");
    const resolved = { ...DEFAULTS, ...stripUndefined(args), nodeVolume: { ...DEFAULTS.nodeVolume, ...args.nodeVolume } };
    if (!NAME_RULES.eksCluster.test(resolved.clusterName)) fail("clusterName", resolved.clusterName, NAME_RULES.eksCluster.allowed);
    if (!EKS_VERSIONS[resolved.kubernetesVersion]) fail("kubernetesVersion", resolved.kubernetesVersion, `one of ${Object.keys(EKS_VERSIONS).join(", ")}`);
    const azs = resolved.availabilityZones;
    if (azs.length < 2 || new Set(azs).size !== azs.length) fail("availabilityZones", azs, "two or more distinct AZs (EKS needs subnets in two)");
    if (resolved.privateSubnetIds.length !== azs.length) fail("privateSubnetIds", `${resolved.privateSubnetIds.length} subnets`, `one per availability zone (${azs.length})`);
    if (resolved.nodeVolume.type !== "gp3") fail("nodeVolume.type", resolved.nodeVolume.type, '"gp3" (gp2 costs 20% more for less baseline throughput)');
    if (resolved.nodeVolume.encrypted !== true) fail("nodeVolume.encrypted", resolved.nodeVolume.encrypted, "true (node volumes hold images, logs and emptyDir data)");
    if (!(resolved.nodeVolume.sizeGiB >= 20)) fail("nodeVolume.sizeGiB", resolved.nodeVolume.sizeGiB, "20 or more");
    checkKmsDeletionWindow(fail, resolved.kmsKeyDeletionWindowDays);
    if (resolved.nodeGroups.length === 0) fail("nodeGroups", [], "one or more node groups");
    if (resolved.nodeGroups[0].taints?.length) fail("nodeGroups[0].taints", resolved.nodeGroups[0].taints, "none: the first group runs the cluster add-ons");
    const names = new Set<string>();
    const nodeGroups = resolved.nodeGroups.map((group, i): ResolvedNodeGroup => {
        const field = `nodeGroups[${i}] (${group.name})`;
        if (!/^[a-z][a-z0-9-]{0,30}$/.test(group.name) || names.has(group.name)) fail(`${field}.name`, group.name, "a unique lowercase name of 1-31 letters, digits or '-'");
        names.add(group.name);
        if (group.instanceTypes.length === 0) fail(`${field}.instanceTypes`, group.instanceTypes, "one or more instance types");
        if (!(group.minSize >= 0 && group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize && group.maxSize >= 1)) {
            fail(`${field}.minSize/desiredSize/maxSize`, [group.minSize, group.desiredSize, group.maxSize], "0 <= minSize <= desiredSize <= maxSize, maxSize >= 1");
        }
        const zones = group.availabilityZones ?? azs;
        const missing = azs.filter((az) => !zones.includes(az));
        if (missing.length > 0 || zones.some((az) => !azs.includes(az))) {
            fail(`${field}.availabilityZones`, zones, `every AZ of the network (${azs.join(", ")}): a group in fewer AZs loses its capacity in an AZ outage`);
        }
        return { architecture: "x86_64", capacityType: "ON_DEMAND", ...group, availabilityZones: zones };
    });
    const autoscaler = clusterAutoscalerChart(resolved.kubernetesVersion, resolved.chartVersions.clusterAutoscaler);
    if ("problem" in autoscaler) fail("chartVersions.clusterAutoscaler", resolved.chartVersions.clusterAutoscaler, autoscaler.allowed);
    for (const addon of Object.keys(resolved.addonVersions)) {
        if (!(EKS_MANAGED_ADDONS as readonly string[]).includes(addon)) fail(`addonVersions.${addon}`, resolved.addonVersions[addon as EksManagedAddon], `versions for ${EKS_MANAGED_ADDONS.join(", ")}`);
    }
    return { ...resolved, nodeGroups };
}
