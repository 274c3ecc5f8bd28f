/**
 * Bundles the Lambda handlers in memory with esbuild, for the Pulumi program to deploy as
 * `new pulumi.asset.AssetArchive({ 'index.js': new pulumi.asset.StringAsset(files['index.js']) })`
 * with `handler: LAMBDAS[name].handler` and `runtime: LAMBDAS[name].runtime` — no file is written.
 *
 * Choices:
 * - `platform: node`, `target: node22`, `format: cjs`: the `nodejs22.x` runtime loads `index.js`
 *   as CommonJS and looks up `exports.handler`.
 * - Every dependency is bundled (the AWS SDK v3 clients, `ioredis`, `jose`), none marked external: the
 *   SDK the runtime ships changes version without notice, while the bundled one is the version pinned
 *   in package-lock.json and exercised by the tests (AWS: "control the dependencies in your
 *   function's deployment package", https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html).
 *   The cost is archive size (measured by the tests; well under Lambda's 50 MB zipped limit).
 * - `minify: false`: stack traces in CloudWatch stay readable without source maps.
 * - `sourcemap: false`: an inline map would roughly double the archive, embed source paths, and only
 *   help with `NODE_OPTIONS=--enable-source-maps`, which slows cold starts; the unminified bundle
 *   keeps function names and `// apps/lambdas/...` path comments, which is enough to locate a frame.
 * - Deterministic: paths are relative to the repository root (`absWorkingDir`), no banner or
 *   timestamp, so the same sources give the same bytes and `sha256` (and Pulumi sees no diff).
 * - Cached by content: a bundle is kept in `node_modules/.cache/platform-lambdas/` with the SHA-256 of
 *   every file esbuild read for it (its metafile inputs, dependencies included), the esbuild version
 *   and the build options; it is reused only while all of them are unchanged, so an unchanged
 *   function is not rebuilt on every preview, and any edit rebuilds it. `PLATFORM_LAMBDA_CACHE=off`
 *   disables the cache.
 *
 * Docs: https://esbuild.github.io/api/#build, https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { buildSync, BuildOptions, version as esbuildVersion } from "esbuild";

/** Repository root (this file lives in `apps/lambdas/`). */
const ROOT = path.resolve(__dirname, "..", "..");

/**
 * `pg` reaches the optional native binding `pg-native` only through its `native` getter, which this
 * repository never uses; esbuild would leave that `require("pg-native")` external. It is aliased to a
 * module that throws instead, so every bundle requires only Node built-ins (esbuild `alias`,
 * https://esbuild.github.io/api/#alias).
 */
const ALIASES = { "pg-native": "./apps/lambdas/shared/pg-native-unavailable.ts" };

/** One deployable function. */
export interface LambdaSpec {
    /** Entry file, relative to the repository root. */
    readonly entry: string;
    /** Name of the exported handler function in `entry`. */
    readonly exportName: "handler";
    /** Lambda `handler` setting for the bundle (`<file without .js>.<export>`). */
    readonly handler: "index.handler";
    /** Lambda runtime identifier. */
    readonly runtime: "nodejs22.x";
    /** Environment variables the function reads (required unless listed in `optionalEnvironment`). */
    readonly environment: readonly string[];
    /** Environment variables the function reads when present. */
    readonly optionalEnvironment: readonly string[];
    /** IAM actions the function calls (resources are for the program to scope). */
    readonly iamActions: readonly string[];
    /** One line for the Lambda `description`. */
    readonly description: string;
}

const COMMON = { exportName: "handler", handler: "index.handler", runtime: "nodejs22.x" } as const;

/**
 * Every Lambda function in this repository, keyed by its short name. The Pulumi program iterates or
 * picks from this registry; the bundle tests build every entry.
 */
export const LAMBDAS = {
    "cpf-auth": {
        ...COMMON,
        entry: "apps/lambdas/cpf-auth/handler.ts",
        environment: ["USER_POOL_ID", "CLIENT_ID", "CHALLENGE_SECRET_ARN"],
        optionalEnvironment: [],
        iamActions: [
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminInitiateAuth",
            "cognito-idp:AdminRespondToAuthChallenge",
            "secretsmanager:GetSecretValue",
        ],
        description: "POST /auth: CPF passwordless sign-in through the Cognito custom-auth flow",
    },
    "jwt-authorizer": {
        ...COMMON,
        entry: "apps/lambdas/jwt-authorizer/handler.ts",
        environment: ["USER_POOL_ID", "CLIENT_ID"],
        optionalEnvironment: ["TOKEN_USE", "JWKS_URL"],
        iamActions: [],
        description: "API Gateway TOKEN authorizer: verifies Cognito RS256 JWTs against the pool JWKS",
    },
    "define-auth-challenge": {
        ...COMMON,
        entry: "apps/lambdas/cognito-triggers/define-auth-challenge.ts",
        environment: [],
        optionalEnvironment: [],
        iamActions: [],
        description: "Cognito define-auth-challenge trigger: one CUSTOM_CHALLENGE round",
    },
    "create-auth-challenge": {
        ...COMMON,
        entry: "apps/lambdas/cognito-triggers/create-auth-challenge.ts",
        environment: [],
        optionalEnvironment: [],
        iamActions: [],
        description: "Cognito create-auth-challenge trigger: issues a random nonce",
    },
    "verify-auth-challenge": {
        ...COMMON,
        entry: "apps/lambdas/cognito-triggers/verify-auth-challenge.ts",
        environment: ["CHALLENGE_SECRET_ARN"],
        optionalEnvironment: [],
        iamActions: ["secretsmanager:GetSecretValue"],
        description: "Cognito verify-auth-challenge trigger: checks the HMAC answer in constant time",
    },
    // coffee-shop
    products: {
        ...COMMON,
        entry: "apps/lambdas/products/handler.ts",
        environment: ["PRODUCTS_TABLE"],
        optionalEnvironment: ["CACHE_HOST", "CACHE_PORT", "CACHE_SECRET_ARN", "CACHE_TTL_SECONDS", "ALLOWED_ORIGIN"],
        iamActions: ["dynamodb:GetItem", "dynamodb:Query", "secretsmanager:GetSecretValue"],
        description: "GET /products, /products/{productId}: the catalogue from DynamoDB, cached in Redis",
    },
    orders: {
        ...COMMON,
        entry: "apps/lambdas/orders/handler.ts",
        environment: ["ORDERS_TABLE", "PRODUCTS_TABLE", "EVENT_BUS_NAME"],
        optionalEnvironment: ["ALLOWED_ORIGIN"],
        iamActions: [
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "events:PutEvents",
        ],
        description: "POST/GET /orders: places orders (prices from the catalogue) and publishes OrderPlaced",
    },
    "order-steps": {
        ...COMMON,
        entry: "apps/lambdas/order-steps/handler.ts",
        environment: ["ORDERS_TABLE"],
        optionalEnvironment: ["PAYMENT_LIMIT_CENTS"],
        iamActions: ["dynamodb:GetItem"],
        description: "Order workflow steps for Step Functions: validate the order, charge the (simulated) payment",
    },
    // ticketing, spotmusic: deploy-time creation of the services' database users (infra/data/database-users.ts)
    "db-users": {
        ...COMMON,
        entry: "apps/lambdas/db-users/handler.ts",
        environment: ["DB_HOST", "DB_PORT", "MASTER_SECRET_ARN"],
        optionalEnvironment: ["DB_CA_FILE"],
        iamActions: ["secretsmanager:GetSecretValue"],
        description: "Deploy time: creates the services' RDS users (IAM authentication) with the master secret",
    },
} as const satisfies Record<string, LambdaSpec>;

/** Short name of a function in {@link LAMBDAS}. */
export type LambdaName = keyof typeof LAMBDAS;

/** An in-memory bundle. */
export interface LambdaBundle {
    /** File name -> UTF-8 contents; today exactly `{ 'index.js': … }`. */
    readonly files: Record<string, string>;
    /** Hex SHA-256 over the files (name, NUL, contents, NUL; names sorted): a stable content id. */
    readonly sha256: string;
}

/**
 * Bundles one function from {@link LAMBDAS} into `index.js`, in memory, or returns its cached bundle
 * when none of its inputs changed (see the cache note at the top of this file).
 *
 * @throws Error naming the function when `name` is unknown or esbuild reports errors (the message
 *   lists them).
 */
export function bundleLambda(name: LambdaName): LambdaBundle {
    const spec: LambdaSpec | undefined = (LAMBDAS as Record<string, LambdaSpec>)[name];
    if (spec === undefined) {
        throw new Error(`bundleLambda: unknown function "${String(name)}"; known: ${Object.keys(LAMBDAS).join(", ")}`);
    }
    const cacheDir = process.env.PLATFORM_LAMBDA_CACHE === "off" ? undefined : DEFAULT_CACHE_DIR;
    return bundleEntry(spec.entry, { cacheDir, label: name });
}

/** Where bundles are cached by default (inside `node_modules`, so `npm ci` starts clean). */
export const DEFAULT_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "platform-lambdas");

/** A cached bundle and what it was built from. */
interface CacheEntry {
    key: string;
    /** Input path (relative to the repository root, as esbuild's metafile names it) -> SHA-256. */
    inputs: Record<string, string>;
    bundle: LambdaBundle;
}

const sha256Of = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/**
 * Bundles `entry` (relative to the repository root, or absolute) into `index.js`, reusing the bundle
 * cached in `options.cacheDir` when every input file still has the hash recorded with it.
 *
 * @throws Error naming `options.label` when esbuild reports errors.
 */
export function bundleEntry(entry: string, options: { cacheDir?: string; label: string }): LambdaBundle {
    const buildOptions: BuildOptions = {
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile: "index.js",
        bundle: true,
        write: false,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: false,
        sourcemap: false,
        charset: "utf8",
        logLevel: "silent",
        alias: ALIASES,
    };
    const key = createHash("sha256")
        .update(JSON.stringify([esbuildVersion, buildOptions]))
        .digest("hex");
    const cacheFile = options.cacheDir && path.join(options.cacheDir, `${key}.json`);
    const cached = cacheFile ? readCache(cacheFile, key) : undefined;
    if (cached) return cached;

    let result;
    try {
        result = buildSync({ ...buildOptions, metafile: true });
    } catch (err) {
        const errors = (err as { errors?: { text: string }[] }).errors ?? [];
        const detail = errors.length > 0 ? errors.map((e) => e.text).join("; ") : String(err);
        throw new Error(`bundleLambda(${options.label}): esbuild failed: ${detail}`, { cause: err });
    }
    const files: Record<string, string> = {};
    for (const out of result.outputFiles ?? []) {
        files[path.relative(ROOT, out.path).split(path.sep).join("/")] = out.text;
    }
    if (Object.keys(files).join() !== "index.js") {
        throw new Error(`bundleLambda(${options.label}): expected only index.js, got ${Object.keys(files).join(", ")}`);
    }
    const hash = createHash("sha256");
    for (const file of Object.keys(files).sort()) {
        hash.update(file).update("\0").update(files[file]).update("\0");
    }
    const bundle = { files, sha256: hash.digest("hex") };
    if (cacheFile) {
        const inputs = Object.fromEntries(
            Object.keys(result.metafile.inputs).map((input) => [input, sha256Of(path.resolve(ROOT, input))]),
        );
        writeCache(cacheFile, { key, inputs, bundle });
    }
    return bundle;
}

/** The cached bundle of `cacheFile` when its key matches and no input changed; otherwise undefined. */
function readCache(cacheFile: string, key: string): LambdaBundle | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as CacheEntry;
        if (entry.key !== key) return undefined;
        for (const [input, sha] of Object.entries(entry.inputs)) {
            if (sha256Of(path.resolve(ROOT, input)) !== sha) return undefined;
        }
        return entry.bundle;
    } catch {
        return undefined; // absent, unreadable or an input gone: rebuild
    }
}

/** Writes atomically (temporary file, then rename), so concurrent runs never read half a file. */
function writeCache(cacheFile: string, entry: CacheEntry): void {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entry));
    fs.renameSync(tmp, cacheFile);
}
