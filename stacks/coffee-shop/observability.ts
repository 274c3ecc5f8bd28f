/**
 * coffee-shop's observability: alarms to the foundation topic on API 5xx, order function errors, failed
 * workflow executions, fulfilment queue age and DLQ depth, cache CPU and memory.
 */
import { AlarmSet, AlarmSpec, cacheAlarms, dlqDepthAlarm, queueAgeAlarm } from "../../infra/observability/alarms";
import { StateMachine } from "../../infra/serverless/state-machine";
import { physicalName } from "../../infra/shared/naming";
import { Functions } from "./api";
import { Data } from "./data";
import { Messaging } from "./messaging";
import { CoffeeShopStep, NAME } from "./settings";

/** The alarms' descriptions too long for one line. */
const DESCRIPTIONS = {
    api5xx: (perMinute: number) =>
        `${NAME} API: more than ${perMinute} 5xx responses a minute ` +
        "(see the API access logs and the functions' logs)",
    workflowFailed:
        `${NAME}: order workflow executions failed or timed out (orders marked FAILED: declined payments, ` +
        "invalid orders, or a step that kept failing)",
};

/** A one-minute alarm over more than its threshold in 3 of 5 minutes; missing data is not breaching. */
const alarm = (
    spec: Omit<
        AlarmSpec,
        "periodSeconds" | "evaluationPeriods" | "datapointsToAlarm" | "comparisonOperator" | "treatMissingData"
    >,
): AlarmSpec => ({
    periodSeconds: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    ...spec,
});

/** The alarms (`<name>-alarms`) to the foundation's alarm topic. */
export function observability(
    step: CoffeeShopStep,
    deps: { data: Data; messaging: Messaging; functions: Functions; workflow: StateMachine },
): AlarmSet {
    const { settings: s, foundation, tags, scope, name, child } = step;
    const { fulfilment } = deps.messaging;
    const apiName = physicalName(scope, "api", 255);
    return new AlarmSet(
        `${name}-alarms`,
        {
            topicArn: foundation.alarmTopic.topicArn,
            alarms: {
                "api-5xx": alarm({
                    description: DESCRIPTIONS.api5xx(s.alarms.api5xxPerMinute),
                    namespace: "AWS/ApiGateway",
                    metricName: "5XXError",
                    dimensions: { ApiName: apiName, Stage: s.api.stageName },
                    statistic: "Sum",
                    threshold: s.alarms.api5xxPerMinute,
                }),
                "orders-errors": alarm({
                    description: `${NAME}: the orders function failed (unhandled errors or timeouts)`,
                    namespace: "AWS/Lambda",
                    metricName: "Errors",
                    dimensions: { FunctionName: deps.functions.orders.functionName },
                    statistic: "Sum",
                    threshold: 0,
                }),
                "workflow-failed": alarm({
                    description: DESCRIPTIONS.workflowFailed,
                    namespace: "AWS/States",
                    metricName: "ExecutionsFailed",
                    dimensions: { StateMachineArn: deps.workflow.stateMachineArn },
                    statistic: "Sum",
                    threshold: 0,
                }),
                "fulfilment-age": queueAgeAlarm(fulfilment.queueName, s.alarms.fulfilmentAgeSeconds, "fulfilment"),
                "fulfilment-dlq": dlqDepthAlarm(fulfilment.dlqName, "the fulfilment queue"),
                ...cacheAlarms(deps.data.cache.memberClusterIds, 80, 80),
            },
            tags,
        },
        child,
    );
}
