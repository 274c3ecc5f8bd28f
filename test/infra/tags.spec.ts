import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { platformTags } from "../../infra/shared/tags";
import { nameOf, stackPlan } from "../support/plan";

/** The @pulumi/aws class of a type token (`aws:ec2/vpc:Vpc` -> aws.ec2.Vpc). */
function resourceClass(type: string): any {
    const [, modulePath, className] = type.split(":");
    const mod = modulePath.split("/")[0];
    return mod === "index" ? (aws as any)[className] : (aws as any)[mod]?.[className];
}

/** Whether the resource type takes `tags` (its constructor copies `args.tags` into its inputs). */
function isTaggable(type: string): boolean {
    const cls = resourceClass(type);
    assert.ok(cls, `no @pulumi/aws class for ${type}`);
    return /resourceInputs\["tags"\]/.test(cls.toString());
}

describe("tags", () => {
    it("applies config tags, then extra tags, then the required keys, which always win", () => {
        const config = {
            project: "platform",
            stack: "dev",
            environment: "dev" as const,
            tags: { CostCenter: "42", Owner: "team" },
        };
        assert.deepStrictEqual(platformTags(config, "ticketing", { Owner: "payments", Stack: "spoofed" }), {
            CostCenter: "42",
            Owner: "payments",
            Project: "platform",
            Environment: "dev",
            Architecture: "ticketing",
            ManagedBy: "pulumi",
            Stack: "dev",
        });
    });

    it("recognises taggable types from the provider's own classes", () => {
        assert.strictEqual(isTaggable("aws:ec2/vpc:Vpc"), true);
        assert.strictEqual(isTaggable("aws:ec2/route:Route"), false);
        assert.strictEqual(isTaggable("aws:s3/bucketPolicy:BucketPolicy"), false);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`puts the required tags on every taggable resource of the ${stack} plan`, () => {
            const plan = stackPlan(stack);
            const taggable = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:") && isTaggable(r.type));
            assert.ok(taggable.length >= 25, `only ${taggable.length} taggable resources`);
            const untagged: string[] = [];
            for (const r of taggable) {
                const tags = (r.inputs!.tags ?? {}) as Record<string, string>;
                const architecture = tags.Architecture;
                const expected = {
                    Project: "platform",
                    Environment: stack,
                    ManagedBy: "pulumi",
                    Stack: stack,
                    CostCenter: `platform-${stack}`,
                };
                for (const [k, v] of Object.entries(expected))
                    if (tags[k] !== v) untagged.push(`${nameOf(r)} (${r.type}): ${k}=${tags[k]}`);
                if (!architecture) untagged.push(`${nameOf(r)} (${r.type}): no Architecture tag`);
            }
            assert.deepStrictEqual(untagged, []);
        });
    }
});
