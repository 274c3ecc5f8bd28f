/**
 * postech's workloads: the ECR repository of the FastAPI image (pushed by the application's CI) and the FastAPI
 * application on EKS (Deployment, Service, HPA, PDB and TargetGroupBinding through {@link WebService}), reading only
 * the database's secret, through IRSA.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { WebService } from "../../infra/kubernetes/web-service";
import { physicalName } from "../../infra/shared/naming";
import type { Addons, Cluster } from "./cluster";
import type { Identity } from "./identity";
import type { Observability } from "./observability";
import { APP, decryptThrough, derive, NAME, NAMESPACES, PostechStep, WORKLOADS } from "./settings";

/** The FastAPI image's repository, and the image of the release to run (none while `unreleased`). */
export function apiImage(step: PostechStep): { repo: EcrRepository; image: pulumi.Output<string> | undefined } {
    const { name, config, tags, scope, child } = step;
    const { keys, protect } = derive(step);
    const repo = new EcrRepository(
        `${name}-api-repo`,
        { repositoryName: physicalName(scope, "api", 256), kmsKeyArn: keys.data, protect, tags },
        child,
    );
    // The FastAPI image is pushed by the application's CI into this repository: while the release is
    // `unreleased` the Deployment is not created (the run prints the push commands); a tag or digest is
    // looked up in ECR first, so a release never pushed fails the preview by name (docs/first-deploy.md).
    return { repo, image: repo.releaseImage(WORKLOADS.api, config.releases[WORKLOADS.api]) };
}

/** What the FastAPI application runs with and next to. */
export interface FastApiDeps {
    image: pulumi.Input<string>;
    namespace: k8s.core.v1.Namespace;
    db: RelationalDatabase;
    identity: Identity;
    /** The internal NLB's target group the pods are registered in. */
    targetGroupArn: pulumi.Input<string>;
    /** The Deployment waits for the cluster add-ons and the Prometheus and OpenTelemetry releases. */
    addons: Addons;
    observability: Observability;
}

/** The FastAPI application: its IRSA role (the database secret only) and its {@link WebService}. */
export function fastApi(step: PostechStep, k: Cluster, d: FastApiDeps): WebService {
    const { name, config, settings: s, child } = step;
    const appRole = k.cluster.serviceAccountRole("api", {
        namespace: NAMESPACES.app,
        serviceAccount: APP.name,
        statements: [
            {
                Sid: "ReadTheDatabaseSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: d.db.masterUserSecretArn,
            },
            decryptThrough(step, "secretsmanager"),
        ],
    });
    return new WebService(
        `${name}-api`,
        {
            namespace: d.namespace.metadata.name,
            appName: APP.name,
            image: d.image,
            containerPort: APP.port,
            env: {
                APP_ENV: config.environment,
                AWS_REGION: config.region,
                DB_HOST: d.db.address,
                DB_PORT: String(d.db.port),
                DB_NAME: d.db.databaseName,
                DB_SECRET_ARN: d.db.masterUserSecretArn,
                DB_SSLMODE: "require",
                COGNITO_USER_POOL_ID: d.identity.pool.userPoolId,
                COGNITO_CLIENT_ID: d.identity.clientId,
                OTEL_SERVICE_NAME: `${NAME}-${APP.name}`,
                OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector.${NAMESPACES.monitoring}.svc.cluster.local:4318`,
            },
            resources: {
                cpuRequest: s.app.cpuRequest,
                cpuLimit: s.app.cpuLimit,
                memoryRequest: s.app.memoryRequest,
                memoryLimit: s.app.memoryLimit,
            },
            probes: { startupPath: APP.health, readinessPath: APP.ready, livenessPath: APP.health },
            runAsUser: APP.uid,
            autoscaling: {
                minReplicas: s.app.minReplicas,
                maxReplicas: s.app.maxReplicas,
                cpuTargetPercent: s.app.cpuTargetPercent,
            },
            minAvailable: Math.max(1, s.app.minReplicas - 1),
            iamRoleArn: appRole.arn,
            targetGroupArn: d.targetGroupArn,
            metricsPath: APP.metrics,
            labels: k.labels,
            provider: k.cluster.provider,
            dependsOn: [
                d.addons.loadBalancerController,
                d.observability.prometheusStack,
                d.addons.metricsServer,
                d.observability.otelCollector,
            ],
        },
        child,
    );
}
