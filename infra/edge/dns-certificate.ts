/**
 * A public ACM certificate for one DNS name, validated through DNS (`platform:edge:DnsCertificate`).
 *
 * ACM issues it once the validation CNAME ({@link DnsCertificate.validationRecord}) is visible in the
 * domain's DNS (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html). Nothing in a
 * run waits for a person to create that record (docs/first-deploy.md):
 * - with `hostedZoneId`, the component writes the CNAME into that Route 53 zone and validates in the
 *   same run (`CertificateValidation` with the record's FQDN,
 *   https://www.pulumi.com/registry/packages/aws/api-docs/acm/certificatevalidation/);
 * - without it and `status: "pending"` (default), it requests the certificate, prints the record to
 *   create (`pulumi.log.info`), and {@link DnsCertificate.certificateArn} is `undefined`: callers leave
 *   out what needs an issued certificate (HTTPS listeners, CloudFront aliases) until the next run;
 * - without it and `status: "issued"`, the operator says the record exists: the component checks at
 *   preview time that ACM reports the certificate `ISSUED` (`aws.acm.getCertificate`,
 *   https://www.pulumi.com/registry/packages/aws/api-docs/acm/getcertificate/) and fails with the
 *   record to create if not; `certificateArn` is then the certificate's ARN.
 *
 * For CloudFront pass the foundation's us-east-1 `edgeProvider` in the options; for a regional
 * load balancer, the default provider.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsCertificateArgs {
    /** The name the certificate is for, lower case, e.g. `tickets.example.com` (no wildcard). */
    domainName: string;
    /** Route 53 hosted zone of the domain; absent when DNS is run elsewhere. */
    hostedZoneId?: string;
    /** Without `hostedZoneId`: whether ACM has issued the certificate (the record exists). Default `pending`; ignored with a zone. */
    status?: CertificateStatus;
    /** The config key that sets `status`, named in messages, e.g. `platform:ticketing.domain.certificateStatus`. */
    statusKey?: string;
    tags: Record<string, string>;
}

/** A DNS record to create. */
export interface DnsRecord {
    name: pulumi.Output<string>;
    type: pulumi.Output<string>;
    value: pulumi.Output<string>;
}

/** Where a certificate whose domain has no Route 53 zone is: requested (`pending`) or issued by ACM (`issued`). */
export const CERTIFICATE_STATUSES = ["pending", "issued"] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class DnsCertificate extends pulumi.ComponentResource {
    /** Whether the certificate is usable in this run (a zone to validate in, or ACM reported it issued). */
    readonly issued: boolean;
    /** ARN of the issued certificate; `undefined` while it is pending (see the class comment). */
    readonly certificateArn: pulumi.Output<string> | undefined;
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
        const status = args.status ?? "pending";
        const statusKey = args.statusKey ?? "certificateStatus";

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
        const record = pulumi.interpolate`${this.validationRecord.name} ${this.validationRecord.type} ${this.validationRecord.value}`;

        if (args.hostedZoneId !== undefined) {
            const zoneRecord = new aws.route53.Record(
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
            const validation = new aws.acm.CertificateValidation(
                `${name}-validation`,
                { certificateArn: certificate.arn, validationRecordFqdns: [zoneRecord.fqdn] },
                child,
            );
            this.issued = true;
            this.certificateArn = validation.certificateArn;
        } else if (status === "issued") {
            const found = aws.acm
                .getCertificate({ domain: args.domainName, statuses: ["ISSUED"], mostRecent: true }, child)
                .catch(() => {
                    throw new Error(
                        `DnsCertificate ${name}: ${statusKey} is issued, but ACM has no issued certificate for ${args.domainName}; create its validation record (the previous run printed it; aws acm describe-certificate shows it), wait until the certificate is ISSUED, or set ${statusKey} to pending`,
                    );
                });
            this.issued = true;
            this.certificateArn = pulumi.all([certificate.arn, found]).apply(([arn]) => arn);
        } else {
            record.apply((r) =>
                pulumi.log.info(
                    `Create this DNS record so that ACM issues the certificate for ${args.domainName}: ${r} ; once ACM reports it ISSUED, set ${statusKey} to issued and run pulumi up again (docs/first-deploy.md)`,
                    this,
                ),
            );
            this.issued = false;
            this.certificateArn = undefined;
        }
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
