/** CloudFront: viewers only over HTTPS with TLSv1.2_2021 or newer, and HTTPS to custom origins. */
import { configList, resourcePolicy, type Props } from "../../lib/policy";

export const CLOUDFRONT_PROTOCOL_VERSIONS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const cloudfrontTls = resourcePolicy(
    {
        name: "cloudfront-tls",
        description: "CloudFront distributions serve viewers over HTTPS only with TLSv1.2_2021 or newer, and reach custom origins over TLS 1.2.",
        severity: "high",
        remediationSteps: 'Set viewerProtocolPolicy "redirect-to-https" (or "https-only") on every cache behaviour, a viewerCertificate with acmCertificateArn, sslSupportMethod "sni-only" and minimumProtocolVersion "TLSv1.2_2021", and customOriginConfig originProtocolPolicy "https-only" with originSslProtocols ["TLSv1.2"].',
        configSchema: {
            properties: {
                allowedMinimumProtocolVersions: {
                    type: "array",
                    items: { type: "string" },
                    default: CLOUDFRONT_PROTOCOL_VERSIONS,
                    description: "viewerCertificate.minimumProtocolVersion values accepted.",
                },
            },
        },
    },
    ["aws:cloudfront/distribution:Distribution"],
    (distribution, report, args) => {
        const allowed = configList(args, "allowedMinimumProtocolVersions", CLOUDFRONT_PROTOCOL_VERSIONS);
        const behaviours: [string, Props][] = [
            ["defaultCacheBehavior", distribution.defaultCacheBehavior ?? {}],
            ...(distribution.orderedCacheBehaviors ?? []).map((b: Props) => [`orderedCacheBehavior ${b.pathPattern}`, b] as [string, Props]),
        ];
        for (const [where, behaviour] of behaviours) {
            if (!["https-only", "redirect-to-https"].includes(behaviour.viewerProtocolPolicy)) report(`${where} allows plain HTTP (viewerProtocolPolicy ${behaviour.viewerProtocolPolicy})`);
        }
        const certificate: Props = distribution.viewerCertificate ?? {};
        if (certificate.cloudfrontDefaultCertificate === true) report("the *.cloudfront.net default certificate cannot enforce a minimum TLS version; use an ACM certificate");
        else if (!allowed.includes(certificate.minimumProtocolVersion)) report(`minimumProtocolVersion ${certificate.minimumProtocolVersion ?? "(unset)"} is older than TLSv1.2_2021`);
        for (const origin of distribution.origins ?? []) {
            const custom: Props | undefined = origin.customOriginConfig;
            if (!custom) continue;
            if (custom.originProtocolPolicy !== "https-only") report(`origin ${origin.originId} is reached with originProtocolPolicy ${custom.originProtocolPolicy}`);
            const old = (custom.originSslProtocols ?? []).filter((p: string) => p !== "TLSv1.2");
            if (old.length) report(`origin ${origin.originId} allows ${old.join(", ")}`);
        }
    },
);
