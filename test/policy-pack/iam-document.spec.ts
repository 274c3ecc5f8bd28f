import * as assert from "assert";
import * as proxyModule from "@pulumi/policy/proxy";
import {
    classifyActionOnAllResources,
    isNarrowingCondition,
    isServiceWideAction,
    isUnscopedResource,
    narrowingPrincipalConditions,
    parsePolicyDocument,
    PolicyStatement,
    wildcardMatch,
} from "../../policy-pack/lib/iam-document";

/**
 * @pulumi/policy's unknown-value proxy (the analyzer wraps every resource's props in it). Its
 * helpers are marked @internal and stripped from the .d.ts (it declares no exports), hence the cast.
 */
const proxy = proxyModule as unknown as {
    unknownCheckingProxy: <T extends object>(o: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownArrayValue: string;
};
const { unknownCheckingProxy, UnknownValueError, unknownStringValue } = proxy;

function statements(value: unknown): readonly PolicyStatement[] {
    const parsed = parsePolicyDocument(value);
    assert.strictEqual(parsed.kind, "document");
    return parsed.kind === "document" ? parsed.document.statements : [];
}

describe("policy-pack/lib/iam-document", () => {
    describe("parsePolicyDocument", () => {
        const doc = {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/*"] },
                { Effect: "Deny", NotAction: ["iam:*"], NotResource: "arn:aws:s3:::b" },
            ],
        };

        it("reads a JSON string and an object to the same statements", () => {
            for (const value of [JSON.stringify(doc), doc]) {
                const [read, deny] = statements(value);
                assert.strictEqual(read.sid, "Read");
                assert.strictEqual(read.isAllow, true);
                assert.deepStrictEqual(read.actions, ["s3:GetObject"]);
                assert.deepStrictEqual(read.resources, ["arn:aws:s3:::b/*"]);
                assert.strictEqual(read.notActions, undefined);
                assert.strictEqual(read.label, 'Statement[0] (Sid "Read")');
                assert.strictEqual(deny.isAllow, false);
                assert.deepStrictEqual(deny.notActions, ["iam:*"]);
                assert.deepStrictEqual(deny.notResources, ["arn:aws:s3:::b"]);
                assert.strictEqual(deny.label, "Statement[1]");
            }
        });

        it("accepts a single Statement object", () => {
            const [s] = statements({
                Statement: {
                    Effect: "Allow",
                    Action: "sqs:SendMessage",
                    Resource: "arn:aws:sqs:eu-west-1:111122223333:q",
                },
            });
            assert.deepStrictEqual(s.actions, ["sqs:SendMessage"]);
            assert.strictEqual(s.index, 0);
        });

        it("reports absent and invalid documents", () => {
            assert.deepStrictEqual(parsePolicyDocument(undefined), { kind: "absent" });
            assert.deepStrictEqual(parsePolicyDocument(""), { kind: "absent" });
            const notJson = parsePolicyDocument("{not json");
            assert.strictEqual(notJson.kind, "invalid");
            assert.match(notJson.kind === "invalid" ? notJson.reason : "", /^not valid JSON/);
            assert.deepStrictEqual(parsePolicyDocument("[1]"), { kind: "invalid", reason: "not a JSON object" });
            assert.deepStrictEqual(parsePolicyDocument({ Version: "2012-10-17" }), {
                kind: "invalid",
                reason: "it has no Statement object or list",
            });
            assert.deepStrictEqual(parsePolicyDocument({ Statement: ["x"] }), {
                kind: "invalid",
                reason: "Statement[0] is not an object",
            });
        });

        it("normalises principals and conditions", () => {
            const [s, t] = statements({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: ["arn:aws:iam::111122223333:root", "*"], Service: "logs.amazonaws.com" },
                        Condition: {
                            StringEquals: { "aws:SourceAccount": "111122223333", "aws:SourceArn": ["a", "b"] },
                            Bool: { "aws:SecureTransport": true },
                        },
                    },
                    { Effect: "Allow", Principal: "*" },
                ],
            });
            assert.deepStrictEqual(s.principal, {
                wildcard: true,
                aws: ["arn:aws:iam::111122223333:root", "*"],
                service: ["logs.amazonaws.com"],
                federated: [],
                canonicalUser: [],
            });
            assert.deepStrictEqual(s.conditions, [
                { operator: "StringEquals", key: "aws:SourceAccount", values: ["111122223333"] },
                { operator: "StringEquals", key: "aws:SourceArn", values: ["a", "b"] },
                { operator: "Bool", key: "aws:SecureTransport", values: ["true"] },
            ]);
            assert.strictEqual(t.principal?.wildcard, true);
            assert.deepStrictEqual(t.conditions, []);
        });

        it("throws UnknownValueError only for the element that is unknown", () => {
            const props = unknownCheckingProxy({
                policy: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: unknownStringValue }] },
            });
            const [s] = statements(props.policy);
            assert.deepStrictEqual(s.actions, ["s3:GetObject"]);
            assert.throws(() => s.resources, UnknownValueError);
            const whole = unknownCheckingProxy({ policy: unknownStringValue });
            assert.throws(() => parsePolicyDocument(whole.policy), UnknownValueError);
        });
    });

    describe("wildcards and ARNs", () => {
        it("matches IAM wildcards case-insensitively", () => {
            assert.strictEqual(wildcardMatch("s3:Get*", "s3:GetObject"), true);
            assert.strictEqual(wildcardMatch("iam:pass?ole", "iam:PassRole"), true);
            assert.strictEqual(wildcardMatch("s3:Get*", "s3:PutObject"), false);
            assert.strictEqual(wildcardMatch("s3:GetObject.", "s3:GetObjectX"), false);
        });

        it("recognises service-wide actions", () => {
            for (const a of ["*", "s3:*", "*:*", "*:GetObject", "S3:*", "iam:"])
                assert.strictEqual(isServiceWideAction(a), true, a);
            for (const a of ["s3:Get*", "s3:GetObject", "ec2:Describe*"])
                assert.strictEqual(isServiceWideAction(a), false, a);
        });

        it("recognises unscoped resources", () => {
            for (const r of ["*", "arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:aws:sqs:*:*:*", "arn:aws:*:*:*:*"]) {
                assert.strictEqual(isUnscopedResource(r), true, r);
            }
            for (const r of [
                "arn:aws:s3:::bucket/*",
                "arn:aws:dynamodb:eu-west-1:111122223333:table/*",
                "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x:*",
            ]) {
                assert.strictEqual(isUnscopedResource(r), false, r);
            }
        });
    });

    describe("classifyActionOnAllResources", () => {
        const cases: [string, string][] = [
            ["ecr:GetAuthorizationToken", "star-only"],
            ["XRAY:PutTraceSegments", "star-only"],
            ["cloudwatch:PutMetricData", "star-only"],
            ["ec2:DescribeNetworkInterfaces", "star-only"],
            ["logs:CreateLogGroup", "write"],
            ["ec2:DescribeInstances", "read"],
            ["ec2:Describe*", "read"],
            ["s3:ListAllMyBuckets", "read"],
            ["s3:GetObject", "sensitive"],
            ["secretsmanager:GetSecretValue", "sensitive"],
            ["sts:GetSessionToken", "sensitive"],
            ["iam:GetCredentialReport", "sensitive"],
            ["s3:Get*", "write"],
            ["s3:PutObject", "write"],
            ["iam:CreatePolicyVersion", "write"],
            ["kms:Decrypt", "write"],
            ["*:Describe*", "write"],
            ["ssm:Describe*", "read"],
            ["dynamodb:List*", "read"],
        ];
        for (const [action, expected] of cases) {
            it(`${action} -> ${expected}`, () => assert.strictEqual(classifyActionOnAllResources(action), expected));
        }
        it("accepts configured extra actions", () => {
            assert.strictEqual(
                classifyActionOnAllResources("ec2:CreateTags", new Set(["ec2:createtags"])),
                "star-only",
            );
        });
    });

    describe("conditions", () => {
        it("counts only positive operators with real values", () => {
            const c = (operator: string, key: string, values: string[]) => ({ operator, key, values });
            assert.strictEqual(isNarrowingCondition(c("StringEquals", "aws:SourceAccount", ["111122223333"])), true);
            assert.strictEqual(
                isNarrowingCondition(c("ArnLike", "aws:SourceArn", ["arn:aws:sns:eu-west-1:111122223333:*"])),
                true,
            );
            assert.strictEqual(
                isNarrowingCondition(c("StringNotEquals", "aws:SourceAccount", ["111122223333"])),
                false,
            );
            assert.strictEqual(
                isNarrowingCondition(c("StringEqualsIfExists", "aws:SourceAccount", ["111122223333"])),
                false,
            );
            assert.strictEqual(isNarrowingCondition(c("StringLike", "aws:SourceArn", ["*"])), false);
            assert.strictEqual(isNarrowingCondition(c("IpAddress", "aws:SourceIp", ["0.0.0.0/0"])), false);
            assert.strictEqual(
                isNarrowingCondition(c("ForAllValues:StringEquals", "aws:PrincipalOrgID", ["o-1"])),
                false,
            );
            assert.strictEqual(isNarrowingCondition(c("StringEquals", "aws:SourceAccount", [])), false);
        });

        it("selects the principal-narrowing keys", () => {
            const [s] = statements({
                Statement: {
                    Effect: "Allow",
                    Principal: "*",
                    Condition: {
                        Bool: { "aws:SecureTransport": "true" },
                        StringEquals: { "AWS:SourceOwner": "111122223333", "aws:PrincipalOrgID": "o-abc" },
                    },
                },
            });
            assert.deepStrictEqual(
                narrowingPrincipalConditions(s).map((c) => c.key),
                ["AWS:SourceOwner", "aws:PrincipalOrgID"],
            );
        });
    });
});
