/**
 * The coffee-shop order workflow in Amazon States Language: the input is the `OrderPlaced` event as
 * EventBridge delivers it (`detail: {orderId, customerId, totalCents, currency}`).
 *
 * ValidateOrder (Lambda) -> ChargePayment (Lambda) -> ConfirmOrder (DynamoDB UpdateItem, only from
 * PLACED) -> NotifyCustomer (EventBridge `OrderConfirmed`) -> StartFulfilment (SQS) -> Done.
 * Any failure of the first three steps (after the retries of transient errors) goes to MarkFailed
 * (DynamoDB: status FAILED with the error name) -> NotifyFailure (EventBridge `OrderFailed`) ->
 * OrderFailed (Fail). Transient errors are retried with exponential backoff and full jitter; business
 * errors (`OrderInvalid`, `PaymentDeclined`, a failed condition) are not retried.
 *
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html.
 */

export interface WorkflowTargets {
    /** ARN of the order-steps function. */
    stepsFunctionArn: string;
    ordersTableName: string;
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
/** Transient errors of the DynamoDB, EventBridge and SQS integrations. */
const SERVICE_TRANSIENT = [
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.ThrottlingException",
    "DynamoDB.InternalServerErrorException",
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
const toFailure = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" }];
const orderKey = { customerId: { "S.$": "$.detail.customerId" }, orderId: { "S.$": "$.detail.orderId" } };

/** The state machine definition (an object; the component serializes it). */
export function orderWorkflowDefinition(t: WorkflowTargets): Record<string, unknown> {
    const lambdaStep = (action: string, payload: Record<string, string>, resultPath: string, next: string) => ({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: t.stepsFunctionArn, Payload: { action, ...payload } },
        ResultSelector: { "result.$": "$.Payload" },
        ResultPath: resultPath,
        TimeoutSeconds: 30,
        Retry: retry(LAMBDA_TRANSIENT, 3),
        Catch: toFailure,
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
            ConfirmOrder: {
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Parameters: {
                    TableName: t.ordersTableName,
                    Key: orderKey,
                    UpdateExpression: "SET #status = :confirmed, paymentId = :payment",
                    ConditionExpression: "#status = :placed",
                    ExpressionAttributeNames: { "#status": "status" },
                    ExpressionAttributeValues: {
                        ":confirmed": { S: "CONFIRMED" },
                        ":placed": { S: "PLACED" },
                        ":payment": { "S.$": "$.payment.result.paymentId" },
                    },
                },
                ResultPath: null,
                Retry: retry(SERVICE_TRANSIENT, 5),
                Catch: toFailure,
                Next: "NotifyCustomer",
            },
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
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:updateItem",
                Parameters: {
                    TableName: t.ordersTableName,
                    Key: orderKey,
                    UpdateExpression: "SET #status = :failed, failureReason = :reason",
                    ExpressionAttributeNames: { "#status": "status" },
                    ExpressionAttributeValues: { ":failed": { S: "FAILED" }, ":reason": { "S.$": "$.error.Error" } },
                },
                ResultPath: null,
                Retry: retry(SERVICE_TRANSIENT, 5),
                Next: "NotifyFailure",
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
        },
    };
}
