/**
 * Cognito "create auth challenge" trigger for the CPF passwordless flow.
 *
 * For `CUSTOM_CHALLENGE` it draws a 256-bit random nonce and puts it in both
 * `publicChallengeParameters` (returned to the caller of `AdminInitiateAuth`) and
 * `privateChallengeParameters` (passed by Cognito to the verify trigger). The expected answer is not
 * stored anywhere: the verify trigger recomputes it from the nonce with the secret key, so the key
 * never leaves the two Lambdas that read it. `challengeMetadata` marks the challenge as ours
 * (`CPF_HMAC_V1`), which the define trigger requires before issuing tokens.
 * Any other challenge name is a configuration error and throws (Cognito then fails the sign-in).
 *
 * Contract: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html
 */
import type { Context, CreateAuthChallengeTriggerEvent } from "aws-lambda";

import { CHALLENGE_METADATA, CUSTOM_CHALLENGE, newNonce, NONCE_PARAMETER } from "../shared/challenge";
import { maskCpf } from "../shared/cpf";
import { log } from "../shared/log";

/** Lambda entry point (`index.handler`); returns the event with `response` filled in. */
// async on purpose, nothing to await: the bundle must export an AsyncFunction handler (test/apps/lambdas/build.spec.ts)
// eslint-disable-next-line @typescript-eslint/require-await
export async function handler(
    event: CreateAuthChallengeTriggerEvent,
    context?: Context,
): Promise<CreateAuthChallengeTriggerEvent> {
    if (event.request.challengeName !== CUSTOM_CHALLENGE) {
        log("error", "create-auth-challenge", "challenge.rejected", {
            requestId: context?.awsRequestId,
            reason: "unsupported_challenge",
            challengeName: String(event.request.challengeName).slice(0, 32),
        });
        throw new Error("create-auth-challenge: only CUSTOM_CHALLENGE is supported");
    }
    const nonce = newNonce();
    event.response = {
        publicChallengeParameters: { [NONCE_PARAMETER]: nonce },
        privateChallengeParameters: { [NONCE_PARAMETER]: nonce },
        challengeMetadata: CHALLENGE_METADATA,
    };
    log("info", "create-auth-challenge", "challenge.created", {
        requestId: context?.awsRequestId,
        cpf: maskCpf(event.userName ?? ""),
    });
    return event;
}
