/** Corpus: encryption in transit. */
import { res } from "../support/harness";
import {
    CERT_ARN,
    containers,
    forward,
    KEY_ARN,
    LOG_BUCKET,
    postgres,
    redirectToHttps,
    redis,
    REGIONAL_CERT_ARN,
    TLS13,
} from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const LB_ARN = "arn:aws:elasticloadbalancing:sa-east-1:111122223333:loadbalancer/app/ticketing/50dc6c495c0c9188";
const listener = (type: string, name: string, props: Record<string, unknown>) =>
    res(type, name, { loadBalancerArn: LB_ARN, ...props });

const albOrigin = {
    originId: "ticketing-alb",
    domainName: "origin.ticketing.example.com",
    customOriginConfig: {
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
        httpPort: 80,
        httpsPort: 443,
    },
};
const siteOrigin = {
    originId: "site",
    domainName: "coffee-shop-site.s3.sa-east-1.amazonaws.com",
    originAccessControlId: "E2QWRUHAPOMQZL",
};
const behavior = (viewerProtocolPolicy: string, targetOriginId = "ticketing-alb") => ({
    targetOriginId,
    viewerProtocolPolicy,
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
    cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
});
const viewerCert = {
    acmCertificateArn: CERT_ARN,
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: "TLSv1.2_2021",
};
const distribution = (name: string, extra: Record<string, unknown>) =>
    res("aws:cloudfront/distribution:Distribution", name, {
        enabled: true,
        aliases: ["tickets.example.com"],
        origins: [albOrigin],
        defaultCacheBehavior: behavior("redirect-to-https"),
        viewerCertificate: viewerCert,
        restrictions: { geoRestriction: { restrictionType: "none" } },
        loggingConfig: { bucket: `${LOG_BUCKET}.s3.amazonaws.com`, prefix: "cloudfront/ticketing/" },
        webAclId: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/a1b2",
        defaultRootObject: "index.html",
        ...extra,
    });

export const corpus: CorpusModule = {
    insecure: [
        insecure(
            "transit/alb-http-forward",
            "lb-listener-https-redirect",
            "Port-80 listener forwarding plain HTTP to the services.",
            listener("aws:lb/listener:Listener", "ticketing-http", {
                port: 80,
                protocol: "HTTP",
                defaultActions: forward,
            }),
        ),
        insecure(
            "transit/alb-token-http-forward",
            "lb-listener-https-redirect",
            "Same, declared with the aws.alb alias token.",
            listener("aws:alb/listener:Listener", "spotmusic-http", {
                port: 8080,
                protocol: "HTTP",
                defaultActions: forward,
            }),
        ),
        insecure(
            "transit/awsx-alb-default-listener",
            "lb-listener-https-redirect",
            "awsx ApplicationLoadBalancer with no listeners: awsx adds HTTP:80 forwarding.",
            res("awsx:lb:ApplicationLoadBalancer", "mtls-alb", {
                subnetIds: ["subnet-a", "subnet-b"],
                accessLogs: { enabled: true, bucket: LOG_BUCKET },
            }),
        ),
        insecure(
            "transit/https-2016-policy",
            "lb-listener-tls-policy",
            "HTTPS listener pinned to ELBSecurityPolicy-2016-08 (TLS 1.0).",
            listener("aws:lb/listener:Listener", "ticketing-https", {
                port: 443,
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-2016-08",
                certificateArn: REGIONAL_CERT_ARN,
                defaultActions: forward,
            }),
        ),
        insecure(
            "transit/https-default-policy",
            "lb-listener-tls-policy",
            "HTTPS listener without sslPolicy (AWS default allows TLS 1.0).",
            listener("aws:alb/listener:Listener", "spotmusic-https", {
                port: 443,
                protocol: "HTTPS",
                certificateArn: REGIONAL_CERT_ARN,
                defaultActions: forward,
            }),
        ),
        insecure(
            "transit/cloudfront-allow-all",
            "cloudfront-viewer-https",
            "Distribution serving HTTP to viewers.",
            distribution("ticketing-cdn", { defaultCacheBehavior: behavior("allow-all") }),
        ),
        insecure(
            "transit/cloudfront-tls1",
            "cloudfront-minimum-tls",
            "Distribution with minimumProtocolVersion TLSv1_2016.",
            distribution("coffee-shop-cdn", {
                viewerCertificate: { ...viewerCert, minimumProtocolVersion: "TLSv1_2016" },
            }),
        ),
        insecure(
            "transit/cloudfront-http-origin",
            "cloudfront-origin-https",
            "Distribution reaches the ALB origin over HTTP.",
            distribution("ticketing-cdn-origin", {
                origins: [
                    {
                        ...albOrigin,
                        customOriginConfig: { ...albOrigin.customOriginConfig, originProtocolPolicy: "http-only" },
                    },
                ],
            }),
        ),
        insecure(
            "transit/apigw-tls10",
            "apigateway-domain-tls",
            "REST API custom domain allowing TLS 1.0.",
            res("aws:apigateway/domainName:DomainName", "postech-api-domain", {
                domainName: "api.postech.example.com",
                regionalCertificateArn: REGIONAL_CERT_ARN,
                endpointConfiguration: { types: "REGIONAL" },
                securityPolicy: "TLS_1_0",
            }),
        ),
        insecure(
            "transit/redis-no-tls",
            "elasticache-transit-encryption",
            "Cache without in-transit encryption.",
            redis("spotmusic-cache", {
                transitEncryptionEnabled: false,
                transitEncryptionMode: undefined,
                authToken: undefined,
                userGroupIds: ["spotmusic-users"],
            }),
        ),
        insecure(
            "transit/redis-no-auth",
            "elasticache-redis-auth",
            "Cache reachable by anyone in the VPC without AUTH.",
            redis("coffee-shop-cache-noauth", { authToken: undefined }),
        ),
        insecure(
            "transit/postgres14-no-force-ssl",
            "rds-force-ssl",
            "PostgreSQL 14 parameter group without rds.force_ssl.",
            res("aws:rds/parameterGroup:ParameterGroup", "ticketing-pg14", {
                family: "postgres14",
                parameters: [{ name: "log_min_duration_statement", value: "500" }],
            }),
        ),
        insecure(
            "transit/mysql-default-group",
            "rds-force-ssl",
            "MySQL on the default parameter group (require_secure_transport OFF).",
            res("aws:rds/instance:Instance", "spotmusic-db", {
                engine: "mysql",
                engineVersion: "8.0.39",
                instanceClass: "db.t4g.medium",
                storageEncrypted: true,
                backupRetentionPeriod: 7,
                deletionProtection: true,
            }),
        ),
        insecure(
            "transit/ecs-efs-no-tls",
            "ecs-efs-transit-encryption",
            "Gateway task mounts the certificates EFS without TLS.",
            res("aws:ecs/taskDefinition:TaskDefinition", "mtls-gateway", {
                family: "mtls-gateway",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                cpu: "256",
                memory: "512",
                containerDefinitions: containers(["gateway"]),
                volumes: [
                    { name: "certs", efsVolumeConfiguration: { fileSystemId: "fs-0123", rootDirectory: "/certs" } },
                ],
            }),
        ),
    ],
    secure: [
        secure(
            "transit/port-80-redirect",
            "Port-80 listener whose only action redirects to HTTPS (a classic false alarm of other packs).",
            [
                listener("aws:lb/listener:Listener", "ticketing-http", {
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: redirectToHttps,
                }),
            ],
        ),
        secure(
            "transit/https-tls13",
            "HTTPS listener with ELBSecurityPolicy-TLS13-1-2-2021-06 and an ACM certificate (aws.alb token).",
            [
                listener("aws:alb/listener:Listener", "ticketing-https", {
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy: TLS13,
                    certificateArn: REGIONAL_CERT_ARN,
                    defaultActions: forward,
                }),
            ],
        ),
        secure(
            "transit/nlb-passthrough",
            "NLB TCP 443 pass-through to the nginx gateway that terminates mTLS, and TCP 80 to its 301.",
            [
                listener("aws:lb/listener:Listener", "mtls-443", {
                    port: 443,
                    protocol: "TCP",
                    defaultActions: forward,
                }),
                listener("aws:lb/listener:Listener", "mtls-80", { port: 80, protocol: "TCP", defaultActions: forward }),
            ],
        ),
        secure(
            "transit/cloudfront",
            "Distribution: ACM certificate, TLSv1.2_2021, redirect-to-https, HTTPS-only origin, S3 origin with OAC, logging, WAF.",
            [
                distribution("ticketing-cdn", {
                    origins: [albOrigin, siteOrigin],
                    orderedCacheBehaviors: [{ ...behavior("https-only", "site"), pathPattern: "/static/*" }],
                }),
            ],
        ),
        secure("transit/apigw-domain", "REST API domain with TLS_1_2 and HTTP API domain with TLS_1_2.", [
            res("aws:apigateway/domainName:DomainName", "postech-api-domain", {
                domainName: "api.postech.example.com",
                regionalCertificateArn: REGIONAL_CERT_ARN,
                endpointConfiguration: { types: "REGIONAL" },
                securityPolicy: "TLS_1_2",
            }),
            res("aws:apigatewayv2/domainName:DomainName", "spotmusic-api-domain", {
                domainName: "api.spotmusic.example.com",
                domainNameConfiguration: {
                    certificateArn: REGIONAL_CERT_ARN,
                    endpointType: "REGIONAL",
                    securityPolicy: "TLS_1_2",
                },
            }),
        ]),
        secure("transit/redis", "Redis with at-rest and in-transit encryption (required) and an AUTH token.", [
            redis("coffee-shop-cache"),
        ]),
        secure(
            "transit/postgres-force-ssl",
            "PostgreSQL 16 with a parameter group that forces SSL, and an Aurora cluster group forcing SSL.",
            [
                res("aws:rds/parameterGroup:ParameterGroup", "ticketing-pg16", {
                    family: "postgres16",
                    parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
                }),
                postgres("ticketing-db", { parameterGroupName: "ticketing-pg16-id" }),
                res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "spotmusic-aurora-params", {
                    family: "aurora-mysql8.0",
                    parameters: [{ name: "require_secure_transport", value: "ON" }],
                }),
                res("aws:rds/cluster:Cluster", "spotmusic-aurora", {
                    engine: "aurora-mysql",
                    storageEncrypted: true,
                    kmsKeyId: KEY_ARN,
                    backupRetentionPeriod: 7,
                    deletionProtection: true,
                    dbClusterParameterGroupName: "spotmusic-aurora-params-id",
                    enabledCloudwatchLogsExports: ["audit", "error", "general", "slowquery"],
                    manageMasterUserPassword: true,
                    masterUsername: "admin",
                    iamDatabaseAuthenticationEnabled: true,
                }),
            ],
        ),
    ],
};
