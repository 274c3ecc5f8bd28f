/**
 * The permissions boundary of every IAM role the platform program creates.
 *
 * The bootstrap program (bootstrap/) creates one customer managed policy with the fixed name
 * {@link WORKLOAD_BOUNDARY_POLICY_NAME}; the deploy roles may create, change and delete a platform role
 * only while it carries that boundary (`iam:PermissionsBoundary`), so a deploy role can never make a
 * role that reaches further than the boundary, whatever inline policy it gives it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 *
 * One place sets it: {@link registerPermissionsBoundary}, a stack transformation registered first in
 * index.ts, sets `permissionsBoundary` on every `aws:iam/role:Role` the program constructs (inside our
 * components too). It runs in the program's process, so the offline plan and the policy pack see the
 * value; roles that a remote component (awsx, eks) would create inside its own provider are out of its
 * reach, which is why the platform hands those components roles of its own (the EKS cluster is given its
 * service role and builds no default node group) and why the pack's `iam-role-permissions-boundary`
 * policy, which sees every resource in a real preview, is mandatory.
 */
import * as pulumi from "@pulumi/pulumi";

/** Name of the boundary policy the bootstrap program creates (path `/`). */
export const WORKLOAD_BOUNDARY_POLICY_NAME = "pulumi-ci-workload-boundary";

/** Type token of an IAM role (@pulumi/aws 7.x). */
const ROLE_TYPE = "aws:iam/role:Role";

/** `arn:<partition>:iam::<account>:policy/pulumi-ci-workload-boundary`. */
export function workloadBoundaryArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:policy/${WORKLOAD_BOUNDARY_POLICY_NAME}`;
}

/**
 * The transformation: `permissionsBoundary` of every `aws:iam/role:Role` becomes `boundaryArn`. A role
 * that names another boundary is a programming error and throws, naming the role.
 */
export function permissionsBoundaryTransformation(boundaryArn: pulumi.Input<string>): pulumi.ResourceTransformation {
    return (args) => {
        if (args.type !== ROLE_TYPE) return undefined;
        const given: unknown = args.props.permissionsBoundary;
        if (given !== undefined && given !== boundaryArn) {
            throw new Error(
                `IAM role ${args.name}: permissionsBoundary is set by the platform ` +
                    `(${WORKLOAD_BOUNDARY_POLICY_NAME}); remove it from the role's arguments`,
            );
        }
        return { props: { ...args.props, permissionsBoundary: boundaryArn }, opts: args.opts };
    };
}

/**
 * Registers {@link permissionsBoundaryTransformation} on the stack: call it before any resource is
 * constructed. `pulumi.runtime.registerStackTransformation` rather than `registerResourceTransform`,
 * because only the former runs under the offline plan's mocks (the latter goes through the engine's
 * callback server, which mocks do not have), and the plan and pack must see the boundary.
 */
export function registerPermissionsBoundary(boundaryArn: pulumi.Input<string>): void {
    pulumi.runtime.registerStackTransformation(permissionsBoundaryTransformation(boundaryArn));
}
