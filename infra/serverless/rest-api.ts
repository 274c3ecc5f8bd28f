/**
 * An API Gateway REST API (`platform:serverless:RestApi`) described route by route, built from plain
 * `@pulumi/aws` resources (`Resource`, `Method`, `Integration`, ...) so tests and the policy pack see
 * every method's authorization:
 *
 * - routes `"<METHOD> <path>"` (`POST /auth`, `GET /products/{productId}`, `ANY /{proxy+}`), each either
 *   behind a named authorizer (a Lambda TOKEN authorizer or a Cognito user pool authorizer) or
 *   explicitly public with a reason (which the caller must also list in the policy pack's
 *   `publicRoutes`);
 * - integrations: Lambda proxy (`AWS_PROXY`; the function is granted invocation for that method and
 *   path only) or HTTP proxy through a VPC link to a private load balancer (`HTTP_PROXY`,
 *   `VPC_LINK`), forwarding the authorizer's `sub` as the `X-Authenticated-Sub` header (API Gateway
 *   overwrites whatever a client sends in it);
 * - request validation: a JSON schema model for the body and/or required parameters, checked by API
 *   Gateway before any integration runs (400 otherwise);
 * - one stage: access logs (JSON, one line per request) and execution logs (errors) in KMS-encrypted
 *   log groups with retention, X-Ray active tracing, CloudWatch metrics, stage-wide throttling; no
 *   data tracing (it would log request bodies);
 * - optional usage plan (throttling and quota per API key, keys required on every method but
 *   OPTIONS) and CORS: preflight (`OPTIONS`, mock integration, on every path with a route) and the
 *   origin on API Gateway's own error responses (gateway responses `DEFAULT_4XX`, `DEFAULT_5XX`);
 * - one deployment, replaced whenever anything it serves changes (a hash of every input above).
 *
 * WAF attaches to the stage from outside (`WebAcl` with `associations: { api: stageArn }`).
 *
 * References: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import { apiGatewayAccount } from "./api-gateway-account";
import type { LambdaFunction } from "./lambda-function";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Gateway responses that carry the CORS origin when `cors` is set: the fallbacks of every 4XX and 5XX type. */
export const GATEWAY_RESPONSE_TYPES = ["DEFAULT_4XX", "DEFAULT_5XX"] as const;
/** API Gateway's default gateway response body (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html). */
export const GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}';

/** Header carrying the authenticated subject to HTTP backends (from the authorizer's context). */
export const AUTHENTICATED_SUB_HEADER = "X-Authenticated-Sub";

/** The fields of every access log line (`$context` variables), as API Gateway documents them. */
export const ACCESS_LOG_FORMAT = {
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    userAgent: "$context.identity.userAgent",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integration.latency",
    integrationStatus: "$context.integration.status",
    principalId: "$context.authorizer.principalId",
    authorizerError: "$context.authorizer.error",
    wafStatus: "$context.waf.status",
    xrayTraceId: "$context.xrayTraceId",
} as const;

export type Authorizer =
    /** A Lambda TOKEN authorizer reading `Authorization`; its policy is cached per token for `resultTtlSeconds` (0-3600, default 300). */
    | { type: "token"; function: LambdaFunction; resultTtlSeconds?: number }
    /** A Cognito user pool authorizer (id or access tokens of these pools) reading `Authorization`. */
    | { type: "cognito"; userPoolArns: pulumi.Input<string>[]; resultTtlSeconds?: number };

export type Integration =
    | { type: "lambda"; function: LambdaFunction }
    /** HTTP proxy through a VPC link: `uri` is `http://<internal load balancer DNS name>/...` (may use `{proxy}`). */
    | { type: "vpc-link"; vpcLinkId: pulumi.Input<string>; uri: pulumi.Input<string>; timeoutMilliseconds?: number };

export interface RouteSpec {
    /** `{ authorizer: <key of authorizers> }`, or `{ public: <why this route needs no credentials> }`. */
    auth: { authorizer: string } | { public: string };
    integration: Integration;
    /** JSON schema (draft 4) of the body; API Gateway rejects other bodies with 400 before the integration runs. */
    bodySchema?: Record<string, unknown>;
    /** Query string parameters that must be present (API Gateway rejects the request otherwise). Default none. */
    requiredQueryParameters?: string[];
}

export interface UsagePlanSpec {
    /** Steady-state requests per second per API key. */
    rateLimit: number;
    /** Burst capacity per API key. */
    burstLimit: number;
    /** Requests per key per `quotaPeriod`; default no quota. */
    quotaLimit?: number;
    quotaPeriod?: "DAY" | "WEEK" | "MONTH";
    /** One API key per client application, keyed by a stable name. At least one. */
    apiKeys: string[];
}

export interface RestApiArgs {
    /** API name (shown in the console), e.g. `platform-dev-postech`. */
    apiName: string;
    description: string;
    /** Routes keyed by `"<METHOD> <path>"`. At least one. */
    routes: Record<string, RouteSpec>;
    /** Authorizers keyed by a stable name. Default none. */
    authorizers?: Record<string, Authorizer>;
    stage: {
        /** Stage name, e.g. `v1`. */
        name: string;
        /** Stage-wide steady-state requests per second (all clients together). */
        rateLimit: number;
        /** Stage-wide burst. */
        burstLimit: number;
        /** Access and execution log groups: KMS key of the logs key, retention, access log group name. */
        logs: { accessLogGroupName: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    };
    /** Usage plan and API keys; every method but OPTIONS then requires a key. Default none. */
    usagePlan?: UsagePlanSpec;
    /** CORS: origins allowed to call the API from a browser (exact origins, no `*`). Default none (no preflight). */
    cors?: { allowOrigins: pulumi.Input<string>[]; allowHeaders?: string[] };
    /** Where the account's API Gateway CloudWatch setting is registered (the foundation); default the stack. */
    accountSettingParent?: pulumi.Resource;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

interface ParsedRoute {
    key: string;
    method: HttpMethod;
    path: string;
    spec: RouteSpec;
}

const SEGMENT = /^([A-Za-z0-9._-]+|\{[A-Za-z][A-Za-z0-9_]*\}|\{proxy\+\})$/;
const KEY = /^[a-z][a-z0-9-]{0,30}$/;

/** `/orders/{orderId}` -> `orders-orderId`; `/` -> `root`; used in logical names. */
export function pathSlug(path: string): string {
    const slug = path
        .split("/")
        .filter(Boolean)
        .map((s) => s.replace(/[{}+]/g, ""))
        .join("-");
    return slug === "" ? "root" : slug;
}

/** The `execute-api` ARN suffix of a route: path parameters become `*` (`GET/orders/*`). */
export function routeArnSuffix(method: HttpMethod, path: string): string {
    const p = path
        .split("/")
        .map((s) => (s.startsWith("{") ? "*" : s))
        .join("/");
    return `${method === "ANY" ? "*" : method}${p}`;
}

function parseRoutes(routes: Record<string, RouteSpec>, problems: string[]): ParsedRoute[] {
    const parsed: ParsedRoute[] = [];
    for (const [key, spec] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
        const m = /^([A-Z]+) (\/\S*)$/.exec(key);
        if (!m || !(HTTP_METHODS as readonly string[]).includes(m[1])) {
            problems.push(
                `routes: ${JSON.stringify(key)} must be "<METHOD> <path>" with METHOD one of ${HTTP_METHODS.join(", ")}`,
            );
            continue;
        }
        const path = m[2].length > 1 ? m[2].replace(/\/$/, "") : m[2];
        const segments = path.split("/").filter(Boolean);
        const bad = segments.filter((s) => !SEGMENT.test(s));
        if (bad.length > 0)
            problems.push(
                `routes: ${key} has invalid path segments ${bad.join(", ")} (letters, digits, . _ -, {param} or a final {proxy+})`,
            );
        if (segments.slice(0, -1).includes("{proxy+}"))
            problems.push(`routes: ${key}: {proxy+} may only be the last segment`);
        parsed.push({ key, method: m[1] as HttpMethod, path, spec });
    }
    return parsed;
}

function problemsOf(args: RestApiArgs, routes: ParsedRoute[]): string[] {
    const p: string[] = [];
    const authorizers = args.authorizers ?? {};
    if (Object.keys(args.routes).length === 0) p.push("routes must hold at least one route");
    for (const [key, a] of Object.entries(authorizers)) {
        if (!KEY.test(key))
            p.push(
                `authorizers: name ${JSON.stringify(key)} must be 1-31 lower-case letters, digits and -, starting with a letter`,
            );
        const ttl = a.resultTtlSeconds ?? 300;
        if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
            p.push(`authorizers.${key}.resultTtlSeconds must be 0-3600; got ${ttl}`);
        if (a.type === "cognito" && a.userPoolArns.length === 0)
            p.push(`authorizers.${key}.userPoolArns must name at least one user pool`);
    }
    for (const r of routes) {
        const auth = r.spec.auth;
        if ("authorizer" in auth && !(auth.authorizer in authorizers))
            p.push(`routes.${r.key}: unknown authorizer ${JSON.stringify(auth.authorizer)}`);
        if ("public" in auth && auth.public.trim().length < 10)
            p.push(
                `routes.${r.key}: a public route needs a reason of at least 10 characters (the policy pack's publicRoutes asks for the same)`,
            );
        const i = r.spec.integration;
        if (
            i.type === "vpc-link" &&
            i.timeoutMilliseconds !== undefined &&
            (!Number.isInteger(i.timeoutMilliseconds) || i.timeoutMilliseconds < 50 || i.timeoutMilliseconds > 29000)
        )
            p.push(`routes.${r.key}.integration.timeoutMilliseconds must be 50-29000; got ${i.timeoutMilliseconds}`);
        if (r.spec.bodySchema !== undefined && ["GET", "HEAD", "DELETE"].includes(r.method))
            p.push(`routes.${r.key}: bodySchema on a ${r.method} route (no body)`);
        for (const q of r.spec.requiredQueryParameters ?? [])
            if (!/^[A-Za-z0-9_.-]+$/.test(q))
                p.push(`routes.${r.key}.requiredQueryParameters: ${JSON.stringify(q)} is not a parameter name`);
    }
    const seen = new Set<string>();
    for (const r of routes) {
        const k = `${r.method} ${r.path}`;
        if (seen.has(k)) p.push(`routes: ${k} appears twice`);
        seen.add(k);
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(args.stage.name))
        p.push(`stage.name must be 1-128 letters, digits, - and _; got ${JSON.stringify(args.stage.name)}`);
    if (!(args.stage.rateLimit > 0) || !Number.isInteger(args.stage.burstLimit) || args.stage.burstLimit < 1)
        p.push(
            `stage.rateLimit must be > 0 and stage.burstLimit a positive integer; got ${args.stage.rateLimit}/${args.stage.burstLimit}`,
        );
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.stage.logs.retentionInDays))
        p.push(
            `stage.logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); got ${args.stage.logs.retentionInDays}`,
        );
    const u = args.usagePlan;
    if (u) {
        if (!(u.rateLimit > 0) || !Number.isInteger(u.burstLimit) || u.burstLimit < 1)
            p.push(
                `usagePlan.rateLimit must be > 0 and usagePlan.burstLimit a positive integer; got ${u.rateLimit}/${u.burstLimit}`,
            );
        if (u.rateLimit > args.stage.rateLimit || u.burstLimit > args.stage.burstLimit)
            p.push(
                `usagePlan limits (${u.rateLimit}/${u.burstLimit}) must not exceed the stage's (${args.stage.rateLimit}/${args.stage.burstLimit})`,
            );
        if ((u.quotaLimit === undefined) !== (u.quotaPeriod === undefined))
            p.push("usagePlan.quotaLimit and usagePlan.quotaPeriod go together");
        if (u.quotaLimit !== undefined && (!Number.isInteger(u.quotaLimit) || u.quotaLimit < 1))
            p.push(`usagePlan.quotaLimit must be a positive integer; got ${u.quotaLimit}`);
        if (u.apiKeys.length === 0) p.push("usagePlan.apiKeys must name at least one client application");
        for (const k of u.apiKeys)
            if (!KEY.test(k))
                p.push(`usagePlan.apiKeys: ${JSON.stringify(k)} must be 1-31 lower-case letters, digits and -`);
    }
    if (args.cors && args.cors.allowOrigins.length === 0) p.push("cors.allowOrigins must name at least one origin");
    return p;
}

export class RestApi extends pulumi.ComponentResource {
    readonly restApiId: pulumi.Output<string>;
    /** `arn:aws:execute-api:<region>:<account>:<api id>`: the prefix of method ARNs. */
    readonly executionArn: pulumi.Output<string>;
    readonly stageName: pulumi.Output<string>;
    /** `arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`: what WAF associates with. */
    readonly stageArn: pulumi.Output<string>;
    /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
    readonly invokeUrl: pulumi.Output<string>;
    readonly accessLogGroupName: pulumi.Output<string>;
    /** API key ids by client name (values: `aws apigateway get-api-key --api-key <id> --include-value`). */
    readonly apiKeyIds: Record<string, pulumi.Output<string>>;
    /** What the deployment serves: `[kind, logical name, inputs]` of every API part, in registration order. */
    readonly servedConfiguration: pulumi.Output<unknown[]>;
    /** SHA-256 (hex) of the JSON of {@link servedConfiguration}: the deployment's trigger. */
    readonly deploymentTrigger: pulumi.Output<string>;

    constructor(name: string, args: RestApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:serverless:RestApi", name, {}, opts);
        const problems: string[] = [];
        const routes = parseRoutes(args.routes, problems);
        problems.push(...problemsOf(args, routes));
        if (problems.length > 0) throw new Error(`RestApi ${name}: ${problems.join("; ")}`);
        const child = { parent: this };
        const apiKeyRequired = args.usagePlan !== undefined;

        const api = new aws.apigateway.RestApi(
            name,
            {
                name: args.apiName,
                description: args.description,
                endpointConfiguration: { types: "REGIONAL" },
                apiKeySource: "HEADER",
                tags: args.tags,
            },
            child,
        );
        const executionArn = api.executionArn;
        // What a deployment snapshots: the inputs of every resource, method, integration, authorizer, model,
        // validator and gateway response, recorded as they are registered and hashed into the deployment's
        // trigger, so any change the stage would serve makes a new deployment (a deployment is an immutable
        // snapshot of the API: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-deployments.html).
        const served: [string, string, unknown][] = [];
        const serve = <T>(kind: string, logicalName: string, inputs: T): T => {
            served.push([kind, logicalName, inputs]);
            return inputs;
        };

        // ------------------------------------------------------------ resources (one per path segment)
        const resourceIds = new Map<string, pulumi.Output<string>>([["/", api.rootResourceId]]);
        const resourceOf = (path: string): pulumi.Output<string> => {
            const known = resourceIds.get(path);
            if (known) return known;
            const cut = path.lastIndexOf("/");
            const parentPath = cut === 0 ? "/" : path.slice(0, cut);
            const resource = new aws.apigateway.Resource(
                `${name}-${pathSlug(path)}`,
                serve("Resource", `${name}-${pathSlug(path)}`, {
                    restApi: api.id,
                    parentId: resourceOf(parentPath),
                    pathPart: path.slice(cut + 1),
                }),
                child,
            );
            resourceIds.set(path, resource.id);
            return resource.id;
        };

        // ------------------------------------------------------------ authorizers
        const authorizerIds: Record<string, pulumi.Output<string>> = {};
        const authorizerTypes: Record<string, "CUSTOM" | "COGNITO_USER_POOLS"> = {};
        for (const [key, a] of Object.entries(args.authorizers ?? {}).sort(([x], [y]) => x.localeCompare(y))) {
            const authorizer = new aws.apigateway.Authorizer(
                `${name}-${key}`,
                serve("Authorizer", `${name}-${key}`, {
                    name: key,
                    restApi: api.id,
                    type: a.type === "token" ? "TOKEN" : "COGNITO_USER_POOLS",
                    identitySource: "method.request.header.Authorization",
                    authorizerUri: a.type === "token" ? a.function.invokeArn : undefined,
                    providerArns: a.type === "cognito" ? a.userPoolArns : undefined,
                    authorizerResultTtlInSeconds: a.resultTtlSeconds ?? 300,
                }),
                child,
            );
            if (a.type === "token")
                a.function.grantInvoke(`apigw-authorizer-${key}`, {
                    principal: "apigateway.amazonaws.com",
                    sourceArn: pulumi.interpolate`${executionArn}/authorizers/${authorizer.id}`,
                });
            authorizerIds[key] = authorizer.id;
            authorizerTypes[key] = a.type === "token" ? "CUSTOM" : "COGNITO_USER_POOLS";
        }

        // ------------------------------------------------------------ validators
        const needsBody = routes.some((r) => r.spec.bodySchema !== undefined);
        const needsParams = routes.some((r) => (r.spec.requiredQueryParameters ?? []).length > 0);
        const validators: Record<string, aws.apigateway.RequestValidator> = {};
        if (needsBody)
            validators.body = new aws.apigateway.RequestValidator(
                `${name}-validate-body`,
                serve("RequestValidator", `${name}-validate-body`, {
                    restApi: api.id,
                    name: "body-and-parameters",
                    validateRequestBody: true,
                    validateRequestParameters: true,
                }),
                child,
            );
        if (needsParams)
            validators.params = new aws.apigateway.RequestValidator(
                `${name}-validate-params`,
                serve("RequestValidator", `${name}-validate-params`, {
                    restApi: api.id,
                    name: "parameters",
                    validateRequestBody: false,
                    validateRequestParameters: true,
                }),
                child,
            );

        // ------------------------------------------------------------ methods and integrations
        const dependencies: pulumi.Resource[] = [];
        for (const r of routes) {
            const slug = `${r.method.toLowerCase()}-${pathSlug(r.path)}`;
            const resourceId = resourceOf(r.path);
            const auth = r.spec.auth;
            const pathParams = r.path
                .split("/")
                .filter((s) => s.startsWith("{"))
                .map((s) => s.replace(/[{}+]/g, ""));
            const requestParameters: Record<string, boolean> = {};
            for (const param of pathParams) requestParameters[`method.request.path.${param}`] = true;
            for (const q of r.spec.requiredQueryParameters ?? [])
                requestParameters[`method.request.querystring.${q}`] = true;
            let model: aws.apigateway.Model | undefined;
            if (r.spec.bodySchema) {
                model = new aws.apigateway.Model(
                    `${name}-${slug}-body`,
                    serve("Model", `${name}-${slug}-body`, {
                        restApi: api.id,
                        name: `${pathSlug(r.path).replace(/[^A-Za-z0-9]/g, "")}${r.method.charAt(0)}${r.method.slice(1).toLowerCase()}Body`,
                        contentType: "application/json",
                        schema: JSON.stringify({
                            $schema: "http://json-schema.org/draft-04/schema#",
                            ...r.spec.bodySchema,
                        }),
                    }),
                    child,
                );
            }
            const validator = model
                ? validators.body
                : (r.spec.requiredQueryParameters ?? []).length > 0
                  ? validators.params
                  : undefined;
            const method = new aws.apigateway.Method(
                `${name}-${slug}`,
                serve("Method", `${name}-${slug}`, {
                    restApi: api.id,
                    resourceId,
                    httpMethod: r.method,
                    authorization: "authorizer" in auth ? authorizerTypes[auth.authorizer] : "NONE",
                    authorizerId: "authorizer" in auth ? authorizerIds[auth.authorizer] : undefined,
                    apiKeyRequired,
                    requestValidatorId: validator?.id,
                    requestModels: model ? { "application/json": model.name } : undefined,
                    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
                }),
                child,
            );
            const i = r.spec.integration;
            let integration: aws.apigateway.Integration;
            if (i.type === "lambda") {
                integration = new aws.apigateway.Integration(
                    `${name}-${slug}`,
                    serve("Integration", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        type: "AWS_PROXY",
                        integrationHttpMethod: "POST",
                        uri: i.function.invokeArn,
                        timeoutMilliseconds: 29000,
                    }),
                    child,
                );
                i.function.grantInvoke(`apigw-${slug}`, {
                    principal: "apigateway.amazonaws.com",
                    sourceArn: pulumi.interpolate`${executionArn}/*/${routeArnSuffix(r.method, r.path)}`,
                });
            } else {
                const forwarded: Record<string, string> = {};
                for (const param of pathParams)
                    forwarded[`integration.request.path.${param}`] = `method.request.path.${param}`;
                if ("authorizer" in auth) {
                    forwarded[`integration.request.header.${AUTHENTICATED_SUB_HEADER}`] =
                        authorizerTypes[auth.authorizer] === "CUSTOM"
                            ? "context.authorizer.principalId"
                            : "context.authorizer.claims.sub";
                }
                integration = new aws.apigateway.Integration(
                    `${name}-${slug}`,
                    serve("Integration", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        type: "HTTP_PROXY",
                        integrationHttpMethod: r.method,
                        uri: i.uri,
                        connectionType: "VPC_LINK",
                        connectionId: i.vpcLinkId,
                        requestParameters: forwarded,
                        timeoutMilliseconds: i.timeoutMilliseconds ?? 29000,
                    }),
                    child,
                );
            }
            dependencies.push(method, integration);
        }

        // ------------------------------------------------------------ CORS preflight
        if (args.cors) {
            const allowHeaders = [
                "Authorization",
                "Content-Type",
                ...(apiKeyRequired ? ["X-Api-Key"] : []),
                ...(args.cors.allowHeaders ?? []),
            ].join(",");
            const byPath = new Map<string, Set<string>>();
            for (const r of routes)
                byPath.set(
                    r.path,
                    new Set([
                        ...(byPath.get(r.path) ?? []),
                        ...(r.method === "ANY" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : [r.method]),
                    ]),
                );
            const origin = pulumi.output(args.cors.allowOrigins).apply((o) => o[0]);
            for (const [path, methods] of [...byPath.entries()].sort(([a], [b]) => a.localeCompare(b))) {
                const slug = `options-${pathSlug(path)}`;
                const resourceId = resourceOf(path);
                const method = new aws.apigateway.Method(
                    `${name}-${slug}`,
                    serve("Method", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: "OPTIONS",
                        authorization: "NONE",
                        apiKeyRequired: false,
                    }),
                    child,
                );
                const integration = new aws.apigateway.Integration(
                    `${name}-${slug}`,
                    serve("Integration", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        type: "MOCK",
                        requestTemplates: { "application/json": '{"statusCode": 200}' },
                    }),
                    child,
                );
                const response = new aws.apigateway.MethodResponse(
                    `${name}-${slug}`,
                    serve("MethodResponse", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        statusCode: "204",
                        responseParameters: {
                            "method.response.header.Access-Control-Allow-Origin": true,
                            "method.response.header.Access-Control-Allow-Methods": true,
                            "method.response.header.Access-Control-Allow-Headers": true,
                            "method.response.header.Access-Control-Max-Age": true,
                        },
                    }),
                    child,
                );
                const integrationResponse = new aws.apigateway.IntegrationResponse(
                    `${name}-${slug}`,
                    serve("IntegrationResponse", `${name}-${slug}`, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        statusCode: response.statusCode,
                        responseParameters: {
                            "method.response.header.Access-Control-Allow-Origin": pulumi.interpolate`'${origin}'`,
                            "method.response.header.Access-Control-Allow-Methods": `'${["OPTIONS", ...[...methods].sort()].join(",")}'`,
                            "method.response.header.Access-Control-Allow-Headers": `'${allowHeaders}'`,
                            "method.response.header.Access-Control-Max-Age": "'600'",
                        },
                    }),
                    { parent: this, dependsOn: [integration] },
                );
                dependencies.push(method, integration, response, integrationResponse);
            }
            // API Gateway's own errors (authorizer 401/403, validation 400, WAF 403, throttling and quota 429,
            // 5xx) carry the origin too, or the browser hides them from the page. Every 4XX and 5XX response
            // type without its own customization falls back to DEFAULT_4XX / DEFAULT_5XX
            // (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
            // the body keeps API Gateway's default template.
            for (const responseType of GATEWAY_RESPONSE_TYPES) {
                const logicalName = `${name}-${responseType.toLowerCase().replace(/_/g, "-")}`;
                dependencies.push(
                    new aws.apigateway.Response(
                        logicalName,
                        serve("Response", logicalName, {
                            restApiId: api.id,
                            responseType,
                            responseParameters: {
                                "gatewayresponse.header.Access-Control-Allow-Origin": pulumi.interpolate`'${origin}'`,
                            },
                            responseTemplates: { "application/json": GATEWAY_RESPONSE_TEMPLATE },
                        }),
                        child,
                    ),
                );
            }
        }

        // ------------------------------------------------------------ deployment and stage
        // A new deployment whenever anything it serves changes: integration URIs, the VPC link, authorizer
        // functions, CORS origins and gateway responses included (the hash of every input recorded by `serve`).
        this.servedConfiguration = pulumi.output(served as pulumi.Input<unknown>[]);
        this.deploymentTrigger = this.servedConfiguration.apply((parts) =>
            createHash("sha256").update(JSON.stringify(parts)).digest("hex"),
        );
        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            {
                restApi: api.id,
                description: pulumi.interpolate`configuration ${this.deploymentTrigger.apply((t) => t.slice(0, 12))}`,
                triggers: { configuration: this.deploymentTrigger },
            },
            { parent: this, dependsOn: dependencies },
        );

        const logsArgs = {
            kmsKeyId: args.stage.logs.kmsKeyArn,
            retentionInDays: args.stage.logs.retentionInDays,
            tags: args.tags,
        };
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { name: args.stage.logs.accessLogGroupName, ...logsArgs },
            child,
        );
        // API Gateway writes execution logs to this fixed name; created here so it is encrypted and expires.
        const executionLogs = new aws.cloudwatch.LogGroup(
            `${name}-execution-logs`,
            { name: pulumi.interpolate`API-Gateway-Execution-Logs_${api.id}/${args.stage.name}`, ...logsArgs },
            child,
        );
        const account = apiGatewayAccount({
            accountId: args.accountId,
            partition: args.partition,
            region: args.region,
            tags: args.tags,
            parent: args.accountSettingParent,
        });

        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: args.stage.name,
                description: `${args.apiName} ${args.stage.name}`,
                xrayTracingEnabled: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(ACCESS_LOG_FORMAT) },
                tags: args.tags,
            },
            { parent: this, dependsOn: [account, executionLogs] },
        );
        new aws.apigateway.MethodSettings(
            `${name}-settings`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    metricsEnabled: true,
                    loggingLevel: "ERROR",
                    dataTraceEnabled: false,
                    throttlingRateLimit: args.stage.rateLimit,
                    throttlingBurstLimit: args.stage.burstLimit,
                    cachingEnabled: false,
                },
            },
            child,
        );

        // ------------------------------------------------------------ usage plan and keys
        this.apiKeyIds = {};
        const u = args.usagePlan;
        if (u) {
            const plan = new aws.apigateway.UsagePlan(
                `${name}-usage-plan`,
                {
                    name: `${args.apiName}-clients`,
                    description: `${args.apiName}: per-client throttling${u.quotaLimit !== undefined ? " and quota" : ""}`,
                    apiStages: [{ apiId: api.id, stage: stage.stageName }],
                    throttleSettings: { rateLimit: u.rateLimit, burstLimit: u.burstLimit },
                    quotaSettings:
                        u.quotaLimit !== undefined ? { limit: u.quotaLimit, period: u.quotaPeriod! } : undefined,
                    tags: args.tags,
                },
                child,
            );
            for (const client of [...u.apiKeys].sort()) {
                const key = new aws.apigateway.ApiKey(
                    `${name}-key-${client}`,
                    {
                        name: `${args.apiName}-${client}`,
                        description: `API key of the client application ${client}`,
                        enabled: true,
                        tags: args.tags,
                    },
                    child,
                );
                new aws.apigateway.UsagePlanKey(
                    `${name}-key-${client}`,
                    { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id },
                    child,
                );
                this.apiKeyIds[client] = key.id;
            }
        }

        this.restApiId = api.id;
        this.executionArn = executionArn;
        this.stageName = stage.stageName;
        this.stageArn = pulumi.interpolate`arn:${args.partition}:apigateway:${args.region}::/restapis/${api.id}/stages/${stage.stageName}`;
        this.invokeUrl = stage.invokeUrl;
        this.accessLogGroupName = accessLogs.name;
        this.registerOutputs({ restApiId: this.restApiId, stageArn: this.stageArn, invokeUrl: this.invokeUrl });
    }
}
