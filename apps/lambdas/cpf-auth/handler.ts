/**
 * `POST /auth` — passwordless sign-in by CPF (API Gateway REST API, Lambda proxy integration).
 *
 * Request body: `{"cpf": "123.456.789-09"}` (punctuation optional, see `shared/cpf.ts`), at most
 * {@link MAX_BODY_BYTES} bytes. Flow, each step one Cognito admin API call:
 * 1. `AdminGetUser` with the CPF's 11 digits as the username; on `UserNotFoundException`,
 *    `AdminCreateUser` with `MessageAction: SUPPRESS` and no password. Such a user stays in
 *    `FORCE_CHANGE_PASSWORD`, which does not block `CUSTOM_AUTH` (the custom flow never checks a
 *    password); `AdminSetUserPassword` is therefore not called and no password ever exists.
 *    (AWS's own passwordless sign-up in aws-amplify/amplify-backend creates users the same way.)
 * 2. `AdminInitiateAuth` with `AuthFlow: CUSTOM_AUTH`; the define/create triggers answer with one
 *    `CUSTOM_CHALLENGE` whose public parameters carry a nonce.
 * 3. `AdminRespondToAuthChallenge` with `ANSWER = challengeAnswer(secret, cpf, nonce)`; the secret
 *    comes from Secrets Manager (cached per container) and the verify trigger recomputes it.
 * Steps 2 and 3 carry `ContextData` ({@link contextData}: the caller's address, the API's host and path,
 * the headers without credentials), so threat protection scores the customer, not this function.
 *
 * Responses (JSON, `Cache-Control: no-store`):
 * - 200 `{IdToken, AccessToken, RefreshToken, ExpiresIn, TokenType}` (Cognito's
 *   `AuthenticationResult`; `ExpiresIn` in seconds);
 * - 400 `{"error":"invalid_request"|"invalid_cpf"}` — the body is never echoed;
 * - 401 `{"error":"not_authorized"}` when Cognito refuses the sign-in (disabled user, failed
 *   challenge, …); 429 `{"error":"too_many_requests"}` when Cognito throttles;
 * - 405 for a method other than POST; 500 `{"error":"internal_error"}` otherwise, without details.
 * Every error body carries `requestId` (the Lambda request id) for support.
 *
 * Environment: `USER_POOL_ID`, `CLIENT_ID` (an app client without a secret that allows
 * `ALLOW_CUSTOM_AUTH`), `CHALLENGE_SECRET_ARN`. IAM: `cognito-idp:AdminGetUser`,
 * `AdminCreateUser`, `AdminInitiateAuth`, `AdminRespondToAuthChallenge` on the pool;
 * `secretsmanager:GetSecretValue` on the secret.
 *
 * Logs: one JSON line per request (`event: "auth.completed"`) with `requestId`, `apiRequestId`,
 * `outcome`, the masked CPF (`***.***.*89-09`), `userCreated`, `durationMs`, and on failure the
 * failing `step` and the AWS error name — never tokens, the secret, the answer or the body.
 *
 * APIs: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRespondToAuthChallenge.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import {
    AdminCreateUserCommand,
    AdminGetUserCommand,
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    CognitoIdentityProviderClient,
    type ContextDataType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";

import { challengeAnswer, CUSTOM_CHALLENGE, NONCE_PARAMETER } from "../shared/challenge";
import { maskCpf, parseCpf } from "../shared/cpf";
import { errorName, log } from "../shared/log";
import { getChallengeSecret } from "../shared/secret";

/** Largest accepted request body, in bytes after base64 decoding. */
export const MAX_BODY_BYTES = 1024;

const FN = "cpf-auth";

/** Cognito error names that mean "this sign-in is refused" (mapped to 401) during steps 2–3. */
const REFUSALS = new Set([
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "CodeMismatchException",
    "ExpiredCodeException",
]);

/** Request headers never passed to Cognito as context data: credentials (the API key, tokens, cookies). */
export const WITHHELD_HEADERS = new Set([
    "authorization",
    "cookie",
    "proxy-authorization",
    "x-api-key",
    "x-amz-security-token",
]);

/**
 * The customer's request as Cognito threat protection scores it (`ContextDataType`): the caller's address as
 * API Gateway saw it (`requestContext.identity.sourceIp`), the API's host and path, and the request's
 * headers in the order received, credentials withheld. Without it every sign-in would be scored as coming
 * from this function's NAT address. `undefined` when the event has no source address (not from API
 * Gateway): `IpAddress` is required.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ContextDataType.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-adaptive-authentication.html
 */
export function contextData(event: APIGatewayProxyEvent): ContextDataType | undefined {
    const rc = event.requestContext;
    const ip = rc?.identity?.sourceIp;
    if (!ip) return undefined;
    return {
        IpAddress: ip,
        ServerName: rc.domainName ?? event.headers?.Host ?? event.headers?.host ?? "",
        ServerPath: rc.path ?? event.path ?? "",
        HttpHeaders: Object.entries(event.headers ?? {})
            .filter(([name, value]) => value !== undefined && !WITHHELD_HEADERS.has(name.toLowerCase()))
            .map(([name, value]) => ({ headerName: name, headerValue: value })),
    };
}

/** Cognito throttling error names (mapped to 429). */
const THROTTLES = new Set(["TooManyRequestsException", "LimitExceededException"]);

// Region from AWS_REGION, which Lambda sets. One client per container.
const cognito = new CognitoIdentityProviderClient({});

type Step = "lookup" | "create" | "initiate" | "secret" | "respond";

/** An error raised by our own checks on Cognito's answers (not by the SDK). */
class UnexpectedResponse extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UnexpectedCognitoResponse";
    }
}

/** Cognito tokens as returned to the client. */
interface Tokens {
    IdToken: string;
    AccessToken: string;
    RefreshToken?: string;
    ExpiresIn?: number;
    TokenType?: string;
}

interface Config {
    userPoolId: string;
    clientId: string;
    secretArn: string;
}

function readConfig(): Config | string[] {
    const userPoolId = process.env.USER_POOL_ID ?? "";
    const clientId = process.env.CLIENT_ID ?? "";
    const secretArn = process.env.CHALLENGE_SECRET_ARN ?? "";
    const missing = [
        ...(userPoolId === "" ? ["USER_POOL_ID"] : []),
        ...(clientId === "" ? ["CLIENT_ID"] : []),
        ...(secretArn === "" ? ["CHALLENGE_SECRET_ARN"] : []),
    ];
    return missing.length > 0 ? missing : { userPoolId, clientId, secretArn };
}

function respond(statusCode: number, body: object, extraHeaders: Record<string, string> = {}): APIGatewayProxyResult {
    return {
        statusCode,
        headers: {
            "Content-Type": "application/json",
            // Token responses must not be cached (RFC 6749 section 5.1).
            "Cache-Control": "no-store",
            Pragma: "no-cache",
            "X-Content-Type-Options": "nosniff",
            ...extraHeaders,
        },
        body: JSON.stringify(body),
    };
}

/** Reads `cpf` from the body; `undefined` when the body is not a small JSON object. */
function readCpfField(event: APIGatewayProxyEvent): { cpf: unknown } | undefined {
    if (typeof event.body !== "string") return undefined;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
    if (raw.length === 0 || raw.length > MAX_BODY_BYTES) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw.toString("utf8"));
    } catch {
        return undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    return { cpf: (parsed as Record<string, unknown>).cpf };
}

/**
 * Lambda entry point (`index.handler` in the bundle). Never throws: every failure is a response.
 */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
    const started = Date.now();
    const requestId = context?.awsRequestId;
    const apiRequestId = event?.requestContext?.requestId;
    const done = (
        level: "info" | "warn" | "error",
        outcome: string,
        fields: Record<string, string | number | boolean | undefined> = {},
    ): void =>
        log(level, FN, "auth.completed", {
            requestId,
            apiRequestId,
            outcome,
            ...fields,
            durationMs: Date.now() - started,
        });

    const config = readConfig();
    if (Array.isArray(config)) {
        done("error", "misconfigured", { missingEnv: config.join(",") });
        return respond(500, { error: "internal_error", requestId });
    }
    if (event.httpMethod !== undefined && event.httpMethod !== "POST") {
        done("warn", "method_not_allowed", { method: event.httpMethod.slice(0, 16) });
        return respond(405, { error: "method_not_allowed", requestId }, { Allow: "POST" });
    }
    const field = readCpfField(event);
    if (field === undefined) {
        done("warn", "invalid_request");
        return respond(400, {
            error: "invalid_request",
            message: 'Body must be a JSON object {"cpf": "..."}.',
            requestId,
        });
    }
    const parsed = parseCpf(field.cpf);
    if (!parsed.ok) {
        done("warn", "invalid_cpf", { reason: parsed.reason });
        return respond(400, {
            error: "invalid_cpf",
            message: "CPF must have 11 digits with valid check digits.",
            requestId,
        });
    }
    const cpf = parsed.cpf;
    const masked = maskCpf(cpf);

    const requestContextData = contextData(event);
    const withContext = requestContextData ? { ContextData: requestContextData } : {};
    let step: Step = "lookup";
    let userCreated = false;
    try {
        userCreated = await ensureUser(config, cpf, (s) => (step = s));
        step = "initiate";
        const initiated = await cognito.send(
            new AdminInitiateAuthCommand({
                UserPoolId: config.userPoolId,
                ClientId: config.clientId,
                AuthFlow: "CUSTOM_AUTH",
                AuthParameters: { USERNAME: cpf },
                ...withContext,
            }),
        );
        const nonce = initiated.ChallengeParameters?.[NONCE_PARAMETER];
        if (initiated.ChallengeName !== CUSTOM_CHALLENGE || !initiated.Session || !nonce) {
            throw new UnexpectedResponse("AdminInitiateAuth did not return the custom challenge");
        }
        step = "secret";
        const secret = await getChallengeSecret(config.secretArn);
        step = "respond";
        const answered = await cognito.send(
            new AdminRespondToAuthChallengeCommand({
                UserPoolId: config.userPoolId,
                ClientId: config.clientId,
                ChallengeName: CUSTOM_CHALLENGE,
                Session: initiated.Session,
                ChallengeResponses: { USERNAME: cpf, ANSWER: challengeAnswer(secret, cpf, nonce) },
                ...withContext,
            }),
        );
        const result = answered.AuthenticationResult;
        if (!result?.IdToken || !result.AccessToken) {
            throw new UnexpectedResponse("AdminRespondToAuthChallenge did not return tokens");
        }
        const tokens: Tokens = {
            IdToken: result.IdToken,
            AccessToken: result.AccessToken,
            RefreshToken: result.RefreshToken,
            ExpiresIn: result.ExpiresIn,
            TokenType: result.TokenType,
        };
        done("info", "authenticated", { cpf: masked, userCreated });
        return respond(200, tokens);
    } catch (err) {
        const name = errorName(err);
        const authStep = step === "initiate" || step === "respond";
        if (authStep && REFUSALS.has(name)) {
            done("warn", "refused", { cpf: masked, userCreated, step, error: name });
            return respond(401, { error: "not_authorized", requestId });
        }
        if (THROTTLES.has(name)) {
            done("warn", "throttled", { cpf: masked, userCreated, step, error: name });
            return respond(429, { error: "too_many_requests", requestId }, { "Retry-After": "1" });
        }
        done("error", "error", { cpf: masked, userCreated, step, error: name });
        return respond(500, { error: "internal_error", requestId });
    }
}

/**
 * Makes sure the Cognito user `cpf` exists. Returns `true` when this call created it. A concurrent
 * creation (`UsernameExistsException`) counts as existing.
 */
async function ensureUser(config: Config, cpf: string, setStep: (s: Step) => void): Promise<boolean> {
    setStep("lookup");
    try {
        await cognito.send(new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: cpf }));
        return false;
    } catch (err) {
        if (errorName(err) !== "UserNotFoundException") throw err;
    }
    setStep("create");
    try {
        await cognito.send(
            new AdminCreateUserCommand({ UserPoolId: config.userPoolId, Username: cpf, MessageAction: "SUPPRESS" }),
        );
        return true;
    } catch (err) {
        if (errorName(err) === "UsernameExistsException") return false;
        throw err;
    }
}
