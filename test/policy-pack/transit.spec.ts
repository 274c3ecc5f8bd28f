import * as assert from "assert";
import { transitPolicies } from "../../policy-pack/policies/transit";
import { only, policyCases, res, secret, UNKNOWN, usePack } from "./support/harness";

const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/5a6b7c8d-1e2f-3a4b-5c6d-7e8f9a0b1c2d";
const TLS13 = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
const forward = [
    {
        type: "forward",
        targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef",
    },
];

describe("policy-pack/policies/transit (through the analyzer)", () => {
    const pack = usePack();

    it("registers every in-transit policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of transitPolicies) {
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(transitPolicies.length, 10);
    });

    policyCases(pack, "lb-listener-https-redirect", {
        compliant: [
            {
                resources: [
                    res("aws:lb/listener:Listener", "http", { port: 80, protocol: "HTTP", defaultActions: redirect }),
                ],
            },
            {
                resources: [
                    res("aws:alb/listener:Listener", "https", {
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: TLS13,
                        certificateArn: CERT,
                        defaultActions: forward,
                    }),
                ],
            },
            // NLB pass-through (mtls-api nlb mode): TLS is terminated by the target.
            {
                resources: [
                    res("aws:lb/listener:Listener", "tcp-80", { port: 80, protocol: "TCP", defaultActions: forward }),
                ],
            },
            {
                resources: [
                    res("awsx:lb:ApplicationLoadBalancer", "alb", {
                        listeners: [
                            { port: 80, protocol: "HTTP", defaultActions: redirect },
                            { port: 443, protocol: "HTTPS", sslPolicy: TLS13, certificateArn: CERT },
                        ],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const l = res("aws:lb/listener:Listener", "http", {
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: forward,
                });
                return {
                    resources: [l],
                    flagged: [l],
                    message:
                        /HTTP listener on port 80: use protocol "HTTPS", or make defaultActions a single \{ type: "redirect", redirect: \{ protocol: "HTTPS"/,
                };
            })(),
            (() => {
                // Legacy token; a redirect that keeps HTTP is not a redirect to HTTPS.
                const l = res("aws:applicationloadbalancing/listener:Listener", "legacy", {
                    port: 8080,
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "80" } }],
                });
                return { resources: [l], flagged: [l], message: /HTTP listener on port 8080/ };
            })(),
            (() => {
                const alb = res("awsx:lb:ApplicationLoadBalancer", "alb", { subnetIds: ["subnet-1"] });
                return { resources: [alb], flagged: [alb], message: /\(default listener\) HTTP listener on port 80/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:lb/listener:Listener", "http", { port: 80, protocol: UNKNOWN, defaultActions: redirect }),
                ],
            },
        ],
    });

    policyCases(pack, "lb-listener-tls-policy", {
        compliant: [
            {
                resources: [
                    res("aws:lb/listener:Listener", "https", {
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: TLS13,
                        certificateArn: CERT,
                        defaultActions: forward,
                    }),
                ],
            },
            {
                resources: [
                    res("aws:lb/listener:Listener", "fips", {
                        port: 443,
                        protocol: "TLS",
                        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
                        certificateArn: CERT,
                        defaultActions: forward,
                    }),
                ],
            },
            {
                resources: [
                    res("aws:lb/listener:Listener", "fs", {
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10",
                        certificateArn: CERT,
                        defaultActions: forward,
                    }),
                ],
            },
            {
                resources: [
                    res("aws:lb/listener:Listener", "tcp-443", { port: 443, protocol: "TCP", defaultActions: forward }),
                ],
            },
        ],
        violating: [
            (() => {
                const l = res("aws:lb/listener:Listener", "https", {
                    port: 443,
                    protocol: "HTTPS",
                    certificateArn: CERT,
                    defaultActions: forward,
                });
                return {
                    resources: [l],
                    flagged: [l],
                    message: /sslPolicy null allows TLS < 1\.2 .*set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"/,
                };
            })(),
            (() => {
                const l = res("aws:alb/listener:Listener", "old", {
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy: "ELBSecurityPolicy-2016-08",
                    certificateArn: CERT,
                    defaultActions: forward,
                });
                return {
                    resources: [l],
                    flagged: [l],
                    message: /sslPolicy "ELBSecurityPolicy-2016-08" allows TLS < 1\.2/,
                };
            })(),
            (() => {
                const l = res("aws:elasticloadbalancingv2/listener:Listener", "tls11", {
                    port: 443,
                    protocol: "TLS",
                    sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06",
                    defaultActions: forward,
                });
                return {
                    resources: [l],
                    flagged: [l],
                    message: /"ELBSecurityPolicy-TLS13-1-1-2021-06" allows TLS < 1\.2/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:lb/listener:Listener", "https", { port: 443, protocol: "HTTPS", sslPolicy: UNKNOWN }),
                ],
            },
        ],
    });

    const s3Origin = {
        originId: "site",
        domainName: "site.s3.us-east-1.amazonaws.com",
        originAccessControlId: "E2QWRUHAPOMQZL",
    };
    const albOrigin = {
        originId: "alb",
        domainName: "alb.example.com",
        customOriginConfig: {
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            httpPort: 80,
            httpsPort: 443,
        },
    };
    const behavior = (policy: string) => ({
        targetOriginId: "alb",
        viewerProtocolPolicy: policy,
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
    });
    const acm = { acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" };
    const dist = (name: string, extra: Record<string, unknown>) =>
        res("aws:cloudfront/distribution:Distribution", name, {
            enabled: true,
            origins: [albOrigin],
            defaultCacheBehavior: behavior("redirect-to-https"),
            viewerCertificate: acm,
            ...extra,
        });

    policyCases(pack, "cloudfront-viewer-https", {
        compliant: [
            {
                resources: [
                    dist("web", { orderedCacheBehaviors: [{ ...behavior("https-only"), pathPattern: "/api/*" }] }),
                ],
            },
        ],
        violating: [
            (() => {
                const d = dist("web", {
                    defaultCacheBehavior: behavior("allow-all"),
                    orderedCacheBehaviors: [{ ...behavior("allow-all"), pathPattern: "/img/*" }],
                });
                return {
                    resources: [d],
                    flagged: [d],
                    count: 2,
                    message:
                        /(defaultCacheBehavior|orderedCacheBehaviors\[0\])\.viewerProtocolPolicy is "allow-all": set "redirect-to-https" or "https-only"/,
                };
            })(),
        ],
        unknown: [{ resources: [dist("web", { defaultCacheBehavior: behavior(UNKNOWN) })] }],
    });

    policyCases(pack, "cloudfront-minimum-tls", {
        compliant: [
            { resources: [dist("web", {})] },
            { resources: [dist("tls13", { viewerCertificate: { ...acm, minimumProtocolVersion: "TLSv1.3_2025" } })] },
        ],
        violating: [
            (() => {
                const d = dist("web", { viewerCertificate: { cloudfrontDefaultCertificate: true } });
                return {
                    resources: [d],
                    flagged: [d],
                    message:
                        /default certificate, which allows TLSv1: set acmCertificateArn .*minimumProtocolVersion: "TLSv1\.2_2021"/,
                };
            })(),
            (() => {
                const d = dist("old", { viewerCertificate: { ...acm, minimumProtocolVersion: "TLSv1_2016" } });
                return {
                    resources: [d],
                    flagged: [d],
                    message: /minimumProtocolVersion is "TLSv1_2016": set "TLSv1\.2_2021"/,
                };
            })(),
        ],
        unknown: [{ resources: [dist("web", { viewerCertificate: { ...acm, acmCertificateArn: UNKNOWN } })] }],
    });

    policyCases(pack, "cloudfront-origin-https", {
        compliant: [
            { resources: [dist("web", { origins: [albOrigin, s3Origin] })] },
            {
                resources: [
                    dist("mv", {
                        origins: [
                            {
                                ...albOrigin,
                                customOriginConfig: {
                                    ...albOrigin.customOriginConfig,
                                    originProtocolPolicy: "match-viewer",
                                },
                            },
                        ],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const d = dist("web", {
                    origins: [
                        {
                            ...albOrigin,
                            customOriginConfig: {
                                ...albOrigin.customOriginConfig,
                                originProtocolPolicy: "http-only",
                                originSslProtocols: ["TLSv1", "TLSv1.2"],
                            },
                        },
                    ],
                });
                return {
                    resources: [d],
                    flagged: [d],
                    count: 2,
                    message:
                        /origins\[0\] \(alb\): (customOriginConfig\.originProtocolPolicy is "http-only": set "https-only"|remove TLSv1 from customOriginConfig\.originSslProtocols; allow only "TLSv1\.2")/,
                };
            })(),
            (() => {
                const d = dist("mv", {
                    defaultCacheBehavior: behavior("allow-all"),
                    origins: [
                        {
                            ...albOrigin,
                            customOriginConfig: {
                                ...albOrigin.customOriginConfig,
                                originProtocolPolicy: "match-viewer",
                            },
                        },
                    ],
                });
                return {
                    resources: [d],
                    flagged: [d],
                    message: /originProtocolPolicy is "match-viewer": set "https-only"/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    dist("web", {
                        origins: [
                            {
                                ...albOrigin,
                                customOriginConfig: { ...albOrigin.customOriginConfig, originProtocolPolicy: UNKNOWN },
                            },
                        ],
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "apigateway-domain-tls", {
        compliant: [
            {
                resources: [
                    res("aws:apigateway/domainName:DomainName", "api", {
                        domainName: "api.example.com",
                        regionalCertificateArn: CERT,
                        securityPolicy: "TLS_1_2",
                    }),
                ],
            },
            {
                resources: [
                    res("aws:apigateway/domainName:DomainName", "api13", {
                        domainName: "api.example.com",
                        securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09",
                    }),
                ],
            },
            {
                resources: [
                    res("aws:apigatewayv2/domainName:DomainName", "http", {
                        domainName: "music.example.com",
                        domainNameConfiguration: {
                            certificateArn: CERT,
                            endpointType: "REGIONAL",
                            securityPolicy: "TLS_1_2",
                        },
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const d = res("aws:apigateway/domainName:DomainName", "api", {
                    domainName: "api.example.com",
                    regionalCertificateArn: CERT,
                });
                return {
                    resources: [d],
                    flagged: [d],
                    message: /securityPolicy is null \(TLS 1\.0 is allowed unless set\): set "TLS_1_2"/,
                };
            })(),
            (() => {
                const d = res("aws:apigateway/domainName:DomainName", "tls10", {
                    domainName: "api.example.com",
                    securityPolicy: "TLS_1_0",
                });
                return { resources: [d], flagged: [d], message: /securityPolicy is "TLS_1_0"/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:apigatewayv2/domainName:DomainName", "http", {
                        domainName: "x",
                        domainNameConfiguration: { securityPolicy: UNKNOWN },
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "elasticache-transit-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        transitEncryptionEnabled: true,
                        transitEncryptionMode: "required",
                    }),
                ],
            },
            {
                resources: [
                    res("aws:elasticache/cluster:Cluster", "memcached", {
                        engine: "memcached",
                        transitEncryptionEnabled: true,
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const g = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { engine: "redis" });
                return { resources: [g], flagged: [g], message: /Set transitEncryptionEnabled: true\./ };
            })(),
            (() => {
                const g = res("aws:elasticache/replicationGroup:ReplicationGroup", "migrating", {
                    transitEncryptionEnabled: true,
                    transitEncryptionMode: "preferred",
                });
                return {
                    resources: [g],
                    flagged: [g],
                    message: /transitEncryptionMode "preferred" still accepts plaintext clients: set "required"/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        transitEncryptionEnabled: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "elasticache-redis-auth", {
        compliant: [
            // The token is a secret the analyzer never needs to read.
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        engine: "redis",
                        authToken: secret(UNKNOWN),
                    }),
                ],
            },
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "rbac", {
                        engine: "valkey",
                        userGroupIds: ["app-users"],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const g = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                    engine: "redis",
                    transitEncryptionEnabled: true,
                });
                return { resources: [g], flagged: [g], message: /Set authToken \(from a secret\) or userGroupIds/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
                        engine: "redis",
                        userGroupIds: UNKNOWN,
                    }),
                ],
            },
        ],
    });

    const pg = (name: string, family: string, parameters: unknown[]) =>
        res("aws:rds/parameterGroup:ParameterGroup", name, { family, parameters });
    policyCases(pack, "rds-force-ssl", {
        compliant: [
            {
                resources: [
                    pg("pg14", "postgres14", [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]),
                ],
            },
            { resources: [pg("pg16", "postgres16", [])] },
            { resources: [pg("mysql", "mysql8.0", [{ name: "require_secure_transport", value: "ON" }])] },
            {
                resources: [
                    res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora", {
                        family: "aurora-postgresql16",
                        parameters: [{ name: "rds.force_ssl", value: "1" }],
                    }),
                ],
            },
            { resources: [res("aws:rds/instance:Instance", "db", { engine: "postgres", engineVersion: "16.4" })] },
            {
                resources: [
                    res("aws:rds/instance:Instance", "mysql", { engine: "mysql", parameterGroupName: "mysql-ssl" }),
                ],
            },
        ],
        violating: [
            (() => {
                const g = pg("pg14", "postgres14", []);
                return {
                    resources: [g],
                    flagged: [g],
                    message: /Family postgres14: set parameter rds\.force_ssl = "1"/,
                };
            })(),
            (() => {
                const g = pg("pg16-off", "postgres16", [{ name: "rds.force_ssl", value: "0" }]);
                return {
                    resources: [g],
                    flagged: [g],
                    message: /Family postgres16: set parameter rds\.force_ssl = "1"/,
                };
            })(),
            (() => {
                const g = pg("mysql", "mysql8.0", [{ name: "max_connections", value: "200" }]);
                return {
                    resources: [g],
                    flagged: [g],
                    message: /Family mysql8\.0: set parameter require_secure_transport = "1"/,
                };
            })(),
            (() => {
                const db = res("aws:rds/instance:Instance", "mysql", { engine: "mysql", engineVersion: "8.0.39" });
                return {
                    resources: [db],
                    flagged: [db],
                    message:
                        /default parameter group for mysql 8\.0\.39 accepts plaintext: set parameterGroupName to a group with require_secure_transport = "1"/,
                };
            })(),
            (() => {
                const db = res("aws:rds/instance:Instance", "pg14-default", {
                    engine: "postgres",
                    engineVersion: "14.12",
                    parameterGroupName: "default.postgres14",
                });
                return {
                    resources: [db],
                    flagged: [db],
                    message:
                        /default parameter group for postgres 14\.12 accepts plaintext: set parameterGroupName to a group with rds\.force_ssl = "1"/,
                };
            })(),
            (() => {
                const c = res("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql" });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /set dbClusterParameterGroupName to a group with rds\.force_ssl = "1"/,
                };
            })(),
        ],
        unknown: [{ resources: [pg("pg", "postgres14", [{ name: "rds.force_ssl", value: UNKNOWN }])] }],
    });

    policyCases(pack, "ecs-efs-transit-encryption", {
        compliant: [
            {
                resources: [
                    res("aws:ecs/taskDefinition:TaskDefinition", "api", {
                        family: "api",
                        containerDefinitions: "[]",
                        volumes: [
                            {
                                name: "certs",
                                efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED" },
                            },
                            { name: "tmp" },
                        ],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const t = res("aws:ecs/taskDefinition:TaskDefinition", "api", {
                    family: "api",
                    containerDefinitions: "[]",
                    volumes: [{ name: "certs", efsVolumeConfiguration: { fileSystemId: "fs-1" } }],
                });
                return {
                    resources: [t],
                    flagged: [t],
                    message: /volumes\[0\] \(certs\): set efsVolumeConfiguration\.transitEncryption: "ENABLED"/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ecs/taskDefinition:TaskDefinition", "api", {
                        volumes: [
                            {
                                name: "certs",
                                efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: UNKNOWN },
                            },
                        ],
                    }),
                ],
            },
        ],
    });

    it("checks the secret-holding authToken without reading it (no 'can't run' from a ciphertext-only secret)", async () => {
        const g = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
            engine: "redis",
            authToken: secret(UNKNOWN),
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
        });
        const vs = await pack.run([g]);
        assert.deepStrictEqual(only(vs, "elasticache-redis-auth"), []);
    });
});
