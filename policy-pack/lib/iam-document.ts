/**
 * IAM policy documents as the policies see them: parsing (JSON string or object), statement
 * normalisation, wildcard matching and the action classification the least-privilege policies use.
 *
 * Grammar followed: IAM JSON policy reference,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 *
 * Unknown values: the analyzer hands policies their inputs wrapped in @pulumi/policy's
 * unknown-checking proxy, which throws `UnknownValueError` when code reads a value that is unknown
 * during preview; the analyzer then reports the policy as "can't run during preview". This module
 * never catches that error and reads each statement element only when a policy asks for it
 * (`PolicyStatement` getters), so a policy that needs `Action` is not blocked by an unknown
 * `Resource`. Nothing here decides "compliant" or "violation" for an unknown value.
 */

/** One element of a `Condition` block: `{"<operator>": {"<key>": <values>}}`. */
export interface ConditionEntry {
    /** Operator as written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`. */
    readonly operator: string;
    /** Condition key as written, e.g. `aws:SourceArn`, `token.actions.githubusercontent.com:sub`. */
    readonly key: string;
    /** Values as strings (booleans and numbers converted with `String`). */
    readonly values: readonly string[];
}

/** `Principal` / `NotPrincipal` element, normalised. */
export interface PrincipalSet {
    /** `"*"`, or `"*"` in any of the lists (`{"AWS": "*"}`): everyone. */
    readonly wildcard: boolean;
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
    readonly canonicalUser: readonly string[];
}

/**
 * A statement of a policy document. Every getter reads the raw element when called (so unknown
 * values throw there, not at parse time) and normalises single strings to one-element lists.
 * Element names follow the IAM grammar (`Effect`, `Action`, `NotAction`, `Resource`,
 * `NotResource`, `Principal`, `NotPrincipal`, `Condition`, `Sid`).
 */
export class PolicyStatement {
    /**
     * @param raw the statement object as found in the document (may be an unknown-checking proxy).
     * @param index position in the document's `Statement` list (0 when `Statement` is one object).
     */
    constructor(
        private readonly raw: Record<string, unknown>,
        readonly index: number,
    ) {}

    /** `Sid`, when it is a string. */
    get sid(): string | undefined {
        const sid = this.raw["Sid"];
        return typeof sid === "string" && sid !== "" ? sid : undefined;
    }

    /** `Effect` as written (`"Allow"` or `"Deny"` in a valid document). */
    get effect(): string | undefined {
        const effect = this.raw["Effect"];
        return typeof effect === "string" ? effect : undefined;
    }

    /** True for `"Effect": "Allow"` (IAM compares this value case-sensitively; we do not). */
    get isAllow(): boolean {
        return (this.effect ?? "").toLowerCase() === "allow";
    }

    /** `Action` as a list, or `undefined` when the statement has none. */
    get actions(): string[] | undefined {
        return stringList(this.raw["Action"]);
    }

    /** `NotAction` as a list, or `undefined`. */
    get notActions(): string[] | undefined {
        return stringList(this.raw["NotAction"]);
    }

    /** `Resource` as a list, or `undefined`. */
    get resources(): string[] | undefined {
        return stringList(this.raw["Resource"]);
    }

    /** `NotResource` as a list, or `undefined`. */
    get notResources(): string[] | undefined {
        return stringList(this.raw["NotResource"]);
    }

    /** `Principal`, normalised, or `undefined` (identity policies have none). */
    get principal(): PrincipalSet | undefined {
        return principalSet(this.raw["Principal"]);
    }

    /** `NotPrincipal`, normalised, or `undefined`. */
    get notPrincipal(): PrincipalSet | undefined {
        return principalSet(this.raw["NotPrincipal"]);
    }

    /** Every `operator / key / values` triple of `Condition`; empty when there is none. */
    get conditions(): ConditionEntry[] {
        const condition = this.raw["Condition"];
        const entries: ConditionEntry[] = [];
        if (!isObject(condition)) return entries;
        for (const operator of Object.keys(condition)) {
            const block = (condition as Record<string, unknown>)[operator];
            if (!isObject(block)) continue;
            for (const key of Object.keys(block)) {
                entries.push({ operator, key, values: stringList((block as Record<string, unknown>)[key]) ?? [] });
            }
        }
        return entries;
    }

    /** Where the statement is, for messages: `Statement[2] (Sid "ReadAssets")`. */
    get label(): string {
        const sid = this.sid;
        return sid === undefined ? `Statement[${this.index}]` : `Statement[${this.index}] (Sid "${sid}")`;
    }
}

/** A parsed document: its statements in order. */
export interface PolicyDocument {
    readonly statements: readonly PolicyStatement[];
}

/**
 * Result of {@link parsePolicyDocument}:
 * - `absent`: the property is not set (`undefined`, `null` or `""`);
 * - `invalid`: not JSON, or not an object with a `Statement` object or list (`reason` says which);
 * - `document`: the statements.
 */
export type ParsedPolicyDocument =
    | { readonly kind: "absent" }
    | { readonly kind: "invalid"; readonly reason: string }
    | { readonly kind: "document"; readonly document: PolicyDocument };

/**
 * Parses a policy document given the way Pulumi programs pass them: a JSON string (from
 * `JSON.stringify`, `pulumi.jsonStringify` or `aws.iam.getPolicyDocument(...).json`) or an object
 * (`aws.iam.PolicyDocument`). Reading an unknown value (the whole string, `Statement`, or an
 * element of it) throws the analyzer's `UnknownValueError`, which this function lets through.
 *
 * @param value the property value (`policy`, `assumeRolePolicy`, `inlinePolicies[i].policy`).
 * @returns see {@link ParsedPolicyDocument}; never throws for malformed input.
 */
export function parsePolicyDocument(value: unknown): ParsedPolicyDocument {
    if (value === undefined || value === null || value === "") return { kind: "absent" };
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch (e) {
            return { kind: "invalid", reason: `not valid JSON (${(e as Error).message})` };
        }
    }
    if (!isObject(doc) || Array.isArray(doc)) {
        return { kind: "invalid", reason: "not a JSON object" };
    }
    const raw = (doc as Record<string, unknown>)["Statement"];
    const statements: PolicyStatement[] = [];
    if (Array.isArray(raw)) {
        for (let i = 0; i < raw.length; i++) {
            const s: unknown = raw[i];
            if (!isObject(s) || Array.isArray(s)) {
                return { kind: "invalid", reason: `Statement[${i}] is not an object` };
            }
            statements.push(new PolicyStatement(s as Record<string, unknown>, i));
        }
    } else if (isObject(raw)) {
        statements.push(new PolicyStatement(raw as Record<string, unknown>, 0));
    } else {
        return { kind: "invalid", reason: "it has no Statement object or list" };
    }
    return { kind: "document", document: { statements } };
}

// ---------------------------------------------------------------------------------------------
// Wildcards and ARNs
// ---------------------------------------------------------------------------------------------

/**
 * IAM wildcard match, case-insensitive: `*` matches any run of characters, `?` one character
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 *
 * @param pattern e.g. `s3:Get*`.
 * @param value e.g. `s3:GetObject`.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
    return wildcardRegExp(pattern).test(value);
}

function wildcardRegExp(pattern: string): RegExp {
    const body = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
        .join("");
    return new RegExp(`^${body}$`, "i");
}

/** True when an action string carries `*` or `?`. */
export function hasWildcard(action: string): boolean {
    return action.includes("*") || action.includes("?");
}

/**
 * True for the actions the `iam-no-wildcard-actions` policy forbids: `*` and a whole service
 * (`s3:*`, `*:*`, `*:GetObject`); partial patterns such as `s3:Get*` are not whole-service.
 */
export function isServiceWideAction(action: string): boolean {
    const a = action.trim();
    if (a === "*") return true;
    const colon = a.indexOf(":");
    if (colon < 0) return hasWildcard(a);
    const service = a.slice(0, colon);
    const name = a.slice(colon + 1);
    return hasWildcard(service) || name === "*" || name === "";
}

/**
 * True when a `Resource` entry covers every resource of a service rather than named ones:
 * `*`, an ARN whose service is a wildcard (`arn:aws:*:*:*:*`), or an ARN whose resource part is
 * only wildcards and separators (`arn:aws:s3:::*`, `arn:aws:s3:::*\/*`, `arn:aws:sqs:*:*:*`).
 * `arn:aws:dynamodb:eu-west-1:123456789012:table/*` is scoped (one account, one resource type).
 * ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function isUnscopedResource(resource: string): boolean {
    const r = resource.trim();
    if (r === "*") return true;
    const parts = r.split(":");
    if (parts.length < 6 || parts[0].toLowerCase() !== "arn") return false;
    const service = parts[2];
    const rest = parts.slice(5).join(":");
    return hasWildcard(service) || /^[*/:?]+$/.test(rest);
}

// ---------------------------------------------------------------------------------------------
// Action classification for `Resource: "*"`
// ---------------------------------------------------------------------------------------------

/**
 * Actions AWS authorizes only on `"Resource": "*"` (the "Resource types" column of the Service
 * Authorization Reference is empty for them, or the service's own docs grant them on `*`), so a
 * statement that needs them cannot be scoped. Lower-case; compared case-insensitively.
 * Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 *
 * Deliberately absent: `logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:PutLogEvents` (they take
 * a `log-group` ARN: scope them to `arn:aws:logs:<region>:<account>:log-group:<name>:*`).
 */
export const STAR_ONLY_ACTIONS: ReadonlyMap<string, string> = new Map([
    // ECR: the registry login token is account-wide (list_amazonelasticcontainerregistry.html).
    ["ecr:getauthorizationtoken", "ECR registry login; no resource type"],
    // X-Ray daemon / SDK (AWSXRayDaemonWriteAccess grants these on *).
    ["xray:puttracesegments", "X-Ray trace upload; no resource type"],
    ["xray:puttelemetryrecords", "X-Ray telemetry; no resource type"],
    ["xray:getsamplingrules", "X-Ray sampling; no resource type"],
    ["xray:getsamplingtargets", "X-Ray sampling; no resource type"],
    ["xray:getsamplingstatisticsummaries", "X-Ray sampling; no resource type"],
    // CloudWatch custom metrics: only `cloudwatch:namespace` condition, no resource type.
    ["cloudwatch:putmetricdata", "custom metrics; no resource type (scope with cloudwatch:namespace)"],
    // Lambda in a VPC (AWSLambdaVPCAccessExecutionRole grants these on *).
    ["ec2:describenetworkinterfaces", "Lambda VPC ENIs; no resource type"],
    ["ec2:createnetworkinterface", "Lambda VPC ENIs (AWSLambdaVPCAccessExecutionRole)"],
    ["ec2:deletenetworkinterface", "Lambda VPC ENIs (AWSLambdaVPCAccessExecutionRole)"],
    ["ec2:assignprivateipaddresses", "Lambda VPC ENIs (AWSLambdaVPCAccessExecutionRole)"],
    ["ec2:unassignprivateipaddresses", "Lambda VPC ENIs (AWSLambdaVPCAccessExecutionRole)"],
    ["ec2:describesubnets", "Lambda VPC ENIs; no resource type"],
    // Vended log delivery (Step Functions, API Gateway v2, EventBridge Pipes logging to CloudWatch
    // Logs: https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
    ["logs:createlogdelivery", "vended logs delivery; no resource type"],
    ["logs:getlogdelivery", "vended logs delivery; no resource type"],
    ["logs:updatelogdelivery", "vended logs delivery; no resource type"],
    ["logs:deletelogdelivery", "vended logs delivery; no resource type"],
    ["logs:listlogdeliveries", "vended logs delivery; no resource type"],
    ["logs:putresourcepolicy", "vended logs delivery (Step Functions logging docs)"],
    ["logs:describeresourcepolicies", "vended logs delivery; no resource type"],
    ["logs:describeloggroups", "no resource type"],
    // ECS Exec / Session Manager channels (AmazonSSMManagedInstanceCore).
    ["ssmmessages:createcontrolchannel", "ECS Exec; no resource type"],
    ["ssmmessages:createdatachannel", "ECS Exec; no resource type"],
    ["ssmmessages:opencontrolchannel", "ECS Exec; no resource type"],
    ["ssmmessages:opendatachannel", "ECS Exec; no resource type"],
    // Identity and randomness helpers.
    ["sts:getcalleridentity", "no resource type; needs no permission at all"],
    ["secretsmanager:getrandompassword", "no resource type"],
    ["kms:generaterandom", "no resource type"],
]);

/**
 * Read actions that still expose data or credentials, so granting them on every resource is
 * as dangerous as a write: secrets, parameters, object contents, table items, function code and
 * environment, container images, temporary credentials. Lower-case.
 */
export const SENSITIVE_READ_ACTIONS: ReadonlySet<string> = new Set([
    "secretsmanager:getsecretvalue",
    "secretsmanager:batchgetsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
    "ssm:getparameterhistory",
    "s3:getobject",
    "s3:getobjectversion",
    "dynamodb:getitem",
    "dynamodb:batchgetitem",
    "lambda:getfunction",
    "ecr:getdownloadurlforlayer",
    "ecr:batchgetimage",
    "kinesis:getrecords",
    "sts:getsessiontoken",
    "sts:getfederationtoken",
    "redshift:getclustercredentials",
    "cognito-identity:getcredentialsforidentity",
    "cognito-identity:getopenidtoken",
    "codeartifact:getauthorizationtoken",
]);

/** Name prefixes of List/Read access-level actions (after `service:`), lower-case. */
const READ_PREFIXES = ["get", "list", "describe", "batchget", "search", "lookup", "view"];

/** Wildcard patterns we accept on `*` must start with one of these (after `service:`). */
const READ_PATTERN_PREFIXES = ["describe", "list"];

/**
 * How an action (or action pattern) behaves when granted on every resource:
 * - `star-only`: in {@link STAR_ONLY_ACTIONS} (or in `extraAllowed`): needs `*`, accepted;
 * - `read`: List/Read access level that exposes no data: accepted;
 * - `sensitive`: a read that returns secrets, data or credentials ({@link SENSITIVE_READ_ACTIONS},
 *   or a name containing Token / Credential / Secret / Password): rejected;
 * - `write`: anything else, including permission management and every wildcard pattern that is
 *   not `Describe*` / `List*`: rejected.
 *
 * @param action e.g. `s3:PutObject`, `ec2:Describe*`.
 * @param extraAllowed additional lower-case actions accepted on `*` (policy config).
 */
export function classifyActionOnAllResources(
    action: string,
    extraAllowed: ReadonlySet<string> = new Set(),
): "star-only" | "read" | "sensitive" | "write" {
    const a = action.trim().toLowerCase();
    if (STAR_ONLY_ACTIONS.has(a) || extraAllowed.has(a)) return "star-only";
    const colon = a.indexOf(":");
    if (colon < 0) return "write";
    const service = a.slice(0, colon);
    const name = a.slice(colon + 1);
    if (hasWildcard(service)) return "write";
    if (hasWildcard(name)) {
        const literal = name.split(/[*?]/)[0];
        if (!READ_PATTERN_PREFIXES.some((p) => literal.startsWith(p))) return "write";
        for (const sensitive of SENSITIVE_READ_ACTIONS) {
            if (wildcardMatch(a, sensitive)) return "sensitive";
        }
        return "read";
    }
    if (SENSITIVE_READ_ACTIONS.has(a) || /token|credential|secret|password/.test(name)) return "sensitive";
    return READ_PREFIXES.some((p) => name.startsWith(p)) ? "read" : "write";
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

/**
 * Condition keys that narrow a `*` principal in a resource policy to known callers (lower-case):
 * the calling resource or account (`aws:SourceArn`, `aws:SourceAccount`, legacy SNS
 * `aws:SourceOwner`), the caller's organization or account (`aws:PrincipalOrgID`,
 * `aws:PrincipalAccount`, `aws:PrincipalArn`, KMS `kms:CallerAccount`), or the network path
 * (`aws:SourceVpce`, `aws:SourceVpc`, `aws:SourceIp`).
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export const PRINCIPAL_NARROWING_KEYS: ReadonlySet<string> = new Set([
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
    "kms:calleraccount",
]);

/** `aws:SourceIp` values that match every address: they narrow nothing. */
const OPEN_NETWORKS: ReadonlySet<string> = new Set(["0.0.0.0/0", "::/0"]);

/**
 * True when a condition entry can only make a statement narrower: a positive operator (no `Not`,
 * no `IfExists`, not `Null`, not `ForAllValues:` which is true for an absent key) with at least one
 * value, none of them only wildcards or an open network (`0.0.0.0/0`, `::/0`).
 */
export function isNarrowingCondition(entry: ConditionEntry): boolean {
    const op = entry.operator.toLowerCase();
    if (op.includes("not") || op.endsWith("ifexists") || op === "null" || op.startsWith("forallvalues:")) {
        return false;
    }
    return entry.values.length > 0 && entry.values.every((v) => !/^[*?]*$/.test(v) && !OPEN_NETWORKS.has(v.trim()));
}

/**
 * The conditions of a statement that narrow a `*` principal ({@link PRINCIPAL_NARROWING_KEYS}
 * with a {@link isNarrowingCondition narrowing} operator and values).
 */
export function narrowingPrincipalConditions(statement: PolicyStatement): ConditionEntry[] {
    return statement.conditions.filter(
        (c) => PRINCIPAL_NARROWING_KEYS.has(c.key.toLowerCase()) && isNarrowingCondition(c),
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is object {
    return typeof v === "object" && v !== null;
}

/**
 * A string or a list of strings as a list; numbers and booleans become strings; other elements
 * are dropped (IAM rejects them). `undefined`/`null` give `undefined`.
 */
export function stringList(v: unknown): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return [String(v)];
    if (!Array.isArray(v)) return [];
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
        const e: unknown = v[i];
        if (typeof e === "string" || typeof e === "number" || typeof e === "boolean") out.push(String(e));
    }
    return out;
}

function principalSet(v: unknown): PrincipalSet | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") {
        return { wildcard: v.trim() === "*", aws: [], service: [], federated: [], canonicalUser: [] };
    }
    if (!isObject(v) || Array.isArray(v)) {
        return { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [] };
    }
    const lists: Record<string, string[]> = {};
    let wildcard = false;
    for (const key of Object.keys(v)) {
        const list = stringList((v as Record<string, unknown>)[key]) ?? [];
        lists[key.toLowerCase()] = list;
        if (list.some((p) => p.trim() === "*")) wildcard = true;
    }
    return {
        wildcard,
        aws: lists["aws"] ?? [],
        service: lists["service"] ?? [],
        federated: lists["federated"] ?? [],
        canonicalUser: lists["canonicaluser"] ?? [],
    };
}
