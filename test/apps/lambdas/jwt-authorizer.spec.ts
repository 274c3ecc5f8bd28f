import { strict as assert } from "node:assert";
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import type { CryptoKey, JWK, JWTPayload } from "jose";

import {
    Authorizer,
    CLOCK_TOLERANCE_SECONDS,
    createAuthorizer,
    denyPolicy,
    handler,
    issuerFor,
    MAX_TOKEN_AGE_SECONDS,
    MAX_TOKEN_LENGTH,
    resetHandlerForTests,
    stageWildcard,
} from "../../../apps/lambdas/jwt-authorizer/handler";
import { captureConsole, CapturedLogs, lambdaContext } from "./support";

const POOL = "us-east-1_TestPool1";
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const CLIENT = "test-app-client-id";
const KID = "test-kid-1";
const METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123def4/prod/GET/orders/42";
const STAGE_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123def4/prod/*";
const SUB = "7d8f0c2e-1111-4a5b-9c3d-2e4f6a8b0c1d";

/** The exact Deny every refused request must get. */
const DENY = {
    principalId: "unauthorized",
    policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: STAGE_ARN }],
    },
};

const now = () => Math.floor(Date.now() / 1000);

describe("apps/lambdas/jwt-authorizer", function () {
    this.timeout(20_000);

    let privateKey: CryptoKey;
    let publicJwk: JWK;
    let publicPem: string;
    let otherPrivateKey: CryptoKey;
    let server: Server;
    let jwksUrl: string;
    let jwksRequests = 0;
    let jwksStatus = 200;
    let authorize: Authorizer;
    let logs: CapturedLogs;

    before(async () => {
        const pair = await generateKeyPair("RS256", { extractable: true });
        privateKey = pair.privateKey;
        publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
        publicPem = await exportSPKI(pair.publicKey);
        otherPrivateKey = (await generateKeyPair("RS256")).privateKey;
        server = createServer((req, res) => {
            jwksRequests += 1;
            if (req.url !== `/${POOL}/.well-known/jwks.json` || jwksStatus !== 200) {
                res.writeHead(jwksStatus === 200 ? 404 : jwksStatus).end();
                return;
            }
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [publicJwk] }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${POOL}/.well-known/jwks.json`;
    });
    after(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    beforeEach(() => {
        jwksRequests = 0;
        jwksStatus = 200;
        authorize = createAuthorizer({ userPoolId: POOL, clientId: CLIENT, jwksUrl });
        logs = captureConsole();
    });
    afterEach(() => logs.restore());

    /** Claims of a Cognito access token, overridable. */
    function accessClaims(overrides: JWTPayload = {}): JWTPayload {
        const t = now();
        return {
            sub: SUB,
            iss: ISSUER,
            client_id: CLIENT,
            token_use: "access",
            scope: "aws.cognito.signin.user.admin",
            auth_time: t,
            iat: t,
            exp: t + 3600,
            jti: "jti-1",
            username: "52998224725",
            ...overrides,
        };
    }

    function idClaims(overrides: JWTPayload = {}): JWTPayload {
        const t = now();
        return {
            sub: SUB,
            iss: ISSUER,
            aud: CLIENT,
            token_use: "id",
            auth_time: t,
            iat: t,
            exp: t + 3600,
            "cognito:username": "52998224725",
            ...overrides,
        };
    }

    async function sign(
        claims: JWTPayload,
        key: CryptoKey | Uint8Array = privateKey,
        header: Record<string, unknown> = {},
    ): Promise<string> {
        return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: KID, ...header }).sign(key);
    }

    function event(authorizationToken: unknown, methodArn: string = METHOD_ARN): APIGatewayTokenAuthorizerEvent {
        return { type: "TOKEN", methodArn, authorizationToken } as APIGatewayTokenAuthorizerEvent;
    }

    /** Runs the authorizer and asserts the exact Deny plus the logged reason; the token is never logged. */
    async function expectDeny(authorizationToken: unknown, reason: string, run: Authorizer = authorize): Promise<void> {
        const result = await run(event(authorizationToken), lambdaContext("auth-req"));
        assert.deepEqual(result, DENY);
        const records = logs.records();
        assert.deepEqual(
            records.map((r) => [r.fn, r.event, r.effect, r.reason, r.requestId]),
            [["jwt-authorizer", "authorizer.decision", "Deny", reason, "auth-req"]],
        );
        if (typeof authorizationToken === "string" && authorizationToken.length > 12) {
            const token = authorizationToken.replace(/^Bearer /i, "");
            for (const part of token.split(".").filter((p) => p.length > 8)) {
                assert.ok(!logs.lines.join("\n").includes(part), "a token part was logged");
            }
        }
    }

    it("allows a valid access token: Allow on the API stage, principalId = sub, context {sub, username}", async () => {
        const result = await authorize(event(`Bearer ${await sign(accessClaims())}`), lambdaContext("auth-ok"));
        assert.deepEqual(result, {
            principalId: SUB,
            policyDocument: {
                Version: "2012-10-17",
                Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: STAGE_ARN }],
            },
            context: { sub: SUB, username: "52998224725" },
        });
        assert.deepEqual(
            logs.records().map((r) => [r.effect, r.sub, r.tokenUse, r.requestId]),
            [["Allow", SUB, "access", "auth-ok"]],
        );
    });

    it("fetches the JWKS once and serves later verifications from the cache", async () => {
        for (let i = 0; i < 5; i += 1) {
            const r = await authorize(event(`Bearer ${await sign(accessClaims({ jti: `j${i}` }))}`));
            assert.equal(r.policyDocument.Statement[0].Effect, "Allow");
        }
        assert.equal(jwksRequests, 1);
    });

    it('accepts the "bearer" scheme in any case', async () => {
        const r = await authorize(event(`bearer ${await sign(accessClaims())}`));
        assert.equal(r.policyDocument.Statement[0].Effect, "Allow");
    });

    describe("denies", () => {
        it("a missing Authorization header", () => expectDeny(undefined, "missing_token"));
        it("an empty Authorization header", () => expectDeny("", "missing_token"));
        it("a non-Bearer scheme", () => expectDeny("Basic dXNlcjpwYXNz", "malformed_header"));
        it("a Bearer header with two tokens", async () =>
            expectDeny(`Bearer ${await sign(accessClaims())} extra`, "malformed_header"));
        it("a header longer than the limit", () =>
            expectDeny(`Bearer ${"a".repeat(MAX_TOKEN_LENGTH)}`, "token_too_large"));
        it("garbage", () => expectDeny("Bearer not-a-jwt", "malformed_token"));
        it("three garbage segments", () => expectDeny("Bearer aaaaaaaaa.bbbbbbbbb.ccccccccc", "malformed_token"));

        it("alg: none", async () => {
            const header = base64url.encode(JSON.stringify({ alg: "none", kid: KID, typ: "JWT" }));
            const payload = base64url.encode(JSON.stringify(accessClaims()));
            await expectDeny(`Bearer ${header}.${payload}.`, "alg_not_allowed");
        });

        it('HS256 "signed" with the public key as the HMAC secret', async () => {
            const token = await sign(accessClaims(), new TextEncoder().encode(publicPem), { alg: "HS256" });
            await expectDeny(`Bearer ${token}`, "alg_not_allowed");
            // The same attack with the JWK's modulus bytes as the secret.
            const token2 = await sign(accessClaims(), base64url.decode(publicJwk.n as string), { alg: "HS256" });
            logs.lines.length = 0;
            await expectDeny(`Bearer ${token2}`, "alg_not_allowed");
        });

        it("RS512 (only RS256 is allowed), even under the known kid", async () => {
            const rs512 = (await generateKeyPair("RS512")).privateKey;
            await expectDeny(`Bearer ${await sign(accessClaims(), rs512, { alg: "RS512" })}`, "alg_not_allowed");
        });

        it("an expired token (beyond the clock tolerance)", async () => {
            const t = now();
            await expectDeny(
                `Bearer ${await sign(accessClaims({ iat: t - 7200, exp: t - CLOCK_TOLERANCE_SECONDS - 30 }))}`,
                "expired",
            );
        });

        it("a token not yet valid (nbf in the future)", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ nbf: now() + 120 }))}`, "not_yet_valid");
        });

        it("a token issued in the future (iat)", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ iat: now() + 120 }))}`, "not_yet_valid");
        });

        it(`a token issued more than ${MAX_TOKEN_AGE_SECONDS} s ago, even with a far exp`, async () => {
            const t = now();
            await expectDeny(
                `Bearer ${await sign(accessClaims({ iat: t - MAX_TOKEN_AGE_SECONDS - 60, exp: t + 3600 }))}`,
                "expired",
            );
        });

        it("a token from another issuer (another user pool)", async () => {
            await expectDeny(
                `Bearer ${await sign(accessClaims({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool" }))}`,
                "wrong_issuer",
            );
        });

        it("a token whose issuer differs only by a trailing slash", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ iss: `${ISSUER}/` }))}`, "wrong_issuer");
        });

        it("an access token for another app client", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ client_id: "another-client" }))}`, "wrong_client_id");
        });

        it("an id token where an access token is required", async () => {
            await expectDeny(`Bearer ${await sign(idClaims())}`, "wrong_token_use");
        });

        it("a token without token_use", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ token_use: undefined }))}`, "missing_claim");
        });

        it("a token without sub", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ sub: undefined }))}`, "missing_claim");
        });

        it("a tampered payload (signature no longer matches)", async () => {
            const [h, , s] = (await sign(accessClaims())).split(".");
            const forged = base64url.encode(JSON.stringify(accessClaims({ sub: "admin", username: "11144477735" })));
            await expectDeny(`Bearer ${h}.${forged}.${s}`, "bad_signature");
        });

        it("a token signed by another key under the known kid", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims(), otherPrivateKey)}`, "bad_signature");
        });

        it("a token with an unknown kid", async () => {
            await expectDeny(
                `Bearer ${await sign(accessClaims(), otherPrivateKey, { kid: "unknown-kid" })}`,
                "unknown_kid",
            );
        });

        it("every token when the JWKS cannot be fetched (logged as an error)", async () => {
            jwksStatus = 500;
            await expectDeny(`Bearer ${await sign(accessClaims())}`, "jwks_unavailable");
            assert.equal(logs.records()[0].level, "error");
        });

        it("every token when the JWKS host is unreachable", async () => {
            const offline = createAuthorizer({
                userPoolId: POOL,
                clientId: CLIENT,
                jwksUrl: "http://127.0.0.1:9/jwks.json",
            });
            await expectDeny(`Bearer ${await sign(accessClaims())}`, "jwks_unavailable", offline);
        });

        it("everything when misconfigured, without fetching the JWKS", async () => {
            const broken = createAuthorizer({ userPoolId: "not-a-pool-id", clientId: "", jwksUrl });
            await expectDeny(`Bearer ${await sign(accessClaims())}`, "misconfigured", broken);
            assert.equal(logs.records()[0].problems, "USER_POOL_ID must be <region>_<id>; CLIENT_ID must be set");
            assert.equal(jwksRequests, 0);
        });
    });

    describe("clock tolerance", () => {
        it(`accepts a token expired ${CLOCK_TOLERANCE_SECONDS - 3} s ago and one valid from ${CLOCK_TOLERANCE_SECONDS - 3} s ahead`, async () => {
            const t = now();
            const slightlyExpired = await sign(accessClaims({ iat: t - 3600, exp: t - (CLOCK_TOLERANCE_SECONDS - 3) }));
            const slightlyEarly = await sign(accessClaims({ nbf: t + (CLOCK_TOLERANCE_SECONDS - 3) }));
            assert.equal(
                (await authorize(event(`Bearer ${slightlyExpired}`))).policyDocument.Statement[0].Effect,
                "Allow",
            );
            assert.equal(
                (await authorize(event(`Bearer ${slightlyEarly}`))).policyDocument.Statement[0].Effect,
                "Allow",
            );
        });
    });

    describe("TOKEN_USE=id", () => {
        let authorizeId: Authorizer;
        beforeEach(() => {
            authorizeId = createAuthorizer({ userPoolId: POOL, clientId: CLIENT, tokenUse: "id", jwksUrl });
        });

        it("allows an id token whose aud is the client, with username from cognito:username", async () => {
            const result = await authorizeId(event(`Bearer ${await sign(idClaims())}`));
            assert.deepEqual(result, {
                principalId: SUB,
                policyDocument: {
                    Version: "2012-10-17",
                    Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: STAGE_ARN }],
                },
                context: { sub: SUB, username: "52998224725" },
            });
        });

        it("denies an id token for another audience", async () => {
            await expectDeny(
                `Bearer ${await sign(idClaims({ aud: "another-client" }))}`,
                "wrong_audience",
                authorizeId,
            );
        });

        it("denies an access token", async () => {
            // Access tokens have no aud, so the audience check refuses them first.
            await expectDeny(`Bearer ${await sign(accessClaims())}`, "wrong_audience", authorizeId);
        });

        it("denies an access token that carries aud = client", async () => {
            await expectDeny(`Bearer ${await sign(accessClaims({ aud: CLIENT }))}`, "wrong_token_use", authorizeId);
        });
    });

    describe("handler (environment-driven, cached per container)", () => {
        afterEach(() => {
            resetHandlerForTests();
            for (const k of ["USER_POOL_ID", "CLIENT_ID", "TOKEN_USE", "JWKS_URL"]) delete process.env[k];
        });

        it("reads USER_POOL_ID, CLIENT_ID and JWKS_URL and keeps one JWKS cache", async () => {
            process.env.USER_POOL_ID = POOL;
            process.env.CLIENT_ID = CLIENT;
            process.env.JWKS_URL = jwksUrl;
            const a = await handler(event(`Bearer ${await sign(accessClaims())}`));
            const b = await handler(event(`Bearer ${await sign(accessClaims({ jti: "j2" }))}`));
            assert.equal(a.policyDocument.Statement[0].Effect, "Allow");
            assert.equal(b.policyDocument.Statement[0].Effect, "Allow");
            assert.equal(jwksRequests, 1);
        });

        it("denies everything with an invalid TOKEN_USE", async () => {
            process.env.USER_POOL_ID = POOL;
            process.env.CLIENT_ID = CLIENT;
            process.env.JWKS_URL = jwksUrl;
            process.env.TOKEN_USE = "refresh";
            await expectDeny(`Bearer ${await sign(accessClaims())}`, "misconfigured", handler);
            assert.equal(logs.records()[0].problems, 'TOKEN_USE must be "access" or "id"');
        });
    });

    describe("helpers", () => {
        it("issuerFor derives the Cognito issuer from the pool id", () => {
            assert.equal(issuerFor(POOL), ISSUER);
            assert.equal(issuerFor("sa-east-1_AbC123"), "https://cognito-idp.sa-east-1.amazonaws.com/sa-east-1_AbC123");
            assert.equal(
                issuerFor("us-gov-west-1_AbC123"),
                "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123",
            );
            assert.equal(issuerFor("AbC123"), undefined);
            assert.equal(issuerFor("us-east-1_"), undefined);
            assert.equal(issuerFor("us-east-1_abc/../x"), undefined);
        });

        it("stageWildcard scopes to the API and stage of the method ARN", () => {
            assert.equal(stageWildcard(METHOD_ARN), STAGE_ARN);
            assert.equal(
                stageWildcard("arn:aws:execute-api:sa-east-1:123456789012:a1b2c3/dev/POST/"),
                "arn:aws:execute-api:sa-east-1:123456789012:a1b2c3/dev/*",
            );
            assert.equal(stageWildcard("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/dev"), undefined);
            assert.equal(stageWildcard("arn:aws:lambda:us-east-1:123456789012:function:x"), undefined);
            assert.equal(stageWildcard(undefined), undefined);
        });

        it('denyPolicy falls back to "*" when the method ARN does not parse', async () => {
            assert.deepEqual(denyPolicy("garbage"), {
                principalId: "unauthorized",
                policyDocument: {
                    Version: "2012-10-17",
                    Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: "*" }],
                },
            });
            const r = await authorize(event(`Bearer ${await sign(accessClaims())}`, "garbage"));
            assert.equal(r.policyDocument.Statement[0].Effect, "Deny");
        });
    });
});
