/**
 * Subnet address planning for the Network component: pure functions, shared by config validation (so a bad
 * layout fails before anything is registered) and by the component itself (so another program using Network
 * gets the same checks).
 */
import * as ipaddr from "ipaddr.js";

export const SUBNET_TIERS = ["public", "private", "database"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
export type SubnetCidrs = Record<SubnetTier, string[]>;

/**
 * Default carving of the VPC: each tier gets a fixed block holding {@link MAX_CARVED_AZS} equal slots, and AZ i
 * takes slot i. Adding an AZ therefore never moves an existing subnet (a moved CIDR would replace the subnet and
 * everything in it). Private subnets are the largest because the VPC CNI gives every pod a VPC address.
 *
 * For a /16: private 4 x /19 in the first half, public 4 x /22, database 4 x /24, the rest left free.
 */
export const MAX_CARVED_AZS = 4;
const TIER_EXTRA_BITS: Record<SubnetTier, number> = { private: 3, public: 6, database: 8 };
const TIER_BLOCK_OFFSET: Record<SubnetTier, (vpcSize: number) => number> = {
    private: () => 0,
    public: (size) => size / 2,
    database: (size) => size / 2 + size / 16,
};

/** Smallest prefix (largest subnet) each tier must have: ALBs want /27 with 8 free addresses, pods want room. */
export const TIER_MAX_PREFIX: Record<SubnetTier, number> = { public: 27, private: 22, database: 28 };

/** AWS allows VPC and subnet prefixes from /16 to /28. */
export const AWS_MIN_PREFIX = 16;
export const AWS_MAX_PREFIX = 28;

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    start: number;
    prefix: number;
    /** Number of addresses. */
    size: number;
}

/** Parses an IPv4 CIDR whose host bits are zero; returns a reason string when it is not one. */
export function parseCidr(text: string): Cidr | string {
    if (!ipaddr.IPv4.isValidCIDR(text)) return "not an IPv4 CIDR such as 10.0.0.0/16";
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const start = toUint(address);
    const size = 2 ** (32 - prefix);
    if (start % size !== 0) return `host bits are set (the network address is ${fromUint(start - (start % size))}/${prefix})`;
    return { start, prefix, size };
}

/** RFC 1918 only: AWS accepts public ranges for a VPC, but they shadow real internet addresses. */
export function isPrivateCidr(cidr: Cidr): boolean {
    return ipaddr.IPv4.parse(fromUint(cidr.start)).range() === "private" && isPrivateAddress(cidr.start + cidr.size - 1);
}

function isPrivateAddress(value: number): boolean {
    return ipaddr.IPv4.parse(fromUint(value)).range() === "private";
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.start < b.start + b.size && b.start < a.start + a.size;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.start >= outer.start && inner.start + inner.size <= outer.start + outer.size;
}

export function formatCidr(cidr: Cidr): string {
    return `${fromUint(cidr.start)}/${cidr.prefix}`;
}

/**
 * The default subnet CIDRs for `azCount` AZs in `vpcCidr`. Throws when the VPC cannot be carved (more than
 * {@link MAX_CARVED_AZS} AZs); config validation reports that case before calling this.
 */
export function carveSubnets(vpcCidr: string, azCount: number): SubnetCidrs {
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") throw new Error(`vpc CIDR "${vpcCidr}": ${vpc}`);
    if (azCount > MAX_CARVED_AZS) throw new Error(`the default subnet layout has room for ${MAX_CARVED_AZS} AZs, got ${azCount}`);
    const carve = (tier: SubnetTier) => {
        const prefix = vpc.prefix + TIER_EXTRA_BITS[tier];
        const size = 2 ** (32 - prefix);
        const base = vpc.start + TIER_BLOCK_OFFSET[tier](vpc.size);
        return Array.from({ length: azCount }, (_, i) => formatCidr({ start: base + i * size, prefix, size }));
    };
    return { public: carve("public"), private: carve("private"), database: carve("database") };
}

/** The largest VPC prefix whose default carving still gives every tier its minimum subnet size. */
export const MAX_CARVABLE_VPC_PREFIX = Math.min(
    ...SUBNET_TIERS.map((tier) => Math.min(TIER_MAX_PREFIX[tier], AWS_MAX_PREFIX) - TIER_EXTRA_BITS[tier]),
);

export interface LayoutProblem {
    tier?: SubnetTier;
    /** The offending CIDR text. */
    value: string;
    message: string;
    allowed: string;
}

/**
 * Every reason the layout cannot be built: tiers with the wrong number of subnets, malformed, public-range,
 * too small or too large CIDRs, subnets outside the VPC, and overlaps between any two subnets.
 */
export function checkSubnetLayout(vpcCidr: string, subnets: SubnetCidrs, azCount: number): LayoutProblem[] {
    const problems: LayoutProblem[] = [];
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") {
        return [{ value: vpcCidr, message: vpc, allowed: "an RFC 1918 IPv4 CIDR from /16 to /28, e.g. 10.0.0.0/16" }];
    }
    if (!isPrivateCidr(vpc)) {
        problems.push({ value: vpcCidr, message: "not a private range", allowed: "inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" });
    }
    if (vpc.prefix < AWS_MIN_PREFIX || vpc.prefix > AWS_MAX_PREFIX) {
        problems.push({ value: vpcCidr, message: `a /${vpc.prefix} VPC is outside what AWS allows`, allowed: "a prefix from /16 to /28" });
    }
    const placed: { tier: SubnetTier; text: string; cidr: Cidr }[] = [];
    for (const tier of SUBNET_TIERS) {
        const list = subnets[tier];
        if (list.length !== azCount) {
            problems.push({
                tier,
                value: JSON.stringify(list),
                message: `${list.length} ${tier} subnet(s) for ${azCount} availability zone(s)`,
                allowed: `exactly one ${tier} subnet CIDR per availability zone (${azCount})`,
            });
        }
        for (const text of list) {
            const cidr = parseCidr(text);
            const allowedSize = `/${AWS_MIN_PREFIX} to /${TIER_MAX_PREFIX[tier]} inside the VPC ${vpcCidr}`;
            if (typeof cidr === "string") {
                problems.push({ tier, value: text, message: cidr, allowed: allowedSize });
                continue;
            }
            if (cidr.prefix > TIER_MAX_PREFIX[tier]) {
                problems.push({ tier, value: text, message: `a /${cidr.prefix} ${tier} subnet is too small`, allowed: allowedSize });
            }
            if (!contains(vpc, cidr)) {
                problems.push({ tier, value: text, message: `outside the VPC ${vpcCidr}`, allowed: allowedSize });
            }
            for (const other of placed) {
                if (overlaps(other.cidr, cidr)) {
                    problems.push({
                        tier,
                        value: text,
                        message: `overlaps the ${other.tier} subnet ${other.text}`,
                        allowed: "subnets that share no address",
                    });
                }
            }
            placed.push({ tier, text, cidr });
        }
    }
    return problems;
}

function toUint(address: ipaddr.IPv4): number {
    return address.octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

function fromUint(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
