/**
 * IAM and KMS policy documents the components share: who may use a customer-managed key, and how a Kubernetes
 * service account assumes an IAM role (IRSA). Built as JSON through pulumi.jsonStringify so Outputs resolve in place.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The account, partition and region a document is written for (from the provider's invokes). */
export interface AwsEnvironment {
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
}

/** The account, partition and region of the provider `parent` resolves to, through invokes parented to it. */
export function awsEnvironment(parent: pulumi.Resource): AwsEnvironment {
    const opts = { parent };
    return {
        partition: aws.getPartitionOutput({}, opts).partition,
        accountId: aws.getCallerIdentityOutput({}, opts).accountId,
        region: aws.getRegionOutput({}, opts).region,
    };
}

type Statement = Record<string, unknown>;

export const KMS_USE_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/**
 * A key policy in which the account's IAM policies decide (the root statement), plus the given service statements.
 * Without the root statement a key whose other principals are gone can never be administered again.
 */
export function keyPolicy(env: AwsEnvironment, ...statements: Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${env.partition}:iam::${env.accountId}:root` }, Action: "kms:*", Resource: "*" },
            ...statements,
        ],
    });
}

/** Lets CloudWatch Logs encrypt the log groups whose ARN matches `logGroupPattern` (e.g. `/aws/eks/x/*`). */
export function logsEncryptStatement(env: AwsEnvironment, logGroupPattern: pulumi.Input<string>): Statement {
    return {
        Sid: "CloudWatchLogsEncrypts",
        Effect: "Allow",
        Principal: { Service: pulumi.interpolate`logs.${env.region}.amazonaws.com` },
        Action: KMS_USE_ACTIONS,
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${env.partition}:logs:${env.region}:${env.accountId}:log-group:${logGroupPattern}` } },
    };
}

/** Trust policy of a role assumed by one Kubernetes service account through the cluster's OIDC provider. */
export function irsaTrustPolicy(oidcProviderArn: pulumi.Input<string>, oidcIssuer: pulumi.Input<string>, namespace: string, serviceAccount: string | string[]): pulumi.Output<string> {
    const subjects = [serviceAccount].flat().map((account) => `system:serviceaccount:${namespace}:${account}`);
    return pulumi.all([oidcProviderArn, oidcIssuer]).apply(([arn, issuer]) => {
        const host = issuer.replace(/^https:\/\//, "");
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Federated: arn },
                Action: "sts:AssumeRoleWithWebIdentity",
                // Both conditions: without :aud any token the provider issues for this account could be exchanged.
                Condition: { StringEquals: { [`${host}:sub`]: subjects.length === 1 ? subjects[0] : subjects, [`${host}:aud`]: "sts.amazonaws.com" } },
            }],
        });
    });
}
