/**
 * Rules AWS's APIs apply when a resource is created, which the mocks accept: each was once broken here while
 * every other check was green. Facts, with their sources:
 * - RDS refuses a read replica of an instance whose master password RDS manages in Secrets Manager ("Creating a
 *   read replica when the source DB ... manages credentials with Secrets Manager" is unsupported for every engine
 *   but SQL Server: Amazon RDS User Guide, rds-secrets-manager, "Limitations", checked 2026-12), and a replica
 *   takes neither its own master user nor a managed password ("ManageMasterUserPassword isn't supported for read
 *   replica", hashicorp/terraform-provider-aws#40188).
 * - A replica in another region of an encrypted source needs a KMS key of its own region; one in the source's
 *   region must not name one (CreateDBInstanceReadReplica, KmsKeyId: "If you create an encrypted read replica in a
 *   different AWS Region, then you must specify a KMS key identifier for the destination AWS Region"; "in the same
 *   AWS Region ... don't specify a value"), and names its source by ARN (SourceDBInstanceIdentifier).
 * - A PostgreSQL read replica's source keeps automated backups ("In all cases, the source DB instance needs to have
 *   automated backups configured": Amazon RDS User Guide, USER_PostgreSQL.Replication.ReadReplicas.Configuration,
 *   checked 2026-12), a replica that is the source of a cascading one included.
 * - A KMS key is regional: a resource (or a secret's replica, a bucket's replica) is encrypted only with a key of
 *   the region it lives in ("KMS keys are specific to the AWS Region that they are created in, and you can't use
 *   KMS keys from one AWS Region in another": CreateDBInstanceReadReplica, KmsKeyId).
 * - Route 53 refuses a record set with a routing policy (set identifier) beside one of the same name and type
 *   without it, and two plain ones of the same name and type in one zone.
 * - EKS takes one access entry per principal and cluster; CloudFront takes a CLOUDFRONT-scope web ACL and a
 *   certificate of us-east-1 (sources at the rules).
 */
import { regionResolver } from "../inspect";
import type { RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RECORD = "aws:route53/record:Record";

export interface AwsApiCheckResult {
    rules: number;
    findings: FidelityFinding[];
}

export function checkAwsApiRules(resources: RecordedResource[]): AwsApiCheckResult {
    const findings: FidelityFinding[] = [];
    const where = (r: RecordedResource) => `${r.type} "${r.name}"`;
    const regionOf = regionResolver(resources);
    let rules = 0;

    const instances = resources.filter((r) => r.type === RDS_INSTANCE);
    const byIdentifier = new Map(instances.map((r) => [String(r.inputs.identifier ?? r.state.identifier), r]));
    const byArn = new Map(instances.map((r) => [String(r.state.arn), r]));
    for (const replica of instances.filter((r) => r.inputs.replicateSourceDb !== undefined)) {
        rules += 4;
        const sourceRef = String(replica.inputs.replicateSourceDb);
        const sourceArn = /^arn:[^:]+:rds:([^:]+):/.exec(sourceRef);
        const source = byArn.get(sourceRef) ?? byIdentifier.get(sourceRef);
        // Named by ARN, the source says its region; named by identifier, it is a resource of this plan (or unknown).
        const sourceRegion = sourceArn ? sourceArn[1] : source ? regionOf(source) : regionOf(replica);
        if (source && !(Number(source.inputs.backupRetentionPeriod) > 0)) {
            findings.push({ check: "aws-api", resource: where(replica), message: `its source ${where(source)} keeps no automated backups (backupRetentionPeriod ${JSON.stringify(source.inputs.backupRetentionPeriod ?? null)}): RDS replicates only a source that has them` });
        }
        if (source?.inputs.manageMasterUserPassword === true) {
            findings.push({ check: "aws-api", resource: where(replica), message: `its source ${where(source)} has manageMasterUserPassword: RDS creates no read replica of an instance whose password it manages in Secrets Manager` });
        }
        for (const input of ["manageMasterUserPassword", "username", "password"]) {
            if (replica.inputs[input] !== undefined && replica.inputs[input] !== false) {
                findings.push({ check: "aws-api", resource: where(replica), message: `${input} is set on a read replica: a replica has its source's master user and password` });
            }
        }
        const crossRegion = sourceRegion !== regionOf(replica);
        if (crossRegion && !sourceArn) {
            findings.push({ check: "aws-api", resource: where(replica), message: `replicateSourceDb "${sourceRef}" is an identifier, but the source is in another region: name it by ARN` });
        }
        if (crossRegion && !replica.inputs.kmsKeyId) {
            findings.push({ check: "aws-api", resource: where(replica), message: `a replica in ${regionOf(replica)} of a source in ${sourceRegion} needs kmsKeyId, a key of ${regionOf(replica)}` });
        }
        if (!crossRegion && replica.inputs.kmsKeyId) {
            findings.push({ check: "aws-api", resource: where(replica), message: "kmsKeyId is set on a replica in its source's region: RDS refuses it (the replica takes the source's key)" });
        }
    }

    for (const r of resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
        for (const { path, keyRegion, region } of kmsKeyUses(r.inputs, regionOf(r), resources, regionOf)) {
            rules++;
            if (keyRegion !== region) findings.push({ check: "aws-api", resource: where(r), message: `${path} is a KMS key of ${keyRegion}, used in ${region}: a key serves only its own region` });
        }
    }

    const records = resources.filter((r) => r.type === RECORD);
    const sets = new Map<string, RecordedResource[]>();
    for (const record of records) {
        const key = `${String(record.inputs.zoneId)} ${String(record.inputs.name).replace(/\.$/, "").toLowerCase()} ${String(record.inputs.type)}`;
        sets.set(key, [...(sets.get(key) ?? []), record]);
    }
    for (const [key, group] of sets) {
        rules++;
        const plain = group.filter((r) => !r.inputs.setIdentifier);
        if (group.length > 1 && plain.length > 0) {
            const [, name, type] = key.split(" ");
            findings.push({ check: "aws-api", resource: where(plain[0]), message: `${group.length} ${type} record sets named ${name} in one zone, ${plain.length} without a set identifier: Route 53 keeps one plain record set per name and type, and none beside routed ones` });
        }
    }

    // EKS keeps one access entry per principal on a cluster, the creator's own included (CreateAccessEntry: 409
    // ResourceInUseException "The specified access entry resource is already in use on this cluster").
    const entries = new Map<string, RecordedResource>();
    for (const entry of resources.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry")) {
        rules++;
        const key = `${String(entry.inputs.clusterName)} ${String(entry.inputs.principalArn)}`;
        const first = entries.get(key);
        if (first) findings.push({ check: "aws-api", resource: where(entry), message: `a second access entry for ${String(entry.inputs.principalArn)} (${where(first)} has one): EKS refuses it with 409 ResourceInUseException` });
        else entries.set(key, entry);
    }

    // CloudFront is global and served from us-east-1: its web ACL has CLOUDFRONT scope (managed in us-east-1) and
    // its ACM certificate lives in us-east-1 (AWS WAF Developer Guide, "Using AWS WAF with Amazon CloudFront";
    // ACM User Guide, "Supported Regions": certificates for CloudFront must be requested in US East (N. Virginia)).
    for (const distribution of resources.filter((r) => r.type === "aws:cloudfront/distribution:Distribution")) {
        rules += 2;
        const aclRef = distribution.inputs.webAclId;
        const acl = aclRef === undefined ? undefined : resources.find((r) => r.type === "aws:wafv2/webAcl:WebAcl" && (r.state.arn === aclRef || r.id === aclRef));
        if (acl && (acl.inputs.scope !== "CLOUDFRONT" || regionOf(acl) !== "us-east-1")) {
            findings.push({ check: "aws-api", resource: where(distribution), message: `webAclId is ${where(acl)}, a ${String(acl.inputs.scope)} web ACL in ${regionOf(acl)}: CloudFront takes only a CLOUDFRONT-scope web ACL, managed in us-east-1` });
        }
        const certificate = String((distribution.inputs.viewerCertificate as { acmCertificateArn?: unknown } | undefined)?.acmCertificateArn ?? "");
        const certificateRegion = /^arn:aws[\w-]*:acm:([a-z0-9-]+):/.exec(certificate)?.[1];
        if (certificateRegion && certificateRegion !== "us-east-1") {
            findings.push({ check: "aws-api", resource: where(distribution), message: `viewerCertificate.acmCertificateArn is a certificate of ${certificateRegion}: CloudFront uses ACM certificates of us-east-1 only` });
        }
    }
    return { rules, findings };
}

const KMS_ARN = /^arn:aws[\w-]*:kms:([a-z0-9-]+):\d{12}:key\//;

/**
 * Every KMS key ARN an input names under a key-like property, with the region it is used in: the resource's, a
 * nested object's own `region` (a secret's replica), or the destination bucket's for an S3 replica key.
 */
function kmsKeyUses(inputs: unknown, region: string, resources: RecordedResource[], regionOf: (r: RecordedResource) => string): { path: string; keyRegion: string; region: string }[] {
    const uses: { path: string; keyRegion: string; region: string }[] = [];
    const walk = (node: unknown, path: string, where: string, destination?: string): void => {
        if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${path}[${i}]`, where, destination));
        if (!node || typeof node !== "object") return;
        const obj = node as Record<string, unknown>;
        const here = typeof obj.region === "string" && obj.region ? obj.region : where;
        // An S3 replication destination names its bucket: the replica key serves that bucket's region.
        const bucket = typeof obj.bucket === "string" && obj.bucket.startsWith("arn:") ? resources.find((b) => b.type === "aws:s3/bucket:Bucket" && b.state.arn === obj.bucket) : undefined;
        const target = bucket ? regionOf(bucket) : destination;
        for (const [k, v] of Object.entries(obj)) {
            const at = path ? `${path}.${k}` : k;
            const match = typeof v === "string" && /kms/i.test(k) ? KMS_ARN.exec(v) : null;
            if (match) uses.push({ path: at, keyRegion: match[1], region: /^replica/i.test(k) && target ? target : here });
            else walk(v, at, here, target);
        }
    };
    walk(inputs, "", region);
    return uses;
}

