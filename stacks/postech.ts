/**
 * postech (seed 003): customers sign in with their CPF, and a FastAPI application on Amazon EKS serves
 * everything else behind API Gateway. See docs/postech.md for the picture and the auth flow.
 *
 * - Edge: API Gateway REST API (regional) with AWS WAF, stage and per-client (usage plan) throttling.
 *   `POST /auth` -> the `cpf-auth` Lambda (public by design, listed in the policy pack's publicRoutes);
 *   every other route -> the `jwt-authorizer` Lambda (TOKEN authorizer) -> VPC link -> internal NLB ->
 *   the FastAPI pods (registered by IP through the AWS Load Balancer Controller's TargetGroupBinding).
 * - Identity: Cognito user pool whose username is the CPF, no password, custom-auth triggers
 *   (define, create, verify) proving that tokens are issued only through `POST /auth`; one public app
 *   client allowed only ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH; the HMAC challenge secret in
 *   Secrets Manager.
 * - Kubernetes: EKS (`@pulumi/eks`) in the private subnets, private endpoint, secrets encrypted with
 *   KMS, every control-plane log, OIDC provider (IRSA), a managed node group, access entries; the
 *   FastAPI Deployment/Service/HPA/PDB, and Helm releases pinned to exact chart versions: AWS Load
 *   Balancer Controller, metrics-server, kube-prometheus-stack (Prometheus, Grafana, Alertmanager),
 *   AWS for Fluent Bit (container logs to CloudWatch Logs), the OpenTelemetry Collector (traces to
 *   X-Ray); the EBS CSI driver add-on and an encrypted gp3 StorageClass for Prometheus's volume.
 * - Data: RDS PostgreSQL (isolated subnets, TLS only, master password kept by RDS in Secrets Manager)
 *   that only the pods' security group reaches; the pods read only that secret, through IRSA.
 * - ECR repository for the FastAPI image (pushed by the application's CI).
 *
 * The constructor below is the list of steps; each lives in `stacks/postech/`: `settings.ts` (schema, constants),
 * `workloads.ts` (ECR, FastAPI), `data.ts`, `cluster.ts` (EKS, add-ons), `api.ts` (NLB, API Gateway, WAF),
 * `identity.ts` (Cognito, CPF Lambdas), `observability.ts` (Prometheus, logs, traces).
 */
import * as pulumi from "@pulumi/pulumi";
import type { EcrRepository } from "../infra/compute/ecr-repository";
import type { RelationalDatabase } from "../infra/data/relational-database";
import type { WebAcl } from "../infra/edge/web-acl";
import type { RestApi } from "../infra/serverless/rest-api";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { internalNlb, restApi, waf } from "./postech/api";
import { Cluster, clusterAddons, eksCluster, namespaces, storage } from "./postech/cluster";
import { database, databaseAccess } from "./postech/data";
import { identity, Identity } from "./postech/identity";
import { observability, Observability } from "./postech/observability";
import {
    CHARTS,
    FUNCTIONS,
    NAME,
    PostechSettings,
    PostechStep,
    settingsSchema,
    stackProblems,
    WORKLOADS,
} from "./postech/settings";
import { apiImage, fastApi } from "./postech/workloads";

export * from "./postech/settings";

export class Postech extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<PostechSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Postech", name, {}, opts);
        const step: PostechStep = { ...ctx, name, child: { parent: this } };
        const ecr = apiImage(step); // ECR repository of the FastAPI image; the release's image, if pushed
        const db = database(step); // RDS PostgreSQL
        const k = eksCluster(step); // EKS, node group, access entries, IRSA
        const ns = namespaces(step, k); // postech (restricted), monitoring
        const storageClass = storage(step, k); // EBS CSI add-on, encrypted gp3
        const nlb = internalNlb(step, k.cluster.clusterSecurityGroupId); // internal NLB -> pods
        databaseAccess(db, k.cluster.clusterSecurityGroupId); // PostgreSQL from the pods only
        const addons = clusterAddons(step, k, nlb.targetGroupArns.api); // Load Balancer Controller, metrics-server
        const obs = observability(step, k, { monitoring: ns.monitoring, storageClass }); // Prometheus, logs, traces
        const id = identity(step); // Cognito, challenge secret, CPF Lambdas
        if (ecr.image !== undefined) {
            const targetGroupArn = nlb.targetGroupArns.api;
            fastApi(step, k, {
                image: ecr.image,
                namespace: ns.app,
                db,
                identity: id,
                targetGroupArn,
                addons,
                observability: obs,
            });
        }
        const api = restApi(step, nlb, id); // API Gateway: POST /auth; the rest through the VPC link
        const acl = waf(step, api);
        this.outputs = stackOutputs({ api, id, k, ecr, db, obs, acl });
        this.registerOutputs(this.outputs);
    }
}

/** The architecture's stack outputs (camelCase; a public contract). */
function stackOutputs(r: {
    api: RestApi;
    id: Identity;
    k: Cluster;
    ecr: { repo: EcrRepository };
    db: RelationalDatabase;
    obs: Observability;
    acl: WebAcl;
}): Record<string, pulumi.Input<unknown>> {
    const fns = r.id.functions;
    return {
        apiUrl: r.api.invokeUrl,
        authUrl: pulumi.interpolate`${r.api.invokeUrl}/auth`,
        apiKeyIds: r.api.apiKeyIds,
        userPoolId: r.id.pool.userPoolId,
        userPoolClientId: r.id.clientId,
        clusterName: r.k.clusterName,
        clusterAdminRoleArn: r.k.cluster.adminRoleArn,
        ecrRepositoryUrl: r.ecr.repo.repositoryUrl,
        databaseAddress: r.db.address,
        databaseSecretArn: r.db.masterUserSecretArn,
        containerLogGroup: r.obs.containerLogs.name,
        grafanaSecretArn: r.obs.grafanaSecret.secretArn,
        webAclArn: r.acl.webAclArn,
        helmCharts: Object.fromEntries(Object.values(CHARTS).map((c) => [c.chart, c.version])),
        functionNames: {
            [FUNCTIONS.auth]: fns.auth.functionName,
            [FUNCTIONS.authorizer]: fns.authorizer.functionName,
            [FUNCTIONS.define]: fns.define.functionName,
            [FUNCTIONS.create]: fns.create.functionName,
            [FUNCTIONS.verify]: fns.verify.functionName,
        },
    };
}

export const postech: ArchitectureModule<PostechSettings> = {
    name: NAME,
    description:
        "CPF sign-in (Cognito custom auth, Lambda) in front of a FastAPI application on EKS, " +
        "behind API Gateway with WAF",
    workloads: [WORKLOADS.api, WORKLOADS.lambdas],
    settings: settingsSchema,
    stackProblems,
    deploy: (ctx) => new Postech(NAME, ctx).outputs,
};
