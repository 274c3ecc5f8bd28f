import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";

import type { APIGatewayAuthorizerResult, DefineAuthChallengeTriggerEvent } from "aws-lambda";

import { bundleLambda, LambdaBundle, LambdaName, LAMBDAS } from "../../../apps/lambdas/build";

const NAMES = Object.keys(LAMBDAS) as LambdaName[];
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
/** Loads a written bundle as Lambda does (CommonJS `require`). */
const loadBundle = createRequire(__filename);
/** Names only the bundled dependencies define: proof that they were bundled, not left external. */
const BUNDLED: Partial<Record<LambdaName, string[]>> = {
    "cpf-auth": ["AdminInitiateAuthCommand"],
    "jwt-authorizer": ["createRemoteJWKSet"],
    products: ["DynamoDBDocumentClient", "QueryCommand", "GetSecretValueCommand", "enableOfflineQueue"],
    orders: ["DynamoDBDocumentClient", "BatchGetCommand", "PutEventsCommand"],
    "order-steps": ["DynamoDBDocumentClient", "GetCommand"],
    "db-users": ["GetSecretValueCommand", "escapeIdentifier", "AWSAuthenticationPlugin", "caching_sha2_password"],
};
/** `require(...)` that a bundled dependency only quotes in an error message, with the message around it. */
const QUOTED_REQUIRES: Partial<Record<LambdaName, Record<string, RegExp>>> = {
    // mysql2's messages: "... or require('mysql2/promise') instead of 'mysql2' ...", "... for example: { Promise: require('bluebird') }"
    "db-users": {
        "mysql2/promise": /Try calling con\.promise\(\)\.query\(\), or require\('mysql2\/promise'\) instead/,
        bluebird: /userland Promise implementation as parameter, for example: \{ Promise: require\('bluebird'\) \}"/,
    },
};

describe("apps/lambdas/build", function () {
    this.timeout(60_000);

    const bundles = new Map<LambdaName, LambdaBundle>();
    let dir: string;

    const warningVar = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
    const warningBefore = process.env[warningVar];

    before(() => {
        // The bundled SDK warns once per bundle that it will need Node 22 (the Lambda runtime); this
        // test process may run on Node 20.
        process.env[warningVar] = "true";
        dir = mkdtempSync(path.join(tmpdir(), "lambda-bundles-"));
        for (const name of NAMES) bundles.set(name, bundleLambda(name));
    });
    after(() => {
        rmSync(dir, { recursive: true, force: true });
        if (warningBefore === undefined) delete process.env[warningVar];
        else process.env[warningVar] = warningBefore;
    });

    it("registers exactly the five postech, three coffee-shop and one database-users functions, each with handler index.handler on nodejs22.x", () => {
        assert.deepEqual(NAMES, [
            "cpf-auth",
            "jwt-authorizer",
            "define-auth-challenge",
            "create-auth-challenge",
            "verify-auth-challenge",
            "products",
            "orders",
            "order-steps",
            "db-users",
        ]);
        for (const name of NAMES) {
            assert.equal(LAMBDAS[name].handler, "index.handler");
            assert.equal(LAMBDAS[name].runtime, "nodejs22.x");
        }
        assert.deepEqual(LAMBDAS["cpf-auth"].iamActions, [
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminInitiateAuth",
            "cognito-idp:AdminRespondToAuthChallenge",
            "secretsmanager:GetSecretValue",
        ]);
        assert.deepEqual(LAMBDAS["verify-auth-challenge"].iamActions, ["secretsmanager:GetSecretValue"]);
        for (const name of ["jwt-authorizer", "define-auth-challenge", "create-auth-challenge"] as const) {
            assert.deepEqual(LAMBDAS[name].iamActions, [], `${name} needs no AWS API`);
        }
        assert.deepEqual(LAMBDAS.products.iamActions, [
            "dynamodb:GetItem",
            "dynamodb:Query",
            "secretsmanager:GetSecretValue",
        ]);
        assert.deepEqual(LAMBDAS.orders.iamActions, [
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "events:PutEvents",
        ]);
        assert.deepEqual(LAMBDAS["order-steps"].iamActions, ["dynamodb:GetItem"]);
        assert.deepEqual(LAMBDAS["db-users"].iamActions, ["secretsmanager:GetSecretValue"]);
    });

    for (const name of NAMES) {
        describe(name, () => {
            it("builds to a single index.js whose sha256 matches its contents", () => {
                const b = bundles.get(name)!;
                assert.deepEqual(Object.keys(b.files), ["index.js"]);
                const expected = createHash("sha256")
                    .update("index.js")
                    .update("\0")
                    .update(b.files["index.js"])
                    .update("\0")
                    .digest("hex");
                assert.equal(b.sha256, expected);
            });

            it("is deterministic: a second build gives the same bytes and hash", () => {
                const again = bundleLambda(name);
                assert.equal(again.sha256, bundles.get(name)!.sha256);
                assert.equal(again.files["index.js"], bundles.get(name)!.files["index.js"]);
            });

            it("is self-contained CommonJS: requires only Node built-ins, no machine paths, no source map", () => {
                const code = bundles.get(name)!.files["index.js"];
                // `require("x")` calls, skipping the SDK's error messages that quote "[require(...)]".
                const calls = [...code.matchAll(/(?<![[\w.])require\((["'])([^"']+)\1\)/g)];
                const quoted = QUOTED_REQUIRES[name] ?? {};
                for (const call of calls.filter((m) => m[2] in quoted)) {
                    const line = code.slice(code.lastIndexOf("\n", call.index) + 1, code.indexOf("\n", call.index));
                    assert.match(line, quoted[call[2]], `require("${call[2]}") outside the known message`);
                }
                assert.deepEqual(
                    calls.map((m) => m[2]).filter((id) => !isBuiltin(id) && !(id in quoted)),
                    [],
                    "a dependency was left external",
                );
                for (const marker of BUNDLED[name] ?? [])
                    assert.ok(code.includes(marker), `dependency not bundled: ${marker}`);
                assert.ok(!code.includes(REPO_ROOT), "the bundle embeds the absolute repository path");
                assert.ok(!code.includes("sourceMappingURL"), "source map present");
                assert.ok(code.includes("module.exports = __toCommonJS("), "not a CommonJS bundle");
                assert.ok(code.length < 5 * 1024 * 1024, `bundle is ${code.length} bytes`);
            });

            it("loads in Node and exports an async handler", () => {
                const file = path.join(dir, `${name}.js`);
                writeFileSync(file, bundles.get(name)!.files["index.js"]);
                const mod = loadBundle(file) as { handler?: unknown };
                assert.equal(typeof mod.handler, "function");
                assert.equal((mod.handler as () => unknown).constructor.name, "AsyncFunction");
            });
        });
    }

    it("the bundled define trigger runs", async () => {
        const file = path.join(dir, "define-auth-challenge.js");
        writeFileSync(file, bundles.get("define-auth-challenge")!.files["index.js"]);
        const { handler } = loadBundle(file) as {
            handler: (e: DefineAuthChallengeTriggerEvent) => Promise<DefineAuthChallengeTriggerEvent>;
        };
        const original = console.log;
        console.log = () => undefined;
        try {
            const out = await handler({
                version: "1",
                region: "us-east-1",
                userPoolId: "us-east-1_TestPool1",
                userName: "52998224725",
                callerContext: { awsSdkVersion: "x", clientId: "c" },
                triggerSource: "DefineAuthChallenge_Authentication",
                request: { userAttributes: {}, session: [] },
                response: {} as DefineAuthChallengeTriggerEvent["response"],
            });
            assert.deepEqual(out.response, {
                challengeName: "CUSTOM_CHALLENGE",
                issueTokens: false,
                failAuthentication: false,
            });
        } finally {
            console.log = original;
        }
    });

    it("the bundled authorizer denies when unconfigured (no network needed)", async () => {
        const file = path.join(dir, "jwt-authorizer.js");
        writeFileSync(file, bundles.get("jwt-authorizer")!.files["index.js"]);
        const { handler } = loadBundle(file) as { handler: (e: unknown) => Promise<APIGatewayAuthorizerResult> };
        const original = console.error;
        console.error = () => undefined;
        try {
            const out = await handler({
                type: "TOKEN",
                methodArn: "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/x",
                authorizationToken: "Bearer x",
            });
            assert.deepEqual(out, {
                principalId: "unauthorized",
                policyDocument: {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Action: "execute-api:Invoke",
                            Effect: "Deny",
                            Resource: "arn:aws:execute-api:us-east-1:123456789012:abc/prod/*",
                        },
                    ],
                },
            });
        } finally {
            console.error = original;
        }
    });

    it("rejects an unknown function name", () => {
        assert.throws(
            () => bundleLambda("nope" as LambdaName),
            /unknown function "nope"; known: cpf-auth, jwt-authorizer/,
        );
    });
});
