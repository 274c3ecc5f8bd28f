/**
 * mtls-api's compute: the ECR repositories and the gateway image, the API on ECS Fargate behind Cloud Map,
 * the nginx gateway on ECS Fargate, and the security group rules between the load balancer, the gateway
 * and the API.
 */
import * as path from "path";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { FargateService, SecretRef } from "../../infra/compute/fargate-service";
import { ServiceNamespace } from "../../infra/compute/service-namespace";
import { LoadBalancer } from "../../infra/edge/load-balancer";
import { formatCidr, parseCidr, Cidr } from "../../infra/network/cidr";
import { JsonSecret } from "../../infra/security/json-secret";
import { logGroupName, physicalName } from "../../infra/shared/naming";
import {
    API_DISCOVERY_NAME,
    CLIENT_VERIFY_DEPTH,
    gatewayPorts,
    MtlsApiStep,
    NAME,
    NAMESPACE,
    PORTS,
    WORKLOADS,
} from "./settings";

/**
 * The VPC's DNS resolver: the network address plus two
 * (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html).
 */
export function vpcResolver(vpcCidr: string): string {
    const cidr = parseCidr(vpcCidr) as Cidr;
    return formatCidr({ base: cidr.base + 2, prefix: 32 }).replace(/\/32$/, "");
}

/** The ECR repositories and the images the services run. */
export interface Images {
    gatewayRepo: EcrRepository;
    apiRepo: EcrRepository;
    /** The gateway image, built here from apps/gateway. */
    gatewayImage: awsx.ecr.Image;
    /** The API's released image, or undefined while the API is unreleased. */
    apiImage?: pulumi.Output<string>;
}

/** The API service (absent while unreleased) and the name the gateway reaches it by. */
export interface Api {
    api?: FargateService;
    /** `api.mtls-api.internal`, the API's Cloud Map name. */
    apiHostname: string;
}

/** The gateway and API repositories, the gateway image built here and the API's released image. */
export function imageRepositories(step: MtlsApiStep): Images {
    const { config, foundation, tags, scope, name, child } = step;
    const keys = foundation.keys.keyArns;
    const protect = config.profile.protect;
    const gatewayRepo = new EcrRepository(
        `${name}-gateway-repo`,
        { repositoryName: physicalName(scope, "gateway", 256), kmsKeyArn: keys.data, protect, tags },
        child,
    );
    const apiRepo = new EcrRepository(
        `${name}-api-repo`,
        { repositoryName: physicalName(scope, "api", 256), kmsKeyArn: keys.data, protect, tags },
        child,
    );
    const gatewayImage = new awsx.ecr.Image(
        `${name}-gateway-image`,
        {
            repositoryUrl: gatewayRepo.repositoryUrl,
            context: path.join(__dirname, "..", "..", "apps", "gateway"),
            platform: "linux/amd64",
            imageTag: config.releases[WORKLOADS.gateway],
        },
        child,
    );
    // The API image is pushed by its own CI: checked in the repository, or no API service while unreleased.
    const apiImage = apiRepo.releaseImage(WORKLOADS.api, config.releases[WORKLOADS.api]);
    return { gatewayRepo, apiRepo, gatewayImage, apiImage };
}

/** What both services share: account, cluster, the private subnets, tags. */
function serviceBase(step: MtlsApiStep) {
    const { foundation, tags } = step;
    return {
        ...foundation.account,
        clusterArn: foundation.cluster.clusterArn,
        clusterName: foundation.cluster.clusterName,
        vpcId: foundation.network.vpcId,
        subnetIds: foundation.network.subnetIds.private,
        tags,
    };
}

/** The API (private, via Cloud Map): its namespace and, once released, its Fargate service. */
export function apiService(step: MtlsApiStep, { apiRepo, apiImage }: Images): Api {
    const { settings: s, foundation, tags, scope, name, child } = step;
    const namespace = new ServiceNamespace(
        `${name}-discovery`,
        {
            namespaceName: NAMESPACE,
            vpcId: foundation.network.vpcId,
            description: `${NAME}: the API's private DNS name`,
            tags,
        },
        child,
    );
    const api =
        apiImage === undefined
            ? undefined
            : new FargateService(
                  `${name}-api`,
                  {
                      ...serviceBase(step),
                      family: physicalName(scope, "api", 255),
                      cpu: s.api.cpu,
                      memory: s.api.memory,
                      desiredCount: s.api.desiredCount,
                      container: {
                          name: "api",
                          image: apiImage,
                          portMappings: [{ containerPort: PORTS.api }],
                          environment: { PORT: String(PORTS.api) },
                          readonlyRootFilesystem: true,
                          scratchPaths: ["/tmp"],
                      },
                      logs: {
                          groupName: logGroupName(scope, "api"),
                          kmsKeyArn: foundation.keys.keyArns.logs,
                          retentionInDays: s.logRetentionDays,
                      },
                      ecrRepositoryArns: [apiRepo.repositoryArn],
                      serviceDiscovery: {
                          namespaceId: namespace.namespaceId,
                          namespaceName: namespace.namespaceName,
                          name: API_DISCOVERY_NAME,
                      },
                      autoscaling: { maxCapacity: s.api.maxCount, cpuTargetPercent: s.api.cpuTargetPercent },
                  },
                  child,
              );
    // The gateway resolves the API's Cloud Map name per request, so it starts before the API exists.
    return { api, apiHostname: `${API_DISCOVERY_NAME}.${NAMESPACE}` };
}

/** The gateway container's environment (apps/gateway/README.md): mode, upstream, ports, limits, CRLs. */
function gatewayEnvironment(step: MtlsApiStep, apiHostname: string): Record<string, string> {
    const { settings: s, foundation } = step;
    const nlb = s.edgeMode === "nlb";
    return {
        GATEWAY_MODE: s.edgeMode,
        API_UPSTREAM: `${apiHostname}:${PORTS.api}`,
        DNS_RESOLVER: vpcResolver(foundation.network.vpcCidr),
        GATEWAY_SERVER_NAME: s.serverName,
        GATEWAY_TLS_PORT: String(PORTS.gatewayTls),
        ...(nlb ? { GATEWAY_HTTP_PORT: String(PORTS.gatewayHttp) } : {}),
        GATEWAY_HEALTH_PORT: String(PORTS.gatewayHealth),
        GATEWAY_CLIENT_MAX_BODY_SIZE: s.limits.clientMaxBodySize,
        GATEWAY_RATE_LIMIT: s.limits.rateLimit,
        GATEWAY_RATE_LIMIT_BURST: String(s.limits.rateLimitBurst),
        ...(nlb ? { GATEWAY_SSL_VERIFY_DEPTH: String(CLIENT_VERIFY_DEPTH) } : {}),
        // Public data: in the task definition, so new CRLs roll the service (tasks read them at start).
        ...(nlb && s.clientCrlPem !== undefined ? { GATEWAY_CLIENT_CRL_PEM: s.clientCrlPem } : {}),
    };
}

/** The nginx gateway on Fargate, registered with the load balancer's target groups. */
export function gatewayService(
    step: MtlsApiStep,
    deps: { images: Images; tlsSecret: JsonSecret; lb: LoadBalancer; apiHostname: string },
): FargateService {
    const { settings: s, foundation, scope, name, child } = step;
    const { images, tlsSecret, lb } = deps;
    const keys = foundation.keys.keyArns;
    const nlb = s.edgeMode === "nlb";
    const secrets: Record<string, SecretRef> = {
        GATEWAY_TLS_CERT_PEM: tlsSecret.ref("certificate"),
        GATEWAY_TLS_KEY_PEM: tlsSecret.ref("privateKey"),
        ...(nlb ? { GATEWAY_CLIENT_CA_PEM: tlsSecret.ref("clientCaBundle") } : {}),
    };
    return new FargateService(
        `${name}-gateway`,
        {
            ...serviceBase(step),
            family: physicalName(scope, "gateway", 255),
            cpu: s.gateway.cpu,
            memory: s.gateway.memory,
            desiredCount: s.gateway.desiredCount,
            container: {
                name: "gateway",
                image: images.gatewayImage.imageUri,
                portMappings: gatewayPorts(s).map((containerPort) => ({ containerPort })),
                environment: gatewayEnvironment(step, deps.apiHostname),
                secrets,
                // The image's unprivileged user (apps/gateway/Dockerfile: USER 101:101).
                user: "101:101",
                // The entrypoint writes the rendered configuration and TLS files to /tmp/gateway, the
                // image's declared VOLUME, so a bind mount there keeps the image's ownership (101:101).
                readonlyRootFilesystem: true,
                scratchPaths: ["/tmp/gateway"],
                healthCheck: {
                    command: [
                        "CMD-SHELL",
                        `wget -q -O /dev/null http://127.0.0.1:${PORTS.gatewayHealth}/healthz || exit 1`,
                    ],
                    intervalSeconds: 15,
                    timeoutSeconds: 5,
                    retries: 3,
                    startPeriodSeconds: 10,
                },
            },
            logs: {
                groupName: logGroupName(scope, "gateway"),
                kmsKeyArn: keys.logs,
                retentionInDays: s.logRetentionDays,
            },
            ecrRepositoryArns: [images.gatewayRepo.repositoryArn],
            secretsKmsKeyArn: keys.secrets,
            loadBalancers: nlb
                ? [
                      { targetGroupArn: lb.targetGroupArns.tls, containerPort: PORTS.gatewayTls },
                      { targetGroupArn: lb.targetGroupArns.http, containerPort: PORTS.gatewayHttp },
                  ]
                : [{ targetGroupArn: lb.targetGroupArns.gateway, containerPort: PORTS.gatewayTls }],
            waitFor: lb.listeners,
            autoscaling: { maxCapacity: s.gateway.maxCount, cpuTargetPercent: s.gateway.cpuTargetPercent },
        },
        child,
    );
}

/**
 * Who may reach whom: the load balancer reaches only the gateway's ports, the gateway only the API's.
 * Returns the services by their output names (`gateway`, and `api` once released).
 */
export function securityGroupRules(
    step: MtlsApiStep,
    { lb, gateway, api }: { lb: LoadBalancer; gateway: FargateService; api?: FargateService },
): Record<string, FargateService> {
    const s = step.settings;
    const portPurpose: Record<number, string> = {
        [PORTS.gatewayTls]: "TLS",
        [PORTS.gatewayHttp]: "HTTP redirect",
        [PORTS.gatewayHealth]: "health checks",
    };
    for (const port of gatewayPorts(s)) {
        gateway.allowIngressFrom(`lb-${port}`, {
            port,
            sourceSecurityGroupId: lb.securityGroupId,
            description: `${portPurpose[port]} from the ${s.edgeMode.toUpperCase()} only`,
        });
        lb.allowEgressTo(`gateway-${port}`, {
            port,
            destinationSecurityGroupId: gateway.securityGroupId,
            description: `${portPurpose[port]} to the gateway`,
        });
    }
    if (api) {
        api.allowIngressFrom("gateway", {
            port: PORTS.api,
            sourceSecurityGroupId: gateway.securityGroupId,
            description: "HTTP from the nginx gateway only",
        });
        gateway.allowEgressTo("api", {
            port: PORTS.api,
            destinationSecurityGroupId: api.securityGroupId,
            description: "HTTP to the API through Cloud Map",
        });
    }
    return api ? { gateway, api } : { gateway };
}
