/** RDS, Aurora, DocumentDB and ElastiCache survive the loss of one availability zone. */
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type StackCheck } from "../../lib/policy";

export const rdsMultiAz = resourcePolicy(
    {
        name: "rds-multi-az",
        description: "RDS instances run Multi-AZ, with a synchronous standby in another availability zone.",
        severity: "high",
        remediationSteps: "Set multiAz: true (applied in place with a failover; plan it for a maintenance window).",
    },
    ["aws:rds/instance:Instance"],
    (db, report) => {
        if (db.replicateSourceDb) return; // read replicas add capacity; the source carries the standby
        if (db.multiAz !== true) report("multiAz is not true: an AZ outage takes the database down until it is restored elsewhere");
    },
);

/** A cluster whose instances are separate resources: two or more, and not all pinned to one AZ. */
function clusterInstancesMultiAz(clusterType: string, instanceType: string, applies: (cluster: PolicyResource) => boolean): StackCheck {
    return (stack, report) => {
        for (const cluster of stack.ofType(clusterType).filter(applies)) {
            const instances = stack.referencing(cluster, "clusterIdentifier", instanceType);
            if (instances.length < 2) {
                report(cluster, `${instances.length} instance(s): a failover needs a second instance in another AZ`);
                continue;
            }
            const pinned = instances.map((i) => i.props.availabilityZone).filter(Boolean);
            if (pinned.length === instances.length && new Set(pinned).size < 2) report(cluster, `every instance is pinned to ${pinned[0]}`);
        }
    };
}

export const auroraMultiAz = stackPolicy(
    {
        name: "aurora-multi-az",
        description: "Aurora clusters have at least two instances, in different availability zones.",
        severity: "high",
        remediationSteps: "Add a second aws.rds.ClusterInstance for the cluster (a reader, promoted on failover) and leave availabilityZone unset or give each a different zone.",
    },
    clusterInstancesMultiAz("aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", (cluster) => /aurora/.test(String(cluster.props.engine ?? ""))),
);

export const documentDbMultiAz = stackPolicy(
    {
        name: "documentdb-multi-az",
        description: "DocumentDB clusters have at least two instances, in different availability zones.",
        severity: "high",
        remediationSteps: "Add a second aws.docdb.ClusterInstance for the cluster in another availabilityZone (rag-platform: docdbInstances 2 or more); a replica is promoted when the primary fails.",
    },
    clusterInstancesMultiAz("aws:docdb/cluster:Cluster", "aws:docdb/clusterInstance:ClusterInstance", () => true),
);

export const elasticacheMultiAz = resourcePolicy(
    {
        name: "elasticache-multi-az",
        description: "ElastiCache replication groups have 2+ nodes per shard with automatic failover and Multi-AZ on.",
        severity: "high",
        remediationSteps: "Set automaticFailoverEnabled: true, multiAzEnabled: true, and numCacheClusters >= 2 (or replicasPerNodeGroup >= 1 in cluster mode).",
    },
    ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"],
    (cache, report, args) => {
        if (args.type === "aws:elasticache/cluster:Cluster") {
            if (!cache.replicationGroupId && cache.engine !== "memcached") report("a standalone Redis/Valkey cache cluster is a single node; use a replication group");
            return;
        }
        const clusterMode = cache.numNodeGroups !== undefined || cache.replicasPerNodeGroup !== undefined;
        const nodesPerShard = clusterMode ? 1 + Number(cache.replicasPerNodeGroup ?? 0) : Number(cache.numCacheClusters ?? 1);
        if (nodesPerShard < 2) report(`${nodesPerShard} node per shard: no replica to fail over to`);
        if (cache.automaticFailoverEnabled !== true) report("automaticFailoverEnabled is not true");
        if (cache.multiAzEnabled !== true) report("multiAzEnabled is not true: replicas may share the primary's AZ");
    },
);
