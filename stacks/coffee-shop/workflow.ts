/**
 * The coffee-shop order workflow in Amazon States Language: the input is the `OrderPlaced` event as
 * EventBridge delivers it (`detail: {orderId, customerId, totalCents, currency}`).
 *
 * ValidateOrder (Lambda) -> ChargePayment (Lambda) -> ConfirmOrder (Lambda: PLACED -> CONFIRMED) ->
 * NotifyCustomer (EventBridge `OrderConfirmed`) -> StartFulfilment (SQS) -> Done.
 * Any other failure of the first three steps (after the retries of transient errors) goes to MarkFailed
 * (Lambda: PLACED -> FAILED with the error name) -> NotifyFailure (EventBridge `OrderFailed`) ->
 * OrderFailed (Fail). Transient errors are retried with exponential backoff and full jitter; business
 * errors (`OrderInvalid`, `PaymentDeclined`, the state errors below) are not retried.
 *
 * Every status change is one conditional write in the order-steps function (`transition` in
 * apps/lambdas/order-steps): a replay of a change already made is a success, so a retried step goes on.
 * EventBridge delivers at least once, so an `OrderPlaced` event may start a second execution: its
 * ValidateOrder throws `OrderNotPending` and the execution ends in AlreadyProcessed (Succeed) without
 * touching the order. `OrderNotFound` (an event for no order) and `OrderStateConflict` (a concurrent
 * execution moved the order first) end in OrderNotChanged (Fail): the order is never created, and a
 * `CONFIRMED` order never becomes `FAILED`.
 *
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html.
 *
 * {@link orderWorkflow} registers the state machine (`<name>-order-workflow`, logs ALL, X-Ray) with this
 * definition and the rule that starts it on `OrderPlaced`.
 */
import * as pulumi from "@pulumi/pulumi";
import { StateMachine } from "../../infra/serverless/state-machine";
import { logGroupName } from "../../infra/shared/naming";
import type { Functions } from "./api";
import { Messaging, orderPlacedRule } from "./messaging";
import { CoffeeShopStep, logSettings, WORKFLOW_EVENT_SOURCE } from "./settings";

export { WORKFLOW_EVENT_SOURCE } from "./settings";

export interface WorkflowTargets {
    /** ARN of the order-steps function. */
    stepsFunctionArn: string;
    eventBusName: string;
    fulfilmentQueueUrl: string;
}

/** Transient errors of Lambda invocations (AWS's recommended retry set). */
const LAMBDA_TRANSIENT = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
];
/** Transient errors of the EventBridge and SQS integrations. */
const SERVICE_TRANSIENT = [
    "EventBridge.InternalException",
    "EventBridge.ThrottlingException",
    "SQS.SdkClientException",
    "States.Timeout",
];

const retry = (errors: string[], maxAttempts: number) => [
    {
        ErrorEquals: errors,
        IntervalSeconds: 2,
        MaxAttempts: maxAttempts,
        BackoffRate: 2,
        MaxDelaySeconds: 30,
        JitterStrategy: "FULL",
    },
];
const toFailure = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" };
/** The errors of a step that found the order missing or past the state it may change. */
const notChanged = {
    ErrorEquals: ["OrderNotFound", "OrderStateConflict"],
    ResultPath: "$.error",
    Next: "OrderNotChanged",
};

/** The order and its customer, from the `OrderPlaced` event. */
const ORDER = { "orderId.$": "$.detail.orderId", "customerId.$": "$.detail.customerId" };

/** A Task invoking the order-steps function with `{ action, ...payload }`; its result at `resultPath`. */
function lambdaStep(
    t: WorkflowTargets,
    action: string,
    payload: Record<string, string>,
    resultPath: string,
    next: string,
    catchers: object[] = [toFailure],
) {
    return {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: t.stepsFunctionArn, Payload: { action, ...payload } },
        ResultSelector: { "result.$": "$.Payload" },
        ResultPath: resultPath,
        TimeoutSeconds: 30,
        Retry: retry(LAMBDA_TRANSIENT, 3),
        Catch: catchers,
        Next: next,
    };
}

/** A Task putting one event of `detailType` on the bus. */
function publish(t: WorkflowTargets, detailType: string, detail: Record<string, string>, next: string) {
    return {
        Type: "Task",
        Resource: "arn:aws:states:::events:putEvents",
        Parameters: {
            Entries: [
                { EventBusName: t.eventBusName, Source: WORKFLOW_EVENT_SOURCE, DetailType: detailType, Detail: detail },
            ],
        },
        ResultPath: null,
        Retry: retry(SERVICE_TRANSIENT, 5),
        Next: next,
    };
}

/** ValidateOrder: a duplicate event ends in AlreadyProcessed, an event for no order in OrderNotChanged. */
const validateOrder = (t: WorkflowTargets) =>
    lambdaStep(t, "validate", ORDER, "$.validated", "ChargePayment", [
        { ErrorEquals: ["OrderNotPending"], ResultPath: "$.error", Next: "AlreadyProcessed" },
        { ...notChanged, ErrorEquals: ["OrderNotFound"] },
        toFailure,
    ]);

/** ChargePayment: the validated total, through the simulated payment gateway. */
const chargePayment = (t: WorkflowTargets) =>
    lambdaStep(
        t,
        "charge",
        {
            "orderId.$": "$.validated.result.orderId",
            "customerId.$": "$.validated.result.customerId",
            "totalCents.$": "$.validated.result.totalCents",
            "currency.$": "$.validated.result.currency",
        },
        "$.payment",
        "ConfirmOrder",
    );

/** The order, its customer and the payment's id. */
const PAID_ORDER = { ...ORDER, "paymentId.$": "$.payment.result.paymentId" };

/** ConfirmOrder: PLACED -> CONFIRMED with the payment's id. */
const confirmOrder = (t: WorkflowTargets) =>
    lambdaStep(t, "confirm", PAID_ORDER, "$.confirmed", "NotifyCustomer", [notChanged, toFailure]);

/** StartFulfilment: the order on the fulfilment queue. */
const startFulfilment = (t: WorkflowTargets) => ({
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage",
    Parameters: {
        QueueUrl: t.fulfilmentQueueUrl,
        MessageBody: ORDER,
    },
    ResultPath: null,
    Retry: retry(SERVICE_TRANSIENT, 5),
    Next: "Done",
});

/** The order, its customer and the name of the error that failed it. */
const FAILED_ORDER = { ...ORDER, "reason.$": "$.error.Error" };

/** MarkFailed: PLACED -> FAILED with the error's name, retried longer than the other steps. */
const markFailed = (t: WorkflowTargets) => ({
    ...lambdaStep(t, "fail", FAILED_ORDER, "$.failed", "NotifyFailure", [notChanged]),
    Retry: retry(LAMBDA_TRANSIENT, 5),
});

/** The states that end an execution: Done, OrderFailed, AlreadyProcessed, OrderNotChanged. */
const END_STATES = {
    Done: { Type: "Succeed" },
    OrderFailed: {
        Type: "Fail",
        Error: "OrderFailed",
        Cause: "The order could not be validated, paid or confirmed; it is marked FAILED.",
    },
    AlreadyProcessed: {
        Type: "Succeed",
        Comment: "A duplicate OrderPlaced event: the order is past PLACED and is left as it is.",
    },
    OrderNotChanged: {
        Type: "Fail",
        Error: "OrderNotChanged",
        Cause: "The order does not exist or another execution changed its status first; it is left as it is.",
    },
};

/** The state machine definition (an object; the component serializes it). */
export function orderWorkflowDefinition(t: WorkflowTargets): Record<string, unknown> {
    return {
        Comment: "coffee-shop: validate, charge, confirm and notify an order, then hand it to fulfilment",
        StartAt: "ValidateOrder",
        TimeoutSeconds: 900,
        States: {
            ValidateOrder: validateOrder(t),
            ChargePayment: chargePayment(t),
            ConfirmOrder: confirmOrder(t),
            NotifyCustomer: publish(t, "OrderConfirmed", PAID_ORDER, "StartFulfilment"),
            StartFulfilment: startFulfilment(t),
            Done: END_STATES.Done,
            MarkFailed: markFailed(t),
            NotifyFailure: publish(t, "OrderFailed", FAILED_ORDER, "OrderFailed"),
            OrderFailed: END_STATES.OrderFailed,
            AlreadyProcessed: END_STATES.AlreadyProcessed,
            OrderNotChanged: END_STATES.OrderNotChanged,
        },
    };
}

/**
 * The order workflow's state machine (`<name>-order-workflow`): invokes the order-steps function, publishes
 * the outcome on the bus and hands confirmed orders to the fulfilment queue; `OrderPlaced` starts it.
 */
export function orderWorkflow(
    step: CoffeeShopStep,
    { functions, messaging }: { functions: Functions; messaging: Messaging },
): StateMachine {
    const { foundation, tags, scope, name, child } = step;
    const stepsFn = functions.orderSteps;
    const { bus, fulfilment } = messaging;
    const workflow = new StateMachine(
        `${name}-order-workflow`,
        {
            definition: pulumi
                .all([stepsFn.functionArn, bus.busName, fulfilment.queueUrl])
                .apply(([stepsFunctionArn, eventBusName, fulfilmentQueueUrl]) =>
                    orderWorkflowDefinition({ stepsFunctionArn, eventBusName, fulfilmentQueueUrl }),
                ),
            policyStatements: [
                {
                    Sid: "InvokeOrderSteps",
                    Effect: "Allow",
                    Action: "lambda:InvokeFunction",
                    Resource: [stepsFn.functionArn, pulumi.interpolate`${stepsFn.functionArn}:*`],
                },
                ...bus.publishStatements("PublishOrderOutcome", WORKFLOW_EVENT_SOURCE),
                ...fulfilment.sendStatements("HandOverToFulfilment"),
            ],
            logs: { groupName: logGroupName(scope, "order-workflow"), ...logSettings(step) },
            logLevel: "ALL",
            includeExecutionData: false,
            ...foundation.account,
            tags,
        },
        child,
    );
    orderPlacedRule(messaging, workflow.stateMachineArn);
    return workflow;
}
