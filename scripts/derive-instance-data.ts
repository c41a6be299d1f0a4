/**
 * Derives the tables of model/data/ from git mirrors of public copies of AWS's own data, keeping only the classes
 * the config accepts (model/aws-catalog.ts) and the regions it supports:
 *
 * - EC2 Linux on-demand per type and region (node types, and the EC2 types under the RDS and ElastiCache classes),
 *   RDS for PostgreSQL per class, deployment and region with its gp3
 *   storage and backup storage, and EBS gp3 per region: the feeds behind AWS's pricing pages
 *   (b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps, each with its publication date), as yeo/ec2.shop commits them
 *   under data/ec2, data/rds and data/ebs. The EC2 table's us-east-1 column must equal the AWS Price List API's, as
 *   aws/karpenter-provider-aws generates it (pkg/providers/pricing/zz_generated.pricing_aws.go): the two sources
 *   checked against each other, or this stops.
 * - ElastiCache on-demand per node type, engine and region: LeanerCloud/ec2-instances-info,
 *   data/elasticache-instances.json (ec2instances.info's build of the AWS Price List).
 * - Node network limits (network interfaces on the default card, IPv4 addresses per interface, hypervisor):
 *   Karpenter's pkg/providers/instancetype/zz_generated.vpclimits.go (from the EC2 API); and architecture, vCPUs and
 *   memory where ec2-instances-info's generated_instances_data.txt has the type (the tests hold the capacity model
 *   and the Graviton rule to them).
 *
 *   npx tsx scripts/derive-instance-data.ts <karpenter git dir> <ref> <ec2-instances-info git dir> <ref> \
 *       <ec2.shop git dir> <ref> <ec2.shop ref of a readable data/rds/rds-postgresql-ondemand.json>
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EC2_INSTANCE_SIZES, ELASTICACHE_NODE_SIZES, RDS_INSTANCE_SIZES, REGIONS } from "../model/aws-catalog";

const [karpenterGit, karpenterRef, infoGit, infoRef, shopGit, shopRef, shopRdsRef] = process.argv.slice(2);
if (!shopRdsRef) {
    console.error("usage: tsx scripts/derive-instance-data.ts <karpenter git dir> <ref> <ec2-instances-info git dir> <ref> <ec2.shop git dir> <ref> <rds ref>");
    process.exit(2);
}
const git = (dir: string, ...args: string[]) => execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 }).trim();
const show = (dir: string, ref: string, path: string) => git(dir, "show", `${ref}:${path}`);
/** "<repo> <path> at <commit> (<commit date>)" of the last commit that changed the file by the ref. */
const at = (repo: string, dir: string, ref: string, path: string) => {
    const [commit, date] = git(dir, "log", "-1", "--format=%H %cs", ref, "--", path).split(" ");
    return `${repo} ${path} at ${commit} (${date})`;
};
const classes = (prefix: string, sizes: Readonly<Record<string, string[]>>) =>
    Object.entries(sizes).flatMap(([family, list]) => list.map((size) => `${prefix}${family}.${size}`));
const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

// A class's figures on one line (objects of plain values two levels down or deeper), so a new build diffs by class.
const format = (value: unknown, depth = 0, pad = ""): string => {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    const entries = Object.entries(value);
    if (depth >= 2 && entries.every(([, v]) => v === null || typeof v !== "object")) return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
    const inner = `${pad}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, depth + 1, inner)}`).join(",\n")}\n${pad}}`;
};
const out = (file: string, data: unknown) => writeFileSync(join(__dirname, "..", "model", "data", file), `${format(data)}\n`);

type Feed = { manifest: { hawkFilePublicationDate: string; source: string }; regions: Record<string, Record<string, Record<string, string>>> };
const published = (feed: Feed) => `AWS's pricing-page feed ${feed.manifest.source}, published ${feed.manifest.hawkFilePublicationDate.slice(0, 10)}`;

// EC2: one feed per region (its file named by the code, its entries by the location name RDS's and EBS's feeds use).
// RDS and ElastiCache classes run on the EC2 type of the same name: its presence is what the tests check them by.
const nodeTypesAccepted = classes("", EC2_INSTANCE_SIZES);
const ec2Types = [...new Set([...nodeTypesAccepted, ...classes("", RDS_INSTANCE_SIZES), ...classes("", ELASTICACHE_NODE_SIZES)])];
const locationOf: Record<string, string> = {};
const ec2: Record<string, Record<string, number>> = Object.fromEntries(ec2Types.map((t) => [t, {}]));
let ec2Feed: Feed | undefined;
for (const region of REGIONS) {
    const feed = JSON.parse(show(shopGit, shopRef, `data/ec2/${region}-ondemand.json`)) as Feed;
    ec2Feed ??= feed;
    const [[location, entries]] = Object.entries(feed.regions);
    locationOf[region] = location;
    for (const entry of Object.values(entries)) {
        const type = entry["Instance Type"];
        if (ec2[type]) ec2[type][region] = round(Number(entry.price));
    }
}
const karpenterFile = "pkg/providers/pricing/zz_generated.pricing_aws.go";
const karpenterGo = show(karpenterGit, karpenterRef, karpenterFile);
const apiAt = /generated at (\S+) for us-east-1/.exec(karpenterGo)?.[1];
if (!apiAt) throw new Error(`${karpenterFile}: no "generated at <time> for us-east-1" header`);
const api = new Map([...karpenterGo.matchAll(/"([a-z0-9-]+\.[a-z0-9-]+)":\s*([0-9.]+)/g)].map((m) => [m[1], Number(m[2])]));
const disagree = ec2Types.filter((t) => ec2[t]["us-east-1"] !== undefined && ec2[t]["us-east-1"] !== api.get(t));
if (disagree.length) throw new Error(`us-east-1 prices differ from the Price List API's: ${disagree.map((t) => `${t} ${ec2[t]["us-east-1"]} vs ${api.get(t)}`).join(", ")}`);
out("ec2-on-demand.json", {
    source: `${at("yeo/ec2.shop", shopGit, shopRef, "data/ec2/us-east-1-ondemand.json").replace("us-east-1-", "<region>-")}: ${published(ec2Feed!)}`,
    checked: `us-east-1 equal to the AWS Price List API for every class (${at("aws/karpenter-provider-aws", karpenterGit, karpenterRef, karpenterFile)}, generated ${apiAt})`,
    unit: "USD per instance-hour, Linux, shared tenancy",
    prices: Object.fromEntries(ec2Types.filter((t) => Object.keys(ec2[t]).length).map((t) => [t, ec2[t]])),
});

// RDS for PostgreSQL: instance-hours per class and deployment, gp3 storage and backup storage per region.
const rdsFile = "data/rds/rds-postgresql-ondemand.json";
const rdsFeed = JSON.parse(show(shopGit, shopRdsRef, rdsFile)) as Feed;
const rdsClasses = classes("db.", RDS_INSTANCE_SIZES);
const rds: Record<string, Record<string, { singleAz: number; multiAz: number }>> = Object.fromEntries(rdsClasses.map((c) => [c, {}]));
const rdsStorage: Record<string, { gp3SingleAz: number; gp3MultiAz: number; backup: number }> = {};
for (const region of REGIONS) {
    const rows = rdsFeed.regions[locationOf[region]] ?? {};
    const priceOf = (key: string) => (rows[key] ? round(Number(rows[key].price)) : undefined);
    for (const cls of rdsClasses) {
        const [, family, size] = cls.split(".");
        const row = (az: string) => Object.keys(rows).find((k) => k.startsWith("Database Instance PostgreSQL No license required") && k.includes(` db ${family}.${size} `) && k.includes(` ${az} `));
        const single = row("Single-AZ");
        const multi = row("Multi-AZ");
        if (single && multi) rds[cls][region] = { singleAz: priceOf(single)!, multiAz: priceOf(multi)! };
    }
    const [gp3SingleAz, gp3MultiAz, backup] = ["Database Storage Single AZ General Purpose-GP3", "Database Storage Multi AZ General Purpose-GP3", "Storage Snapshot"].map(priceOf);
    if (gp3SingleAz !== undefined && gp3MultiAz !== undefined && backup !== undefined) rdsStorage[region] = { gp3SingleAz, gp3MultiAz, backup };
}
out("rds-postgresql-on-demand.json", {
    source: `${at("yeo/ec2.shop", shopGit, shopRdsRef, rdsFile)}: ${published(rdsFeed)}`,
    unit: "USD per instance-hour (storage: per GB-month; backup: per GB-month beyond the instance's storage)",
    storage: rdsStorage,
    prices: Object.fromEntries(rdsClasses.filter((c) => Object.keys(rds[c]).length).map((c) => [c, rds[c]])),
});

// EBS gp3 per region.
const ebsFile = "data/ebs/ebs.json";
const ebsFeed = JSON.parse(show(shopGit, shopRef, ebsFile)) as Feed;
out("ebs-gp3.json", {
    source: `${at("yeo/ec2.shop", shopGit, shopRef, ebsFile)}: ${published(ebsFeed)}`,
    unit: "USD per GB-month",
    prices: Object.fromEntries(REGIONS.flatMap((r) => {
        const row = ebsFeed.regions[locationOf[r]]?.["Storage General Purpose gp3 GB Mo"];
        return row ? [[r, round(Number(row.price))]] : [];
    })),
});

// ElastiCache: per node type, region and engine.
const cacheFile = "data/elasticache-instances.json";
type CacheRow = { instance_type: string; pricing: Record<string, Record<string, { ondemand?: number }>> };
const cacheRows = JSON.parse(show(infoGit, infoRef, cacheFile)) as CacheRow[];
const cacheTypes = classes("cache.", ELASTICACHE_NODE_SIZES);
const cache: Record<string, Record<string, { redis?: number; valkey?: number }>> = Object.fromEntries(REGIONS.map((r) => [r, {}]));
for (const row of cacheRows.filter((r) => cacheTypes.includes(r.instance_type))) {
    for (const [region, engines] of Object.entries(row.pricing).filter(([region]) => region in cache)) {
        const redis = engines.Redis?.ondemand;
        const valkey = engines.Valkey?.ondemand;
        if (redis !== undefined || valkey !== undefined) cache[region][row.instance_type] = { ...(redis !== undefined && { redis }), ...(valkey !== undefined && { valkey }) };
    }
}
out("elasticache-on-demand.json", {
    source: `${at("LeanerCloud/ec2-instances-info", infoGit, infoRef, cacheFile)}, ec2instances.info's build of the AWS Price List`,
    unit: "USD per node-hour",
    // In the catalog's order of regions and classes, so a new build's diff shows what moved.
    prices: Object.fromEntries(Object.entries(cache).map(([region, types]) => [region, Object.fromEntries(cacheTypes.filter((t) => types[t]).map((t) => [t, types[t]]))])),
});

// Shapes: the network limits of each accepted node type, and its vCPUs and memory where the build lists it.
const limitsFile = "pkg/providers/instancetype/zz_generated.vpclimits.go";
const limitsGo = show(karpenterGit, karpenterRef, limitsFile);
const limits = new Map([...limitsGo.matchAll(/\n\t"([a-z0-9-]+\.[a-z0-9-]+)": \{([\s\S]*?)\n\t\},/g)].map((m) => {
    const field = (name: string) => new RegExp(`\\b${name}:\\s*"?([\\w.]+)"?`).exec(m[2])?.[1];
    const card = Number(field("DefaultNetworkCardIndex") ?? 0);
    const cards = [...m[2].matchAll(/MaximumNetworkInterfaces:\s*(\d+),\s*NetworkCardIndex:\s*(\d+)/g)];
    const enis = Number(cards.find((c) => Number(c[2]) === card)?.[1] ?? field("Interface"));
    return [m[1], { enis, ipv4PerEni: Number(field("IPv4PerInterface")), nitro: field("Hypervisor") === "nitro" }];
}));
const sizesFile = "generated_instances_data.txt";
const sizes = new Map(show(infoGit, infoRef, sizesFile).split("\n").flatMap((line) => {
    const m = /Instance type: ([^,]+),.*Arch: (\w+),\s*CPU cores: (\d+),\s*Memory\(GB\): ([\d.]+)/.exec(line);
    return m ? [[m[1], { arch: m[2], vcpus: Number(m[3]), memoryGiB: Number(m[4]) }] as const] : [];
}));
const nodeTypes = nodeTypesAccepted.filter((t) => limits.has(t));
out("ec2-shapes.json", {
    source: {
        network: `${at("aws/karpenter-provider-aws", karpenterGit, karpenterRef, limitsFile)}, generated from the EC2 API at ${/generated at (\S+)/.exec(limitsGo)?.[1]}`,
        size: `${at("LeanerCloud/ec2-instances-info", infoGit, infoRef, sizesFile)}, ec2instances.info's build of DescribeInstanceTypes`,
    },
    types: Object.fromEntries(nodeTypes.map((t) => [t, { ...limits.get(t)!, ...sizes.get(t) }])),
});

const count = (table: Record<string, object>) => Object.values(table).filter((v) => Object.keys(v).length).length;
console.log([
    `ec2: ${count(ec2)} of ${ec2Types.length} types priced`,
    `rds: ${count(rds)} of ${rdsClasses.length} classes (none for ${rdsClasses.filter((c) => !Object.keys(rds[c]).length).join(", ")}), storage in ${Object.keys(rdsStorage).length} regions`,
    `elasticache: ${Object.entries(cache).map(([r, t]) => `${r} ${Object.keys(t).length}`).join(", ")} of ${cacheTypes.length}`,
    `shapes: ${nodeTypes.length} node types, ${nodeTypes.filter((t) => sizes.has(t)).length} with architecture, vCPUs and memory`,
].join("\n"));
