/** The WAF rules the ALB's web ACL and the edge's share: a per-IP rate limit and AWS managed rule groups. */

/** CloudWatch metrics and sampled requests for a rule or an ACL. */
export function wafVisibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** Blocks an IP that sends more than `limit` requests in five minutes. */
export function rateLimitRule(limit: number, priority: number, metricName: string) {
    return {
        name: "rate-limit-per-ip",
        priority,
        action: { block: {} },
        statement: { rateBasedStatement: { limit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
        visibilityConfig: wafVisibility(metricName),
    };
}

/** AWS managed rule groups, in order, from `firstPriority` on, each acting as AWS configured it. */
export function managedGroupRules(groups: readonly string[], firstPriority: number, metricPrefix = "") {
    return groups.map((group, i) => ({
        name: group,
        priority: firstPriority + i,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
        visibilityConfig: wafVisibility(`${metricPrefix}${group}`),
    }));
}
