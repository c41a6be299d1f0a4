import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ADDON_CHARTS, clusterAutoscalerChart, type AddonChart } from "../model/aws-catalog";
import { pinnedRelease } from "./helm";
import { argsRejecter } from "./args";
import { irsaRole } from "./irsa-role";

export interface ClusterAddonsArgs {
    /** EKS cluster name. Required. */
    clusterName: pulumi.Input<string>;
    /** The cluster's Kubernetes minor version; picks the cluster-autoscaler chart made for it. Required. */
    kubernetesVersion: string;
    /** Region and VPC, given to controllers explicitly because pods cannot read the node's metadata (hop limit 1). Required. */
    region: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** The cluster's OIDC provider ARN and issuer, for the controllers' IRSA roles. Required. */
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    /**
     * Chart versions overriding model/aws-catalog.ts `ADDON_CHARTS`. Default `{}`. A cluster-autoscaler pin must be
     * the chart made for `kubernetesVersion` (CLUSTER_AUTOSCALER_CHARTS), which is also the default.
     */
    chartVersions?: Partial<Record<AddonChart, string>>;
    /**
     * Secrets Manager names External Secrets may read: `<prefix>*`. Default `<clusterName>/`, so a workload's secrets
     * live under `rag-prod/...` and nothing else in the account is exposed to the cluster.
     */
    secretNamePrefix?: pulumi.Input<string>;
    /**
     * Let's Encrypt issuers for cert-manager, solving DNS-01 in one Route 53 zone: `letsencrypt-staging` and
     * `letsencrypt-prod` ClusterIssuers for names under `domainName`, the ACME account registered to `email`, and
     * an IRSA role that may change only TXT records of that zone. Default none (cert-manager without issuers).
     */
    letsEncrypt?: { email: string; hostedZoneId: string; domainName: string };
    /** Tags added to every AWS resource. Default `{}`. */
    tags?: Record<string, string>;
}

/** Let's Encrypt's ACME directories, by the name of the ClusterIssuer that uses each. */
export const LETS_ENCRYPT_ISSUERS = {
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "letsencrypt-prod": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** Name of the ClusterSecretStore workloads reference from their ExternalSecrets. */
export const CLUSTER_SECRET_STORE = "aws-secrets-manager";
/** TLS policy the load balancer controller puts on listeners when an Ingress names none. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The upstream add-ons every platform cluster runs, from their Helm charts at pinned versions: AWS Load Balancer
 * Controller, External Secrets Operator (with a ClusterSecretStore for Secrets Manager), cert-manager (with
 * Let's Encrypt DNS-01 issuers when asked),
 * metrics-server, the cluster autoscaler, the vertical pod autoscaler, KEDA, Argo Rollouts and Reloader; each controller that calls AWS has its own least-privilege IRSA role.
 * Takes the Kubernetes provider from its `providers` option.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    /**
     * The load balancer controller's release. Anything that makes a load balancer (Ingress, Service of type
     * LoadBalancer) must depend on it, so `pulumi destroy` deletes those first and the controller can still remove
     * the ALBs and NLBs it made; otherwise they outlive the cluster and block the VPC's deletion.
     */
    readonly loadBalancerController: k8s.helm.v3.Release;
    readonly clusterSecretStoreName: string;
    /** The role External Secrets reads Secrets Manager with: the data tier lets only it read the app secrets. */
    readonly externalSecretsRoleArn: pulumi.Output<string>;
    /** Its name, for grants made later (the workload adds read access to the database master secret). */
    readonly externalSecretsRoleName: pulumi.Output<string>;
    /** Chart name -> version deployed. */
    readonly chartVersions: Record<string, string>;

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        const autoscalerChart = clusterAutoscalerChart(args.kubernetesVersion, args.chartVersions?.clusterAutoscaler);
        const autoscalerVersion = "problem" in autoscalerChart
            ? argsRejecter("ClusterAddons")("chartVersions.clusterAutoscaler", args.chartVersions?.clusterAutoscaler ?? args.kubernetesVersion, autoscalerChart.allowed)
            : autoscalerChart.version;
        super("rag:cluster:ClusterAddons", name, {}, opts);
        const parent = { parent: this };
        const partition = aws.getPartitionOutput({}, parent).partition;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const irsa = { oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, partition, tags: args.tags };
        const versions = Object.fromEntries(
            (Object.keys(ADDON_CHARTS) as AddonChart[]).map((key) => [key, args.chartVersions?.[key] ?? ADDON_CHARTS[key].version]),
        ) as Record<AddonChart, string>;
        versions.clusterAutoscaler = autoscalerVersion;
        this.chartVersions = Object.fromEntries((Object.keys(versions) as AddonChart[]).map((key) => [ADDON_CHARTS[key].chart, versions[key]]));

        const release = (key: AddonChart, namespace: string, values: pulumi.Input<Record<string, unknown>>) =>
            pinnedRelease(`${name}-${ADDON_CHARTS[key].chart}`, { ...ADDON_CHARTS[key], version: versions[key] }, namespace, values, parent);

        const lbcRole = irsaRole(`${name}-load-balancer-controller`, {
            ...irsa,
            namespace: "kube-system",
            serviceAccount: "aws-load-balancer-controller",
            policy: loadBalancerControllerPolicy(),
        }, parent);
        this.loadBalancerController = release("awsLoadBalancerController", "kube-system", {
            clusterName: args.clusterName,
            region: args.region,
            vpcId: args.vpcId,
            replicaCount: 2,
            serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": lbcRole.arn } },
            defaultSSLPolicy: DEFAULT_SSL_POLICY,
            // Services of type LoadBalancer get an NLB only when they ask for one, not silently.
            enableServiceMutatorWebhook: false,
            podDisruptionBudget: { maxUnavailable: 1 },
        });

        const secretPrefix = args.secretNamePrefix ?? pulumi.interpolate`${args.clusterName}/`;
        const esoRole = irsaRole(`${name}-external-secrets`, {
            ...irsa,
            namespace: "external-secrets",
            serviceAccount: "external-secrets",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:GetResourcePolicy"],
                        Resource: pulumi.interpolate`arn:${partition}:secretsmanager:${args.region}:${accountId}:secret:${secretPrefix}*`,
                    },
                    // Secrets under customer keys: decrypt only through Secrets Manager, never directly.
                    { Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${args.region}.amazonaws.com` } } },
                ],
            }),
        }, parent);
        this.externalSecretsRoleArn = esoRole.arn;
        this.externalSecretsRoleName = esoRole.name;
        const externalSecrets = release("externalSecrets", "external-secrets", {
            installCRDs: true,
            replicaCount: 2,
            // Two controllers reconciling the same ExternalSecrets without a leader race each other (chart default: off).
            leaderElect: true,
            serviceAccount: { create: true, name: "external-secrets", annotations: { "eks.amazonaws.com/role-arn": esoRole.arn } },
            podDisruptionBudget: { enabled: true, minAvailable: 1 },
            webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
        });
        this.clusterSecretStoreName = CLUSTER_SECRET_STORE;
        new k8s.apiextensions.CustomResource(`${name}-secret-store`, {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterSecretStore",
            metadata: { name: CLUSTER_SECRET_STORE },
            // No auth block: the controller's own IRSA role, limited to the prefix above, is the identity.
            spec: { provider: { aws: { service: "SecretsManager", region: args.region } } },
        }, { parent: this, dependsOn: [externalSecrets] });

        const le = args.letsEncrypt;
        const dnsRole = le && irsaRole(`${name}-cert-manager`, {
            ...irsa,
            namespace: "cert-manager",
            serviceAccount: "cert-manager",
            // DNS-01 in the stack's zone only, and there only the TXT records of ACME challenges.
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "route53:GetChange", Resource: pulumi.interpolate`arn:${partition}:route53:::change/*` },
                    { Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: pulumi.interpolate`arn:${partition}:route53:::hostedzone/${le.hostedZoneId}` },
                    {
                        Effect: "Allow",
                        Action: "route53:ChangeResourceRecordSets",
                        Resource: pulumi.interpolate`arn:${partition}:route53:::hostedzone/${le.hostedZoneId}`,
                        Condition: {
                            "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                            "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
                        },
                    },
                ],
            }),
        }, parent);
        const certManager = release("certManager", "cert-manager", {
            crds: { enabled: true },
            replicaCount: 2,
            podDisruptionBudget: { enabled: true, minAvailable: 1 },
            webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
            ...(dnsRole ? { serviceAccount: { create: true, name: "cert-manager", annotations: { "eks.amazonaws.com/role-arn": dnsRole.arn } } } : {}),
        });
        if (le) {
            for (const [issuer, server] of Object.entries(LETS_ENCRYPT_ISSUERS)) {
                new k8s.apiextensions.CustomResource(`${name}-${issuer}`, {
                    apiVersion: "cert-manager.io/v1",
                    kind: "ClusterIssuer",
                    metadata: { name: issuer },
                    spec: {
                        acme: {
                            server,
                            email: le.email,
                            privateKeySecretRef: { name: `${issuer}-account-key` },
                            // The controller's own IRSA role is the identity (ambient credentials, on by default for ClusterIssuers).
                            solvers: [{ selector: { dnsZones: [le.domainName] }, dns01: { route53: { region: args.region, hostedZoneID: le.hostedZoneId } } }],
                        },
                    },
                }, { parent: this, dependsOn: [certManager] });
            }
        }

        // Recommender, updater and admission controller at the chart's defaults: two replicas each (leader election
        // on by itself above one), budgets, a webhook that fails open. VerticalPodAutoscaler objects are the workload's.
        release("verticalPodAutoscaler", "kube-system", {});

        release("metricsServer", "kube-system", {
            replicas: 2,
            podDisruptionBudget: { enabled: true, minAvailable: 1 },
        });

        const autoscalerRole = irsaRole(`${name}-cluster-autoscaler`, {
            ...irsa,
            namespace: "kube-system",
            serviceAccount: "cluster-autoscaler",
            policy: clusterAutoscalerPolicy(args.clusterName),
        }, parent);
        release("clusterAutoscaler", "kube-system", {
            autoDiscovery: { clusterName: args.clusterName },
            awsRegion: args.region,
            // No image override: the chart's own image is the one its RBAC was written for.
            rbac: { serviceAccount: { create: true, name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": autoscalerRole.arn } } },
            extraArgs: { "balance-similar-node-groups": true, expander: "least-waste", "skip-nodes-with-system-pods": false },
        });

        // One autoscaler for every workload: KEDA owns the HPAs, so CPU, memory, request rate and queue length
        // combine in one ScaledObject per service (an HPA and a ScaledObject on one workload would fight).
        release("keda", "keda", {
            operator: { replicaCount: 2 },
            metricsServer: { replicaCount: 2 },
            podDisruptionBudget: { operator: { minAvailable: 1 }, metricServer: { minAvailable: 1 } },
            securityContext: { operator: { capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } },
        });
        // Canary and blue-green for services that choose them; rolling updates need nothing from it.
        release("argoRollouts", "argo-rollouts", {
            controller: { replicas: 2, pdb: { enabled: true, minAvailable: 1 } },
            dashboard: { enabled: false },
        });

        // Env vars are read once: a rotated password or changed setting needs a rolling restart, which Reloader does
        // for workloads that name their Secret and ConfigMap (WorkloadService does), Argo Rollouts included.
        release("reloader", "reloader", {
            reloader: {
                isArgoRollouts: true,
                enableHA: true,
                readOnlyRootFileSystem: true,
                deployment: { replicas: 2 },
            },
        });

        this.registerOutputs({ clusterSecretStoreName: this.clusterSecretStoreName, chartVersions: this.chartVersions });
    }
}

/**
 * What the cluster autoscaler may do: read everything it plans with, and resize or shrink only the Auto Scaling
 * groups EKS tagged as this cluster's.
 */
function clusterAutoscalerPolicy(clusterName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/enabled`]: "true", "aws:ResourceTag/eks:cluster-name": clusterName } },
            },
        ],
    });
}

const LBC_TAG = "elbv2.k8s.aws/cluster";

/**
 * What the AWS Load Balancer Controller may do: read the network, certificates and WAF associations; create load
 * balancers, target groups and security groups only tagged as its own; change or delete only what carries that tag.
 */
function loadBalancerControllerPolicy(): pulumi.Output<string> {
    const tagged = { Null: { [`aws:ResourceTag/${LBC_TAG}`]: "false" } };
    const creating = { Null: { [`aws:RequestTag/${LBC_TAG}`]: "false" } };
    const elb = (kinds: string[]) => kinds.map((kind) => `arn:aws:elasticloadbalancing:*:*:${kind}`);
    const balancersAndGroups = elb(["targetgroup/*/*", "loadbalancer/net/*/*", "loadbalancer/app/*/*"]);
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } } },
            {
                Effect: "Allow",
                Action: [
                    "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
                    "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
                    "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables",
                    "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
                    "elasticloadbalancing:Describe*",
                    "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
                    "cognito-idp:DescribeUserPoolClient",
                    "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
                    "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
                    "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
                ],
                Resource: "*",
            },
            { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: "*" },
            { Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
            { Effect: "Allow", Action: "ec2:CreateTags", Resource: "arn:aws:ec2:*:*:security-group/*", Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...creating } },
            {
                Effect: "Allow",
                Action: ["ec2:CreateTags", "ec2:DeleteTags"],
                Resource: "arn:aws:ec2:*:*:security-group/*",
                Condition: { Null: { [`aws:RequestTag/${LBC_TAG}`]: "true", [`aws:ResourceTag/${LBC_TAG}`]: "false" } },
            },
            { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"], Resource: "*", Condition: tagged },
            { Effect: "Allow", Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], Resource: "*", Condition: creating },
            {
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                Resource: balancersAndGroups,
                Condition: { Null: { [`aws:RequestTag/${LBC_TAG}`]: "true", [`aws:ResourceTag/${LBC_TAG}`]: "false" } },
            },
            {
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                Resource: elb(["listener/net/*/*/*", "listener/app/*/*/*", "listener-rule/net/*/*/*", "listener-rule/app/*/*/*"]),
            },
            {
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
                    "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
                ],
                Resource: "*",
                Condition: tagged,
            },
            {
                Effect: "Allow",
                Action: "elasticloadbalancing:AddTags",
                Resource: balancersAndGroups,
                Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...creating },
            },
            { Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: elb(["targetgroup/*/*"]) },
            {
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
                ],
                Resource: "*",
            },
        ],
    });
}
