import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { FOUNDATION_KEYS } from "../../infra/config/keys";
import { ArchitectureConfigSpec, ConfigValidationError, RawConfig, validateConfig } from "../../infra/config/load";
import { loadStackSettings } from "../../tools/lib/stack-config";
import { ARCHITECTURES } from "../../stacks";
import { ROOT } from "../support/plan";

/** A valid dev config, as the engine passes it: every value a string. */
function baseValues(): Record<string, string> {
    return {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:releases": "{}",
    };
}

const raw = (overrides: Record<string, string | undefined>): RawConfig => {
    const values: Record<string, string | undefined> = { ...baseValues(), ...overrides };
    for (const k of Object.keys(values)) if (values[k] === undefined) delete values[k];
    return { project: "platform", stack: "dev", values };
};

/** A fake architecture module for the per-architecture rules. */
const SPECS: Record<string, ArchitectureConfigSpec> = {
    ticketing: {
        workloads: ["checkout-service", "ticket-service"],
        settings: z.strictObject({
            services: z.record(
                z.string(),
                z.strictObject({
                    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024)], {
                        error: (i) => `must be 256, 512 or 1024 CPU units; got ${JSON.stringify(i.input)}`,
                    }),
                }),
            ),
        }),
    },
};

function problemsOf(config: RawConfig, specs: Record<string, ArchitectureConfigSpec> = {}): readonly string[] {
    try {
        validateConfig(config, specs);
    } catch (err) {
        assert.ok(err instanceof ConfigValidationError, `expected ConfigValidationError, got ${String(err)}`);
        return err.problems;
    }
    assert.fail("the config was accepted");
}

describe("config validation", () => {
    it("accepts the base config and returns a typed, frozen object with defaults applied", () => {
        const c = validateConfig(raw({}), {});
        assert.deepStrictEqual(c.profile, {
            network: {
                vpcCidr: "10.10.0.0/16",
                reservedCidrs: [],
                azCount: 2,
                natGateways: "single",
                interfaceEndpoints: [],
            },
            logRetentionDays: 30,
            logArchiveRetentionDays: 365,
            protect: false,
            alarmEmail: "",
            alarmSubscriptions: {},
        });
        assert.deepStrictEqual(c.architectures, ["ticketing", "coffee-shop", "spotmusic", "postech", "mtls-api"]);
        assert.strictEqual(c.region, "sa-east-1");
        assert.ok(Object.isFrozen(c) && Object.isFrozen(c.profile.network) && Object.isFrozen(c.architectures));
    });

    const cases: [string, Record<string, string | undefined>, string[]][] = [
        [
            "a bad CIDR",
            { "platform:vpcCidr": "10.10.0.0/33" },
            ["platform:vpcCidr: must be an IPv4 CIDR block: '10.10.0.0/33' has a prefix length above 32"],
        ],
        [
            "a CIDR that is not a CIDR",
            { "platform:vpcCidr": "ten-dot-ten" },
            ["platform:vpcCidr: must be an IPv4 CIDR block: 'ten-dot-ten' is not an IPv4 CIDR block like 10.0.0.0/16"],
        ],
        [
            "an unaligned CIDR",
            { "platform:vpcCidr": "10.10.5.0/16" },
            [
                "platform:vpcCidr: must be an IPv4 CIDR block: '10.10.5.0/16' is not aligned: the network address of a /16 containing it is 10.10.0.0/16",
            ],
        ],
        [
            "a public CIDR",
            { "platform:vpcCidr": "8.8.0.0/16" },
            [
                'platform:vpcCidr: must lie in an RFC 1918 private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); got "8.8.0.0/16"',
            ],
        ],
        [
            "a VPC too small for the layout",
            { "platform:vpcCidr": "10.10.0.0/24" },
            [
                'platform:vpcCidr: must have a prefix length from /16 to /20 (the subnet layout cuts it in three tiers); got "10.10.0.0/24"',
            ],
        ],
        [
            "overlapping CIDRs",
            { "platform:reservedCidrs": '["10.10.128.0/20"]' },
            [
                "platform:vpcCidr: 10.10.0.0/16 overlaps platform:reservedCidrs[0] 10.10.128.0/20; choose a range that does not",
            ],
        ],
        [
            "a bad reserved CIDR",
            { "platform:reservedCidrs": '["10.300.0.0/16"]' },
            ["platform:reservedCidrs[0]: must be an IPv4 CIDR block: '10.300.0.0/16' has an octet above 255"],
        ],
        ["an AZ count out of range", { "platform:azCount": "7" }, ["platform:azCount: must be from 2 to 6; got 7"]],
        ["an AZ count of one", { "platform:azCount": "1" }, ["platform:azCount: must be from 2 to 6; got 1"]],
        [
            "an AZ count of the wrong type",
            { "platform:azCount": "two" },
            ['platform:azCount: must be an integer; got "two"'],
        ],
        [
            "an unknown architecture",
            { "platform:architectures": '["ticketing","shop"]' },
            [
                'platform:architectures[1]: unknown architecture "shop"; allowed: ticketing, coffee-shop, spotmusic, postech, mtls-api',
            ],
        ],
        [
            "a duplicated architecture",
            { "platform:architectures": '["postech","postech"]' },
            ["platform:architectures: lists an architecture more than once"],
        ],
        [
            "prod without protection",
            { "platform:environment": "prod", "platform:alarmEmail": "ops@example.com" },
            [
                "platform:protect: must be true when platform:environment is prod (deletion protection of stateful resources)",
            ],
        ],
        [
            "a missing required key",
            { "platform:vpcCidr": undefined },
            ["platform:vpcCidr: required; set it in Pulumi.dev.yaml (pulumi config set vpcCidr <value>)"],
        ],
        [
            "a missing region",
            { "aws:region": undefined },
            ["aws:region: required; set it in Pulumi.dev.yaml (pulumi config set aws:region sa-east-1)"],
        ],
        [
            "a boolean of the wrong type",
            { "platform:protect": "yes" },
            ['platform:protect: must be true or false; got "yes"'],
        ],
        [
            "an unknown NAT strategy",
            { "platform:natGateways": "none" },
            ['platform:natGateways: must be single or per-az; got "none"'],
        ],
        [
            "a log retention CloudWatch does not accept",
            { "platform:logRetentionDays": "10" },
            [
                "platform:logRetentionDays: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 10",
            ],
        ],
        [
            "an unknown environment",
            { "platform:environment": "qa" },
            ['platform:environment: must be one of dev, staging, prod; got "qa"'],
        ],
        [
            "an unknown interface endpoint",
            { "platform:interfaceEndpoints": '["ecr.api","s4"]' },
            [
                'platform:interfaceEndpoints[1]: unknown interface endpoint "s4"; allowed: ecr.api, ecr.dkr, logs, secretsmanager, sts, ssm, kms, sqs, sns, monitoring, xray, ecs, ecs-agent, ecs-telemetry, elasticloadbalancing, execute-api',
            ],
        ],
        [
            "a reserved tag key",
            { "platform:tags": '{"Environment":"prod"}' },
            [
                "platform:tags.Environment: is set by the platform and may not be overridden (reserved: Project, Environment, Architecture, ManagedBy, Stack)",
            ],
        ],
        [
            "an aws: tag key",
            { "platform:tags": '{"aws:owner":"x"}' },
            ["platform:tags.aws:owner: tag keys may not start with aws: (reserved by AWS)"],
        ],
        [
            "a bad alarm e-mail",
            { "platform:alarmEmail": "ops-at-example" },
            ['platform:alarmEmail: must be an e-mail address or empty; got "ops-at-example"'],
        ],
        [
            "a prod stack whose alarms notify nobody",
            { "platform:environment": "prod", "platform:protect": "true" },
            [
                "platform:alarmEmail: required when platform:environment is prod: the alarm topic needs a subscriber; set an e-mail address here or list subscribers in platform:alarmSubscriptions",
            ],
        ],
        [
            "alarm subscribers with a bad protocol, endpoint or name",
            {
                "platform:alarmSubscriptions": JSON.stringify({
                    pager: { protocol: "http", endpoint: "http://pager.example.com" },
                    chat: { protocol: "https", endpoint: "http://chat.example.com/hook" },
                    phone: { protocol: "sms", endpoint: "011 91234-5678" },
                }),
            },
            [
                'platform:alarmSubscriptions.pager.protocol: must be one of email, https, sms, sqs, lambda; got "http"',
                'platform:alarmSubscriptions.chat.endpoint: must be an https:// URL for protocol https; got "http://chat.example.com/hook"',
                'platform:alarmSubscriptions.phone.endpoint: must be an E.164 phone number such as +5511912345678 for protocol sms; got "011 91234-5678"',
            ],
        ],
        [
            "an alarm subscriber name that cannot be part of a logical name",
            { "platform:alarmSubscriptions": '{"On Call":{"protocol":"email","endpoint":"ops@example.com"}}' },
            [
                "platform:alarmSubscriptions.On Call: names are 1-32 lower-case letters, digits and hyphens, starting with a letter",
            ],
        ],
        [
            "a bad region",
            { "aws:region": "sao-paulo" },
            ['aws:region: must be an AWS region code such as sa-east-1; got "sao-paulo"'],
        ],
        ["a misspelt key", { "platform:azCnt": "3" }, ["platform:azCnt: unknown key; probably meant platform:azCount"]],
        [
            "a misspelt key standing for a required one",
            { "platform:azCount": undefined, "platform:azCoutn": "2" },
            [
                "platform:azCount: required; set it in Pulumi.dev.yaml (pulumi config set azCount <value>)",
                "platform:azCoutn: unknown key; probably meant platform:azCount, which is not set",
            ],
        ],
        [
            "an unknown key close to none",
            { "platform:colour": "blue" },
            [
                "platform:colour: unknown key; the platform reads platform:environment, platform:architectures, platform:vpcCidr, platform:reservedCidrs, platform:azCount, platform:natGateways, platform:interfaceEndpoints, platform:logRetentionDays, platform:logArchiveRetentionDays, platform:protect, platform:alarmEmail, platform:alarmSubscriptions, platform:tags, platform:releases",
            ],
        ],
        [
            "more Availability Zones than the region has",
            { "platform:azCount": "4" },
            ["platform:azCount: must be at most 3, the Availability Zones of sa-east-1; got 4"],
        ],
    ];
    for (const [what, overrides, expected] of cases) {
        it(`rejects ${what} with a message naming the key`, () => {
            assert.deepStrictEqual(problemsOf(raw(overrides)), expected);
        });
    }

    it("accepts a prod stack whose alarms reach a subscriber of any protocol, without an e-mail address", () => {
        const subscriptions = {
            oncall: { protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue" },
            queue: { protocol: "sqs", endpoint: "arn:aws:sqs:sa-east-1:123456789012:alarms" },
        };
        const c = validateConfig(
            raw({
                "platform:environment": "prod",
                "platform:protect": "true",
                "platform:alarmSubscriptions": JSON.stringify(subscriptions),
            }),
            {},
        );
        assert.deepStrictEqual(c.profile.alarmSubscriptions, subscriptions);
    });

    it("collects every problem at once instead of stopping at the first", () => {
        assert.deepStrictEqual(
            problemsOf(raw({ "platform:azCount": "9", "platform:natGateways": "both", "platform:vpcCidr": undefined })),
            [
                "platform:vpcCidr: required; set it in Pulumi.dev.yaml (pulumi config set vpcCidr <value>)",
                "platform:azCount: must be from 2 to 6; got 9",
                'platform:natGateways: must be single or per-az; got "both"',
            ],
        );
    });

    describe("architecture settings and releases", () => {
        const withTicketing = (overrides: Record<string, string | undefined>) =>
            raw({
                "platform:architectures": '["ticketing"]',
                "platform:releases": '{"checkout-service":"1.4.2","ticket-service":"sha256:' + "a".repeat(64) + '"}',
                ...overrides,
            });

        it("accepts complete releases and parses the architecture's settings", () => {
            const c = validateConfig(
                withTicketing({ "platform:ticketing": '{"services":{"checkout":{"cpu":512}}}' }),
                SPECS,
            );
            assert.deepStrictEqual(c.settings.ticketing, { services: { checkout: { cpu: 512 } } });
            assert.strictEqual(c.releases["checkout-service"], "1.4.2");
        });
        it("names the full nested key of a bad architecture setting", () => {
            assert.deepStrictEqual(
                problemsOf(withTicketing({ "platform:ticketing": '{"services":{"checkout":{"cpu":300}}}' }), SPECS),
                ["platform:ticketing.services.checkout.cpu: must be 256, 512 or 1024 CPU units; got 300"],
            );
        });
        it("names unknown nested keys", () => {
            assert.deepStrictEqual(
                problemsOf(
                    withTicketing({ "platform:ticketing": '{"services":{"checkout":{"cpu":256,"memroy":512}}}' }),
                    SPECS,
                ),
                ['platform:ticketing.services.checkout: unknown key "memroy"'],
            );
        });
        it("requires a release for every workload of a selected architecture", () => {
            assert.deepStrictEqual(
                problemsOf(withTicketing({ "platform:releases": '{"checkout-service":"1.4.2"}' }), SPECS),
                [
                    "platform:releases.ticket-service: required by architecture ticketing; set the image tag or version to deploy",
                ],
            );
        });
        it("rejects releases of unknown workloads and malformed versions", () => {
            assert.deepStrictEqual(
                problemsOf(
                    withTicketing({
                        "platform:releases": '{"checkout-service":"-bad","ticket-service":"1","ghost":"1"}',
                    }),
                    SPECS,
                ),
                [
                    'platform:releases.checkout-service: must be an image tag ([A-Za-z0-9_.-], at most 128 characters, not starting with . or -) or a digest sha256:<64 hex>; got "-bad"',
                    "platform:releases.ghost: unknown workload; known workloads: checkout-service, ticket-service",
                ],
            );
        });
    });

    describe("the committed stack files", () => {
        for (const stack of ["dev", "prod"]) {
            it(`Pulumi.${stack}.yaml is valid`, () => {
                const settings = loadStackSettings(ROOT, stack);
                const c = validateConfig({ project: settings.project, stack, values: settings.config }, ARCHITECTURES);
                assert.strictEqual(c.environment, stack);
            });
        }
        it("dev and prod differ in the profile the issue fixes (AZs, NAT, protection)", () => {
            const load = (stack: string) => {
                const s = loadStackSettings(ROOT, stack);
                return validateConfig({ project: s.project, stack, values: s.config }, ARCHITECTURES);
            };
            const dev = load("dev");
            const prod = load("prod");
            assert.deepStrictEqual(
                [dev.profile.network.azCount, dev.profile.network.natGateways, dev.profile.protect],
                [2, "single", false],
            );
            assert.deepStrictEqual(
                [prod.profile.network.azCount, prod.profile.network.natGateways, prod.profile.protect],
                [3, "per-az", true],
            );
        });
    });

    describe("Pulumi.yaml declares every key", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        for (const decl of FOUNDATION_KEYS) {
            it(`platform:${decl.key} with the same type, description and default`, () => {
                const declared = project.config[decl.key];
                assert.ok(declared, `Pulumi.yaml does not declare ${decl.key}`);
                assert.strictEqual(declared.type, decl.type);
                assert.strictEqual(declared.description, decl.description);
                assert.deepStrictEqual(declared.default, decl.default);
                if (decl.items) assert.deepStrictEqual(declared.items, { type: decl.items });
            });
        }
        for (const name of Object.keys(ARCHITECTURES)) {
            it(`platform:${name}, the settings of an implemented architecture, as an object`, () => {
                assert.strictEqual(
                    project.config[name]?.type,
                    "object",
                    `Pulumi.yaml does not declare ${name} as an object`,
                );
                assert.ok(project.config[name].description, `${name} has no description`);
            });
        }
        it("and nothing the program does not read", () => {
            const declared = Object.keys(project.config).filter((k) => !k.includes(":"));
            assert.deepStrictEqual(
                declared.sort(),
                [...FOUNDATION_KEYS.map((d) => d.key), ...Object.keys(ARCHITECTURES)].sort(),
            );
        });
    });
});
