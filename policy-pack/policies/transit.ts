/**
 * Encryption in transit: load balancer listeners, CloudFront (viewer, origin, minimum TLS), API
 * Gateway custom domains, ElastiCache, RDS (`rds.force_ssl` / `require_secure_transport`) and EFS
 * volumes mounted by ECS tasks.
 *
 * References: ELB security policies
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html,
 * CloudFront supported protocols
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html,
 * RDS SSL https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html.
 */
import {
    block,
    isAmong,
    isOneOf,
    isSet,
    isTrue,
    list,
    num,
    Policy,
    Props,
    resourcePolicy,
    T,
    text,
    tokensOf,
} from "../lib/resource";

/**
 * ELB policies that allow nothing older than TLS 1.2 (TLS13-1-2/1-3, TLS-1-2, FS-1-2 families, FIPS/PQ/Ext variants).
 */
const ELB_TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

interface Listener {
    protocol: string;
    port: number | undefined;
    defaultActions: unknown[];
    sslPolicy: unknown;
    label: string;
}

/**
 * The listeners a resource declares: an `aws:lb|alb/listener` is one; an awsx
 * ApplicationLoadBalancer declares `listeners`, `listener`, or (neither) its default HTTP:80
 * listener that forwards to the default target group.
 */
function listenersOf(props: Props, type: string): Listener[] {
    const one = (value: unknown, label: string): Listener => {
        const l = block(value);
        const protocol = l?.protocol;
        return {
            // ALB listeners default to HTTP when no protocol is given.
            protocol: typeof protocol === "string" ? protocol.toUpperCase() : "HTTP",
            port: num(l?.port),
            defaultActions: list(l?.defaultActions),
            sslPolicy: l?.sslPolicy,
            label,
        };
    };
    if (isOneOf(type, T.awsxApplicationLoadBalancer)) {
        if (props.listeners !== undefined) {
            return list(props.listeners).map((l, i) => one(l, `listeners[${i}].`));
        }
        if (props.listener !== undefined) {
            return [one(props.listener, "listener.")];
        }
        return [
            {
                protocol: "HTTP",
                port: 80,
                defaultActions: [{ type: "forward" }],
                sslPolicy: undefined,
                label: "(default listener) ",
            },
        ];
    }
    return [one(props, "")];
}

const LISTENER_TYPES = tokensOf("listener", "awsxApplicationLoadBalancer");

export const lbListenerHttpsRedirect = resourcePolicy({
    name: "lb-listener-https-redirect",
    description: "Plain-HTTP load balancer listeners may only redirect to HTTPS.",
    types: LISTENER_TYPES,
    check: (props, args, report) => {
        for (const l of listenersOf(props, args.type)) {
            if (l.protocol !== "HTTP") {
                continue;
            }
            const redirectsToHttps =
                l.defaultActions.length > 0 &&
                l.defaultActions.every(
                    (a) =>
                        block(a)?.type === "redirect" &&
                        text(block(block(a)?.redirect)?.protocol).toUpperCase() === "HTTPS",
                );
            if (!redirectsToHttps) {
                report(
                    `${l.label}HTTP listener on port ${l.port ?? "?"}: use protocol "HTTPS", or make ` +
                        `defaultActions a single ` +
                        '{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.',
                );
            }
        }
    },
});

export const lbListenerTlsPolicy = resourcePolicy({
    name: "lb-listener-tls-policy",
    description: "HTTPS and TLS load balancer listeners must use a TLS 1.2+ security policy.",
    types: LISTENER_TYPES,
    check: (props, args, report) => {
        for (const l of listenersOf(props, args.type)) {
            if (l.protocol !== "HTTPS" && l.protocol !== "TLS") {
                continue; // HTTP is the redirect policy's; TCP/UDP pass TLS through to the target.
            }
            if (typeof l.sslPolicy !== "string" || !ELB_TLS12_POLICY.test(l.sslPolicy)) {
                report(
                    `${l.label}sslPolicy ${JSON.stringify(l.sslPolicy ?? null)} allows TLS < 1.2 (the AWS ` +
                        `default ELBSecurityPolicy-2016-08 does): ` +
                        'set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06".',
                );
            }
        }
    },
});

const HTTPS_VIEWER = ["redirect-to-https", "https-only"];

export const cloudfrontViewerHttps = resourcePolicy({
    name: "cloudfront-viewer-https",
    description: "CloudFront cache behaviors must require HTTPS from viewers.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        const behaviors: [string, unknown][] = [["defaultCacheBehavior", props.defaultCacheBehavior]];
        list(props.orderedCacheBehaviors).forEach((b, i) => behaviors.push([`orderedCacheBehaviors[${i}]`, b]));
        for (const [where, b] of behaviors) {
            if (!isAmong(block(b)?.viewerProtocolPolicy, HTTPS_VIEWER)) {
                report(
                    `${where}.viewerProtocolPolicy is ${JSON.stringify(block(b)?.viewerProtocolPolicy ?? null)}: ` +
                        `set "redirect-to-https" or "https-only".`,
                );
            }
        }
    },
});

export const cloudfrontMinimumTls = resourcePolicy({
    name: "cloudfront-minimum-tls",
    description: "CloudFront must serve a custom certificate with TLS 1.2 or newer as the minimum.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        const raw = props.viewerCertificate;
        const cert = block(raw);
        if (
            raw === undefined ||
            raw === null ||
            isTrue(cert?.cloudfrontDefaultCertificate) ||
            (!isSet(cert?.acmCertificateArn) && !isSet(cert?.iamCertificateId))
        ) {
            report(
                "viewerCertificate uses the *.cloudfront.net default certificate, which allows TLSv1: set " +
                    "acmCertificateArn (us-east-1), " +
                    'sslSupportMethod: "sni-only" and minimumProtocolVersion: "TLSv1.2_2021".',
            );
            return;
        }
        const min = cert?.minimumProtocolVersion;
        if (typeof min !== "string" || !/^TLSv1\.[23]_\d{4}$/.test(min)) {
            report(`viewerCertificate.minimumProtocolVersion is ${JSON.stringify(min ?? null)}: set "TLSv1.2_2021".`);
        }
    },
});

export const cloudfrontOriginHttps = resourcePolicy({
    name: "cloudfront-origin-https",
    description: "CloudFront must reach custom origins over HTTPS with TLS 1.2.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        const viewerAlwaysHttps = [props.defaultCacheBehavior, ...list(props.orderedCacheBehaviors)].every((b) =>
            isAmong(block(b)?.viewerProtocolPolicy, HTTPS_VIEWER),
        );
        list(props.origins).forEach((value, i) => {
            const o = block(value);
            const raw = o?.customOriginConfig;
            if (raw === undefined || raw === null) {
                return; // S3 origins (with origin access control) are always HTTPS.
            }
            const custom = block(raw);
            const policy = custom?.originProtocolPolicy;
            if (policy !== "https-only" && !(policy === "match-viewer" && viewerAlwaysHttps)) {
                report(
                    `origins[${i}] (${String(o?.originId)}): customOriginConfig.originProtocolPolicy is ` +
                        `${JSON.stringify(policy)}: set "https-only".`,
                );
            }
            const weak = list<string>(custom?.originSslProtocols).filter((p) => p !== "TLSv1.2" && p !== "TLSv1.3");
            if (weak.length > 0) {
                report(
                    `origins[${i}] (${String(o?.originId)}): remove ${weak.join(", ")} from ` +
                        `customOriginConfig.originSslProtocols; allow only "TLSv1.2".`,
                );
            }
        });
    },
});

/**
 * API Gateway security policies without TLS 1.0/1.1: TLS_1_2 and the enhanced SecurityPolicy_TLS12_* / TLS13_* names.
 */
const APIGW_TLS12_POLICY = /^(TLS_1_2|SecurityPolicy_TLS1[23]_.+)$/;

export const apigatewayDomainTls = resourcePolicy({
    name: "apigateway-domain-tls",
    description: "API Gateway custom domains must use a TLS 1.2+ security policy.",
    types: tokensOf("apigatewayDomainName", "apigatewayv2DomainName"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.apigatewayv2DomainName)) {
            const policy = block(props.domainNameConfiguration)?.securityPolicy;
            if (typeof policy !== "string" || !APIGW_TLS12_POLICY.test(policy)) {
                report(`domainNameConfiguration.securityPolicy is ${JSON.stringify(policy ?? null)}: set "TLS_1_2".`);
            }
            return;
        }
        const policy = props.securityPolicy;
        if (typeof policy !== "string" || !APIGW_TLS12_POLICY.test(policy)) {
            report(
                `securityPolicy is ${JSON.stringify(policy ?? null)} (TLS 1.0 is allowed unless set): set "TLS_1_2".`,
            );
        }
    },
});

export const elasticacheTransitEncryption = resourcePolicy({
    name: "elasticache-transit-encryption",
    description: "ElastiCache must require TLS between clients and nodes.",
    types: tokensOf("elasticacheReplicationGroup", "elasticacheCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.elasticacheCluster)) {
            if (isSet(props.replicationGroupId)) {
                return; // Members follow their replication group.
            }
            if (props.engine !== "memcached") {
                report(
                    "A standalone Redis/Valkey cluster cannot use TLS: use an aws.elasticache.ReplicationGroup " +
                        "with transitEncryptionEnabled: true.",
                );
                return;
            }
        }
        if (!isTrue(props.transitEncryptionEnabled)) {
            report("Set transitEncryptionEnabled: true.");
            return;
        }
        if (props.transitEncryptionMode === "preferred") {
            report('transitEncryptionMode "preferred" still accepts plaintext clients: set "required".');
        }
    },
});

export const elasticacheRedisAuth = resourcePolicy({
    name: "elasticache-redis-auth",
    description: "Redis/Valkey replication groups must require AUTH (token or RBAC user group).",
    types: T.elasticacheReplicationGroup,
    check: (props, _args, report) => {
        if (props.engine === "memcached") {
            return;
        }
        // The token is a secret: test that it is set without reading its value.
        const keys = Object.keys(props);
        if (keys.includes("authToken") || keys.includes("authTokenWo") || list(props.userGroupIds).length > 0) {
            return;
        }
        report("Set authToken (from a secret) or userGroupIds (ElastiCache RBAC) so clients must authenticate.");
    },
});

/** Major version from a parameter group family (`postgres16` -> 16, `aurora-postgresql15` -> 15). */
function familyMajor(family: string): number | undefined {
    const m = /(\d+)(\.\d+)?$/.exec(family);
    return m ? Number(m[1]) : undefined;
}

const FORCE_SSL_ON = ["1", "on", "true"];

/** What a family must set to refuse plaintext connections, or `undefined` if nothing applies. */
function sslRequirement(family: string): { parameter: string; defaultOn: boolean } | undefined {
    if (/^postgres/.test(family)) {
        // RDS for PostgreSQL 15 and later default rds.force_ssl to 1.
        return { parameter: "rds.force_ssl", defaultOn: (familyMajor(family) ?? 0) >= 15 };
    }
    if (/^aurora-postgresql/.test(family) || /^sqlserver/.test(family)) {
        return { parameter: "rds.force_ssl", defaultOn: false };
    }
    if (/^(mysql|mariadb|aurora-mysql|aurora\d)/.test(family)) {
        return { parameter: "require_secure_transport", defaultOn: false };
    }
    return undefined;
}

export const rdsForceSsl = resourcePolicy({
    name: "rds-force-ssl",
    description: "RDS parameter groups must refuse plaintext connections (rds.force_ssl / require_secure_transport).",
    types: tokensOf("rdsParameterGroup", "rdsClusterParameterGroup", "rdsInstance", "rdsCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.rdsParameterGroup) || isOneOf(args.type, T.rdsClusterParameterGroup)) {
            const family = text(props.family);
            const need = sslRequirement(family);
            if (need === undefined) {
                return;
            }
            const param = list(props.parameters).find((p) => block(p)?.name === need.parameter);
            const value = param === undefined ? undefined : String(block(param)?.value).toLowerCase();
            if (value === undefined ? !need.defaultOn : !FORCE_SSL_ON.includes(value)) {
                report(
                    `Family ${family}: set parameter ${need.parameter} = "1" (applyMethod "pending-reboot" if static).`,
                );
            }
            return;
        }
        // Instances and clusters on the engine's default parameter group.
        const engine = text(props.engine);
        if (isOneOf(args.type, T.rdsInstance)) {
            const group = props.parameterGroupName;
            if (engine.startsWith("aurora") || (isSet(group) && !group.startsWith("default."))) {
                return; // Aurora members use the cluster group; a named group is checked on its own.
            }
            const major = num(text(props.engineVersion).split(".")[0]);
            const family = engine === "postgres" ? `postgres${major ?? 99}` : engine;
            const need = sslRequirement(family);
            if (need !== undefined && !need.defaultOn) {
                report(
                    `The default parameter group for ${engine} ${text(props.engineVersion)} accepts plaintext: ` +
                        `set parameterGroupName to a group with ${need.parameter} = "1".`,
                );
            }
            return;
        }
        const clusterGroup = props.dbClusterParameterGroupName;
        if (isSet(clusterGroup) && !clusterGroup.startsWith("default.")) {
            return;
        }
        const need = sslRequirement(engine);
        if (need !== undefined && !need.defaultOn) {
            report(
                `The default cluster parameter group for ${engine} accepts plaintext: set ` +
                    `dbClusterParameterGroupName to a group with ${need.parameter} = "1".`,
            );
        }
    },
});

export const ecsEfsTransitEncryption = resourcePolicy({
    name: "ecs-efs-transit-encryption",
    description: "EFS volumes mounted by ECS tasks must use TLS.",
    types: T.ecsTaskDefinition,
    check: (props, _args, report) => {
        list(props.volumes).forEach((value, i) => {
            const v = block(value);
            const efs = v?.efsVolumeConfiguration;
            if (efs !== undefined && efs !== null && block(efs)?.transitEncryption !== "ENABLED") {
                report(`volumes[${i}] (${String(v?.name)}): set efsVolumeConfiguration.transitEncryption: "ENABLED".`);
            }
        });
    },
});

/** In-transit policies, in the order the README lists them. */
export const transitPolicies: Policy[] = [
    lbListenerHttpsRedirect,
    lbListenerTlsPolicy,
    cloudfrontViewerHttps,
    cloudfrontMinimumTls,
    cloudfrontOriginHttps,
    apigatewayDomainTls,
    elasticacheTransitEncryption,
    elasticacheRedisAuth,
    rdsForceSsl,
    ecsEfsTransitEncryption,
];
