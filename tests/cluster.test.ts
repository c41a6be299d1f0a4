/**
 * The Cluster component alone (its args, its children and their properties), then the cluster each stack file
 * really registers.
 */
import { describe, expect, it } from "vitest";
import { Cluster, CONTROL_PLANE_LOG_TYPES, type ClusterArgs } from "../components/cluster";
import { CLUSTER_SECRET_STORE } from "../components/cluster-addons";
import { evaluateStack, type PlanRecord } from "../offline/evaluate";
import { clusterLayout, ofType, registered } from "../offline/inspect";
import type { RecordedResource } from "../offline/mocks";
import { ADDON_CHARTS } from "../model/aws-catalog";
import { named, only, registerUnderMocks, rejectionOf } from "./helpers";
import { stackPlans } from "./plans";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ARGS: ClusterArgs = {
    clusterName: "rag-test",
    kubernetesVersion: "1.35",
    vpcId: "vpc-0123456789abcdef0",
    availabilityZones: AZS,
    privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    nodeSecurityGroupId: "sg-nodes",
    nodeGroups: [
        { name: "application", instanceTypes: ["m6i.xlarge"], minSize: 3, desiredSize: 3, maxSize: 10 },
        { name: "observability", instanceTypes: ["r6i.large"], minSize: 3, desiredSize: 3, maxSize: 6, taints: [{ key: "rag-platform.io/dedicated", value: "observability", effect: "NO_SCHEDULE" }] },
    ],
};
const build = (args: Partial<ClusterArgs> = {}) => registerUnderMocks(() => new Cluster("eks", { ...ARGS, ...args }));
const policyOf = (r: RecordedResource, field = "policy") => JSON.parse(String(r.inputs[field]));
const byName = (record: PlanRecord, type: string) => Object.fromEntries(ofType(record, type).map((r) => [r.name, r]));

describe("Cluster with its defaults", async () => {
    const record = await build();
    const layout = clusterLayout(record)!;
    const eks = only(record, "eks:index:Cluster");

    it("parents every child to the component (the add-ons through their own component)", () => {
        const component = only(record, "rag:cluster:Cluster");
        const addons = only(record, "rag:cluster:ClusterAddons");
        for (const child of registered(record).filter((r) => r.urn !== component.urn)) {
            expect([component.urn, addons.urn], child.urn).toContain(child.parent);
        }
        expect(addons.parent).toBe(component.urn);
    });

    it("keeps the API endpoint private, authenticates through access entries, encrypts secrets and logs every control-plane stream", () => {
        expect(eks.inputs).toMatchObject({
            name: "rag-test",
            version: "1.35",
            endpointPrivateAccess: true,
            endpointPublicAccess: false,
            authenticationMode: "API",
            createOidcProvider: true,
            deletionProtection: false,
            skipDefaultNodeGroup: true,
            bootstrapSelfManagedAddons: false,
            privateSubnetIds: ARGS.privateSubnetIds,
        });
        expect(eks.inputs.publicAccessCidrs).toBeUndefined();
        expect(layout.logTypes).toEqual(CONTROL_PLANE_LOG_TYPES);
        const keys = byName(record, "aws:kms/key:Key");
        expect(eks.inputs.encryptionConfigKeyArn).toBe(keys["eks-secrets"].state.arn);
        for (const key of Object.values(keys)) expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    });

    it("creates the control-plane log group itself, encrypted and with retention, before the cluster", () => {
        const group = only(record, "aws:cloudwatch/logGroup:LogGroup");
        expect(group.inputs).toMatchObject({ name: "/aws/eks/rag-test/cluster", retentionInDays: 90, kmsKeyId: byName(record, "aws:kms/key:Key")["eks-secrets"].state.arn });
        expect(eks.dependencies).toContain(group.urn);
        // CloudWatch Logs may use the key only for this cluster's log groups.
        const logs = policyOf(byName(record, "aws:kms/key:Key")["eks-secrets"]).Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsEncrypts");
        expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/rag-test/cluster*");
    });

    it("runs each node group over every AZ on encrypted gp3 volumes with IMDSv2, leaving the desired size to the autoscaler", () => {
        expect(layout.nodeGroups.map((g) => [g.name, g.capacityType, g.amiType, `${g.min}/${g.desired}/${g.max}`, g.subnets, g.ignoresDesiredSize])).toEqual([
            ["application", "ON_DEMAND", "AL2023_x86_64_STANDARD", "3/3/10", 3, true],
            ["observability", "ON_DEMAND", "AL2023_x86_64_STANDARD", "3/3/6", 3, true],
        ]);
        expect(layout.nodeGroups[1].taints).toEqual(["rag-platform.io/dedicated=observability:NO_SCHEDULE"]);
        expect(layout.nodeVolume).toEqual({ type: "gp3", sizeGiB: 50, encrypted: true });
        expect(layout.imds).toEqual({ tokens: "required", hopLimit: 1 });
        const template = only(record, "aws:ec2/launchTemplate:LaunchTemplate");
        for (const group of ofType(record, "aws:eks/nodeGroup:NodeGroup")) {
            expect(group.inputs.launchTemplate).toEqual({ id: template.id, version: "1" });
            expect(group.inputs.nodeRepairConfig).toEqual({ enabled: true });
        }
        // Nodes carry the cluster SG and the network's node SG (the one the data tier admits).
        expect(template.inputs.vpcSecurityGroupIds).toEqual([eks.state.clusterSecurityGroupId, "sg-nodes"]);
    });

    it("lets EC2 Auto Scaling use the volume key, or nodes with encrypted root volumes never start", () => {
        const statements = policyOf(byName(record, "aws:kms/key:Key")["eks-volumes"]).Statement;
        expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountAdministers", "AutoScalingUsesKey", "AutoScalingGrants"]);
        // Named by condition: KMS refuses a principal that does not exist yet, and this role appears only with the
        // account's first Auto Scaling group.
        for (const statement of statements.slice(1)) {
            expect(statement.Principal).toEqual({ AWS: "*" });
            expect(statement.Condition.StringEquals).toEqual({
                "aws:PrincipalArn": "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                "kms:CallerAccount": "123456789012",
            });
        }
    });

    it("gives nodes no CNI permissions: the vpc-cni add-on has its own role", () => {
        const roles = byName(record, "aws:iam/role:Role");
        const attached = (role: string) =>
            ofType(record, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === roles[role].state.name).map((a) => a.inputs.policyArn);
        expect(attached("eks-nodes")).toEqual([
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ]);
        const cni = named(record, "aws:eks/addon:Addon", "eks-vpc-cni");
        expect(cni.inputs.serviceAccountRoleArn).toBe(roles["eks-vpc-cni"].state.arn);
        expect(attached("eks-vpc-cni")).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
        expect(attached("eks-ebs-csi")).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    });

    it("scopes every IRSA role to one service account of this cluster's OIDC provider", () => {
        const expected: Record<string, string> = {
            "eks-vpc-cni": "system:serviceaccount:kube-system:aws-node",
            "eks-ebs-csi": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
            "eks-addons-load-balancer-controller": "system:serviceaccount:kube-system:aws-load-balancer-controller",
            "eks-addons-external-secrets": "system:serviceaccount:external-secrets:external-secrets",
            "eks-addons-cluster-autoscaler": "system:serviceaccount:kube-system:cluster-autoscaler",
        };
        const issuer = String(eks.state.oidcIssuer);
        for (const [roleName, subject] of Object.entries(expected)) {
            const [statement] = policyOf(named(record, "aws:iam/role:Role", roleName), "assumeRolePolicy").Statement;
            expect(statement.Principal.Federated, roleName).toBe(eks.state.oidcProviderArn);
            expect(statement.Condition.StringEquals, roleName).toEqual({ [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" });
        }
    });

    it("installs networking add-ons before the node groups and CoreDNS and EBS CSI after them", () => {
        const addons = byName(record, "aws:eks/addon:Addon");
        const groups = ofType(record, "aws:eks/nodeGroup:NodeGroup");
        for (const group of groups) {
            expect(group.dependencies).toEqual(expect.arrayContaining([addons["eks-vpc-cni"].urn, addons["eks-kube-proxy"].urn]));
        }
        for (const late of [addons["eks-coredns"], addons["eks-aws-ebs-csi-driver"]]) {
            expect(late.dependencies).toEqual(expect.arrayContaining(groups.map((g) => g.urn)));
        }
        // Unpinned add-ons take AWS's default for the cluster's version (offline: the one describe-addon-versions gave).
        expect(layout.addons.map((a) => a.version)).toEqual(["v1.63.1-eksbuild.1", "v1.13.2-eksbuild.21", "v1.35.3-eksbuild.21", "v1.22.4-eksbuild.3"]);
    });

    it("deploys the upstream add-ons from their pinned charts after the nodes, through the cluster's provider", () => {
        expect(layout.charts.map((c) => `${c.name}@${c.version} ${c.namespace}`)).toEqual([
            `argo-rollouts@${ADDON_CHARTS.argoRollouts.version} argo-rollouts`,
            `aws-load-balancer-controller@${ADDON_CHARTS.awsLoadBalancerController.version} kube-system`,
            `cert-manager@${ADDON_CHARTS.certManager.version} cert-manager`,
            `cluster-autoscaler@${ADDON_CHARTS.clusterAutoscaler.version} kube-system`,
            `external-secrets@${ADDON_CHARTS.externalSecrets.version} external-secrets`,
            `keda@${ADDON_CHARTS.keda.version} keda`,
            `metrics-server@${ADDON_CHARTS.metricsServer.version} kube-system`,
            `reloader@${ADDON_CHARTS.reloader.version} reloader`,
            `vertical-pod-autoscaler@${ADDON_CHARTS.verticalPodAutoscaler.version} kube-system`,
        ]);
        const provider = only(record, "pulumi:providers:kubernetes");
        const addonsComponent = only(record, "rag:cluster:ClusterAddons");
        const groups = ofType(record, "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn);
        expect(addonsComponent.dependencies).toEqual(expect.arrayContaining(groups));
        for (const release of ofType(record, "kubernetes:helm.sh/v3:Release")) {
            expect(release.provider, release.name).toBe(`${provider.urn}::${provider.id}`);
            expect(release.inputs).toMatchObject({ atomic: true, cleanupOnFail: true });
        }
    });

    it("configures the controllers for a node metadata service pods cannot reach", () => {
        const values = (chart: string) => ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!.inputs.values as Record<string, any>;
        expect(values("aws-load-balancer-controller")).toMatchObject({ clusterName: "rag-test", region: "eu-west-1", vpcId: ARGS.vpcId, defaultSSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
        expect(values("cluster-autoscaler")).toMatchObject({ autoDiscovery: { clusterName: "rag-test" }, awsRegion: "eu-west-1" });
    });

    it("runs the cluster autoscaler of the cluster's minor with the image its chart's RBAC was written for", () => {
        const release = ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "cluster-autoscaler")!;
        // Chart 9.59.0 ships CA 1.35.0, whose ClusterRole grants resource.k8s.io (9.46.x, CA 1.32, did not).
        expect(release.inputs.version).toBe("9.59.0");
        expect((release.inputs.values as Record<string, unknown>).image).toBeUndefined();
    });

    it("runs every replicated controller with leader election", () => {
        const values = (chart: string) => ofType(record, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!.inputs.values as Record<string, any>;
        expect(values("external-secrets")).toMatchObject({ replicaCount: 2, leaderElect: true });
        expect(values("reloader")).toMatchObject({ reloader: { enableHA: true, deployment: { replicas: 2 }, isArgoRollouts: true } });
    });

    it("turns on the VPC CNI's NetworkPolicy enforcement (off by default: every policy would be inert)", () => {
        const cni = named(record, "aws:eks/addon:Addon", "eks-vpc-cni");
        expect(JSON.parse(String(cni.inputs.configurationValues))).toEqual({ enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } });
    });

    it("lets the autoscaler resize only this cluster's node groups, and External Secrets read only this cluster's secrets", () => {
        const autoscaler = policyOf(named(record, "aws:iam/rolePolicy:RolePolicy", "eks-addons-cluster-autoscaler")).Statement;
        expect(autoscaler[1]).toEqual({
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true", "aws:ResourceTag/eks:cluster-name": "rag-test" } },
        });
        const eso = policyOf(named(record, "aws:iam/rolePolicy:RolePolicy", "eks-addons-external-secrets")).Statement;
        expect(eso[0].Resource).toBe("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rag-test/*");
        expect(eso[1].Condition).toEqual({ StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
        const store = only(record, "kubernetes:external-secrets.io/v1:ClusterSecretStore");
        expect(store.inputs).toMatchObject({ metadata: { name: CLUSTER_SECRET_STORE }, spec: { provider: { aws: { service: "SecretsManager", region: "eu-west-1" } } } });
    });

    it("makes gp3 encrypted under the volume key the default StorageClass, deleting volumes with their claims outside prod", () => {
        const storageClass = only(record, "kubernetes:storage.k8s.io/v1:StorageClass");
        expect(storageClass.inputs).toMatchObject({
            metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: byName(record, "aws:kms/key:Key")["eks-volumes"].state.arn },
            volumeBindingMode: "WaitForFirstConsumer",
            reclaimPolicy: "Delete",
        });
    });
});

describe("Cluster options", async () => {
    const configured = await build({
        publicAccessCidrs: ["203.0.113.0/24"],
        adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
        viewerRoleArns: ["arn:aws:iam::123456789012:role/oncall"],
        addonVersions: { coredns: "v1.12.4-eksbuild.1" },
        chartVersions: { metricsServer: "3.13.0" },
        protect: true,
    });

    it("opens the public endpoint only to the listed CIDRs", () => {
        expect(only(configured, "eks:index:Cluster").inputs).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"], deletionProtection: true });
    });

    it("grants admin and read-only access through access entries named after the role", () => {
        expect(clusterLayout(configured)!.accessEntries).toEqual([
            { principal: "arn:aws:iam::123456789012:role/platform-admin", policy: "AmazonEKSClusterAdminPolicy" },
            { principal: "arn:aws:iam::123456789012:role/oncall", policy: "AmazonEKSViewPolicy" },
        ]);
        expect(ofType(configured, "aws:eks/accessEntry:AccessEntry").map((e) => e.name)).toEqual(["eks-admin-platform-admin", "eks-viewer-oncall"]);
    });

    it("takes pinned add-on and chart versions", () => {
        const layout = clusterLayout(configured)!;
        expect(layout.addons.find((a) => a.name === "coredns")?.version).toBe("v1.12.4-eksbuild.1");
        expect(layout.charts.find((c) => c.name === "metrics-server")?.version).toBe("3.13.0");
    });

    it("protects the cluster and retains its keys and log group in production, and keeps volumes whose claim is deleted", () => {
        const protectedOnes = registered(configured).filter((r) => r.protect).map((r) => `${r.type} ${r.retainOnDelete ? "retained" : "not retained"}`).sort();
        expect(protectedOnes).toEqual([
            "aws:cloudwatch/logGroup:LogGroup retained",
            "aws:kms/key:Key retained",
            "aws:kms/key:Key retained",
            "eks:index:Cluster not retained",
        ]);
        expect(only(configured, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.reclaimPolicy).toBe("Retain");
    });

    it("picks the arm64 AMI for Graviton node groups", async () => {
        const graviton = await build({ nodeGroups: [{ name: "application", instanceTypes: ["m7g.xlarge"], architecture: "arm64", minSize: 3, desiredSize: 3, maxSize: 6 }] });
        expect(clusterLayout(graviton)!.nodeGroups[0].amiType).toBe("AL2023_ARM_64_STANDARD");
    });
});

describe("Cluster API access for deploy runners", async () => {
    const record = await build({ privateAccessCidrs: ["10.20.0.0/24"], privateAccessSecurityGroupIds: ["sg-0123456789abcdef0"] });
    const eks = only(record, "eks:index:Cluster");

    it("admits the named CIDRs and security groups on 443 through the cluster security group, which admits only itself otherwise", () => {
        const rules = ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rules.map((r) => r.inputs)).toEqual([
            expect.objectContaining({ securityGroupId: eks.state.clusterSecurityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.20.0.0/24" }),
            expect.objectContaining({ securityGroupId: eks.state.clusterSecurityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-0123456789abcdef0" }),
        ]);
    });

    it("adds no rule by default: the private endpoint is reached only from the cluster itself", async () => {
        expect(ofType(await build(), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toEqual([]);
    });
});

describe("Cluster rejects args it cannot be built from, before registering anything", () => {
    const group = ARGS.nodeGroups[0];
    it.each([
        ["gp2 node volumes", { nodeVolume: { type: "gp2" } }, 'Cluster: nodeVolume.type = "gp2" is not allowed; allowed: "gp3"'],
        ["unencrypted node volumes", { nodeVolume: { encrypted: false } }, "Cluster: nodeVolume.encrypted = false is not allowed; allowed: true"],
        [
            "a node group in fewer AZs than the network",
            { nodeGroups: [{ ...group, availabilityZones: AZS.slice(0, 2) }] },
            'Cluster: nodeGroups[0] (application).availabilityZones = ["eu-west-1a","eu-west-1b"] is not allowed; allowed: every AZ of the network (eu-west-1a, eu-west-1b, eu-west-1c)',
        ],
        ["min > max", { nodeGroups: [{ ...group, minSize: 5, desiredSize: 5, maxSize: 4 }] }, "Cluster: nodeGroups[0] (application).minSize/desiredSize/maxSize = [5,5,4] is not allowed"],
        ["an unsupported Kubernetes version", { kubernetesVersion: "1.27" }, 'Cluster: kubernetesVersion = "1.27" is not allowed; allowed: one of 1.32, 1.33, 1.34, 1.35'],
        ["a tainted first group (the add-ons would have nowhere to run)", { nodeGroups: [ARGS.nodeGroups[1]] }, "Cluster: nodeGroups[0].taints"],
        [
            "a cluster-autoscaler chart made for another Kubernetes minor",
            { chartVersions: { clusterAutoscaler: "9.46.6" } },
            'Cluster: chartVersions.clusterAutoscaler = "9.46.6" is not allowed; allowed: cluster-autoscaler@9.59.0 (app 1.35.0) for Kubernetes 1.35',
        ],
        ["a KMS deletion window KMS refuses", { kmsKeyDeletionWindowDays: 31 }, "Cluster: kmsKeyDeletionWindowDays = 31 is not allowed; allowed: an integer from 7 to 30"],
        ["subnets that do not match the AZs", { privateSubnetIds: ["subnet-a"] }, 'Cluster: privateSubnetIds = "1 subnets" is not allowed; allowed: one per availability zone (3)'],
    ] as [string, Partial<ClusterArgs>, string][])("%s", async (_, args, message) => {
        const rejection = await rejectionOf(() => new Cluster("eks", { ...ARGS, ...args }));
        expect(rejection.message).toContain(message);
        expect(rejection.registered).toEqual([]);
    });
});

describe("the cluster each stack registers", async () => {
    const [dev, staging, prod] = await stackPlans();
    const groups = (record: PlanRecord) => clusterLayout(record)!.nodeGroups.map((g) => `${g.name} ${g.instanceTypes.join(",")} ${g.capacityType} ${g.min}/${g.desired}/${g.max} over ${g.subnets}`);

    it("dev: spot application and observability groups over its two AZs, a week of control-plane logs", () => {
        expect(groups(dev)).toEqual([
            "application m6i.xlarge,m5.xlarge,m5a.xlarge SPOT 1/2/4 over 2",
            "observability r6i.large,r5.large,r5a.large SPOT 1/1/2 over 2",
        ]);
        expect(clusterLayout(dev)!.logRetentionDays).toBe(7);
    });

    it("staging: on-demand application nodes, spot observability and queue-worker groups, a node per AZ in each", () => {
        expect(groups(staging)).toEqual([
            "application m6i.large ON_DEMAND 3/3/6 over 3",
            "observability r6i.large,r5.large,r5a.large SPOT 3/3/4 over 3",
            "queue-worker m6i.large,m5.large,m5a.large SPOT 3/3/10 over 3",
        ]);
        expect(clusterLayout(staging)!.nodeGroups.find((g) => g.name === "queue-worker")!.taints).toEqual(["rag-platform.io/dedicated=queue-worker:NO_SCHEDULE"]);
    });

    it("prod: on-demand groups scaling 3-10 and 3-6, deletion protection, 90 days of logs", () => {
        expect(groups(prod)).toEqual(["application m6i.xlarge ON_DEMAND 3/3/10 over 3", "observability r6i.large ON_DEMAND 3/3/6 over 3"]);
        expect(only(prod, "eks:index:Cluster").inputs.deletionProtection).toBe(true);
        expect(clusterLayout(prod)!.logRetentionDays).toBe(90);
    });

    it("every stack: the node groups span exactly the network's private subnets", () => {
        for (const record of [dev, staging, prod]) {
            const privateSubnets = ofType(record, "aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).tier === "private").map((s) => s.id);
            for (const group of ofType(record, "aws:eks/nodeGroup:NodeGroup")) expect(group.inputs.subnetIds).toEqual(privateSubnets);
        }
    });

    it("exports the cluster for later components and other stacks, the kubeconfig as a secret", () => {
        expect(Object.keys(prod.outputs)).toEqual(
            expect.arrayContaining(["kubernetesVersion", "clusterEndpoint", "clusterCertificateAuthority", "oidcProviderArn", "oidcProviderUrl", "kubeconfig", "nodeRoleArn", "nodeSecurityGroupIds", "clusterSecurityGroupId"]),
        );
        expect(prod.secretOutputs).toEqual(["kubeconfig"]);
    });

    it("gives the Kubernetes provider a kubeconfig that changes only with the cluster, not with unrelated config", async () => {
        const kubeconfig = (record: PlanRecord) => only(record, "pulumi:providers:kubernetes").inputs.kubeconfig;
        const changed = await evaluateStack({
            stack: "prod",
            overrides: { "rag-platform:nodeMaxSize": "20", "rag-platform:clusterAdminRoleArns": '["arn:aws:iam::123456789012:role/admin"]', "rag-platform:addonChartVersions": '["metrics-server@3.13.0"]' },
        });
        expect(kubeconfig(changed)).toEqual(kubeconfig(prod));
        // It reaches the engine as a secret.
        const envelope = kubeconfig(prod) as Record<string, string>;
        expect(envelope["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
        expect(JSON.parse(envelope.value).users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "rag-prod", "--region", "us-east-1", "--output", "json"]);
    });
});
