/**
 * Public access: resource policies open to everyone, S3 public access blocks and ACLs, Cognito
 * unauthenticated identities, unauthenticated API Gateway routes and Lambda function URLs.
 *
 * Policies and their enforcement levels (dev / prod; the per-environment files in
 * policy-pack/config/ set them, the default in code is the prod level):
 *
 * | name                                            | dev       | prod      |
 * |-------------------------------------------------|-----------|-----------|
 * | s3-bucket-policy-no-public-principal            | mandatory | mandatory |
 * | sqs-queue-policy-no-public-principal            | mandatory | mandatory |
 * | sns-topic-policy-no-public-principal            | mandatory | mandatory |
 * | kms-key-policy-no-public-principal              | mandatory | mandatory |
 * | ecr-repository-policy-no-public-principal       | mandatory | mandatory |
 * | eventbridge-bus-policy-no-public-principal      | mandatory | mandatory |
 * | secretsmanager-secret-policy-no-public-principal| mandatory | mandatory |
 * | lambda-permission-no-public-principal           | mandatory | mandatory |
 * | lambda-permission-source-condition              | advisory  | mandatory |
 * | s3-public-access-block-enabled                  | mandatory | mandatory |
 * | s3-bucket-has-public-access-block (stack)       | mandatory | mandatory |
 * | s3-no-public-acl                                | mandatory | mandatory |
 * | cognito-identity-pool-no-unauthenticated        | mandatory | mandatory |
 * | apigateway-method-authorization                 | mandatory | mandatory |
 * | apigatewayv2-route-authorization                | mandatory | mandatory |
 * | lambda-function-url-auth                        | mandatory | mandatory |
 * | s3-bucket-policy-cross-account-actions          | mandatory | mandatory |
 *
 * API Gateway: REST methods (`aws:apigateway/method:Method`) and HTTP/WebSocket routes
 * (`aws:apigatewayv2/route:Route`), and the operations of an OpenAPI `body` on
 * `aws:apigateway/restApi:RestApi` / `aws:apigatewayv2/api:Api` (an API imported from OpenAPI has
 * no Method/Route resources to check).
 *
 * A resource policy statement is public when it has Effect "Allow" and Principal "*" (or
 * `{"AWS": "*"}`) without a condition that narrows the caller (lib/iam-document.ts
 * `PRINCIPAL_NARROWING_KEYS`: aws:SourceArn, aws:SourceAccount, aws:SourceVpce, aws:PrincipalOrgID,
 * kms:CallerAccount …), or Effect "Allow" with NotPrincipal. `Deny` statements with "*" (TLS-only,
 * VPC-only guards) are what good policies contain and are never reported.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
 */
import { Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import * as YAML from "yaml";
import { narrowingPrincipalConditions, parsePolicyDocument, PolicyStatement, wildcardMatch } from "../lib/iam-document";
import { block, Props, resourcePolicy, stackPolicy, T, text, tokensOf } from "../lib/resource";

// ---------------------------------------------------------------------------------------------
// Resource policies
// ---------------------------------------------------------------------------------------------

/**
 * Why a resource policy statement is open to everyone, or undefined. Reads `Effect`, then
 * `NotPrincipal` / `Principal`, and `Condition` only when the principal is `*`.
 */
export function publicStatementProblem(s: PolicyStatement): string | undefined {
    if (!s.isAllow) return undefined;
    if (s.notPrincipal !== undefined) {
        return (
            'combines Effect "Allow" with NotPrincipal, which grants access to everyone else: name the ' +
            "principals in Principal instead."
        );
    }
    if (!s.principal?.wildcard) return undefined;
    if (narrowingPrincipalConditions(s).length > 0) return undefined;
    return (
        'allows Principal "*" without a condition that narrows the caller: name the account, role or service ' +
        "in Principal, or add a StringEquals/ArnLike condition on aws:SourceArn, aws:SourceAccount, aws:SourceVpce " +
        "or aws:PrincipalOrgID."
    );
}

/** A resource type and the input holding its resource policy document. */
interface PolicySource {
    readonly type: string;
    readonly property: string;
}

/**
 * Builds a policy that reports every public statement of the resource policy documents found in
 * `sources`; `extra` handles resources whose policy is not a document (Lambda / EventBridge
 * permissions).
 */
function resourcePolicyPolicy(
    name: string,
    service: string,
    sources: readonly PolicySource[],
    extra?: (args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidationPolicy {
    return {
        name,
        description: `${service} resource policies must not allow Principal "*" without a narrowing condition.`,
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            extra?.(args, report);
            for (const source of sources) {
                if (source.type !== args.type) continue;
                const parsed = parsePolicyDocument(args.props[source.property]);
                if (parsed.kind === "absent") continue;
                if (parsed.kind === "invalid") {
                    report(
                        `${source.property} is not a valid policy document (${parsed.reason}): give a JSON ` +
                            `policy document with a Statement list.`,
                    );
                    continue;
                }
                for (const s of parsed.document.statements) {
                    const problem = publicStatementProblem(s);
                    if (problem !== undefined) report(`${source.property} ${s.label} ${problem}`);
                }
            }
        },
    };
}

export const s3BucketPolicyNoPublicPrincipal = resourcePolicyPolicy(
    "s3-bucket-policy-no-public-principal",
    "S3 bucket",
    [
        { type: "aws:s3/bucketPolicy:BucketPolicy", property: "policy" },
        { type: "aws:s3/bucket:Bucket", property: "policy" },
        { type: "aws:s3/bucketV2:BucketV2", property: "policy" },
    ],
);

export const sqsQueuePolicyNoPublicPrincipal = resourcePolicyPolicy(
    "sqs-queue-policy-no-public-principal",
    "SQS queue",
    [
        { type: "aws:sqs/queuePolicy:QueuePolicy", property: "policy" },
        { type: "aws:sqs/queue:Queue", property: "policy" },
    ],
);

export const snsTopicPolicyNoPublicPrincipal = resourcePolicyPolicy(
    "sns-topic-policy-no-public-principal",
    "SNS topic",
    [
        { type: "aws:sns/topicPolicy:TopicPolicy", property: "policy" },
        { type: "aws:sns/topic:Topic", property: "policy" },
    ],
);

export const kmsKeyPolicyNoPublicPrincipal = resourcePolicyPolicy("kms-key-policy-no-public-principal", "KMS key", [
    { type: "aws:kms/key:Key", property: "policy" },
    { type: "aws:kms/keyPolicy:KeyPolicy", property: "policy" },
    { type: "aws:kms/replicaKey:ReplicaKey", property: "policy" },
]);

export const ecrRepositoryPolicyNoPublicPrincipal = resourcePolicyPolicy(
    "ecr-repository-policy-no-public-principal",
    "ECR repository and registry",
    [
        { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", property: "policy" },
        { type: "aws:ecr/registryPolicy:RegistryPolicy", property: "policy" },
    ],
);

/** `aws:cloudwatch/eventPermission:EventPermission`: principal "*" needs an aws:PrincipalOrgID condition. */
function eventPermission(args: ResourceValidationArgs, report: ReportViolation): void {
    if (args.type !== "aws:cloudwatch/eventPermission:EventPermission") return;
    if (args.props.principal !== "*") return;
    const condition: unknown = args.props.condition;
    const value = block(condition)?.value;
    if (
        condition !== undefined &&
        condition !== null &&
        typeof value === "string" &&
        value.trim() !== "" &&
        value !== "*"
    )
        return;
    report(
        'principal is "*" without condition: set principal to an account id, or add condition ' +
            '{ key: "aws:PrincipalOrgID", type: "StringEquals", value: "<org id>" }.',
    );
}

export const eventBridgeBusPolicyNoPublicPrincipal = resourcePolicyPolicy(
    "eventbridge-bus-policy-no-public-principal",
    "EventBridge event bus",
    [{ type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy", property: "policy" }],
    eventPermission,
);

export const secretsManagerSecretPolicyNoPublicPrincipal = resourcePolicyPolicy(
    "secretsmanager-secret-policy-no-public-principal",
    "Secrets Manager secret",
    [
        { type: "aws:secretsmanager/secretPolicy:SecretPolicy", property: "policy" },
        { type: "aws:secretsmanager/secret:Secret", property: "policy" },
    ],
);

/** True when a string input is set to something other than wildcards. */
const namesSomething = (v: unknown): boolean => typeof v === "string" && v.trim() !== "" && !/^[*?]+$/.test(v.trim());

export const lambdaPermissionNoPublicPrincipal = resourcePolicy({
    name: "lambda-permission-no-public-principal",
    description:
        'Lambda permissions must not let principal "*" invoke a function without sourceArn, sourceAccount or ' +
        "principalOrgId.",
    types: T.lambdaPermission,
    check: (props, _args, report) => {
        if (text(props.principal).trim() !== "*") return;
        if (
            namesSomething(props.sourceArn) ||
            namesSomething(props.sourceAccount) ||
            namesSomething(props.principalOrgId)
        )
            return;
        report(
            `principal "*" may invoke the function (or its URL) from any account: set principal to the ` +
                `account or service ` +
                `(e.g. "apigateway.amazonaws.com") and sourceArn to the calling resource, or set principalOrgId.`,
        );
    },
});

export const lambdaPermissionSourceCondition = resourcePolicy({
    name: "lambda-permission-source-condition",
    description: "Lambda permissions for AWS service principals must set sourceArn or sourceAccount (confused deputy).",
    types: T.lambdaPermission,
    check: (props, _args, report) => {
        const principal = text(props.principal).trim().toLowerCase();
        if (!/\.amazonaws\.com(\.cn)?$/.test(principal)) return;
        if (namesSomething(props.sourceArn) || namesSomething(props.sourceAccount)) return;
        report(
            `principal "${principal}" may invoke the function on behalf of any account's resources: set ` +
                `sourceArn to the ` +
                `ARN of the calling resource (e.g. the API's execution ARN "…/*/*", the bucket, rule or topic ` +
                `ARN) or sourceAccount.`,
        );
    },
});

// ---------------------------------------------------------------------------------------------
// S3 public access blocks and ACLs
// ---------------------------------------------------------------------------------------------

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** The flags of a public access block that are not `true` (absent means false, as in AWS). */
function pabFlagsOff(props: Props): string[] {
    return PAB_FLAGS.filter((f) => props[f] !== true);
}

export const s3PublicAccessBlockEnabled = resourcePolicy({
    name: "s3-public-access-block-enabled",
    description: "S3 public access blocks (bucket and account) must set all four flags to true.",
    types: tokensOf("s3PublicAccessBlock", "s3AccountPublicAccessBlock"),
    check: (props, _args, report) => {
        const off = pabFlagsOff(props);
        if (off.length > 0) report(`${off.join(", ")} must be true: set ${off.map((f) => `${f}: true`).join(", ")}.`);
    },
});

/**
 * Stack level: a bucket is covered when a BucketPublicAccessBlock's `bucket` points to it (property
 * dependency first, then by bucket name / id: `StackGraph.referrers`), or when the stack holds an
 * account-level block with all four flags true.
 */
export const s3BucketHasPublicAccessBlock = stackPolicy({
    name: "s3-bucket-has-public-access-block",
    description:
        "Every S3 bucket in the stack has a BucketPublicAccessBlock (or the stack sets an account-level block with " +
        "all four flags).",
    check: (graph, _args, report) => {
        if (graph.ofType(T.s3AccountPublicAccessBlock).some((r) => pabFlagsOff(r.props).length === 0)) return;
        for (const bucket of graph.ofType(T.s3Bucket)) {
            if (graph.referrers(bucket, "bucket", T.s3PublicAccessBlock).length > 0) continue;
            report(
                `bucket "${bucket.name}" has no aws.s3.BucketPublicAccessBlock: add one with bucket set to ` +
                    `this bucket and ` +
                    `blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.`,
                bucket.urn,
            );
        }
    },
});

const PUBLIC_CANNED_ACLS: ReadonlySet<string> = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GRANTEE_URIS = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];
const OBJECT_TYPES = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];

export const s3NoPublicAcl = resourcePolicy({
    name: "s3-no-public-acl",
    description: "S3 buckets and objects must not use public canned ACLs or grants to AllUsers / AuthenticatedUsers.",
    types: [...tokensOf("s3BucketAcl", "s3Bucket"), ...OBJECT_TYPES],
    check: (props, args, report) => {
        const isAcl = T.s3BucketAcl.includes(args.type as never);
        const isBucket = T.s3Bucket.includes(args.type as never);
        const acl: unknown = props.acl;
        if (typeof acl === "string" && PUBLIC_CANNED_ACLS.has(acl)) {
            report(
                `acl is "${acl}", which makes the ${isAcl || isBucket ? "bucket" : "object"} readable outside ` +
                    `the account: use "private" (or remove acl) and grant access through a bucket policy.`,
            );
        }
        const grants: { where: string; uri: unknown }[] = [];
        if (isAcl) {
            const list: unknown = block(props.accessControlPolicy)?.grants;
            if (Array.isArray(list)) {
                (list as unknown[]).forEach((g, i) =>
                    grants.push({
                        where: `accessControlPolicy.grants[${i}].grantee.uri`,
                        uri: block(block(g)?.grantee)?.uri,
                    }),
                );
            }
        } else if (isBucket) {
            const list: unknown = props.grants;
            if (Array.isArray(list)) {
                (list as unknown[]).forEach((g, i) => grants.push({ where: `grants[${i}].uri`, uri: block(g)?.uri }));
            }
        }
        for (const g of grants) {
            if (typeof g.uri === "string" && PUBLIC_GRANTEE_URIS.includes(g.uri)) {
                report(
                    `${g.where} grants to "${g.uri}" (public): remove the grant and give access through a bucket ` +
                        `policy to named principals.`,
                );
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Cognito, API Gateway, Lambda function URLs
// ---------------------------------------------------------------------------------------------

export const cognitoIdentityPoolNoUnauthenticated = resourcePolicy({
    name: "cognito-identity-pool-no-unauthenticated",
    description: "Cognito identity pools must not hand AWS credentials to unauthenticated identities.",
    types: T.cognitoIdentityPool,
    check: (props, _args, report) => {
        if (props.allowUnauthenticatedIdentities === true) {
            report(
                "allowUnauthenticatedIdentities is true, which gives AWS credentials to anyone: set " +
                    "allowUnauthenticatedIdentities to false.",
            );
        }
    },
});

/** A documented exception: which resource may stay without authorization, and why. */
export interface PublicRouteException {
    /** Logical resource name (`args.name`), `*` matches any run of characters. */
    resource?: string;
    /** API Gateway v2 only: route key, e.g. `POST /auth`. */
    routeKey?: string;
    /** Why it is public and what compensates (WAF rate rule, throttling …); required. */
    reason: string;
}

/** Config of the two API Gateway authorization policies. */
export interface RouteAuthorizationConfig {
    /** Allow CORS preflight (`OPTIONS`) without authorization. Default `true`. */
    allowOptions?: boolean;
    /** Routes that are public by design. Default `[]`. */
    publicRoutes?: PublicRouteException[];
}

const routeConfigSchema = (what: string) => ({
    properties: {
        allowOptions: {
            type: "boolean" as const,
            default: true,
            description:
                "Allow OPTIONS (CORS preflight) without authorization; browsers send preflight without credentials.",
        },
        publicRoutes: {
            type: "array" as const,
            default: [],
            description:
                `${what} that are public by design (e.g. the login route POST /auth). Each entry names the ` +
                `resource (logical name, * wildcard) or route key and gives the reason.`,
            items: {
                type: "object" as const,
                properties: {
                    resource: { type: "string" as const },
                    routeKey: { type: "string" as const },
                    reason: { type: "string" as const, minLength: 10 },
                },
                required: ["reason"],
            },
        },
    },
});

const globMatch = (pattern: string, value: string): boolean =>
    new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&"))
            .join(".*")}$`,
    ).test(value);

/** True when a configured exception covers this resource (by logical name or route key). */
function isPublicByDesign(config: RouteAuthorizationConfig, name: string, routeKey?: string): boolean {
    return (config.publicRoutes ?? []).some((e) => {
        if (typeof e?.reason !== "string" || e.reason.trim() === "") return false;
        if (typeof e.resource === "string" && globMatch(e.resource, name)) return true;
        return routeKey !== undefined && typeof e.routeKey === "string" && e.routeKey.trim() === routeKey.trim();
    });
}

/** OpenAPI operation keys API Gateway imports, with the method they stand for in a route key. */
const OPENAPI_METHODS: ReadonlyMap<string, string> = new Map([
    ["get", "GET"],
    ["put", "PUT"],
    ["post", "POST"],
    ["delete", "DELETE"],
    ["options", "OPTIONS"],
    ["head", "HEAD"],
    ["patch", "PATCH"],
    ["x-amazon-apigateway-any-method", "ANY"],
]);

/**
 * Route keys (`POST /auth`) of an OpenAPI `body` (JSON or YAML; Swagger 2 or OpenAPI 3, as
 * `aws.apigateway.RestApi` and `aws.apigatewayv2.Api` import it) whose operations do not require
 * an authorizer. An operation is authorized when its `security` (or the document's) is a non-empty
 * list in which every requirement names at least one scheme that is an API Gateway authorizer:
 * `x-amazon-apigateway-authorizer` (Lambda, Cognito, JWT), `x-amazon-apigateway-authtype`
 * (`awsSigv4`, `cognito_user_pools`, `custom`), or type `oauth2`/`openIdConnect`. A plain API key
 * scheme is not an authorizer, and `{}` in the list makes the operation anonymous.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 *
 * @returns `undefined` when `body` is absent; `"invalid"` when it is not an OpenAPI document.
 */
export function openApiRoutesWithoutAuthorizer(body: unknown): string[] | "invalid" | undefined {
    if (body === undefined || body === null || body === "") return undefined;
    let api: unknown = body;
    if (typeof body === "string") {
        try {
            api = YAML.parse(body);
        } catch {
            return "invalid";
        }
    }
    if (typeof api !== "object" || api === null || Array.isArray(api)) return "invalid";
    const doc = api as Props;
    const paths = block(doc.paths);
    if (paths === undefined) return [];
    const schemes: Props = { ...block(doc.securityDefinitions), ...block(block(doc.components)?.securitySchemes) };
    const isAuthorizer = (name: string): boolean => {
        const scheme = block(schemes[name]);
        if (scheme === undefined) return false;
        if (scheme["x-amazon-apigateway-authorizer"] !== undefined) return true;
        if (typeof scheme["x-amazon-apigateway-authtype"] === "string") return true;
        return scheme.type === "oauth2" || scheme.type === "openIdConnect";
    };
    const authorized = (security: unknown): boolean =>
        Array.isArray(security) &&
        security.length > 0 &&
        security.every(
            (req: unknown) => typeof req === "object" && req !== null && Object.keys(req).some(isAuthorizer),
        );
    const open: string[] = [];
    for (const path of Object.keys(paths)) {
        const item = block(paths[path]);
        if (item === undefined) continue;
        for (const key of Object.keys(item)) {
            const method = OPENAPI_METHODS.get(key.toLowerCase());
            const op = block(item[key]);
            if (method === undefined || op === undefined) continue;
            if (!authorized(op.security !== undefined ? op.security : doc.security)) open.push(`${method} ${path}`);
        }
    }
    return open;
}

/**
 * Reports the unauthorized operations of an OpenAPI body, except preflight (when allowed) and
 * configured public routes; `policyName` names where exceptions are configured.
 */
function checkOpenApiBody(
    body: unknown,
    config: RouteAuthorizationConfig,
    name: string,
    policyName: string,
    report: ReportViolation,
): void {
    const open = openApiRoutesWithoutAuthorizer(body);
    if (open === undefined) return;
    if (open === "invalid") {
        report(
            "body is not an OpenAPI document (JSON or YAML object): give the API definition as OpenAPI so its " +
                "authorizers can be checked.",
        );
        return;
    }
    for (const routeKey of open) {
        if ((config.allowOptions ?? true) && routeKey.startsWith("OPTIONS ")) continue;
        if (isPublicByDesign(config, name, routeKey)) continue;
        report(
            `body: ${routeKey} has no authorizer: add a security requirement naming a Cognito, Lambda ` +
                `(custom), JWT or IAM (awsSigv4) ` +
                `authorizer to the operation or the document; a route that must be public is listed with its ` +
                `reason in the policy config ` +
                `publicRoutes of ${policyName}.`,
        );
    }
}

export const apiGatewayMethodAuthorization = resourcePolicy({
    name: "apigateway-method-authorization",
    description:
        "API Gateway REST methods must use an authorizer (AWS_IAM, CUSTOM or COGNITO_USER_POOLS), except OPTIONS " +
        "and configured public routes.",
    configSchema: routeConfigSchema(
        "Methods (aws:apigateway/method:Method, or routes of an OpenAPI body of aws:apigateway/restApi:RestApi)",
    ),
    types: [...T.apigatewayMethod, ...T.apigatewayRestApi],
    check: (props, args, report) => {
        if (T.apigatewayRestApi.includes(args.type as never)) {
            if (props.body === undefined || props.body === null) return;
            checkOpenApiBody(
                props.body,
                args.getConfig<RouteAuthorizationConfig>(),
                args.name,
                "apigateway-method-authorization",
                report,
            );
            return;
        }
        const authorization = text(props.authorization, "NONE").toUpperCase();
        if (authorization !== "NONE") return;
        const config = args.getConfig<RouteAuthorizationConfig>();
        const httpMethod = text(props.httpMethod).toUpperCase();
        if ((config.allowOptions ?? true) && httpMethod === "OPTIONS") return;
        if (isPublicByDesign(config, args.name)) return;
        report(
            `authorization is "NONE" on ${httpMethod}: set authorization to "CUSTOM" or "COGNITO_USER_POOLS" ` +
                `with authorizerId, or "AWS_IAM"; a route that must be public (e.g. POST /auth) is listed ` +
                `with its reason in ` +
                `the policy config publicRoutes of apigateway-method-authorization.`,
        );
    },
});

const APIGATEWAYV2_API = "aws:apigatewayv2/api:Api";

/** WebSocket route keys that cannot carry an authorizer (only `$connect` can). */
const isWebSocketMessageRoute = (routeKey: string): boolean =>
    routeKey === "$disconnect" || (!routeKey.startsWith("$") && !routeKey.includes(" "));

export const apiGatewayV2RouteAuthorization = resourcePolicy({
    name: "apigatewayv2-route-authorization",
    description:
        "API Gateway v2 routes must use an authorizer (JWT, AWS_IAM or CUSTOM), except OPTIONS and configured " +
        "public routes.",
    configSchema: routeConfigSchema(
        "Routes (aws:apigatewayv2/route:Route, or routes of an OpenAPI body of aws:apigatewayv2/api:Api)",
    ),
    types: [...T.apigatewayv2Route, APIGATEWAYV2_API],
    check: (props, args, report) => {
        if (args.type === APIGATEWAYV2_API) {
            if (props.body === undefined || props.body === null) return;
            checkOpenApiBody(
                props.body,
                args.getConfig<RouteAuthorizationConfig>(),
                args.name,
                "apigatewayv2-route-authorization",
                report,
            );
            return;
        }
        const authorizationType = text(props.authorizationType, "NONE").toUpperCase();
        if (authorizationType !== "NONE") return;
        const routeKey = text(props.routeKey);
        if (isWebSocketMessageRoute(routeKey)) return; // authorization happens on $connect
        const config = args.getConfig<RouteAuthorizationConfig>();
        if ((config.allowOptions ?? true) && routeKey.toUpperCase().startsWith("OPTIONS ")) return;
        if (isPublicByDesign(config, args.name, routeKey)) return;
        report(
            `authorizationType is "NONE" on route "${routeKey}": set authorizationType to "JWT" or "CUSTOM" ` +
                `with authorizerId, ` +
                `or "AWS_IAM"; a route that must be public is listed with its reason in the policy config ` +
                `publicRoutes of ` +
                `apigatewayv2-route-authorization.`,
        );
    },
});

export const lambdaFunctionUrlAuth = resourcePolicy({
    name: "lambda-function-url-auth",
    description: "Lambda function URLs must use authorizationType AWS_IAM.",
    types: T.lambdaFunctionUrl,
    check: (props, _args, report) => {
        const authorizationType = text(props.authorizationType, "NONE").toUpperCase();
        if (authorizationType === "AWS_IAM") return;
        report(
            `authorizationType is "${authorizationType}", so anyone on the internet can invoke the function: ` +
                `set authorizationType ` +
                `to "AWS_IAM" (front it with CloudFront origin access control or API Gateway when browsers call it).`,
        );
    },
});

// ---------------------------------------------------------------------------------------------
// S3 bucket policies: bucket-control actions granted to other accounts
// ---------------------------------------------------------------------------------------------

/**
 * The actions Security Hub S3.6 does not allow other accounts
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-6): they change who may
 * read or manage the bucket and its objects.
 */
export const S3_CROSS_ACCOUNT_BLOCKED_ACTIONS = [
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:PutObjectAcl",
] as const;

/** Condition keys whose values name the bucket's own account (resource) or the caller's account it expects. */
const OWN_ACCOUNT_KEYS = ["aws:resourceaccount", "aws:sourceaccount", "s3:resourceaccount"];

/** Config of `s3-bucket-policy-cross-account-actions`. */
export interface CrossAccountConfig {
    /** The stack's own account ids (12 digits). Default none: only the policy's own context names them. */
    accountIds?: string[];
}

/** The account id of an AWS principal: a bare 12-digit id or the account of an IAM ARN; undefined for `*`. */
function principalAccount(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    return /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
}

/** The blocked actions an Allow statement grants (through `Action` patterns or `NotAction`). */
function blockedActionsGranted(s: PolicyStatement): string[] {
    const actions = s.actions;
    const notActions = s.notActions;
    return S3_CROSS_ACCOUNT_BLOCKED_ACTIONS.filter((a) =>
        actions !== undefined
            ? actions.some((p) => wildcardMatch(p, a))
            : notActions !== undefined && !notActions.some((p) => wildcardMatch(p, a)),
    );
}

/**
 * Resource level, on bucket policies (and the inline `policy` of older bucket state): no Allow statement grants
 * the S3.6 actions to a principal of another account. "Own" accounts are the configured `accountIds` and the
 * accounts the document itself names as the bucket's (`aws:ResourceAccount`, `s3:ResourceAccount`,
 * `aws:SourceAccount` conditions). Without any own account the policy is silent: which account owns the bucket
 * is not in a bucket's properties, and the pack does not guess. Principal `*` is judged by
 * s3-bucket-policy-no-public-principal.
 */
export const s3BucketPolicyCrossAccountActions = resourcePolicy({
    name: "s3-bucket-policy-cross-account-actions",
    description:
        "S3 bucket policies must not grant other accounts the bucket-control actions of Security Hub S3.6 (policy, " +
        "ACL, encryption changes).",
    types: [...T.s3BucketPolicy, ...T.s3Bucket],
    configSchema: {
        properties: { accountIds: { type: "array", items: { type: "string", minLength: 12, maxLength: 12 } } },
    },
    check: (props, args, report) => {
        const parsed = parsePolicyDocument(props.policy);
        if (parsed.kind !== "document") return; // Absent, or invalid (other policies report an invalid document).
        const statements = parsed.document.statements;
        const own = new Set(args.getConfig<CrossAccountConfig>().accountIds ?? []);
        for (const s of statements)
            for (const c of s.conditions)
                if (OWN_ACCOUNT_KEYS.includes(c.key.toLowerCase())) c.values.forEach((v) => own.add(v));
        if (own.size === 0) return;
        for (const s of statements) {
            if (!s.isAllow) continue;
            const others = (s.principal?.aws ?? [])
                .map(principalAccount)
                .filter((a): a is string => a !== undefined && !own.has(a));
            const granted = others.length > 0 ? blockedActionsGranted(s) : [];
            if (granted.length > 0) {
                report(
                    `${s.label} grants ${granted.join(", ")} to account ${[...new Set(others)].join(", ")}, not the ` +
                        `bucket's own (${[...own].join(", ")}): let other accounts read or write objects, ` +
                        "never change the bucket's policy, ACLs or encryption.",
                );
            }
        }
    },
});

/** Every public-access policy of this module, in the order of the table above. */
export const accessPolicies: Policies = [
    s3BucketPolicyNoPublicPrincipal,
    sqsQueuePolicyNoPublicPrincipal,
    snsTopicPolicyNoPublicPrincipal,
    kmsKeyPolicyNoPublicPrincipal,
    ecrRepositoryPolicyNoPublicPrincipal,
    eventBridgeBusPolicyNoPublicPrincipal,
    secretsManagerSecretPolicyNoPublicPrincipal,
    lambdaPermissionNoPublicPrincipal,
    lambdaPermissionSourceCondition,
    s3PublicAccessBlockEnabled,
    s3BucketHasPublicAccessBlock,
    s3NoPublicAcl,
    cognitoIdentityPoolNoUnauthenticated,
    apiGatewayMethodAuthorization,
    apiGatewayV2RouteAuthorization,
    lambdaFunctionUrlAuth,
    s3BucketPolicyCrossAccountActions,
];
