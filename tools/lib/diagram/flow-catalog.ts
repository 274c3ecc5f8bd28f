/**
 * What the flow view draws: the resource types an architect names on a diagram (one node each), the
 * column each sits in, its AWS Architecture Icon, and the cross-cutting types that become legend counts
 * instead of nodes. Type tokens are those of @pulumi/aws 7 plus the v6 tokens older state still holds
 * (https://www.pulumi.com/registry/packages/aws/api-docs/).
 *
 * Icons: the official AWS Architecture Icons (https://aws.amazon.com/architecture/icons/, whose terms
 * allow their use in architecture diagrams) as packaged by the MIT-licensed `aws-icons` npm package.
 */
import type { ExportedResource } from "../plan-runner";

/** Columns, left to right: who calls, request filtering, the edge, ingress into the VPC, compute, messaging, data. */
export const FLOW_COLUMNS = ["internet", "protection", "edge", "ingress", "compute", "messaging", "data"] as const;
export type FlowColumn = (typeof FLOW_COLUMNS)[number];

/** An icon file under `node_modules/aws-icons/icons/`. */
export type IconPath = `${"architecture-service" | "resource"}/${string}.svg`;

export interface FlowKind {
    /** The AWS service name shown under the node's own name. */
    service: string | ((r: ExportedResource) => string);
    column: FlowColumn;
    icon: IconPath | ((r: ExportedResource) => IconPath);
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

const ENGINES: Record<string, string> = {
    postgres: "PostgreSQL",
    mysql: "MySQL",
    mariadb: "MariaDB",
    "aurora-postgresql": "Aurora PostgreSQL",
    "aurora-mysql": "Aurora MySQL",
    redis: "Redis OSS",
    valkey: "Valkey",
};

const engine = (prefix: string) => (r: ExportedResource) => {
    const e = str(r.inputs?.engine);
    return e ? `${prefix} ${ENGINES[e] ?? e}` : prefix;
};

const lbType = (r: ExportedResource) => str(r.inputs?.loadBalancerType) ?? "application";

const BUCKET: FlowKind = {
    service: "S3 bucket",
    column: "data",
    icon: "architecture-service/AmazonSimpleStorageService.svg",
};

/** Resource type -> how the flow view draws it. A type not listed here is not a node. */
export const FLOW_KINDS: Readonly<Record<string, FlowKind>> = {
    "aws:ec2/internetGateway:InternetGateway": {
        service: "Internet gateway",
        column: "edge",
        icon: "resource/AmazonVPCInternetGateway.svg",
    },
    "aws:cloudfront/distribution:Distribution": {
        service: "CloudFront",
        column: "edge",
        icon: "architecture-service/AmazonCloudFront.svg",
    },
    "aws:wafv2/webAcl:WebAcl": {
        service: "AWS WAF web ACL",
        column: "protection",
        icon: "architecture-service/AWSWAF.svg",
    },
    "aws:apigateway/restApi:RestApi": {
        service: "API Gateway REST API",
        column: "edge",
        icon: "architecture-service/AmazonAPIGateway.svg",
    },
    "aws:apigatewayv2/api:Api": {
        service: (r) => `API Gateway ${str(r.inputs?.protocolType) ?? "HTTP"} API`,
        column: "edge",
        icon: "architecture-service/AmazonAPIGateway.svg",
    },
    "aws:cognito/userPool:UserPool": {
        service: "Cognito user pool",
        column: "edge",
        icon: "architecture-service/AmazonCognito.svg",
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        service: (r) =>
            `${lbType(r) === "network" ? "Network" : "Application"} Load ` +
            `Balancer${r.inputs?.internal === true ? " (internal)" : ""}`,
        column: "ingress",
        icon: (r) =>
            lbType(r) === "network"
                ? "resource/ElasticLoadBalancingNetworkLoadBalancer.svg"
                : "resource/ElasticLoadBalancingApplicationLoadBalancer.svg",
    },
    "aws:ec2/natGateway:NatGateway": {
        service: "NAT gateway",
        column: "ingress",
        icon: "resource/AmazonVPCNATGateway.svg",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        service: (r) =>
            `${str(r.inputs?.vpcEndpointType) ?? "Gateway"} endpoint ` +
            `(${(str(r.inputs?.serviceName) ?? "").split(".").slice(3).join(".") || "service"})`,
        column: "compute",
        icon: "resource/AmazonVPCEndpoints.svg",
    },
    "aws:ecs/cluster:Cluster": {
        service: "ECS cluster",
        column: "compute",
        icon: "architecture-service/AmazonElasticContainerService.svg",
    },
    "aws:ecs/service:Service": {
        service: (r) => `ECS service (${str(r.inputs?.launchType) === "EC2" ? "EC2" : "Fargate"})`,
        column: "compute",
        icon: "architecture-service/AWSFargate.svg",
    },
    "aws:lambda/function:Function": {
        service: "Lambda function",
        column: "compute",
        icon: "architecture-service/AWSLambda.svg",
    },
    "eks:index:Cluster": {
        service: "EKS cluster",
        column: "compute",
        icon: "architecture-service/AmazonElasticKubernetesService.svg",
    },
    "aws:eks/cluster:Cluster": {
        service: "EKS cluster",
        column: "compute",
        icon: "architecture-service/AmazonElasticKubernetesService.svg",
    },
    "kubernetes:apps/v1:Deployment": {
        service: "Kubernetes Deployment",
        column: "compute",
        icon: "architecture-service/AmazonElasticKubernetesService.svg",
    },
    "aws:sfn/stateMachine:StateMachine": {
        service: "Step Functions",
        column: "compute",
        icon: "architecture-service/AWSStepFunctions.svg",
    },
    "aws:sqs/queue:Queue": {
        service: "SQS queue",
        column: "messaging",
        icon: "architecture-service/AmazonSimpleQueueService.svg",
    },
    "aws:sns/topic:Topic": {
        service: "SNS topic",
        column: "messaging",
        icon: "architecture-service/AmazonSimpleNotificationService.svg",
    },
    "aws:cloudwatch/eventBus:EventBus": {
        service: "EventBridge event bus",
        column: "messaging",
        icon: "architecture-service/AmazonEventBridge.svg",
    },
    "aws:dynamodb/table:Table": {
        service: "DynamoDB table",
        column: "data",
        icon: "architecture-service/AmazonDynamoDB.svg",
    },
    "aws:rds/instance:Instance": { service: engine("RDS"), column: "data", icon: "architecture-service/AmazonRDS.svg" },
    "aws:rds/cluster:Cluster": { service: engine("RDS"), column: "data", icon: "architecture-service/AmazonRDS.svg" },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        service: engine("ElastiCache"),
        column: "data",
        icon: "architecture-service/AmazonElastiCache.svg",
    },
    "aws:s3/bucket:Bucket": BUCKET,
    "aws:s3/bucketV2:BucketV2": BUCKET,
};

/**
 * Cross-cutting types, counted in the legend instead of drawn: label per type (plural noun). Everything
 * else that is neither a node nor listed here is glue (rules, attachments, policies) that the edges read.
 */
export const LEGEND_KINDS: Readonly<Record<string, string>> = {
    "aws:kms/key:Key": "KMS keys",
    "aws:cloudwatch/logGroup:LogGroup": "log groups",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "CloudWatch alarms",
    "aws:cloudwatch/dashboard:Dashboard": "dashboards",
    "aws:iam/role:Role": "IAM roles",
    "aws:secretsmanager/secret:Secret": "Secrets Manager secrets",
    "aws:ssm/parameter:Parameter": "SSM parameters",
    "aws:acm/certificate:Certificate": "ACM certificates",
    "aws:ecr/repository:Repository": "ECR repositories",
    "aws:ec2/securityGroup:SecurityGroup": "security groups",
    "kubernetes:helm.sh/v3:Release": "Helm releases",
    "aws:ec2/flowLog:FlowLog": "VPC flow logs",
};

/** The Internet/users node every diagram starts from. */
export const INTERNET_ICON: IconPath = "resource/Users.svg";

/** Service text of a node's resource. */
export function flowService(r: ExportedResource): string {
    const kind = FLOW_KINDS[r.type];
    return typeof kind.service === "function" ? kind.service(r) : kind.service;
}

/** Icon of a node's resource. */
export function flowIcon(r: ExportedResource): IconPath {
    const kind = FLOW_KINDS[r.type];
    return typeof kind.icon === "function" ? kind.icon(r) : kind.icon;
}
