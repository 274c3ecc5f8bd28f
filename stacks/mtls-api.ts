/**
 * mtls-api (seed 004): a Python API on ECS Fargate that only webhook clients holding a certificate
 * from the private CA can call, behind the nginx gateway in `apps/gateway`. See docs/mtls-api.md.
 *
 * Two edge modes (`platform:mtls-api.edgeMode`):
 * - `nlb` (default): NLB with TCP passthrough, 443 -> gateway 8443 (nginx terminates TLS and verifies
 *   the client certificate), 80 -> gateway 8080 (nginx answers 301 to https); health HTTP 8081.
 * - `alb`: ALB with AWS WAF; HTTPS listener with mutual TLS in verify mode against a trust store
 *   holding the private CA -> gateway HTTPS 8443; HTTP listener 301 to HTTPS only.
 * Both: the gateway reaches the API (port 8000) through Cloud Map (`api.mtls-api.internal`); the API
 * admits only the gateway's security group, the gateway only the load balancer's.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { apiService, gatewayService, imageRepositories, securityGroupRules } from "./mtls-api/compute";
import { edgeTier } from "./mtls-api/edge";
import { observability } from "./mtls-api/observability";
import { gatewayTlsSecret, privateCa } from "./mtls-api/pki";
import { MtlsApiSettings, MtlsApiStep, NAME, settingsSchema, WORKLOADS } from "./mtls-api/settings";

export * from "./mtls-api/settings";
export { vpcResolver } from "./mtls-api/compute";

export class MtlsApi extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<MtlsApiSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:MtlsApi", name, {}, opts);
        const step: MtlsApiStep = { ...ctx, name, child: { parent: this } };
        const s = ctx.settings;
        const pki = privateCa(step); // private CAs, server and client certificates
        const tlsSecret = gatewayTlsSecret(step, pki); // Secrets Manager: the gateway's TLS material
        const images = imageRepositories(step); // ECR repositories, the gateway image, the API's release
        const { api, apiHostname } = apiService(step, images); // Cloud Map namespace, API service
        const { lb, webAcl } = edgeTier(step, pki); // NLB, or ALB with ACM, trust store and WAF
        const gateway = gatewayService(step, { images, tlsSecret, lb, apiHostname }); // nginx on Fargate
        const services = securityGroupRules(step, { lb, gateway, api }); // lb -> gateway -> API only
        const dashboard = observability(step, { lb, webAcl, services }); // CloudWatch dashboard

        this.outputs = {
            edgeMode: s.edgeMode,
            endpoint: `https://${s.serverName}`,
            loadBalancerDnsName: lb.dnsName,
            ecrRepositoryUrls: { gateway: images.gatewayRepo.repositoryUrl, api: images.apiRepo.repositoryUrl },
            serviceNames: Object.fromEntries(Object.entries(services).map(([k, svc]) => [k, svc.serviceName])),
            apiDiscoveryName: apiHostname,
            caCertificatePem: pki.issuer.certificatePem,
            caBundlePem: pki.caBundlePem,
            clientCertificates: pki.clientCertificates,
            dashboardName: dashboard.dashboardName,
            ...(webAcl ? { webAclArn: webAcl.webAclArn } : {}),
        };
        this.registerOutputs(this.outputs);
    }
}

export const mtlsApi: ArchitectureModule<MtlsApiSettings> = {
    name: NAME,
    description: "Webhook API behind an nginx mutual-TLS gateway on ECS Fargate (NLB passthrough or ALB mTLS with WAF)",
    workloads: [WORKLOADS.gateway, WORKLOADS.api],
    settings: settingsSchema,
    deploy: (ctx) => new MtlsApi(NAME, ctx).outputs,
};
