/**
 * Config changes AWS could only apply by replacing stateful resources are refused in protected stacks, by
 * comparing with the stack's own last outputs, before anything is registered.
 */
import { describe, expect, it } from "vitest";
import { evaluateStack } from "../offline/evaluate";
import { registered } from "../offline/inspect";

const DEPLOYED_PROD = { clusterName: "rag-prod", region: "us-east-1", databaseEngineVersion: "17", cacheMode: "cluster" };

describe("replacement guard", () => {
    it("lets prod through when nothing identity-bearing changed, and on its first deployment", async () => {
        for (const deployedOutputs of [DEPLOYED_PROD, undefined]) {
            const record = await evaluateStack({ stack: "prod", deployedOutputs });
            expect(record.configError).toBeUndefined();
            expect(registered(record).length).toBeGreaterThan(100);
        }
    });

    it.each([
        [
            "a renamed cluster (the database and secrets are named after it)",
            { "rag-platform:clusterName": "rag-production" },
            'stack "prod": rag-platform:clusterName = "rag-production": the deployed database (rag-prod-postgres), its secrets and the EKS cluster are named after it; changing it would replace them and lose their data; allowed: "rag-prod" (the deployed value)',
        ],
        [
            "another region",
            { "aws:region": "us-west-2", "rag-platform:availabilityZones": '["us-west-2a","us-west-2b","us-west-2c"]', "rag-platform:drRegion": "us-east-2" },
            'stack "prod": aws:region = "us-west-2": everything this stack holds lives in us-east-1; another region would mean new, empty resources',
        ],
        [
            "a PostgreSQL downgrade",
            { "rag-platform:dbEngineVersion": "16" },
            'stack "prod": rag-platform:dbEngineVersion = "16": RDS cannot downgrade PostgreSQL 17 in place; the instance would be replaced; allowed: 17 or newer',
        ],
        [
            "turning the cache's cluster mode off",
            { "rag-platform:cacheClusterMode": "false" },
            'stack "prod": rag-platform:cacheClusterMode = false: the deployed cache runs in cluster mode; ElastiCache cannot turn cluster mode off on a replication group, and turning it on changes the protocol every client and queue broker speaks; allowed: true (the deployed mode; move to the other mode through a new stack)',
        ],
    ])("refuses %s in prod, registering nothing", async (_, overrides, message) => {
        const record = await evaluateStack({ stack: "prod", overrides, deployedOutputs: DEPLOYED_PROD });
        expect(record.configError?.message).toContain(message);
        expect(registered(record)).toEqual([]);
    });

    it("leaves unprotected stacks free to be rebuilt", async () => {
        const record = await evaluateStack({ stack: "dev", overrides: { "rag-platform:clusterName": "rag-dev-2" }, deployedOutputs: { clusterName: "rag-dev", region: "us-east-1", databaseEngineVersion: "17" } });
        expect(record.configError).toBeUndefined();
    });
});
