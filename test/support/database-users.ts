/**
 * Stack-spec checks shared by the architectures that create their database users at deploy time
 * (`platform:data:DatabaseUsers`): the request the invocation sends, that the users it creates are
 * exactly those the task roles connect as, that the function is the only principal of the whole
 * stack whose policy names the master secret, and that it can reach Secrets Manager from where it runs.
 */
import * as assert from "assert";
import { nameOf, Plan, policyDocument, releasedPlan } from "./plan";

const T = {
    fn: "aws:lambda/function:Function",
    invocation: "aws:lambda/invocation:Invocation",
    db: "aws:rds/instance:Instance",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    subnet: "aws:ec2/subnet:Subnet",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    vpc: "aws:ec2/vpc:Vpc",
};

const actions = (st: { Action: string | string[] }) => (Array.isArray(st.Action) ? st.Action : [st.Action]);

/** The `rds-db:connect` user names of every role policy under `architecture` (the ARN's last segment). */
function connectUsers(plan: Plan, architecture: string): string[] {
    return plan
        .ofType(T.rolePolicy)
        .filter((p) => p.urn.includes(`::${architecture}`))
        .flatMap((p) => policyDocument(p.inputs!.policy).Statement)
        .filter((st) => actions(st).includes("rds-db:connect"))
        .map((st) => String(st.Resource).split("/").pop()!)
        .sort();
}

/**
 * Registers the `describe` block for `arch` (`ticketing`, `spotmusic`) in both stacks. `request` is the
 * invocation input expected (engine, database, users with their privileges); `dbServices` the ECS
 * services (logical names) that use the database and so must start after the users exist.
 */
export function describeDatabaseUsers(
    arch: string,
    architectureType: string,
    request: { engine: string; database: string; users: { name: string; privileges?: string[] }[] },
    dbServices: string[],
): void {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${arch} database users (${stack} plan)`, () => {
            let plan: Plan;
            before(function () {
                this.timeout(300_000);
                plan = releasedPlan(stack);
            });

            it("creates the users at deploy time: exactly the users the task roles connect as, re-run when they, the instance or the code change", () => {
                const inv = plan.one(T.invocation, `${arch}-db-users`);
                const fn = plan.one(T.fn, `${arch}-db-users-fn`);
                const db = plan.one(T.db, `${arch}-db`);
                assert.deepStrictEqual(JSON.parse(inv.inputs!.input as string), request);
                assert.strictEqual(inv.inputs!.functionName, fn.outputs!.name);
                assert.deepStrictEqual(inv.inputs!.triggers, {
                    users: JSON.stringify(request.users),
                    instance: db.outputs!.resourceId,
                    code: (fn.inputs!.tags as Record<string, string>).CodeSha256,
                });
                assert.deepStrictEqual(
                    connectUsers(plan, architectureType),
                    request.users.map((u) => u.name).sort(),
                    "every database user a task role connects as is created, and no other",
                );
            });

            it("starts the services that use the database only after the users exist; the others do not wait", () => {
                const invocation = plan.one(T.invocation, `${arch}-db-users`).urn;
                const waiting = plan
                    .ofType("aws:ecs/service:Service")
                    .filter((s) => s.urn.includes(`::${architectureType}`))
                    .filter((s) => ((s as { dependencies?: string[] }).dependencies ?? []).includes(invocation))
                    .map(nameOf)
                    .sort();
                assert.deepStrictEqual(waiting, [...dbServices].sort());
            });

            it("the function's role is the only policy in the whole stack that names the master secret", () => {
                const secretArn = (
                    plan.one(T.db, `${arch}-db`).outputs!.masterUserSecrets as { secretArn: string }[]
                )[0].secretArn;
                assert.match(secretArn, /^arn:aws:secretsmanager:sa-east-1:123456789012:secret:rds!db-/);
                const naming = [...plan.ofType(T.rolePolicy), ...plan.ofType(T.policy)].filter((p) =>
                    JSON.stringify(policyDocument(p.inputs!.policy)).includes(secretArn),
                );
                assert.deepStrictEqual(naming.map(nameOf), [`${arch}-db-users-fn-policy`]);
                const statements = policyDocument(naming[0].inputs!.policy).Statement.filter(
                    (st) => st.Sid === "ReadTheMasterSecret" || st.Sid === "DecryptTheMasterSecret",
                );
                const secretsKey = plan
                    .ofType("aws:kms/key:Key")
                    .find((k) => (k.inputs!.tags as Record<string, string>).Purpose === "secrets")!.outputs!.arn;
                assert.deepStrictEqual(statements, [
                    {
                        Sid: "ReadTheMasterSecret",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: secretArn,
                    },
                    {
                        Sid: "DecryptTheMasterSecret",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: secretsKey,
                        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
                    },
                ]);
            });

            it(`runs in the private subnets, which reach Secrets Manager (${stack === "prod" ? "its interface endpoint, private DNS" : "the NAT gateway"})`, () => {
                const fn = plan.one(T.fn, `${arch}-db-users-fn`);
                const privateSubnets = plan
                    .ofType(T.subnet)
                    .filter((s) => (s.inputs!.tags as Record<string, string>).Tier === "private")
                    .map((s) => s.id);
                const vpcConfig = fn.inputs!.vpcConfig as { subnetIds: string[] };
                assert.deepStrictEqual(vpcConfig.subnetIds, privateSubnets);
                for (const subnet of privateSubnets) {
                    const table = plan.ofType(T.association).find((a) => a.inputs!.subnetId === subnet)!.inputs!
                        .routeTableId;
                    const routes = plan.ofType(T.route).filter((r) => r.inputs!.routeTableId === table);
                    assert.deepStrictEqual(
                        routes.map((r) => [r.inputs!.destinationCidrBlock, String(r.inputs!.natGatewayId).slice(0, 4)]),
                        [["0.0.0.0/0", "nat-"]],
                        subnet,
                    );
                }
                const endpoints = plan
                    .ofType(T.endpoint)
                    .filter((e) => e.inputs!.serviceName === "com.amazonaws.sa-east-1.secretsmanager");
                assert.strictEqual(endpoints.length, stack === "prod" ? 1 : 0);
                if (stack === "prod") {
                    const e = endpoints[0].inputs as {
                        privateDnsEnabled: boolean;
                        subnetIds: string[];
                        securityGroupIds: string[];
                    };
                    assert.deepStrictEqual([e.privateDnsEnabled, e.subnetIds], [true, privateSubnets]);
                    const vpcCidr = plan.ofType(T.vpc)[0].inputs!.cidrBlock;
                    const admits = plan
                        .ofType(T.ingress)
                        .filter((r) => r.inputs!.securityGroupId === e.securityGroupIds[0])
                        .map((r) => [r.inputs!.cidrIpv4, r.inputs!.fromPort, r.inputs!.toPort]);
                    assert.deepStrictEqual(admits, [[vpcCidr, 443, 443]]);
                }
            });
        });
    }
}
