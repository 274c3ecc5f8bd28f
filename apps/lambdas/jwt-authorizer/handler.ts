/**
 * API Gateway REST API Lambda authorizer (TOKEN type) for Cognito user pool JWTs.
 *
 * Input: `Authorization: Bearer <jwt>` (the authorizer's identity source), at most
 * {@link MAX_TOKEN_LENGTH} characters. The token is verified with `jose`:
 * - signature against the user pool's JWKS
 *   (`https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`, region taken
 *   from the pool id), fetched with `createRemoteJWKSet` once per container and cached by jose
 *   (10 min max age; an unknown `kid` triggers at most one refetch per 30 s cooldown);
 * - algorithm fixed to `RS256` (no `none`, no HMAC: an HS256 token "signed" with the public key is
 *   refused before any key is used);
 * - `iss` exactly `https://cognito-idp.<region>.amazonaws.com/<poolId>`;
 * - `token_use` equal to the configured use (`access` by default, `id` if `TOKEN_USE=id`);
 * - the app client: `client_id` claim for access tokens (Cognito access tokens carry no `aud`),
 *   `aud` for id tokens;
 * - `exp`, `nbf`, and `iat` (not in the future, at most {@link MAX_TOKEN_AGE_SECONDS} old) with a
 *   clock tolerance of {@link CLOCK_TOLERANCE_SECONDS} seconds, absorbing skew between Cognito's
 *   and Lambda's clocks without meaningfully extending a token's life (one hour by default);
 *   `sub`, `exp`, `iat` and `token_use` are required.
 *
 * Output: an IAM policy. Allowed -> `principalId = sub`, `Allow execute-api:Invoke` on
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/*` and context `{sub, username}`. The
 * resource is the whole API stage, not only the called method, because API Gateway caches the
 * authorizer's policy per token (authorizer TTL, 300 s by default) and evaluates the cached policy for
 * every method the same token calls next; a policy naming only the first method would make later
 * calls to other routes fail with 403 until the cache expired. It never reaches beyond this API and
 * stage. Anything else -> an explicit `Deny` on the same resource with `principalId = "unauthorized"`
 * (API Gateway answers 403), never a thrown error (which would be a 500), and one structured log line
 * with the reason (never the token).
 *
 * Environment: `USER_POOL_ID` (`<region>_<id>`), `CLIENT_ID`, optional `TOKEN_USE`
 * (`access`|`id`, default `access`), optional `JWKS_URL` (overrides the JWKS location; for tests and
 * private mirrors — the issuer check is unchanged). Misconfiguration denies every request and logs
 * at error level. The function needs outbound HTTPS to Cognito (no IAM permissions).
 *
 * Docs: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from "aws-lambda";
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { JWTPayload, JWTVerifyGetKey } from "jose";

import { log } from "../shared/log";

/** Accepted clock skew for `exp`, `nbf` and `iat`, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Oldest accepted token (`now - iat`), in seconds: 24 h, Cognito's maximum access and id token
 * validity. Setting it also makes jose refuse an `iat` in the future.
 */
export const MAX_TOKEN_AGE_SECONDS = 86_400;

/** Longest accepted `Authorization` header value, in characters (Cognito tokens are ~1–2 KB). */
export const MAX_TOKEN_LENGTH = 8192;

/** JWKS HTTP timeout, in milliseconds (API Gateway gives an authorizer at most 29 s). */
export const JWKS_TIMEOUT_MS = 3000;

const FN = "jwt-authorizer";

/** Which Cognito token the API accepts. */
export type TokenUse = "access" | "id";

/** Authorizer settings (see {@link configFromEnv}). */
export interface AuthorizerConfig {
    /** Cognito user pool id, `<region>_<id>` (e.g. `us-east-1_AbCdEf123`). */
    userPoolId: string;
    /** App client id the token must belong to. */
    clientId: string;
    /** Accepted `token_use`. Default `access`. */
    tokenUse?: TokenUse;
    /** JWKS location. Default: the pool's Cognito JWKS URL. */
    jwksUrl?: string;
}

/** Why a request was denied; logged, never returned to the caller. */
export type DenyReason =
    | "misconfigured"
    | "missing_token"
    | "malformed_header"
    | "token_too_large"
    | "malformed_token"
    | "alg_not_allowed"
    | "bad_signature"
    | "unknown_kid"
    | "expired"
    | "not_yet_valid"
    | "wrong_issuer"
    | "wrong_audience"
    | "missing_claim"
    | "wrong_token_use"
    | "wrong_client_id"
    | "jwks_unavailable"
    | "invalid_claims"
    | "error";

/** A denial with its reason, thrown inside {@link createAuthorizer}'s verification. */
class Denied extends Error {
    constructor(readonly reason: DenyReason) {
        super(reason);
        this.name = "Denied";
    }
}

/** The pool's region from its id, or `undefined` if the id is not `<region>_<id>`. */
function regionOf(userPoolId: string): string | undefined {
    return /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/.exec(userPoolId)?.[1];
}

/** The Cognito issuer URL for a pool id, or `undefined` if the id is malformed. */
export function issuerFor(userPoolId: string): string | undefined {
    const region = regionOf(userPoolId);
    return region === undefined ? undefined : `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The resource an Allow or Deny covers: every method and path of the API stage named in
 * `methodArn` (`arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<verb>/<path>`).
 * `undefined` when `methodArn` does not have that shape.
 */
export function stageWildcard(methodArn: unknown): string | undefined {
    if (typeof methodArn !== "string") return undefined;
    const m = /^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+)\/([^/]+)\/[^/]+\/.*$/.exec(methodArn);
    return m === null ? undefined : `${m[1]}/${m[2]}/*`;
}

function policy(principalId: string, effect: "Allow" | "Deny", resource: string): APIGatewayAuthorizerResult {
    return {
        principalId,
        policyDocument: {
            Version: "2012-10-17",
            Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
        },
    };
}

/**
 * The Deny returned for every refused request: on the stage wildcard when `methodArn` parses,
 * otherwise on `*` (a Deny can only narrow access).
 */
export function denyPolicy(methodArn: unknown): APIGatewayAuthorizerResult {
    return policy("unauthorized", "Deny", stageWildcard(methodArn) ?? "*");
}

/** Maps a jose error to a deny reason by its `code` (and `claim` for claim failures). */
function reasonFromJose(err: unknown): DenyReason {
    const { code, claim } = (err ?? {}) as { code?: string; claim?: string };
    switch (code) {
        case "ERR_JWT_EXPIRED":
            return "expired";
        case "ERR_JOSE_ALG_NOT_ALLOWED":
        case "ERR_JOSE_NOT_SUPPORTED":
            return "alg_not_allowed";
        case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
            return "bad_signature";
        case "ERR_JWKS_NO_MATCHING_KEY":
        case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
            return "unknown_kid";
        case "ERR_JWS_INVALID":
        case "ERR_JWT_INVALID":
            return "malformed_token";
        case "ERR_JWT_CLAIM_VALIDATION_FAILED":
            if (claim === "nbf" || claim === "iat") return "not_yet_valid";
            if (claim === "iss") return "wrong_issuer";
            if (claim === "aud") return "wrong_audience";
            return "missing_claim";
        default:
            return "error";
    }
}

/**
 * Wraps a key resolver so that a JWKS that cannot be fetched or parsed (HTTP error, timeout,
 * network failure, bad JSON) is reported as `jwks_unavailable` rather than as a token problem.
 * "No key for this `kid`" keeps its own reason.
 */
function tagJwksFailures(keys: JWTVerifyGetKey): JWTVerifyGetKey {
    return async (header, token) => {
        try {
            return await keys(header, token);
        } catch (err) {
            const code = (err as { code?: string } | undefined)?.code;
            if (code === "ERR_JWKS_NO_MATCHING_KEY" || code === "ERR_JWKS_MULTIPLE_MATCHING_KEYS") throw err;
            throw new Denied("jwks_unavailable");
        }
    };
}

/** Reads {@link AuthorizerConfig} from `USER_POOL_ID`, `CLIENT_ID`, `TOKEN_USE`, `JWKS_URL`. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AuthorizerConfig {
    const tokenUse = env.TOKEN_USE === undefined || env.TOKEN_USE === "" ? "access" : env.TOKEN_USE;
    return {
        userPoolId: env.USER_POOL_ID ?? "",
        clientId: env.CLIENT_ID ?? "",
        tokenUse: tokenUse as TokenUse,
        jwksUrl: env.JWKS_URL === "" ? undefined : env.JWKS_URL,
    };
}

/** Every problem with a configuration (empty when usable). */
export function configProblems(config: AuthorizerConfig): string[] {
    const problems: string[] = [];
    if (issuerFor(config.userPoolId) === undefined) problems.push("USER_POOL_ID must be <region>_<id>");
    if (config.clientId === "") problems.push("CLIENT_ID must be set");
    const tokenUse = config.tokenUse ?? "access";
    if (tokenUse !== "access" && tokenUse !== "id") problems.push('TOKEN_USE must be "access" or "id"');
    if (config.jwksUrl !== undefined) {
        try {
            new URL(config.jwksUrl);
        } catch {
            problems.push("JWKS_URL must be an absolute URL");
        }
    }
    return problems;
}

/** The authorizer function returned by {@link createAuthorizer}. */
export type Authorizer = (
    event: APIGatewayTokenAuthorizerEvent,
    context?: Context,
) => Promise<APIGatewayAuthorizerResult>;

/**
 * Builds an authorizer for one configuration. The JWKS is created here, so it is cached for as long
 * as the returned function lives (the container, for {@link handler}). A configuration with problems
 * yields an authorizer that denies everything and logs `misconfigured`.
 *
 * @param keys optional key resolver replacing the remote JWKS (tests inject a local JWKS this way).
 */
export function createAuthorizer(config: AuthorizerConfig, keys?: JWTVerifyGetKey): Authorizer {
    const problems = configProblems(config);
    const tokenUse: TokenUse = config.tokenUse ?? "access";
    const issuer = issuerFor(config.userPoolId);
    const jwks =
        problems.length > 0 || issuer === undefined
            ? undefined
            : tagJwksFailures(
                  keys ??
                      createRemoteJWKSet(new URL(config.jwksUrl ?? `${issuer}/.well-known/jwks.json`), {
                          timeoutDuration: JWKS_TIMEOUT_MS,
                      }),
              );

    async function verify(authorization: unknown): Promise<JWTPayload> {
        if (jwks === undefined || issuer === undefined) throw new Denied("misconfigured");
        if (typeof authorization !== "string" || authorization.trim() === "") throw new Denied("missing_token");
        if (authorization.length > MAX_TOKEN_LENGTH) throw new Denied("token_too_large");
        const match = /^Bearer +([^\s]+)$/i.exec(authorization.trim());
        if (match === null) throw new Denied("malformed_header");
        let payload: JWTPayload;
        try {
            ({ payload } = await jwtVerify(match[1], jwks, {
                algorithms: ["RS256"],
                issuer,
                clockTolerance: CLOCK_TOLERANCE_SECONDS,
                maxTokenAge: MAX_TOKEN_AGE_SECONDS,
                requiredClaims: ["sub", "exp", "iat", "token_use"],
                ...(tokenUse === "id" ? { audience: config.clientId } : {}),
            }));
        } catch (err) {
            throw err instanceof Denied ? err : new Denied(reasonFromJose(err));
        }
        if (payload.token_use !== tokenUse) throw new Denied("wrong_token_use");
        if (tokenUse === "access" && payload.client_id !== config.clientId) throw new Denied("wrong_client_id");
        if (typeof payload.sub !== "string" || payload.sub === "") throw new Denied("invalid_claims");
        return payload;
    }

    return async (event, context) => {
        const requestId = context?.awsRequestId;
        if (problems.length > 0) {
            log("error", FN, "authorizer.decision", {
                requestId,
                effect: "Deny",
                reason: "misconfigured",
                problems: problems.join("; "),
            });
            return denyPolicy(event?.methodArn);
        }
        try {
            const payload = await verify(event?.authorizationToken);
            const resource = stageWildcard(event.methodArn);
            if (resource === undefined) throw new Denied("error");
            const sub = payload.sub as string;
            const usernameClaim = tokenUse === "access" ? payload.username : payload["cognito:username"];
            const username = typeof usernameClaim === "string" ? usernameClaim : "";
            log("info", FN, "authorizer.decision", { requestId, effect: "Allow", sub, tokenUse });
            return { ...policy(sub, "Allow", resource), context: { sub, username } };
        } catch (err) {
            const reason = err instanceof Denied ? err.reason : "error";
            log(reason === "error" || reason === "jwks_unavailable" ? "error" : "warn", FN, "authorizer.decision", {
                requestId,
                effect: "Deny",
                reason,
            });
            return denyPolicy(event?.methodArn);
        }
    };
}

let fromEnv: Authorizer | undefined;

/**
 * Lambda entry point (`index.handler`). Reads the environment on the first invocation and keeps the
 * authorizer (and so the JWKS cache) for the life of the container.
 */
export async function handler(
    event: APIGatewayTokenAuthorizerEvent,
    context?: Context,
): Promise<APIGatewayAuthorizerResult> {
    fromEnv ??= createAuthorizer(configFromEnv());
    return fromEnv(event, context);
}

/** Forgets the environment-built authorizer. For tests only. */
export function resetHandlerForTests(): void {
    fromEnv = undefined;
}
