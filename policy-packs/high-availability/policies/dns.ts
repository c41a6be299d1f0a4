/** DNS failover: the record that takes traffic while it is healthy must be able to tell when it is not. */
import { resourcePolicy } from "../../lib/policy";

export const failoverHealthChecked = resourcePolicy(
    {
        name: "route53-failover-health-check",
        description: "A Route 53 PRIMARY failover record has a health check, or evaluates its alias target's health, so a failed primary hands its name to the secondary.",
        severity: "high",
        remediationSteps: "Set healthCheckId to a health check probing the primary itself (not the record's own name, which would follow the failover), or aliases[].evaluateTargetHealth: true for an ALB/NLB alias.",
    },
    ["aws:route53/record:Record"],
    (record, report) => {
        const primary = (record.failoverRoutingPolicies ?? []).some((policy: { type?: string }) => policy.type === "PRIMARY");
        if (!primary || record.healthCheckId) return;
        const evaluated = (record.aliases ?? []).some((alias: { evaluateTargetHealth?: boolean }) => alias.evaluateTargetHealth === true);
        if (!evaluated) report("a PRIMARY failover record with neither healthCheckId nor an alias that evaluates target health: Route 53 treats it as healthy forever, and the secondary never answers");
    },
);
