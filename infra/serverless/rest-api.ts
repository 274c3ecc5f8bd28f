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
/**
 * API Gateway's default gateway response body
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html).
 */
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
    /**
     * A Lambda TOKEN authorizer reading `Authorization`; its policy is cached per token for `resultTtlSeconds`
     * (0-3600, default 300).
     */
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

// ---------------------------------------------------------------- validation

function parseRoutes(routes: Record<string, RouteSpec>, problems: string[]): ParsedRoute[] {
    const parsed: ParsedRoute[] = [];
    for (const [key, spec] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
        const m = /^([A-Z]+) (\/\S*)$/.exec(key);
        if (!m || !(HTTP_METHODS as readonly string[]).includes(m[1])) {
            problems.push(
                `routes: ${JSON.stringify(key)} must be "<METHOD> <path>" ` +
                    `with METHOD one of ${HTTP_METHODS.join(", ")}`,
            );
            continue;
        }
        const path = m[2].length > 1 ? m[2].replace(/\/$/, "") : m[2];
        const segments = path.split("/").filter(Boolean);
        const bad = segments.filter((s) => !SEGMENT.test(s));
        if (bad.length > 0)
            problems.push(
                `routes: ${key} has invalid path segments ${bad.join(", ")} ` +
                    "(letters, digits, . _ -, {param} or a final {proxy+})",
            );
        if (segments.slice(0, -1).includes("{proxy+}"))
            problems.push(`routes: ${key}: {proxy+} may only be the last segment`);
        parsed.push({ key, method: m[1] as HttpMethod, path, spec });
    }
    return parsed;
}

function authorizerProblems(authorizers: Record<string, Authorizer>): string[] {
    const p: string[] = [];
    for (const [key, a] of Object.entries(authorizers)) {
        if (!KEY.test(key))
            p.push(
                `authorizers: name ${JSON.stringify(key)} must be 1-31 lower-case letters, digits and -, ` +
                    "starting with a letter",
            );
        const ttl = a.resultTtlSeconds ?? 300;
        if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
            p.push(`authorizers.${key}.resultTtlSeconds must be 0-3600; got ${ttl}`);
        if (a.type === "cognito" && a.userPoolArns.length === 0)
            p.push(`authorizers.${key}.userPoolArns must name at least one user pool`);
    }
    return p;
}

function routeProblems(routes: ParsedRoute[], authorizers: Record<string, Authorizer>): string[] {
    const p: string[] = [];
    for (const r of routes) {
        const auth = r.spec.auth;
        if ("authorizer" in auth && !(auth.authorizer in authorizers))
            p.push(`routes.${r.key}: unknown authorizer ${JSON.stringify(auth.authorizer)}`);
        if ("public" in auth && auth.public.trim().length < 10)
            p.push(
                `routes.${r.key}: a public route needs a reason of at least 10 characters ` +
                    "(the policy pack's publicRoutes asks for the same)",
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
    return p;
}

function stageProblems(stage: RestApiArgs["stage"]): string[] {
    const p: string[] = [];
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage.name))
        p.push(`stage.name must be 1-128 letters, digits, - and _; got ${JSON.stringify(stage.name)}`);
    if (!(stage.rateLimit > 0) || !Number.isInteger(stage.burstLimit) || stage.burstLimit < 1)
        p.push(
            "stage.rateLimit must be > 0 and stage.burstLimit a positive integer; " +
                `got ${stage.rateLimit}/${stage.burstLimit}`,
        );
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(stage.logs.retentionInDays))
        p.push(
            `stage.logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${stage.logs.retentionInDays}`,
        );
    return p;
}

function usagePlanProblems(u: UsagePlanSpec, stage: RestApiArgs["stage"]): string[] {
    const p: string[] = [];
    if (!(u.rateLimit > 0) || !Number.isInteger(u.burstLimit) || u.burstLimit < 1)
        p.push(
            "usagePlan.rateLimit must be > 0 and usagePlan.burstLimit a positive integer; " +
                `got ${u.rateLimit}/${u.burstLimit}`,
        );
    if (u.rateLimit > stage.rateLimit || u.burstLimit > stage.burstLimit)
        p.push(
            `usagePlan limits (${u.rateLimit}/${u.burstLimit}) must not exceed the stage's ` +
                `(${stage.rateLimit}/${stage.burstLimit})`,
        );
    if ((u.quotaLimit === undefined) !== (u.quotaPeriod === undefined))
        p.push("usagePlan.quotaLimit and usagePlan.quotaPeriod go together");
    if (u.quotaLimit !== undefined && (!Number.isInteger(u.quotaLimit) || u.quotaLimit < 1))
        p.push(`usagePlan.quotaLimit must be a positive integer; got ${u.quotaLimit}`);
    if (u.apiKeys.length === 0) p.push("usagePlan.apiKeys must name at least one client application");
    for (const k of u.apiKeys)
        if (!KEY.test(k))
            p.push(`usagePlan.apiKeys: ${JSON.stringify(k)} must be 1-31 lower-case letters, digits and -`);
    return p;
}

/** Parses the routes (sorted by key) and checks every argument; throws once with every problem. */
function validate(name: string, args: RestApiArgs): ParsedRoute[] {
    const problems: string[] = [];
    const routes = parseRoutes(args.routes, problems);
    const authorizers = args.authorizers ?? {};
    if (Object.keys(args.routes).length === 0) problems.push("routes must hold at least one route");
    problems.push(
        ...authorizerProblems(authorizers),
        ...routeProblems(routes, authorizers),
        ...stageProblems(args.stage),
        ...(args.usagePlan ? usagePlanProblems(args.usagePlan, args.stage) : []),
    );
    if (args.cors && args.cors.allowOrigins.length === 0)
        problems.push("cors.allowOrigins must name at least one origin");
    if (problems.length > 0) throw new Error(`RestApi ${name}: ${problems.join("; ")}`);
    return routes;
}

// ---------------------------------------------------------------- API parts

/** What every step that adds parts to the API needs. */
interface ApiScope {
    name: string;
    api: aws.apigateway.RestApi;
    /** `{ parent: <the RestApi component> }`. */
    child: pulumi.CustomResourceOptions;
    /**
     * What a deployment snapshots: the inputs of every resource, method, integration, authorizer, model,
     * validator and gateway response, recorded as they are registered and hashed into the deployment's
     * trigger, so any change the stage would serve makes a new deployment (a deployment is an immutable
     * snapshot of the API: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-deployments.html).
     */
    served: [kind: string, logicalName: string, inputs: unknown][];
    /** Records the inputs of an API part in {@link served} and returns them unchanged. */
    serve: <T>(kind: string, logicalName: string, inputs: T) => T;
    /** The id of the API Gateway resource of a path, created (with its parents) on first use. */
    resourceOf: (path: string) => pulumi.Output<string>;
}

/** Authorizer ids and `Method.authorization` values by authorizer key. */
interface AuthorizerRefs {
    ids: Record<string, pulumi.Output<string>>;
    types: Record<string, "CUSTOM" | "COGNITO_USER_POOLS">;
}

/** The request validators the routes use: body and parameters, parameters only. */
interface RequestValidators {
    body?: aws.apigateway.RequestValidator;
    params?: aws.apigateway.RequestValidator;
}

/** The regional REST API, API keys read from the `X-Api-Key` header. */
function restApi(name: string, args: RestApiArgs, parent: pulumi.Resource): aws.apigateway.RestApi {
    return new aws.apigateway.RestApi(
        name,
        {
            name: args.apiName,
            description: args.description,
            endpointConfiguration: { types: "REGIONAL" },
            apiKeySource: "HEADER",
            tags: args.tags,
        },
        { parent },
    );
}

/** The scope of the API's parts, with the resource tree (one `Resource` per path segment). */
function apiScope(name: string, api: aws.apigateway.RestApi, parent: pulumi.Resource): ApiScope {
    const child = { parent };
    const served: ApiScope["served"] = [];
    const serve = <T>(kind: string, logicalName: string, inputs: T): T => {
        served.push([kind, logicalName, inputs]);
        return inputs;
    };
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
    return { name, api, child, served, serve, resourceOf };
}

/** The authorizers, sorted by key; a TOKEN authorizer's function may be invoked by this authorizer only. */
function authorizers(scope: ApiScope, specs: Record<string, Authorizer>): AuthorizerRefs {
    const { name, api, child, serve } = scope;
    const refs: AuthorizerRefs = { ids: {}, types: {} };
    for (const [key, a] of Object.entries(specs).sort(([x], [y]) => x.localeCompare(y))) {
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
                sourceArn: pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`,
            });
        refs.ids[key] = authorizer.id;
        refs.types[key] = a.type === "token" ? "CUSTOM" : "COGNITO_USER_POOLS";
    }
    return refs;
}

/** The validators the routes need: body and parameters (routes with a body schema), parameters only. */
function requestValidators(scope: ApiScope, routes: ParsedRoute[]): RequestValidators {
    const { name, api, child, serve } = scope;
    const needsBody = routes.some((r) => r.spec.bodySchema !== undefined);
    const needsParams = routes.some((r) => (r.spec.requiredQueryParameters ?? []).length > 0);
    const validators: RequestValidators = {};
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
    return validators;
}

/** `orders-orderId` + `POST` -> `ordersorderIdPostBody` (model names are alphanumeric). */
function bodyModelName(r: ParsedRoute): string {
    const method = `${r.method.charAt(0)}${r.method.slice(1).toLowerCase()}`;
    return `${pathSlug(r.path).replace(/[^A-Za-z0-9]/g, "")}${method}Body`;
}

/** The JSON schema (draft 4) model of a route's body. */
function bodyModel(
    scope: ApiScope,
    r: ParsedRoute,
    slug: string,
    schema: Record<string, unknown>,
): aws.apigateway.Model {
    const { name, api, child, serve } = scope;
    return new aws.apigateway.Model(
        `${name}-${slug}-body`,
        serve("Model", `${name}-${slug}-body`, {
            restApi: api.id,
            name: bodyModelName(r),
            contentType: "application/json",
            schema: JSON.stringify({ $schema: "http://json-schema.org/draft-04/schema#", ...schema }),
        }),
        child,
    );
}

/** The route's path parameters, without braces: `/orders/{orderId}/{proxy+}` -> `orderId`, `proxy`. */
function pathParameters(path: string): string[] {
    return path
        .split("/")
        .filter((s) => s.startsWith("{"))
        .map((s) => s.replace(/[{}+]/g, ""));
}

/** A route's `Method` (authorization, API key, request validation) and its integration. */
function routeMethod(
    scope: ApiScope,
    r: ParsedRoute,
    refs: AuthorizerRefs,
    validators: RequestValidators,
    apiKeyRequired: boolean,
): pulumi.Resource[] {
    const { name, api, child, serve } = scope;
    const slug = `${r.method.toLowerCase()}-${pathSlug(r.path)}`;
    const resourceId = scope.resourceOf(r.path);
    const auth = r.spec.auth;
    const requestParameters: Record<string, boolean> = {};
    for (const param of pathParameters(r.path)) requestParameters[`method.request.path.${param}`] = true;
    for (const q of r.spec.requiredQueryParameters ?? []) requestParameters[`method.request.querystring.${q}`] = true;
    const model = r.spec.bodySchema ? bodyModel(scope, r, slug, r.spec.bodySchema) : undefined;
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
            authorization: "authorizer" in auth ? refs.types[auth.authorizer] : "NONE",
            authorizerId: "authorizer" in auth ? refs.ids[auth.authorizer] : undefined,
            apiKeyRequired,
            requestValidatorId: validator?.id,
            requestModels: model ? { "application/json": model.name } : undefined,
            requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
        }),
        child,
    );
    const integration =
        r.spec.integration.type === "lambda"
            ? lambdaIntegration(scope, r, slug, method, r.spec.integration)
            : vpcLinkIntegration(scope, r, slug, method, r.spec.integration, refs);
    return [method, integration];
}

/** Lambda proxy (`AWS_PROXY`); the function may be invoked by this method and path only. */
function lambdaIntegration(
    scope: ApiScope,
    r: ParsedRoute,
    slug: string,
    method: aws.apigateway.Method,
    i: Extract<Integration, { type: "lambda" }>,
): aws.apigateway.Integration {
    const { name, api, child, serve } = scope;
    const integration = new aws.apigateway.Integration(
        `${name}-${slug}`,
        serve("Integration", `${name}-${slug}`, {
            restApi: api.id,
            resourceId: scope.resourceOf(r.path),
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
        sourceArn: pulumi.interpolate`${api.executionArn}/*/${routeArnSuffix(r.method, r.path)}`,
    });
    return integration;
}

/** HTTP proxy through a VPC link, forwarding the path parameters and the authorizer's subject. */
function vpcLinkIntegration(
    scope: ApiScope,
    r: ParsedRoute,
    slug: string,
    method: aws.apigateway.Method,
    i: Extract<Integration, { type: "vpc-link" }>,
    refs: AuthorizerRefs,
): aws.apigateway.Integration {
    const { name, api, child, serve } = scope;
    const auth = r.spec.auth;
    const forwarded: Record<string, string> = {};
    for (const param of pathParameters(r.path))
        forwarded[`integration.request.path.${param}`] = `method.request.path.${param}`;
    if ("authorizer" in auth) {
        forwarded[`integration.request.header.${AUTHENTICATED_SUB_HEADER}`] =
            refs.types[auth.authorizer] === "CUSTOM"
                ? "context.authorizer.principalId"
                : "context.authorizer.claims.sub";
    }
    return new aws.apigateway.Integration(
        `${name}-${slug}`,
        serve("Integration", `${name}-${slug}`, {
            restApi: api.id,
            resourceId: scope.resourceOf(r.path),
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

/** The methods each path with a route answers, `ANY` spelled out, by path (sorted). */
function methodsByPath(routes: ParsedRoute[]): [string, Set<string>][] {
    const byPath = new Map<string, Set<string>>();
    for (const r of routes)
        byPath.set(
            r.path,
            new Set([
                ...(byPath.get(r.path) ?? []),
                ...(r.method === "ANY" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : [r.method]),
            ]),
        );
    return [...byPath.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** CORS: a preflight on every path with a route, and the origin on API Gateway's own error responses. */
function cors(
    scope: ApiScope,
    spec: NonNullable<RestApiArgs["cors"]>,
    routes: ParsedRoute[],
    apiKeyRequired: boolean,
): pulumi.Resource[] {
    const allowHeaders = [
        "Authorization",
        "Content-Type",
        ...(apiKeyRequired ? ["X-Api-Key"] : []),
        ...(spec.allowHeaders ?? []),
    ].join(",");
    const origin = pulumi.output(spec.allowOrigins).apply((o) => o[0]);
    return [
        ...methodsByPath(routes).flatMap(([path, methods]) => preflight(scope, path, methods, origin, allowHeaders)),
        // API Gateway's own errors (authorizer 401/403, validation 400, WAF 403, throttling and quota 429,
        // 5xx) carry the origin too, or the browser hides them from the page. Every 4XX and 5XX response
        // type without its own customization falls back to DEFAULT_4XX / DEFAULT_5XX
        // (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
        // the body keeps API Gateway's default template.
        ...GATEWAY_RESPONSE_TYPES.map((responseType) => gatewayResponse(scope, responseType, origin)),
    ];
}

/** `OPTIONS` on one path: a mock integration answering 204 with the CORS headers. */
function preflight(
    scope: ApiScope,
    path: string,
    methods: Set<string>,
    origin: pulumi.Output<string>,
    allowHeaders: string,
): pulumi.Resource[] {
    const { name, api, child, serve } = scope;
    const slug = `options-${pathSlug(path)}`;
    const resourceId = scope.resourceOf(path);
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
    const header = (h: string) => `method.response.header.Access-Control-${h}`;
    const response = new aws.apigateway.MethodResponse(
        `${name}-${slug}`,
        serve("MethodResponse", `${name}-${slug}`, {
            restApi: api.id,
            resourceId,
            httpMethod: method.httpMethod,
            statusCode: "204",
            responseParameters: {
                [header("Allow-Origin")]: true,
                [header("Allow-Methods")]: true,
                [header("Allow-Headers")]: true,
                [header("Max-Age")]: true,
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
                [header("Allow-Origin")]: pulumi.interpolate`'${origin}'`,
                [header("Allow-Methods")]: `'${["OPTIONS", ...[...methods].sort()].join(",")}'`,
                [header("Allow-Headers")]: `'${allowHeaders}'`,
                [header("Max-Age")]: "'600'",
            },
        }),
        { ...child, dependsOn: [integration] },
    );
    return [method, integration, response, integrationResponse];
}

/** One of {@link GATEWAY_RESPONSE_TYPES}, carrying the CORS origin, with API Gateway's default body. */
function gatewayResponse(
    scope: ApiScope,
    responseType: (typeof GATEWAY_RESPONSE_TYPES)[number],
    origin: pulumi.Output<string>,
): aws.apigateway.Response {
    const { name, api, child, serve } = scope;
    const logicalName = `${name}-${responseType.toLowerCase().replace(/_/g, "-")}`;
    return new aws.apigateway.Response(
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
    );
}

// ---------------------------------------------------------------- deployment, stage, usage plan

function deployment(
    name: string,
    api: aws.apigateway.RestApi,
    trigger: pulumi.Output<string>,
    dependencies: pulumi.Resource[],
    parent: pulumi.Resource,
): aws.apigateway.Deployment {
    return new aws.apigateway.Deployment(
        `${name}-deployment`,
        {
            restApi: api.id,
            description: pulumi.interpolate`configuration ${trigger.apply((t) => t.slice(0, 12))}`,
            triggers: { configuration: trigger },
        },
        { parent, dependsOn: dependencies },
    );
}

/** The stage's access and execution log groups (KMS-encrypted, with retention). */
function stageLogGroups(
    name: string,
    args: RestApiArgs,
    api: aws.apigateway.RestApi,
    parent: pulumi.Resource,
): { accessLogs: aws.cloudwatch.LogGroup; executionLogs: aws.cloudwatch.LogGroup } {
    const logsArgs = {
        kmsKeyId: args.stage.logs.kmsKeyArn,
        retentionInDays: args.stage.logs.retentionInDays,
        tags: args.tags,
    };
    const accessLogs = new aws.cloudwatch.LogGroup(
        `${name}-access-logs`,
        { name: args.stage.logs.accessLogGroupName, ...logsArgs },
        { parent },
    );
    // API Gateway writes execution logs to this fixed name; created here so it is encrypted and expires.
    const executionLogs = new aws.cloudwatch.LogGroup(
        `${name}-execution-logs`,
        { name: pulumi.interpolate`API-Gateway-Execution-Logs_${api.id}/${args.stage.name}`, ...logsArgs },
        { parent },
    );
    return { accessLogs, executionLogs };
}

/** The stage (access logs, X-Ray) and its method settings (metrics, error logs, throttling, no data trace). */
function stage(
    name: string,
    args: RestApiArgs,
    api: aws.apigateway.RestApi,
    deployment: aws.apigateway.Deployment,
    parent: pulumi.Resource,
): { stage: aws.apigateway.Stage; accessLogs: aws.cloudwatch.LogGroup } {
    const { accessLogs, executionLogs } = stageLogGroups(name, args, api, parent);
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
        { parent, dependsOn: [account, executionLogs] },
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
        { parent },
    );
    return { stage, accessLogs };
}

/** The usage plan and one API key per client application; returns the key ids by client. */
function usagePlan(
    name: string,
    args: RestApiArgs,
    u: UsagePlanSpec,
    api: aws.apigateway.RestApi,
    stage: aws.apigateway.Stage,
    parent: pulumi.Resource,
): Record<string, pulumi.Output<string>> {
    const plan = new aws.apigateway.UsagePlan(
        `${name}-usage-plan`,
        {
            name: `${args.apiName}-clients`,
            description: `${args.apiName}: per-client throttling${u.quotaLimit !== undefined ? " and quota" : ""}`,
            apiStages: [{ apiId: api.id, stage: stage.stageName }],
            throttleSettings: { rateLimit: u.rateLimit, burstLimit: u.burstLimit },
            quotaSettings: u.quotaLimit !== undefined ? { limit: u.quotaLimit, period: u.quotaPeriod! } : undefined,
            tags: args.tags,
        },
        { parent },
    );
    const apiKeyIds: Record<string, pulumi.Output<string>> = {};
    for (const client of [...u.apiKeys].sort()) {
        const key = new aws.apigateway.ApiKey(
            `${name}-key-${client}`,
            {
                name: `${args.apiName}-${client}`,
                description: `API key of the client application ${client}`,
                enabled: true,
                tags: args.tags,
            },
            { parent },
        );
        new aws.apigateway.UsagePlanKey(
            `${name}-key-${client}`,
            { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id },
            { parent },
        );
        apiKeyIds[client] = key.id;
    }
    return apiKeyIds;
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
        const routes = validate(name, args);
        const apiKeyRequired = args.usagePlan !== undefined;
        const api = restApi(name, args, this);
        const scope = apiScope(name, api, this);
        const refs = authorizers(scope, args.authorizers ?? {});
        const validators = requestValidators(scope, routes);
        const dependencies = [
            ...routes.flatMap((r) => routeMethod(scope, r, refs, validators, apiKeyRequired)),
            ...(args.cors ? cors(scope, args.cors, routes, apiKeyRequired) : []),
        ];

        // A new deployment whenever anything it serves changes: integration URIs, the VPC link, authorizer
        // functions, CORS origins and gateway responses included (the hash of every input recorded by `serve`).
        this.servedConfiguration = pulumi.output(scope.served as pulumi.Input<unknown>[]);
        this.deploymentTrigger = this.servedConfiguration.apply((parts) =>
            createHash("sha256").update(JSON.stringify(parts)).digest("hex"),
        );
        const apiDeployment = deployment(name, api, this.deploymentTrigger, dependencies, this);
        const { stage: apiStage, accessLogs } = stage(name, args, api, apiDeployment, this);
        this.apiKeyIds = args.usagePlan ? usagePlan(name, args, args.usagePlan, api, apiStage, this) : {};

        this.restApiId = api.id;
        this.executionArn = api.executionArn;
        this.stageName = apiStage.stageName;
        const apiArn = pulumi.interpolate`arn:${args.partition}:apigateway:${args.region}::/restapis/${api.id}`;
        this.stageArn = pulumi.interpolate`${apiArn}/stages/${apiStage.stageName}`;
        this.invokeUrl = apiStage.invokeUrl;
        this.accessLogGroupName = accessLogs.name;
        this.registerOutputs({ restApiId: this.restApiId, stageArn: this.stageArn, invokeUrl: this.invokeUrl });
    }
}
