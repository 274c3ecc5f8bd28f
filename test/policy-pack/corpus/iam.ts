/**
 * Corpus: least-privilege IAM and public access (policies/iam.ts, policies/access.ts).
 *
 * Insecure cases are the mistakes reviewers find in real Pulumi programs for these five
 * architectures (task roles with `s3:*`, `logs:*` on `*`, CI roles with AdministratorAccess,
 * GitHub OIDC trusts without a `sub`, buckets made public instead of using CloudFront OAC …);
 * secure cases are the patterns the architectures use and other packs tend to flag
 * (`ecr:GetAuthorizationToken` and X-Ray on `*`, Deny-`*` TLS guards, service principals with
 * `aws:SourceArn`, OPTIONS without authorization).
 */
import { res, TestResource } from "../support/harness";
import { ACCOUNT, compliantBucket, KEY_ARN, kmsKey, REGION } from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({
    Effect: "Allow",
    Action,
    Resource,
    ...extra,
});
const arn = {
    bucket: "arn:aws:s3:::ticketing-receipts-7f3a",
    queue: `arn:aws:sqs:${REGION}:${ACCOUNT}:ticketing-notifications`,
    table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/coffee-shop-orders`,
    topic: `arn:aws:sns:${REGION}:${ACCOUNT}:ticketing-notify`,
    secret: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ticketing/db-AbCdEf`,
    logGroup: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/ticketing/checkout:*`,
    fn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:coffee-shop-orders`,
    api: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5`,
    distribution: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`,
    taskRole: `arn:aws:iam::${ACCOUNT}:role/ticketing-checkout-task`,
    execRole: `arn:aws:iam::${ACCOUNT}:role/ticketing-checkout-exec`,
    github: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    eksOidc: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/5C1F8E2A9B7D3E4F6A0B1C2D3E4F5A6B`,
};
const trust = (Principal: unknown, extra: object = {}, Action = "sts:AssumeRole") =>
    doc({ Effect: "Allow", Action, Principal, ...extra });
const role = (name: string, service: string, extra: Record<string, unknown> = {}) =>
    res("aws:iam/role:Role", name, { assumeRolePolicy: trust({ Service: service }), ...extra });
const rolePolicy = (name: string, policy: string | object) =>
    res("aws:iam/rolePolicy:RolePolicy", name, { role: `${name.replace(/-policy$/, "")}`, policy });
const GH = "token.actions.githubusercontent.com";
const EKS_HOST = arn.eksOidc.slice(arn.eksOidc.indexOf("/") + 1);
const tlsOnly = (Resource: unknown, Action = "*") => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action,
    Resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const allPab = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

export const corpus: CorpusModule = {
    insecure: [
        // ---- identity policies -------------------------------------------------------------
        insecure(
            "iam/task-role-s3-star",
            "iam-no-wildcard-actions",
            "Checkout task role allows s3:* on the receipts bucket.",
            rolePolicy("ticketing-checkout-task-policy", doc(allow("s3:*", [arn.bucket, `${arn.bucket}/*`]))),
        ),
        insecure(
            "iam/policy-admin-object",
            "iam-no-wildcard-actions",
            "Customer managed policy (object form) allowing everything.",
            res("aws:iam/policy:Policy", "ops-break-glass", {
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
            }),
        ),
        insecure(
            "iam/role-inline-dynamodb-star",
            "iam-no-wildcard-actions",
            "Orders Lambda role with an inline dynamodb:* policy.",
            role("coffee-shop-orders-fn", "lambda.amazonaws.com", {
                inlinePolicies: [{ name: "data", policy: doc(allow("dynamodb:*", arn.table)) }],
            }),
        ),
        insecure(
            "iam/awsx-task-role-sqs-star",
            "iam-no-wildcard-actions",
            "awsx FargateService whose task role gets sqs:* inline.",
            res("awsx:ecs:FargateService", "ticketing-notification", {
                desiredCount: 2,
                networkConfiguration: {
                    assignPublicIp: false,
                    subnets: ["subnet-private-a"],
                    securityGroups: ["sg-notification"],
                },
                taskDefinitionArgs: {
                    taskRole: { args: { inlinePolicies: [{ name: "queue", policy: doc(allow("sqs:*", arn.queue)) }] } },
                },
            }),
        ),
        insecure(
            "iam/allow-not-action",
            "iam-no-allow-not-action",
            '"Everything except IAM" written as Allow + NotAction.',
            res("aws:iam/policy:Policy", "developers", {
                policy: doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }),
            }),
        ),
        insecure(
            "iam/put-object-star",
            "iam-no-wildcard-resource-writes",
            "Receipts writer allowed to put objects into every bucket.",
            rolePolicy("ticketing-checkout-task-policy", doc(allow(["s3:PutObject", "s3:GetObject"], "*"))),
        ),
        insecure(
            "iam/secrets-read-star",
            "iam-no-wildcard-resource-writes",
            "Execution role reads every secret of the account.",
            rolePolicy("ticketing-checkout-exec-policy", doc(allow("secretsmanager:GetSecretValue", "*"))),
        ),
        insecure(
            "iam/kms-decrypt-star",
            "iam-no-wildcard-resource-writes",
            "Task role may decrypt with any KMS key.",
            rolePolicy("coffee-shop-orders-fn-policy", doc(allow(["kms:Decrypt", "kms:GenerateDataKey"], "*"))),
        ),
        insecure(
            "iam/sqs-send-all-queues",
            "iam-no-wildcard-resource-writes",
            "Producer may send to every queue in every account and region.",
            rolePolicy("ticketing-reservation-task-policy", doc(allow("sqs:SendMessage", "arn:aws:sqs:*:*:*"))),
        ),
        insecure(
            "iam/logs-write-star",
            "iam-no-wildcard-resource-writes",
            "Lambda logging policy copied from a tutorial: logs writes on *.",
            rolePolicy(
                "postech-auth-fn-policy",
                doc(allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "*")),
            ),
        ),
        insecure(
            "iam/notresource-write",
            "iam-no-wildcard-resource-writes",
            "Allow with NotResource: writes everywhere except one table.",
            res("aws:iam/policy:Policy", "orders-writer", {
                policy: doc({ Effect: "Allow", Action: "dynamodb:PutItem", NotResource: arn.table }),
            }),
        ),
        insecure(
            "iam/passrole-star",
            "iam-no-passrole-wildcard",
            "CI deploy policy passes any role.",
            res("aws:iam/policy:Policy", "ci-deploy", {
                policy: doc(
                    allow(["ecs:UpdateService", "ecs:RegisterTaskDefinition"], "*"),
                    allow("iam:PassRole", "*"),
                ),
            }),
        ),
        insecure(
            "iam/passrole-all-roles",
            "iam-no-passrole-wildcard",
            "Step Functions role passes every role of the account.",
            rolePolicy("coffee-shop-orders-sfn-policy", doc(allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/*`))),
        ),
        insecure(
            "iam/ci-admin",
            "iam-no-admin-managed-policies",
            "GitHub deploy role with AdministratorAccess.",
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ci-deploy-admin", {
                role: "ci-deploy",
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            }),
        ),
        insecure(
            "iam/role-poweruser",
            "iam-no-admin-managed-policies",
            "Ops role with PowerUserAccess in managedPolicyArns.",
            role("ops", "ec2.amazonaws.com", { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }),
        ),
        insecure(
            "iam/task-s3-full-access",
            "iam-no-admin-managed-policies",
            "Audio worker task role with AmazonS3FullAccess.",
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "spotmusic-workers-s3", {
                role: "spotmusic-workers-task",
                policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            }),
        ),
        insecure(
            "iam/awsx-exec-ecr-full",
            "iam-no-admin-managed-policies",
            "awsx service execution role with AmazonEC2ContainerRegistryFullAccess.",
            res("awsx:ecs:FargateService", "mtls-api-gateway", {
                desiredCount: 2,
                networkConfiguration: {
                    assignPublicIp: false,
                    subnets: ["subnet-private-a"],
                    securityGroups: ["sg-gateway"],
                },
                taskDefinitionArgs: {
                    executionRole: {
                        args: { policyArns: ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"] },
                    },
                },
            }),
        ),
        insecure(
            "iam/user-inline",
            "iam-no-user-inline-policies",
            "Deploy user with an inline policy (static keys in CI).",
            res("aws:iam/userPolicy:UserPolicy", "ci-deployer", {
                user: "ci-deployer",
                policy: doc(allow("ecr:PutImage", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/mtls-api/gateway`)),
            }),
        ),
        insecure(
            "iam/trust-star",
            "iam-role-trust-no-wildcard-principal",
            "Role assumable by any AWS account.",
            res("aws:iam/role:Role", "reporting-cross-account", { assumeRolePolicy: trust({ AWS: "*" }) }),
        ),
        insecure(
            "iam/github-oidc-no-sub",
            "iam-role-trust-oidc-conditions",
            "GitHub OIDC deploy role checks only the audience: any repository on GitHub can assume it.",
            res("aws:iam/role:Role", "ci-deploy", {
                assumeRolePolicy: trust(
                    { Federated: arn.github },
                    { Condition: { StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com" } } },
                    "sts:AssumeRoleWithWebIdentity",
                ),
            }),
        ),
        insecure(
            "iam/github-oidc-org-wide",
            "iam-role-trust-oidc-conditions",
            "GitHub OIDC trust pinned to the organization only (repo:acme/*).",
            res("aws:iam/role:Role", "ci-deploy-prod", {
                assumeRolePolicy: trust(
                    { Federated: arn.github },
                    {
                        Condition: {
                            StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com" },
                            StringLike: { [`${GH}:sub`]: "repo:acme/*" },
                        },
                    },
                    "sts:AssumeRoleWithWebIdentity",
                ),
            }),
        ),
        insecure(
            "iam/irsa-no-sub",
            "iam-role-trust-oidc-conditions",
            "EKS IRSA role without a service-account sub condition: every pod of the cluster can assume it.",
            res("aws:iam/role:Role", "postech-app-irsa", {
                assumeRolePolicy: trust(
                    { Federated: arn.eksOidc },
                    { Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com" } } },
                    "sts:AssumeRoleWithWebIdentity",
                ),
            }),
        ),

        // ---- resource policies -------------------------------------------------------------
        insecure(
            "access/bucket-policy-public-read",
            "s3-bucket-policy-no-public-principal",
            "Static site bucket made public-read instead of using CloudFront origin access control.",
            res("aws:s3/bucketPolicy:BucketPolicy", "coffee-shop-site-policy", {
                bucket: "coffee-shop-site",
                policy: doc({
                    Sid: "PublicRead",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: "arn:aws:s3:::coffee-shop-site/*",
                }),
            }),
        ),
        insecure(
            "access/queue-policy-public-send",
            "sqs-queue-policy-no-public-principal",
            "Queue policy for an SNS subscription that forgot the aws:SourceArn condition.",
            res("aws:sqs/queuePolicy:QueuePolicy", "ticketing-notifications-policy", {
                queueUrl: "https://sqs.sa-east-1.amazonaws.com/111122223333/ticketing-notifications",
                policy: doc({
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "sqs:SendMessage",
                    Resource: arn.queue,
                }),
            }),
        ),
        insecure(
            "access/topic-policy-public",
            "sns-topic-policy-no-public-principal",
            "Topic anyone may publish to (TLS condition only).",
            res("aws:sns/topicPolicy:TopicPolicy", "ticketing-notify-policy", {
                arn: arn.topic,
                policy: doc({
                    Effect: "Allow",
                    Principal: "*",
                    Action: "sns:Publish",
                    Resource: arn.topic,
                    Condition: { Bool: { "aws:SecureTransport": "true" } },
                }),
            }),
        ),
        insecure(
            "access/kms-key-public",
            "kms-key-policy-no-public-principal",
            "Data key that lets every principal decrypt.",
            res("aws:kms/key:Key", "platform-data", {
                enableKeyRotation: true,
                policy: doc(
                    {
                        Sid: "Root",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "Use",
                        Effect: "Allow",
                        Principal: { AWS: "*" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                    },
                ),
            }),
        ),
        insecure(
            "access/ecr-public-pull",
            "ecr-repository-policy-no-public-principal",
            "Gateway image repository pullable by anyone.",
            res("aws:ecr/repositoryPolicy:RepositoryPolicy", "mtls-api-gateway-policy", {
                repository: "mtls-api/gateway",
                policy: doc({
                    Effect: "Allow",
                    Principal: "*",
                    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                }),
            }),
        ),
        insecure(
            "access/eventbus-public",
            "eventbridge-bus-policy-no-public-principal",
            "Orders bus that any account may put events on.",
            res("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "coffee-shop-orders-bus-policy", {
                eventBusName: "coffee-shop-orders",
                policy: doc({
                    Effect: "Allow",
                    Principal: "*",
                    Action: "events:PutEvents",
                    Resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/coffee-shop-orders`,
                }),
            }),
        ),
        insecure(
            "access/event-permission-star",
            "eventbridge-bus-policy-no-public-principal",
            "EventPermission for principal * without an organization condition.",
            res("aws:cloudwatch/eventPermission:EventPermission", "coffee-shop-partners", {
                principal: "*",
                statementId: "partners",
                eventBusName: "coffee-shop-orders",
            }),
        ),
        insecure(
            "access/secret-policy-public",
            "secretsmanager-secret-policy-no-public-principal",
            "Secret policy granting GetSecretValue to everyone.",
            res("aws:secretsmanager/secretPolicy:SecretPolicy", "ticketing-db-secret-policy", {
                secretArn: arn.secret,
                policy: doc({
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                }),
            }),
        ),
        insecure(
            "access/lambda-permission-public-url",
            "lambda-permission-no-public-principal",
            "Function URL opened to everyone through a Lambda permission.",
            res("aws:lambda/permission:Permission", "postech-auth-url-public", {
                action: "lambda:InvokeFunctionUrl",
                function: "postech-auth",
                principal: "*",
                functionUrlAuthType: "NONE",
            }),
        ),
        insecure(
            "access/lambda-permission-apigw-no-source",
            "lambda-permission-source-condition",
            "API Gateway may invoke the function on behalf of any API (no sourceArn).",
            res("aws:lambda/permission:Permission", "coffee-shop-orders-apigw", {
                action: "lambda:InvokeFunction",
                function: "coffee-shop-orders",
                principal: "apigateway.amazonaws.com",
            }),
        ),
        insecure(
            "access/pab-policy-allowed",
            "s3-public-access-block-enabled",
            "Public access block that still allows public bucket policies (website leftovers).",
            res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "coffee-shop-site-pab", {
                bucket: "coffee-shop-site",
                blockPublicAcls: true,
                ignorePublicAcls: true,
                blockPublicPolicy: false,
                restrictPublicBuckets: false,
            }),
        ),
        (() => {
            const [bucket, ...companions] = compliantBucket("spotmusic-audio");
            const rest = companions.filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            return insecure(
                "access/bucket-no-pab",
                "s3-bucket-has-public-access-block",
                "Audio bucket encrypted and versioned but without a public access block.",
                bucket,
                rest,
            );
        })(),
        insecure(
            "access/bucket-acl-public-read",
            "s3-no-public-acl",
            "Bucket ACL public-read.",
            res("aws:s3/bucketAcl:BucketAcl", "coffee-shop-site-acl", {
                bucket: "coffee-shop-site",
                acl: "public-read",
            }),
        ),
        insecure(
            "access/object-public-read",
            "s3-no-public-acl",
            "index.html uploaded with acl public-read.",
            res("aws:s3/bucketObjectv2:BucketObjectv2", "coffee-shop-index", {
                bucket: "coffee-shop-site",
                key: "index.html",
                acl: "public-read",
                contentType: "text/html",
            }),
        ),
        insecure(
            "access/bucket-v2-public-grant",
            "s3-no-public-acl",
            "Legacy BucketV2 (provider v6 state) granting READ to AllUsers.",
            res("aws:s3/bucketV2:BucketV2", "legacy-assets", {
                grants: [
                    { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] },
                ],
            }),
        ),
        insecure(
            "access/cognito-unauth",
            "cognito-identity-pool-no-unauthenticated",
            "Identity pool handing credentials to guests.",
            res("aws:cognito/identityPool:IdentityPool", "coffee-shop-identities", {
                identityPoolName: "coffee_shop",
                allowUnauthenticatedIdentities: true,
            }),
        ),
        insecure(
            "access/rest-method-none",
            "apigateway-method-authorization",
            "GET /orders without an authorizer.",
            res("aws:apigateway/method:Method", "coffee-shop-orders-get", {
                restApi: "a1b2c3d4e5",
                resourceId: "r-orders",
                httpMethod: "GET",
                authorization: "NONE",
            }),
        ),
        insecure(
            "access/http-route-none",
            "apigatewayv2-route-authorization",
            "HTTP API proxy route without an authorizer.",
            res("aws:apigatewayv2/route:Route", "spotmusic-proxy", {
                apiId: "f6g7h8i9j0",
                routeKey: "ANY /{proxy+}",
                target: "integrations/abc123",
            }),
        ),
        insecure(
            "access/rest-api-openapi-open",
            "apigateway-method-authorization",
            "REST API imported from OpenAPI whose /orders operations carry no security requirement.",
            res("aws:apigateway/restApi:RestApi", "coffee-shop-api", {
                name: "coffee-shop",
                body: JSON.stringify({
                    openapi: "3.0.1",
                    info: { title: "coffee-shop", version: "1" },
                    paths: { "/orders": { get: {}, post: {} } },
                }),
            }),
        ),
        insecure(
            "access/http-api-openapi-api-key-only",
            "apigatewayv2-route-authorization",
            "HTTP API OpenAPI body protected only by an API key scheme.",
            res("aws:apigatewayv2/api:Api", "spotmusic-api", {
                name: "spotmusic",
                protocolType: "HTTP",
                body: JSON.stringify({
                    openapi: "3.0.1",
                    info: { title: "spotmusic", version: "1" },
                    security: [{ key: [] }],
                    components: { securitySchemes: { key: { type: "apiKey", name: "x-api-key", in: "header" } } },
                    paths: { "/songs": { get: {} } },
                }),
            }),
        ),
        insecure(
            "access/function-url-none",
            "lambda-function-url-auth",
            "Function URL with authorizationType NONE.",
            res("aws:lambda/functionUrl:FunctionUrl", "postech-auth-url", {
                functionName: "postech-auth",
                authorizationType: "NONE",
            }),
        ),
    ],
    secure: [
        secure(
            "iam/task-role-scoped",
            "Checkout task role: scoped data actions, X-Ray and custom metrics on * (AWS authorizes them only on *).",
            [
                role("ticketing-checkout-task", "ecs-tasks.amazonaws.com"),
                rolePolicy(
                    "ticketing-checkout-task-policy",
                    doc(
                        allow(["s3:PutObject", "s3:GetObject"], `${arn.bucket}/receipts/*`),
                        allow(["sqs:SendMessage"], arn.queue),
                        allow(
                            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                            [arn.table, `${arn.table}/index/*`],
                        ),
                        allow(
                            [
                                "xray:PutTraceSegments",
                                "xray:PutTelemetryRecords",
                                "xray:GetSamplingRules",
                                "xray:GetSamplingTargets",
                            ],
                            "*",
                        ),
                        allow("cloudwatch:PutMetricData", "*", {
                            Condition: { StringEquals: { "cloudwatch:namespace": "Ticketing" } },
                        }),
                    ),
                ),
            ],
        ),
        secure(
            "iam/execution-role",
            "Execution role: AWS task-execution policy, one secret, one key, registry token on *.",
            [
                role("ticketing-checkout-exec", "ecs-tasks.amazonaws.com"),
                res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ticketing-checkout-exec-managed", {
                    role: "ticketing-checkout-exec",
                    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                }),
                rolePolicy(
                    "ticketing-checkout-exec-policy",
                    doc(
                        allow("secretsmanager:GetSecretValue", arn.secret),
                        allow("kms:Decrypt", KEY_ARN),
                        allow("ecr:GetAuthorizationToken", "*"),
                    ),
                ),
            ],
        ),
        secure(
            "iam/lambda-vpc-role",
            "Lambda in a VPC: AWSLambdaVPCAccessExecutionRole, logs scoped to its log group, ENI actions on * as AWS requires.",
            [
                role("coffee-shop-orders-fn", "lambda.amazonaws.com", {
                    inlinePolicies: [
                        {
                            name: "logs",
                            policy: doc(allow(["logs:CreateLogStream", "logs:PutLogEvents"], arn.logGroup)),
                        },
                        {
                            name: "eni",
                            policy: doc(
                                allow(
                                    [
                                        "ec2:CreateNetworkInterface",
                                        "ec2:DescribeNetworkInterfaces",
                                        "ec2:DeleteNetworkInterface",
                                    ],
                                    "*",
                                ),
                            ),
                        },
                    ],
                }),
                res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "coffee-shop-orders-fn-vpc", {
                    role: "coffee-shop-orders-fn",
                    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                }),
            ],
        ),
        secure(
            "iam/sfn-role",
            "Step Functions: vended-log delivery actions on * (their documented requirement), invoke only its functions, pass only its role.",
            [
                role("coffee-shop-orders-sfn", "states.amazonaws.com"),
                rolePolicy(
                    "coffee-shop-orders-sfn-policy",
                    doc(
                        allow(
                            [
                                "logs:CreateLogDelivery",
                                "logs:GetLogDelivery",
                                "logs:UpdateLogDelivery",
                                "logs:DeleteLogDelivery",
                                "logs:ListLogDeliveries",
                                "logs:PutResourcePolicy",
                                "logs:DescribeResourcePolicies",
                                "logs:DescribeLogGroups",
                            ],
                            "*",
                        ),
                        allow("lambda:InvokeFunction", [arn.fn, `${arn.fn}:*`]),
                        allow("iam:PassRole", arn.taskRole, {
                            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                        }),
                    ),
                ),
            ],
        ),
        secure(
            "iam/github-oidc-deploy",
            "GitHub OIDC deploy role pinned to the repository and environment, aud sts.amazonaws.com; passes only the service roles.",
            [
                res("aws:iam/role:Role", "ci-deploy", {
                    assumeRolePolicy: trust(
                        { Federated: arn.github },
                        {
                            Condition: {
                                StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com" },
                                StringLike: {
                                    [`${GH}:sub`]: [
                                        "repo:acme/platform:environment:prod",
                                        "repo:acme/platform:ref:refs/heads/main",
                                    ],
                                },
                            },
                        },
                        "sts:AssumeRoleWithWebIdentity",
                    ),
                    maxSessionDuration: 3600,
                }),
                res("aws:iam/policy:Policy", "ci-deploy", {
                    policy: doc(
                        allow(
                            ["ecs:UpdateService", "ecs:DescribeServices"],
                            `arn:aws:ecs:${REGION}:${ACCOUNT}:service/platform/*`,
                        ),
                        allow("iam:PassRole", [arn.taskRole, arn.execRole], {
                            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                        }),
                        allow(["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"], "*"),
                    ),
                }),
            ],
        ),
        secure("iam/irsa-role", "EKS IRSA role bound to one service account.", [
            res("aws:iam/role:Role", "postech-app-irsa", {
                assumeRolePolicy: trust(
                    { Federated: arn.eksOidc },
                    {
                        Condition: {
                            StringEquals: {
                                [`${EKS_HOST}:sub`]: "system:serviceaccount:postech:api",
                                [`${EKS_HOST}:aud`]: "sts.amazonaws.com",
                            },
                        },
                    },
                    "sts:AssumeRoleWithWebIdentity",
                ),
            }),
        ]),
        secure("iam/deny-guardrail", "Guardrail policy: Deny with NotAction and * is what guardrails look like.", [
            res("aws:iam/policy:Policy", "region-guardrail", {
                policy: doc(
                    {
                        Effect: "Deny",
                        NotAction: ["iam:*", "sts:*", "cloudfront:*"],
                        Resource: "*",
                        Condition: { StringNotEquals: { "aws:RequestedRegion": [REGION, "us-east-1"] } },
                    },
                    allow(["ec2:Describe*", "ecs:List*"], "*"),
                ),
            }),
        ]),
        secure(
            "access/bucket-policy-oac",
            "Site bucket readable only by its CloudFront distribution (aws:SourceArn), TLS-only Deny *.",
            [
                ...compliantBucket("coffee-shop-site"),
                res("aws:s3/bucketPolicy:BucketPolicy", "coffee-shop-site-policy", {
                    bucket: "coffee-shop-site-id",
                    policy: doc(
                        {
                            Sid: "CloudFrontRead",
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: "arn:aws:s3:::coffee-shop-site/*",
                            Condition: { StringEquals: { "AWS:SourceArn": arn.distribution } },
                        },
                        tlsOnly(["arn:aws:s3:::coffee-shop-site", "arn:aws:s3:::coffee-shop-site/*"], "s3:*"),
                    ),
                }),
            ],
        ),
        secure("access/queue-policy-sns", "Queue accepting messages only from its topic.", [
            res("aws:sqs/queuePolicy:QueuePolicy", "ticketing-notifications-policy", {
                queueUrl: "https://sqs.sa-east-1.amazonaws.com/111122223333/ticketing-notifications",
                policy: doc(
                    {
                        Effect: "Allow",
                        Principal: { Service: "sns.amazonaws.com" },
                        Action: "sqs:SendMessage",
                        Resource: arn.queue,
                        Condition: { ArnEquals: { "aws:SourceArn": arn.topic } },
                    },
                    tlsOnly(arn.queue, "sqs:*"),
                ),
            }),
        ]),
        secure(
            "access/topic-policy-account",
            "Topic: publish from EventBridge of this account, the classic AWS:SourceOwner default statement, TLS-only Deny.",
            [
                res("aws:sns/topicPolicy:TopicPolicy", "ticketing-notify-policy", {
                    arn: arn.topic,
                    policy: doc(
                        {
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sns:Publish",
                            Resource: arn.topic,
                            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                        },
                        {
                            Sid: "__default_statement_ID",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: ["SNS:GetTopicAttributes", "SNS:Subscribe"],
                            Resource: arn.topic,
                            Condition: { StringEquals: { "AWS:SourceOwner": ACCOUNT } },
                        },
                        tlsOnly(arn.topic, "sns:Publish"),
                    ),
                }),
            ],
        ),
        secure(
            "access/kms-key-via-service",
            "Data key: account root, CloudWatch Logs, and * narrowed by kms:CallerAccount + kms:ViaService (AWS managed-key pattern).",
            [
                (() => {
                    const k = kmsKey("platform-secrets", `logs.${REGION}.amazonaws.com`);
                    const policy = JSON.parse(String(k.inputs.policy)) as { Statement: object[] };
                    policy.Statement.push({
                        Sid: "ViaSecretsManager",
                        Effect: "Allow",
                        Principal: { AWS: "*" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                        Condition: {
                            StringEquals: {
                                "kms:CallerAccount": ACCOUNT,
                                "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
                            },
                        },
                    });
                    return res("aws:kms/key:Key", "platform-secrets", { ...k.inputs, policy: JSON.stringify(policy) });
                })(),
            ],
        ),
        secure("access/ecr-cross-account-pull", "Repository pullable by the prod account only.", [
            res("aws:ecr/repositoryPolicy:RepositoryPolicy", "mtls-api-gateway-policy", {
                repository: "mtls-api/gateway",
                policy: doc({
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::444455556666:root" },
                    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                }),
            }),
        ]),
        secure(
            "access/eventbridge-org",
            "Bus open to the organization (aws:PrincipalOrgID), EventPermission with an org condition.",
            [
                res("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "coffee-shop-orders-bus-policy", {
                    eventBusName: "coffee-shop-orders",
                    policy: doc({
                        Effect: "Allow",
                        Principal: "*",
                        Action: "events:PutEvents",
                        Resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/coffee-shop-orders`,
                        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
                    }),
                }),
                res("aws:cloudwatch/eventPermission:EventPermission", "coffee-shop-org", {
                    principal: "*",
                    statementId: "org",
                    eventBusName: "coffee-shop-orders",
                    condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-a1b2c3d4e5" },
                }),
            ],
        ),
        secure("access/secret-policy-role", "Secret policy naming the task execution role; public policies blocked.", [
            res("aws:secretsmanager/secretPolicy:SecretPolicy", "ticketing-db-secret-policy", {
                secretArn: arn.secret,
                blockPublicPolicy: true,
                policy: doc({
                    Effect: "Allow",
                    Principal: { AWS: arn.execRole },
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                }),
            }),
        ]),
        secure(
            "access/lambda-permissions-sourced",
            "API Gateway and CloudFront invoke permissions with sourceArn; function URL with AWS_IAM.",
            [
                res("aws:lambda/permission:Permission", "coffee-shop-orders-apigw", {
                    action: "lambda:InvokeFunction",
                    function: "coffee-shop-orders",
                    principal: "apigateway.amazonaws.com",
                    sourceArn: `${arn.api}/*/*`,
                }),
                res("aws:lambda/functionUrl:FunctionUrl", "postech-auth-url", {
                    functionName: "postech-auth",
                    authorizationType: "AWS_IAM",
                }),
                res("aws:lambda/permission:Permission", "postech-auth-url-cloudfront", {
                    action: "lambda:InvokeFunctionUrl",
                    function: "postech-auth",
                    principal: "cloudfront.amazonaws.com",
                    sourceArn: arn.distribution,
                    functionUrlAuthType: "AWS_IAM",
                }),
            ],
        ),
        secure(
            "access/rest-api-authorized",
            "REST API: Cognito-authorized methods, CORS preflight without authorization.",
            [
                res("aws:apigateway/method:Method", "coffee-shop-orders-post", {
                    restApi: "a1b2c3d4e5",
                    resourceId: "r-orders",
                    httpMethod: "POST",
                    authorization: "COGNITO_USER_POOLS",
                    authorizerId: "auth-1",
                }),
                res("aws:apigateway/method:Method", "coffee-shop-orders-get", {
                    restApi: "a1b2c3d4e5",
                    resourceId: "r-orders",
                    httpMethod: "GET",
                    authorization: "CUSTOM",
                    authorizerId: "auth-2",
                }),
                res("aws:apigateway/method:Method", "coffee-shop-orders-options", {
                    restApi: "a1b2c3d4e5",
                    resourceId: "r-orders",
                    httpMethod: "OPTIONS",
                    authorization: "NONE",
                }),
            ],
        ),
        secure(
            "access/rest-api-openapi-cognito",
            "REST API from OpenAPI: Cognito authorizer for the document, preflight anonymous.",
            [
                res("aws:apigateway/restApi:RestApi", "coffee-shop-api", {
                    name: "coffee-shop",
                    body: JSON.stringify({
                        openapi: "3.0.1",
                        info: { title: "coffee-shop", version: "1" },
                        security: [{ cognito: [] }],
                        components: {
                            securitySchemes: {
                                cognito: {
                                    type: "apiKey",
                                    name: "Authorization",
                                    in: "header",
                                    "x-amazon-apigateway-authtype": "cognito_user_pools",
                                    "x-amazon-apigateway-authorizer": {
                                        type: "cognito_user_pools",
                                        providerARNs: [
                                            `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_AbCdEfGhI`,
                                        ],
                                    },
                                },
                            },
                        },
                        paths: { "/orders": { get: {}, post: {}, options: { security: [] } } },
                    }),
                }),
            ],
        ),
        secure("access/http-api-jwt", "HTTP API: JWT-authorized routes, IAM-authorized admin route, preflight route.", [
            res("aws:apigatewayv2/route:Route", "spotmusic-songs", {
                apiId: "f6g7h8i9j0",
                routeKey: "GET /songs",
                authorizationType: "JWT",
                authorizerId: "jwt-1",
                target: "integrations/abc123",
            }),
            res("aws:apigatewayv2/route:Route", "spotmusic-admin", {
                apiId: "f6g7h8i9j0",
                routeKey: "POST /admin/reindex",
                authorizationType: "AWS_IAM",
                target: "integrations/abc123",
            }),
            res("aws:apigatewayv2/route:Route", "spotmusic-preflight", {
                apiId: "f6g7h8i9j0",
                routeKey: "OPTIONS /{proxy+}",
                authorizationType: "NONE",
                target: "integrations/abc123",
            }),
        ]),
        secure("access/cognito-identity-pool", "Identity pool for signed-in users only.", [
            res("aws:cognito/identityPool:IdentityPool", "coffee-shop-identities", {
                identityPoolName: "coffee_shop",
                allowUnauthenticatedIdentities: false,
                cognitoIdentityProviders: [
                    {
                        clientId: "4example1client2id",
                        providerName: `cognito-idp.${REGION}.amazonaws.com/${REGION}_AbCdEfGhI`,
                        serverSideTokenCheck: true,
                    },
                ],
            }),
        ]),
        secure("access/account-public-access-block", "Account-wide public access block with all four flags.", [
            res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", {
                accountId: ACCOUNT,
                ...allPab,
            }),
        ]),
        secure(
            "access/acl-log-delivery",
            "Log bucket ACL for S3 server access logging (log-delivery-write is not public).",
            [
                res("aws:s3/bucketAcl:BucketAcl", "platform-logs-acl", {
                    bucket: "platform-logs",
                    acl: "log-delivery-write",
                }),
            ],
        ),
    ] satisfies { resources: TestResource[] }[],
};
