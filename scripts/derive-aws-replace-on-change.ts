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
 * The Go source is read heuristically (brace tracking over composite literals, not a Go parser). What it finds:
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
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// ---------------------------------------------------------------------------------------------------------------
// Arguments

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const [value] = argv.splice(i, 2).slice(1);
    return value;
};
const outPath = option("--out") ?? join(__dirname, "..", "offline", "data", "aws-replace-on-change.json");
const bridgedUpstream = option("--bridged-upstream");
const [gitDir, ref, ...planFiles] = argv;
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

/** Pulumi tokens whose Terraform name the token-to-name rule cannot guess. */
const TOKEN_TO_TERRAFORM: Record<string, string> = {
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
};
/** Terraform attributes the bridge gives another Pulumi name than the camelCase one (pulumi-aws resources.go). */
const PULUMI_RENAMES: Record<string, Record<string, string>> = {
    aws_cloudwatch_metric_alarm: { alarm_name: "name" },
};
/** Pulumi module -> Terraform name prefixes tried besides aws_<module>_ and aws_. */
const MODULE_PREFIXES: Record<string, string[]> = {
    rds: ["db"],
    serverlessrepository: ["serverlessapplicationrepository"],
};

// ---------------------------------------------------------------------------------------------------------------
// Git access

const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });

/** Reads many blobs at once (git cat-file --batch); returns path -> text. */
function readBlobs(paths: string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (paths.length === 0) return out;
    const buf = execFileSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
        input: paths.map((p) => `${ref}:${p}`).join("\n") + "\n",
        maxBuffer: 1 << 30,
    });
    let pos = 0;
    for (const path of paths) {
        const eol = buf.indexOf(10, pos);
        const header = buf.subarray(pos, eol).toString("utf8");
        pos = eol + 1;
        if (header.endsWith(" missing")) continue;
        const size = Number(header.split(" ")[2]);
        out.set(path, buf.subarray(pos, pos + size).toString("utf8"));
        pos += size + 1;
    }
    return out;
}

const allPaths = git("ls-tree", "-r", "--name-only", ref).split("\n").filter(Boolean);
const layout: "repo" | "index" = allPaths.includes("index/terraform-provider-aws-index.json") ? "index" : "repo";
const [commit, commitDate] = git("log", "-1", "--format=%H %cs", ref).trim().split(" ");

/** Directory (in the mirror) of a provider package, e.g. "internal/service/rds" or "internal/tags". */
const packageDir = (pkg: string) => (layout === "index" ? `index/${pkg}` : pkg);
const isSource = (p: string) => (layout === "index" ? p.endsWith(".goindex") : p.endsWith(".go") && !p.endsWith("_test.go"));

const packageCache = new Map<string, string[]>();
/** All source texts of one provider package (e.g. "internal/service/ec2"). */
function packageTexts(pkg: string): string[] {
    let texts = packageCache.get(pkg);
    if (!texts) {
        const dir = packageDir(pkg) + "/";
        const paths = allPaths.filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes("/") && isSource(p));
        texts = [...readBlobs(paths).values()];
        packageCache.set(pkg, texts);
    }
    return texts;
}

// ---------------------------------------------------------------------------------------------------------------
// Go text helpers (brace tracking that skips strings, runes and comments)

/** Index just past the bracket that closes the one at `open` (one of ({[). */
function matchBracket(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
        } else if (c === "`") {
            i = text.indexOf("`", i + 1);
        } else if (c === "/" && text[i + 1] === "/") {
            i = text.indexOf("\n", i);
            if (i < 0) return text.length;
        } else if (c === "/" && text[i + 1] === "*") {
            i = text.indexOf("*/", i + 2) + 1;
        } else if (c === "(" || c === "{" || c === "[") {
            depth++;
        } else if (c === ")" || c === "}" || c === "]") {
            depth--;
            if (depth === 0) return i + 1;
        }
    }
    return text.length;
}

/** Splits a composite literal's inside at top-level commas; drops comments and empty parts. */
function splitTopLevel(body: string, sep = ","): string[] {
    const parts: string[] = [];
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === '"' || c === "'") {
            for (i++; i < body.length && body[i] !== c; i++) if (body[i] === "\\") i++;
        } else if (c === "`") {
            i = body.indexOf("`", i + 1);
        } else if (c === "/" && body[i + 1] === "/") {
            i = body.indexOf("\n", i);
            if (i < 0) i = body.length;
        } else if (c === "/" && body[i + 1] === "*") {
            i = body.indexOf("*/", i + 2) + 1;
        } else if (c === "(" || c === "{" || c === "[") {
            i = matchBracket(body, i) - 1;
        } else if (c === sep) {
            parts.push(body.slice(start, i));
            start = i + 1;
            if (sep === ":") break; // key: value — only the first colon
        }
    }
    parts.push(body.slice(start));
    return parts.map(stripComments).map((s) => s.trim()).filter(Boolean);
}
const stripComments = (s: string) => s.replace(/^\s*\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");

/** `key: value` pairs of a keyed composite literal's inside. */
function keyedElements(body: string): [string, string][] {
    return splitTopLevel(body).flatMap((element) => {
        const [key, value] = splitTopLevel(element, ":");
        return value === undefined ? [] : [[key, value] as [string, string]];
    });
}

/** Inside of the first composite literal whose type text matches `type` in `text`. */
function literalInside(text: string, type: RegExp): string | undefined {
    const m = type.exec(text);
    if (!m) return undefined;
    const open = m.index + m[0].length - 1;
    return text.slice(open + 1, matchBracket(text, open) - 1);
}

/** Body of `func name(` or `func (r *T) name(` in a package. */
function findFunc(pkg: string, name: string, receiver?: string): string | undefined {
    const re = receiver
        ? new RegExp(`\\nfunc \\(\\w* ?\\*?${receiver}\\) ${name}\\(`)
        : new RegExp(`(^|\\n)func ${name}(\\[[^\\]]*\\])?\\(`);
    for (const text of packageTexts(pkg)) {
        const m = re.exec(text);
        if (!m) continue;
        const open = text.indexOf("{\n", m.index);
        return text.slice(open, matchBracket(text, open));
    }
    return undefined;
}

/** A method of a struct type or, failing that, of a struct it embeds (same package). */
function findMethod(pkg: string, name: string, struct: string, depth = 0): string | undefined {
    const own = findFunc(pkg, name, struct);
    if (own || depth > 3) return own;
    for (const text of packageTexts(pkg)) {
        const m = new RegExp(`(^|\\n)type ${struct} struct \\{`).exec(text);
        if (!m) continue;
        const open = text.indexOf("{", m.index + m[0].length - 1);
        for (const e of text.slice(open + 1, matchBracket(text, open) - 1).matchAll(/^\s*\*?(\w+)\s*$/gm)) {
            const found = findMethod(pkg, name, e[1], depth + 1);
            if (found) return found;
        }
    }
    return undefined;
}

/** Right-hand side of a package-level `name = ...` (var) in a package. */
function findVar(pkg: string, name: string): string | undefined {
    const re = new RegExp(`(^|\\n)\\s*(var )?${name}\\s*(\\*?[\\w.\\[\\]]+\\s*)?=\\s*[^=]`);
    for (const text of packageTexts(pkg)) {
        const m = re.exec(text);
        if (!m) continue;
        const start = m.index + m[0].length - 1;
        const brace = text.indexOf("{", start);
        const eol = text.indexOf("\n", start);
        return brace >= 0 && brace < eol ? text.slice(start, matchBracket(text, brace)) : text.slice(start, eol);
    }
    return undefined;
}

/** Package path of an import alias as used in `pkg` (e.g. tftags -> internal/tags). */
function importedPackage(pkg: string, alias: string): string | undefined {
    for (const text of packageTexts(pkg)) {
        const m = new RegExp(`(?:^|\\s)(?:${alias}\\s+)?"github\\.com/hashicorp/terraform-provider-aws/([\\w/]+)"`, "m").exec(text);
        if (m && (m[0].trim().startsWith(alias) || m[1].endsWith(`/${alias}`))) return m[1];
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Attribute-name constants (names.AttrFoo, local consts)

const namesConsts = new Map<string, string>();
if (layout === "repo") {
    for (const text of packageTexts("names")) {
        for (const m of text.matchAll(/\b(\w+)\s*=\s*"([a-z0-9_]+)"/g)) namesConsts.set(m[1], m[2]);
    }
}
/** AttrKMSKeyID -> kms_key_id (rule used where the constant's own text is not available). */
const snakeFromIdentifier = (id: string) =>
    id
        .replace(/^Attr/, "")
        .match(/IPv[46]|[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g)!
        .map((s) => s.toLowerCase())
        .join("_");

function keyName(pkg: string, key: string): string | undefined {
    if (key.startsWith('"')) return key.slice(1, -1);
    const m = /^names\.(\w+)$/.exec(key);
    if (m) return namesConsts.get(m[1]) ?? snakeFromIdentifier(m[1]);
    if (/^\w+$/.test(key)) {
        for (const text of packageTexts(pkg)) {
            const c = new RegExp(`\\b${key}\\s*=\\s*"([a-z0-9_]+)"`).exec(text);
            if (c) return c[1];
        }
        return snakeFromIdentifier(key.replace(/^attr/, "Attr"));
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema model

interface Attr {
    name: string; // Terraform name
    replace: boolean; // ForceNew / RequiresReplace
    conditional?: string; // RequiresReplaceIf* and the like
    computed: boolean;
    nested: Attr[];
    unresolved?: string; // expression the heuristic could not follow
}

// --- SDKv2

/** `scope` is the text of the function the literal sits in (for closures such as `x := func() *schema.Schema {...}`). */
function sdkSchemaMap(pkg: string, map: string, scope: string, depth = 0): Attr[] {
    return keyedElements(map).map(([key, value]) => sdkAttr(pkg, keyName(pkg, key) ?? key, value, scope, depth));
}

function sdkAttr(pkg: string, name: string, value: string, scope: string, depth: number): Attr {
    let body: string | undefined;
    const literal = /^&?(schema\.Schema)?\{/.exec(value);
    if (literal) body = value.slice(value.indexOf("{") + 1, matchBracket(value, value.indexOf("{")) - 1);
    else {
        const resolved = resolveExpression(pkg, value, scope);
        if (resolved.body !== undefined) body = resolved.body;
        else
            return {
                name,
                replace: /ForceNew/.test(value),
                computed: /Computed/.test(value),
                nested: [],
                unresolved: /ForceNew|Computed|^tftags\.|^sdkv2\./.test(value) ? undefined : value,
            };
    }
    const fields = new Map(keyedElements(body));
    const attr: Attr = {
        name,
        replace: fields.get("ForceNew") === "true",
        computed: fields.get("Computed") === "true",
        nested: [],
    };
    const elem = fields.get("Elem");
    if (elem && depth < 8) {
        const map = elemSchemaMap(pkg, elem, scope);
        if (map !== undefined) attr.nested = sdkSchemaMap(map.pkg, map.map, map.scope, depth + 1);
    }
    return attr;
}

function sdkResource(pkg: string, factory: string): { attrs: Attr[]; detections: Detection[] } {
    const text = findFunc(pkg, factory);
    if (!text) throw new Error(`${pkg}: no func ${factory}`);
    // The returned literal (a factory may build other resources first, e.g. a V0 schema for a state upgrader).
    const resource = keyedElements(literalInside(text, /return &schema\.Resource\{/) ?? literalInside(text, /&schema\.Resource\{/) ?? "");
    const field = resource.find(([k]) => k === "Schema" || k === "SchemaFunc");
    const map = field && schemaMapOf(pkg, field[1], text);
    if (map === undefined) throw new Error(`${pkg}: no schema map in ${factory}`);
    return { attrs: sdkSchemaMap(map.pkg, map.map, map.scope), detections: customizeDiffForceNew(pkg, resource) };
}

/** The map[string]*schema.Schema literal a Schema/SchemaFunc value stands for (inline, var, func, maps.Clone(x)). */
function schemaMapOf(pkg: string, expr: string, scope: string, depth = 0): { pkg: string; map: string; scope: string } | undefined {
    const inline = literalInside(expr, /map\[string\]\*schema\.Schema\{/);
    if (inline !== undefined) return { pkg, map: inline, scope };
    if (depth > 3) return undefined;
    const inner = /^maps\.Clone\(([\s\S]*)\)$/.exec(expr.trim());
    const resolved = resolveExpression(pkg, inner ? inner[1] : expr, scope);
    if (!resolved.text) return undefined;
    const map = literalInside(resolved.text, /map\[string\]\*schema\.Schema\{/);
    if (map !== undefined) return { pkg: resolved.pkg, map, scope: resolved.text };
    const ref = /return\s+([\w.]+(\([^)]*\))?)/.exec(resolved.text);
    return ref ? schemaMapOf(resolved.pkg, ref[1], resolved.text, depth + 1) : undefined;
}

/** The map[string]*schema.Schema of an Elem value, if it is a nested resource (not &schema.Schema{...}). */
function elemSchemaMap(pkg: string, elem: string, scope: string) {
    return /^&schema\.Schema\{/.test(elem) ? undefined : schemaMapOf(pkg, elem, scope);
}

/** Follows a closure in `scope`, a local var or function, or package.Function(), to its text. */
function resolveExpression(pkg: string, expr: string, scope = ""): { pkg: string; text?: string; body?: string } {
    const m = /^(?:(\w+)\.)?(\w+)(\[[^\]]*\])?(\(([\s\S]*)\))?$/.exec(expr.trim());
    if (!m) return { pkg };
    const [, alias, name, , call] = m;
    const local = !alias && new RegExp(`\\b${name}\\s*:=\\s*`).exec(scope);
    let text: string | undefined;
    let target: string | undefined = pkg;
    if (local) {
        const start = local.index + local[0].length;
        const brace = scope.indexOf("{", start);
        text = scope.slice(start, brace >= 0 && brace < scope.indexOf("\n", start) ? matchBracket(scope, brace) : scope.indexOf("\n", start));
    } else {
        target = alias ? importedPackage(pkg, alias) : pkg;
        if (!target) return { pkg };
        text = call ? (findFunc(target, name) ?? findVar(target, name)) : (findVar(target, name) ?? findFunc(target, name));
    }
    if (!text) return { pkg: target };
    const body = literalInside(text, /&schema\.Schema\{/);
    return { pkg: target, text, body };
}

interface Detection {
    key: string; // "CustomizeDiff:engine", "RequiresReplaceIf:a.b", "ModifyPlan:*"
    path?: string; // Terraform attribute path, when known
    where: string; // the function it was found in
}

/** Each ForceNew/ForceNewIf* call reachable from the resource's CustomizeDiff (two calls deep). */
function customizeDiffForceNew(pkg: string, resource: [string, string][]): Detection[] {
    const field = resource.find(([k]) => k === "CustomizeDiff");
    if (!field) return [];
    const found = new Map<string, Detection>();
    const scan = (text: string, where: string, depth: number) => {
        for (const call of text.matchAll(/\bForceNew(If|IfChange)?\(\s*([\w."]+)/g)) {
            const name = keyName(pkg, call[2]);
            if (name && name !== "region" && !found.has(name))
                found.set(name, { key: `CustomizeDiff:${name}`, path: name, where: call[1] ? `customdiff.ForceNew${call[1]} in ${where}` : where });
        }
        if (depth > 1) return;
        for (const ref of text.matchAll(/(?<![.\w])([a-z]\w*)\b(?!\s*:)/g)) {
            const fn = ref[1];
            if (fn === where || /^(func|return|if|else|for|range|switch|case|ctx|d|diff|meta|err|nil|true|false|string|int|bool|any|interface|context|schema|customdiff|verify)$/.test(fn)) continue;
            const body = findFunc(pkg, fn);
            if (body) scan(body, fn, depth + 1);
        }
    };
    scan(field[1], "CustomizeDiff", 0);
    return [...found.values()];
}

// --- Framework

function fwAttributes(pkg: string, map: string, depth = 0): Attr[] {
    return keyedElements(map).map(([key, value]) => fwElement(pkg, keyName(pkg, key) ?? key, value, depth));
}

function fwElement(pkg: string, name: string, value: string, depth: number): Attr {
    let text = value;
    if (!/^schema\.\w+\{/.test(value)) {
        const resolved = resolveExpression(pkg, value);
        // A helper's own text decides (its literal or its name); otherwise the call's text (plan modifiers passed in).
        const literal = resolved.text && /return\s+(schema\.\w+\{)/.exec(resolved.text);
        if (literal && resolved.text) {
            const open = resolved.text.indexOf("{", literal.index + literal[0].length - 1);
            text = resolved.text.slice(literal.index + 7, matchBracket(resolved.text, open));
            pkg = resolved.pkg;
        }
    }
    const open = text.indexOf("{");
    const body = open >= 0 && /^schema\.\w+\{/.test(text.trim()) ? text.slice(open + 1, matchBracket(text, open) - 1) : "";
    const fields = new Map(keyedElements(body));
    const modifiers = body ? (fields.get("PlanModifiers") ?? "") : text;
    const attr: Attr = {
        name,
        replace: /\bRequiresReplace(IfConfigured)?\(\)/.test(modifiers),
        computed: body ? fields.get("Computed") === "true" : /Computed/.test(text),
        nested: [],
    };
    const conditional = /\b(RequiresReplace(?!IfConfigured\b)(?:If|When|WO)\w*)\b/.exec(modifiers);
    if (conditional) attr.conditional = conditional[1];
    if (!body && !/^(framework|tftags)\./.test(value)) attr.unresolved = value;
    if (depth < 8 && body) {
        const object = fields.get("NestedObject");
        const inner = object ? new Map(keyedElements(object.slice(object.indexOf("{") + 1, matchBracket(object, object.indexOf("{")) - 1))) : fields;
        for (const kind of ["Attributes", "Blocks"]) {
            const m = inner.get(kind);
            if (!m) continue;
            const mapBody = m.startsWith("map[") ? m.slice(m.indexOf("{") + 1, matchBracket(m, m.indexOf("{")) - 1) : undefined;
            if (mapBody !== undefined) attr.nested.push(...fwAttributes(pkg, mapBody, depth + 1));
        }
    }
    return attr;
}

function frameworkResource(pkg: string, factory: string): { attrs: Attr[]; detections: Detection[] } {
    const factoryText = findFunc(pkg, factory);
    const struct = factoryText && /&(\w+)\{/.exec(factoryText)?.[1];
    if (!struct) throw new Error(`${pkg}: cannot find the resource type made by ${factory}`);
    const schemaText = findMethod(pkg, "Schema", struct);
    const inside = schemaText && literalInside(schemaText, /schema\.Schema\{/);
    if (inside === undefined) throw new Error(`${pkg}: no Schema method on ${struct}`);
    const fields = new Map(keyedElements(inside));
    const attrs: Attr[] = [];
    for (const kind of ["Attributes", "Blocks"]) {
        const m = fields.get(kind);
        if (m) attrs.push(...fwAttributes(pkg, m.slice(m.indexOf("{") + 1, matchBracket(m, m.indexOf("{")) - 1)));
    }
    const modifyPlan = findMethod(pkg, "ModifyPlan", struct) ?? "";
    const detections = new Map<string, Detection>();
    for (const m of modifyPlan.matchAll(/\bRequiresReplace\b[\s\S]{0,120}?path\.Root\(\s*([\w."]+)/g)) {
        const literal = /^"|^names\./.test(m[1]) ? keyName(pkg, m[1]) : undefined;
        const key = `ModifyPlan:${literal ?? "*"}`;
        detections.set(key, { key, path: literal, where: `${struct}.ModifyPlan` });
    }
    return { attrs, detections: [...detections.values()] };
}

// ---------------------------------------------------------------------------------------------------------------
// Registrations: TypeName -> service package, factory, kind, regional

interface Registration {
    pkg: string;
    factory: string;
    kind: "sdkv2" | "framework";
    regional: boolean;
}
const registrations = new Map<string, Registration>();
{
    const files =
        layout === "repo"
            ? allPaths.filter((p) => /^internal\/service\/\w+\/service_package_gen\.go$/.test(p))
            : allPaths.filter((p) => /^index\/internal\/service\/\w+\/method\.servicePackage\.(SDK|Framework)Resources\.goindex$/.test(p));
    for (const [path, text] of readBlobs(files)) {
        const pkg = path.replace(/^index\//, "").replace(/\/[^/]+$/, "");
        for (const fn of text.matchAll(/func \(p \*servicePackage\) (SDK|Framework)Resources\(/g)) {
            const open = text.indexOf("{\n", fn.index);
            const body = text.slice(open, matchBracket(text, open));
            for (const entry of body.matchAll(/Factory:\s*(\w+),\s*TypeName:\s*"(aws_\w+)"/g)) {
                const rest = body.slice(entry.index);
                const end = rest.search(/\n\t\t\},?\n/);
                registrations.set(entry[2], {
                    pkg,
                    factory: entry[1],
                    kind: fn[1] === "SDK" ? "sdkv2" : "framework",
                    regional: /Region:\s*(unique\.Make\()?inttypes\.ResourceRegionDefault\(\)/.test(rest.slice(0, end)),
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Pulumi side: token -> Terraform name, and input names from the SDK's .d.ts

const normalize = (s: string) => s.replace(/_/g, "").toLowerCase();
const normalizedRegistrations = new Map([...registrations.keys()].map((n) => [normalize(n), n]));

function terraformName(token: string): string | undefined {
    if (TOKEN_TO_TERRAFORM[token]) return TOKEN_TO_TERRAFORM[token];
    const [, mod, , name] = /^aws:(\w+)\/(\w+):(\w+)$/.exec(token)!;
    for (const prefix of [mod, ...(MODULE_PREFIXES[mod] ?? []), ""]) {
        const hit = normalizedRegistrations.get(normalize(`aws_${prefix}_${name}`));
        if (hit) return hit;
    }
    return undefined;
}

const inputTypes = readFileSync(join(pulumiAwsDir, "types", "input.d.ts"), "utf8");
/** Properties of an interface: name -> referenced nested input type ("mod.Type") if any. */
function interfaceProps(text: string, iface: string): Map<string, string | undefined> | undefined {
    const m = new RegExp(`\\n\\s*(?:export )?interface ${iface} \\{`).exec(text);
    if (!m) return undefined;
    const open = m.index + m[0].length - 1;
    const body = text.slice(open + 1, matchBracket(text, open) - 1);
    const props = new Map<string, string | undefined>();
    for (const p of body.matchAll(/\n\s*(?:readonly )?(\w+)\??: ([^;]*);/g)) props.set(p[1], /inputs\.(\w+\.\w+)/.exec(p[2])?.[1]);
    return props;
}
function nestedProps(ref: string) {
    const [mod, type] = ref.split(".");
    const ns = new RegExp(`\\nexport declare namespace ${mod} \\{`).exec(inputTypes);
    if (!ns) return undefined;
    const open = ns.index + ns[0].length - 1;
    return interfaceProps(inputTypes.slice(open, matchBracket(inputTypes, open)), type);
}
/** Pulumi name of a Terraform attribute among `props` (the bridge camelCases and pluralizes list names). */
function pulumiName(tf: string, props: Map<string, string | undefined>, renames: Record<string, string> = {}): string | undefined {
    if (renames[tf] && props.has(renames[tf])) return renames[tf];
    const n = normalize(tf);
    const candidates = [n, n + "s", n + "es", n.replace(/y$/, "ies")];
    return [...props.keys()].find((p) => candidates.includes(p.toLowerCase()));
}
const camel = (tf: string) => tf.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

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
