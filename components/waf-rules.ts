import type * as aws from "@pulumi/aws";
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

/** The core rule set, whose SizeRestrictions_BODY blocks every body over 8 KB (document uploads, long prompts). */
const CORE_RULE_SET = "AWSManagedRulesCommonRuleSet";
const BODY_SIZE_RULE = "SizeRestrictions_BODY";
/** The label the core rule set adds when that rule matches, counted or not (AWS WAF managed rule groups list). */
const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/**
 * AWS managed rule groups, in order, from `firstPriority` on, each acting as AWS configured it, except that a
 * large body is let through to `largeBodyPaths` (path prefixes): the core rule set only counts its body-size rule,
 * which labels the request, and the rule after the groups blocks a labelled request on any other path.
 */
export function managedGroupRules(groups: readonly string[], firstPriority: number, metricPrefix = "", largeBodyPaths: readonly string[] = []) {
    const relaxed = largeBodyPaths.length > 0 && groups.includes(CORE_RULE_SET);
    const rules: aws.types.input.wafv2.WebAclRule[] = groups.map((group, i) => ({
        name: group,
        priority: firstPriority + i,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                ruleActionOverrides: relaxed && group === CORE_RULE_SET ? [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }] : undefined,
            },
        },
        visibilityConfig: wafVisibility(`${metricPrefix}${group}`),
    }));
    if (!relaxed) return rules;
    const pathMatches = largeBodyPaths.map((path) => ({ byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: "STARTS_WITH", searchString: path, textTransformations: [{ priority: 0, type: "NONE" }] } }));
    rules.push({
        name: "large-body-outside-upload-paths",
        priority: firstPriority + groups.length,
        action: { block: {} },
        statement: {
            andStatement: {
                // NOT (a or b) as (NOT a) and (NOT b): the provider nests logical statements three levels deep at most.
                statements: [{ labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_LABEL } }, ...pathMatches.map((match) => ({ notStatement: { statement: match } }))],
            },
        },
        visibilityConfig: wafVisibility(`${metricPrefix}large-body-outside-upload-paths`),
    });
    return rules;
}
