/**
 * Derives offline/data/aws-replace-on-change.json: for every AWS resource type the program registers, the inputs
 * whose change makes the Pulumi engine REPLACE the resource. @pulumi/aws is bridged from
 * hashicorp/terraform-provider-aws, and the bridge replaces a resource when an attribute marked `ForceNew: true`
 * (plugin SDKv2) or carrying a `RequiresReplace*` plan modifier (plugin framework) changes.
 *
 * Source: a local bare git mirror of one of
 *   - hashicorp/terraform-provider-aws ("repo" layout: internal/service/<svc>/*.go, names/attr_consts_gen.go), or
 *   - lonegunmanb/terraform-provider-aws-index ("index" layout: the same provider's Go source cut into one file per
 *     function, method, type and var under index/internal/..., tagged with the upstream version it was cut from);
 *     used when the provider's own repository is too large to mirror. It has no `const` declarations, so
 *     `names.AttrFooBar` keys are turned into snake case by rule and then matched to the Pulumi input names.
 * and the plan records written by `npm run plan -- --json <file>`, which tell which `aws:` types the program
 * registers. Pulumi input names (and nested input type names) are read from node_modules/@pulumi/aws/**.d.ts.
 *
 *   npx tsx scripts/derive-aws-replace-on-change.ts <git dir> <ref> <plan.json>... \
 *       [--bridged-upstream <version note>] [--out offline/data/aws-replace-on-change.json]
 *
 * e.g. for s in dev staging prod prod-dr; do npm run plan -- --stack $s --json /tmp/plan-$s.json --skip-policy; done
 *      npx tsx scripts/derive-aws-replace-on-change.ts /work/.mirror/lonegunmanb+terraform-provider-aws-index/repo \
 *          v6.58.0 /tmp/plan-*.json
 *
 * The Go source is read heuristically (brace tracking over composite literals, not a Go parser; the walk is shared with
 * scripts/derive-aws-input-constraints.ts in scripts/lib/terraform-schema.ts). What it finds:
 * - the resource's registration (service_package_gen.go: TypeName -> factory, SDKv2 or framework, regional or not);
 * - SDKv2: the map literal of the factory's Schema/SchemaFunc, attributes with `ForceNew: true`, nested blocks
 *   followed through Elem (&schema.Resource{...}, closures, local vars and functions, sync.OnceValue helpers),
 *   helper calls whose name says ForceNew (tftags.TagsSchemaForceNew); ForceNew/ForceNewIf* calls reachable from
 *   CustomizeDiff (two calls deep) as conditional replacements;
 * - framework: schema.Schema{Attributes, Blocks}, attributes or blocks whose PlanModifiers hold
 *   RequiresReplace()/RequiresReplaceIfConfigured(); RequiresReplaceIf* and ModifyPlan's RequiresReplace as
 *   conditional replacements;
 * - `region` for every regional resource: the provider forces replacement when the top-level region changes
 *   (except between unset and the provider's own region).
 * What a conditional replacement's condition is, and other facts read in the code, are hand-written (CONDITIONAL,
 * NOTES); cases the heuristic gets wrong go in CORRECTIONS with their reason. The script warns (stderr) about a
 * detection without a description, a stale description or correction, an expression it could not follow that
 * may hide a replacement, and a replacing attribute without a Pulumi input. DEBUG_PATHS=1 prints each Terraform
 * path with the Pulumi path it was matched to; DEBUG_COUNTS=1 the number of replacing attributes per type.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { camel, openProviderSource, pulumiInputTypes, pulumiName, PULUMI_RENAMES, type Attr } from "./lib/terraform-schema";
import { scriptArgs } from "./lib/args";

// ---------------------------------------------------------------------------------------------------------------
// Arguments

const { option, positional } = scriptArgs();
const outPath = option("--out") ?? join(__dirname, "..", "offline", "data", "aws-replace-on-change.json");
const bridgedUpstream = option("--bridged-upstream");
const [gitDir, ref, ...planFiles] = positional();
if (!gitDir || !ref || planFiles.length === 0) {
    console.error("usage: tsx scripts/derive-aws-replace-on-change.ts <git dir> <ref> <plan.json>... [--bridged-upstream <note>] [--out <file>]");
    process.exit(2);
}
const pulumiAwsDir = join(__dirname, "..", "node_modules", "@pulumi", "aws");
const pulumiAwsVersion: string = JSON.parse(readFileSync(join(pulumiAwsDir, "package.json"), "utf8")).version;

// ---------------------------------------------------------------------------------------------------------------
// Hand corrections: cases the heuristic gets wrong, each with the reason. They are applied after derivation and
// listed in the output. (Keep this short: a correction that is no longer needed is reported as such.)

interface Correction {
    add?: string[];
    remove?: string[];
    reason: string;
}
const CORRECTIONS: Record<string, Correction> = {};

/**
 * What the conditional replacements found in the code mean, written after reading that code. Keyed by the
 * detection the script makes ("CustomizeDiff:<attr>", "RequiresReplaceIf:<attr path>", "ModifyPlan:<attr>" or
 * "ModifyPlan:*" where the paths are computed): a detection without an entry is still reported, as undescribed;
 * an entry whose detection is gone is reported as stale.
 */
interface Conditional {
    inputs: string[];
    when: string;
}
const SAME_OWNER = {
    inputs: ["expectedBucketOwner"],
    when: "it changes on an existing resource, except from unset to the caller's own account ID",
};
const CONDITIONAL: Record<string, Record<string, Conditional>> = {
    "aws:acm/certificate:Certificate": {
        "CustomizeDiff:domain_name": {
            inputs: ["domainName"],
            when: "it changes, unless the certificate is imported (type IMPORTED: the names come from certificateBody)",
        },
        "CustomizeDiff:subject_alternative_names": {
            inputs: ["subjectAlternativeNames"],
            when: "it changes, unless the certificate is imported (type IMPORTED: the names come from certificateBody)",
        },
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        "RequiresReplaceIf:delivery_destination_configuration.destination_resource_arn": {
            inputs: ["deliveryDestinationConfiguration.destinationResourceArn"],
            when: "the new ARN names another AWS service than the old one (e.g. s3 -> logs), or is unknown at plan time",
        },
    },
    "aws:docdb/cluster:Cluster": {
        "CustomizeDiff:serverless_v2_scaling_configuration": {
            inputs: ["serverlessV2ScalingConfiguration"],
            when: "the block is removed (adding or changing it updates in place)",
        },
    },
    "aws:ec2/natGateway:NatGateway": {
        "CustomizeDiff:secondary_private_ip_address_count": {
            inputs: ["secondaryPrivateIpAddressCount"],
            when: "connectivityType is private and the value, set in the program, changes",
        },
        "CustomizeDiff:regional_nat_gateway_auto_mode": {
            inputs: ["availabilityZoneAddresses"],
            when: "a regional NAT gateway's availabilityZoneAddresses goes from empty to non-empty or back (auto <-> manual mode)",
        },
    },
    "aws:ec2/subnet:Subnet": {
        "CustomizeDiff:ipv6_cidr_block": {
            inputs: ["ipv6CidrBlock"],
            when: "it changes on a subnet that had assignIpv6AddressOnCreation = true",
        },
    },
    "aws:ec2/vpc:Vpc": {
        "CustomizeDiff:cidr_block": {
            inputs: ["cidrBlock"],
            when: "it changes on an existing VPC, unless ipv4NetmaskLength is set (cidr_block then comes from IPAM and its change is ignored)",
        },
        "CustomizeDiff:instance_tenancy": {
            inputs: ["instanceTenancy"],
            when: "it changes, except from dedicated to default",
        },
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        "CustomizeDiff:private_dns_enabled": {
            inputs: ["privateDnsEnabled"],
            when: "it changes on an endpoint whose vpcEndpointType is not Interface",
        },
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        "CustomizeDiff:engine": {
            inputs: ["engine"],
            when: "it changes, except redis -> valkey, and never for a member of a global replication group",
        },
        "CustomizeDiff:engine_version": {
            inputs: ["engineVersion"],
            when: "it is a downgrade, and never for a member of a global replication group",
        },
        "CustomizeDiff:node_group_configuration": {
            inputs: ["nodeGroupConfigurations"],
            when: "the block is added or removed, or changes significantly (hasSignificantNodeGroupConfigChanges)",
        },
        "CustomizeDiff:transit_encryption_enabled": {
            inputs: ["transitEncryptionEnabled"],
            when: "it changes while the running engine version (engineVersionActual) is below 7.0.5",
        },
    },
    "aws:s3/bucketLogging:BucketLogging": { "CustomizeDiff:expected_bucket_owner": SAME_OWNER },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { "CustomizeDiff:expected_bucket_owner": SAME_OWNER },
    "aws:s3/bucketVersioning:BucketVersioning": { "CustomizeDiff:expected_bucket_owner": SAME_OWNER },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        "ModifyPlan:*": {
            inputs: ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"],
            when: "the rule's source type changes (which of the four is set); a new value of the same one updates in place",
        },
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        "ModifyPlan:*": {
            inputs: ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"],
            when: "the rule's source type changes (which of the four is set); a new value of the same one updates in place",
        },
    },
};

/** Facts about what does NOT replace, or how an update behaves, read from the same code (hand notes). */
const NOTES: Record<string, string[]> = {
    "aws:rds/instance:Instance": [
        "replicateSourceDb is not ForceNew: clearing it promotes the replica in place (PromoteReadReplica); changing it to another source, or setting it on an existing standalone instance, fails at apply (\"cannot elect new source database for replication\"); an ARN and the bare identifier of the same source compare equal (DiffSuppressFunc).",
        "storageEncrypted is ForceNew, Optional and not Computed, and Read stores the value AWS reports. An instance that leaves it unset while AWS reports true (a replica of an encrypted source) diffs true -> false, and the plugin SDK sets RequiresNew on a ForceNew value going to unset as well (schema.finalizeDiff): set it to the real value on replicas.",
        "identifier and identifierPrefix are not ForceNew: a change renames the instance in place.",
        "engineVersion, storageType, instanceClass, allocatedStorage and multiAz update in place; the resource's CustomizeDiff only validates blueGreenUpdate and replicateSourceDb (no conditional ForceNew).",
    ],
    "aws:route53/record:Record": ["type is not ForceNew at this ref (it was at v6.46.0): a change updates the record in place."],
};

// ---------------------------------------------------------------------------------------------------------------
// The provider's source and the Pulumi input types (scripts/lib/terraform-schema.ts)

const { layout, commit, commitDate, findFunc, findVar, sdkResource, frameworkResource, registrations, terraformName } = openProviderSource(gitDir, ref);
const { interfaceProps, nestedProps } = pulumiInputTypes(pulumiAwsDir);

// ---------------------------------------------------------------------------------------------------------------
// Derivation

interface TypeEntry {
    terraform: string;
    plugin: "sdkv2" | "framework";
    replaceOnChanges: string[];
    computed?: string[];
    setByProgram?: string[];
    conditional?: (Conditional & { source: string })[];
    notes?: string[];
    inputsNotInSource?: string[];
}

const plans = planFiles.map((f) => JSON.parse(readFileSync(f, "utf8")) as { resources: { type: string; inputs?: Record<string, unknown> }[] });
const usedInputs = new Map<string, Set<string>>();
for (const plan of plans) {
    for (const r of plan.resources) {
        if (!r.type.startsWith("aws:")) continue;
        const set = usedInputs.get(r.type) ?? new Set<string>();
        for (const k of Object.keys(r.inputs ?? {})) set.add(k);
        usedInputs.set(r.type, set);
    }
}

/** Whether an expression the heuristic did not follow could hide a replacement (its own text mentions one). */
function mayHideReplacement(pkg: string, expr: string): boolean {
    const name = /^(?:\w+\.)?(\w+)/.exec(expr.trim())?.[1];
    const text = name && (findFunc(pkg, name) ?? findVar(pkg, name));
    return !text || /ForceNew|RequiresReplace/.test(text);
}

const types: Record<string, TypeEntry> = {};
const unresolvedTypes: string[] = [];
const warnings: string[] = [];
for (const token of [...usedInputs.keys()].sort()) {
    const tf = terraformName(token);
    const reg = tf && registrations.get(tf);
    if (!tf || !reg) {
        unresolvedTypes.push(token);
        continue;
    }
    const [, mod, file, name] = /^aws:(\w+)\/(\w+):(\w+)$/.exec(token)!;
    const dts = join(pulumiAwsDir, mod, `${file}.d.ts`);
    const args = existsSync(dts) ? interfaceProps(readFileSync(dts, "utf8"), `${name}Args`) : undefined;
    if (!args) warnings.push(`${token}: no ${name}Args in ${dts}`);

    const { attrs, detections } = reg.kind === "sdkv2" ? sdkResource(reg.pkg, reg.factory) : frameworkResource(reg.pkg, reg.factory);

    const replace: string[] = [];
    const computed: string[] = [];
    const pulumiPaths = new Map<string, string>(); // Terraform path -> Pulumi path
    const walk = (list: Attr[], props: Map<string, string | undefined> | undefined, prefix: string, tfPrefix: string, parentReplaces: boolean) => {
        for (const a of list) {
            if (a.name === "timeouts") continue; // Terraform operation timeouts: not a Pulumi input
            const pName = props ? pulumiName(a.name, props, prefix ? {} : PULUMI_RENAMES[tf]) : undefined;
            if (props && !pName && (a.replace || a.nested.some((n) => n.replace)) && !(a.computed && !a.replace)) {
                warnings.push(`${token}: ${tfPrefix}${a.name} forces replacement but has no Pulumi input`);
            }
            const path = prefix + (pName ?? camel(a.name));
            pulumiPaths.set(tfPrefix + a.name, path);
            if (a.unresolved && mayHideReplacement(reg.pkg, a.unresolved)) warnings.push(`${token}: ${path} = ${a.unresolved.slice(0, 80)} not followed`);
            if (a.replace && !parentReplaces && (pName || !props)) {
                if (process.env.DEBUG_PATHS) console.error(`path ${token} ${tfPrefix}${a.name} -> ${path}`);
                replace.push(path);
                if (a.computed) computed.push(path);
            }
            if (a.conditional) detections.push({ key: `${a.conditional}:${tfPrefix}${a.name}`.replace(/^RequiresReplaceIf\w*:/, "RequiresReplaceIf:"), path: tfPrefix + a.name, where: a.conditional });
            if (a.nested.length) {
                const ref = pName && props ? props.get(pName) : undefined;
                walk(a.nested, ref ? nestedProps(ref) : undefined, path + ".", tfPrefix + a.name + ".", parentReplaces || a.replace);
            }
        }
    };
    walk(attrs, args, "", "", false);
    if (reg.regional && args?.has("region")) replace.push("region");
    if (process.env.DEBUG_COUNTS) {
        const count = (l: Attr[]): number => l.reduce((n, a) => n + (a.replace ? 1 : 0) + count(a.nested), 0);
        console.error(`count ${token} ${reg.pkg} ${reg.factory} ${count(attrs)}`);
    }

    // Conditional replacement: what the code shows, described by the hand table where it has an entry.
    const hand = CONDITIONAL[token] ?? {};
    const conditional: (Conditional & { source: string })[] = [];
    for (const d of detections) {
        const described = hand[d.key];
        if (described) conditional.push({ ...described, source: d.where });
        else {
            const input = d.path ? (pulumiPaths.get(d.path) ?? camel(d.path)) : "(computed in code)";
            conditional.push({ inputs: [input], when: `undescribed: see ${d.where}`, source: d.where });
            warnings.push(`${token}: conditional replacement ${d.key} (${d.where}) has no description in CONDITIONAL`);
        }
    }
    for (const key of Object.keys(hand)) if (!detections.some((d) => d.key === key)) warnings.push(`${token}: CONDITIONAL entry ${key} is stale`);

    const fix = CORRECTIONS[token];
    let list = [...new Set(replace)];
    const notes = [...(NOTES[token] ?? [])];
    if (fix) {
        const stale = [...(fix.add ?? []).filter((a) => list.includes(a)), ...(fix.remove ?? []).filter((r) => !list.includes(r))];
        if (stale.length) warnings.push(`${token}: correction no longer needed for ${stale.join(", ")}`);
        list = [...list.filter((a) => !(fix.remove ?? []).includes(a)), ...(fix.add ?? [])];
        notes.push(`hand correction: ${fix.reason}`);
    }
    list.sort();

    const entry: TypeEntry = { terraform: tf, plugin: reg.kind, replaceOnChanges: list };
    const comp = computed.filter((c) => list.includes(c)).sort();
    if (comp.length) entry.computed = comp;
    const used = usedInputs.get(token)!;
    const set = [...new Set(list.map((p) => p.split(".")[0]).filter((p) => used.has(p)))];
    if (set.length) entry.setByProgram = set;
    if (conditional.length) entry.conditional = conditional;
    if (notes.length) entry.notes = notes;
    // Inputs of the installed @pulumi/aws that the source ref does not have (added upstream after it).
    const known = new Set(pulumiPaths.values());
    const missing = [...(args?.keys() ?? [])].filter((p) => !known.has(p) && !["region", "tags", "timeouts"].includes(p));
    if (missing.length) entry.inputsNotInSource = missing;
    types[token] = entry;
}

const corrections = Object.entries(CORRECTIONS).map(([t, c]) => `${t}: ${c.reason}`);
const output = {
    source: {
        repository: "hashicorp/terraform-provider-aws",
        ref,
        date: commitDate,
        bridgedBy: `@pulumi/aws ${pulumiAwsVersion}`,
        ...(bridgedUpstream ? { bridgedUpstream } : {}),
        readFrom:
            layout === "repo"
                ? `git mirror of hashicorp/terraform-provider-aws at ${commit}`
                : `lonegunmanb/terraform-provider-aws-index (the provider's Go source cut one file per function, method, type and var), tag ${ref}, commit ${commit}`,
        derivedBy: "scripts/derive-aws-replace-on-change.ts",
        plans: planFiles.map((f) => f.replace(/^.*\//, "")),
        note: [
            "Derived by reading the schema source heuristically (brace tracking), then matching each Terraform attribute to the @pulumi/aws input of the same name (camelCase, list names pluralized; renames in PULUMI_RENAMES).",
            corrections.length ? `Hand corrections: ${corrections.join("; ")}.` : "No hand corrections were needed.",
            "conditional[].when and notes are written by hand after reading the code; the detections themselves are the script's.",
        ].join(" "),
    },
    legend: {
        replaceOnChanges:
            "Pulumi input names (camelCase; nested inputs as dot paths, list elements not marked) whose change replaces the resource: Terraform ForceNew or RequiresReplace. A nested path is listed only when its enclosing input does not itself force replacement. `region` (every regional resource) forces replacement unless it moves between unset and the provider's region (provider-wide CustomizeDiff).",
        computed:
            "Of those, inputs the provider computes when unset: leaving them unset never replaces; setting one to a value other than the one AWS holds does. An input not listed here diffs against its zero value when unset, so leaving it unset replaces the resource once AWS reports another value.",
        setByProgram: "Top-level inputs of replaceOnChanges that the program sets in at least one of the plans this was derived from.",
        conditional: "Inputs whose change replaces the resource only under a condition (CustomizeDiff ForceNew, RequiresReplaceIf, ModifyPlan); source is the function that decides.",
        notes: "Hand notes read from the same code.",
        inputsNotInSource: "Inputs of the installed @pulumi/aws that the source ref lacks (added upstream later): their replacement behaviour is not covered here.",
    },
    types,
};
if (unresolvedTypes.length) console.error(`unresolved types: ${unresolvedTypes.join(", ")}`);
for (const w of warnings) console.error(`warning: ${w}`);
writeFileSync(outPath, JSON.stringify(output, null, 2) + "\n");
console.error(`${Object.keys(types).length} types written to ${outPath} (${layout} layout, ${ref} ${commit.slice(0, 7)} ${commitDate})`);
