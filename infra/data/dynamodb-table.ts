/**
 * A DynamoDB table (`platform:data:DynamoDbTable`): on-demand capacity, server-side encryption with the
 * caller's customer-managed KMS key, point-in-time recovery, deletion protection (and Pulumi `protect`)
 * from `protect`, optional TTL attribute, global secondary indexes that project only what the caller
 * names, tags.
 *
 * Readers and writers get their IAM statements from {@link DynamoDbTable.readStatements} and
 * {@link DynamoDbTable.writeStatements}: exactly the item actions on this table (and its indexes for
 * reads), and the KMS actions DynamoDB needs on the key, only through DynamoDB.
 *
 * References: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 * (kms:ViaService).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../compute/fargate-service";

export type AttributeType = "S" | "N" | "B";

export interface DynamoDbTableArgs {
    /** Partition key: name and type. */
    hashKey: { name: string; type: AttributeType };
    /** Sort key; default none. */
    rangeKey?: { name: string; type: AttributeType };
    /**
     * Global secondary indexes keyed by name: keys and the non-key attributes they project (`INCLUDE`).
     * Default none.
     */
    indexes?: Record<
        string,
        {
            hashKey: { name: string; type: AttributeType };
            rangeKey?: { name: string; type: AttributeType };
            projectedAttributes: string[];
        }
    >;
    /** Attribute holding an epoch-seconds expiry; items past it are deleted by DynamoDB. Default none. */
    ttlAttribute?: string;
    /** KMS key ARN (the platform's data key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Deletion protection and Pulumi `protect`. */
    protect: boolean;
    region: string;
    tags: Record<string, string>;
}

const ATTRIBUTE = /^[A-Za-z0-9_.-]{1,255}$/;

function problemsOf(args: DynamoDbTableArgs): string[] {
    const p: string[] = [];
    const keys = [
        args.hashKey,
        ...(args.rangeKey ? [args.rangeKey] : []),
        ...Object.values(args.indexes ?? {}).flatMap((i) => [i.hashKey, ...(i.rangeKey ? [i.rangeKey] : [])]),
    ];
    for (const k of keys) {
        if (!ATTRIBUTE.test(k.name))
            p.push(`key attribute ${JSON.stringify(k.name)} must be 1-255 letters, digits, _ . -`);
        if (!["S", "N", "B"].includes(k.type))
            p.push(`key attribute ${k.name} has type ${JSON.stringify(k.type)}; keys are S, N or B`);
    }
    const types = new Map<string, string>();
    for (const k of keys) {
        if (types.has(k.name) && types.get(k.name) !== k.type)
            p.push(`attribute ${k.name} is declared as ${types.get(k.name)} and ${k.type}`);
        types.set(k.name, k.type);
    }
    for (const [name, i] of Object.entries(args.indexes ?? {})) {
        if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name))
            p.push(`indexes: name ${JSON.stringify(name)} must be 3-255 letters, digits, _ . -`);
        if (i.projectedAttributes.length > 100) p.push(`indexes.${name}.projectedAttributes: at most 100`);
    }
    if (args.ttlAttribute !== undefined && !ATTRIBUTE.test(args.ttlAttribute))
        p.push(`ttlAttribute must be an attribute name; got ${JSON.stringify(args.ttlAttribute)}`);
    return p;
}

export class DynamoDbTable extends pulumi.ComponentResource {
    readonly tableName: pulumi.Output<string>;
    readonly tableArn: pulumi.Output<string>;
    private readonly kmsKeyArn: pulumi.Input<string>;
    private readonly region: string;

    constructor(name: string, args: DynamoDbTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DynamoDbTable", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`DynamoDbTable ${name}: ${problems.join("; ")}`);
        this.kmsKeyArn = args.kmsKeyArn;
        this.region = args.region;
        const indexes = Object.entries(args.indexes ?? {}).sort(([a], [b]) => a.localeCompare(b));
        const attributes = new Map<string, AttributeType>();
        for (const k of [
            args.hashKey,
            ...(args.rangeKey ? [args.rangeKey] : []),
            ...indexes.flatMap(([, i]) => [i.hashKey, ...(i.rangeKey ? [i.rangeKey] : [])]),
        ])
            attributes.set(k.name, k.type);

        const table = new aws.dynamodb.Table(
            name,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: args.hashKey.name,
                rangeKey: args.rangeKey?.name,
                attributes: [...attributes.entries()]
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([attributeName, type]) => ({ name: attributeName, type })),
                globalSecondaryIndexes:
                    indexes.length > 0
                        ? indexes.map(([indexName, i]) => ({
                              name: indexName,
                              hashKey: i.hashKey.name,
                              rangeKey: i.rangeKey?.name,
                              projectionType: "INCLUDE",
                              nonKeyAttributes: [...i.projectedAttributes].sort(),
                          }))
                        : undefined,
                serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: args.protect,
                ttl: args.ttlAttribute ? { attributeName: args.ttlAttribute, enabled: true } : undefined,
                tableClass: "STANDARD",
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );

        this.tableName = table.name;
        this.tableArn = table.arn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
    }

    /** `dynamodb:GetItem`, `Query`, `BatchGetItem` on the table and its indexes, and `kms:Decrypt` through DynamoDB. */
    readStatements(sid: string): IamStatement[] {
        return [
            {
                Sid: `${sid}Items`,
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
                Resource: [this.tableArn, pulumi.interpolate`${this.tableArn}/index/*`],
            },
            {
                Sid: `${sid}Key`,
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: this.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `dynamodb.${this.region}.amazonaws.com` } },
            },
        ];
    }

    /**
     * `dynamodb:PutItem`, `UpdateItem`, `ConditionCheckItem` on the table, and the KMS actions DynamoDB
     * needs, through DynamoDB.
     */
    writeStatements(sid: string): IamStatement[] {
        return [
            {
                Sid: `${sid}Items`,
                Effect: "Allow",
                Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
                Resource: this.tableArn,
            },
            {
                Sid: `${sid}Key`,
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
                Resource: this.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `dynamodb.${this.region}.amazonaws.com` } },
            },
        ];
    }
}
