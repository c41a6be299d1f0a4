/**
 * The package face of components/cache.ts: the same args, `engine` as an enum the schema can express. It builds
 * the real Cache as its only child.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cache as PlatformCache, type CacheArgs as PlatformCacheArgs } from "../components/cache";

/** The ElastiCache engine. */
export const CacheEngine = {
    /** Redis OSS. */
    redis: "redis",
    /** Valkey: protocol-compatible, about 20% cheaper. */
    valkey: "valkey",
} as const;
export type CacheEngine = (typeof CacheEngine)[keyof typeof CacheEngine];

export interface CacheArgs {
    /** Prefix of the auth-token secret's name (`<secretPrefix>cache-auth-token`). Required. */
    secretPrefix: string;
    /** `redis` (Redis OSS) or `valkey`. Required. */
    engine: CacheEngine;
    /** Engine version, e.g. `7.1`. Required. */
    engineVersion: string;
    /** Node type of every node. Required. */
    nodeType: string;
    /** Database subnets of the nodes. Required. */
    subnetIds: pulumi.Input<string>[];
    /** Security group of the nodes. Required. */
    securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for data at rest, snapshots and the auth-token secret. Required. */
    kmsKeyArn: pulumi.Input<string>;
    /** Cluster mode (shards) or one primary with replicas (queue brokers such as Celery). Default true. */
    clusterMode?: boolean;
    /** Shards (1 without cluster mode). Default 1. */
    shards?: number;
    /** Replicas per shard, 1 or more. Default 2. */
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

/**
 * ElastiCache (Redis OSS or Valkey) with automatic failover, TLS, encryption at rest with the given key and an
 * AUTH token kept in Secrets Manager (components/cache.ts).
 */
export class Cache extends pulumi.ComponentResource {
    /** Cluster mode: the configuration endpoint; otherwise the primary endpoint. */
    readonly endpoint: pulumi.Output<string>;
    readonly clusterMode: pulumi.Output<boolean>;
    readonly port: pulumi.Output<number>;
    readonly authTokenSecretArn: pulumi.Output<string>;
    /** The AUTH token itself (secret). */
    readonly authToken: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rag-platform:index:Cache", name, {}, opts);
        const platformArgs: PlatformCacheArgs = args;
        const cache = new PlatformCache(name, platformArgs, { parent: this });
        this.endpoint = cache.endpoint;
        this.clusterMode = pulumi.output(cache.clusterMode);
        this.port = pulumi.output(cache.port);
        this.authTokenSecretArn = cache.authTokenSecretArn;
        this.authToken = pulumi.secret(cache.authToken);
        this.replicationGroupId = cache.replicationGroupId;
        this.registerOutputs({
            endpoint: this.endpoint,
            clusterMode: this.clusterMode,
            port: this.port,
            authTokenSecretArn: this.authTokenSecretArn,
            authToken: this.authToken,
            replicationGroupId: this.replicationGroupId,
        });
    }
}
