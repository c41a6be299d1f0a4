/** IAM roles of the cluster: one per Kubernetes service account (IRSA), and managed-policy attachments. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "./iam-documents";

export interface IrsaRoleArgs {
    /** The cluster's OIDC provider ARN and issuer (without scheme). */
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    /** The only service accounts that may assume the role (one, or a list in the one namespace). */
    namespace: string;
    serviceAccount: string | string[];
    /** AWS managed policies by path under `arn:<partition>:iam::aws:policy/`, e.g. `AmazonEKS_CNI_Policy`. */
    managedPolicies?: string[];
    /** An inline policy document (JSON). */
    policy?: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    tags?: Record<string, string>;
}

export function irsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
    const role = new aws.iam.Role(name, {
        description: `Kubernetes service account ${[args.serviceAccount].flat().map((account) => `${args.namespace}/${account}`).join(", ")} (IRSA)`,
        assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuer, args.namespace, args.serviceAccount),
        tags: { ...args.tags, Name: name },
    }, opts);
    attachManagedPolicies(name, role, args.managedPolicies ?? [], args.partition, opts);
    if (args.policy) new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, opts);
    return role;
}

/** One attachment per AWS managed policy (the role's own `managedPolicyArns` is deprecated in provider v7). */
export function attachManagedPolicies(name: string, role: aws.iam.Role, policies: string[], partition: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): void {
    for (const policy of policies) {
        new aws.iam.RolePolicyAttachment(`${name}-${policy.split("/").pop()}`, { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, opts);
    }
}
