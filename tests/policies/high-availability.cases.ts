/** Accepted and rejected resources for every policy of the high-availability pack. */
import { res, vary, type PolicyCases } from "./fixtures";

const db = res("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.r6g.large", multiAz: true });
const aurora = res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql" });
const auroraInstance = (name: string, az?: string) => res("aws:rds/clusterInstance:ClusterInstance", name, { clusterIdentifier: "aurora", availabilityZone: az }, { clusterIdentifier: aurora });
const docdb = res("aws:docdb/cluster:Cluster", "docs", { engine: "docdb" });
const docdbInstance = (name: string, az?: string) => res("aws:docdb/clusterInstance:ClusterInstance", name, { clusterIdentifier: "docs", availabilityZone: az }, { clusterIdentifier: docdb });
const cache = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { engine: "redis", automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 3 });

/** A VPC with one subnet per listed AZ, per tier; NAT gateways in the given public subnets' AZs; private route tables. */
function network(zones: string[], natZones: string[], natFor: (zone: string) => string) {
    const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
    const subnet = (tier: string, az: string) => res("aws:ec2/subnet:Subnet", `${tier}-${az}`, { availabilityZone: az, vpcId: "vpc-1" }, { vpcId: vpc });
    const publics = zones.map((az) => subnet("public", az));
    const privates = zones.map((az) => subnet("private", az));
    const nats = natZones.map((az) => res("aws:ec2/natGateway:NatGateway", `nat-${az}`, { subnetId: "subnet" }, { subnetId: publics[zones.indexOf(az)] }));
    const routing = zones.flatMap((az, i) => {
        const table = res("aws:ec2/routeTable:RouteTable", `private-${az}`, { vpcId: "vpc-1" }, { vpcId: vpc });
        const nat = nats[natZones.indexOf(natFor(az))];
        return [
            table,
            res("aws:ec2/route:Route", `private-${az}-nat`, { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: table, natGatewayId: nat }),
            res("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${az}`, {}, { routeTableId: table, subnetId: privates[i] }),
        ];
    });
    return { resources: [vpc, ...publics, ...privates, ...nats, ...routing], privates, publics };
}
const THREE = ["us-east-1a", "us-east-1b", "us-east-1c"];
const prodNet = network(THREE, THREE, (az) => az);
const singleNat = network(THREE, ["us-east-1a"], () => "us-east-1a");
const twoAzNet = network(THREE.slice(0, 2), THREE.slice(0, 2), (az) => az);

const nodeGroup = (subnets: typeof prodNet.privates, minSize: number, name = "app") =>
    res("aws:eks/nodeGroup:NodeGroup", name, { subnetIds: subnets.map(() => "subnet"), scalingConfig: { minSize, desiredSize: minSize, maxSize: 10 } }, { subnetIds: subnets });
const loadBalancer = (subnets: typeof prodNet.publics) => res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: subnets.map(() => "subnet") }, { subnets });

const ZONE = "topology.kubernetes.io/zone";
function deployment(name: string, replicas: number | undefined, template: Record<string, unknown> = {}, namespace = "rag") {
    return res("kubernetes:apps/v1:Deployment", name, {
        metadata: { name, namespace },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name, tier: "backend" } }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "ScheduleAnyway" }], containers: [], ...template } },
        },
    });
}
const pdb = (name: string, spec: Record<string, unknown>, selector: Record<string, unknown> = { matchLabels: { app: "api" } }) =>
    res("kubernetes:policy/v1:PodDisruptionBudget", name, { metadata: { name, namespace: "rag" }, spec: { ...spec, selector } });
const hpa = (target: string, minReplicas: number) =>
    res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${target}-hpa`, { metadata: { namespace: "rag" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas: 10 } });
const scaledObject = (target: string, minReplicaCount?: number) =>
    res("kubernetes:keda.sh/v1alpha1:ScaledObject", `${target}-scaler`, { metadata: { namespace: "rag" }, spec: { scaleTargetRef: { name: target }, minReplicaCount, maxReplicaCount: 50 } });

const api = deployment("api", 3);
const apiBudget = pdb("api", { minAvailable: 2 });

export const highAvailabilityCases: Record<string, PolicyCases> = {
    "rds-multi-az": {
        pass: [[db], [res(db.type, "replica", { replicateSourceDb: "db" })]],
        fail: [[[vary(db, { multiAz: false })], /multiAz is not true/], [[vary(db, { multiAz: undefined })], /multiAz is not true/]],
    },
    "route53-failover-health-check": {
        pass: [
            [res("aws:route53/record:Record", "primary", { zoneId: "Z1", name: "rag.example.com", type: "A", setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1" })],
            [res("aws:route53/record:Record", "alb", { zoneId: "Z1", name: "rag.example.com", type: "A", setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], aliases: [{ name: "alb.example", zoneId: "Z2", evaluateTargetHealth: true }] })],
            [res("aws:route53/record:Record", "secondary", { zoneId: "Z1", name: "rag.example.com", type: "A", setIdentifier: "secondary", failoverRoutingPolicies: [{ type: "SECONDARY" }] })],
            [res("aws:route53/record:Record", "plain", { zoneId: "Z1", name: "rag.example.com", type: "A" })],
        ],
        fail: [[[res("aws:route53/record:Record", "primary", { zoneId: "Z1", name: "rag.example.com", type: "A", setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], aliases: [{ name: "d1.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }] })], /neither healthCheckId nor an alias that evaluates target health/]],
    },
    "aurora-multi-az": {
        pass: [[aurora, auroraInstance("writer"), auroraInstance("reader")], [aurora, auroraInstance("writer", "us-east-1a"), auroraInstance("reader", "us-east-1b")]],
        fail: [
            [[aurora, auroraInstance("writer")], /1 instance\(s\)/],
            [[aurora, auroraInstance("writer", "us-east-1a"), auroraInstance("reader", "us-east-1a")], /every instance is pinned to us-east-1a/],
        ],
    },
    "documentdb-multi-az": {
        pass: [[docdb, docdbInstance("docs-1", "us-east-1a"), docdbInstance("docs-2", "us-east-1b")], [docdb, docdbInstance("docs-1"), docdbInstance("docs-2")]],
        fail: [
            [[docdb, docdbInstance("docs-1", "us-east-1a")], /1 instance\(s\)/],
            [[docdb, docdbInstance("docs-1", "us-east-1a"), docdbInstance("docs-2", "us-east-1a")], /every instance is pinned to us-east-1a/],
        ],
    },
    "elasticache-multi-az": {
        pass: [[cache], [vary(cache, { numCacheClusters: undefined, numNodeGroups: 3, replicasPerNodeGroup: 1 })]],
        fail: [
            [[vary(cache, { numCacheClusters: 1 })], /1 node per shard/],
            [[vary(cache, { automaticFailoverEnabled: false })], /automaticFailoverEnabled is not true/],
            [[vary(cache, { multiAzEnabled: undefined })], /multiAzEnabled is not true/],
            [[vary(cache, { numCacheClusters: undefined, numNodeGroups: 3, replicasPerNodeGroup: 0 })], /1 node per shard/],
            [[res("aws:elasticache/cluster:Cluster", "single", { engine: "redis", numCacheNodes: 1 })], /single node/],
        ],
    },
    "vpc-subnets-multi-az": {
        pass: [prodNet.resources],
        fail: [[twoAzNet.resources, /subnets span 2 AZ\(s\) \(us-east-1a, us-east-1b\); at least 3 required/]],
    },
    "nat-gateway-per-az": {
        pass: [prodNet.resources, twoAzNet.resources],
        fail: [[singleNat.resources, /subnet in us-east-1b egresses through a NAT gateway in us-east-1a/]],
    },
    "node-group-multi-az": {
        pass: [[...prodNet.resources, nodeGroup(prodNet.privates, 3)], [res("eks:index:ManagedNodeGroup", "external", { subnetIds: ["subnet-a", "subnet-b", "subnet-c"], scalingConfig: { minSize: 3 } })]],
        fail: [
            [[...prodNet.resources, nodeGroup(prodNet.privates.slice(0, 2), 2)], /subnets span 2 AZ\(s\)/],
            [[...prodNet.resources, nodeGroup(prodNet.privates, 2)], /minSize 2 is below the 3 AZs/],
            [[res("eks:index:ManagedNodeGroup", "external", { subnetIds: ["subnet-a"], scalingConfig: { minSize: 3 } })], /1 subnet\(s\) given/],
        ],
    },
    "load-balancer-multi-az": {
        pass: [[...prodNet.resources, loadBalancer(prodNet.publics)]],
        fail: [[[...prodNet.resources, loadBalancer(prodNet.publics.slice(0, 1))], /placed in 1 AZ\(s\)/]],
    },
    "workload-replicas": {
        pass: [[api, apiBudget], [deployment("web", undefined), hpa("web", 2)], [deployment("coredns-like", 1, {}, "kube-system")]],
        fail: [
            [[deployment("single", 1)], /as few as 1 replica/],
            [[deployment("defaulted", undefined)], /as few as 1 replica/],
            [[deployment("web", undefined), hpa("web", 1)], /as few as 1 replica/],
            [[deployment("worker", undefined), scaledObject("worker")], /as few as 0 replica/],
        ],
    },
    "workload-disruption-budget": {
        pass: [[api, apiBudget], [api, pdb("api", { maxUnavailable: 1 })], [api, pdb("api", { minAvailable: "50%" })], [deployment("single", 1)]],
        fail: [
            [[api], /no PodDisruptionBudget selects its pods/],
            [[api, pdb("other", { minAvailable: 1 }, { matchLabels: { app: "web" } })], /no PodDisruptionBudget/],
            [[api, pdb("api", { minAvailable: 3 })], /requires minAvailable 3 of 3 replicas/],
            [[api, pdb("api", { minAvailable: "100%" })], /requires minAvailable 100% of 3/],
            [[api, pdb("api", { maxUnavailable: 0 })], /has maxUnavailable 0/],
            [[deployment("web", undefined), hpa("web", 2), pdb("web", { minAvailable: 2 }, { matchLabels: { app: "web" } })], /requires minAvailable 2 of 2/],
        ],
    },
    "pdb-allows-eviction": {
        pass: [[pdb("one", { maxUnavailable: 1 })], [pdb("half", { minAvailable: "50%" })], [pdb("two", { minAvailable: 2 })], [pdb("pct", { maxUnavailable: "10%" })]],
        fail: [
            [[pdb("none", { maxUnavailable: 0 })], /has maxUnavailable 0: node drains and cluster upgrades would hang/],
            [[pdb("zero-pct", { maxUnavailable: "0%" })], /has maxUnavailable 0%/],
            [[pdb("all", { minAvailable: "100%" })], /requires minAvailable 100%: node drains/],
        ],
    },
    "workload-zone-spread": {
        pass: [
            [api, apiBudget],
            [deployment("anti", 3, { topologySpreadConstraints: [], affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: ZONE } }] } } })],
        ],
        fail: [
            [[deployment("clumped", 3, { topologySpreadConstraints: [] })], /all replicas may land in one zone/],
            [[deployment("by-host", 3, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname" }] })], /no topology spread/],
        ],
    },
};
