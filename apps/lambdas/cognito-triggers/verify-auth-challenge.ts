/**
 * Cognito "verify auth challenge response" trigger for the CPF passwordless flow.
 *
 * Recomputes `challengeAnswer(secret, userName, nonce)` (the same function the CPF Lambda answers
 * with) from `privateChallengeParameters.nonce` and compares it with `challengeAnswer` in constant
 * time (`crypto.timingSafeEqual`). A missing nonce or `userNotFound` is a wrong answer. A failure to
 * read the secret throws, so Cognito fails the sign-in as a server error rather than a wrong answer.
 *
 * Environment: `CHALLENGE_SECRET_ARN`. IAM: `secretsmanager:GetSecretValue` on that secret.
 * Contract:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 */
import type { Context, VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";

import { answersMatch, challengeAnswer, NONCE_PARAMETER } from "../shared/challenge";
import { maskCpf } from "../shared/cpf";
import { errorName, log } from "../shared/log";
import { getChallengeSecret } from "../shared/secret";

const FN = "verify-auth-challenge";

/** Lambda entry point (`index.handler`); returns the event with `response.answerCorrect` set. */
export async function handler(
    event: VerifyAuthChallengeResponseTriggerEvent,
    context?: Context,
): Promise<VerifyAuthChallengeResponseTriggerEvent> {
    const requestId = context?.awsRequestId;
    const cpf = maskCpf(event.userName ?? "");
    const nonce = event.request.privateChallengeParameters?.[NONCE_PARAMETER];
    if (event.request.userNotFound === true || typeof nonce !== "string" || nonce === "") {
        event.response = { answerCorrect: false };
        log("warn", FN, "challenge.verified", { requestId, cpf, answerCorrect: false, reason: "no_challenge" });
        return event;
    }
    let secret: string;
    try {
        secret = await getChallengeSecret(process.env.CHALLENGE_SECRET_ARN);
    } catch (err) {
        log("error", FN, "challenge.verified", { requestId, cpf, reason: "secret_unavailable", error: errorName(err) });
        // The cause stays in memory: the runtime reports only name, message and stack to Cognito and the logs.
        throw new Error("verify-auth-challenge: challenge secret unavailable", { cause: err });
    }
    const answerCorrect = answersMatch(challengeAnswer(secret, event.userName, nonce), event.request.challengeAnswer);
    event.response = { answerCorrect };
    log(answerCorrect ? "info" : "warn", FN, "challenge.verified", {
        requestId,
        cpf,
        answerCorrect,
        reason: answerCorrect ? "match" : "mismatch",
    });
    return event;
}
