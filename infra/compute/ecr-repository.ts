/**
 * A private ECR repository (`platform:compute:EcrRepository`): image scan on push, immutable tags
 * (a tag names one image forever, so `releases` pins what runs), KMS encryption with the caller's
 * key, and a lifecycle policy that expires untagged images and keeps the last N tagged ones.
 *
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html (ECR creates a KMS
 * grant for itself when the repository is created; pulling needs no KMS permission),
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html.
 *
 * {@link EcrRepository.releaseImage} turns a workload's release (`platform:releases.<workload>`) into
 * the image reference a service runs, after checking the image is in the repository, or into nothing
 * while the release is {@link UNRELEASED} (the repository exists, the image is not pushed yet).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UNRELEASED } from "../config/keys";

export interface EcrRepositoryArgs {
    /**
     * Repository name (fixed: CI pushes to it): 2-256 lower-case letters, digits and `._-/`,
     * starting with a letter or digit, e.g. `platform-dev-mtls-api-gateway`.
     */
    repositoryName: string;
    /** KMS key ARN for image encryption (the platform's data key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Untagged images expire this many days after push. Default 7. */
    untaggedExpiryDays?: number;
    /** Tagged images kept (the newest by push date); older ones expire. Default 30, 1-1000. */
    keepTaggedImages?: number;
    /**
     * Protect the repository: Pulumi `protect` and no `forceDelete` (a repository holding images cannot be
     * deleted).
     */
    protect: boolean;
    tags: Record<string, string>;
}

const REPOSITORY_NAME = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export class EcrRepository extends pulumi.ComponentResource {
    readonly repositoryArn: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly repositoryName: pulumi.Output<string>;
    readonly registryId: pulumi.Output<string>;
    private readonly name: string;
    private readonly plainName: string;

    constructor(name: string, args: EcrRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:EcrRepository", name, {}, opts);
        this.name = name;
        this.plainName = args.repositoryName;
        const untagged = args.untaggedExpiryDays ?? 7;
        const keep = args.keepTaggedImages ?? 30;
        const problems: string[] = [];
        if (!REPOSITORY_NAME.test(args.repositoryName))
            problems.push(
                "repositoryName must be 2-256 lower-case letters, digits and . _ - / " +
                    "(each part starting and ending with a letter or digit); " +
                    `got ${JSON.stringify(args.repositoryName)}`,
            );
        if (!Number.isInteger(untagged) || untagged < 1)
            problems.push(`untaggedExpiryDays must be a positive integer; got ${untagged}`);
        if (!Number.isInteger(keep) || keep < 1 || keep > 1000)
            problems.push(`keepTaggedImages must be an integer from 1 to 1000; got ${keep}`);
        if (problems.length > 0) throw new Error(`EcrRepository ${name}: ${problems.join("; ")}`);

        const repository = new aws.ecr.Repository(
            name,
            {
                name: args.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                forceDelete: !args.protect,
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );

        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: repository.name,
                policy: JSON.stringify({
                    rules: [
                        {
                            rulePriority: 1,
                            description: `Expire untagged images ${untagged} days after push`,
                            selection: {
                                tagStatus: "untagged",
                                countType: "sinceImagePushed",
                                countUnit: "days",
                                countNumber: untagged,
                            },
                            action: { type: "expire" },
                        },
                        {
                            rulePriority: 2,
                            description: `Keep the last ${keep} tagged images`,
                            selection: {
                                tagStatus: "tagged",
                                tagPatternList: ["*"],
                                countType: "imageCountMoreThan",
                                countNumber: keep,
                            },
                            action: { type: "expire" },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        this.repositoryArn = repository.arn;
        this.repositoryUrl = repository.repositoryUrl;
        this.repositoryName = repository.name;
        this.registryId = repository.registryId;
        this.registerOutputs({ repositoryArn: this.repositoryArn, repositoryUrl: this.repositoryUrl });
    }

    /**
     * The image reference of `workload`'s release (a tag or a digest) in this repository, pinned by
     * digest: `<repositoryUrl>@sha256:<digest>`. Before anything uses it, the image is looked up
     * (`aws.ecr.getImage`, https://www.pulumi.com/registry/packages/aws/api-docs/ecr/getimage/), so a
     * release that was never pushed fails the preview with an error naming `platform:releases.<workload>`.
     * For {@link UNRELEASED}: `undefined`, and the run prints (`pulumi.log.info`) the commands that
     * push the image (https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-push-ecr-image.html).
     */
    releaseImage(workload: string, release: string): pulumi.Output<string> | undefined {
        const key = `platform:releases.${workload}`;
        if (release === UNRELEASED) {
            this.repositoryUrl.apply((url) =>
                pulumi.log.info(
                    `${key} is ${UNRELEASED}: ${this.name} exists, the workload that runs it is not created yet. ` +
                        "Push the image, then set the release and run pulumi up again:\n" +
                        `  aws ecr get-login-password --region ${url.split(".")[3]} | ` +
                        `docker login --username AWS --password-stdin ${url.split("/")[0]}\n` +
                        `  docker tag <local image> ${url}:<tag>\n` +
                        `  docker push ${url}:<tag>\n` +
                        `  pulumi config set --path '${key}' <tag>`,
                    this,
                ),
            );
            return undefined;
        }
        const digest = release.startsWith("sha256:");
        const found = aws.ecr
            .getImage(
                { repositoryName: this.plainName, ...(digest ? { imageDigest: release } : { imageTag: release }) },
                { parent: this },
            )
            .catch((err: unknown) => {
                throw new Error(
                    `${key}: image ${release} is not in ECR repository ${this.plainName} ` +
                        `(${err instanceof Error ? err.message : String(err)}); ` +
                        `push it first, or set ${key} to ${UNRELEASED} (docs/first-deploy.md)`,
                );
            });
        // Pinned by the digest ECR reports: tasks run exactly the image that was checked (tags are immutable too).
        return pulumi.all([this.repositoryUrl, found]).apply(([url, image]) => `${url}@${image.imageDigest}`);
    }
}
