/** Corpus: logging. */
import { res } from "../support/harness";
import {
    ACCOUNT,
    CERT_ARN,
    compliantBucket,
    containers,
    KEY_ARN,
    LOG_BUCKET,
    LOG_GROUP_ARN,
    logGroup,
    REGION,
    tlsOnlyBucketPolicy,
} from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    status: "$context.status",
    path: "$context.path",
});
const visibility = (metricName: string, metrics = true) => ({
    cloudwatchMetricsEnabled: metrics,
    sampledRequestsEnabled: true,
    metricName,
});
const webAcl = (name: string, extra: Record<string, unknown> = {}) =>
    res("aws:wafv2/webAcl:WebAcl", name, {
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        visibilityConfig: visibility(name),
        rules: [
            {
                name: "AWSManagedRulesCommonRuleSet",
                priority: 1,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
                visibilityConfig: visibility("common"),
            },
            {
                name: "rate-limit",
                priority: 2,
                action: { block: {} },
                statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
                visibilityConfig: visibility("rate"),
            },
        ],
        ...extra,
    });
const distribution = (name: string, extra: Record<string, unknown> = {}) =>
    res("aws:cloudfront/distribution:Distribution", name, {
        enabled: true,
        origins: [
            {
                originId: "site",
                domainName: "coffee-shop-site.s3.sa-east-1.amazonaws.com",
                originAccessControlId: "E2QWRUHAPOMQZL",
            },
        ],
        defaultCacheBehavior: {
            targetOriginId: "site",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
        },
        viewerCertificate: {
            acmCertificateArn: CERT_ARN,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        defaultRootObject: "index.html",
        webAclId: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/coffee-shop-cdn/0f1e2d3c`,
        ...extra,
    });

export const corpus: CorpusModule = {
    insecure: [
        (() => {
            // Everything else of a well-configured bucket, without its BucketLogging.
            const [bucket, ...rest] = compliantBucket("ticketing-exports").filter(
                (r) => r.type !== "aws:s3/bucketLogging:BucketLogging",
            );
            return insecure(
                "logging/bucket-no-access-logs",
                "s3-bucket-access-logging",
                "Private, encrypted, versioned exports bucket without server access logs (AwsSolutions-S1, S3.9).",
                bucket,
                [...rest, tlsOnlyBucketPolicy(bucket)],
            );
        })(),
        insecure(
            "logging/alb-no-access-logs",
            "lb-access-logs",
            "Internet-facing ALB without access logs.",
            res("aws:lb/loadBalancer:LoadBalancer", "ticketing-alb", {
                loadBalancerType: "application",
                internal: false,
                dropInvalidHeaderFields: true,
                subnets: ["subnet-a", "subnet-b"],
            }),
        ),
        insecure(
            "logging/cloudfront-no-logs",
            "cloudfront-access-logs",
            "Static-site distribution without standard logs.",
            distribution("coffee-shop-cdn"),
        ),
        insecure(
            "logging/rest-stage-no-logs",
            "apigateway-stage-access-logs",
            "REST API stage without access logs.",
            res("aws:apigateway/stage:Stage", "postech-v1", {
                stageName: "v1",
                restApi: "abc123",
                deployment: "dep1",
                xrayTracingEnabled: true,
            }),
        ),
        insecure(
            "logging/http-stage-no-logs",
            "apigateway-stage-access-logs",
            "HTTP API $default stage without access logs.",
            res("aws:apigatewayv2/stage:Stage", "spotmusic-default", {
                apiId: "a1b2c3",
                name: "$default",
                autoDeploy: true,
            }),
        ),
        insecure(
            "logging/cloudtrail-no-validation",
            "cloudtrail-log-validation",
            "Trail without log-file validation.",
            res("aws:cloudtrail/trail:Trail", "platform-trail", {
                s3BucketName: LOG_BUCKET,
                kmsKeyId: KEY_ARN,
                isMultiRegionTrail: true,
            }),
        ),
        insecure(
            "logging/sfn-logging-off",
            "sfn-logging",
            "Order-processing state machine with logging OFF.",
            res("aws:sfn/stateMachine:StateMachine", "coffee-shop-orders", {
                roleArn: "arn:aws:iam::111122223333:role/sfn",
                definition: '{"StartAt":"Validate","States":{"Validate":{"Type":"Pass","End":true}}}',
                loggingConfiguration: { level: "OFF" },
                tracingConfiguration: { enabled: true },
            }),
        ),
        insecure(
            "logging/eks-no-control-plane-logs",
            "eks-control-plane-logs",
            "EKS cluster without audit logs.",
            res("eks:index:Cluster", "postech-eks", {
                encryptionConfigKeyArn: KEY_ARN,
                endpointPublicAccess: false,
                endpointPrivateAccess: true,
                skipDefaultNodeGroup: true,
                enabledClusterLogTypes: ["api"],
            }),
        ),
        insecure(
            "logging/sidecar-without-logs",
            "ecs-container-logging",
            "X-Ray sidecar container without a log configuration.",
            res("aws:ecs/taskDefinition:TaskDefinition", "ticketing-reservation", {
                family: "ticketing-reservation",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                cpu: "256",
                memory: "512",
                containerDefinitions: containers(["reservation", "xray-daemon"], false),
            }),
        ),
        insecure(
            "logging/vpc-no-flow-logs",
            "ec2-vpc-flow-logs",
            "VPC without flow logs.",
            res("aws:ec2/vpc:Vpc", "spotmusic-vpc", { cidrBlock: "10.30.0.0/16" }),
        ),
        insecure(
            "logging/waf-no-metrics",
            "wafv2-metrics",
            "Web ACL with CloudWatch metrics disabled.",
            webAcl("coffee-shop-edge", { visibilityConfig: visibility("coffee-shop-edge", false) }),
        ),
        insecure(
            "logging/waf-no-logging",
            "wafv2-logging",
            "Web ACL without a logging configuration.",
            webAcl("ticketing-edge"),
        ),
        insecure(
            "logging/log-group-forever",
            "cloudwatch-log-group-retention",
            "Log group that keeps logs forever.",
            res("aws:cloudwatch/logGroup:LogGroup", "/spotmusic/dev/workers", { kmsKeyId: KEY_ARN }),
        ),
    ],
    secure: [
        secure("logging/alb-with-logs", "ALB writing access logs to the log archive bucket.", [
            res("aws:lb/loadBalancer:LoadBalancer", "ticketing-alb", {
                loadBalancerType: "application",
                internal: false,
                dropInvalidHeaderFields: true,
                accessLogs: { enabled: true, bucket: LOG_BUCKET, prefix: "alb/ticketing" },
            }),
        ]),
        secure("logging/cloudfront-with-logs", "Distribution with standard logging to the archive bucket.", [
            distribution("coffee-shop-cdn", {
                loggingConfig: { bucket: `${LOG_BUCKET}.s3.amazonaws.com`, prefix: "cloudfront/coffee-shop/" },
            }),
        ]),
        (() => {
            const group = logGroup("/aws/apigateway/postech-v1");
            const stage = res(
                "aws:apigateway/stage:Stage",
                "postech-v1",
                {
                    stageName: "v1",
                    restApi: "abc123",
                    deployment: "dep1",
                    xrayTracingEnabled: true,
                    accessLogSettings: { destinationArn: LOG_GROUP_ARN(group.name), format: ACCESS_LOG_FORMAT },
                },
                { deps: { accessLogSettings: [group] } },
            );
            return secure(
                "logging/api-stages",
                "REST and HTTP API stages with JSON access logs to encrypted log groups.",
                [
                    group,
                    stage,
                    res(
                        "aws:apigateway/methodSettings:MethodSettings",
                        "postech-v1-settings",
                        {
                            restApi: "abc123",
                            stageName: "v1",
                            methodPath: "*/*",
                            settings: { loggingLevel: "ERROR", metricsEnabled: true, dataTraceEnabled: false },
                        },
                        { deps: { stageName: [stage] } },
                    ),
                    res(
                        "aws:wafv2/webAclAssociation:WebAclAssociation",
                        "postech-v1-waf",
                        {
                            resourceArn: `arn:aws:apigateway:${REGION}::/restapis/abc123/stages/v1`,
                            webAclArn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/postech/1a2b3c4d`,
                        },
                        { deps: { resourceArn: [stage] } },
                    ),
                    res("aws:apigatewayv2/stage:Stage", "spotmusic-default", {
                        apiId: "a1b2c3",
                        name: "$default",
                        autoDeploy: true,
                        accessLogSettings: {
                            destinationArn: LOG_GROUP_ARN("/aws/apigateway/spotmusic"),
                            format: ACCESS_LOG_FORMAT,
                        },
                    }),
                ],
            );
        })(),
        secure("logging/trail", "Multi-region trail with validation and KMS.", [
            res("aws:cloudtrail/trail:Trail", "platform-trail", {
                s3BucketName: LOG_BUCKET,
                kmsKeyId: KEY_ARN,
                enableLogFileValidation: true,
                isMultiRegionTrail: true,
                cloudWatchLogsGroupArn: `${LOG_GROUP_ARN("/platform/cloudtrail")}:*`,
                cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-to-logs`,
            }),
        ]),
        (() => {
            const group = logGroup("/aws/vendedlogs/states/coffee-shop-orders");
            return secure(
                "logging/state-machine",
                "State machine logging errors to an encrypted log group, with X-Ray.",
                [
                    group,
                    res(
                        "aws:sfn/stateMachine:StateMachine",
                        "coffee-shop-orders",
                        {
                            roleArn: "arn:aws:iam::111122223333:role/sfn",
                            definition: '{"StartAt":"Validate","States":{"Validate":{"Type":"Pass","End":true}}}',
                            loggingConfiguration: {
                                level: "ERROR",
                                includeExecutionData: false,
                                logDestination: `${LOG_GROUP_ARN(group.name)}:*`,
                            },
                            tracingConfiguration: { enabled: true },
                        },
                        { deps: { loggingConfiguration: [group] } },
                    ),
                ],
            );
        })(),
        (() => {
            const acl = webAcl("ticketing-edge");
            return secure("logging/waf", "Web ACL with metrics on every rule and a logging configuration.", [
                acl,
                res(
                    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                    "ticketing-edge-logging",
                    {
                        resourceArn: "arn:aws:test:::ticketing-edge",
                        logDestinationConfigs: [LOG_GROUP_ARN("aws-waf-logs-ticketing")],
                    },
                    { deps: { resourceArn: [acl] } },
                ),
            ]);
        })(),
    ],
};
