/** CloudFront: a distribution faces the whole internet, so a web ACL screens it. */
import { resourcePolicy } from "../../lib/policy";

export const cloudfrontWaf = resourcePolicy(
    {
        name: "cloudfront-waf",
        description: "CloudFront distributions have a web ACL (AWS WAF, CLOUDFRONT scope) attached.",
        severity: "high",
        remediationSteps: "Create an aws.wafv2.WebAcl with scope CLOUDFRONT in us-east-1 (managed common rules, known bad inputs, a rate limit) and set the distribution's webAclId to its ARN.",
    },
    ["aws:cloudfront/distribution:Distribution"],
    (distribution, report) => {
        if (!distribution.webAclId) report("no webAclId: every request reaches the origin unscreened");
    },
);
