/** An ACM certificate DNS-validated in a Route 53 zone: the entry point's in the stack's region, the edge's in us-east-1. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Requests the certificate, writes its validation record (overwriting the same record another region's
 * certificate for the name asked for), and resolves to its ARN only once it is issued: the load balancer
 * controller and CloudFront refuse a certificate that is still pending. ACM asks every certificate of a name in an
 * account for the same record, so it outlives this stack: another stack's certificate (the edge's, a standby's)
 * renews through it.
 */
export function dnsValidatedCertificate(
    name: string,
    args: { domainName: string; hostedZoneId: string; region?: string; tags: Record<string, string> },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const region = args.region ? { region: args.region } : {};
    const certificate = new aws.acm.Certificate(`${name}-certificate`, { ...region, domainName: args.domainName, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", tags: args.tags }, { parent });
    const record = new aws.route53.Record(`${name}-certificate-validation`, {
        zoneId: args.hostedZoneId,
        name: certificate.domainValidationOptions[0].resourceRecordName,
        type: certificate.domainValidationOptions[0].resourceRecordType,
        records: [certificate.domainValidationOptions[0].resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
    }, { parent, retainOnDelete: true });
    return new aws.acm.CertificateValidation(`${name}-certificate`, { ...region, certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }, { parent }).certificateArn;
}
