/**
 * The spotmusic resource graph, read from the dev and prod offline plans: CloudFront's three
 * behaviours (web app, signed audio, API) with WAF, the key group and its private key in Secrets
 * Manager, the HTTP API (JWT route, VPC link integration, logged stage), the internal ALB and its rule,
 * the security group graph as a set, each role statement by statement, SSM SecureString parameters,
 * Redis, MySQL, the queue, scaling, alarms, tags, outputs, and the settings' validation messages.
 */
import * as assert from "assert";
import { validateConfig, ConfigValidationError } from "../../infra/config/load";
import { MANAGED_POLICIES } from "../../infra/edge/cdn-distribution";
import { DEFAULT_TLS_POLICY } from "../../infra/edge/load-balancer";
import { MANAGED_RULE_GROUPS } from "../../infra/edge/web-acl";
import { ACCESS_LOG_FORMAT, spotmusic } from "../../stacks/spotmusic";
import { mockImageDigest } from "../../tools/lib/mocks";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { describeDatabaseUsers } from "../support/database-users";
import { nameOf, Plan, policyDocument, releasedPlan } from "../support/plan";

const ARCH = "platform:architecture:Spotmusic";
const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    tg: "aws:lb/targetGroup:TargetGroup",
    service: "aws:ecs/service:Service",
    task: "aws:ecs/taskDefinition:TaskDefinition",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    repo: "aws:ecr/repository:Repository",
    kmsKey: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    db: "aws:rds/instance:Instance",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    queue: "aws:sqs/queue:Queue",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    secret: "aws:secretsmanager/secret:Secret",
    password: "random:index/randomPassword:RandomPassword",
    dist: "aws:cloudfront/distribution:Distribution",
    acl: "aws:wafv2/webAcl:WebAcl",
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    api: "aws:apigatewayv2/api:Api",
    route: "aws:apigatewayv2/route:Route",
    integration: "aws:apigatewayv2/integration:Integration",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    stage: "aws:apigatewayv2/stage:Stage",
    vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
    parameter: "aws:ssm/parameter:Parameter",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
} as const;

const ofArch = (plan: Plan, type?: string) =>
    plan.resources.filter((r) => r.urn.includes(`::${ARCH}`) && (type === undefined || r.type === type));
const key = (plan: Plan, purpose: string) =>
    plan
        .ofType(T.kmsKey)
        .find(
            (k) => (k.inputs!.tags as any).Purpose === purpose && (k.inputs!.tags as any).Architecture === "foundation",
        )!.outputs!.arn as string;
const subnetIds = (plan: Plan, tier: string) =>
    plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs!.tags as any).Tier === tier)
        .map((s) => s.id);
const containers = (task: ExportedResource) => JSON.parse(task.inputs!.containerDefinitions as string);
const arnOf = (plan: Plan, type: string, name: string) => plan.one(type, name).outputs!.arn as string;
const isSecret = (v: any) =>
    v && typeof v === "object" && v["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";
const dependsOn = (r: ExportedResource, property: string, urn: string) =>
    ((r as any).propertyDependencies?.[property] ?? []).includes(urn);
const domainOf = (stack: string) => (stack === "dev" ? "music.dev.example.com" : "music.example.com");

/** Security group id -> role (`lb`, `web-api`, `db`, `cache`, `vpc-link`, ...). */
function sgRoles(plan: Plan): Map<string, string> {
    return new Map(
        ofArch(plan, T.sg).map((sg) => [
            sg.id!,
            nameOf(sg)
                .replace(/^spotmusic-/, "")
                .replace(/-sg$/, ""),
        ]),
    );
}
function ruleSet(plan: Plan): string[] {
    const roles = sgRoles(plan);
    const peer = (r: ExportedResource) => {
        const i = r.inputs as any;
        return i.referencedSecurityGroupId
            ? (roles.get(i.referencedSecurityGroupId) ?? "UNKNOWN-SG")
            : (i.cidrIpv4 ?? i.prefixListId);
    };
    const line = (r: ExportedResource, dir: string) =>
        `${roles.get(r.inputs!.securityGroupId as string)} ${dir} ${String(peer(r))} ${String(r.inputs!.ipProtocol)} ${String(r.inputs!.fromPort)}-${String(r.inputs!.toPort)}`;
    return [
        ...ofArch(plan, T.ingress).map((r) => line(r, "from")),
        ...ofArch(plan, T.egress).map((r) => line(r, "to")),
    ].sort();
}

const TAGS = (stack: string) => ({
    Project: "platform",
    Environment: stack,
    Architecture: "spotmusic",
    ManagedBy: "pulumi",
    Stack: stack,
    CostCenter: `platform-${stack}`,
});
const UNTAGGABLE = new Set([
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:appautoscaling/policy:Policy",
    "aws:cloudwatch/dashboard:Dashboard",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:route53/record:Record",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/publicKey:PublicKey",
    "aws:cloudfront/keyGroup:KeyGroup",
    "aws:apigatewayv2/integration:Integration",
    "aws:apigatewayv2/route:Route",
    "aws:apigatewayv2/authorizer:Authorizer",
    "random:index/randomPassword:RandomPassword",
    "tls:index/privateKey:PrivateKey",
    "aws:lambda/invocation:Invocation",
]);

for (const stack of ["dev", "prod"] as const) {
    describe(`spotmusic graph (${stack} plan)`, () => {
        let plan: Plan;
        before(function () {
            this.timeout(300_000);
            plan = releasedPlan(stack);
        });
        const prod = stack === "prod";

        // ------------------------------------------------------------ CloudFront, WAF, signed audio
        it("serves the web app, signed audio and the API from one distribution: HTTPS only, TLSv1.2_2021, WAF", () => {
            const d = plan.one(T.dist, "spotmusic-cdn").inputs as any;
            assert.deepStrictEqual(d.aliases, [domainOf(stack)]);
            assert.deepStrictEqual(d.viewerCertificate, {
                acmCertificateArn: plan.one(T.cert, "spotmusic-cdn-certificate").outputs!.arn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            });
            assert.strictEqual(d.defaultRootObject, "index.html");
            const oac = plan.one("aws:cloudfront/originAccessControl:OriginAccessControl", "spotmusic-cdn-oac");
            const origin = (id: string) => d.origins.find((o: any) => o.originId === id);
            assert.deepStrictEqual(
                d.origins.map((o: any) => o.originId),
                ["api", "audio", "web"],
            );
            assert.deepStrictEqual(
                [origin("web").domainName, origin("web").originAccessControlId],
                [plan.one(T.bucket, "spotmusic-web").outputs!.bucketRegionalDomainName, oac.id],
            );
            assert.deepStrictEqual(
                [origin("audio").domainName, origin("audio").originAccessControlId],
                [plan.one(T.bucket, "spotmusic-audio").outputs!.bucketRegionalDomainName, oac.id],
            );
            assert.strictEqual(
                origin("api").domainName,
                (plan.one(T.api, "spotmusic-api").outputs!.apiEndpoint as string).replace("https://", ""),
            );
            assert.deepStrictEqual(origin("api").customOriginConfig, {
                originProtocolPolicy: "https-only",
                originSslProtocols: ["TLSv1.2"],
                httpsPort: 443,
                httpPort: 80,
                originReadTimeout: 30,
                originKeepaliveTimeout: 5,
            });
            assert.deepStrictEqual(
                origin("api").customHeaders.map((h: any) => [h.name, isSecret(h.value)]),
                [["X-Origin-Verify", true]],
            );
            const dist = plan.one(T.dist, "spotmusic-cdn");
            assert.ok(dependsOn(dist, "origins", plan.one(T.password, "spotmusic-origin-verify").urn));
            assert.deepStrictEqual(
                [
                    d.defaultCacheBehavior.targetOriginId,
                    d.defaultCacheBehavior.cachePolicyId,
                    d.defaultCacheBehavior.viewerProtocolPolicy,
                    d.defaultCacheBehavior.trustedKeyGroups,
                ],
                ["web", MANAGED_POLICIES.cachingOptimized, "redirect-to-https", undefined],
            );
            const keyGroup = plan.one("aws:cloudfront/keyGroup:KeyGroup", "spotmusic-signers");
            assert.deepStrictEqual(
                d.orderedCacheBehaviors.map((b: any) => [
                    b.pathPattern,
                    b.targetOriginId,
                    b.viewerProtocolPolicy,
                    b.cachePolicyId,
                    b.originRequestPolicyId,
                    b.trustedKeyGroups,
                    b.allowedMethods.length,
                ]),
                [
                    [
                        "/api/*",
                        "api",
                        "redirect-to-https",
                        MANAGED_POLICIES.cachingDisabled,
                        MANAGED_POLICIES.allViewerExceptHostHeader,
                        undefined,
                        7,
                    ],
                    [
                        "/audio/*",
                        "audio",
                        "redirect-to-https",
                        MANAGED_POLICIES.cachingOptimized,
                        undefined,
                        [keyGroup.id],
                        3,
                    ],
                ],
            );
            const acl = plan.one(T.acl, "spotmusic-cdn-waf").inputs as any;
            assert.strictEqual(acl.scope, "CLOUDFRONT");
            assert.deepStrictEqual(
                acl.rules.map((r: any) => r.name),
                ["rate-limit-per-ip", ...MANAGED_RULE_GROUPS],
            );
            assert.strictEqual(acl.rules[0].statement.rateBasedStatement.limit, 3000);
            assert.strictEqual(d.webAclId, arnOf(plan, T.acl, "spotmusic-cdn-waf"));
            assert.strictEqual(
                plan.one("aws:cloudwatch/logDeliverySource:LogDeliverySource", "spotmusic-cdn-access-logs").inputs!
                    .resourceArn,
                arnOf(plan, T.dist, "spotmusic-cdn"),
            );
        });

        it("verifies signed URLs and cookies with a key group whose RSA key web-api alone reads from Secrets Manager", () => {
            const privateKey = plan.one("tls:index/privateKey:PrivateKey", "spotmusic-signing-key");
            assert.deepStrictEqual([privateKey.inputs!.algorithm, privateKey.inputs!.rsaBits], ["RSA", 2048]);
            const publicKey = plan.one("aws:cloudfront/publicKey:PublicKey", "spotmusic-signing-key");
            assert.strictEqual(publicKey.inputs!.encodedKey, privateKey.outputs!.publicKeyPem);
            assert.deepStrictEqual(plan.one("aws:cloudfront/keyGroup:KeyGroup", "spotmusic-signers").inputs!.items, [
                publicKey.id,
            ]);
            const secret = plan.one(T.secret, "spotmusic-signing-key").inputs as any;
            assert.deepStrictEqual(
                [secret.kmsKeyId, secret.recoveryWindowInDays],
                [key(plan, "secrets"), prod ? 30 : 7],
            );
            const version = plan.one("aws:secretsmanager/secretVersion:SecretVersion", "spotmusic-signing-key-value");
            assert.ok(isSecret(version.inputs!.secretString), "the private key is stored as a secret");
            assert.ok(dependsOn(version, "secretString", privateKey.urn));
            assert.ok(
                !JSON.stringify(plan.document).includes("PRIVATE KEY-----"),
                "no private key in clear in the plan",
            );
        });

        it("serves private buckets only to this distribution: own rotating keys CloudFront may use, policies naming the distribution", () => {
            const dist = arnOf(plan, T.dist, "spotmusic-cdn");
            for (const b of ["web", "audio"]) {
                const arn = arnOf(plan, T.bucket, `spotmusic-${b}`);
                assert.deepStrictEqual(
                    policyDocument(plan.one(T.bucketPolicy, `spotmusic-${b}-policy`).inputs!.policy).Statement,
                    [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, `${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        {
                            Sid: "CloudFrontOriginAccessControl",
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: `${arn}/*`,
                            Condition: { StringEquals: { "AWS:SourceArn": dist } },
                        },
                    ],
                );
                const keyRes = plan.one(T.kmsKey, `spotmusic-${b}-key`);
                assert.strictEqual(keyRes.inputs!.enableKeyRotation, true);
                assert.deepStrictEqual(
                    plan.one(
                        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        `spotmusic-${b}-encryption`,
                    ).inputs!.rules,
                    [
                        {
                            applyServerSideEncryptionByDefault: {
                                sseAlgorithm: "aws:kms",
                                kmsMasterKeyId: keyRes.outputs!.arn,
                            },
                            bucketKeyEnabled: true,
                        },
                    ],
                );
                assert.deepStrictEqual(
                    plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `spotmusic-${b}-public-access`)
                        .inputs!.restrictPublicBuckets,
                    true,
                );
                assert.strictEqual(
                    plan.one("aws:s3/bucketLogging:BucketLogging", `spotmusic-${b}-access-logs`).inputs!.targetPrefix,
                    `s3/spotmusic-${b}/`,
                );
            }
            assert.deepStrictEqual(
                (
                    plan.one(
                        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                        "spotmusic-audio-lifecycle",
                    ).inputs!.rules as any[]
                )[0].transitions,
                [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
            );
        });

        it("lets only the web app's origin PUT presigned uploads into the audio bucket from the browser (CORS)", () => {
            const cors = ofArch(plan, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration");
            assert.deepStrictEqual(
                cors.map((r) => nameOf(r)),
                ["spotmusic-audio-cors"],
            );
            assert.deepStrictEqual(cors[0].inputs!.bucket, plan.one(T.bucket, "spotmusic-audio").id);
            assert.deepStrictEqual(cors[0].inputs!.corsRules, [
                {
                    id: "browsers",
                    allowedOrigins: [`https://${domainOf(stack)}`],
                    allowedMethods: ["PUT"],
                    allowedHeaders: ["content-type", "content-md5", "x-amz-checksum-*", "x-amz-sdk-checksum-algorithm"],
                    exposeHeaders: ["ETag"],
                    maxAgeSeconds: 3600,
                },
            ]);
        });

        // ------------------------------------------------------------ API
        it("exposes one API route, ANY /api/{proxy+}, behind a JWT authorizer for the configured issuer and audiences", () => {
            const api = plan.one(T.api, "spotmusic-api").inputs as any;
            assert.strictEqual(api.protocolType, "HTTP");
            const routes = ofArch(plan, T.route);
            assert.deepStrictEqual(
                routes.map((r) => [r.inputs!.routeKey, r.inputs!.authorizationType, r.inputs!.authorizerId]),
                [["ANY /api/{proxy+}", "JWT", plan.one(T.authorizer, "spotmusic-jwt").id]],
            );
            assert.strictEqual(
                routes[0].inputs!.target,
                `integrations/${plan.one(T.integration, "spotmusic-web-api").id}`,
            );
            const auth = plan.one(T.authorizer, "spotmusic-jwt").inputs as any;
            assert.deepStrictEqual(
                [auth.authorizerType, auth.identitySources, auth.jwtConfiguration],
                [
                    "JWT",
                    ["$request.header.Authorization"],
                    prod
                        ? { issuer: "https://auth.example.com", audiences: ["spotmusic-web"] }
                        : { issuer: "https://auth.dev.example.com", audiences: ["spotmusic-web-dev"] },
                ],
            );
        });

        it("reaches web-api through a VPC link to the internal ALB's HTTPS listener, verifying its certificate name", () => {
            const i = plan.one(T.integration, "spotmusic-web-api").inputs as any;
            const link = plan.one(T.vpcLink, "spotmusic-vpc-link");
            assert.deepStrictEqual(
                [
                    i.integrationType,
                    i.integrationMethod,
                    i.connectionType,
                    i.connectionId,
                    i.integrationUri,
                    i.payloadFormatVersion,
                    i.timeoutMilliseconds,
                    i.tlsConfig,
                ],
                [
                    "HTTP_PROXY",
                    "ANY",
                    "VPC_LINK",
                    link.id,
                    arnOf(plan, T.listener, "spotmusic-lb-https"),
                    "1.0",
                    30000,
                    { serverNameToVerify: `api-internal.${domainOf(stack)}` },
                ],
            );
            assert.deepStrictEqual(link.inputs!.subnetIds, subnetIds(plan, "private"));
            assert.deepStrictEqual(
                (link.inputs!.securityGroupIds as string[]).map((id) => sgRoles(plan).get(id)),
                ["vpc-link"],
            );
        });

        it("logs every API request as JSON to a KMS-encrypted log group and throttles the default route", () => {
            const stage = plan.one(T.stage, "spotmusic-api").inputs as any;
            const logs = plan.one(T.logGroup, "spotmusic-api-access-logs");
            assert.deepStrictEqual(
                [stage.name, stage.autoDeploy, stage.accessLogSettings],
                ["$default", true, { destinationArn: logs.outputs!.arn, format: ACCESS_LOG_FORMAT }],
            );
            assert.deepStrictEqual(stage.defaultRouteSettings, {
                throttlingBurstLimit: 200,
                throttlingRateLimit: 100,
                detailedMetricsEnabled: true,
            });
            assert.deepStrictEqual(
                [logs.inputs!.name, logs.inputs!.kmsKeyId],
                [`/platform/${stack}/spotmusic/api-access`, key(plan, "logs")],
            );
            assert.deepStrictEqual(Object.keys(JSON.parse(ACCESS_LOG_FORMAT)).slice(0, 6), [
                "requestId",
                "ip",
                "requestTime",
                "httpMethod",
                "routeKey",
                "status",
            ]);
        });

        it("puts an internal ALB in the private subnets: HTTPS 443 from the VPC link only, 403 unless the origin header and /api/* match", () => {
            const lb = plan.one(T.lb, "spotmusic-lb").inputs as any;
            assert.deepStrictEqual(
                [lb.internal, lb.subnets, lb.dropInvalidHeaderFields, lb.accessLogs.enabled],
                [true, subnetIds(plan, "private"), true, true],
            );
            const listeners = ofArch(plan, T.listener);
            assert.deepStrictEqual(
                listeners.map((l) => [nameOf(l), l.inputs!.port, l.inputs!.protocol, l.inputs!.sslPolicy]),
                [["spotmusic-lb-https", 443, "HTTPS", DEFAULT_TLS_POLICY]],
            );
            assert.strictEqual(
                listeners[0].inputs!.certificateArn,
                plan.one(T.cert, "spotmusic-api-certificate").outputs!.arn,
            );
            assert.strictEqual(
                plan.one(T.cert, "spotmusic-api-certificate").inputs!.domainName,
                `api-internal.${domainOf(stack)}`,
            );
            assert.deepStrictEqual(listeners[0].inputs!.defaultActions, [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
                },
            ]);
            const rules = ofArch(plan, T.rule);
            assert.deepStrictEqual(
                rules.map((r) => {
                    const i = r.inputs as any;
                    return [
                        nameOf(r),
                        i.priority,
                        i.conditions[0].httpHeader.httpHeaderName,
                        isSecret(i.conditions[0].httpHeader.values[0]),
                        i.conditions[1].pathPattern.values,
                        nameOf(plan.byRef(i.actions[0].targetGroupArn)!),
                    ];
                }),
                [["spotmusic-lb-https-api", 10, "X-Origin-Verify", true, ["/api/*"], "spotmusic-lb-web-api"]],
            );
            assert.ok(dependsOn(rules[0], "conditions", plan.one(T.password, "spotmusic-origin-verify").urn));
        });

        // ------------------------------------------------------------ network
        it("allows exactly VPC link -> ALB -> web-api -> database and cache, workers -> database and cache, plus HTTPS to AWS APIs", () => {
            assert.deepStrictEqual(
                ruleSet(plan),
                [
                    "lb from vpc-link tcp 443-443",
                    "vpc-link to lb tcp 443-443",
                    "lb to web-api tcp 8080-8080",
                    "web-api from lb tcp 8080-8080",
                    "web-api to db tcp 3306-3306",
                    "web-api to cache tcp 6379-6379",
                    "workers to db tcp 3306-3306",
                    "workers to cache tcp 6379-6379",
                    "db from web-api tcp 3306-3306",
                    "db from workers tcp 3306-3306",
                    "cache from web-api tcp 6379-6379",
                    "cache from workers tcp 6379-6379",
                    "web-api to 0.0.0.0/0 tcp 443-443",
                    "workers to 0.0.0.0/0 tcp 443-443",
                    // the deploy-time database-users function: to the database and to Secrets Manager
                    "db from db-users-fn tcp 3306-3306",
                    "db-users-fn to db tcp 3306-3306",
                    "db-users-fn to 0.0.0.0/0 tcp 443-443",
                ].sort(),
            );
        });

        // ------------------------------------------------------------ services
        it("runs web-api and workers on Fargate in the private subnets, images of their releases from their own repositories, X-Ray sidecars", () => {
            assert.deepStrictEqual(ofArch(plan, T.service).map(nameOf).sort(), [
                "spotmusic-web-api",
                "spotmusic-workers",
            ]);
            for (const [svc, repo] of [
                ["web-api", "web-api"],
                ["workers", "workers"],
            ]) {
                const s = plan.one(T.service, `spotmusic-${svc}`).inputs as any;
                assert.deepStrictEqual(
                    [s.networkConfiguration.subnets, s.networkConfiguration.assignPublicIp],
                    [subnetIds(plan, "private"), false],
                );
                const defs = containers(plan.one(T.task, `spotmusic-${svc}-task`));
                assert.deepStrictEqual(
                    defs.map((c: any) => c.name),
                    [svc, "xray-daemon"],
                );
                assert.strictEqual(
                    defs[0].image,
                    `${String(plan.one(T.repo, `spotmusic-${repo}-repo`).outputs!.repositoryUrl)}@${mockImageDigest(`platform-${stack}-spotmusic-${repo}`, "1.0.0")}`,
                );
                assert.strictEqual(
                    plan.one(T.repo, `spotmusic-${repo}-repo`).inputs!.name,
                    `platform-${stack}-spotmusic-${repo}`,
                );
                assert.deepStrictEqual(
                    [defs[0].readonlyRootFilesystem, defs[0].healthCheck.command],
                    [true, ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1"]],
                );
            }
            assert.deepStrictEqual(plan.one(T.service, "spotmusic-web-api").inputs!.loadBalancers, [
                {
                    targetGroupArn: arnOf(plan, T.tg, "spotmusic-lb-web-api"),
                    containerName: "web-api",
                    containerPort: 8080,
                },
            ]);
            assert.strictEqual(plan.one(T.service, "spotmusic-workers").inputs!.loadBalancers, undefined);
        });

        it("injects the Redis AUTH token into both and the signing key into web-api only, pinned to the versions written", () => {
            const secrets = (svc: string) =>
                containers(plan.one(T.task, `spotmusic-${svc}-task`))[0].secrets.map((x: any) => x.name);
            assert.deepStrictEqual(secrets("web-api"), ["CLOUDFRONT_PRIVATE_KEY", "REDIS_AUTH_TOKEN"]);
            assert.deepStrictEqual(secrets("workers"), ["REDIS_AUTH_TOKEN"]);
            const web = containers(plan.one(T.task, "spotmusic-web-api-task"))[0];
            const redisSecret = arnOf(plan, T.secret, "spotmusic-cache-auth");
            assert.match(
                web.secrets.find((x: any) => x.name === "REDIS_AUTH_TOKEN").valueFrom,
                new RegExp(`^${redisSecret.replace(/[!$]/g, "\\$&")}:authToken::[0-9a-f-]{36}$`),
            );
            const env = Object.fromEntries(web.environment.map((e: any) => [e.name, e.value]));
            assert.deepStrictEqual(
                [
                    env.DB_USER,
                    env.DB_PORT,
                    env.DB_IAM_AUTH,
                    env.REDIS_TLS,
                    env.REDIS_PORT,
                    env.CONFIG_PATH,
                    env.UPLOADS_PREFIX,
                    env.AUDIO_BASE_URL,
                ],
                [
                    "web_api",
                    "3306",
                    "true",
                    "true",
                    "6379",
                    `/platform/${stack}/spotmusic/web-api/`,
                    "uploads/",
                    `https://${domainOf(stack)}/audio/`,
                ],
            );
            assert.strictEqual(
                env.CLOUDFRONT_KEY_PAIR_ID,
                plan.one("aws:cloudfront/publicKey:PublicKey", "spotmusic-signing-key").id,
            );
        });

        it("gives each task role exactly its database user, queue side, bucket prefixes and parameter path", () => {
            const policy = (svc: string) =>
                policyDocument(plan.one(T.rolePolicy, `spotmusic-${svc}-task`).inputs!.policy).Statement;
            const via = (service: string) => ({
                StringEquals: { "kms:ViaService": `${service}.sa-east-1.amazonaws.com` },
            });
            const audio = arnOf(plan, T.bucket, "spotmusic-audio");
            const audioKey = arnOf(plan, T.kmsKey, "spotmusic-audio-key");
            const jobs = arnOf(plan, T.queue, "spotmusic-jobs");
            const resourceId = plan.one(T.db, "spotmusic-db").outputs!.resourceId;
            const params = (w: string) => [
                {
                    Sid: "ReadItsParameters",
                    Effect: "Allow",
                    Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                    Resource: [
                        `arn:aws:ssm:sa-east-1:123456789012:parameter/platform/${stack}/spotmusic/${w}`,
                        `arn:aws:ssm:sa-east-1:123456789012:parameter/platform/${stack}/spotmusic/${w}/*`,
                    ],
                },
                {
                    Sid: "DecryptItsParameters",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: key(plan, "secrets"),
                    Condition: via("ssm"),
                },
            ];
            const xray = {
                Sid: "XrayDaemonSendsTraces",
                Effect: "Allow",
                Action: [
                    "xray:GetSamplingRules",
                    "xray:GetSamplingStatisticSummaries",
                    "xray:GetSamplingTargets",
                    "xray:PutTelemetryRecords",
                    "xray:PutTraceSegments",
                ],
                Resource: "*",
            };
            assert.deepStrictEqual(policy("web-api"), [
                {
                    Sid: "ConnectAsItsDatabaseUser",
                    Effect: "Allow",
                    Action: "rds-db:connect",
                    Resource: `arn:aws:rds-db:sa-east-1:123456789012:dbuser:${String(resourceId)}/web_api`,
                },
                { Sid: "JobsSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: jobs },
                {
                    Sid: "JobsEncrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: key(plan, "messaging"),
                    Condition: via("sqs"),
                },
                { Sid: "UploadsObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${audio}/uploads/*` },
                {
                    Sid: "UploadsKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: audioKey,
                    Condition: via("s3"),
                },
                ...params("web-api"),
                xray,
            ]);
            assert.deepStrictEqual(policy("workers"), [
                {
                    Sid: "ConnectAsItsDatabaseUser",
                    Effect: "Allow",
                    Action: "rds-db:connect",
                    Resource: `arn:aws:rds-db:sa-east-1:123456789012:dbuser:${String(resourceId)}/workers`,
                },
                {
                    Sid: "JobsConsume",
                    Effect: "Allow",
                    Action: [
                        "sqs:ChangeMessageVisibility",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage",
                    ],
                    Resource: jobs,
                },
                {
                    Sid: "JobsDecrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: key(plan, "messaging"),
                    Condition: via("sqs"),
                },
                { Sid: "UploadsObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${audio}/uploads/*` },
                {
                    Sid: "UploadsKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: audioKey,
                    Condition: via("s3"),
                },
                { Sid: "AudioObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${audio}/audio/*` },
                {
                    Sid: "AudioKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: audioKey,
                    Condition: via("s3"),
                },
                ...params("workers"),
                xray,
            ]);
        });

        it("lets each execution role read exactly the secrets its task is given", () => {
            const statements = (svc: string) =>
                policyDocument(plan.one(T.rolePolicy, `spotmusic-${svc}-execution`).inputs!.policy).Statement;
            const read = (svc: string) => statements(svc).find((st: any) => st.Sid === "ReadItsSecrets").Resource;
            assert.deepStrictEqual(
                read("web-api"),
                [arnOf(plan, T.secret, "spotmusic-cache-auth"), arnOf(plan, T.secret, "spotmusic-signing-key")].sort(),
            );
            assert.deepStrictEqual(read("workers"), [arnOf(plan, T.secret, "spotmusic-cache-auth")]);
            for (const svc of ["web-api", "workers"]) {
                assert.deepStrictEqual(
                    statements(svc).map((st: any) => st.Sid),
                    [
                        "PullItsImages",
                        "GetEcrAuthorizationToken",
                        "WriteItsLogs",
                        "ReadItsSecrets",
                        "DecryptItsSecretsThroughSecretsManager",
                    ],
                );
                assert.deepStrictEqual(statements(svc)[0].Resource, [arnOf(plan, T.repo, `spotmusic-${svc}-repo`)]);
            }
        });

        it("keeps configuration in SSM SecureString parameters encrypted with the secrets key, one path per workload", () => {
            const params = ofArch(plan, T.parameter);
            assert.deepStrictEqual(params.map((p) => [p.inputs!.name, p.inputs!.type, p.inputs!.keyId]).sort(), [
                [`/platform/${stack}/spotmusic/web-api/max-upload-mb`, "SecureString", key(plan, "secrets")],
                [`/platform/${stack}/spotmusic/web-api/signed-url-ttl-seconds`, "SecureString", key(plan, "secrets")],
                [`/platform/${stack}/spotmusic/workers/transcode-profiles`, "SecureString", key(plan, "secrets")],
            ]);
        });

        it("scales web-api on CPU and workers on jobs per task only", () => {
            const policies = ofArch(plan, T.scalingPolicy)
                .map((p) => [nameOf(p), (p.inputs!.targetTrackingScalingPolicyConfiguration as any).targetValue])
                .sort();
            assert.deepStrictEqual(policies, [
                ["spotmusic-web-api-cpu", 60],
                ["spotmusic-workers-queue-backlog", 10],
            ]);
            const target = (svc: string) => [
                plan.one(T.scalingTarget, `spotmusic-${svc}-scaling`).inputs!.minCapacity,
                plan.one(T.scalingTarget, `spotmusic-${svc}-scaling`).inputs!.maxCapacity,
            ];
            assert.deepStrictEqual(
                [target("web-api"), target("workers")],
                prod
                    ? [
                          [3, 12],
                          [2, 20],
                      ]
                    : [
                          [2, 4],
                          [2, 4],
                      ],
            );
            const backlog = plan.one(T.scalingPolicy, "spotmusic-workers-queue-backlog").inputs!
                .targetTrackingScalingPolicyConfiguration as any;
            assert.deepStrictEqual(backlog.customizedMetricSpecification.metrics[0].metricStat.metric.dimensions, [
                { name: "QueueName", value: plan.one(T.queue, "spotmusic-jobs").outputs!.name },
            ]);
            assert.deepStrictEqual(
                [
                    plan.one(T.task, "spotmusic-workers-task").inputs!.cpu,
                    plan.one(T.task, "spotmusic-workers-task").inputs!.memory,
                ],
                ["1024", "2048"],
            );
        });

        // ------------------------------------------------------------ data
        it("keeps data in RDS MySQL: isolated subnets, TLS required, encrypted, managed master secret, insights; Multi-AZ and protection in prod", () => {
            const db = plan.one(T.db, "spotmusic-db").inputs as any;
            assert.deepStrictEqual(
                [
                    db.engine,
                    db.engineVersion,
                    db.instanceClass,
                    db.port,
                    db.storageEncrypted,
                    db.kmsKeyId,
                    db.manageMasterUserPassword,
                    db.masterUserSecretKmsKeyId,
                    db.publiclyAccessible,
                    db.iamDatabaseAuthenticationEnabled,
                    db.performanceInsightsEnabled,
                    db.multiAz,
                    db.deletionProtection,
                    db.backupRetentionPeriod,
                ],
                [
                    "mysql",
                    "8.0",
                    prod ? "db.m7g.large" : "db.t4g.medium",
                    3306,
                    true,
                    key(plan, "data"),
                    true,
                    key(plan, "secrets"),
                    false,
                    true,
                    true,
                    prod,
                    prod,
                    prod ? 14 : 1,
                ],
            );
            assert.deepStrictEqual(
                (
                    plan.one("aws:rds/parameterGroup:ParameterGroup", "spotmusic-db-params").inputs!.parameters as any[]
                ).map((p) => [p.name, p.value]),
                [
                    ["require_secure_transport", "ON"],
                    ["tls_version", "TLSv1.2,TLSv1.3"],
                    ["log_output", "FILE"],
                    ["long_query_time", "1"],
                    ["slow_query_log", "1"],
                ],
            );
            assert.strictEqual(
                plan.one("aws:rds/parameterGroup:ParameterGroup", "spotmusic-db-params").inputs!.family,
                "mysql8.0",
            );
            // audit, error and slowquery reach CloudWatch Logs: the audit log through the option group's plugin.
            const dbInstance = plan.one("aws:rds/instance:Instance", "spotmusic-db");
            const options = plan.one("aws:rds/optionGroup:OptionGroup", "spotmusic-db-options");
            assert.deepStrictEqual(dbInstance.inputs!.enabledCloudwatchLogsExports, ["audit", "error", "slowquery"]);
            assert.strictEqual(dbInstance.inputs!.optionGroupName, options.outputs!.name);
            assert.deepStrictEqual(
                (options.inputs!.options as { optionName: string }[]).map((o) => o.optionName),
                ["MARIADB_AUDIT_PLUGIN"],
            );
            assert.deepStrictEqual(
                plan.one("aws:rds/subnetGroup:SubnetGroup", "spotmusic-db-subnets").inputs!.subnetIds,
                subnetIds(plan, "isolated"),
            );
        });

        it("caches in ElastiCache Redis: isolated subnets, TLS required, AUTH token from Secrets Manager, encrypted with the data key; failover in prod", () => {
            const c = plan.one(T.cache, "spotmusic-cache").inputs as any;
            assert.deepStrictEqual(
                [
                    c.engine,
                    c.nodeType,
                    c.numCacheClusters,
                    c.transitEncryptionEnabled,
                    c.transitEncryptionMode,
                    c.atRestEncryptionEnabled,
                    c.kmsKeyId,
                    c.automaticFailoverEnabled,
                    c.multiAzEnabled,
                    c.snapshotRetentionLimit,
                    isSecret(c.authToken),
                ],
                [
                    "redis",
                    prod ? "cache.m7g.large" : "cache.t4g.micro",
                    prod ? 2 : 1,
                    true,
                    "required",
                    true,
                    key(plan, "data"),
                    prod,
                    prod,
                    prod ? 7 : 1,
                    true,
                ],
            );
            assert.ok(
                dependsOn(
                    plan.one(T.cache, "spotmusic-cache"),
                    "authToken",
                    plan.one(T.password, "spotmusic-cache-auth-token").urn,
                ),
            );
            assert.deepStrictEqual(
                plan.one("aws:elasticache/subnetGroup:SubnetGroup", "spotmusic-cache-subnets").inputs!.subnetIds,
                subnetIds(plan, "isolated"),
            );
            assert.strictEqual(plan.one(T.secret, "spotmusic-cache-auth").inputs!.kmsKeyId, key(plan, "secrets"));
        });

        it("queues jobs in SQS with a DLQ on the messaging key, invisible for the job timeout while a worker holds them", () => {
            const q = plan.one(T.queue, "spotmusic-jobs").inputs as any;
            assert.deepStrictEqual(
                [q.kmsMasterKeyId, q.visibilityTimeoutSeconds, JSON.parse(q.redrivePolicy)],
                [
                    key(plan, "messaging"),
                    900,
                    { deadLetterTargetArn: arnOf(plan, T.queue, "spotmusic-jobs-dlq"), maxReceiveCount: 5 },
                ],
            );
        });

        // ------------------------------------------------------------ operations
        it("alarms to the foundation topic on API and web-api errors, latency, jobs, database and cache", () => {
            const topic = plan.one("aws:sns/topic:Topic", "foundation-alarms").outputs!.arn;
            const alarms = ofArch(plan, T.alarm);
            assert.deepStrictEqual(alarms.map(nameOf).sort(), [
                "spotmusic-alarms-alb-latency",
                "spotmusic-alarms-alb-target-5xx",
                "spotmusic-alarms-api-5xx",
                // one per cache node (member cluster), where ElastiCache publishes them
                ...(prod
                    ? ["spotmusic-alarms-cache-cpu-001", "spotmusic-alarms-cache-cpu-002"]
                    : ["spotmusic-alarms-cache-cpu-001"]),
                ...(prod
                    ? ["spotmusic-alarms-cache-memory-001", "spotmusic-alarms-cache-memory-002"]
                    : ["spotmusic-alarms-cache-memory-001"]),
                "spotmusic-alarms-db-cpu",
                "spotmusic-alarms-db-free-storage",
                "spotmusic-alarms-jobs-age",
                "spotmusic-alarms-jobs-dlq",
                "spotmusic-lb-web-api-no-healthy",
                "spotmusic-lb-web-api-unhealthy",
            ]);
            for (const a of alarms) assert.deepStrictEqual(a.inputs!.alarmActions, [topic], nameOf(a));
            assert.deepStrictEqual(plan.one(T.alarm, "spotmusic-alarms-api-5xx").inputs!.dimensions, {
                ApiId: plan.one(T.api, "spotmusic-api").id,
                Stage: "$default",
            });
            const group = plan.one("aws:elasticache/replicationGroup:ReplicationGroup", "spotmusic-cache").id;
            assert.deepStrictEqual(plan.one(T.alarm, "spotmusic-alarms-cache-cpu-001").inputs!.dimensions, {
                CacheClusterId: `${group}-001`,
            });
        });

        it("encrypts every log group with the logs key and keeps the stack's retention", () => {
            const retention = prod ? 365 : 30;
            for (const g of ofArch(plan, T.logGroup)) {
                assert.strictEqual(g.inputs!.retentionInDays, retention, nameOf(g));
                if (nameOf(g) !== "spotmusic-cdn-waf-logs")
                    assert.strictEqual(g.inputs!.kmsKeyId, key(plan, "logs"), nameOf(g));
            }
            assert.deepStrictEqual(ofArch(plan, T.logGroup).map(nameOf).sort(), [
                "spotmusic-api-access-logs",
                "spotmusic-cache-engine-log",
                "spotmusic-cache-slow-log",
                "spotmusic-cdn-waf-logs",
                "spotmusic-db-log-audit",
                "spotmusic-db-log-error",
                "spotmusic-db-log-slowquery",
                "spotmusic-db-users-fn-logs",
                "spotmusic-web-api-logs",
                "spotmusic-workers-logs",
            ]);
        });

        it("tags every taggable resource of the architecture", () => {
            const taggable = ofArch(plan).filter((r) => r.custom && !UNTAGGABLE.has(r.type));
            assert.ok(taggable.length > 60, `only ${taggable.length} taggable resources`);
            const bad = taggable.filter((r) => {
                const { Name, Purpose, CodeSha256, ...tags } = (r.inputs!.tags ?? {}) as Record<string, string>;
                void Name;
                void Purpose;
                void CodeSha256; // a Lambda function's bundle hash
                try {
                    assert.deepStrictEqual(tags, TAGS(stack));
                    return false;
                } catch {
                    return true;
                }
            });
            assert.deepStrictEqual(
                bad.map((r) => `${nameOf(r)} (${r.type})`),
                [],
            );
        });

        it("outputs the URLs, the DNS records to create, repositories, services and endpoints", () => {
            const o = plan.outputs.architectures.spotmusic;
            assert.deepStrictEqual(
                [o.url, o.apiUrl],
                [`https://${domainOf(stack)}`, `https://${domainOf(stack)}/api/`],
            );
            assert.deepStrictEqual(
                o.dnsRecordsToCreate.map((r: any) => [r.purpose, r.type]),
                [
                    ["CloudFront certificate validation", "CNAME"],
                    ["internal API certificate validation", "CNAME"],
                    ["viewers", "CNAME"],
                ],
            );
            assert.deepStrictEqual(Object.keys(o.ecrRepositoryUrls).sort(), ["webApi", "workers"]);
            assert.strictEqual(
                o.signingKeyPairId,
                plan.one("aws:cloudfront/publicKey:PublicKey", "spotmusic-signing-key").id,
            );
        });
    });
}

describe("spotmusic settings (platform:spotmusic)", () => {
    const base = {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:architectures": JSON.stringify(["spotmusic"]),
        "platform:releases": JSON.stringify({ "spotmusic-web-api": "1.0.0", "spotmusic-workers": "1.0.0" }),
    };
    const validate = (settings: unknown) =>
        validateConfig(
            { project: "platform", stack: "dev", values: { ...base, "platform:spotmusic": JSON.stringify(settings) } },
            { spotmusic },
        );
    const problems = (settings: unknown) => {
        try {
            validate(settings);
        } catch (err) {
            assert.ok(err instanceof ConfigValidationError, String(err));
            return err.problems;
        }
        assert.fail("accepted");
    };
    const minimal = {
        domain: { name: "music.example.com" },
        auth: { issuer: "https://auth.example.com", audiences: ["web"] },
    };

    it("applies the defaults: MySQL db.t4g.medium (Performance Insights needs medium), one Redis node, 10 jobs per worker", () => {
        const s = validate(minimal).settings.spotmusic as any;
        assert.deepStrictEqual(s.database, {
            instanceClass: "db.t4g.medium",
            engineVersion: "8.0",
            allocatedStorageGb: 20,
            multiAz: false,
            backupRetentionDays: 7,
            performanceInsights: true,
            monitoringIntervalSeconds: 0,
        });
        assert.deepStrictEqual(s.cache, {
            nodeType: "cache.t4g.micro",
            replicas: 0,
            multiAz: false,
            snapshotRetentionDays: 1,
        });
        assert.deepStrictEqual(s.workers, {
            cpu: 1024,
            memory: 2048,
            desiredCount: 2,
            maxCount: 4,
            cpuTargetPercent: 60,
            backlogPerTask: 10,
        });
        assert.deepStrictEqual(s.config, {
            signedUrlTtlSeconds: 3600,
            maxUploadMb: 200,
            transcodeProfiles: ["aac-96", "aac-160", "aac-320"],
        });
    });

    it("names every wrong key with what is allowed", () => {
        assert.deepStrictEqual(problems({ domain: { name: "music.example.com" } }), [
            "platform:spotmusic.auth: must be an object { issuer, audiences }: the JWT issuer the API trusts; got undefined",
        ]);
        assert.deepStrictEqual(
            problems({
                ...minimal,
                auth: { issuer: "http://auth.example.com", audiences: [] },
                cache: { multiAz: true },
                config: { signedUrlTtlSeconds: 10 },
            }),
            [
                'platform:spotmusic.auth.issuer: must be the OIDC issuer URL of the identity provider, https://...; got "http://auth.example.com"',
                "platform:spotmusic.auth.audiences: must name at least one audience (the web app's client id)",
                "platform:spotmusic.config.signedUrlTtlSeconds: must be seconds a signed URL or cookie for audio stays valid (an integer from 60 to 86400); got 10",
                "platform:spotmusic.cache.replicas: must be at least 1 when multiAz is true (a replica to fail over to); got 0",
            ],
        );
    });
});

// ------------------------------------------------------------ database users (infra/data/database-users.ts)
describeDatabaseUsers(
    "spotmusic",
    ARCH,
    {
        engine: "mysql",
        database: "spotmusic",
        users: [
            {
                name: "web_api",
                privileges: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "DROP", "REFERENCES"],
            },
            { name: "workers", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"] },
        ],
    },
    ["spotmusic-web-api", "spotmusic-workers"],
);
