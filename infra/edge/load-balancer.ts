/**
 * A load-balanced edge (`platform:edge:LoadBalancer`): a Network or Application Load Balancer with
 * its own security group, listeners and target groups described by the arguments, access logs to the
 * log archive bucket (prefix `elb/`; an NLB only with a TLS listener, the only kind ELB logs), deletion
 * protection from `protect`, and optional alarms on
 * unhealthy targets. Plain `@pulumi/aws` resources, so every listener, rule and health check is
 * visible to tests and policies.
 *
 * Rules it enforces:
 * - HTTPS and TLS listeners use `ELBSecurityPolicy-TLS13-1-2-2021-06` unless told otherwise (TLS 1.2+);
 * - an ALB's plain-HTTP listener may only redirect (301) to HTTPS;
 * - an ALB's HTTPS listener may carry rules (path, host and header conditions, within AWS's limits of
 *   three values per condition and five per rule) evaluated by priority before its default action;
 * - ALBs drop header fields with invalid names (`dropInvalidHeaderFields`);
 * - the security group admits only what `ingress` lists and sends only what `allowEgressTo` allows.
 *   NLBs take security groups only when created with one, so an NLB always gets its group.
 *
 * References: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { egressRule, isPort } from "../network/security-group-rules";

/** The TLS policy of HTTPS/TLS listeners: TLS 1.3 and 1.2 with forward-secret AEAD suites. */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Prefix of access logs in the log archive bucket (its policy lets ELB write `elb/AWSLogs/<account>/`). */
export const ACCESS_LOG_PREFIX = "elb";
/**
 * Longest logical name of the load balancer or `<name>-<key>` of a target group: AWS allows 32 with Pulumi's
 * 8-character suffix.
 */
export const MAX_LOGICAL_NAME = 24;

export type LoadBalancerType = "network" | "application";
type NlbProtocol = "TCP" | "TLS" | "UDP" | "TCP_UDP";
type AlbProtocol = "HTTP" | "HTTPS";

/** A target group (target type `ip`, as awsvpc tasks register). */
export interface TargetGroupSpec {
    /** Port the targets listen on. */
    port: number;
    /** NLB: TCP, TLS, UDP, TCP_UDP; ALB: HTTP, HTTPS (to the target; ALB does not verify target certificates). */
    protocol: NlbProtocol | AlbProtocol;
    healthCheck: {
        protocol: "HTTP" | "HTTPS" | "TCP";
        /** Port checked; default the traffic port. */
        port?: number;
        /** Path for HTTP(S) checks, e.g. `/healthz`. */
        path?: string;
        /** HTTP codes counted healthy. Default `200`. */
        matcher?: string;
        /** Seconds between checks, 5-300. Default 10. */
        intervalSeconds?: number;
        /** Seconds before a check fails, 2-120. Default 5. */
        timeoutSeconds?: number;
        /** Successes before healthy, 2-10. Default 3. */
        healthyThreshold?: number;
        /** Failures before unhealthy, 2-10. Default 3. */
        unhealthyThreshold?: number;
    };
    /** Seconds a deregistering target keeps its connections, 0-3600. Default 30. */
    deregistrationDelaySeconds?: number;
    /**
     * NLB only: keep the client's source IP. Default false, so targets see the NLB's private address
     * and a target security group that admits the NLB's security group admits the traffic.
     */
    preserveClientIp?: boolean;
}

/** What a listener does with a connection or request. */
export type ListenerAction =
    | { type: "forward"; targetGroup: string }
    /** ALB only: 301 to `https://#{host}:<port>/#{path}?#{query}`. */
    | { type: "redirect-https"; port?: number }
    /** ALB only. */
    | { type: "fixed-response"; statusCode: number; contentType?: "text/plain" | "application/json"; body?: string };

/**
 * ALB only: a rule evaluated, by ascending priority, before the listener's default action. Every
 * condition given must match. AWS allows at most three values per condition and five per rule.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 */
export interface ListenerRuleSpec {
    /** 1-50000, unique within the listener; lower runs first. */
    priority: number;
    /** Path patterns (`/api/orders*`), case-sensitive, `*` and `?` wildcards. */
    pathPatterns?: string[];
    /** Host names (`api.example.com`). */
    hostHeaders?: string[];
    /** A request header and the values it may have (compared case-insensitively, wildcards allowed). */
    httpHeader?: { name: string; values: pulumi.Input<string>[] };
    /** `forward` or `fixed-response`. */
    action: ListenerAction;
}

export interface ListenerSpec {
    port: number;
    protocol: NlbProtocol | AlbProtocol;
    action: ListenerAction;
    /** ACM certificate ARN; required for HTTPS and TLS. */
    certificateArn?: pulumi.Input<string>;
    /** TLS policy for HTTPS and TLS. Default {@link DEFAULT_TLS_POLICY}. */
    sslPolicy?: string;
    /**
     * HTTPS only: mutual TLS in `verify` mode against a trust store. The ALB rejects clients without a
     * certificate chaining to the store and forwards the certificate in `X-Amzn-Mtls-Clientcert-*`
     * headers (default names; this component never renames them).
     */
    mutualAuthentication?: {
        trustStoreArn: pulumi.Input<string>;
        ignoreClientCertificateExpiry?: boolean;
        advertiseTrustStoreCaNames?: boolean;
    };
    /** ALB HTTPS listeners only: rules keyed by a stable name (`<lb>-<listener>-<rule>`). Default none. */
    rules?: Record<string, ListenerRuleSpec>;
}

/** Who may reach the load balancer: exactly one source. */
export interface LoadBalancerIngress {
    port: number;
    cidrIpv4?: string;
    sourceSecurityGroupId?: pulumi.Input<string>;
    prefixListId?: pulumi.Input<string>;
    description: string;
}

export interface LoadBalancerArgs {
    type: LoadBalancerType;
    /** Internal (private addresses only) or internet-facing. Default false (internet-facing). */
    internal?: boolean;
    vpcId: pulumi.Input<string>;
    /** Subnets, one per AZ, at least 2: public subnets for internet-facing, private for internal. */
    subnetIds: pulumi.Input<string>[];
    /** Ingress rules of the load balancer's security group, keyed by a stable name. */
    ingress: Record<string, LoadBalancerIngress>;
    /** Listeners keyed by a stable name (`https`, `http`). */
    listeners: Record<string, ListenerSpec>;
    /** Target groups keyed by a stable name; `<name>-<key>` at most {@link MAX_LOGICAL_NAME} characters. */
    targetGroups: Record<string, TargetGroupSpec>;
    /**
     * Access logs to the log archive bucket (objects under `elb/`). Required on an ALB and on an NLB with a
     * TLS listener; refused on an NLB without one, because ELB writes NLB access logs only for TLS listeners
     * ("Access logs are created only if the load balancer has a TLS listener",
     * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html).
     */
    accessLogs?: { bucketName: pulumi.Input<string> };
    /**
     * NLB only: whether the security group's inbound rules also filter traffic arriving through AWS
     * PrivateLink (an API Gateway REST VPC link, a VPC endpoint). With the check on, such traffic is judged by
     * the client's own address (API Gateway's, outside the VPC), not the endpoint's; API Gateway's guide for
     * VPC link NLBs says to turn it off and not to depend on API Gateway's address ranges
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html,
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html).
     * Default true (AWS's default `on`).
     */
    enforceInboundRulesOnPrivateLinkTraffic?: boolean;
    /** Deletion protection. */
    protect: boolean;
    /** ALB only: idle connection timeout in seconds, 1-4000. Default 60. */
    idleTimeoutSeconds?: number;
    /** NLB only: cross-zone load balancing. Default true (even spread across the targets of every AZ). */
    crossZone?: boolean;
    /**
     * Alarms per target group to this SNS topic: any unhealthy target for 3 minutes, and no healthy
     * target for 2 minutes. Default none.
     */
    alarmTopicArn?: pulumi.Input<string>;
    tags: Record<string, string>;
}

const NLB_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP"];
const ALB_PROTOCOLS = ["HTTP", "HTTPS"];
const inRange = (v: number | undefined, lo: number, hi: number) =>
    v === undefined || (Number.isInteger(v) && v >= lo && v <= hi);
const sorted = <T>(r: Record<string, T>) => Object.entries(r).sort(([a], [b]) => a.localeCompare(b));

/** What the checks need to know about the kind of load balancer. */
interface Kind {
    alb: boolean;
    /** Protocols its listeners and target groups may use. */
    protocols: string[];
    /** `on an application load balancer` or `on a network load balancer`, for messages. */
    onType: string;
}

/** Every problem of the arguments, in the order: load balancer, ingress, target groups, listeners. */
function problemsOf(name: string, args: LoadBalancerArgs): string[] {
    const alb = args.type === "application";
    const kind: Kind = {
        alb,
        protocols: alb ? ALB_PROTOCOLS : NLB_PROTOCOLS,
        onType: alb ? "on an application load balancer" : "on a network load balancer",
    };
    return [
        ...loadBalancerProblems(name, args, kind),
        ...ingressProblems(args),
        ...targetGroupProblems(name, args, kind),
        ...listenersProblems(args, kind),
    ];
}

/** Type, name length, subnets, the type-specific settings and access logs. */
function loadBalancerProblems(name: string, args: LoadBalancerArgs, { alb }: Kind): string[] {
    const p: string[] = [];
    if (!["network", "application"].includes(args.type))
        p.push(`type must be network or application; got ${JSON.stringify(args.type)}`);
    if (name.length > MAX_LOGICAL_NAME)
        p.push(
            `the name must be at most ${MAX_LOGICAL_NAME} characters (AWS allows 32 with Pulumi's suffix); ` +
                `got ${name.length}`,
        );
    if (args.subnetIds.length < 2)
        p.push(`subnetIds must hold at least 2 subnets in different Availability Zones; got ${args.subnetIds.length}`);
    if (!alb && args.idleTimeoutSeconds !== undefined)
        p.push("idleTimeoutSeconds applies to application load balancers only");
    if (!inRange(args.idleTimeoutSeconds, 1, 4000))
        p.push(`idleTimeoutSeconds must be 1-4000; got ${args.idleTimeoutSeconds}`);
    if (alb && args.crossZone !== undefined)
        p.push("crossZone applies to network load balancers only (always on for ALBs)");
    if (alb && args.enforceInboundRulesOnPrivateLinkTraffic !== undefined)
        p.push("enforceInboundRulesOnPrivateLinkTraffic applies to network load balancers only");
    const tlsListener = Object.values(args.listeners).some((l) => l.protocol === "TLS");
    const logged = alb ? "on an application load balancer" : "on a network load balancer with a TLS listener";
    if ((alb || tlsListener) && args.accessLogs === undefined) p.push(`accessLogs is required ${logged}`);
    if (!alb && !tlsListener && args.accessLogs !== undefined)
        p.push(
            "accessLogs: a network load balancer writes access logs only for TLS listeners, and this one has none; " +
                "leave accessLogs out",
        );
    return p;
}

/** Each ingress rule names exactly one source and a valid port. */
function ingressProblems(args: LoadBalancerArgs): string[] {
    const p: string[] = [];
    for (const [key, rule] of sorted(args.ingress)) {
        const sources = [rule.cidrIpv4, rule.sourceSecurityGroupId, rule.prefixListId].filter(
            (s) => s !== undefined,
        ).length;
        if (sources !== 1)
            p.push(
                `ingress.${key} must name exactly one of cidrIpv4, sourceSecurityGroupId, prefixListId; ` +
                    `got ${sources}`,
            );
        if (!isPort(rule.port)) p.push(`ingress.${key}.port must be 1-65535; got ${rule.port}`);
    }
    return p;
}

/** Each target group: name length, port, protocol, health check within AWS's ranges, deregistration delay. */
function targetGroupProblems(name: string, args: LoadBalancerArgs, { alb, protocols, onType }: Kind): string[] {
    const p: string[] = [];
    for (const [key, tg] of sorted(args.targetGroups)) {
        const at = `targetGroups.${key}`;
        if (`${name}-${key}`.length > MAX_LOGICAL_NAME)
            p.push(
                `${at}: "${name}-${key}" is longer than ${MAX_LOGICAL_NAME} characters ` +
                    "(target group names are limited to 32 with Pulumi's suffix)",
            );
        if (!isPort(tg.port)) p.push(`${at}.port must be 1-65535; got ${tg.port}`);
        if (!protocols.includes(tg.protocol))
            p.push(`${at}.protocol must be one of ${protocols.join(", ")} ${onType}; got ${tg.protocol}`);
        const hc = tg.healthCheck;
        if (hc.protocol !== "TCP" && !(hc.path ?? "").startsWith("/"))
            p.push(`${at}.healthCheck.path must start with / for ${hc.protocol} checks`);
        if (hc.protocol === "TCP" && alb)
            p.push(`${at}.healthCheck.protocol TCP is not available on application load balancers`);
        if (hc.port !== undefined && !isPort(hc.port)) p.push(`${at}.healthCheck.port must be 1-65535; got ${hc.port}`);
        if (!inRange(hc.intervalSeconds, 5, 300))
            p.push(`${at}.healthCheck.intervalSeconds must be 5-300; got ${hc.intervalSeconds}`);
        if (!inRange(hc.timeoutSeconds, 2, 120))
            p.push(`${at}.healthCheck.timeoutSeconds must be 2-120; got ${hc.timeoutSeconds}`);
        if (!inRange(hc.healthyThreshold, 2, 10) || !inRange(hc.unhealthyThreshold, 2, 10))
            p.push(`${at}.healthCheck thresholds must be 2-10`);
        if ((hc.timeoutSeconds ?? 5) >= (hc.intervalSeconds ?? 10))
            p.push(`${at}.healthCheck.timeoutSeconds must be shorter than intervalSeconds`);
        if (!inRange(tg.deregistrationDelaySeconds, 0, 3600))
            p.push(`${at}.deregistrationDelaySeconds must be 0-3600; got ${tg.deregistrationDelaySeconds}`);
        if (alb && tg.preserveClientIp !== undefined)
            p.push(`${at}.preserveClientIp applies to network load balancers only`);
    }
    return p;
}

/** Distinct ports, then each listener: its settings, its default action and its rules. */
function listenersProblems(args: LoadBalancerArgs, kind: Kind): string[] {
    const p: string[] = [];
    const ports = Object.values(args.listeners).map((l) => l.port);
    if (new Set(ports).size !== ports.length) p.push(`listeners use a port more than once: ${ports.join(", ")}`);
    for (const [key, l] of sorted(args.listeners)) {
        const at = `listeners.${key}`;
        p.push(
            ...listenerProblems(at, l, kind),
            ...listenerActionProblems(at, l, args, kind),
            ...listenerRuleProblems(at, l, args, kind),
        );
    }
    return p;
}

/** Port, protocol, certificate and TLS policy (HTTPS and TLS only, TLS 1.2 at least), mutual TLS (HTTPS only). */
function listenerProblems(at: string, l: ListenerSpec, { protocols, onType }: Kind): string[] {
    const p: string[] = [];
    if (!isPort(l.port)) p.push(`${at}.port must be 1-65535; got ${l.port}`);
    if (!protocols.includes(l.protocol))
        p.push(`${at}.protocol must be one of ${protocols.join(", ")} ${onType}; got ${l.protocol}`);
    const secure = l.protocol === "HTTPS" || l.protocol === "TLS";
    if (secure && l.certificateArn === undefined) p.push(`${at}: ${l.protocol} needs certificateArn`);
    if (!secure && (l.certificateArn !== undefined || l.sslPolicy !== undefined))
        p.push(`${at}: certificateArn and sslPolicy apply to HTTPS and TLS listeners only`);
    if (l.sslPolicy !== undefined && !/^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/.test(l.sslPolicy))
        p.push(`${at}.sslPolicy ${l.sslPolicy} allows TLS older than 1.2; use ${DEFAULT_TLS_POLICY}`);
    if (l.mutualAuthentication && l.protocol !== "HTTPS") p.push(`${at}.mutualAuthentication needs an HTTPS listener`);
    return p;
}

/** The default action: a known target group of the listener's kind, ALB-only actions, HTTP only redirecting. */
function listenerActionProblems(at: string, l: ListenerSpec, args: LoadBalancerArgs, { alb }: Kind): string[] {
    const p: string[] = [];
    const a = l.action;
    if (a.type === "forward" && !(a.targetGroup in args.targetGroups))
        p.push(`${at}.action forwards to unknown target group ${JSON.stringify(a.targetGroup)}`);
    if (
        a.type === "forward" &&
        a.targetGroup in args.targetGroups &&
        alb !== ALB_PROTOCOLS.includes(args.targetGroups[a.targetGroup].protocol)
    )
        p.push(`${at}.action target group protocol does not fit the listener`);
    if ((a.type === "redirect-https" || a.type === "fixed-response") && !alb)
        p.push(`${at}.action ${a.type} is available on application load balancers only`);
    if (a.type === "redirect-https" && l.protocol !== "HTTP")
        p.push(`${at}.action redirect-https belongs on an HTTP listener`);
    if (a.type === "redirect-https" && !inRange(a.port, 1, 65535))
        p.push(`${at}.action.port must be 1-65535; got ${a.port}`);
    if (a.type === "fixed-response" && !inRange(a.statusCode, 200, 599))
        p.push(`${at}.action.statusCode must be 200-599; got ${a.statusCode}`);
    // Plain HTTP on an ALB only ever redirects: nothing is served without TLS.
    if (alb && l.protocol === "HTTP" && a.type !== "redirect-https")
        p.push(`${at}: an HTTP listener may only redirect to HTTPS (action redirect-https)`);
    return p;
}

/** Rules: only on an ALB's HTTPS listener, distinct priorities, AWS's condition limits, forward or fixed-response. */
function listenerRuleProblems(at: string, l: ListenerSpec, args: LoadBalancerArgs, { alb }: Kind): string[] {
    const p: string[] = [];
    const rules = sorted(l.rules ?? {});
    if (rules.length > 0 && !(alb && l.protocol === "HTTPS"))
        p.push(`${at}.rules belong on an HTTPS listener of an application load balancer`);
    const priorities = rules.map(([, r]) => r.priority);
    if (new Set(priorities).size !== priorities.length)
        p.push(`${at}.rules use a priority more than once: ${priorities.join(", ")}`);
    for (const [ruleKey, r] of rules) {
        const rat = `${at}.rules.${ruleKey}`;
        if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(ruleKey))
            p.push(`${rat}: the key must be 1-31 lower-case letters, digits and -`);
        if (!inRange(r.priority, 1, 50000))
            p.push(`${rat}.priority must be an integer from 1 to 50000; got ${r.priority}`);
        const counts = [r.pathPatterns?.length ?? 0, r.hostHeaders?.length ?? 0, r.httpHeader?.values.length ?? 0];
        if (counts.every((c) => c === 0))
            p.push(`${rat} needs at least one condition (pathPatterns, hostHeaders or httpHeader)`);
        if (counts.some((c) => c > 3)) p.push(`${rat}: a condition may hold at most 3 values`);
        if (counts.reduce((x, y) => x + y, 0) > 5) p.push(`${rat}: a rule may hold at most 5 condition values`);
        for (const path of r.pathPatterns ?? [])
            if (!/^\/[A-Za-z0-9_\-.$/~"'@:+?*&=]{0,127}$/.test(path))
                p.push(
                    `${rat}.pathPatterns: ${JSON.stringify(path)} must start with / ` +
                        "and hold at most 128 URL characters",
                );
        if (r.httpHeader && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(r.httpHeader.name))
            p.push(
                `${rat}.httpHeader.name must be an HTTP header name of at most 40 characters; ` +
                    `got ${JSON.stringify(r.httpHeader.name)}`,
            );
        const ra = r.action;
        if (ra.type === "forward" && !(ra.targetGroup in args.targetGroups))
            p.push(`${rat}.action forwards to unknown target group ${JSON.stringify(ra.targetGroup)}`);
        if (ra.type === "redirect-https") p.push(`${rat}.action must be forward or fixed-response`);
        if (ra.type === "fixed-response" && !inRange(ra.statusCode, 200, 599))
            p.push(`${rat}.action.statusCode must be 200-599; got ${ra.statusCode}`);
    }
    return p;
}

export class LoadBalancer extends pulumi.ComponentResource {
    readonly loadBalancerArn: pulumi.Output<string>;
    /** `app/<name>/<id>` or `net/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
    readonly arnSuffix: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly targetGroupArns: Record<string, pulumi.Output<string>>;
    /** CloudWatch `TargetGroup` dimension per target group. */
    readonly targetGroupArnSuffixes: Record<string, pulumi.Output<string>>;
    /** The listeners: services registering in the target groups wait for them. */
    readonly listeners: aws.lb.Listener[];
    /** The listener rules: services whose target group only a rule uses wait for them too. */
    readonly listenerRules: aws.lb.ListenerRule[];
    /** CloudWatch namespace of its metrics (`AWS/ApplicationELB` or `AWS/NetworkELB`). */
    readonly metricNamespace: string;
    private readonly componentName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:LoadBalancer", name, {}, opts);
        const problems = problemsOf(name, args);
        if (problems.length > 0) throw new Error(`LoadBalancer ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.tags = args.tags;
        this.metricNamespace = args.type === "application" ? "AWS/ApplicationELB" : "AWS/NetworkELB";

        const sg = this.securityGroup(name, args);
        const lb = this.loadBalancer(name, args, sg);
        const targetGroups = this.createTargetGroups(name, args);
        const { listeners, listenerRules } = this.createListeners(name, args, lb, targetGroups);
        if (args.alarmTopicArn !== undefined) this.targetHealthAlarms(name, args.alarmTopicArn, args, lb, targetGroups);

        this.securityGroupId = sg.id;
        this.targetGroupArns = {};
        this.targetGroupArnSuffixes = {};
        for (const [key, tg] of Object.entries(targetGroups)) {
            this.targetGroupArns[key] = tg.arn;
            this.targetGroupArnSuffixes[key] = tg.arnSuffix;
        }
        this.listeners = listeners;
        this.listenerRules = listenerRules;
        this.loadBalancerArn = lb.arn;
        this.arnSuffix = lb.arnSuffix;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            dnsName: this.dnsName,
            securityGroupId: this.securityGroupId,
            targetGroupArns: this.targetGroupArns,
        });
    }

    /** The security group, admitting TCP from exactly the `ingress` sources (rules `<name>-in-<key>`). */
    private securityGroup(name: string, args: LoadBalancerArgs): aws.ec2.SecurityGroup {
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${args.type === "application" ? "Application" : "Network"} load balancer ${name}`,
                revokeRulesOnDelete: true,
                tags: { ...args.tags, Name: `${name}-sg` },
            },
            { parent: this },
        );
        for (const [key, rule] of sorted(args.ingress)) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${key}`,
                {
                    securityGroupId: sg.id,
                    ipProtocol: "tcp",
                    fromPort: rule.port,
                    toPort: rule.port,
                    cidrIpv4: rule.cidrIpv4,
                    referencedSecurityGroupId: rule.sourceSecurityGroupId,
                    prefixListId: rule.prefixListId,
                    description: rule.description,
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        return sg;
    }

    /** The load balancer: access logs, deletion protection and the settings of its type. */
    private loadBalancer(name: string, args: LoadBalancerArgs, sg: aws.ec2.SecurityGroup): aws.lb.LoadBalancer {
        const alb = args.type === "application";
        return new aws.lb.LoadBalancer(
            name,
            {
                loadBalancerType: args.type,
                internal: args.internal ?? false,
                subnets: args.subnetIds,
                securityGroups: [sg.id],
                ipAddressType: "ipv4",
                enableDeletionProtection: args.protect,
                accessLogs: args.accessLogs
                    ? { enabled: true, bucket: args.accessLogs.bucketName, prefix: ACCESS_LOG_PREFIX }
                    : undefined,
                enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: alb
                    ? undefined
                    : (args.enforceInboundRulesOnPrivateLinkTraffic ?? true)
                      ? "on"
                      : "off",
                dropInvalidHeaderFields: alb ? true : undefined,
                idleTimeout: alb ? (args.idleTimeoutSeconds ?? 60) : undefined,
                enableCrossZoneLoadBalancing: alb ? undefined : (args.crossZone ?? true),
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** The target groups (target type `ip`) by key, in key order, with their health checks' defaults. */
    private createTargetGroups(name: string, args: LoadBalancerArgs): Record<string, aws.lb.TargetGroup> {
        const alb = args.type === "application";
        const targetGroups: Record<string, aws.lb.TargetGroup> = {};
        for (const [key, spec] of sorted(args.targetGroups)) {
            const hc = spec.healthCheck;
            targetGroups[key] = new aws.lb.TargetGroup(
                `${name}-${key}`,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    port: spec.port,
                    protocol: spec.protocol,
                    ipAddressType: "ipv4",
                    deregistrationDelay: spec.deregistrationDelaySeconds ?? 30,
                    preserveClientIp: alb ? undefined : String(spec.preserveClientIp ?? false),
                    healthCheck: {
                        enabled: true,
                        protocol: hc.protocol,
                        port: hc.port === undefined ? "traffic-port" : String(hc.port),
                        path: hc.protocol === "TCP" ? undefined : hc.path,
                        matcher: hc.protocol === "TCP" ? undefined : (hc.matcher ?? "200"),
                        interval: hc.intervalSeconds ?? 10,
                        timeout: hc.timeoutSeconds ?? 5,
                        healthyThreshold: hc.healthyThreshold ?? 3,
                        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
                    },
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        return targetGroups;
    }

    /** The listeners in key order (TLS policy, certificate, mutual TLS, default action) and their rules. */
    private createListeners(
        name: string,
        args: LoadBalancerArgs,
        lb: aws.lb.LoadBalancer,
        targetGroups: Record<string, aws.lb.TargetGroup>,
    ): { listeners: aws.lb.Listener[]; listenerRules: aws.lb.ListenerRule[] } {
        const listenerRules: aws.lb.ListenerRule[] = [];
        const listeners = sorted(args.listeners).map(([key, l]) => {
            const secure = l.protocol === "HTTPS" || l.protocol === "TLS";
            const m = l.mutualAuthentication;
            const listener = new aws.lb.Listener(
                `${name}-${key}`,
                {
                    loadBalancerArn: lb.arn,
                    port: l.port,
                    protocol: l.protocol,
                    certificateArn: secure ? l.certificateArn : undefined,
                    sslPolicy: secure ? (l.sslPolicy ?? DEFAULT_TLS_POLICY) : undefined,
                    mutualAuthentication: m
                        ? {
                              mode: "verify",
                              trustStoreArn: m.trustStoreArn,
                              ignoreClientCertificateExpiry: m.ignoreClientCertificateExpiry ?? false,
                              advertiseTrustStoreCaNames: (m.advertiseTrustStoreCaNames ?? true) ? "on" : "off",
                          }
                        : undefined,
                    defaultActions: [listenerAction(l.action, targetGroups)],
                    tags: args.tags,
                },
                { parent: this },
            );
            listenerRules.push(...this.rulesOf(`${name}-${key}`, args, l, listener, targetGroups));
            return listener;
        });
        return { listeners, listenerRules };
    }

    /** The rules of one listener in key order (`<listener>-<rule>`), conditions host, header, then path. */
    private rulesOf(
        listenerName: string,
        args: LoadBalancerArgs,
        l: ListenerSpec,
        listener: aws.lb.Listener,
        targetGroups: Record<string, aws.lb.TargetGroup>,
    ): aws.lb.ListenerRule[] {
        return sorted(l.rules ?? {}).map(([ruleKey, r]) => {
            const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
            if (r.hostHeaders?.length) conditions.push({ hostHeader: { values: r.hostHeaders } });
            if (r.httpHeader)
                conditions.push({ httpHeader: { httpHeaderName: r.httpHeader.name, values: r.httpHeader.values } });
            if (r.pathPatterns?.length) conditions.push({ pathPattern: { values: r.pathPatterns } });
            return new aws.lb.ListenerRule(
                `${listenerName}-${ruleKey}`,
                {
                    listenerArn: listener.arn,
                    priority: r.priority,
                    conditions,
                    actions: [listenerAction(r.action, targetGroups)],
                    tags: args.tags,
                },
                { parent: this },
            );
        });
    }

    /** Per target group: any unhealthy target for 3 minutes, and no healthy target for 2 minutes. */
    private targetHealthAlarms(
        name: string,
        alarmTopicArn: pulumi.Input<string>,
        args: LoadBalancerArgs,
        lb: aws.lb.LoadBalancer,
        targetGroups: Record<string, aws.lb.TargetGroup>,
    ): void {
        const actions = [alarmTopicArn];
        for (const [key, tg] of Object.entries(targetGroups)) {
            const dimensions = { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix };
            new aws.cloudwatch.MetricAlarm(
                `${name}-${key}-unhealthy`,
                {
                    alarmDescription: `${name}: a target of ${key} has failed its health checks for 3 minutes`,
                    namespace: this.metricNamespace,
                    metricName: "UnHealthyHostCount",
                    dimensions,
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                    alarmActions: actions,
                    okActions: actions,
                    tags: args.tags,
                },
                { parent: this },
            );
            new aws.cloudwatch.MetricAlarm(
                `${name}-${key}-no-healthy`,
                {
                    alarmDescription: `${name}: ${key} has had no healthy target for 2 minutes (the service is down)`,
                    namespace: this.metricNamespace,
                    metricName: "HealthyHostCount",
                    dimensions,
                    statistic: "Minimum",
                    period: 60,
                    evaluationPeriods: 2,
                    datapointsToAlarm: 2,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "breaching",
                    alarmActions: actions,
                    okActions: actions,
                    tags: args.tags,
                },
                { parent: this },
            );
        }
    }

    /** Allows TCP `port` from the load balancer to `destinationSecurityGroupId` (rule `<name>-out-<key>`). */
    allowEgressTo(
        key: string,
        rule: { port: number; destinationSecurityGroupId: pulumi.Input<string>; description: string },
    ): aws.vpc.SecurityGroupEgressRule {
        if (!isPort(rule.port))
            throw new Error(`LoadBalancer ${this.componentName}: egress ${key} port must be 1-65535; got ${rule.port}`);
        return egressRule(`${this.componentName}-out-${key}`, this.securityGroupId, rule, this.tags, { parent: this });
    }
}

/** A listener's or rule's action: forward to a target group, 301 to HTTPS, or a fixed response. */
function listenerAction(
    a: ListenerAction,
    targetGroups: Record<string, aws.lb.TargetGroup>,
): aws.types.input.lb.ListenerDefaultAction {
    return a.type === "forward"
        ? { type: "forward", targetGroupArn: targetGroups[a.targetGroup].arn }
        : a.type === "redirect-https"
          ? {
                type: "redirect",
                redirect: { protocol: "HTTPS", port: String(a.port ?? 443), statusCode: "HTTP_301" },
            }
          : {
                type: "fixed-response",
                fixedResponse: {
                    statusCode: String(a.statusCode),
                    contentType: a.contentType ?? "text/plain",
                    messageBody: a.body,
                },
            };
}
