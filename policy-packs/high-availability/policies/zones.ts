/** How the availability policies learn which AZs a resource spans: through the subnets its inputs came from. */
import type { PolicyResource } from "@pulumi/policy";
import type { StackIndex } from "../../lib/policy";

export const SUBNET = "aws:ec2/subnet:Subnet";
export const DEFAULT_MIN_AZS = 3;

export const minAzConfig = {
    properties: {
        minAvailabilityZones: {
            type: "integer",
            minimum: 1,
            default: DEFAULT_MIN_AZS,
            description: "How many availability zones the resources must span.",
        },
    },
} as const;

export function subnetAz(subnet: PolicyResource): string | undefined {
    return subnet.props.availabilityZone ?? subnet.props.availabilityZoneId;
}

/**
 * The AZs of the subnets given in `property`. `known` is false when some subnet ids did not come from subnets of
 * this stack (another stack's outputs, literals): then only the number of ids can be judged.
 */
export function zonesOf(stack: StackIndex, resource: PolicyResource, property: string): { zones: Set<string>; ids: number; known: boolean } {
    const value = resource.props[property];
    const ids = Array.isArray(value) ? value.length : value ? 1 : 0;
    const subnets = stack.referenced(resource, property, SUBNET);
    const zones = new Set(subnets.map(subnetAz).filter((z): z is string => !!z));
    return { zones, ids, known: subnets.length >= ids && zones.size > 0 };
}
