/**
 * IAM policy documents of the CI roles, as pure functions of plain values (tests call them directly).
 *
 * Preview roles (pull requests) get what `pulumi preview` needs: read their stack's state file, decrypt
 * with the state key through S3 and with their environment's secrets-provider key, and the few reads the
 * program's invokes make. Deploy roles (one GitHub environment each) get their stack's state paths
 * read/write, the secrets key, and the platform-deploy policies below.
 *
 * The platform-deploy policies must let `pulumi up` create everything ARCHITECTURES.md lists (VPC,
 * ECS, EKS, Lambda, RDS, ElastiCache, DynamoDB, S3, CloudFront, WAF, API Gateway, Cognito, …), so they
 * are broad by nature. What is scoped, and how:
 * - actions: listed per service, verb by verb (`ec2:Create*`, never `ec2:*` or `*`);
 * - regions: every Allow carries `aws:RequestedRegion` in `deployRegions`;
 * - resources: the account's ARNs of each resource type the platform uses (`…:ec2:*:<account>:vpc/*`), and
 *   where the name is in the ARN, the platform's name prefixes (`role/ticketing-*`, `table/coffee-shop-*`,
 *   `log-group:/platform/*`), so the roles cannot touch what the platform did not create by name;
 * - IAM: roles and policies only under the platform's prefixes, `iam:PassRole` only to the services the
 *   platform uses, AWS administrator policies denied, the CI roles, the state bucket and the bootstrap
 *   keys denied.
 * What is not scoped, and why: actions AWS authorizes only on `"*"` (`kms:CreateKey`,
 * `cognito-idp:CreateUserPool`, `route53:CreateHostedZone`, … in {@link STAR_ONLY_WRITES}, each with
 * its reason); EC2 resources are named by id, so any VPC/subnet/security group of the account in the
 * deploy regions is reachable; a deploy role can create a workload role under a platform prefix and pass
 * it to a service, so without a permissions boundary on the platform's roles it can grant a workload
 * more than it has itself. Put each environment in its own AWS account for hard isolation.
 *
 * Pulumi state layout in the bucket (DIY backend, project-scoped since CLI 3.61,
 * https://github.com/pulumi/pulumi/blob/master/pkg/backend/diy/store.go): `.pulumi/meta.yaml`,
 * `.pulumi/stacks/<project>/<stack>.json[.gz|.zst][.bak]`, `.pulumi/history/<project>/<stack>/`,
 * `.pulumi/backups/<project>/<stack>/`, `.pulumi/journal/<project>/<stack>/`,
 * `.pulumi/locks/organization/<project>/<stack>/`. `pulumi preview` takes no lock on this backend.
 *
 * Action and resource names:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

import { workloadBoundaryArn } from "../infra/security/permissions-boundary";

/** An IAM policy statement. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[] | string;
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/** The plain values the documents are built from. */
export interface AccountFacts {
    partition: string;
    accountId: string;
    /** Regions deploy roles may act in (`aws:RequestedRegion`). */
    regions: readonly string[];
    /** Platform name prefixes (`platform`, `foundation`, `ticketing`, …). */
    namePrefixes: readonly string[];
}

export interface StateAccess {
    bucketArn: string;
    /** Region of the bucket (for `kms:ViaService`). */
    bucketRegion: string;
    stateKeyArn: string;
    secretsKeyArn: string;
    /** Pulumi project and stack whose state the role uses. */
    project: string;
    stack: string;
}

const doc = (Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Object keys of one stack's state in the DIY backend layout. */
export function stateObjectPaths(project: string, stack: string): { read: string[]; write: string[] } {
    const stackFile = `.pulumi/stacks/${project}/${stack}.json*`;
    return {
        read: [".pulumi/meta.yaml", stackFile],
        write: [
            stackFile,
            `.pulumi/history/${project}/${stack}/*`,
            `.pulumi/backups/${project}/${stack}/*`,
            `.pulumi/journal/${project}/${stack}/*`,
            `.pulumi/locks/organization/${project}/${stack}/*`,
        ],
    };
}

function stateStatements(s: StateAccess, write: boolean): Statement[] {
    const paths = stateObjectPaths(s.project, s.stack);
    const objects = (keys: string[]) => keys.map((k) => `${s.bucketArn}/${k}`);
    const statements: Statement[] = [
        {
            Sid: "ListStateKeys",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [s.bucketArn],
            Condition: { StringLike: { "s3:prefix": [".pulumi/", ".pulumi/*"] } },
        },
        { Sid: "ReadStackState", Effect: "Allow", Action: ["s3:GetObject"], Resource: objects(paths.read) },
    ];
    if (write) {
        statements.push({
            Sid: "WriteStackState",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: objects(paths.write),
        });
    }
    statements.push(
        {
            Sid: "StateKeyThroughS3",
            Effect: "Allow",
            Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Resource: [s.stateKeyArn],
            Condition: { StringEquals: { "kms:ViaService": `s3.${s.bucketRegion}.amazonaws.com` } },
        },
        // The awskms secrets provider decrypts the stack's data key once per run (kms:Decrypt).
        { Sid: "DecryptStackSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [s.secretsKeyArn] },
    );
    return statements;
}

/** Inline policy of a preview role: read the stack's state, decrypt. */
export function previewStatePolicy(s: StateAccess): PolicyDocument {
    return doc(stateStatements(s, false));
}

/** Inline policy of a deploy role: read and write the stack's state, decrypt. */
export function deployStatePolicy(s: StateAccess): PolicyDocument {
    return doc(stateStatements(s, true));
}

/**
 * Reads a `pulumi preview --refresh` of the platform makes against AWS besides state: the invokes
 * (`aws.getAvailabilityZones`, `aws.ec2.getManagedPrefixList`, the EKS AMI and add-on lookups), the ECR
 * login of image builds, and the refresh of every resource (Describe/List/Get of its service). Nothing
 * that writes: test/bootstrap/iam-simulation.spec.ts simulates every read the provider makes for the
 * plans' resources against this policy, and every write, which must be denied.
 * Data reads (secret values, parameters, objects) are scoped to the platform's names like the deploy
 * policies; the prod preview role is assumed only from a reviewer-protected GitHub environment.
 */
export function previewReadsPolicy(a: AccountFacts): PolicyDocument {
    const names = (service: string, fmt: (p: string) => string) => prefixed(a, (p) => arns(a, service, [fmt(p)])[0]);
    return doc([
        allow(a, {
            sid: "RefreshReads",
            actions: [...READS, ...PREVIEW_READS, "ecr:GetAuthorizationToken", "ec2:GetManagedPrefixListEntries"],
            resources: ["*"],
        }),
        allow(a, {
            sid: "PublicAwsParameters",
            actions: ["ssm:GetParameter", "ssm:GetParameters"],
            resources: [`arn:${a.partition}:ssm:*::parameter/aws/service/*`],
        }),
        allow(a, {
            sid: "RefreshReadsOfTheAccount",
            actions: [
                "lambda:GetFunction",
                "s3:GetBucket*",
                "secretsmanager:DescribeSecret",
                "servicediscovery:Get*",
                "cloudfront:Get*",
                "wafv2:Get*",
                "logs:Get*",
            ],
            resources: [
                ...arns(a, "lambda", ["function:*"]),
                ...prefixed(a, (p) => `arn:${a.partition}:s3:::${p}-*`),
                ...arns(a, "secretsmanager", ["secret:*"]),
                ...arns(a, "servicediscovery", ["namespace/*", "service/*"]),
                ...["distribution/*", "origin-access-control/*", "public-key/*", "key-group/*"].map(
                    (r) => `arn:${a.partition}:cloudfront::${a.accountId}:${r}`,
                ),
                ...arns(a, "wafv2", [
                    "regional/webacl/*",
                    "global/webacl/*",
                    "regional/managedruleset/*",
                    "global/managedruleset/*",
                ]),
                ...wafProtectedResources(a),
                ...arns(a, "logs", ["log-group:*", "delivery-source:*", "delivery-destination:*", "delivery:*"]),
            ],
        }),
        allow(a, {
            sid: "PlatformData",
            actions: ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "s3:GetObject"],
            resources: [
                ...names("secretsmanager", (p) => `secret:${p}-*`),
                ...arns(a, "secretsmanager", ["secret:rds!*"]),
                ...arns(a, "ssm", ["parameter/platform/*"]),
                ...prefixed(a, (p) => `arn:${a.partition}:s3:::${p}-*/*`),
            ],
        }),
        allow(a, {
            sid: "DecryptPlatformDataThroughServices",
            actions: ["kms:Decrypt"],
            resources: arns(a, "kms", ["key/*"]),
            condition: {
                StringLike: { "kms:ViaService": ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] },
            },
        }),
    ]);
}

/**
 * Read actions of a refresh that {@link READS} (Describe/List) does not cover: the services whose reads
 * are Get*, each the provider's read of a resource type the platform uses (test/support/provider-actions.ts).
 */
const PREVIEW_READS = [
    "ec2:GetManagedPrefixListEntries",
    "ecs:DescribeTaskDefinition",
    "ecr:GetLifecyclePolicy",
    "lambda:GetFunctionCodeSigningConfig",
    "lambda:GetFunctionConcurrency",
    "lambda:GetRuntimeManagementConfig",
    "lambda:GetPolicy",
    "rds:DescribeDBParameters",
    "s3:GetAccelerateConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetObjectTagging",
    "s3:ListBucket",
    "secretsmanager:GetResourcePolicy",
    "ssm:ListTagsForResource",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sns:GetTopicAttributes",
    "sns:GetSubscriptionAttributes",
    "cognito-idp:GetUserPoolMfaConfig",
    "cloudwatch:GetDashboard",
    "apigateway:GET",
    "logs:ListTagsForResource",
    "route53:GetHostedZone",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetOpenIDConnectProvider",
];

/**
 * Write actions that AWS authorizes only on `Resource: "*"` (no resource type in the Service
 * Authorization Reference, or the resource does not exist before the call), each with the reason.
 * The bootstrap's policy config (bootstrap/policy-config.json) lists the same actions for
 * `iam-no-wildcard-resource-writes`.
 */
export const STAR_ONLY_WRITES: ReadonlyMap<string, string> = new Map([
    ["kms:CreateKey", "KMS CreateKey has no resource type: the key does not exist before the call"],
    [
        "cognito-idp:CreateUserPool",
        "Cognito CreateUserPool has no resource type: the pool does not exist before the call",
    ],
    [
        "route53:CreateHostedZone",
        "Route 53 CreateHostedZone has no resource type (Cloud Map private DNS namespaces create one)",
    ],
    ["servicediscovery:CreatePrivateDnsNamespace", "Cloud Map CreatePrivateDnsNamespace has no resource type"],
    ["servicediscovery:CreateHttpNamespace", "Cloud Map CreateHttpNamespace has no resource type"],
    ["acm:RequestCertificate", "ACM RequestCertificate: the certificate does not exist before the call"],
    ["acm:ImportCertificate", "ACM ImportCertificate of a new certificate: no ARN before the call"],
    [
        "ecs:RegisterTaskDefinition",
        "ECS RegisterTaskDefinition is authorized on * (task definition revisions do not exist before the call)",
    ],
    ["ecs:DeregisterTaskDefinition", "ECS DeregisterTaskDefinition is authorized on *"],
    ["eks:CreateCluster", "EKS CreateCluster has no resource type: the cluster does not exist before the call"],
    ["cloudfront:CreateDistribution", "CloudFront CreateDistribution has no resource type"],
    ["cloudfront:CreateOriginAccessControl", "CloudFront origin access controls have no resource type"],
    ["cloudfront:CreatePublicKey", "CloudFront public keys have no resource type"],
    ["cloudfront:UpdatePublicKey", "CloudFront public keys have no resource type"],
    ["cloudfront:DeletePublicKey", "CloudFront public keys have no resource type"],
    ["cloudfront:CreateKeyGroup", "CloudFront key groups have no resource type"],
    ["cloudfront:UpdateKeyGroup", "CloudFront key groups have no resource type"],
    ["cloudfront:DeleteKeyGroup", "CloudFront key groups have no resource type"],
    ["servicediscovery:TagResource", "Cloud Map TagResource has no resource type"],
    ["servicediscovery:UntagResource", "Cloud Map UntagResource has no resource type"],
    [
        "lambda:CreateEventSourceMapping",
        "Lambda CreateEventSourceMapping is authorized on * (scoped by the lambda:FunctionArn condition)",
    ],
]);

interface Grant {
    sid: string;
    actions: string[];
    /** Resources: `${arn}` strings, or `[service, region?, resourcePart]` turned into account-scoped ARNs. */
    resources: string[];
    condition?: Statement["Condition"];
}

function allow(a: AccountFacts, g: Grant): Statement {
    return {
        Sid: g.sid,
        Effect: "Allow",
        Action: g.actions,
        Resource: g.resources,
        Condition: {
            ...(g.condition ?? {}),
            StringEquals: { ...(g.condition?.StringEquals ?? {}), "aws:RequestedRegion": [...a.regions] },
        },
    };
}

/** `arn:<partition>:<service>:*:<account>:<resource>` for each resource part. */
function arns(
    a: AccountFacts,
    service: string,
    parts: string[],
    opts: { region?: string; account?: string } = {},
): string[] {
    return parts.map((p) => `arn:${a.partition}:${service}:${opts.region ?? "*"}:${opts.account ?? a.accountId}:${p}`);
}

/** `<fmt(prefix)>` for each platform name prefix. */
function prefixed<T>(a: AccountFacts, fmt: (prefix: string) => T): T[] {
    return a.namePrefixes.map(fmt);
}

/** Describe/List on everything (read-only, no data): what the provider reads while planning and refreshing. */
const READS = [
    "ec2:Describe*",
    // aws.ec2.getManagedPrefixList reads the entries of an AWS-managed list (owner "aws", not the account).
    "ec2:GetManagedPrefixListEntries",
    "ecs:Describe*",
    "ecs:List*",
    "ecr:Describe*",
    "ecr:List*",
    "eks:Describe*",
    "eks:List*",
    "elasticloadbalancing:Describe*",
    "lambda:List*",
    "servicediscovery:List*",
    "servicediscovery:GetOperation",
    "application-autoscaling:Describe*",
    "application-autoscaling:ListTagsForResource",
    "rds:Describe*",
    "rds:List*",
    "elasticache:Describe*",
    "elasticache:List*",
    "dynamodb:Describe*",
    "dynamodb:List*",
    "s3:ListAllMyBuckets",
    "secretsmanager:List*",
    "ssm:Describe*",
    "kms:List*",
    "kms:Describe*",
    "sqs:List*",
    "sns:List*",
    "events:Describe*",
    "events:List*",
    "scheduler:List*",
    "states:List*",
    "states:Describe*",
    "cognito-idp:Describe*",
    "cognito-idp:List*",
    "logs:Describe*",
    "cloudwatch:Describe*",
    "cloudwatch:List*",
    "xray:List*",
    "wafv2:List*",
    "wafv2:Describe*",
    "cloudfront:List*",
    // Public keys and key groups have no resource type: their reads are authorized on "*".
    "cloudfront:GetPublicKey",
    "cloudfront:GetKeyGroup",
    "acm:List*",
    "acm:Describe*",
    "route53:List*",
    "iam:List*",
];

/**
 * Network: the VPC, subnets, routes, gateways, endpoints, security groups, flow logs; Cloud Map and its private DNS;
 * the reads and the "*"-only writes of every service.
 */
export function deployNetworkPolicy(a: AccountFacts): PolicyDocument {
    const types = [
        "vpc",
        "subnet",
        "security-group",
        "security-group-rule",
        "route-table",
        "internet-gateway",
        "egress-only-internet-gateway",
        "natgateway",
        "elastic-ip",
        "vpc-endpoint",
        "vpc-flow-log",
        "network-acl",
        "network-interface",
        "prefix-list",
        // REST API VPC links create an endpoint service for the NLB on the caller's behalf:
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/grant-permissions-to-create-vpclink.html
        "vpc-endpoint-service",
        "launch-template",
        "dhcp-options",
    ];
    return doc([
        allow(a, { sid: "ReadEverything", actions: READS, resources: ["*"] }),
        allow(a, {
            sid: "Ec2Network",
            actions: [
                "ec2:Create*",
                "ec2:Delete*",
                "ec2:Modify*",
                "ec2:Associate*",
                "ec2:Disassociate*",
                "ec2:Attach*",
                "ec2:Detach*",
                "ec2:Allocate*",
                "ec2:Release*",
                "ec2:Authorize*",
                "ec2:Revoke*",
                "ec2:Replace*",
                "ec2:Update*",
            ],
            resources: arns(
                a,
                "ec2",
                types.map((t) => `${t}/*`),
            ),
        }),
        allow(a, { sid: "StarOnlyWrites", actions: [...STAR_ONLY_WRITES.keys()], resources: ["*"] }),
        allow(a, {
            sid: "CloudMap",
            actions: [
                "servicediscovery:CreateService",
                "servicediscovery:DeleteService",
                "servicediscovery:UpdateService",
                "servicediscovery:UpdatePrivateDnsNamespace",
                "servicediscovery:DeleteNamespace",
                "servicediscovery:Get*",
                "servicediscovery:TagResource",
                "servicediscovery:UntagResource",
            ],
            resources: arns(a, "servicediscovery", ["namespace/*", "service/*"]),
        }),
        allow(a, {
            sid: "PrivateDnsOfCloudMap",
            actions: [
                "route53:DeleteHostedZone",
                "route53:ChangeResourceRecordSets",
                "route53:GetHostedZone",
                "route53:ChangeTagsForResource",
                "route53:AssociateVPCWithHostedZone",
                "route53:DisassociateVPCFromHostedZone",
                "route53:GetChange",
            ],
            resources: [`arn:${a.partition}:route53:::hostedzone/*`, `arn:${a.partition}:route53:::change/*`],
        }),
    ]);
}

/** Compute: ECS, ECR, Lambda, EKS, load balancers, Application Auto Scaling. */
export function deployComputePolicy(a: AccountFacts): PolicyDocument {
    return doc([
        allow(a, { sid: "RegistryLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }),
        allow(a, {
            sid: "Ecs",
            actions: ["ecs:Create*", "ecs:Delete*", "ecs:Update*", "ecs:Put*", "ecs:TagResource", "ecs:UntagResource"],
            resources: arns(a, "ecs", [
                "cluster/*",
                "service/*",
                "task-definition/*",
                "capacity-provider/*",
                "task-set/*",
            ]),
        }),
        allow(a, {
            sid: "Ecr",
            actions: [
                "ecr:CreateRepository",
                "ecr:DeleteRepository",
                "ecr:Put*",
                "ecr:SetRepositoryPolicy",
                "ecr:DeleteRepositoryPolicy",
                "ecr:DeleteLifecyclePolicy",
                "ecr:Get*",
                "ecr:BatchGetImage",
                "ecr:BatchCheckLayerAvailability",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
                "ecr:TagResource",
                "ecr:UntagResource",
            ],
            resources: prefixed(a, (p) => arns(a, "ecr", [`repository/${p}-*`])[0]),
        }),
        allow(a, {
            sid: "Lambda",
            actions: [
                "lambda:CreateFunction",
                "lambda:DeleteFunction",
                "lambda:Update*",
                "lambda:Get*",
                "lambda:PublishVersion",
                "lambda:CreateAlias",
                "lambda:DeleteAlias",
                "lambda:AddPermission",
                "lambda:RemovePermission",
                "lambda:Put*",
                "lambda:Delete*",
                "lambda:TagResource",
                "lambda:UntagResource",
            ],
            resources: [
                ...prefixed(a, (p) => arns(a, "lambda", [`function:${p}-*`])[0]),
                ...arns(a, "lambda", ["event-source-mapping:*"]),
            ],
        }),
        allow(a, {
            sid: "Eks",
            actions: [
                "eks:Create*",
                "eks:Delete*",
                "eks:Update*",
                "eks:Associate*",
                "eks:Disassociate*",
                "eks:TagResource",
                "eks:UntagResource",
            ],
            resources: prefixed(a, (p) => [
                `cluster/${p}-*`,
                `nodegroup/${p}-*/*/*`,
                `addon/${p}-*/*/*`,
                `access-entry/${p}-*/*`,
            ]).flatMap((parts) => arns(a, "eks", parts)),
        }),
        allow(a, {
            sid: "LoadBalancers",
            actions: [
                "elasticloadbalancing:Create*",
                "elasticloadbalancing:Delete*",
                "elasticloadbalancing:Modify*",
                "elasticloadbalancing:Add*",
                "elasticloadbalancing:Remove*",
                "elasticloadbalancing:Set*",
                "elasticloadbalancing:Register*",
                "elasticloadbalancing:Deregister*",
            ],
            resources: arns(a, "elasticloadbalancing", [
                "loadbalancer/*",
                "targetgroup/*",
                "listener/*",
                "listener-rule/*",
                "truststore/*",
            ]),
        }),
        allow(a, {
            sid: "AutoScaling",
            actions: [
                "application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:TagResource",
                "application-autoscaling:UntagResource",
            ],
            resources: arns(a, "application-autoscaling", ["scalable-target/*"]),
        }),
    ]);
}

/** Data: RDS, ElastiCache, DynamoDB, S3. */
export function deployDataPolicy(a: AccountFacts): PolicyDocument {
    return doc([
        allow(a, {
            sid: "Rds",
            actions: [
                "rds:Create*",
                "rds:Delete*",
                "rds:Modify*",
                "rds:AddTagsToResource",
                "rds:RemoveTagsFromResource",
                "rds:RebootDBInstance",
                "rds:ResetDBParameterGroup",
            ],
            resources: [
                ...prefixed(a, (p) => [
                    `db:${p}-*`,
                    `cluster:${p}-*`,
                    `subgrp:${p}-*`,
                    `pg:${p}-*`,
                    `cluster-pg:${p}-*`,
                ]).flatMap((parts) => arns(a, "rds", parts)),
                ...arns(a, "rds", ["snapshot:*", "cluster-snapshot:*", "og:*"]),
            ],
        }),
        allow(a, {
            sid: "ElastiCache",
            actions: [
                "elasticache:Create*",
                "elasticache:Delete*",
                "elasticache:Modify*",
                "elasticache:AddTagsToResource",
                "elasticache:RemoveTagsFromResource",
                "elasticache:IncreaseReplicaCount",
                "elasticache:DecreaseReplicaCount",
            ],
            resources: [
                ...prefixed(a, (p) => [
                    `replicationgroup:${p}-*`,
                    `cluster:${p}-*`,
                    `subnetgroup:${p}-*`,
                    `parametergroup:${p}-*`,
                ]).flatMap((parts) => arns(a, "elasticache", parts)),
                ...arns(a, "elasticache", ["user:*", "usergroup:*"]),
            ],
        }),
        allow(a, {
            sid: "DynamoDb",
            actions: [
                "dynamodb:CreateTable",
                "dynamodb:DeleteTable",
                "dynamodb:UpdateTable",
                "dynamodb:UpdateContinuousBackups",
                "dynamodb:UpdateTimeToLive",
                "dynamodb:TagResource",
                "dynamodb:UntagResource",
            ],
            resources: prefixed(a, (p) => arns(a, "dynamodb", [`table/${p}-*`])[0]),
        }),
        allow(a, {
            sid: "S3",
            actions: [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:DeleteBucketOwnershipControls",
                "s3:Put*",
                "s3:Get*",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:DeleteObject",
                "s3:DeleteObjectVersion",
            ],
            resources: prefixed(a, (p) => [`arn:${a.partition}:s3:::${p}-*`]).flat(),
        }),
    ]);
}

/** Secrets and keys: Secrets Manager, SSM parameters, KMS keys and aliases; the services' service-linked roles. */
export function deploySecretsPolicy(a: AccountFacts): PolicyDocument {
    return doc([
        // Here rather than with the data policy, which is near the 6,144-character quota.
        // The job that creates database users at deploy time (aws.lambda.Invocation of the db-users function,
        // infra/data/database-users.ts): lambda:InvokeFunction on those functions only, never the workloads'.
        allow(a, {
            sid: "DatabaseUsersJob",
            actions: ["lambda:InvokeFunction"],
            resources: prefixed(a, (p) => arns(a, "lambda", [`function:${p}-*-db-users`])[0]),
        }),
        allow(a, {
            sid: "ServiceLinkedRoles",
            actions: ["iam:CreateServiceLinkedRole"],
            resources: [`arn:${a.partition}:iam::${a.accountId}:role/aws-service-role/*`],
            condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
        }),
        allow(a, {
            sid: "Secrets",
            actions: [
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:UpdateSecret",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
                "secretsmanager:*ResourcePolicy",
                "secretsmanager:TagResource",
                "secretsmanager:UntagResource",
            ],
            resources: [
                ...prefixed(a, (p) => arns(a, "secretsmanager", [`secret:${p}-*`])[0]),
                ...arns(a, "secretsmanager", ["secret:rds!*"]),
            ],
        }),
        allow(a, {
            sid: "Parameters",
            actions: [
                "ssm:PutParameter",
                "ssm:DeleteParameter",
                "ssm:GetParameter*",
                "ssm:AddTagsToResource",
                "ssm:RemoveTagsFromResource",
                "ssm:ListTagsForResource",
            ],
            resources: [
                ...arns(a, "ssm", ["parameter/platform/*"]),
                `arn:${a.partition}:ssm:*::parameter/aws/service/*`,
            ],
        }),
        allow(a, {
            sid: "Keys",
            actions: [
                "kms:Get*",
                "kms:PutKeyPolicy",
                "kms:EnableKeyRotation",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:UpdateKeyDescription",
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
            ],
            resources: arns(a, "kms", ["key/*"]),
        }),
        allow(a, {
            sid: "KeyAliases",
            actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            resources: [...arns(a, "kms", ["key/*"]), ...prefixed(a, (p) => arns(a, "kms", [`alias/${p}-*`])[0])],
        }),
        allow(a, {
            sid: "KeyGrantsForServices",
            actions: ["kms:CreateGrant"],
            resources: arns(a, "kms", ["key/*"]),
            condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        }),
    ]);
}

/** Integration: SQS, SNS, EventBridge, Scheduler, Step Functions, Cognito, logs, alarms, dashboards, X-Ray. */
export function deployIntegrationPolicy(a: AccountFacts): PolicyDocument {
    const names = (service: string, fmt: (p: string) => string) => prefixed(a, (p) => arns(a, service, [fmt(p)])[0]);
    return doc([
        allow(a, {
            sid: "Sqs",
            actions: [
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:SetQueueAttributes",
                "sqs:GetQueue*",
                "sqs:TagQueue",
                "sqs:UntagQueue",
                "sqs:ListQueueTags",
            ],
            resources: names("sqs", (p) => `${p}-*`),
        }),
        allow(a, {
            sid: "Sns",
            actions: [
                "sns:CreateTopic",
                "sns:DeleteTopic",
                "sns:SetTopicAttributes",
                "sns:GetTopicAttributes",
                "sns:Subscribe",
                "sns:Unsubscribe",
                "sns:*SubscriptionAttributes",
                "sns:TagResource",
                "sns:UntagResource",
            ],
            resources: names("sns", (p) => `${p}-*`),
        }),
        allow(a, {
            sid: "Events",
            actions: [
                "events:PutRule",
                "events:DeleteRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "events:CreateEventBus",
                "events:DeleteEventBus",
                "events:PutPermission",
                "events:RemovePermission",
                "events:TagResource",
                "events:UntagResource",
                "events:UpdateEventBus",
                "events:EnableRule",
                "events:DisableRule",
                "events:CreateArchive",
                "events:UpdateArchive",
                "events:DeleteArchive",
                "scheduler:Create*",
                "scheduler:Delete*",
                "scheduler:Update*",
                "scheduler:Get*",
                "scheduler:TagResource",
                "scheduler:UntagResource",
            ],
            resources: [
                ...arns(a, "events", ["rule/*", "event-bus/*", "archive/*"]),
                ...arns(a, "scheduler", ["schedule/*", "schedule-group/*"]),
            ],
        }),
        allow(a, {
            sid: "StepFunctions",
            actions: [
                "states:CreateStateMachine",
                "states:DeleteStateMachine",
                "states:UpdateStateMachine",
                "states:TagResource",
                "states:UntagResource",
            ],
            resources: names("states", (p) => `stateMachine:${p}-*`),
        }),
        allow(a, {
            sid: "Cognito",
            actions: [
                "cognito-idp:Delete*",
                "cognito-idp:Update*",
                "cognito-idp:Create*",
                "cognito-idp:Set*",
                "cognito-idp:Get*",
                "cognito-idp:AddCustomAttributes",
                "cognito-idp:TagResource",
                "cognito-idp:UntagResource",
            ],
            resources: arns(a, "cognito-idp", ["userpool/*"]),
        }),
        allow(a, {
            sid: "Logs",
            actions: [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:AssociateKmsKey",
                "logs:DisassociateKmsKey",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:ListTagsForResource",
                "logs:*SubscriptionFilter",
                // CloudFront standard logging v2: delivery source, destination and delivery.
                // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
                "logs:PutDeliverySource",
                "logs:GetDeliverySource",
                "logs:DeleteDeliverySource",
                "logs:PutDeliveryDestination",
                "logs:GetDeliveryDestination",
                "logs:DeleteDeliveryDestination",
                "logs:CreateDelivery",
                "logs:GetDelivery",
                "logs:DeleteDelivery",
                "logs:UpdateDeliveryConfiguration",
            ],
            resources: arns(a, "logs", [
                "delivery-source:*",
                "delivery-destination:*",
                "delivery:*",
                "log-group:/platform/*",
                "log-group:/aws/*",
                "log-group:aws-waf-logs-*",
                // REST API execution logs: the name is fixed by API Gateway.
                // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
                "log-group:API-Gateway-Execution-Logs_*",
            ]),
        }),
        // Vended log delivery (WAF, Step Functions, API Gateway v2 logging) is authorized only on "*".
        allow(a, {
            sid: "LogDelivery",
            actions: [
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
            ],
            resources: ["*"],
        }),
        allow(a, {
            sid: "Alarms",
            actions: [
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:PutDashboard",
                "cloudwatch:DeleteDashboards",
                "cloudwatch:GetDashboard",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
                "xray:Create*",
                "xray:Delete*",
                "xray:Update*",
                "xray:Get*",
                "xray:TagResource",
                "xray:UntagResource",
            ],
            resources: [
                ...arns(a, "cloudwatch", ["alarm:*"]),
                `arn:${a.partition}:cloudwatch::${a.accountId}:dashboard/*`,
                ...arns(a, "xray", ["group/*", "sampling-rule/*"]),
            ],
        }),
    ]);
}

/**
 * Resources the platform associates web ACLs with: REST API stages and application load balancers
 * (`wafv2:AssociateWebACL` and `GetWebACLForResource` are authorized on them too:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html).
 */
function wafProtectedResources(a: AccountFacts): string[] {
    return [
        `arn:${a.partition}:apigateway:*::/restapis/*/stages/*`,
        ...arns(a, "elasticloadbalancing", ["loadbalancer/app/*"]),
    ];
}

/** Edge: API Gateway, CloudFront, WAF, ACM. */
export function deployEdgePolicy(a: AccountFacts): PolicyDocument {
    return doc([
        allow(a, {
            sid: "ApiGateway",
            actions: [
                "apigateway:GET",
                "apigateway:POST",
                "apigateway:PUT",
                "apigateway:PATCH",
                "apigateway:DELETE",
                "apigateway:SetWebACL",
            ],
            resources: [
                "/restapis",
                "/restapis/*",
                "/apis",
                "/apis/*",
                "/vpclinks",
                "/vpclinks/*",
                "/tags/*",
                "/account",
                "/domainnames",
                "/domainnames/*",
                "/usageplans",
                "/usageplans/*",
                "/apikeys",
                "/apikeys/*",
            ].map((r) => `arn:${a.partition}:apigateway:*::${r}`),
        }),
        allow(a, {
            sid: "CloudFront",
            actions: [
                "cloudfront:Create*",
                "cloudfront:Update*",
                "cloudfront:Delete*",
                "cloudfront:Get*",
                "cloudfront:PublishFunction",
                "cloudfront:DescribeFunction",
                "cloudfront:TagResource",
                "cloudfront:UntagResource",
                // CloudFront standard logging v2 (the delivery source of a distribution).
                "cloudfront:AllowVendedLogDeliveryForResource",
            ],
            resources: [
                "distribution/*",
                "origin-access-control/*",
                "cache-policy/*",
                "origin-request-policy/*",
                "response-headers-policy/*",
                "function/*",
            ].map((r) => `arn:${a.partition}:cloudfront::${a.accountId}:${r}`),
        }),
        allow(a, {
            sid: "Waf",
            actions: [
                "wafv2:Create*",
                "wafv2:Delete*",
                "wafv2:Update*",
                "wafv2:Get*",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "wafv2:PutLoggingConfiguration",
                "wafv2:TagResource",
                "wafv2:UntagResource",
            ], // regional/… (ALB, API Gateway) and global/… (CLOUDFRONT scope, us-east-1), and the resources a
            // web ACL is associated with (AssociateWebACL is authorized on both).
            resources: [
                ...["regional", "global"].flatMap((scope) =>
                    arns(
                        a,
                        "wafv2",
                        ["webacl", "ipset", "rulegroup", "managedruleset", "regexpatternset"].map(
                            (t) => `${scope}/${t}/*`,
                        ),
                    ),
                ),
                ...wafProtectedResources(a),
            ],
        }),
        allow(a, {
            sid: "Certificates",
            actions: [
                "acm:DeleteCertificate",
                "acm:AddTagsToCertificate",
                "acm:RemoveTagsFromCertificate",
                "acm:GetCertificate",
                "acm:ImportCertificate",
                "acm:UpdateCertificateOptions",
            ],
            resources: arns(a, "acm", ["certificate/*"]),
        }),
    ]);
}

/**
 * Which platform roles may be passed to which service (`iam:PassRole` with `iam:PassedToService`), by
 * the role-name patterns the program's components give them (after the platform prefix): each role can
 * be passed only to the service its trust policy names. A role matching a specific pattern is denied to
 * every other service, so the Lambda catch-all `*-role-*` does not reach the Step Functions, EventBridge
 * or EKS roles.
 */
export const PASS_ROLE_RULES: readonly { service: string; patterns: readonly string[]; specific: boolean }[] = [
    { service: "ecs-tasks.amazonaws.com", patterns: ["*task-*", "*execution-*"], specific: true },
    { service: "states.amazonaws.com", patterns: ["*workflow-role-*"], specific: true },
    { service: "events.amazonaws.com", patterns: ["*events-*-role-*"], specific: true },
    // Cluster role (CreateCluster), node role (CreateNodegroup), add-on IRSA roles (CreateAddon):
    // https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
    {
        service: "eks.amazonaws.com",
        patterns: ["*eks-service-role-*", "*eks-node-role-*", "*eks-irsa-*"],
        specific: true,
    },
    { service: "monitoring.rds.amazonaws.com", patterns: ["*db-monitoring-*"], specific: true },
    { service: "vpc-flow-logs.amazonaws.com", patterns: ["*flow-logs-*"], specific: true },
    { service: "lambda.amazonaws.com", patterns: ["*role-*"], specific: false },
];

/**
 * The API Gateway account's CloudWatch role (infra/serverless/rest-api.ts) is shared by every REST API of
 * the account and region, so it is named after the account setting, not an architecture.
 */
export const API_GATEWAY_ACCOUNT_ROLE = "apigateway-account-cloudwatch-*";

/** AWS managed policies the platform attaches (EKS cluster, nodes, CNI, EBS CSI driver, RDS monitoring). */
export const ATTACHABLE_AWS_POLICIES = [
    "AmazonEKSClusterPolicy",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "service-role/AmazonEBSCSIDriverPolicy",
    "service-role/AmazonRDSEnhancedMonitoringRole",
];

/** Service-linked roles the platform's services create on first use (`iam:AWSServiceName`). */
export const SERVICE_LINKED_ROLES = [
    "ecs.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "rds.amazonaws.com",
    "elasticache.amazonaws.com",
    "eks.amazonaws.com",
    "eks-nodegroup.amazonaws.com",
    "autoscaling.amazonaws.com",
    "ecs.application-autoscaling.amazonaws.com",
    "dynamodb.application-autoscaling.amazonaws.com",
    "ops.apigateway.amazonaws.com",
];

/** What the IAM policy must keep out of the deploy roles' reach. */
export interface ProtectedResources {
    /** ARN pattern of the CI roles (`arn:aws:iam::<account>:role/pulumi-ci-*`). */
    ciRoleArnPattern: string;
    /** ARN pattern of the bootstrap's managed policies: deploy policies and the boundary (`…:policy/pulumi-ci-*`). */
    ciPolicyArnPattern: string;
    stateBucketArn: string;
    /** The state key and every secrets-provider key. */
    bootstrapKeyArns: string[];
}

/** ARN of the workload permissions boundary (the bootstrap creates it with this fixed name). */
export function boundaryArn(a: AccountFacts): string {
    return workloadBoundaryArn(a.partition, a.accountId);
}

/** Role patterns the deploy roles manage: `role/<prefix>-*` and the API Gateway account role. */
function platformRoles(a: AccountFacts): string[] {
    const iam = (part: string) => `arn:${a.partition}:iam::${a.accountId}:${part}`;
    return [...prefixed(a, (x) => iam(`role/${x}-*`)), iam(`role/${API_GATEWAY_ACCOUNT_ROLE}`)];
}

/**
 * IAM: the platform's roles, policies, instance profiles and EKS OIDC providers; guard rails.
 * A role may be created, given policies, changed or deleted only while it carries the workload
 * boundary (`iam:PermissionsBoundary`, the pattern of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate),
 * managed policies attached only when they are the platform's own or {@link ATTACHABLE_AWS_POLICIES};
 * the boundary, the CI roles and policies, the state bucket and the bootstrap keys are denied.
 */
export function deployIamPolicy(a: AccountFacts, p: ProtectedResources): PolicyDocument {
    const iam = (part: string) => `arn:${a.partition}:iam::${a.accountId}:${part}`;
    const withBoundary = { StringEquals: { "iam:PermissionsBoundary": boundaryArn(a) } };
    return doc([
        allow(a, {
            sid: "PlatformRolesWithBoundary",
            actions: [
                "iam:CreateRole",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:DeleteRole",
            ],
            resources: platformRoles(a),
            condition: withBoundary,
        }),
        allow(a, {
            sid: "AttachPlatformAndListedPolicies",
            actions: ["iam:AttachRolePolicy"],
            resources: platformRoles(a),
            condition: {
                ...withBoundary,
                ArnLike: {
                    "iam:PolicyARN": [
                        ...prefixed(a, (x) => iam(`policy/${x}-*`)),
                        ...ATTACHABLE_AWS_POLICIES.map((n) => `arn:${a.partition}:iam::aws:policy/${n}`),
                    ],
                },
            },
        }),
        allow(a, {
            sid: "PlatformRolesReadAndTag",
            actions: [
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:UpdateRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
            ],
            resources: platformRoles(a),
        }),
        allow(a, {
            sid: "PlatformPolicies",
            actions: [
                "iam:CreatePolicy",
                "iam:DeletePolicy",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:ListPolicyVersions",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicyVersion",
                "iam:TagPolicy",
                "iam:UntagPolicy",
            ],
            resources: prefixed(a, (x) => iam(`policy/${x}-*`)),
        }),
        allow(a, {
            sid: "InstanceProfilesAndEksOidc",
            actions: [
                "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:GetInstanceProfile",
                "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:CreateOpenIDConnectProvider",
                "iam:DeleteOpenIDConnectProvider",
                "iam:GetOpenIDConnectProvider",
                "iam:TagOpenIDConnectProvider",
                "iam:UntagOpenIDConnectProvider",
                "iam:UpdateOpenIDConnectProviderThumbprint",
            ],
            resources: [
                ...prefixed(a, (x) => iam(`instance-profile/${x}-*`)),
                iam("oidc-provider/oidc.eks.*.amazonaws.com/id/*"),
            ],
        }),
        {
            Sid: "DenyRemovingTheBoundary",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary"],
            Resource: "*",
        },
        {
            Sid: "DenyAwsAdministratorPolicies",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"],
            Resource: "*",
            Condition: {
                ArnLike: {
                    "iam:PolicyARN": [
                        `arn:${a.partition}:iam::aws:policy/AdministratorAccess*`,
                        `arn:${a.partition}:iam::aws:policy/PowerUserAccess`,
                        `arn:${a.partition}:iam::aws:policy/*FullAccess*`,
                    ],
                },
            },
        },
        {
            Sid: "DenyCiRolesAndPolicies",
            Effect: "Deny",
            Action: ["iam:*"],
            Resource: [p.ciRoleArnPattern, p.ciPolicyArnPattern],
        },
        {
            Sid: "DenyStateBucketSettings",
            Effect: "Deny",
            Action: [
                "s3:PutBucket*",
                "s3:DeleteBucket*",
                "s3:PutLifecycleConfiguration",
                "s3:PutEncryptionConfiguration",
            ],
            Resource: [p.stateBucketArn],
        },
        {
            Sid: "DenyBootstrapKeyAdministration",
            Effect: "Deny",
            Action: [
                "kms:PutKeyPolicy",
                "kms:ScheduleKeyDeletion",
                "kms:DisableKey",
                "kms:CreateGrant",
                "kms:UpdateAlias",
                "kms:DeleteAlias",
                "kms:CreateAlias",
                "kms:DisableKeyRotation",
                "kms:EnableKeyRotation",
                "kms:UpdateKeyDescription",
                "kms:TagResource",
                "kms:UntagResource",
            ],
            Resource: p.bootstrapKeyArns,
        },
    ]);
}

/** `ecs-tasks.amazonaws.com` -> `EcsTasks` (statement ids allow only letters and digits). */
function serviceSid(service: string): string {
    return service
        .replace(/\.amazonaws\.com$/, "")
        .split(/[-.]/)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
}

/** `iam:PassRole`: each platform role only to the service it is made for ({@link PASS_ROLE_RULES}). */
export function deployPassRolePolicy(a: AccountFacts): PolicyDocument {
    const role = (pattern: string) => `arn:${a.partition}:iam::${a.accountId}:role/${pattern}`;
    return doc([
        ...PASS_ROLE_RULES.map((rule) =>
            allow(a, {
                sid: `PassTo${serviceSid(rule.service)}`,
                actions: ["iam:PassRole"],
                resources: rule.patterns.flatMap((pattern) => prefixed(a, (x) => role(`${x}-${pattern}`))),
                condition: { StringEquals: { "iam:PassedToService": rule.service } },
            }),
        ),
        allow(a, {
            sid: "PassToApigateway",
            actions: ["iam:PassRole"],
            resources: [role(API_GATEWAY_ACCOUNT_ROLE)],
            condition: { StringEquals: { "iam:PassedToService": "apigateway.amazonaws.com" } },
        }),
        ...PASS_ROLE_RULES.filter((rule) => rule.specific).map((rule): Statement => ({
            Sid: `Deny${serviceSid(rule.service)}RolesToOtherServices`,
            Effect: "Deny",
            Action: ["iam:PassRole"],
            Resource: rule.patterns.map((pattern) => role(`*-${pattern}`)),
            Condition: { StringNotEquals: { "iam:PassedToService": rule.service } },
        })),
    ]);
}

/** A boundary statement: no region condition, since a boundary grants nothing (and must fit 6,144 characters). */
function boundaryGrant(g: Grant): Statement {
    return { Sid: g.sid, Effect: "Allow", Action: g.actions, Resource: g.resources };
}

/**
 * The permissions boundary of every role the platform creates: the most a workload role (ECS task and
 * execution roles, Lambda, Step Functions, EventBridge, EKS cluster/node/IRSA roles, flow logs, RDS
 * monitoring, API Gateway logging) may ever do, whatever its own policies say. It allows the data-plane
 * actions the workloads use on the platform's names (the same scoping as the deploy policies), the
 * reads, telemetry and network-interface calls AWS authorizes only on `"*"`, and what the attached AWS
 * managed policies (EKS, CNI, EBS CSI, ECR pull, RDS monitoring) need on the account's EC2, load
 * balancer and key resources; it denies all IAM changes but service-linked roles, the CI roles, the
 * state bucket and the bootstrap keys. test/bootstrap/iam-simulation.spec.ts simulates every statement
 * of every workload policy in the plans under it.
 */
export function workloadBoundaryPolicy(a: AccountFacts, p: ProtectedResources): PolicyDocument {
    const names = (service: string, fmt: (p: string) => string) => prefixed(a, (x) => arns(a, service, [fmt(x)])[0]);
    return doc([
        boundaryGrant({
            sid: "ReadsTelemetryAndNetworkInterfaces",
            actions: [
                "ec2:Describe*",
                "elasticloadbalancing:Describe*",
                "eks:Describe*",
                "eks:List*",
                "autoscaling:Describe*",
                "logs:Describe*",
                "ecr:GetAuthorizationToken",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:GetSamplingStatisticSummaries",
                "cloudwatch:PutMetricData",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
            ],
            resources: ["*"],
        }),
        boundaryGrant({
            sid: "PlatformData",
            actions: [
                "s3:GetObject*",
                "s3:PutObject*",
                "s3:DeleteObject*",
                "s3:ListBucket",
                "sqs:SendMessage",
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sns:Publish",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DescribeTable",
                "events:PutEvents",
                "states:StartExecution",
                "lambda:InvokeFunction",
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
                "ssm:GetParameter*",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchImportUpstreamImage",
            ],
            resources: [
                ...prefixed(a, (x) => `arn:${a.partition}:s3:::${x}-*`),
                ...names("sqs", (x) => `${x}-*`),
                ...names("sns", (x) => `${x}-*`),
                ...arns(a, "dynamodb", ["table/*"]),
                ...arns(a, "events", ["event-bus/*"]),
                ...names("states", (x) => `stateMachine:${x}-*`),
                ...arns(a, "lambda", ["function:*"]),
                ...names("secretsmanager", (x) => `secret:${x}-*`),
                ...arns(a, "secretsmanager", ["secret:rds!*"]),
                ...arns(a, "ssm", ["parameter/platform/*"]),
                ...arns(a, "ecr", ["repository/*"]),
            ],
        }),
        boundaryGrant({
            sid: "LogsKeysDatabasesUserPools",
            actions: [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:PutRetentionPolicy",
                "logs:GetLogEvents",
                "logs:FilterLogEvents",
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
                "kms:DescribeKey",
                "kms:CreateGrant",
                "kms:ListGrants",
                "kms:RevokeGrant",
                "rds-db:connect",
                "cognito-idp:Admin*",
                "eks-auth:AssumeRoleForPodIdentity",
            ],
            resources: [
                ...arns(a, "logs", ["log-group:*"]),
                ...arns(a, "kms", ["key/*"]),
                ...arns(a, "rds-db", ["dbuser:*"]),
                ...arns(a, "cognito-idp", ["userpool/*"]),
                ...arns(a, "eks", ["cluster/*"]),
            ],
        }),
        boundaryGrant({
            sid: "ClusterNetworkingAndVolumes",
            actions: [
                "ec2:CreateTags",
                "ec2:DeleteTags",
                "ec2:AttachNetworkInterface",
                "ec2:DetachNetworkInterface",
                "ec2:ModifyNetworkInterfaceAttribute",
                "ec2:CreateSecurityGroup",
                "ec2:DeleteSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:CreateVolume",
                "ec2:DeleteVolume",
                "ec2:AttachVolume",
                "ec2:DetachVolume",
                "ec2:ModifyVolume",
                "ec2:CreateSnapshot",
                "ec2:DeleteSnapshot",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:Modify*",
            ],
            resources: [
                ...arns(a, "ec2", [
                    "network-interface/*",
                    "security-group/*",
                    "subnet/*",
                    "vpc/*",
                    "instance/*",
                    "volume/*",
                    "snapshot/*",
                ]),
                `arn:${a.partition}:ec2:*::snapshot/*`,
                ...arns(a, "elasticloadbalancing", [
                    "loadbalancer/*",
                    "targetgroup/*",
                    "listener/*",
                    "listener-rule/*",
                ]),
            ],
        }),
        boundaryGrant({
            sid: "ServiceLinkedRoles",
            actions: ["iam:CreateServiceLinkedRole"],
            resources: [`arn:${a.partition}:iam::${a.accountId}:role/aws-service-role/*`],
        }),
        {
            Sid: "DenyCiRolesStateAndBootstrapKeys",
            Effect: "Deny",
            Action: ["iam:*", "sts:AssumeRole", "s3:*", "kms:*"],
            Resource: [
                p.ciRoleArnPattern,
                p.ciPolicyArnPattern,
                p.stateBucketArn,
                `${p.stateBucketArn}/*`,
                ...p.bootstrapKeyArns,
            ],
        },
    ]);
}

/**
 * Characters IAM counts against the managed-policy size quota (6,144, whitespace excluded:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export function policySize(document: PolicyDocument): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}
