/**
 * Checks against AWS's published facts that `tsc` and the other policies cannot see: whether every
 * service can use the KMS key that encrypts its data (`kms-key-consumers`, table in
 * `lib/kms-consumers.ts`), and whether the string values the program sets are ones AWS accepts
 * (`aws-value-constraints`, table in `lib/aws-constraints.ts`).
 */
import type { PolicyResource, ResourceValidationPolicy } from "@pulumi/policy";
import {
    isKeyProperty,
    KMS_CONSUMERS,
    KMS_PUBLISHERS,
    keyPolicyStatements,
    missingIamActions,
    missingServiceActions,
    type ServiceGrant,
} from "../lib/kms-consumers";
import { AUTO_NAME_SUFFIX, TAG_CONSTRAINTS, VALUE_CONSTRAINTS, valuesAt, violation } from "../lib/aws-constraints";
import type { ValueConstraint } from "../lib/aws-constraints";
import type { PolicyStatement } from "../lib/iam-document";
import { Policy, Props, stackPolicy, StackGraph, T } from "../lib/resource";

const KMS_ALIAS = ["aws:kms/alias:Alias"];
/** Types whose key-looking properties are not a use of the key (they manage it or name it). */
const NOT_CONSUMERS = new Set([...T.kmsKey, ...T.kmsKeyPolicy, ...KMS_ALIAS, "aws:kms/grant:Grant"]);

const nameOf = (r: PolicyResource) => r.urn.split("::").pop() ?? r.urn;

/**
 * The resources of `tokens` that fed `r`'s `property`, from the engine's property dependencies only: the
 * values themselves are never read, so an unknown ARN during a preview does not stop the policy.
 */
function dependencies(r: PolicyResource, property: string, tokens: readonly string[]): PolicyResource[] {
    return (r.propertyDependencies[property] ?? []).filter((d) => tokens.includes(d.type));
}

/** The customer-managed keys that fed `r.props[property]`, directly or through an alias. */
function keysOf(r: PolicyResource, property: string): PolicyResource[] {
    const direct = dependencies(r, property, T.kmsKey);
    const viaAlias = dependencies(r, property, KMS_ALIAS).flatMap((alias) =>
        dependencies(alias, "targetKeyId", T.kmsKey),
    );
    return [...new Set([...direct, ...viaAlias])];
}

/** One requirement a key must meet for one resource. */
interface Need {
    key: PolicyResource;
    user: string;
    service: string;
    grant?: ServiceGrant;
    iamActions?: readonly string[];
    source: string;
}

function consumerNeeds(graph: StackGraph): { needs: Need[]; unknown: { urn: string; line: string }[] } {
    const needs: Need[] = [];
    const unknown: { urn: string; line: string }[] = [];
    for (const r of graph.resources) {
        if (NOT_CONSUMERS.has(r.type)) continue;
        const row = KMS_CONSUMERS.find((c) => c.types.includes(r.type));
        const properties = row
            ? row.properties
            : Object.keys(r.propertyDependencies).filter((p) => isKeyProperty(p) && !/policy/i.test(p));
        for (const property of properties) {
            for (const key of keysOf(r, property)) {
                if (!row) {
                    unknown.push({
                        urn: r.urn,
                        line: `${r.type} ${nameOf(r)} uses KMS key ${nameOf(key)} through ${property}`,
                    });
                    continue;
                }
                const base = { key, user: `${nameOf(r)}.${property}`, service: row.service, source: row.source };
                if (row.via === "iam") needs.push({ ...base, iamActions: row.iamActions ?? [] });
                for (const grant of row.grants ?? []) needs.push({ ...base, grant });
            }
        }
    }
    return { needs, unknown };
}

function publisherNeeds(graph: StackGraph): Need[] {
    const needs: Need[] = [];
    for (const p of KMS_PUBLISHERS) {
        for (const r of graph.ofType(p.types)) {
            for (const property of p.properties) {
                for (const destination of dependencies(r, property, p.destinations)) {
                    for (const key of keysOf(destination, "kmsMasterKeyId")) {
                        needs.push({
                            key,
                            user: `${nameOf(r)} -> ${nameOf(destination)}`,
                            service: p.service,
                            grant: p.grant,
                            source: p.source,
                        });
                    }
                }
            }
        }
    }
    return needs;
}

function regionOf(key: PolicyResource): string | undefined {
    const region: unknown = key.provider?.props.region;
    return typeof region === "string" && region !== "" ? region : undefined;
}

function missing(statements: PolicyStatement[], need: Need): string[] {
    if (need.grant) return missingServiceActions(statements, need.grant, regionOf(need.key));
    return missingIamActions(statements, need.iamActions ?? []);
}

function describe(need: Need, region: string | undefined, gaps: string[]): string {
    if (need.grant) {
        const principal = need.grant.principal.replace("{region}", region ?? "<region>");
        const conditions =
            need.grant.requiredConditionKeys !== undefined
                ? ` with a ${need.grant.requiredConditionKeys.join(" or ")} condition`
                : need.grant.allowedConditionKeys.length > 0
                  ? ` (conditions only on ${need.grant.allowedConditionKeys.join(", ")})`
                  : "";
        return `allow Service ${principal} ${gaps.join(", ")}${conditions}`;
    }
    return (
        `let the account's IAM policies grant ${gaps.join(", ")} (account principal, unconditioned or through ` +
        `kms:ViaService)`
    );
}

export const kmsKeyConsumers = stackPolicy({
    name: "kms-key-consumers",
    description:
        "Every customer-managed KMS key's policy gives each service that uses it what AWS documents: the service " +
        "principal's actions and conditions, or the caller's IAM.",
    check: (graph, _args, report) => {
        const { needs, unknown } = consumerNeeds(graph);
        for (const { urn, line } of unknown)
            report(
                `${line}, but lib/kms-consumers.ts has no row for that service: add what AWS documents it needs ` +
                    `from the key policy.`,
                urn,
            );
        const grouped = new Map<string, { need: Need; users: string[]; gaps: string[] }>();
        const statementsOf = new Map<string, PolicyStatement[] | string>();
        for (const need of [...needs, ...publisherNeeds(graph)]) {
            if (!statementsOf.has(need.key.urn))
                statementsOf.set(need.key.urn, keyPolicyStatements(need.key.props.policy));
            const statements = statementsOf.get(need.key.urn)!;
            if (typeof statements === "string") {
                report(`KMS key ${nameOf(need.key)} is used by ${need.user} but ${statements}.`, need.key.urn);
                continue;
            }
            const gaps = missing(statements, need);
            if (gaps.length === 0) continue;
            const id = `${need.key.urn}|${need.service}|${gaps.join(",")}`;
            const entry = grouped.get(id) ?? { need, users: [], gaps };
            entry.users.push(need.user);
            grouped.set(id, entry);
        }
        for (const { need, users, gaps } of grouped.values()) {
            const shown =
                users.length > 3 ? `${users.slice(0, 3).join(", ")} and ${users.length - 3} more` : users.join(", ");
            report(
                `KMS key ${nameOf(need.key)} encrypts data of ${need.service} (${shown}), but its policy does not ` +
                    `${describe(need, regionOf(need.key), gaps)}; AWS: ${need.source}`,
                need.key.urn,
            );
        }
    },
});

/** The name Pulumi gives a resource whose name property is absent: `<logical name>-<7 hex>`. */
function autoName(logicalName: string, lower: boolean | undefined): string {
    const base = lower ? logicalName.toLowerCase() : logicalName;
    return `${base}-${"a".repeat(AUTO_NAME_SUFFIX - 1)}`;
}

function checkRow(row: ValueConstraint, props: Props, logicalName: string, report: (m: string) => void): void {
    for (const { value, element, at } of valuesAt(props, row.property)) {
        let checked = value;
        let label = `${at} ${JSON.stringify(value)}`;
        if ((value === undefined || value === null) && row.autoName && !row.property.includes("[]")) {
            checked = autoName(logicalName, row.autoName.lower);
            label =
                `${at} (absent: Pulumi auto-names it "${logicalName}-" and ${AUTO_NAME_SUFFIX - 1} random hex ` +
                `digits)`;
        }
        if (typeof checked !== "string") continue;
        if (row.when && !row.when(props, element)) continue;
        const problem = violation(row, checked);
        if (problem !== undefined)
            report(
                `${row.what} ${label}: ${problem}. AWS allows ${row.minLength ?? 0}-${row.maxLength} characters: ` +
                    `${row.allowed} (${row.source}).`,
            );
    }
}

function checkTags(tags: unknown, report: (m: string) => void): void {
    if (typeof tags !== "object" || tags === null) return;
    const c = TAG_CONSTRAINTS;
    for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
        const problems: string[] = [];
        if (key.length < c.key.minLength || key.length > c.key.maxLength)
            problems.push(`key length ${key.length} is not ${c.key.minLength}-${c.key.maxLength}`);
        if (!c.pattern.test(key)) problems.push("key has characters AWS refuses");
        if (key.toLowerCase().startsWith(c.reservedPrefix)) problems.push(`key starts with ${c.reservedPrefix}`);
        if (typeof value === "string") {
            if (value.length > c.value.maxLength)
                problems.push(`value length ${value.length} is more than ${c.value.maxLength}`);
            if (!c.pattern.test(value)) problems.push("value has characters AWS refuses");
        }
        if (problems.length > 0)
            report(`tag ${JSON.stringify(key)}: ${problems.join("; ")}. AWS allows ${c.allowed} (${c.source}).`);
    }
}

/**
 * Resource-level: reads the inputs (`Analyze`), so each resource is judged on its own and an unknown value
 * makes only that resource's check advisory. Tags are checked on every AWS resource.
 */
export const awsValueConstraints: ResourceValidationPolicy = {
    name: "aws-value-constraints",
    description:
        "Names (with Pulumi's auto-name suffix), descriptions, identifiers and tags must meet the constraints " +
        "AWS documents (table: lib/aws-constraints.ts).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!args.type.startsWith("aws:")) return;
        for (const row of VALUE_CONSTRAINTS)
            if (row.types.includes(args.type)) checkRow(row, args.props, args.name, report);
        checkTags(args.props.tags, report);
    },
};

/** The policies of this module, in README order. */
export const awsFactsPolicies: Policy[] = [kmsKeyConsumers, awsValueConstraints];
