/**
 * Configuration of the bootstrap program (namespace `platform-bootstrap`), read once and validated:
 * every problem is collected and the program stops with all of them, each naming its full key, before
 * any resource is registered. Keys are declared in bootstrap/Pulumi.yaml with type and description.
 */
import * as pulumi from "@pulumi/pulumi";
import { ARCHITECTURE_NAMES } from "../infra/config/keys";

export const NAMESPACE = "platform-bootstrap";

/** The validated bootstrap configuration. */
export interface BootstrapConfig {
    readonly stack: string;
    /** Region of the state bucket and the secrets-provider keys (`aws:region`). */
    readonly region: string;
    /** `owner/repository` on GitHub whose workflows may assume the CI roles. */
    readonly githubRepository: string;
    /** Environments (= platform stacks, = GitHub environments) that get a secrets key and two CI roles. */
    readonly environments: readonly string[];
    /** IAM role ARNs of the account administrators: the only principals besides the CI roles that may use the state. */
    readonly adminRoleArns: readonly string[];
    /**
     * Regions the deploy roles may act in (the platform's region and us-east-1 for CloudFront certificates and WAF).
     */
    readonly deployRegions: readonly string[];
    /** Pulumi project whose stacks the CI roles read and write in the state bucket. */
    readonly stateProject: string;
    /** Days a replaced or deleted state file version is kept (S3 noncurrent-version expiration). */
    readonly noncurrentVersionDays: number;
    /** Noncurrent versions of each state file kept regardless of age. */
    readonly noncurrentVersionsKept: number;
    /** ARN of an existing GitHub OIDC provider to reuse (an account has at most one per URL); empty to create it. */
    readonly githubOidcProviderArn: string;
    /** Pulumi `protect` on the bucket and keys, and no `forceDestroy`. */
    readonly protect: boolean;
    /** Extra tags for every resource. */
    readonly tags: Readonly<Record<string, string>>;
    /**
     * Prefixes of the platform's physical names (`platform-…` from `physicalName`, `/platform/…` log
     * groups and parameters, and each architecture's auto-named resources `ticketing-…`): the deploy
     * roles' write permissions are scoped to them.
     */
    readonly namePrefixes: readonly string[];
}

/** Thrown with every configuration problem; the Pulumi CLI prints a RunError without a stack trace. */
export class BootstrapConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        const list = problems.map((p) => `  - ${p}`).join("\n");
        super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${list}`);
        this.name = "BootstrapConfigError";
    }
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,19}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const OIDC_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const PROJECT = /^[A-Za-z0-9_.-]{1,100}$/;

const got = (v: unknown) => `got ${JSON.stringify(v)}`;

/** Raw values as Pulumi passes them (strings; arrays and objects JSON-encoded). */
export type RawBootstrapConfig = Record<string, string | undefined>;

function json(raw: string | undefined, key: string, problems: string[]): unknown {
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        problems.push(`${NAMESPACE}:${key}: must be JSON (a list or map); ${got(raw)}`);
        return undefined;
    }
}

function stringList(raw: string | undefined, key: string, fallback: string[], problems: string[]): string[] {
    const v = raw === undefined ? fallback : json(raw, key, problems);
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
        if (v !== undefined) problems.push(`${NAMESPACE}:${key}: must be a list of strings; ${got(v)}`);
        return [];
    }
    return v as string[];
}

function integer(
    raw: string | undefined,
    key: string,
    fallback: number,
    min: number,
    max: number,
    problems: string[],
): number {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
        problems.push(`${NAMESPACE}:${key}: must be an integer from ${min} to ${max}; ${got(raw)}`);
        return fallback;
    }
    return n;
}

/**
 * Validates raw config values. Pure, so tests call it directly.
 * @throws BootstrapConfigError listing every problem.
 */
export function validateBootstrapConfig(stack: string, values: RawBootstrapConfig): BootstrapConfig {
    const problems: string[] = [];
    const key = (k: string) => values[`${NAMESPACE}:${k}`];

    const region = values["aws:region"];
    if (region === undefined || !REGION.test(region))
        problems.push(`aws:region: must be an AWS region code such as sa-east-1; ${got(region)}`);

    const githubRepository = key("githubRepository");
    if (githubRepository === undefined)
        problems.push(
            `${NAMESPACE}:githubRepository: required; the GitHub repository as owner/repository (pulumi config ` +
                `set githubRepository my-org/platform)`,
        );
    else if (!REPOSITORY.test(githubRepository))
        problems.push(
            `${NAMESPACE}:githubRepository: must be owner/repository (letters, digits and - in the owner; ` +
                `letters, digits, . _ - in the repository), no wildcards; ${got(githubRepository)}`,
        );

    const environments = stringList(key("environments"), "environments", ["dev", "prod"], problems);
    if (environments.length === 0 && key("environments") !== undefined)
        problems.push(`${NAMESPACE}:environments: must list at least one environment`);
    environments.forEach((e, i) => {
        if (!ENVIRONMENT.test(e))
            problems.push(
                `${NAMESPACE}:environments[${i}]: must be a lower-case name of up to 20 letters, digits and - ` +
                    `starting with a letter (it names the platform stack and the GitHub environment); ${got(e)}`,
            );
    });
    if (new Set(environments).size !== environments.length)
        problems.push(`${NAMESPACE}:environments: lists an environment more than once`);

    const adminRoleArns = stringList(key("adminRoleArns"), "adminRoleArns", [], problems);
    if (key("adminRoleArns") === undefined)
        problems.push(
            `${NAMESPACE}:adminRoleArns: required; the IAM role ARNs of the account administrators (at least ` +
                `one), who keep access to the state bucket and keys`,
        );
    else if (adminRoleArns.length === 0)
        problems.push(
            `${NAMESPACE}:adminRoleArns: must list at least one role, or nobody but the CI roles could read the state`,
        );
    adminRoleArns.forEach((a, i) => {
        if (!ROLE_ARN.test(a))
            problems.push(
                `${NAMESPACE}:adminRoleArns[${i}]: must be an IAM role ARN (arn:aws:iam::<12-digit ` +
                    `account>:role/<path/name>), no wildcards; ${got(a)}`,
            );
    });

    const deployRegions = stringList(key("deployRegions"), "deployRegions", ["sa-east-1", "us-east-1"], problems);
    if (deployRegions.length === 0 && key("deployRegions") !== undefined)
        problems.push(`${NAMESPACE}:deployRegions: must list at least one region`);
    deployRegions.forEach((r, i) => {
        if (!REGION.test(r))
            problems.push(`${NAMESPACE}:deployRegions[${i}]: must be an AWS region code such as sa-east-1; ${got(r)}`);
    });
    if (region !== undefined && REGION.test(region) && deployRegions.length > 0 && !deployRegions.includes(region)) {
        problems.push(
            `${NAMESPACE}:deployRegions: must include aws:region ${region} (where the state bucket and the ` +
                `secrets keys live)`,
        );
    }
    if (deployRegions.length > 0 && !deployRegions.includes("us-east-1")) {
        problems.push(
            `${NAMESPACE}:deployRegions: must include us-east-1 (IAM, CloudFront, Route 53 and CloudFront-scope ` +
                `WAF are called there)`,
        );
    }

    const stateProject = key("stateProject") ?? "platform";
    if (!PROJECT.test(stateProject))
        problems.push(
            `${NAMESPACE}:stateProject: must be a Pulumi project name (letters, digits, _ . -); ${got(stateProject)}`,
        );

    const githubOidcProviderArn = key("githubOidcProviderArn") ?? "";
    if (githubOidcProviderArn !== "" && !OIDC_ARN.test(githubOidcProviderArn)) {
        problems.push(
            `${NAMESPACE}:githubOidcProviderArn: must be empty or ` +
                `arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com; ` +
                `${got(githubOidcProviderArn)}`,
        );
    }

    const protectRaw = key("protect") ?? "true";
    if (protectRaw !== "true" && protectRaw !== "false")
        problems.push(`${NAMESPACE}:protect: must be true or false; ${got(protectRaw)}`);

    const tagsValue = key("tags") === undefined ? {} : json(key("tags"), "tags", problems);
    const tags: Record<string, string> = {};
    if (tagsValue !== undefined) {
        if (
            typeof tagsValue !== "object" ||
            tagsValue === null ||
            Array.isArray(tagsValue) ||
            Object.values(tagsValue).some((v) => typeof v !== "string")
        ) {
            problems.push(`${NAMESPACE}:tags: must be a map of tag keys to string values; ${got(tagsValue)}`);
        } else {
            for (const [k, v] of Object.entries(tagsValue as Record<string, string>)) {
                if (["Project", "Environment", "Architecture", "ManagedBy", "Stack"].includes(k))
                    problems.push(`${NAMESPACE}:tags.${k}: is set by the program and may not be overridden`);
                else tags[k] = v;
            }
        }
    }

    const noncurrentVersionDays = integer(key("noncurrentVersionDays"), "noncurrentVersionDays", 90, 1, 3650, problems);
    const noncurrentVersionsKept = integer(
        key("noncurrentVersionsKept"),
        "noncurrentVersionsKept",
        20,
        0,
        100,
        problems,
    );

    if (problems.length > 0) throw new BootstrapConfigError(problems);
    return Object.freeze({
        stack,
        region: region!,
        githubRepository: githubRepository!,
        environments: Object.freeze([...environments]),
        adminRoleArns: Object.freeze([...adminRoleArns]),
        deployRegions: Object.freeze([...deployRegions]),
        stateProject,
        noncurrentVersionDays,
        noncurrentVersionsKept,
        githubOidcProviderArn,
        protect: protectRaw === "true",
        tags: Object.freeze(tags),
        namePrefixes: Object.freeze(["platform", "foundation", ...ARCHITECTURE_NAMES]),
    });
}

/** Reads the stack's config from the Pulumi runtime and validates it. */
export function loadBootstrapConfig(): BootstrapConfig {
    return validateBootstrapConfig(pulumi.getStack(), { ...pulumi.runtime.allConfig() });
}
