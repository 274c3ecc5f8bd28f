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
    /**
     * Without `hostedZoneId`: whether ACM has issued the certificate (the record exists). Default `pending`;
     * ignored with a zone.
     */
    status?: CertificateStatus;
    /**
     * The config key that sets `status`, named in messages, e.g. `platform:ticketing.domain.certificateStatus`.
     */
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
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`DnsCertificate ${name}: ${problems.join("; ")}`);

        const certificate = new aws.acm.Certificate(
            name,
            {
                domainName: args.domainName,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
                tags: args.tags,
            },
            { parent: this },
        );
        this.validationRecord = validationRecordOf(certificate);
        if (args.hostedZoneId !== undefined) {
            this.certificateArn = this.validateInZone(name, args.hostedZoneId, certificate);
        } else if ((args.status ?? "pending") === "issued") {
            this.certificateArn = this.checkIssued(name, args, certificate);
        } else {
            this.printRecordToCreate(args);
            this.certificateArn = undefined;
        }
        this.issued = this.certificateArn !== undefined;
        this.registerOutputs({ certificateArn: this.certificateArn });
    }

    /** Writes the validation CNAME into the zone and waits for ACM to issue: the validated certificate's ARN. */
    private validateInZone(
        name: string,
        hostedZoneId: string,
        certificate: aws.acm.Certificate,
    ): pulumi.Output<string> {
        const zoneRecord = new aws.route53.Record(
            `${name}-validation`,
            {
                zoneId: hostedZoneId,
                name: this.validationRecord.name,
                type: this.validationRecord.type,
                records: [this.validationRecord.value],
                ttl: 300,
                allowOverwrite: true,
            },
            { parent: this },
        );
        const validation = new aws.acm.CertificateValidation(
            `${name}-validation`,
            { certificateArn: certificate.arn, validationRecordFqdns: [zoneRecord.fqdn] },
            { parent: this },
        );
        return validation.certificateArn;
    }

    /** The certificate's ARN once ACM reports a certificate for the name `ISSUED`; fails with what to do if not. */
    private checkIssued(
        name: string,
        args: DnsCertificateArgs,
        certificate: aws.acm.Certificate,
    ): pulumi.Output<string> {
        const statusKey = args.statusKey ?? "certificateStatus";
        const found = aws.acm
            .getCertificate({ domain: args.domainName, statuses: ["ISSUED"], mostRecent: true }, { parent: this })
            .catch(() => {
                throw new Error(
                    `DnsCertificate ${name}: ${statusKey} is issued, ` +
                        `but ACM has no issued certificate for ${args.domainName}; ` +
                        "create its validation record (the previous run printed it; " +
                        "aws acm describe-certificate shows it), wait until the certificate is ISSUED, " +
                        `or set ${statusKey} to pending`,
                );
            });
        return pulumi.all([certificate.arn, found]).apply(([arn]) => arn);
    }

    /** Prints the record to create and what to set once ACM has issued the certificate. */
    private printRecordToCreate(args: DnsCertificateArgs): void {
        const statusKey = args.statusKey ?? "certificateStatus";
        const { name: recordName, type, value } = this.validationRecord;
        const record = pulumi.interpolate`${recordName} ${type} ${value}`;
        record.apply((r) =>
            pulumi.log.info(
                `Create this DNS record so that ACM issues the certificate for ${args.domainName}: ${r} ; ` +
                    `once ACM reports it ISSUED, set ${statusKey} to issued and run pulumi up again ` +
                    "(docs/first-deploy.md)",
                this,
            ),
        );
    }
}

/** The problems of the arguments: the domain name and the zone id. */
function problemsOf(args: DnsCertificateArgs): string[] {
    const problems: string[] = [];
    if (!DNS_NAME.test(args.domainName))
        problems.push(
            "domainName must be a lower-case DNS name such as tickets.example.com " +
                `(no wildcard, no trailing dot); got ${JSON.stringify(args.domainName)}`,
        );
    if (args.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(args.hostedZoneId))
        problems.push(
            "hostedZoneId must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ; " +
                `got ${JSON.stringify(args.hostedZoneId)}`,
        );
    return problems;
}

/** The CNAME ACM checks (one name, so exactly one validation option). */
function validationRecordOf(certificate: aws.acm.Certificate): DnsRecord {
    const option = certificate.domainValidationOptions.apply((o) => o[0]);
    return {
        name: option.apply((o) => o.resourceRecordName ?? ""),
        type: option.apply((o) => o.resourceRecordType ?? "CNAME"),
        value: option.apply((o) => o.resourceRecordValue ?? ""),
    };
}
