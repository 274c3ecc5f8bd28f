/**
 * postech's identity: a Cognito user pool whose username is the CPF, no password, custom-auth triggers (define,
 * create, verify) proving that tokens are issued only through `POST /auth`; one public app client allowed only
 * ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH; the HMAC challenge secret in Secrets Manager; and the two Lambda
 * functions API Gateway calls: `cpf-auth` (sign-in) and `jwt-authorizer` (TOKEN authorizer).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { bundleLambda, LAMBDAS, LambdaName } from "../../apps/lambdas/build";
import type { IamStatement } from "../../infra/compute/fargate-service";
import { UserPool } from "../../infra/identity/user-pool";
import { LambdaFunction } from "../../infra/serverless/lambda-function";
import { physicalName } from "../../infra/shared/naming";
import { decryptThrough, derive, FUNCTIONS, NAME, PostechStep, WORKLOADS } from "./settings";

/** What the API, the workloads and the outputs use. */
export interface Identity {
    pool: UserPool;
    /** The public app client's id. */
    clientId: pulumi.Output<string>;
    /** The five functions, by role ({@link FUNCTIONS}). */
    functions: Record<keyof typeof FUNCTIONS, LambdaFunction>;
}

/** Makes a function of this architecture from `apps/lambdas`: a {@link LambdaFunction}, its environment and grants. */
type MakeLambda = (
    fn: LambdaName,
    environment: Record<string, pulumi.Input<string>>,
    policyStatements: IamStatement[],
) => LambdaFunction;

/** The user pool, its custom-auth triggers, the challenge secret, and the sign-in and authorizer functions. */
export function identity(step: PostechStep): Identity {
    const { name, settings: s, tags, scope, child } = step;
    const { protect } = derive(step);
    const lambda = lambdaFactory(step);
    const readChallengeSecret = challengeSecret(step);
    const define = lambda(FUNCTIONS.define, {}, []);
    const create = lambda(FUNCTIONS.create, {}, []);
    const verify = lambda(
        FUNCTIONS.verify,
        { CHALLENGE_SECRET_ARN: readChallengeSecret.arn },
        readChallengeSecret.grants,
    );
    const pool = new UserPool(
        `${name}-users`,
        {
            poolName: physicalName(scope, "customers", 128),
            signInWith: "username",
            selfSignUp: false,
            mfa: "OFF",
            advancedSecurity: s.cognito.advancedSecurity,
            email: s.cognito.email,
            triggers: {
                defineAuthChallenge: define,
                createAuthChallenge: create,
                verifyAuthChallengeResponse: verify,
            },
            clients: {
                app: {
                    authFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    tokenValidityMinutes: s.cognito.tokenValidityMinutes,
                    refreshTokenValidityDays: s.cognito.refreshTokenValidityDays,
                },
            },
            protect,
            tags,
        },
        child,
    );
    const clientId = pool.clientIds.app;
    const { auth, authorizer } = apiFunctions(lambda, pool, readChallengeSecret);
    return { pool, clientId, functions: { auth, authorizer, define, create, verify } };
}

/** The functions API Gateway calls: `cpf-auth` (signs customers in by CPF) and `jwt-authorizer`. */
function apiFunctions(
    lambda: MakeLambda,
    pool: UserPool,
    challenge: { arn: pulumi.Output<string>; grants: IamStatement[] },
): { auth: LambdaFunction; authorizer: LambdaFunction } {
    const clientId = pool.clientIds.app;
    const auth = lambda(
        FUNCTIONS.auth,
        { USER_POOL_ID: pool.userPoolId, CLIENT_ID: clientId, CHALLENGE_SECRET_ARN: challenge.arn },
        [
            {
                Sid: "SignInCustomersByCpf",
                Effect: "Allow",
                Action: [
                    "cognito-idp:AdminGetUser",
                    "cognito-idp:AdminCreateUser",
                    "cognito-idp:AdminInitiateAuth",
                    "cognito-idp:AdminRespondToAuthChallenge",
                ],
                Resource: pool.userPoolArn,
            },
            ...challenge.grants,
        ],
    );
    const authorizer = lambda(
        FUNCTIONS.authorizer,
        { USER_POOL_ID: pool.userPoolId, CLIENT_ID: clientId, TOKEN_USE: "access" },
        [],
    );
    return { auth, authorizer };
}

/**
 * The HMAC key proving custom-auth answers come from the cpf-auth function, in Secrets Manager; returns its ARN
 * and the statements that let a function read it.
 */
function challengeSecret(step: PostechStep): { arn: pulumi.Output<string>; grants: IamStatement[] } {
    const { name, tags, child } = step;
    const { keys, protect } = derive(step);
    const challengeKey = new random.RandomPassword(`${name}-challenge-key`, { length: 64, special: false }, child);
    const secret = new aws.secretsmanager.Secret(
        `${name}-challenge-secret`,
        {
            description:
                `${NAME}: HMAC key proving custom-auth answers come from the cpf-auth function ` +
                "(apps/lambdas/README.md)",
            kmsKeyId: keys.secrets,
            recoveryWindowInDays: protect ? 30 : 7,
            tags,
        },
        child,
    );
    new aws.secretsmanager.SecretVersion(
        `${name}-challenge-secret`,
        { secretId: secret.id, secretString: challengeKey.result },
        child,
    );
    const grants: IamStatement[] = [
        {
            Sid: "ReadTheChallengeSecret",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: secret.arn,
        },
        decryptThrough(step, "secretsmanager"),
    ];
    return { arn: secret.arn, grants };
}

/**
 * Makes this architecture's functions from `apps/lambdas` (bundled here, labelled with the `postech-lambdas`
 * release) in the private subnets, allowed HTTPS to AWS APIs only.
 */
function lambdaFactory(step: PostechStep): MakeLambda {
    const { name, config, foundation, tags, scope, child } = step;
    const { logs } = derive(step);
    const network = foundation.network;
    const lambdaRelease = config.releases[WORKLOADS.lambdas];
    const vpc = { vpcId: network.vpcId, subnetIds: network.subnetIds.private };
    const awsApis = {
        port: 443,
        cidrIpv4: "0.0.0.0/0",
        description:
            "HTTPS to AWS APIs (Cognito, Secrets Manager, X-Ray) through the NAT gateway or interface endpoints",
    };
    return (fn, environment, policyStatements) => {
        const spec = LAMBDAS[fn];
        return new LambdaFunction(
            `${name}-${fn}`,
            {
                functionName: physicalName(scope, fn, 64),
                description: `${spec.description} (release ${lambdaRelease})`,
                code: bundleLambda(fn),
                handler: spec.handler,
                runtime: spec.runtime,
                environment,
                policyStatements,
                logs,
                vpc,
                egress: { "aws-apis": awsApis },
                ...foundation.account,
                tags: { ...tags, Release: lambdaRelease },
            },
            child,
        );
    };
}
