/**
 * mtls-api's observability: the CloudWatch dashboard of the load balancer, the services and the web ACL.
 */
import { FargateService } from "../../infra/compute/fargate-service";
import { Dashboard, DashboardGraph } from "../../infra/observability/dashboard";
import { physicalName } from "../../infra/shared/naming";
import { Edge } from "./edge";
import { MtlsApiStep } from "./settings";

/** The dashboard (`<name>-dashboard`): target health, the load balancer's traffic, ECS CPU and memory, WAF. */
export function observability(
    step: MtlsApiStep,
    { lb, webAcl, services }: Edge & { services: Record<string, FargateService> },
): Dashboard {
    const { config, scope, name, child } = step;
    const graphs: DashboardGraph[] = [
        targetHealthGraph(lb),
        loadBalancerTrafficGraph(step, lb),
        ...ecsGraphs(step, services),
    ];
    if (webAcl) {
        const acl = webAcl;
        graphs.push({
            title: "WAF: blocked and allowed requests",
            stat: "Sum",
            metrics: ["BlockedRequests", "AllowedRequests"].map((metricName) => ({
                namespace: "AWS/WAFV2",
                metricName,
                dimensions: { WebACL: acl.webAclName, Region: config.region, Rule: "ALL" },
            })),
        });
    }
    return new Dashboard(
        `${name}-dashboard`,
        { dashboardName: physicalName(scope, "dashboard", 255), region: config.region, graphs },
        child,
    );
}

/** Healthy and unhealthy gateway tasks of every target group. */
function targetHealthGraph(lb: Edge["lb"]): DashboardGraph {
    const lbDims = (tg: string) => ({ TargetGroup: lb.targetGroupArnSuffixes[tg], LoadBalancer: lb.arnSuffix });
    return {
        title: "Load balancer: healthy and unhealthy gateway tasks",
        metrics: Object.keys(lb.targetGroupArns).flatMap((tg) => [
            {
                namespace: lb.metricNamespace,
                metricName: "HealthyHostCount",
                dimensions: lbDims(tg),
                stat: "Minimum",
                label: `${tg} healthy`,
            },
            {
                namespace: lb.metricNamespace,
                metricName: "UnHealthyHostCount",
                dimensions: lbDims(tg),
                stat: "Maximum",
                label: `${tg} unhealthy`,
            },
        ]),
    };
}

/** nlb: TCP flows and resets; alb: requests, TLS negotiation errors and HTTP errors. */
function loadBalancerTrafficGraph(step: MtlsApiStep, lb: Edge["lb"]): DashboardGraph {
    const metrics = (names: string[]) =>
        names.map((metricName) => ({
            namespace: lb.metricNamespace,
            metricName,
            dimensions: { LoadBalancer: lb.arnSuffix },
        }));
    return step.settings.edgeMode === "nlb"
        ? {
              title: "NLB: TCP flows and resets",
              stat: "Sum",
              metrics: metrics(["NewFlowCount", "ActiveFlowCount", "TCP_Client_Reset_Count", "TCP_Target_Reset_Count"]),
          }
        : {
              title: "ALB: requests, TLS and HTTP errors",
              stat: "Sum",
              metrics: metrics([
                  "RequestCount",
                  "ClientTLSNegotiationErrorCount",
                  "HTTPCode_ELB_4XX_Count",
                  "HTTPCode_ELB_5XX_Count",
                  "HTTPCode_Target_5XX_Count",
              ]),
          };
}

/** CPU and memory utilisation of every service. */
function ecsGraphs(step: MtlsApiStep, services: Record<string, FargateService>): DashboardGraph[] {
    const ecsDims = (service: FargateService) => ({
        ClusterName: step.foundation.cluster.clusterName,
        ServiceName: service.serviceName,
    });
    const utilisation = (title: string, metricName: string): DashboardGraph => ({
        title,
        metrics: Object.entries(services).map(([label, svc]) => ({
            namespace: "AWS/ECS",
            metricName,
            dimensions: ecsDims(svc),
            label,
        })),
    });
    return [
        utilisation("ECS: CPU utilisation (%)", "CPUUtilization"),
        utilisation("ECS: memory utilisation (%)", "MemoryUtilization"),
    ];
}
