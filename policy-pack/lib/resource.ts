/**
 * Shared helpers for the platform policy pack: resource type tokens, policy constructors and
 * property readers.
 *
 * Type tokens: every entry lists the token `@pulumi/aws` v7 registers (its `__pulumiType`)
 * first, then the aliases its SDK declares and the tokens older provider generations wrote to
 * state (`aws:s3/bucketV2:BucketV2`, `aws:alb/*`, `aws:elasticloadbalancingv2/*`,
 * `aws:applicationloadbalancing/*`). A policy that matched only the v7 token would miss
 * resources imported from, or still carried in, older state.
 *
 * Unknown values: the analyzer wraps `props` in `@pulumi/policy`'s unknown-checking proxy, which
 * throws when a policy reads a value that is unknown during preview; the analyzer then reports
 * "can't run policy ... during preview" as advisory. The readers below therefore read properties
 * plainly and never catch: an unknown value is neither compliant nor a violation here.
 * See https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/ (policy packs,
 * enforcement levels) and https://github.com/pulumi/pulumi-policy (the analyzer).
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** One policy of the pack, resource-level or stack-level. */
export type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** Resource type tokens grouped by what they are; v7 token first, then aliases and legacy tokens. */
export const T = {
    // S3 ------------------------------------------------------------------------------------
    s3Bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    s3BucketSse: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    s3BucketVersioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    s3BucketLogging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    s3BucketAcl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    s3BucketPolicy: ["aws:s3/bucketPolicy:BucketPolicy"],
    s3PublicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    s3AccountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
    s3BucketOwnershipControls: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    s3BucketWebsite: [
        "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
        "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
    ],
    // Databases and caches ------------------------------------------------------------------
    rdsInstance: ["aws:rds/instance:Instance"],
    rdsCluster: ["aws:rds/cluster:Cluster"],
    rdsClusterInstance: ["aws:rds/clusterInstance:ClusterInstance"],
    rdsParameterGroup: ["aws:rds/parameterGroup:ParameterGroup"],
    rdsClusterParameterGroup: ["aws:rds/clusterParameterGroup:ClusterParameterGroup"],
    rdsSubnetGroup: ["aws:rds/subnetGroup:SubnetGroup"],
    rdsProxy: ["aws:rds/proxy:Proxy"],
    dynamodbTable: ["aws:dynamodb/table:Table"],
    elasticacheReplicationGroup: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    elasticacheCluster: ["aws:elasticache/cluster:Cluster"],
    elasticacheServerlessCache: ["aws:elasticache/serverlessCache:ServerlessCache"],
    elasticacheSubnetGroup: ["aws:elasticache/subnetGroup:SubnetGroup"],
    efsFileSystem: ["aws:efs/fileSystem:FileSystem"],
    efsMountTarget: ["aws:efs/mountTarget:MountTarget"],
    efsAccessPoint: ["aws:efs/accessPoint:AccessPoint"],
    // Messaging -----------------------------------------------------------------------------
    sqsQueue: ["aws:sqs/queue:Queue"],
    sqsQueuePolicy: ["aws:sqs/queuePolicy:QueuePolicy"],
    snsTopic: ["aws:sns/topic:Topic"],
    snsTopicPolicy: ["aws:sns/topicPolicy:TopicPolicy"],
    eventBus: ["aws:cloudwatch/eventBus:EventBus"],
    eventBusPolicy: ["aws:cloudwatch/eventBusPolicy:EventBusPolicy"],
    // Compute -------------------------------------------------------------------------------
    ec2Instance: ["aws:ec2/instance:Instance"],
    ec2LaunchTemplate: ["aws:ec2/launchTemplate:LaunchTemplate"],
    ebsVolume: ["aws:ebs/volume:Volume"],
    ecsService: ["aws:ecs/service:Service"],
    ecsTaskDefinition: ["aws:ecs/taskDefinition:TaskDefinition"],
    lambdaFunction: ["aws:lambda/function:Function"],
    lambdaPermission: ["aws:lambda/permission:Permission"],
    lambdaFunctionUrl: ["aws:lambda/functionUrl:FunctionUrl"],
    eksCluster: ["aws:eks/cluster:Cluster"],
    eksNodeGroup: ["aws:eks/nodeGroup:NodeGroup"],
    ecrRepository: ["aws:ecr/repository:Repository"],
    ecrRepositoryPolicy: ["aws:ecr/repositoryPolicy:RepositoryPolicy"],
    // Network -------------------------------------------------------------------------------
    vpc: ["aws:ec2/vpc:Vpc"],
    subnet: ["aws:ec2/subnet:Subnet"],
    routeTable: ["aws:ec2/routeTable:RouteTable"],
    route: ["aws:ec2/route:Route"],
    routeTableAssociation: ["aws:ec2/routeTableAssociation:RouteTableAssociation"],
    mainRouteTableAssociation: ["aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"],
    internetGateway: ["aws:ec2/internetGateway:InternetGateway"],
    egressOnlyInternetGateway: ["aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"],
    flowLog: ["aws:ec2/flowLog:FlowLog"],
    securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
    securityGroupRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
    securityGroupIngressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    defaultSecurityGroup: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
    loadBalancer: [
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:alb/loadBalancer:LoadBalancer",
        "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
        "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
    ],
    listener: [
        "aws:lb/listener:Listener",
        "aws:alb/listener:Listener",
        "aws:elasticloadbalancingv2/listener:Listener",
        "aws:applicationloadbalancing/listener:Listener",
    ],
    // Edge and APIs -------------------------------------------------------------------------
    cloudfrontDistribution: ["aws:cloudfront/distribution:Distribution"],
    apigatewayRestApi: ["aws:apigateway/restApi:RestApi"],
    apigatewayRestApiPolicy: ["aws:apigateway/restApiPolicy:RestApiPolicy"],
    apigatewayMethod: ["aws:apigateway/method:Method"],
    apigatewayStage: ["aws:apigateway/stage:Stage"],
    apigatewayDomainName: ["aws:apigateway/domainName:DomainName"],
    apigatewayv2Route: ["aws:apigatewayv2/route:Route"],
    apigatewayv2Stage: ["aws:apigatewayv2/stage:Stage"],
    apigatewayv2DomainName: ["aws:apigatewayv2/domainName:DomainName"],
    wafv2WebAcl: ["aws:wafv2/webAcl:WebAcl"],
    wafv2WebAclLogging: ["aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"],
    // Security, logging, identity -----------------------------------------------------------
    kmsKey: ["aws:kms/key:Key"],
    kmsKeyPolicy: ["aws:kms/keyPolicy:KeyPolicy"],
    secretsmanagerSecret: ["aws:secretsmanager/secret:Secret"],
    secretsmanagerSecretPolicy: ["aws:secretsmanager/secretPolicy:SecretPolicy"],
    secretsmanagerSecretRotation: ["aws:secretsmanager/secretRotation:SecretRotation"],
    ssmParameter: ["aws:ssm/parameter:Parameter"],
    logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
    logDeliverySource: ["aws:cloudwatch/logDeliverySource:LogDeliverySource"],
    cloudtrail: ["aws:cloudtrail/trail:Trail"],
    sfnStateMachine: ["aws:sfn/stateMachine:StateMachine"],
    iamRole: ["aws:iam/role:Role"],
    iamPolicy: ["aws:iam/policy:Policy"],
    iamRolePolicy: ["aws:iam/rolePolicy:RolePolicy"],
    iamUserPolicy: ["aws:iam/userPolicy:UserPolicy"],
    iamGroupPolicy: ["aws:iam/groupPolicy:GroupPolicy"],
    iamRolePolicyAttachment: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    iamUserPolicyAttachment: ["aws:iam/userPolicyAttachment:UserPolicyAttachment"],
    iamGroupPolicyAttachment: ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment"],
    iamPolicyAttachment: ["aws:iam/policyAttachment:PolicyAttachment"],
    cognitoIdentityPool: ["aws:cognito/identityPool:IdentityPool"],
    // Remote / multi-language components (their inputs are what the engine shows) -----------
    eksComponentCluster: ["eks:index:Cluster"],
    awsxEcrRepository: ["awsx:ecr:Repository"],
    awsxEcrImage: ["awsx:ecr:Image"],
    awsxApplicationLoadBalancer: ["awsx:lb:ApplicationLoadBalancer"],
    awsxNetworkLoadBalancer: ["awsx:lb:NetworkLoadBalancer"],
    awsxFargateService: ["awsx:ecs:FargateService"],
    awsxEc2Service: ["awsx:ecs:EC2Service"],
    awsxVpc: ["awsx:ec2:Vpc"],
} as const satisfies Record<string, readonly string[]>;

/** Name of a token group in {@link T}. */
export type TypeGroup = keyof typeof T;

/** True when `type` is one of the tokens in `tokens`. */
export function isOneOf(type: string, tokens: readonly string[]): boolean {
    return tokens.includes(type);
}

/** The tokens of several groups, concatenated (for policies that cover more than one group). */
export function tokensOf(...groups: TypeGroup[]): readonly string[] {
    return groups.flatMap((g) => T[g]);
}

/**
 * A resource's properties, or one nested block of them, as the engine sends them: JSON values whose
 * shape nothing has checked (the engine checks inputs against the provider schema, the policies do
 * not rely on it). Read nested blocks with {@link block}, lists with {@link list}.
 */
export type Props = Readonly<Record<string, unknown>>;

/**
 * `value` as a nested block to read properties from, or `undefined` when it is not an object
 * (absent, `null`, a string, a number). `block(v)?.x` reads what `v?.x` reads for objects and arrays.
 * Only `typeof` is applied to `value` itself, which the unknown-checking proxy does not intercept:
 * reading a property of the result throws for an unknown value exactly as reading it directly does.
 */
export function block(value: unknown): Props | undefined {
    return typeof value === "object" && value !== null ? (value as Props) : undefined;
}

/** True when `value` is a string in `allowed` (a non-string is never allowed). */
export function isAmong(value: unknown, allowed: readonly string[]): value is string {
    return typeof value === "string" && allowed.includes(value);
}

/** What a resource-level check receives: the resource's properties (proxied) and the analyzer args. */
export type ResourceCheck = (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;

/** Specification of a resource-level policy built by {@link resourcePolicy}. */
export interface ResourcePolicySpec {
    /** Stable `<service>-<check>` name, kebab-case. */
    name: string;
    /** One line: what the policy requires. */
    description: string;
    /** Default level; the per-environment config files may lower it. Default `"mandatory"`. */
    enforcementLevel?: EnforcementLevel;
    /** Type tokens the check applies to; every other resource is skipped without reading a property. */
    types: readonly string[];
    /** Optional config schema (the engine validates `--policy-pack-config` against it). */
    configSchema?: PolicyConfigSchema;
    /** The check itself. Report with a message that names the property and the allowed value. */
    check: ResourceCheck;
}

/**
 * Builds a resource-level policy that only runs `check` for the listed type tokens.
 * The policy sees the resource's *inputs* as the engine sends them to `Analyze`.
 */
export function resourcePolicy(spec: ResourcePolicySpec): ResourceValidationPolicy {
    const types = [...spec.types];
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel ?? "mandatory",
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
        validateResource: (args, report) => {
            if (!types.includes(args.type)) {
                return;
            }
            spec.check(args.props, args, report);
        },
    };
}

/** What a stack-level check receives: a graph over every resource's *outputs*. */
export type StackCheck = (graph: StackGraph, args: StackValidationArgs, report: ReportViolation) => void;

/** Specification of a stack-level policy built by {@link stackPolicy}. */
export interface StackPolicySpec {
    name: string;
    description: string;
    enforcementLevel?: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
    check: StackCheck;
}

/**
 * Builds a stack-level policy. The engine calls `AnalyzeStack` after the resources are
 * registered, with their *outputs*, parents, dependencies and property dependencies.
 */
export function stackPolicy(spec: StackPolicySpec): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel ?? "mandatory",
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
        validateStack: (args, report) => spec.check(new StackGraph(args.resources), args, report),
    };
}

// ------------------------------------------------------------------------------------------------
// Property readers. None of them catch: reading an unknown value throws the analyzer's
// UnknownValueError on purpose (see the module comment).
// ------------------------------------------------------------------------------------------------

/** `undefined`/`null` -> `[]`; an array -> itself; a single value -> `[value]` (v7 turned some lists into objects). */
export function list<V = unknown>(value: unknown): V[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? (value as V[]) : [value as V];
}

/** True for `true` and for the string `"true"` (launch templates carry booleans as strings). */
export function isTrue(value: unknown): boolean {
    return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/** True for `false` and for the string `"false"`. */
export function isFalse(value: unknown): boolean {
    return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

/** True when `value` is a non-empty string. */
export function isSet(value: unknown): value is string {
    return typeof value === "string" && value.length > 0;
}

/** A number from a number or a numeric string; `undefined` otherwise. */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
        return Number(value);
    }
    return undefined;
}

/**
 * `String(value)`, with `absent` (default `""`) for `undefined` and `null` (for messages and
 * case-insensitive comparisons). A property value of the wrong shape (an object, a list)
 * stringifies as `String` does, so a check compares it against allowed scalars and finds no match.
 */
export function text(value: unknown, absent = ""): string {
    if (value === undefined || value === null) return absent;
    // An unchecked property value; objects read "[object Object]" on purpose (never equal to an allowed value).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return String(value);
}

/** The CIDRs that mean "anywhere". */
export const ANYWHERE_V4 = "0.0.0.0/0";
export const ANYWHERE_V6 = "::/0";

/** True when a CIDR is 0.0.0.0/0 or ::/0. */
export function isAnywhere(cidr: unknown): boolean {
    return cidr === ANYWHERE_V4 || cidr === ANYWHERE_V6;
}

/**
 * Parses a JSON document given as a string (as most AWS policy and definition inputs are), or
 * returns an object as is. Returns `undefined` for text that is not JSON.
 */
export function parseJson(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

// ------------------------------------------------------------------------------------------------
// Stack graph: the links between resources that stack policies follow.
// ------------------------------------------------------------------------------------------------

/**
 * Index over the resources `AnalyzeStack` received. Links are followed first through
 * `propertyDependencies` (the engine's record of which resource fed which input: it works
 * during preview, when ids are unknown), then by comparing the property value with the target's
 * `id`, `arn` or name outputs (state exported from older tools may lack property dependencies).
 */
export class StackGraph {
    readonly resources: PolicyResource[];
    private readonly byUrn = new Map<string, PolicyResource>();

    constructor(resources: PolicyResource[]) {
        this.resources = resources;
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
        }
    }

    /** The resources whose type is one of `tokens`. */
    ofType(tokens: readonly string[]): PolicyResource[] {
        return this.resources.filter((r) => tokens.includes(r.type));
    }

    /** The resource with this URN, if it is in the stack. */
    get(urn: string): PolicyResource | undefined {
        return this.byUrn.get(urn);
    }

    /**
     * The resources of `tokens` that `from.props[property]` points to: through the property's
     * dependencies, or (when it has none) by value against the candidates' identifiers.
     */
    targets(from: PolicyResource, property: string, tokens: readonly string[]): PolicyResource[] {
        const deps = (from.propertyDependencies[property] ?? []).filter((d) => tokens.includes(d.type));
        if (deps.length > 0) {
            return deps;
        }
        const values = list<unknown>(from.props[property]).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
        const wanted = new Set(values.filter((v): v is string => typeof v === "string" && v !== ""));
        if (wanted.size === 0) {
            return [];
        }
        return this.ofType(tokens).filter((c) => identifiers(c).some((id) => wanted.has(id)));
    }

    /** True when `from.props[property]` points to `target` (see {@link targets}). */
    pointsTo(from: PolicyResource, property: string, target: PolicyResource): boolean {
        const deps = from.propertyDependencies[property] ?? [];
        if (deps.some((d) => d.urn === target.urn)) {
            return true;
        }
        if (deps.length > 0) {
            return false;
        }
        const ids = new Set(identifiers(target));
        return list<unknown>(from.props[property]).some((v) => typeof v === "string" && ids.has(v));
    }

    /** The resources of `tokens` whose `property` points to `target`. */
    referrers(target: PolicyResource, property: string, tokens: readonly string[]): PolicyResource[] {
        return this.ofType(tokens).filter((r) => this.pointsTo(r, property, target));
    }
}

/** The strings other resources may use to name `r`: its id, ARN, name and bucket outputs. */
export function identifiers(r: PolicyResource): string[] {
    const out: string[] = [];
    for (const key of ["id", "arn", "name", "bucket"]) {
        const v: unknown = r.props[key];
        if (typeof v === "string" && v !== "") {
            out.push(v);
        }
    }
    return out;
}

/**
 * The first element of an inline block that state written by older providers keeps on the
 * resource: `singular` as an object (providers up to v6 `aws.s3.Bucket`) or as a one-element list
 * (older state), or `plural` as a list (v6 `aws.s3.BucketV2`, kept in v7 as a compatibility token:
 * `versionings`, `loggings`, `serverSideEncryptionConfigurations`, `rules`,
 * `applyServerSideEncryptionByDefaults`; pulumi/pulumi-aws `applyCompatibilityOverrides`).
 * `undefined` when neither is set.
 */
export function inlineBlock(props: Props | undefined, singular: string, plural: string): Props | undefined {
    if (props === undefined) return undefined;
    const v: unknown = props[singular] ?? props[plural];
    return block(list(v)[0]);
}
