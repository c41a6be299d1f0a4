import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CACHE_ENGINE_VERSIONS } from "../model/aws-catalog";
import { DATA_PORTS } from "../model/ports";
import { argsRejecter, stripUndefined } from "./args";

export interface CacheArgs {
    /** Prefix of the auth-token secret's name (`<secretPrefix>cache-auth-token`). Required. */
    secretPrefix: string;
    /** `redis` (Redis OSS) or `valkey`, and its version. Required. */
    engine: "redis" | "valkey";
    engineVersion: string;
    /** Node type of every node. Required. */
    nodeType: string;
    /** Database subnets and the security group the nodes may reach. Required. */
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for data at rest, snapshots and the auth-token secret. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Cluster mode: keys sharded over `shards` node groups, clients discover them through the configuration
     * endpoint. Off: one primary with `replicasPerShard` replicas behind a primary endpoint, which queue brokers
     * that do not speak Redis Cluster (Celery, RQ) need. Default true.
     */
    clusterMode?: boolean;
    /** Shards (1 without cluster mode), and replicas per shard (1 or more: failover is automatic). Default 1 and 2. */
    shards?: number;
    replicasPerShard?: number;
    /** Replicas in other AZs than their primary. Default true. */
    multiAz?: boolean;
    /** Days automatic snapshots are kept; 0 for none. Default 7. */
    snapshotRetentionDays?: number;
    /** A final snapshot, `protect` and retain-on-delete. Default false. */
    protect?: boolean;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

const DEFAULTS = { clusterMode: true, shards: 1, replicasPerShard: 2, multiAz: true, snapshotRetentionDays: 7, protect: false, tags: {} };

/**
 * ElastiCache for the RAG platform, in cluster mode (shards with replicas) or as one primary with replicas;
 * automatic failover (Multi-AZ by config),
 * encrypted at rest with the data key and in transit (TLS required), an AUTH token generated here and kept in
 * Secrets Manager, in the database subnets.
 */
export class Cache extends pulumi.ComponentResource {
    /** Cluster mode: the configuration endpoint clients discover shards through; otherwise the primary endpoint. */
    readonly endpoint: pulumi.Output<string>;
    readonly clusterMode: boolean;
    readonly port: number;
    readonly authTokenSecretArn: pulumi.Output<string>;
    /** The AUTH token itself (secret), for composing connection URLs. */
    readonly authToken: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = resolveArgs(args);
        super("rag:data:Cache", name, {}, opts);
        const parent = { parent: this };
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };
        const tags = (resourceName: string) => ({ ...cfg.tags, Name: resourceName });
        this.port = DATA_PORTS.redis;

        // ElastiCache accepts 16-128 printable characters except @, " and /; alphanumerics avoid quoting problems.
        const token = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, parent);
        const secret = new aws.secretsmanager.Secret(`${name}-auth-token`, {
            name: `${cfg.secretPrefix}cache-auth-token`,
            description: "AUTH token of the platform's ElastiCache replication group",
            kmsKeyId: cfg.kmsKeyArn,
            recoveryWindowInDays: cfg.protect ? 30 : 7,
            tags: tags("cache-auth-token"),
        }, stateful);
        new aws.secretsmanager.SecretVersion(`${name}-auth-token`, { secretId: secret.id, secretString: token.result }, parent);

        const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, { subnetIds: cfg.subnetIds, description: "Database subnets of the platform cache", tags: tags("cache") }, parent);
        const family = cfg.engine === "redis" ? `redis${cfg.engineVersion.split(".")[0]}` : `valkey${cfg.engineVersion.split(".")[0]}`;
        const parameterGroup = new aws.elasticache.ParameterGroup(`${name}-${family}`, {
            family,
            description: cfg.clusterMode ? "Cluster mode for the platform cache" : "One primary with replicas for the platform cache",
            parameters: [{ name: "cluster-enabled", value: cfg.clusterMode ? "yes" : "no" }],
            tags: tags("cache"),
        }, parent);
        // The node count of either layout: shards with their replicas, or one primary with its replicas.
        const layout = cfg.clusterMode
            ? { clusterMode: "enabled", numNodeGroups: cfg.shards, replicasPerNodeGroup: cfg.replicasPerShard }
            : { clusterMode: "disabled", numCacheClusters: 1 + cfg.replicasPerShard };

        const group = new aws.elasticache.ReplicationGroup(`${name}-group`, {
            description: "RAG platform cache (sessions, queues, query cache)",
            engine: cfg.engine,
            engineVersion: cfg.engineVersion,
            nodeType: cfg.nodeType,
            port: DATA_PORTS.redis,
            ...layout,
            automaticFailoverEnabled: true,
            multiAzEnabled: cfg.multiAz,
            parameterGroupName: parameterGroup.name,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [cfg.securityGroupId],
            atRestEncryptionEnabled: true,
            kmsKeyId: cfg.kmsKeyArn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: token.result,
            authTokenUpdateStrategy: "ROTATE",
            snapshotRetentionLimit: cfg.snapshotRetentionDays,
            snapshotWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            finalSnapshotIdentifier: cfg.protect ? pulumi.interpolate`${name}-final` : undefined,
            autoMinorVersionUpgrade: true,
            applyImmediately: !cfg.protect,
            tags: tags("cache"),
        }, stateful);

        this.clusterMode = cfg.clusterMode;
        this.endpoint = cfg.clusterMode ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        this.replicationGroupId = group.id;
        this.authTokenSecretArn = secret.arn;
        this.authToken = token.result;
        this.registerOutputs({ endpoint: this.endpoint, authTokenSecretArn: this.authTokenSecretArn });
    }
}

function resolveArgs(args: CacheArgs): Required<CacheArgs> {
    const fail = argsRejecter("Cache");
    const cfg = { ...DEFAULTS, ...stripUndefined(args) } as Required<CacheArgs>;
    if (!CACHE_ENGINE_VERSIONS[cfg.engine]?.includes(cfg.engineVersion)) fail("engineVersion", cfg.engineVersion, `${cfg.engine} ${CACHE_ENGINE_VERSIONS[cfg.engine]?.join(", ")}`);
    if (cfg.replicasPerShard < 1) fail("replicasPerShard", cfg.replicasPerShard, "1 to 5: a shard with fewer than 2 nodes cannot fail over, and failover is always on");
    if (cfg.shards < 1) fail("shards", cfg.shards, "1 or more");
    if (!cfg.clusterMode && cfg.shards !== 1) fail("shards", cfg.shards, "1 without cluster mode (one primary with replicas)");
    if (cfg.subnetIds.length < 2 && cfg.multiAz) fail("subnetIds", cfg.subnetIds.length, "subnets in two or more AZs for Multi-AZ");
    return cfg;
}
