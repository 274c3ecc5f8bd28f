/**
 * The subnet plan of the platform VPC: three tiers across `azCount` Availability Zones.
 *
 * The VPC is cut into eight equal blocks (VPC prefix + 3). Blocks 0-5 hold one private (application)
 * subnet per AZ; block 6 is cut into eight public subnets (VPC prefix + 6) and block 7 into eight
 * isolated (data) subnets. With a /16 that is /19 private subnets (8,187 usable addresses: room for
 * EKS pod IPs), /22 public and /22 isolated subnets (1,019 usable each). Every subnet keeps its CIDR
 * when `azCount` grows, so adding an AZ never replaces existing subnets.
 *
 * Follows the sizing advice of https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
 * (AWS reserves 5 addresses per subnet).
 */
import { Cidr, formatCidr, parseCidr, subnet } from "./cidr";

/** The tiers of the platform network. */
export type SubnetTier = "public" | "private" | "isolated";
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "isolated"];

/** Limits of the layout: VPC prefix lengths and AZ counts it supports. */
export const LAYOUT_LIMITS = { minVpcPrefix: 16, maxVpcPrefix: 20, minAzCount: 2, maxAzCount: 6 } as const;

/** CIDR blocks per tier, index i in AZ i. */
export type SubnetLayout = Record<SubnetTier, string[]>;

/**
 * Computes the subnet CIDRs.
 * @param vpcCidr aligned IPv4 block with a prefix from /16 to /20.
 * @param azCount 2 to 6.
 * @throws RangeError when the arguments are outside those limits (config validation reports them first).
 */
export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") throw new RangeError(vpc);
    if (vpc.prefix < LAYOUT_LIMITS.minVpcPrefix || vpc.prefix > LAYOUT_LIMITS.maxVpcPrefix) {
        throw new RangeError(
            `VPC prefix /${vpc.prefix} is outside /${LAYOUT_LIMITS.minVpcPrefix}-/${LAYOUT_LIMITS.maxVpcPrefix}`,
        );
    }
    if (!Number.isInteger(azCount) || azCount < LAYOUT_LIMITS.minAzCount || azCount > LAYOUT_LIMITS.maxAzCount) {
        throw new RangeError(`azCount ${azCount} is outside ${LAYOUT_LIMITS.minAzCount}-${LAYOUT_LIMITS.maxAzCount}`);
    }
    const block = (i: number): Cidr => subnet(vpc, vpc.prefix + 3, i);
    const azs = [...Array(azCount).keys()];
    return {
        private: azs.map((i) => formatCidr(block(i))),
        public: azs.map((i) => formatCidr(subnet(block(6), vpc.prefix + 6, i))),
        isolated: azs.map((i) => formatCidr(subnet(block(7), vpc.prefix + 6, i))),
    };
}
