/**
 * Every policy of the pack, grouped by domain. Each module also exports its policies one by one
 * so tests can reach them without starting the analyzer.
 */
import type { Policies } from "@pulumi/policy";
import { accessPolicies } from "./access";
import { awsFactsPolicies } from "./aws-facts";
import { dataProtectionPolicies } from "./data-protection";
import { deployReadinessPolicies } from "./deploy-readiness";
import { encryptionPolicies } from "./encryption";
import { hardeningPolicies } from "./hardening";
import { iamPolicies } from "./iam";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { transitPolicies } from "./transit";

export {
    accessPolicies,
    awsFactsPolicies,
    dataProtectionPolicies,
    deployReadinessPolicies,
    encryptionPolicies,
    hardeningPolicies,
    iamPolicies,
    loggingPolicies,
    networkPolicies,
    transitPolicies,
};

/**
 * The whole pack, in README order: encryption, transit, network, logging, data protection, IAM, access, AWS
 * facts, hardening, deploy readiness.
 */
export const allPolicies: Policies = [
    ...encryptionPolicies,
    ...transitPolicies,
    ...networkPolicies,
    ...loggingPolicies,
    ...dataProtectionPolicies,
    ...iamPolicies,
    ...accessPolicies,
    ...awsFactsPolicies,
    ...hardeningPolicies,
    ...deployReadinessPolicies,
];
