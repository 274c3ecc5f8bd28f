/**
 * The ticketing resource graph, read from the dev and prod offline plans: the edge (CloudFront, WAF,
 * the ALB reachable only from CloudFront, listener rules and priorities), the security group graph as
 * a set, each service's task and execution role statement by statement, containers, scaling, data
 * stores and their keys, alarms, tags, outputs, and the settings' validation messages.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import { validateConfig, ConfigValidationError } from "../../infra/config/load";
import { MANAGED_POLICIES } from "../../infra/edge/cdn-distribution";
import { DEFAULT_TLS_POLICY } from "../../infra/edge/load-balancer";
import { MANAGED_RULE_GROUPS } from "../../infra/edge/web-acl";
import { CLOUDFRONT_ORIGIN_FACING, ORIGIN_HEADER, ROUTES, SERVICES, ticketing } from "../../stacks/ticketing";
import { mockImageDigest } from "../../tools/lib/mocks";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { describeDatabaseUsers } from "../support/database-users";
import { nameOf, Plan, policyDocument, releasedPlan } from "../support/plan";

const ARCH = "platform:architecture:Ticketing";
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
    queue: "aws:sqs/queue:Queue",
    topic: "aws:sns/topic:Topic",
    bucket: "aws:s3/bucket:Bucket",
    secret: "aws:secretsmanager/secret:Secret",
    password: "random:index/randomPassword:RandomPassword",
    dist: "aws:cloudfront/distribution:Distribution",
    acl: "aws:wafv2/webAcl:WebAcl",
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
} as const;
const ROUTED = ["ticket", "reservation", "checkout", "product"] as const;

const ofArch = (plan: Plan, type?: string) =>
    plan.resources.filter((r) => r.urn.includes(`::${ARCH}`) && (type === undefined || r.type === type));
const key = (plan: Plan, purpose: string) =>
    plan
        .ofType(T.kmsKey)
        .find(
            (k) => (k.inputs!.tags as any).Purpose === purpose && (k.inputs!.tags as any).Architecture === "foundation",
        )!.outputs!.arn;
const subnetIds = (plan: Plan, tier: string) =>
    plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs!.tags as any).Tier === tier)
        .map((s) => s.id);
const containers = (task: ExportedResource) => JSON.parse(task.inputs!.containerDefinitions as string);
const out = (plan: Plan) => plan.outputs.architectures.ticketing;
const arnOf = (plan: Plan, type: string, name: string) => plan.one(type, name).outputs!.arn as string;
const isSecret = (v: any) =>
    v && typeof v === "object" && v["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";
const dependsOn = (r: ExportedResource, property: string, urn: string) =>
    ((r as any).propertyDependencies?.[property] ?? []).includes(urn);

/** Security group id -> role (`lb`, `ticket`, `db`, ...). */
function sgRoles(plan: Plan): Map<string, string> {
    return new Map(
        ofArch(plan, T.sg).map((sg) => [
            sg.id!,
            nameOf(sg)
                .replace(/^ticketing-/, "")
                .replace(/-sg$/, ""),
        ]),
    );
}
/** Every rule of the architecture as `role direction peer protocol ports`; the CloudFront prefix list is `cloudfront`. */
function ruleSet(plan: Plan): string[] {
    const roles = sgRoles(plan);
    const prefixList = ofArch(plan, T.ingress).find((r) => r.inputs!.prefixListId)?.inputs!.prefixListId;
    const peer = (r: ExportedResource) => {
        const i = r.inputs as any;
        if (i.referencedSecurityGroupId) return roles.get(i.referencedSecurityGroupId) ?? "UNKNOWN-SG";
        if (i.prefixListId) return i.prefixListId === prefixList ? "cloudfront" : i.prefixListId;
        return i.cidrIpv4;
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
    Architecture: "ticketing",
    ManagedBy: "pulumi",
    Stack: stack,
    CostCenter: `platform-${stack}`,
});
/** Types that take no tags. */
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
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:route53/record:Record",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "random:index/randomPassword:RandomPassword",
    "aws:lambda/invocation:Invocation",
]);

for (const stack of ["dev", "prod"] as const) {
    describe(`ticketing graph (${stack} plan)`, () => {
        let plan: Plan;
        before(function () {
            this.timeout(300_000);
            plan = releasedPlan(stack);
        });

        // ------------------------------------------------------------ edge
        it("serves viewers through CloudFront: HTTPS only, TLSv1.2_2021 on its own certificate in us-east-1, the ALB as HTTPS origin with the secret header, nothing cached", () => {
            const [dist] = ofArch(plan, T.dist);
            const d = dist.inputs as any;
            const domain = stack === "dev" ? "tickets.dev.example.com" : "tickets.example.com";
            assert.deepStrictEqual(d.aliases, [domain]);
            assert.deepStrictEqual(d.viewerCertificate, {
                acmCertificateArn: plan.one(T.cert, "ticketing-cdn-certificate").outputs!.arn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            });
            assert.match(arnOf(plan, T.cert, "ticketing-cdn-certificate"), /^arn:aws:acm:us-east-1:/);
            assert.strictEqual(plan.one(T.cert, "ticketing-cdn-certificate").inputs!.domainName, domain);
            assert.strictEqual(d.origins.length, 1);
            const [origin] = d.origins;
            assert.deepStrictEqual(
                [origin.originId, origin.domainName, origin.customOriginConfig],
                [
                    "alb",
                    `origin.${domain}`,
                    {
                        originProtocolPolicy: "https-only",
                        originSslProtocols: ["TLSv1.2"],
                        httpsPort: 443,
                        httpPort: 80,
                        originReadTimeout: 30,
                        originKeepaliveTimeout: 5,
                    },
                ],
            );
            assert.deepStrictEqual(
                origin.customHeaders.map((h: any) => [h.name, isSecret(h.value)]),
                [[ORIGIN_HEADER, true]],
            );
            assert.ok(
                dependsOn(dist, "origins", plan.one(T.password, "ticketing-origin-verify").urn),
                "the header value is the origin-verify password",
            );
            assert.deepStrictEqual(d.defaultCacheBehavior, {
                targetOriginId: "alb",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                cachedMethods: ["GET", "HEAD"],
                compress: false,
                cachePolicyId: MANAGED_POLICIES.cachingDisabled,
                originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
                responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
            });
            assert.deepStrictEqual(d.orderedCacheBehaviors, []);
            assert.strictEqual(d.webAclId, arnOf(plan, T.acl, "ticketing-cdn-waf"));
            const password = plan.one(T.password, "ticketing-origin-verify").inputs!;
            assert.deepStrictEqual([password.length, password.special], [48, false]);
        });

        it("filters viewers with a CLOUDFRONT web ACL: rate rule, the four AWS managed groups, metrics, logging in us-east-1", () => {
            const acl = plan.one(T.acl, "ticketing-cdn-waf");
            const a = acl.inputs as any;
            assert.strictEqual(a.scope, "CLOUDFRONT");
            assert.match(acl.outputs!.arn as string, /^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\//);
            assert.deepStrictEqual(
                a.rules.map((r: any) => [r.name, r.priority]),
                [["rate-limit-per-ip", 0], ...MANAGED_RULE_GROUPS.map((g, i) => [g, i + 1])],
            );
            assert.deepStrictEqual(a.rules[0].statement, {
                rateBasedStatement: { limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" },
            });
            assert.deepStrictEqual(a.defaultAction, { allow: {} });
            const logging = plan.one(
                "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                "ticketing-cdn-waf-logging",
            ).inputs as any;
            const logGroup = plan.one(T.logGroup, "ticketing-cdn-waf-logs");
            assert.deepStrictEqual(logging.logDestinationConfigs, [logGroup.outputs!.arn]);
            assert.strictEqual(logGroup.inputs!.name, `aws-waf-logs-platform-${stack}-ticketing-cdn`);
            assert.strictEqual(logGroup.inputs!.kmsKeyId, arnOf(plan, T.kmsKey, "ticketing-cdn-edge-logs-key"));
            assert.match(String(logGroup.inputs!.kmsKeyId), /^arn:aws:kms:us-east-1:/);
        });

        it("logs CloudFront requests (standard logging v2) to the log archive", () => {
            const source = plan.one("aws:cloudwatch/logDeliverySource:LogDeliverySource", "ticketing-cdn-access-logs")
                .inputs as any;
            assert.deepStrictEqual(
                [source.logType, source.resourceArn],
                ["ACCESS_LOGS", arnOf(plan, T.dist, "ticketing-cdn")],
            );
            const destination = plan.one(
                "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
                "ticketing-cdn-access-logs",
            ).inputs as any;
            assert.strictEqual(
                destination.deliveryDestinationConfiguration.destinationResourceArn,
                plan.one(T.bucket, "foundation-log-archive").outputs!.arn,
            );
        });

        it("puts the ALB in the public subnets, reachable on 443 from the CloudFront origin-facing prefix list only, logging to the archive", () => {
            const lb = plan.one(T.lb, "ticketing-lb").inputs as any;
            assert.deepStrictEqual(
                [
                    lb.loadBalancerType,
                    lb.internal,
                    lb.dropInvalidHeaderFields,
                    lb.enableDeletionProtection,
                    lb.accessLogs,
                ],
                [
                    "application",
                    false,
                    true,
                    stack === "prod",
                    {
                        enabled: true,
                        bucket: plan.one(T.bucket, "foundation-log-archive").outputs!.bucket,
                        prefix: "elb",
                    },
                ],
            );
            assert.deepStrictEqual(lb.subnets, subnetIds(plan, "public"));
            const ingress = ofArch(plan, T.ingress).filter((r) => nameOf(r).startsWith("ticketing-lb-in-"));
            assert.deepStrictEqual(
                ingress.map((r) => [
                    nameOf(r),
                    r.inputs!.ipProtocol,
                    r.inputs!.fromPort,
                    r.inputs!.toPort,
                    r.inputs!.cidrIpv4,
                    r.inputs!.referencedSecurityGroupId,
                ]),
                [["ticketing-lb-in-https", "tcp", 443, 443, undefined, undefined]],
            );
            assert.match(ingress[0].inputs!.prefixListId as string, /^pl-[0-9a-f]{8}$/);
            assert.strictEqual(
                ingress[0].inputs!.prefixListId,
                `pl-${createHash("sha256").update(`sa-east-1/${CLOUDFRONT_ORIGIN_FACING}`).digest("hex").slice(0, 8)}`,
                "the mocked id of com.amazonaws.global.cloudfront.origin-facing",
            );
        });

        it("has one listener, HTTPS 443 with TLS 1.2+ on the origin certificate, answering 403 unless a rule matches", () => {
            const listeners = ofArch(plan, T.listener);
            assert.deepStrictEqual(listeners.map(nameOf), ["ticketing-lb-https"]);
            const l = listeners[0].inputs as any;
            assert.deepStrictEqual(
                [l.port, l.protocol, l.sslPolicy, l.loadBalancerArn],
                [443, "HTTPS", DEFAULT_TLS_POLICY, arnOf(plan, T.lb, "ticketing-lb")],
            );
            assert.strictEqual(l.certificateArn, plan.one(T.cert, "ticketing-origin-certificate").outputs!.arn);
            const domain = stack === "dev" ? "tickets.dev.example.com" : "tickets.example.com";
            assert.strictEqual(plan.one(T.cert, "ticketing-origin-certificate").inputs!.domainName, `origin.${domain}`);
            assert.match(arnOf(plan, T.cert, "ticketing-origin-certificate"), /^arn:aws:acm:sa-east-1:/);
            assert.deepStrictEqual(l.defaultActions, [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
                },
            ]);
        });

        it("routes by path to the four HTTP services, each rule requiring the secret origin header, at priorities 10-40", () => {
            const rules = ofArch(plan, T.rule).sort(
                (a, b) => (a.inputs!.priority as number) - (b.inputs!.priority as number),
            );
            const tgName = (arn: string) => nameOf(plan.byRef(arn)!);
            const listenerArn = arnOf(plan, T.listener, "ticketing-lb-https");
            const passwordUrn = plan.one(T.password, "ticketing-origin-verify").urn;
            assert.deepStrictEqual(
                rules.map((r) => {
                    const i = r.inputs as any;
                    const [header, path] = i.conditions;
                    assert.strictEqual(i.listenerArn, listenerArn);
                    assert.ok(isSecret(header.httpHeader.values[0]) && header.httpHeader.values.length === 1);
                    assert.ok(
                        dependsOn(r, "conditions", passwordUrn),
                        `${nameOf(r)}: the header value is the origin-verify password`,
                    );
                    return [
                        nameOf(r),
                        i.priority,
                        header.httpHeader.httpHeaderName,
                        path.pathPattern.values,
                        i.actions.map((a: any) => [a.type, tgName(a.targetGroupArn)]),
                    ];
                }),
                [
                    [
                        "ticketing-lb-https-ticket",
                        10,
                        ORIGIN_HEADER,
                        ["/api/events*", "/api/tickets*"],
                        [["forward", "ticketing-lb-ticket"]],
                    ],
                    [
                        "ticketing-lb-https-reservation",
                        20,
                        ORIGIN_HEADER,
                        ["/api/reservations*"],
                        [["forward", "ticketing-lb-reservation"]],
                    ],
                    [
                        "ticketing-lb-https-checkout",
                        30,
                        ORIGIN_HEADER,
                        ["/api/checkout*", "/api/orders*"],
                        [["forward", "ticketing-lb-checkout"]],
                    ],
                    [
                        "ticketing-lb-https-product",
                        40,
                        ORIGIN_HEADER,
                        ["/api/products*"],
                        [["forward", "ticketing-lb-product"]],
                    ],
                ],
            );
            assert.deepStrictEqual(
                Object.values(ROUTES).map((r) => r.priority),
                [10, 20, 30, 40],
            );
        });

        it("health-checks each target group on GET /health over HTTP 8080, targets by IP", () => {
            const tgs = ofArch(plan, T.tg);
            assert.deepStrictEqual(tgs.map(nameOf).sort(), ROUTED.map((s) => `ticketing-lb-${s}`).sort());
            for (const tg of tgs) {
                const i = tg.inputs as any;
                assert.deepStrictEqual(
                    [i.port, i.protocol, i.targetType, i.deregistrationDelay],
                    [8080, "HTTP", "ip", 30],
                );
                assert.deepStrictEqual(i.healthCheck, {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: "/health",
                    matcher: "200",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                });
            }
        });

        // ------------------------------------------------------------ network
        it("allows exactly CloudFront -> ALB -> services -> database, plus HTTPS egress to AWS APIs; nothing reaches notification-service", () => {
            const services = ["checkout", "notification", "product", "reservation", "ticket"];
            const expected = [
                "lb from cloudfront tcp 443-443",
                ...ROUTED.map((s) => `lb to ${s} tcp 8080-8080`),
                ...ROUTED.map((s) => `${s} from lb tcp 8080-8080`),
                ...ROUTED.map((s) => `${s} to db tcp 5432-5432`),
                ...ROUTED.map((s) => `db from ${s} tcp 5432-5432`),
                ...services.map((s) => `${s} to 0.0.0.0/0 tcp 443-443`),
                // the deploy-time database-users function: to the database and to Secrets Manager
                "db from db-users-fn tcp 5432-5432",
                "db-users-fn to db tcp 5432-5432",
                "db-users-fn to 0.0.0.0/0 tcp 443-443",
            ].sort();
            assert.deepStrictEqual(ruleSet(plan), expected);
            assert.deepStrictEqual([...sgRoles(plan).values()].sort(), [
                "checkout",
                "db",
                "db-users-fn",
                "lb",
                "notification",
                "product",
                "reservation",
                "ticket",
            ]);
        });

        // ------------------------------------------------------------ services
        it("runs five Fargate services in the private subnets, no public IP, their own security group, circuit breaker", () => {
            const services = ofArch(plan, T.service);
            assert.deepStrictEqual(services.map(nameOf).sort(), SERVICES.map((s) => `ticketing-${s}`).sort());
            const roles = sgRoles(plan);
            for (const s of services) {
                const i = s.inputs as any;
                assert.deepStrictEqual(i.networkConfiguration, {
                    subnets: subnetIds(plan, "private"),
                    securityGroups: i.networkConfiguration.securityGroups,
                    assignPublicIp: false,
                });
                assert.deepStrictEqual(
                    i.networkConfiguration.securityGroups.map((id: string) => roles.get(id)),
                    [nameOf(s).replace("ticketing-", "")],
                );
                assert.deepStrictEqual(
                    [i.launchType, i.deploymentCircuitBreaker, i.enableExecuteCommand],
                    ["FARGATE", { enable: true, rollback: true }, false],
                );
                const lbs =
                    nameOf(s) === "ticketing-notification"
                        ? undefined
                        : [
                              {
                                  targetGroupArn: arnOf(
                                      plan,
                                      T.tg,
                                      `ticketing-lb-${nameOf(s).replace("ticketing-", "")}`,
                                  ),
                                  containerName: `${nameOf(s).replace("ticketing-", "")}-service`,
                                  containerPort: 8080,
                              },
                          ];
                assert.deepStrictEqual(i.loadBalancers, lbs);
            }
        });

        it("runs each image of its release from its own repository, read-only, without capabilities, with a health check and the X-Ray daemon", () => {
            for (const svc of SERVICES) {
                const defs = containers(plan.one(T.task, `ticketing-${svc}-task`));
                assert.deepStrictEqual(
                    defs.map((c: any) => c.name),
                    [`${svc}-service`, "xray-daemon"],
                );
                const [app, xray] = defs;
                assert.strictEqual(
                    app.image,
                    `${String(plan.one(T.repo, `ticketing-${svc}-repo`).outputs!.repositoryUrl)}@${mockImageDigest(`platform-${stack}-ticketing-${svc}-service`, "1.0.0")}`,
                );
                assert.strictEqual(
                    plan.one(T.repo, `ticketing-${svc}-repo`).inputs!.name,
                    `platform-${stack}-ticketing-${svc}-service`,
                );
                assert.deepStrictEqual(
                    [app.readonlyRootFilesystem, app.linuxParameters, app.portMappings],
                    [true, { capabilities: { drop: ["ALL"] } }, [{ containerPort: 8080, protocol: "tcp" }]],
                );
                assert.deepStrictEqual(app.healthCheck, {
                    command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1"],
                    interval: 15,
                    timeout: 5,
                    retries: 3,
                    startPeriod: 20,
                });
                assert.deepStrictEqual(app.secrets, []);
                assert.strictEqual(
                    app.logConfiguration.options["awslogs-group"],
                    `/platform/${stack}/ticketing/${svc}-service`,
                );
                assert.deepStrictEqual(
                    [xray.image, xray.essential, xray.portMappings],
                    ["public.ecr.aws/xray/aws-xray-daemon:3.x", false, [{ containerPort: 2000, protocol: "udp" }]],
                );
                assert.ok(
                    app.environment.some(
                        (e: any) => e.name === "AWS_XRAY_DAEMON_ADDRESS" && e.value === "127.0.0.1:2000",
                    ),
                );
            }
        });

        it("configures each service with exactly its endpoints (database through IAM authentication as its own user)", () => {
            const env = (svc: string) =>
                Object.fromEntries(
                    containers(plan.one(T.task, `ticketing-${svc}-task`))[0].environment.map((e: any) => [
                        e.name,
                        e.value,
                    ]),
                );
            const db = plan.one(T.db, "ticketing-db").outputs!;
            const dbEnv = (user: string) => ({
                DB_HOST: db.address,
                DB_PORT: "5432",
                DB_NAME: "ticketing",
                DB_USER: user,
                DB_IAM_AUTH: "true",
                DB_SSL_MODE: "verify-full",
            });
            const base = (svc: string) => ({
                SERVICE_NAME: `${svc}-service`,
                PORT: "8080",
                AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000",
            });
            const queueUrl = (n: string) => plan.one(T.queue, n).outputs!.url;
            const bucket = plan.one(T.bucket, "ticketing-assets").outputs!.bucket;
            assert.deepStrictEqual(env("ticket"), {
                ...base("ticket"),
                ...dbEnv("ticket_service"),
                ASSETS_BUCKET: bucket,
                TICKET_IMAGES_PREFIX: "tickets/",
            });
            assert.deepStrictEqual(env("reservation"), {
                ...base("reservation"),
                ...dbEnv("reservation_service"),
                RESERVATION_EXPIRY_QUEUE_URL: queueUrl("ticketing-reservation-expiry"),
                RESERVATION_HOLD_SECONDS: "600",
            });
            assert.deepStrictEqual(env("checkout"), {
                ...base("checkout"),
                ...dbEnv("checkout_service"),
                NOTIFICATION_QUEUE_URL: queueUrl("ticketing-notifications"),
                ASSETS_BUCKET: bucket,
                RECEIPTS_PREFIX: "receipts/",
                PAYMENT_PROVIDER_SECRET_ARN: arnOf(plan, T.secret, "ticketing-payment-provider"),
            });
            assert.deepStrictEqual(env("product"), { ...base("product"), ...dbEnv("product_service") });
            assert.deepStrictEqual(env("notification"), {
                ...base("notification"),
                NOTIFICATION_QUEUE_URL: queueUrl("ticketing-notifications"),
                NOTIFICATION_TOPIC_ARN: arnOf(plan, T.topic, "ticketing-notifications"),
                ASSETS_BUCKET: bucket,
                RECEIPTS_PREFIX: "receipts/",
            });
        });

        it("gives each task role exactly the actions it needs on exactly its resources", () => {
            const policy = (svc: string) =>
                policyDocument(plan.one(T.rolePolicy, `ticketing-${svc}-task`).inputs!.policy).Statement;
            const bucketArn = arnOf(plan, T.bucket, "ticketing-assets");
            const dbResource = plan.one(T.db, "ticketing-db").outputs!.resourceId;
            const connect = (user: string) => ({
                Sid: "ConnectAsItsDatabaseUser",
                Effect: "Allow",
                Action: "rds-db:connect",
                Resource: `arn:aws:rds-db:sa-east-1:123456789012:dbuser:${String(dbResource)}/${user}`,
            });
            const via = (service: string) => ({
                StringEquals: { "kms:ViaService": `${service}.sa-east-1.amazonaws.com` },
            });
            const data = key(plan, "data");
            const messaging = key(plan, "messaging");
            const notifications = arnOf(plan, T.queue, "ticketing-notifications");
            const expiry = arnOf(plan, T.queue, "ticketing-reservation-expiry");
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
            const consume = [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ];
            assert.deepStrictEqual(policy("ticket"), [
                connect("ticket_service"),
                {
                    Sid: "TicketImagesObjects",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject"],
                    Resource: `${bucketArn}/tickets/*`,
                },
                {
                    Sid: "TicketImagesKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: data,
                    Condition: via("s3"),
                },
                xray,
            ]);
            assert.deepStrictEqual(policy("reservation"), [
                connect("reservation_service"),
                { Sid: "ReservationExpirySend", Effect: "Allow", Action: "sqs:SendMessage", Resource: expiry },
                {
                    Sid: "ReservationExpiryEncrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: messaging,
                    Condition: via("sqs"),
                },
                { Sid: "ReservationExpiryConsume", Effect: "Allow", Action: consume, Resource: expiry },
                {
                    Sid: "ReservationExpiryDecrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: messaging,
                    Condition: via("sqs"),
                },
                xray,
            ]);
            assert.deepStrictEqual(policy("checkout"), [
                connect("checkout_service"),
                { Sid: "NotificationsSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: notifications },
                {
                    Sid: "NotificationsEncrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: messaging,
                    Condition: via("sqs"),
                },
                {
                    Sid: "ReceiptsObjects",
                    Effect: "Allow",
                    Action: ["s3:PutObject"],
                    Resource: `${bucketArn}/receipts/*`,
                },
                {
                    Sid: "ReceiptsKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: data,
                    Condition: via("s3"),
                },
                {
                    Sid: "ReadPaymentProviderSecret",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: arnOf(plan, T.secret, "ticketing-payment-provider"),
                },
                {
                    Sid: "DecryptPaymentProviderSecret",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: key(plan, "secrets"),
                    Condition: via("secretsmanager"),
                },
                xray,
            ]);
            assert.deepStrictEqual(policy("product"), [connect("product_service"), xray]);
            assert.deepStrictEqual(policy("notification"), [
                { Sid: "NotificationsConsume", Effect: "Allow", Action: consume, Resource: notifications },
                {
                    Sid: "NotificationsDecrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: messaging,
                    Condition: via("sqs"),
                },
                {
                    Sid: "PublishNotifications",
                    Effect: "Allow",
                    Action: "sns:Publish",
                    Resource: arnOf(plan, T.topic, "ticketing-notifications"),
                },
                {
                    Sid: "EncryptNotifications",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: messaging,
                    Condition: via("sns"),
                },
                {
                    Sid: "ReceiptLinksObjects",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: `${bucketArn}/receipts/*`,
                },
                {
                    Sid: "ReceiptLinksKms",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: data,
                    Condition: via("s3"),
                },
                xray,
            ]);
            for (const svc of SERVICES) {
                const trust = policyDocument(
                    plan.one(T.role, `ticketing-${svc}-task`).inputs!.assumeRolePolicy,
                ).Statement;
                assert.deepStrictEqual(trust, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": "123456789012" },
                            ArnLike: { "aws:SourceArn": "arn:aws:ecs:sa-east-1:123456789012:*" },
                        },
                    },
                ]);
            }
        });

        it("lets each execution role pull only its image and write only its log group; no role reads another's secrets", () => {
            for (const svc of SERVICES) {
                const statements = policyDocument(
                    plan.one(T.rolePolicy, `ticketing-${svc}-execution`).inputs!.policy,
                ).Statement;
                assert.deepStrictEqual(statements, [
                    {
                        Sid: "PullItsImages",
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        Resource: [arnOf(plan, T.repo, `ticketing-${svc}-repo`)],
                    },
                    {
                        Sid: "GetEcrAuthorizationToken",
                        Effect: "Allow",
                        Action: "ecr:GetAuthorizationToken",
                        Resource: "*",
                    },
                    {
                        Sid: "WriteItsLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: `${arnOf(plan, T.logGroup, `ticketing-${svc}-logs`)}:*`,
                    },
                ]);
            }
            assert.deepStrictEqual(
                ofArch(plan, T.rolePolicy).map(nameOf).sort(),
                [
                    ...SERVICES.flatMap((s) => [`ticketing-${s}-execution`, `ticketing-${s}-task`]),
                    "ticketing-db-users-fn-policy",
                ].sort(),
            );
        });

        it("scales each service by target tracking on CPU, and notification-service also on queue backlog per task", () => {
            const sizes =
                stack === "dev"
                    ? { ticket: [2, 4], reservation: [2, 4], checkout: [2, 4], product: [2, 4], notification: [2, 4] }
                    : {
                          ticket: [3, 12],
                          reservation: [3, 12],
                          checkout: [3, 12],
                          product: [3, 6],
                          notification: [2, 10],
                      };
            for (const svc of SERVICES) {
                const t = plan.one(T.scalingTarget, `ticketing-${svc}-scaling`).inputs as any;
                assert.deepStrictEqual(
                    [t.minCapacity, t.maxCapacity, t.scalableDimension],
                    [...sizes[svc], "ecs:service:DesiredCount"],
                    svc,
                );
                assert.strictEqual(plan.one(T.service, `ticketing-${svc}`).inputs!.desiredCount, sizes[svc][0]);
            }
            const policies = ofArch(plan, T.scalingPolicy)
                .map((p) => [nameOf(p), (p.inputs!.targetTrackingScalingPolicyConfiguration as any).targetValue])
                .sort();
            assert.deepStrictEqual(
                policies,
                [
                    ...SERVICES.map((s) => [`ticketing-${s}-cpu`, 60]),
                    ["ticketing-notification-queue-backlog", 100],
                ].sort(),
            );
            const backlog = plan.one(T.scalingPolicy, "ticketing-notification-queue-backlog").inputs!
                .targetTrackingScalingPolicyConfiguration as any;
            assert.deepStrictEqual(backlog.customizedMetricSpecification.metrics[0].metricStat.metric.dimensions, [
                { name: "QueueName", value: plan.one(T.queue, "ticketing-notifications").outputs!.name },
            ]);
            assert.strictEqual(backlog.customizedMetricSpecification.metrics[2].expression, "visible / tasks");
        });

        it("sizes tasks from config", () => {
            const sizes = Object.fromEntries(
                SERVICES.map((svc) => [
                    svc,
                    [
                        plan.one(T.task, `ticketing-${svc}-task`).inputs!.cpu,
                        plan.one(T.task, `ticketing-${svc}-task`).inputs!.memory,
                    ],
                ]),
            );
            assert.deepStrictEqual(sizes, {
                ticket: ["256", "512"],
                reservation: ["256", "512"],
                checkout: stack === "dev" ? ["512", "1024"] : ["1024", "2048"],
                product: ["256", "512"],
                notification: ["256", "512"],
            });
        });

        // ------------------------------------------------------------ data
        it("keeps the data in RDS PostgreSQL: isolated subnets, data key, managed master secret, TLS forced, backups, insights; Multi-AZ and protection in prod only", () => {
            const db = plan.one(T.db, "ticketing-db").inputs as any;
            const prod = stack === "prod";
            assert.deepStrictEqual(
                {
                    engine: db.engine,
                    instanceClass: db.instanceClass,
                    storageEncrypted: db.storageEncrypted,
                    kmsKeyId: db.kmsKeyId,
                    manageMasterUserPassword: db.manageMasterUserPassword,
                    masterUserSecretKmsKeyId: db.masterUserSecretKmsKeyId,
                    publiclyAccessible: db.publiclyAccessible,
                    multiAz: db.multiAz,
                    deletionProtection: db.deletionProtection,
                    skipFinalSnapshot: db.skipFinalSnapshot,
                    backupRetentionPeriod: db.backupRetentionPeriod,
                    performanceInsightsEnabled: db.performanceInsightsEnabled,
                    performanceInsightsKmsKeyId: db.performanceInsightsKmsKeyId,
                    iamDatabaseAuthenticationEnabled: db.iamDatabaseAuthenticationEnabled,
                    allocatedStorage: db.allocatedStorage,
                    maxAllocatedStorage: db.maxAllocatedStorage,
                    monitoringInterval: db.monitoringInterval,
                },
                {
                    engine: "postgres",
                    instanceClass: prod ? "db.m7g.large" : "db.t4g.micro",
                    storageEncrypted: true,
                    kmsKeyId: key(plan, "data"),
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: key(plan, "secrets"),
                    publiclyAccessible: false,
                    multiAz: prod,
                    deletionProtection: prod,
                    skipFinalSnapshot: !prod,
                    backupRetentionPeriod: prod ? 14 : 1,
                    performanceInsightsEnabled: true,
                    performanceInsightsKmsKeyId: key(plan, "data"),
                    iamDatabaseAuthenticationEnabled: true,
                    allocatedStorage: prod ? 100 : 20,
                    maxAllocatedStorage: prod ? 500 : undefined,
                    monitoringInterval: prod ? 60 : 0,
                },
            );
            assert.deepStrictEqual(
                plan.one("aws:rds/subnetGroup:SubnetGroup", "ticketing-db-subnets").inputs!.subnetIds,
                subnetIds(plan, "isolated"),
            );
            assert.deepStrictEqual(
                (
                    plan.one("aws:rds/parameterGroup:ParameterGroup", "ticketing-db-params").inputs!.parameters as any[]
                ).map((p) => [p.name, p.value]),
                [
                    ["rds.force_ssl", "1"],
                    ["ssl_min_protocol_version", "TLSv1.2"],
                ],
            );
            assert.strictEqual(
                db.parameterGroupName,
                plan.one("aws:rds/parameterGroup:ParameterGroup", "ticketing-db-params").outputs!.name,
            );
        });

        it("decouples with SQS queues and DLQs on the messaging key; expiry messages are delayed by the hold", () => {
            const messaging = key(plan, "messaging");
            const queues = ofArch(plan, T.queue);
            assert.deepStrictEqual(queues.map(nameOf).sort(), [
                "ticketing-notifications",
                "ticketing-notifications-dlq",
                "ticketing-reservation-expiry",
                "ticketing-reservation-expiry-dlq",
            ]);
            for (const q of queues) assert.strictEqual(q.inputs!.kmsMasterKeyId, messaging, nameOf(q));
            const expiry = plan.one(T.queue, "ticketing-reservation-expiry").inputs as any;
            assert.deepStrictEqual(
                [expiry.delaySeconds, JSON.parse(expiry.redrivePolicy)],
                [
                    600,
                    {
                        deadLetterTargetArn: arnOf(plan, T.queue, "ticketing-reservation-expiry-dlq"),
                        maxReceiveCount: 5,
                    },
                ],
            );
            const notifications = plan.one(T.queue, "ticketing-notifications").inputs as any;
            assert.deepStrictEqual(
                [
                    notifications.delaySeconds,
                    notifications.visibilityTimeoutSeconds,
                    JSON.parse(notifications.redrivePolicy).deadLetterTargetArn,
                ],
                [0, 60, arnOf(plan, T.queue, "ticketing-notifications-dlq")],
            );
            const topic = plan.one(T.topic, "ticketing-notifications").inputs as any;
            assert.strictEqual(topic.kmsMasterKeyId, messaging);
            const topicPolicy = policyDocument(
                plan.one("aws:sns/topicPolicy:TopicPolicy", "ticketing-notifications").inputs!.policy,
            ).Statement;
            assert.deepStrictEqual(
                topicPolicy.map((st: any) => [st.Sid, st.Effect, st.Condition]),
                [
                    ["DenyInsecureTransport", "Deny", { Bool: { "aws:SecureTransport": "false" } }],
                    ["DenyOtherAccounts", "Deny", { StringNotEquals: { "aws:PrincipalAccount": "123456789012" } }],
                ],
            );
        });

        it("stores receipts and ticket images in a private, versioned, KMS-encrypted, TLS-only bucket logging to the archive", () => {
            const bucketName = plan.one(T.bucket, "ticketing-assets").outputs!.bucket;
            const arn = arnOf(plan, T.bucket, "ticketing-assets");
            assert.deepStrictEqual(
                plan.one(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "ticketing-assets-encryption",
                ).inputs!.rules,
                [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: key(plan, "data"),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            assert.deepStrictEqual(
                plan.one("aws:s3/bucketVersioning:BucketVersioning", "ticketing-assets-versioning").inputs!
                    .versioningConfiguration,
                { status: "Enabled" },
            );
            assert.deepStrictEqual(
                plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ticketing-assets-public-access")
                    .inputs,
                {
                    bucket: bucketName,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
            );
            assert.deepStrictEqual(
                policyDocument(plan.one("aws:s3/bucketPolicy:BucketPolicy", "ticketing-assets-policy").inputs!.policy)
                    .Statement,
                [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [arn, `${arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            );
            assert.strictEqual(
                plan.one("aws:s3/bucketLogging:BucketLogging", "ticketing-assets-access-logs").inputs!.targetPrefix,
                "s3/ticketing-assets/",
            );
            const secret = plan.one(T.secret, "ticketing-payment-provider").inputs as any;
            assert.deepStrictEqual(
                [secret.kmsKeyId, secret.recoveryWindowInDays],
                [key(plan, "secrets"), stack === "prod" ? 30 : 7],
            );
        });

        it("encrypts every log group with the logs key (us-east-1 WAF logs with their own) and keeps them the stack's retention", () => {
            const retention = stack === "dev" ? 30 : 365;
            const groups = ofArch(plan, T.logGroup);
            assert.deepStrictEqual(
                groups.map(nameOf).sort(),
                [
                    ...SERVICES.map((s) => `ticketing-${s}-logs`),
                    "ticketing-cdn-waf-logs",
                    "ticketing-db-log-postgresql",
                    "ticketing-db-log-upgrade",
                    "ticketing-db-users-fn-logs",
                ].sort(),
            );
            for (const g of groups) {
                assert.strictEqual(g.inputs!.retentionInDays, retention, nameOf(g));
                if (nameOf(g) !== "ticketing-cdn-waf-logs")
                    assert.strictEqual(g.inputs!.kmsKeyId, key(plan, "logs"), nameOf(g));
            }
        });

        // ------------------------------------------------------------ operations
        it("alarms to the foundation topic on 5XX, latency, queue age, DLQ depth, database CPU and storage, and unhealthy targets", () => {
            const topic = plan.one(T.topic, "foundation-alarms").outputs!.arn;
            const alarms = ofArch(plan, T.alarm);
            assert.deepStrictEqual(
                alarms.map(nameOf).sort(),
                [
                    "ticketing-alarms-alb-elb-5xx",
                    "ticketing-alarms-alb-latency",
                    "ticketing-alarms-alb-target-5xx",
                    "ticketing-alarms-db-cpu",
                    "ticketing-alarms-db-free-storage",
                    "ticketing-alarms-notifications-age",
                    "ticketing-alarms-notifications-dlq",
                    "ticketing-alarms-reservation-expiry-age",
                    "ticketing-alarms-reservation-expiry-dlq",
                    ...ROUTED.flatMap((s) => [`ticketing-lb-${s}-no-healthy`, `ticketing-lb-${s}-unhealthy`]),
                ].sort(),
            );
            for (const a of alarms)
                assert.deepStrictEqual([a.inputs!.alarmActions, a.inputs!.okActions], [[topic], [topic]], nameOf(a));
            const threshold = (n: string) => plan.one(T.alarm, `ticketing-alarms-${n}`).inputs!.threshold as number;
            assert.deepStrictEqual(
                [
                    "alb-target-5xx",
                    "alb-latency",
                    "notifications-age",
                    "reservation-expiry-age",
                    "db-cpu",
                    "db-free-storage",
                    "notifications-dlq",
                ].map(threshold),
                [stack === "dev" ? 20 : 10, 2, 300, 900, 80, 2 * 2 ** 30, 0],
            );
            assert.strictEqual(
                (plan.one(T.alarm, "ticketing-alarms-db-cpu").inputs!.dimensions as any).DBInstanceIdentifier,
                `platform-${stack}-ticketing-db`,
            );
        });

        it("builds a dashboard of ALB, ECS, SQS and RDS metrics", () => {
            const body = JSON.parse(
                plan.one("aws:cloudwatch/dashboard:Dashboard", "ticketing-dashboard").inputs!.dashboardBody as string,
            );
            assert.deepStrictEqual(
                body.widgets.map((w: any) => w.properties.title),
                [
                    "ALB: requests and 5XX",
                    "ALB: target response time (s)",
                    "ECS: CPU utilisation (%)",
                    "ECS: memory utilisation (%)",
                    "SQS: visible messages and oldest age (s)",
                    "RDS: CPU (%) and connections",
                ],
            );
            assert.strictEqual(body.widgets[2].properties.metrics.length, 5);
        });

        it("tags every taggable resource of the architecture", () => {
            const taggable = ofArch(plan).filter((r) => r.custom && !UNTAGGABLE.has(r.type));
            assert.ok(taggable.length > 100, `only ${taggable.length} taggable resources`);
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

        it("outputs the URL, the DNS records to create, repositories, services and data endpoints", () => {
            const o = out(plan);
            const domain = stack === "dev" ? "tickets.dev.example.com" : "tickets.example.com";
            assert.strictEqual(o.url, `https://${domain}`);
            assert.deepStrictEqual(Object.keys(o.ecrRepositoryUrls).sort(), [...SERVICES].sort());
            assert.deepStrictEqual(
                o.dnsRecordsToCreate.map((r: any) => [r.purpose, r.type, r.name.replace(/^_[0-9a-f]{32}\./, "_*.")]),
                [
                    ["CloudFront certificate validation", "CNAME", `_*.${domain}.`],
                    ["origin certificate validation", "CNAME", `_*.origin.${domain}.`],
                    ["origin (CloudFront -> ALB)", "CNAME", `origin.${domain}`],
                    ["viewers", "CNAME", domain],
                ],
            );
            assert.strictEqual(o.dnsRecordsToCreate[2].value, plan.one(T.lb, "ticketing-lb").outputs!.dnsName);
            assert.strictEqual(o.databaseAddress, plan.one(T.db, "ticketing-db").outputs!.address);
        });
    });
}

describe("ticketing settings (platform:ticketing)", () => {
    const base = {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:architectures": JSON.stringify(["ticketing"]),
        "platform:releases": JSON.stringify(Object.fromEntries(SERVICES.map((s) => [`${s}-service`, "1.0.0"]))),
    };
    const validate = (settings: unknown) =>
        validateConfig(
            { project: "platform", stack: "dev", values: { ...base, "platform:ticketing": JSON.stringify(settings) } },
            { ticketing },
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

    it("applies the defaults: two tasks per service, 10-minute holds, a small single-AZ database, 7 days of backups", () => {
        const s = validate({ domain: { name: "tickets.example.com" } }).settings.ticketing as any;
        assert.deepStrictEqual(s.ticket, { cpu: 256, memory: 512, desiredCount: 2, maxCount: 4, cpuTargetPercent: 60 });
        assert.deepStrictEqual(s.checkout, {
            cpu: 512,
            memory: 1024,
            desiredCount: 2,
            maxCount: 4,
            cpuTargetPercent: 60,
        });
        assert.deepStrictEqual(s.notification, {
            cpu: 256,
            memory: 512,
            desiredCount: 2,
            maxCount: 4,
            cpuTargetPercent: 60,
            backlogPerTask: 100,
        });
        assert.deepStrictEqual(s.database, {
            instanceClass: "db.t4g.micro",
            engineVersion: "16",
            allocatedStorageGb: 20,
            multiAz: false,
            backupRetentionDays: 7,
            performanceInsights: true,
            monitoringIntervalSeconds: 0,
        });
        assert.deepStrictEqual(
            [s.reservationHoldSeconds, s.logRetentionDays, s.waf, s.assetsNoncurrentVersionDays],
            [600, undefined, { rateLimit: 2000 }, 90],
        );
    });

    it("names every wrong key with what is allowed", () => {
        assert.deepStrictEqual(
            problems({
                domain: { name: "Tickets.Example.com", hostedZoneId: "zone" },
                checkout: { cpu: 300, desiredCount: 1 },
                notification: { backlogPerTask: 0 },
                reservationHoldSeconds: 3600,
                database: {
                    instanceClass: "t4g.micro",
                    allocatedStorageGb: 30,
                    maxAllocatedStorageGb: 25,
                    monitoringIntervalSeconds: 7,
                },
                extra: true,
            }),
            [
                'platform:ticketing.domain.name: must be a lower-case DNS name such as tickets.example.com (no wildcard, no trailing dot); got "Tickets.Example.com"',
                'platform:ticketing.domain.hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ; got "zone"',
                "platform:ticketing.checkout.desiredCount: must be the number of tasks; at least 2 so they span two Availability Zones (an integer from 2 to 100); got 1",
                "platform:ticketing.checkout.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (1024 = 1 vCPU); got 300",
                "platform:ticketing.notification.backlogPerTask: must be the queued notifications per task autoscaling holds (an integer from 1 to 10000); got 0",
                "platform:ticketing.reservationHoldSeconds: must be seconds a reservation holds its seats (the SQS delay limit is 900) (an integer from 60 to 900); got 3600",
                'platform:ticketing.database.instanceClass: must be an RDS instance class such as db.t4g.micro; got "t4g.micro"',
                "platform:ticketing.database.monitoringIntervalSeconds: must be 0 (off), 1, 5, 10, 15, 30 or 60 seconds of Enhanced Monitoring; got 7",
                'platform:ticketing: unknown key "extra"',
            ],
        );
        assert.deepStrictEqual(
            problems({
                domain: { name: "tickets.example.com" },
                checkout: { cpu: 300 },
                database: { allocatedStorageGb: 30, maxAllocatedStorageGb: 25 },
            }),
            [
                "platform:ticketing.checkout.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (1024 = 1 vCPU); got 300",
                "platform:ticketing.database.maxAllocatedStorageGb: must be above allocatedStorageGb (30); got 25",
            ],
        );
        assert.deepStrictEqual(problems({}), [
            "platform:ticketing.domain: must be an object { name, hostedZoneId?, certificateStatus? }; got undefined",
        ]);
    });
});

// ------------------------------------------------------------ database users (infra/data/database-users.ts)
describeDatabaseUsers(
    "ticketing",
    ARCH,
    {
        engine: "postgres",
        database: "ticketing",
        users: [
            { name: "ticket_service" },
            { name: "reservation_service" },
            { name: "checkout_service" },
            { name: "product_service" },
        ],
    },
    ["ticketing-ticket", "ticketing-reservation", "ticketing-checkout", "ticketing-product"],
);
