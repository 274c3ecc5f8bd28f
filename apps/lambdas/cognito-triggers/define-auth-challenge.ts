/**
 * Cognito "define auth challenge" trigger for the CPF passwordless flow.
 *
 * Decides from `request.session` (the challenges so far, oldest first):
 * - `userNotFound` -> fail (users are created by the CPF Lambda before it starts the flow);
 * - empty session -> present one `CUSTOM_CHALLENGE`;
 * - exactly one entry, a `CUSTOM_CHALLENGE` created by our create trigger (metadata
 *   `CPF_HMAC_V1`) and answered correctly -> issue tokens;
 * - anything else (a wrong answer, a password/SRP step, a second round, foreign metadata) -> fail.
 * One wrong answer ends the session: the nonce is single-use and the answer is computed by a
 * server, so a retry has nothing to gain.
 *
 * Contract: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
 */
import type { Context, DefineAuthChallengeTriggerEvent } from "aws-lambda";

import { CHALLENGE_METADATA, CUSTOM_CHALLENGE } from "../shared/challenge";
import { maskCpf } from "../shared/cpf";
import { log } from "../shared/log";

type Decision = "challenge" | "issue_tokens" | "fail";

/** Pure decision over the trigger request; exported for tests. */
export function decide(request: DefineAuthChallengeTriggerEvent["request"]): { decision: Decision; reason: string } {
    if (request.userNotFound === true) return { decision: "fail", reason: "user_not_found" };
    const session = Array.isArray(request.session) ? request.session : [];
    if (session.length === 0) return { decision: "challenge", reason: "new_session" };
    if (session.length > 1) return { decision: "fail", reason: "too_many_rounds" };
    const [only] = session;
    if (only.challengeName !== CUSTOM_CHALLENGE) return { decision: "fail", reason: "not_custom_challenge" };
    if (only.challengeMetadata !== CHALLENGE_METADATA) return { decision: "fail", reason: "foreign_challenge" };
    if (only.challengeResult !== true) return { decision: "fail", reason: "wrong_answer" };
    return { decision: "issue_tokens", reason: "answered" };
}

/** Lambda entry point (`index.handler`); returns the event with `response` filled in. */
// async on purpose, nothing to await: the bundle must export an AsyncFunction handler (test/apps/lambdas/build.spec.ts)
// eslint-disable-next-line @typescript-eslint/require-await
export async function handler(
    event: DefineAuthChallengeTriggerEvent,
    context?: Context,
): Promise<DefineAuthChallengeTriggerEvent> {
    const { decision, reason } = decide(event.request);
    if (decision === "challenge") {
        event.response = { challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false };
    } else if (decision === "issue_tokens") {
        event.response = { issueTokens: true, failAuthentication: false };
    } else {
        event.response = { issueTokens: false, failAuthentication: true };
    }
    log(decision === "fail" ? "warn" : "info", "define-auth-challenge", "challenge.defined", {
        requestId: context?.awsRequestId,
        decision,
        reason,
        cpf: maskCpf(event.userName ?? ""),
        rounds: Array.isArray(event.request.session) ? event.request.session.length : 0,
    });
    return event;
}
