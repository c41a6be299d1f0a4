import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { argsRejecter, checkKmsDeletionWindow, stripUndefined } from "./args";
import * as random from "@pulumi/random";
import { dnsValidatedCertificate } from "./certificate";
import { Edge, EDGE_REGION, ORIGIN_VERIFY_HEADER, type RecordRouting } from "./edge";
import { awsEnvironment, keyPolicy, logsEncryptStatement } from "./iam-documents";
import { managedGroupRules, rateLimitRule, wafVisibility } from "./waf-rules";

export interface EntryPointArgs {
    /** Host name the workload is served on, e.g. `rag.example.com`. Required. */
    domainName: string;
    /** Route 53 zone of the domain: certificate validation, alias record, health check. Default none (then certificateArn is required). */
    hostedZoneId?: string;
    /** An ACM certificate made elsewhere; default one is requested and DNS-validated in hostedZoneId. */
    certificateArn?: string;
    /** Requests one client IP may send per five minutes before WAF blocks it. Default 2000. */
    rateLimitPer5Min?: number;
    /**
     * Path prefixes that take request bodies over 8 KB (document uploads, long prompts): AWS's core rule set blocks
     * larger bodies everywhere else, here and at the edge. Default none.
     */
    largeBodyPaths?: string[];
    /**
     * Path the Route 53 health check requests over HTTPS, without a query string. Default `/`. Behind the edge the
     * primary's probe reaches the load balancer directly, so it carries a token of its own in the query string
     * (Route 53 sends no custom header) and the ALB's WAF lets through only that path with that token.
     */
    healthCheckPath?: string;
    /**
     * CloudFront in front of the ALB (see Edge): the per-IP rate limit moves to the edge's WAF, and the ALB's WAF
     * admits only requests carrying the edge's secret header. `cachedPaths` are the frontend's static files;
     * `logsBucket` receives the edge's access logs. Default none (the ALB is the entry point).
     */
    edge?: { cachedPaths?: string[]; logsBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> } };
    /**
     * Route 53 failover for the domain. `primary`: the record is the PRIMARY of a failover pair, health-checked by
     * probing this stack's load balancer directly at healthCheckPath (the workload answers it for any host name; a
     * check of the domain itself would follow the failover and flap), which the ALB's WAF lets through without the
     * edge's header. `secondary`: a SECONDARY alias to this stack's load balancer (a standby; no edge). Default
     * none: a plain alias.
     */
    failover?: "primary" | "secondary";
    /**
     * A primary's fence during a failover: the PRIMARY record's calculated health check then needs two healthy
     * probes of its one, which Route 53 never sees, so DNS stays on the SECONDARY whatever this stack's load
     * balancer answers (an inverted probe would not do: it turns healthy when the region is down). Default false.
     */
    fenced?: boolean;
    /** SNS topic that hears when the certificate has 7 days or fewer left (ACM's DaysToExpiry). Default none: no alarm. */
    expiryAlertTopicArn?: pulumi.Input<string>;
    /** Days WAF's request logs (blocked and counted requests, sensitive headers redacted) are kept. Default 90. */
    logRetentionDays?: number;
    /** Waiting period before the WAF log key is destroyed once deleted. Default 30. */
    kmsKeyDeletionWindowDays?: number;
    /** `protect` and retain-on-delete for the WAF logs and their key. Default false. */
    protect?: boolean;
    /** Tags on every AWS resource. Default `{}`. */
    tags?: Record<string, string>;
}

/** The probe's token travels as this query argument (Route 53 health checks send no custom header). */
const PROBE_TOKEN_ARGUMENT = "probe-token";
const PROBE_TOKEN_LENGTH = 40;
const PROBE_QUERY_LENGTH = PROBE_TOKEN_ARGUMENT.length + PROBE_TOKEN_LENGTH + 2;

const DEFAULTS = { rateLimitPer5Min: 2000, largeBodyPaths: [] as string[], healthCheckPath: "/", fenced: false, logRetentionDays: 90, kmsKeyDeletionWindowDays: 30, protect: false, tags: {} } satisfies Partial<EntryPointArgs>;

/** The Content-Security-Policy the ALB (rag-workload.ts SECURITY_HEADERS) and the edge add to every response. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/** AWS managed rule groups in front of the workload: OWASP top 10 (common), known bad inputs, SQL injection, IP reputation. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"] as const;

/**
 * The workload's public entry point on the AWS side: the TLS certificate (ACM, DNS-validated in Route 53), the
 * regional WAF web ACL the load balancer controller attaches to the ALB (its blocked and counted requests logged
 * to a KMS-encrypted log group), and, once the ALB exists
 * ({@link EntryPoint.route}), the Route 53 alias record and an HTTPS health check.
 */
export class EntryPoint extends pulumi.ComponentResource {
    readonly domainName: string;
    readonly certificateArn: pulumi.Output<string>;
    readonly webAclArn: pulumi.Output<string>;
    readonly url: string;
    /** The CloudFront distribution, once route() has made it (when `edge` is set). */
    edge?: Edge;
    private readonly cfg: Required<Omit<EntryPointArgs, "hostedZoneId" | "certificateArn" | "expiryAlertTopicArn" | "edge" | "failover">> & Pick<EntryPointArgs, "hostedZoneId" | "certificateArn" | "expiryAlertTopicArn" | "edge" | "failover">;
    private readonly name: string;
    private readonly originSecret?: pulumi.Output<string>;
    /** The primary's probe token, when the probe must pass the edge-only WAF. */
    private readonly probeToken?: pulumi.Output<string>;

    constructor(name: string, args: EntryPointArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = { ...DEFAULTS, ...stripUndefined(args) };
        const reject = argsRejecter("EntryPoint");
        if (!cfg.hostedZoneId && !cfg.certificateArn) reject("hostedZoneId", undefined, "a zone to validate a certificate in, or certificateArn");
        checkKmsDeletionWindow(reject, cfg.kmsKeyDeletionWindowDays);
        if (cfg.rateLimitPer5Min < 10) reject("rateLimitPer5Min", cfg.rateLimitPer5Min, "10 or more (AWS WAF's minimum)");
        if (cfg.failover && !cfg.hostedZoneId) reject("failover", cfg.failover, "a hostedZoneId: failover records live in the domain's zone");
        if (cfg.fenced && cfg.failover !== "primary") reject("fenced", cfg.fenced, "false: only a PRIMARY failover record has a health check to fence");
        if (cfg.failover === "secondary" && cfg.edge) reject("failover", cfg.failover, "no edge on a secondary: CloudFront serves the name from the primary's distribution only");
        if (!/^\/[^?#\s]*$/.test(cfg.healthCheckPath) || cfg.healthCheckPath.length + PROBE_QUERY_LENGTH > 255) {
            reject("healthCheckPath", cfg.healthCheckPath, `a path starting with "/", without query string or fragment, of at most ${255 - PROBE_QUERY_LENGTH} characters (Route 53's ResourcePath holds 255 with the probe's token)`);
        }
        super("rag:workload:EntryPoint", name, {}, opts);
        this.cfg = cfg;
        this.name = name;
        const parent = { parent: this };
        // Only the edge knows it: the ALB's WAF turns away whatever reaches it by another way.
        this.originSecret = cfg.edge ? new random.RandomPassword(`${name}-origin-secret`, { length: 48, special: false }, parent).result : undefined;
        this.probeToken = cfg.edge && cfg.failover === "primary" ? new random.RandomPassword(`${name}-probe-token`, { length: PROBE_TOKEN_LENGTH, special: false }, parent).result : undefined;
        this.domainName = cfg.domainName;
        this.url = `https://${cfg.domainName}`;

        if (cfg.certificateArn) {
            this.certificateArn = pulumi.output(cfg.certificateArn);
        } else {
            this.certificateArn = dnsValidatedCertificate(name, { domainName: cfg.domainName, hostedZoneId: cfg.hostedZoneId!, tags: { ...cfg.tags, Name: cfg.domainName } }, this);
        }

        const webAcl = new aws.wafv2.WebAcl(`${name}-waf`, {
            description: `Protects ${cfg.domainName}`,
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: this.wafRules(cfg),
            visibilityConfig: wafVisibility(`${name}-waf`),
            tags: { ...cfg.tags, Name: `${cfg.domainName}-waf` },
        }, parent);
        this.webAclArn = webAcl.arn;

        // WAF logs to CloudWatch need a group named aws-waf-logs-*; only what was blocked or counted is kept.
        const logGroupName = `aws-waf-logs-${cfg.domainName.replace(/\./g, "-")}`;
        const env = awsEnvironment(this);
        const stateful = { parent: this, protect: cfg.protect, retainOnDelete: cfg.protect };
        const logKey = new aws.kms.Key(`${name}-waf-logs`, {
            description: `Encrypts the WAF logs of ${cfg.domainName}`,
            enableKeyRotation: true,
            deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
            policy: keyPolicy(env, logsEncryptStatement(env, `${logGroupName}*`)),
            tags: { ...cfg.tags, Name: logGroupName },
        }, stateful);
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-waf-logs`, {
            name: logGroupName,
            retentionInDays: cfg.logRetentionDays,
            kmsKeyId: logKey.arn,
            tags: { ...cfg.tags, Name: logGroupName },
        }, stateful);
        new aws.wafv2.WebAclLoggingConfiguration(`${name}-waf-logs`, {
            resourceArn: webAcl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            loggingFilter: {
                defaultBehavior: "DROP",
                filters: [{ behavior: "KEEP", requirement: "MEETS_ANY", conditions: [{ actionCondition: { action: "BLOCK" } }, { actionCondition: { action: "COUNT" } }] }],
            },
        }, parent);
        if (cfg.expiryAlertTopicArn) {
            // ACM renews the certificates it validated by DNS and publishes DaysToExpiry daily for every
            // certificate; an imported one, or a renewal whose validation record went missing, shows here.
            new aws.cloudwatch.MetricAlarm(`${name}-certificate-expiry`, {
                alarmDescription: `[low] certificate of ${cfg.domainName} expires within 7 days`,
                namespace: "AWS/CertificateManager",
                metricName: "DaysToExpiry",
                dimensions: { CertificateArn: this.certificateArn },
                statistic: "Minimum",
                period: 86400,
                evaluationPeriods: 1,
                comparisonOperator: "LessThanOrEqualToThreshold",
                threshold: 7,
                treatMissingData: "notBreaching",
                alarmActions: [cfg.expiryAlertTopicArn],
                okActions: [cfg.expiryAlertTopicArn],
                tags: { ...cfg.tags, Name: `${cfg.domainName}-certificate-expiry` },
            }, parent);
        }
        this.registerOutputs({ certificateArn: this.certificateArn, webAclArn: this.webAclArn, url: this.url });
    }

    /**
     * Behind the edge every request comes from CloudFront's addresses: the per-IP limit is the edge's, and what
     * lacks the edge's header is blocked, except the failover probe's one path. Without the edge, the limit is here.
     */
    private wafRules(cfg: { rateLimitPer5Min: number; healthCheckPath: string; largeBodyPaths: string[]; failover?: string }): aws.types.input.wafv2.WebAclRule[] {
        const probe = this.probeToken;
        const first = probe ? 1 : 0;
        const edgeOnly: aws.types.input.wafv2.WebAclRule[] = this.originSecret
            ? [{
                  name: "only-through-the-edge",
                  priority: first,
                  action: { block: {} },
                  statement: {
                      notStatement: {
                          statement: {
                              byteMatchStatement: {
                                  fieldToMatch: { singleHeader: { name: ORIGIN_VERIFY_HEADER } },
                                  positionalConstraint: "EXACTLY",
                                  searchString: this.originSecret,
                                  textTransformations: [{ priority: 0, type: "NONE" }],
                              },
                          },
                      },
                  },
                  visibilityConfig: wafVisibility("only-through-the-edge"),
              }]
            : [rateLimitRule(cfg.rateLimitPer5Min, 0, "rate-limit-per-ip")];
        const probeRule: aws.types.input.wafv2.WebAclRule[] = probe
            ? [{
                  name: "failover-probe",
                  priority: 0,
                  action: { allow: {} },
                  // The one path, with the probe's token: anything else lacking the edge's header is blocked below.
                  statement: {
                      andStatement: {
                          statements: [
                              { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: "EXACTLY", searchString: cfg.healthCheckPath, textTransformations: [{ priority: 0, type: "NONE" }] } },
                              { byteMatchStatement: { fieldToMatch: { singleQueryArgument: { name: PROBE_TOKEN_ARGUMENT } }, positionalConstraint: "EXACTLY", searchString: probe, textTransformations: [{ priority: 0, type: "NONE" }] } },
                          ],
                      },
                  },
                  visibilityConfig: wafVisibility("failover-probe"),
              }]
            : [];
        return [...probeRule, ...edgeOnly, ...managedGroupRules(MANAGED_RULE_GROUPS, first + 1, "", cfg.largeBodyPaths)];
    }

    /**
     * Points the domain at the load balancer once the controller has made it: an alias record and an HTTPS
     * health check (for Route 53 failover and the alarm on it). Needs hostedZoneId; without it the record is the
     * zone owner's to make.
     */
    route(loadBalancerHostname: pulumi.Input<string>): void {
        const parent = { parent: this };
        const failover = this.cfg.failover;
        // The primary's probe goes to its own load balancer: the domain would answer from the standby after a failover.
        const healthCheck = this.cfg.hostedZoneId && failover !== "secondary"
            ? new aws.route53.HealthCheck(`${this.cfg.domainName}-health`, {
                  type: "HTTPS",
                  fqdn: failover === "primary" ? loadBalancerHostname : this.cfg.domainName,
                  port: 443,
                  resourcePath: this.probeToken ? pulumi.interpolate`${this.cfg.healthCheckPath}?${PROBE_TOKEN_ARGUMENT}=${this.probeToken}` : this.cfg.healthCheckPath,
                  enableSni: true,
                  requestInterval: 30,
                  failureThreshold: 3,
                  tags: { ...this.cfg.tags, Name: `${this.cfg.domainName}-health` },
              }, parent)
            : undefined;
        // The PRIMARY record follows a calculated check over the probe: healthy while the probe is, unless fenced.
        // Route 53 considers a calculated check whose threshold exceeds its children always unhealthy, so the
        // fence holds whatever state the region is in; lifting it is a threshold change, never a new check.
        const failoverCheck = failover === "primary" && healthCheck
            ? new aws.route53.HealthCheck(`${this.cfg.domainName}-failover`, {
                  type: "CALCULATED",
                  childHealthchecks: [healthCheck.id],
                  childHealthThreshold: this.cfg.fenced ? 2 : 1,
                  tags: { ...this.cfg.tags, Name: `${this.cfg.domainName}-failover` },
              }, parent)
            : undefined;
        const routing: RecordRouting | undefined = failover && {
            setIdentifier: failover,
            failoverRoutingPolicies: [{ type: failover === "primary" ? "PRIMARY" : "SECONDARY" }],
            healthCheckId: failoverCheck?.id,
        };
        if (this.cfg.edge && this.originSecret) {
            // The edge's certificate: the regional one when the stack is in us-east-1, else one requested there.
            this.edge = new Edge(`${this.name}-edge`, {
                domainName: this.cfg.domainName,
                hostedZoneId: this.cfg.hostedZoneId,
                certificateArn: this.cfg.certificateArn && this.cfg.certificateArn.split(":")[3] === EDGE_REGION ? this.cfg.certificateArn : undefined,
                originHostname: loadBalancerHostname,
                originSecret: this.originSecret,
                rateLimitPer5Min: this.cfg.rateLimitPer5Min,
                cachedPaths: this.cfg.edge.cachedPaths,
                largeBodyPaths: this.cfg.largeBodyPaths,
                securityHeaders: { contentSecurityPolicy: CONTENT_SECURITY_POLICY },
                logsBucket: this.cfg.edge.logsBucket,
                failover: routing,
                tags: this.cfg.tags,
            }, parent);
        }
        if (!this.cfg.hostedZoneId || this.edge) return;
        const albZone = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, parent);
        new aws.route53.Record(`${this.cfg.domainName}-alias`, {
            zoneId: this.cfg.hostedZoneId,
            name: this.cfg.domainName,
            type: "A",
            aliases: [{ name: loadBalancerHostname, zoneId: albZone.id, evaluateTargetHealth: true }],
            ...routing,
        }, parent);
    }
}
