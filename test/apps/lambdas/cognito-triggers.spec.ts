import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type {
    CreateAuthChallengeTriggerEvent,
    DefineAuthChallengeTriggerEvent,
    VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";

import { handler as createHandler } from "../../../apps/lambdas/cognito-triggers/create-auth-challenge";
import { handler as defineHandler } from "../../../apps/lambdas/cognito-triggers/define-auth-challenge";
import { handler as verifyHandler } from "../../../apps/lambdas/cognito-triggers/verify-auth-challenge";
import { answersMatch, challengeAnswer } from "../../../apps/lambdas/shared/challenge";
import { clearSecretCache } from "../../../apps/lambdas/shared/secret";
import { captureConsole, CapturedLogs, lambdaContext } from "./support";

const SECRET = "test-challenge-secret-0123456789abcdefghijklmnop";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:postech-challenge-AbCdEf";
const CPF = "52998224725";

const base = {
    version: "1",
    region: "us-east-1",
    userPoolId: "us-east-1_TestPool1",
    userName: CPF,
    callerContext: { awsSdkVersion: "aws-sdk-js-3", clientId: "test-client" },
};

function defineEvent(
    session: DefineAuthChallengeTriggerEvent["request"]["session"],
    userNotFound?: boolean,
): DefineAuthChallengeTriggerEvent {
    return {
        ...base,
        triggerSource: "DefineAuthChallenge_Authentication",
        request: { userAttributes: {}, session, ...(userNotFound === undefined ? {} : { userNotFound }) },
        response: {} as DefineAuthChallengeTriggerEvent["response"],
    };
}

function createEvent(challengeName: string): CreateAuthChallengeTriggerEvent {
    return {
        ...base,
        triggerSource: "CreateAuthChallenge_Authentication",
        request: { userAttributes: {}, challengeName, session: [] },
        response: {} as CreateAuthChallengeTriggerEvent["response"],
    };
}

function verifyEvent(
    privateChallengeParameters: Record<string, string>,
    challengeAnswer: unknown,
    extra: { userName?: string; userNotFound?: boolean } = {},
): VerifyAuthChallengeResponseTriggerEvent {
    return {
        ...base,
        userName: extra.userName ?? CPF,
        triggerSource: "VerifyAuthChallengeResponse_Authentication",
        request: {
            userAttributes: {},
            privateChallengeParameters,
            challengeAnswer: challengeAnswer as string,
            ...(extra.userNotFound === undefined ? {} : { userNotFound: extra.userNotFound }),
        },
        response: {} as VerifyAuthChallengeResponseTriggerEvent["response"],
    };
}

/** The documented answer format, computed here independently of shared/challenge.ts. */
function expectedAnswer(secret: string, username: string, nonce: string): string {
    return createHmac("sha256", secret).update(`postech-cpf-auth/v1\n${username}\n${nonce}`).digest("base64url");
}

describe("apps/lambdas/shared/challenge", () => {
    it("challengeAnswer is base64url HMAC-SHA256 over the domain, username and nonce", () => {
        const answer = challengeAnswer(SECRET, CPF, "nonce-1");
        assert.equal(answer, expectedAnswer(SECRET, CPF, "nonce-1"));
        assert.match(answer, /^[A-Za-z0-9_-]{43}$/);
        assert.notEqual(challengeAnswer(SECRET, CPF, "nonce-2"), answer);
        assert.notEqual(challengeAnswer(SECRET, "12345678909", "nonce-1"), answer);
        assert.notEqual(challengeAnswer(`${SECRET}x`, CPF, "nonce-1"), answer);
    });

    it("challengeAnswer refuses short secrets and ambiguous inputs", () => {
        assert.throws(() => challengeAnswer("x".repeat(31), CPF, "n"), /at least 32 bytes/);
        assert.throws(() => challengeAnswer(SECRET, "", "n"), /non-empty single-line/);
        assert.throws(() => challengeAnswer(SECRET, CPF, ""), /non-empty single-line/);
        assert.throws(() => challengeAnswer(SECRET, `${CPF}\nx`, "n"), /non-empty single-line/);
    });

    it("answersMatch is exact", () => {
        const a = challengeAnswer(SECRET, CPF, "n");
        assert.equal(answersMatch(a, a), true);
        assert.equal(answersMatch(a, `${a.slice(0, -1)}${a.endsWith("A") ? "B" : "A"}`), false);
        assert.equal(answersMatch(a, a.slice(1)), false);
        assert.equal(answersMatch(a, `${a}=`), false);
        assert.equal(answersMatch(a, ""), false);
        assert.equal(answersMatch(a, undefined), false);
        assert.equal(answersMatch(a, 42), false);
    });
});

describe("apps/lambdas/cognito-triggers", () => {
    let logs: CapturedLogs;
    const secrets = mockClient(SecretsManagerClient);

    beforeEach(() => {
        secrets.reset();
        clearSecretCache();
        process.env.CHALLENGE_SECRET_ARN = SECRET_ARN;
        logs = captureConsole();
    });
    afterEach(() => {
        logs.restore();
        delete process.env.CHALLENGE_SECRET_ARN;
    });
    after(() => secrets.restore());

    describe("define-auth-challenge", () => {
        const custom = (challengeResult: boolean, challengeMetadata: string | undefined = "CPF_HMAC_V1") =>
            ({ challengeName: "CUSTOM_CHALLENGE", challengeResult, challengeMetadata }) as const;

        it("presents one CUSTOM_CHALLENGE on an empty session", async () => {
            const out = await defineHandler(defineEvent([]), lambdaContext("req-d1"));
            assert.deepEqual(out.response, {
                challengeName: "CUSTOM_CHALLENGE",
                issueTokens: false,
                failAuthentication: false,
            });
            assert.deepEqual(
                logs.records().map((r) => [r.fn, r.event, r.decision, r.reason, r.cpf, r.requestId]),
                [
                    [
                        "define-auth-challenge",
                        "challenge.defined",
                        "challenge",
                        "new_session",
                        "***.***.*47-25",
                        "req-d1",
                    ],
                ],
            );
        });

        it("issues tokens after one correctly answered CPF challenge", async () => {
            const out = await defineHandler(defineEvent([custom(true)]));
            assert.deepEqual(out.response, { issueTokens: true, failAuthentication: false });
        });

        const failing: [string, DefineAuthChallengeTriggerEvent["request"]["session"], string][] = [
            ["a wrong answer", [custom(false)], "wrong_answer"],
            ["a custom challenge from another create trigger", [custom(true, "OTHER")], "foreign_challenge"],
            [
                "a custom challenge without metadata",
                [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true }],
                "foreign_challenge",
            ],
            ["a password (SRP) session", [{ challengeName: "SRP_A", challengeResult: true }], "not_custom_challenge"],
            [
                "a PASSWORD_VERIFIER session",
                [{ challengeName: "PASSWORD_VERIFIER", challengeResult: true }],
                "not_custom_challenge",
            ],
            ["a second round after a wrong answer", [custom(false), custom(true)], "too_many_rounds"],
            ["a second round after a right answer", [custom(true), custom(true)], "too_many_rounds"],
        ];
        for (const [what, session, reason] of failing) {
            it(`fails on ${what}`, async () => {
                const out = await defineHandler(defineEvent(session));
                assert.deepEqual(out.response, { issueTokens: false, failAuthentication: true });
                assert.deepEqual(
                    logs.records().map((r) => [r.level, r.decision, r.reason]),
                    [["warn", "fail", reason]],
                );
            });
        }

        it("fails when Cognito reports userNotFound, even on an empty session", async () => {
            const out = await defineHandler(defineEvent([], true));
            assert.deepEqual(out.response, { issueTokens: false, failAuthentication: true });
            assert.equal(logs.records()[0].reason, "user_not_found");
        });
    });

    describe("create-auth-challenge", () => {
        it("puts one fresh 256-bit nonce in the public and private parameters, with our metadata", async () => {
            const a = await createHandler(createEvent("CUSTOM_CHALLENGE"), lambdaContext("req-c1"));
            const b = await createHandler(createEvent("CUSTOM_CHALLENGE"));
            const nonce = a.response.publicChallengeParameters.nonce;
            assert.match(nonce, /^[A-Za-z0-9_-]{43}$/);
            assert.deepEqual(a.response, {
                publicChallengeParameters: { nonce },
                privateChallengeParameters: { nonce },
                challengeMetadata: "CPF_HMAC_V1",
            });
            assert.notEqual(b.response.publicChallengeParameters.nonce, nonce);
            assert.equal(secrets.calls().length, 0, "create never reads the secret");
            assert.ok(!logs.lines.join("\n").includes(nonce), "the nonce is not logged");
            assert.deepEqual(logs.records()[0], {
                ...logs.records()[0],
                fn: "create-auth-challenge",
                cpf: "***.***.*47-25",
                requestId: "req-c1",
            });
        });

        it("throws for any other challenge name", async () => {
            await assert.rejects(createHandler(createEvent("SMS_MFA")), /only CUSTOM_CHALLENGE/);
            assert.equal(logs.records()[0].reason, "unsupported_challenge");
        });
    });

    describe("verify-auth-challenge", () => {
        const nonce = "AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK";

        it("accepts the answer computed with the secret, and reads the secret once per container", async () => {
            secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
            const answer = expectedAnswer(SECRET, CPF, nonce);
            const first = await verifyHandler(verifyEvent({ nonce }, answer), lambdaContext("req-v1"));
            const second = await verifyHandler(verifyEvent({ nonce }, answer));
            assert.deepEqual(first.response, { answerCorrect: true });
            assert.deepEqual(second.response, { answerCorrect: true });
            assert.equal(secrets.commandCalls(GetSecretValueCommand).length, 1);
            assert.deepEqual(secrets.commandCalls(GetSecretValueCommand)[0].args[0].input, { SecretId: SECRET_ARN });
            const text = logs.lines.join("\n");
            assert.ok(
                !text.includes(SECRET) && !text.includes(answer) && !text.includes(CPF),
                "no secret, answer or CPF in logs",
            );
        });

        const wrong: [string, () => VerifyAuthChallengeResponseTriggerEvent][] = [
            [
                "an answer made with another secret",
                () => verifyEvent({ nonce }, expectedAnswer(`${SECRET}-other`, CPF, nonce)),
            ],
            ["an answer for another user", () => verifyEvent({ nonce }, expectedAnswer(SECRET, "12345678909", nonce))],
            ["an answer for another nonce", () => verifyEvent({ nonce }, expectedAnswer(SECRET, CPF, `${nonce}x`))],
            ["the nonce itself", () => verifyEvent({ nonce }, nonce)],
            ["an empty answer", () => verifyEvent({ nonce }, "")],
            ["a non-string answer", () => verifyEvent({ nonce }, 12345)],
            [
                "a right answer with a trailing space",
                () => verifyEvent({ nonce }, `${expectedAnswer(SECRET, CPF, nonce)} `),
            ],
        ];
        for (const [what, make] of wrong) {
            it(`rejects ${what}`, async () => {
                secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
                const out = await verifyHandler(make());
                assert.deepEqual(out.response, { answerCorrect: false });
                assert.deepEqual(
                    logs.records().map((r) => [r.level, r.answerCorrect, r.reason]),
                    [["warn", false, "mismatch"]],
                );
            });
        }

        it("rejects without reading the secret when there is no nonce or the user was not found", async () => {
            const noNonce = await verifyHandler(verifyEvent({}, "anything"));
            const notFound = await verifyHandler(
                verifyEvent({ nonce }, expectedAnswer(SECRET, CPF, nonce), { userNotFound: true }),
            );
            assert.deepEqual(noNonce.response, { answerCorrect: false });
            assert.deepEqual(notFound.response, { answerCorrect: false });
            assert.equal(secrets.calls().length, 0);
        });

        it("throws (server error, not a wrong answer) when the secret cannot be read, then retries", async () => {
            const denied = Object.assign(new Error("User: arn:aws:sts::123:assumed-role/x is not authorized"), {
                name: "AccessDeniedException",
            });
            secrets.on(GetSecretValueCommand).rejectsOnce(denied).resolves({ SecretString: SECRET });
            await assert.rejects(verifyHandler(verifyEvent({ nonce }, "x")), /challenge secret unavailable/);
            assert.deepEqual(
                logs.records().map((r) => [r.level, r.reason, r.error]),
                [["error", "secret_unavailable", "AccessDeniedException"]],
            );
            const out = await verifyHandler(verifyEvent({ nonce }, expectedAnswer(SECRET, CPF, nonce)));
            assert.deepEqual(out.response, { answerCorrect: true });
            assert.equal(secrets.commandCalls(GetSecretValueCommand).length, 2);
        });

        it("refuses a secret shorter than 32 bytes", async () => {
            secrets.on(GetSecretValueCommand).resolves({ SecretString: "short" });
            await assert.rejects(verifyHandler(verifyEvent({ nonce }, "x")), /challenge secret unavailable/);
        });

        it("throws when CHALLENGE_SECRET_ARN is not set", async () => {
            delete process.env.CHALLENGE_SECRET_ARN;
            await assert.rejects(verifyHandler(verifyEvent({ nonce }, "x")), /challenge secret unavailable/);
            assert.equal(secrets.calls().length, 0);
        });
    });
});
