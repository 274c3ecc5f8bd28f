/**
 * coffee-shop's data: the DynamoDB tables `products` and `orders` (the data key, point-in-time recovery,
 * deletion protection from `platform:protect`) and the ElastiCache Redis catalogue cache (TLS, AUTH,
 * encrypted).
 */
import { DynamoDbTable } from "../../infra/data/dynamodb-table";
import { RedisCache } from "../../infra/data/redis-cache";
import { logGroupName } from "../../infra/shared/naming";
import { CATEGORY_INDEX, CoffeeShopStep, logSettings } from "./settings";

/** What the data step registers. */
export interface Data {
    /** `products`: key productId, index `by-category` (category, name). */
    products: DynamoDbTable;
    /** `orders`: key customerId, orderId. */
    orders: DynamoDbTable;
    /** The catalogue cache in the isolated subnets. */
    cache: RedisCache;
}

/** The products and orders tables and the catalogue cache. */
export function dataTier(step: CoffeeShopStep): Data {
    const { config, settings: s, foundation, tags, scope, name, child } = step;
    const keys = foundation.keys.keyArns;
    const protect = config.profile.protect;
    const products = new DynamoDbTable(
        `${name}-products`,
        {
            hashKey: { name: "productId", type: "S" },
            indexes: {
                [CATEGORY_INDEX]: {
                    hashKey: { name: "category", type: "S" },
                    rangeKey: { name: "name", type: "S" },
                    projectedAttributes: ["description", "priceCents", "currency", "available", "imageKey"],
                },
            },
            kmsKeyArn: keys.data,
            protect,
            region: config.region,
            tags,
        },
        child,
    );
    const orders = new DynamoDbTable(
        `${name}-orders`,
        {
            hashKey: { name: "customerId", type: "S" },
            rangeKey: { name: "orderId", type: "S" },
            kmsKeyArn: keys.data,
            protect,
            region: config.region,
            tags,
        },
        child,
    );
    const cache = new RedisCache(
        `${name}-cache`,
        {
            nodeType: s.cache.nodeType,
            replicas: s.cache.replicas,
            multiAz: s.cache.multiAz,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.isolated,
            dataKmsKeyArn: keys.data,
            secretsKmsKeyArn: keys.secrets,
            logs: { groupNamePrefix: logGroupName(scope, "cache"), ...logSettings(step) },
            protect,
            tags,
        },
        child,
    );
    return { products, orders, cache };
}
