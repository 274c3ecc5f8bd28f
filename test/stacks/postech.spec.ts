/**
 * The postech resource graph, read from the dev and prod offline plans: API routes and their
 * authorization, the Lambda functions (code, environment, IAM per function, network), Cognito, the
 * EKS inputs per environment, the Kubernetes objects and Helm releases, IRSA, who may reach whom,
 * the database, tags and outputs; and the settings' messages.
 */
import { createHash } from "crypto";
import * as assert from "assert";
import { validateConfig, ConfigValidationError } from "../../infra/config/load";
import { bundleLambda } from "../../apps/lambdas/build";
import { ACCESS_LOG_FORMAT } from "../../infra/serverless/rest-api";
import { APP, AUTH_BODY_SCHEMA, CHARTS, postech } from "../../stacks/postech";
import { mockImageDigest } from "../../tools/lib/mocks";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import * as fs from "fs";
import * as path from "path";
import { nameOf, Plan, policyDocument, ROOT, runPlanCli, stackPlan } from "../support/plan";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const ARCH = "platform:architecture:Postech";
const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    fn: "aws:lambda/function:Function",
    permission: "aws:lambda/permission:Permission",
    method: "aws:apigateway/method:Method",
    integration: "aws:apigateway/integration:Integration",
    kmsKey: "aws:kms/key:Key",
    eks: "eks:index:Cluster",
    release: "kubernetes:helm.sh/v3:Release",
} as const;

const ofArch = (plan: Plan, type?: string) =>
    plan.resources.filter((r) => r.urn.includes(`::${ARCH}`) && (type === undefined || r.type === type));
const key = (plan: Plan, purpose: string) =>
    plan.ofType(T.kmsKey).find((k) => (k.inputs!.tags as any).Purpose === purpose)!.outputs!.arn as string;
const subnetIds = (plan: Plan, tier: string) =>
    plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs!.tags as any).Tier === tier)
        .map((s) => s.id);
const inputs = (plan: Plan, type: string, name: string) => plan.one(type, name).inputs as any;
const outputs = (plan: Plan, type: string, name: string) => plan.one(type, name).outputs as any;
const statements = (plan: Plan, policyName: string) =>
    policyDocument(inputs(plan, T.rolePolicy, policyName).policy).Statement;
const arch = (plan: Plan) => plan.outputs.architectures.postech;
const FUNCTIONS = [
    "cpf-auth",
    "jwt-authorizer",
    "define-auth-challenge",
    "create-auth-challenge",
    "verify-auth-challenge",
];
const BASELINE = ["WriteItsLogs", "SendTraces", "ManageItsNetworkInterfaces"];

/** Security group id -> a readable role (`nlb`, `db`, `cpf-auth`, ..., `eks-cluster`). */
function sgRoles(plan: Plan): Map<string, string> {
    const roles = new Map(
        ofArch(plan, T.sg).map((sg) => [
            sg.id!,
            nameOf(sg)
                .replace(/^postech-/, "")
                .replace(/-sg$/, ""),
        ]),
    );
    roles.set(outputs(plan, T.eks, "postech-eks").clusterSecurityGroupId, "eks-cluster");
    return roles;
}
function ruleSet(plan: Plan): string[] {
    const roles = sgRoles(plan);
    const peer = (r: ExportedResource) =>
        r.inputs!.referencedSecurityGroupId
            ? (roles.get(r.inputs!.referencedSecurityGroupId as string) ?? "UNKNOWN-SG")
            : r.inputs!.cidrIpv4;
    const line = (r: ExportedResource, dir: string) =>
        `${roles.get(r.inputs!.securityGroupId as string)} ${dir} ${String(peer(r))} ${String(r.inputs!.ipProtocol)} ${String(r.inputs!.fromPort)}`;
    return [
        ...ofArch(plan, T.ingress).map((r) => line(r, "from")),
        ...ofArch(plan, T.egress).map((r) => line(r, "to")),
    ].sort();
}

/** The FastAPI image tag the specs deploy (the committed stack files say `unreleased`: nothing pushed yet). */
const RELEASE = "1.4.2";
/** The plan of a committed stack with the FastAPI image released as {@link RELEASE}. */
function releasedPlan(stack: "dev" | "prod"): Plan {
    const yaml = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
    const released = yaml.replace(/^( {4}postech-api:) unreleased$/m, `$1 ${RELEASE}`);
    assert.notStrictEqual(released, yaml, `Pulumi.${stack}.yaml releases postech-api as unreleased`);
    const run = runPlanCli(stack, { stackYaml: released });
    assert.ok(run.status === 0 && run.plan, `plan failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
    return run.plan;
}

for (const stack of ["dev", "prod"] as const) {
    describe(`postech (${stack} plan, first run: the FastAPI image not pushed yet)`, () => {
        let plan: Plan;
        before(function () {
            this.timeout(600_000);
            plan = stackPlan(stack);
        });

        it("creates the repository and everything but the FastAPI workload; the REST API waits on no Kubernetes object", () => {
            for (const type of [
                "kubernetes:apps/v1:Deployment",
                "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                "kubernetes:policy/v1:PodDisruptionBudget",
                "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
                "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
            ])
                assert.deepStrictEqual(ofArch(plan, type).map(nameOf), [], type);
            assert.deepStrictEqual(
                ofArch(plan, T.role)
                    .map(nameOf)
                    .filter((n) => n.startsWith("postech-eks-irsa-"))
                    .sort(),
                [
                    "postech-eks-irsa-ebs-csi",
                    "postech-eks-irsa-fluent-bit",
                    "postech-eks-irsa-lb-controller",
                    "postech-eks-irsa-otel-collector",
                ],
            );
            assert.strictEqual(ofArch(plan, "aws:ecr/repository:Repository").length, 1);
            const component = plan.resources.find(
                (r) => r.type === "platform:serverless:RestApi" && r.urn.endsWith("::postech-api"),
            )!;
            assert.deepStrictEqual(component.dependencies ?? [], []);
            assert.strictEqual(ofArch(plan, "aws:apigateway/stage:Stage").length, 1);
        });
    });

    describe(`postech (${stack} plan, FastAPI ${RELEASE} released)`, () => {
        let plan: Plan;
        before(function () {
            this.timeout(600_000);
            plan = releasedPlan(stack);
        });

        it("exposes POST /auth without a token (Lambda proxy, body schema) and every other route behind the JWT authorizer through the VPC link", () => {
            const methods = ofArch(plan, T.method)
                .map((m) => [
                    nameOf(m),
                    (m.inputs as any).httpMethod,
                    (m.inputs as any).authorization,
                    (m.inputs as any).apiKeyRequired,
                ])
                .sort();
            assert.deepStrictEqual(methods, [
                ["postech-api-any-proxy", "ANY", "CUSTOM", true],
                ["postech-api-post-auth", "POST", "NONE", true],
            ]);
            const authorizer = inputs(plan, "aws:apigateway/authorizer:Authorizer", "postech-api-jwt");
            assert.deepStrictEqual(
                [
                    authorizer.type,
                    authorizer.identitySource,
                    authorizer.authorizerResultTtlInSeconds,
                    authorizer.authorizerUri,
                ],
                [
                    "TOKEN",
                    "method.request.header.Authorization",
                    300,
                    outputs(plan, T.fn, "postech-jwt-authorizer").invokeArn,
                ],
            );
            assert.strictEqual(
                inputs(plan, T.method, "postech-api-any-proxy").authorizerId,
                plan.one("aws:apigateway/authorizer:Authorizer", "postech-api-jwt").id,
            );
            const auth = inputs(plan, T.integration, "postech-api-post-auth");
            assert.deepStrictEqual(
                [auth.type, auth.uri],
                ["AWS_PROXY", outputs(plan, T.fn, "postech-cpf-auth").invokeArn],
            );
            assert.deepStrictEqual(
                JSON.parse(inputs(plan, "aws:apigateway/model:Model", "postech-api-post-auth-body").schema),
                { $schema: "http://json-schema.org/draft-04/schema#", ...AUTH_BODY_SCHEMA },
            );
            const proxy = inputs(plan, T.integration, "postech-api-any-proxy");
            const nlb = outputs(plan, "aws:lb/loadBalancer:LoadBalancer", "postech-nlb");
            assert.deepStrictEqual(
                [proxy.type, proxy.connectionType, proxy.connectionId, proxy.uri],
                [
                    "HTTP_PROXY",
                    "VPC_LINK",
                    plan.one("aws:apigateway/vpcLink:VpcLink", "postech-vpc-link").id,
                    `http://${nlb.dnsName}:80/{proxy}`,
                ],
            );
            assert.deepStrictEqual(proxy.requestParameters, {
                "integration.request.path.proxy": "method.request.path.proxy",
                "integration.request.header.X-Authenticated-Sub": "context.authorizer.principalId",
            });
            assert.deepStrictEqual(
                inputs(plan, "aws:apigateway/vpcLink:VpcLink", "postech-vpc-link").targetArn,
                nlb.arn,
            );
        });

        it("logs, traces and throttles the stage, meters clients with API keys, and puts WAF in front of it", () => {
            const stage = inputs(plan, "aws:apigateway/stage:Stage", "postech-api-stage");
            const access = plan.one("aws:cloudwatch/logGroup:LogGroup", "postech-api-access-logs");
            assert.deepStrictEqual(
                [stage.stageName, stage.xrayTracingEnabled, stage.accessLogSettings],
                ["v1", true, { destinationArn: access.outputs!.arn, format: JSON.stringify(ACCESS_LOG_FORMAT) }],
            );
            assert.deepStrictEqual(
                [access.inputs!.name, access.inputs!.kmsKeyId],
                [`/platform/${stack}/postech/api-access`, key(plan, "logs")],
            );
            assert.deepStrictEqual(
                inputs(plan, "aws:apigateway/methodSettings:MethodSettings", "postech-api-settings").settings,
                {
                    metricsEnabled: true,
                    loggingLevel: "ERROR",
                    dataTraceEnabled: false,
                    throttlingRateLimit: 50,
                    throttlingBurstLimit: 100,
                    cachingEnabled: false,
                },
            );
            const usage = inputs(plan, "aws:apigateway/usagePlan:UsagePlan", "postech-api-usage-plan");
            assert.deepStrictEqual(
                [usage.throttleSettings, usage.quotaSettings],
                [
                    { rateLimit: 20, burstLimit: 40 },
                    { limit: 100000, period: "DAY" },
                ],
            );
            assert.deepStrictEqual(ofArch(plan, "aws:apigateway/apiKey:ApiKey").map(nameOf), ["postech-api-key-app"]);
            const association = inputs(plan, "aws:wafv2/webAclAssociation:WebAclAssociation", "postech-waf-api");
            const api = plan.one("aws:apigateway/restApi:RestApi", "postech-api");
            assert.deepStrictEqual(association, {
                resourceArn: `arn:aws:apigateway:sa-east-1::/restapis/${api.id}/stages/v1`,
                webAclArn: outputs(plan, "aws:wafv2/webAcl:WebAcl", "postech-waf").arn,
            });
            const acl = inputs(plan, "aws:wafv2/webAcl:WebAcl", "postech-waf");
            assert.deepStrictEqual(
                [acl.scope, acl.rules[0].statement.rateBasedStatement.limit, acl.rules.map((r: any) => r.name)],
                [
                    "REGIONAL",
                    1000,
                    [
                        "rate-limit-per-ip",
                        "AWSManagedRulesAmazonIpReputationList",
                        "AWSManagedRulesCommonRuleSet",
                        "AWSManagedRulesKnownBadInputsRuleSet",
                        "AWSManagedRulesSQLiRuleSet",
                    ],
                ],
            );
            assert.strictEqual(
                inputs(plan, "aws:apigateway/restApi:RestApi", "postech-api").endpointConfiguration.types,
                "REGIONAL",
            );
        });

        it("deploys the five Lambda functions from this repository's bundles, in the private subnets, traced, each with its own role", () => {
            const fns = ofArch(plan, T.fn);
            assert.deepStrictEqual(fns.map(nameOf).sort(), FUNCTIONS.map((f) => `postech-${f}`).sort());
            const roles = new Set<string>();
            for (const f of FUNCTIONS) {
                const i = inputs(plan, T.fn, `postech-${f}`);
                assert.deepStrictEqual(
                    [i.name, i.runtime, i.handler, i.architectures, i.tracingConfig],
                    [`platform-${stack}-postech-${f}`, "nodejs22.x", "index.handler", ["arm64"], { mode: "Active" }],
                );
                assert.deepStrictEqual(i.vpcConfig.subnetIds, subnetIds(plan, "private"));
                assert.deepStrictEqual(i.vpcConfig.securityGroupIds, [plan.one(T.sg, `postech-${f}-sg`).id]);
                assert.strictEqual(
                    i.code.assets["index.js"].hash,
                    sha256(bundleLambda(f as any).files["index.js"]),
                    "the plan keeps the bundle's SHA-256",
                );
                assert.deepStrictEqual([i.tags.CodeSha256, i.tags.Release], [bundleLambda(f as any).sha256, "1.0.0"]);
                assert.deepStrictEqual(i.loggingConfig.logGroup, `/aws/lambda/platform-${stack}-postech-${f}`);
                roles.add(i.role);
            }
            assert.strictEqual(roles.size, FUNCTIONS.length, "one role per function");
        });

        it("gives each function exactly what it calls: Cognito admin actions on this pool, the challenge secret, nothing else", () => {
            const pool = outputs(plan, "aws:cognito/userPool:UserPool", "postech-users");
            const secret = outputs(plan, "aws:secretsmanager/secret:Secret", "postech-challenge-secret").arn;
            const readSecret = [
                {
                    Sid: "ReadTheChallengeSecret",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: secret,
                },
                {
                    Sid: "DecryptThroughsecretsmanager",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: key(plan, "secrets"),
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
                },
            ];
            const auth = statements(plan, "postech-cpf-auth-policy");
            assert.deepStrictEqual(
                auth.map((s: any) => s.Sid),
                [...BASELINE, "SignInCustomersByCpf", "ReadTheChallengeSecret", "DecryptThroughsecretsmanager"],
            );
            assert.deepStrictEqual(auth[3], {
                Sid: "SignInCustomersByCpf",
                Effect: "Allow",
                Action: [
                    "cognito-idp:AdminGetUser",
                    "cognito-idp:AdminCreateUser",
                    "cognito-idp:AdminInitiateAuth",
                    "cognito-idp:AdminRespondToAuthChallenge",
                ],
                Resource: pool.arn,
            });
            assert.deepStrictEqual(auth.slice(4), readSecret);
            assert.deepStrictEqual(statements(plan, "postech-verify-auth-challenge-policy").slice(3), readSecret);
            for (const f of ["jwt-authorizer", "define-auth-challenge", "create-auth-challenge"]) {
                assert.deepStrictEqual(
                    statements(plan, `postech-${f}-policy`).map((s: any) => s.Sid),
                    BASELINE,
                    f,
                );
            }
            assert.deepStrictEqual(
                statements(plan, "postech-cpf-auth-policy")[0].Resource,
                `${outputs(plan, "aws:cloudwatch/logGroup:LogGroup", "postech-cpf-auth-logs").arn}:*`,
            );
        });

        it("wires the functions' environment to the pool, its client and the secret, as apps/lambdas/README.md asks", () => {
            const pool = plan.one("aws:cognito/userPool:UserPool", "postech-users").id;
            const client = plan.one("aws:cognito/userPoolClient:UserPoolClient", "postech-users-app").id;
            const secret = outputs(plan, "aws:secretsmanager/secret:Secret", "postech-challenge-secret").arn;
            const env = (f: string) => inputs(plan, T.fn, `postech-${f}`).environment?.variables;
            assert.deepStrictEqual(env("cpf-auth"), {
                CHALLENGE_SECRET_ARN: secret,
                CLIENT_ID: client,
                USER_POOL_ID: pool,
            });
            assert.deepStrictEqual(env("jwt-authorizer"), {
                CLIENT_ID: client,
                TOKEN_USE: "access",
                USER_POOL_ID: pool,
            });
            assert.deepStrictEqual(env("verify-auth-challenge"), { CHALLENGE_SECRET_ARN: secret });
            assert.deepStrictEqual(
                [env("define-auth-challenge"), env("create-auth-challenge")],
                [undefined, undefined],
            );
            const secretInputs = inputs(plan, "aws:secretsmanager/secret:Secret", "postech-challenge-secret");
            assert.deepStrictEqual(
                [secretInputs.kmsKeyId, secretInputs.recoveryWindowInDays],
                [key(plan, "secrets"), stack === "prod" ? 30 : 7],
            );
            assert.deepStrictEqual(
                inputs(plan, "random:index/randomPassword:RandomPassword", "postech-challenge-key").length,
                64,
            );
        });

        it("lets Cognito call the triggers for this pool only, and API Gateway call cpf-auth and the authorizer for this API only", () => {
            const pool = outputs(plan, "aws:cognito/userPool:UserPool", "postech-users").arn;
            const api = outputs(plan, "aws:apigateway/restApi:RestApi", "postech-api").executionArn;
            const authorizerId = plan.one("aws:apigateway/authorizer:Authorizer", "postech-api-jwt").id;
            const grants = ofArch(plan, T.permission)
                .map((p) => [
                    nameOf(p),
                    (p.inputs as any).principal,
                    (p.inputs as any).sourceArn,
                    (p.inputs as any).sourceAccount,
                ])
                .sort();
            assert.deepStrictEqual(grants, [
                [
                    "postech-cpf-auth-invoke-apigw-post-auth",
                    "apigateway.amazonaws.com",
                    `${api}/*/POST/auth`,
                    "123456789012",
                ],
                [
                    "postech-create-auth-challenge-invoke-cognito-createAuthChallenge",
                    "cognito-idp.amazonaws.com",
                    pool,
                    "123456789012",
                ],
                [
                    "postech-define-auth-challenge-invoke-cognito-defineAuthChallenge",
                    "cognito-idp.amazonaws.com",
                    pool,
                    "123456789012",
                ],
                [
                    "postech-jwt-authorizer-invoke-apigw-authorizer-jwt",
                    "apigateway.amazonaws.com",
                    `${api}/authorizers/${authorizerId}`,
                    "123456789012",
                ],
                [
                    "postech-verify-auth-challenge-invoke-cognito-verifyAuthChallengeResponse",
                    "cognito-idp.amazonaws.com",
                    pool,
                    "123456789012",
                ],
            ]);
        });

        it("sends Cognito's e-mail through SES in prod (the example identity of Pulumi.prod.yaml), Cognito's own sender in dev", () => {
            assert.deepStrictEqual(
                inputs(plan, "aws:cognito/userPool:UserPool", "postech-users").emailConfiguration,
                stack === "prod"
                    ? {
                          emailSendingAccount: "DEVELOPER",
                          sourceArn: "arn:aws:ses:sa-east-1:111122223333:identity/example.com",
                          fromEmailAddress: "Postech <no-reply@example.com>",
                      }
                    : undefined,
            );
        });

        it("makes the CPF the username, no password flows, no self sign-up, and a public client with custom auth and refresh only", () => {
            const p = inputs(plan, "aws:cognito/userPool:UserPool", "postech-users");
            assert.deepStrictEqual(
                [p.usernameAttributes, p.aliasAttributes, p.adminCreateUserConfig, p.mfaConfiguration],
                [undefined, undefined, { allowAdminCreateUserOnly: true }, "OFF"],
            );
            assert.deepStrictEqual(Object.keys(p.lambdaConfig).sort(), [
                "createAuthChallenge",
                "defineAuthChallenge",
                "verifyAuthChallengeResponse",
            ]);
            assert.deepStrictEqual(
                [p.userPoolAddOns.advancedSecurityMode, p.userPoolTier, p.deletionProtection],
                stack === "prod" ? ["ENFORCED", "PLUS", "ACTIVE"] : ["OFF", "ESSENTIALS", "INACTIVE"],
            );
            const c = inputs(plan, "aws:cognito/userPoolClient:UserPoolClient", "postech-users-app");
            assert.deepStrictEqual(
                [c.generateSecret, c.explicitAuthFlows, c.preventUserExistenceErrors, c.enableTokenRevocation],
                [false, ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], "ENABLED", true],
            );
        });

        it("asks @pulumi/eks for a cluster in the private subnets with KMS-encrypted secrets, every log type, IRSA and access entries; public endpoint per environment", () => {
            const c = inputs(plan, T.eks, "postech-eks");
            assert.deepStrictEqual(
                [c.name, c.vpcId, c.privateSubnetIds, c.publicSubnetIds],
                [
                    `platform-${stack}-postech-eks`,
                    plan.ofType("aws:ec2/vpc:Vpc")[0].id,
                    subnetIds(plan, "private"),
                    undefined,
                ],
            );
            // The deploy path reaches the API server through the public endpoint, open only to the runners' CIDRs
            // (dev: the example range to replace; prod: RFC 7600's dummy address, admitting nobody until set).
            assert.deepStrictEqual(
                [c.endpointPrivateAccess, c.endpointPublicAccess, c.publicAccessCidrs],
                [true, true, stack === "prod" ? ["192.0.0.8/32"] : ["203.0.113.0/24"]],
            );
            // Add-ons that run on nodes (CoreDNS, the EBS CSI driver) wait for the node group; @pulumi/eks makes no CoreDNS.
            assert.strictEqual(c.corednsAddonOptions.enabled, false);
            const nodeGroup = plan.one("aws:eks/nodeGroup:NodeGroup", "postech-eks-nodes").urn;
            for (const addon of ["postech-eks-coredns", "postech-ebs-csi"])
                assert.ok(plan.one("aws:eks/addon:Addon", addon).dependencies!.includes(nodeGroup), addon);
            assert.deepStrictEqual(
                plan
                    .ofType("aws:eks/addon:Addon")
                    .map((a) => (a.inputs as any).addonName)
                    .sort(),
                ["aws-ebs-csi-driver", "coredns"],
            );
            const k8s = plan.one("pulumi:providers:kubernetes", "postech-eks-k8s");
            assert.ok(k8s.dependencies!.includes(plan.one("aws:eks/addon:Addon", "postech-eks-coredns").urn));
            assert.deepStrictEqual(
                [c.encryptionConfigKeyArn, c.enabledClusterLogTypes],
                [key(plan, "secrets"), ["api", "audit", "authenticator", "controllerManager", "scheduler"]],
            );
            assert.deepStrictEqual(
                [
                    c.createOidcProvider,
                    c.authenticationMode,
                    c.skipDefaultNodeGroup,
                    c.nodeAssociatePublicIpAddress,
                    c.deletionProtection,
                ],
                [true, "API", true, false, stack === "prod"],
            );
            const ng = inputs(plan, "aws:eks/nodeGroup:NodeGroup", "postech-eks-nodes");
            assert.deepStrictEqual(
                [ng.subnetIds, ng.instanceTypes, ng.scalingConfig],
                [
                    subnetIds(plan, "private"),
                    ["t3.medium"],
                    stack === "prod"
                        ? { minSize: 3, desiredSize: 3, maxSize: 6 }
                        : { minSize: 2, desiredSize: 2, maxSize: 3 },
                ],
            );
            assert.deepStrictEqual(
                inputs(plan, "aws:ec2/launchTemplate:LaunchTemplate", "postech-eks-nodes").metadataOptions,
                {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
            );
            assert.deepStrictEqual(
                ofArch(plan, "aws:eks/accessEntry:AccessEntry")
                    .map((e) => (e.inputs as any).principalArn)
                    .sort(),
                [
                    outputs(plan, T.role, "postech-eks-admin").arn,
                    `arn:aws:iam::123456789012:role/pulumi-ci-${stack}-preview`,
                ],
            );
            // The CI preview role reads the cluster (no Secrets, no writes) so previews diff against live objects.
            assert.deepStrictEqual(
                ofArch(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
                    .map((a) => [nameOf(a), (a.inputs as any).policyArn])
                    .sort(),
                [
                    ["postech-eks-admin", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"],
                    [
                        `postech-eks-viewer-pulumi-ci-${stack}-preview`,
                        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                    ],
                ],
            );
        });

        it("runs the FastAPI pods restricted: non-root, read-only root, no capabilities, probes, requests and limits, HPA and PDB bounds", () => {
            const d = inputs(plan, "kubernetes:apps/v1:Deployment", "postech-api");
            const pod = d.spec.template.spec;
            const [c] = pod.containers;
            // The released tag, checked in ECR and pinned by the digest ECR reports (docs/first-deploy.md).
            const repo = outputs(plan, "aws:ecr/repository:Repository", "postech-api-repo");
            assert.strictEqual(c.image, `${repo.repositoryUrl}@${mockImageDigest(repo.name, RELEASE)}`);
            assert.deepStrictEqual(pod.securityContext, {
                runAsNonRoot: true,
                runAsUser: APP.uid,
                runAsGroup: APP.uid,
                fsGroup: APP.uid,
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.deepStrictEqual(c.securityContext, {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
            });
            assert.deepStrictEqual(
                [c.startupProbe.httpGet.path, c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, c.ports],
                ["/health", "/ready", "/health", [{ name: "http", containerPort: 8000, protocol: "TCP" }]],
            );
            assert.deepStrictEqual(c.resources, {
                requests: { cpu: "250m", memory: "256Mi" },
                limits: { cpu: "1", memory: "512Mi" },
            });
            const hpa = inputs(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "postech-api-hpa").spec;
            assert.deepStrictEqual(
                [hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization],
                stack === "prod" ? [3, 10, 70] : [2, 4, 70],
            );
            assert.deepStrictEqual(
                inputs(plan, "kubernetes:policy/v1:PodDisruptionBudget", "postech-api-pdb").spec.minAvailable,
                stack === "prod" ? 2 : 1,
            );
            assert.deepStrictEqual(
                inputs(plan, "kubernetes:core/v1:Namespace", "postech-ns-app").metadata.labels[
                    "pod-security.kubernetes.io/enforce"
                ],
                "restricted",
            );
            assert.deepStrictEqual(
                inputs(plan, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "postech-api-tgb").spec
                    .targetGroupARN,
                outputs(plan, "aws:lb/targetGroup:TargetGroup", "postech-nlb-api").arn,
            );
            const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
            const db = outputs(plan, "aws:rds/instance:Instance", "postech-db");
            assert.deepStrictEqual(
                [env.DB_HOST, env.DB_PORT, env.DB_SECRET_ARN, env.DB_SSLMODE],
                [db.address, "5432", db.masterUserSecrets[0].secretArn, "require"],
            );
            const provider = plan.one("pulumi:providers:kubernetes", "postech-eks-k8s");
            for (const o of plan.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom))
                assert.strictEqual(o.provider, `${provider.urn}::${provider.id}`, nameOf(o));
        });

        it("lets the pods read only the database secret (IRSA for postech/fastapi), and each add-on only what it needs", () => {
            const issuer = outputs(plan, T.eks, "postech-eks").oidcIssuer;
            const trust = policyDocument(inputs(plan, T.role, "postech-eks-irsa-api").assumeRolePolicy).Statement[0];
            assert.deepStrictEqual(trust.Condition, {
                StringEquals: {
                    [`${issuer}:sub`]: "system:serviceaccount:postech:fastapi",
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                },
            });
            const db = outputs(plan, "aws:rds/instance:Instance", "postech-db");
            assert.deepStrictEqual(statements(plan, "postech-eks-irsa-api"), [
                {
                    Sid: "ReadTheDatabaseSecret",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: db.masterUserSecrets[0].secretArn,
                },
                {
                    Sid: "DecryptThroughsecretsmanager",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: key(plan, "secrets"),
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
                },
            ]);
            assert.strictEqual(
                inputs(plan, "kubernetes:core/v1:ServiceAccount", "postech-api-sa").metadata.annotations[
                    "eks.amazonaws.com/role-arn"
                ],
                outputs(plan, T.role, "postech-eks-irsa-api").arn,
            );
            const subjects = ofArch(plan, T.role)
                .filter((r) => nameOf(r).includes("-irsa-"))
                .map((r) => [
                    nameOf(r),
                    Object.values(
                        policyDocument((r.inputs as any).assumeRolePolicy).Statement[0].Condition.StringEquals,
                    )[0],
                ])
                .sort();
            assert.deepStrictEqual(subjects, [
                ["postech-eks-irsa-api", "system:serviceaccount:postech:fastapi"],
                ["postech-eks-irsa-ebs-csi", "system:serviceaccount:kube-system:ebs-csi-controller-sa"],
                ["postech-eks-irsa-fluent-bit", "system:serviceaccount:kube-system:aws-for-fluent-bit"],
                ["postech-eks-irsa-lb-controller", "system:serviceaccount:kube-system:aws-load-balancer-controller"],
                ["postech-eks-irsa-otel-collector", "system:serviceaccount:monitoring:otel-collector"],
            ]);
            const lbc = statements(plan, "postech-eks-irsa-lb-controller");
            assert.deepStrictEqual(lbc[1], {
                Sid: "RegisterPodsInItsTargetGroup",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: outputs(plan, "aws:lb/targetGroup:TargetGroup", "postech-nlb-api").arn,
            });
            assert.deepStrictEqual(statements(plan, "postech-eks-irsa-fluent-bit"), [
                {
                    Sid: "WriteContainerLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: `${outputs(plan, "aws:cloudwatch/logGroup:LogGroup", "postech-container-logs").arn}:*`,
                },
            ]);
        });

        it("installs the add-ons as Helm releases pinned to exact chart versions", () => {
            const releases = ofArch(plan, T.release)
                .map((r) => [
                    (r.inputs as any).name,
                    (r.inputs as any).chart,
                    (r.inputs as any).version,
                    (r.inputs as any).repositoryOpts.repo,
                    (r.inputs as any).namespace,
                    (r.inputs as any).atomic,
                ])
                .sort();
            assert.deepStrictEqual(releases, [
                [
                    "aws-for-fluent-bit",
                    "aws-for-fluent-bit",
                    "0.2.0",
                    "https://aws.github.io/eks-charts",
                    "kube-system",
                    true,
                ],
                [
                    "aws-load-balancer-controller",
                    "aws-load-balancer-controller",
                    "1.17.1",
                    "https://aws.github.io/eks-charts",
                    "kube-system",
                    true,
                ],
                [
                    "kube-prometheus-stack",
                    "kube-prometheus-stack",
                    "80.7.0",
                    "https://prometheus-community.github.io/helm-charts",
                    "monitoring",
                    true,
                ],
                [
                    "metrics-server",
                    "metrics-server",
                    "3.13.0",
                    "https://kubernetes-sigs.github.io/metrics-server",
                    "kube-system",
                    true,
                ],
                [
                    "otel-collector",
                    "opentelemetry-collector",
                    "0.158.3",
                    "https://open-telemetry.github.io/opentelemetry-helm-charts",
                    "monitoring",
                    true,
                ],
            ]);
            assert.deepStrictEqual(Object.keys(CHARTS).length, 5);
            const fluent = inputs(plan, T.release, "postech-fluent-bit").values;
            assert.deepStrictEqual(fluent.cloudWatchLogs, {
                enabled: true,
                region: "sa-east-1",
                logGroupName: `/platform/${stack}/postech/containers`,
                autoCreateGroup: false,
                logStreamPrefix: "fluentbit-",
            });
            const prometheus = inputs(plan, T.release, "postech-prometheus-stack").values;
            assert.deepStrictEqual(
                [
                    prometheus.grafana.admin.existingSecret,
                    prometheus.grafana.service.type,
                    prometheus.prometheus.prometheusSpec.retention,
                ],
                ["grafana-admin", "ClusterIP", stack === "prod" ? "15d" : "7d"],
            );
            assert.strictEqual(
                inputs(plan, "kubernetes:storage.k8s.io/v1:StorageClass", "postech-gp3").parameters.kmsKeyId,
                key(plan, "data"),
            );
            assert.strictEqual(
                inputs(plan, T.release, "postech-lb-controller").values.enableServiceMutatorWebhook,
                false,
            );
        });

        it("lets only the VPC link reach the internal NLB, only the NLB reach the pods, only the pods reach the database", () => {
            assert.deepStrictEqual(
                ruleSet(plan),
                [
                    "cpf-auth to 0.0.0.0/0 tcp 443",
                    "create-auth-challenge to 0.0.0.0/0 tcp 443",
                    "db from eks-cluster tcp 5432",
                    "define-auth-challenge to 0.0.0.0/0 tcp 443",
                    "eks-cluster from nlb tcp 8000",
                    "jwt-authorizer to 0.0.0.0/0 tcp 443",
                    "nlb from 10.10.0.0/16 tcp 80".replace("10.10", stack === "prod" ? "10.20" : "10.10"),
                    "nlb to eks-cluster tcp 8000",
                    "verify-auth-challenge to 0.0.0.0/0 tcp 443",
                ].sort(),
            );
            const nlb = inputs(plan, "aws:lb/loadBalancer:LoadBalancer", "postech-nlb");
            assert.deepStrictEqual(
                [nlb.loadBalancerType, nlb.internal, nlb.subnets],
                ["network", true, subnetIds(plan, "private")],
            );
            // The VPC link's PrivateLink traffic is judged by API Gateway's address unless the check is off; a
            // TCP-only NLB writes no access logs, so none are turned on.
            assert.deepStrictEqual(
                [nlb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic, nlb.accessLogs],
                ["off", undefined],
            );
            const tg = inputs(plan, "aws:lb/targetGroup:TargetGroup", "postech-nlb-api");
            assert.deepStrictEqual(
                [tg.targetType, tg.port, tg.protocol, tg.healthCheck.path],
                ["ip", 8000, "TCP", "/ready"],
            );
        });

        it("does not hold the REST API back on the FastAPI Deployment's readiness wait", () => {
            assert.strictEqual(ofArch(plan, "kubernetes:apps/v1:Deployment").length, 1);
            const component = plan.resources.find(
                (r) => r.type === "platform:serverless:RestApi" && r.urn.endsWith("::postech-api"),
            )!;
            assert.deepStrictEqual(component.dependencies ?? [], []);
        });

        it("keeps PostgreSQL in the isolated subnets, TLS only, sized per environment", () => {
            const db = inputs(plan, "aws:rds/instance:Instance", "postech-db");
            assert.deepStrictEqual(
                [db.engine, db.publiclyAccessible, db.storageEncrypted, db.kmsKeyId, db.manageMasterUserPassword],
                ["postgres", false, true, key(plan, "data"), true],
            );
            assert.deepStrictEqual(
                [db.multiAz, db.backupRetentionPeriod, db.deletionProtection, db.instanceClass],
                stack === "prod" ? [true, 14, true, "db.t4g.small"] : [false, 1, false, "db.t4g.micro"],
            );
            assert.deepStrictEqual(
                inputs(plan, "aws:rds/subnetGroup:SubnetGroup", "postech-db-subnets").subnetIds,
                subnetIds(plan, "isolated"),
            );
            assert.ok(
                inputs(plan, "aws:rds/parameterGroup:ParameterGroup", "postech-db-params").parameters.some(
                    (p: any) => p.name === "rds.force_ssl" && p.value === "1",
                ),
            );
        });

        it("tags every taggable resource with Architecture postech and exposes the outputs operators need", () => {
            const aws = ofArch(plan).filter(
                (r) => r.custom && r.type.startsWith("aws:") && (r.inputs as any).tags !== undefined,
            );
            assert.ok(aws.length > 60, `${aws.length}`);
            for (const r of aws) assert.strictEqual((r.inputs as any).tags.Architecture, "postech", nameOf(r));
            const o = arch(plan);
            const api = plan.one("aws:apigateway/restApi:RestApi", "postech-api").id;
            assert.deepStrictEqual(
                [o.apiUrl, o.authUrl, o.clusterName, o.userPoolId],
                [
                    `https://${api}.execute-api.sa-east-1.amazonaws.com/v1`,
                    `https://${api}.execute-api.sa-east-1.amazonaws.com/v1/auth`,
                    `platform-${stack}-postech-eks`,
                    plan.one("aws:cognito/userPool:UserPool", "postech-users").id,
                ],
            );
            assert.deepStrictEqual(o.helmCharts, {
                "aws-load-balancer-controller": "1.17.1",
                "metrics-server": "3.13.0",
                "kube-prometheus-stack": "80.7.0",
                "aws-for-fluent-bit": "0.2.0",
                "opentelemetry-collector": "0.158.3",
            });
        });
    });
}

describe("platform:postech settings", () => {
    const base = {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:architectures": '["postech"]',
        "platform:releases": '{"postech-api":"1.0.0","postech-lambdas":"1.0.0"}',
    };
    const RUNNERS = { publicEndpointCidrs: ["198.18.7.0/28"] };
    const validate = (settings: unknown, values: Record<string, string> = {}) =>
        validateConfig(
            {
                project: "platform",
                stack: "dev",
                values: { ...base, ...values, "platform:postech": JSON.stringify(settings) },
            },
            { postech },
        );
    const problems = (settings: unknown, values: Record<string, string> = {}) => {
        try {
            validate(settings, values);
        } catch (err) {
            assert.ok(err instanceof ConfigValidationError, String(err));
            return err.problems;
        }
        assert.fail("accepted");
    };

    it("applies the defaults: 2-4 t3.medium nodes, 2-6 pods, single-AZ db.t4g.micro, Cognito's own e-mail sender", () => {
        const s = validate({ eks: RUNNERS }).settings.postech as any;
        assert.deepStrictEqual(s.eks, {
            version: "1.35",
            publicEndpointCidrs: ["198.18.7.0/28"],
            adminRoleArns: [],
            viewerRoleNames: [],
            instanceTypes: ["t3.medium"],
            minNodes: 2,
            desiredNodes: 2,
            maxNodes: 4,
            nodeDiskGib: 30,
        });
        assert.deepStrictEqual(s.api, {
            stageName: "v1",
            rateLimit: 50,
            burstLimit: 100,
            clients: ["app"],
            clientRateLimit: 20,
            clientBurstLimit: 40,
            clientDailyQuota: 100000,
            authorizerCacheSeconds: 300,
        });
        assert.deepStrictEqual(
            [
                s.app.minReplicas,
                s.app.maxReplicas,
                s.database.instanceClass,
                s.database.multiAz,
                s.cognito.advancedSecurity,
                s.logRetentionDays,
            ],
            [2, 6, "db.t4g.micro", false, "OFF", undefined],
        );
        assert.strictEqual(s.cognito.email, undefined);
    });

    it("requires the deploy runners' CIDRs for the EKS endpoint, and in prod refuses documentation ranges and Cognito's own e-mail sender", () => {
        assert.deepStrictEqual(problems({}), [
            "platform:postech.eks.publicEndpointCidrs: required: the deploy runners' fixed egress CIDRs, the only sources the public API endpoint admits (docs/delivery.md); got undefined",
        ]);
        assert.deepStrictEqual(problems({ eks: { publicEndpointCidrs: [] } }), [
            "platform:postech.eks.publicEndpointCidrs: must list the deploy runners' fixed egress CIDRs (at least one)",
        ]);
        // dev may keep an example range; prod may not, and must send e-mail through SES in its own region.
        assert.deepStrictEqual(
            (validate({ eks: { publicEndpointCidrs: ["203.0.113.0/24"] } }).settings.postech as any).eks
                .publicEndpointCidrs,
            ["203.0.113.0/24"],
        );
        const prod = {
            "platform:environment": "prod",
            "platform:protect": "true",
            "platform:alarmEmail": "ops@example.com",
        };
        assert.deepStrictEqual(
            problems(
                { eks: { publicEndpointCidrs: ["198.51.100.7/32", "198.18.7.0/28", "203.0.0.0/16", "192.0.2.0/24"] } },
                prod,
            ),
            [
                "platform:postech.eks.publicEndpointCidrs[0]: 198.51.100.7/32 is in the documentation range 198.51.100.0/24 (RFC 5737), not a runner's address; in prod set the deploy runners' fixed egress CIDRs (docs/delivery.md)",
                "platform:postech.eks.publicEndpointCidrs[2]: 203.0.0.0/16 is in the documentation range 203.0.113.0/24 (RFC 5737), not a runner's address; in prod set the deploy runners' fixed egress CIDRs (docs/delivery.md)",
                "platform:postech.eks.publicEndpointCidrs[3]: 192.0.2.0/24 is in the documentation range 192.0.2.0/24 (RFC 5737), not a runner's address; in prod set the deploy runners' fixed egress CIDRs (docs/delivery.md)",
                "platform:postech.cognito.email: required in prod: Cognito's own e-mail sender has a daily quota below production volume; set sesIdentityArn to a verified SES identity in sa-east-1 (docs/postech.md)",
            ],
        );
        assert.deepStrictEqual(
            problems(
                {
                    eks: RUNNERS,
                    cognito: { email: { sesIdentityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" } },
                },
                prod,
            ),
            [
                "platform:postech.cognito.email.sesIdentityArn: must be an SES identity in the stack's region sa-east-1; got one in us-east-1",
            ],
        );
        assert.deepStrictEqual(
            problems({ eks: RUNNERS, cognito: { email: { sesIdentityArn: "arn:aws:sns:sa-east-1:123456789012:t" } } }),
            [
                'platform:postech.cognito.email.sesIdentityArn: must be the ARN of a verified SES identity such as arn:aws:ses:sa-east-1:111122223333:identity/example.com; got "arn:aws:sns:sa-east-1:123456789012:t"',
            ],
        );
        const ok = validate(
            {
                eks: RUNNERS,
                cognito: { email: { sesIdentityArn: "arn:aws:ses:sa-east-1:123456789012:identity/example.com" } },
            },
            prod,
        ).settings.postech as any;
        assert.deepStrictEqual(ok.cognito.email, {
            sesIdentityArn: "arn:aws:ses:sa-east-1:123456789012:identity/example.com",
        });
    });

    it("names every bad value with its full key, all at once", () => {
        assert.deepStrictEqual(
            problems({
                eks: { publicEndpointCidrs: ["0.0.0.0/0"], minNodes: 3, desiredNodes: 2, version: "1.3" },
                app: { minReplicas: 4, maxReplicas: 3, cpuRequest: "lots" },
                cognito: { advancedSecurity: "FULL" },
                api: { clients: [] },
                extra: true,
            }),
            [
                "platform:postech.api.clients: must name at least one client application",
                'platform:postech.cognito.advancedSecurity: must be OFF, AUDIT or ENFORCED (threat protection; anything but OFF needs the Plus plan); got "FULL"',
                'platform:postech.eks.version: must be a Kubernetes minor version such as 1.33; got "1.3"',
                "platform:postech.eks.publicEndpointCidrs: must not hold a /0: the API endpoint would be open to the whole internet",
                "platform:postech.eks.desiredNodes: must be at least minNodes (3); got 2",
                'platform:postech.app.cpuRequest: must be a Kubernetes quantity for CPU such as 250m or 512Mi; got "lots"',
                "platform:postech.app.maxReplicas: must be at least minReplicas (4); got 3",
                'platform:postech: unknown key "extra"',
            ],
        );
        assert.deepStrictEqual(
            problems({ eks: { ...RUNNERS, minNodes: 3, desiredNodes: 2 }, app: { minReplicas: 4, maxReplicas: 3 } }),
            [
                "platform:postech.eks.desiredNodes: must be at least minNodes (3); got 2",
                "platform:postech.app.maxReplicas: must be at least minReplicas (4); got 3",
            ],
        );
    });

    it("requires both workloads in platform:releases", () => {
        const values = {
            ...base,
            "platform:releases": '{"postech-api":"1.0.0"}',
            "platform:postech": JSON.stringify({ eks: RUNNERS }),
        };
        assert.throws(
            () => validateConfig({ project: "platform", stack: "dev", values }, { postech }),
            (err: ConfigValidationError) => {
                assert.deepStrictEqual(err.problems, [
                    "platform:releases.postech-lambdas: required by architecture postech; set the image tag or version to deploy",
                ]);
                return true;
            },
        );
    });
});
