/**
 * Broken stack files as a new user writes them, each with the whole line `npm run plan` prints for the mistake
 * (all exit 1: a bad config; a missing file, exit 2, is tested beside them). `file` is the stack file's text, or
 * prod's own settings with some keys changed (`null` removes one). `<file>` in a line stands for the file's path.
 */
export interface BadInputCase {
    name: string;
    file: string | Record<string, unknown>;
    line: string;
}

export const BAD_INPUT_CASES: BadInputCase[] = [
    {
        name: "a YAML syntax error",
        file: "config:\n  aws:region: us-east-1\n  rag-platform:environment: prod\n   rag-platform:azCount: 3\n",
        line: "<file>:3:29: not valid YAML: Nested mappings are not allowed in compact mappings",
    },
    {
        name: "an empty file",
        file: "",
        line: "<file> is empty: a stack file sets at least config: rag-platform:environment",
    },
    {
        name: "a key outside config:",
        file: "aws:region: us-east-1\nconfig:\n  rag-platform:environment: prod\n",
        line: "<file>: 'aws:region' is outside config: (the Pulumi CLI ignores it); indent it under config:, or use one of the top-level keys config, secretsprovider, encryptedkey, encryptionsalt, environment",
    },
    {
        name: "config: as a list",
        file: "config:\n  - aws:region\n",
        line: "<file>: config: is not a map of keys to values",
    },
    {
        name: "no environment",
        file: {"rag-platform:environment": null},
        line: "error: Stack 'prod' is missing configuration value 'environment'",
    },
    {
        name: "text for an integer key",
        file: {"rag-platform:nodeMaxSize": "ten"},
        line: "stack \"prod\": rag-platform:nodeMaxSize = \"ten\": not a valid nodeMaxSize; allowed: an integer from 1 to 450, at least the desired size",
    },
    {
        name: "a string for a list key the project declares",
        file: {"rag-platform:vpcGatewayEndpoints": "s3"},
        line: "error: Stack 'prod' with configuration key 'vpcGatewayEndpoints' must be of type 'array<string>'",
    },
    {
        name: "an unknown environment",
        file: {"rag-platform:environment": "production"},
        line: "stack \"prod\": rag-platform:environment = \"production\": not a valid environment; allowed: \"dev\", \"staging\", \"prod\"",
    },
    {
        name: "a stack named after another environment",
        file: {"rag-platform:environment": "dev", "rag-platform:availabilityZones": null},
        line: "stack \"prod\": rag-platform:environment = \"dev\": stack \"prod\" is named after a different environment; allowed: \"prod\"",
    },
    {
        name: "a misspelled project key",
        file: {"rag-platform:natGateway": "onePerAz"},
        line: "stack \"prod\": rag-platform:natGateway = \"onePerAz\": unknown key (did you mean \"rag-platform:natGateways\"?); allowed: the keys declared in Pulumi.yaml's config schema",
    },
    {
        name: "a misspelled namespace",
        file: {"rag-platfrom:natGateways": "onePerAz"},
        line: "stack \"prod\": rag-platfrom:natGateways = \"onePerAz\": unknown namespace \"rag-platfrom\" (did you mean \"rag-platform:natGateways\"?); allowed: keys of \"rag-platform:\", \"aws:\", \"pulumi:\", \"kubernetes:\", \"random:\"",
    },
    {
        name: "a misspelled aws:region",
        file: {"aws:regoin": "us-east-1"},
        line: "stack \"prod\": aws:regoin = \"us-east-1\": unknown aws provider key (the provider ignores it) (did you mean \"aws:region\"?); allowed: the keys the aws provider reads: accessKey, allowedAccountIds, assumeRoleWithWebIdentity, assumeRoles, customCaBundle, defaultTags, ec2MetadataServiceEndpoint, ec2MetadataServiceEndpointMode, endpoints, forbiddenAccountIds, httpProxy, httpsProxy, ignoreTags, insecure, maxRetries, noProxy, profile, region, retryMode, s3UsEast1RegionalEndpoint, s3UsePathStyle, secretKey, sharedConfigFiles, sharedCredentialsFiles, skipCredentialsValidation, skipMetadataApiCheck, skipRegionValidation, skipRequestingAccountId, stsRegion, tagPolicyCompliance, token, tokenBucketRateLimiterCapacity, useDualstackEndpoint, useFipsEndpoint, userAgents",
    },
    {
        name: "no region",
        file: {"aws:region": null},
        line: "stack \"prod\": aws:region = (not set): the AWS region is required; allowed: one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, sa-east-1",
    },
    {
        name: "an unknown region",
        file: {"aws:region": "us-east-9"},
        line: "stack \"prod\": aws:region = \"us-east-9\": not a region this platform is validated for; allowed: one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, sa-east-1",
    },
    {
        name: "an unknown kubernetes provider key",
        file: {"kubernetes:kubeconfg": "~/.kube/config"},
        line: "stack \"prod\": kubernetes:kubeconfg = \"~/.kube/config\": unknown kubernetes provider key (the provider ignores it) (did you mean \"kubernetes:kubeconfig\"?); allowed: the keys the kubernetes provider reads: alwaysRender, cluster, clusterIdentifier, context, deleteUnreachable, enableConfigMapMutable, enablePatchForce, enableSecretMutable, enableServerSideApply, helmReleaseSettings, kubeClientSettings, kubeconfig, namespace, renderYamlToDirectory, skipUpdateUnreachable, suppressDeprecationWarnings, suppressHelmHookWarnings, upsertExistingObjects",
    },
    {
        name: "a random provider key (it takes none)",
        file: {"random:seed": "1"},
        line: "stack \"prod\": random:seed = \"1\": unknown random provider key (the provider ignores it); allowed: none: the random provider takes no config",
    },
    {
        name: "an AWS access key in plain text",
        file: {"aws:accessKey": "AKIAIOSFODNN7EXAMPLE"},
        line: "stack \"prod\": aws:accessKey = \"[redacted]\": a credential in plain text in the stack file; allowed: AWS credentials from the environment, a profile or a role (OIDC in CI), never the stack file",
    },
    {
        name: "an AWS secret key in plain text",
        file: {"aws:secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        line: "stack \"prod\": aws:secretKey = \"[redacted]\": a credential in plain text in the stack file; allowed: AWS credentials from the environment, a profile or a role (OIDC in CI), never the stack file",
    },
    {
        name: "a password in plain text",
        file: {"rag-platform:dbPassword": "hunter2"},
        line: "stack \"prod\": rag-platform:dbPassword = \"[redacted]\": a credential in plain text in the stack file; allowed: `pulumi config set --secret rag-platform:dbPassword <value>` (encrypted by the stack's secrets provider), or a secret the platform keeps in AWS Secrets Manager",
    },
    {
        name: "a secure value for a project key",
        file: {"rag-platform:owner": {"secure": "AAABAMxxxx"}},
        line: "stack \"prod\": rag-platform:owner = \"[secret]\": secrets do not belong in stack files; allowed: a plain value; credentials are generated (@pulumi/random) or kept in AWS Secrets Manager",
    },
    {
        name: "the prod API open to the internet in two halves",
        file: {"rag-platform:clusterPublicAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"]},
        line: "stack \"prod\": rag-platform:clusterPublicAccessCidrs = [\"0.0.0.0/1\",\"128.0.0.0/1\"]: together open the prod Kubernetes API to the whole internet; allowed: your CI runners' and admins' egress CIDRs, at most a /16 in all, or none (private endpoint)",
    },
    {
        name: "the prod API open to 0.0.0.0/0",
        file: {"rag-platform:clusterPublicAccessCidrs": ["0.0.0.0/0"]},
        line: "stack \"prod\": rag-platform:clusterPublicAccessCidrs = [\"0.0.0.0/0\"]: together open the prod Kubernetes API to the whole internet; allowed: your CI runners' and admins' egress CIDRs, at most a /16 in all, or none (private endpoint)",
    },
    {
        name: "the prod API open to a /8",
        file: {"rag-platform:clusterPublicAccessCidrs": ["100.0.0.0/8"]},
        line: "stack \"prod\": rag-platform:clusterPublicAccessCidrs = [\"100.0.0.0/8\"]: together open the prod Kubernetes API to 16,777,216 addresses, more than a /16; allowed: your CI runners' and admins' egress CIDRs, at most a /16 in all, or none (private endpoint)",
    },
    {
        name: "a public range for the private endpoint",
        file: {"rag-platform:clusterPrivateAccessCidrs": ["8.8.8.0/24"]},
        line: "stack \"prod\": rag-platform:clusterPrivateAccessCidrs = \"8.8.8.0/24\": not a private range: the private endpoint is reached from networks routed to the VPC; allowed: RFC 1918 CIDRs; the internet reaches the API only through clusterPublicAccessCidrs",
    },
    {
        name: "a malformed runner security group",
        file: {"rag-platform:clusterPrivateAccessSecurityGroupIds": ["sg-runner"]},
        line: "stack \"prod\": rag-platform:clusterPrivateAccessSecurityGroupIds = [\"sg-runner\"]: not a valid clusterPrivateAccessSecurityGroupIds; allowed: up to 40 security group ids (sg- and 8 or 17 hex digits)",
    },
    {
        name: "one NAT gateway in prod",
        file: {"rag-platform:natGateways": "single"},
        line: "stack \"prod\": rag-platform:natGateways = \"single\": prod needs a NAT gateway in every AZ so one AZ's outage does not cut the others' egress; allowed: \"onePerAz\"",
    },
    {
        name: "a single-AZ database in prod",
        file: {"rag-platform:dbMultiAz": false},
        line: "stack \"prod\": rag-platform:dbMultiAz = false: prod's database must survive an AZ outage (RTO < 1 h); allowed: true",
    },
    {
        name: "14 days of PITR in prod",
        file: {"rag-platform:dbBackupRetentionDays": 14},
        line: "stack \"prod\": rag-platform:dbBackupRetentionDays = 14: prod keeps the spec's 30 days of point-in-time recovery; allowed: 30 to 35",
    },
    {
        name: "no cache snapshots in prod",
        file: {"rag-platform:cacheSnapshotRetentionDays": 0},
        line: "stack \"prod\": rag-platform:cacheSnapshotRetentionDays = 0: prod keeps at least a day of cache snapshots (sessions and queues survive a lost replication group); allowed: 1 to 35",
    },
    {
        name: "an unprotected prod",
        file: {"rag-platform:protectStatefulResources": false},
        line: "stack \"prod\": rag-platform:protectStatefulResources = false: prod must protect everything that holds data; allowed: true",
    },
    {
        name: "a 7-day KMS window in prod",
        file: {"rag-platform:kmsKeyDeletionWindowDays": 7},
        line: "stack \"prod\": rag-platform:kmsKeyDeletionWindowDays = 7: prod keeps the longest window to undo a key deletion; allowed: 30",
    },
    {
        name: "spot application nodes in prod",
        file: {"rag-platform:nodeCapacityType": "SPOT"},
        line: "stack \"prod\": rag-platform:nodeCapacityType = \"SPOT\": prod application nodes must not be reclaimed at two minutes' notice; allowed: \"ON_DEMAND\"",
    },
    {
        name: "a node minimum above the maximum",
        file: {"rag-platform:nodeMinSize": 12},
        line: "stack \"prod\": rag-platform:nodeMinSize = 12: greater than nodeMaxSize (10); allowed: an integer from 0 to 450, at most the desired size (at least the AZ count in staging and prod)",
    },
    {
        name: "fewer prod nodes than AZs",
        file: {"rag-platform:nodeMinSize": 2},
        line: "stack \"prod\": rag-platform:nodeMinSize = 2: fewer nodes than the 3 AZs, so some AZ would have no capacity; allowed: 3 or more in prod",
    },
    {
        name: "two AZs in prod",
        file: {"rag-platform:availabilityZones": ["us-east-1a", "us-east-1b"]},
        line: "stack \"prod\": rag-platform:availabilityZones = [\"us-east-1a\",\"us-east-1b\"]: 2 availability zone(s) in prod; allowed: 3 or more in prod (99.95% availability needs to survive an AZ outage with capacity to spare)",
    },
    {
        name: "an AZ of another region",
        file: {"rag-platform:availabilityZones": ["us-east-1a", "us-east-1b", "eu-west-1c"]},
        line: "stack \"prod\": rag-platform:availabilityZones = [\"us-east-1a\",\"us-east-1b\",\"eu-west-1c\"]: \"eu-west-1c\" not in region us-east-1; allowed: AZs of us-east-1: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f",
    },
    {
        name: "an AZ listed twice",
        file: {"rag-platform:availabilityZones": ["us-east-1a", "us-east-1a", "us-east-1b"]},
        line: "stack \"prod\": rag-platform:availabilityZones = [\"us-east-1a\",\"us-east-1a\",\"us-east-1b\"]: an AZ is listed twice; allowed: distinct AZ names",
    },
    {
        name: "a public VPC CIDR",
        file: {"rag-platform:vpcCidr": "11.0.0.0/16"},
        line: "stack \"prod\": rag-platform:vpcCidr = \"11.0.0.0/16\": not a private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
    },
    {
        name: "a VPC too small to carve",
        file: {"rag-platform:vpcCidr": "10.0.0.0/24"},
        line: "stack \"prod\": rag-platform:vpcCidr = \"10.0.0.0/24\": a /24 is too small to carve subnets of the minimum sizes from; allowed: a VPC of /19 or larger, or every tier's subnet CIDRs listed explicitly",
    },
    {
        name: "a subnet CIDR with host bits",
        file: {"rag-platform:publicSubnetCidrs": ["10.0.0.1/22", "10.0.4.0/22", "10.0.8.0/22"]},
        line: "stack \"prod\": rag-platform:publicSubnetCidrs = \"10.0.0.1/22\": host bits are set (the network address is 10.0.0.0/22); allowed: /16 to /27 inside the VPC 10.0.0.0/16",
    },
    {
        name: "PostgreSQL 15",
        file: {"rag-platform:dbEngineVersion": "15"},
        line: "stack \"prod\": rag-platform:dbEngineVersion = \"15\": not a PostgreSQL version RDS creates; allowed: 16 (or 16.9, 16.10, 16.11, 16.12, 16.13); 17 (or 17.5, 17.6, 17.7, 17.8, 17.9); 18 (or 18.1, 18.2, 18.3)",
    },
    {
        name: "a PostgreSQL minor RDS stopped creating",
        file: {"rag-platform:dbEngineVersion": "16.6"},
        line: "stack \"prod\": rag-platform:dbEngineVersion = \"16.6\": not a PostgreSQL version RDS creates; allowed: 16 (or 16.9, 16.10, 16.11, 16.12, 16.13); 17 (or 17.5, 17.6, 17.7, 17.8, 17.9); 18 (or 18.1, 18.2, 18.3)",
    },
    {
        name: "an RDS class AWS does not offer",
        file: {"rag-platform:dbInstanceClass": "db.r5.medium"},
        line: "stack \"prod\": rag-platform:dbInstanceClass = \"db.r5.medium\": not an RDS instance class offered for PostgreSQL; allowed: an RDS class offered for PostgreSQL such as \"db.r6g.large\" (no burstable db.t* in prod)",
    },
    {
        name: "a burstable database in prod",
        file: {"rag-platform:dbInstanceClass": "db.t4g.medium"},
        line: "stack \"prod\": rag-platform:dbInstanceClass = \"db.t4g.medium\": burstable classes run out of CPU credits under sustained load; allowed: a db.r* or db.m* class in prod",
    },
    {
        name: "storage above its autoscaling ceiling",
        file: {"rag-platform:dbAllocatedStorageGiB": 2000},
        line: "stack \"prod\": rag-platform:dbAllocatedStorageGiB = 2000: above the storage autoscaling ceiling dbMaxAllocatedStorageGiB (1000); allowed: an integer from 20 to 65536, at most dbMaxAllocatedStorageGiB",
    },
    {
        name: "a cache engine version ElastiCache does not offer",
        file: {"rag-platform:cacheEngineVersion": "6.2"},
        line: "stack \"prod\": rag-platform:cacheEngineVersion = \"6.2\": not a redis version ElastiCache offers; allowed: redis \"7.0\", \"7.1\"; valkey \"7.2\", \"8.0\", \"8.1\"",
    },
    {
        name: "a cache node type AWS does not offer",
        file: {"rag-platform:cacheNodeType": "cache.r5.medium"},
        line: "stack \"prod\": rag-platform:cacheNodeType = \"cache.r5.medium\": not an ElastiCache node type AWS offers; allowed: an ElastiCache node type such as \"cache.r6g.large\"",
    },
    {
        name: "an instance type AWS does not offer",
        file: {"rag-platform:nodeInstanceTypes": ["m6i.huge"]},
        line: "stack \"prod\": rag-platform:nodeInstanceTypes = \"m6i.huge\": not an EC2 instance type AWS offers; allowed: one or more EC2 instance types such as \"m6i.xlarge\" from model/aws-catalog.ts",
    },
    {
        name: "instance types of two architectures",
        file: {"rag-platform:nodeInstanceTypes": ["m6i.xlarge", "m7g.xlarge"]},
        line: "stack \"prod\": rag-platform:nodeInstanceTypes = [\"m6i.xlarge\",\"m7g.xlarge\"]: mixes arm64 (Graviton) and x86_64 types; a node group runs one AMI architecture; allowed: instance types of one architecture",
    },
    {
        name: "a retention CloudWatch does not accept",
        file: {"rag-platform:flowLogRetentionDays": 45},
        line: "stack \"prod\": rag-platform:flowLogRetentionDays = 45: not a valid flowLogRetentionDays; allowed: one of the CloudWatch retention values 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    },
    {
        name: "a Kubernetes version EKS does not run",
        file: {"rag-platform:kubernetesVersion": "1.27"},
        line: "stack \"prod\": rag-platform:kubernetesVersion = \"1.27\": not a Kubernetes version EKS supports; allowed: one of \"1.32\", \"1.33\", \"1.34\", \"1.35\" (model/aws-catalog.ts)",
    },
    {
        name: "a cluster-autoscaler chart of another minor",
        file: {"rag-platform:addonChartVersions": ["cluster-autoscaler@9.46.6"]},
        line: "stack \"prod\": rag-platform:addonChartVersions = \"cluster-autoscaler@9.46.6\": chart 9.46.6 runs cluster autoscaler 1.32.0, made for Kubernetes 1.32, on a 1.35 cluster; allowed: cluster-autoscaler@9.59.0 (app 1.35.0) for Kubernetes 1.35",
    },
    {
        name: "a cluster name too long for the names derived from it",
        file: {"rag-platform:clusterName": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        line: "stack \"prod\": rag-platform:clusterName = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": not a valid clusterName; allowed: 1-40 lowercase letters, digits and single hyphens, starting with a letter (every name derived from it must be one AWS takes)",
    },
    {
        name: "a cluster name with an underscore, which RDS identifiers refuse",
        file: {"rag-platform:clusterName": "rag_prod"},
        line: "stack \"prod\": rag-platform:clusterName = \"rag_prod\": not a valid clusterName; allowed: 1-40 lowercase letters, digits and single hyphens, starting with a letter (every name derived from it must be one AWS takes)",
    },
    {
        name: "no DR region in prod",
        file: {"rag-platform:drRegion": ""},
        line: "stack \"prod\": rag-platform:drRegion = \"\": prod replicates documents and copies backups to another region; allowed: a region other than us-east-1",
    },
    {
        name: "the stack's own region as DR region",
        file: {"rag-platform:drRegion": "us-east-1"},
        line: "stack \"prod\": rag-platform:drRegion = \"us-east-1\": the same region as the stack: copies there do not survive a regional outage; allowed: a region other than us-east-1",
    },
    {
        name: "weekly backups in prod",
        file: {"rag-platform:backupFrequency": "weekly"},
        line: "stack \"prod\": rag-platform:backupFrequency = \"weekly\": prod backs up daily; allowed: \"daily\"",
    },
    {
        name: "no audit trail in prod",
        file: {"rag-platform:cloudTrail": false},
        line: "stack \"prod\": rag-platform:cloudTrail = false: prod keeps an audit log of every API call; allowed: true",
    },
    {
        name: "access logs kept shorter than app logs",
        file: {"rag-platform:accessLogRetentionDays": 14},
        line: "stack \"prod\": rag-platform:accessLogRetentionDays = 14: shorter than appLogRetentionDays (30); Loki's default retention would cut access logs first; allowed: 30 or more",
    },
    {
        name: "no traces sampled",
        file: {"rag-platform:traceSamplingPercent": 0},
        line: "stack \"prod\": rag-platform:traceSamplingPercent = 0: not a valid traceSamplingPercent; allowed: an integer from 1 to 100",
    },
    {
        name: "a service running as root",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "runAsUser": 0}]},
        line: "stack \"prod\": rag-platform:services[0].runAsUser = 0: asks for root; every container runs as a non-root user; allowed: a UID other than 0 (default 1000)",
    },
    {
        name: "a service on the latest tag",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:latest"}]},
        line: "stack \"prod\": rag-platform:services[0].image = \"ghcr.io/example/api:latest\": image ghcr.io/example/api:latest uses the latest tag; allowed: repo:<version> or repo@sha256:<digest> (never latest)",
    },
    {
        name: "a service with an unknown field",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "replica": 3}]},
        line: "stack \"prod\": rag-platform:services[0].replica = 3: unknown field; allowed: see the service model in docs/services.md and model/services.ts",
    },
    {
        name: "a service with an unknown field holding a credential",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "apiToken": "abc"}]},
        line: "stack \"prod\": rag-platform:services[0].apiToken = \"[redacted]\": unknown field; allowed: see the service model in docs/services.md and model/services.ts",
    },
    {
        name: "a disruption budget that blocks every eviction",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "replicas": {"min": 3, "max": 6}, "disruptionBudget": {"minAvailable": 3}}]},
        line: "stack \"prod\": rag-platform:services[0].disruptionBudget.minAvailable = 3: at least replicas.min (3): no pod could ever be evicted and node drains would hang; allowed: below 3",
    },
    {
        name: "a replica maximum below the minimum",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "replicas": {"min": 5, "max": 3}}]},
        line: "stack \"prod\": rag-platform:services[0].replicas.max = 3: below replicas.min (5); allowed: 5 or more",
    },
    {
        name: "a password in a service's env",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "env": {"DB_PASSWORD": "hunter2"}}]},
        line: "stack \"prod\": rag-platform:services[0].env.DB_PASSWORD = \"[redacted]\": a credential in plain env (stored in the stack file and the pod spec); allowed: the platform's secrets: \"secrets\": [\"database-url\", \"redis-url\", \"mongodb-url\", \"api-keys\"], delivered by External Secrets; operators put model keys into api-keys",
    },
    {
        name: "an AWS key id in a service's env",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "env": {"UPSTREAM": "AKIAIOSFODNN7EXAMPLE"}}]},
        line: "stack \"prod\": rag-platform:services[0].env.UPSTREAM = \"[redacted]\": a credential in plain env (stored in the stack file and the pod spec); allowed: the platform's secrets: \"secrets\": [\"database-url\", \"redis-url\", \"mongodb-url\", \"api-keys\"], delivered by External Secrets; operators put model keys into api-keys",
    },
    {
        name: "a URL with a password in a sidecar's env",
        file: {"rag-platform:services": [{"name": "api", "kind": "api", "image": "ghcr.io/example/api:1.0.0", "sidecars": [{"name": "proxy", "image": "nginx:1.27.3", "env": {"UPSTREAM_URL": "postgres://app:hunter2@db:5432/app"}}]}]},
        line: "stack \"prod\": rag-platform:services[0].sidecars[0].env.UPSTREAM_URL = \"[redacted]\": a credential in plain env (stored in the stack file and the pod spec); allowed: the platform's secrets: \"secrets\": [\"database-url\", \"redis-url\", \"mongodb-url\", \"api-keys\"], delivered by External Secrets; operators put model keys into api-keys",
    },
    {
        name: "a domain without a zone or a certificate",
        file: {"rag-platform:domainName": "rag.example.com"},
        line: "stack \"prod\": rag-platform:domainName = \"rag.example.com\": no way to get a certificate for it; allowed: also set hostedZoneId (a DNS-validated certificate is requested) or certificateArn",
    },
    {
        name: "more pods at max scale than the nodes have slots for, though CPU and memory fit",
        file: {"rag-platform:nodeMaxSize": 4, "rag-platform:targetThroughputRps": 0, "rag-platform:services": [{"name": "tiny", "kind": "service", "image": "ghcr.io/example/tiny:1.0.0", "probes": {"readiness": "/", "liveness": "/"}, "port": 8080, "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"cpu": "50m", "memory": "32Mi"}}, "replicas": {"min": 3, "max": 500}}]},
        line: "stack \"prod\": rag-platform:nodeMaxSize = 4: at every service's maximum scale the pods do not fit: application group at max scale: requests 5.0 vCPU / 7.8 GiB of 12.3 vCPU / 51.4 GiB allocatable, 500 of 385 pod slots (m6i.xlarge; headroom cpu 59%, memory 85%) [tiny]; allowed: a larger nodeMaxSize or instance type, or lower replicas.max / resources.requests of tiny",
    },
    {
        name: "a PostgreSQL minor RDS does not have",
        file: {"rag-platform:dbEngineVersion": "17.99"},
        line: "stack \"prod\": rag-platform:dbEngineVersion = \"17.99\": not a PostgreSQL version RDS creates; allowed: 16 (or 16.9, 16.10, 16.11, 16.12, 16.13); 17 (or 17.5, 17.6, 17.7, 17.8, 17.9); 18 (or 18.1, 18.2, 18.3)",
    },
    {
        name: "a stack standing by for itself",
        file: {"rag-platform:primaryStack": "organization/rag-platform/prod"},
        line: "stack \"prod\": rag-platform:primaryStack = \"organization/rag-platform/prod\": a stack cannot stand by for itself; allowed: another stack of rag-platform",
    },
    {
        name: "promoting a stack that is no standby",
        file: {"rag-platform:standbyPromoted": true},
        line: "stack \"prod\": rag-platform:standbyPromoted = true: only a standby (primaryStack set) has a replica to promote; allowed: false, or set primaryStack",
    },
    {
        name: "failover routing without a domain and zone",
        file: {"rag-platform:failoverRouting": true},
        line: "stack \"prod\": rag-platform:failoverRouting = true: failover records live in the stack's hosted zone, under its domain; allowed: false, or set domainName and hostedZoneId",
    },
    {
        name: "a cost assumption that does not exist",
        file: {"rag-platform:costAssumptions": {"natGb": 800}},
        line: "stack \"prod\": rag-platform:costAssumptions = {\"natGb\":800}: not a valid costAssumptions (Unrecognized key: \"natGb\"); allowed: a map of natGbPerMonth, logIngestGbPerMonth, storageGb, requestsMillionsPerMonth, edgeGbPerMonth, sharedFilesGb, crossRegionGbPerMonth, albLcus, spotDiscountPercent, replicaStorageGb, backupGb (non-negative numbers; spotDiscountPercent 0-90)",
    },
    {
        name: "a fence without a failover record to fence",
        file: {"rag-platform:failoverFenced": true},
        line: "stack \"prod\": rag-platform:failoverFenced = true: only a PRIMARY failover record has a health check to fence; allowed: false, or true in a primary with failoverRouting",
    },
    {
        name: "the deploy role listed again as a cluster admin",
        file: {"rag-platform:deployRoleArn": "arn:aws:iam::123456789012:role/deploy", "rag-platform:clusterAdminRoleArns": ["arn:aws:iam::123456789012:role/deploy"]},
        line: "stack \"prod\": rag-platform:clusterAdminRoleArns = \"arn:aws:iam::123456789012:role/deploy\": is deployRoleArn, which creates the cluster: EKS already gives it an access entry with cluster-admin, and a second one fails the first deploy (409 ResourceInUseException); allowed: the roles other than deployRoleArn",
    },
    {
        name: "a role in both access-entry lists",
        file: {"rag-platform:clusterAdminRoleArns": ["arn:aws:iam::123456789012:role/ops"], "rag-platform:clusterViewerRoleArns": ["arn:aws:iam::123456789012:role/ops"]},
        line: "stack \"prod\": rag-platform:clusterViewerRoleArns = \"arn:aws:iam::123456789012:role/ops\": is listed twice (clusterAdminRoleArns already has it): one access entry per principal; allowed: each role once, in one of the two lists",
    },
];
