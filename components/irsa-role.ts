/** An IAM role for one Kubernetes service account (IRSA), with managed and inline permissions. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "./iam-documents";

export interface IrsaRoleArgs {
    /** The cluster's OIDC provider ARN and issuer (without scheme). */
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    /** The only service account that may assume the role. */
    namespace: string;
    serviceAccount: string;
    /** AWS managed policies by path under `arn:<partition>:iam::aws:policy/`, e.g. `AmazonEKS_CNI_Policy`. */
    managedPolicies?: string[];
    /** An inline policy document (JSON). */
    policy?: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    tags?: Record<string, string>;
}

export function irsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
    const role = new aws.iam.Role(name, {
        description: `Kubernetes service account ${args.namespace}/${args.serviceAccount} (IRSA)`,
        assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuer, args.namespace, args.serviceAccount),
        managedPolicyArns: (args.managedPolicies ?? []).map((p) => pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${p}`),
        tags: { ...args.tags, Name: name },
    }, opts);
    if (args.policy) new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, opts);
    return role;
}
