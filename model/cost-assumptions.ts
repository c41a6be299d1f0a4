/**
 * The usage the cost estimate assumes where only traffic decides the bill, per environment. A stack overrides any
 * field with the `costAssumptions` config key (e.g. `pulumi config set --path costAssumptions.natGbPerMonth 800`).
 */
import { z } from "zod";
import type { Environment } from "./environments";

export const COST_ASSUMPTIONS_SCHEMA = z
    .object({
        natGbPerMonth: z.number().int().min(0).describe("GB a month through the NAT gateways (image pulls, model APIs, package installs)"),
        logIngestGbPerMonth: z.number().int().min(0).describe("GB a month into CloudWatch Logs (flow logs, control plane, RDS, WAF)"),
        storageGb: z.number().int().min(0).describe("GB kept in S3 across the buckets (documents, backups, logs, telemetry)"),
        requestsMillionsPerMonth: z.number().int().min(0).describe("million requests a month through each WAF web ACL"),
        edgeGbPerMonth: z.number().int().min(0).describe("GB a month CloudFront sends to viewers"),
        sharedFilesGb: z.number().int().min(0).describe("GB kept on the shared EFS file system"),
        crossRegionGbPerMonth: z.number().int().min(0).describe("GB a month replicated to the DR region"),
        albLcus: z.number().min(0).describe("average load balancer capacity units per ALB"),
        spotDiscountPercent: z.number().int().min(0).max(90).describe("spot's discount off on-demand for a family the price catalog gives no typical figure for (AWS: up to 90%)"),
        replicaStorageGb: z.number().int().min(0).describe("storage of a replica whose source is in another stack (a standby's), GB"),
        backupGb: z.number().int().min(0).describe("GB the backup plan's recovery points hold in each vault (database snapshots and point-in-time logs, tagged volumes, EFS)"),
    })
    .strict();
export type CostAssumptions = z.infer<typeof COST_ASSUMPTIONS_SCHEMA>;

/** Traffic grows with the environment: dev is a developer's, staging a test load's, prod the spec's 1,000 req/s. */
export const DEFAULT_COST_ASSUMPTIONS: Readonly<Record<Environment, CostAssumptions>> = {
    dev: { natGbPerMonth: 20, logIngestGbPerMonth: 5, storageGb: 10, requestsMillionsPerMonth: 1, edgeGbPerMonth: 1, sharedFilesGb: 5, crossRegionGbPerMonth: 0, albLcus: 1, spotDiscountPercent: 60, replicaStorageGb: 20, backupGb: 10 },
    staging: { natGbPerMonth: 100, logIngestGbPerMonth: 20, storageGb: 100, requestsMillionsPerMonth: 20, edgeGbPerMonth: 20, sharedFilesGb: 20, crossRegionGbPerMonth: 0, albLcus: 2, spotDiscountPercent: 60, replicaStorageGb: 100, backupGb: 50 },
    // 1,000 req/s at peak, about a third of it on average: some 860 million requests a month.
    prod: { natGbPerMonth: 500, logIngestGbPerMonth: 100, storageGb: 500, requestsMillionsPerMonth: 860, edgeGbPerMonth: 300, sharedFilesGb: 100, crossRegionGbPerMonth: 50, albLcus: 10, spotDiscountPercent: 60, replicaStorageGb: 100, backupGb: 200 },
};
