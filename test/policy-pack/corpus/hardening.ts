/**
 * Corpus for the checks taken from cdk-nag AwsSolutions and Security Hub FSBP
 * (policy-pack/policies/hardening.ts), in the shapes other teams' state shows: awsx defaults,
 * IMDSv1 instances, buckets and queues without a TLS-only policy.
 */
import { res } from "../support/harness";
import { ACCOUNT, compliantBucket, containers, REGION } from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

export const corpus: CorpusModule = {
    insecure: [
        insecure(
            "hardening/bucket-no-tls-policy",
            "s3-bucket-ssl-requests-only",
            "Otherwise compliant bucket whose policy does not refuse plain HTTP.",
            compliantBucket("ticketing-exports")[0],
            compliantBucket("ticketing-exports").slice(1),
        ),
        insecure(
            "hardening/queue-no-dlq",
            "sqs-queue-dead-letter-queue",
            "Work queue without a redrive policy.",
            res("aws:sqs/queue:Queue", "spotmusic-transcode", { sqsManagedSseEnabled: true }),
        ),
        insecure(
            "hardening/instance-imdsv1",
            "ec2-imdsv2-required",
            "Web server instance with the metadata service's defaults (IMDSv1 allowed).",
            res("aws:ec2/instance:Instance", "legacy-www", {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" },
            }),
        ),
        insecure(
            "hardening/privileged-container",
            "ecs-task-definition-container-hardening",
            "EC2-launch-type task definition running a privileged container.",
            res("aws:ecs/taskDefinition:TaskDefinition", "metrics-agent", {
                family: "metrics-agent",
                requiresCompatibilities: ["EC2"],
                networkMode: "bridge",
                containerDefinitions: JSON.stringify([{ ...JSON.parse(containers(["agent"]))[0], privileged: true }]),
            }),
        ),
        insecure(
            "hardening/aws-keys-in-env",
            "ecs-task-definition-no-secret-environment",
            "Container given an access key pair in its environment.",
            res("aws:ecs/taskDefinition:TaskDefinition", "uploader", {
                family: "uploader",
                containerDefinitions: JSON.stringify([
                    {
                        ...JSON.parse(containers(["uploader"]))[0],
                        environment: [
                            { name: "AWS_ACCESS_KEY_ID", value: "AKIAEXAMPLE" },
                            { name: "AWS_SECRET_ACCESS_KEY", value: "example" },
                        ],
                    },
                ]),
            }),
        ),
        insecure(
            "hardening/ecr-mutable",
            "ecr-repository-tag-immutability",
            "Repository with the default mutable tags.",
            res("aws:ecr/repository:Repository", "web-api", { imageScanningConfiguration: { scanOnPush: true } }),
        ),
        insecure(
            "hardening/alb-keeps-invalid-headers",
            "lb-drop-invalid-header-fields",
            "awsx-style ALB with the default header handling.",
            res("aws:lb/loadBalancer:LoadBalancer", "nginx-lb", {
                loadBalancerType: "application",
                internal: false,
                accessLogs: { enabled: true, bucket: "platform-dev-log-archive-7c1e" },
            }),
        ),
        insecure(
            "hardening/cdn-no-waf",
            "cloudfront-waf",
            "Distribution without a web ACL.",
            res("aws:cloudfront/distribution:Distribution", "docs-cdn", {
                enabled: true,
                origins: [{ originId: "docs", domainName: "docs.example.com" }],
            }),
        ),
        insecure(
            "hardening/subnet-auto-public-ip",
            "ec2-subnet-no-auto-public-ip",
            "awsx default public subnet that gives every instance a public IP.",
            res("aws:ec2/subnet:Subnet", "test-vpc-public-1", {
                vpcId: "vpc-1",
                cidrBlock: "10.0.0.0/20",
                mapPublicIpOnLaunch: true,
            }),
        ),
        insecure(
            "hardening/trail-no-cloudwatch",
            "cloudtrail-cloudwatch-logs",
            "Trail delivering to S3 only.",
            res("aws:cloudtrail/trail:Trail", "org-trail", {
                s3BucketName: "org-trail-logs",
                enableLogFileValidation: true,
                kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/abc`,
            }),
        ),
    ],
    secure: [
        secure("hardening/imdsv2-instance", "Instance requiring IMDSv2 with hop limit 1.", [
            res("aws:ec2/instance:Instance", "bastion", {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                associatePublicIpAddress: false,
                rootBlockDevice: { encrypted: true },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            }),
        ]),
    ],
};
