/**
 * A Secrets Manager secret holding a JSON object (`platform:security:JsonSecret`), encrypted with a
 * customer-managed KMS key, whose keys ECS injects one by one into containers
 * (`valueFrom: <secret ARN>:<key>::`, see {@link JsonSecret.ref}).
 *
 * The value is written by the program (a `SecretVersion`); it is a Pulumi secret in state.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecretRef } from "../compute/fargate-service";

export interface JsonSecretArgs {
    description: string;
    /** KMS key ARN (the platform's secrets key). */
    kmsKeyArn: pulumi.Input<string>;
    /** The JSON object's keys and values; keys are letters, digits and `_`, 1-256. */
    values: Record<string, pulumi.Input<string>>;
    /** Days a deleted secret can be restored, 7-30. Default 30. */
    recoveryWindowInDays?: number;
    tags: Record<string, string>;
}

const KEY = /^[A-Za-z0-9_]{1,256}$/;

export class JsonSecret extends pulumi.ComponentResource {
    readonly secretArn: pulumi.Output<string>;
    /** Id of the version the program wrote (changes whenever a value does). */
    readonly versionId: pulumi.Output<string>;
    /** The JSON keys, sorted (plain values). */
    readonly keys: readonly string[];
    private readonly componentName: string;

    constructor(name: string, args: JsonSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:JsonSecret", name, {}, opts);
        const window = args.recoveryWindowInDays ?? 30;
        const keys = Object.keys(args.values).sort();
        const problems: string[] = [];
        if (keys.length === 0) problems.push("values must hold at least one key");
        for (const k of keys)
            if (!KEY.test(k)) problems.push(`values: key ${JSON.stringify(k)} must be 1-256 letters, digits and _`);
        if (!Number.isInteger(window) || window < 7 || window > 30)
            problems.push(`recoveryWindowInDays must be an integer from 7 to 30; got ${window}`);
        if (problems.length > 0) throw new Error(`JsonSecret ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.keys = keys;

        const secret = new aws.secretsmanager.Secret(
            name,
            {
                description: args.description,
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: window,
                tags: args.tags,
            },
            { parent: this },
        );
        const ordered = Object.fromEntries(keys.map((k) => [k, args.values[k]]));
        const version = new aws.secretsmanager.SecretVersion(
            `${name}-value`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(pulumi.jsonStringify(ordered)),
            },
            { parent: this },
        );
        this.secretArn = secret.arn;
        this.versionId = version.versionId;
        this.registerOutputs({ secretArn: this.secretArn });
    }

    /**
     * A reference to one key for `FargateService` container secrets, pinned to the version this program
     * wrote: a new value (a renewed certificate) changes the task definition and rolls the tasks.
     * Throws for an unknown key.
     */
    ref(key: string): SecretRef {
        if (!this.keys.includes(key))
            throw new Error(
                `JsonSecret ${this.componentName}: no key ${JSON.stringify(key)}; it holds ${this.keys.join(", ")}`,
            );
        return { secretArn: this.secretArn, jsonKey: key, versionId: this.versionId };
    }
}
