/**
 * An Application Load Balancer trust store for mutual TLS (`platform:edge:TrustStore`): the CA bundle
 * as an object in a private bucket of its own, and the `aws.lb.TrustStore` reading that exact object
 * version, so a new bundle (CA rotation) is a new version the store is pointed at.
 *
 * The bucket: all public access blocked, ACLs disabled, versioned, TLS-only, default encryption
 * SSE-S3. A CA bundle holds only certificates (public material); SSE-S3 keeps the trust store's
 * read of the object free of KMS permissions on the load balancer's side. Old versions expire
 * after 90 days.
 *
 * Revocation: each certificate revocation list in `revocationListsPem` becomes an object
 * `revocations/<sha256 prefix>.pem` and an `aws.lb.TrustStoreRevocation` reading that object version,
 * keyed by its content, so a reissued CRL replaces the old one (AddTrustStoreRevocations and
 * RemoveTrustStoreRevocations).
 *
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 * (trust stores, CA bundle format: PEM, up to 1 MB; certificate revocation lists),
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTrustStoreRevocations.html.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TrustStoreArgs {
    /** The CA certificates clients chain to, concatenated PEM. */
    caBundlePem: pulumi.Input<string>;
    /** Certificate revocation lists (PEM `X509 CRL` blocks, concatenated) the trust store checks. Default none. */
    revocationListsPem?: string;
    /** Keep the bucket (and its versions) when the stack is destroyed. */
    protect: boolean;
    tags: Record<string, string>;
}

/** Object key of the bundle in the bucket. */
export const CA_BUNDLE_KEY = "ca-bundle.pem";

/** The PEM `X509 CRL` blocks of `pem`, in order (each ending with a newline). */
export function crlBlocks(pem: string): string[] {
    return [...pem.matchAll(/-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+-----END X509 CRL-----/g)].map(
        (m) => `${m[0]}\n`,
    );
}

export class TrustStore extends pulumi.ComponentResource {
    readonly trustStoreArn: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: TrustStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:TrustStore", name, {}, opts);
        if (name.length > 24)
            throw new Error(
                `TrustStore ${name}: the name must be at most 24 characters ` +
                    `(trust store names are limited to 32 with Pulumi's suffix); got ${name.length}`,
            );

        const storage = this.bucket(name, args);
        const store = this.trustStore(name, args, storage);
        this.revocations(name, args, storage, store);

        this.trustStoreArn = store.arn;
        this.bucketName = storage.bucket.bucket;
        this.registerOutputs({ trustStoreArn: this.trustStoreArn, bucketName: this.bucketName });
    }

    /**
     * The bucket: ACLs disabled, no public access, versioned, SSE-S3, old versions expiring after 90 days,
     * TLS only. Returns it with the configurations its objects wait for.
     */
    private bucket(name: string, args: TrustStoreArgs): StoreBucket {
        const child = { parent: this };
        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { forceDestroy: !args.protect, tags: args.tags },
            { ...child, protect: args.protect },
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
            child,
        );
        this.bucketLifecycle(name, bucket, versioning);
        this.tlsOnlyPolicy(name, bucket, publicAccessBlock);
        return { bucket, versioning, encryption };
    }

    /** Noncurrent versions (replaced bundles and CRLs) expire after 90 days; stale uploads after 1. */
    private bucketLifecycle(name: string, bucket: aws.s3.Bucket, versioning: aws.s3.BucketVersioning): void {
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-old-bundles",
                        status: "Enabled",
                        filter: { prefix: "" },
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
    }

    /** The bucket policy: deny every request not made over TLS. */
    private tlsOnlyPolicy(
        name: string,
        bucket: aws.s3.Bucket,
        publicAccessBlock: aws.s3.BucketPublicAccessBlock,
    ): void {
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            { parent: this, dependsOn: [publicAccessBlock] },
        );
    }

    /** The CA bundle object and the trust store reading that exact object version. */
    private trustStore(
        name: string,
        args: TrustStoreArgs,
        { bucket, versioning, encryption }: StoreBucket,
    ): aws.lb.TrustStore {
        const bundle = new aws.s3.BucketObjectv2(
            `${name}-ca-bundle`,
            {
                bucket: bucket.id,
                key: CA_BUNDLE_KEY,
                content: args.caBundlePem,
                contentType: "application/x-pem-file",
                tags: args.tags,
            },
            { parent: this, dependsOn: [versioning, encryption] },
        );
        return new aws.lb.TrustStore(
            name,
            {
                caCertificatesBundleS3Bucket: bucket.id,
                caCertificatesBundleS3Key: bundle.key,
                caCertificatesBundleS3ObjectVersion: bundle.versionId,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** Per CRL: an object `revocations/<sha256 prefix>.pem` and a trust store revocation reading its version. */
    private revocations(
        name: string,
        args: TrustStoreArgs,
        { bucket, versioning, encryption }: StoreBucket,
        store: aws.lb.TrustStore,
    ): void {
        for (const crl of crlBlocks(args.revocationListsPem ?? "")) {
            const id = createHash("sha256").update(crl).digest("hex").slice(0, 16);
            const object = new aws.s3.BucketObjectv2(
                `${name}-crl-${id}`,
                {
                    bucket: bucket.id,
                    key: `revocations/${id}.pem`,
                    content: crl,
                    contentType: "application/x-pem-file",
                    tags: args.tags,
                },
                { parent: this, dependsOn: [versioning, encryption] },
            );
            new aws.lb.TrustStoreRevocation(
                `${name}-crl-${id}`,
                {
                    trustStoreArn: store.arn,
                    revocationsS3Bucket: bucket.id,
                    revocationsS3Key: object.key,
                    revocationsS3ObjectVersion: object.versionId,
                },
                { parent: this },
            );
        }
    }
}

/** The trust store's bucket and the configurations its objects wait for. */
interface StoreBucket {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
    encryption: aws.s3.BucketServerSideEncryptionConfiguration;
}
