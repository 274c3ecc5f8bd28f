import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadDocument, parsePolicyConfig, PolicyAnalyzer, urnName } from "../../tools/policy-check";

/** Real state files other teams' deployments wrote (several provider generations; see its README). */
const REAL = "/work/shared/testdata/real-stack-exports";

/**
 * Every finding of the pack on each real state file, reviewed one by one (`policy@resource`). A
 * finding added here must be a problem a security reviewer would raise; a finding that disappears
 * must be a false alarm fixed on purpose. Reviewed and removed: `s3-bucket-missing-encryption` on
 * buckets encrypted with the inline `serverSideEncryptionConfiguration` of providers before v7
 * (spacedog's KMS bucket, awsx's three trail buckets, the eks IRSA bucket). Reviewed and added:
 * `s3-bucket-access-logging` on every bucket of these files (none logs; the CloudTrail buckets are log
 * destinations of CloudTrail, not of S3 access logging, and CIS asks for access logs on them too).
 */
const EXPECTED: Record<string, string[]> = {
    "KazamaMana__boto-pulumi-eb__stack.json": [
        "rds-iam-authentication@wpeb",
        "rds-backup-retention@wpeb",
        "rds-deletion-protection@wpeb",
        "rds-force-ssl@wpeb",
        "rds-log-exports@wpeb",
        "rds-storage-encrypted@wpeb",
    ],
    "pulumi-awsx__nodejs-cloudtrail__1.0.6__stack.json": [
        "cloudtrail-cloudwatch-logs@example-aes-bucket-trail",
        "cloudtrail-cloudwatch-logs@example-kms-bucket-trail",
        "cloudtrail-cloudwatch-logs@example-trail",
        "s3-bucket-lifecycle@example-aes-bucket-trail",
        "s3-bucket-lifecycle@example-kms-bucket-trail",
        "s3-bucket-lifecycle@example-trail",
        "cloudtrail-kms-encryption@example-aes-bucket-trail",
        "cloudtrail-kms-encryption@example-kms-bucket-trail",
        "cloudtrail-kms-encryption@example-trail",
        "cloudtrail-log-validation@example-aes-bucket-trail",
        "cloudtrail-log-validation@example-kms-bucket-trail",
        "cloudtrail-log-validation@example-trail",
        "s3-bucket-access-logging@example-aes-bucket-trail",
        "s3-bucket-access-logging@example-kms-bucket-trail",
        "s3-bucket-access-logging@example-trail",
        "s3-bucket-has-public-access-block@example-aes-bucket-trail",
        "s3-bucket-has-public-access-block@example-kms-bucket-trail",
        "s3-bucket-has-public-access-block@example-trail",
        "s3-bucket-ssl-requests-only@example-aes-bucket-trail",
        "s3-bucket-ssl-requests-only@example-kms-bucket-trail",
        "s3-bucket-ssl-requests-only@example-trail",
        "s3-bucket-versioning@example-aes-bucket-trail",
        "s3-bucket-versioning@example-kms-bucket-trail",
        "s3-bucket-versioning@example-trail",
    ],
    "pulumi-awsx__ts-lb-simple__1.0.6__stack.json": [
        "ec2-subnet-no-auto-public-ip@test-vpc-public-1",
        "ec2-subnet-no-auto-public-ip@test-vpc-public-2",
        "ec2-subnet-no-auto-public-ip@test-vpc-public-3",
        "cloudwatch-log-group-kms@my-service",
        "cloudwatch-log-group-retention@my-service",
        "ec2-default-sg-closed@test-vpc",
        "ec2-sg-public-ingress-ports@nginx-lb",
        "ec2-vpc-flow-logs@test-vpc",
        "ecs-cluster-container-insights@default-cluster",
        "ecs-service-no-public-ip@my-service",
        "ecs-task-definition-container-hardening@my-service",
        "lb-access-logs@nginx-lb",
        "lb-access-logs@nginx-lb",
        "lb-drop-invalid-header-fields@nginx-lb",
        "lb-listener-https-redirect@nginx-lb",
        "lb-listener-https-redirect@nginx-lb-0",
    ],
    "pulumi-eks__oidc-iam-sa__3.0.0__stack.json": [
        "s3-bucket-lifecycle@pod-irsa-job-bucket",
        "ec2-imdsv2-required@example-oidc-iam-sa-launchTemplate",
        "ec2-launch-template-no-public-ip@example-oidc-iam-sa-launchTemplate",
        // The CoreDNS add-on depends on the cluster only, so it is created beside the node group's
        // Auto Scaling group, before any node joins (pulumi/pulumi-eks#1819).
        "eks-addon-after-nodes@example-oidc-iam-sa-coredns",
        "eks-control-plane-logs@example-oidc-iam-sa",
        "eks-control-plane-logs@example-oidc-iam-sa-eksCluster",
        "eks-endpoint-not-public@example-oidc-iam-sa",
        "eks-endpoint-not-public@example-oidc-iam-sa-eksCluster",
        "eks-node-no-public-ip@example-oidc-iam-sa",
        "eks-secrets-encryption@example-oidc-iam-sa",
        "eks-secrets-encryption@example-oidc-iam-sa-eksCluster",
        // Not eks-supported-version: the cluster's inputs set no version (the 1.31 of its outputs is what EKS
        // chose at creation), and the pack judges inputs only.
        "iam-no-admin-managed-policies@s3",
        "s3-bucket-access-logging@pod-irsa-job-bucket",
        "s3-bucket-has-public-access-block@pod-irsa-job-bucket",
        "s3-bucket-ssl-requests-only@pod-irsa-job-bucket",
        "s3-bucket-versioning@pod-irsa-job-bucket",
    ],
    "pulumi-pulumi__checkpoint-secrets.json": [
        "cloudwatch-log-group-kms@countDown_watcher-func-logs",
        "cloudwatch-log-group-kms@heartbeat-func-logs",
        "iam-no-admin-managed-policies@countDown_watcher-iampolicy-0",
        "iam-no-admin-managed-policies@countDown_watcher-iampolicy-1",
        "iam-no-admin-managed-policies@heartbeat-iampolicy-0",
        "iam-no-admin-managed-policies@heartbeat-iampolicy-1",
        "iam-no-admin-managed-policies@pulumi-foo-log-collector-iampolicy-0",
        "lambda-permission-source-condition@pulumi-foo-log-collector",
        // nodejs6.10, deprecated 2019-08-12.
        "lambda-supported-runtime@countDown_watcher",
        "lambda-supported-runtime@heartbeat",
        "lambda-supported-runtime@pulumi-foo-log-collector",
        "sns-topic-encryption@countDown",
        "sns-topic-encryption@unhandled-error-topic",
        "sns-topic-ssl-requests-only@countDown",
        "sns-topic-ssl-requests-only@unhandled-error-topic",
    ],
    // The group serves ports 80/443 to the world and is used by two EC2 instances, not a load balancer.
    "shawngerrard__aws-ec2-webserver-test__pulumi__stack.json": [
        "ec2-imdsv2-required@litrepublicpoc-www",
        "ec2-instance-ebs-encryption@litrepublicpoc-www",
        "ec2-sg-public-ingress-lb-only@administrator-sg-litrepublicpoc",
    ],
    "spacedog__pulumi-test__backups__dev.1585683400547365726.json": [
        "s3-bucket-access-logging@my-bucket",
        "s3-bucket-lifecycle@my-bucket",
        "s3-bucket-has-public-access-block@my-bucket",
        "s3-bucket-missing-encryption@my-bucket",
        "s3-bucket-ssl-requests-only@my-bucket",
        "s3-bucket-versioning@my-bucket",
    ],
    // Same bucket, now encrypted inline with a KMS key (provider 1.27).
    "spacedog__pulumi-test__backups__dev.1585683604177893725.json": [
        "s3-bucket-access-logging@my-bucket",
        "s3-bucket-lifecycle@my-bucket",
        "kms-key-rotation@my-sse-key",
        "s3-bucket-has-public-access-block@my-bucket",
        "s3-bucket-ssl-requests-only@my-bucket",
        "s3-bucket-versioning@my-bucket",
    ],
};

describe("policy pack on real state files (every finding reviewed)", function () {
    this.timeout(120_000);
    let analyzer: PolicyAnalyzer;
    before(async () => {
        analyzer = await PolicyAnalyzer.start({ stack: "real", project: "real" });
        // The support calendars judge at a pinned date, so these pins never depend on today.
        const asOf = { enforcementLevel: "mandatory", asOf: "2026-12-07" } as const;
        await analyzer.configure(
            parsePolicyConfig({ "lambda-supported-runtime": asOf, "eks-supported-version": asOf }, "real-state"),
        );
    });
    after(async () => analyzer?.close());

    for (const [file, expected] of Object.entries(EXPECTED)) {
        it(`${file}: exactly the reviewed findings`, async () => {
            const doc: unknown = JSON.parse(fs.readFileSync(path.join(REAL, file), "utf8"));
            const vs = await analyzer.check(loadDocument(doc));
            assert.deepStrictEqual(vs.map((v) => `${v.policyName}@${urnName(v.urn)}`).sort(), [...expected].sort());
        });
    }
});

/**
 * State of three provider generations that keep S3 settings inline on the bucket (no shared
 * export shows them all): a v6 `aws:s3/bucketV2:BucketV2` with the plural list forms
 * (`serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]`,
 * `versionings`, `loggings`), a v5 `aws:s3/bucket:Bucket` with object forms, and older state with
 * one-element lists (`logging` among them); each with inline policy and lifecycle rules. The v5 bucket is the
 * other two's access-log target, so it logs nothing itself. Only the public ACL and grant of
 * the third bucket are findings.
 */
describe("policy pack on inline S3 settings of older providers (test/policy-pack/fixtures)", function () {
    this.timeout(120_000);
    let analyzer: PolicyAnalyzer;
    before(async () => {
        analyzer = await PolicyAnalyzer.start({ stack: "legacy", project: "inline-buckets" });
        await analyzer.configure();
    });
    after(async () => analyzer?.close());

    it("reads encryption, versioning, lifecycle and policy inline in every form", async () => {
        const file = path.join(__dirname, "fixtures", "legacy-inline-buckets.stack.json");
        const vs = await analyzer.check(loadDocument(JSON.parse(fs.readFileSync(file, "utf8"))));
        assert.deepStrictEqual(vs.map((v) => `${v.policyName}@${urnName(v.urn)}`).sort(), [
            "s3-no-public-acl@site",
            "s3-no-public-acl@site",
        ]);
    });
});
