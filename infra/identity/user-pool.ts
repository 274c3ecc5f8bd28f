/**
 * An Amazon Cognito user pool with its app clients (`platform:identity:UserPool`).
 *
 * - Sign-in name: `username` (the username is the identifier itself, e.g. a CPF; no aliases, so
 *   triggers see exactly what the client sent) or `email` (the e-mail address is the username,
 *   verified automatically by a code).
 * - Password policy: at least 12 characters with lower, upper, digits and symbols by default; temporary
 *   passwords valid 1 day. A pool whose users never get a password (custom-auth only) keeps the policy
 *   for any password an administrator might set.
 * - MFA `OFF`, `OPTIONAL` or `ON` with TOTP (software tokens); never SMS (SIM swapping).
 * - Threat protection (advanced security) `OFF`, `AUDIT` or `ENFORCED`: anything but `OFF` puts the pool
 *   on the Plus feature plan, which it requires; `OFF` keeps the Essentials plan. Custom-auth flows are
 *   covered too (`advancedSecurityAdditionalFlows`).
 * - Self sign-up only where the caller allows it; user-existence errors hidden; token revocation on;
 *   deletion protection from `protect`.
 * - E-mail through a verified Amazon SES identity (`DEVELOPER`) when given, else Cognito's own sender.
 * - Lambda triggers (custom authentication and others), each granted `lambda:InvokeFunction` for this
 *   pool only.
 * - App clients: public clients (no secret), only the authentication flows the caller lists, token
 *   validity in minutes/days.
 *
 * References: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-threat-protection.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaFunction } from "../serverless/lambda-function";

/** The triggers this component wires (the `lambdaConfig` keys of the pool). */
export const TRIGGERS = [
    "defineAuthChallenge",
    "createAuthChallenge",
    "verifyAuthChallengeResponse",
    "preSignUp",
    "postConfirmation",
    "preTokenGeneration",
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Authentication flows an app client may enable (never the legacy plain-password flows). */
export const AUTH_FLOWS = [
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

export interface UserPoolClientSpec {
    /** Flows the client may use; must include `ALLOW_REFRESH_TOKEN_AUTH` to refresh tokens. */
    authFlows: AuthFlow[];
    /** Access and id token validity in minutes, 5-1440. Default 60. */
    tokenValidityMinutes?: number;
    /** Refresh token validity in days, 1-3650. Default 30. */
    refreshTokenValidityDays?: number;
    /** Minutes a sign-in session (between challenges) stays valid, 3-15. Default 3. */
    authSessionValidityMinutes?: number;
}

export interface UserPoolArgs {
    /** Pool name (1-128 characters), e.g. `platform-dev-postech-customers`. */
    poolName: string;
    /** What users sign in with: `username` (the identifier itself) or `email`. */
    signInWith: "username" | "email";
    /**
     * Let anyone sign up through the public API (`SignUp`). Default false: only administrators (or a backend)
     * create users.
     */
    selfSignUp?: boolean;
    /** Password rules. Defaults: 12 characters, every class required, temporary passwords valid 1 day. */
    passwordPolicy?: { minimumLength?: number; temporaryPasswordValidityDays?: number };
    /** `OFF`, `OPTIONAL` or `ON` (TOTP). Default `OPTIONAL`. */
    mfa?: "OFF" | "OPTIONAL" | "ON";
    /** Threat protection: `OFF`, `AUDIT` or `ENFORCED`. Default `OFF`. */
    advancedSecurity?: "OFF" | "AUDIT" | "ENFORCED";
    /** Lambda triggers; each function is granted invocation by this pool. Default none. */
    triggers?: Partial<Record<Trigger, LambdaFunction>>;
    /** App clients, keyed by a stable name (also their display name). At least one. */
    clients: Record<string, UserPoolClientSpec>;
    /**
     * E-mail through Amazon SES (`emailSendingAccount: DEVELOPER`): the ARN of a verified SES identity
     * (`arn:aws:ses:<region>:<account>:identity/<domain or address>`) and optionally the `From` header
     * (`Name <address@domain>`, at that identity). Default Cognito's own sender, whose daily quota is
     * below production volume. The identity must authorize Cognito to send (SES sending authorization;
     * the console adds it when the identity is chosen there).
     * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html,
     * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
     */
    email?: { sesIdentityArn: pulumi.Input<string>; fromAddress?: string };
    /** Deletion protection. */
    protect: boolean;
    tags: Record<string, string>;
}

const inRange = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

function poolProblems(args: UserPoolArgs): string[] {
    const p: string[] = [];
    const minLength = args.passwordPolicy?.minimumLength ?? 12;
    const temporaryDays = args.passwordPolicy?.temporaryPasswordValidityDays ?? 1;
    if (!/^[\w\s+=,.@-]{1,128}$/.test(args.poolName))
        p.push(
            `poolName must be 1-128 letters, digits, spaces and + = , . @ - _; got ${JSON.stringify(args.poolName)}`,
        );
    if (!["username", "email"].includes(args.signInWith))
        p.push(`signInWith must be username or email; got ${JSON.stringify(args.signInWith)}`);
    if (!inRange(minLength, 8, 99))
        p.push(`passwordPolicy.minimumLength must be 8-99 (Cognito's range; 12 or more recommended); got ${minLength}`);
    if (!inRange(temporaryDays, 1, 365))
        p.push(`passwordPolicy.temporaryPasswordValidityDays must be 1-365; got ${temporaryDays}`);
    if (!["OFF", "OPTIONAL", "ON"].includes(args.mfa ?? "OPTIONAL"))
        p.push(`mfa must be OFF, OPTIONAL or ON; got ${JSON.stringify(args.mfa)}`);
    if (!["OFF", "AUDIT", "ENFORCED"].includes(args.advancedSecurity ?? "OFF"))
        p.push(`advancedSecurity must be OFF, AUDIT or ENFORCED; got ${JSON.stringify(args.advancedSecurity)}`);
    return p;
}

/** The custom-authentication triggers the pool has (all three, or a problem). */
function customAuthTriggers(triggers: UserPoolArgs["triggers"]): string[] {
    return ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"].filter(
        (t) => triggers?.[t as Trigger] !== undefined,
    );
}

function triggerProblems(triggers: UserPoolArgs["triggers"]): string[] {
    const p: string[] = [];
    for (const t of Object.keys(triggers ?? {}))
        if (!(TRIGGERS as readonly string[]).includes(t))
            p.push(`triggers: unknown trigger ${t}; known: ${TRIGGERS.join(", ")}`);
    const custom = customAuthTriggers(triggers);
    if (custom.length > 0 && custom.length < 3)
        p.push(
            "triggers: custom authentication needs defineAuthChallenge, createAuthChallenge and " +
                `verifyAuthChallengeResponse together; got ${custom.join(", ")}`,
        );
    return p;
}

function emailProblems(email: UserPoolArgs["email"]): string[] {
    const sesArn = email?.sesIdentityArn;
    if (typeof sesArn === "string" && !/^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/\S+$/.test(sesArn))
        return [
            "email.sesIdentityArn must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<name>); " +
                `got ${JSON.stringify(sesArn)}`,
        ];
    return [];
}

function clientProblems(key: string, c: UserPoolClientSpec, customAuth: boolean): string[] {
    const p: string[] = [];
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(key))
        p.push(
            `clients: name ${JSON.stringify(key)} must be 1-63 lower-case letters, digits and -, ` +
                "starting with a letter",
        );
    if (c.authFlows.length === 0) p.push(`clients.${key}.authFlows must list at least one flow`);
    for (const f of c.authFlows)
        if (!(AUTH_FLOWS as readonly string[]).includes(f))
            p.push(
                `clients.${key}.authFlows: ${f} is not allowed; use ${AUTH_FLOWS.join(", ")} (no plain-password flows)`,
            );
    if (new Set(c.authFlows).size !== c.authFlows.length)
        p.push(`clients.${key}.authFlows lists a flow more than once`);
    if (c.authFlows.includes("ALLOW_CUSTOM_AUTH") && !customAuth)
        p.push(`clients.${key}.authFlows has ALLOW_CUSTOM_AUTH but the pool has no custom-auth triggers`);
    if (!inRange(c.tokenValidityMinutes ?? 60, 5, 1440))
        p.push(`clients.${key}.tokenValidityMinutes must be 5-1440; got ${c.tokenValidityMinutes}`);
    if (!inRange(c.refreshTokenValidityDays ?? 30, 1, 3650))
        p.push(`clients.${key}.refreshTokenValidityDays must be 1-3650; got ${c.refreshTokenValidityDays}`);
    if (!inRange(c.authSessionValidityMinutes ?? 3, 3, 15))
        p.push(`clients.${key}.authSessionValidityMinutes must be 3-15; got ${c.authSessionValidityMinutes}`);
    return p;
}

function problemsOf(args: UserPoolArgs): string[] {
    const clients = Object.entries(args.clients);
    const customAuth = customAuthTriggers(args.triggers).length > 0;
    return [
        ...poolProblems(args),
        ...triggerProblems(args.triggers),
        ...emailProblems(args.email),
        ...(clients.length === 0 ? ["clients must hold at least one app client"] : []),
        ...clients.flatMap(([key, c]) => clientProblems(key, c, customAuth)),
    ];
}

/** The pool: sign-in, password policy, MFA, threat protection and its feature plan, e-mail, triggers. */
function userPool(
    name: string,
    args: UserPoolArgs,
    triggers: [Trigger, LambdaFunction][],
    parent: pulumi.Resource,
): aws.cognito.UserPool {
    const mfa = args.mfa ?? "OPTIONAL";
    const advancedSecurity = args.advancedSecurity ?? "OFF";
    const email = args.signInWith === "email";
    return new aws.cognito.UserPool(
        name,
        {
            name: args.poolName,
            userPoolTier: advancedSecurity === "OFF" ? "ESSENTIALS" : "PLUS",
            usernameAttributes: email ? ["email"] : undefined,
            autoVerifiedAttributes: email ? ["email"] : undefined,
            usernameConfiguration: { caseSensitive: false },
            adminCreateUserConfig: { allowAdminCreateUserOnly: !(args.selfSignUp ?? false) },
            passwordPolicy: {
                minimumLength: args.passwordPolicy?.minimumLength ?? 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: args.passwordPolicy?.temporaryPasswordValidityDays ?? 1,
            },
            mfaConfiguration: mfa,
            softwareTokenMfaConfiguration: mfa === "OFF" ? undefined : { enabled: true },
            accountRecoverySetting: {
                recoveryMechanisms: email
                    ? [{ name: "verified_email", priority: 1 }]
                    : [{ name: "admin_only", priority: 1 }],
            },
            userPoolAddOns: {
                advancedSecurityMode: advancedSecurity,
                advancedSecurityAdditionalFlows:
                    advancedSecurity === "OFF" ? undefined : { customAuthMode: advancedSecurity },
            },
            emailConfiguration: args.email
                ? {
                      emailSendingAccount: "DEVELOPER",
                      sourceArn: args.email.sesIdentityArn,
                      fromEmailAddress: args.email.fromAddress,
                  }
                : undefined,
            lambdaConfig:
                triggers.length > 0 ? Object.fromEntries(triggers.map(([t, fn]) => [t, fn.functionArn])) : undefined,
            deletionProtection: args.protect ? "ACTIVE" : "INACTIVE",
            tags: args.tags,
        },
        { parent, protect: args.protect },
    );
}

/** Public app clients (no secret), sorted by name; returns their ids by name. */
function appClients(
    name: string,
    clients: Record<string, UserPoolClientSpec>,
    pool: aws.cognito.UserPool,
    parent: pulumi.Resource,
): Record<string, pulumi.Output<string>> {
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const [key, c] of Object.entries(clients).sort(([a], [b]) => a.localeCompare(b))) {
        const client = new aws.cognito.UserPoolClient(
            `${name}-${key}`,
            {
                name: key,
                userPoolId: pool.id,
                generateSecret: false,
                explicitAuthFlows: [...c.authFlows].sort(),
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: c.tokenValidityMinutes ?? 60,
                idTokenValidity: c.tokenValidityMinutes ?? 60,
                refreshTokenValidity: c.refreshTokenValidityDays ?? 30,
                authSessionValidity: c.authSessionValidityMinutes ?? 3,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                supportedIdentityProviders: ["COGNITO"],
            },
            { parent },
        );
        ids[key] = client.id;
    }
    return ids;
}

export class UserPool extends pulumi.ComponentResource {
    readonly userPoolId: pulumi.Output<string>;
    readonly userPoolArn: pulumi.Output<string>;
    /** `cognito-idp.<region>.amazonaws.com/<pool id>`: the token issuer without `https://`. */
    readonly endpoint: pulumi.Output<string>;
    /** App client ids by name. */
    readonly clientIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: UserPoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:UserPool", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`UserPool ${name}: ${problems.join("; ")}`);
        const triggers = Object.entries(args.triggers ?? {}).sort(([a], [b]) => a.localeCompare(b)) as [
            Trigger,
            LambdaFunction,
        ][];
        const pool = userPool(name, args, triggers, this);
        for (const [trigger, fn] of triggers)
            fn.grantInvoke(`cognito-${trigger}`, { principal: "cognito-idp.amazonaws.com", sourceArn: pool.arn });
        this.clientIds = appClients(name, args.clients, pool, this);

        this.userPoolId = pool.id;
        this.userPoolArn = pool.arn;
        this.endpoint = pool.endpoint;
        this.registerOutputs({ userPoolId: this.userPoolId, userPoolArn: this.userPoolArn, clientIds: this.clientIds });
    }
}
