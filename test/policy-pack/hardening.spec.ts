import * as assert from "assert";
import { hardeningPolicies } from "../../policy-pack/policies/hardening";
import { policyCases, res, TestResource, UNKNOWN, usePack } from "./support/harness";

const SSL_DENY = (action: string, resource: string | string[]) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const bucket = (name: string, extra: Record<string, unknown> = {}) => res("aws:s3/bucket:Bucket", name, extra);
const bucketPolicy = (b: TestResource, policy: unknown) =>
    res(
        "aws:s3/bucketPolicy:BucketPolicy",
        `${b.name}-policy`,
        { bucket: `${b.name}-id`, policy },
        { deps: { bucket: [b] } },
    );

const containerDefs = (defs: Record<string, unknown>[]) => JSON.stringify(defs);
const hardened = { name: "app", image: "app:1", readonlyRootFilesystem: true, user: "1000" };
const taskDef = (name: string, defs: unknown, extra: Record<string, unknown> = {}) =>
    res("aws:ecs/taskDefinition:TaskDefinition", name, { family: name, containerDefinitions: defs, ...extra });

describe("policy-pack/policies/hardening (through the analyzer)", () => {
    const pack = usePack();

    it("registers every hardening policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of hardeningPolicies)
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
    });

    policyCases(pack, "s3-bucket-ssl-requests-only", {
        compliant: [
            (() => {
                const b = bucket("assets");
                return {
                    resources: [
                        b,
                        bucketPolicy(b, doc(SSL_DENY("s3:*", ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"]))),
                    ],
                };
            })(),
            // Older providers: the policy inline on the bucket.
            { resources: [bucket("old", { policy: doc(SSL_DENY("*", "arn:aws:s3:::old/*")) })] },
        ],
        violating: [
            {
                resources: [bucket("bare")],
                flagged: [bucket("bare")],
                message: /bucket bare accepts requests without TLS/,
            },
            (() => {
                // Denies only on the bucket ARN (not the objects), and an Allow never enforces TLS.
                const b = bucket("half");
                const allow = { ...SSL_DENY("s3:*", "arn:aws:s3:::half/*"), Effect: "Allow" };
                return {
                    resources: [b, bucketPolicy(b, doc(SSL_DENY("s3:*", "arn:aws:s3:::half"), allow))],
                    flagged: [b],
                    message: /"aws:SecureTransport": "false"/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const b = bucket("assets");
                return { resources: [b, bucketPolicy(b, UNKNOWN)] };
            })(),
        ],
    });

    policyCases(pack, "sqs-queue-ssl-requests-only", {
        compliant: [
            (() => {
                const q = res("aws:sqs/queue:Queue", "jobs", {});
                const p = res(
                    "aws:sqs/queuePolicy:QueuePolicy",
                    "jobs-policy",
                    { queueUrl: "jobs-id", policy: doc(SSL_DENY("sqs:*", "arn:aws:sqs:::jobs")) },
                    { deps: { queueUrl: [q] } },
                );
                return { resources: [q, p] };
            })(),
        ],
        violating: [
            (() => {
                const q = res("aws:sqs/queue:Queue", "jobs", { policy: doc(SSL_DENY("sqs:ReceiveMessage", "*")) });
                return { resources: [q], flagged: [q], message: /queue jobs accepts requests without TLS/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:sqs/queue:Queue", "jobs", { policy: UNKNOWN })] }],
    });

    policyCases(pack, "sns-topic-ssl-requests-only", {
        compliant: [
            (() => {
                const t = res("aws:sns/topic:Topic", "alarms", {});
                const p = res(
                    "aws:sns/topicPolicy:TopicPolicy",
                    "alarms-policy",
                    { arn: "arn:aws:test:::alarms", policy: doc(SSL_DENY("sns:Publish", "arn:aws:sns:::alarms")) },
                    { deps: { arn: [t] } },
                );
                return { resources: [t, p] };
            })(),
        ],
        violating: [
            (() => {
                const t = res("aws:sns/topic:Topic", "alarms", {});
                return { resources: [t], flagged: [t], message: /topic alarms accepts requests without TLS/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:sns/topic:Topic", "alarms", { policy: UNKNOWN })] }],
    });

    policyCases(pack, "sqs-queue-dead-letter-queue", {
        compliant: [
            (() => {
                const dlq = res("aws:sqs/queue:Queue", "jobs-dlq", {});
                const q = res(
                    "aws:sqs/queue:Queue",
                    "jobs",
                    {
                        redrivePolicy: JSON.stringify({
                            deadLetterTargetArn: "arn:aws:test:::jobs-dlq",
                            maxReceiveCount: 5,
                        }),
                    },
                    { deps: { redrivePolicy: [dlq] } },
                );
                return { resources: [dlq, q] };
            })(),
        ],
        violating: [
            (() => {
                const q = res("aws:sqs/queue:Queue", "jobs", {});
                return {
                    resources: [q],
                    flagged: [q],
                    message: /queue jobs has no dead-letter queue: set redrivePolicy/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:sqs/queue:Queue", "jobs", { redrivePolicy: UNKNOWN })] }],
    });

    policyCases(pack, "ec2-imdsv2-required", {
        compliant: [
            { resources: [res("aws:ec2/instance:Instance", "web", { metadataOptions: { httpTokens: "required" } })] },
            // v4 state: a one-element list.
            {
                resources: [
                    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                        metadataOptions: [{ httpTokens: "required", httpPutResponseHopLimit: 1 }],
                    }),
                ],
            },
            {
                resources: [
                    res("aws:ec2/instance:Instance", "nometa", { metadataOptions: { httpEndpoint: "disabled" } }),
                ],
            },
        ],
        violating: [
            (() => {
                const i = res("aws:ec2/instance:Instance", "web", {});
                return {
                    resources: [i],
                    flagged: [i],
                    message: /metadataOptions.httpTokens is null: set .*"required"/,
                };
            })(),
            (() => {
                const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                    metadataOptions: { httpTokens: "optional" },
                });
                return { resources: [lt], flagged: [lt], message: /httpTokens is "optional"/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ec2/instance:Instance", "web", { metadataOptions: UNKNOWN })] }],
    });

    policyCases(pack, "ecs-task-definition-container-hardening", {
        compliant: [
            { resources: [taskDef("api", containerDefs([hardened]), { networkMode: "awsvpc" })] },
            // EC2 launch type with host networking is fine for a non-root, non-privileged container.
            { resources: [taskDef("agent", containerDefs([hardened]), { networkMode: "host" })] },
        ],
        violating: [
            (() => {
                const t = taskDef("bad", containerDefs([{ ...hardened, privileged: true }]));
                return { resources: [t], flagged: [t], message: /container "app": privileged is true/ };
            })(),
            (() => {
                const t = taskDef("rw", containerDefs([{ name: "app", image: "app:1" }]));
                return { resources: [t], flagged: [t], message: /container "app": set readonlyRootFilesystem: true/ };
            })(),
            (() => {
                const t = taskDef("pid", containerDefs([hardened]), { pidMode: "host" });
                return { resources: [t], flagged: [t], message: /pidMode is "host"/ };
            })(),
            (() => {
                const t = taskDef("hostnet", containerDefs([{ ...hardened, user: "0:0" }]), { networkMode: "host" });
                return { resources: [t], flagged: [t], message: /networkMode "host" with user "0:0" runs as root/ };
            })(),
        ],
        unknown: [{ resources: [taskDef("api", UNKNOWN)] }],
    });

    policyCases(pack, "ecs-task-definition-no-secret-environment", {
        compliant: [
            {
                resources: [
                    taskDef(
                        "api",
                        containerDefs([
                            {
                                ...hardened,
                                environment: [{ name: "PORT", value: "8080" }],
                                secrets: [{ name: "AWS_SECRET_ACCESS_KEY", valueFrom: "arn:aws:secretsmanager:::s" }],
                            },
                        ]),
                    ),
                ],
            },
        ],
        violating: [
            (() => {
                const t = taskDef(
                    "api",
                    containerDefs([{ ...hardened, environment: [{ name: "AWS_SECRET_ACCESS_KEY", value: "x" }] }]),
                );
                return {
                    resources: [t],
                    flagged: [t],
                    message: /environment AWS_SECRET_ACCESS_KEY is stored in plain text/,
                };
            })(),
        ],
        unknown: [{ resources: [taskDef("api", UNKNOWN)] }],
    });

    policyCases(pack, "ecs-cluster-container-insights", {
        compliant: [
            {
                resources: [
                    res("aws:ecs/cluster:Cluster", "c", {
                        settings: [{ name: "containerInsights", value: "enhanced" }],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const c = res("aws:ecs/cluster:Cluster", "c", {
                    settings: [{ name: "containerInsights", value: "disabled" }],
                });
                return { resources: [c], flagged: [c], message: /name: "containerInsights", value: "enabled"/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ecs/cluster:Cluster", "c", { settings: UNKNOWN })] }],
    });

    policyCases(pack, "ecr-repository-image-scanning", {
        compliant: [
            {
                resources: [
                    res("aws:ecr/repository:Repository", "r", { imageScanningConfiguration: { scanOnPush: true } }),
                ],
            },
        ],
        violating: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "r", {});
                return { resources: [r], flagged: [r], message: /imageScanningConfiguration: \{ scanOnPush: true \}/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ecr/repository:Repository", "r", { imageScanningConfiguration: UNKNOWN })] }],
    });

    policyCases(pack, "ecr-repository-tag-immutability", {
        compliant: [{ resources: [res("aws:ecr/repository:Repository", "r", { imageTagMutability: "IMMUTABLE" })] }],
        violating: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "r", {});
                return {
                    resources: [r],
                    flagged: [r],
                    message: /imageTagMutability is "MUTABLE \(default\)": set "IMMUTABLE"/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:ecr/repository:Repository", "r", { imageTagMutability: UNKNOWN })] }],
    });

    policyCases(pack, "lb-drop-invalid-header-fields", {
        compliant: [
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: true })] },
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" })] },
        ],
        violating: [
            (() => {
                const lb = res("aws:alb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application" });
                return { resources: [lb], flagged: [lb], message: /Set dropInvalidHeaderFields: true/ };
            })(),
        ],
        unknown: [
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: UNKNOWN })] },
        ],
    });

    policyCases(pack, "lb-desync-mitigation", {
        compliant: [
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "alb", {})] },
            { resources: [res("aws:lb/loadBalancer:LoadBalancer", "alb", { desyncMitigationMode: "strictest" })] },
        ],
        violating: [
            (() => {
                const lb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { desyncMitigationMode: "monitor" });
                return {
                    resources: [lb],
                    flagged: [lb],
                    message: /desyncMitigationMode is "monitor": use "defensive"/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:lb/loadBalancer:LoadBalancer", "alb", { desyncMitigationMode: UNKNOWN })] }],
    });

    policyCases(pack, "wafv2-web-acl-has-rules", {
        compliant: [
            {
                resources: [
                    res("aws:wafv2/webAcl:WebAcl", "waf", {
                        rules: [{ name: "common", priority: 1, statement: { managedRuleGroupStatement: {} } }],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const w = res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [] });
                return { resources: [w], flagged: [w], message: /has no rules/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:wafv2/webAcl:WebAcl", "waf", { rules: UNKNOWN })] }],
    });

    policyCases(pack, "cloudfront-waf", {
        compliant: [
            {
                resources: [
                    res("aws:cloudfront/distribution:Distribution", "cdn", {
                        webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/1",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const d = res("aws:cloudfront/distribution:Distribution", "cdn", {});
                return { resources: [d], flagged: [d], message: /Set webAclId/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudfront/distribution:Distribution", "cdn", { webAclId: UNKNOWN })] }],
    });

    policyCases(pack, "apigateway-stage-waf", {
        compliant: [
            (() => {
                const s = res("aws:apigateway/stage:Stage", "v1", { stageName: "v1" });
                const a = res(
                    "aws:wafv2/webAclAssociation:WebAclAssociation",
                    "v1-waf",
                    { resourceArn: "arn:aws:test:::v1", webAclArn: "arn:aws:wafv2:::regional/webacl/api/1" },
                    { deps: { resourceArn: [s] } },
                );
                return { resources: [s, a] };
            })(),
        ],
        violating: [
            (() => {
                const s = res("aws:apigateway/stage:Stage", "v1", { stageName: "v1" });
                return {
                    resources: [s],
                    flagged: [s],
                    message: /stage v1 has no web ACL: add an aws.wafv2.WebAclAssociation/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const s = res("aws:apigateway/stage:Stage", "v1", { stageName: "v1", webAclArn: UNKNOWN });
                return { resources: [s] };
            })(),
        ],
    });

    policyCases(pack, "elasticache-automatic-backups", {
        compliant: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { snapshotRetentionLimit: 7 }),
                ],
            },
            { resources: [res("aws:elasticache/cluster:Cluster", "memcached", { engine: "memcached" })] },
        ],
        violating: [
            (() => {
                const r = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {});
                return {
                    resources: [r],
                    flagged: [r],
                    message: /snapshotRetentionLimit is null: set it to at least 1 day/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        snapshotRetentionLimit: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    const stage = (name: string, extra: Record<string, unknown> = {}) =>
        res("aws:apigateway/stage:Stage", name, { restApi: "api-id", stageName: name, ...extra });
    const methodSettings = (st: TestResource, settings: unknown, methodPath = "*/*") =>
        res(
            "aws:apigateway/methodSettings:MethodSettings",
            `${st.name}-settings`,
            { restApi: "api-id", stageName: st.name, methodPath, settings },
            { deps: { stageName: [st] } },
        );

    policyCases(pack, "apigateway-stage-execution-logging", {
        compliant: [
            (() => {
                const st = stage("v1");
                return { resources: [st, methodSettings(st, { loggingLevel: "ERROR" })] };
            })(),
            (() => {
                // Older state without property dependencies: linked by restApi and stageName.
                const st = stage("v2");
                const m = res("aws:apigateway/methodSettings:MethodSettings", "v2-settings", {
                    restApi: "api-id",
                    stageName: "v2",
                    methodPath: "*/*",
                    settings: { loggingLevel: "INFO" },
                });
                return { resources: [st, m] };
            })(),
        ],
        violating: [
            (() => {
                const st = stage("v1");
                return {
                    resources: [st, methodSettings(st, { loggingLevel: "OFF" })],
                    flagged: [st],
                    message: /stage v1 has no execution logging for all methods: .*methodPath: "\*\/\*"/,
                };
            })(),
            (() => {
                const st = stage("v1");
                return {
                    resources: [st, methodSettings(st, { loggingLevel: "ERROR" }, "orders/GET")],
                    flagged: [st],
                    message: /no execution logging for all methods/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const st = stage("v1");
                return { resources: [st, methodSettings(st, UNKNOWN)] };
            })(),
        ],
    });

    policyCases(pack, "apigateway-cache-encrypted", {
        compliant: [
            { resources: [methodSettings(stage("v1"), { cachingEnabled: true, cacheDataEncrypted: true })] },
            { resources: [methodSettings(stage("v1"), { cachingEnabled: false })] },
        ],
        violating: [
            (() => {
                const m = methodSettings(stage("v1"), { cachingEnabled: true });
                return { resources: [m], flagged: [m], message: /set settings.cacheDataEncrypted: true/ };
            })(),
        ],
        unknown: [{ resources: [methodSettings(stage("v1"), UNKNOWN)] }],
    });

    policyCases(pack, "apigateway-stage-xray-tracing", {
        compliant: [{ resources: [stage("v1", { xrayTracingEnabled: true })] }],
        violating: [
            (() => {
                const st = stage("v1");
                return { resources: [st], flagged: [st], message: /Set xrayTracingEnabled: true/ };
            })(),
        ],
        unknown: [{ resources: [stage("v1", { xrayTracingEnabled: UNKNOWN })] }],
    });

    policyCases(pack, "sfn-xray-tracing", {
        compliant: [
            {
                resources: [
                    res("aws:sfn/stateMachine:StateMachine", "flow", { tracingConfiguration: { enabled: true } }),
                ],
            },
        ],
        violating: [
            (() => {
                const m = res("aws:sfn/stateMachine:StateMachine", "flow", {
                    tracingConfiguration: { enabled: false },
                });
                return { resources: [m], flagged: [m], message: /tracingConfiguration: \{ enabled: true \}/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:sfn/stateMachine:StateMachine", "flow", { tracingConfiguration: UNKNOWN })] }],
    });

    const S3_ORIGIN = "site-abc.s3.sa-east-1.amazonaws.com";
    const dist = (origins: unknown, extra: Record<string, unknown> = {}) =>
        res("aws:cloudfront/distribution:Distribution", "cdn", { origins, ...extra });

    policyCases(pack, "cloudfront-s3-origin-access-control", {
        compliant: [
            { resources: [dist([{ originId: "site", domainName: S3_ORIGIN, originAccessControlId: "E123" }])] },
            // A website endpoint or an ALB is a custom origin.
            { resources: [dist([{ originId: "web", domainName: "site.s3-website-sa-east-1.amazonaws.com" }])] },
        ],
        violating: [
            (() => {
                const d = dist([
                    {
                        originId: "site",
                        domainName: S3_ORIGIN,
                        s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" },
                    },
                ]);
                return {
                    resources: [d],
                    flagged: [d],
                    message:
                        /origin site \(site-abc.s3.sa-east-1.amazonaws.com\) is an S3 bucket without originAccessControlId/,
                };
            })(),
        ],
        unknown: [{ resources: [dist(UNKNOWN)] }],
    });

    policyCases(pack, "cloudfront-default-root-object", {
        compliant: [
            { resources: [dist([{ originId: "site", domainName: S3_ORIGIN }], { defaultRootObject: "index.html" })] },
            { resources: [dist([{ originId: "app", domainName: "origin.example.com" }])] },
        ],
        violating: [
            (() => {
                const d = dist([{ originId: "site", domainName: S3_ORIGIN }]);
                return { resources: [d], flagged: [d], message: /Set defaultRootObject/ };
            })(),
        ],
        unknown: [{ resources: [dist([{ originId: "site", domainName: S3_ORIGIN }], { defaultRootObject: UNKNOWN })] }],
    });

    policyCases(pack, "autoscaling-group-launch-template", {
        compliant: [{ resources: [res("aws:autoscaling/group:Group", "nodes", { launchTemplate: { id: "lt-1" } })] }],
        violating: [
            (() => {
                const g = res("aws:autoscaling/group:Group", "nodes", { launchConfiguration: "nodes-lc" });
                return { resources: [g], flagged: [g], message: /launchConfiguration is set: use launchTemplate/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:autoscaling/group:Group", "nodes", { launchConfiguration: UNKNOWN })] }],
    });

    policyCases(pack, "cloudtrail-cloudwatch-logs", {
        compliant: [
            {
                resources: [
                    res("aws:cloudtrail/trail:Trail", "trail", {
                        cloudWatchLogsGroupArn: "arn:aws:logs:sa-east-1:123456789012:log-group:trail:*",
                        cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail-logs",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "logs" });
                return { resources: [t], flagged: [t], message: /Set cloudWatchLogsGroupArn/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudtrail/trail:Trail", "trail", { cloudWatchLogsGroupArn: UNKNOWN })] }],
    });

    policyCases(pack, "ecr-repository-lifecycle-policy", {
        compliant: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "api", { name: "api" });
                const p = res(
                    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                    "api-lifecycle",
                    { repository: "api", policy: "{}" },
                    { deps: { repository: [r] } },
                );
                return { resources: [r, p] };
            })(),
        ],
        violating: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "api", { name: "api" });
                return { resources: [r], flagged: [r], message: /repository api keeps every image forever/ };
            })(),
        ],
        unknown: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "api", { name: "api" }, { noIds: true });
                const p = res("aws:ecr/lifecyclePolicy:LifecyclePolicy", "api-lifecycle", { repository: UNKNOWN });
                return { resources: [r, p] };
            })(),
        ],
    });

    policyCases(pack, "ecs-fargate-latest-platform", {
        compliant: [
            {
                resources: [
                    res("aws:ecs/service:Service", "api", { launchType: "FARGATE", platformVersion: "LATEST" }),
                ],
            },
            { resources: [res("aws:ecs/service:Service", "api", { launchType: "FARGATE" })] },
        ],
        violating: [
            (() => {
                const svc = res("aws:ecs/service:Service", "api", { launchType: "FARGATE", platformVersion: "1.3.0" });
                return { resources: [svc], flagged: [svc], message: /platformVersion is "1.3.0": use "LATEST"/ };
            })(),
            (() => {
                const svc = res("aws:ecs/service:Service", "spot", {
                    capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
                    platformVersion: "1.3.0",
                });
                return { resources: [svc], flagged: [svc], message: /platformVersion is "1.3.0"/ };
            })(),
        ],
        unknown: [
            { resources: [res("aws:ecs/service:Service", "api", { launchType: "FARGATE", platformVersion: UNKNOWN })] },
        ],
    });

    policyCases(pack, "elasticache-auto-minor-version-upgrade", {
        compliant: [
            { resources: [res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {})] },
            { resources: [res("aws:elasticache/cluster:Cluster", "c", { autoMinorVersionUpgrade: "true" })] },
        ],
        violating: [
            (() => {
                const r = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                    autoMinorVersionUpgrade: false,
                });
                return { resources: [r], flagged: [r], message: /autoMinorVersionUpgrade is false/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        autoMinorVersionUpgrade: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "rds-iam-authentication", {
        compliant: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "db", {
                        engine: "postgres",
                        iamDatabaseAuthenticationEnabled: true,
                    }),
                ],
            },
            { resources: [res("aws:rds/instance:Instance", "mssql", { engine: "sqlserver-se" })] },
            { resources: [res("aws:rds/instance:Instance", "member", { engine: "aurora-postgresql" })] },
        ],
        violating: [
            (() => {
                const db = res("aws:rds/instance:Instance", "db", { engine: "mysql" });
                return { resources: [db], flagged: [db], message: /Set iamDatabaseAuthenticationEnabled: true/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "db", {
                        engine: "postgres",
                        iamDatabaseAuthenticationEnabled: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "rds-auto-minor-version-upgrade", {
        compliant: [{ resources: [res("aws:rds/instance:Instance", "db", { engine: "postgres" })] }],
        violating: [
            (() => {
                const db = res("aws:rds/instance:Instance", "db", { autoMinorVersionUpgrade: false });
                return { resources: [db], flagged: [db], message: /autoMinorVersionUpgrade is false/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:rds/instance:Instance", "db", { autoMinorVersionUpgrade: UNKNOWN })] }],
    });

    policyCases(pack, "lambda-vpc-multi-az", {
        compliant: [
            {
                resources: [
                    res("aws:lambda/function:Function", "fn", { vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } }),
                ],
            },
            { resources: [res("aws:lambda/function:Function", "fn", {})] },
        ],
        violating: [
            (() => {
                const fn = res("aws:lambda/function:Function", "fn", { vpcConfig: { subnetIds: ["subnet-a"] } });
                return { resources: [fn], flagged: [fn], message: /vpcConfig.subnetIds has one subnet/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:lambda/function:Function", "fn", { vpcConfig: UNKNOWN })] }],
    });

    policyCases(pack, "ec2-subnet-no-auto-public-ip", {
        compliant: [{ resources: [res("aws:ec2/subnet:Subnet", "public-a", { mapPublicIpOnLaunch: false })] }],
        violating: [
            (() => {
                const sn = res("aws:ec2/subnet:Subnet", "public-a", { mapPublicIpOnLaunch: true });
                return { resources: [sn], flagged: [sn], message: /mapPublicIpOnLaunch is true/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ec2/subnet:Subnet", "public-a", { mapPublicIpOnLaunch: UNKNOWN })] }],
    });

    policyCases(pack, "cognito-user-pool-password-policy", {
        compliant: [
            {
                resources: [
                    res("aws:cognito/userPool:UserPool", "users", {
                        passwordPolicy: {
                            minimumLength: 12,
                            requireUppercase: true,
                            requireNumbers: true,
                            requireSymbols: true,
                        },
                    }),
                ],
            },
            { resources: [res("aws:cognito/userPool:UserPool", "users", {})] },
        ],
        violating: [
            (() => {
                const u = res("aws:cognito/userPool:UserPool", "users", {
                    passwordPolicy: { minimumLength: 6, requireSymbols: false },
                });
                return {
                    resources: [u],
                    flagged: [u],
                    message: /passwordPolicy is weak \(minimumLength 6, requireSymbols\)/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:cognito/userPool:UserPool", "users", { passwordPolicy: UNKNOWN })] }],
    });

    policyCases(pack, "s3-bucket-lifecycle", {
        compliant: [
            (() => {
                const b = bucket("logs");
                const l = res(
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    "logs-lifecycle",
                    { bucket: "logs-id", rules: [{ id: "expire", status: "Enabled" }] },
                    { deps: { bucket: [b] } },
                );
                return { resources: [b, l] };
            })(),
            { resources: [bucket("old", { lifecycleRules: [{ id: "expire", enabled: true }] })] },
        ],
        violating: [
            (() => {
                const b = bucket("old", { lifecycleRules: [{ id: "expire", enabled: false }] });
                return { resources: [b], flagged: [b], message: /bucket old has no lifecycle rules/ };
            })(),
        ],
        unknown: [{ resources: [bucket("old", { lifecycleRules: UNKNOWN })] }],
    });

    policyCases(pack, "elasticache-subnet-group", {
        compliant: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        subnetGroupName: "cache-subnets",
                    }),
                ],
            },
            { resources: [res("aws:elasticache/cluster:Cluster", "member", { replicationGroupId: "cache" })] },
        ],
        violating: [
            (() => {
                const r = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {});
                return {
                    resources: [r],
                    flagged: [r],
                    message: /Set subnetGroupName to a subnet group of private subnets/,
                };
            })(),
            (() => {
                const c = res("aws:elasticache/cluster:Cluster", "memcached", {
                    engine: "memcached",
                    subnetGroupName: "default",
                });
                return { resources: [c], flagged: [c], message: /default group/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { subnetGroupName: UNKNOWN }),
                ],
            },
        ],
    });
});
