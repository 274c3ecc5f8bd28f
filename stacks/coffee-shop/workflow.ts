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
 */

export interface WorkflowTargets {
    /** ARN of the order-steps function. */
    stepsFunctionArn: string;
    eventBusName: string;
    fulfilmentQueueUrl: string;
}

/** Source of the events the workflow publishes (the same the orders API uses). */
export const WORKFLOW_EVENT_SOURCE = "coffee-shop.orders";

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

/** The state machine definition (an object; the component serializes it). */
export function orderWorkflowDefinition(t: WorkflowTargets): Record<string, unknown> {
    const lambdaStep = (
        action: string,
        payload: Record<string, string>,
        resultPath: string,
        next: string,
        catchers: object[] = [toFailure],
    ) => ({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: t.stepsFunctionArn, Payload: { action, ...payload } },
        ResultSelector: { "result.$": "$.Payload" },
        ResultPath: resultPath,
        TimeoutSeconds: 30,
        Retry: retry(LAMBDA_TRANSIENT, 3),
        Catch: catchers,
        Next: next,
    });
    const publish = (detailType: string, detail: Record<string, string>, next: string) => ({
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
    });
    return {
        Comment: "coffee-shop: validate, charge, confirm and notify an order, then hand it to fulfilment",
        StartAt: "ValidateOrder",
        TimeoutSeconds: 900,
        States: {
            ValidateOrder: lambdaStep(
                "validate",
                { "orderId.$": "$.detail.orderId", "customerId.$": "$.detail.customerId" },
                "$.validated",
                "ChargePayment",
                [
                    { ErrorEquals: ["OrderNotPending"], ResultPath: "$.error", Next: "AlreadyProcessed" },
                    { ...notChanged, ErrorEquals: ["OrderNotFound"] },
                    toFailure,
                ],
            ),
            ChargePayment: lambdaStep(
                "charge",
                {
                    "orderId.$": "$.validated.result.orderId",
                    "customerId.$": "$.validated.result.customerId",
                    "totalCents.$": "$.validated.result.totalCents",
                    "currency.$": "$.validated.result.currency",
                },
                "$.payment",
                "ConfirmOrder",
            ),
            ConfirmOrder: lambdaStep(
                "confirm",
                {
                    "orderId.$": "$.detail.orderId",
                    "customerId.$": "$.detail.customerId",
                    "paymentId.$": "$.payment.result.paymentId",
                },
                "$.confirmed",
                "NotifyCustomer",
                [notChanged, toFailure],
            ),
            NotifyCustomer: publish(
                "OrderConfirmed",
                {
                    "orderId.$": "$.detail.orderId",
                    "customerId.$": "$.detail.customerId",
                    "paymentId.$": "$.payment.result.paymentId",
                },
                "StartFulfilment",
            ),
            StartFulfilment: {
                Type: "Task",
                Resource: "arn:aws:states:::sqs:sendMessage",
                Parameters: {
                    QueueUrl: t.fulfilmentQueueUrl,
                    MessageBody: { "orderId.$": "$.detail.orderId", "customerId.$": "$.detail.customerId" },
                },
                ResultPath: null,
                Retry: retry(SERVICE_TRANSIENT, 5),
                Next: "Done",
            },
            Done: { Type: "Succeed" },
            MarkFailed: {
                ...lambdaStep(
                    "fail",
                    {
                        "orderId.$": "$.detail.orderId",
                        "customerId.$": "$.detail.customerId",
                        "reason.$": "$.error.Error",
                    },
                    "$.failed",
                    "NotifyFailure",
                    [notChanged],
                ),
                Retry: retry(LAMBDA_TRANSIENT, 5),
            },
            NotifyFailure: publish(
                "OrderFailed",
                { "orderId.$": "$.detail.orderId", "customerId.$": "$.detail.customerId", "reason.$": "$.error.Error" },
                "OrderFailed",
            ),
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
        },
    };
}
