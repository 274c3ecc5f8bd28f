/**
 * The server-only answer to the Cognito custom-auth challenge of the CPF flow. One implementation,
 * used by the CPF authentication Lambda (which answers) and the verify-auth-challenge trigger
 * (which checks).
 *
 * The create-auth-challenge trigger publishes a random nonce; the answer is
 * `base64url(HMAC-SHA256(key, "postech-cpf-auth/v1\n" + username + "\n" + nonce))`, where `key` is
 * the challenge secret held in Secrets Manager. Only code that can read that secret can answer, so
 * a client calling Cognito's public `InitiateAuth`/`RespondToAuthChallenge` with the app client id
 * cannot complete the flow by itself. The domain prefix and the newline separators make the MAC
 * input unambiguous (a username cannot contain a newline; the nonce is base64url).
 *
 * Follows the custom challenge contract documented at
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The only challenge this flow uses (Cognito's name for a custom challenge). */
export const CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE";

/**
 * Set by the create trigger as `challengeMetadata` and required by the define trigger, so a session
 * whose custom challenge came from anything else never issues tokens.
 */
export const CHALLENGE_METADATA = "CPF_HMAC_V1";

/** Key of the nonce in `publicChallengeParameters` / `privateChallengeParameters`. */
export const NONCE_PARAMETER = "nonce";

/** Bytes of randomness in a nonce (256 bits, 43 base64url characters). */
export const NONCE_BYTES = 32;

/** Minimum challenge secret length in bytes (UTF-8); shorter secrets are refused as a misconfiguration. */
export const MIN_SECRET_BYTES = 32;

const DOMAIN = "postech-cpf-auth/v1";

/** A fresh random nonce, base64url without padding. */
export function newNonce(): string {
    return randomBytes(NONCE_BYTES).toString("base64url");
}

/**
 * Computes the challenge answer.
 *
 * @param secret the challenge key (UTF-8 string from Secrets Manager), at least
 *   {@link MIN_SECRET_BYTES} bytes.
 * @param username the Cognito username (the CPF's 11 digits).
 * @param nonce the nonce from the challenge parameters.
 * @returns 43 base64url characters.
 * @throws Error when the secret is too short or username/nonce are empty or contain a newline.
 */
export function challengeAnswer(secret: string, username: string, nonce: string): string {
    if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
        throw new Error(`challenge secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    if (username === "" || nonce === "" || /\n/.test(username) || /\n/.test(nonce)) {
        throw new Error("challenge username and nonce must be non-empty single-line strings");
    }
    return createHmac("sha256", secret).update(`${DOMAIN}\n${username}\n${nonce}`, "utf8").digest("base64url");
}

/**
 * Compares an expected answer with a given one in constant time (for equal lengths; the length of
 * the expected answer is public). Non-string `given` values are never equal.
 */
export function answersMatch(expected: string, given: unknown): boolean {
    if (typeof given !== "string") return false;
    const a = Buffer.from(expected, "utf8");
    const b = Buffer.from(given, "utf8");
    if (a.length !== b.length) return false;
    return timingSafeEqual(a, b);
}
