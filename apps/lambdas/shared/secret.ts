/**
 * Reads the challenge secret from AWS Secrets Manager once per Lambda execution environment.
 *
 * `GetSecretValue` is called on first use; the promise is cached per secret ARN for the life of the
 * container (a warm container never calls Secrets Manager again), and forgotten if it rejects so
 * the next invocation retries. Rotation therefore takes effect on new containers only: rotate by
 * publishing the new value and letting old containers age out, or redeploy.
 *
 * API: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * IAM: `secretsmanager:GetSecretValue` on the ARN (and `kms:Decrypt` when a customer key encrypts it).
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import { MIN_SECRET_BYTES } from "./challenge";

// Region from AWS_REGION, which Lambda sets. One client per container.
const client = new SecretsManagerClient({});
const cache = new Map<string, Promise<string>>();

/**
 * The `SecretString` of `secretArn`, used verbatim (not JSON-decoded) as the HMAC key.
 *
 * @throws Error (without the value) when the ARN is empty, the secret has no `SecretString`,
 *   or it is shorter than {@link MIN_SECRET_BYTES} bytes; SDK errors propagate unchanged.
 */
export function getChallengeSecret(secretArn: string | undefined): Promise<string> {
    if (secretArn === undefined || secretArn === "") {
        return Promise.reject(new Error("CHALLENGE_SECRET_ARN is not set"));
    }
    let pending = cache.get(secretArn);
    if (pending === undefined) {
        pending = client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
            const value = out.SecretString;
            if (value === undefined) throw new Error("challenge secret has no SecretString");
            if (Buffer.byteLength(value, "utf8") < MIN_SECRET_BYTES) {
                throw new Error(`challenge secret must be at least ${MIN_SECRET_BYTES} bytes`);
            }
            return value;
        });
        cache.set(secretArn, pending);
        pending.catch(() => {
            if (cache.get(secretArn) === pending) cache.delete(secretArn);
        });
    }
    return pending;
}

/** Empties the per-container cache. For tests only. */
export function clearSecretCache(): void {
    cache.clear();
}
