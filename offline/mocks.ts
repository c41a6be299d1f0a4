/**
 * The mock side of the offline plan: what the Pulumi engine and the providers would answer, realistically enough
 * that the program runs as under `pulumi preview`, and a record of every registration as the engine receives it.
 */
import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { EKS_DISALLOWED_AZ_IDS, regionZones } from "../model/aws-catalog";
import { defaultAddonVersion } from "../model/eks-addon-versions";

/**
 * The prefix of what the mocks answer where AWS would answer a value offline facts do not hold (an add-on's default
 * version with no facts for the minor): AWS chooses at deploy, so the checks do not judge it.
 */
const AWS_CHOOSES = "aws-default-for-";
export const isAwsChoice = (value: unknown): boolean => typeof value === "string" && value.startsWith(AWS_CHOOSES);

/** The fake account every offline plan runs in (the documentation account id AWS itself uses). */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** One resource registration, with the options the engine would see in its RegisterResourceRequest. */
export interface RecordedResource {
    urn: string;
    /** The id the mock answered with (custom resources only). */
    id?: string;
    type: string;
    name: string;
    /** URN of the parent, undefined for the stack itself. */
    parent?: string;
    /** true for custom (cloud) resources, false for components. */
    custom: boolean;
    /** true for components implemented by a provider plugin (awsx, eks, helm v4): their children are not built here. */
    remote: boolean;
    inputs: Record<string, unknown>;
    /** The state the mock answered with, which became the resource's outputs. */
    state: Record<string, unknown>;
    /** Provider reference (`urn::id`), when the SDK sent one. */
    provider?: string;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    /** Input paths whose change the program says forces a replacement (the `replaceOnChanges` option). */
    replaceOnChanges: string[];
    /** URNs this resource depends on: explicit dependsOn plus those its inputs carry. */
    dependencies: string[];
    /** For each input property, the URNs of the resources its value came from (what stack policies join on). */
    propertyDependencies: Record<string, string[]>;
    additionalSecretOutputs: string[];
    /** URNs the engine also knows this resource by (its `aliases` option, resolved as the engine resolves them). */
    aliases: string[];
}

type StateFactory = (name: string, inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

/**
 * Outputs of remote components: registered once, without children, and their outputs come from here. A remote
 * component missing from this table fails the plan rather than silently producing nothing.
 */
export const REMOTE_COMPONENT_MOCKS: Readonly<Record<string, StateFactory>> = {
    "eks:index:Cluster": (name, inputs, region) => {
        const endpoint = `https://${hex(name, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
        const issuer = `oidc.eks.${region}.amazonaws.com/id/${hex(`${name}-oidc`, 32).toUpperCase()}`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": Buffer.from(`ca-${name}`).toString("base64") } }],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", String(inputs.name ?? name)] } } }],
        };
        const clusterSecurityGroupId = `sg-${hex(`${name}-cluster`, 17)}`;
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            // A resource reference in a real deployment; the fields the program reads, here.
            eksCluster: {
                name: inputs.name ?? name,
                arn: `arn:aws:eks:${region}:${OFFLINE_ACCOUNT_ID}:cluster/${String(inputs.name ?? name)}`,
                endpoint,
                version: inputs.version,
                certificateAuthority: { data: Buffer.from(`ca-${name}`).toString("base64") },
                vpcConfig: { clusterSecurityGroupId },
            },
            clusterSecurityGroupId,
            nodeSecurityGroupId: `sg-${hex(`${name}-nodes`, 17)}`,
            oidcIssuer: issuer,
            oidcProviderUrl: `https://${issuer}`,
            oidcProviderArn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:oidc-provider/${issuer}`,
        };
    },
    "kubernetes:helm.sh/v4:Chart": () => ({ resources: [] }),
};

/** Id prefixes AWS uses, so that ids in the plan look like the ones `pulumi up` prints. */
const ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/networkAcl:NetworkAcl": "acl-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
    "aws:efs/mountTarget:MountTarget": "fsmt-",
};

/** Attributes AWS computes that later resources or outputs read. */
const COMPUTED: Record<string, StateFactory> = {
    "aws:ec2/eip:Eip": (name) => ({ allocationId: `eipalloc-${hex(name, 17)}`, publicIp: testNetAddress(name) }),
    // DocumentDB: cluster endpoints under docdb.amazonaws.com, and the master secret it manages (`rds!cluster-...`).
    "aws:docdb/cluster:Cluster": (name, inputs, region) => {
        const id = String(inputs.clusterIdentifier ?? name);
        const host = (kind: string) => `${id}.${kind}-${hex(id, 12)}.${region}.docdb.amazonaws.com`;
        return {
            endpoint: host("cluster"),
            readerEndpoint: host("cluster-ro"),
            arn: `arn:aws:rds:${region}:${OFFLINE_ACCOUNT_ID}:cluster:${id}`,
            masterUserSecrets: inputs.manageMasterUserPassword
                ? [{ secretArn: `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT_ID}:secret:rds!cluster-${uuid(id)}-${hex(id, 6)}`, kmsKeyId: "", secretStatus: "active" }]
                : [],
        };
    },
    // CloudFront: distribution ids start with E, domains under cloudfront.net, and every alias to one uses
    // CloudFront's own hosted zone (Z2FDTNDATAQYW2, the same in every account).
    "aws:cloudfront/distribution:Distribution": (name) => {
        const id = `E${hex(name, 13).toUpperCase()}`;
        return { arn: `arn:aws:cloudfront::${OFFLINE_ACCOUNT_ID}:distribution/${id}`, domainName: `d${hex(`${name}-domain`, 13)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2" };
    },
    // EFS names file systems and access points by id, and their ARNs by elasticfilesystem:...:file-system/<id>.
    "aws:efs/fileSystem:FileSystem": (name, _inputs, region) => ({ arn: `arn:aws:elasticfilesystem:${region}:${OFFLINE_ACCOUNT_ID}:file-system/fs-${hex(name, 17)}` }),
    "aws:efs/accessPoint:AccessPoint": (name, inputs, region) => ({ arn: `arn:aws:elasticfilesystem:${region}:${OFFLINE_ACCOUNT_ID}:access-point/fsap-${hex(name, 17)}`, fileSystemArn: `arn:aws:elasticfilesystem:${region}:${OFFLINE_ACCOUNT_ID}:file-system/${String(inputs.fileSystemId)}` }),
    "aws:kms/key:Key": (name, _inputs, region) => ({ keyId: uuid(name), arn: `arn:aws:kms:${region}:${OFFLINE_ACCOUNT_ID}:key/${uuid(name)}` }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    "aws:eks/nodeGroup:NodeGroup": (name, inputs) => ({ nodeGroupName: inputs.nodeGroupName ?? `${name}-${hex(name, 8)}`, status: "ACTIVE" }),
    "aws:s3/bucket:Bucket": (name, inputs) => {
        const bucket = String(inputs.bucket ?? `${name}-${hex(name, 7)}`);
        return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.amazonaws.com` };
    },
    "aws:rds/instance:Instance": (name, inputs, region) => {
        const identifier = String(inputs.identifier ?? name);
        const address = `${identifier}.${hex(region, 12)}.${region}.rds.amazonaws.com`;
        return {
            identifier,
            address,
            endpoint: `${address}:5432`,
            port: 5432,
            arn: `arn:aws:rds:${region}:${OFFLINE_ACCOUNT_ID}:db:${identifier}`,
            resourceId: `db-${hex(identifier, 26).toUpperCase()}`,
            // RDS creates the managed master secret itself; only the writer has one.
            masterUserSecrets: inputs.manageMasterUserPassword
                ? [{ secretArn: `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT_ID}:secret:rds!db-${uuid(identifier)}-${hex(identifier, 6)}`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" }]
                : [],
        };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (name, inputs, region) => {
        const id = String(inputs.replicationGroupId ?? `${name}-${hex(name, 7)}`);
        const host = (prefix: string) => `${prefix}.${id}.${hex(id, 6)}.${region.replace(/-/g, "")}.cache.amazonaws.com`;
        // ElastiCache answers with the endpoints of the group's mode only: a configuration endpoint in cluster
        // mode, primary and reader endpoints (TLS: master./replica.) without it.
        const endpoints = inputs.clusterMode === "disabled"
            ? { primaryEndpointAddress: host("master"), readerEndpointAddress: host("replica") }
            : { configurationEndpointAddress: host("clustercfg") };
        return { replicationGroupId: id, ...endpoints, arn: `arn:aws:elasticache:${region}:${OFFLINE_ACCOUNT_ID}:replicationgroup:${id}` };
    },
    // The rotation application's stack outputs the ARN of the function it made, named by its functionName parameter.
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (name, inputs, region) => ({
        outputs: { RotationLambdaARN: `arn:aws:lambda:${region}:${OFFLINE_ACCOUNT_ID}:function:${String((inputs.parameters as Record<string, unknown> | undefined)?.functionName ?? name)}` },
    }),
    "aws:secretsmanager/secret:Secret": (name, inputs, region) => ({
        arn: `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT_ID}:secret:${String(inputs.name ?? name)}-${hex(name, 6)}`,
    }),
    // DNS validation: ACM names a CNAME to create in the zone.
    "aws:acm/certificate:Certificate": (name, inputs, region) => ({
        arn: `arn:aws:acm:${region}:${OFFLINE_ACCOUNT_ID}:certificate/${uuid(name)}`,
        domainValidationOptions: [{
            domainName: inputs.domainName,
            resourceRecordName: `_${hex(name, 32)}.${String(inputs.domainName)}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${hex(`${name}-value`, 32)}.acm-validations.aws.`,
        }],
    }),
    "aws:route53/record:Record": (_name, inputs) => ({ fqdn: String(inputs.name).replace(/\.$/, "") }),
    // The load balancer controller fills in the ALB's address once it has made it.
    "kubernetes:networking.k8s.io/v1:Ingress": (name, inputs, region) => {
        const group = String((inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? name);
        return { status: { loadBalancer: { ingress: [{ hostname: `k8s-${group.slice(0, 20)}-${hex(group, 10)}-${hex(`${group}-lb`, 10)}.${region}.elb.amazonaws.com` }] } } };
    },
    // The real result is random and secret; a deterministic stand-in keeps plans comparable.
    "random:index/randomPassword:RandomPassword": (name, inputs) => ({ result: hex(`password-${name}`, Number(inputs.length ?? 32)) }),
};

export interface OfflineMockOptions {
    /** Region the invokes answer for (AZs, region name). */
    region: string;
    /** What a StackReference to this same stack reads: its outputs from the last update. Default none (never deployed). */
    deployedOutputs?: Record<string, unknown>;
    /** What a StackReference to another stack reads, by its fully qualified name (e.g. a standby's primary). */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Called with each registration once the engine would have answered it, in the order answers come. */
    onRecorded?: (record: RecordedResource) => void;
}

/**
 * A mock monitor that records each RegisterResourceRequest, and the mocks behind it.
 * One instance serves one stack evaluation.
 */
export class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];
    /**
     * What the mocks could not answer. The SDK turns a mock's exception into rejections the program may never
     * await, so the evaluation reads these afterwards and fails with them.
     */
    readonly gaps: string[] = [];
    private current: RecordedResource | undefined;

    constructor(private readonly options: OfflineMockOptions) {
        super(offlineMocks(options, () => this.current, (gap) => this.gaps.push(gap)));
    }

    // The SDK calls mocks.newResource synchronously inside registerResource, so the request's options are handed
    // over through `current`; the URN comes back in the response.
    override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        const record: RecordedResource = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            custom: req.getCustom(),
            remote: req.getRemote(),
            inputs: {},
            state: {},
            provider: req.getProvider() || undefined,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            dependencies: req.getDependenciesList(),
            propertyDependencies: propertyDependencies(req),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            aliases: [],
        };
        this.current = record;
        this.recorded.push(record); // in the order the program registers, not the order the mocks answer
        const done = super.registerResource(req, (err, response) => {
            if (err) {
                this.recorded.splice(this.recorded.indexOf(record), 1);
            } else {
                record.urn = response.getUrn();
                record.aliases = aliasUrns(req, record.urn);
                record.id = response.getId() || undefined;
                this.options.onRecorded?.(record);
            }
            callback(err, response);
        });
        this.current = undefined;
        return done;
    }
}

/**
 * The URNs a registration's alias specs name: the spec's name and type, or the resource's own, under the spec's
 * parent (or the resource's parent, or none), in the spec's stack and project. Built with the mock monitor's URN
 * scheme (the parent's own type before `$`), so they compare with the URNs recorded; for children of a stack's
 * top-level components that scheme and the engine's coincide.
 */
function aliasUrns(req: any, urn: string): string[] {
    const [stack, project] = urn.split("::").slice(0, 2).map((part, i) => (i === 0 ? part.replace(/^urn:pulumi:/, "") : part));
    return req.getAliasesList().map((alias: any) => {
        if (!alias.hasSpec()) return alias.getUrn();
        const spec = alias.getSpec();
        const parent: string = spec.getNoparent() ? "" : spec.hasParenturn() ? spec.getParenturn() : req.getParent();
        const type = spec.getType() || req.getType();
        const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
        return `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${qualified}::${spec.getName() || req.getName()}`;
    });
}

function propertyDependencies(req: any): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        result[key] = deps.getUrnsList();
    });
    return result;
}

function offlineMocks(options: OfflineMockOptions, current: () => RecordedResource | undefined, gap: (message: string) => void): Mocks {
    return {
        newResource(args: MockResourceArgs) {
            const record = current();
            const inputs = args.inputs as Record<string, unknown>;
            const state = stateFor(args, record?.remote ?? false, options, gap);
            if (record) {
                record.inputs = inputs;
                record.state = state;
            }
            return { id: args.custom ? idFor(args.type, args.name, state) : undefined, state };
        },
        call(args: MockCallArgs) {
            const answer = INVOKES[args.token];
            if (!answer) {
                // Thrown as well as recorded: an empty answer would let the program go on with junk.
                const message = `the offline plan has no answer for invoke ${args.token}; add one to INVOKES in offline/mocks.ts`;
                gap(message);
                throw new Error(message);
            }
            return answer(args.inputs as Record<string, unknown>, options);
        },
    };
}

function stateFor(args: MockResourceArgs, remote: boolean, options: OfflineMockOptions, gap: (message: string) => void): Record<string, unknown> {
    const inputs = args.inputs as Record<string, unknown>;
    if (!args.custom) {
        if (!remote) return {};
        const factory = REMOTE_COMPONENT_MOCKS[args.type];
        if (!factory) {
            gap(`the offline plan cannot build remote component ${args.type} "${args.name}": add its outputs to REMOTE_COMPONENT_MOCKS in offline/mocks.ts`);
            return {};
        }
        return { ...inputs, ...factory(args.name, inputs, options.region) };
    }
    if (args.type.startsWith("pulumi:providers:")) return inputs;
    if (args.type === "pulumi:pulumi:StackReference") {
        return { name: inputs.name, outputs: options.stackOutputs?.[String(inputs.name)] ?? options.deployedOutputs ?? {}, secretOutputNames: [] };
    }
    const state: Record<string, unknown> = { ...inputs };
    if (args.type.startsWith("aws:")) {
        // AWS auto-names from the logical name plus a random suffix; names are then part of ARNs.
        state.name ??= `${args.name}-${hex(args.name, 7)}`;
        state.arn = awsArn(args.type, String(state.name), String(inputs.region ?? options.region));
    }
    // A resource names its own region when it lives outside the provider's (provider v7's per-resource region).
    Object.assign(state, COMPUTED[args.type]?.(args.name, inputs, String(inputs.region ?? options.region)));
    return state;
}

const INVOKES: Record<string, (inputs: Record<string, unknown>, options: OfflineMockOptions) => Record<string, unknown>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, options) => {
        const region = String(inputs.region ?? options.region);
        const names = regionZones(region);
        const prefix = region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3");
        // A plausible account: the zone ids EKS refuses sit behind the last names, as the real mapping may or may not.
        const refused = EKS_DISALLOWED_AZ_IDS[region] ?? [];
        const ids = names.map((_, i) => `${prefix}-az${i + 1}`);
        const zoneIds = [...ids.filter((id) => !refused.includes(id)), ...ids.filter((id) => refused.includes(id))];
        return { id: region, region, names, zoneIds, groupNames: names.map(() => region), state: "available" };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: OFFLINE_ACCOUNT_ID,
        accountId: OFFLINE_ACCOUNT_ID,
        arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
    }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    // AWS answers with the default version for the Kubernetes version: the one model/data/eks-addon-versions.json
    // records; where it records none, offline says so instead of inventing one.
    "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
        id: String(inputs.addonName),
        addonName: inputs.addonName,
        kubernetesVersion: inputs.kubernetesVersion,
        version: defaultAddonVersion(String(inputs.addonName), String(inputs.kubernetesVersion)) ?? `${AWS_CHOOSES}${String(inputs.kubernetesVersion)}`,
    }),
    "aws:iam/getSessionContext:getSessionContext": (inputs) => {
        const arn = String(inputs.arn);
        const role = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(arn);
        return { id: arn, arn, issuerArn: role ? `arn:aws:iam::${role[1]}:role/${role[2]}` : arn, issuerName: role?.[2] ?? "", sessionName: "" };
    },
    // ELB's published hosted zone ids (us-east-1 / us-west-2 ALB values; other regions a stand-in).
    "aws:lb/getHostedZoneId:getHostedZoneId": (inputs, options) => {
        const region = String(inputs.region ?? options.region);
        const id = { "us-east-1": "Z35SXDOTRQ7X7K", "us-west-2": "Z1H1FL5HABSF5" }[region] ?? `Z${hex(region, 13).toUpperCase()}`;
        return { id, region, loadBalancerType: inputs.loadBalancerType };
    },
    // The region's ELB account that writes load balancer access logs (us-east-1's published id; others a stand-in).
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, options) => {
        const region = String(inputs.region ?? options.region);
        const account = { "us-east-1": "127311923021", "us-west-2": "797873946194" }[region] ?? String(parseInt(hex(region, 10), 16)).padStart(12, "0").slice(0, 12);
        return { id: account, arn: `arn:aws:iam::${account}:root`, region };
    },
    "aws:index/getRegion:getRegion": (inputs, options) => {
        const region = String(inputs.region ?? options.region);
        return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    },
};

function idFor(type: string, name: string, state: Record<string, unknown>): string {
    if (type.startsWith("pulumi:providers:")) return `${name}-provider-id`;
    if (type === "aws:kms/key:Key") return String(state.keyId);
    // AWS identifies these by their name or ARN.
    if (type === "aws:s3/bucket:Bucket") return String(state.bucket);
    if (type === "aws:rds/instance:Instance") return String(state.identifier);
    if (type === "aws:elasticache/replicationGroup:ReplicationGroup") return String(state.replicationGroupId);
    if (type === "aws:secretsmanager/secret:Secret") return String(state.arn);
    if (type === "aws:docdb/cluster:Cluster") return String(state.arn).split(":").pop()!;
    if (type === "aws:cloudfront/distribution:Distribution") return String(state.arn).split("/").pop()!;
    if (type === "aws:efs/fileSystem:FileSystem" || type === "aws:efs/accessPoint:AccessPoint") return String(state.arn).split("/").pop()!;
    const prefix = ID_PREFIXES[type];
    return prefix ? `${prefix}${hex(`${type}/${name}`, 17)}` : `${name}-${hex(type, 8)}`;
}

function awsArn(type: string, name: string, region: string): string {
    const [, module, resource] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
    const service = { cloudwatch: "logs", vpc: "ec2" }[module ?? ""] ?? module;
    const global = ["iam", "s3", "cloudfront", "route53"].includes(service ?? "");
    return `arn:aws:${service}:${global ? "" : region}:${service === "s3" ? "" : OFFLINE_ACCOUNT_ID}:${resource}/${name}`;
}

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An address from TEST-NET-3 (RFC 5737), never a real one. */
function testNetAddress(seed: string): string {
    return `203.0.113.${(parseInt(hex(seed, 8), 16) % 254) + 1}`;
}
