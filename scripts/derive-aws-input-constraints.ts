/**
 * Derives offline/data/aws-input-constraints.json: for every AWS resource type the program registers, the input
 * constraints the bridged provider enforces at `pulumi preview` (Terraform's plan-time validation, which the mock
 * runtime skips), per Pulumi input path, plus constraints AWS enforces that the provider does not (hand-written,
 * each with its source: HAND below). offline/fidelity/aws-inputs.ts applies them to a plan.
 *
 * Source: the same schemas scripts/derive-aws-replace-on-change.ts walks (the walk is shared:
 * scripts/lib/terraform-schema.ts), from a local bare git mirror of hashicorp/terraform-provider-aws or of
 * lonegunmanb/terraform-provider-aws-index, and the plan records written by `npm run plan -- --json <file>` (which
 * `aws:` types the program registers). Pulumi input names and their optionality come from
 * node_modules/@pulumi/aws/**.d.ts.
 *
 *   npx tsx scripts/derive-aws-input-constraints.ts <git dir> <ref> <plan.json>... [--date YYYY-MM-DD] [--out <file>]
 *
 * e.g. for s in dev staging prod prod-dr; do npm run plan -- --stack $s --json /tmp/plan-$s.json --skip-policy; done
 *      npx tsx scripts/derive-aws-input-constraints.ts /work/.mirror/lonegunmanb+terraform-provider-aws-index/repo \
 *          v6.58.0 /tmp/plan-*.json --date 2026-12-05
 *
 * What it reads, per attribute (SDKv2 schema.Schema literal, framework attribute or block):
 * - SDKv2 ValidateFunc / ValidateDiagFunc (also on Elem: &schema.Schema{...} of a list or set of primitives):
 *   validation.IntBetween/IntAtLeast/IntAtMost/IntInSlice, IsPortNumber(OrZero), FloatBetween/FloatAtLeast/
 *   FloatAtMost, verify.FloatGreaterThan, StringLenBetween, StringIsNotEmpty, StringIsNotWhiteSpace, NoZeroValues,
 *   StringInSlice (literal values, provider-local consts and `xxx_Values()` functions), StringMatch and
 *   StringDoesNotMatch (RE2 translated to a JS RegExp, see translateRegexp), StringIsJSON, validation.All (the
 *   parts it can read: All means each must hold), validation.Any (only when every branch is readable), ToDiagFunc
 *   and local vars or funcs that return one of these;
 * - framework Validators: stringvalidator.LengthBetween/LengthAtLeast/LengthAtMost/OneOf/RegexMatches,
 *   int32/int64validator.Between/AtLeast/AtMost/OneOf, listvalidator.SizeAtMost/SizeAtLeast/SizeBetween,
 *   IsRequired, ValueStringsAre, and the path-based ConflictsWith/ExactlyOneOf/AtLeastOneOf/AlsoRequires of
 *   sibling or root paths;
 * - Required, MaxItems, MinItems, ConflictsWith, RequiredWith, ExactlyOneOf, AtLeastOneOf.
 * What it cannot read, and counts under `skipped` by reason: AWS SDK enums (enum.Validate[awstypes.X]: their values
 * live in aws-sdk-go-v2, not in the provider; recorded as `sdkEnum` and not checked), provider Go functions with
 * their own code (verify.ValidARN, validIdentifier written as Go, ...), RE2 syntax without an exact JS equivalent,
 * framework resource-level ConfigValidators and CustomizeDiff/ModifyPlan checks, map-typed attributes, and helper
 * expressions the shared walk does not follow (tftags.TagsSchema(), ...). `Required` is recorded only where the
 * installed @pulumi/aws also declares the input required (the bridge makes some required Terraform attributes
 * optional, e.g. auto-named ones); top-level required inputs are also enforced by the SDK itself.
 */
import { readFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { camel, keyedElements, matchBracket, openProviderSource, pulumiInputTypes, pulumiName, PULUMI_RENAMES, splitTopLevel, type Attr } from "./lib/terraform-schema";
import { scriptArgs } from "./lib/args";

const { option, positional } = scriptArgs();
const outPath = option("--out") ?? join(__dirname, "..", "offline", "data", "aws-input-constraints.json");
const date = option("--date") ?? new Date().toISOString().slice(0, 10);
const [gitDir, ref, ...planFiles] = positional();
if (!gitDir || !ref || planFiles.length === 0) {
    console.error("usage: tsx scripts/derive-aws-input-constraints.ts <git dir> <ref> <plan.json>... [--date YYYY-MM-DD] [--out <file>]");
    process.exit(2);
}
const pulumiAwsDir = join(__dirname, "..", "node_modules", "@pulumi", "aws");
const pulumiAwsVersion: string = JSON.parse(readFileSync(join(pulumiAwsDir, "package.json"), "utf8")).version;
const provider = openProviderSource(gitDir, ref);
const { nestedProps } = pulumiInputTypes(pulumiAwsDir);

// ---------------------------------------------------------------------------------------------------------------
// The data's form (offline/fidelity/aws-inputs.ts reads the same)

/** One constraint on a value (a list's elements are checked one by one; `items` applies to the list itself). */
export type Constraint =
    | { min?: number; max?: number; gt?: number } // numbers
    | { oneOf: (string | number)[]; ignoreCase?: true }
    | { len: [number, number?] } // string length (min, max)
    | { pattern: string; flags?: string; not?: true; says?: string } // JS RegExp source
    | { notBlank: true }
    | { notZero: true }
    | { json: true }
    | { items: [number, number?] } // list or set size (a MaxItems 1 block is an object in Pulumi: 1 item)
    | { any: Constraint[][] }
    | { arn: true } // verify.ValidARN: aws-sdk-go-v2 arn.Parse and the provider's partition, region, account checks
    | { cidr4: true } // inttypes.ValidateIPv4CIDRBlock: an IPv4 network address in CIDR form (only clear breaks are refused)
    | { sdkEnum: string }; // values in the AWS SDK, not available: not checked

/** A combination of inputs, Terraform's schema fields; paths are absolute Pulumi paths, `[0]` marks Terraform's `.0.`. */
interface Combination {
    kind: "conflicts" | "requiredWith" | "exactlyOne" | "atLeastOne";
    /** The input declaring it; for `conflicts` and `requiredWith` it applies when this one is set. */
    input: string;
    paths: string[];
}

const skipped = new Map<string, number>();
const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);

// ---------------------------------------------------------------------------------------------------------------
// Go expressions -> constraints

/**
 * Right-hand side of a package-level `name = expr` (var or const), whole even when it spans lines, without a
 * trailing comment.
 */
function goVar(pkg: string, name: string): string | undefined {
    const re = new RegExp(`(^|\\n)\\s*(var |const )?${name}\\s*(\\*?[\\w.\\[\\]]+\\s*)?=\\s*[^=]`);
    for (const text of provider.packageTexts(pkg)) {
        const m = re.exec(text);
        if (!m) continue;
        const start = m.index + m[0].length - 1;
        const eol = text.indexOf("\n", start) < 0 ? text.length : text.indexOf("\n", start);
        const line = text.slice(start, eol);
        const open = line.search(/[({]/);
        if (open >= 0 && !/^["`]/.test(line.trim())) return text.slice(start, matchBracket(text, start + open)).trim();
        // A trailing comment after a literal or a name.
        return line.replace(/^("(?:[^"\\]|\\.)*"|`[^`]*`|[\w.-]+)\s*\/\/.*$/, "$1").trim();
    }
    return undefined;
}

const GO_STRING = /^"((?:[^"\\]|\\.)*)"$|^`([^`]*)`$/;
function goString(expr: string): string | undefined {
    const m = GO_STRING.exec(expr.trim());
    if (!m) return undefined;
    return m[2] ?? JSON.parse(`"${m[1]}"`);
}
function goNumber(pkg: string, expr: string, depth = 0): number | undefined {
    const t = expr.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    // 1 * 1024 style products of numbers
    if (/^[\d\s*+-]+$/.test(t) && /\d/.test(t)) return Function(`"use strict";return (${t})`)() as number;
    if (/^\w+$/.test(t) && depth < 3) {
        const v = goVar(pkg, t);
        if (v !== undefined) return goNumber(pkg, v.replace(/^\w+\s*\(/, "(").replace(/^\((.*)\)$/s, "$1"), depth + 1);
    }
    if (/^math\.MaxInt(32|64)?$/.test(t)) return undefined;
    return undefined;
}
/** A Go string value: literal, provider-local const or var, names.AttrFoo. */
function goStringValue(pkg: string, expr: string, depth = 0): string | undefined {
    const lit = goString(expr);
    if (lit !== undefined) return lit;
    const t = expr.trim();
    if (/^names\.Attr\w+$/.test(t)) return provider.keyName(pkg, t);
    if (/^\w+$/.test(t) && depth < 3) {
        const v = goVar(pkg, t);
        if (v !== undefined) return goStringValue(pkg, v.trim(), depth + 1);
    }
    return undefined;
}

/** A list of Go strings: []string{...}, enum.Slice(...) of local consts, a local xxx_Values() function or var. */
function goStringList(pkg: string, expr: string, depth = 0): string[] | { sdk: string } | undefined {
    const t = expr.trim().replace(/\.\.\.$/, "");
    const slice = /^\[\]string\{([\s\S]*)\}$/.exec(t) ?? /^enum\.Slice\(([\s\S]*)\)$/.exec(t);
    if (slice) {
        const parts = splitTopLevel(slice[1]);
        const values: string[] = [];
        for (const p of parts) {
            // Constants of an AWS SDK enum type: their values are in the SDK, not in the provider.
            if (/^(awstypes|types)\./.test(p.trim())) return { sdk: parts.map((x) => x.trim().replace(/^(awstypes|types)\./, "")).join(", ") };
            const v = goStringValue(pkg, p);
            if (v === undefined) return undefined;
            values.push(v);
        }
        return values;
    }
    const sdkValues = /^(?:awstypes|types)\.(\w+)(?:\(""\))?\.Values\(\)|^enum\.Values\[(?:awstypes|types)\.(\w+)\]\(\)|^enum\.Slice\((?:awstypes|types)\.(\w+)\.Values\(""\)\.\.\.\)/.exec(t);
    if (sdkValues) return { sdk: sdkValues[1] ?? sdkValues[2] ?? sdkValues[3] };
    const call = /^(\w+)\(\)$/.exec(t);
    if (call && depth < 3) {
        const body = provider.findFunc(pkg, call[1]);
        const ret = body && /return\s+([\s\S]*)\n\}$/.exec(body.trim());
        if (ret) return goStringList(pkg, ret[1].trim(), depth + 1);
    }
    if (/^\w+$/.test(t) && depth < 3) {
        const v = goVar(pkg, t);
        if (v !== undefined) return goStringList(pkg, v, depth + 1);
    }
    return undefined;
}
function goIntList(pkg: string, expr: string, depth = 0): number[] | undefined {
    const t = expr.trim();
    const slice = /^\[\]int(?:32|64)?\{([\s\S]*)\}$/.exec(t);
    if (slice) {
        const values = splitTopLevel(slice[1]).map((p) => goNumber(pkg, p));
        return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
    }
    if (/^\w+$/.test(t) && depth < 3) {
        const v = goVar(pkg, t);
        if (v !== undefined) return goIntList(pkg, v, depth + 1);
    }
    return undefined;
}

/**
 * RE2 (Go regexp) -> JS RegExp source, or undefined when the translation would not be exact. Handled: (?i) as a
 * leading flag, \A and \z, POSIX classes inside brackets, \pL-style classes (with the u flag); refused: other
 * flags, \Q...\E, \C, named groups in Go syntax, and anything the JS engine does not accept.
 */
export function translateRegexp(re: string): { source: string; flags?: string } | undefined {
    let source = re;
    let flags = "";
    const lead = /^\(\?i\)/.exec(source);
    if (lead) {
        flags += "i";
        source = source.slice(lead[0].length);
    }
    if (/\(\?[a-zA-Z]|\\Q|\\E|\\C|\(\?P</.test(source)) return undefined;
    const posix: Record<string, string> = { alnum: "0-9A-Za-z", alpha: "A-Za-z", digit: "0-9", lower: "a-z", upper: "A-Z", space: "\\t\\n\\v\\f\\r ", xdigit: "0-9A-Fa-f", word: "0-9A-Za-z_", punct: "!-\\/:-@\\[-`{-~" };
    source = source.replace(/\[:(\w+):\]/g, (m, name: string) => posix[name] ?? m);
    if (/\[:\w+:\]/.test(source)) return undefined;
    source = source.replace(/\\A/g, "^").replace(/\\z/g, "$");
    if (/\\[pP]/.test(source)) {
        flags += "u";
        source = source.replace(/\\([pP])([A-Z])/g, "\\$1{$2}");
    }
    // Go's \s is [\t\n\f\r ], JS's adds \v and Unicode spaces; \d, \w and \b are ASCII in both (without u flag for \w/\b).
    source = source.replace(/\\s/g, "[\\t\\n\\f\\r ]").replace(/\\S/g, "[^\\t\\n\\f\\r ]");
    if (flags.includes("u") && /\\[wWbB]/.test(source)) return undefined;
    // $ in RE2 without (?m) is end of text; in JS without m it is too. . excludes \n in both.
    try {
        new RegExp(source, flags);
    } catch {
        return undefined;
    }
    return flags ? { source, flags } : { source };
}

function goRegexp(pkg: string, expr: string, depth = 0): string | undefined {
    const t = expr.trim();
    const m = /^(?:regexache|regexp)\.MustCompile\(([\s\S]*)\)$/.exec(t);
    if (m) return goStringValue(pkg, m[1]);
    if (/^\w+$/.test(t) && depth < 3) {
        const v = goVar(pkg, t);
        if (v !== undefined) return goRegexp(pkg, v, depth + 1);
    }
    return undefined;
}

/** Constraints of one validator expression, or a reason it cannot be read. */
function validator(pkg: string, expr: string, depth = 0): Constraint[] | { skip: string } {
    const t = expr.trim().replace(/,$/, "").trim();
    const call = /^([\w.]+)(\[[^\]]*\])?\(([\s\S]*)\)$/.exec(t);
    const name = call ? call[1] : t;
    const args = call ? splitTopLevel(call[3]) : [];
    const num = (i: number) => goNumber(pkg, args[i] ?? "");
    const needNums = (n: number, make: (v: number[]) => Constraint): Constraint[] | { skip: string } => {
        const v = Array.from({ length: n }, (_, i) => num(i));
        return v.every((x) => x !== undefined) ? [make(v as number[])] : { skip: "bounds not literal" };
    };
    switch (name.replace(/^validation\./, "")) {
        case "verify.CaseInsensitiveMatchDeprecation":
            return []; // a deprecation warning, not an error
        case "ToDiagFunc":
            return validator(pkg, args[0], depth + 1);
        case "All":
        case "AllDiag": {
            const parts = args.map((a) => validator(pkg, a, depth + 1));
            const read = parts.flatMap((p) => ("skip" in p ? (skip(`part of validation.All: ${p.skip}`), []) : p));
            return read.length ? read : { skip: parts.map((p) => ("skip" in p ? p.skip : "")).join("; ") };
        }
        case "Any":
        case "AnyDiag": {
            const parts = args.map((a) => validator(pkg, a, depth + 1));
            const bad = parts.find((p) => "skip" in p) as { skip: string } | undefined;
            return bad ? { skip: `validation.Any with a branch it cannot read (${bad.skip})` } : [{ any: parts as Constraint[][] }];
        }
        case "IntBetween":
        case "FloatBetween":
            return needNums(2, ([min, max]) => ({ min, max }));
        case "IntAtLeast":
        case "FloatAtLeast":
            return needNums(1, ([min]) => ({ min }));
        case "IntAtMost":
        case "FloatAtMost":
            return needNums(1, ([max]) => ({ max }));
        case "verify.FloatGreaterThan":
            return needNums(1, ([gt]) => ({ gt }));
        case "IsPortNumber":
            return [{ min: 1, max: 65535 }];
        case "IsPortNumberOrZero":
            return [{ min: 0, max: 65535 }];
        case "IntInSlice": {
            const values = goIntList(pkg, args[0] ?? "");
            return values ? [{ oneOf: values }] : { skip: "IntInSlice values not literal" };
        }
        case "StringLenBetween":
            return needNums(2, ([a, b]) => ({ len: [a, b] }));
        case "StringIsNotEmpty":
            return [{ len: [1] }];
        case "StringIsNotWhiteSpace":
            return [{ notBlank: true }];
        case "NoZeroValues":
            return [{ notZero: true }];
        case "StringIsJSON":
            return [{ json: true }];
        case "StringInSlice": {
            const values = goStringList(pkg, args[0] ?? "");
            if (!values) return { skip: "StringInSlice values not resolved" };
            if (!Array.isArray(values)) return [{ sdkEnum: values.sdk }];
            return args[1]?.trim() === "true" ? [{ oneOf: values, ignoreCase: true }] : [{ oneOf: values }];
        }
        case "StringMatch":
        case "StringDoesNotMatch": {
            const re = goRegexp(pkg, args[0] ?? "");
            if (re === undefined) return { skip: "regexp not resolved" };
            const js = translateRegexp(re);
            if (!js) return { skip: "RE2 regexp without an exact JS translation" };
            const says = goString(args[1] ?? "");
            return [{ pattern: js.source, ...(js.flags ? { flags: js.flags } : {}), ...(name.endsWith("DoesNotMatch") ? { not: true as const } : {}), ...(says ? { says } : {}) }];
        }
        case "enum.Validate":
        case "enum.FrameworkValidate":
        case "enum.FrameworkValidateIgnoreCase": {
            const type = /\[(?:awstypes|types)\.(\w+)\]/.exec(call?.[2] ?? "")?.[1];
            return type ? [{ sdkEnum: type }] : { skip: "enum of a provider-local type" };
        }
        // Provider functions whose code is a fixed check (internal/verify, internal/types, internal/types/timestamp).
        case "verify.ValidARN":
            return [{ arn: true }];
        case "verify.ValidAccountID":
        case "fwvalidators.AWSAccountID":
            return [{ pattern: "^\\d{12}$", says: "must be an AWS account ID (exactly 12 digits)" }];
        case "verify.ValidOnceADayWindowFormat":
            return [{ pattern: "^(([0-1][0-9]|2[0-3]):([0-5][0-9])-([0-1][0-9]|2[0-3]):([0-5][0-9])|)$", says: 'must satisfy the format of "hh24:mi-hh24:mi"' }];
        case "verify.ValidOnceAWeekWindowFormat":
            // The provider lowercases the value first: a case-insensitive match.
            return [{ pattern: "^((sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])-(sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])|)$", flags: "i", says: 'must satisfy the format of "ddd:hh24:mi-ddd:hh24:mi"' }];
        case "verify.ValidIPv4CIDRNetworkAddress":
        case "fwvalidators.IPv4CIDRNetworkAddress":
            return [{ cidr4: true }];
        // framework validators
        case "stringvalidator.LengthBetween":
            return needNums(2, ([a, b]) => ({ len: [a, b] }));
        case "stringvalidator.LengthAtLeast":
            return needNums(1, ([a]) => ({ len: [a] }));
        case "stringvalidator.LengthAtMost":
            return needNums(1, ([b]) => ({ len: [0, b] }));
        case "stringvalidator.OneOf":
        case "stringvalidator.OneOfCaseInsensitive": {
            const values = args.length === 1 && /\.\.\.$/.test(args[0]) ? goStringList(pkg, args[0]) : goStringList(pkg, `[]string{${args.join(",")}}`);
            if (!values) return { skip: "OneOf values not resolved" };
            if (!Array.isArray(values)) return [{ sdkEnum: values.sdk }];
            return name.endsWith("CaseInsensitive") ? [{ oneOf: values, ignoreCase: true }] : [{ oneOf: values }];
        }
        case "stringvalidator.RegexMatches": {
            const re = goRegexp(pkg, args[0] ?? "");
            const js = re === undefined ? undefined : translateRegexp(re);
            if (!js) return { skip: re === undefined ? "regexp not resolved" : "RE2 regexp without an exact JS translation" };
            const says = goString(args[1] ?? "");
            return [{ pattern: js.source, ...(js.flags ? { flags: js.flags } : {}), ...(says ? { says } : {}) }];
        }
        case "int32validator.Between":
        case "int64validator.Between":
        case "float64validator.Between":
            return needNums(2, ([min, max]) => ({ min, max }));
        case "int32validator.AtLeast":
        case "int64validator.AtLeast":
        case "float64validator.AtLeast":
            return needNums(1, ([min]) => ({ min }));
        case "int32validator.AtMost":
        case "int64validator.AtMost":
        case "float64validator.AtMost":
            return needNums(1, ([max]) => ({ max }));
        case "int32validator.OneOf":
        case "int64validator.OneOf": {
            const values = args.map((a) => goNumber(pkg, a));
            return values.every((v) => v !== undefined) ? [{ oneOf: values as number[] }] : { skip: "OneOf values not literal" };
        }
        case "listvalidator.SizeAtMost":
        case "setvalidator.SizeAtMost":
            return needNums(1, ([b]) => ({ items: [0, b] }));
        case "listvalidator.SizeAtLeast":
        case "setvalidator.SizeAtLeast":
            return needNums(1, ([a]) => ({ items: [a] }));
        case "listvalidator.SizeBetween":
        case "setvalidator.SizeBetween":
            return needNums(2, ([a, b]) => ({ items: [a, b] }));
    }
    // A local validator var or func that returns one of the above.
    if (depth < 3 && /^\w+$/.test(name)) {
        const v = goVar(pkg, name);
        if (v !== undefined && !/^func\b/.test(v.trim())) return validator(pkg, v, depth + 1);
        const body = provider.findFunc(pkg, name);
        const ret = body && /^\{\s*return\s+([\s\S]*)\}$/.exec(body.trim());
        if (ret && !/\n\s*(if|for|switch)\b/.test(ret[1])) return validator(pkg, ret[1], depth + 1);
    }
    return { skip: `provider function ${name.replace(/\(.*$/s, "")}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Pulumi side: input names and whether the SDK declares them required

const argsText = new Map<string, string>();
/** name -> {ref (nested input type), optional} of an interface in a .d.ts text. */
function propsWithOptionality(text: string, iface: string): Map<string, { ref?: string; optional: boolean }> | undefined {
    const m = new RegExp(`\\n\\s*(?:export )?interface ${iface} \\{`).exec(text);
    if (!m) return undefined;
    const open = m.index + m[0].length - 1;
    const body = text.slice(open + 1, matchBracket(text, open) - 1);
    const props = new Map<string, { ref?: string; optional: boolean }>();
    for (const p of body.matchAll(/\n\s*(?:readonly )?(\w+)(\??): ([^;]*);/g)) props.set(p[1], { ref: /inputs\.(\w+\.\w+)/.exec(p[3])?.[1], optional: p[2] === "?" });
    return props;
}
const inputTypesText = readFileSync(join(pulumiAwsDir, "types", "input.d.ts"), "utf8");
function nestedPropsWithOptionality(ref: string) {
    const [mod, type] = ref.split(".");
    const ns = new RegExp(`\\nexport declare namespace ${mod} \\{`).exec(inputTypesText);
    if (!ns) return undefined;
    const open = ns.index + ns[0].length - 1;
    return propsWithOptionality(inputTypesText.slice(open, matchBracket(inputTypesText, open)), type);
}
void nestedProps;
void argsText;

// ---------------------------------------------------------------------------------------------------------------
// Hand constraints: what AWS refuses that the provider does not validate, each with its source. Kept in the data
// file under `aws` per type; the checker applies them by name (offline/fidelity/aws-inputs.ts).

interface HandRule {
    rule: string;
    inputs: string[];
    allowed: string;
    source: string;
}
const EC2_PORTS = {
    allowed: "a tcp or udp rule names a port range whose start (fromPort) does not exceed its end (toPort); an icmp/icmpv6 rule with type -1 (all types) has code -1 (all codes)",
    source: "Amazon EC2 API Reference, IpPermission (FromPort: start of the port range for tcp and udp, or the ICMP type, -1 all types; ToPort: end of the range, or the ICMP code; IpProtocol: for tcp, udp and icmp a port range must be specified, -1 or another protocol number allows all ports) and SecurityGroupRuleRequest (ToPort: if the start port is -1, all ICMP types, the end port must be -1); AWS answers InvalidParameterValue ... for portRange (e.g. 'Must specify both from and to ports with TCP/UDP.'). Checked 2026-12-05",
};
const DB_WINDOWS = {
    allowed: "a daily backup window of at least 30 minutes that does not overlap the weekly maintenance window (itself at least 30 minutes)",
    source: "Amazon RDS API Reference, CreateDBInstance / ModifyDBInstance PreferredBackupWindow ('Must not conflict with the preferred maintenance window', 'Must be at least 30 minutes') and PreferredMaintenanceWindow ('Must be at least 30 minutes'); the same constraints on DocumentDB's CreateDBCluster. Checked 2026-12-05",
};
const HAND: Record<string, HandRule[]> = {
    "aws:rds/instance:Instance": [{ rule: "backup-window", inputs: ["backupWindow", "maintenanceWindow"], ...DB_WINDOWS }],
    "aws:docdb/cluster:Cluster": [{ rule: "backup-window", inputs: ["preferredBackupWindow", "preferredMaintenanceWindow"], ...DB_WINDOWS }],
    "aws:ec2/securityGroup:SecurityGroup": [{ rule: "sg-port-order", inputs: ["ingress", "egress"], ...EC2_PORTS }],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": [{ rule: "sg-port-order", inputs: ["ingress", "egress"], ...EC2_PORTS }],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [{ rule: "vpc-sg-rule-ports", inputs: ["ipProtocol", "fromPort", "toPort"], ...EC2_PORTS, allowed: `${EC2_PORTS.allowed}; a tcp or udp rule names both ports` }],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [{ rule: "vpc-sg-rule-ports", inputs: ["ipProtocol", "fromPort", "toPort"], ...EC2_PORTS, allowed: `${EC2_PORTS.allowed}; a tcp or udp rule names both ports` }],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
        {
            rule: "s3-lifecycle-days",
            inputs: ["rules.expiration.days", "rules.transitions.days"],
            allowed: "expiration days is a non-zero positive integer; a transition to STANDARD_IA or ONEZONE_IA comes at least 30 days after creation (other storage classes: 0 or more)",
            source: "Amazon S3 API Reference, LifecycleExpiration (Days: 'must be a non-zero positive integer') and Transition (Days: for STANDARD_IA or ONEZONE_IA 'positive integers greater than 30', the S3 User Guide's transition constraints say at least 30 days, so 30 itself is not refused here; INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE: 0 or more). Checked 2026-12-05",
        },
    ],
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        {
            rule: "elasticache-num-cache-clusters",
            inputs: ["numCacheClusters", "automaticFailoverEnabled"],
            allowed: "numCacheClusters is at most 6 (1 primary plus 5 replicas), and at least 2 when automaticFailoverEnabled is true",
            source: "Amazon ElastiCache API Reference, CreateReplicationGroup NumCacheClusters (as in the AWS SDK for Kotlin's CreateReplicationGroupRequest.numCacheClusters). Checked 2026-12-05",
        },
    ],
};

// ---------------------------------------------------------------------------------------------------------------
// Derivation

interface TypeEntry {
    terraform: string;
    plugin: "sdkv2" | "framework";
    inputs: Record<string, Constraint[]>;
    required?: string[];
    combinations?: Combination[];
    aws?: HandRule[];
    unchecked?: Record<string, string>;
    note?: string;
}

const plans = planFiles.map((f) => JSON.parse(readFileSync(f, "utf8")) as { resources: { type: string }[] });
const tokens = [...new Set(plans.flatMap((p) => p.resources.map((r) => r.type)).filter((t) => t.startsWith("aws:")))].sort();

const types: Record<string, TypeEntry> = {};
const unresolvedTypes: string[] = [];
let constraintCount = 0;
for (const token of tokens) {
    const tf = provider.terraformName(token);
    const reg = tf && provider.registrations.get(tf);
    if (!tf || !reg) {
        unresolvedTypes.push(token);
        continue;
    }
    const [, mod, file, name] = /^aws:(\w+)\/(\w+):(\w+)$/.exec(token)!;
    const dts = join(pulumiAwsDir, mod, `${file}.d.ts`);
    const args = existsSync(dts) ? propsWithOptionality(readFileSync(dts, "utf8"), `${name}Args`) : undefined;
    const { attrs } = reg.kind === "sdkv2" ? provider.sdkResource(reg.pkg, reg.factory) : provider.frameworkResource(reg.pkg, reg.factory);

    const entry: TypeEntry = { terraform: tf, plugin: reg.kind, inputs: {} };
    const required: string[] = [];
    const combinations: Combination[] = [];
    const unchecked: Record<string, string> = {};
    const pending: { kind: Combination["kind"]; input: string; tfPaths: string[]; fw?: { pulumiParent: string; names: string[] } }[] = [];
    const tfToPulumi = new Map<string, string>(); // Terraform path (no indexes) -> Pulumi path
    const add = (path: string, cs: Constraint[]) => {
        if (!cs.length) return;
        (entry.inputs[path] ??= []).push(...cs);
        for (const c of cs) {
            if ("sdkEnum" in c) skip("enum from the AWS SDK, values not available (kept as sdkEnum, not checked)");
            else constraintCount++;
        }
    };
    const note = (path: string, reason: string) => {
        skip(reason);
        unchecked[path] = unchecked[path] ? `${unchecked[path]}; ${reason}` : reason;
    };

    const walk = (list: Attr[], props: Map<string, { ref?: string; optional: boolean }> | undefined, prefix: string, tfPrefix: string) => {
        for (const a of list) {
            if (a.name === "timeouts" || a.name === "region") continue;
            const keys = props ? new Map([...props.keys()].map((k) => [k, undefined])) : undefined;
            const pName = keys ? pulumiName(a.name, keys, prefix ? {} : (PULUMI_RENAMES[tf] ?? {})) : undefined;
            if (props && !pName) continue; // no Pulumi input (computed-only attribute or not bridged)
            const path = prefix + (pName ?? camel(a.name));
            tfToPulumi.set(tfPrefix + a.name, path);
            const prop = pName ? props?.get(pName) : undefined;
            const f = a.fields;
            if (!f) {
                if (a.expression && !/^tftags\.|^names\./.test(a.expression)) note(path, `helper ${a.expression.replace(/\(.*$/s, "")} not followed`);
                continue;
            }
            const pkg = a.pkg ?? reg.pkg;
            const isMap = f.get("Type") === "schema.TypeMap" || /^Map/.test(a.kind ?? "");
            if (f.get("Required") === "true" && prop && !prop.optional) required.push(path);
            // SDKv2 validators (on the attribute, or on the elements of a list/set of primitives)
            const elem = f.get("Elem");
            const elemFields = elem && /^&schema\.Schema\{/.test(elem) ? new Map(keyedElements(elem.slice(elem.indexOf("{") + 1, matchBracket(elem, elem.indexOf("{")) - 1))) : undefined;
            for (const [fields, where] of [[f, ""], [elemFields, " (elements)"]] as const) {
                for (const key of ["ValidateFunc", "ValidateDiagFunc"]) {
                    const v = fields?.get(key);
                    if (!v) continue;
                    if (isMap && !where) {
                        note(path, "validator on a map attribute");
                        continue;
                    }
                    const c = validator(pkg, v);
                    if ("skip" in c) note(path, c.skip);
                    else add(path, c);
                }
            }
            const maxItems = f.get("MaxItems") !== undefined ? goNumber(pkg, f.get("MaxItems")!) : undefined;
            const minItems = f.get("MinItems") !== undefined ? goNumber(pkg, f.get("MinItems")!) : undefined;
            if ((maxItems !== undefined || minItems !== undefined) && !isMap) add(path, [{ items: maxItems !== undefined ? [minItems ?? 0, maxItems] : [minItems!] }]);
            for (const [field, kind] of [["ConflictsWith", "conflicts"], ["RequiredWith", "requiredWith"], ["ExactlyOneOf", "exactlyOne"], ["AtLeastOneOf", "atLeastOne"]] as const) {
                const v = f.get(field);
                if (!v) continue;
                const list = goStringList(pkg, v);
                if (!list || !Array.isArray(list)) {
                    note(path, `${field} not resolved`);
                    continue;
                }
                pending.push({ kind, input: path, tfPaths: list });
            }
            // Framework validators
            const fv = f.get("Validators");
            if (fv) {
                const inner = fv.slice(fv.indexOf("{") + 1, matchBracket(fv, fv.indexOf("{")) - 1);
                for (const v of splitTopLevel(inner)) {
                    const rel = /^(\w+validator)\.(ConflictsWith|ExactlyOneOf|AtLeastOneOf|AlsoRequires)\(([\s\S]*)\)$/.exec(v.trim());
                    if (rel) {
                        const names: string[] = [];
                        for (const p of splitTopLevel(rel[3])) {
                            const sib = /^path\.MatchRelative\(\)\.AtParent\(\)\.AtName\(([^)]*)\)$/.exec(p.replace(/\s+/g, ""));
                            const root = /^path\.MatchRoot\(([^)]*)\)$/.exec(p.replace(/\s+/g, ""));
                            const n = sib || root ? provider.keyName(pkg, (sib ?? root)![1]) : undefined;
                            if (!n) break;
                            names.push(root ? n : tfPrefix + n);
                        }
                        if (names.length !== splitTopLevel(rel[3]).length) {
                            note(path, `${rel[2]} path not resolved`);
                            continue;
                        }
                        const kinds: Record<string, Combination["kind"]> = { ConflictsWith: "conflicts", ExactlyOneOf: "exactlyOne", AtLeastOneOf: "atLeastOne", AlsoRequires: "requiredWith" };
                        const kind = kinds[rel[2]];
                        pending.push({ kind, input: path, tfPaths: kind === "exactlyOne" || kind === "atLeastOne" ? [tfPrefix + a.name, ...names] : names });
                        continue;
                    }
                    if (/^listvalidator\.IsRequired\(\)$/.test(v.trim())) {
                        add(path, [{ items: [1] }]);
                        continue;
                    }
                    const elems = /^(?:list|set)validator\.ValueStringsAre\(([\s\S]*)\)$/.exec(v.trim());
                    const c = validator(pkg, elems ? elems[1] : v);
                    if ("skip" in c) note(path, c.skip);
                    else add(path, c);
                }
            }
            if (a.nested.length) {
                const ref = prop?.ref;
                walk(a.nested, ref ? nestedPropsWithOptionality(ref) : undefined, path + ".", tfPrefix + a.name + ".");
            }
        }
    };
    walk(attrs, args, "", "");

    // Combinations: Terraform paths (with .0. indexes) -> Pulumi paths with [0]
    const toPulumi = (tfPath: string): string | undefined => {
        const parts = tfPath.split(".");
        let tfAcc = "";
        const out: string[] = [];
        for (const part of parts) {
            if (/^\d+$/.test(part)) {
                out[out.length - 1] += `[${part}]`;
                continue;
            }
            tfAcc = tfAcc ? `${tfAcc}.${part}` : part;
            const p = tfToPulumi.get(tfAcc);
            if (!p) return undefined;
            out.push(p.split(".").pop()!);
        }
        return out.join(".");
    };
    for (const p of pending) {
        const paths = p.tfPaths.map(toPulumi);
        if (paths.some((x) => x === undefined)) {
            note(p.input, `${p.kind} names an attribute without a Pulumi input (${p.tfPaths.join(", ")})`);
            continue;
        }
        const own = p.input;
        const list = [...new Set(paths as string[])];
        if (p.kind === "exactlyOne" || p.kind === "atLeastOne") {
            // One entry per set of paths (every member declares the same list).
            const key = [...list].sort().join(",");
            if (combinations.some((c) => c.kind === p.kind && [...c.paths].sort().join(",") === key)) continue;
        }
        combinations.push({ kind: p.kind, input: own, paths: list.filter((x) => p.kind === "exactlyOne" || p.kind === "atLeastOne" || x.replace(/\[\d+\]/g, "") !== own) });
        constraintCount++;
    }

    if (required.length) {
        entry.required = required.sort();
        constraintCount += required.length;
    }
    if (combinations.length) entry.combinations = combinations;
    if (HAND[token]) {
        entry.aws = HAND[token];
        constraintCount += HAND[token].length;
    }
    if (Object.keys(unchecked).length) entry.unchecked = unchecked;
    if (!Object.keys(entry.inputs).length && !entry.required && !entry.combinations && !entry.aws) entry.note = "the provider validates none of the inputs of this type at plan time (beyond types)";
    types[token] = entry;
}
for (const token of Object.keys(HAND)) if (!types[token]) console.error(`warning: hand rules for ${token}, which no plan registers`);

const output = {
    source: {
        repository: "hashicorp/terraform-provider-aws",
        ref,
        commit: provider.commit,
        date: provider.commitDate,
        bridgedBy: `@pulumi/aws ${pulumiAwsVersion}`,
        readFrom:
            provider.layout === "repo"
                ? `git mirror of hashicorp/terraform-provider-aws at ${provider.commit}`
                : `lonegunmanb/terraform-provider-aws-index (the provider's Go source cut one file per function, method, type and var), tag ${ref}, commit ${provider.commit}`,
        derivedBy: "scripts/derive-aws-input-constraints.ts (schema walk: scripts/lib/terraform-schema.ts)",
        derived: date,
        plans: planFiles.map((f) => f.replace(/^.*\//, "")),
    },
    legend: {
        inputs: "Pulumi input path (camelCase, nested inputs as dot paths, list elements not marked) -> constraints, each to hold on every value at that path: min/max/gt (numbers), oneOf (ignoreCase), len [min, max] (string length), pattern (JS RegExp; not: must not match), notBlank, notZero, json, items [min, max] (list size; a MaxItems 1 block is one object in Pulumi), any (one of the alternatives holds), sdkEnum (an AWS SDK enum whose values are not in the source: not checked).",
        required: "Inputs Terraform requires and @pulumi/aws declares required: a nested one is required in each element of its block.",
        combinations: "Terraform ConflictsWith (conflicts: input set -> none of paths set), RequiredWith (input set -> all of paths set), ExactlyOneOf, AtLeastOneOf (evaluated where the block that declares them is set); paths are absolute, [0] is Terraform's first element.",
        aws: "Constraints AWS enforces that the provider does not validate, by hand, each with its source; offline/fidelity/aws-inputs.ts implements each rule by name.",
        unchecked: "Inputs with a validation this file does not carry, and why.",
    },
    counts: { types: Object.keys(types).length, constraints: constraintCount, skipped: Object.fromEntries([...skipped].sort((a, b) => b[1] - a[1])) },
    types,
};
if (unresolvedTypes.length) console.error(`unresolved types: ${unresolvedTypes.join(", ")}`);
writeFileSync(outPath, JSON.stringify(output, null, 1) + "\n");
console.error(`${Object.keys(types).length} types, ${constraintCount} constraints written to ${outPath}; skipped: ${JSON.stringify(output.counts.skipped)}`);
