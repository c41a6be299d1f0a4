/**
 * The instance tables derived from the AWS Price List and the EC2 API (model/data, scripts/derive-instance-data.ts)
 * against the classes the config accepts and the capacity model: a class the price list does not sell is one a
 * real apply would refuse, so the config must not accept it; each accepted class has the price the estimate needs;
 * each node type's vCPUs, memory and max pods in the capacity check are AWS's.
 */
import { describe, expect, it } from "vitest";
import { EC2_INSTANCE_SIZES, ELASTICACHE_NODE_SIZES, RDS_INSTANCE_SIZES } from "../model/aws-catalog";
import { nodeShape } from "../model/capacity";
import { cacheHourly, ec2Hourly, PRICED_EC2_TYPES, PRICED_REGIONS, pricedCacheNodeTypes, SPOT_DISCOUNT_PERCENT } from "../model/prices";
import cacheData from "../model/data/elasticache-on-demand.json";
import ec2Data from "../model/data/ec2-on-demand.json";
import shapes from "../model/data/ec2-shapes.json";

const classes = (sizes: Readonly<Record<string, string[]>>) => Object.entries(sizes).flatMap(([family, list]) => list.map((size) => `${family}.${size}`));

describe("the config's instance catalogs against the AWS Price List", () => {
    it("accepts only EC2 instance types the price list sells, each priced", () => {
        expect(classes(EC2_INSTANCE_SIZES).filter((t) => !ec2Hourly(t))).toEqual([]);
    });

    it("accepts only RDS classes whose EC2 type exists (db.r8g.32xlarge, db.r7i.32xlarge do not)", () => {
        expect(classes(RDS_INSTANCE_SIZES).filter((t) => !PRICED_EC2_TYPES.includes(t))).toEqual([]);
    });

    it("accepts only ElastiCache node types the price list sells (cache.r5 has no 8xlarge or 16xlarge), priced alike in the priced regions", () => {
        const accepted = classes(ELASTICACHE_NODE_SIZES).map((t) => `cache.${t}`);
        expect(accepted.filter((t) => !pricedCacheNodeTypes("us-east-1").includes(t))).toEqual([]);
        for (const engine of ["redis", "valkey"] as const) {
            for (const type of accepted) expect(cacheHourly(type, engine, "us-west-2")?.usd, `${type} ${engine}`).toBe(cacheHourly(type, engine, "us-east-1")?.usd);
        }
        expect(PRICED_REGIONS).toEqual(["us-east-1", "us-west-2"]);
    });
});

describe("the derived tables", () => {
    it("say where they come from and when", () => {
        expect(ec2Data.source).toMatch(/^aws\/karpenter-provider-aws .* at [0-9a-f]{40} \(\d{4}-\d\d-\d\d\), generated from the AWS Price List API at \d{4}-/);
        expect(ec2Data.region).toBe("us-east-1");
        expect(cacheData.source).toMatch(/^LeanerCloud\/ec2-instances-info .* at [0-9a-f]{40} \(\d{4}-\d\d-\d\d\)/);
    });

    it("hold the figures the documents quote (m6i.xlarge $0.192/h, cache.r6g.large $0.206/h, Valkey 20% below)", () => {
        expect(ec2Hourly("m6i.xlarge")?.usd).toBe(0.192);
        expect(ec2Hourly("m7g.xlarge")?.usd).toBe(0.1632);
        expect(cacheHourly("cache.r6g.large", "redis", "us-east-1")?.usd).toBe(0.206);
        expect(cacheHourly("cache.r6g.large", "valkey", "us-east-1")?.usd).toBe(0.1648);
    });

    it("give spot discounts only for families the config accepts", () => {
        expect(Object.keys(SPOT_DISCOUNT_PERCENT).filter((f) => !(f in EC2_INSTANCE_SIZES))).toEqual([]);
    });
});

describe("node shapes in the capacity check against DescribeInstanceTypes", () => {
    const types = shapes.types as Record<string, { enis: number; ipv4PerEni: number; nitro: boolean; vcpus?: number; memoryGiB?: number }>;

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

    it("sets max pods as the EKS AMI's calculator does with prefix delegation: the prefixes the interfaces hold, capped at 110 or 250", () => {
        expect(nodeShape("m6i.xlarge")?.maxPods).toBe(110); // 4 x (15 - 1) x 16 + 2 = 898, capped
        expect(nodeShape("m6i.8xlarge")?.maxPods).toBe(250); // 32 vCPUs: the higher cap
        expect(nodeShape("m6g.medium")?.maxPods).toBe(98); // 2 x (4 - 1) x 16 + 2
        expect(nodeShape("t3.micro")?.maxPods).toBe(34); // 2 x (2 - 1) x 16 + 2
    });
});
