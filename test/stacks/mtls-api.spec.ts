/**
 * The mtls-api resource graph, read from offline plans: the dev stack (edgeMode nlb) and a variant of
 * it in alb mode with two CAs and a webhook client. Every security-relevant value is asserted exactly:
 * listeners, target groups, security group rules as a set, IAM documents, secrets wiring, tags, outputs.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { validateConfig, ConfigValidationError } from "../../infra/config/load";
import { mtlsApi, MtlsApiSettings } from "../../stacks/mtls-api";
import { mockImageDigest } from "../../tools/lib/mocks";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { nameOf, Plan, policyDocument, ROOT, runPlanCli, releasedPlan, releasedStackYaml } from "../support/plan";

const ARCH = "platform:architecture:MtlsApi";
const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    tg: "aws:lb/targetGroup:TargetGroup",
    service: "aws:ecs/service:Service",
    task: "aws:ecs/taskDefinition:TaskDefinition",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    repo: "aws:ecr/repository:Repository",
    kmsKey: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
    signed: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

/** Resources of the mtls-api architecture (everything under its component). */
const ofArch = (plan: Plan, type?: string) =>
    plan.resources.filter((r) => r.urn.includes(`::${ARCH}`) && (type === undefined || r.type === type));
/** The foundation's key for a purpose (other stacks' edge keys in us-east-1 carry purposes too). */
const key = (plan: Plan, purpose: string) => plan.one(T.kmsKey, `foundation-keys-${purpose}`).outputs!.arn;
const subnetIds = (plan: Plan, tier: string) =>
    plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs!.tags as any).Tier === tier)
        .map((s) => s.id);
const containers = (task: ExportedResource) => JSON.parse(task.inputs!.containerDefinitions as string);
const arch = (plan: Plan) => plan.outputs.architectures["mtls-api"];

/** Security group id -> role name (the part of its logical name between `mtls-api-` and `-sg`). */
function sgRoles(plan: Plan): Map<string, string> {
    return new Map(
        ofArch(plan, T.sg).map((sg) => [
            sg.id!,
            nameOf(sg)
                .replace(/^mtls-api-/, "")
                .replace(/-sg$/, ""),
        ]),
    );
}
/** Every rule of the architecture as `role direction peer protocol ports`. */
function ruleSet(plan: Plan): string[] {
    const roles = sgRoles(plan);
    const peer = (r: ExportedResource) =>
        r.inputs!.referencedSecurityGroupId
            ? (roles.get(r.inputs!.referencedSecurityGroupId as string) ?? "UNKNOWN-SG")
            : (r.inputs!.cidrIpv4 ?? r.inputs!.prefixListId);
    const line = (r: ExportedResource, dir: string) =>
        `${String(roles.get(r.inputs!.securityGroupId as string))} ${dir} ${String(peer(r))} ${String(r.inputs!.ipProtocol)} ${String(r.inputs!.fromPort)}-${String(r.inputs!.toPort)}`;
    return [
        ...ofArch(plan, T.ingress).map((r) => line(r, "from")),
        ...ofArch(plan, T.egress).map((r) => line(r, "to")),
    ].sort();
}

function devSettings(): any {
    // After the first deployment's manual steps: the API image pushed (docs/first-deploy.md).
    return parse(releasedStackYaml("dev"));
}

/** The gateway's environment variables, from the table in apps/gateway/README.md. */
function documentedGatewayVariables(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "apps", "gateway", "README.md"), "utf8");
    const table = readme.slice(
        readme.indexOf("## Environment"),
        readme.indexOf("\n## ", readme.indexOf("## Environment") + 5),
    );
    return [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
}

const TAGS = {
    Project: "platform",
    Environment: "dev",
    Architecture: "mtls-api",
    ManagedBy: "pulumi",
    Stack: "dev",
    CostCenter: "platform-dev",
};
/** Types that take no tags in AWS (or in the provider). */
const UNTAGGABLE = new Set([
    "aws:iam/rolePolicy:RolePolicy",
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
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "aws:wafv2/webAclAssociation:WebAclAssociation",
    "tls:index/privateKey:PrivateKey",
    "tls:index/selfSignedCert:SelfSignedCert",
    "tls:index/certRequest:CertRequest",
    "tls:index/locallySignedCert:LocallySignedCert",
    "aws:lb/trustStoreRevocation:TrustStoreRevocation",
]);

/** Stand-in PEM CRLs (the plan does not parse them; test/apps/gateway.spec.ts uses real ones with nginx). */
const CRL = (n: number) => `-----BEGIN X509 CRL-----\nTUlJQ1JMLXRlc3Qt${n}\n-----END X509 CRL-----\n`;

const HEALTH_CHECK = {
    enabled: true,
    protocol: "HTTP",
    port: "8081",
    path: "/healthz",
    matcher: "200",
    interval: 10,
    timeout: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
};

/** Checks shared by both modes. */
function commonChecks(getPlan: () => Plan, mode: "nlb" | "alb") {
    const lbName = `mtls-api-${mode}`;

    it("runs both services on Fargate in the private subnets, without public IPs, 2 tasks, circuit breaker with rollback", () => {
        const plan = getPlan();
        const services = ofArch(plan, T.service);
        assert.deepStrictEqual(services.map(nameOf).sort(), ["mtls-api-api", "mtls-api-gateway"]);
        const roles = sgRoles(plan);
        for (const s of services) {
            const i = s.inputs as any;
            assert.strictEqual(i.launchType, "FARGATE");
            assert.strictEqual(i.desiredCount, 2);
            assert.deepStrictEqual(i.networkConfiguration.subnets, subnetIds(plan, "private"));
            assert.strictEqual(i.networkConfiguration.subnets.length, 2, "two AZs");
            assert.strictEqual(i.networkConfiguration.assignPublicIp, false);
            assert.deepStrictEqual(
                i.networkConfiguration.securityGroups.map((id: string) => roles.get(id)),
                [nameOf(s).replace("mtls-api-", "")],
            );
            assert.deepStrictEqual(i.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.strictEqual(i.deploymentMinimumHealthyPercent, 100);
            assert.strictEqual(i.deploymentMaximumPercent, 200);
            assert.strictEqual(i.availabilityZoneRebalancing, "ENABLED");
            assert.strictEqual(i.enableExecuteCommand, false);
            assert.strictEqual(i.cluster, plan.ofType("aws:ecs/cluster:Cluster")[0].outputs!.arn);
        }
    });

    it("scales each service on CPU (60 %) between 2 and 4 tasks", () => {
        const plan = getPlan();
        const targets = ofArch(plan, "aws:appautoscaling/target:Target");
        assert.deepStrictEqual(
            targets
                .map((t) => [nameOf(t), t.inputs!.minCapacity, t.inputs!.maxCapacity, t.inputs!.scalableDimension])
                .sort(),
            [
                ["mtls-api-api-scaling", 2, 4, "ecs:service:DesiredCount"],
                ["mtls-api-gateway-scaling", 2, 4, "ecs:service:DesiredCount"],
            ],
        );
        const cluster = plan.ofType("aws:ecs/cluster:Cluster")[0].outputs!.name;
        for (const t of targets) {
            const service = plan.one(T.service, nameOf(t).replace("-scaling", ""));
            assert.strictEqual(t.inputs!.resourceId, `service/${String(cluster)}/${String(service.outputs!.name)}`);
        }
        const policies = ofArch(plan, "aws:appautoscaling/policy:Policy");
        assert.deepStrictEqual(
            policies
                .map((p) => [
                    nameOf(p),
                    (p.inputs!.targetTrackingScalingPolicyConfiguration as any).targetValue,
                    (p.inputs!.targetTrackingScalingPolicyConfiguration as any).predefinedMetricSpecification
                        .predefinedMetricType,
                ])
                .sort(),
            [
                ["mtls-api-api-cpu", 60, "ECSServiceAverageCPUUtilization"],
                ["mtls-api-gateway-cpu", 60, "ECSServiceAverageCPUUtilization"],
            ],
        );
    });

    it("defines Fargate tasks: awsvpc, validated sizes, linux/x86_64, their own roles", () => {
        const plan = getPlan();
        const tasks = ofArch(plan, T.task);
        assert.deepStrictEqual(
            tasks.map((t) => [nameOf(t), t.inputs!.family, t.inputs!.cpu, t.inputs!.memory]).sort(),
            [
                ["mtls-api-api-task", "platform-dev-mtls-api-api", "512", "1024"],
                ["mtls-api-gateway-task", "platform-dev-mtls-api-gateway", "256", "512"],
            ],
        );
        for (const t of tasks) {
            const prefix = nameOf(t).replace(/-task$/, "");
            assert.strictEqual(t.inputs!.networkMode, "awsvpc");
            assert.deepStrictEqual(t.inputs!.requiresCompatibilities, ["FARGATE"]);
            assert.deepStrictEqual(t.inputs!.runtimePlatform, {
                operatingSystemFamily: "LINUX",
                cpuArchitecture: "X86_64",
            });
            assert.strictEqual(t.inputs!.executionRoleArn, plan.one(T.role, `${prefix}-execution`).outputs!.arn);
            assert.strictEqual(t.inputs!.taskRoleArn, plan.one(T.role, `${prefix}-task`).outputs!.arn);
            const service = plan.one(T.service, prefix);
            assert.strictEqual(service.inputs!.taskDefinition, t.outputs!.arn);
        }
    });

    it("runs the API image of its release from its repository, read-only, no capabilities, on port 8000", () => {
        const plan = getPlan();
        const [api] = containers(plan.one(T.task, "mtls-api-api-task"));
        assert.strictEqual(containers(plan.one(T.task, "mtls-api-api-task")).length, 1);
        assert.strictEqual(
            api.image,
            `${String(plan.one(T.repo, "mtls-api-api-repo").outputs!.repositoryUrl)}@${mockImageDigest("platform-dev-mtls-api-api", "1.0.0")}`,
        );
        assert.deepStrictEqual(api.portMappings, [{ containerPort: 8000, protocol: "tcp" }]);
        assert.strictEqual(api.readonlyRootFilesystem, true);
        assert.deepStrictEqual(api.linuxParameters, { capabilities: { drop: ["ALL"] } });
        assert.deepStrictEqual(api.mountPoints, [
            { sourceVolume: "scratch-tmp", containerPath: "/tmp", readOnly: false },
        ]);
        assert.deepStrictEqual(api.secrets, []);
        assert.deepStrictEqual(api.logConfiguration, {
            logDriver: "awslogs",
            options: {
                "awslogs-group": "/platform/dev/mtls-api/api",
                "awslogs-region": "sa-east-1",
                "awslogs-stream-prefix": "api",
                mode: "non-blocking",
                "max-buffer-size": "25m",
            },
        });
    });

    it("runs the gateway image built from apps/gateway with the release tag, as uid 101, without capabilities", () => {
        const plan = getPlan();
        const defs = containers(plan.one(T.task, "mtls-api-gateway-task"));
        assert.strictEqual(defs.length, 1);
        const [gw] = defs;
        const repoUrl = plan.one(T.repo, "mtls-api-gateway-repo").outputs!.repositoryUrl as string;
        assert.match(gw.image, new RegExp(`^${repoUrl.replace(/[.]/g, "\\.")}:1\\.0\\.0@sha256:[0-9a-f]{64}$`));
        assert.strictEqual(gw.user, "101:101");
        assert.deepStrictEqual(gw.linuxParameters, { capabilities: { drop: ["ALL"] } });
        // Read-only root; the entrypoint writes to /tmp/gateway, the image's declared VOLUME, mounted as task scratch.
        assert.strictEqual(gw.readonlyRootFilesystem, true);
        assert.deepStrictEqual(gw.mountPoints, [
            { sourceVolume: "scratch-tmp-gateway", containerPath: "/tmp/gateway", readOnly: false },
        ]);
        assert.deepStrictEqual(gw.healthCheck, {
            command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8081/healthz || exit 1"],
            interval: 15,
            timeout: 5,
            retries: 3,
            startPeriod: 10,
        });
        assert.deepStrictEqual(
            gw.portMappings,
            (mode === "nlb" ? [8443, 8080, 8081] : [8443, 8081]).map((containerPort) => ({
                containerPort,
                protocol: "tcp",
            })),
        );
        assert.strictEqual(gw.logConfiguration.options["awslogs-group"], "/platform/dev/mtls-api/gateway");
        const image = plan.resources.filter((r) => r.type === "awsx:ecr:Image");
        assert.deepStrictEqual(image.map(nameOf), ["mtls-api-gateway-image"]);
    });

    it("configures the gateway with exactly the variables apps/gateway/README.md documents", () => {
        const plan = getPlan();
        const [gw] = containers(plan.one(T.task, "mtls-api-gateway-task"));
        const env = Object.fromEntries(gw.environment.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(env, {
            GATEWAY_MODE: mode,
            API_UPSTREAM: "api.mtls-api.internal:8000",
            DNS_RESOLVER: "10.10.0.2",
            GATEWAY_SERVER_NAME: "webhooks.dev.example.com",
            GATEWAY_TLS_PORT: "8443",
            ...(mode === "nlb" ? { GATEWAY_HTTP_PORT: "8080" } : {}),
            GATEWAY_HEALTH_PORT: "8081",
            GATEWAY_CLIENT_MAX_BODY_SIZE: "1m",
            GATEWAY_RATE_LIMIT: "10r/s",
            GATEWAY_RATE_LIMIT_BURST: "20",
            // Direct clients only: the CAs sign client certificates themselves (nginx's default, 1, admits an intermediate).
            ...(mode === "nlb" ? { GATEWAY_SSL_VERIFY_DEPTH: "0" } : {}),
        });
        const documented = documentedGatewayVariables();
        assert.ok(documented.length >= 20, `README table parsed: ${documented.join(", ")}`);
        for (const name of [...Object.keys(env), ...gw.secrets.map((s: any) => s.name)])
            assert.ok(documented.includes(name), `${name} is not in apps/gateway/README.md`);
    });

    it("injects the TLS material from the KMS-encrypted secret, pinned to the version the program wrote", () => {
        const plan = getPlan();
        const [gw] = containers(plan.one(T.task, "mtls-api-gateway-task"));
        const secret = plan.one(T.secret, "mtls-api-gateway-tls");
        const version = plan.one(T.secretVersion, "mtls-api-gateway-tls-value");
        const arn = secret.outputs!.arn;
        const versionId = version.outputs!.versionId;
        const expected: [string, string][] = [
            ["GATEWAY_TLS_CERT_PEM", "certificate"],
            ["GATEWAY_TLS_KEY_PEM", "privateKey"],
        ];
        if (mode === "nlb") expected.unshift(["GATEWAY_CLIENT_CA_PEM", "clientCaBundle"]);
        assert.deepStrictEqual(
            gw.secrets,
            expected.map(([name, k]) => ({ name, valueFrom: `${String(arn)}:${k}::${String(versionId)}` })),
        );
        assert.strictEqual(secret.inputs!.kmsKeyId, key(plan, "secrets"));
        assert.strictEqual(secret.inputs!.recoveryWindowInDays, 7);
        assert.strictEqual(version.inputs!.secretId, secret.id);
        assert.deepStrictEqual(version.inputs!.secretString, {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            ciphertext: "[secret]",
        });
    });

    it("never writes a private key in clear into the plan", () => {
        const text = JSON.stringify(getPlan().document);
        assert.ok(!/PRIVATE KEY/.test(text), "a private key placeholder is readable in the plan");
        assert.ok(text.includes("[secret]"));
    });

    it("grants each execution role exactly its image pull, its log group, its secrets", () => {
        const plan = getPlan();
        const policy = (n: string) => policyDocument(plan.one(T.rolePolicy, n).inputs!.policy);
        const logArn = (n: string) => `${String(plan.one(T.logGroup, n).outputs!.arn)}:*`;
        const pull = (repo: string) => [
            {
                Sid: "PullItsImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: [plan.one(T.repo, repo).outputs!.arn],
            },
            { Sid: "GetEcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        ];
        assert.deepStrictEqual(policy("mtls-api-api-execution"), {
            Version: "2012-10-17",
            Statement: [
                ...pull("mtls-api-api-repo"),
                {
                    Sid: "WriteItsLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: logArn("mtls-api-api-logs"),
                },
            ],
        });
        assert.deepStrictEqual(policy("mtls-api-gateway-execution"), {
            Version: "2012-10-17",
            Statement: [
                ...pull("mtls-api-gateway-repo"),
                {
                    Sid: "WriteItsLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: logArn("mtls-api-gateway-logs"),
                },
                {
                    Sid: "ReadItsSecrets",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: [plan.one(T.secret, "mtls-api-gateway-tls").outputs!.arn],
                },
                {
                    Sid: "DecryptItsSecretsThroughSecretsManager",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: key(plan, "secrets"),
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
                },
            ],
        });
        for (const p of ofArch(plan, T.rolePolicy))
            assert.strictEqual(p.inputs!.role, plan.one(T.role, nameOf(p)).id, nameOf(p));
    });

    it("gives the task roles no permissions and trusts only ECS tasks of this account", () => {
        const plan = getPlan();
        assert.deepStrictEqual(ofArch(plan, T.rolePolicy).map(nameOf).sort(), [
            "mtls-api-api-execution",
            "mtls-api-gateway-execution",
        ]);
        assert.deepStrictEqual(ofArch(plan, T.role).map(nameOf).sort(), [
            "mtls-api-api-execution",
            "mtls-api-api-task",
            "mtls-api-gateway-execution",
            "mtls-api-gateway-task",
        ]);
        for (const r of ofArch(plan, T.role)) {
            assert.strictEqual(r.inputs!.managedPolicyArns, undefined, nameOf(r));
            assert.strictEqual(r.inputs!.inlinePolicies, undefined, nameOf(r));
            const statement = {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
            };
            const expected = nameOf(r).endsWith("-task")
                ? {
                      ...statement,
                      Condition: {
                          StringEquals: { "aws:SourceAccount": "123456789012" },
                          ArnLike: { "aws:SourceArn": "arn:aws:ecs:sa-east-1:123456789012:*" },
                      },
                  }
                : statement;
            assert.deepStrictEqual(policyDocument(r.inputs!.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [expected],
            });
        }
    });

    it("keeps every log group 7 days, encrypted with the logs key", () => {
        const plan = getPlan();
        const groups = ofArch(plan, T.logGroup);
        assert.deepStrictEqual(
            groups.map((g) => g.inputs!.name).sort(),
            [
                "/platform/dev/mtls-api/api",
                "/platform/dev/mtls-api/gateway",
                ...(mode === "alb" ? ["aws-waf-logs-platform-dev-mtls-api-alb"] : []),
            ].sort(),
        );
        for (const g of groups) {
            assert.strictEqual(g.inputs!.retentionInDays, 7, nameOf(g));
            assert.strictEqual(g.inputs!.kmsKeyId, key(plan, "logs"), nameOf(g));
        }
    });

    it("registers the API in the private namespace mtls-api.internal; the gateway reaches it there", () => {
        const plan = getPlan();
        const [namespace] = ofArch(plan, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace");
        assert.strictEqual(namespace.inputs!.name, "mtls-api.internal");
        assert.strictEqual(namespace.inputs!.vpc, plan.ofType("aws:ec2/vpc:Vpc")[0].id);
        const discovery = ofArch(plan, "aws:servicediscovery/service:Service");
        assert.deepStrictEqual(discovery.map(nameOf), ["mtls-api-api-discovery"]);
        assert.strictEqual(discovery[0].inputs!.name, "api");
        assert.deepStrictEqual(discovery[0].inputs!.dnsConfig, {
            namespaceId: namespace.id,
            routingPolicy: "MULTIVALUE",
            dnsRecords: [{ type: "A", ttl: 10 }],
        });
        assert.deepStrictEqual(plan.one(T.service, "mtls-api-api").inputs!.serviceRegistries, {
            registryArn: discovery[0].outputs!.arn,
        });
        assert.strictEqual(plan.one(T.service, "mtls-api-api").inputs!.loadBalancers, undefined);
        assert.strictEqual(plan.one(T.service, "mtls-api-gateway").inputs!.serviceRegistries, undefined);
    });

    it("stores both images in immutable, scanned, KMS-encrypted repositories with a lifecycle", () => {
        const plan = getPlan();
        const repos = ofArch(plan, T.repo);
        assert.deepStrictEqual(repos.map((r) => r.inputs!.name).sort(), [
            "platform-dev-mtls-api-api",
            "platform-dev-mtls-api-gateway",
        ]);
        for (const r of repos) {
            assert.strictEqual(r.inputs!.imageTagMutability, "IMMUTABLE");
            assert.deepStrictEqual(r.inputs!.imageScanningConfiguration, { scanOnPush: true });
            assert.deepStrictEqual(r.inputs!.encryptionConfigurations, [
                { encryptionType: "KMS", kmsKey: key(plan, "data") },
            ]);
            assert.strictEqual(r.inputs!.forceDelete, true, "dev: protect is false");
        }
        for (const l of ofArch(plan, "aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
            const rules = JSON.parse(l.inputs!.policy as string).rules;
            assert.deepStrictEqual(
                rules.map((r: any) => [r.rulePriority, r.selection, r.action.type]),
                [
                    [
                        1,
                        { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                        "expire",
                    ],
                    [
                        2,
                        {
                            tagStatus: "tagged",
                            tagPatternList: ["*"],
                            countType: "imageCountMoreThan",
                            countNumber: 30,
                        },
                        "expire",
                    ],
                ],
            );
        }
    });

    it(`puts an internet-facing ${mode.toUpperCase()} in the public subnets, logging to the archive under elb/ where ELB can (ALB)`, () => {
        const plan = getPlan();
        const lbs = ofArch(plan, T.lb);
        assert.deepStrictEqual(lbs.map(nameOf), [lbName]);
        const i = lbs[0].inputs as any;
        assert.strictEqual(i.loadBalancerType, mode === "nlb" ? "network" : "application");
        assert.strictEqual(i.internal, false);
        assert.deepStrictEqual(i.subnets, subnetIds(plan, "public"));
        assert.deepStrictEqual(i.securityGroups, [plan.one(T.sg, `${lbName}-sg`).id]);
        // An NLB with TCP listeners only writes no access logs (ELB logs NLBs' TLS listeners only): none asked for.
        assert.deepStrictEqual(
            i.accessLogs,
            mode === "alb"
                ? {
                      enabled: true,
                      bucket: plan.one("aws:s3/bucket:Bucket", "foundation-log-archive").outputs!.bucket,
                      prefix: "elb",
                  }
                : undefined,
        );
        assert.strictEqual(i.enableDeletionProtection, false);
        if (mode === "alb") {
            assert.strictEqual(i.dropInvalidHeaderFields, true);
            assert.strictEqual(i.enableCrossZoneLoadBalancing, undefined);
        } else {
            assert.strictEqual(i.enableCrossZoneLoadBalancing, true);
            assert.strictEqual(i.dropInvalidHeaderFields, undefined);
        }
    });

    it("alarms to the foundation topic when a target is unhealthy or none is healthy", () => {
        const plan = getPlan();
        const topic = plan.one("aws:sns/topic:Topic", "foundation-alarms").outputs!.arn;
        const lb = plan.one(T.lb, lbName);
        const alarms = ofArch(plan, T.alarm);
        const groups = ofArch(plan, T.tg);
        assert.strictEqual(alarms.length, groups.length * 2);
        for (const tg of groups) {
            const tgKey = nameOf(tg).replace(`${lbName}-`, "");
            const unhealthy = plan.one(T.alarm, `${lbName}-${tgKey}-unhealthy`).inputs as any;
            const none = plan.one(T.alarm, `${lbName}-${tgKey}-no-healthy`).inputs as any;
            const dimensions = { LoadBalancer: lb.outputs!.arnSuffix, TargetGroup: tg.outputs!.arnSuffix };
            const ns = mode === "nlb" ? "AWS/NetworkELB" : "AWS/ApplicationELB";
            assert.deepStrictEqual(
                [
                    unhealthy.namespace,
                    unhealthy.metricName,
                    unhealthy.dimensions,
                    unhealthy.statistic,
                    unhealthy.comparisonOperator,
                    unhealthy.threshold,
                    unhealthy.evaluationPeriods,
                ],
                [ns, "UnHealthyHostCount", dimensions, "Maximum", "GreaterThanThreshold", 0, 3],
            );
            assert.deepStrictEqual(
                [
                    none.namespace,
                    none.metricName,
                    none.dimensions,
                    none.statistic,
                    none.comparisonOperator,
                    none.threshold,
                    none.treatMissingData,
                ],
                [ns, "HealthyHostCount", dimensions, "Minimum", "LessThanThreshold", 1, "breaching"],
            );
            for (const a of [unhealthy, none]) {
                assert.deepStrictEqual(a.alarmActions, [topic]);
                assert.deepStrictEqual(a.okActions, [topic]);
            }
        }
    });

    it("tags every taggable resource with the platform's tags", () => {
        const plan = getPlan();
        const custom = ofArch(plan).filter((r) => r.custom);
        assert.ok(custom.length > 40);
        for (const r of custom) {
            if (UNTAGGABLE.has(r.type)) {
                assert.strictEqual(r.inputs!.tags, undefined, `${r.type} is listed as untaggable but has tags`);
                continue;
            }
            const tags = { ...(r.inputs!.tags as Record<string, string>) };
            delete tags.Name;
            assert.deepStrictEqual(tags, TAGS, `${r.type} ${nameOf(r)}`);
        }
    });

    it(
        "builds a dashboard of load balancer health, ECS CPU and memory" + (mode === "alb" ? " and WAF blocks" : ""),
        () => {
            const plan = getPlan();
            const [dashboard] = ofArch(plan, "aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs!.dashboardName, "platform-dev-mtls-api-dashboard");
            const widgets = JSON.parse(dashboard.inputs!.dashboardBody as string).widgets;
            assert.deepStrictEqual(
                widgets.map((w: any) => w.properties.title),
                [
                    "Load balancer: healthy and unhealthy gateway tasks",
                    mode === "nlb" ? "NLB: TCP flows and resets" : "ALB: requests, TLS and HTTP errors",
                    "ECS: CPU utilisation (%)",
                    "ECS: memory utilisation (%)",
                    ...(mode === "alb" ? ["WAF: blocked and allowed requests"] : []),
                ],
            );
            const cluster = plan.ofType("aws:ecs/cluster:Cluster")[0].outputs!.name;
            assert.deepStrictEqual(widgets[2].properties.metrics, [
                [
                    "AWS/ECS",
                    "CPUUtilization",
                    "ClusterName",
                    cluster,
                    "ServiceName",
                    plan.one(T.service, "mtls-api-gateway").outputs!.name,
                    { label: "gateway" },
                ],
                [
                    "AWS/ECS",
                    "CPUUtilization",
                    "ClusterName",
                    cluster,
                    "ServiceName",
                    plan.one(T.service, "mtls-api-api").outputs!.name,
                    { label: "api" },
                ],
            ]);
            if (mode === "alb") {
                const acl = ofArch(plan, "aws:wafv2/webAcl:WebAcl")[0];
                assert.deepStrictEqual(widgets[4].properties.metrics[0], [
                    "AWS/WAFV2",
                    "BlockedRequests",
                    "WebACL",
                    acl.outputs!.name,
                    "Region",
                    "sa-east-1",
                    "Rule",
                    "ALL",
                ]);
            }
        },
    );

    it("outputs the endpoint, repository URLs, service names and the CA certificate", () => {
        const plan = getPlan();
        const out = arch(plan);
        const caPems = ofArch(plan, T.selfSigned).map((c) => c.outputs!.certPem as string);
        assert.deepStrictEqual(
            Object.keys(out).sort(),
            [
                "apiDiscoveryName",
                "caBundlePem",
                "caCertificatePem",
                "clientCertificates",
                "dashboardName",
                "ecrRepositoryUrls",
                "edgeMode",
                "endpoint",
                "loadBalancerDnsName",
                "serviceNames",
                ...(mode === "alb" ? ["webAclArn"] : []),
            ].sort(),
        );
        assert.strictEqual(out.edgeMode, mode);
        assert.strictEqual(out.endpoint, "https://webhooks.dev.example.com");
        assert.strictEqual(out.loadBalancerDnsName, plan.one(T.lb, lbName).outputs!.dnsName);
        assert.deepStrictEqual(out.ecrRepositoryUrls, {
            gateway: plan.one(T.repo, "mtls-api-gateway-repo").outputs!.repositoryUrl,
            api: plan.one(T.repo, "mtls-api-api-repo").outputs!.repositoryUrl,
        });
        assert.deepStrictEqual(out.serviceNames, {
            gateway: plan.one(T.service, "mtls-api-gateway").outputs!.name,
            api: plan.one(T.service, "mtls-api-api").outputs!.name,
        });
        assert.strictEqual(out.apiDiscoveryName, "api.mtls-api.internal");
        assert.strictEqual(out.dashboardName, "platform-dev-mtls-api-dashboard");
        assert.ok(caPems.includes(out.caCertificatePem));
        assert.match(out.caCertificatePem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
        assert.strictEqual(out.caBundlePem, caPems.join(""));
    });
}

describe("mtls-api in nlb mode (the dev plan)", function () {
    let plan: Plan;
    before(() => {
        plan = releasedPlan("dev");
    });

    commonChecks(() => plan, "nlb");

    it("listens on TCP 443 and 80 only, passing connections through to the gateway's 8443 and 8080", () => {
        const tgs = Object.fromEntries(ofArch(plan, T.tg).map((t) => [t.outputs!.arn as string, nameOf(t)]));
        const listeners = ofArch(plan, T.listener).map((l) => ({
            port: l.inputs!.port,
            protocol: l.inputs!.protocol,
            actions: (l.inputs!.defaultActions as any[]).map((a) => [a.type, tgs[a.targetGroupArn]]),
            tls: [l.inputs!.certificateArn, l.inputs!.sslPolicy, l.inputs!.mutualAuthentication],
            lb: l.inputs!.loadBalancerArn,
        }));
        const lb = plan.one(T.lb, "mtls-api-nlb").outputs!.arn;
        assert.deepStrictEqual(
            listeners.sort((a: any, b: any) => a.port - b.port),
            [
                {
                    port: 80,
                    protocol: "TCP",
                    actions: [["forward", "mtls-api-nlb-http"]],
                    tls: [undefined, undefined, undefined],
                    lb,
                },
                {
                    port: 443,
                    protocol: "TCP",
                    actions: [["forward", "mtls-api-nlb-tls"]],
                    tls: [undefined, undefined, undefined],
                    lb,
                },
            ],
        );
    });

    it("targets the gateway tasks by IP on 8443 and 8080, health-checked over HTTP on 8081, client IP not preserved", () => {
        const vpc = plan.ofType("aws:ec2/vpc:Vpc")[0].id;
        const groups = ofArch(plan, T.tg).map((t) => ({ name: nameOf(t), ...(t.inputs as any) }));
        assert.deepStrictEqual(
            groups
                .map((g) => [
                    g.name,
                    g.port,
                    g.protocol,
                    g.targetType,
                    g.preserveClientIp,
                    g.vpcId,
                    g.deregistrationDelay,
                    g.healthCheck,
                ])
                .sort(),
            [
                ["mtls-api-nlb-http", 8080, "TCP", "ip", "false", vpc, 30, HEALTH_CHECK],
                ["mtls-api-nlb-tls", 8443, "TCP", "ip", "false", vpc, 30, HEALTH_CHECK],
            ],
        );
        const tgs = Object.fromEntries(ofArch(plan, T.tg).map((t) => [nameOf(t), t.outputs!.arn]));
        assert.deepStrictEqual(plan.one(T.service, "mtls-api-gateway").inputs!.loadBalancers, [
            { targetGroupArn: tgs["mtls-api-nlb-tls"], containerName: "gateway", containerPort: 8443 },
            { targetGroupArn: tgs["mtls-api-nlb-http"], containerName: "gateway", containerPort: 8080 },
        ]);
        assert.strictEqual(plan.one(T.service, "mtls-api-gateway").inputs!.healthCheckGracePeriodSeconds, 60);
        // The service waits for both listeners (ECS refuses a target group no load balancer uses).
        const deps = plan.one(T.service, "mtls-api-gateway").dependencies!;
        for (const l of ofArch(plan, T.listener)) assert.ok(deps.includes(l.urn), nameOf(l));
    });

    it("allows exactly: world -> NLB 443/80, NLB -> gateway 8443/8080/8081, gateway -> API 8000, HTTPS out", () => {
        assert.deepStrictEqual(ofArch(plan, T.sg).map(nameOf).sort(), [
            "mtls-api-api-sg",
            "mtls-api-gateway-sg",
            "mtls-api-nlb-sg",
        ]);
        for (const sg of ofArch(plan, T.sg)) {
            assert.strictEqual(sg.inputs!.ingress, undefined, `${nameOf(sg)} has inline ingress`);
            assert.strictEqual(sg.inputs!.egress, undefined, `${nameOf(sg)} has inline egress`);
            assert.strictEqual(sg.inputs!.vpcId, plan.ofType("aws:ec2/vpc:Vpc")[0].id);
        }
        assert.deepStrictEqual(ofArch(plan, "aws:ec2/securityGroupRule:SecurityGroupRule"), []);
        assert.deepStrictEqual(ruleSet(plan), [
            "api from gateway tcp 8000-8000",
            "api to 0.0.0.0/0 tcp 443-443",
            "gateway from nlb tcp 8080-8080",
            "gateway from nlb tcp 8081-8081",
            "gateway from nlb tcp 8443-8443",
            "gateway to 0.0.0.0/0 tcp 443-443",
            "gateway to api tcp 8000-8000",
            "nlb from 0.0.0.0/0 tcp 443-443",
            "nlb from 0.0.0.0/0 tcp 80-80",
            "nlb to gateway tcp 8080-8080",
            "nlb to gateway tcp 8081-8081",
            "nlb to gateway tcp 8443-8443",
        ]);
    });

    it("has no WAF, ALB, trust store or ACM certificate (WAF cannot attach to an NLB)", () => {
        for (const type of [
            "aws:wafv2/webAcl:WebAcl",
            "aws:lb/trustStore:TrustStore",
            "aws:acm/certificate:Certificate",
            "aws:s3/bucket:Bucket",
        ])
            assert.deepStrictEqual(ofArch(plan, type), [], type);
    });

    it("issues the server certificate for serverName from the single CA, serverAuth only", () => {
        const [ca] = ofArch(plan, T.selfSigned);
        assert.strictEqual(nameOf(ca), "mtls-api-ca-1-certificate");
        assert.deepStrictEqual(
            [
                ca.inputs!.isCaCertificate,
                ca.inputs!.maxPathLength,
                ca.inputs!.validityPeriodHours,
                ca.inputs!.allowedUses,
            ],
            [true, 0, 87600, ["cert_signing", "crl_signing", "digital_signature"]],
        );
        assert.deepStrictEqual(ca.inputs!.subject, {
            commonName: "webhooks.dev.example.com webhook CA 1",
            organization: "platform",
        });
        const signed = ofArch(plan, T.signed);
        assert.deepStrictEqual(signed.map(nameOf), ["mtls-api-ca-1-server-certificate"]);
        assert.deepStrictEqual(
            [
                signed[0].inputs!.caCertPem,
                signed[0].inputs!.allowedUses,
                signed[0].inputs!.validityPeriodHours,
                signed[0].inputs!.earlyRenewalHours,
            ],
            [ca.outputs!.certPem, ["digital_signature", "server_auth"], 8760, 720],
        );
        const [request] = ofArch(plan, "tls:index/certRequest:CertRequest");
        assert.deepStrictEqual(request.inputs!.dnsNames, ["webhooks.dev.example.com"]);
        const keys = ofArch(plan, "tls:index/privateKey:PrivateKey").map((k) => [
            nameOf(k),
            k.inputs!.algorithm,
            k.inputs!.ecdsaCurve,
        ]);
        assert.deepStrictEqual(keys.sort(), [
            ["mtls-api-ca-1-key", "ECDSA", "P384"],
            ["mtls-api-ca-1-server-key", "ECDSA", "P256"],
        ]);
        assert.deepStrictEqual(arch(plan).clientCertificates, {});
    });
});

describe("mtls-api in alb mode (dev variant with two CAs and a webhook client)", function () {
    const CSR =
        "-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ2lqQ0NBWElDQVFBd1JURUxNQWtHQTFVRUJoTUNRbEl4RXpBUkJnTlZCQWdNQ2xOdmJXVXRVM1JoZEdVeA==\n-----END CERTIFICATE REQUEST-----\n";
    let plan: Plan;
    before(() => {
        const doc = devSettings();
        doc.config["platform:mtls-api"] = {
            ...doc.config["platform:mtls-api"],
            edgeMode: "alb",
            certificateAuthorities: ["1", "2"],
            issuingCertificateAuthority: "1",
            clients: { acme: { csrPem: CSR } },
            clientCrlPem: CRL(1) + CRL(2),
        };
        const run = runPlanCli("dev", { stackYaml: stringify(doc) });
        assert.strictEqual(run.status, 0, run.stderr);
        plan = run.plan!;
    });

    commonChecks(() => plan, "alb");

    it("listens on HTTPS 443 with TLS 1.2+, mutual TLS in verify mode against the trust store, and redirects 80 with a 301", () => {
        const tg = plan.one(T.tg, "mtls-api-alb-gateway").outputs!.arn;
        const https = plan.one(T.listener, "mtls-api-alb-https").inputs as any;
        assert.deepStrictEqual(https.defaultActions, [{ type: "forward", targetGroupArn: tg }]);
        assert.deepStrictEqual(
            [https.port, https.protocol, https.sslPolicy],
            [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"],
        );
        assert.strictEqual(https.certificateArn, ofArch(plan, "aws:acm/certificate:Certificate")[0].outputs!.arn);
        assert.deepStrictEqual(https.mutualAuthentication, {
            mode: "verify",
            trustStoreArn: plan.one("aws:lb/trustStore:TrustStore", "mtls-api-trust-store").outputs!.arn,
            ignoreClientCertificateExpiry: false,
            advertiseTrustStoreCaNames: "on",
        });
        // The gateway trusts the ALB's default X-Amzn-Mtls-Clientcert-* header names: none renamed.
        for (const k of Object.keys(https)) assert.ok(!k.startsWith("routingHttpRequestXAmzn"), k);
        const http = plan.one(T.listener, "mtls-api-alb-http").inputs as any;
        assert.deepStrictEqual(
            [http.port, http.protocol, http.defaultActions, http.certificateArn, http.sslPolicy],
            [
                80,
                "HTTP",
                [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                undefined,
                undefined,
            ],
        );
        assert.strictEqual(ofArch(plan, T.listener).length, 2);
    });

    it("forwards to the gateway over HTTPS 8443, health-checked over HTTP on 8081", () => {
        const groups = ofArch(plan, T.tg);
        assert.deepStrictEqual(
            groups.map((g) => [
                nameOf(g),
                g.inputs!.port,
                g.inputs!.protocol,
                g.inputs!.targetType,
                g.inputs!.preserveClientIp,
                g.inputs!.healthCheck,
            ]),
            [["mtls-api-alb-gateway", 8443, "HTTPS", "ip", undefined, HEALTH_CHECK]],
        );
        assert.deepStrictEqual(plan.one(T.service, "mtls-api-gateway").inputs!.loadBalancers, [
            { targetGroupArn: groups[0].outputs!.arn, containerName: "gateway", containerPort: 8443 },
        ]);
    });

    it("allows exactly: world -> ALB 443/80, ALB -> gateway 8443/8081, gateway -> API 8000, HTTPS out", () => {
        assert.deepStrictEqual(ofArch(plan, T.sg).map(nameOf).sort(), [
            "mtls-api-alb-sg",
            "mtls-api-api-sg",
            "mtls-api-gateway-sg",
        ]);
        assert.deepStrictEqual(ruleSet(plan), [
            "alb from 0.0.0.0/0 tcp 443-443",
            "alb from 0.0.0.0/0 tcp 80-80",
            "alb to gateway tcp 8081-8081",
            "alb to gateway tcp 8443-8443",
            "api from gateway tcp 8000-8000",
            "api to 0.0.0.0/0 tcp 443-443",
            "gateway from alb tcp 8081-8081",
            "gateway from alb tcp 8443-8443",
            "gateway to 0.0.0.0/0 tcp 443-443",
            "gateway to api tcp 8000-8000",
        ]);
    });

    it("protects the ALB with a WAF web ACL: managed rule groups, a per-IP rate rule, metrics, encrypted logs", () => {
        const acls = ofArch(plan, "aws:wafv2/webAcl:WebAcl");
        assert.strictEqual(acls.length, 1);
        const acl = acls[0].inputs as any;
        assert.strictEqual(acl.scope, "REGIONAL");
        assert.deepStrictEqual(acl.defaultAction, { allow: {} });
        assert.deepStrictEqual(acl.visibilityConfig, {
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
            metricName: "mtls-api-waf-all",
        });
        assert.deepStrictEqual(
            acl.rules.map((r: any) => [
                r.priority,
                r.name,
                r.action ?? r.overrideAction,
                r.visibilityConfig.cloudwatchMetricsEnabled,
            ]),
            [
                [0, "rate-limit-per-ip", { block: {} }, true],
                [1, "AWSManagedRulesAmazonIpReputationList", { none: {} }, true],
                [2, "AWSManagedRulesCommonRuleSet", { none: {} }, true],
                [3, "AWSManagedRulesKnownBadInputsRuleSet", { none: {} }, true],
                [4, "AWSManagedRulesSQLiRuleSet", { none: {} }, true],
            ],
        );
        assert.deepStrictEqual(acl.rules[0].statement, {
            rateBasedStatement: { limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" },
        });
        assert.deepStrictEqual(acl.rules[2].statement.managedRuleGroupStatement, {
            vendorName: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
        });
        const [logging] = ofArch(plan, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        const logGroup = ofArch(plan, T.logGroup).find(
            (g) => g.inputs!.name === "aws-waf-logs-platform-dev-mtls-api-alb",
        )!;
        assert.deepStrictEqual(
            [logging.inputs!.resourceArn, logging.inputs!.logDestinationConfigs],
            [acls[0].outputs!.arn, [logGroup.outputs!.arn]],
        );
        const [association] = ofArch(plan, "aws:wafv2/webAclAssociation:WebAclAssociation");
        assert.deepStrictEqual(
            [association.inputs!.resourceArn, association.inputs!.webAclArn],
            [plan.one(T.lb, "mtls-api-alb").outputs!.arn, acls[0].outputs!.arn],
        );
        assert.strictEqual(arch(plan).webAclArn, acls[0].outputs!.arn);
    });

    it("adds each CA's revocation list to the trust store, one object version per CRL in the trust store's bucket", () => {
        const bucket = plan.one("aws:s3/bucket:Bucket", "mtls-api-trust-store-bucket");
        const store = plan.one("aws:lb/trustStore:TrustStore", "mtls-api-trust-store");
        const ids = [CRL(1), CRL(2)].map((crl) => createHash("sha256").update(crl).digest("hex").slice(0, 16));
        const revocations = ofArch(plan, "aws:lb/trustStoreRevocation:TrustStoreRevocation");
        assert.deepStrictEqual(
            revocations.map(nameOf).sort(),
            ids.map((id) => `mtls-api-trust-store-crl-${id}`).sort(),
        );
        ids.forEach((id, i) => {
            const object = plan.one("aws:s3/bucketObjectv2:BucketObjectv2", `mtls-api-trust-store-crl-${id}`);
            assert.deepStrictEqual(
                [object.inputs!.bucket, object.inputs!.key, object.inputs!.content],
                [bucket.id, `revocations/${id}.pem`, CRL(i + 1)],
            );
            const revocation = revocations.find((r) => nameOf(r) === `mtls-api-trust-store-crl-${id}`)!;
            assert.deepStrictEqual(revocation.inputs, {
                trustStoreArn: store.outputs!.arn,
                revocationsS3Bucket: bucket.id,
                revocationsS3Key: `revocations/${id}.pem`,
                revocationsS3ObjectVersion: object.outputs!.versionId,
            });
        });
    });

    it("keeps the CA bundle (both CAs) in a private, versioned, encrypted, TLS-only bucket, pinned by version in the trust store", () => {
        const cas = ["1", "2"].map(
            (id) => plan.one(T.selfSigned, `mtls-api-ca-${id}-certificate`).outputs!.certPem as string,
        );
        const bucket = plan.one("aws:s3/bucket:Bucket", "mtls-api-trust-store-bucket");
        const object = plan.one("aws:s3/bucketObjectv2:BucketObjectv2", "mtls-api-trust-store-ca-bundle");
        assert.deepStrictEqual(
            [object.inputs!.bucket, object.inputs!.key, object.inputs!.content],
            [bucket.id, "ca-bundle.pem", cas.join("")],
        );
        const store = plan.one("aws:lb/trustStore:TrustStore", "mtls-api-trust-store").inputs as any;
        assert.deepStrictEqual(
            [
                store.caCertificatesBundleS3Bucket,
                store.caCertificatesBundleS3Key,
                store.caCertificatesBundleS3ObjectVersion,
            ],
            [bucket.id, "ca-bundle.pem", object.outputs!.versionId],
        );
        const byBucket = (type: string) => ofArch(plan, type).filter((r) => r.inputs!.bucket === bucket.id);
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").map((p) => [
                p.inputs!.blockPublicAcls,
                p.inputs!.blockPublicPolicy,
                p.inputs!.ignorePublicAcls,
                p.inputs!.restrictPublicBuckets,
            ]),
            [[true, true, true, true]],
        );
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketVersioning:BucketVersioning").map((v) => v.inputs!.versioningConfiguration),
            [{ status: "Enabled" }],
        );
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map(
                (e) => e.inputs!.rules,
            ),
            [[{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]],
        );
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").map((o) => o.inputs!.rule),
            [{ objectOwnership: "BucketOwnerEnforced" }],
        );
        const [policy] = byBucket("aws:s3/bucketPolicy:BucketPolicy");
        assert.deepStrictEqual(policyDocument(policy.inputs!.policy).Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.outputs!.arn, `${String(bucket.outputs!.arn)}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
        assert.strictEqual(arch(plan).caBundlePem, cas.join(""));
    });

    it("imports the server certificate, issued by the issuing CA, into ACM with the CA as chain", () => {
        const ca1 = plan.one(T.selfSigned, "mtls-api-ca-1-certificate").outputs!.certPem;
        const server = plan.one(T.signed, "mtls-api-ca-1-server-certificate");
        const [certificate] = ofArch(plan, "aws:acm/certificate:Certificate");
        assert.deepStrictEqual(
            [certificate.inputs!.certificateBody, certificate.inputs!.certificateChain],
            [server.outputs!.certPem, ca1],
        );
        assert.deepStrictEqual(certificate.inputs!.privateKey, {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            ciphertext: "[secret]",
        });
        assert.strictEqual(server.inputs!.caCertPem, ca1);
        assert.strictEqual(arch(plan).caCertificatePem, ca1);
    });

    it("signs each webhook client's CSR with the issuing CA, clientAuth only, and outputs the certificate", () => {
        const ca1 = plan.one(T.selfSigned, "mtls-api-ca-1-certificate").outputs!.certPem;
        const client = plan.one(T.signed, "mtls-api-ca-1-client-acme-certificate");
        assert.deepStrictEqual(
            [
                client.inputs!.certRequestPem,
                client.inputs!.caCertPem,
                client.inputs!.allowedUses,
                client.inputs!.validityPeriodHours,
            ],
            [CSR, ca1, ["digital_signature", "client_auth"], 8760],
        );
        assert.deepStrictEqual(arch(plan).clientCertificates, { acme: client.outputs!.certPem });
        assert.deepStrictEqual(ofArch(plan, T.signed).map(nameOf).sort(), [
            "mtls-api-ca-1-client-acme-certificate",
            "mtls-api-ca-1-server-certificate",
        ]);
    });

    it("leaves the client CA out of the gateway's secret (the ALB verifies clients)", () => {
        const [gw] = containers(plan.one(T.task, "mtls-api-gateway-task"));
        assert.ok(!gw.secrets.some((s: any) => s.name === "GATEWAY_CLIENT_CA_PEM"));
        assert.ok(!gw.environment.some((e: any) => e.name === "GATEWAY_HTTP_PORT"));
    });
});

describe("mtls-api in nlb mode with revocation lists", function () {
    it("hands the CRLs to the gateway in its task definition (a new list rolls the service), with direct clients only", () => {
        const doc = devSettings();
        doc.config["platform:mtls-api"] = { ...doc.config["platform:mtls-api"], clientCrlPem: CRL(1) };
        const run = runPlanCli("dev", { stackYaml: stringify(doc) });
        assert.strictEqual(run.status, 0, run.stderr);
        const [gw] = containers(run.plan!.one(T.task, "mtls-api-gateway-task"));
        const env = Object.fromEntries(gw.environment.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual([env.GATEWAY_CLIENT_CRL_PEM, env.GATEWAY_SSL_VERIFY_DEPTH], [CRL(1), "0"]);
        assert.deepStrictEqual(ofArch(run.plan!, "aws:lb/trustStoreRevocation:TrustStoreRevocation"), []);
    });
});

describe("platform:mtls-api settings", () => {
    const base = {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:architectures": '["mtls-api"]',
        "platform:releases": '{"mtls-gateway":"1.0.0","mtls-api":"1.0.0"}',
    };
    const validate = (settings: unknown) =>
        validateConfig(
            { project: "platform", stack: "dev", values: { ...base, "platform:mtls-api": JSON.stringify(settings) } },
            { "mtls-api": mtlsApi },
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

    it("applies the defaults: nlb, 7 days, 2 tasks of 256/512 and 512/1024, nginx limits, one CA", () => {
        assert.deepStrictEqual(validate({ serverName: "webhooks.example.com" }).settings["mtls-api"], {
            edgeMode: "nlb",
            serverName: "webhooks.example.com",
            logRetentionDays: 7,
            gateway: { cpu: 256, memory: 512, desiredCount: 2, maxCount: 4, cpuTargetPercent: 60 },
            api: { cpu: 512, memory: 1024, desiredCount: 2, maxCount: 4, cpuTargetPercent: 60 },
            limits: { clientMaxBodySize: "1m", rateLimit: "10r/s", rateLimitBurst: 20 },
            waf: { rateLimit: 2000 },
            certificateAuthorities: ["1"],
            serverCertificateValidityDays: 365,
            clients: {},
            clientCertificateValidityDays: 365,
        });
    });

    it("names every bad value with its full key, all at once", () => {
        assert.deepStrictEqual(
            problems({
                edgeMode: "elb",
                gateway: { cpu: 256, memory: 4096, desiredCount: 1 },
                api: { cpu: 300 },
                limits: { clientMaxBodySize: "0", rateLimit: "10/s" },
                logRetentionDays: 10,
                certificateAuthorities: ["1", "1"],
                clients: { Acme: { csrPem: "not a csr" } },
                extra: true,
            }),
            [
                'platform:mtls-api.edgeMode: must be nlb (NLB passthrough, nginx verifies client certificates) or alb (ALB mutual TLS with WAF); got "elb"',
                "platform:mtls-api.serverName: required: the DNS name webhook clients connect to, e.g. webhooks.example.com",
                "platform:mtls-api.logRetentionDays: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 10",
                "platform:mtls-api.gateway.desiredCount: must be the number of tasks; at least 2 so they span two Availability Zones (an integer from 2 to 100); got 1",
                "platform:mtls-api.gateway.memory: must be a Fargate size for cpu 256: 512, 1024, 2048 MiB; got 4096",
                "platform:mtls-api.api.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (1024 = 1 vCPU); got 300",
                'platform:mtls-api.limits.clientMaxBodySize: must be a non-zero nginx size such as 1m or 512k; got "0"',
                'platform:mtls-api.limits.rateLimit: must be an nginx rate such as 10r/s or 600r/m; got "10/s"',
                "platform:mtls-api.certificateAuthorities: lists a CA more than once",
                "platform:mtls-api.clients.Acme.csrPem: must be one PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- ...)",
                'platform:mtls-api.clients.Acme: is not a client name: use 1-31 lower-case letters, digits and -, starting with a letter or digit; got "Acme"',
                'platform:mtls-api: unknown key "extra"',
            ],
        );
    });

    it("takes revocation lists as PEM CRLs only, one for every CA", () => {
        const crl = (n: number) => `-----BEGIN X509 CRL-----\nTUlJQ1JM${n}\n-----END X509 CRL-----\n`;
        assert.strictEqual(
            (
                validate({ serverName: "webhooks.example.com", clientCrlPem: crl(1) }).settings[
                    "mtls-api"
                ] as MtlsApiSettings
            ).clientCrlPem,
            crl(1),
        );
        assert.deepStrictEqual(
            problems({ serverName: "webhooks.example.com", clientCrlPem: `${crl(1)}-----BEGIN CERTIFICATE-----\n` }),
            [
                "platform:mtls-api.clientCrlPem: must be one or more PEM certificate revocation lists (-----BEGIN X509 CRL----- ...) and nothing else",
            ],
        );
        assert.deepStrictEqual(
            problems({ serverName: "webhooks.example.com", certificateAuthorities: ["1", "2"], clientCrlPem: crl(1) }),
            [
                "platform:mtls-api.clientCrlPem: must hold a CRL of every CA in certificateAuthorities (2); got 1: nginx checks a CRL for every CA of a client's chain and refuses clients of a CA without one",
            ],
        );
    });

    it("checks values against each other: server name form, capacity, the issuing CA", () => {
        assert.deepStrictEqual(
            problems({
                serverName: "Webhooks.example.com.",
                certificateAuthorities: ["1", "2"],
                issuingCertificateAuthority: "3",
                gateway: { desiredCount: 5, maxCount: 3 },
            }),
            [
                'platform:mtls-api.serverName: must be a lower-case DNS name such as webhooks.example.com (no wildcard, no trailing dot); got "Webhooks.example.com."',
                "platform:mtls-api.gateway.maxCount: must be at least desiredCount (5); got 3",
                'platform:mtls-api.issuingCertificateAuthority: must be one of certificateAuthorities (1, 2); got "3"',
            ],
        );
    });

    it("requires a release for the gateway and for the API", () => {
        const values = {
            ...base,
            "platform:releases": '{"mtls-api":"1.0.0"}',
            "platform:mtls-api": '{"serverName":"webhooks.example.com"}',
        };
        assert.throws(
            () => validateConfig({ project: "platform", stack: "dev", values }, { "mtls-api": mtlsApi }),
            (err: ConfigValidationError) => {
                assert.deepStrictEqual(err.problems, [
                    "platform:releases.mtls-gateway: required by architecture mtls-api; set the image tag or version to deploy",
                ]);
                return true;
            },
        );
    });
});
