/**
 * coffee-shop's messaging: the EventBridge bus (KMS, archive) with the rule that starts the order workflow
 * on `OrderPlaced`, and the SQS fulfilment queue with its DLQ.
 */
import * as pulumi from "@pulumi/pulumi";
import { QueueWithDlq } from "../../infra/messaging/queue";
import { EventBus } from "../../infra/serverless/event-bus";
import { physicalName } from "../../infra/shared/naming";
import { CoffeeShopStep, ORDER_PLACED_PATTERN } from "./settings";

/** What the messaging step registers. */
export interface Messaging {
    /** The orders event bus: the orders function publishes `OrderPlaced`, the workflow its outcome. */
    bus: EventBus;
    /** Where the workflow hands confirmed orders to fulfilment. */
    fulfilment: QueueWithDlq;
}

/** The event bus and the fulfilment queue. */
export function messagingTier(step: CoffeeShopStep): Messaging {
    const { config, foundation, tags, scope, name, child } = step;
    const keys = foundation.keys.keyArns;
    const bus = new EventBus(
        `${name}-events`,
        { busName: physicalName(scope, "orders", 256), kmsKeyArn: keys.messaging, ...foundation.account, tags },
        child,
    );
    const fulfilment = new QueueWithDlq(
        `${name}-fulfilment`,
        { region: config.region, kmsKeyArn: keys.messaging, visibilityTimeoutSeconds: 300, tags },
        child,
    );
    return { bus, fulfilment };
}

/** The bus's rule that starts an execution of the order workflow for every `OrderPlaced` event. */
export function orderPlacedRule({ bus }: Messaging, stateMachineArn: pulumi.Input<string>): void {
    bus.startExecutionOn("order-placed", {
        eventPattern: ORDER_PLACED_PATTERN,
        stateMachineArn,
        description: "OrderPlaced starts the order workflow",
    });
}
