import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";

import {
    AdminCreateUserCommand,
    AdminGetUserCommand,
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    CognitoIdentityProviderClient,
    InternalErrorException,
    NotAuthorizedException,
    TooManyRequestsException,
    UsernameExistsException,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayProxyEvent, DefineAuthChallengeTriggerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";

import { handler as createTrigger } from "../../../apps/lambdas/cognito-triggers/create-auth-challenge";
import { handler as defineTrigger } from "../../../apps/lambdas/cognito-triggers/define-auth-challenge";
import { handler as verifyTrigger } from "../../../apps/lambdas/cognito-triggers/verify-auth-challenge";
import { contextData, handler, MAX_BODY_BYTES } from "../../../apps/lambdas/cpf-auth/handler";
import { clearSecretCache } from "../../../apps/lambdas/shared/secret";
import { captureConsole, CapturedLogs, lambdaContext } from "./support";

const POOL = "us-east-1_TestPool1";
const CLIENT = "test-app-client-id";
const SECRET = "test-challenge-secret-0123456789abcdefghijklmnop";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:postech-challenge-AbCdEf";
const CPF = "12345678909";
const NONCE = "n0nce-from-create-trigger-0123456789abcdefg";
const TOKENS = {
    IdToken: "eyJ.id-token-value.sig",
    AccessToken: "eyJ.access-token-value.sig",
    RefreshToken: "refresh-token-value",
    ExpiresIn: 3600,
    TokenType: "Bearer",
};
/** A marker placed in AWS error messages: it must never reach a response body or a log line. */
const LEAK = "INTERNAL-DETAIL-7f3a";
const meta = { $metadata: {} };

function apiEvent(body: string | null, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
    return {
        body,
        httpMethod: "POST",
        path: "/auth",
        resource: "/auth",
        isBase64Encoded: false,
        headers: { "content-type": "application/json" },
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        requestContext: { requestId: "api-req-1" } as APIGatewayProxyEvent["requestContext"],
        ...extra,
    };
}

/** The documented answer format, computed independently of the implementation. */
function answerFor(username: string, nonce: string, secret = SECRET): string {
    return createHmac("sha256", secret).update(`postech-cpf-auth/v1\n${username}\n${nonce}`).digest("base64url");
}

const HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "X-Content-Type-Options": "nosniff",
};

describe("apps/lambdas/cpf-auth", () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    const secrets = mockClient(SecretsManagerClient);
    let logs: CapturedLogs;

    beforeEach(() => {
        cognito.reset();
        secrets.reset();
        clearSecretCache();
        process.env.USER_POOL_ID = POOL;
        process.env.CLIENT_ID = CLIENT;
        process.env.CHALLENGE_SECRET_ARN = SECRET_ARN;
        secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
        cognito.on(AdminInitiateAuthCommand).resolves({
            ChallengeName: "CUSTOM_CHALLENGE",
            Session: "session-1",
            ChallengeParameters: { USERNAME: CPF, nonce: NONCE },
        });
        cognito.on(AdminRespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
        logs = captureConsole();
    });
    afterEach(() => {
        logs.restore();
        delete process.env.USER_POOL_ID;
        delete process.env.CLIENT_ID;
        delete process.env.CHALLENGE_SECRET_ARN;
    });
    after(() => {
        cognito.restore();
        secrets.restore();
    });

    /** Asserts that no log line holds a secret, a token, the answer, the full CPF or an AWS message. */
    function assertLogsClean(): void {
        const text = logs.lines.join("\n");
        for (const forbidden of [
            SECRET,
            answerFor(CPF, NONCE),
            ...Object.values(TOKENS)
                .map(String)
                .filter((v) => v.length > 6),
            CPF,
            "123.456.789-09",
            LEAK,
            "session-1",
        ]) {
            assert.ok(!text.includes(forbidden), `logs contain ${forbidden}`);
        }
    }

    it("signs in an existing user: custom challenge answered server-side, tokens returned", async () => {
        cognito.on(AdminGetUserCommand).resolves({ Username: CPF, UserStatus: "CONFIRMED", Enabled: true });
        const res = await handler(apiEvent('{"cpf":"123.456.789-09"}'), lambdaContext("lambda-req-1"));

        assert.deepEqual(res, { statusCode: 200, headers: HEADERS, body: JSON.stringify(TOKENS) });
        assert.deepEqual(
            cognito.calls().map((c) => c.args[0].constructor.name),
            ["AdminGetUserCommand", "AdminInitiateAuthCommand", "AdminRespondToAuthChallengeCommand"],
        );
        assert.deepEqual(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input, {
            UserPoolId: POOL,
            Username: CPF,
        });
        assert.deepEqual(cognito.commandCalls(AdminInitiateAuthCommand)[0].args[0].input, {
            UserPoolId: POOL,
            ClientId: CLIENT,
            AuthFlow: "CUSTOM_AUTH",
            AuthParameters: { USERNAME: CPF },
        });
        assert.deepEqual(cognito.commandCalls(AdminRespondToAuthChallengeCommand)[0].args[0].input, {
            UserPoolId: POOL,
            ClientId: CLIENT,
            ChallengeName: "CUSTOM_CHALLENGE",
            Session: "session-1",
            ChallengeResponses: { USERNAME: CPF, ANSWER: answerFor(CPF, NONCE) },
        });

        const records = logs.records();
        assert.equal(records.length, 1, "one log line per request");
        const { time, durationMs, ...rest } = records[0];
        assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(typeof durationMs, "number");
        assert.deepEqual(rest, {
            level: "info",
            fn: "cpf-auth",
            event: "auth.completed",
            requestId: "lambda-req-1",
            apiRequestId: "api-req-1",
            outcome: "authenticated",
            cpf: "***.***.*89-09",
            userCreated: false,
        });
        assertLogsClean();
    });

    it("sends Cognito threat protection the customer's address, the API's host and path, and the headers without credentials", async () => {
        cognito.on(AdminGetUserCommand).resolves({ Username: CPF, UserStatus: "CONFIRMED", Enabled: true });
        const event = apiEvent('{"cpf":"123.456.789-09"}', {
            path: "/auth",
            headers: {
                Host: "abc123.execute-api.sa-east-1.amazonaws.com",
                "Content-Type": "application/json",
                "User-Agent": "kiosk/2.1",
                "X-Forwarded-For": "198.51.100.23",
                "x-api-key": "client-api-key-value",
                Authorization: "Bearer something",
                Cookie: "session=abc",
            },
            requestContext: {
                requestId: "api-req-1",
                domainName: "abc123.execute-api.sa-east-1.amazonaws.com",
                path: "/v1/auth",
                identity: { sourceIp: "198.51.100.23" },
            } as APIGatewayProxyEvent["requestContext"],
        });
        const res = await handler(event, lambdaContext("lambda-req-2"));
        assert.equal(res.statusCode, 200);
        const expected = {
            IpAddress: "198.51.100.23",
            ServerName: "abc123.execute-api.sa-east-1.amazonaws.com",
            ServerPath: "/v1/auth",
            HttpHeaders: [
                { headerName: "Host", headerValue: "abc123.execute-api.sa-east-1.amazonaws.com" },
                { headerName: "Content-Type", headerValue: "application/json" },
                { headerName: "User-Agent", headerValue: "kiosk/2.1" },
                { headerName: "X-Forwarded-For", headerValue: "198.51.100.23" },
            ],
        };
        assert.deepEqual(cognito.commandCalls(AdminInitiateAuthCommand)[0].args[0].input.ContextData, expected);
        assert.deepEqual(
            cognito.commandCalls(AdminRespondToAuthChallengeCommand)[0].args[0].input.ContextData,
            expected,
        );
        // Without a source address (not an API Gateway request) there is nothing true to send: no ContextData.
        assert.equal(contextData(apiEvent("{}")), undefined);
        assertLogsClean();
    });

    it("creates a missing user with exactly {UserPoolId, Username, MessageAction: SUPPRESS}, then signs in", async () => {
        cognito
            .on(AdminGetUserCommand)
            .rejects(new UserNotFoundException({ message: `User does not exist. ${LEAK}`, ...meta }));
        cognito.on(AdminCreateUserCommand).resolves({ User: { Username: CPF, UserStatus: "FORCE_CHANGE_PASSWORD" } });
        const res = await handler(apiEvent('{"cpf":"12345678909"}'), lambdaContext("lambda-req-2"));

        assert.equal(res.statusCode, 200);
        assert.deepEqual(JSON.parse(res.body), TOKENS);
        const creates = cognito.commandCalls(AdminCreateUserCommand);
        assert.equal(creates.length, 1);
        assert.deepEqual(creates[0].args[0].input, { UserPoolId: POOL, Username: CPF, MessageAction: "SUPPRESS" });
        assert.deepEqual(
            cognito.calls().map((c) => c.args[0].constructor.name),
            [
                "AdminGetUserCommand",
                "AdminCreateUserCommand",
                "AdminInitiateAuthCommand",
                "AdminRespondToAuthChallengeCommand",
            ],
            "no AdminSetUserPassword: the user never gets a password",
        );
        assert.deepEqual(
            logs.records().map((r) => [r.outcome, r.userCreated, r.cpf]),
            [["authenticated", true, "***.***.*89-09"]],
        );
        assertLogsClean();
    });

    it("treats a concurrent creation (UsernameExistsException) as an existing user", async () => {
        cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "x", ...meta }));
        cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: "x", ...meta }));
        const res = await handler(apiEvent('{"cpf":"12345678909"}'), lambdaContext("r"));
        assert.equal(res.statusCode, 200);
        assert.equal(logs.records()[0].userCreated, false);
    });

    it("accepts a base64-encoded body", async () => {
        cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
        const body = Buffer.from('{"cpf":"123.456.789-09"}').toString("base64");
        const res = await handler(apiEvent(body, { isBase64Encoded: true }), lambdaContext("r"));
        assert.equal(res.statusCode, 200);
    });

    describe("Cognito refusals -> 401", () => {
        const cases: [string, () => void, string][] = [
            [
                "the challenge answer is rejected",
                () =>
                    cognito
                        .on(AdminRespondToAuthChallengeCommand)
                        .rejects(
                            new NotAuthorizedException({ message: `Incorrect username or password. ${LEAK}`, ...meta }),
                        ),
                "respond",
            ],
            [
                "the user is disabled",
                () =>
                    cognito
                        .on(AdminInitiateAuthCommand)
                        .rejects(new NotAuthorizedException({ message: `User is disabled. ${LEAK}`, ...meta })),
                "initiate",
            ],
        ];
        for (const [what, arrange, step] of cases) {
            it(`when ${what}`, async () => {
                cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
                arrange();
                const res = await handler(apiEvent('{"cpf":"123.456.789-09"}'), lambdaContext("lambda-req-3"));
                assert.deepEqual(res, {
                    statusCode: 401,
                    headers: HEADERS,
                    body: JSON.stringify({ error: "not_authorized", requestId: "lambda-req-3" }),
                });
                assert.deepEqual(
                    logs.records().map((r) => [r.level, r.outcome, r.step, r.error, r.cpf]),
                    [["warn", "refused", step, "NotAuthorizedException", "***.***.*89-09"]],
                );
                assertLogsClean();
            });
        }
    });

    it("maps Cognito throttling to 429", async () => {
        cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
        cognito.on(AdminInitiateAuthCommand).rejects(new TooManyRequestsException({ message: LEAK, ...meta }));
        const res = await handler(apiEvent('{"cpf":"12345678909"}'), lambdaContext("r4"));
        assert.equal(res.statusCode, 429);
        assert.equal(res.headers?.["Retry-After"], "1");
        assert.deepEqual(JSON.parse(res.body), { error: "too_many_requests", requestId: "r4" });
    });

    describe("other failures -> 500 without internals", () => {
        const cases: [string, () => void, string, string][] = [
            [
                "AdminGetUser fails",
                () => cognito.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: LEAK, ...meta })),
                "lookup",
                "InternalErrorException",
            ],
            [
                "AdminGetUser is refused by IAM (NotAuthorized outside the sign-in steps is not a 401)",
                () => cognito.on(AdminGetUserCommand).rejects(new NotAuthorizedException({ message: LEAK, ...meta })),
                "lookup",
                "NotAuthorizedException",
            ],
            [
                "AdminCreateUser fails",
                () => {
                    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "x", ...meta }));
                    cognito.on(AdminCreateUserCommand).rejects(new InternalErrorException({ message: LEAK, ...meta }));
                },
                "create",
                "InternalErrorException",
            ],
            [
                "AdminInitiateAuth returns no custom challenge",
                () => cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: TOKENS }),
                "initiate",
                "UnexpectedCognitoResponse",
            ],
            [
                "the challenge has no nonce",
                () =>
                    cognito
                        .on(AdminInitiateAuthCommand)
                        .resolves({ ChallengeName: "CUSTOM_CHALLENGE", Session: "s", ChallengeParameters: {} }),
                "initiate",
                "UnexpectedCognitoResponse",
            ],
            [
                "the secret cannot be read",
                () =>
                    secrets
                        .on(GetSecretValueCommand)
                        .rejects(Object.assign(new Error(LEAK), { name: "AccessDeniedException" })),
                "secret",
                "AccessDeniedException",
            ],
            [
                "a trigger fails (UserLambdaValidationException)",
                () =>
                    cognito
                        .on(AdminRespondToAuthChallengeCommand)
                        .rejects(Object.assign(new Error(LEAK), { name: "UserLambdaValidationException" })),
                "respond",
                "UserLambdaValidationException",
            ],
            [
                "Cognito answers with another challenge instead of tokens",
                () =>
                    cognito
                        .on(AdminRespondToAuthChallengeCommand)
                        .resolves({ ChallengeName: "CUSTOM_CHALLENGE", Session: "s2" }),
                "respond",
                "UnexpectedCognitoResponse",
            ],
        ];
        for (const [what, arrange, step, error] of cases) {
            it(`when ${what}`, async () => {
                cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
                arrange();
                const res = await handler(apiEvent('{"cpf":"123.456.789-09"}'), lambdaContext("lambda-req-5"));
                assert.deepEqual(res, {
                    statusCode: 500,
                    headers: HEADERS,
                    body: JSON.stringify({ error: "internal_error", requestId: "lambda-req-5" }),
                });
                assert.deepEqual(
                    logs.records().map((r) => [r.level, r.outcome, r.step, r.error]),
                    [["error", "error", step, error]],
                );
                assertLogsClean();
            });
        }
    });

    it("reads the secret once per container and retries after a failed read", async () => {
        cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
        secrets.reset();
        secrets
            .on(GetSecretValueCommand)
            .rejectsOnce(Object.assign(new Error("throttled"), { name: "ThrottlingException" }))
            .resolves({ SecretString: SECRET });
        const statuses: number[] = [];
        for (let i = 0; i < 3; i += 1)
            statuses.push((await handler(apiEvent('{"cpf":"12345678909"}'), lambdaContext(`r${i}`))).statusCode);
        assert.deepEqual(statuses, [500, 200, 200]);
        assert.equal(secrets.commandCalls(GetSecretValueCommand).length, 2);
    });

    describe("invalid input -> 400, no AWS call, input never echoed", () => {
        const bad: [string, APIGatewayProxyEvent, string, string | undefined][] = [
            ["a CPF with wrong check digits", apiEvent('{"cpf":"123.456.789-00"}'), "invalid_cpf", "bad_check_digits"],
            ["a repeated-digit CPF", apiEvent('{"cpf":"111.111.111-11"}'), "invalid_cpf", "repeated_digits"],
            ["a short CPF", apiEvent('{"cpf":"1234567890"}'), "invalid_cpf", "wrong_length"],
            ["a CPF with letters", apiEvent('{"cpf":"123.456.789-0X"}'), "invalid_cpf", "bad_characters"],
            ["a CPF as a number", apiEvent('{"cpf":12345678909}'), "invalid_cpf", "not_a_string"],
            ["a missing cpf field", apiEvent('{"document":"12345678909"}'), "invalid_cpf", "not_a_string"],
            ["a body that is not JSON", apiEvent("cpf=12345678909"), "invalid_request", undefined],
            ["a JSON array", apiEvent('["12345678909"]'), "invalid_request", undefined],
            ["a JSON string", apiEvent('"12345678909"'), "invalid_request", undefined],
            ["no body", apiEvent(null), "invalid_request", undefined],
            ["an empty body", apiEvent(""), "invalid_request", undefined],
            [
                "an oversized body",
                apiEvent(JSON.stringify({ cpf: "12345678909", pad: "x".repeat(MAX_BODY_BYTES) })),
                "invalid_request",
                undefined,
            ],
        ];
        for (const [what, event, error, reason] of bad) {
            it(`for ${what}`, async () => {
                const res = await handler(event, lambdaContext("lambda-req-6"));
                assert.equal(res.statusCode, 400);
                assert.deepEqual(res.headers, HEADERS);
                const body = JSON.parse(res.body) as Record<string, unknown>;
                assert.deepEqual(Object.keys(body), ["error", "message", "requestId"]);
                assert.equal(body.error, error);
                assert.equal(body.requestId, "lambda-req-6");
                for (const fragment of ["1234567890", "111.111.111", "123.456.789", "document", "cpf="]) {
                    assert.ok(!res.body.includes(fragment), `response echoes ${fragment}`);
                    assert.ok(!logs.lines.join("\n").includes(fragment), `log echoes ${fragment}`);
                }
                assert.equal(cognito.calls().length, 0);
                assert.equal(secrets.calls().length, 0);
                assert.deepEqual(
                    logs.records().map((r) => [r.level, r.outcome, r.reason]),
                    [["warn", error, reason]],
                );
            });
        }
    });

    it("answers 405 to other methods and 500 when the environment is incomplete, without AWS calls", async () => {
        const get = await handler(apiEvent(null, { httpMethod: "GET" }), lambdaContext("r7"));
        assert.equal(get.statusCode, 405);
        assert.equal(get.headers?.Allow, "POST");
        delete process.env.CHALLENGE_SECRET_ARN;
        delete process.env.CLIENT_ID;
        const res = await handler(apiEvent('{"cpf":"12345678909"}'), lambdaContext("r8"));
        assert.deepEqual(JSON.parse(res.body), { error: "internal_error", requestId: "r8" });
        assert.equal(res.statusCode, 500);
        assert.deepEqual(
            logs.records().map((r) => [r.outcome, r.missingEnv]),
            [
                ["method_not_allowed", undefined],
                ["misconfigured", "CLIENT_ID,CHALLENGE_SECRET_ARN"],
            ],
        );
        assert.equal(cognito.calls().length, 0);
    });

    describe("end to end through a fake Cognito that runs the real triggers", () => {
        /**
         * Emulates Cognito's custom-auth state machine for one user: InitiateAuth runs define + create,
         * RespondToAuthChallenge runs verify + define and issues tokens only when define says so.
         */
        function fakeCognito(verifySecretArn: string = SECRET_ARN): void {
            const sessions = new Map<
                string,
                { username: string; privateParams: Record<string, string>; metadata: string }
            >();
            const base = {
                version: "1",
                region: "us-east-1",
                userPoolId: POOL,
                callerContext: { awsSdkVersion: "x", clientId: CLIENT },
            };
            cognito.on(AdminGetUserCommand).resolves({ Username: CPF });
            cognito.on(AdminInitiateAuthCommand).callsFake(async (input: { AuthParameters: { USERNAME: string } }) => {
                const username = input.AuthParameters.USERNAME;
                const defined = await defineTrigger({
                    ...base,
                    userName: username,
                    triggerSource: "DefineAuthChallenge_Authentication",
                    request: { userAttributes: {}, session: [] },
                    response: {} as DefineAuthChallengeTriggerEvent["response"],
                });
                assert.equal(defined.response.challengeName, "CUSTOM_CHALLENGE");
                const created = await createTrigger({
                    ...base,
                    userName: username,
                    triggerSource: "CreateAuthChallenge_Authentication",
                    request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [] },
                    response: {} as never,
                });
                sessions.set("sess-e2e", {
                    username,
                    privateParams: created.response.privateChallengeParameters,
                    metadata: created.response.challengeMetadata,
                });
                return {
                    ChallengeName: "CUSTOM_CHALLENGE",
                    Session: "sess-e2e",
                    ChallengeParameters: { USERNAME: username, ...created.response.publicChallengeParameters },
                };
            });
            cognito
                .on(AdminRespondToAuthChallengeCommand)
                .callsFake(async (input: { Session: string; ChallengeResponses: { ANSWER: string } }) => {
                    const s = sessions.get(input.Session);
                    assert.ok(s);
                    // The verify trigger is another function with its own environment: swap it in while it runs.
                    const lambdaArn = process.env.CHALLENGE_SECRET_ARN;
                    process.env.CHALLENGE_SECRET_ARN = verifySecretArn;
                    const verified = await verifyTrigger({
                        ...base,
                        userName: s.username,
                        triggerSource: "VerifyAuthChallengeResponse_Authentication",
                        request: {
                            userAttributes: {},
                            privateChallengeParameters: s.privateParams,
                            challengeAnswer: input.ChallengeResponses.ANSWER,
                        },
                        response: {} as never,
                    }).finally(() => (process.env.CHALLENGE_SECRET_ARN = lambdaArn));
                    const defined = await defineTrigger({
                        ...base,
                        userName: s.username,
                        triggerSource: "DefineAuthChallenge_Authentication",
                        request: {
                            userAttributes: {},
                            session: [
                                {
                                    challengeName: "CUSTOM_CHALLENGE",
                                    challengeResult: verified.response.answerCorrect,
                                    challengeMetadata: s.metadata,
                                },
                            ],
                        },
                        response: {} as DefineAuthChallengeTriggerEvent["response"],
                    });
                    if (defined.response.issueTokens) return { AuthenticationResult: TOKENS };
                    throw new NotAuthorizedException({ message: "Incorrect username or password.", ...meta });
                });
        }

        it("issues tokens when the Lambda and the verify trigger share the secret", async () => {
            fakeCognito();
            const res = await handler(apiEvent('{"cpf":"123.456.789-09"}'), lambdaContext("e2e-1"));
            assert.equal(res.statusCode, 200);
            assert.deepEqual(JSON.parse(res.body), TOKENS);
            assertLogsClean();
        });

        it("is refused (401) when the verify trigger holds a different secret", async () => {
            const otherArn = `${SECRET_ARN}-verify`;
            secrets.on(GetSecretValueCommand, { SecretId: otherArn }).resolves({ SecretString: `${SECRET}-rotated` });
            fakeCognito(otherArn);
            const res = await handler(apiEvent('{"cpf":"123.456.789-09"}'), lambdaContext("e2e-2"));
            assert.equal(res.statusCode, 401);
            assert.deepEqual(
                logs
                    .records()
                    .filter((r) => r.fn === "verify-auth-challenge")
                    .map((r) => [r.answerCorrect, r.reason]),
                [[false, "mismatch"]],
            );
        });
    });
});
