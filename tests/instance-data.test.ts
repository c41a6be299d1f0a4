/**
 * The instance tables derived from the AWS Price List and the EC2 API (model/data, scripts/derive-instance-data.ts)
 * against the classes the config accepts and the capacity model: a class the price list does not sell is one a
 * real apply would refuse, so the config must not accept it; each accepted class has the price the estimate needs;
 * each node type's vCPUs, memory and max pods in the capacity check are AWS's.
 */
import { describe, expect, it } from "vitest";
import { EC2_INSTANCE_SIZES, ELASTICACHE_NODE_SIZES, isGraviton, RDS_INSTANCE_SIZES } from "../model/aws-catalog";
import { nodeShape } from "../model/capacity";
import { REGIONS } from "../model/aws-catalog";
import { PRICED_EC2_TYPES, PRICED_RDS_CLASSES, priceIn, pricedCacheNodeTypes, SPOT_DISCOUNT_PERCENT } from "../model/prices";
import cacheData from "../model/data/elasticache-on-demand.json";
import ec2Data from "../model/data/ec2-on-demand.json";
import rdsData from "../model/data/rds-postgresql-on-demand.json";
import shapes from "../model/data/ec2-shapes.json";

const classes = (sizes: Readonly<Record<string, string[]>>) => Object.entries(sizes).flatMap(([family, list]) => list.map((size) => `${family}.${size}`));

describe("the config's instance catalogs against the AWS Price List", () => {
    it("accepts only EC2 instance types the price list sells, each priced", () => {
        expect(classes(EC2_INSTANCE_SIZES).filter((t) => !priceIn(`ec2 ${t}`, "us-east-1"))).toEqual([]);
    });

    it("accepts only RDS classes whose EC2 type exists (db.r8g.32xlarge, db.r7i.32xlarge do not), priced but for the two newest families", () => {
        expect(classes(RDS_INSTANCE_SIZES).filter((t) => !PRICED_EC2_TYPES.includes(t))).toEqual([]);
        // The RDS feed of 2024-09 predates db.r7i and db.r8g for PostgreSQL: their lines say "no catalog price".
        expect([...new Set(classes(RDS_INSTANCE_SIZES).filter((t) => !PRICED_RDS_CLASSES.includes(`db.${t}`)).map((t) => t.split(".")[0]))]).toEqual(["r7i", "r8g"]);
    });

    it("accepts only ElastiCache node types the price list sells (cache.r5 has no 8xlarge or 16xlarge), priced alike in the priced regions", () => {
        const accepted = classes(ELASTICACHE_NODE_SIZES).map((t) => `cache.${t}`);
        expect(accepted.filter((t) => !pricedCacheNodeTypes("us-east-1").includes(t))).toEqual([]);
        for (const engine of ["redis", "valkey"] as const) {
            for (const type of accepted) expect(priceIn(`elasticache ${type} ${engine}`, "us-west-2")?.usd, `${type} ${engine}`).toBe(priceIn(`elasticache ${type} ${engine}`, "us-east-1")?.usd);
        }
    });

    it("prices the environments' node types, gp3 volumes and database in every region the config accepts", () => {
        for (const region of REGIONS) {
            const names = ["ec2 m6i.xlarge", "ec2 m6i.large", "ec2 r6i.large", "ebsGp3GbMonth", "rdsGp3GbMonth", "rdsGp3GbMonth Multi-AZ", "rdsBackupGbMonth", "rds db.r6g.large Multi-AZ", "rds db.t4g.medium", "elasticache cache.t3.small redis"];
            expect(names.filter((name) => !priceIn(name, region)), region).toEqual([]);
        }
        // ElastiCache has no Graviton nodes in Zurich and Osaka: the config refuses them there (tests/config.test.ts).
        expect(REGIONS.filter((region) => !priceIn("elasticache cache.t4g.small redis", region))).toEqual(["eu-central-2", "ap-northeast-3"]);
    });
});

describe("the derived tables", () => {
    it("say where they come from and when", () => {
        expect(ec2Data.source).toMatch(/^yeo\/ec2\.shop .* at [0-9a-f]{40} \(\d{4}-\d\d-\d\d\): AWS's pricing-page feed .*, published \d{4}-\d\d-\d\d$/);
        expect(ec2Data.checked).toMatch(/^us-east-1 equal to the AWS Price List API for every class \(aws\/karpenter-provider-aws .* at [0-9a-f]{40}/);
        expect(rdsData.source).toMatch(/^yeo\/ec2\.shop .*: AWS's pricing-page feed rds-postgresql-ondemand, published \d{4}-/);
        expect(cacheData.source).toMatch(/^LeanerCloud\/ec2-instances-info .* at [0-9a-f]{40} \(\d{4}-\d\d-\d\d\)/);
    });

    it("hold the figures the documents quote (m6i.xlarge $0.192/h, db.r6g.large $0.225/h, cache.r6g.large $0.206/h, Valkey 20% below)", () => {
        const usd = (name: string, region = "us-east-1") => priceIn(name, region)?.usd;
        expect([usd("ec2 m6i.xlarge"), usd("ec2 m7g.xlarge"), usd("ec2 m6i.xlarge", "eu-west-1")]).toEqual([0.192, 0.1632, 0.214]);
        expect([usd("rds db.r6g.large"), usd("rds db.r6g.large Multi-AZ"), usd("rdsGp3GbMonth"), usd("rdsBackupGbMonth"), usd("ebsGp3GbMonth")]).toEqual([0.225, 0.45, 0.115, 0.095, 0.08]);
        expect([usd("elasticache cache.r6g.large redis"), usd("elasticache cache.r6g.large valkey")]).toEqual([0.206, 0.1648]);
    });

    it("gives a figure read for US regions only to us-east-1 and us-west-2, and one AWS prices alike everywhere to every region", () => {
        expect(["us-east-1", "us-west-2", "eu-west-1"].map((r) => priceIn("natGatewayHour", r)?.usd)).toEqual([0.045, 0.045, undefined]);
        expect(priceIn("eksCluster", "ap-southeast-2")?.usd).toBe(0.1);
        expect(priceIn("no such figure", "us-east-1")).toBeUndefined();
    });

    it("give spot discounts only for families the config accepts", () => {
        expect(Object.keys(SPOT_DISCOUNT_PERCENT).filter((f) => !(f in EC2_INSTANCE_SIZES))).toEqual([]);
    });
});

describe("node shapes in the capacity check against DescribeInstanceTypes", () => {
    const types = shapes.types as Record<string, { enis: number; ipv4PerEni: number; nitro: boolean; arch?: string; vcpus?: number; memoryGiB?: number }>;

    it("knows every accepted node type's network limits", () => {
        expect(classes(EC2_INSTANCE_SIZES).filter((t) => !types[t])).toEqual([]);
        expect(classes(EC2_INSTANCE_SIZES).filter((t) => !nodeShape(t))).toEqual([]);
    });

    it("gives each node type AWS's vCPUs and memory (t3.medium has 2 vCPUs, t3.small 2 GiB), where the build lists the type", () => {
        const listed = Object.entries(types).filter(([, t]) => t.vcpus !== undefined);
        expect(listed.length).toBeGreaterThan(150);
        const wrong = listed.filter(([type, t]) => nodeShape(type)?.vcpus !== t.vcpus || nodeShape(type)?.memoryMiB !== t.memoryGiB! * 1024);
        expect(wrong.map(([type, t]) => `${type}: ${nodeShape(type)?.vcpus} vCPU ${nodeShape(type)?.memoryMiB} MiB, AWS ${t.vcpus} vCPU ${t.memoryGiB} GiB`)).toEqual([]);
    });

    it("calls a family Graviton exactly when AWS lists its types as arm64 (a node group runs one AMI architecture)", () => {
        const listed = Object.entries(types).filter(([, t]) => t.arch !== undefined);
        expect(listed.filter(([type, t]) => isGraviton(type.split(".")[0]) !== (t.arch === "arm64")).map(([type]) => type)).toEqual([]);
        expect(listed.some(([, t]) => t.arch === "arm64")).toBe(true);
    });

    it("sets max pods as the EKS AMI's calculator does with prefix delegation: the prefixes the interfaces hold, capped at 110 or 250", () => {
        expect(nodeShape("m6i.xlarge")?.maxPods).toBe(110); // 4 x (15 - 1) x 16 + 2 = 898, capped
        expect(nodeShape("m6i.8xlarge")?.maxPods).toBe(250); // 32 vCPUs: the higher cap
        expect(nodeShape("m6g.medium")?.maxPods).toBe(98); // 2 x (4 - 1) x 16 + 2
        expect(nodeShape("t3.micro")?.maxPods).toBe(34); // 2 x (2 - 1) x 16 + 2
    });
});
