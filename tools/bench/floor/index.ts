import * as aws from "@pulumi/aws";

const key = new aws.kms.Key("floor", { enableKeyRotation: true, description: "benchmark floor" });

export const keyArn = key.arn;
