/**
 * JSON responses for API Gateway Lambda proxy integrations, with the CORS header for the one origin
 * the web app is served from (`ALLOWED_ORIGIN`; absent -> no CORS header, so browsers refuse).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
import type { APIGatewayProxyResult } from "aws-lambda";

/** A JSON response; `cacheSeconds` > 0 lets browsers and CloudFront keep it, otherwise `no-store`. */
export function json(
    statusCode: number,
    body: unknown,
    cacheSeconds = 0,
    extraHeaders: Record<string, string> = {},
): APIGatewayProxyResult {
    const origin = process.env.ALLOWED_ORIGIN;
    return {
        statusCode,
        headers: {
            "Content-Type": "application/json",
            "Cache-Control": cacheSeconds > 0 ? `public, max-age=${cacheSeconds}` : "no-store",
            "X-Content-Type-Options": "nosniff",
            ...(origin ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {}),
            ...extraHeaders,
        },
        body: JSON.stringify(body),
    };
}

/** Parses a JSON object body of at most `maxBytes`; `undefined` for anything else. */
export function jsonBody(
    body: string | null,
    isBase64Encoded: boolean,
    maxBytes: number,
): Record<string, unknown> | undefined {
    if (typeof body !== "string") return undefined;
    const raw = isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
    if (raw.length === 0 || raw.length > maxBytes) return undefined;
    try {
        const parsed: unknown = JSON.parse(raw.toString("utf8"));
        return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : undefined;
    } catch {
        return undefined;
    }
}
