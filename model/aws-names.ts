/**
 * AWS's rules for the physical names the platform derives from a stack's config, in one place: config validation
 * refuses a clusterName whose derived names AWS would refuse (before any resource), and each component checks its
 * own args against the same rule. Rules from each service's API reference (CreateCluster, CreateDBInstance,
 * CreateAlias, CreateSecret, CreateLogGroup), checked 2026-12.
 */

export interface NameRule {
    /** What the name names, for messages. */
    what: string;
    test(name: string): boolean;
    allowed: string;
}

export const NAME_RULES = {
    eksCluster: {
        what: "EKS cluster name",
        test: (n: string) => /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(n),
        allowed: "1-100 letters, digits, '-' or '_', starting with a letter or digit",
    },
    rdsIdentifier: {
        what: "RDS instance identifier",
        // 63 is RDS's limit; 54 leaves room for the replicas' "-replica-N".
        test: (n: string) => /^[a-z][a-z0-9-]{0,53}$/.test(n) && !n.includes("--") && !n.endsWith("-"),
        allowed: "1-54 lowercase letters, digits or single hyphens, starting with a letter",
    },
    kmsAlias: {
        what: "KMS alias",
        test: (n: string) => /^alias\/[A-Za-z0-9/_-]{1,250}$/.test(n) && !n.startsWith("alias/aws/"),
        allowed: "alias/ and 1-250 letters, digits, '/', '_' or '-' (not alias/aws/)",
    },
    secretName: {
        what: "Secrets Manager secret name",
        test: (n: string) => /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(n),
        allowed: "1-512 letters, digits or /_+=.@-",
    },
    logGroup: {
        what: "CloudWatch log group name",
        test: (n: string) => /^[.\-_/#A-Za-z0-9]{1,512}$/.test(n),
        allowed: "1-512 letters, digits or ._-/#",
    },
} satisfies Record<string, NameRule>;

/** Every physical name derived from the cluster name, with the rule AWS holds it to. */
export function derivedNames(clusterName: string, readReplicas: number): { name: string; rule: NameRule }[] {
    const db = `${clusterName}-postgres`;
    return [
        { name: clusterName, rule: NAME_RULES.eksCluster },
        { name: `/aws/eks/${clusterName}/cluster`, rule: NAME_RULES.logGroup },
        ...[db, ...Array.from({ length: readReplicas }, (_, i) => `${db}-replica-${i + 1}`)].flatMap((id, i) => [
            ...(i === 0 ? [{ name: id, rule: NAME_RULES.rdsIdentifier }] : []),
            { name: `/aws/rds/instance/${id}/postgresql`, rule: NAME_RULES.logGroup },
        ]),
        { name: `alias/${clusterName}-data`, rule: NAME_RULES.kmsAlias },
        { name: `${clusterName}/observability/alert-receivers`, rule: NAME_RULES.secretName },
        { name: `${clusterName}/cache-auth-token`, rule: NAME_RULES.secretName },
    ];
}

/** A secret's replica in another region has its primary's ARN with that region (Secrets Manager, "Replicate secrets across Regions"). */
export function replicaSecretArn(arn: string, region: string): string {
    const parts = arn.split(":");
    parts[3] = region;
    return parts.join(":");
}
