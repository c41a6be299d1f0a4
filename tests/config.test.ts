import { describe, expect, it } from "vitest";
import { ConfigError, loadStackConfig, resolveAvailabilityZones, type RawConfig } from "../stacks/config";
import { PROFILES } from "../stacks/profiles";

const PROD_AZS = '["us-east-1a","us-east-1b","us-east-1c"]';

/** A valid prod config, with `changes` laid over it (undefined deletes a key). */
function raw(changes: Record<string, string | undefined> = {}, secretKeys: string[] = []): RawConfig {
    const values: Record<string, string> = {
        "aws:region": "us-east-1",
        "rag-platform:environment": "prod",
        "rag-platform:availabilityZones": PROD_AZS,
        "rag-platform:guardDuty": "true",
        "rag-platform:securityHub": "true",
    };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete values[key];
        else values[key] = value;
    }
    return { values, secretKeys };
}

/** The messages a config is rejected with; fails the test when it is accepted. */
function rejection(config: RawConfig, stack = "prod"): string[] {
    try {
        loadStackConfig(stack, config);
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message.split("\n").slice(1);
    }
    throw new Error("config was accepted");
}

describe("valid config", () => {
    it("starts from the environment profile and lays the stack file over it", () => {
        const config = loadStackConfig("prod", raw({ "rag-platform:nodeMaxSize": "20", "rag-platform:owner": "search-team" }));
        expect(config.natGateways).toBe(PROFILES.prod.natGateways);
        expect(config.protectStatefulResources).toBe(true);
        expect(config.nodeMaxSize).toBe(20);
        expect(config.tags).toMatchObject({ owner: "search-team", environment: "prod", stack: "prod", project: "rag-platform" });
        expect(config.subnetCidrs.private).toEqual(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
        expect(config.clusterName).toBe("rag-prod");
    });

    it("fits the profile's instance classes to the region, where the stack leaves them to it", () => {
        const zurich = { "aws:region": "eu-central-2", "rag-platform:environment": "dev", "rag-platform:availabilityZones": '["eu-central-2a","eu-central-2b"]' };
        const config = loadStackConfig("dev", { values: zurich, secretKeys: [] }, "rag-platform");
        // No m5a or r5a in eu-central-2 (AWS's EC2 feed), no Graviton cache nodes (its ElastiCache price list).
        expect(PROFILES.dev.workerNodeInstanceTypes).toContain("m5a.large");
        expect(config.workerNodeInstanceTypes).toEqual(PROFILES.dev.workerNodeInstanceTypes.filter((t) => t !== "m5a.large"));
        expect(config.observabilityNodeInstanceTypes).toEqual(PROFILES.dev.observabilityNodeInstanceTypes.filter((t) => t !== "r5a.large"));
        expect([PROFILES.dev.cacheNodeType, config.cacheNodeType]).toEqual(["cache.t4g.small", "cache.t3.small"]);
        expect(config.dbInstanceClass).toBe(PROFILES.dev.dbInstanceClass);
        // What the stack sets is its own: refused there, not replaced.
        expect(() => loadStackConfig("dev", { values: { ...zurich, "rag-platform:nodeInstanceTypes": '["m5a.xlarge"]' }, secretKeys: [] }, "rag-platform")).toThrow('rag-platform:nodeInstanceTypes = "m5a.xlarge": not offered in eu-central-2');
    });

    it("uses dev's cheaper defaults for a dev stack", () => {
        const config = loadStackConfig("dev", raw({ "rag-platform:environment": "dev", "rag-platform:availabilityZones": undefined }));
        expect(config).toMatchObject({ azCount: 2, natGateways: "single", nodeCapacityType: "SPOT", protectStatefulResources: false });
        expect(config.availabilityZones).toBeUndefined();
    });

    it("accepts explicit subnet CIDRs that fit", () => {
        const config = loadStackConfig("prod", raw({ "rag-platform:databaseSubnetCidrs": '["10.0.200.0/26","10.0.200.64/26","10.0.200.128/26"]' }));
        expect(config.subnetCidrs.database).toEqual(["10.0.200.0/26", "10.0.200.64/26", "10.0.200.128/26"]);
    });
});

describe("what validates but would not deploy is warned, with the fix", () => {
    it("warns when no runner can reach the API endpoint, and not once one can", () => {
        const closed = loadStackConfig("prod", raw());
        expect(closed.warnings).toEqual([expect.stringMatching(/^stack "prod": no runner can reach the Kubernetes API .*set rag-platform:clusterPrivateAccessSecurityGroupIds to your runner's security group/)]);
        for (const [key, value] of [["clusterPrivateAccessSecurityGroupIds", '["sg-0123456789abcdef0"]'], ["clusterPrivateAccessCidrs", '["10.20.0.0/24"]'], ["clusterPublicAccessCidrs", '["198.51.100.7/32"]']]) {
            expect(loadStackConfig("prod", raw({ [`rag-platform:${key}`]: value })).warnings).toEqual([]);
        }
    });
});

describe("bad config is rejected with stack, key, value and what is allowed", () => {
    const cases: [string, RawConfig, string, string?][] = [
        ["unknown environment", raw({ "rag-platform:environment": "qa" }),
            'stack "prod": rag-platform:environment = "qa": not a valid environment; allowed: "dev", "staging", "prod"'],
        ["missing environment", raw({ "rag-platform:environment": undefined }),
            'stack "prod": rag-platform:environment = (not set): every stack must name its environment; allowed: "dev", "staging", "prod"'],
        ["misspelled key", raw({ "rag-platform:natGateway": "single" }),
            'stack "prod": rag-platform:natGateway = "single": unknown key (did you mean "rag-platform:natGateways"?); allowed: the keys declared in Pulumi.yaml\'s config schema'],
        ["misspelled project namespace", raw({ "rag-platfrom:owner": "x" }),
            'stack "prod": rag-platfrom:owner = "x": unknown namespace "rag-platfrom" (did you mean "rag-platform:owner"?)'],
        ["fewer than 3 AZs in prod", raw({ "rag-platform:availabilityZones": '["us-east-1a","us-east-1b"]' }),
            'stack "prod": rag-platform:availabilityZones = ["us-east-1a","us-east-1b"]: 2 availability zone(s) in prod; allowed: 3 or more in prod'],
        ["azCount below 3 in prod", raw({ "rag-platform:availabilityZones": undefined, "rag-platform:azCount": "2" }),
            'stack "prod": rag-platform:azCount = 2: 2 availability zone(s) in prod; allowed: 3 or more in prod'],
        ["AZ outside the region", raw({ "rag-platform:availabilityZones": '["us-east-1a","us-east-1b","us-west-2c"]' }),
            'stack "prod": rag-platform:availabilityZones = ["us-east-1a","us-east-1b","us-west-2c"]: "us-west-2c" not in region us-east-1; allowed: AZs of us-east-1: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f'],
        ["overlapping subnets", raw({ "rag-platform:publicSubnetCidrs": '["10.0.0.0/24","10.0.132.0/22","10.0.136.0/22"]' }),
            'stack "prod": rag-platform:privateSubnetCidrs = "10.0.0.0/19": overlaps the public subnet 10.0.0.0/24; allowed: subnets that share no address'],
        ["too-small private subnet", raw({ "rag-platform:privateSubnetCidrs": '["10.0.0.0/26","10.0.32.0/19","10.0.64.0/19"]' }),
            'stack "prod": rag-platform:privateSubnetCidrs = "10.0.0.0/26": a /26 private subnet is too small; allowed: /16 to /22 inside the VPC 10.0.0.0/16'],
        ["subnet outside the VPC", raw({ "rag-platform:databaseSubnetCidrs": '["10.1.0.0/24","10.0.145.0/24","10.0.146.0/24"]' }),
            'stack "prod": rag-platform:databaseSubnetCidrs = "10.1.0.0/24": outside the VPC 10.0.0.0/16'],
        ["one subnet short", raw({ "rag-platform:publicSubnetCidrs": '["10.0.128.0/22","10.0.132.0/22"]' }),
            'stack "prod": rag-platform:publicSubnetCidrs = "[\\"10.0.128.0/22\\",\\"10.0.132.0/22\\"]": 2 public subnet(s) for 3 availability zone(s); allowed: exactly one public subnet CIDR per availability zone (3)'],
        ["public VPC CIDR", raw({ "rag-platform:vpcCidr": "8.8.0.0/16" }),
            'stack "prod": rag-platform:vpcCidr = "8.8.0.0/16": not a private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16'],
        ["CIDR with host bits", raw({ "rag-platform:vpcCidr": "10.0.1.0/16" }),
            'stack "prod": rag-platform:vpcCidr = "10.0.1.0/16": host bits are set (the network address is 10.0.0.0/16)'],
        ["VPC too small to carve", raw({ "rag-platform:vpcCidr": "10.0.0.0/22" }),
            'stack "prod": rag-platform:vpcCidr = "10.0.0.0/22": a /22 is too small to carve subnets of the minimum sizes from; allowed: a VPC of /19 or larger'],
        ["min > max nodes", raw({ "rag-platform:nodeMinSize": "12" }),
            'stack "prod": rag-platform:nodeMinSize = 12: greater than nodeMaxSize (10); allowed: an integer from 0 to 450, at most the desired size (at least the AZ count in staging and prod)'],
        ["desired outside min..max", raw({ "rag-platform:nodeDesiredSize": "11" }),
            'stack "prod": rag-platform:nodeDesiredSize = 11: outside nodeMinSize..nodeMaxSize (3..10)'],
        ["instance type AWS does not offer", raw({ "rag-platform:nodeInstanceTypes": '["m5.xlarge","m5.huge"]' }),
            'stack "prod": rag-platform:nodeInstanceTypes = "m5.huge": not an EC2 instance type AWS offers'],
        ["a size AWS sells in other families only", raw({ "rag-platform:nodeInstanceTypes": '["m7i.32xlarge"]' }),
            'stack "prod": rag-platform:nodeInstanceTypes = "m7i.32xlarge": not an EC2 instance type AWS offers'],
        ["an ElastiCache size only EC2 sells", raw({ "rag-platform:cacheNodeType": "cache.r5.8xlarge" }),
            'stack "prod": rag-platform:cacheNodeType = "cache.r5.8xlarge": not an ElastiCache node type AWS offers'],
        ["a cache node type the stack's region does not offer", raw({ "aws:region": "eu-central-2", "rag-platform:availabilityZones": '["eu-central-2a","eu-central-2b","eu-central-2c"]', "rag-platform:drRegion": "eu-central-1", "rag-platform:cacheNodeType": "cache.r6g.large" }),
            'stack "prod": rag-platform:cacheNodeType = "cache.r6g.large": not offered in eu-central-2: AWS\'s price list of 2025-04-24 has it in 17 other supported regions, not this one (model/data: derive it again if AWS has launched it there since); allowed: one offered in eu-central-2, such as cache.r5.large, cache.m5.large'],
        ["a node type the stack's region does not offer", raw({ "aws:region": "eu-central-2", "rag-platform:availabilityZones": '["eu-central-2a","eu-central-2b","eu-central-2c"]', "rag-platform:drRegion": "eu-central-1", "rag-platform:nodeInstanceTypes": '["m7i.xlarge"]' }),
            'stack "prod": rag-platform:nodeInstanceTypes = "m7i.xlarge": not offered in eu-central-2: AWS\'s price list of 2025-04-04 has it in 16 other supported regions, not this one (model/data: derive it again if AWS has launched it there since); allowed: one offered in eu-central-2, such as m5.xlarge, m6i.xlarge, r5.xlarge, r6i.xlarge'],
        ["mixed CPU architectures", raw({ "rag-platform:nodeInstanceTypes": '["m6i.xlarge","m7g.xlarge"]' }),
            'stack "prod": rag-platform:nodeInstanceTypes = ["m6i.xlarge","m7g.xlarge"]: mixes arm64 (Graviton) and x86_64 types'],
        ["spot observability nodes in prod", raw({ "rag-platform:observabilityNodeCapacityType": "SPOT" }),
            'stack "prod": rag-platform:observabilityNodeCapacityType = "SPOT": prod observability nodes must not be reclaimed at two minutes\' notice; allowed: "ON_DEMAND"'],
        ["a worker group switched off but given nodes", raw({ "rag-platform:workerNodeMinSize": "3" }),
            'stack "prod": rag-platform:workerNodeMaxSize = 0: no queue-worker node group, yet workerNodeMinSize/workerNodeDesiredSize ask for 3/0 nodes'],
        ["unsupported Kubernetes version", raw({ "rag-platform:kubernetesVersion": "1.27" }),
            'stack "prod": rag-platform:kubernetesVersion = "1.27": not a Kubernetes version EKS supports; allowed: one of "1.32", "1.33", "1.34", "1.35"'],
        ["public API endpoint open to the internet in prod", raw({ "rag-platform:clusterPublicAccessCidrs": '["203.0.113.0/24","0.0.0.0/0"]' }),
            'stack "prod": rag-platform:clusterPublicAccessCidrs = ["203.0.113.0/24","0.0.0.0/0"]: together open the prod Kubernetes API to the whole internet'],
        ["prod API split into ranges that cover the internet", raw({ "rag-platform:clusterPublicAccessCidrs": '["0.0.0.0/1","128.0.0.0/1"]' }),
            'stack "prod": rag-platform:clusterPublicAccessCidrs = ["0.0.0.0/1","128.0.0.0/1"]: together open the prod Kubernetes API to the whole internet; allowed: your CI runners\' and admins\' egress CIDRs, at most a /16 in all'],
        ["prod API open to a large public range", raw({ "rag-platform:clusterPublicAccessCidrs": '["203.0.0.0/15","198.51.100.0/24"]' }),
            'stack "prod": rag-platform:clusterPublicAccessCidrs = ["203.0.0.0/15","198.51.100.0/24"]: together open the prod Kubernetes API to 131,328 addresses, more than a /16'],
        ["malformed API access CIDR", raw({ "rag-platform:clusterPublicAccessCidrs": '["203.0.113.7/24"]' }),
            'stack "prod": rag-platform:clusterPublicAccessCidrs = "203.0.113.7/24": host bits are set (the network address is 203.0.113.0/24)'],
        ["public range admitted to the private API endpoint", raw({ "rag-platform:clusterPrivateAccessCidrs": '["203.0.113.0/24"]' }),
            'stack "prod": rag-platform:clusterPrivateAccessCidrs = "203.0.113.0/24": not a private range: the private endpoint is reached from networks routed to the VPC; allowed: RFC 1918 CIDRs'],
        ["malformed runner security group", raw({ "rag-platform:clusterPrivateAccessSecurityGroupIds": '["sg-runner"]' }),
            'stack "prod": rag-platform:clusterPrivateAccessSecurityGroupIds = ["sg-runner"]: not a valid clusterPrivateAccessSecurityGroupIds; allowed: up to 40 security group ids'],
        ["access entry that is not a role", raw({ "rag-platform:clusterAdminRoleArns": '["arn:aws:iam::123456789012:user/alice"]' }),
            'stack "prod": rag-platform:clusterAdminRoleArns = "arn:aws:iam::123456789012:user/alice": not an IAM role ARN'],
        ["prod silent on an account-wide security service", raw({ "rag-platform:guardDuty": undefined }),
            'stack "prod": rag-platform:guardDuty = (not set): a prod stack says whether it enables this account-wide service itself (creating it fails where the organization\'s delegated administrator already has); allowed: true (this stack enables it) or false (the organization manages it)'],
        ["add-on pinned twice", raw({ "rag-platform:eksAddonVersions": '["coredns@v1.13.2-eksbuild.21","coredns@v1.13.1-eksbuild.1"]' }),
            'stack "prod": rag-platform:eksAddonVersions = ["coredns@v1.13.2-eksbuild.21","coredns@v1.13.1-eksbuild.1"]: an add-on is pinned twice'],
        ["add-on build EKS does not offer for the cluster's minor", raw({ "rag-platform:eksAddonVersions": '["kube-proxy@v1.33.3-eksbuild.6"]' }),
            'stack "prod": rag-platform:eksAddonVersions = "kube-proxy@v1.33.3-eksbuild.6": kube-proxy v1.33.3-eksbuild.6 is kube-proxy of Kubernetes 1.33, EKS offers only kube-proxy 1.35 on a 1.35 cluster (CreateAddon/UpdateAddon: InvalidParameterException); allowed: v1.35.x-eksbuild.N up to v1.35.3-eksbuild.21'],
        ["add-on the cluster does not run", raw({ "rag-platform:eksAddonVersions": '["istio@1.0"]' }),
            'stack "prod": rag-platform:eksAddonVersions = ["istio@1.0"]: not a valid eksAddonVersions'],
        ["cluster autoscaler chart of another Kubernetes minor", raw({ "rag-platform:addonChartVersions": '["cluster-autoscaler@9.46.6"]' }),
            'stack "prod": rag-platform:addonChartVersions = "cluster-autoscaler@9.46.6": chart 9.46.6 runs cluster autoscaler 1.32.0, made for Kubernetes 1.32, on a 1.35 cluster; allowed: cluster-autoscaler@9.59.0 (app 1.35.0) for Kubernetes 1.35'],
        ["cluster autoscaler chart nobody checked", raw({ "rag-platform:addonChartVersions": '["cluster-autoscaler@9.46.3"]' }),
            'stack "prod": rag-platform:addonChartVersions = "cluster-autoscaler@9.46.3": chart 9.46.3 is not one whose app version and RBAC were checked for Kubernetes 1.35'],
        ["Multi-AZ database off in prod", raw({ "rag-platform:dbMultiAz": "false" }),
            'stack "prod": rag-platform:dbMultiAz = false: prod\'s database must survive an AZ outage (RTO < 1 h); allowed: true'],
        ["backup retention below the spec's 30 days in prod", raw({ "rag-platform:dbBackupRetentionDays": "14" }),
            'stack "prod": rag-platform:dbBackupRetentionDays = 14: prod keeps the spec\'s 30 days of point-in-time recovery; allowed: 30 to 35'],
        ["no cache snapshots in prod", raw({ "rag-platform:cacheSnapshotRetentionDays": "0" }),
            'stack "prod": rag-platform:cacheSnapshotRetentionDays = 0: prod keeps at least a day of cache snapshots (sessions and queues survive a lost replication group); allowed: 1 to 35'],
        ["storage above the autoscaling ceiling", raw({ "rag-platform:dbAllocatedStorageGiB": "2000" }),
            'stack "prod": rag-platform:dbAllocatedStorageGiB = 2000: above the storage autoscaling ceiling dbMaxAllocatedStorageGiB (1000)'],
        ["a cache with fewer than 2 nodes per shard while failover is on", raw({ "rag-platform:cacheReplicasPerShard": "0" }),
            'stack "prod": rag-platform:cacheReplicasPerShard = 0: a cache shard with fewer than 2 nodes cannot fail over, and cluster mode always has failover on; allowed: 1 to 5'],
        ["Celery workers on a cluster-mode cache", raw({ "rag-platform:services": JSON.stringify([{ name: "api", kind: "api", image: "x/api:1" }, { name: "worker", kind: "worker", image: "x/worker:1", probes: { readiness: ["true"], liveness: ["true"] } }]) }),
            'stack "prod": rag-platform:cacheClusterMode = true: worker uses the cache as a queue broker (autoscaling.queue), and Celery\'s Redis transport does not speak Redis Cluster; allowed: false (one primary with replicas), or no queue trigger on those services'],
        ["shards without cluster mode", raw({ "rag-platform:cacheClusterMode": "false", "rag-platform:cacheShards": "2" }),
            'stack "prod": rag-platform:cacheShards = 2: without cluster mode the cache is one primary with its replicas: one shard; allowed: 1 with cacheClusterMode false'],
        ["Let's Encrypt without a zone to solve DNS-01 in", raw({ "rag-platform:letsEncryptEmail": "ops@example.com" }),
            'stack "prod": rag-platform:letsEncryptEmail = "ops@example.com": Let\'s Encrypt issuers solve DNS-01 in the stack\'s zone, for names under its domain; allowed: empty, or set domainName and hostedZoneId too'],
        ["single-AZ cache in prod", raw({ "rag-platform:cacheMultiAz": "false" }),
            'stack "prod": rag-platform:cacheMultiAz = false: prod\'s cache replicas must sit in other AZs than their primaries; allowed: true'],
        ["disaster-recovery region equal to the stack's", raw({ "rag-platform:drRegion": "us-east-1" }),
            'stack "prod": rag-platform:drRegion = "us-east-1": the same region as the stack'],
        ["no disaster-recovery region in prod", raw({ "rag-platform:drRegion": "" }),
            'stack "prod": rag-platform:drRegion = "": prod replicates documents and copies backups to another region'],
        ["weekly backups in prod", raw({ "rag-platform:backupFrequency": "weekly" }),
            'stack "prod": rag-platform:backupFrequency = "weekly": prod backs up daily; allowed: "daily"'],
        ["no audit trail in prod", raw({ "rag-platform:cloudTrail": "false" }),
            'stack "prod": rag-platform:cloudTrail = false: prod keeps an audit log of every API call; allowed: true'],
        ["access logs kept shorter than application logs", raw({ "rag-platform:accessLogRetentionDays": "14" }),
            'stack "prod": rag-platform:accessLogRetentionDays = 14: shorter than appLogRetentionDays (30)'],
        ["p95 latency objective above the p99 one", raw({ "rag-platform:sloLatencyP95Ms": "1500" }),
            'stack "prod": rag-platform:sloLatencyP95Ms = 1500: above sloLatencyP99Ms (1000)'],
        ["an availability objective of 100%", raw({ "rag-platform:sloAvailabilityPercent": "100" }),
            'stack "prod": rag-platform:sloAvailabilityPercent = "100": not a valid sloAvailabilityPercent'],
        ["no traces sampled", raw({ "rag-platform:traceSamplingPercent": "0" }),
            'stack "prod": rag-platform:traceSamplingPercent = 0: not a valid traceSamplingPercent; allowed: an integer from 1 to 100'],
        ["RDS class AWS does not offer", raw({ "rag-platform:dbInstanceClass": "db.r5.medium" }),
            'stack "prod": rag-platform:dbInstanceClass = "db.r5.medium": not an RDS instance class offered for PostgreSQL'],
        ["burstable database in prod", raw({ "rag-platform:dbInstanceClass": "db.t4g.medium" }),
            'stack "prod": rag-platform:dbInstanceClass = "db.t4g.medium": burstable classes run out of CPU credits under sustained load; allowed: a db.r* or db.m* class in prod'],
        ["PostgreSQL major RDS does not offer here", raw({ "rag-platform:dbEngineVersion": "15" }),
            'stack "prod": rag-platform:dbEngineVersion = "15": not a PostgreSQL version RDS creates; allowed: 16 (or 16.9, 16.10, 16.11, 16.12, 16.13); 17 (or 17.5, 17.6, 17.7, 17.8, 17.9); 18 (or 18.1, 18.2, 18.3)'],
        ["PostgreSQL minor RDS no longer creates", raw({ "rag-platform:dbEngineVersion": "16.6" }),
            'stack "prod": rag-platform:dbEngineVersion = "16.6": not a PostgreSQL version RDS creates'],
        ["cache engine version", raw({ "rag-platform:cacheEngineVersion": "6.2" }),
            'stack "prod": rag-platform:cacheEngineVersion = "6.2": not a redis version ElastiCache offers; allowed: redis "7.0", "7.1"; valkey "7.2", "8.0", "8.1"'],
        ["cache node type", raw({ "rag-platform:cacheNodeType": "cache.r5.medium" }),
            'stack "prod": rag-platform:cacheNodeType = "cache.r5.medium": not an ElastiCache node type AWS offers'],
        ["single NAT in prod", raw({ "rag-platform:natGateways": "single" }),
            'stack "prod": rag-platform:natGateways = "single": prod needs a NAT gateway in every AZ so one AZ\'s outage does not cut the others\' egress; allowed: "onePerAz"'],
        ["unprotected prod", raw({ "rag-platform:protectStatefulResources": "false" }),
            'stack "prod": rag-platform:protectStatefulResources = false: prod must protect everything that holds data; allowed: true'],
        ["short KMS window in prod", raw({ "rag-platform:kmsKeyDeletionWindowDays": "7" }),
            'stack "prod": rag-platform:kmsKeyDeletionWindowDays = 7: prod keeps the longest window to undo a key deletion; allowed: 30'],
        ["spot nodes in prod", raw({ "rag-platform:nodeCapacityType": "SPOT" }),
            'stack "prod": rag-platform:nodeCapacityType = "SPOT": prod application nodes must not be reclaimed at two minutes\' notice; allowed: "ON_DEMAND"'],
        ["fewer prod nodes than AZs", raw({ "rag-platform:nodeMinSize": "2" }),
            'stack "prod": rag-platform:nodeMinSize = 2: fewer nodes than the 3 AZs, so some AZ would have no capacity; allowed: 3 or more in prod'],
        ["non-integer for an integer key", raw({ "rag-platform:flowLogRetentionDays": "ninety" }),
            'stack "prod": rag-platform:flowLogRetentionDays = "ninety": not a valid flowLogRetentionDays; allowed: one of the CloudWatch retention values 1, 3, 5, 7, 14, 30, 60, 90'],
        ["retention CloudWatch does not accept", raw({ "rag-platform:flowLogRetentionDays": "45" }),
            'stack "prod": rag-platform:flowLogRetentionDays = 45: not a valid flowLogRetentionDays'],
        ["unknown VPC endpoint service", raw({ "rag-platform:vpcInterfaceEndpoints": '["ecr.api","ecr.dkrr"]' }),
            'stack "prod": rag-platform:vpcInterfaceEndpoints = ["ecr.api","ecr.dkrr"]: not a valid vpcInterfaceEndpoints; allowed: a list drawn from "ecr.api", "ecr.dkr"'],
        ["secret in a stack file", raw({ "rag-platform:owner": "x" }, ["rag-platform:owner"]),
            'stack "prod": rag-platform:owner = "[secret]": secrets do not belong in stack files; allowed: a plain value; credentials are generated (@pulumi/random) or kept in AWS Secrets Manager'],
        ["stack named after another environment", raw({ "rag-platform:environment": "dev", "rag-platform:availabilityZones": undefined }),
            'stack "prod": rag-platform:environment = "dev": stack "prod" is named after a different environment; allowed: "prod"'],
        ["unknown region", raw({ "aws:region": "us-east-9" }),
            'stack "prod": aws:region = "us-east-9": not a region this platform is validated for; allowed: one of us-east-1, us-east-2'],
        ["cluster name too long for derived names", raw({ "rag-platform:clusterName": "a".repeat(41) }),
            `stack "prod": rag-platform:clusterName = "${"a".repeat(41)}": not a valid clusterName; allowed: 1-40 lowercase letters, digits and single hyphens`],

    ];

    it.each(cases)("%s", (_, config, expected) => {
        const messages = rejection(config);
        expect(messages.some((m) => m.includes(expected)), `expected a line containing\n  ${expected}\ngot\n${messages.join("\n")}`).toBe(true);
    });

    it("holds staging to a node per AZ in every group, as its mandatory high-availability policies do", () => {
        const staging = raw({ "rag-platform:environment": "staging", "rag-platform:availabilityZones": undefined, "rag-platform:observabilityNodeMinSize": "2", "rag-platform:observabilityNodeDesiredSize": "2" });
        expect(() => loadStackConfig("staging", staging)).toThrow(
            'stack "staging": rag-platform:observabilityNodeMinSize = 2: fewer nodes than the 3 AZs, so some AZ would have no capacity; allowed: 3 or more in staging',
        );
    });

    it("reports every problem at once, one line each", () => {
        const messages = rejection(raw({ "rag-platform:natGateways": "single", "rag-platform:nodeMinSize": "12", "rag-platform:dbEngineVersion": "9.6" }));
        expect(messages).toHaveLength(3);
        expect(messages.map((m) => m.split(" = ")[0])).toEqual([
            '  - stack "prod": rag-platform:natGateways',
            '  - stack "prod": rag-platform:nodeMinSize',
            '  - stack "prod": rag-platform:dbEngineVersion',
        ]);
    });
});

describe("availability zones against the account", () => {
    // This account maps us-east-1c to use1-az3, where EKS refuses cluster subnets.
    const available = [
        { name: "us-east-1a", id: "use1-az1" },
        { name: "us-east-1b", id: "use1-az2" },
        { name: "us-east-1c", id: "use1-az3" },
        { name: "us-east-1d", id: "use1-az4" },
        { name: "us-east-1e", id: "use1-az6" },
    ];

    it("takes the first azCount zones when none are named", () => {
        const config = loadStackConfig("staging", raw({ "rag-platform:environment": "staging", "rag-platform:availabilityZones": undefined }), "rag-platform");
        expect(resolveAvailabilityZones(config, available)).toEqual(["us-east-1a", "us-east-1b", "us-east-1d"]);
    });

    it("rejects a pinned zone whose id EKS refuses, naming the name, the id and the zones that would do", () => {
        const config = loadStackConfig("prod", raw({ "rag-platform:availabilityZones": '["us-east-1a","us-east-1b","us-east-1c"]' }));
        expect(() => resolveAvailabilityZones(config, available)).toThrow(
            'stack "prod": rag-platform:availabilityZones = ["us-east-1a","us-east-1b","us-east-1c"]: us-east-1c (use1-az3): EKS does not accept cluster subnets in zone id use1-az3 (this account maps the name to it); allowed: AZs of this account in us-east-1 that EKS accepts: us-east-1a (use1-az1), us-east-1b (use1-az2), us-east-1d (use1-az4), us-east-1e (use1-az6)',
        );
    });

    it("rejects a named zone the account does not have", () => {
        const config = loadStackConfig("prod", raw({ "rag-platform:availabilityZones": '["us-east-1a","us-east-1b","us-east-1f"]' }));
        expect(() => resolveAvailabilityZones(config, available)).toThrow(
            'stack "prod": rag-platform:availabilityZones = ["us-east-1a","us-east-1b","us-east-1f"]: us-east-1f not available to this account; allowed: AZs of this account in us-east-1 that EKS accepts: us-east-1a (use1-az1), us-east-1b (use1-az2), us-east-1d (use1-az4), us-east-1e (use1-az6)',
        );
    });

    it("rejects an azCount the region cannot give", () => {
        const config = loadStackConfig("prod", raw({ "rag-platform:availabilityZones": undefined, "rag-platform:azCount": "4", "rag-platform:nodeMinSize": "4", "rag-platform:nodeDesiredSize": "4", "rag-platform:observabilityNodeMinSize": "4", "rag-platform:observabilityNodeDesiredSize": "4" }));
        expect(() => resolveAvailabilityZones(config, available.slice(0, 4))).toThrow("rag-platform:azCount = 4: the account has only 3 AZs in us-east-1 that EKS accepts");
    });
});
