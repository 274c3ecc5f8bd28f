import * as assert from "assert";
import { awsFactsPolicies } from "../../policy-pack/policies/aws-facts";
import { policyCases, res, UNKNOWN, usePack } from "./support/harness";

const ROOT = "arn:aws:iam::111122223333:root";
const keyPolicy = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const rootAdmin = { Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" };
const sourceAccount = { StringEquals: { "aws:SourceAccount": "111122223333" } };
/** The messaging key's service statements before the fix: EventBridge without DescribeKey and ReEncrypt*. */
const publishersOnly = {
    Effect: "Allow",
    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: sourceAccount,
};
const eventsDescribe = {
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "kms:DescribeKey",
    Resource: "*",
};
const eventsUse = {
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncrypt*"],
    Resource: "*",
    Condition: sourceAccount,
};
const logsUse = {
    Effect: "Allow",
    Principal: { Service: "logs.sa-east-1.amazonaws.com" },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:sa-east-1:111122223333:*" } },
};

/** The ARN `res` gives a custom resource's outputs. */
const arnOf = (r: { name: string }) => `arn:aws:test:::${r.name}`;
const key = (name: string, policy: unknown) => res("aws:kms/key:Key", name, { policy });
const bus = (k: ReturnType<typeof key>) =>
    res(
        "aws:cloudwatch/eventBus:EventBus",
        "orders",
        { name: "orders", kmsKeyIdentifier: arnOf(k) },
        { deps: { kmsKeyIdentifier: [k] } },
    );
const archive = (k: ReturnType<typeof key>, b: ReturnType<typeof bus>) =>
    res(
        "aws:cloudwatch/eventArchive:EventArchive",
        "orders-archive",
        { eventSourceArn: arnOf(b), kmsKeyIdentifier: arnOf(k) },
        { deps: { eventSourceArn: [b], kmsKeyIdentifier: [k] } },
    );

describe("policy-pack/policies/aws-facts (through the analyzer)", () => {
    const pack = usePack();

    it("registers every policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of awsFactsPolicies) assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
    });

    policyCases(pack, "kms-key-consumers", {
        compliant: [
            (() => {
                const k = key("messaging", keyPolicy([rootAdmin, publishersOnly, eventsDescribe, eventsUse]));
                const b = bus(k);
                const topic = res(
                    "aws:sns/topic:Topic",
                    "alarms",
                    { kmsMasterKeyId: arnOf(k) },
                    { deps: { kmsMasterKeyId: [k] } },
                );
                const alarm = res(
                    "aws:cloudwatch/metricAlarm:MetricAlarm",
                    "cpu",
                    { alarmActions: [arnOf(topic)] },
                    { deps: { alarmActions: [topic] } },
                );
                return { resources: [k, b, archive(k, b), topic, alarm] };
            })(),
            (() => {
                const k = key("logs", keyPolicy([rootAdmin, logsUse]));
                return {
                    resources: [
                        k,
                        res(
                            "aws:cloudwatch/logGroup:LogGroup",
                            "app",
                            { kmsKeyId: arnOf(k) },
                            { deps: { kmsKeyId: [k] } },
                        ),
                    ],
                };
            })(),
            (() => {
                // No policy: AWS's default key policy delegates everything to the account's IAM.
                const k = res("aws:kms/key:Key", "secrets", {});
                return {
                    resources: [
                        k,
                        res(
                            "aws:secretsmanager/secret:Secret",
                            "db",
                            { kmsKeyId: arnOf(k) },
                            { deps: { kmsKeyId: [k] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                // Today's messaging key: EventBridge may not DescribeKey, nor ReEncrypt* for the archive.
                const k = key("messaging", keyPolicy([rootAdmin, publishersOnly]));
                const b = bus(k);
                return {
                    resources: [k, b, archive(k, b)],
                    flagged: [k],
                    count: 2,
                    message:
                        /^Every customer-managed KMS key.*\nKMS key messaging encrypts data of EventBridge (event bus \(orders\.kmsKeyIdentifier\)|archive \(orders-archive\.kmsKeyIdentifier\)), but its policy does not allow Service events\.amazonaws\.com kms:DescribeKey(, kms:ReEncryptFrom, kms:ReEncryptTo)? .*AWS: https:\/\/docs\.aws\.amazon\.com\/eventbridge\//,
                };
            })(),
            (() => {
                // CloudWatch Logs without the documented encryption-context condition.
                const k = key("logs", keyPolicy([rootAdmin, { ...logsUse, Condition: undefined }]));
                const g = res(
                    "aws:cloudwatch/logGroup:LogGroup",
                    "app",
                    { kmsKeyId: arnOf(k) },
                    { deps: { kmsKeyId: [k] } },
                );
                return {
                    resources: [k, g],
                    flagged: [k],
                    message:
                        /allow Service logs\.<region>\.amazonaws\.com .* with a kms:EncryptionContext:aws:logs:arn condition/,
                };
            })(),
            (() => {
                // Alarms publish to a topic whose key does not let CloudWatch use it.
                const k = key("messaging", keyPolicy([rootAdmin]));
                const topic = res(
                    "aws:sns/topic:Topic",
                    "alarms",
                    { kmsMasterKeyId: arnOf(k) },
                    { deps: { kmsMasterKeyId: [k] } },
                );
                const alarm = res(
                    "aws:cloudwatch/metricAlarm:MetricAlarm",
                    "cpu",
                    { alarmActions: [arnOf(topic)] },
                    { deps: { alarmActions: [topic] } },
                );
                return {
                    resources: [k, topic, alarm],
                    flagged: [k],
                    message:
                        /CloudWatch alarms \(cpu -> alarms\).*allow Service cloudwatch\.amazonaws\.com kms:Decrypt, kms:GenerateDataKey/,
                };
            })(),
            (() => {
                // A key that does not delegate to the account's IAM, used by Secrets Manager.
                const k = key(
                    "secrets",
                    keyPolicy([{ ...rootAdmin, Principal: { AWS: "arn:aws:iam::111122223333:role/admin" } }]),
                );
                const s = res(
                    "aws:secretsmanager/secret:Secret",
                    "db",
                    { kmsKeyId: arnOf(k) },
                    { deps: { kmsKeyId: [k] } },
                );
                return {
                    resources: [k, s],
                    flagged: [k],
                    message:
                        /Secrets Manager \(db\.kmsKeyId\).*let the account's IAM policies grant kms:GenerateDataKey, kms:Decrypt/,
                };
            })(),
            (() => {
                // A service the table does not know yet.
                const k = key("data", keyPolicy([rootAdmin]));
                const fs = res(
                    "aws:efs/fileSystem:FileSystem",
                    "files",
                    { kmsKeyId: arnOf(k) },
                    { deps: { kmsKeyId: [k] } },
                );
                return {
                    resources: [k, fs],
                    flagged: [fs],
                    message:
                        /aws:efs\/fileSystem:FileSystem files uses KMS key data through kmsKeyId, but lib\/kms-consumers\.ts has no row/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const k = key("messaging", UNKNOWN);
                return { resources: [k, bus(k)] };
            })(),
        ],
    });

    const ingress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    policyCases(pack, "aws-value-constraints", {
        compliant: [
            {
                resources: [
                    res(ingress, "nlb-in-vpc-link", {
                        securityGroupId: "sg-1",
                        cidrIpv4: "10.0.0.0/16",
                        ipProtocol: "tcp",
                        description: "API Gateway VPC link (PrivateLink traffic from the NLB addresses) & more",
                        tags: { Project: "platform", "cost:center": "a/b=c+d-e@f" },
                    }),
                    res(ingress, "from-api", {
                        securityGroupId: "sg-1",
                        referencedSecurityGroupId: "sg-2",
                        description: "API service: tasks [web] {8080}",
                    }),
                    // Absent names: Pulumi auto-names them <logical name>-<7 hex>, which fits.
                    res("aws:lb/loadBalancer:LoadBalancer", "spotmusic-lb", { internal: true }),
                    res("aws:rds/instance:Instance", "Ticketing-DB", { engine: "postgres" }),
                    res("aws:wafv2/webAcl:WebAcl", "cdn-waf", {
                        visibilityConfig: { metricName: "cdn-waf", cloudWatchMetricsEnabled: true },
                        rules: [{ name: "rate-limit", visibilityConfig: { metricName: "cdn-waf-rate" } }],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                // Today's postech rule: an apostrophe, which no security group rule description accepts.
                const r = res(ingress, "postech-nlb-in-vpc-link", {
                    securityGroupId: "sg-1",
                    cidrIpv4: "10.20.0.0/16",
                    description:
                        "API Gateway VPC link (PrivateLink traffic arrives from the NLB's addresses in the VPC)",
                });
                return {
                    resources: [r],
                    flagged: [r],
                    message:
                        /security group rule description \(IPv4\/IPv6 range\) description ".*": has "'"\. AWS allows 0-255 characters: a-z, A-Z, 0-9, spaces, and \._-:\/\(\)#,@\[\]\+=&;\{\}!\$\* \(https:\/\/docs\.aws\.amazon\.com\/AWSEC2\/latest\/APIReference\/API_IpRange\.html\)/,
                };
            })(),
            (() => {
                // & is allowed for an address range but not when the rule references a group.
                const r = res(ingress, "from-api", {
                    securityGroupId: "sg-1",
                    referencedSecurityGroupId: "sg-2",
                    description: "API & workers",
                });
                return {
                    resources: [r],
                    flagged: [r],
                    message:
                        /referencing a security group or prefix list\) description "API & workers": has "&".*API_UserIdGroupPair/,
                };
            })(),
            (() => {
                // 25 characters plus Pulumi's 8-character suffix is more than a load balancer name may hold.
                const lb = res("aws:lb/loadBalancer:LoadBalancer", "coffee-shop-internal-albs", {});
                return {
                    resources: [lb],
                    flagged: [lb],
                    message:
                        /load balancer name name \(absent: Pulumi auto-names it "coffee-shop-internal-albs-" and 7 random hex digits\): 33 characters, more than 32/,
                };
            })(),
            (() => {
                const acl = res("aws:wafv2/webAcl:WebAcl", "waf", {
                    name: "waf",
                    visibilityConfig: { metricName: "All" },
                    rules: [{ name: "rate limit", visibilityConfig: { metricName: "rate limit" } }],
                });
                return {
                    resources: [acl],
                    flagged: [acl],
                    count: 3,
                    message:
                        /(WAF CloudWatch metric name visibilityConfig\.metricName "All": is reserved|rules\[0\]\.name "rate limit": has " "|rules\[0\]\.visibilityConfig\.metricName "rate limit": has " ")/,
                };
            })(),
            (() => {
                const p = res("aws:ssm/parameter:Parameter", "param", {
                    name: "/SSM/app/ttl",
                    type: "String",
                    value: "1",
                });
                return {
                    resources: [p],
                    flagged: [p],
                    message: /SSM parameter name name "\/SSM\/app\/ttl": starts with \/ssm\./,
                };
            })(),
            (() => {
                const q = res("aws:sqs/queue:Queue", "jobs", { name: "jobs", tags: { "aws:owner": "me" } });
                return { resources: [q], flagged: [q], message: /tag "aws:owner": key starts with aws:/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res(ingress, "rule", { securityGroupId: "sg-1", cidrIpv4: "10.0.0.0/8", description: UNKNOWN }),
                ],
            },
        ],
    });
});
