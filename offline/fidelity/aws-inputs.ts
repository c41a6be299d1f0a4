/**
 * AWS input constraints: what `pulumi preview` refuses in the inputs of an `aws:` resource (the bridged
 * terraform-provider-aws validates them at plan time: validators, Required, MaxItems/MinItems, ConflictsWith,
 * RequiredWith, ExactlyOneOf, AtLeastOneOf), and what AWS refuses that the provider does not validate (hand rules,
 * each with its source). The mock runtime accepts anything; this brings those rules back.
 *
 * Facts: offline/data/aws-input-constraints.json (derived by scripts/derive-aws-input-constraints.ts from the
 * provider's source at its pinned tag; the hand rules' sources are in the file under each type's `aws`).
 *
 * A value unknown at plan time is never judged: the SDK's unknown sentinel, and any value of an input that comes
 * from another resource's outputs (its property dependencies) and matches one of them — in a real preview those are
 * unknown until the other resource exists, and offline they are the mocks' stand-ins.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isAwsChoice, type RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";
import { UNKNOWN, unwrapSecret } from "../sdk-values";

type Constraint = {
    min?: number;
    max?: number;
    gt?: number;
    oneOf?: (string | number)[];
    ignoreCase?: true;
    len?: [number, number?];
    pattern?: string;
    flags?: string;
    not?: true;
    says?: string;
    notBlank?: true;
    notZero?: true;
    json?: true;
    items?: [number, number?];
    any?: Constraint[][];
    arn?: true;
    cidr4?: true;
    sdkEnum?: string;
};
interface Combination {
    kind: "conflicts" | "requiredWith" | "exactlyOne" | "atLeastOne";
    input: string;
    paths: string[];
}
interface HandRule {
    rule: string;
    inputs: string[];
    allowed: string;
    source: string;
}
interface TypeFacts {
    terraform: string;
    inputs: Record<string, Constraint[]>;
    required?: string[];
    combinations?: Combination[];
    aws?: HandRule[];
}
interface Facts {
    source: { ref: string };
    types: Record<string, TypeFacts>;
}

const DATA = join(__dirname, "..", "data", "aws-input-constraints.json");

let facts: Facts | undefined;
const compiled = new Map<string, RegExp>();
const regexp = (c: Constraint) => {
    const key = `${c.flags ?? ""}/${c.pattern}`;
    let re = compiled.get(key);
    if (!re) compiled.set(key, (re = new RegExp(c.pattern!, c.flags)));
    return re;
};

export function loadAwsInputFacts(): Facts {
    facts ??= JSON.parse(readFileSync(DATA, "utf8")) as Facts;
    return facts;
}

export interface AwsInputsCheckResult {
    rules: number;
    findings: FidelityFinding[];
}

/** A value as the check sees it: secrets unwrapped; undefined for null. */
function plain(value: unknown): unknown {
    return value === null ? undefined : unwrapSecret(value);
}

interface Found {
    path: string; // concrete path, with indexes
    value: unknown;
}

/** Every value at a dot path (list elements unmarked: each element is followed; `[0]` takes the first only). */
function valuesAt(root: Record<string, unknown>, path: string): Found[] {
    const out: Found[] = [];
    const segments = path.split(".");
    const step = (node: unknown, i: number, at: string) => {
        node = plain(node);
        if (node === undefined) return;
        if (i === segments.length) {
            out.push({ path: at, value: node });
            return;
        }
        if (Array.isArray(node)) {
            node.forEach((el, j) => step(el, i, `${at}[${j}]`));
            return;
        }
        if (typeof node !== "object") return;
        const m = /^(\w+)(?:\[(\d+)\])?$/.exec(segments[i])!;
        let next = plain((node as Record<string, unknown>)[m[1]]);
        const label = at ? `${at}.${m[1]}` : m[1];
        if (m[2] !== undefined) {
            // Terraform's `.0.`: the first element of a list, or the one object of a MaxItems 1 block.
            if (Array.isArray(next)) {
                next = next[Number(m[2])];
                step(next, i + 1, `${label}[${m[2]}]`);
                return;
            }
        }
        step(next, i + 1, label);
    };
    step(root, 0, "");
    return out;
}

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v) : JSON.stringify(v));

/** Why a value breaks a constraint, or undefined when it holds (or the constraint is not checked here). */
function violation(c: Constraint, v: unknown): string | undefined {
    if (c.sdkEnum) return undefined;
    if (c.any) {
        const reasons = c.any.map((alt) => alt.map((x) => violation(x, v)).find(Boolean));
        return reasons.every(Boolean) ? `allowed: ${c.any.map((alt) => alt.map(describe).join(" and ")).join(", or ")}` : undefined;
    }
    if (c.min !== undefined || c.max !== undefined || c.gt !== undefined) {
        const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
        if (n === undefined) return undefined;
        if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max) || (c.gt !== undefined && !(n > c.gt))) return `allowed: ${describe(c)}`;
        return undefined;
    }
    if (c.oneOf) {
        const ok = c.ignoreCase ? c.oneOf.some((x) => String(x).toLowerCase() === String(v).toLowerCase()) : c.oneOf.some((x) => x === v || (typeof x === "number" && Number(v) === x && typeof v !== "boolean"));
        return ok ? undefined : `allowed: ${describe(c)}`;
    }
    if (c.len) {
        if (typeof v !== "string") return undefined;
        const n = [...v].length;
        return n < c.len[0] || (c.len[1] !== undefined && n > c.len[1]) ? `length ${n}, allowed: ${describe(c)}` : undefined;
    }
    if (c.pattern !== undefined) {
        if (typeof v !== "string") return undefined;
        const matches = regexp(c).test(v);
        return matches === !c.not ? undefined : c.says ? `it ${c.says}` : `${c.not ? "must not match" : "must match"} /${c.pattern}/${c.flags ?? ""}`;
    }
    if (c.arn) return typeof v === "string" ? arnProblem(v) : undefined;
    if (c.cidr4) return typeof v === "string" ? cidr4Problem(v) : undefined;
    if (c.notBlank) return typeof v === "string" && v.trim() === "" ? "it must not be empty or white space" : undefined;
    if (c.notZero) return v === "" || v === 0 ? "it must not be empty or zero" : undefined;
    if (c.json) {
        if (typeof v !== "string" || v === "") return undefined;
        try {
            JSON.parse(v);
            return undefined;
        } catch {
            return "it is not valid JSON";
        }
    }
    return undefined;
}

/**
 * verify.ValidARN (terraform-provider-aws internal/verify, v6.58.0): "" passes; otherwise aws-sdk-go-v2's arn.Parse
 * (prefix "arn:", six ":"-separated sections, the last one keeping any further ":") and the provider's checks of
 * the partition (^aws(-[a-z]+)*$), region (types.CanonicalRegionPattern, when not empty), account (accountIDRegexp,
 * when not empty) and a non-empty resource.
 */
function arnProblem(v: string): string | undefined {
    if (v === "") return undefined;
    if (!v.startsWith("arn:")) return "it is not an ARN (no arn: prefix)";
    const parts = v.split(":");
    if (parts.length < 6) return "it is not an ARN (not enough sections)";
    const [, partition, , region, account] = parts;
    const resource = parts.slice(5).join(":");
    if (!/^aws(-[a-z]+)*$/.test(partition)) return `it is an invalid ARN (partition ${JSON.stringify(partition)})`;
    if (region !== "" && !/^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/.test(region)) return `it is an invalid ARN (region ${JSON.stringify(region)})`;
    if (account !== "" && !/^(aws|aws-managed|third-party|aws-marketplace|partner-managed|\d{12}|cw.{10})$/.test(account)) return `it is an invalid ARN (account ${JSON.stringify(account)})`;
    if (resource === "") return "it is an invalid ARN (no resource)";
    return undefined;
}

/**
 * inttypes.ValidateIPv4CIDRBlock (Go's net.ParseCIDR, an IPv4 address, and the address being the network's own).
 * Refused here only where Go's parser certainly refuses: no prefix, or a dotted quad whose octets or prefix are out
 * of range, or whose host bits are set ("10.0.0.1/16": did you mean 10.0.0.0/16?).
 */
function cidr4Problem(v: string): string | undefined {
    if (!v.includes("/")) return "it is not a CIDR block (no /prefix)";
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return "it is not a valid IPv4 CIDR block";
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(address / size) * size;
    if (network !== address) return `it is not a network address: did you mean ${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${prefix}?`;
    return undefined;
}

function describe(c: Constraint): string {
    if (c.min !== undefined && c.max !== undefined) return `${c.min} to ${c.max}`;
    if (c.min !== undefined) return `at least ${c.min}`;
    if (c.max !== undefined) return `at most ${c.max}`;
    if (c.gt !== undefined) return `more than ${c.gt}`;
    if (c.oneOf) return `one of ${c.oneOf.map((x) => JSON.stringify(x)).join(", ")}${c.ignoreCase ? " (any case)" : ""}`;
    if (c.len) return c.len[1] === undefined ? `at least ${c.len[0]} characters` : `${c.len[0]} to ${c.len[1]} characters`;
    if (c.items) return c.items[1] === undefined ? `at least ${c.items[0]} item(s)` : `${c.items[0]} to ${c.items[1]} item(s)`;
    if (c.pattern !== undefined) return c.says ?? `/${c.pattern}/`;
    return JSON.stringify(c);
}

export function checkAwsInputConstraints(resources: RecordedResource[]): AwsInputsCheckResult {
    const { types, source } = loadAwsInputFacts();
    const findings: FidelityFinding[] = [];
    let rules = 0;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const outputCache = new Map<string, { exact: Set<unknown>; strings: string[] }>();
    const outputsOf = (urn: string) => {
        let o = outputCache.get(urn);
        if (!o) {
            const exact = new Set<unknown>();
            const strings: string[] = [];
            const walk = (v: unknown) => {
                v = plain(v);
                if (Array.isArray(v)) v.forEach(walk);
                else if (v && typeof v === "object") Object.values(v).forEach(walk);
                else if (v !== undefined) {
                    exact.add(v);
                    if (typeof v === "string" && v.length >= 8) strings.push(v);
                }
            };
            const r = byUrn.get(urn);
            if (r) {
                walk(r.state);
                if (r.id) walk(r.id);
            }
            o = { exact, strings };
            outputCache.set(urn, o);
        }
        return o;
    };

    for (const r of resources) {
        if (!r.custom || !r.type.startsWith("aws:")) continue;
        const where = `${r.type} "${r.name}"`;
        const t = types[r.type];
        if (!t) {
            findings.push({ check: "aws-inputs", resource: where, message: `no input constraints for ${r.type}: derive them (scripts/derive-aws-input-constraints.ts)` });
            continue;
        }
        // Inputs whose values may be another resource's outputs (unknown during a real preview).
        const deps = new Map<string, string[]>();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const live = urns.filter((u) => u !== r.urn && byUrn.get(u) && !byUrn.get(u)!.type.startsWith("pulumi:providers:"));
            if (live.length) deps.set(key, live);
        }
        const unknown = (path: string, v: unknown): boolean => {
            if (v === UNKNOWN) return true;
            if (isAwsChoice(v) || (typeof v === "string" && v.includes(UNKNOWN))) return true;
            const urns = deps.get(topKey(path));
            if (!urns) return false;
            if (typeof v === "object" && v !== null) return true;
            return urns.some((u) => {
                const o = outputsOf(u);
                return o.exact.has(v) || (typeof v === "string" && o.strings.some((s) => v.includes(s)));
            });
        };
        const known = (f: Found) => !unknown(f.path, f.value);
        const flag = (path: string, message: string) => findings.push({ check: "aws-inputs", resource: where, message: `${path} ${message} (${t.terraform}, provider ${source.ref})` });

        for (const [path, constraints] of Object.entries(t.inputs)) {
            const top = topKey(path);
            if (plain(r.inputs[top]) === undefined) {
                rules += constraints.filter((c) => !c.sdkEnum).length;
                continue;
            }
            const found = valuesAt(r.inputs, path);
            for (const c of constraints) {
                if (c.sdkEnum) continue;
                rules++;
                for (const f of found) {
                    if (c.items) {
                        if (unknown(f.path, f.value)) continue;
                        const n = Array.isArray(f.value) ? f.value.length : typeof f.value === "object" ? 1 : undefined;
                        if (n !== undefined && (n < c.items[0] || (c.items[1] !== undefined && n > c.items[1]))) flag(f.path, `has ${n} item(s): allowed ${describe(c)}`);
                        continue;
                    }
                    const elements: Found[] = Array.isArray(f.value) ? f.value.map((v, i) => ({ path: `${f.path}[${i}]`, value: plain(v) })) : [f];
                    for (const e of elements.filter(known)) {
                        if (e.value === undefined || (typeof e.value === "object" && e.value !== null)) continue;
                        const why = violation(c, e.value);
                        if (why) flag(e.path, `${show(e.value)} is refused: ${why}`);
                    }
                }
            }
        }

        for (const path of t.required ?? []) {
            rules++;
            const cut = path.lastIndexOf(".");
            if (cut < 0) {
                if (plain(r.inputs[path]) === undefined) flag(path, "is required and not set");
                continue;
            }
            // A nested required attribute: in each element of its block.
            for (const parent of valuesAt(r.inputs, path.slice(0, cut))) {
                const elements = Array.isArray(parent.value) ? parent.value.map((v, i) => ({ path: `${parent.path}[${i}]`, value: plain(v) })) : [parent];
                for (const e of elements) {
                    if (!e.value || typeof e.value !== "object") continue;
                    if (plain((e.value as Record<string, unknown>)[path.slice(cut + 1)]) === undefined) flag(`${e.path}.${path.slice(cut + 1)}`, "is required and not set");
                }
            }
        }

        for (const c of t.combinations ?? []) {
            rules++;
            checkCombination(c, r.inputs, unknown, flag);
        }

        for (const rule of t.aws ?? []) {
            rules++;
            const check = HAND_RULES[rule.rule];
            if (!check) {
                flag(rule.inputs.join(", "), `has a hand rule "${rule.rule}" the check does not implement`);
                continue;
            }
            for (const problem of check(r.inputs, rule, (path, v) => unknown(path, v))) findings.push({ check: "aws-inputs", resource: where, message: `${problem.path} ${problem.message}: ${rule.allowed}` });
        }
    }
    return { rules, findings };
}

const tops = new Map<string, string>();
const topKey = (path: string) => {
    let t = tops.get(path);
    if (t === undefined) tops.set(path, (t = path.split(/[.[]/)[0]));
    return t;
};

/** Whether a value counts as set (present), and as given (set to something non-empty). */
const present = (v: unknown) => v !== undefined;
const given = (v: unknown) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);

function checkCombination(c: Combination, inputs: Record<string, unknown>, unknown: (path: string, v: unknown) => boolean, flag: (path: string, message: string) => void): void {
    const at = (path: string) => valuesAt(inputs, path);
    const parentOf = (path: string) => path.replace(/\[\d+\]/g, "").split(".").slice(0, -1).join(".");
    const declaredIn = parentOf(c.input);
    if (declaredIn && at(declaredIn).length === 0) return; // the block that declares it is not set
    switch (c.kind) {
        case "conflicts": {
            const own = at(c.input).filter((f) => given(f.value) && !unknown(f.path, f.value));
            if (!own.length) return;
            for (const p of c.paths) {
                const other = at(p).filter((f) => given(f.value) && !unknown(f.path, f.value));
                if (other.length) flag(c.input, `conflicts with ${p}: set only one of them (Terraform ConflictsWith)`);
            }
            return;
        }
        case "requiredWith": {
            if (!at(c.input).some((f) => given(f.value))) return;
            const missing = c.paths.filter((p) => !at(p).some((f) => present(f.value)));
            if (missing.length) flag(c.input, `is set without ${missing.join(", ")}: set them together (Terraform RequiredWith)`);
            return;
        }
        case "exactlyOne":
        case "atLeastOne": {
            const set = c.paths.filter((p) => at(p).some((f) => present(f.value)));
            const definite = c.paths.filter((p) => at(p).some((f) => given(f.value) && !unknown(f.path, f.value)));
            if (set.length === 0) flag(c.paths.join(", "), `: none is set, ${c.kind === "exactlyOne" ? "exactly one" : "at least one"} must be (Terraform ${c.kind === "exactlyOne" ? "ExactlyOneOf" : "AtLeastOneOf"})`);
            else if (c.kind === "exactlyOne" && definite.length > 1) flag(definite.join(", "), `: ${definite.length} are set, exactly one may be (Terraform ExactlyOneOf)`);
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Hand rules: what AWS refuses that the provider does not validate (facts and sources in the data file).

type HandCheck = (inputs: Record<string, unknown>, rule: HandRule, unknown: (path: string, v: unknown) => boolean) => { path: string; message: string }[];

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);

/** tcp/udp rules (by name or number): a port range whose start does not exceed its end. */
const portOrder =
    (protocolKey: string): HandCheck =>
    (inputs, rule, unknown) => {
        const out: { path: string; message: string }[] = [];
        const blocks = rule.inputs.length ? rule.inputs : [""];
        for (const block of blocks) {
            const found = block ? valuesAt(inputs, block) : [{ path: "", value: inputs as unknown }];
            for (const f of found) {
                const elements = Array.isArray(f.value) ? f.value.map((v, i) => ({ path: `${f.path}[${i}]`, value: plain(v) })) : [f];
                for (const e of elements) {
                    const o = e.value as Record<string, unknown> | undefined;
                    if (!o || typeof o !== "object") continue;
                    const protocol = String(plain(o[protocolKey]) ?? "").toLowerCase();
                    const from = num(plain(o.fromPort));
                    const to = num(plain(o.toPort));
                    const p = (k: string) => (e.path ? `${e.path}.${k}` : k);
                    if (from === undefined || to === undefined || unknown(p("fromPort"), o.fromPort) || unknown(p("toPort"), o.toPort)) continue;
                    if (["tcp", "udp", "6", "17"].includes(protocol) && from > to) out.push({ path: p("fromPort"), message: `${from} exceeds ${p("toPort")} ${to}: AWS refuses the rule (InvalidParameterValue)` });
                    if (["icmp", "icmpv6", "1", "58"].includes(protocol) && from === -1 && to !== -1) out.push({ path: p("toPort"), message: `${to} with ${p("fromPort")} -1 (all ICMP types): AWS refuses the rule (InvalidParameterValue)` });
                }
            }
        }
        return out;
    };

/** S3 lifecycle: expiration days >= 1; a transition to STANDARD_IA or ONEZONE_IA at 30 days or later. */
const s3LifecycleDays: HandCheck = (inputs, _rule, unknown) => {
    const out: { path: string; message: string }[] = [];
    for (const f of valuesAt(inputs, "rules.expiration.days")) {
        const d = num(f.value);
        if (d !== undefined && !unknown(f.path, f.value) && d < 1) out.push({ path: f.path, message: `${d} is refused` });
    }
    for (const [block, key] of [["rules.transitions", "days"]] as const) {
        for (const f of valuesAt(inputs, block)) {
            const elements = Array.isArray(f.value) ? f.value.map((v, i) => ({ path: `${f.path}[${i}]`, value: plain(v) })) : [f];
            for (const e of elements) {
                const o = e.value as Record<string, unknown>;
                if (!o || typeof o !== "object") continue;
                const d = num(plain(o[key]));
                const cls = String(plain(o.storageClass) ?? "");
                if (d === undefined || unknown(`${e.path}.${key}`, o[key])) continue;
                if ((cls === "STANDARD_IA" || cls === "ONEZONE_IA") && d < 30) out.push({ path: `${e.path}.${key}`, message: `${d} is refused for ${cls} (at least 30 days)` });
            }
        }
    }
    return out;
};

/** aws:vpc/securityGroup{Ingress,Egress}Rule: a tcp or udp rule names both ports. */
const vpcRulePorts: HandCheck = (inputs, rule, unknown) => {
    const out = portOrder("ipProtocol")(inputs, { ...rule, inputs: [] }, unknown);
    const protocol = String(plain(inputs.ipProtocol) ?? "").toLowerCase();
    if (["tcp", "udp", "6", "17"].includes(protocol)) {
        for (const k of ["fromPort", "toPort"]) if (plain(inputs[k]) === undefined) out.push({ path: k, message: `is not set on a ${protocol} rule` });
    }
    return out;
};

/** ElastiCache: at most 6 cache clusters, at least 2 with automatic failover. */
const elasticacheClusters: HandCheck = (inputs, _rule, unknown) => {
    const n = num(plain(inputs.numCacheClusters));
    if (n === undefined || unknown("numCacheClusters", inputs.numCacheClusters)) return [];
    if (n > 6) return [{ path: "numCacheClusters", message: `${n} is refused` }];
    if (plain(inputs.automaticFailoverEnabled) === true && n < 2) return [{ path: "numCacheClusters", message: `${n} with automaticFailoverEnabled is refused` }];
    return [];
};

/**
 * RDS and DocumentDB: the daily backup window is at least 30 minutes and does not overlap the weekly maintenance
 * window, itself at least 30 minutes. Both are compared as minutes of the week, each wrapping past its end.
 */
const backupWindow: HandCheck = (inputs, rule, unknown) => {
    const [backupKey, maintenanceKey] = rule.inputs;
    const backup = plain(inputs[backupKey]);
    const maintenance = plain(inputs[maintenanceKey]);
    const daily = typeof backup === "string" && !unknown(backupKey, inputs[backupKey]) ? /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(backup) : null;
    const weekly = typeof maintenance === "string" && !unknown(maintenanceKey, inputs[maintenanceKey]) ? /^(\w{3}):(\d\d):(\d\d)-(\w{3}):(\d\d):(\d\d)$/.exec(maintenance.toLowerCase()) : null;
    const out: { path: string; message: string }[] = [];
    const DAY = 1440, WEEK = 7 * DAY;
    const span = (start: number, end: number, period: number) => (end - start + period) % period;
    let backupStart = 0, backupLength = 0;
    if (daily) {
        backupStart = Number(daily[1]) * 60 + Number(daily[2]);
        backupLength = span(backupStart, Number(daily[3]) * 60 + Number(daily[4]), DAY);
        if (backupLength < 30) out.push({ path: backupKey, message: `${JSON.stringify(backup)} lasts ${backupLength} minutes` });
    }
    if (weekly) {
        const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        const at = (day: string, h: string, m: string) => days.indexOf(day) * DAY + Number(h) * 60 + Number(m);
        const start = at(weekly[1], weekly[2], weekly[3]);
        const length = span(start, at(weekly[4], weekly[5], weekly[6]), WEEK);
        if (days.includes(weekly[1]) && days.includes(weekly[4])) {
            if (length < 30) out.push({ path: maintenanceKey, message: `${JSON.stringify(maintenance)} lasts ${length} minutes` });
            // Each day's backup window against the maintenance window: two arcs of the week meet when either's
            // start lies within the other.
            const within = (point: number, from: number, len: number) => span(from, point, WEEK) < len;
            const clash = daily && backupLength > 0 && days.some((_, d) => {
                const b = d * DAY + backupStart;
                return within(b, start, length) || within(start, b, backupLength);
            });
            if (clash) out.push({ path: backupKey, message: `${JSON.stringify(backup)} overlaps ${maintenanceKey} ${JSON.stringify(maintenance)}` });
        }
    }
    return out;
};

const HAND_RULES: Record<string, HandCheck> = {
    "backup-window": backupWindow,
    "elasticache-num-cache-clusters": elasticacheClusters,
    "sg-port-order": portOrder("protocol"),
    "vpc-sg-rule-ports": vpcRulePorts,
    "s3-lifecycle-days": s3LifecycleDays,
};
