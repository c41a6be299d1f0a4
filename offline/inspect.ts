/**
 * Reading a plan record back: lookups, and the network layout derived from what was really registered (subnets,
 * which NAT gateway each private subnet's route points at, endpoints). Used by the summary and by the tests.
 */
import { SUBNET_TIERS } from "../components/network-layout";
import type { PlanRecord } from "./evaluate";
import type { RecordedResource } from "./mocks";

export const STACK_TYPE = "pulumi:pulumi:Stack";
const tierOrder = (tier: string) => (SUBNET_TIERS as readonly string[]).indexOf(tier);

export function ofType(record: PlanRecord, type: string): RecordedResource[] {
    return record.resources.filter((r) => r.type === type);
}

export function byId(record: PlanRecord, id: unknown): RecordedResource | undefined {
    return record.resources.find((r) => r.id !== undefined && r.id === id);
}

/** Everything registered under `urn`, at any depth. */
export function descendants(record: PlanRecord, urn: string): RecordedResource[] {
    const children = record.resources.filter((r) => r.parent === urn);
    return children.flatMap((child) => [child, ...descendants(record, child.urn)]);
}

/** Resources the program registered, without the stack resource itself. */
export function registered(record: PlanRecord): RecordedResource[] {
    return record.resources.filter((r) => r.type !== STACK_TYPE);
}

export interface NetworkLayout {
    vpcCidr: string;
    subnets: { tier: string; az: string; cidr: string; id: string }[];
    natGateways: { az: string; id: string }[];
    /** For each private subnet's AZ, the AZ of the NAT gateway its default route uses. */
    privateEgress: { az: string; natAz: string }[];
    /** Tiers whose route tables have a default route, and where it goes. */
    internetRoutes: { tier: string; target: "internet-gateway" | "nat-gateway" }[];
    endpoints: { service: string; type: string }[];
    flowLogs: { trafficType: string; retentionInDays: number; encrypted: boolean }[];
}

export function networkLayout(record: PlanRecord): NetworkLayout {
    const subnet = (id: unknown) => {
        const r = byId(record, id);
        return r && { tier: String((r.inputs.tags as Record<string, string>).tier), az: String(r.inputs.availabilityZone) };
    };
    const natGateways = ofType(record, "aws:ec2/natGateway:NatGateway")
        .map((n) => ({ az: subnet(n.inputs.subnetId)?.az ?? "?", id: n.id ?? "" }))
        .sort((a, b) => a.az.localeCompare(b.az));
    const tablesOf = (tier: string) =>
        ofType(record, "aws:ec2/routeTableAssociation:RouteTableAssociation")
            .filter((a) => subnet(a.inputs.subnetId)?.tier === tier)
            .map((a) => ({ table: a.inputs.routeTableId, az: subnet(a.inputs.subnetId)!.az }))
            .sort((a, b) => a.az.localeCompare(b.az));
    const defaultRoutes = ofType(record, "aws:ec2/route:Route").filter((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0");
    const routeOf = (table: unknown) => defaultRoutes.find((r) => r.inputs.routeTableId === table);
    const logGroups = ofType(record, "aws:cloudwatch/logGroup:LogGroup");
    return {
        vpcCidr: String(ofType(record, "aws:ec2/vpc:Vpc")[0]?.inputs.cidrBlock),
        // Registration order follows when inputs resolve, not program order: sort for a stable layout.
        subnets: ofType(record, "aws:ec2/subnet:Subnet")
            .map((s) => ({
                tier: String((s.inputs.tags as Record<string, string>).tier),
                az: String(s.inputs.availabilityZone),
                cidr: String(s.inputs.cidrBlock),
                id: s.id ?? "",
            }))
            .sort((a, b) => tierOrder(a.tier) - tierOrder(b.tier) || a.az.localeCompare(b.az)),
        natGateways,
        privateEgress: tablesOf("private").map(({ table, az }) => ({
            az,
            natAz: natGateways.find((n) => n.id === routeOf(table)?.inputs.natGatewayId)?.az ?? "none",
        })),
        internetRoutes: SUBNET_TIERS.flatMap((tier) =>
            tablesOf(tier)
                .map(({ table }) => routeOf(table))
                .filter((route) => route !== undefined)
                .slice(0, 1)
                .map((route) => ({ tier, target: route.inputs.gatewayId ? ("internet-gateway" as const) : ("nat-gateway" as const) })),
        ),
        endpoints: ofType(record, "aws:ec2/vpcEndpoint:VpcEndpoint")
            .map((e) => ({ service: String(e.inputs.serviceName).split(".").slice(3).join("."), type: String(e.inputs.vpcEndpointType) }))
            .sort((a, b) => a.type.localeCompare(b.type) || a.service.localeCompare(b.service)),
        flowLogs: ofType(record, "aws:ec2/flowLog:FlowLog").map((f) => {
            const group = logGroups.find((g) => g.state.arn === f.inputs.logDestination);
            return { trafficType: String(f.inputs.trafficType), retentionInDays: Number(group?.inputs.retentionInDays), encrypted: Boolean(group?.inputs.kmsKeyId) };
        }),
    };
}
