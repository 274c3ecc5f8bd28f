/**
 * Facts about AWS that the platform needs as plain values.
 */

/**
 * Elastic Load Balancing account per region, the principal that writes ALB and Classic LB access logs
 * in regions available before August 2022. Newer regions use the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com` instead.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** Region of the resources CloudFront requires there: ACM certificates and CLOUDFRONT-scope WAF. */
export const CLOUDFRONT_REGION = "us-east-1";

/**
 * Availability Zones per region, for the regions this platform deploys to: the AZ IDs AWS lists for
 * the region in "AWS Availability Zones" (sa-east-1: sae1-az1 to sae1-az3; AWS: "Each Region has at
 * least three Availability Zones").
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 * A region absent from this table is checked at deploy time only (the network component compares
 * `platform:azCount` with the zones `getAvailabilityZones` returns); add its row with the page above.
 */
export const AZ_COUNT_BY_REGION: Readonly<Record<string, number>> = {
    "sa-east-1": 3,
};
