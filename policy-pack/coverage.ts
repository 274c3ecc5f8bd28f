/**
 * Coverage of the two public rule sets the pack is measured against, restricted to the resource
 * types that appear in our plans (dev, prod, bootstrap), in the real stack exports of
 * `../shared/testdata/real-stack-exports`, and in the older tokens of those types:
 *
 * - cdk-nag `AwsSolutions` rules: https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 *   (read at commit ca6d1b54e1cf1c2e3c29d731e066f6d5ded710b5, 2026-06-29);
 * - AWS Security Hub Foundational Security Best Practices (FSBP) controls:
 *   https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html (the list of the
 *   last public source of the user guide, awsdocs/aws-security-hub-user-guide `doc_source/fsbp-standard.md`
 *   at bda5bf7d, plus the later controls for our types that the pack's policies already cite:
 *   EKS.1, EKS.3, EKS.8, ECS.9, StepFunctions.1, WAF.11, WAF.12, Cognito.1).
 *
 * Rules whose resource type appears nowhere in those sources (Redshift, OpenSearch, SageMaker,
 * Classic Load Balancers, network ACLs, IAM users, Elastic Beanstalk environments, ...) are left
 * out. The README's coverage table is generated from {@link COVERAGE} (`renderCoverageTable`),
 * and `test/policy-pack/coverage.spec.ts` keeps the two equal and every named policy real.
 */

/** What the pack does about one rule or control. */
export type Disposition =
    /** Implemented by these policies (names as in the pack); `note` says where the pack differs. */
    | { readonly kind: "policy"; readonly policies: readonly string[]; readonly note?: string }
    /** Cannot apply to a deploy-time check of our types (periodic, account-level, other type). */
    | { readonly kind: "not-applicable"; readonly reason: string }
    /** Guaranteed by construction elsewhere (the place is named). */
    | { readonly kind: "elsewhere"; readonly place: string }
    /** A reasoned disagreement: a reviewer would not stop a deployment for it. */
    | { readonly kind: "disagree"; readonly reason: string }
    /** Applicable and not implemented yet (what blocks it). */
    | { readonly kind: "open"; readonly reason: string };

/** One rule of cdk-nag AwsSolutions or one FSBP control. */
export interface CoverageRow {
    readonly set: "AwsSolutions" | "FSBP";
    /** Rule id (`AwsSolutions-S10`) or control id (`S3.5`). */
    readonly id: string;
    /** The rule's cause or the control's title, shortened. */
    readonly title: string;
    readonly disposition: Disposition;
}

const p = (policies: string[], note?: string): Disposition => ({ kind: "policy", policies, note });
const na = (reason: string): Disposition => ({ kind: "not-applicable", reason });
const elsewhere = (place: string): Disposition => ({ kind: "elsewhere", place });
const disagree = (reason: string): Disposition => ({ kind: "disagree", reason });

const nag = (id: string, title: string, disposition: Disposition): CoverageRow => ({
    set: "AwsSolutions",
    id: `AwsSolutions-${id}`,
    title,
    disposition,
});
const fsbp = (id: string, title: string, disposition: Disposition): CoverageRow => ({
    set: "FSBP",
    id,
    title,
    disposition,
});

const OBSCURITY =
    "a non-default port only hides the service from scans; the pack keeps data stores in private subnets, off " +
    "the internet and behind security groups instead";
const AVAILABILITY = "availability and capacity, not security; prod config chooses it per environment";
const SG_PUBLIC = ["ec2-sg-public-ingress-ports", "ec2-sg-public-ingress-lb-only"];
const S3_PUBLIC = ["s3-no-public-acl", "s3-bucket-policy-no-public-principal", "s3-public-access-block-enabled"];

/** Every rule and control of both sets for our resource types, with its disposition. */
export const COVERAGE: readonly CoverageRow[] = [
    // cdk-nag AwsSolutions ----------------------------------------------------------------------
    nag("APIG1", "API has no access logging", p(["apigateway-stage-access-logs"])),
    nag(
        "APIG2",
        "REST API has no request validation",
        disagree(
            "a validator checks only the models a method declares, which the pack cannot judge; handlers validate " +
                "input, and authorization (APIG4) and WAF (APIG3) are the controls",
        ),
    ),
    nag("APIG3", "REST API stage has no WAFv2 web ACL", p(["apigateway-stage-waf"])),
    nag(
        "APIG4",
        "API does not implement authorization",
        p(["apigateway-method-authorization", "apigatewayv2-route-authorization"]),
    ),
    nag(
        "APIG6",
        "REST API stage has no CloudWatch execution logging for all methods",
        p(["apigateway-stage-execution-logging"]),
    ),
    nag("AS1", "Auto Scaling group has no cooldown period", disagree(AVAILABILITY)),
    nag("AS2", "Auto Scaling group has no proper health checks", disagree(AVAILABILITY)),
    nag("AS3", "Auto Scaling group has no notifications for scaling events", disagree("operations, not security")),
    nag(
        "CFR1",
        "CloudFront distribution may require geo restrictions",
        disagree("a business decision per audience, not a default"),
    ),
    nag("CFR2", "CloudFront distribution may require WAF", p(["cloudfront-waf"])),
    nag("CFR3", "CloudFront distribution has no access logging", p(["cloudfront-access-logs"])),
    nag("CFR4", "CloudFront allows SSLv3 or TLSv1 for viewers", p(["cloudfront-minimum-tls"])),
    nag("CFR5", "CloudFront uses SSLv3 or TLSv1 to the origin", p(["cloudfront-origin-https"])),
    nag(
        "CFR6",
        "CloudFront streaming distribution has no OAI for S3",
        na("RTMP streaming distributions were discontinued in 2020; no type for them in our sources"),
    ),
    nag(
        "CFR7",
        "CloudFront distribution has no origin access control for S3",
        p(["cloudfront-s3-origin-access-control"]),
    ),
    nag(
        "COG1",
        "Cognito user pool password policy is weak",
        p(["cognito-user-pool-password-policy"], "an absent policy is Cognito's default"),
    ),
    nag(
        "COG2",
        "Cognito user pool does not require MFA",
        disagree(
            "required MFA for every customer of a public sign-up is a product decision; coffee-shop offers it " +
                "(OPTIONAL), postech signs in with a custom challenge",
        ),
    ),
    nag(
        "COG4",
        "API Gateway method does not use a Cognito authorizer",
        disagree(
            "any authorizer (IAM, JWT, Lambda) authorizes; apigateway-method-authorization requires one without " +
                "preferring Cognito",
        ),
    ),
    nag(
        "COG8",
        "Cognito user pool is not on the Plus feature plan",
        disagree("a pricing tier (threat protection); see Cognito.1"),
    ),
    nag("DDB3", "DynamoDB table has no point-in-time recovery", p(["dynamodb-pitr"])),
    nag(
        "EC23",
        "Security group allows 0.0.0.0/0 or ::/0 inbound",
        p(SG_PUBLIC, "80/443 allowed on internet-facing load balancers only"),
    ),
    nag(
        "EC26",
        "Resource creates unencrypted EBS volumes",
        p(["ebs-volume-encryption", "ec2-instance-ebs-encryption", "ec2-launch-template-ebs-encryption"]),
    ),
    nag(
        "EC27",
        "Security group has no description",
        elsewhere('the provider: aws.ec2.SecurityGroup defaults description to "Managed by Pulumi"'),
    ),
    nag("EC28", "EC2 instance has no detailed monitoring", disagree("metric resolution, not security")),
    nag(
        "EC29",
        "EC2 instance outside an ASG has no termination protection",
        disagree("instances are replaced through the program; `protect` guards stateful resources"),
    ),
    nag("ECR1", "ECR repository allows open access", p(["ecr-repository-policy-no-public-principal"])),
    nag(
        "ECS2",
        "Task definition sets environment variables directly",
        disagree(
            "non-secret configuration belongs in the environment; credentials are caught by " +
                "ecs-task-definition-no-secret-environment",
        ),
    ),
    nag("ECS4", "ECS cluster has Container Insights disabled", p(["ecs-cluster-container-insights"])),
    nag("ECS7", "ECS container has no logging", p(["ecs-container-logging"])),
    nag("EKS1", "EKS API endpoint is public", p(["eks-endpoint-not-public"], "allowed when restricted to named CIDRs")),
    nag(
        "EKS2",
        "EKS cluster does not publish all five control-plane logs",
        p(
            ["eks-control-plane-logs"],
            "requires api, audit, authenticator; controllerManager and scheduler are optional",
        ),
    ),
    nag("ELB2", "ELB has no access logs", p(["lb-access-logs"])),
    nag("EVB1", "Event bus policy allows open access", p(["eventbridge-bus-policy-no-public-principal"])),
    nag(
        "IAM4",
        "IAM entity uses AWS managed policies",
        p(["iam-no-admin-managed-policies"], "only admin and *FullAccess managed policies are refused"),
    ),
    nag(
        "IAM5",
        "IAM entity has wildcard permissions",
        p(["iam-no-wildcard-actions", "iam-no-wildcard-resource-writes", "iam-no-passrole-wildcard"]),
    ),
    nag("KMS5", "Symmetric KMS key has no rotation", p(["kms-key-rotation"])),
    nag(
        "L1",
        "Lambda function does not use the latest runtime",
        p(
            ["lambda-supported-runtime"],
            "cdk-nag asks for the latest runtime; the pack flags runtimes past AWS's deprecation date (dated table " +
                "in lib/support-calendars.ts)",
        ),
    ),
    nag("RDS2", "RDS storage is not encrypted", p(["rds-storage-encrypted"])),
    nag("RDS3", "Non-Aurora RDS instance is not Multi-AZ", disagree(AVAILABILITY)),
    nag("RDS8", "RDS security group allows 0.0.0.0/0 inbound", p(["ec2-sg-public-ingress-ports"])),
    nag("RDS10", "RDS has no deletion protection", p(["rds-deletion-protection"])),
    nag("RDS11", "RDS uses the default port", disagree(OBSCURITY)),
    nag("RDS13", "RDS instance has no automated backups", p(["rds-backup-retention"])),
    nag(
        "S1",
        "S3 bucket has no server access logs",
        p(
            ["s3-bucket-access-logging"],
            "a bucket that is itself an access-log destination is exempt, as cdk-nag's guidance says; the state " +
                "bucket logs to the bootstrap's pulumi-state-logs",
        ),
    ),
    nag(
        "S2",
        "S3 bucket does not block public access",
        p(["s3-public-access-block-enabled", "s3-bucket-has-public-access-block"]),
    ),
    nag("S5", "S3 static website bucket is open or not behind OAI", p(S3_PUBLIC, "no bucket may be public at all")),
    nag("S10", "S3 bucket does not require TLS", p(["s3-bucket-ssl-requests-only"])),
    nag(
        "SF1",
        'Step Functions state machine does not log "ALL" events',
        p(["sfn-logging"], "ERROR is enough (failures); ALL also records every transition"),
    ),
    nag("SF2", "Step Functions state machine has no X-Ray tracing", p(["sfn-xray-tracing"])),
    nag(
        "SMG4",
        "Secret has no automatic rotation",
        p(
            ["secretsmanager-rotation"],
            "mandatory by default, advisory in our configs: our secrets are third-party credentials (issued and " +
                "rotated by the provider) or values the program generates as a SecretVersion, which a rotation " +
                "function would fight; each finding is accepted in the README with its reason",
        ),
    ),
    nag("SNS3", "SNS topic does not require TLS for publishers", p(["sns-topic-ssl-requests-only"])),
    nag("SQS2", "SQS queue has no server-side encryption", p(["sqs-queue-encryption"])),
    nag("SQS3", "SQS queue has no DLQ and is not one", p(["sqs-queue-dead-letter-queue"])),
    nag("SQS4", "SQS queue does not require TLS", p(["sqs-queue-ssl-requests-only"])),
    nag("VPC7", "VPC has no flow log", p(["ec2-vpc-flow-logs"])),
    nag("AEC1", "ElastiCache cluster is not in a VPC", p(["elasticache-subnet-group", "elasticache-private-subnets"])),
    nag(
        "AEC3",
        "ElastiCache Redis lacks encryption in transit and at rest",
        p(["elasticache-transit-encryption", "elasticache-at-rest-encryption"]),
    ),
    nag("AEC4", "ElastiCache Redis is not Multi-AZ", disagree(AVAILABILITY)),
    nag("AEC5", "ElastiCache uses the default port", disagree(OBSCURITY)),
    nag("AEC6", "ElastiCache Redis does not use AUTH", p(["elasticache-redis-auth"])),

    // Security Hub FSBP -------------------------------------------------------------------------
    fsbp(
        "ACM.1",
        "Certificates renewed before expiry",
        elsewhere("infra/edge DnsCertificate: ACM certificates with DNS validation renew automatically"),
    ),
    fsbp(
        "APIGateway.1",
        "REST/WebSocket execution logging enabled",
        p(["apigateway-stage-execution-logging"], "REST stages; WebSocket APIs are not among our types"),
    ),
    fsbp(
        "APIGateway.2",
        "REST stages use a client certificate for the backend",
        disagree(
            "our backends are Lambda and private VPC links, not public HTTP endpoints a certificate would " +
                "authenticate to",
        ),
    ),
    fsbp("APIGateway.3", "REST stages have X-Ray tracing", p(["apigateway-stage-xray-tracing"])),
    fsbp("APIGateway.4", "API Gateway associated with a WAF web ACL", p(["apigateway-stage-waf"])),
    fsbp("APIGateway.5", "REST API cache data encrypted", p(["apigateway-cache-encrypted"])),
    fsbp("APIGateway.8", "API Gateway routes specify an authorization type", p(["apigatewayv2-route-authorization"])),
    fsbp("APIGateway.9", "Access logging for API Gateway V2 stages", p(["apigateway-stage-access-logs"])),
    fsbp("AutoScaling.2", "Auto Scaling group covers several AZs", disagree(AVAILABILITY)),
    fsbp(
        "AutoScaling.3",
        "Launch configurations require IMDSv2",
        na("launch configurations are not among our types; launch templates: ec2-imdsv2-required"),
    ),
    fsbp(
        "AutoScaling.5",
        "Launch configurations assign no public IPs",
        na("launch configurations are not among our types; launch templates: ec2-launch-template-no-public-ip"),
    ),
    fsbp("AutoScaling.6", "Auto Scaling groups use several instance types and AZs", disagree(AVAILABILITY)),
    fsbp("AutoScaling.9", "Auto Scaling groups use launch templates", p(["autoscaling-group-launch-template"])),
    fsbp(
        "CloudFront.1",
        "Distributions have a default root object",
        p(["cloudfront-default-root-object"], 'distributions with an S3 origin; a custom origin answers "/" itself'),
    ),
    fsbp(
        "CloudFront.2",
        "Distributions use origin access identity",
        p(["cloudfront-s3-origin-access-control"], "origin access control, which replaces the legacy identity"),
    ),
    fsbp("CloudFront.3", "Distributions require encryption in transit", p(["cloudfront-viewer-https"])),
    fsbp("CloudFront.4", "Distributions have origin failover", disagree(AVAILABILITY)),
    fsbp("CloudFront.5", "Distributions have logging", p(["cloudfront-access-logs"])),
    fsbp("CloudFront.6", "Distributions have WAF", p(["cloudfront-waf"])),
    fsbp("CloudFront.7", "Distributions use custom TLS certificates", p(["cloudfront-minimum-tls"])),
    fsbp("CloudFront.8", "Distributions use SNI", p(["cloudfront-minimum-tls"])),
    fsbp("CloudFront.9", "Distributions encrypt traffic to custom origins", p(["cloudfront-origin-https"])),
    fsbp("CloudFront.10", "No deprecated SSL protocols to custom origins", p(["cloudfront-origin-https"])),
    fsbp(
        "CloudFront.12",
        "Distributions do not point to non-existent S3 origins",
        elsewhere("infra/edge CdnDistribution builds S3 origins from the bucket resource's regional domain name"),
    ),
    fsbp(
        "CloudTrail.1",
        "A multi-Region trail records management events",
        na("an account-level, periodic control; a stack cannot see the account's other trails"),
    ),
    fsbp("CloudTrail.2", "CloudTrail encrypted at rest", p(["cloudtrail-kms-encryption"])),
    fsbp("CloudTrail.4", "CloudTrail log file validation", p(["cloudtrail-log-validation"])),
    fsbp("CloudTrail.5", "CloudTrail integrated with CloudWatch Logs", p(["cloudtrail-cloudwatch-logs"])),
    fsbp(
        "Cognito.1",
        "User pools have threat protection enforced",
        disagree("requires the Plus feature plan, a pricing decision"),
    ),
    fsbp(
        "DynamoDB.1",
        "Tables scale capacity with demand",
        disagree("capacity, not security; ours are on-demand (PAY_PER_REQUEST, infra/data DynamoDbTable)"),
    ),
    fsbp("DynamoDB.2", "Tables have point-in-time recovery", p(["dynamodb-pitr"])),
    fsbp("EC2.2", "Default security group allows no traffic", p(["ec2-default-sg-closed"])),
    fsbp(
        "EC2.3",
        "Attached EBS volumes encrypted",
        p(["ebs-volume-encryption", "ec2-instance-ebs-encryption", "ec2-launch-template-ebs-encryption"]),
    ),
    fsbp("EC2.4", "Stopped instances removed after a period", na("periodic, about running state")),
    fsbp("EC2.6", "VPC flow logging enabled", p(["ec2-vpc-flow-logs"])),
    fsbp("EC2.7", "EBS default encryption enabled", na("an account setting no stack of ours manages")),
    fsbp("EC2.8", "Instances use IMDSv2", p(["ec2-imdsv2-required"])),
    fsbp(
        "EC2.9",
        "Instances have no public IPv4 address",
        p(["ec2-instance-no-public-ip"], "judged on the instance's inputs; an address the subnet assigns is EC2.15"),
    ),
    fsbp(
        "EC2.10",
        "EC2 uses a VPC endpoint for the EC2 API",
        disagree("an egress-path choice, not a control on our types"),
    ),
    fsbp(
        "EC2.15",
        "Subnets do not auto-assign public IPs",
        p(["ec2-subnet-no-auto-public-ip", "ec2-data-subnet-no-public-ip"]),
    ),
    fsbp("EC2.17", "Instances use one ENI", disagree("multiple interfaces are a topology choice, not exposure")),
    fsbp("EC2.18", "Unrestricted ingress only on authorized ports", p(SG_PUBLIC)),
    fsbp("EC2.19", "No unrestricted access to high-risk ports", p(["ec2-sg-public-ingress-ports"])),
    fsbp(
        "EC2.22",
        "Unused security groups removed",
        na("periodic; a group nothing uses is not judged (see ec2-sg-public-ingress-lb-only)"),
    ),
    fsbp("EC2.24", "No paravirtual instance types", na("current instance families are HVM only")),
    fsbp("EC2.25", "Launch templates assign no public IPs", p(["ec2-launch-template-no-public-ip"])),
    fsbp("ECR.1", "Private repositories scan images", p(["ecr-repository-image-scanning"])),
    fsbp("ECR.2", "Private repositories have immutable tags", p(["ecr-repository-tag-immutability"])),
    fsbp("ECR.3", "Repositories have a lifecycle policy", p(["ecr-repository-lifecycle-policy"])),
    fsbp(
        "ECS.1",
        "Task definitions have secure networking modes and users",
        p(["ecs-task-definition-container-hardening"]),
    ),
    fsbp("ECS.2", "Services assign no public IPs", p(["ecs-service-no-public-ip"])),
    fsbp(
        "ECS.3",
        "Task definitions do not share the host's process namespace",
        p(["ecs-task-definition-container-hardening"]),
    ),
    fsbp("ECS.4", "Containers run non-privileged", p(["ecs-task-definition-container-hardening"])),
    fsbp("ECS.5", "Containers have read-only root file systems", p(["ecs-task-definition-container-hardening"])),
    fsbp("ECS.8", "No secrets in container environment variables", p(["ecs-task-definition-no-secret-environment"])),
    fsbp("ECS.9", "Task definitions have a logging configuration", p(["ecs-container-logging"])),
    fsbp("ECS.10", "Fargate services run the latest platform version", p(["ecs-fargate-latest-platform"])),
    fsbp("ECS.12", "Clusters use Container Insights", p(["ecs-cluster-container-insights"])),
    fsbp("EKS.1", "Cluster endpoints not publicly accessible", p(["eks-endpoint-not-public"])),
    fsbp(
        "EKS.2",
        "Clusters run a supported Kubernetes version",
        p(["eks-supported-version"], "past end of standard support is flagged (extended support is paid)"),
    ),
    fsbp("EKS.3", "Clusters encrypt Kubernetes secrets", p(["eks-secrets-encryption"])),
    fsbp("EKS.8", "Clusters have audit logging", p(["eks-control-plane-logs"])),
    fsbp("ElastiCache.1", "Redis clusters have automatic backups", p(["elasticache-automatic-backups"])),
    fsbp("ElastiCache.2", "Automatic minor version upgrades", p(["elasticache-auto-minor-version-upgrade"])),
    fsbp("ElastiCache.3", "Replication groups have automatic failover", disagree(AVAILABILITY)),
    fsbp("ElastiCache.4", "Replication groups encrypted at rest", p(["elasticache-at-rest-encryption"])),
    fsbp("ElastiCache.5", "Replication groups encrypted in transit", p(["elasticache-transit-encryption"])),
    fsbp("ElastiCache.6", "Replication groups before 6.0 use AUTH", p(["elasticache-redis-auth"])),
    fsbp(
        "ElastiCache.7",
        "Clusters do not use the default subnet group",
        p(["elasticache-subnet-group", "elasticache-private-subnets"]),
    ),
    fsbp("ELB.1", "ALB redirects HTTP to HTTPS", p(["lb-listener-https-redirect"])),
    fsbp("ELB.4", "ALB drops invalid HTTP headers", p(["lb-drop-invalid-header-fields"])),
    fsbp("ELB.5", "Load balancer logging enabled", p(["lb-access-logs"])),
    fsbp(
        "ELB.6",
        "Load balancer deletion protection",
        disagree("load balancers hold no data and are recreated by the program"),
    ),
    fsbp("ELB.12", "ALB desync mitigation defensive or strictest", p(["lb-desync-mitigation"])),
    fsbp("ELB.13", "Load balancers span several AZs", disagree(AVAILABILITY)),
    fsbp("IAM.1", 'Policies do not allow full "*" administrative privileges', p(["iam-no-wildcard-actions"])),
    fsbp("IAM.2", "IAM users have no policies attached", p(["iam-no-user-inline-policies"])),
    fsbp("IAM.21", "Customer managed policies allow no service wildcards", p(["iam-no-wildcard-actions"])),
    fsbp("KMS.1", "Customer managed policies allow no decryption on all keys", p(["iam-no-wildcard-resource-writes"])),
    fsbp("KMS.2", "Inline policies allow no decryption on all keys", p(["iam-no-wildcard-resource-writes"])),
    fsbp("KMS.3", "KMS keys not deleted unintentionally", na("periodic: detects keys pending deletion")),
    fsbp("Lambda.1", "Function policies prohibit public access", p(["lambda-permission-no-public-principal"])),
    fsbp("Lambda.2", "Functions use supported runtimes", p(["lambda-supported-runtime"])),
    fsbp(
        "Lambda.5",
        "VPC functions run in more than one AZ",
        p(["lambda-vpc-multi-az"], "refuses a single subnet; the subnets' zones are not compared"),
    ),
    fsbp("RDS.2", "Instances prohibit public access", p(["rds-not-public"])),
    fsbp("RDS.3", "Instances encrypted at rest", p(["rds-storage-encrypted"])),
    fsbp("RDS.5", "Instances Multi-AZ", disagree(AVAILABILITY)),
    fsbp("RDS.6", "Enhanced monitoring", disagree("operating-system telemetry, not security")),
    fsbp("RDS.8", "Instances have deletion protection", p(["rds-deletion-protection"])),
    fsbp(
        "RDS.9",
        "Database logs exported to CloudWatch",
        p(
            ["rds-log-exports"],
            "the control's per-engine lists, but Aurora PostgreSQL, which has no upgrade log, is asked only " +
                "postgresql; and we disagree on MySQL's general log (every statement with its literal values, " +
                "personal data included, on the instance's I/O): audit (connections, DDL, DCL), error and slowquery " +
                "are asked",
        ),
    ),
    fsbp("RDS.10", "IAM authentication for instances", p(["rds-iam-authentication"])),
    fsbp("RDS.11", "Instances have automatic backups", p(["rds-backup-retention"])),
    fsbp("RDS.13", "Automatic minor version upgrades", p(["rds-auto-minor-version-upgrade"])),
    fsbp("RDS.17", "Instances copy tags to snapshots", disagree("tag hygiene, not security")),
    fsbp("RDS.18", "Instances deployed in a VPC", p(["rds-private-subnets"])),
    fsbp("RDS.23", "Instances do not use the default port", disagree(OBSCURITY)),
    fsbp("RDS.25", "Instances use a custom administrator name", disagree(OBSCURITY)),
    fsbp("S3.1", "Account-level Block Public Access", p(["s3-public-access-block-enabled"])),
    fsbp("S3.2", "Buckets prohibit public read", p(S3_PUBLIC)),
    fsbp("S3.3", "Buckets prohibit public write", p(S3_PUBLIC)),
    fsbp("S3.4", "Buckets have server-side encryption", p(["s3-bucket-encryption", "s3-bucket-missing-encryption"])),
    fsbp("S3.5", "Buckets require TLS", p(["s3-bucket-ssl-requests-only"])),
    fsbp(
        "S3.6",
        "Permissions granted to other accounts are restricted",
        p(
            ["s3-bucket-policy-cross-account-actions"],
            "the bucket's own accounts come from the config's accountIds or the policy's own " +
                "aws:ResourceAccount/aws:SourceAccount conditions; with neither, silent rather than a guess",
        ),
    ),
    fsbp("S3.8", "Bucket-level Block Public Access", p(["s3-bucket-has-public-access-block"])),
    fsbp(
        "S3.9",
        "Server access logging",
        p(["s3-bucket-access-logging"], "log destinations exempt, see AwsSolutions-S1"),
    ),
    fsbp("S3.10", "Versioned buckets have lifecycle policies", p(["s3-bucket-lifecycle"])),
    fsbp("S3.11", "Buckets have event notifications", disagree("an integration choice, not a control")),
    fsbp(
        "S3.12",
        "ACLs not used to manage access",
        p(["s3-no-public-acl"], "public ACLs refused; private ACLs not yet (BucketOwnerEnforced)"),
    ),
    fsbp("S3.13", "Buckets have lifecycle policies", p(["s3-bucket-lifecycle"])),
    fsbp("SecretsManager.1", "Secrets rotate automatically", p(["secretsmanager-rotation"], "see AwsSolutions-SMG4")),
    fsbp("SecretsManager.2", "Rotation succeeds", na("periodic, about rotation runs")),
    fsbp("SecretsManager.3", "Unused secrets removed", na("periodic, about access history")),
    fsbp("SecretsManager.4", "Secrets rotated within a number of days", na("periodic, about rotation history")),
    fsbp("SNS.1", "Topics encrypted with KMS", p(["sns-topic-encryption"])),
    fsbp("SNS.2", "Delivery status logging", disagree("applies to a few protocols; operations, not security")),
    fsbp("SQS.1", "Queues encrypted at rest", p(["sqs-queue-encryption"])),
    fsbp("SSM.1", "Instances managed by Systems Manager", na("periodic, about the agent on running instances")),
    fsbp("StepFunctions.1", "State machines have logging", p(["sfn-logging"])),
    fsbp("WAF.10", "Web ACLs have at least one rule", p(["wafv2-web-acl-has-rules"])),
    fsbp("WAF.11", "Web ACL logging enabled", p(["wafv2-logging"])),
    fsbp("WAF.12", "Rules have CloudWatch metrics", p(["wafv2-metrics"])),
];

/** Count of rows per disposition kind. */
export function coverageCounts(rows: readonly CoverageRow[] = COVERAGE): Record<Disposition["kind"], number> {
    const counts = { policy: 0, "not-applicable": 0, elsewhere: 0, disagree: 0, open: 0 };
    for (const r of rows) counts[r.disposition.kind] += 1;
    return counts;
}

function cell(d: Disposition): string {
    switch (d.kind) {
        case "policy":
            return `${d.policies.map((n) => `\`${n}\``).join(", ")}${d.note ? ` (${d.note})` : ""}`;
        case "not-applicable":
            return `not applicable: ${d.reason}`;
        case "elsewhere":
            return `by construction: ${d.place}`;
        case "disagree":
            return `disagree: ${d.reason}`;
        case "open":
            return `**open**: ${d.reason}`;
    }
}

/** The README's coverage table (markdown), one row per rule or control. */
export function renderCoverageTable(rows: readonly CoverageRow[] = COVERAGE): string {
    const lines = ["| set | rule / control | what it checks | disposition |", "|---|---|---|---|"];
    for (const r of rows) lines.push(`| ${r.set} | ${r.id} | ${r.title} | ${cell(r.disposition)} |`);
    return lines.join("\n");
}
