import * as assert from "assert";
import { loggingPolicies } from "../../policy-pack/policies/logging";
import { policyCases, res, UNKNOWN, usePack } from "./support/harness";

const LOGS = "arn:aws:logs:us-east-1:111122223333:log-group:/platform/dev/api";
const container = (name: string, logs: boolean) => ({
    name,
    image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/${name}:1.4.2`,
    essential: true,
    ...(logs
        ? {
              logConfiguration: {
                  logDriver: "awslogs",
                  options: {
                      "awslogs-group": `/platform/dev/${name}`,
                      "awslogs-region": "us-east-1",
                      "awslogs-stream-prefix": name,
                  },
              },
          }
        : {}),
});

describe("policy-pack/policies/logging (through the analyzer)", () => {
    const pack = usePack();

    it("registers every logging policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of loggingPolicies) {
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(loggingPolicies.length, 13);
    });

    policyCases(pack, "lb-access-logs", {
        compliant: [
            {
                resources: [
                    res("aws:lb/loadBalancer:LoadBalancer", "alb", {
                        loadBalancerType: "application",
                        accessLogs: { enabled: true, bucket: "platform-dev-logs", prefix: "alb" },
                    }),
                ],
            },
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" })] },
            {
                resources: [
                    res("awsx:lb:ApplicationLoadBalancer", "alb", {
                        accessLogs: { enabled: true, bucket: "platform-dev-logs" },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const lb = res("aws:alb/loadBalancer:LoadBalancer", "alb", {});
                return {
                    resources: [lb],
                    flagged: [lb],
                    message: /Set accessLogs: \{ enabled: true, bucket: <log archive bucket>/,
                };
            })(),
            (() => {
                const lb = res("aws:lb/loadBalancer:LoadBalancer", "disabled", {
                    accessLogs: { enabled: false, bucket: "platform-dev-logs" },
                });
                return { resources: [lb], flagged: [lb], message: /Set accessLogs/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { enabled: true, bucket: UNKNOWN } }),
                ],
            },
        ],
    });

    const dist = (name: string, extra: Record<string, unknown> = {}) =>
        res("aws:cloudfront/distribution:Distribution", name, { enabled: true, ...extra });
    policyCases(pack, "cloudfront-access-logs", {
        compliant: [
            {
                resources: [
                    dist("web", {
                        loggingConfig: { bucket: "platform-dev-logs.s3.amazonaws.com", prefix: "cloudfront/web/" },
                    }),
                ],
            },
            (() => {
                const d = dist("web");
                return {
                    resources: [
                        d,
                        res(
                            "aws:cloudwatch/logDeliverySource:LogDeliverySource",
                            "web-logs",
                            { logType: "ACCESS_LOGS", resourceArn: "arn:aws:test:::web" },
                            { deps: { resourceArn: [d] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                const d = dist("web");
                return {
                    resources: [d],
                    flagged: [d],
                    message: /Set loggingConfig: \{ bucket: <log archive bucket domain name>/,
                };
            })(),
        ],
        unknown: [{ resources: [dist("web", { loggingConfig: { bucket: UNKNOWN } })] }],
    });

    policyCases(pack, "apigateway-stage-access-logs", {
        compliant: [
            {
                resources: [
                    res("aws:apigateway/stage:Stage", "v1", {
                        stageName: "v1",
                        accessLogSettings: { destinationArn: LOGS, format: '{"requestId":"$context.requestId"}' },
                    }),
                ],
            },
            {
                resources: [
                    res("aws:apigatewayv2/stage:Stage", "default", {
                        name: "$default",
                        accessLogSettings: { destinationArn: LOGS, format: '{"requestId":"$context.requestId"}' },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const s = res("aws:apigateway/stage:Stage", "v1", { stageName: "v1", xrayTracingEnabled: true });
                return {
                    resources: [s],
                    flagged: [s],
                    message: /Set accessLogSettings: \{ destinationArn: <log group ARN>, format/,
                };
            })(),
            (() => {
                const s = res("aws:apigatewayv2/stage:Stage", "default", {
                    name: "$default",
                    accessLogSettings: { destinationArn: LOGS },
                });
                return { resources: [s], flagged: [s], message: /format: <JSON access log format>/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:apigateway/stage:Stage", "v1", {
                        accessLogSettings: { destinationArn: UNKNOWN, format: "{}" },
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "cloudtrail-log-validation", {
        compliant: [
            {
                resources: [
                    res("aws:cloudtrail/trail:Trail", "audit", { s3BucketName: "logs", enableLogFileValidation: true }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:cloudtrail/trail:Trail", "audit", { s3BucketName: "logs" });
                return { resources: [t], flagged: [t], message: /Set enableLogFileValidation: true\./ };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudtrail/trail:Trail", "audit", { enableLogFileValidation: UNKNOWN })] }],
    });

    policyCases(pack, "sfn-logging", {
        compliant: [
            {
                resources: [
                    res("aws:sfn/stateMachine:StateMachine", "orders", {
                        loggingConfiguration: {
                            level: "ERROR",
                            logDestination: `${LOGS}:*`,
                            includeExecutionData: false,
                        },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const m = res("aws:sfn/stateMachine:StateMachine", "orders", {
                    loggingConfiguration: { level: "OFF" },
                });
                return {
                    resources: [m],
                    flagged: [m],
                    message: /Set loggingConfiguration: \{ level: "ERROR" \(or "ALL"\), logDestination/,
                };
            })(),
            (() => {
                const m = res("aws:sfn/stateMachine:StateMachine", "no-dest", {
                    loggingConfiguration: { level: "ALL" },
                });
                return { resources: [m], flagged: [m], message: /logDestination: "<log group ARN>:\*"/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:sfn/stateMachine:StateMachine", "orders", { loggingConfiguration: { level: UNKNOWN } }),
                ],
            },
        ],
    });

    policyCases(pack, "eks-control-plane-logs", {
        compliant: [
            {
                resources: [
                    res("aws:eks/cluster:Cluster", "eks", {
                        enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                    }),
                ],
            },
            {
                resources: [
                    res("eks:index:Cluster", "postech", { enabledClusterLogTypes: ["api", "audit", "authenticator"] }),
                ],
            },
        ],
        violating: [
            (() => {
                const c = res("eks:index:Cluster", "postech", { enabledClusterLogTypes: ["api"] });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /Add "audit", "authenticator" to enabledClusterLogTypes\./,
                };
            })(),
            (() => {
                const c = res("aws:eks/cluster:Cluster", "eks", {});
                return {
                    resources: [c],
                    flagged: [c],
                    message: /Add "api", "audit", "authenticator" to enabledClusterLogTypes\./,
                };
            })(),
        ],
        unknown: [{ resources: [res("eks:index:Cluster", "postech", { enabledClusterLogTypes: UNKNOWN })] }],
    });

    policyCases(pack, "ecs-container-logging", {
        compliant: [
            {
                resources: [
                    res("aws:ecs/taskDefinition:TaskDefinition", "checkout", {
                        family: "checkout",
                        containerDefinitions: JSON.stringify([
                            container("checkout", true),
                            container("xray-daemon", true),
                        ]),
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:ecs/taskDefinition:TaskDefinition", "checkout", {
                    family: "checkout",
                    containerDefinitions: JSON.stringify([
                        container("checkout", true),
                        container("xray-daemon", false),
                    ]),
                });
                return {
                    resources: [t],
                    flagged: [t],
                    message: /Container "xray-daemon": set logConfiguration \{ logDriver: "awslogs"/,
                };
            })(),
            (() => {
                const t = res("aws:ecs/taskDefinition:TaskDefinition", "broken", {
                    family: "broken",
                    containerDefinitions: "not json",
                });
                return { resources: [t], flagged: [t], message: /containerDefinitions is not a JSON array/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ecs/taskDefinition:TaskDefinition", "checkout", {
                        family: "checkout",
                        containerDefinitions: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "ec2-vpc-flow-logs", {
        compliant: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                return {
                    resources: [
                        vpc,
                        res(
                            "aws:ec2/flowLog:FlowLog",
                            "vpc-flow",
                            { vpcId: "vpc-id", trafficType: "ALL", logDestination: LOGS },
                            { deps: { vpcId: [vpc] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                const other = res("aws:ec2/vpc:Vpc", "other", { cidrBlock: "10.1.0.0/16" });
                const fl = res(
                    "aws:ec2/flowLog:FlowLog",
                    "vpc-flow",
                    { vpcId: "vpc-id", trafficType: "ALL" },
                    { deps: { vpcId: [vpc] } },
                );
                return {
                    resources: [vpc, other, fl],
                    flagged: [other],
                    message: /VPC other: add an aws\.ec2\.FlowLog \{ vpcId, trafficType: "ALL"/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                return {
                    resources: [
                        vpc,
                        res("aws:ec2/flowLog:FlowLog", "vpc-flow", { vpcId: UNKNOWN, trafficType: "ALL" }),
                    ],
                };
            })(),
        ],
    });

    const visibility = (metrics: boolean) => ({
        cloudwatchMetricsEnabled: metrics,
        sampledRequestsEnabled: true,
        metricName: "m",
    });
    const acl = (name: string, extra: Record<string, unknown> = {}) =>
        res("aws:wafv2/webAcl:WebAcl", name, {
            scope: "CLOUDFRONT",
            defaultAction: { allow: {} },
            visibilityConfig: visibility(true),
            rules: [{ name: "AWSManagedRulesCommonRuleSet", priority: 1, visibilityConfig: visibility(true) }],
            ...extra,
        });

    policyCases(pack, "wafv2-metrics", {
        compliant: [{ resources: [acl("edge")] }],
        violating: [
            (() => {
                const a = acl("edge", {
                    visibilityConfig: visibility(false),
                    rules: [{ name: "rate-limit", priority: 2, visibilityConfig: visibility(false) }],
                });
                return {
                    resources: [a],
                    flagged: [a],
                    count: 2,
                    message:
                        /(Set visibilityConfig: \{ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true|Rule "rate-limit": set visibilityConfig\.cloudwatchMetricsEnabled: true)/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    acl("edge", {
                        visibilityConfig: { cloudwatchMetricsEnabled: UNKNOWN, sampledRequestsEnabled: true },
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "wafv2-logging", {
        compliant: [
            (() => {
                const a = acl("edge");
                return {
                    resources: [
                        a,
                        res(
                            "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                            "edge-logs",
                            {
                                resourceArn: "arn:aws:test:::edge",
                                logDestinationConfigs: [
                                    "arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-edge",
                                ],
                            },
                            { deps: { resourceArn: [a] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                const a = acl("edge");
                return {
                    resources: [a],
                    flagged: [a],
                    message: /Add an aws\.wafv2\.WebAclLoggingConfiguration \{ resourceArn: <this web ACL ARN>/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    acl("edge"),
                    res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge-logs", {
                        resourceArn: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "cloudwatch-log-group-retention", {
        compliant: [
            { resources: [res("aws:cloudwatch/logGroup:LogGroup", "api", { retentionInDays: 7, kmsKeyId: "k" })] },
        ],
        violating: [
            (() => {
                const g = res("aws:cloudwatch/logGroup:LogGroup", "api", { kmsKeyId: "k" });
                return {
                    resources: [g],
                    flagged: [g],
                    message: /Set retentionInDays \(e\.g\. 7 in dev, 90 or more in prod\)/,
                };
            })(),
            (() => {
                const g = res("aws:cloudwatch/logGroup:LogGroup", "forever", { retentionInDays: 0 });
                return { resources: [g], flagged: [g], message: /Set retentionInDays/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudwatch/logGroup:LogGroup", "api", { retentionInDays: UNKNOWN })] }],
    });

    describe("server access logging (AwsSolutions-S1, FSBP S3.9)", () => {
        const BUCKET = "aws:s3/bucket:Bucket";
        const site = res(BUCKET, "site", { bucket: "site-7a2b" });
        const logs = res(BUCKET, "logs", { bucket: "logs-5f1c" });
        const logging = (name: string, from: typeof site, target: unknown) =>
            res(
                "aws:s3/bucketLogging:BucketLogging",
                name,
                { bucket: from.inputs.bucket, targetBucket: target, targetPrefix: `${name}/` },
                { deps: { bucket: [from] } },
            );
        const deliveryPolicy = (statement: Record<string, unknown>) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
        const s3Logging = {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::logs-5f1c/*",
            Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        };
        policyCases(pack, "s3-bucket-access-logging", {
            compliant: [
                // site logs to logs (v7 BucketLogging); logs is exempt as the target.
                { resources: [site, logs, logging("site-logging", site, "logs-5f1c")] },
                // Older state: inline `logging` (one-element list) and v6 BucketV2 `loggings`.
                {
                    resources: [
                        res(BUCKET, "old", { bucket: "old-1", logging: [{ targetBucket: "logs-5f1c" }] }),
                        res("aws:s3/bucketV2:BucketV2", "v6", {
                            bucket: "v6-1",
                            loggings: [{ targetBucket: "logs-5f1c" }],
                        }),
                        logs,
                    ],
                },
                // A log destination through its bucket policy alone (the sources are in another stack).
                {
                    resources: [
                        logs,
                        res(
                            "aws:s3/bucketPolicy:BucketPolicy",
                            "logs-policy",
                            { bucket: "logs-5f1c", policy: deliveryPolicy(s3Logging) },
                            { deps: { bucket: [logs] } },
                        ),
                    ],
                },
                // ... or through the legacy log-delivery ACL.
                { resources: [res(BUCKET, "acl-logs", { bucket: "acl-logs-1", acl: "log-delivery-write" })] },
            ],
            violating: [
                {
                    resources: [site],
                    flagged: [site],
                    message: /bucket "site" has no server access logging: add an aws\.s3\.BucketLogging/,
                },
                (() => {
                    // A policy that lets another service (not S3 logging) write does not make a log bucket.
                    const trail = res(BUCKET, "trail", {
                        bucket: "trail-1",
                        policy: deliveryPolicy({ ...s3Logging, Principal: { Service: "cloudtrail.amazonaws.com" } }),
                    });
                    return {
                        resources: [trail],
                        flagged: [trail],
                        message: /bucket "trail" has no server access logging/,
                    };
                })(),
            ],
            // The only logging's target is unknown in this preview: whether site is a log bucket is undecided.
            unknown: [{ resources: [site, logs, logging("logs-logging", logs, UNKNOWN)] }],
        });
    });

    policyCases(pack, "rds-log-exports", {
        compliant: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "pg", {
                        engine: "postgres",
                        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                    }),
                ],
            },
            {
                resources: [
                    res("aws:rds/instance:Instance", "mysql", {
                        engine: "mysql",
                        // No general log: the policy does not ask for it (every statement, with its values).
                        enabledCloudwatchLogsExports: ["audit", "error", "slowquery", "iam-db-auth-error"],
                    }),
                ],
            },
            // Aurora PostgreSQL has no upgrade log; its members export at cluster level; other engines not judged.
            {
                resources: [
                    res("aws:rds/cluster:Cluster", "aurora", {
                        engine: "aurora-postgresql",
                        enabledCloudwatchLogsExports: ["postgresql"],
                    }),
                    res("aws:rds/instance:Instance", "aurora-1", { engine: "aurora-postgresql" }),
                    res("aws:rds/instance:Instance", "db2", { engine: "db2-se" }),
                ],
            },
        ],
        violating: [
            (() => {
                // spotmusic-db as it was planned before its audit option group: error and slowquery only.
                const db = res("aws:rds/instance:Instance", "spotmusic-db", {
                    engine: "mysql",
                    engineVersion: "8.0",
                    enabledCloudwatchLogsExports: ["error", "slowquery"],
                });
                return {
                    resources: [db],
                    flagged: [db],
                    message: /lacks "audit": mysql must export audit, error, slowquery \(/,
                };
            })(),
            (() => {
                const c = res("aws:rds/cluster:Cluster", "orders", { engine: "aurora-mysql" });
                return { resources: [c], flagged: [c], message: /lacks "audit", "error", "slowquery":/ };
            })(),
            (() => {
                const db = res("aws:rds/instance:Instance", "ora", {
                    engine: "oracle-ee",
                    enabledCloudwatchLogsExports: ["alert", "audit"],
                });
                return { resources: [db], flagged: [db], message: /lacks "trace", "listener"/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "pg", {
                        engine: "postgres",
                        enabledCloudwatchLogsExports: UNKNOWN,
                    }),
                ],
            },
        ],
    });
});
