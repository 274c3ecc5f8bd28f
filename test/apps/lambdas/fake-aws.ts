/**
 * A local stand-in for AWS JSON-protocol endpoints (DynamoDB, EventBridge, Secrets Manager) for the
 * coffee-shop bundle tests: an HTTP server on 127.0.0.1 that records every call (target, body, signature
 * header) and answers with what the test scripted per `X-Amz-Target`. The bundled SDK clients reach it
 * through the SDK's service-specific endpoint variables (`AWS_ENDPOINT_URL_DYNAMODB`, ...; see
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
    target: string;
    body: Record<string, any>;
    authorization: string;
    contentType: string;
}

/** An answer: a JSON body with status 200, or `{status, body}` (e.g. an error `{__type, message}`). */
export type Answer = Record<string, unknown> | { status: number; body: Record<string, unknown> };
type Script = (body: Record<string, any>) => Answer;

export class FakeAws {
    readonly calls: RecordedCall[] = [];
    private readonly scripts = new Map<string, Script>();
    private server?: Server;

    /** Answers calls to `target` (e.g. `DynamoDB_20120810.GetItem`) with `answer(body)`. */
    on(target: string, answer: Script): this {
        this.scripts.set(target, answer);
        return this;
    }

    reset(): void {
        this.calls.length = 0;
        this.scripts.clear();
    }

    targets(): string[] {
        return this.calls.map((c) => c.target);
    }

    async start(): Promise<string> {
        this.server = createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                const target = String(req.headers["x-amz-target"] ?? "");
                const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, any>;
                this.calls.push({
                    target,
                    body,
                    authorization: String(req.headers.authorization ?? ""),
                    contentType: String(req.headers["content-type"] ?? ""),
                });
                const script = this.scripts.get(target);
                const answer: Answer = script
                    ? script(body)
                    : {
                          status: 400,
                          body: {
                              __type: "com.amazon.coral.service#UnknownOperationException",
                              message: `no script for ${target}`,
                          },
                      };
                const [status, payload] =
                    "status" in answer && typeof answer.status === "number"
                        ? [answer.status, (answer as { body: unknown }).body]
                        : [200, answer];
                res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
                res.end(JSON.stringify(payload));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    }

    stop(): Promise<void> {
        return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/**
 * The environment of a Lambda execution environment in `sa-east-1` whose AWS endpoints are `endpoint`
 * (static test credentials; no shared config files or instance metadata are read), plus `extra`.
 */
export function lambdaEnvironment(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "sa-east-1",
        AWS_ACCESS_KEY_ID: "AKIDTESTONLY",
        AWS_SECRET_ACCESS_KEY: "test-secret-key",
        AWS_SESSION_TOKEN: "test-session-token",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
        // The bundled SDK warns that it will need Node 22 (the Lambda runtime); tests may run on Node 20.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...extra,
    };
}
