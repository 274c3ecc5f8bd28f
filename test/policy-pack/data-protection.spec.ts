import * as assert from "assert";
import { dataProtectionPolicies } from "../../policy-pack/policies/data-protection";
import { only, PackHarness, policyCases, res, UNKNOWN, usePack } from "./support/harness";

const ROOT = "arn:aws:iam::111122223333:root";
const keyPolicy = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const rootAdmin = {
    Sid: "EnableRootAccess",
    Effect: "Allow",
    Principal: { AWS: ROOT },
    Action: "kms:*",
    Resource: "*",
};
const logsUse = {
    Sid: "AllowLogs",
    Effect: "Allow",
    Principal: { Service: "logs.us-east-1.amazonaws.com" },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*" } },
};

describe("policy-pack/policies/data-protection (through the analyzer)", () => {
    const pack = usePack();

    it("registers every data-protection policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of dataProtectionPolicies) {
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(dataProtectionPolicies.length, 7);
    });

    policyCases(pack, "rds-backup-retention", {
        compliant: [
            { resources: [res("aws:rds/instance:Instance", "db", { engine: "postgres", backupRetentionPeriod: 7 })] },
            {
                resources: [
                    res("aws:rds/cluster:Cluster", "aurora", {
                        engine: "aurora-postgresql",
                        backupRetentionPeriod: 14,
                    }),
                ],
            },
            { resources: [res("aws:rds/instance:Instance", "aurora-1", { engine: "aurora-mysql" })] },
        ],
        violating: [
            (() => {
                const db = res("aws:rds/instance:Instance", "db", { engine: "postgres", backupRetentionPeriod: 1 });
                return {
                    resources: [db],
                    flagged: [db],
                    message: /backupRetentionPeriod is 1: set it to at least 7 days\./,
                };
            })(),
            (() => {
                const c = res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql" });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /backupRetentionPeriod is unset: set it to at least 7 days\./,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "db", { engine: "postgres", backupRetentionPeriod: UNKNOWN }),
                ],
            },
        ],
    });

    policyCases(pack, "rds-deletion-protection", {
        compliant: [
            { resources: [res("aws:rds/instance:Instance", "db", { engine: "mysql", deletionProtection: true })] },
            { resources: [res("aws:rds/instance:Instance", "aurora-1", { engine: "aurora-postgresql" })] },
        ],
        violating: [
            (() => {
                const c = res("aws:rds/cluster:Cluster", "aurora", {
                    engine: "aurora-postgresql",
                    deletionProtection: false,
                });
                return { resources: [c], flagged: [c], message: /Set deletionProtection: true\./ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "db", { engine: "postgres", deletionProtection: UNKNOWN }),
                ],
            },
        ],
    });

    policyCases(pack, "dynamodb-pitr", {
        compliant: [
            { resources: [res("aws:dynamodb/table:Table", "orders", { pointInTimeRecovery: { enabled: true } })] },
        ],
        violating: [
            (() => {
                const t = res("aws:dynamodb/table:Table", "orders", {});
                return { resources: [t], flagged: [t], message: /Set pointInTimeRecovery: \{ enabled: true \}\./ };
            })(),
        ],
        unknown: [
            { resources: [res("aws:dynamodb/table:Table", "orders", { pointInTimeRecovery: { enabled: UNKNOWN } })] },
        ],
    });

    const bucket = res("aws:s3/bucket:Bucket", "assets", {});
    const versioning = (name: string, status: unknown) =>
        res(
            "aws:s3/bucketVersioning:BucketVersioning",
            name,
            { bucket: "assets-id", versioningConfiguration: { status } },
            { deps: { bucket: [bucket] } },
        );
    policyCases(pack, "s3-bucket-versioning", {
        compliant: [
            { resources: [bucket, versioning("assets-versioning", "Enabled")] },
            {
                resources: [
                    bucket,
                    res("aws:s3/bucketVersioningV2:BucketVersioningV2", "legacy", {
                        bucket: "assets-id",
                        versioningConfiguration: { status: "Enabled" },
                    }),
                ],
            },
        ],
        violating: [
            {
                resources: [bucket],
                flagged: [bucket],
                message:
                    /Add an aws\.s3\.BucketVersioning \{ bucket, versioningConfiguration: \{ status: "Enabled" \} \}/,
            },
            {
                resources: [bucket, versioning("assets-versioning", "Suspended")],
                flagged: [bucket],
                message: /BucketVersioning assets-versioning has status "Suspended": set "Enabled"/,
            },
        ],
        unknown: [{ resources: [bucket, versioning("assets-versioning", UNKNOWN)] }],
    });

    policyCases(pack, "secretsmanager-recovery-window", {
        compliant: [
            // Absent: AWS keeps 30 days.
            { resources: [res("aws:secretsmanager/secret:Secret", "db", { kmsKeyId: "k" })] },
            { resources: [res("aws:secretsmanager/secret:Secret", "api", { kmsKeyId: "k", recoveryWindowInDays: 7 })] },
        ],
        violating: [
            (() => {
                const s = res("aws:secretsmanager/secret:Secret", "db", { recoveryWindowInDays: 0 });
                return {
                    resources: [s],
                    flagged: [s],
                    message: /recoveryWindowInDays is 0: leave it unset \(30\) or set 7-30/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:secretsmanager/secret:Secret", "db", { recoveryWindowInDays: UNKNOWN })] }],
    });

    policyCases(pack, "kms-key-lockout", {
        compliant: [
            { resources: [res("aws:kms/key:Key", "default-policy", { enableKeyRotation: true })] },
            {
                resources: [
                    res("aws:kms/key:Key", "logs", {
                        enableKeyRotation: true,
                        policy: keyPolicy([rootAdmin, logsUse]),
                    }),
                ],
            },
            {
                resources: [
                    res("aws:kms/keyPolicy:KeyPolicy", "data", {
                        keyId: "k",
                        policy: {
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    ...rootAdmin,
                                    Principal: { AWS: ["111122223333"] },
                                    Action: ["kms:Create*", "kms:PutKeyPolicy", "kms:Describe*"],
                                },
                            ],
                        },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const k = res("aws:kms/key:Key", "logs", { enableKeyRotation: true, policy: keyPolicy([logsUse]) });
                return {
                    resources: [k],
                    flagged: [k],
                    message:
                        /policy: add an unconditioned statement \{ Effect: "Allow", Principal: \{ AWS: "arn:aws:iam::<account>:root" \}, Action: "kms:\*"/,
                };
            })(),
            (() => {
                const k = res("aws:kms/key:Key", "bypass", {
                    enableKeyRotation: true,
                    bypassPolicyLockoutSafetyCheck: true,
                    policy: keyPolicy([rootAdmin]),
                });
                return { resources: [k], flagged: [k], message: /Remove bypassPolicyLockoutSafetyCheck: true/ };
            })(),
            (() => {
                const k = res("aws:kms/key:Key", "role-only", {
                    policy: keyPolicy([{ ...rootAdmin, Principal: { AWS: "arn:aws:iam::111122223333:role/admin" } }]),
                });
                return { resources: [k], flagged: [k], message: /add an unconditioned statement/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:kms/key:Key", "logs", { policy: UNKNOWN })] }],
    });

    describe("rds-backup-retention config (minimumRetentionDays)", () => {
        let dev: PackHarness;
        before(async function () {
            this.timeout(120_000);
            dev = await PackHarness.start({
                "rds-backup-retention": { enforcementLevel: "advisory", minimumRetentionDays: 1 },
            });
        });
        after(async () => dev?.close());

        it("accepts 1 day and reports 0 days as advisory when the config lowers both", async () => {
            const ok = res("aws:rds/instance:Instance", "db", { engine: "postgres", backupRetentionPeriod: 1 });
            const bad = res("aws:rds/instance:Instance", "nobackup", { engine: "postgres", backupRetentionPeriod: 0 });
            const vs = only(await dev.run([ok, bad]), "rds-backup-retention");
            assert.deepStrictEqual(
                vs.map((v) => [v.urn, v.enforcementLevel]),
                [[bad.urn, "advisory"]],
            );
            assert.match(vs[0].message, /backupRetentionPeriod is 0: set it to at least 1 days\./);
        });

        it("rejects a config value outside the schema (AWS allows 1-35 days)", async () => {
            await assert.rejects(
                dev.configure({ "rds-backup-retention": { minimumRetentionDays: 40 } }),
                /rds-backup-retention: minimumRetentionDays: must be <= 35/,
            );
        });
    });

    describe("secret rotation (AwsSolutions-SMG4, FSBP SecretsManager.1)", () => {
        const SECRET = "aws:secretsmanager/secret:Secret";
        const secretOf = (name: string, props: Record<string, unknown> = {}) =>
            res(SECRET, name, { kmsKeyId: "k", ...props });
        const api = secretOf("api");
        const rotation = (rules: unknown) =>
            res(
                "aws:secretsmanager/secretRotation:SecretRotation",
                "api-rotation",
                {
                    secretId: "arn:aws:test:::api",
                    rotationLambdaArn: "arn:aws:lambda:us-east-1:111122223333:function:rotate",
                    rotationRules: rules,
                },
                { deps: { secretId: [api] } },
            );
        policyCases(pack, "secretsmanager-rotation", {
            compliant: [
                { resources: [api, rotation({ automaticallyAfterDays: 30 })] },
                // Older Secret state: inline rotation (object and one-element list forms), and the output flag.
                {
                    resources: [
                        secretOf("v4", {
                            rotationLambdaArn: "arn:aws:lambda:us-east-1:111122223333:function:rotate",
                            rotationRules: { automaticallyAfterDays: 30 },
                        }),
                        secretOf("v1", { rotationRules: [{ automaticallyAfterDays: 7 }] }),
                        secretOf("out", { rotationEnabled: true }),
                    ],
                },
            ],
            violating: [
                {
                    resources: [api],
                    flagged: [api],
                    message: /secret "api" does not rotate: add an aws\.secretsmanager\.SecretRotation/,
                },
                (() => {
                    // A rotation of another secret does not rotate this one.
                    const other = secretOf("other");
                    return {
                        resources: [api, other, rotation({ automaticallyAfterDays: 30 })],
                        flagged: [other],
                        message: /"other" does not rotate/,
                    };
                })(),
            ],
            unknown: [{ resources: [secretOf("api", { rotationLambdaArn: UNKNOWN })] }],
        });
    });
});
