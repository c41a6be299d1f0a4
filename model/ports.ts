/**
 * The data tier's ports, in one place: the database and cache listen on them, the network's data-tier security
 * group and NACLs open them, the workload's NetworkPolicies allow egress to them, and the network-exposure pack
 * refuses them from the internet. RDS PostgreSQL's and ElastiCache Redis/Valkey's default ports.
 */
export const DATA_PORTS = { postgres: 5432, redis: 6379 } as const;
/** NFS, on which EFS mount targets listen. */
export const NFS_PORT = 2049;
/** DocumentDB (MongoDB-compatible), when a service takes mongodb-url. */
export const DOCUMENTDB_PORT = 27017;
