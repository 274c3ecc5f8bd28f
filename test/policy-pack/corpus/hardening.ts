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
            "hardening/lambda-deprecated-runtime",
            "lambda-supported-runtime",
            "Function still on nodejs16.x, deprecated 2024-06-12 (AwsSolutions-L1, Lambda.2).",
            res("aws:lambda/function:Function", "ticketing-legacy-webhook", {
                runtime: "nodejs16.x",
                handler: "index.handler",
                role: `arn:aws:iam::${ACCOUNT}:role/ticketing-legacy-webhook`,
            }),
        ),
        insecure(
            "hardening/eks-unsupported-version",
            "eks-supported-version",
            "Cluster on Kubernetes 1.28, past extended support since 2025-11-26 (EKS.2).",
            res("aws:eks/cluster:Cluster", "postech-legacy", {
                version: "1.28",
                roleArn: `arn:aws:iam::${ACCOUNT}:role/postech-legacy-cluster`,
                vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], endpointPublicAccess: false },
            }),
        ),
        insecure(
            "hardening/bucket-policy-partner-admin",
            "s3-bucket-policy-cross-account-actions",
            "Shared bucket whose policy lets a partner account rewrite the bucket policy (S3.6).",
            res("aws:s3/bucketPolicy:BucketPolicy", "coffee-shop-exports-policy", {
                bucket: "coffee-shop-exports",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "PartnerManages",
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::444455556666:root" },
                            Action: ["s3:GetObject", "s3:PutBucketPolicy"],
                            Resource: ["arn:aws:s3:::coffee-shop-exports", "arn:aws:s3:::coffee-shop-exports/*"],
                            Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT } },
                        },
                    ],
                }),
            }),
        ),
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
