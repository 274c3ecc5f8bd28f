/**
 * The first `pulumi up` of the committed stack files into an empty account (docs/first-deploy.md):
 * nothing waits on DNS records or on images a person must push. Certificates are requested with their
 * records as outputs, and nothing that needs them issued exists yet; external images are `unreleased`,
 * so their services do not exist yet; the image built here (the mtls-api gateway) runs. The released
 * plan (after the manual steps) has the rest, and every ECS service waits for steady state.
 */
import * as assert from "assert";
import { nameOf, Plan, releasedPlan, stackPlan } from "../support/plan";

const T = {
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    dist: "aws:cloudfront/distribution:Distribution",
    listener: "aws:lb/listener:Listener",
    service: "aws:ecs/service:Service",
    repo: "aws:ecr/repository:Repository",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    task: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

const names = (plan: Plan, type: string, prefix = "") =>
    plan
        .ofType(type)
        .map(nameOf)
        .filter((n) => n.startsWith(prefix))
        .sort();
const arch = (plan: Plan, name: string) => plan.outputs.architectures[name];

for (const stack of ["dev", "prod"] as const) {
    describe(`first deployment of the committed ${stack} stack`, function () {
        this.timeout(600_000);
        let plan: Plan;
        before(() => {
            plan = stackPlan(stack);
        });

        it("requests every certificate and registers no validation that would wait for DNS records", () => {
            assert.deepStrictEqual(names(plan, T.validation), []);
            assert.deepStrictEqual(names(plan, T.cert), [
                "coffee-shop-cdn-certificate",
                "spotmusic-api-certificate",
                "spotmusic-cdn-certificate",
                "ticketing-cdn-certificate",
                "ticketing-origin-certificate",
            ]);
        });

        it("creates no CloudFront distribution, HTTPS listener or API integration before the certificates are issued", () => {
            assert.deepStrictEqual(names(plan, T.dist), []);
            // Only TCP listeners (the NLBs'), which need no ACM certificate.
            assert.deepStrictEqual(
                plan
                    .ofType(T.listener)
                    .filter((l) => l.inputs!.protocol !== "TCP" || l.inputs!.certificateArn !== undefined)
                    .map(nameOf),
                [],
            );
            assert.ok(names(plan, T.listener).includes("mtls-api-nlb-tls"));
            assert.deepStrictEqual(names(plan, T.integration, "spotmusic"), []);
            assert.deepStrictEqual(names(plan, T.route, "spotmusic"), []);
        });

        it("creates the repositories but starts no service on an image nobody pushed; the gateway built here runs", () => {
            assert.deepStrictEqual(names(plan, T.service), ["mtls-api-gateway"]);
            assert.deepStrictEqual(names(plan, T.repo), [
                "mtls-api-api-repo",
                "mtls-api-gateway-repo",
                "postech-api-repo",
                "spotmusic-web-api-repo",
                "spotmusic-workers-repo",
                "ticketing-checkout-repo",
                "ticketing-notification-repo",
                "ticketing-product-repo",
                "ticketing-reservation-repo",
                "ticketing-ticket-repo",
            ]);
            const gateway = JSON.parse(String(plan.one(T.task, "mtls-api-gateway-task").inputs!.containerDefinitions));
            assert.ok(
                gateway[0].environment.some(
                    (e: { name: string; value: string }) =>
                        e.name === "API_UPSTREAM" && e.value === "api.mtls-api.internal:8000",
                ),
            );
        });

        it("outputs the DNS records to create for every certificate", () => {
            const purposes = (records: { purpose: string; type: string }[]) => records.map((r) => [r.purpose, r.type]);
            assert.deepStrictEqual(purposes(arch(plan, "ticketing").dnsRecordsToCreate), [
                ["CloudFront certificate validation", "CNAME"],
                ["origin certificate validation", "CNAME"],
                ["origin (CloudFront -> ALB)", "CNAME"],
            ]);
            assert.deepStrictEqual(purposes(arch(plan, "spotmusic").dnsRecordsToCreate), [
                ["CloudFront certificate validation", "CNAME"],
                ["internal API certificate validation", "CNAME"],
            ]);
            assert.match(arch(plan, "coffee-shop").certificateValidationRecord.name, /^_[0-9a-f]{32}\.shop\./);
        });
    });

    describe(`the ${stack} stack after the first deployment's manual steps (released plan)`, function () {
        this.timeout(600_000);
        let plan: Plan;
        before(() => {
            plan = releasedPlan(stack);
        });

        it("runs every service, each waiting for steady state so that an up whose tasks cannot start fails", () => {
            const services = plan.ofType(T.service);
            assert.deepStrictEqual(services.map(nameOf).sort(), [
                "mtls-api-api",
                "mtls-api-gateway",
                "spotmusic-web-api",
                "spotmusic-workers",
                "ticketing-checkout",
                "ticketing-notification",
                "ticketing-product",
                "ticketing-reservation",
                "ticketing-ticket",
            ]);
            for (const s of services) assert.strictEqual(s.inputs!.waitForSteadyState, true, nameOf(s));
        });

        it("serves the custom names on CloudFront and still registers no validation (ACM reported the certificates issued)", () => {
            assert.deepStrictEqual(
                plan
                    .ofType(T.dist)
                    .map((d) => [nameOf(d), (d.inputs!.aliases as string[])[0]])
                    .sort(),
                [
                    ["coffee-shop-cdn", stack === "dev" ? "shop.dev.example.com" : "shop.example.com"],
                    ["spotmusic-cdn", stack === "dev" ? "music.dev.example.com" : "music.example.com"],
                    ["ticketing-cdn", stack === "dev" ? "tickets.dev.example.com" : "tickets.example.com"],
                ],
            );
            assert.deepStrictEqual(names(plan, T.validation), []);
        });
    });
}
