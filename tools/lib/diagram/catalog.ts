/**
 * What a resource type is on a diagram: its AWS service name, its tier, and whether it is glue that
 * folds into the resource it configures. Type tables, not resource names, so architectures added later
 * are drawn without changes here; a type missing from the tables still gets a tier from its provider
 * module and a label from its type token.
 *
 * Service names follow the AWS documentation's wording (https://docs.aws.amazon.com/); type tokens are
 * those of @pulumi/aws 7 (https://www.pulumi.com/registry/packages/aws/api-docs/).
 */
import type { ExportedResource } from "../plan-runner";

/** Tiers, in the order diagrams and legends list them. `network` holds VPC plumbing, which is none of the others. */
export const TIERS = ["edge", "network", "compute", "data", "messaging", "security", "observability", "other"] as const;
export type Tier = (typeof TIERS)[number];

/** Fill colour per tier (light, printable). */
export const TIER_COLORS: Readonly<Record<Tier, string>> = {
    edge: "#fde2e4",
    network: "#e2ecf9",
    compute: "#fff1d6",
    data: "#dff3e4",
    messaging: "#efe3f8",
    security: "#fbe9d0",
    observability: "#e6f4f6",
    other: "#eeeeee",
};

type Label = string | ((r: ExportedResource) => string);

interface ServiceEntry {
    label: Label;
    tier: Tier;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

const ENGINE_NAMES: Record<string, string> = {
    postgres: "PostgreSQL",
    mysql: "MySQL",
    mariadb: "MariaDB",
    "aurora-postgresql": "Aurora PostgreSQL",
    "aurora-mysql": "Aurora MySQL",
    redis: "Redis OSS",
    valkey: "Valkey",
    memcached: "Memcached",
};

const loadBalancerLabel = (r: ExportedResource) => {
    const type = str(r.inputs?.loadBalancerType) ?? "application";
    const name =
        type === "network"
            ? "Network Load Balancer"
            : type === "gateway"
              ? "Gateway Load Balancer"
              : "Application Load Balancer";
    return r.inputs?.internal === true ? `${name} (internal)` : name;
};

const endpointLabel = (r: ExportedResource) => {
    const service = (str(r.inputs?.serviceName) ?? "").split(".").slice(3).join(".") || "service";
    const kind = str(r.inputs?.vpcEndpointType) ?? "Gateway";
    return `${kind} VPC endpoint (${service})`;
};

const engineLabel = (prefix: string) => (r: ExportedResource) => {
    const engine = str(r.inputs?.engine);
    return engine ? `${prefix} ${ENGINE_NAMES[engine] ?? engine}` : prefix;
};

/** Resource type -> service name and tier. */
export const SERVICES: Readonly<Record<string, ServiceEntry>> = {
    // network
    "aws:ec2/vpc:Vpc": { label: "VPC", tier: "network" },
    "aws:ec2/subnet:Subnet": {
        label: (r) => `Subnet (${str(r.inputs?.tags && (r.inputs.tags as Record<string, unknown>).Tier) ?? "VPC"})`,
        tier: "network",
    },
    "aws:ec2/routeTable:RouteTable": { label: "Route table", tier: "network" },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { label: endpointLabel, tier: "network" },
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": { label: "Cloud Map namespace", tier: "network" },
    "aws:servicediscovery/service:Service": { label: "Cloud Map service", tier: "network" },
    "aws:route53/zone:Zone": { label: "Route 53 hosted zone", tier: "network" },
    "aws:route53/record:Record": { label: "Route 53 record", tier: "network" },
    // edge
    "aws:ec2/internetGateway:InternetGateway": { label: "Internet gateway", tier: "edge" },
    "aws:ec2/natGateway:NatGateway": { label: "NAT gateway", tier: "edge" },
    "aws:ec2/eip:Eip": { label: "Elastic IP (public IPv4)", tier: "edge" },
    "aws:lb/loadBalancer:LoadBalancer": { label: loadBalancerLabel, tier: "edge" },
    "aws:alb/loadBalancer:LoadBalancer": { label: loadBalancerLabel, tier: "edge" },
    "aws:lb/targetGroup:TargetGroup": { label: "Target group", tier: "edge" },
    "aws:alb/targetGroup:TargetGroup": { label: "Target group", tier: "edge" },
    "aws:cloudfront/distribution:Distribution": { label: "CloudFront distribution", tier: "edge" },
    "aws:cloudfront/function:Function": { label: "CloudFront function", tier: "edge" },
    "aws:cloudfront/cachePolicy:CachePolicy": { label: "CloudFront cache policy", tier: "edge" },
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": {
        label: "CloudFront origin request policy",
        tier: "edge",
    },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        label: "CloudFront response headers policy",
        tier: "edge",
    },
    "aws:apigateway/restApi:RestApi": { label: "API Gateway REST API", tier: "edge" },
    "aws:apigateway/vpcLink:VpcLink": { label: "API Gateway VPC link", tier: "edge" },
    "aws:apigateway/usagePlan:UsagePlan": { label: "API Gateway usage plan", tier: "edge" },
    "aws:apigatewayv2/api:Api": { label: "API Gateway HTTP API", tier: "edge" },
    "aws:apigatewayv2/vpcLink:VpcLink": { label: "API Gateway VPC link", tier: "edge" },
    // compute
    "aws:ecs/cluster:Cluster": { label: "ECS cluster", tier: "compute" },
    "aws:ecs/service:Service": { label: "ECS service (Fargate)", tier: "compute" },
    "aws:ecs/taskDefinition:TaskDefinition": { label: "ECS task definition", tier: "compute" },
    "aws:lambda/function:Function": { label: "Lambda function", tier: "compute" },
    "aws:lambda/layerVersion:LayerVersion": { label: "Lambda layer", tier: "compute" },
    "aws:lambda/alias:Alias": { label: "Lambda alias", tier: "compute" },
    "aws:eks/cluster:Cluster": { label: "EKS cluster", tier: "compute" },
    "aws:eks/nodeGroup:NodeGroup": { label: "EKS managed node group", tier: "compute" },
    "eks:index:Cluster": { label: "EKS cluster", tier: "compute" },
    "eks:index:ManagedNodeGroup": { label: "EKS managed node group", tier: "compute" },
    "eks:index:NodeGroupV2": { label: "EKS node group", tier: "compute" },
    "aws:ecr/repository:Repository": { label: "ECR repository", tier: "compute" },
    "awsx:ecr:Image": { label: "Container image (built and pushed)", tier: "compute" },
    "awsx:ecr:Repository": { label: "ECR repository", tier: "compute" },
    "aws:sfn/stateMachine:StateMachine": { label: "Step Functions state machine", tier: "compute" },
    "aws:appautoscaling/target:Target": { label: "Application Auto Scaling target", tier: "compute" },
    "aws:appautoscaling/policy:Policy": { label: "Application Auto Scaling policy", tier: "compute" },
    "kubernetes:helm.sh/v3:Release": {
        label: (r) => `Helm release (${str(r.inputs?.chart) ?? "chart"})`,
        tier: "compute",
    },
    // data
    "aws:rds/instance:Instance": { label: engineLabel("RDS"), tier: "data" },
    "aws:rds/cluster:Cluster": { label: engineLabel("RDS cluster"), tier: "data" },
    "aws:rds/clusterInstance:ClusterInstance": { label: engineLabel("RDS cluster instance"), tier: "data" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { label: engineLabel("ElastiCache"), tier: "data" },
    "aws:elasticache/cluster:Cluster": { label: engineLabel("ElastiCache"), tier: "data" },
    "aws:elasticache/serverlessCache:ServerlessCache": { label: engineLabel("ElastiCache Serverless"), tier: "data" },
    "aws:dynamodb/table:Table": { label: "DynamoDB table", tier: "data" },
    "aws:s3/bucket:Bucket": { label: "S3 bucket", tier: "data" },
    "aws:s3/bucketV2:BucketV2": { label: "S3 bucket", tier: "data" },
    // messaging
    "aws:sqs/queue:Queue": {
        label: (r) => (r.inputs?.fifoQueue === true ? "SQS FIFO queue" : "SQS queue"),
        tier: "messaging",
    },
    "aws:sns/topic:Topic": { label: "SNS topic", tier: "messaging" },
    "aws:cloudwatch/eventBus:EventBus": { label: "EventBridge event bus", tier: "messaging" },
    "aws:cloudwatch/eventRule:EventRule": { label: "EventBridge rule", tier: "messaging" },
    "aws:scheduler/schedule:Schedule": { label: "EventBridge Scheduler schedule", tier: "messaging" },
    "aws:scheduler/scheduleGroup:ScheduleGroup": { label: "EventBridge Scheduler group", tier: "messaging" },
    // security
    "aws:kms/key:Key": { label: "KMS key", tier: "security" },
    "aws:iam/role:Role": { label: "IAM role", tier: "security" },
    "aws:iam/policy:Policy": { label: "IAM managed policy", tier: "security" },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { label: "IAM OIDC provider", tier: "security" },
    "aws:ec2/securityGroup:SecurityGroup": { label: "Security group", tier: "security" },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { label: "Default security group (closed)", tier: "security" },
    "aws:secretsmanager/secret:Secret": { label: "Secrets Manager secret", tier: "security" },
    "aws:ssm/parameter:Parameter": { label: "SSM parameter", tier: "security" },
    "aws:acm/certificate:Certificate": { label: "ACM certificate", tier: "security" },
    "aws:wafv2/webAcl:WebAcl": { label: "AWS WAF web ACL", tier: "security" },
    "aws:wafv2/ipSet:IpSet": { label: "AWS WAF IP set", tier: "security" },
    "aws:wafv2/ruleGroup:RuleGroup": { label: "AWS WAF rule group", tier: "security" },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        label: "CloudFront origin access control",
        tier: "security",
    },
    "aws:lb/trustStore:TrustStore": { label: "ELB trust store (mutual TLS)", tier: "security" },
    "aws:cognito/userPool:UserPool": { label: "Cognito user pool", tier: "security" },
    "aws:cognito/userPoolClient:UserPoolClient": { label: "Cognito app client", tier: "security" },
    "tls:index/privateKey:PrivateKey": { label: "TLS private key", tier: "security" },
    "tls:index/selfSignedCert:SelfSignedCert": { label: "TLS CA certificate", tier: "security" },
    "tls:index/locallySignedCert:LocallySignedCert": { label: "TLS certificate", tier: "security" },
    "tls:index/certRequest:CertRequest": { label: "TLS certificate request", tier: "security" },
    "random:index/randomPassword:RandomPassword": { label: "Random password", tier: "security" },
    // observability
    "aws:cloudwatch/logGroup:LogGroup": { label: "CloudWatch log group", tier: "observability" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { label: "CloudWatch alarm", tier: "observability" },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": { label: "CloudWatch composite alarm", tier: "observability" },
    "aws:cloudwatch/dashboard:Dashboard": { label: "CloudWatch dashboard", tier: "observability" },
    "aws:ec2/flowLog:FlowLog": { label: "VPC flow log", tier: "observability" },
    "aws:xray/samplingRule:SamplingRule": { label: "X-Ray sampling rule", tier: "observability" },
    "aws:xray/group:Group": { label: "X-Ray group", tier: "observability" },
};

/** Tier of a type missing from SERVICES, by provider module (`aws:<module>/...`) or package. */
export const MODULE_TIERS: Readonly<Record<string, Tier>> = {
    "aws:ec2": "network",
    "aws:vpc": "security",
    "aws:route53": "network",
    "aws:servicediscovery": "network",
    "aws:lb": "edge",
    "aws:alb": "edge",
    "aws:cloudfront": "edge",
    "aws:apigateway": "edge",
    "aws:apigatewayv2": "edge",
    "aws:ecs": "compute",
    "aws:lambda": "compute",
    "aws:eks": "compute",
    "aws:ecr": "compute",
    "aws:sfn": "compute",
    "aws:appautoscaling": "compute",
    "aws:rds": "data",
    "aws:elasticache": "data",
    "aws:dynamodb": "data",
    "aws:s3": "data",
    "aws:sqs": "messaging",
    "aws:sns": "messaging",
    "aws:scheduler": "messaging",
    "aws:iam": "security",
    "aws:kms": "security",
    "aws:secretsmanager": "security",
    "aws:ssm": "security",
    "aws:acm": "security",
    "aws:wafv2": "security",
    "aws:cognito": "security",
    "aws:cloudwatch": "observability",
    "aws:xray": "observability",
    kubernetes: "compute",
    eks: "compute",
    awsx: "compute",
    tls: "security",
    random: "security",
};

/**
 * Glue: resources that only configure another one. Each folds into the resource named by the first of
 * its listed input properties that depends on a resource of the plan (following glue transitively:
 * listener rule -> listener -> load balancer). `referrer` glue (subnet and parameter groups) folds into
 * the first resource that depends on it instead.
 */
export const GLUE: Readonly<Record<string, { owner: readonly string[] } | { referrer: true }>> = {
    "aws:ec2/route:Route": { owner: ["routeTableId"] },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { owner: ["routeTableId", "subnetId"] },
    "aws:ec2/securityGroupRule:SecurityGroupRule": { owner: ["securityGroupId"] },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { owner: ["securityGroupId"] },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { owner: ["securityGroupId"] },
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": { owner: ["vpcEndpointId"] },
    "aws:iam/rolePolicy:RolePolicy": { owner: ["role"] },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { owner: ["role"] },
    "aws:iam/instanceProfile:InstanceProfile": { owner: ["role"] },
    "aws:kms/alias:Alias": { owner: ["targetKeyId"] },
    "aws:s3/bucketPolicy:BucketPolicy": { owner: ["bucket"] },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { owner: ["bucket"] },
    "aws:s3/bucketVersioning:BucketVersioning": { owner: ["bucket"] },
    "aws:s3/bucketVersioningV2:BucketVersioningV2": { owner: ["bucket"] },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { owner: ["bucket"] },
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": { owner: ["bucket"] },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { owner: ["bucket"] },
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": { owner: ["bucket"] },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { owner: ["bucket"] },
    "aws:s3/bucketLogging:BucketLogging": { owner: ["bucket"] },
    "aws:s3/bucketLoggingV2:BucketLoggingV2": { owner: ["bucket"] },
    "aws:s3/bucketNotification:BucketNotification": { owner: ["bucket"] },
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": { owner: ["bucket"] },
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2": { owner: ["bucket"] },
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": { owner: ["bucket"] },
    "aws:s3/bucketObject:BucketObject": { owner: ["bucket"] },
    "aws:s3/bucketObjectv2:BucketObjectv2": { owner: ["bucket"] },
    "aws:sns/topicPolicy:TopicPolicy": { owner: ["arn"] },
    "aws:sns/topicSubscription:TopicSubscription": { owner: ["topic"] },
    "aws:sqs/queuePolicy:QueuePolicy": { owner: ["queueUrl"] },
    "aws:sqs/redrivePolicy:RedrivePolicy": { owner: ["queueUrl"] },
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": { owner: ["queueUrl"] },
    "aws:lb/listener:Listener": { owner: ["loadBalancerArn"] },
    "aws:alb/listener:Listener": { owner: ["loadBalancerArn"] },
    "aws:lb/listenerRule:ListenerRule": { owner: ["listenerArn"] },
    "aws:alb/listenerRule:ListenerRule": { owner: ["listenerArn"] },
    "aws:lb/listenerCertificate:ListenerCertificate": { owner: ["listenerArn"] },
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": { owner: ["targetGroupArn"] },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { owner: ["clusterName"] },
    "aws:appautoscaling/policy:Policy": { owner: ["resourceId"] },
    "aws:lambda/permission:Permission": { owner: ["function"] },
    "aws:lambda/eventSourceMapping:EventSourceMapping": { owner: ["functionName"] },
    "aws:lambda/functionUrl:FunctionUrl": { owner: ["functionName"] },
    "aws:wafv2/webAclAssociation:WebAclAssociation": { owner: ["webAclArn"] },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": { owner: ["resourceArn"] },
    "aws:acm/certificateValidation:CertificateValidation": { owner: ["certificateArn"] },
    "aws:secretsmanager/secretVersion:SecretVersion": { owner: ["secretId"] },
    "aws:secretsmanager/secretPolicy:SecretPolicy": { owner: ["secretArn"] },
    "aws:secretsmanager/secretRotation:SecretRotation": { owner: ["secretId"] },
    "aws:cloudwatch/eventTarget:EventTarget": { owner: ["rule"] },
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": { owner: ["eventBusName"] },
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": { owner: ["logGroup"] },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": { owner: ["logGroupName"] },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": { referrer: true },
    "aws:apigateway/resource:Resource": { owner: ["restApi"] },
    "aws:apigateway/method:Method": { owner: ["restApi"] },
    "aws:apigateway/integration:Integration": { owner: ["restApi"] },
    "aws:apigateway/methodResponse:MethodResponse": { owner: ["restApi"] },
    "aws:apigateway/integrationResponse:IntegrationResponse": { owner: ["restApi"] },
    "aws:apigateway/deployment:Deployment": { owner: ["restApi"] },
    "aws:apigateway/stage:Stage": { owner: ["restApi"] },
    "aws:apigateway/methodSettings:MethodSettings": { owner: ["restApi"] },
    "aws:apigateway/authorizer:Authorizer": { owner: ["restApi"] },
    "aws:apigateway/requestValidator:RequestValidator": { owner: ["restApi"] },
    "aws:apigateway/gatewayResponse:GatewayResponse": { owner: ["restApiId"] },
    "aws:apigateway/restApiPolicy:RestApiPolicy": { owner: ["restApiId"] },
    "aws:apigateway/model:Model": { owner: ["restApi"] },
    "aws:apigateway/usagePlanKey:UsagePlanKey": { owner: ["usagePlanId"] },
    "aws:apigateway/account:Account": { referrer: true },
    "aws:apigatewayv2/route:Route": { owner: ["apiId"] },
    "aws:apigatewayv2/integration:Integration": { owner: ["apiId"] },
    "aws:apigatewayv2/stage:Stage": { owner: ["apiId"] },
    "aws:apigatewayv2/authorizer:Authorizer": { owner: ["apiId"] },
    "aws:apigatewayv2/deployment:Deployment": { owner: ["apiId"] },
    "aws:cognito/userPoolDomain:UserPoolDomain": { owner: ["userPoolId"] },
    "aws:cognito/userGroup:UserGroup": { owner: ["userPoolId"] },
    "aws:eks/addon:Addon": { owner: ["clusterName"] },
    "aws:eks/accessEntry:AccessEntry": { owner: ["clusterName"] },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": { owner: ["clusterName"] },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": { owner: ["clusterName"] },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { owner: ["repository"] },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": { owner: ["repository"] },
    "aws:rds/subnetGroup:SubnetGroup": { referrer: true },
    "aws:rds/parameterGroup:ParameterGroup": { referrer: true },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": { referrer: true },
    "aws:rds/optionGroup:OptionGroup": { referrer: true },
    "aws:elasticache/subnetGroup:SubnetGroup": { referrer: true },
    "aws:elasticache/parameterGroup:ParameterGroup": { referrer: true },
    "aws:elasticache/user:User": { referrer: true },
    "aws:elasticache/userGroup:UserGroup": { referrer: true },
    "aws:scheduler/scheduleGroup:ScheduleGroup": { referrer: true },
};

/** Splits a type token's last segment into words: `aws:ec2/vpcPeering:VpcPeering` -> `Vpc peering`. */
function labelFromType(type: string): string {
    const name = type.split(":").pop() ?? type;
    const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(" ");
    return [words[0], ...words.slice(1).map((w) => w.toLowerCase())].join(" ");
}

/** Tier of a resource type: SERVICES, else its module, else its package, else `other`. */
export function tierOf(type: string): Tier {
    const entry = SERVICES[type];
    if (entry) return entry.tier;
    const [pkg, rest = ""] = type.split(":");
    return MODULE_TIERS[`${pkg}:${rest.split("/")[0]}`] ?? MODULE_TIERS[pkg] ?? "other";
}

/** AWS service name of a resource (SERVICES, else from its type token). */
export function serviceLabel(r: ExportedResource): string {
    const entry = SERVICES[r.type];
    if (!entry) return labelFromType(r.type);
    return typeof entry.label === "string" ? entry.label : entry.label(r);
}
