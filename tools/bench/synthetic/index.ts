/**
 * The synthetic program of `npm run bench`: `synthetic:count` resources of one plain type (SSM
 * parameters, each with a tag map) and nothing else, so its plan costs what registering that many
 * resources through the same runner costs, without the platform's components, Lambdas or applies.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const count = new pulumi.Config("synthetic").requireNumber("count");
for (let i = 0; i < count; i++) {
    new aws.ssm.Parameter(`p${i}`, { type: "String", value: `value ${i}`, tags: { Index: String(i) } });
}
