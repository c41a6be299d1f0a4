/**
 * Load balancers: listeners terminate TLS 1.2+ or redirect to HTTPS. Checked on raw listeners and on the
 * Ingresses from which the AWS Load Balancer Controller builds ALBs (those never appear as aws:lb resources).
 */
import { configList, resourcePolicy, type Props } from "../../lib/policy";

/** ELB security policies that offer nothing older than TLS 1.2 (AWS's list, TLS 1.3 ones first). */
export const TLS12_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

const sslPolicyConfig = {
    properties: {
        allowedSslPolicies: {
            type: "array",
            items: { type: "string" },
            default: TLS12_SSL_POLICIES,
            description: "ELB security policies accepted on HTTPS/TLS listeners.",
        },
    },
} as const;

export const lbListenerTls = resourcePolicy(
    {
        name: "lb-listener-tls",
        description: "Load balancer listeners use HTTPS/TLS with an allow-listed TLS 1.2+ security policy, or only redirect HTTP to HTTPS.",
        severity: "high",
        remediationSteps: 'Use protocol HTTPS (ALB) or TLS (NLB) with sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06" and a certificateArn; an HTTP listener may only have a redirect default action to protocol HTTPS.',
        configSchema: sslPolicyConfig,
    },
    ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    (listener, report, args) => {
        const allowed = configList(args, "allowedSslPolicies", TLS12_SSL_POLICIES);
        const protocol = String(listener.protocol ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") {
            if (!listener.sslPolicy) report(`${protocol} listener without sslPolicy: AWS's default still accepts TLS 1.0/1.1 on older accounts; set one explicitly`);
            else if (!allowed.includes(listener.sslPolicy)) report(`sslPolicy ${listener.sslPolicy} is not in the allow-list of TLS 1.2+ policies`);
            return;
        }
        const actions: Props[] = listener.defaultActions ?? [];
        const redirectsOnly = actions.length > 0 && actions.every((a) => a.type === "redirect" && String(a.redirect?.protocol).toUpperCase() === "HTTPS");
        if (!redirectsOnly) report(`${protocol} listener serves traffic unencrypted; make it HTTPS/TLS or a redirect to HTTPS`);
    },
);

const ANNOTATION = "alb.ingress.kubernetes.io/";

export const albIngressTls = resourcePolicy(
    {
        name: "alb-ingress-tls",
        description: "Ingresses served by the AWS Load Balancer Controller listen on HTTPS with a TLS 1.2+ policy and redirect HTTP.",
        severity: "high",
        remediationSteps: `Annotate the Ingress: ${ANNOTATION}listen-ports '[{"HTTP":80},{"HTTPS":443}]', ${ANNOTATION}ssl-redirect "443", ${ANNOTATION}ssl-policy "ELBSecurityPolicy-TLS13-1-2-2021-06", and ${ANNOTATION}certificate-arn (or spec.tls hosts for certificate discovery).`,
        configSchema: sslPolicyConfig,
    },
    ["kubernetes:networking.k8s.io/v1:Ingress"],
    (ingress, report, args) => {
        const annotations: Record<string, string> = ingress.metadata?.annotations ?? {};
        const className = ingress.spec?.ingressClassName ?? annotations["kubernetes.io/ingress.class"];
        if (className !== "alb") return;
        const allowed = configList(args, "allowedSslPolicies", TLS12_SSL_POLICIES);
        let ports: Record<string, number>[];
        try {
            ports = JSON.parse(annotations[`${ANNOTATION}listen-ports`] ?? '[{"HTTP":80}]');
        } catch {
            report(`${ANNOTATION}listen-ports is not valid JSON`);
            return;
        }
        const protocols = new Set(ports.flatMap((p) => Object.keys(p)));
        if (!protocols.has("HTTPS")) report(`no HTTPS listener (${ANNOTATION}listen-ports defaults to HTTP:80 only)`);
        if (protocols.has("HTTP") && !annotations[`${ANNOTATION}ssl-redirect`]) report(`HTTP is served without ${ANNOTATION}ssl-redirect`);
        if (protocols.has("HTTPS")) {
            const policy = annotations[`${ANNOTATION}ssl-policy`];
            if (!policy) report(`no ${ANNOTATION}ssl-policy: the controller's default (ELBSecurityPolicy-2016-08) accepts TLS 1.0`);
            else if (!allowed.includes(policy)) report(`${ANNOTATION}ssl-policy ${policy} is not in the allow-list of TLS 1.2+ policies`);
            if (!annotations[`${ANNOTATION}certificate-arn`] && !(ingress.spec?.tls ?? []).length) report(`no certificate: set ${ANNOTATION}certificate-arn or spec.tls hosts`);
        }
    },
);
