/**
 * Pulumi mocks that answer like AWS would: resources get realistic ids, ARNs and physical names, so
 * resources that depend on them (policies naming an ARN, routes naming a gateway id) see plausible
 * values; data-source invokes return fixed account, region and AZ facts; remote components (awsx, eks)
 * get faked outputs.
 *
 * Ids are derived from a hash of the resource's type and name, so two runs of the same program give
 * the same plan (the plan file diffs cleanly). Physical names follow Pulumi's auto-naming (logical name
 * plus a 7-character suffix) unless the program set one.
 *
 * See https://www.pulumi.com/docs/iac/guides/testing/unit/ for the mocks contract.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** The account id every mocked ARN carries. */
export const MOCK_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

function hex(seed: string, length: number): string {
    return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * The digest the mocked `aws.ecr.getImage` reports for a tag of a repository (tests compute the expected image with
 * it).
 */
export function mockImageDigest(repositoryName: string, tag: string): string {
    return `sha256:${hex(`${repositoryName}:${tag}`, 64)}`;
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Pulumi auto-naming: `<logical name>-<7 hex>`, trimmed to `maxLength`. */
function autoName(name: string, seed: string, maxLength = 255, lower = false): string {
    const base = lower ? name.toLowerCase() : name;
    return `${base.slice(0, Math.max(1, maxLength - 8))}-${hex(seed, 7)}`;
}

/** EC2-style id: `<prefix>-<17 hex>`. */
function ec2Id(prefix: string, seed: string): string {
    return `${prefix}-0${hex(seed, 16)}`;
}

/** `length` lower-case alphanumerics derived from `seed` (API Gateway and Cognito client ids). */
function base36(seed: string, length: number): string {
    return BigInt(`0x${hex(seed, 40)}`)
        .toString(36)
        .padStart(length, "0")
        .slice(0, length);
}

/** `length` mixed-case alphanumerics derived from `seed` (user pool id suffixes, API key values). */
function base62(seed: string, length: number): string {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const digest = crypto.createHash("sha256").update(seed).digest();
    return [...Array(length).keys()].map((i) => alphabet[digest[i % digest.length] % 62]).join("");
}

interface Context {
    region: string;
    seed: string;
    name: string;
    inputs: State;
}

type Shaper = (ctx: Context) => { id: string; state: State };

const arn = (ctx: Context, service: string, resource: string, global = false) =>
    `arn:aws:${service}:${global ? "" : ctx.region}:${MOCK_ACCOUNT_ID}:${resource}`;

/** An input as text for an id or ARN: the string given, or `fallback` when absent or not a string. */
function text(ctx: Context, key: string, fallback = ""): string {
    const value = ctx.inputs[key];
    return typeof value === "string" ? value : fallback;
}

function named(ctx: Context, key = "name", maxLength = 255, lower = false): string {
    const given = ctx.inputs[key];
    if (typeof given === "string" && given !== "") return given;
    const prefix = ctx.inputs[`${key}Prefix`];
    if (typeof prefix === "string" && prefix !== "") return `${prefix}${hex(ctx.seed, 26)}`.slice(0, maxLength);
    return autoName(ctx.name, ctx.seed, maxLength, lower);
}

function ec2(prefix: string, arnType: string): Shaper {
    return (ctx) => {
        const id = ec2Id(prefix, ctx.seed);
        return { id, state: { arn: arn(ctx, "ec2", `${arnType}/${id}`), ownerId: MOCK_ACCOUNT_ID } };
    };
}

/** Per-type shapes for the resources this program uses; others fall back to `genericShape`. */
const SHAPES: Record<string, Shaper> = {
    "aws:ec2/vpc:Vpc": (ctx) => {
        const id = ec2Id("vpc", ctx.seed);
        return {
            id,
            state: {
                arn: arn(ctx, "ec2", `vpc/${id}`),
                defaultSecurityGroupId: ec2Id("sg", `${ctx.seed}/default-sg`),
                defaultNetworkAclId: ec2Id("acl", `${ctx.seed}/default-acl`),
                defaultRouteTableId: ec2Id("rtb", `${ctx.seed}/main-rtb`),
                mainRouteTableId: ec2Id("rtb", `${ctx.seed}/main-rtb`),
                ownerId: MOCK_ACCOUNT_ID,
            },
        };
    },
    "aws:ec2/subnet:Subnet": ec2("subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": (ctx) => {
        const id = ec2Id("sg", ctx.seed);
        return {
            id,
            state: { arn: arn(ctx, "ec2", `security-group/${id}`), name: named(ctx), ownerId: MOCK_ACCOUNT_ID },
        };
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/natGateway:NatGateway": (ctx) => ({
        id: ec2Id("nat", ctx.seed),
        state: { networkInterfaceId: ec2Id("eni", ctx.seed), privateIp: "10.0.0.10" },
    }),
    "aws:ec2/eip:Eip": (ctx) => {
        const id = ec2Id("eipalloc", ctx.seed);
        const n = parseInt(hex(ctx.seed, 4), 16);
        return {
            id,
            state: {
                allocationId: id,
                publicIp: `18.228.${n % 256}.${(n >> 8) % 256}`,
                arn: arn(ctx, "ec2", `elastic-ip/${id}`),
            },
        };
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": (ctx) => {
        const id = ec2Id("vpce", ctx.seed);
        return {
            id,
            state: { arn: arn(ctx, "ec2", `vpc-endpoint/${id}`), prefixListId: ec2Id("pl", ctx.seed), dnsEntries: [] },
        };
    },
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (ctx) => ({ id: ec2Id("rtbassoc", ctx.seed), state: {} }),
    "aws:ec2/route:Route": (ctx) => ({ id: `r-${text(ctx, "routeTableId", "rtb")}${hex(ctx.seed, 8)}`, state: {} }),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (ctx) => {
        const id = ec2Id("sgr", ctx.seed);
        return { id, state: { arn: arn(ctx, "ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (ctx) => {
        const id = ec2Id("sgr", ctx.seed);
        return { id, state: { arn: arn(ctx, "ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
    },
    "aws:kms/key:Key": (ctx) => {
        const id = uuid(ctx.seed);
        return { id, state: { arn: arn(ctx, "kms", `key/${id}`), keyId: id } };
    },
    "aws:kms/alias:Alias": (ctx) => {
        const name = named(ctx);
        return {
            id: name,
            state: { arn: arn(ctx, "kms", name), targetKeyArn: arn(ctx, "kms", `key/${text(ctx, "targetKeyId")}`) },
        };
    },
    "aws:s3/bucket:Bucket": (ctx) => {
        const bucket = named(ctx, "bucket", 63, true);
        return {
            id: bucket,
            state: {
                bucket,
                arn: `arn:aws:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
                hostedZoneId: "Z7KQH4QJS55SO",
                region: ctx.region,
            },
        };
    },
    "aws:iam/role:Role": (ctx) => {
        const name = named(ctx, "name", 64);
        return {
            id: name,
            state: {
                name,
                arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role${text(ctx, "path", "/")}${name}`,
                uniqueId: `AROA${hex(ctx.seed, 17).toUpperCase()}`,
            },
        };
    },
    "aws:iam/policy:Policy": (ctx) => {
        const name = named(ctx, "name", 128);
        const arnValue = `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy${text(ctx, "path", "/")}${name}`;
        return { id: arnValue, state: { name, arn: arnValue, policyId: `ANPA${hex(ctx.seed, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (ctx) => {
        const name = named(ctx, "name", 128);
        return { id: `${text(ctx, "role")}:${name}`, state: { name } };
    },
    "aws:cloudwatch/logGroup:LogGroup": (ctx) => {
        const name = named(ctx, "name", 512);
        return { id: name, state: { name, arn: arn(ctx, "logs", `log-group:${name}`) } };
    },
    "aws:sns/topic:Topic": (ctx) => {
        const name = named(ctx, "name", 256);
        const a = arn(ctx, "sns", name);
        return { id: a, state: { name, arn: a, owner: MOCK_ACCOUNT_ID } };
    },
    "aws:sns/topicSubscription:TopicSubscription": (ctx) => {
        const a = `${text(ctx, "topic")}:${uuid(ctx.seed)}`;
        return { id: a, state: { arn: a } };
    },
    "aws:sqs/queue:Queue": (ctx) => {
        const name = named(ctx, "name", 80);
        return {
            id: `https://sqs.${ctx.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`,
            state: {
                name,
                arn: arn(ctx, "sqs", name),
                url: `https://sqs.${ctx.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`,
            },
        };
    },
    "aws:ecs/cluster:Cluster": (ctx) => {
        const name = named(ctx, "name", 255);
        const a = arn(ctx, "ecs", `cluster/${name}`);
        return { id: a, state: { name, arn: a } };
    },
    "aws:secretsmanager/secret:Secret": (ctx) => {
        const name = named(ctx, "name", 512);
        const a = arn(ctx, "secretsmanager", `secret:${name}-${hex(ctx.seed, 6)}`);
        return { id: a, state: { name, arn: a } };
    },
    // ---- mtls-api: containers, load balancing, service discovery, WAF, certificates
    "aws:ecr/repository:Repository": (ctx) => {
        const name = named(ctx, "name", 256, true);
        return {
            id: name,
            state: {
                name,
                arn: arn(ctx, "ecr", `repository/${name}`),
                registryId: MOCK_ACCOUNT_ID,
                repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
            },
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (ctx) => ({
        id: String(text(ctx, "repository", ctx.name)),
        state: { registryId: MOCK_ACCOUNT_ID },
    }),
    "aws:ecs/taskDefinition:TaskDefinition": (ctx) => {
        const family = String(text(ctx, "family", ctx.name));
        return {
            id: family,
            state: {
                arn: arn(ctx, "ecs", `task-definition/${family}:1`),
                arnWithoutRevision: arn(ctx, "ecs", `task-definition/${family}`),
                revision: 1,
            },
        };
    },
    "aws:ecs/service:Service": (ctx) => {
        const name = named(ctx, "name", 255);
        const cluster = String(text(ctx, "cluster", "default"))
            .split("/")
            .pop();
        const a = arn(ctx, "ecs", `service/${cluster}/${name}`);
        return { id: a, state: { name, arn: a } };
    },
    "aws:lb/loadBalancer:LoadBalancer": (ctx) => {
        const name = named(ctx, "name", 32);
        const kind = ctx.inputs.loadBalancerType === "network" ? "net" : "app";
        const suffix = `${kind}/${name}/${hex(ctx.seed, 16)}`;
        const a = arn(ctx, "elasticloadbalancing", `loadbalancer/${suffix}`);
        const scheme = ctx.inputs.internal ? "internal-" : "";
        const dnsName =
            kind === "net"
                ? `${name}-${hex(ctx.seed, 16)}.elb.${ctx.region}.amazonaws.com`
                : `${scheme}${name}-${parseInt(hex(ctx.seed, 8), 16)}.${ctx.region}.elb.amazonaws.com`;
        // Canonical hosted zones of sa-east-1 (https://docs.aws.amazon.com/general/latest/gr/elb.html).
        return {
            id: a,
            state: {
                name,
                arn: a,
                arnSuffix: suffix,
                dnsName,
                zoneId: kind === "net" ? "ZTK26PT1VY4CU" : "Z2P70J7HTTTPLU",
            },
        };
    },
    "aws:lb/targetGroup:TargetGroup": (ctx) => {
        const name = named(ctx, "name", 32);
        const suffix = `targetgroup/${name}/${hex(ctx.seed, 16)}`;
        const a = arn(ctx, "elasticloadbalancing", suffix);
        return { id: a, state: { name, arn: a, arnSuffix: suffix } };
    },
    "aws:lb/listener:Listener": (ctx) => {
        const lb = String(text(ctx, "loadBalancerArn", arn(ctx, "elasticloadbalancing", "loadbalancer/app/unknown/0")));
        const a = `${lb.replace(":loadbalancer/", ":listener/")}/${hex(ctx.seed, 16)}`;
        return { id: a, state: { arn: a } };
    },
    "aws:lb/trustStore:TrustStore": (ctx) => {
        const name = named(ctx, "name", 32);
        const suffix = `truststore/${name}/${hex(ctx.seed, 16)}`;
        const a = arn(ctx, "elasticloadbalancing", suffix);
        return { id: a, state: { name, arn: a, arnSuffix: suffix } };
    },
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": (ctx) => {
        const id = `ns-${hex(ctx.seed, 16)}`;
        return {
            id,
            state: {
                arn: arn(ctx, "servicediscovery", `namespace/${id}`),
                hostedZone: `Z0${hex(ctx.seed, 18).toUpperCase()}`,
            },
        };
    },
    "aws:servicediscovery/service:Service": (ctx) => {
        const id = `srv-${hex(ctx.seed, 16)}`;
        return { id, state: { arn: arn(ctx, "servicediscovery", `service/${id}`) } };
    },
    "aws:secretsmanager/secretVersion:SecretVersion": (ctx) => {
        const versionId = uuid(ctx.seed);
        return {
            id: `${text(ctx, "secretId")}|${versionId}`,
            state: { arn: String(ctx.inputs.secretId), versionId, versionStages: ["AWSCURRENT"] },
        };
    },
    "aws:acm/certificate:Certificate": (ctx) => {
        const a = arn(ctx, "acm", `certificate/${uuid(ctx.seed)}`);
        const domain: unknown = ctx.inputs.domainName;
        if (typeof domain !== "string") return { id: a, state: { arn: a, status: "ISSUED", type: "IMPORTED" } };
        // Requested (DNS-validated) certificates: one validation CNAME per name, as ACM answers.
        const option = {
            domainName: domain,
            resourceRecordName: `_${hex(`${ctx.seed}/name`, 32)}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${hex(`${ctx.seed}/value`, 32)}.xlfgrmvvlj.acm-validations.aws.`,
        };
        return {
            id: a,
            state: { arn: a, status: "PENDING_VALIDATION", type: "AMAZON_ISSUED", domainValidationOptions: [option] },
        };
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": (ctx) => ({
        id: String(text(ctx, "key", ctx.name)),
        state: { versionId: hex(`${ctx.seed}/version`, 32), etag: hex(ctx.seed, 32) },
    }),
    "aws:wafv2/webAcl:WebAcl": (ctx) => {
        const name = named(ctx, "name", 128);
        const id = uuid(ctx.seed);
        const a = arn(
            ctx,
            "wafv2",
            `${ctx.inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${name}/${id}`,
        );
        return { id, state: { name, arn: a, capacity: 1000 } };
    },
    "aws:cloudwatch/dashboard:Dashboard": (ctx) => {
        const name = String(text(ctx, "dashboardName", ctx.name));
        return { id: name, state: { dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${name}` } };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (ctx) => {
        const name = named(ctx, "name", 255);
        return { id: name, state: { name, arn: arn(ctx, "cloudwatch", `alarm:${name}`) } };
    },
    "aws:appautoscaling/target:Target": (ctx) => ({
        id: String(text(ctx, "resourceId", ctx.name)),
        state: { arn: arn(ctx, "application-autoscaling", `scalable-target/${hex(ctx.seed, 24)}`) },
    }),
    "aws:appautoscaling/policy:Policy": (ctx) => {
        const name = named(ctx, "name", 255);
        return {
            id: name,
            state: {
                name,
                arn: arn(
                    ctx,
                    "autoscaling",
                    `scalingPolicy:${uuid(ctx.seed)}:resource/ecs/${text(ctx, "resourceId")}:policyName/${name}`,
                ),
            },
        };
    },
    // @pulumi/tls: placeholders in PEM armour (the offline plan makes no real keys or certificates).
    // Private keys come back as secrets, as the provider's additionalSecretOutputs make them in real state.
    "tls:index/privateKey:PrivateKey": (ctx) => ({
        id: hex(ctx.seed, 40),
        state: {
            privateKeyPem: secret(pem("EC PRIVATE KEY", ctx)),
            privateKeyPemPkcs8: secret(pem("PRIVATE KEY", ctx)),
            publicKeyPem: pem("PUBLIC KEY", ctx),
        },
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (ctx) => ({
        id: String(parseInt(hex(ctx.seed, 12), 16)),
        state: { certPem: pem("CERTIFICATE", ctx), readyForRenewal: false },
    }),
    "tls:index/certRequest:CertRequest": (ctx) => ({
        id: hex(ctx.seed, 40),
        state: { certRequestPem: pem("CERTIFICATE REQUEST", ctx) },
    }),
    "tls:index/locallySignedCert:LocallySignedCert": (ctx) => ({
        id: String(parseInt(hex(ctx.seed, 12), 16)),
        state: { certPem: pem("CERTIFICATE", ctx), readyForRenewal: false },
    }),
    // bootstrap: IAM OIDC providers are named by their URL host (and path), like AWS does.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (ctx) => {
        const host = String(text(ctx, "url", ctx.name)).replace(/^https:\/\//, "");
        const a = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${host}`;
        return { id: a, state: { arn: a } };
    },
    // ---- ticketing, spotmusic: databases, caches, CDN, certificates, HTTP APIs, parameters
    "aws:rds/instance:Instance": (ctx) => {
        const identifier = named(ctx, "identifier", 63, true);
        const address = `${identifier}.c${hex(`${ctx.seed}/cluster`, 11)}.${ctx.region}.rds.amazonaws.com`;
        const secretArn = arn(ctx, "secretsmanager", `secret:rds!db-${uuid(ctx.seed)}-${hex(`${ctx.seed}/secret`, 6)}`);
        return {
            id: `db-${hex(ctx.seed, 26).toUpperCase()}`,
            state: {
                identifier,
                arn: arn(ctx, "rds", `db:${identifier}`),
                address,
                endpoint: `${address}:${typeof ctx.inputs.port === "number" ? ctx.inputs.port : 5432}`,
                resourceId: `db-${hex(ctx.seed, 26).toUpperCase()}`,
                hostedZoneId: "ZTK26PT1VY4CU",
                masterUserSecrets: ctx.inputs.manageMasterUserPassword
                    ? [
                          {
                              secretArn,
                              kmsKeyId: String(text(ctx, "masterUserSecretKmsKeyId", "")),
                              secretStatus: "active",
                          },
                      ]
                    : [],
            },
        };
    },
    "aws:rds/subnetGroup:SubnetGroup": (ctx) => {
        const name = named(ctx, "name", 255, true);
        return { id: name, state: { name, arn: arn(ctx, "rds", `subgrp:${name}`) } };
    },
    "aws:rds/parameterGroup:ParameterGroup": (ctx) => {
        const name = named(ctx, "name", 255, true);
        return { id: name, state: { name, arn: arn(ctx, "rds", `pg:${name}`) } };
    },
    "aws:rds/optionGroup:OptionGroup": (ctx) => {
        const name = named(ctx, "name", 255, true);
        return { id: name, state: { name, arn: arn(ctx, "rds", `og:${name}`) } };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": (ctx) => {
        const name = named(ctx, "name", 255, true);
        return { id: name, state: { name, arn: arn(ctx, "elasticache", `subnetgroup:${name}`) } };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (ctx) => {
        const id = named(ctx, "replicationGroupId", 40, true);
        const [geo, direction, index] = ctx.region.split("-");
        const suffix = `${hex(ctx.seed, 6)}.${geo}${direction[0]}${index}.cache.amazonaws.com`;
        return {
            id,
            state: {
                arn: arn(ctx, "elasticache", `replicationgroup:${id}`),
                primaryEndpointAddress: `master.${id}.${suffix}`,
                readerEndpointAddress: `replica.${id}.${suffix}`,
                memberClusters: [],
            },
        };
    },
    // @pulumi/random: the value is a secret in real state too.
    "random:index/randomPassword:RandomPassword": (ctx) => ({
        id: "none",
        state: {
            result: secret(`offline${hex(ctx.seed, 57)}`.slice(0, Number(ctx.inputs.length ?? 32))),
            bcryptHash: secret(`$2a$10$${hex(`${ctx.seed}/bcrypt`, 53)}`),
        },
    }),
    "aws:cloudfront/distribution:Distribution": (ctx) => {
        const id = `E${hex(ctx.seed, 13).toUpperCase()}`;
        return {
            id,
            state: {
                arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`,
                domainName: `d${hex(`${ctx.seed}/domain`, 13)}.cloudfront.net`,
                hostedZoneId: "Z2FDTNDATAQYW2",
                status: "Deployed",
                etag: `E${hex(`${ctx.seed}/etag`, 13).toUpperCase()}`,
            },
        };
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": (ctx) => ({
        id: `E${hex(ctx.seed, 13).toUpperCase()}`,
        state: { etag: hex(`${ctx.seed}/etag`, 13).toUpperCase() },
    }),
    "aws:cloudfront/publicKey:PublicKey": (ctx) => ({
        id: `K${hex(ctx.seed, 13).toUpperCase()}`,
        state: { name: named(ctx, "name", 128), etag: hex(`${ctx.seed}/etag`, 13).toUpperCase() },
    }),
    "aws:cloudfront/keyGroup:KeyGroup": (ctx) => ({
        id: uuid(ctx.seed),
        state: { etag: hex(`${ctx.seed}/etag`, 13).toUpperCase() },
    }),
    "aws:route53/record:Record": (ctx) => ({
        id: `${text(ctx, "zoneId")}_${text(ctx, "name")}_${text(ctx, "type")}`,
        state: { fqdn: String(text(ctx, "name", "")).replace(/\.$/, "") },
    }),
    "aws:apigatewayv2/api:Api": (ctx) => {
        const id = hex(ctx.seed, 10);
        return {
            id,
            state: {
                arn: `arn:aws:apigateway:${ctx.region}::/apis/${id}`,
                apiEndpoint: `https://${id}.execute-api.${ctx.region}.amazonaws.com`,
                executionArn: arn(ctx, "execute-api", id),
            },
        };
    },
    "aws:apigatewayv2/vpcLink:VpcLink": (ctx) => {
        const id = hex(ctx.seed, 6);
        return { id, state: { arn: `arn:aws:apigateway:${ctx.region}::/vpclinks/${id}` } };
    },
    "aws:apigatewayv2/stage:Stage": (ctx) => {
        const name = String(text(ctx, "name", "$default"));
        return {
            id: name,
            state: {
                arn: `arn:aws:apigateway:${ctx.region}::/apis/${text(ctx, "apiId")}/stages/${name}`,
                invokeUrl:
                    `https://${text(ctx, "apiId")}.execute-api.${ctx.region}.amazonaws.com/` +
                    (name === "$default" ? "" : name),
            },
        };
    },
    "aws:apigatewayv2/integration:Integration": (ctx) => ({ id: hex(ctx.seed, 7), state: {} }),
    "aws:apigatewayv2/route:Route": (ctx) => ({ id: hex(ctx.seed, 7), state: {} }),
    "aws:apigatewayv2/authorizer:Authorizer": (ctx) => ({ id: hex(ctx.seed, 6), state: {} }),
    "aws:ssm/parameter:Parameter": (ctx) => {
        const name = named(ctx, "name", 2048);
        return {
            id: name,
            state: {
                name,
                arn: arn(ctx, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`),
                version: 1,
                tier: String(text(ctx, "tier", "Standard")),
            },
        };
    },
    // ---- postech, coffee-shop: Lambda, Cognito, API Gateway REST, EKS node groups and add-ons
    "aws:lambda/function:Function": (ctx) => {
        const name = named(ctx, "name", 64);
        const a = arn(ctx, "lambda", `function:${name}`);
        return {
            id: name,
            state: {
                name,
                arn: a,
                qualifiedArn: `${a}:$LATEST`,
                version: "$LATEST",
                invokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${a}/invocations`,
                qualifiedInvokeArn:
                    `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/` + `${a}:$LATEST/invocations`,
            },
        };
    },
    // The provider's id is `<function>_<qualifier>_<md5 of the input>`; `result` is the function's answer.
    // For the database-users function (input `{ engine, database, users }`) that is what a first run returns.
    "aws:lambda/invocation:Invocation": (ctx) => {
        const input = text(ctx, "input", "{}");
        let result: Record<string, unknown> = {};
        try {
            const request = JSON.parse(input) as { engine?: string; database?: string; users?: { name?: string }[] };
            if (Array.isArray(request.users))
                result = {
                    engine: request.engine,
                    database: request.database,
                    users: request.users.map((u) => ({ name: u.name, created: true })),
                };
        } catch {
            result = {};
        }
        const md5 = crypto.createHash("md5").update(input).digest("hex");
        return {
            id: `${text(ctx, "functionName", "function")}_${text(ctx, "qualifier", "$LATEST")}_${md5}`,
            state: { result: JSON.stringify(result), qualifier: text(ctx, "qualifier", "$LATEST") },
        };
    },
    "aws:lambda/permission:Permission": (ctx) => ({
        id: String(text(ctx, "statementId", named(ctx, "statementId", 100))),
        state: { statementId: String(text(ctx, "statementId", named(ctx, "statementId", 100))) },
    }),
    // User pool ids are `<region>_<9 alphanumerics>`; the endpoint is the token issuer without https://.
    "aws:cognito/userPool:UserPool": (ctx) => {
        const id = `${ctx.region}_${base62(ctx.seed, 9)}`;
        return {
            id,
            state: {
                arn: arn(ctx, "cognito-idp", `userpool/${id}`),
                endpoint: `cognito-idp.${ctx.region}.amazonaws.com/${id}`,
                creationDate: "2026-01-01T00:00:00Z",
                estimatedNumberOfUsers: 0,
            },
        };
    },
    "aws:cognito/userPoolClient:UserPoolClient": (ctx) => ({ id: base36(ctx.seed, 26), state: { clientSecret: "" } }),
    // REST API ids are 10 lower-case alphanumerics; resources, authorizers and validators 6.
    "aws:apigateway/restApi:RestApi": (ctx) => {
        const id = base36(ctx.seed, 10);
        return {
            id,
            state: {
                arn: `arn:aws:apigateway:${ctx.region}::/restapis/${id}`,
                executionArn: arn(ctx, "execute-api", id),
                rootResourceId: base36(`${ctx.seed}/root`, 10),
                createdDate: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:apigateway/resource:Resource": (ctx) => ({
        id: base36(ctx.seed, 6),
        state: { path: `/${text(ctx, "pathPart", "")}` },
    }),
    "aws:apigateway/authorizer:Authorizer": (ctx) => {
        const id = base36(ctx.seed, 6);
        return {
            id,
            state: { arn: `arn:aws:apigateway:${ctx.region}::/restapis/${text(ctx, "restApi")}/authorizers/${id}` },
        };
    },
    "aws:apigateway/requestValidator:RequestValidator": (ctx) => ({ id: base36(ctx.seed, 6), state: {} }),
    "aws:apigateway/model:Model": (ctx) => ({ id: base36(ctx.seed, 6), state: {} }),
    "aws:apigateway/method:Method": (ctx) => ({
        id: `agm-${text(ctx, "restApi")}-${text(ctx, "resourceId")}-${text(ctx, "httpMethod")}`,
        state: {},
    }),
    "aws:apigateway/integration:Integration": (ctx) => ({
        id: `agi-${text(ctx, "restApi")}-${text(ctx, "resourceId")}-${text(ctx, "httpMethod")}`,
        state: {},
    }),
    "aws:apigateway/deployment:Deployment": (ctx) => ({
        id: base36(ctx.seed, 6),
        state: { createdDate: "2026-01-01T00:00:00Z" },
    }),
    "aws:apigateway/stage:Stage": (ctx) => {
        const stage = String(ctx.inputs.stageName);
        return {
            id: `ags-${text(ctx, "restApi")}-${stage}`,
            state: {
                arn: `arn:aws:apigateway:${ctx.region}::/restapis/${text(ctx, "restApi")}/stages/${stage}`,
                executionArn: arn(ctx, "execute-api", `${text(ctx, "restApi")}/${stage}`),
                invokeUrl: `https://${text(ctx, "restApi")}.execute-api.${ctx.region}.amazonaws.com/${stage}`,
            },
        };
    },
    "aws:apigateway/vpcLink:VpcLink": (ctx) => {
        const id = base36(ctx.seed, 6);
        return { id, state: { arn: `arn:aws:apigateway:${ctx.region}::/vpclinks/${id}` } };
    },
    "aws:apigateway/usagePlan:UsagePlan": (ctx) => {
        const id = base36(ctx.seed, 6);
        return { id, state: { arn: `arn:aws:apigateway:${ctx.region}::/usageplans/${id}` } };
    },
    "aws:apigateway/apiKey:ApiKey": (ctx) => {
        const id = base36(ctx.seed, 10);
        return {
            id,
            state: {
                arn: `arn:aws:apigateway:${ctx.region}::/apikeys/${id}`,
                value: secret(base62(`${ctx.seed}/value`, 40)),
            },
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (ctx) => {
        const id = ec2Id("lt", ctx.seed);
        return {
            id,
            state: {
                arn: arn(ctx, "ec2", `launch-template/${id}`),
                name: named(ctx),
                latestVersion: 1,
                defaultVersion: 1,
            },
        };
    },
    "aws:eks/nodeGroup:NodeGroup": (ctx) => {
        const name = named(ctx, "nodeGroupName", 63);
        return {
            id: `${text(ctx, "clusterName")}:${name}`,
            state: {
                nodeGroupName: name,
                arn: arn(ctx, "eks", `nodegroup/${text(ctx, "clusterName")}/${name}/${uuid(ctx.seed)}`),
                status: "ACTIVE",
                resources: [
                    { autoscalingGroups: [{ name: `eks-${name}-${uuid(ctx.seed)}` }], remoteAccessSecurityGroupId: "" },
                ],
            },
        };
    },
    "aws:eks/accessEntry:AccessEntry": (ctx) => ({
        id: `${text(ctx, "clusterName")}:${text(ctx, "principalArn")}`,
        state: {
            accessEntryArn: arn(
                ctx,
                "eks",
                `access-entry/${text(ctx, "clusterName")}/role/${MOCK_ACCOUNT_ID}/${uuid(ctx.seed)}`,
            ),
        },
    }),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (ctx) => ({
        id: `${text(ctx, "clusterName")}#${text(ctx, "principalArn")}#${text(ctx, "policyArn")}`,
        state: { associatedAt: "2026-01-01T00:00:00Z" },
    }),
    "aws:eks/addon:Addon": (ctx) => ({
        id: `${text(ctx, "clusterName")}:${text(ctx, "addonName")}`,
        state: {
            arn: arn(ctx, "eks", `addon/${text(ctx, "clusterName")}/${text(ctx, "addonName")}/${uuid(ctx.seed)}`),
            addonVersion: "v1.0.0-eksbuild.1",
        },
    }),
    // Helm releases: Helm names them as asked and reports the installed chart.
    "kubernetes:helm.sh/v3:Release": (ctx) => {
        const [name, namespace] = [String(text(ctx, "name", ctx.name)), String(text(ctx, "namespace", "default"))];
        return {
            id: `${namespace}/${name}`,
            state: {
                status: {
                    name,
                    namespace,
                    chart: String(ctx.inputs.chart),
                    version: String(ctx.inputs.version),
                    revision: 1,
                    status: "deployed",
                },
            },
        };
    },
};

/** A value in Pulumi's wire form of a secret (the engine's signature key and value). */
function secret(value: unknown): State {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** A PEM-armoured placeholder naming the resource it stands for: `-----BEGIN <label>-----` ... */
function pem(label: string, ctx: Context): string {
    const body = Buffer.from(`offline plan placeholder: ${label.toLowerCase()} of ${ctx.name}`).toString("base64");
    return `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

function serviceOf(type: string): string {
    const mod = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const services: Record<string, string> = {
        cloudwatch: "logs",
        lb: "elasticloadbalancing",
        alb: "elasticloadbalancing",
        cognito: "cognito-idp",
        ec2: "ec2",
        apigateway: "apigateway",
        sfn: "states",
        cloudfront: "cloudfront",
        wafv2: "wafv2",
        servicediscovery: "servicediscovery",
        appautoscaling: "application-autoscaling",
        ssm: "ssm",
    };
    return services[mod] ?? mod;
}

/** Fallback for types without a shape: a name-derived id and a service-shaped ARN. */
function genericShape(type: string, ctx: Context): { id: string; state: State } {
    const resourceType = (type.split(":")[2] ?? "resource").replace(/^[A-Z]/, (c) => c.toLowerCase());
    const name = named(ctx);
    const global = ["iam", "cloudfront", "route53"].includes(serviceOf(type));
    return { id: name, state: { arn: arn(ctx, serviceOf(type), `${resourceType}/${name}`, global), name } };
}

/** Kubernetes objects: id `<namespace>/<name>` (or `<name>` for cluster-scoped ones), as the provider reports. */
function kubernetesShape(ctx: Context): { id: string; state: State } {
    const meta = (ctx.inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const name = meta.name ?? autoName(ctx.name, ctx.seed, 253, true);
    return {
        id: meta.namespace ? `${meta.namespace}/${name}` : name,
        state: { metadata: { ...meta, name, uid: uuid(ctx.seed) } },
    };
}

/** Faked outputs of remote (multi-language) components, keyed by type token. */
const REMOTE_COMPONENTS: Record<string, (ctx: Context) => State> = {
    // Built and pushed by Docker at deploy time. The fake URI carries the tag the program asked for
    // and a digest (`<repository>:<tag>@sha256:<digest>`, which Docker and ECS resolve by digest).
    // @pulumi/eks: the cluster's kubeconfig (exec plugin `aws eks get-token`), its OIDC issuer and
    // provider (IRSA), and the security group EKS creates for the control plane and managed nodes.
    "eks:index:Cluster": (ctx) => {
        const name = String(text(ctx, "name", ctx.name));
        const issuer = `oidc.eks.${ctx.region}.amazonaws.com/id/${hex(ctx.seed, 32).toUpperCase()}`;
        const endpoint = `https://${hex(`${ctx.seed}/endpoint`, 32).toUpperCase()}.gr7.${ctx.region}.eks.amazonaws.com`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: "kubernetes",
                    cluster: {
                        server: endpoint,
                        "certificate-authority-data": Buffer.from(
                            `offline plan placeholder: cluster CA of ${name}`,
                        ).toString("base64"),
                    },
                },
            ],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [
                {
                    name: "aws",
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", name, "--output", "json"],
                        },
                    },
                },
            ],
        };
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            oidcIssuer: issuer,
            oidcProviderUrl: `https://${issuer}`,
            oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer}`,
            clusterSecurityGroupId: ec2Id("sg", `${ctx.seed}/eks-cluster-sg`),
            nodeSecurityGroupId: ec2Id("sg", `${ctx.seed}/eks-cluster-sg`),
        };
    },
    "awsx:ecr:Image": (ctx) => ({
        imageUri: `${text(ctx, "repositoryUrl")}:${text(ctx, "imageTag", "latest")}@sha256:${crypto
            .createHash("sha256")
            .update(`${ctx.seed}/${text(ctx, "imageTag")}`)
            .digest("hex")}`,
    }),
};

export interface PlanMocksOptions {
    /** Region of resources that use the default provider (`aws:region`). */
    defaultRegion: string;
    /** Region per explicit provider reference (`<urn>::<id>`), filled as providers register. */
    providerRegions: Map<string, string>;
}

/** Builds the mocks for one plan run. */
export function planMocks(options: PlanMocksOptions): pulumi.runtime.Mocks {
    const regionOf = (provider: string | undefined) =>
        (provider && options.providerRegions.get(provider)) || options.defaultRegion;
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
            // The SDK types mock inputs as `any`; they are the resource's deserialized input bag.
            const inputs = args.inputs as State;
            const ctx: Context = {
                region: regionOf(args.provider),
                seed: `${args.type}::${args.name}`,
                name: args.name,
                inputs,
            };
            if (args.type.startsWith("pulumi:providers:")) {
                return { id: uuid(ctx.seed), state: inputs };
            }
            if (args.custom === false) {
                const remote = REMOTE_COMPONENTS[args.type];
                return { id: undefined, state: remote ? { ...inputs, ...remote(ctx) } : {} };
            }
            const shape =
                SHAPES[args.type] ??
                (args.type.startsWith("kubernetes:") ? kubernetesShape : (c: Context) => genericShape(args.type, c));
            const { id, state } = shape(ctx);
            return { id, state: { ...inputs, ...state, tagsAll: inputs.tags ?? {} } };
        },
        call(args: pulumi.runtime.MockCallArgs): State {
            const region = regionOf(args.provider);
            switch (args.token) {
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return {
                        accountId: MOCK_ACCOUNT_ID,
                        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
                        userId: "AIDAOFFLINEPLAN",
                        id: MOCK_ACCOUNT_ID,
                    };
                case "aws:index/getRegion:getRegion":
                    return {
                        name: region,
                        region,
                        id: region,
                        endpoint: `ec2.${region}.amazonaws.com`,
                        description: region,
                    };
                case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
                    // AWS-managed lists have a fixed id per region; this one stands for the one asked by name.
                    const inputs = args.inputs as Record<string, unknown>;
                    const name = typeof inputs.name === "string" ? inputs.name : "";
                    const id = `pl-${hex(`${region}/${name}`, 8)}`;
                    return {
                        id,
                        name,
                        arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
                        addressFamily: "IPv4",
                        maxEntries: 55,
                        ownerId: "AWS",
                        entries: [],
                        version: 1,
                        tags: {},
                    };
                }
                case "aws:acm/getCertificate:getCertificate": {
                    // The plan stands for a deploy whose certificates ACM has issued when the stack says so.
                    const domain = String((args.inputs as Record<string, unknown>).domain);
                    const arn = `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${uuid(`issued/${domain}`)}`;
                    return { id: arn, arn, domain, status: "ISSUED", statuses: ["ISSUED"], tags: {} };
                }
                case "aws:ecr/getImage:getImage": {
                    // The plan stands for a deploy whose releases were pushed: every tag or digest asked for exists.
                    const inputs = args.inputs as Record<string, unknown>;
                    const repositoryName = String(inputs.repositoryName);
                    const tag = typeof inputs.imageTag === "string" ? inputs.imageTag : undefined;
                    const digest =
                        typeof inputs.imageDigest === "string"
                            ? inputs.imageDigest
                            : mockImageDigest(repositoryName, String(tag));
                    return {
                        id: digest,
                        repositoryName,
                        registryId: MOCK_ACCOUNT_ID,
                        imageDigest: digest,
                        imageTags: tag === undefined ? [] : [tag],
                        imageUri: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repositoryName}@${digest}`,
                        imagePushedAt: 1764979200,
                        imageSizeInBytes: 52428800,
                    };
                }
                case "aws:index/getPartition:getPartition":
                    return {
                        partition: "aws",
                        dnsSuffix: "amazonaws.com",
                        reverseDnsPrefix: "com.amazonaws",
                        id: "aws",
                    };
                case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                    // sa-east-1 -> sae1-az1..3, like the zone ids AWS reports.
                    const [geo, direction, index] = region.split("-");
                    const letters = ["a", "b", "c"];
                    return {
                        names: letters.map((l) => `${region}${l}`),
                        zoneIds: letters.map((_, i) => `${geo}${direction[0]}${index}-az${i + 1}`),
                        id: region,
                        groupNames: [region],
                    };
                }
                default:
                    throw new Error(
                        `offline plan: no mock for the invoke '${args.token}'; add it to tools/lib/mocks.ts`,
                    );
            }
        },
    };
}
