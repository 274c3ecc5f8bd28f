import * as assert from "assert";
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
    accessPolicies,
    apiGatewayMethodAuthorization,
    apiGatewayV2RouteAuthorization,
    cognitoIdentityPoolNoUnauthenticated,
    ecrRepositoryPolicyNoPublicPrincipal,
    eventBridgeBusPolicyNoPublicPrincipal,
    kmsKeyPolicyNoPublicPrincipal,
    lambdaFunctionUrlAuth,
    lambdaPermissionNoPublicPrincipal,
    lambdaPermissionSourceCondition,
    s3BucketHasPublicAccessBlock,
    s3BucketPolicyNoPublicPrincipal,
    s3NoPublicAcl,
    s3PublicAccessBlockEnabled,
    secretsManagerSecretPolicyNoPublicPrincipal,
    snsTopicPolicyNoPublicPrincipal,
    sqsQueuePolicyNoPublicPrincipal,
} from "../../policy-pack/policies/access";

/**
 * @pulumi/policy's unknown-value proxy (the analyzer wraps every resource's props in it). Its
 * helpers are marked @internal and stripped from the .d.ts, hence the typed require.
 */
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T extends object>(o: T): T;
    UnknownValueError: new (...args: never[]) => Error;
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownArrayValue: string;
};
const { unknownCheckingProxy, UnknownValueError, unknownStringValue, unknownBooleanValue } = proxy;

type Outcome = string[] | "UNKNOWN";
const OPTS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

/** Runs one resource policy in-process the way the analyzer calls it (props behind the unknown-checking proxy). */
async function check(policy: ResourceValidationPolicy, type: string, props: object, config: object = {}, name = "res"): Promise<Outcome> {
    const violations: string[] = [];
    const args = {
        type,
        props: unknownCheckingProxy(props),
        urn: `urn:pulumi:dev::platform::${type}::${name}`,
        name,
        opts: OPTS,
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => config,
        notApplicable: () => {
            throw new Error("notApplicable");
        },
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    try {
        for (const v of validations) await v(args, (m) => violations.push(m));
    } catch (e) {
        if (e instanceof UnknownValueError) return "UNKNOWN";
        throw e;
    }
    return violations;
}

interface StackEntry {
    type: string;
    name: string;
    props: object;
    propertyDependencies?: Record<string, string[]>;
}

/** Runs one stack policy over resources (outputs), wiring propertyDependencies by logical name. */
async function checkStack(policy: StackValidationPolicy, entries: StackEntry[]): Promise<{ message: string; urn?: string }[] | "UNKNOWN"> {
    const urn = (e: StackEntry) => `urn:pulumi:dev::platform::${e.type}::${e.name}`;
    const resources: PolicyResource[] = entries.map((e) => ({
        type: e.type,
        name: e.name,
        urn: urn(e),
        props: unknownCheckingProxy(e.props),
        opts: OPTS,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    })) as unknown as PolicyResource[];
    entries.forEach((e, i) => {
        for (const [k, names] of Object.entries(e.propertyDependencies ?? {})) {
            resources[i].propertyDependencies[k] = names.map((n) => resources[entries.findIndex((x) => x.name === n)]);
        }
    });
    const out: { message: string; urn?: string }[] = [];
    const args = { resources, stackTags: new Map(), getConfig: () => ({}), notApplicable: () => { throw new Error("notApplicable"); } } as unknown as StackValidationArgs;
    try {
        await policy.validateStack(args, (message, u) => out.push({ message, urn: u }));
    } catch (e) {
        if (e instanceof UnknownValueError) return "UNKNOWN";
        throw e;
    }
    return out;
}

const ACCOUNT = "111122223333";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const PUBLIC_MSG =
    'allows Principal "*" without a condition that narrows the caller: name the account, role or service in Principal, or add a ' +
    "StringEquals/ArnLike condition on aws:SourceArn, aws:SourceAccount, aws:SourceVpce or aws:PrincipalOrgID.";

describe("policy-pack/policies/access", () => {
    it("exports sixteen uniquely named mandatory policies", () => {
        const names = accessPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, 16);
        assert.deepStrictEqual(names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)+$/.test(n)), []);
        for (const p of accessPolicies) assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
    });

    describe("resource policies without a public principal", () => {
        const table: [string, ResourceValidationPolicy, string, string, string][] = [
            ["s3 BucketPolicy", s3BucketPolicyNoPublicPrincipal, "aws:s3/bucketPolicy:BucketPolicy", "policy", "s3:GetObject"],
            ["s3 Bucket (legacy inline policy)", s3BucketPolicyNoPublicPrincipal, "aws:s3/bucket:Bucket", "policy", "s3:GetObject"],
            ["s3 BucketV2", s3BucketPolicyNoPublicPrincipal, "aws:s3/bucketV2:BucketV2", "policy", "s3:GetObject"],
            ["sqs QueuePolicy", sqsQueuePolicyNoPublicPrincipal, "aws:sqs/queuePolicy:QueuePolicy", "policy", "sqs:SendMessage"],
            ["sqs Queue", sqsQueuePolicyNoPublicPrincipal, "aws:sqs/queue:Queue", "policy", "sqs:SendMessage"],
            ["sns TopicPolicy", snsTopicPolicyNoPublicPrincipal, "aws:sns/topicPolicy:TopicPolicy", "policy", "sns:Publish"],
            ["sns Topic", snsTopicPolicyNoPublicPrincipal, "aws:sns/topic:Topic", "policy", "sns:Publish"],
            ["kms Key", kmsKeyPolicyNoPublicPrincipal, "aws:kms/key:Key", "policy", "kms:Decrypt"],
            ["kms KeyPolicy", kmsKeyPolicyNoPublicPrincipal, "aws:kms/keyPolicy:KeyPolicy", "policy", "kms:Decrypt"],
            ["ecr RepositoryPolicy", ecrRepositoryPolicyNoPublicPrincipal, "aws:ecr/repositoryPolicy:RepositoryPolicy", "policy", "ecr:BatchGetImage"],
            ["ecr RegistryPolicy", ecrRepositoryPolicyNoPublicPrincipal, "aws:ecr/registryPolicy:RegistryPolicy", "policy", "ecr:ReplicateImage"],
            ["eventbridge EventBusPolicy", eventBridgeBusPolicyNoPublicPrincipal, "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy", "events:PutEvents"],
            ["secretsmanager SecretPolicy", secretsManagerSecretPolicyNoPublicPrincipal, "aws:secretsmanager/secretPolicy:SecretPolicy", "policy", "secretsmanager:GetSecretValue"],
            ["secretsmanager Secret", secretsManagerSecretPolicyNoPublicPrincipal, "aws:secretsmanager/secret:Secret", "policy", "secretsmanager:GetSecretValue"],
        ];
        for (const [label, policy, type, property, action] of table) {
            describe(`${policy.name}: ${label}`, () => {
                it("passes account principals, conditioned * and Deny *", async () => {
                    const ok = doc(
                        { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: action, Resource: "*" },
                        { Sid: "Service", Effect: "Allow", Principal: "*", Action: action, Resource: "*", Condition: { ArnLike: { "aws:SourceArn": `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms` } } },
                        { Sid: "Org", Effect: "Allow", Principal: { AWS: "*" }, Action: action, Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } },
                        { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                    );
                    assert.deepStrictEqual(await check(policy, type, { [property]: ok }), []);
                    assert.deepStrictEqual(await check(policy, type, {}), []);
                });
                it("flags an unconditioned * (also with only a TLS condition) and NotPrincipal", async () => {
                    const bad = doc(
                        { Effect: "Allow", Principal: "*", Action: action, Resource: "*" },
                        { Sid: "Tls", Effect: "Allow", Principal: { AWS: "*" }, Action: action, Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
                        { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: action, Resource: "*" },
                    );
                    assert.deepStrictEqual(await check(policy, type, { [property]: bad }), [
                        `policy Statement[0] ${PUBLIC_MSG}`,
                        `policy Statement[1] (Sid "Tls") ${PUBLIC_MSG}`,
                        'policy Statement[2] combines Effect "Allow" with NotPrincipal, which grants access to everyone else: name the principals in Principal instead.',
                    ]);
                });
                it("cannot decide on an unknown document or an unknown condition of a * statement", async () => {
                    assert.strictEqual(await check(policy, type, { [property]: unknownStringValue }), "UNKNOWN");
                    const stmt = { Effect: "Allow", Principal: "*", Action: action, Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": unknownStringValue } } };
                    assert.strictEqual(await check(policy, type, { [property]: { Statement: [stmt] } }), "UNKNOWN");
                });
            });
        }

        it("leaves other types to their own policy", async () => {
            const bad = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });
            assert.deepStrictEqual(await check(s3BucketPolicyNoPublicPrincipal, "aws:sqs/queuePolicy:QueuePolicy", { policy: bad }), []);
        });

        it("eventbridge-bus-policy-no-public-principal checks EventPermission principal and condition", async () => {
            const p = eventBridgeBusPolicyNoPublicPrincipal;
            const type = "aws:cloudwatch/eventPermission:EventPermission";
            assert.deepStrictEqual(await check(p, type, { principal: ACCOUNT, statementId: "acct" }), []);
            assert.deepStrictEqual(await check(p, type, { principal: "*", statementId: "org", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-a1b2c3d4e5" } }), []);
            assert.deepStrictEqual(await check(p, type, { principal: "*", statementId: "all" }), [
                'principal is "*" without condition: set principal to an account id, or add condition { key: "aws:PrincipalOrgID", type: "StringEquals", value: "<org id>" }.',
            ]);
            assert.strictEqual(await check(p, type, { principal: unknownStringValue, statementId: "x" }), "UNKNOWN");
        });
    });

    describe("lambda-permission-no-public-principal", () => {
        const p = lambdaPermissionNoPublicPrincipal;
        const type = "aws:lambda/permission:Permission";
        it("passes service principals and * narrowed by source or org", async () => {
            assert.deepStrictEqual(await check(p, type, { action: "lambda:InvokeFunction", function: "f", principal: "apigateway.amazonaws.com" }), []);
            assert.deepStrictEqual(await check(p, type, { action: "lambda:InvokeFunction", function: "f", principal: "*", principalOrgId: "o-a1b2c3d4e5" }), []);
            assert.deepStrictEqual(await check(p, type, { action: "lambda:InvokeFunction", function: "f", principal: "*", sourceAccount: ACCOUNT }), []);
        });
        it("flags * without a narrowing input", async () => {
            const expected = [
                'principal "*" may invoke the function (or its URL) from any account: set principal to the account or service (e.g. "apigateway.amazonaws.com") and sourceArn to the calling resource, or set principalOrgId.',
            ];
            assert.deepStrictEqual(await check(p, type, { action: "lambda:InvokeFunctionUrl", function: "f", principal: "*", functionUrlAuthType: "NONE" }), expected);
            assert.deepStrictEqual(await check(p, type, { action: "lambda:InvokeFunction", function: "f", principal: "*", sourceArn: "*" }), expected);
        });
        it("cannot decide when principal, or the source of a * principal, is unknown", async () => {
            assert.strictEqual(await check(p, type, { function: "f", principal: unknownStringValue }), "UNKNOWN");
            assert.strictEqual(await check(p, type, { function: "f", principal: "*", sourceArn: unknownStringValue }), "UNKNOWN");
        });
    });

    describe("lambda-permission-source-condition", () => {
        const p = lambdaPermissionSourceCondition;
        const type = "aws:lambda/permission:Permission";
        it("passes service principals with sourceArn or sourceAccount, and account principals", async () => {
            assert.deepStrictEqual(await check(p, type, { principal: "apigateway.amazonaws.com", sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/*/*` }), []);
            assert.deepStrictEqual(await check(p, type, { principal: "s3.amazonaws.com", sourceAccount: ACCOUNT }), []);
            assert.deepStrictEqual(await check(p, type, { principal: ACCOUNT }), []);
        });
        it("flags a service principal without either", async () => {
            assert.deepStrictEqual(await check(p, type, { principal: "events.amazonaws.com" }), [
                'principal "events.amazonaws.com" may invoke the function on behalf of any account\'s resources: set sourceArn to the ARN of the calling resource (e.g. the API\'s execution ARN "…/*/*", the bucket, rule or topic ARN) or sourceAccount.',
            ]);
        });
        it("cannot decide on an unknown sourceArn", async () => {
            assert.strictEqual(await check(p, type, { principal: "apigateway.amazonaws.com", sourceArn: unknownStringValue }), "UNKNOWN");
        });
    });

    describe("s3-public-access-block-enabled", () => {
        const p = s3PublicAccessBlockEnabled;
        const all = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        it("passes all four flags on bucket and account blocks", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b", ...all }), []);
            assert.deepStrictEqual(await check(p, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", all), []);
        });
        it("flags false and absent flags", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true }), [
                "blockPublicPolicy, restrictPublicBuckets must be true: set blockPublicPolicy: true, restrictPublicBuckets: true.",
            ]);
        });
        it("cannot decide on an unknown flag", async () => {
            assert.strictEqual(await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { ...all, ignorePublicAcls: unknownBooleanValue }), "UNKNOWN");
        });
    });

    describe("s3-bucket-has-public-access-block (stack)", () => {
        const p = s3BucketHasPublicAccessBlock;
        const all = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        it("passes buckets matched by property dependency or by name, v7 and legacy tokens", async () => {
            assert.deepStrictEqual(
                await checkStack(p, [
                    { type: "aws:s3/bucket:Bucket", name: "logs", props: { bucket: "logs-123", id: "logs-123" } },
                    { type: "aws:s3/bucketV2:BucketV2", name: "assets", props: { bucket: "assets-456", id: "assets-456" } },
                    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "logs-pab", props: { bucket: "renamed", ...all }, propertyDependencies: { bucket: ["logs"] } },
                    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "assets-pab", props: { bucket: "assets-456", ...all } },
                ]),
                [],
            );
        });
        it("passes every bucket when an account-level block sets all four flags", async () => {
            assert.deepStrictEqual(
                await checkStack(p, [
                    { type: "aws:s3/bucket:Bucket", name: "logs", props: { bucket: "logs-123" } },
                    { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", name: "acct", props: all },
                ]),
                [],
            );
        });
        it("flags a bucket without a block, naming its URN", async () => {
            assert.deepStrictEqual(
                await checkStack(p, [
                    { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "site-789", id: "site-789" } },
                    { type: "aws:s3/bucket:Bucket", name: "logs", props: { bucket: "logs-123" } },
                    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "logs-pab", props: { bucket: "logs-123", ...all } },
                    { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", name: "acct", props: { ...all, blockPublicPolicy: false } },
                ]),
                [
                    {
                        message:
                            'bucket "site" has no aws.s3.BucketPublicAccessBlock: add one with bucket set to this bucket and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.',
                        urn: "urn:pulumi:dev::platform::aws:s3/bucket:Bucket::site",
                    },
                ],
            );
        });
        it("cannot decide when a bucket name needed for matching is unknown", async () => {
            assert.strictEqual(
                await checkStack(p, [
                    { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: unknownStringValue } },
                    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "pab", props: { bucket: "x", ...all } },
                ]),
                "UNKNOWN",
            );
        });
    });

    describe("s3-no-public-acl", () => {
        const p = s3NoPublicAcl;
        it("passes private and log-delivery ACLs and grants to the owner", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "private" }), []);
            assert.deepStrictEqual(await check(p, "aws:s3/bucketAclV2:BucketAclV2", { bucket: "b", acl: "log-delivery-write" }), []);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", accessControlPolicy: { grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" }], owner: { id: "abc" } } }),
                [],
            );
            assert.deepStrictEqual(await check(p, "aws:s3/bucket:Bucket", { bucket: "b" }), []);
        });
        it("flags public canned ACLs and public grants on ACL resources, buckets and objects", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "public-read" }), [
                'acl is "public-read", which makes the bucket readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
            ]);
            assert.deepStrictEqual(await check(p, "aws:s3/bucketObjectv2:BucketObjectv2", { bucket: "b", key: "k", acl: "public-read-write" }), [
                'acl is "public-read-write", which makes the object readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
            ]);
            assert.deepStrictEqual(await check(p, "aws:s3/bucket:Bucket", { acl: "authenticated-read" }), [
                'acl is "authenticated-read", which makes the bucket readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketAclV2:BucketAclV2", {
                    bucket: "b",
                    accessControlPolicy: { grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }], owner: { id: "abc" } },
                }),
                ['accessControlPolicy.grants[0].grantee.uri grants to "http://acs.amazonaws.com/groups/global/AllUsers" (public): remove the grant and give access through a bucket policy to named principals.'],
            );
            assert.deepStrictEqual(await check(p, "aws:s3/bucketV2:BucketV2", { grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", permissions: ["READ"] }] }), [
                'grants[0].uri grants to "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" (public): remove the grant and give access through a bucket policy to named principals.',
            ]);
        });
        it("cannot decide on an unknown acl", async () => {
            assert.strictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: unknownStringValue }), "UNKNOWN");
        });
    });

    describe("cognito-identity-pool-no-unauthenticated", () => {
        const p = cognitoIdentityPoolNoUnauthenticated;
        const type = "aws:cognito/identityPool:IdentityPool";
        it("passes false and absent (AWS default false)", async () => {
            assert.deepStrictEqual(await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: false }), []);
            assert.deepStrictEqual(await check(p, type, { identityPoolName: "x" }), []);
        });
        it("flags true", async () => {
            assert.deepStrictEqual(await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: true }), [
                "allowUnauthenticatedIdentities is true, which gives AWS credentials to anyone: set allowUnauthenticatedIdentities to false.",
            ]);
        });
        it("cannot decide on an unknown value", async () => {
            assert.strictEqual(await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: unknownBooleanValue }), "UNKNOWN");
        });
    });

    describe("apigateway-method-authorization", () => {
        const p = apiGatewayMethodAuthorization;
        const type = "aws:apigateway/method:Method";
        const auth = { publicRoutes: [{ resource: "postech-auth-*", reason: "login route: WAF rate rule and stage throttling" }] };
        it("passes authorizers, OPTIONS, and a configured public route", async () => {
            for (const authorization of ["CUSTOM", "COGNITO_USER_POOLS", "AWS_IAM"]) {
                assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "GET", authorization, authorizerId: "z" }), []);
            }
            assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "OPTIONS", authorization: "NONE" }), []);
            assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "POST", authorization: "NONE" }, auth, "postech-auth-post"), []);
        });
        it("flags NONE elsewhere, OPTIONS when disabled, and exceptions without a reason", async () => {
            const msg = (m: string) =>
                `authorization is "NONE" on ${m}: set authorization to "CUSTOM" or "COGNITO_USER_POOLS" with authorizerId, or "AWS_IAM"; a route that must be public ` +
                "(e.g. POST /auth) is listed with its reason in the policy config publicRoutes of apigateway-method-authorization.";
            assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: "NONE" }, auth, "postech-orders-get"), [msg("GET")]);
            assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "OPTIONS", authorization: "NONE" }, { allowOptions: false }), [msg("OPTIONS")]);
            assert.deepStrictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "POST", authorization: "NONE" }, { publicRoutes: [{ resource: "postech-auth-post" }] }, "postech-auth-post"), [msg("POST")]);
        });
        it("cannot decide on unknown authorization", async () => {
            assert.strictEqual(await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: unknownStringValue }), "UNKNOWN");
        });
    });

    describe("apigatewayv2-route-authorization", () => {
        const p = apiGatewayV2RouteAuthorization;
        const type = "aws:apigatewayv2/route:Route";
        it("passes authorizers, OPTIONS, WebSocket message routes and a configured route key", async () => {
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "GET /songs", authorizationType: "JWT", authorizerId: "z" }), []);
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "OPTIONS /songs", authorizationType: "NONE" }), []);
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "sendmessage" }), []);
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "POST /auth" }, { publicRoutes: [{ routeKey: "POST /auth", reason: "login route: WAF rate rule" }] }), []);
        });
        it("flags NONE and absent authorizationType on HTTP routes, $default and $connect", async () => {
            const msg = (k: string) =>
                `authorizationType is "NONE" on route "${k}": set authorizationType to "JWT" or "CUSTOM" with authorizerId, or "AWS_IAM"; a route that must be public ` +
                "is listed with its reason in the policy config publicRoutes of apigatewayv2-route-authorization.";
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "ANY /{proxy+}" }), [msg("ANY /{proxy+}")]);
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "$default", authorizationType: "NONE" }), [msg("$default")]);
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "$connect", authorizationType: "NONE" }), [msg("$connect")]);
        });
        it("cannot decide on unknown authorizationType", async () => {
            assert.strictEqual(await check(p, type, { apiId: "a", routeKey: "GET /x", authorizationType: unknownStringValue }), "UNKNOWN");
        });
    });

    describe("lambda-function-url-auth", () => {
        const p = lambdaFunctionUrlAuth;
        const type = "aws:lambda/functionUrl:FunctionUrl";
        it("passes AWS_IAM", async () => {
            assert.deepStrictEqual(await check(p, type, { functionName: "f", authorizationType: "AWS_IAM" }), []);
        });
        it("flags NONE", async () => {
            assert.deepStrictEqual(await check(p, type, { functionName: "f", authorizationType: "NONE" }), [
                'authorizationType is "NONE", so anyone on the internet can invoke the function: set authorizationType to "AWS_IAM" (front it with CloudFront origin access control or API Gateway when browsers call it).',
            ]);
        });
        it("cannot decide on unknown authorizationType", async () => {
            assert.strictEqual(await check(p, type, { functionName: "f", authorizationType: unknownStringValue }), "UNKNOWN");
        });
    });
});
