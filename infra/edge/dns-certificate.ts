/**
 * A public ACM certificate for one DNS name, validated through DNS (`platform:edge:DnsCertificate`).
 *
 * With `hostedZoneId` the component writes the validation CNAME into that Route 53 zone; without it,
 * the record is an output ({@link DnsCertificate.validationRecord}) for whoever runs the domain's DNS,
 * and `certificateArn` resolves once ACM has issued the certificate (the `CertificateValidation`
 * waits, up to its timeout, for the record to appear). Resources that need an issued certificate
 * (CloudFront, HTTPS listeners) take `certificateArn`, so they wait too.
 *
 * For CloudFront pass the foundation's us-east-1 `edgeProvider` in the options; for a regional
 * load balancer, the default provider.
 *
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html,
 * https://www.pulumi.com/registry/packages/aws/api-docs/acm/certificatevalidation/
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsCertificateArgs {
    /** The name the certificate is for, lower case, e.g. `tickets.example.com` (no wildcard). */
    domainName: string;
    /** Route 53 hosted zone of the domain; absent when DNS is run elsewhere. */
    hostedZoneId?: string;
    tags: Record<string, string>;
}

/** A DNS record to create. */
export interface DnsRecord {
    name: pulumi.Output<string>;
    type: pulumi.Output<string>;
    value: pulumi.Output<string>;
}

export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class DnsCertificate extends pulumi.ComponentResource {
    /** ARN of the certificate once issued (depends on the validation). */
    readonly certificateArn: pulumi.Output<string>;
    /** The CNAME ACM checks. */
    readonly validationRecord: DnsRecord;

    constructor(name: string, args: DnsCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:DnsCertificate", name, {}, opts);
        const problems: string[] = [];
        if (!DNS_NAME.test(args.domainName))
            problems.push(
                `domainName must be a lower-case DNS name such as tickets.example.com (no wildcard, no trailing dot); got ${JSON.stringify(args.domainName)}`,
            );
        if (args.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(args.hostedZoneId))
            problems.push(
                `hostedZoneId must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ; got ${JSON.stringify(args.hostedZoneId)}`,
            );
        if (problems.length > 0) throw new Error(`DnsCertificate ${name}: ${problems.join("; ")}`);
        const child = { parent: this };

        const certificate = new aws.acm.Certificate(
            name,
            {
                domainName: args.domainName,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
                tags: args.tags,
            },
            child,
        );
        // One name, so exactly one validation option.
        const option = certificate.domainValidationOptions.apply((o) => o[0]);
        this.validationRecord = {
            name: option.apply((o) => o.resourceRecordName ?? ""),
            type: option.apply((o) => o.resourceRecordType ?? "CNAME"),
            value: option.apply((o) => o.resourceRecordValue ?? ""),
        };
        let fqdns: pulumi.Output<string>[] | undefined;
        if (args.hostedZoneId !== undefined) {
            const record = new aws.route53.Record(
                `${name}-validation`,
                {
                    zoneId: args.hostedZoneId,
                    name: this.validationRecord.name,
                    type: this.validationRecord.type,
                    records: [this.validationRecord.value],
                    ttl: 300,
                    allowOverwrite: true,
                },
                child,
            );
            fqdns = [record.fqdn];
        }
        const validation = new aws.acm.CertificateValidation(
            `${name}-validation`,
            {
                certificateArn: certificate.arn,
                validationRecordFqdns: fqdns,
            },
            child,
        );
        this.certificateArn = validation.certificateArn;
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
