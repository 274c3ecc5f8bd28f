/**
 * AWS SDK v3 clients for the coffee-shop functions, made once per execution environment (module scope
 * of each handler) and reused across invocations.
 *
 * - Region and credentials come from the Lambda runtime's environment (`AWS_REGION`,
 *   `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) through the SDK's default
 *   providers; nothing is passed explicitly.
 * - Timeouts: {@link CLIENT_CONFIG} bounds every attempt (connect 1 s, whole request and response 2 s,
 *   a `TimeoutError` when exceeded) and the SDK's standard retry mode makes at most 3 attempts with
 * jittered backoff, so a call gives up within about 6.5 s, inside the functions' 10 s timeout. Errors keep the
 * service's error code as `name`
 *   (`ConditionalCheckFailedException`, `ProvisionedThroughputExceededException`, ...).
 * - DynamoDB items are plain JavaScript values through `DynamoDBDocumentClient` (`@aws-sdk/lib-dynamodb`)
 *   with its default marshalling: `undefined` attributes, `NaN` and `Infinity` are refused (thrown), and
 *   numbers read back as `number` (a value beyond `Number.MAX_SAFE_INTEGER` throws rather than losing
 *   precision).
 *
 * Tests mock the clients' `send` with `aws-sdk-client-mock` (`mockClient(DynamoDBDocumentClient)`,
 * `mockClient(EventBridgeClient)`), or send them to a local DynamoDB-compatible server (dynalite) through
 * the SDK's standard `AWS_ENDPOINT_URL_DYNAMODB` variable, which the Lambda runtime never sets
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *
 * Docs: https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html (clients outside the handler),
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler/ (timeouts),
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Client settings shared by every coffee-shop SDK client: at most 3 attempts (the SDK's standard
 * retry mode; `TimeoutError` is retried), per attempt `connectionTimeout` 1000 ms and `requestTimeout`
 * 2000 ms for request and response. `throwOnRequestTimeout` is required for the latter to fail the
 * attempt: without it `@smithy/node-http-handler` 4.4+ only logs a warning.
 */
export const CLIENT_CONFIG = {
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
} as const;

/** A DynamoDB document client (plain values in and out) over a {@link CLIENT_CONFIG} DynamoDB client. */
export function newDocumentClient(): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(new DynamoDBClient(CLIENT_CONFIG));
}

/** An EventBridge client with {@link CLIENT_CONFIG}. */
export function newEventBridgeClient(): EventBridgeClient {
    return new EventBridgeClient(CLIENT_CONFIG);
}
