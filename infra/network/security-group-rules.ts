/**
 * Egress rules of a component's security group, one `aws.vpc.SecurityGroupEgressRule` per rule (the
 * standalone rule resources, so tests and policies see every rule), shared by FargateService,
 * LambdaFunction and LoadBalancer.
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A TCP/UDP port number, 1-65535. */
export const isPort = (p: unknown): boolean => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;

/** Egress from a security group to exactly one destination. */
export interface EgressRule {
    port: number;
    /** Last port of a range; default `port`. */
    toPort?: number;
    /** Default `tcp`. */
    protocol?: "tcp" | "udp";
    cidrIpv4?: string;
    destinationSecurityGroupId?: pulumi.Input<string>;
    prefixListId?: pulumi.Input<string>;
    /** Shown in the console: who the traffic goes to and why. */
    description: string;
}

/** The problem when a rule names no destination or more than one (`at` is the rule's field path). */
export function destinationProblems(
    at: string,
    rule: Pick<EgressRule, "cidrIpv4" | "destinationSecurityGroupId" | "prefixListId">,
): string[] {
    const destinations = [rule.cidrIpv4, rule.destinationSecurityGroupId, rule.prefixListId].filter(
        (d) => d !== undefined,
    ).length;
    return destinations === 1
        ? []
        : [`${at} must name exactly one of cidrIpv4, destinationSecurityGroupId, prefixListId; got ${destinations}`];
}

/** Registers the egress rule `name` on `securityGroupId`; the caller validates the rule first. */
export function egressRule(
    name: string,
    securityGroupId: pulumi.Input<string>,
    rule: EgressRule,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(
        name,
        {
            securityGroupId,
            ipProtocol: rule.protocol ?? "tcp",
            fromPort: rule.port,
            toPort: rule.toPort ?? rule.port,
            cidrIpv4: rule.cidrIpv4,
            referencedSecurityGroupId: rule.destinationSecurityGroupId,
            prefixListId: rule.prefixListId,
            description: rule.description,
            tags,
        },
        opts,
    );
}
