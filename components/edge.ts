import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stripUndefined } from "./args";
import { dnsValidatedCertificate } from "./certificate";
import { managedGroupRules, rateLimitRule, wafVisibility } from "./waf-rules";

export interface EdgeArgs {
    /** Host name viewers use, e.g. `rag.example.com`. Required. */
    domainName: string;
    /** Route 53 zone of the domain: the us-east-1 certificate's validation and the alias records. Default none. */
    hostedZoneId?: string;
    /** A certificate in us-east-1 for domainName; default one is requested there and DNS-validated in hostedZoneId. */
    certificateArn?: string;
    /** The load balancer's DNS name (the ALB the load balancer controller made). Required. */
    originHostname: pulumi.Input<string>;
    /** Value of the header every request to the origin carries; the origin's WAF refuses requests without it. Required. */
    originSecret: pulumi.Input<string>;
    /** Requests one viewer IP may send per five minutes before the edge WAF blocks it. Default 2000. */
    rateLimitPer5Min?: number;
    /** Paths served from the edge cache (the frontend's static files); everything else goes to the origin. Default none. */
    cachedPaths?: string[];
    /** Path prefixes that take request bodies over 8 KB (uploads, long prompts), which the core rule set would block. Default none. */
    largeBodyPaths?: string[];
    /** Security headers added to every response (the same the ALB adds). Required. */
    securityHeaders: { contentSecurityPolicy: string };
    /** Bucket (name and ARN) the access logs are delivered to, under `cloudfront/`. Required. */
    logsBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /**
     * Route 53 failover for the alias: the routing policy, set identifier and health check of the PRIMARY record.
     * Only the A record is published then (the secondary's load balancer answers IPv4 only, and a AAAA record
     * without a secondary would keep IPv6 viewers on a failed primary). Default none: plain A and AAAA aliases.
     */
    failover?: RecordRouting;
    /** Tags on every resource. Default `{}`. */
    tags?: Record<string, string>;
}

/** What makes a Route 53 record one of a failover pair. */
export interface RecordRouting {
    setIdentifier: string;
    failoverRoutingPolicies: { type: "PRIMARY" | "SECONDARY" }[];
    healthCheckId?: pulumi.Input<string>;
}

/** CloudFront's certificates and web ACLs live in us-east-1, whatever the stack's region. */
export const EDGE_REGION = "us-east-1";
/** The header CloudFront adds to reach the origin, which the origin's WAF requires. */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";
/** Prefix of the edge's access logs in the logs bucket. */
export const EDGE_LOG_PREFIX = "cloudfront";
/**
 * AWS managed policies by id (CloudFront Developer Guide, "Use managed cache policies" and "Use managed origin
 * request policies", checked 2026-12): no caching for the API, the optimized cache for static files, and every
 * viewer header, cookie and query string passed on (Host too, so the ALB's host rule and certificate match).
 */
export const CLOUDFRONT_MANAGED_POLICIES = {
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    allViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3",
} as const;
/** Managed rule groups of the edge WAF: OWASP common rules and known bad inputs. */
export const EDGE_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

const DEFAULTS = { rateLimitPer5Min: 2000, cachedPaths: [] as string[], largeBodyPaths: [] as string[], tags: {} };

/**
 * CloudFront in front of the public entry point: TLS 1.2 (TLSv1.2_2021) at the edge with a certificate in
 * us-east-1, a CLOUDFRONT-scope WAF (common rules, known bad inputs, a per-IP rate limit on the viewer's real
 * address), security headers by a response headers policy, caching only for the frontend's static paths, the
 * ALB reached over HTTPS with a secret header its own WAF requires (so it cannot be reached around the edge),
 * access logs to the logs bucket (standard logging v2, as the bucket takes no ACLs), and alias records.
 */
export class Edge extends pulumi.ComponentResource {
    readonly distributionId: pulumi.Output<string>;
    readonly distributionDomainName: pulumi.Output<string>;
    readonly webAclArn: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) };
        super("rag:workload:Edge", name, {}, opts);
        const parent = { parent: this };
        const edge = { region: EDGE_REGION };
        const tags = (resourceName: string) => ({ ...cfg.tags, Name: resourceName });

        // CloudFront takes certificates from us-east-1 only.
        const certificateArn = cfg.certificateArn
            ? pulumi.output(cfg.certificateArn)
            : dnsValidatedCertificate(name, { domainName: cfg.domainName, hostedZoneId: cfg.hostedZoneId!, region: EDGE_REGION, tags: { ...cfg.tags, Name: `${cfg.domainName}-edge` } }, this);

        const webAcl = new aws.wafv2.WebAcl(`${name}-waf`, {
            ...edge,
            description: `Protects ${cfg.domainName} at the edge`,
            scope: "CLOUDFRONT",
            defaultAction: { allow: {} },
            rules: [rateLimitRule(cfg.rateLimitPer5Min, 0, "edge-rate-limit-per-ip"), ...managedGroupRules(EDGE_RULE_GROUPS, 1, "edge-", cfg.largeBodyPaths)],
            visibilityConfig: wafVisibility(`${name}-waf`),
            tags: tags(`${cfg.domainName}-edge-waf`),
        }, parent);
        this.webAclArn = webAcl.arn;

        const headers = new aws.cloudfront.ResponseHeadersPolicy(`${name}-headers`, {
            comment: `Security headers of ${cfg.domainName}`,
            securityHeadersConfig: {
                strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
                contentSecurityPolicy: { contentSecurityPolicy: cfg.securityHeaders.contentSecurityPolicy, override: true },
                frameOptions: { frameOption: "DENY", override: true },
                contentTypeOptions: { override: true },
                referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            },
            removeHeadersConfig: { items: [{ header: "server" }] },
        }, parent);

        const behaviour = {
            targetOriginId: "alb",
            viewerProtocolPolicy: "redirect-to-https",
            originRequestPolicyId: CLOUDFRONT_MANAGED_POLICIES.allViewer,
            responseHeadersPolicyId: headers.id,
            compress: true,
        };
        const distribution = new aws.cloudfront.Distribution(`${name}-cdn`, {
            enabled: true,
            comment: `Edge of ${cfg.domainName}`,
            aliases: [cfg.domainName],
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            priceClass: "PriceClass_All",
            webAclId: webAcl.arn,
            origins: [{
                originId: "alb",
                domainName: cfg.originHostname,
                customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], originReadTimeout: 60, originKeepaliveTimeout: 5 },
                customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: cfg.originSecret }],
            }],
            defaultCacheBehavior: {
                ...behaviour,
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                cachedMethods: ["GET", "HEAD"],
                cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingDisabled,
            },
            orderedCacheBehaviors: cfg.cachedPaths.map((pathPattern) => ({
                ...behaviour,
                pathPattern,
                allowedMethods: ["GET", "HEAD"],
                cachedMethods: ["GET", "HEAD"],
                cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingOptimized,
            })),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
            tags: tags(`${cfg.domainName}-edge`),
        }, parent);
        this.distributionId = distribution.id;
        this.distributionDomainName = distribution.domainName;

        // Standard logging v2 (CloudWatch vended logs): S3 delivery without bucket ACLs, which the logs bucket refuses.
        // Delivery sources and destinations are named per account and region: the domain keeps stacks apart.
        const deliveryName = `${cfg.domainName.replace(/[^\w-]/g, "-")}-edge`.slice(0, 60);
        const source = new aws.cloudwatch.LogDeliverySource(`${name}-logs`, { ...edge, name: deliveryName, logType: "ACCESS_LOGS", resourceArn: distribution.arn, tags: tags(`${cfg.domainName}-edge-logs`) }, parent);
        const destination = new aws.cloudwatch.LogDeliveryDestination(`${name}-logs`, {
            ...edge,
            name: deliveryName,
            outputFormat: "json",
            deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${cfg.logsBucket.arn}/${EDGE_LOG_PREFIX}` },
            tags: tags(`${cfg.domainName}-edge-logs`),
        }, parent);
        new aws.cloudwatch.LogDelivery(`${name}-logs`, { ...edge, deliverySourceName: source.name, deliveryDestinationArn: destination.arn, tags: tags(`${cfg.domainName}-edge-logs`) }, parent);

        if (cfg.hostedZoneId) {
            for (const type of cfg.failover ? ["A"] : ["A", "AAAA"]) {
                new aws.route53.Record(`${name}-alias-${type.toLowerCase()}`, {
                    zoneId: cfg.hostedZoneId,
                    name: cfg.domainName,
                    type,
                    aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
                    ...cfg.failover,
                }, parent);
            }
        }
        this.registerOutputs({ distributionId: this.distributionId, webAclArn: this.webAclArn });
    }
}
