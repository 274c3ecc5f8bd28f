import * as assert from "assert";
import { Policy } from "../../policy-pack/lib/resource";
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
import {
    CANT_RUN,
    only,
    policyCases,
    res,
    ResOptions,
    TestResource,
    UNKNOWN,
    usePack,
    Violation,
} from "./support/harness";

/** `"UNKNOWN"` when the policy could not run because a value it needs is unknown (preview), else the violation messages. */
type Outcome = string[] | "UNKNOWN";

/**
 * What one policy reports for `violations`: "UNKNOWN" for the analyzer's single advisory "can't run
 * during preview" diagnostic, otherwise the messages without the description line the analyzer
 * prepends (each asserted to be mandatory and on one of `urns`).
 */
function outcome(policy: Policy, vs: Violation[], urns: string[]): Outcome {
    if (vs.some((v) => CANT_RUN(policy.name).test(v.message))) {
        assert.strictEqual(vs.length, 1, vs.map((v) => v.message).join("\n"));
        assert.strictEqual(vs[0].enforcementLevel, "advisory");
        return "UNKNOWN";
    }
    return vs.map((v) => {
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.ok(urns.includes(v.urn), v.urn);
        assert.ok(v.message.startsWith(`${policy.description}\n`), v.message);
        return v.message.slice(policy.description.length + 1);
    });
}

const ACCOUNT = "111122223333";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const PUBLIC_MSG =
    'allows Principal "*" without a condition that narrows the caller: name the account, role or service in Principal, or add a ' +
    "StringEquals/ArnLike condition on aws:SourceArn, aws:SourceAccount, aws:SourceVpce or aws:PrincipalOrgID.";

describe("policy-pack/policies/access (through the analyzer)", () => {
    const pack = usePack();

    /** One resource through the analyzer, `config` for `policy` (defaults otherwise): what `policy` reported. */
    async function check(
        policy: Policy,
        type: string,
        props: Record<string, unknown>,
        config?: Record<string, unknown>,
        name = "res",
    ): Promise<Outcome> {
        await pack.configure(config ? { [policy.name]: config } : {});
        const r = res(type, name, props);
        return outcome(policy, only(await pack.run([r]), policy.name), [r.urn]);
    }

    /** Several resources (outputs = inputs + ids) through the analyzer: what the stack policy reported, with URNs. */
    async function checkStack(
        policy: Policy,
        resources: TestResource[],
    ): Promise<{ message: string; urn: string }[] | "UNKNOWN"> {
        await pack.configure({});
        const vs = only(await pack.run(resources), policy.name);
        const messages = outcome(
            policy,
            vs,
            resources.map((r) => r.urn),
        );
        return messages === "UNKNOWN" ? messages : messages.map((message, i) => ({ message, urn: vs[i].urn }));
    }

    it("exports seventeen uniquely named mandatory policies", () => {
        const names = accessPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, 17);
        assert.deepStrictEqual(
            names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)+$/.test(n)),
            [],
        );
        for (const p of accessPolicies) assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
    });

    describe("resource policies without a public principal", () => {
        const table: [string, Policy, string, string, string][] = [
            [
                "s3 BucketPolicy",
                s3BucketPolicyNoPublicPrincipal,
                "aws:s3/bucketPolicy:BucketPolicy",
                "policy",
                "s3:GetObject",
            ],
            [
                "s3 Bucket (legacy inline policy)",
                s3BucketPolicyNoPublicPrincipal,
                "aws:s3/bucket:Bucket",
                "policy",
                "s3:GetObject",
            ],
            ["s3 BucketV2", s3BucketPolicyNoPublicPrincipal, "aws:s3/bucketV2:BucketV2", "policy", "s3:GetObject"],
            [
                "sqs QueuePolicy",
                sqsQueuePolicyNoPublicPrincipal,
                "aws:sqs/queuePolicy:QueuePolicy",
                "policy",
                "sqs:SendMessage",
            ],
            ["sqs Queue", sqsQueuePolicyNoPublicPrincipal, "aws:sqs/queue:Queue", "policy", "sqs:SendMessage"],
            [
                "sns TopicPolicy",
                snsTopicPolicyNoPublicPrincipal,
                "aws:sns/topicPolicy:TopicPolicy",
                "policy",
                "sns:Publish",
            ],
            ["sns Topic", snsTopicPolicyNoPublicPrincipal, "aws:sns/topic:Topic", "policy", "sns:Publish"],
            ["kms Key", kmsKeyPolicyNoPublicPrincipal, "aws:kms/key:Key", "policy", "kms:Decrypt"],
            ["kms KeyPolicy", kmsKeyPolicyNoPublicPrincipal, "aws:kms/keyPolicy:KeyPolicy", "policy", "kms:Decrypt"],
            [
                "ecr RepositoryPolicy",
                ecrRepositoryPolicyNoPublicPrincipal,
                "aws:ecr/repositoryPolicy:RepositoryPolicy",
                "policy",
                "ecr:BatchGetImage",
            ],
            [
                "ecr RegistryPolicy",
                ecrRepositoryPolicyNoPublicPrincipal,
                "aws:ecr/registryPolicy:RegistryPolicy",
                "policy",
                "ecr:ReplicateImage",
            ],
            [
                "eventbridge EventBusPolicy",
                eventBridgeBusPolicyNoPublicPrincipal,
                "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                "policy",
                "events:PutEvents",
            ],
            [
                "secretsmanager SecretPolicy",
                secretsManagerSecretPolicyNoPublicPrincipal,
                "aws:secretsmanager/secretPolicy:SecretPolicy",
                "policy",
                "secretsmanager:GetSecretValue",
            ],
            [
                "secretsmanager Secret",
                secretsManagerSecretPolicyNoPublicPrincipal,
                "aws:secretsmanager/secret:Secret",
                "policy",
                "secretsmanager:GetSecretValue",
            ],
        ];
        for (const [label, policy, type, property, action] of table) {
            describe(`${policy.name}: ${label}`, () => {
                it("passes account principals, conditioned * and Deny *", async () => {
                    const ok = doc(
                        {
                            Sid: "Account",
                            Effect: "Allow",
                            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                            Action: action,
                            Resource: "*",
                        },
                        {
                            Sid: "Service",
                            Effect: "Allow",
                            Principal: "*",
                            Action: action,
                            Resource: "*",
                            Condition: { ArnLike: { "aws:SourceArn": `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms` } },
                        },
                        {
                            Sid: "Org",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: action,
                            Resource: "*",
                            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
                        },
                        {
                            Sid: "TlsOnly",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "*",
                            Resource: "*",
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    );
                    assert.deepStrictEqual(await check(policy, type, { [property]: ok }), []);
                    assert.deepStrictEqual(await check(policy, type, {}), []);
                });
                it("flags an unconditioned * (also with only a TLS condition) and NotPrincipal", async () => {
                    const bad = doc(
                        { Effect: "Allow", Principal: "*", Action: action, Resource: "*" },
                        {
                            Sid: "Tls",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: action,
                            Resource: "*",
                            Condition: { Bool: { "aws:SecureTransport": "true" } },
                        },
                        {
                            Effect: "Allow",
                            NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                            Action: action,
                            Resource: "*",
                        },
                    );
                    assert.deepStrictEqual(await check(policy, type, { [property]: bad }), [
                        `policy Statement[0] ${PUBLIC_MSG}`,
                        `policy Statement[1] (Sid "Tls") ${PUBLIC_MSG}`,
                        'policy Statement[2] combines Effect "Allow" with NotPrincipal, which grants access to everyone else: name the principals in Principal instead.',
                    ]);
                });
                it("cannot decide on an unknown document or an unknown condition of a * statement", async () => {
                    assert.strictEqual(await check(policy, type, { [property]: UNKNOWN }), "UNKNOWN");
                    const stmt = {
                        Effect: "Allow",
                        Principal: "*",
                        Action: action,
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": UNKNOWN } },
                    };
                    assert.strictEqual(await check(policy, type, { [property]: { Statement: [stmt] } }), "UNKNOWN");
                });
            });
        }

        it("leaves other types to their own policy", async () => {
            const bad = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });
            assert.deepStrictEqual(
                await check(s3BucketPolicyNoPublicPrincipal, "aws:sqs/queuePolicy:QueuePolicy", { policy: bad }),
                [],
            );
        });

        it("eventbridge-bus-policy-no-public-principal checks EventPermission principal and condition", async () => {
            const p = eventBridgeBusPolicyNoPublicPrincipal;
            const type = "aws:cloudwatch/eventPermission:EventPermission";
            assert.deepStrictEqual(await check(p, type, { principal: ACCOUNT, statementId: "acct" }), []);
            assert.deepStrictEqual(
                await check(p, type, {
                    principal: "*",
                    statementId: "org",
                    condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-a1b2c3d4e5" },
                }),
                [],
            );
            assert.deepStrictEqual(await check(p, type, { principal: "*", statementId: "all" }), [
                'principal is "*" without condition: set principal to an account id, or add condition { key: "aws:PrincipalOrgID", type: "StringEquals", value: "<org id>" }.',
            ]);
            assert.strictEqual(await check(p, type, { principal: UNKNOWN, statementId: "x" }), "UNKNOWN");
        });
    });

    describe("lambda-permission-no-public-principal", () => {
        const p = lambdaPermissionNoPublicPrincipal;
        const type = "aws:lambda/permission:Permission";
        it("passes service principals and * narrowed by source or org", async () => {
            assert.deepStrictEqual(
                await check(p, type, {
                    action: "lambda:InvokeFunction",
                    function: "f",
                    principal: "apigateway.amazonaws.com",
                }),
                [],
            );
            assert.deepStrictEqual(
                await check(p, type, {
                    action: "lambda:InvokeFunction",
                    function: "f",
                    principal: "*",
                    principalOrgId: "o-a1b2c3d4e5",
                }),
                [],
            );
            assert.deepStrictEqual(
                await check(p, type, {
                    action: "lambda:InvokeFunction",
                    function: "f",
                    principal: "*",
                    sourceAccount: ACCOUNT,
                }),
                [],
            );
        });
        it("flags * without a narrowing input", async () => {
            const expected = [
                'principal "*" may invoke the function (or its URL) from any account: set principal to the account or service (e.g. "apigateway.amazonaws.com") and sourceArn to the calling resource, or set principalOrgId.',
            ];
            assert.deepStrictEqual(
                await check(p, type, {
                    action: "lambda:InvokeFunctionUrl",
                    function: "f",
                    principal: "*",
                    functionUrlAuthType: "NONE",
                }),
                expected,
            );
            assert.deepStrictEqual(
                await check(p, type, {
                    action: "lambda:InvokeFunction",
                    function: "f",
                    principal: "*",
                    sourceArn: "*",
                }),
                expected,
            );
        });
        it("cannot decide when principal, or the source of a * principal, is unknown", async () => {
            assert.strictEqual(await check(p, type, { function: "f", principal: UNKNOWN }), "UNKNOWN");
            assert.strictEqual(await check(p, type, { function: "f", principal: "*", sourceArn: UNKNOWN }), "UNKNOWN");
        });
    });

    describe("lambda-permission-source-condition", () => {
        const p = lambdaPermissionSourceCondition;
        const type = "aws:lambda/permission:Permission";
        it("passes service principals with sourceArn or sourceAccount, and account principals", async () => {
            assert.deepStrictEqual(
                await check(p, type, {
                    principal: "apigateway.amazonaws.com",
                    sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/*/*`,
                }),
                [],
            );
            assert.deepStrictEqual(await check(p, type, { principal: "s3.amazonaws.com", sourceAccount: ACCOUNT }), []);
            assert.deepStrictEqual(await check(p, type, { principal: ACCOUNT }), []);
        });
        it("flags a service principal without either", async () => {
            assert.deepStrictEqual(await check(p, type, { principal: "events.amazonaws.com" }), [
                'principal "events.amazonaws.com" may invoke the function on behalf of any account\'s resources: set sourceArn to the ARN of the calling resource (e.g. the API\'s execution ARN "…/*/*", the bucket, rule or topic ARN) or sourceAccount.',
            ]);
        });
        it("cannot decide on an unknown sourceArn", async () => {
            assert.strictEqual(
                await check(p, type, { principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN }),
                "UNKNOWN",
            );
        });
    });

    describe("s3-public-access-block-enabled", () => {
        const p = s3PublicAccessBlockEnabled;
        const all = {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        };
        it("passes all four flags on bucket and account blocks", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b", ...all }),
                [],
            );
            assert.deepStrictEqual(await check(p, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", all), []);
        });
        it("flags false and absent flags", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
                    bucket: "b",
                    blockPublicAcls: true,
                    blockPublicPolicy: false,
                    ignorePublicAcls: true,
                }),
                [
                    "blockPublicPolicy, restrictPublicBuckets must be true: set blockPublicPolicy: true, restrictPublicBuckets: true.",
                ],
            );
        });
        it("cannot decide on an unknown flag", async () => {
            assert.strictEqual(
                await check(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
                    ...all,
                    ignorePublicAcls: UNKNOWN,
                }),
                "UNKNOWN",
            );
        });
    });

    describe("s3-bucket-has-public-access-block (stack)", () => {
        const p = s3BucketHasPublicAccessBlock;
        const all = {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        };
        const bucket = (type: string, name: string, bucketName: string, opts: ResOptions = {}) =>
            res(
                type,
                name,
                { bucket: bucketName },
                { outputs: { bucket: bucketName, id: bucketName, arn: `arn:aws:s3:::${bucketName}` }, ...opts },
            );
        const pab = (name: string, bucketName: string, on?: TestResource) =>
            res(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                name,
                { bucket: bucketName, ...all },
                on ? { deps: { bucket: [on] } } : {},
            );
        it("passes buckets matched by property dependency or by name, v7 and legacy tokens", async () => {
            const logs = bucket("aws:s3/bucket:Bucket", "logs", "logs-123");
            const assets = bucket("aws:s3/bucketV2:BucketV2", "assets", "assets-456");
            assert.deepStrictEqual(
                await checkStack(p, [logs, assets, pab("logs-pab", "renamed", logs), pab("assets-pab", "assets-456")]),
                [],
            );
        });
        it("passes every bucket when an account-level block sets all four flags", async () => {
            const acct = res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "acct", all);
            assert.deepStrictEqual(await checkStack(p, [bucket("aws:s3/bucket:Bucket", "logs", "logs-123"), acct]), []);
        });
        it("flags a bucket without a block, naming its URN", async () => {
            const site = bucket("aws:s3/bucket:Bucket", "site", "site-789");
            const logs = bucket("aws:s3/bucket:Bucket", "logs", "logs-123");
            const weakAccount = res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "acct", {
                ...all,
                blockPublicPolicy: false,
            });
            assert.deepStrictEqual(await checkStack(p, [site, logs, pab("logs-pab", "logs-123"), weakAccount]), [
                {
                    message:
                        'bucket "site" has no aws.s3.BucketPublicAccessBlock: add one with bucket set to this bucket and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.',
                    urn: site.urn,
                },
            ]);
        });
        it("cannot decide when a bucket name needed for matching is unknown", async () => {
            const site = res("aws:s3/bucket:Bucket", "site", {}, { outputs: { bucket: UNKNOWN } });
            assert.strictEqual(await checkStack(p, [site, pab("pab", "x")]), "UNKNOWN");
        });
    });

    describe("s3-no-public-acl", () => {
        const p = s3NoPublicAcl;
        it("passes private and log-delivery ACLs and grants to the owner", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "private" }), []);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketAclV2:BucketAclV2", { bucket: "b", acl: "log-delivery-write" }),
                [],
            );
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketAcl:BucketAcl", {
                    bucket: "b",
                    accessControlPolicy: {
                        grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" }],
                        owner: { id: "abc" },
                    },
                }),
                [],
            );
            assert.deepStrictEqual(await check(p, "aws:s3/bucket:Bucket", { bucket: "b" }), []);
        });
        it("flags public canned ACLs and public grants on ACL resources, buckets and objects", async () => {
            assert.deepStrictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "public-read" }), [
                'acl is "public-read", which makes the bucket readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketObjectv2:BucketObjectv2", {
                    bucket: "b",
                    key: "k",
                    acl: "public-read-write",
                }),
                [
                    'acl is "public-read-write", which makes the object readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
                ],
            );
            assert.deepStrictEqual(await check(p, "aws:s3/bucket:Bucket", { acl: "authenticated-read" }), [
                'acl is "authenticated-read", which makes the bucket readable outside the account: use "private" (or remove acl) and grant access through a bucket policy.',
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketAclV2:BucketAclV2", {
                    bucket: "b",
                    accessControlPolicy: {
                        grants: [
                            {
                                grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
                                permission: "READ",
                            },
                        ],
                        owner: { id: "abc" },
                    },
                }),
                [
                    'accessControlPolicy.grants[0].grantee.uri grants to "http://acs.amazonaws.com/groups/global/AllUsers" (public): remove the grant and give access through a bucket policy to named principals.',
                ],
            );
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketV2:BucketV2", {
                    grants: [
                        {
                            type: "Group",
                            uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
                            permissions: ["READ"],
                        },
                    ],
                }),
                [
                    'grants[0].uri grants to "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" (public): remove the grant and give access through a bucket policy to named principals.',
                ],
            );
        });
        it("cannot decide on an unknown acl", async () => {
            assert.strictEqual(await check(p, "aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: UNKNOWN }), "UNKNOWN");
        });
    });

    describe("cognito-identity-pool-no-unauthenticated", () => {
        const p = cognitoIdentityPoolNoUnauthenticated;
        const type = "aws:cognito/identityPool:IdentityPool";
        it("passes false and absent (AWS default false)", async () => {
            assert.deepStrictEqual(
                await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: false }),
                [],
            );
            assert.deepStrictEqual(await check(p, type, { identityPoolName: "x" }), []);
        });
        it("flags true", async () => {
            assert.deepStrictEqual(
                await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: true }),
                [
                    "allowUnauthenticatedIdentities is true, which gives AWS credentials to anyone: set allowUnauthenticatedIdentities to false.",
                ],
            );
        });
        it("cannot decide on an unknown value", async () => {
            assert.strictEqual(
                await check(p, type, { identityPoolName: "x", allowUnauthenticatedIdentities: UNKNOWN }),
                "UNKNOWN",
            );
        });
    });

    describe("apigateway-method-authorization", () => {
        const p = apiGatewayMethodAuthorization;
        const type = "aws:apigateway/method:Method";
        const auth = {
            publicRoutes: [{ resource: "postech-auth-*", reason: "login route: WAF rate rule and stage throttling" }],
        };
        it("passes authorizers, OPTIONS, and a configured public route", async () => {
            for (const authorization of ["CUSTOM", "COGNITO_USER_POOLS", "AWS_IAM"]) {
                assert.deepStrictEqual(
                    await check(p, type, {
                        restApi: "a",
                        resourceId: "r",
                        httpMethod: "GET",
                        authorization,
                        authorizerId: "z",
                    }),
                    [],
                );
            }
            assert.deepStrictEqual(
                await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "OPTIONS", authorization: "NONE" }),
                [],
            );
            assert.deepStrictEqual(
                await check(
                    p,
                    type,
                    { restApi: "a", resourceId: "r", httpMethod: "POST", authorization: "NONE" },
                    auth,
                    "postech-auth-post",
                ),
                [],
            );
        });
        it("flags NONE elsewhere and OPTIONS when disabled; the schema demands a reason for exceptions", async () => {
            const msg = (m: string) =>
                `authorization is "NONE" on ${m}: set authorization to "CUSTOM" or "COGNITO_USER_POOLS" with authorizerId, or "AWS_IAM"; a route that must be public ` +
                "(e.g. POST /auth) is listed with its reason in the policy config publicRoutes of apigateway-method-authorization.";
            assert.deepStrictEqual(
                await check(
                    p,
                    type,
                    { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: "NONE" },
                    auth,
                    "postech-orders-get",
                ),
                [msg("GET")],
            );
            assert.deepStrictEqual(
                await check(
                    p,
                    type,
                    { restApi: "a", resourceId: "r", httpMethod: "OPTIONS", authorization: "NONE" },
                    { allowOptions: false },
                ),
                [msg("OPTIONS")],
            );
            await assert.rejects(
                pack.configure({ [p.name]: { publicRoutes: [{ resource: "postech-auth-post" }] } }),
                /publicRoutes\[0\]: reason is required/,
            );
        });
        it("cannot decide on unknown authorization", async () => {
            assert.strictEqual(
                await check(p, type, { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: UNKNOWN }),
                "UNKNOWN",
            );
        });
    });

    describe("apigatewayv2-route-authorization", () => {
        const p = apiGatewayV2RouteAuthorization;
        const type = "aws:apigatewayv2/route:Route";
        it("passes authorizers, OPTIONS, WebSocket message routes and a configured route key", async () => {
            assert.deepStrictEqual(
                await check(p, type, {
                    apiId: "a",
                    routeKey: "GET /songs",
                    authorizationType: "JWT",
                    authorizerId: "z",
                }),
                [],
            );
            assert.deepStrictEqual(
                await check(p, type, { apiId: "a", routeKey: "OPTIONS /songs", authorizationType: "NONE" }),
                [],
            );
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "sendmessage" }), []);
            assert.deepStrictEqual(
                await check(
                    p,
                    type,
                    { apiId: "a", routeKey: "POST /auth" },
                    { publicRoutes: [{ routeKey: "POST /auth", reason: "login route: WAF rate rule" }] },
                ),
                [],
            );
        });
        it("flags NONE and absent authorizationType on HTTP routes, $default and $connect", async () => {
            const msg = (k: string) =>
                `authorizationType is "NONE" on route "${k}": set authorizationType to "JWT" or "CUSTOM" with authorizerId, or "AWS_IAM"; a route that must be public ` +
                "is listed with its reason in the policy config publicRoutes of apigatewayv2-route-authorization.";
            assert.deepStrictEqual(await check(p, type, { apiId: "a", routeKey: "ANY /{proxy+}" }), [
                msg("ANY /{proxy+}"),
            ]);
            assert.deepStrictEqual(
                await check(p, type, { apiId: "a", routeKey: "$default", authorizationType: "NONE" }),
                [msg("$default")],
            );
            assert.deepStrictEqual(
                await check(p, type, { apiId: "a", routeKey: "$connect", authorizationType: "NONE" }),
                [msg("$connect")],
            );
        });
        it("cannot decide on unknown authorizationType", async () => {
            assert.strictEqual(
                await check(p, type, { apiId: "a", routeKey: "GET /x", authorizationType: UNKNOWN }),
                "UNKNOWN",
            );
        });
    });

    describe("OpenAPI bodies (aws:apigateway/restApi:RestApi, aws:apigatewayv2/api:Api)", () => {
        const cognito = {
            type: "apiKey",
            name: "Authorization",
            in: "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                type: "cognito_user_pools",
                providerARNs: ["arn:aws:cognito-idp:sa-east-1:111122223333:userpool/sa-east-1_AbC"],
            },
        };
        const apiKey = { type: "apiKey", name: "x-api-key", in: "header" };
        const swagger = (paths: object, security?: object[]) => ({
            swagger: "2.0",
            info: { title: "orders", version: "1" },
            ...(security ? { security } : {}),
            securityDefinitions: { cognito, api_key: apiKey },
            paths,
        });
        const integration = {
            "x-amazon-apigateway-integration": {
                type: "aws_proxy",
                httpMethod: "POST",
                uri: "arn:aws:apigateway:sa-east-1:lambda:path/functions/f/invocations",
            },
        };
        const msg = (routeKey: string, policy: string) =>
            `body: ${routeKey} has no authorizer: add a security requirement naming a Cognito, Lambda (custom), JWT or IAM (awsSigv4) authorizer to the operation or the document; ` +
            `a route that must be public is listed with its reason in the policy config publicRoutes of ${policy}.`;

        it("passes operations covered by a document-level or operation-level authorizer, and preflight", async () => {
            const body = swagger(
                {
                    "/orders": {
                        get: { ...integration },
                        post: { ...integration, security: [{ cognito: [] }] },
                        options: { ...integration, security: [] },
                    },
                    "/orders/{id}": {
                        "x-amazon-apigateway-any-method": { ...integration, security: [{ cognito: [], api_key: [] }] },
                    },
                },
                [{ cognito: [] }],
            );
            assert.deepStrictEqual(
                await check(apiGatewayMethodAuthorization, "aws:apigateway/restApi:RestApi", {
                    name: "orders",
                    body: JSON.stringify(body),
                }),
                [],
            );
            const yaml =
                "openapi: 3.0.1\ninfo: {title: songs, version: '1'}\ncomponents:\n  securitySchemes:\n    jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, identitySource: $request.header.Authorization}}\npaths:\n  /songs:\n    get: {security: [{jwt: []}]}\n";
            assert.deepStrictEqual(
                await check(apiGatewayV2RouteAuthorization, "aws:apigatewayv2/api:Api", {
                    name: "songs",
                    protocolType: "HTTP",
                    body: yaml,
                }),
                [],
            );
            assert.deepStrictEqual(
                await check(apiGatewayMethodAuthorization, "aws:apigateway/restApi:RestApi", { name: "no-body" }),
                [],
            );
        });
        it("flags operations without security, with only an API key, or with an anonymous {} alternative", async () => {
            const body = swagger({
                "/orders": {
                    get: { ...integration },
                    post: { ...integration, security: [{ api_key: [] }] },
                    put: { ...integration, security: [{ cognito: [] }, {}] },
                    delete: { ...integration, security: [{ cognito: [] }] },
                },
                "/auth": { post: { ...integration } },
            });
            const p = "apigateway-method-authorization";
            assert.deepStrictEqual(
                await check(apiGatewayMethodAuthorization, "aws:apigateway/restApi:RestApi", {
                    name: "orders",
                    body: JSON.stringify(body),
                }),
                [msg("GET /orders", p), msg("POST /orders", p), msg("PUT /orders", p), msg("POST /auth", p)],
            );
            assert.deepStrictEqual(
                await check(
                    apiGatewayMethodAuthorization,
                    "aws:apigateway/restApi:RestApi",
                    { name: "orders", body },
                    { publicRoutes: [{ routeKey: "POST /auth", reason: "login route: WAF rate rule and throttling" }] },
                ),
                [msg("GET /orders", p), msg("POST /orders", p), msg("PUT /orders", p)],
            );
            assert.deepStrictEqual(
                await check(apiGatewayV2RouteAuthorization, "aws:apigatewayv2/api:Api", {
                    name: "songs",
                    protocolType: "HTTP",
                    body: "openapi: 3.0.1\npaths:\n  /songs:\n    get: {}\n",
                }),
                [msg("GET /songs", "apigatewayv2-route-authorization")],
            );
            assert.deepStrictEqual(
                await check(apiGatewayV2RouteAuthorization, "aws:apigatewayv2/api:Api", {
                    name: "songs",
                    body: "- not\n- a map\n",
                }),
                [
                    "body is not an OpenAPI document (JSON or YAML object): give the API definition as OpenAPI so its authorizers can be checked.",
                ],
            );
        });
        it("cannot decide on an unknown body", async () => {
            assert.strictEqual(
                await check(apiGatewayMethodAuthorization, "aws:apigateway/restApi:RestApi", {
                    name: "orders",
                    body: UNKNOWN,
                }),
                "UNKNOWN",
            );
            assert.strictEqual(
                await check(apiGatewayV2RouteAuthorization, "aws:apigatewayv2/api:Api", {
                    name: "songs",
                    body: UNKNOWN,
                }),
                "UNKNOWN",
            );
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
            assert.strictEqual(await check(p, type, { functionName: "f", authorizationType: UNKNOWN }), "UNKNOWN");
        });
    });

    describe("bucket-control actions granted to other accounts (FSBP S3.6)", () => {
        const OWN = "111122223333";
        const PARTNER = "444455556666";
        const doc = (...statements: Record<string, unknown>[]) =>
            JSON.stringify({ Version: "2012-10-17", Statement: statements });
        const resourceAccount = { StringEquals: { "aws:ResourceAccount": OWN } };
        const grant = (account: string, action: unknown, extra: Record<string, unknown> = {}) => ({
            Sid: "Grant",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: action,
            Resource: ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
            ...extra,
        });
        const policy = (name: string, document: unknown) =>
            res("aws:s3/bucketPolicy:BucketPolicy", name, { bucket: "shared", policy: document });
        policyCases(pack, "s3-bucket-policy-cross-account-actions", {
            compliant: [
                // The partner may read and write objects; the own account may manage the bucket.
                {
                    resources: [
                        policy(
                            "reads",
                            doc(
                                grant(PARTNER, ["s3:GetObject", "s3:PutObject"], { Condition: resourceAccount }),
                                grant(OWN, "s3:*", { Condition: resourceAccount }),
                            ),
                        ),
                    ],
                },
                // Nothing in the document says which account owns the bucket: not judged.
                { resources: [policy("no-context", doc(grant(PARTNER, "s3:PutBucketPolicy")))] },
                // A Deny is never a grant.
                {
                    resources: [
                        policy("deny", doc({ ...grant(PARTNER, "s3:*"), Effect: "Deny", Condition: resourceAccount })),
                    ],
                },
            ],
            violating: [
                (() => {
                    const p = policy("partner-admin", doc(grant(PARTNER, "s3:Put*", { Condition: resourceAccount })));
                    return {
                        resources: [p],
                        flagged: [p],
                        message: new RegExp(
                            'Statement\\[0\\] \\(Sid "Grant"\\) grants s3:PutBucketAcl, s3:PutBucketPolicy, ' +
                                "s3:PutEncryptionConfiguration, s3:PutObjectAcl to account 444455556666, " +
                                "not the bucket's own \\(111122223333\\)",
                        ),
                    };
                })(),
                (() => {
                    // Older state: the bucket's inline policy; the own account comes from aws:SourceAccount.
                    const b = res("aws:s3/bucket:Bucket", "legacy", {
                        policy: doc(
                            {
                                Effect: "Allow",
                                Principal: { Service: "logging.s3.amazonaws.com" },
                                Action: "s3:PutObject",
                                Resource: "arn:aws:s3:::legacy/*",
                                Condition: { StringEquals: { "aws:SourceAccount": OWN } },
                            },
                            { ...grant(PARTNER, "s3:DeleteBucketPolicy"), Principal: { AWS: PARTNER } },
                        ),
                    });
                    return {
                        resources: [b],
                        flagged: [b],
                        message: /grants s3:DeleteBucketPolicy to account 444455556666/,
                    };
                })(),
            ],
            unknown: [{ resources: [policy("unknown", UNKNOWN)] }],
        });
        it("takes the stack's own accounts from the config's accountIds when the document names none", async () => {
            const p = policy("no-context", doc(grant(PARTNER, "s3:PutBucketPolicy"), grant(OWN, "s3:PutBucketAcl")));
            await pack.configure({
                "s3-bucket-policy-cross-account-actions": { enforcementLevel: "mandatory", accountIds: [OWN] },
            });
            try {
                const vs = only(await pack.run([p]), "s3-bucket-policy-cross-account-actions");
                assert.deepStrictEqual(
                    vs.map((v) => v.message.split("\n")[1]),
                    [
                        `Statement[0] (Sid "Grant") grants s3:PutBucketPolicy to account ${PARTNER}, ` +
                            `not the bucket's own (${OWN}): let other accounts read or write objects, ` +
                            "never change the bucket's policy, ACLs or encryption.",
                    ],
                );
            } finally {
                await pack.configure();
            }
        });
    });
});
