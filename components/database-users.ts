import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_UID } from "../model/services";
import { APP_OWNER_ROLE, APP_USERNAME } from "./database";

export interface DatabaseUsersArgs {
    /** Namespace of the workload (PSA restricted, default-deny egress but DNS). Required. */
    namespace: string;
    /** ClusterSecretStore the credentials are read through. Required. */
    secretStoreName: string;
    /** The master credentials, with which the users are made. Required. */
    masterSecretArn: pulumi.Input<string>;
    /** The workload's credentials: the user they name now gets their password. Required. */
    appSecretArn: pulumi.Input<string>;
    /** The writer's address, port and database. Required. */
    host: pulumi.Input<string>;
    port: number;
    database: string;
    /** Database subnets' CIDRs, the only place the Job may reach besides DNS. Required. */
    dataCidrs: string[];
    /** psql's image, pinned. Default {@link PSQL_IMAGE}. */
    image?: string;
}

/** PostgreSQL's client, from the Docker official image mirrored on ECR Public (no Docker Hub rate limit). */
export const PSQL_IMAGE = "public.ecr.aws/docker/library/postgres:17.6-alpine";
/** Requests and limits of the Job's one container; the workload quota counts them. */
export const DATABASE_USERS_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } };

/**
 * The roles the workload connects as, which AWS's alternating-users rotation needs before its first run: it logs in
 * with the user the secret names and only sets the other's password. `rag_app` and `rag_app_clone` log in, act as
 * `rag_owner` (so what either creates has one owner), and `rag_app` gets the secret's first password; pgvector is
 * created here since the workload's users may not. Idempotent: it runs again after a restore or a promotion, when
 * the user the secret names gets that secret's password.
 */
const USERS_SQL = `\\set ON_ERROR_STOP on
SELECT format('CREATE ROLE %I NOLOGIN', '${APP_OWNER_ROLE}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_OWNER_ROLE}') \\gexec
SELECT format('CREATE ROLE %I LOGIN', u) FROM unnest(ARRAY['${APP_USERNAME}', '${APP_USERNAME}_clone']) AS u WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u) \\gexec
GRANT ${APP_OWNER_ROLE} TO ${APP_USERNAME}, ${APP_USERNAME}_clone, CURRENT_USER;
ALTER ROLE ${APP_USERNAME} SET role = '${APP_OWNER_ROLE}';
ALTER ROLE ${APP_USERNAME}_clone SET role = '${APP_OWNER_ROLE}';
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO ${APP_OWNER_ROLE};
GRANT USAGE, CREATE ON SCHEMA public TO ${APP_OWNER_ROLE};
CREATE EXTENSION IF NOT EXISTS vector;
ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';
`;

/**
 * A Job that makes the workload's database users with the master credentials (External Secrets brings both
 * secrets into the namespace), allowed out to the database subnets only.
 */
export class DatabaseUsers extends pulumi.ComponentResource {
    readonly jobName: string;

    constructor(name: string, args: DatabaseUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rag:workload:DatabaseUsers", name, {}, opts);
        const parent = { parent: this };
        const labels = { "app.kubernetes.io/name": "database-users", "app.kubernetes.io/part-of": "rag-platform" };
        const meta = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });
        this.jobName = "database-users";

        const secret = new k8s.apiextensions.CustomResource(`${name}-credentials`, {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: meta("database-users-credentials"),
            spec: {
                refreshInterval: "1h",
                secretStoreRef: { kind: "ClusterSecretStore", name: args.secretStoreName },
                target: { name: "database-users-credentials", creationPolicy: "Owner" },
                data: [
                    { secretKey: "PGUSER", remoteRef: { key: args.masterSecretArn, property: "username" } },
                    { secretKey: "PGPASSWORD", remoteRef: { key: args.masterSecretArn, property: "password" } },
                    { secretKey: "APP_USER", remoteRef: { key: args.appSecretArn, property: "username" } },
                    { secretKey: "APP_PASSWORD", remoteRef: { key: args.appSecretArn, property: "password" } },
                ],
            },
        }, parent);
        const script = new k8s.core.v1.ConfigMap(`${name}-sql`, { metadata: meta("database-users-sql"), data: { "users.sql": USERS_SQL } }, parent);
        new k8s.networking.v1.NetworkPolicy(`${name}-network`, {
            metadata: meta("database-users"),
            spec: {
                podSelector: { matchLabels: labels },
                policyTypes: ["Ingress", "Egress"],
                egress: [{ to: args.dataCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: args.port }] }],
            },
        }, parent);
        new k8s.batch.v1.Job(`${name}-job`, {
            metadata: meta(this.jobName),
            spec: {
                backoffLimit: 6,
                // Long enough for External Secrets to sync and a few retries; a Job that hangs fails the update.
                activeDeadlineSeconds: 900,
                template: {
                    metadata: { labels },
                    spec: {
                        restartPolicy: "OnFailure",
                        automountServiceAccountToken: false,
                        securityContext: { runAsNonRoot: true, runAsUser: DEFAULT_UID, runAsGroup: DEFAULT_UID, fsGroup: DEFAULT_UID, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [{
                            name: "psql",
                            image: args.image ?? PSQL_IMAGE,
                            command: ["sh", "-c", 'exec psql -v app_user="$APP_USER" -v app_password="$APP_PASSWORD" -f /sql/users.sql'],
                            envFrom: [{ secretRef: { name: "database-users-credentials" } }],
                            env: [
                                { name: "PGHOST", value: args.host },
                                { name: "PGPORT", value: String(args.port) },
                                { name: "PGDATABASE", value: args.database },
                                { name: "PGSSLMODE", value: "require" },
                                { name: "PGCONNECT_TIMEOUT", value: "10" },
                            ],
                            resources: DATABASE_USERS_RESOURCES,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: DEFAULT_UID,
                                runAsGroup: DEFAULT_UID,
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                privileged: false,
                                capabilities: { drop: ["ALL"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            volumeMounts: [{ name: "sql", mountPath: "/sql", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
                        }],
                        volumes: [{ name: "sql", configMap: { name: "database-users-sql" } }, { name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
                    },
                },
            },
        }, { parent: this, dependsOn: [secret, script] });
        this.registerOutputs({});
    }
}
