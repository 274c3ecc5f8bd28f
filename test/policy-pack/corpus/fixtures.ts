/**
 * Building blocks the corpus cases share: ARNs, a foundation-like network, a compliant bucket
 * with its companion resources, compliant keys and log groups. Every builder returns resources
 * that pass the whole pack on their own.
 */
import { res, secret, TestResource } from "../support/harness";

export const ACCOUNT = "111122223333";
export const REGION = "sa-east-1";
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
export const LOGS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/9a8b7c6d-5e4f-3a2b-1c0d-ffeeddccbbaa`;
export const CERT_ARN = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/5a6b7c8d-1e2f-3a4b-5c6d-7e8f9a0b1c2d`;
export const REGIONAL_CERT_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6a7b8`;
export const LOG_GROUP_ARN = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/ticketing-web/0123456789abcdef`;
export const TLS13 = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const LOG_BUCKET = "platform-dev-log-archive-7c1e";

export const forward = [{ type: "forward", targetGroupArn: TG_ARN }];
export const redirectToHttps = [
    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
];

/** Key policy granting the account root administration plus a service's use. */
export function keyPolicy(service?: string): string {
    const statements: unknown[] = [
        {
            Sid: "EnableRootAccess",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (service) {
        statements.push({
            Sid: "AllowServiceUse",
            Effect: "Allow",
            Principal: { Service: service },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A customer-managed key with rotation and a lock-out-safe policy. */
export function kmsKey(name: string, service?: string): TestResource {
    return res("aws:kms/key:Key", name, {
        description: `${name} key`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: keyPolicy(service),
    });
}

/**
 * A bucket with SSE, versioning, an all-true public access block, owner-enforced ownership, a lifecycle and
 * server access logs to the log archive ({@link LOG_BUCKET}; none when `accessLogs` is false, for the log
 * archive itself).
 */
export function compliantBucket(
    name: string,
    sseAlgorithm: "aws:kms" | "AES256" = "aws:kms",
    accessLogs = true,
): TestResource[] {
    const bucket = res("aws:s3/bucket:Bucket", name, {
        forceDestroy: false,
        tags: { Project: "platform", Environment: "dev" },
    });
    const deps = { deps: { bucket: [bucket] } };
    return [
        bucket,
        res(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${name}-sse`,
            {
                bucket: `${name}-id`,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm,
                            ...(sseAlgorithm === "aws:kms" ? { kmsMasterKeyId: KEY_ARN } : {}),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            deps,
        ),
        res(
            "aws:s3/bucketVersioning:BucketVersioning",
            `${name}-versioning`,
            { bucket: `${name}-id`, versioningConfiguration: { status: "Enabled" } },
            deps,
        ),
        res(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            `${name}-pab`,
            {
                bucket: `${name}-id`,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            deps,
        ),
        res(
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            `${name}-ownership`,
            { bucket: `${name}-id`, rule: { objectOwnership: "BucketOwnerEnforced" } },
            deps,
        ),
        res(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            `${name}-lifecycle`,
            {
                bucket: `${name}-id`,
                rules: [
                    {
                        id: "noncurrent",
                        status: "Enabled",
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            deps,
        ),
        ...(accessLogs
            ? [
                  res(
                      "aws:s3/bucketLogging:BucketLogging",
                      `${name}-access-logs`,
                      { bucket: `${name}-id`, targetBucket: LOG_BUCKET, targetPrefix: `s3/${name}/` },
                      deps,
                  ),
              ]
            : []),
    ];
}

/** The statement that lets S3 server access logging write under `s3/` of a log bucket of this account. */
export function s3AccessLogDelivery(bucketName: string): Record<string, unknown> {
    return {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucketName}/s3/*`,
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    };
}

/** The statement that refuses plain-HTTP requests to a resource (S3, SQS, SNS). */
export function denyInsecureTransport(action: string, resource: string | string[]): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** A bucket policy that only refuses plain HTTP (for buckets no one else is granted). */
export function tlsOnlyBucketPolicy(bucket: TestResource): TestResource {
    const arn = `arn:aws:s3:::${bucket.name}`;
    return res(
        "aws:s3/bucketPolicy:BucketPolicy",
        `${bucket.name}-policy`,
        {
            bucket: `${bucket.name}-id`,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [denyInsecureTransport("s3:*", [arn, `${arn}/*`])],
            }),
        },
        { deps: { bucket: [bucket] } },
    );
}

/** A KMS-encrypted log group with retention. */
export function logGroup(name: string, retentionInDays = 30): TestResource {
    return res("aws:cloudwatch/logGroup:LogGroup", name, { name, kmsKeyId: LOGS_KEY_ARN, retentionInDays });
}

/** A foundation-like VPC: public, private and isolated subnets, IGW, NAT, flow log, closed default SG. */
export function network(prefix: string, opts: { isolatedPublicIp?: boolean } = {}) {
    const vpc = res("aws:ec2/vpc:Vpc", `${prefix}-vpc`, {
        cidrBlock: "10.20.0.0/16",
        enableDnsHostnames: true,
        enableDnsSupport: true,
    });
    const onVpc = { deps: { vpcId: [vpc] } };
    const igw = res("aws:ec2/internetGateway:InternetGateway", `${prefix}-igw`, { vpcId: `${prefix}-vpc-id` }, onVpc);
    const subnet = (name: string, cidr: string, az: string, extra: Record<string, unknown> = {}) =>
        res(
            "aws:ec2/subnet:Subnet",
            `${prefix}-${name}`,
            { vpcId: `${prefix}-vpc-id`, cidrBlock: cidr, availabilityZone: az, ...extra },
            onVpc,
        );
    const publicA = subnet("public-a", "10.20.0.0/24", `${REGION}a`, { mapPublicIpOnLaunch: false });
    const privateA = subnet("private-a", "10.20.10.0/24", `${REGION}a`);
    const isolatedA = subnet(
        "isolated-a",
        "10.20.20.0/24",
        `${REGION}a`,
        opts.isolatedPublicIp ? { mapPublicIpOnLaunch: true } : {},
    );
    const isolatedB = subnet("isolated-b", "10.20.21.0/24", `${REGION}b`);
    const eip = res("aws:ec2/eip:Eip", `${prefix}-nat-eip`, { domain: "vpc" });
    const nat = res(
        "aws:ec2/natGateway:NatGateway",
        `${prefix}-nat`,
        { subnetId: `${prefix}-public-a-id`, allocationId: `${prefix}-nat-eip-id` },
        { deps: { subnetId: [publicA], allocationId: [eip] } },
    );
    const table = (name: string) =>
        res("aws:ec2/routeTable:RouteTable", `${prefix}-${name}-rt`, { vpcId: `${prefix}-vpc-id` }, onVpc);
    const publicRt = table("public");
    const privateRt = table("private");
    const isolatedRt = table("isolated");
    const assoc = (s: TestResource, t: TestResource) =>
        res(
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            `${s.name}-assoc`,
            { subnetId: `${s.name}-id`, routeTableId: `${t.name}-id` },
            { deps: { subnetId: [s], routeTableId: [t] } },
        );
    const flowLogGroup = logGroup(`/platform/${prefix}/vpc-flow-logs`, 30);
    const resources = [
        vpc,
        igw,
        publicA,
        privateA,
        isolatedA,
        isolatedB,
        eip,
        nat,
        publicRt,
        privateRt,
        isolatedRt,
        res(
            "aws:ec2/route:Route",
            `${prefix}-public-default`,
            {
                routeTableId: `${prefix}-public-rt-id`,
                destinationCidrBlock: "0.0.0.0/0",
                gatewayId: `${prefix}-igw-id`,
            },
            { deps: { routeTableId: [publicRt], gatewayId: [igw] } },
        ),
        res(
            "aws:ec2/route:Route",
            `${prefix}-private-default`,
            {
                routeTableId: `${prefix}-private-rt-id`,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: `${prefix}-nat-id`,
            },
            { deps: { routeTableId: [privateRt], natGatewayId: [nat] } },
        ),
        assoc(publicA, publicRt),
        assoc(privateA, privateRt),
        assoc(isolatedA, isolatedRt),
        assoc(isolatedB, isolatedRt),
        res(
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            `${prefix}-default-sg`,
            { vpcId: `${prefix}-vpc-id` },
            { ...onVpc, outputs: { vpcId: `${prefix}-vpc-id`, ingress: [], egress: [] } },
        ),
        flowLogGroup,
        res(
            "aws:ec2/flowLog:FlowLog",
            `${prefix}-flow-log`,
            {
                vpcId: `${prefix}-vpc-id`,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: LOG_GROUP_ARN(flowLogGroup.name),
            },
            { deps: { vpcId: [vpc], logDestination: [flowLogGroup] } },
        ),
    ];
    return { vpc, igw, publicA, privateA, isolatedA, isolatedB, resources };
}

/**
 * A compliant PostgreSQL 16 instance (encrypted, private, backups, deletion protection, managed password,
 * postgresql and upgrade logs exported).
 */
export function postgres(name: string, extra: Record<string, unknown> = {}): TestResource {
    return res("aws:rds/instance:Instance", name, {
        engine: "postgres",
        engineVersion: "16.4",
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        instanceClass: "db.t4g.medium",
        allocatedStorage: 20,
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        publiclyAccessible: false,
        multiAz: true,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: KEY_ARN,
        username: "ticketing",
        iamDatabaseAuthenticationEnabled: true,
        performanceInsightsEnabled: true,
        ...extra,
    });
}

/** A compliant Redis replication group (at rest + in transit + AUTH, in its own subnet group). */
export function redis(name: string, extra: Record<string, unknown> = {}): TestResource {
    return res("aws:elasticache/replicationGroup:ReplicationGroup", name, {
        description: "product cache",
        engine: "redis",
        nodeType: "cache.t4g.small",
        numCacheClusters: 2,
        atRestEncryptionEnabled: true,
        kmsKeyId: KEY_ARN,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: secret("not-read-by-policies"),
        automaticFailoverEnabled: true,
        snapshotRetentionLimit: 7,
        subnetGroupName: `${name}-subnets`,
        ...extra,
    });
}

/** Container definitions JSON with awslogs for every container. */
export function containers(names: string[], withLogs = true): string {
    return JSON.stringify(
        names.map((n) => ({
            name: n,
            image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${n}:1.4.2`,
            essential: n !== "xray-daemon",
            readonlyRootFilesystem: true,
            ...(withLogs || n !== "xray-daemon"
                ? {
                      logConfiguration: {
                          logDriver: "awslogs",
                          options: {
                              "awslogs-group": `/platform/dev/${n}`,
                              "awslogs-region": REGION,
                              "awslogs-stream-prefix": n,
                          },
                      },
                  }
                : {}),
        })),
    );
}

/** A rotation of `secret` every 30 days by a rotation function (for secrets the corpus calls compliant). */
export function secretRotation(secret: TestResource): TestResource {
    return res(
        "aws:secretsmanager/secretRotation:SecretRotation",
        `${secret.name}-rotation`,
        {
            secretId: `arn:aws:test:::${secret.name}`,
            rotationLambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${secret.name}-rotation`,
            rotationRules: { automaticallyAfterDays: 30 },
        },
        { deps: { secretId: [secret] } },
    );
}
