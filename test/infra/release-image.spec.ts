/**
 * EcrRepository.releaseImage under the offline plan's mocks: `unreleased` gives no image (the caller
 * creates no workload); a tag or a digest is looked up in the repository and runs pinned by digest.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { mockImageDigest, planMocks } from "../../tools/lib/mocks";
import { componentHarness, TAGS, value } from "./component-harness";

const h = componentHarness();

describe("EcrRepository.releaseImage (under mocks)", () => {
    before(() => h.install());

    it("gives no image while the release is unreleased, and pins a tag or a digest by digest", async () => {
        const repo = new EcrRepository("released", {
            repositoryName: "platform-test-released",
            kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/data",
            protect: false,
            tags: TAGS,
        });
        assert.strictEqual(repo.releaseImage("api", "unreleased"), undefined);
        const url = await value(repo.repositoryUrl);
        assert.strictEqual(
            await h.settle(repo.releaseImage("api", "1.2.3")!),
            `${url}@${mockImageDigest("platform-test-released", "1.2.3")}`,
        );
        const digest = `sha256:${"c".repeat(64)}`;
        assert.strictEqual(await h.settle(repo.releaseImage("api", digest)!), `${url}@${digest}`);
    });
});

describe("EcrRepository.releaseImage of a tag nobody pushed (under mocks)", () => {
    before(async () => {
        const mocks = planMocks({ defaultRegion: "sa-east-1", providerRegions: new Map() });
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => mocks.newResource(a),
                call: (a) => {
                    // What the provider answers when the tag is not in the repository.
                    if (a.token === "aws:ecr/getImage:getImage") throw new Error("ImageNotFoundException");
                    return mocks.call(a);
                },
            },
            "platform",
            "test",
            false,
        );
    });

    it("fails with the release key, the repository and what to do", async () => {
        const repo = new EcrRepository("missing", {
            repositoryName: "platform-test-missing",
            kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/data",
            protect: false,
            tags: TAGS,
        });
        const image = repo.releaseImage("ticket-service", "1.0.0")!;
        await assert.rejects((image as unknown as { promise(): Promise<string> }).promise(), {
            message:
                /^platform:releases\.ticket-service: image 1\.0\.0 is not in ECR repository platform-test-missing \(.*\); push it first, or set platform:releases\.ticket-service to unreleased \(docs\/first-deploy\.md\)$/,
        });
    });
});
