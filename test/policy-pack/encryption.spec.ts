import * as assert from "assert";
import { encryptionPolicies } from "../../policy-pack/policies/encryption";
import { only, policyCases, res, secret, UNKNOWN, usePack } from "./support/harness";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

describe("policy-pack/policies/encryption (through the analyzer)", () => {
    const pack = usePack();

    it("registers every encryption policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of encryptionPolicies) {
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(encryptionPolicies.length, 18);
    });

    // --------------------------------------------------------------------------------------------
    const bucket = res("aws:s3/bucket:Bucket", "receipts", { bucket: "receipts-dev", forceDestroy: false });
    const sse = (name: string, rules: unknown, deps = true) =>
        res(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            name,
            { bucket: "receipts-id", rules },
            deps ? { deps: { bucket: [bucket] } } : {},
        );

    policyCases(pack, "s3-bucket-encryption", {
        compliant: [
            {
                resources: [
                    bucket,
                    sse("receipts-sse", [
                        {
                            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
                            bucketKeyEnabled: true,
                        },
                    ]),
                ],
            },
            {
                resources: [
                    sse("logs-sse", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }], false),
                ],
            },
            {
                resources: [
                    res(
                        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                        "legacy-sse",
                        {
                            bucket: "b",
                            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }],
                        },
                    ),
                ],
            },
        ],
        violating: [
            (() => {
                const s = sse("no-algo", [{ bucketKeyEnabled: true }]);
                return { resources: [bucket, s], flagged: [s], message: /sseAlgorithm to "aws:kms".*found null/ };
            })(),
            (() => {
                const s = sse("empty", []);
                return { resources: [s], flagged: [s], message: /^S3 default encryption .*\nrules: add a rule/ };
            })(),
            (() => {
                const legacy = res("aws:s3/bucketV2:BucketV2", "legacy", {
                    serverSideEncryptionConfiguration: {
                        rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "none" } },
                    },
                });
                return {
                    resources: [legacy],
                    flagged: [legacy],
                    message: /serverSideEncryptionConfiguration\.rule: set .*found "none"/,
                };
            })(),
        ],
        unknown: [
            { resources: [sse("unknown-algo", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN } }])] },
        ],
    });

    policyCases(pack, "s3-bucket-missing-encryption", {
        compliant: [
            {
                resources: [
                    bucket,
                    sse("receipts-sse", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
                ],
            },
            // Linked by value (state without property dependencies): bucket output id "receipts-id".
            {
                resources: [
                    bucket,
                    sse("by-value", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }], false),
                ],
            },
        ],
        violating: [
            {
                resources: [bucket],
                flagged: [bucket],
                message: /Add an aws\.s3\.BucketServerSideEncryptionConfiguration whose bucket is this bucket/,
            },
            (() => {
                const other = res("aws:s3/bucket:Bucket", "other", {});
                return {
                    resources: [
                        bucket,
                        other,
                        sse("receipts-sse", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
                    ],
                    flagged: [other],
                    message: /sseAlgorithm "aws:kms" or "AES256"/,
                };
            })(),
        ],
        unknown: [
            // No property dependency recorded and the configuration's bucket is unknown.
            {
                resources: [
                    bucket,
                    res(
                        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        "unknown-bucket",
                        { bucket: UNKNOWN, rules: [] },
                    ),
                ],
            },
        ],
    });

    // --------------------------------------------------------------------------------------------
    policyCases(pack, "rds-storage-encrypted", {
        compliant: [
            {
                resources: [
                    res("aws:rds/instance:Instance", "db", {
                        engine: "postgres",
                        storageEncrypted: true,
                        kmsKeyId: KEY,
                    }),
                ],
            },
            {
                resources: [
                    res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", storageEncrypted: true }),
                ],
            },
            {
                resources: [
                    res("aws:rds/instance:Instance", "aurora-1", {
                        engine: "aurora-postgresql",
                        clusterIdentifier: "aurora",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const db = res("aws:rds/instance:Instance", "db", { engine: "mysql" });
                return { resources: [db], flagged: [db], message: /Set storageEncrypted: true/ };
            })(),
            (() => {
                const c = res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-mysql", storageEncrypted: false });
                return { resources: [c], flagged: [c], message: /Set storageEncrypted: true/ };
            })(),
        ],
        unknown: [
            { resources: [res("aws:rds/instance:Instance", "db", { engine: "postgres", storageEncrypted: UNKNOWN })] },
        ],
    });

    policyCases(pack, "dynamodb-table-cmk", {
        compliant: [
            {
                resources: [
                    res("aws:dynamodb/table:Table", "orders", {
                        serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:dynamodb/table:Table", "orders", {});
                return { resources: [t], flagged: [t], message: /serverSideEncryption: \{ enabled: true, kmsKeyArn/ };
            })(),
            (() => {
                const t = res("aws:dynamodb/table:Table", "aws-managed", { serverSideEncryption: { enabled: true } });
                return { resources: [t], flagged: [t], message: /kmsKeyArn: <customer-managed key ARN>/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:dynamodb/table:Table", "orders", {
                        serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN },
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "sqs-queue-encryption", {
        compliant: [
            { resources: [res("aws:sqs/queue:Queue", "orders", { kmsMasterKeyId: KEY })] },
            { resources: [res("aws:sqs/queue:Queue", "dlq", { sqsManagedSseEnabled: true })] },
        ],
        violating: [
            (() => {
                const q = res("aws:sqs/queue:Queue", "orders", { sqsManagedSseEnabled: false });
                return { resources: [q], flagged: [q], message: /Set kmsMasterKeyId .*sqsManagedSseEnabled: true/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:sqs/queue:Queue", "orders", { kmsMasterKeyId: UNKNOWN })] }],
    });

    policyCases(pack, "sns-topic-encryption", {
        compliant: [{ resources: [res("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: "alias/platform-data" })] }],
        violating: [
            (() => {
                const t = res("aws:sns/topic:Topic", "alarms", {});
                return { resources: [t], flagged: [t], message: /Set kmsMasterKeyId/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: UNKNOWN })] }],
    });

    policyCases(pack, "elasticache-at-rest-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        engine: "redis",
                        atRestEncryptionEnabled: true,
                        kmsKeyId: KEY,
                    }),
                ],
            },
            { resources: [res("aws:elasticache/cluster:Cluster", "member", { replicationGroupId: "cache" })] },
        ],
        violating: [
            (() => {
                const g = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { engine: "redis" });
                return { resources: [g], flagged: [g], message: /Set atRestEncryptionEnabled: true/ };
            })(),
            (() => {
                const c = res("aws:elasticache/cluster:Cluster", "single", {
                    engine: "redis",
                    nodeType: "cache.t4g.micro",
                });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /Use an aws\.elasticache\.ReplicationGroup with atRestEncryptionEnabled: true/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        atRestEncryptionEnabled: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "efs-encrypted", {
        compliant: [
            { resources: [res("aws:efs/fileSystem:FileSystem", "shared", { encrypted: true, kmsKeyId: KEY })] },
        ],
        violating: [
            (() => {
                const f = res("aws:efs/fileSystem:FileSystem", "shared", {});
                return { resources: [f], flagged: [f], message: /Set encrypted: true/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:efs/fileSystem:FileSystem", "shared", { encrypted: UNKNOWN })] }],
    });

    policyCases(pack, "ebs-volume-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:ebs/volume:Volume", "data", { availabilityZone: "us-east-1a", size: 20, encrypted: true }),
                ],
            },
        ],
        violating: [
            (() => {
                const v = res("aws:ebs/volume:Volume", "data", { availabilityZone: "us-east-1a", size: 20 });
                return { resources: [v], flagged: [v], message: /Set encrypted: true/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ebs/volume:Volume", "data", { encrypted: UNKNOWN })] }],
    });

    policyCases(pack, "ec2-instance-ebs-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:ec2/instance:Instance", "bastion", {
                        rootBlockDevice: { encrypted: true, volumeSize: 8 },
                        ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const i = res("aws:ec2/instance:Instance", "bastion", {
                    ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }],
                });
                return {
                    resources: [i],
                    flagged: [i],
                    count: 2,
                    message:
                        /(Set rootBlockDevice\.encrypted: true\.|Set ebsBlockDevices\[0\]\.encrypted: true \(device \/dev\/sdf\))/,
                };
            })(),
        ],
        unknown: [
            { resources: [res("aws:ec2/instance:Instance", "bastion", { rootBlockDevice: { encrypted: UNKNOWN } })] },
        ],
    });

    policyCases(pack, "ec2-launch-template-ebs-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20 } }],
                    }),
                ],
            },
            { resources: [res("aws:ec2/launchTemplate:LaunchTemplate", "no-mappings", { instanceType: "t3.small" })] },
        ],
        violating: [
            (() => {
                const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20 } }],
                });
                return {
                    resources: [lt],
                    flagged: [lt],
                    message: /Set blockDeviceMappings\[0\]\.ebs\.encrypted: "true" \(device \/dev\/xvda\)/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: UNKNOWN } }],
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "eks-secrets-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:eks/cluster:Cluster", "eks", {
                        encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY } },
                    }),
                ],
            },
            { resources: [res("eks:index:Cluster", "postech", { encryptionConfigKeyArn: KEY })] },
        ],
        violating: [
            (() => {
                const c = res("aws:eks/cluster:Cluster", "eks", { roleArn: "arn:aws:iam::111122223333:role/eks" });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /encryptionConfig: \{ resources: \["secrets"\], provider: \{ keyArn/,
                };
            })(),
            (() => {
                const c = res("eks:index:Cluster", "postech", { version: "1.31" });
                return { resources: [c], flagged: [c], message: /Set encryptionConfigKeyArn/ };
            })(),
        ],
        unknown: [{ resources: [res("eks:index:Cluster", "postech", { encryptionConfigKeyArn: UNKNOWN })] }],
    });

    policyCases(pack, "cloudwatch-log-group-kms", {
        compliant: [
            { resources: [res("aws:cloudwatch/logGroup:LogGroup", "api", { kmsKeyId: KEY, retentionInDays: 30 })] },
        ],
        violating: [
            (() => {
                const g = res("aws:cloudwatch/logGroup:LogGroup", "api", { retentionInDays: 30 });
                return { resources: [g], flagged: [g], message: /Set kmsKeyId to the ARN of the logs KMS key/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudwatch/logGroup:LogGroup", "api", { kmsKeyId: UNKNOWN })] }],
    });

    policyCases(pack, "secretsmanager-secret-cmk", {
        compliant: [{ resources: [res("aws:secretsmanager/secret:Secret", "db-credentials", { kmsKeyId: KEY })] }],
        violating: [
            (() => {
                const s = res("aws:secretsmanager/secret:Secret", "db-credentials", {});
                return { resources: [s], flagged: [s], message: /Set kmsKeyId to a customer-managed KMS key/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:secretsmanager/secret:Secret", "db-credentials", { kmsKeyId: UNKNOWN })] }],
    });

    policyCases(pack, "ssm-parameter-secure-string", {
        compliant: [
            {
                resources: [
                    res("aws:ssm/parameter:Parameter", "db-password", {
                        name: "/spotmusic/dev/db-password",
                        type: "SecureString",
                        keyId: KEY,
                        value: secret("s3cr3t"),
                    }),
                ],
            },
            {
                resources: [
                    res("aws:ssm/parameter:Parameter", "api-url", {
                        name: "/spotmusic/dev/api-url",
                        type: "String",
                        value: "https://api.example.com",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const p = res("aws:ssm/parameter:Parameter", "jwt-secret", {
                    name: "/postech/dev/jwt-secret",
                    type: "String",
                    value: "x",
                });
                return {
                    resources: [p],
                    flagged: [p],
                    message:
                        /Parameter "\/postech\/dev\/jwt-secret" looks like a secret: set type: "SecureString" and keyId/,
                };
            })(),
            (() => {
                const p = res("aws:ssm/parameter:Parameter", "token", { name: "/x/token", type: "SecureString" });
                return {
                    resources: [p],
                    flagged: [p],
                    message: /Set keyId to a customer-managed KMS key for this SecureString parameter/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:ssm/parameter:Parameter", "p", { name: "/x/p", type: UNKNOWN })] }],
    });

    policyCases(pack, "ecr-repository-kms", {
        compliant: [
            {
                resources: [
                    res("aws:ecr/repository:Repository", "gateway", {
                        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
                    }),
                ],
            },
            {
                resources: [
                    res("awsx:ecr:Repository", "web-api", { encryptionConfigurations: [{ encryptionType: "KMS" }] }),
                ],
            },
        ],
        violating: [
            (() => {
                const r = res("aws:ecr/repository:Repository", "gateway", {
                    encryptionConfigurations: [{ encryptionType: "AES256" }],
                });
                return {
                    resources: [r],
                    flagged: [r],
                    message: /encryptionConfigurations: \[\{ encryptionType: "KMS"/,
                };
            })(),
            (() => {
                const r = res("awsx:ecr:Repository", "web-api", {});
                return { resources: [r], flagged: [r], message: /encryptionType: "KMS"/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ecr/repository:Repository", "gateway", {
                        encryptionConfigurations: [{ encryptionType: UNKNOWN }],
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "cloudtrail-kms-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:cloudtrail/trail:Trail", "audit", {
                        s3BucketName: "logs",
                        kmsKeyId: KEY,
                        enableLogFileValidation: true,
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:cloudtrail/trail:Trail", "audit", {
                    s3BucketName: "logs",
                    enableLogFileValidation: true,
                });
                return {
                    resources: [t],
                    flagged: [t],
                    message: /Set kmsKeyId to a KMS key ARN whose policy allows cloudtrail\.amazonaws\.com/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:cloudtrail/trail:Trail", "audit", { kmsKeyId: UNKNOWN })] }],
    });

    policyCases(pack, "kms-key-rotation", {
        compliant: [
            { resources: [res("aws:kms/key:Key", "data", { enableKeyRotation: true, deletionWindowInDays: 30 })] },
            {
                resources: [
                    res("aws:kms/key:Key", "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
                ],
            },
        ],
        violating: [
            (() => {
                const k = res("aws:kms/key:Key", "data", { description: "data" });
                return { resources: [k], flagged: [k], message: /Set enableKeyRotation: true\./ };
            })(),
        ],
        unknown: [{ resources: [res("aws:kms/key:Key", "data", { enableKeyRotation: UNKNOWN })] }],
    });

    it("reads the legacy and v7 S3 tokens alike (aws:s3/bucketV2:BucketV2 without SSE is flagged by the stack policy)", async () => {
        const legacy = res("aws:s3/bucketV2:BucketV2", "legacy", {});
        const vs = only(await pack.run([legacy]), "s3-bucket-missing-encryption");
        assert.deepStrictEqual(
            vs.map((v) => v.urn),
            [legacy.urn],
        );
    });
});
