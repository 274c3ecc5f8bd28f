/**
 * An ECS service on AWS Fargate (`platform:compute:FargateService`) with everything it owns, built
 * from plain `@pulumi/aws` resources so tests and policies see every rule and permission:
 *
 * - a task definition (awsvpc, Fargate, a validated CPU/memory pair, `runtimePlatform`), one
 *   application container plus an optional AWS X-Ray daemon sidecar; read-only root filesystem,
 *   all Linux capabilities dropped and a non-root user where the caller knows the image allows it;
 * - the service in the given (private) subnets without public IPs, at least 2 tasks spread across
 *   Availability Zones, deployment circuit breaker with rollback, 100 % minimum healthy / 200 %
 *   maximum during deployments;
 * - its own task role (only the statements the caller passes) and execution role (pull from its
 *   ECR repositories, write to its log group, read exactly its secrets, decrypt them through
 *   Secrets Manager only);
 * - a security group with no ingress until the caller allows a port from another security group
 *   (`ingress` or {@link FargateService.allowIngressFrom}), and explicit egress rules;
 * - a KMS-encrypted log group with retention;
 * - optional Cloud Map registration, load balancer target groups, target-tracking autoscaling
 *   (CPU, memory, or a custom metric such as SQS queue depth), ECS Exec (off by default).
 *
 * Follows https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import { destinationProblems, egressRule, EgressRule, isPort } from "../network/security-group-rules";
import { fargateSizeProblem } from "./fargate-sizes";

/** An IAM policy statement; values may be Outputs (ARNs of resources made in the same program). */
export interface IamStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<pulumi.Input<string>[]>;
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/**
 * A Secrets Manager value injected as an environment variable when the task starts: the whole secret,
 * or one key of a JSON secret, at the current version or pinned to one (`valueFrom` =
 * `<secret ARN>:<jsonKey>:<versionStage>:<versionId>`, empty fields omitted from the end).
 */
export interface SecretRef {
    /** Full ARN of the secret (with its 6-character suffix), as `aws.secretsmanager.Secret.arn` gives it. */
    secretArn: pulumi.Input<string>;
    /** Key of a JSON secret; absent for the whole secret string. */
    jsonKey?: string;
    /**
     * Pin a version. A new value then changes the task definition, so ECS rolls the tasks onto it;
     * unpinned, running tasks keep the value they started with until they are replaced.
     */
    versionId?: pulumi.Input<string>;
}

/** A container port. */
export interface ContainerPort {
    containerPort: number;
    /** Default `tcp`. */
    protocol?: "tcp" | "udp";
}

/** A container health check (ECS `healthCheck`); an unhealthy essential container replaces the task. */
export interface ContainerHealthCheck {
    /** `["CMD-SHELL", "..."]` or `["CMD", "exe", "arg"]`. */
    command: string[];
    /** Seconds between checks, 5-300. Default 30. */
    intervalSeconds?: number;
    /** Seconds before a check fails, 2-60. Default 5. */
    timeoutSeconds?: number;
    /** Consecutive failures before unhealthy, 1-10. Default 3. */
    retries?: number;
    /** Grace period after start in seconds, 0-300. Default 0. */
    startPeriodSeconds?: number;
}

/** The application container of the task. */
export interface ContainerArgs {
    /** Container name: letters, digits, `-` and `_`, up to 255. Also the log stream prefix. */
    name: string;
    /** Image URI (`<repository URL>:<tag>` or `@sha256:<digest>`). */
    image: pulumi.Input<string>;
    /** Ports the container listens on (awsvpc: the task's ENI ports). Default none. */
    portMappings?: ContainerPort[];
    /** Plain environment variables (never secrets). Default none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** Environment variables filled from Secrets Manager when the task starts. Default none. */
    secrets?: Record<string, SecretRef>;
    /** Overrides the image's CMD. */
    command?: string[];
    /** Overrides the image's ENTRYPOINT. */
    entryPoint?: string[];
    /** `uid[:gid]` to run as; default the image's USER. Set it when the image is known to run unprivileged. */
    user?: string;
    /**
     * Mount the root filesystem read-only. Default true. Writable scratch space comes from
     * `scratchPaths`; Fargate bind mounts are owned by root (mode 0755) unless the image declares
     * `VOLUME` at the same path with its own ownership, so a non-root image needs that `VOLUME`.
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
     */
    readonlyRootFilesystem?: boolean;
    /** Absolute paths that get a task-scoped ephemeral bind mount (writable). Default none. */
    scratchPaths?: string[];
    /** Drop every Linux capability (`linuxParameters.capabilities.drop: ["ALL"]`). Default true. */
    dropAllCapabilities?: boolean;
    /** Container health check; default none (the task is healthy while its process runs). */
    healthCheck?: ContainerHealthCheck;
    /** Seconds ECS waits after SIGTERM (or the image's STOPSIGNAL) before SIGKILL, 2-120. Default 30 (Fargate's). */
    stopTimeoutSeconds?: number;
}

/** Ingress to the service's security group from another security group. */
export interface SecurityGroupIngress {
    /** TCP port allowed. */
    port: number;
    sourceSecurityGroupId: pulumi.Input<string>;
    /** Shown in the console: who connects and why. */
    description: string;
}

/** Egress from the service's security group; exactly one destination. */
export type SecurityGroupEgress = EgressRule;

/** Target tracking on a custom CloudWatch metric, e.g. SQS `ApproximateNumberOfMessagesVisible` per task. */
export interface CustomMetricTarget {
    namespace: string;
    metricName: string;
    dimensions?: Record<string, pulumi.Input<string>>;
    /** Default `Average`. */
    statistic?: "Average" | "Minimum" | "Maximum" | "SampleCount" | "Sum";
    /** The value the service scales to hold. */
    targetValue: number;
    unit?: string;
}

/**
 * Application Auto Scaling of the service's desired count with target-tracking policies.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html
 */
export interface AutoscalingArgs {
    /** Most tasks, at least `minCapacity`, at most 5000 (ECS tasks per service). */
    maxCapacity: number;
    /** Fewest tasks, at least 2. Default the service's `desiredCount`. */
    minCapacity?: number;
    /** Average CPU utilisation to hold, 1-100 %. Default 60; `null` for no CPU policy. */
    cpuTargetPercent?: number | null;
    /** Average memory utilisation to hold, 1-100 %. Default none. */
    memoryTargetPercent?: number;
    /** An extra policy on a custom metric. Default none. */
    customMetric?: CustomMetricTarget;
    /**
     * An extra policy holding the SQS backlog per task: the queue's visible messages divided by the
     * service's running tasks (Container Insights `RunningTaskCount`, on in the foundation's cluster),
     * as AWS recommends for queue consumers; set the target to the messages one task clears in the
     * latency you accept. Default none.
     * https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-using-sqs-queue.html
     */
    queueBacklogPerTask?: { queueName: pulumi.Input<string>; targetMessagesPerTask: number };
    /** Seconds between scale-in activities. Default 300. */
    scaleInCooldownSeconds?: number;
    /** Seconds between scale-out activities. Default 60. */
    scaleOutCooldownSeconds?: number;
}

/** The AWS X-Ray daemon sidecar (UDP 2000 on the task's loopback; `AWS_XRAY_DAEMON_ADDRESS` is set). */
export interface XrayDaemonArgs {
    /**
     * Default `public.ecr.aws/xray/aws-xray-daemon:3.x`; pin a digest for production if you need
     * reproducible tasks.
     */
    image?: string;
    /** CPU units reserved for the daemon. Default 32. */
    cpu?: number;
    /** Soft memory limit in MiB. Default 256. */
    memoryReservation?: number;
}

export interface FargateServiceArgs {
    /** AWS region of the service (log driver, KMS `kms:ViaService`). */
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    /** Needed for the autoscaling resource id `service/<cluster>/<service>`. */
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ; at least 2 so tasks spread across Availability Zones. */
    subnetIds: pulumi.Input<string>[];
    /** Task definition family (physical name, 1-255 letters, digits, `-`, `_`). Default the component name. */
    family?: string;
    /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = 1 vCPU). */
    cpu: number;
    /** Task memory in MiB; must be a Fargate size for `cpu` (see fargate-sizes.ts). */
    memory: number;
    /** `X86_64` (default) or `ARM64` (Graviton; the image must be built for linux/arm64). */
    cpuArchitecture?: "X86_64" | "ARM64";
    container: ContainerArgs;
    /** Tasks to run, at least 2 (spread across AZs). Default 2. */
    desiredCount?: number;
    /** Log group of every container: fixed name, KMS key (logs key), retention (a CloudWatch value, days). */
    logs: { groupName: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** ECR repositories the execution role may pull from. Default none (public images only). */
    ecrRepositoryArns?: pulumi.Input<string>[];
    /** KMS key of the secrets in `container.secrets`; required when there are secrets. */
    secretsKmsKeyArn?: pulumi.Input<string>;
    /** Statements of the task role's inline policy (what the application may call). Default none. */
    taskPolicyStatements?: IamStatement[];
    /** Ingress rules, keyed by a stable name. Default none: nothing can connect. */
    ingress?: Record<string, SecurityGroupIngress>;
    /**
     * Egress rules, keyed by a stable name. Default `{ https: TCP 443 to 0.0.0.0/0 }` (ECR, Secrets
     * Manager, CloudWatch Logs and other AWS APIs through the NAT gateway or interface endpoints).
     * Traffic to the VPC's DNS resolver is never filtered by security groups.
     */
    egress?: Record<string, SecurityGroupEgress>;
    /** Register tasks in a Cloud Map namespace as `<name>.<namespace>` (A records, multivalue). */
    serviceDiscovery?: {
        namespaceId: pulumi.Input<string>;
        namespaceName: string;
        name: string;
        dnsTtlSeconds?: number;
    };
    /** Target groups (target type `ip`) the service registers its tasks in. Default none. */
    loadBalancers?: { targetGroupArn: pulumi.Input<string>; containerPort: number }[];
    /**
     * Seconds the scheduler ignores failing load balancer health checks after a task starts. Default 60
     * (with load balancers).
     */
    healthCheckGracePeriodSeconds?: number;
    /** Target-tracking autoscaling; default none (fixed `desiredCount`). */
    autoscaling?: AutoscalingArgs;
    /** X-Ray daemon sidecar; default none. Adds the daemon's permissions to the task role. */
    xrayDaemon?: XrayDaemonArgs;
    /**
     * ECS Exec; default off. When set, the task role may open SSM message channels and write the
     * session log to the cluster's exec log group, encrypted with its key.
     */
    executeCommand?: { logGroupArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };
    /** Resources the ECS service must wait for, typically the listeners that attach its target groups. */
    waitFor?: pulumi.Resource[];
    /**
     * Wait, on create and update, until the service's deployment reaches steady state (its desired
     * tasks running and, behind a load balancer, healthy), so that an `up` whose tasks cannot start
     * fails instead of reporting success with a service at zero tasks. Default true. The provider
     * waits up to its create/update timeout (20 minutes); a failed deployment still rolls back through
     * the circuit breaker.
     * https://www.pulumi.com/registry/packages/aws/api-docs/ecs/service/#waitforsteadystate_nodejs,
     * timeout: pulumi/pulumi-awsx#1112 ("timeout: 20m0s").
     */
    waitForSteadyState?: boolean;
    tags: Record<string, string>;
}

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const XRAY_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS";
const DEFAULT_XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.x";

const inRange = (v: number | undefined, lo: number, hi: number) =>
    v === undefined || (Number.isInteger(v) && v >= lo && v <= hi);

/** Every problem of the arguments, each naming its field, in the order of the fields' concerns. */
function problemsOf(args: FargateServiceArgs): string[] {
    return [
        ...taskProblems(args),
        ...placementProblems(args),
        ...logProblems(args),
        ...portProblems(args.container),
        ...environmentProblems(args),
        ...containerProblems(args.container),
        ...networkProblems(args),
        ...serviceDiscoveryProblems(args),
        ...autoscalingProblems(args),
        ...xrayProblems(args),
    ];
}

/** The task's Fargate size, its family and the container's name. */
function taskProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const size = fargateSizeProblem(args.cpu, args.memory);
    if (size) p.push(`${size.field} ${size.message}`);
    if (args.family !== undefined && !NAME.test(args.family))
        p.push(`family must be 1-255 letters, digits, - and _; got ${JSON.stringify(args.family)}`);
    if (!NAME.test(args.container.name))
        p.push(`container.name must be 1-255 letters, digits, - and _; got ${JSON.stringify(args.container.name)}`);
    return p;
}

/** At least two tasks in at least two subnets (Availability Zones). */
function placementProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const desired = args.desiredCount ?? 2;
    if (!Number.isInteger(desired) || desired < 2)
        p.push(
            "desiredCount must be an integer of at least 2 (tasks in at least two Availability Zones); " +
                `got ${desired}`,
        );
    if (args.subnetIds.length < 2)
        p.push(
            "subnetIds must hold at least 2 subnets in different Availability Zones; " + `got ${args.subnetIds.length}`,
        );
    return p;
}

/** The log group's retention, one of CloudWatch Logs' values. */
function logProblems(args: FargateServiceArgs): string[] {
    if ((LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays)) return [];
    return [
        `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
            `got ${args.logs.retentionInDays}`,
    ];
}

/** The container's ports: each a port, none twice. */
function portProblems(c: ContainerArgs): string[] {
    const p: string[] = [];
    const ports = (c.portMappings ?? []).map((m) => m.containerPort);
    for (const port of ports) if (!isPort(port)) p.push(`container.portMappings: ${port} is not a port (1-65535)`);
    if (new Set(ports).size !== ports.length)
        p.push(`container.portMappings lists a port more than once: ${ports.join(", ")}`);
    return p;
}

/** Environment variables and secrets: valid names, none in both, the secrets' JSON keys and KMS key. */
function environmentProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const c = args.container;
    const envNames = Object.keys(c.environment ?? {});
    const secretNames = Object.keys(c.secrets ?? {});
    for (const n of [...envNames, ...secretNames])
        if (!ENV_NAME.test(n))
            p.push(`container environment/secret name ${JSON.stringify(n)} is not a valid variable name`);
    for (const n of envNames.filter((e) => secretNames.includes(e)))
        p.push(`container.${n} is both in environment and in secrets`);
    if (args.xrayDaemon && [...envNames, ...secretNames].includes(XRAY_ADDRESS))
        p.push(`container.environment: ${XRAY_ADDRESS} is set by the X-Ray sidecar`);
    for (const [n, ref] of Object.entries(c.secrets ?? {})) {
        if (ref.jsonKey !== undefined && !/^[^:]{1,256}$/.test(ref.jsonKey))
            p.push(
                `container.secrets.${n}.jsonKey must be 1-256 characters without ':'; ` +
                    `got ${JSON.stringify(ref.jsonKey)}`,
            );
    }
    if (secretNames.length > 0 && args.secretsKmsKeyArn === undefined)
        p.push("secretsKmsKeyArn is required when container.secrets is set (the execution role decrypts them)");
    return p;
}

/** The container's scratch paths, health check and stop timeout. */
function containerProblems(c: ContainerArgs): string[] {
    const p: string[] = [];
    for (const path of c.scratchPaths ?? [])
        if (!/^\/[A-Za-z0-9._/-]*$/.test(path) || path === "/")
            p.push(`container.scratchPaths: ${JSON.stringify(path)} must be an absolute path below /`);
    if (new Set(c.scratchPaths ?? []).size !== (c.scratchPaths ?? []).length)
        p.push("container.scratchPaths lists a path more than once");
    const hc = c.healthCheck;
    if (hc) {
        if (hc.command.length < 2 || !["CMD", "CMD-SHELL"].includes(hc.command[0]))
            p.push(
                'container.healthCheck.command must start with "CMD" or "CMD-SHELL" and hold a command; ' +
                    `got ${JSON.stringify(hc.command)}`,
            );
        if (!inRange(hc.intervalSeconds, 5, 300))
            p.push(`container.healthCheck.intervalSeconds must be 5-300; got ${hc.intervalSeconds}`);
        if (!inRange(hc.timeoutSeconds, 2, 60))
            p.push(`container.healthCheck.timeoutSeconds must be 2-60; got ${hc.timeoutSeconds}`);
        if (!inRange(hc.retries, 1, 10)) p.push(`container.healthCheck.retries must be 1-10; got ${hc.retries}`);
        if (!inRange(hc.startPeriodSeconds, 0, 300))
            p.push(`container.healthCheck.startPeriodSeconds must be 0-300; got ${hc.startPeriodSeconds}`);
    }
    if (!inRange(c.stopTimeoutSeconds, 2, 120))
        p.push(`container.stopTimeoutSeconds must be 2-120; got ${c.stopTimeoutSeconds}`);
    return p;
}

/** Security group rules, load balancer ports and the load balancer health check grace period. */
function networkProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    for (const [key, rule] of Object.entries(args.ingress ?? {})) {
        if (!isPort(rule.port)) p.push(`ingress.${key}.port must be 1-65535; got ${rule.port}`);
    }
    for (const [key, rule] of Object.entries(args.egress ?? {})) {
        p.push(...destinationProblems(`egress.${key}`, rule));
        if (!isPort(rule.port) || (rule.toPort !== undefined && (!isPort(rule.toPort) || rule.toPort < rule.port)))
            p.push(
                `egress.${key} ports must be 1-65535 with toPort >= port; got ${rule.port}-${rule.toPort ?? rule.port}`,
            );
    }
    const ports = (args.container.portMappings ?? []).map((m) => m.containerPort);
    for (const [i, lb] of (args.loadBalancers ?? []).entries()) {
        if (!ports.includes(lb.containerPort))
            p.push(
                `loadBalancers[${i}].containerPort ${lb.containerPort} is not in container.portMappings ` +
                    `(${ports.join(", ") || "none"})`,
            );
    }
    if (!inRange(args.healthCheckGracePeriodSeconds, 0, 2147483647))
        p.push(
            `healthCheckGracePeriodSeconds must be a non-negative integer; got ${args.healthCheckGracePeriodSeconds}`,
        );
    return p;
}

/** The Cloud Map service's name (a DNS label) and TTL. */
function serviceDiscoveryProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const sd = args.serviceDiscovery;
    if (!sd) return p;
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(sd.name))
        p.push(
            "serviceDiscovery.name must be a DNS label (lower-case letters, digits, -); " +
                `got ${JSON.stringify(sd.name)}`,
        );
    if (!inRange(sd.dnsTtlSeconds, 0, 2147483647))
        p.push(`serviceDiscovery.dnsTtlSeconds must be a non-negative integer; got ${sd.dnsTtlSeconds}`);
    return p;
}

/** Capacity bounds around `desiredCount`, at least one policy with a sensible target, cooldowns. */
function autoscalingProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const a = args.autoscaling;
    if (!a) return p;
    const desired = args.desiredCount ?? 2;
    const min = a.minCapacity ?? desired;
    if (!Number.isInteger(min) || min < 2)
        p.push(`autoscaling.minCapacity must be an integer of at least 2; got ${min}`);
    if (!Number.isInteger(a.maxCapacity) || a.maxCapacity < min || a.maxCapacity > 5000)
        p.push(`autoscaling.maxCapacity must be an integer from minCapacity (${min}) to 5000; got ${a.maxCapacity}`);
    if (desired < min || desired > a.maxCapacity)
        p.push(`desiredCount ${desired} must lie within autoscaling capacity ${min}-${a.maxCapacity}`);
    if (a.cpuTargetPercent !== null && !inRange(a.cpuTargetPercent, 1, 100))
        p.push(`autoscaling.cpuTargetPercent must be 1-100; got ${a.cpuTargetPercent}`);
    if (!inRange(a.memoryTargetPercent, 1, 100))
        p.push(`autoscaling.memoryTargetPercent must be 1-100; got ${a.memoryTargetPercent}`);
    if (a.customMetric && !(a.customMetric.targetValue > 0))
        p.push(`autoscaling.customMetric.targetValue must be positive; got ${a.customMetric.targetValue}`);
    if (a.queueBacklogPerTask && !(a.queueBacklogPerTask.targetMessagesPerTask > 0))
        p.push(
            "autoscaling.queueBacklogPerTask.targetMessagesPerTask must be positive; " +
                `got ${a.queueBacklogPerTask.targetMessagesPerTask}`,
        );
    if (a.cpuTargetPercent === null && a.memoryTargetPercent === undefined && !a.customMetric && !a.queueBacklogPerTask)
        p.push(
            "autoscaling needs at least one policy: " +
                "cpuTargetPercent, memoryTargetPercent, customMetric or queueBacklogPerTask",
        );
    if (!inRange(a.scaleInCooldownSeconds, 0, 3600) || !inRange(a.scaleOutCooldownSeconds, 0, 3600))
        p.push("autoscaling cooldowns must be 0-3600 seconds");
    return p;
}

/** The X-Ray sidecar must leave the application some of the task's memory and CPU. */
function xrayProblems(args: FargateServiceArgs): string[] {
    const p: string[] = [];
    const x = args.xrayDaemon;
    if (!x) return p;
    if ((x.memoryReservation ?? 256) >= args.memory)
        p.push(
            `xrayDaemon.memoryReservation ${x.memoryReservation ?? 256} MiB leaves nothing ` +
                `of the task's ${args.memory} MiB`,
        );
    if ((x.cpu ?? 32) >= args.cpu)
        p.push(`xrayDaemon.cpu ${x.cpu ?? 32} leaves nothing of the task's ${args.cpu} CPU units`);
    return p;
}

/**
 * `valueFrom` of an ECS secret: the secret ARN alone, `<arn>:<jsonKey>::` (current version) or
 * `<arn>:<jsonKey>::<versionId>` (pinned).
 */
export function secretValueFrom(ref: SecretRef): pulumi.Output<string> {
    if (ref.versionId !== undefined) return pulumi.interpolate`${ref.secretArn}:${ref.jsonKey ?? ""}::${ref.versionId}`;
    return ref.jsonKey === undefined
        ? pulumi.output(ref.secretArn)
        : pulumi.interpolate`${ref.secretArn}:${ref.jsonKey}::`;
}

const sortedEntries = <T>(record: Record<string, T> | undefined) =>
    Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
const volumeName = (path: string) => `scratch${path.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(/-+$/, "");

/** A trust policy for ECS tasks (`ecs-tasks.amazonaws.com`), with optional confused-deputy conditions. */
const assumedByEcsTasks = (conditions: IamStatement["Condition"]) =>
    pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                ...(conditions ? { Condition: conditions } : {}),
            },
        ],
    });

/**
 * The execution role's statements: pull from its ECR repositories, write to its log group, read its
 * secrets and decrypt them through Secrets Manager only.
 */
function executionStatements(args: FargateServiceArgs, logGroupArn: pulumi.Output<string>): IamStatement[] {
    const statements: IamStatement[] = [];
    const repositories = args.ecrRepositoryArns ?? [];
    if (repositories.length > 0) {
        statements.push(
            {
                Sid: "PullItsImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: repositories,
            },
            {
                Sid: "GetEcrAuthorizationToken",
                Effect: "Allow",
                Action: "ecr:GetAuthorizationToken",
                Resource: "*",
            },
        );
    }
    statements.push({
        Sid: "WriteItsLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${logGroupArn}:*`,
    });
    const secretRefs = sortedEntries(args.container.secrets).map(([, ref]) => ref);
    if (secretRefs.length > 0) {
        const secretArns = pulumi.all(secretRefs.map((r) => r.secretArn)).apply((arns) => [...new Set(arns)].sort());
        statements.push(
            {
                Sid: "ReadItsSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: secretArns,
            },
            {
                Sid: "DecryptItsSecretsThroughSecretsManager",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: args.secretsKmsKeyArn!,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
            },
        );
    }
    return statements;
}

/** The task role's statements: the caller's, then the X-Ray daemon's and ECS Exec's when enabled. */
function taskStatements(args: FargateServiceArgs): IamStatement[] {
    const statements: IamStatement[] = [...(args.taskPolicyStatements ?? [])];
    if (args.xrayDaemon) {
        statements.push({
            Sid: "XrayDaemonSendsTraces",
            Effect: "Allow",
            Action: [
                "xray:GetSamplingRules",
                "xray:GetSamplingStatisticSummaries",
                "xray:GetSamplingTargets",
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments",
            ],
            Resource: "*",
        });
    }
    if (args.executeCommand) {
        statements.push(
            {
                Sid: "EcsExecChannels",
                Effect: "Allow",
                Action: [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                Resource: "*",
            },
            {
                Sid: "EcsExecSessionLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${args.executeCommand.logGroupArn}:*`,
            },
            { Sid: "EcsExecLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            {
                Sid: "EcsExecEncryption",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: args.executeCommand.kmsKeyArn,
            },
        );
    }
    return statements;
}

/** The `awslogs` configuration of a container writing to `logGroupName` under stream prefix `prefix`. */
function logConfiguration(logGroupName: pulumi.Output<string>, region: string, prefix: string) {
    return {
        logDriver: "awslogs",
        options: {
            "awslogs-group": logGroupName,
            "awslogs-region": region,
            "awslogs-stream-prefix": prefix,
            // A slow log pipeline must not stall the application; 25 MiB of buffer per container.
            mode: "non-blocking",
            "max-buffer-size": "25m",
        },
    };
}

/** The application container's definition (ECS `containerDefinitions` entry). */
function applicationContainer(args: FargateServiceArgs, logGroupName: pulumi.Output<string>): object {
    const c = args.container;
    const environment = sortedEntries(c.environment).map(([n, value]) => ({ name: n, value }));
    if (args.xrayDaemon) environment.push({ name: XRAY_ADDRESS, value: "127.0.0.1:2000" });
    const hc = c.healthCheck;
    return {
        name: c.name,
        image: c.image,
        essential: true,
        portMappings: (c.portMappings ?? []).map((m) => ({
            containerPort: m.containerPort,
            protocol: m.protocol ?? "tcp",
        })),
        environment,
        secrets: sortedEntries(c.secrets).map(([n, ref]) => ({ name: n, valueFrom: secretValueFrom(ref) })),
        readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
        mountPoints: (c.scratchPaths ?? []).map((path) => ({
            sourceVolume: volumeName(path),
            containerPath: path,
            readOnly: false,
        })),
        linuxParameters: (c.dropAllCapabilities ?? true) ? { capabilities: { drop: ["ALL"] } } : undefined,
        user: c.user,
        command: c.command,
        entryPoint: c.entryPoint,
        stopTimeout: c.stopTimeoutSeconds,
        healthCheck: hc
            ? {
                  command: hc.command,
                  interval: hc.intervalSeconds ?? 30,
                  timeout: hc.timeoutSeconds ?? 5,
                  retries: hc.retries ?? 3,
                  startPeriod: hc.startPeriodSeconds ?? 0,
              }
            : undefined,
        logConfiguration: logConfiguration(logGroupName, args.region, c.name),
    };
}

/** The X-Ray daemon sidecar's definition (non-essential, UDP 2000). */
function xrayDaemonContainer(
    x: XrayDaemonArgs,
    logGroupName: pulumi.Output<string>,
    region: string,
): Record<string, unknown> {
    return {
        name: "xray-daemon",
        image: x.image ?? DEFAULT_XRAY_IMAGE,
        essential: false,
        cpu: x.cpu ?? 32,
        memoryReservation: x.memoryReservation ?? 256,
        portMappings: [{ containerPort: 2000, protocol: "udp" }],
        readonlyRootFilesystem: true,
        linuxParameters: { capabilities: { drop: ["ALL"] } },
        logConfiguration: logConfiguration(logGroupName, region, "xray-daemon"),
    };
}

/**
 * The target-tracking configuration holding the SQS backlog per task: visible messages divided by
 * the service's running tasks (Container Insights).
 */
function queueBacklogConfiguration(
    q: NonNullable<AutoscalingArgs["queueBacklogPerTask"]>,
    clusterName: pulumi.Input<string>,
    serviceName: pulumi.Output<string>,
): aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration {
    return {
        targetValue: q.targetMessagesPerTask,
        customizedMetricSpecification: {
            metrics: [
                {
                    id: "visible",
                    label: "Visible messages",
                    returnData: false,
                    metricStat: {
                        stat: "Sum",
                        metric: {
                            namespace: "AWS/SQS",
                            metricName: "ApproximateNumberOfMessagesVisible",
                            dimensions: [{ name: "QueueName", value: q.queueName }],
                        },
                    },
                },
                {
                    id: "tasks",
                    label: "Running tasks",
                    returnData: false,
                    metricStat: {
                        stat: "Average",
                        metric: {
                            namespace: "ECS/ContainerInsights",
                            metricName: "RunningTaskCount",
                            dimensions: [
                                { name: "ClusterName", value: clusterName },
                                { name: "ServiceName", value: serviceName },
                            ],
                        },
                    },
                },
                {
                    id: "backlog",
                    label: "Messages per task",
                    expression: "visible / tasks",
                    returnData: true,
                },
            ],
        },
    };
}

/** The IAM roles of the service's tasks. */
interface TaskRoles {
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
}

export class FargateService extends pulumi.ComponentResource {
    readonly serviceName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** `<name>.<namespace>` when registered in Cloud Map. */
    readonly discoveryHostname?: string;
    private readonly componentName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:FargateService", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`FargateService ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.tags = args.tags;

        const logGroup = this.logGroup(name, args);
        const roles = this.roles(name, args, logGroup);
        const taskDefinition = this.taskDefinition(name, args, roles, logGroup);
        this.securityGroupId = this.securityGroup(name, args).id;
        this.securityGroupRules(args);
        const discovery = this.serviceDiscovery(name, args);
        this.discoveryHostname = discovery?.hostname;
        const service = this.service(name, args, taskDefinition, discovery?.arn);
        if (args.autoscaling) this.autoscaling(name, args, args.autoscaling, service);

        this.serviceName = service.name;
        this.serviceArn = service.arn;
        this.taskRoleArn = roles.taskRole.arn;
        this.executionRoleArn = roles.executionRole.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            securityGroupId: this.securityGroupId,
            taskRoleArn: this.taskRoleArn,
        });
    }

    /** The KMS-encrypted log group of every container, with its fixed name and retention. */
    private logGroup(name: string, args: FargateServiceArgs): aws.cloudwatch.LogGroup {
        return new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: args.logs.groupName,
                retentionInDays: args.logs.retentionInDays,
                kmsKeyId: args.logs.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /**
     * The execution role (ECS agent: image, logs, secrets) and the task role (the application; only the
     * caller's statements and the sidecars'), each with its inline policy; the task role trusts ECS
     * tasks of this account only.
     */
    private roles(name: string, args: FargateServiceArgs, logGroup: aws.cloudwatch.LogGroup): TaskRoles {
        const child = { parent: this };
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                description: `ECS agent of ${name}: pulls its image, writes its logs, reads its secrets`,
                assumeRolePolicy: assumedByEcsTasks(undefined),
                tags: args.tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-execution`,
            {
                role: executionRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: executionStatements(args, logGroup.arn),
                }),
            },
            child,
        );
        const ecsInThisAccount = pulumi.interpolate`arn:${args.partition}:ecs:${args.region}:${args.accountId}:*`;
        const taskRole = new aws.iam.Role(
            `${name}-task`,
            {
                description: `Application of ${name}: only what its code calls`,
                assumeRolePolicy: assumedByEcsTasks({
                    StringEquals: { "aws:SourceAccount": args.accountId },
                    ArnLike: { "aws:SourceArn": ecsInThisAccount },
                }),
                tags: args.tags,
            },
            child,
        );
        const statements = taskStatements(args);
        if (statements.length > 0) {
            new aws.iam.RolePolicy(
                `${name}-task`,
                {
                    role: taskRole.id,
                    policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
                },
                child,
            );
        }
        return { executionRole, taskRole };
    }

    /** The Fargate task definition: the application container, the X-Ray sidecar, scratch volumes. */
    private taskDefinition(
        name: string,
        args: FargateServiceArgs,
        roles: TaskRoles,
        logGroup: aws.cloudwatch.LogGroup,
    ): aws.ecs.TaskDefinition {
        const containers: object[] = [applicationContainer(args, logGroup.name)];
        if (args.xrayDaemon) containers.push(xrayDaemonContainer(args.xrayDaemon, logGroup.name, args.region));
        return new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: args.family ?? name,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(args.cpu),
                memory: String(args.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture ?? "X86_64" },
                executionRoleArn: roles.executionRole.arn,
                taskRoleArn: roles.taskRole.arn,
                containerDefinitions: pulumi.jsonStringify(containers),
                volumes: (args.container.scratchPaths ?? []).map((path) => ({ name: volumeName(path) })),
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** The service's security group, without rules of its own. */
    private securityGroup(name: string, args: FargateServiceArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `ECS service ${name}: ingress only from the security groups allowed explicitly`,
                revokeRulesOnDelete: true,
                tags: { ...args.tags, Name: `${name}-sg` },
            },
            { parent: this },
        );
    }

    /** The ingress rules the caller passes and the egress rules (default HTTPS to AWS APIs). */
    private securityGroupRules(args: FargateServiceArgs): void {
        for (const [key, rule] of sortedEntries(args.ingress)) this.allowIngressFrom(key, rule);
        const egress = args.egress ?? {
            https: {
                port: 443,
                cidrIpv4: "0.0.0.0/0",
                description: "HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs) through NAT or endpoints",
            },
        };
        for (const [key, rule] of sortedEntries(egress)) this.addEgress(key, rule);
    }

    /** The Cloud Map service the tasks register in (A records, multivalue), when asked for. */
    private serviceDiscovery(
        name: string,
        args: FargateServiceArgs,
    ): { arn: pulumi.Output<string>; hostname: string } | undefined {
        const sd = args.serviceDiscovery;
        if (!sd) return undefined;
        const discovery = new aws.servicediscovery.Service(
            `${name}-discovery`,
            {
                name: sd.name,
                description: `Tasks of ${name}`,
                namespaceId: sd.namespaceId,
                dnsConfig: {
                    namespaceId: sd.namespaceId,
                    routingPolicy: "MULTIVALUE",
                    dnsRecords: [{ type: "A", ttl: sd.dnsTtlSeconds ?? 10 }],
                },
                // ECS reports task health to Cloud Map; unhealthy or stopped tasks leave the answers.
                healthCheckCustomConfig: {},
                forceDestroy: true,
                tags: args.tags,
            },
            { parent: this },
        );
        return { arn: discovery.arn, hostname: `${sd.name}.${sd.namespaceName}` };
    }

    /** The ECS service: private subnets, circuit breaker with rollback, load balancers, Cloud Map. */
    private service(
        name: string,
        args: FargateServiceArgs,
        taskDefinition: aws.ecs.TaskDefinition,
        discoveryArn: pulumi.Output<string> | undefined,
    ): aws.ecs.Service {
        const loadBalancers = args.loadBalancers ?? [];
        return new aws.ecs.Service(
            name,
            {
                cluster: args.clusterArn,
                taskDefinition: taskDefinition.arn,
                desiredCount: args.desiredCount ?? 2,
                launchType: "FARGATE",
                platformVersion: "LATEST",
                networkConfiguration: {
                    subnets: args.subnetIds,
                    securityGroups: [this.securityGroupId],
                    assignPublicIp: false,
                },
                // Fargate spreads a service's tasks across the subnets' AZs; rebalancing keeps them spread.
                availabilityZoneRebalancing: "ENABLED",
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                enableExecuteCommand: args.executeCommand !== undefined,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
                loadBalancers:
                    loadBalancers.length > 0
                        ? loadBalancers.map((lb) => ({
                              targetGroupArn: lb.targetGroupArn,
                              containerName: args.container.name,
                              containerPort: lb.containerPort,
                          }))
                        : undefined,
                healthCheckGracePeriodSeconds:
                    loadBalancers.length > 0 ? (args.healthCheckGracePeriodSeconds ?? 60) : undefined,
                serviceRegistries: discoveryArn ? { registryArn: discoveryArn } : undefined,
                waitForSteadyState: args.waitForSteadyState ?? true,
                tags: args.tags,
            },
            { parent: this, dependsOn: args.waitFor, ignoreChanges: args.autoscaling ? ["desiredCount"] : [] },
        );
    }

    /** The scalable target of the service's desired count and one target-tracking policy per metric. */
    private autoscaling(name: string, args: FargateServiceArgs, a: AutoscalingArgs, service: aws.ecs.Service): void {
        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
                minCapacity: a.minCapacity ?? args.desiredCount ?? 2,
                maxCapacity: a.maxCapacity,
                tags: args.tags,
            },
            { parent: this },
        );
        const cooldowns = {
            scaleInCooldown: a.scaleInCooldownSeconds ?? 300,
            scaleOutCooldown: a.scaleOutCooldownSeconds ?? 60,
        };
        const policy = (
            suffix: string,
            configuration: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
        ) =>
            new aws.appautoscaling.Policy(
                `${name}-${suffix}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: { ...cooldowns, ...configuration },
                },
                { parent: this },
            );
        const cpuTarget = a.cpuTargetPercent === null ? undefined : (a.cpuTargetPercent ?? 60);
        if (cpuTarget !== undefined)
            policy("cpu", {
                targetValue: cpuTarget,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            });
        if (a.memoryTargetPercent !== undefined)
            policy("memory", {
                targetValue: a.memoryTargetPercent,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
            });
        if (a.customMetric) {
            const m = a.customMetric;
            policy("custom-metric", {
                targetValue: m.targetValue,
                customizedMetricSpecification: {
                    namespace: m.namespace,
                    metricName: m.metricName,
                    statistic: m.statistic ?? "Average",
                    unit: m.unit,
                    dimensions: sortedEntries(m.dimensions).map(([n, value]) => ({ name: n, value })),
                },
            });
        }
        if (a.queueBacklogPerTask)
            policy("queue-backlog", queueBacklogConfiguration(a.queueBacklogPerTask, args.clusterName, service.name));
    }

    /**
     * Allows TCP `port` into the service from `sourceSecurityGroupId` (an
     * `aws.vpc.SecurityGroupIngressRule` named `<service>-in-<key>`). `key` must be unique per service.
     */
    allowIngressFrom(key: string, rule: SecurityGroupIngress): aws.vpc.SecurityGroupIngressRule {
        if (!isPort(rule.port))
            throw new Error(
                `FargateService ${this.componentName}: ingress ${key} port must be 1-65535; got ${rule.port}`,
            );
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.componentName}-in-${key}`,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: rule.sourceSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: rule.port,
                toPort: rule.port,
                description: rule.description,
                tags: this.tags,
            },
            { parent: this },
        );
    }

    /** Allows TCP `port` from the service to `destinationSecurityGroupId` (rule `<service>-out-<key>`). */
    allowEgressTo(
        key: string,
        rule: { port: number; destinationSecurityGroupId: pulumi.Input<string>; description: string },
    ): aws.vpc.SecurityGroupEgressRule {
        if (!isPort(rule.port))
            throw new Error(
                `FargateService ${this.componentName}: egress ${key} port must be 1-65535; got ${rule.port}`,
            );
        return this.addEgress(key, rule);
    }

    private addEgress(key: string, rule: SecurityGroupEgress): aws.vpc.SecurityGroupEgressRule {
        return egressRule(`${this.componentName}-out-${key}`, this.securityGroupId, rule, this.tags, { parent: this });
    }
}
