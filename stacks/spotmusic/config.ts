/**
 * spotmusic, configuration: the workloads' application settings in SSM Parameter Store (SecureString, the
 * foundation's secrets key), one path per workload, and the statements that let a workload read its own path.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamStatement } from "../../infra/compute/fargate-service";
import { NAME, SpotmusicStep, Workload } from "./settings";

/** What later steps use of the configuration. */
export interface ConfigTier {
    /** The parameters, in the order of the `parameterNames` output. */
    parameters: aws.ssm.Parameter[];
    /** A workload's parameter path, `/<project>/<environment>/spotmusic/<workload>` (no trailing slash). */
    path: (workload: Workload) => string;
    /** The task role statements that read (and decrypt) the parameters under a workload's path, and no others. */
    readStatements: (workload: Workload) => IamStatement[];
}

/** The configuration: the parameters of `platform:spotmusic.config` under each workload's path. */
export function configTier(step: SpotmusicStep): ConfigTier {
    const { settings: s } = step;
    const path = (workload: Workload) => parameterPath(step, workload);
    const parameter = (workload: Workload, key: string, value: pulumi.Input<string>, description: string) =>
        secureParameter(step, workload, key, value, description);
    const parameters = [
        parameter(
            "web-api",
            "signed-url-ttl-seconds",
            String(s.config.signedUrlTtlSeconds),
            "Seconds a signed audio URL or cookie stays valid",
        ),
        parameter("web-api", "max-upload-mb", String(s.config.maxUploadMb), "Largest upload web-api presigns, in MB"),
        parameter(
            "workers",
            "transcode-profiles",
            JSON.stringify(s.config.transcodeProfiles),
            "Audio profiles workers transcode each upload into (JSON list)",
        ),
    ];
    return { parameters, path, readStatements: (workload) => readParameters(step, workload) };
}

/** `/<project>/<environment>/spotmusic/<workload>`: the path of a workload's parameters. */
export function parameterPath(step: SpotmusicStep, workload: Workload): string {
    return `/${step.config.project}/${step.config.environment}/${NAME}/${workload}`;
}

/** One SecureString parameter (Standard tier) at `<path of the workload>/<key>`, named `<name>-<workload>-<key>`. */
function secureParameter(
    step: SpotmusicStep,
    workload: Workload,
    key: string,
    value: pulumi.Input<string>,
    description: string,
): aws.ssm.Parameter {
    const { name, foundation, tags, child } = step;
    return new aws.ssm.Parameter(
        `${name}-${workload}-${key}`,
        {
            name: `${parameterPath(step, workload)}/${key}`,
            type: "SecureString",
            keyId: foundation.keys.keyArns.secrets,
            value,
            description,
            tier: "Standard",
            tags,
        },
        child,
    );
}

/** Read the parameters under the workload's path, and decrypt them with the secrets key through SSM only. */
function readParameters(step: SpotmusicStep, workload: Workload): IamStatement[] {
    const { foundation, config } = step;
    const ssm = pulumi.interpolate`arn:${foundation.partition}:ssm:${config.region}:${foundation.accountId}`;
    const arn = pulumi.interpolate`${ssm}:parameter${parameterPath(step, workload)}`;
    return [
        {
            Sid: "ReadItsParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            Resource: [arn, pulumi.interpolate`${arn}/*`],
        },
        {
            Sid: "DecryptItsParameters",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: foundation.keys.keyArns.secrets,
            Condition: { StringEquals: { "kms:ViaService": `ssm.${config.region}.amazonaws.com` } },
        },
    ];
}
