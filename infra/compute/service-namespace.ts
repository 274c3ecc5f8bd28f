/**
 * A Cloud Map private DNS namespace (`platform:compute:ServiceNamespace`): services register their
 * tasks as `<service>.<namespace>` A records, answered by the VPC's resolver to clients inside the VPC
 * only. Give each architecture its own namespace.
 *
 * https://docs.aws.amazon.com/cloud-map/latest/dg/working-with-namespaces.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceNamespaceArgs {
    /**
     * DNS name of the namespace, e.g. `mtls-api.internal`: lower-case labels of letters, digits and
     * `-`, at most 253 characters. Prefer a name under `.internal` (reserved for private use) over
     * `.local` (multicast DNS).
     */
    namespaceName: string;
    vpcId: pulumi.Input<string>;
    description?: string;
    tags: Record<string, string>;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export class ServiceNamespace extends pulumi.ComponentResource {
    readonly namespaceId: pulumi.Output<string>;
    readonly namespaceArn: pulumi.Output<string>;
    /** The DNS name (plain value: hostnames are built from it before deployment). */
    readonly namespaceName: string;

    constructor(name: string, args: ServiceNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ServiceNamespace", name, {}, opts);
        if (!DNS_NAME.test(args.namespaceName)) {
            throw new Error(
                `ServiceNamespace ${name}: namespaceName must be a DNS name of at least two lower-case labels ` +
                    `(e.g. mtls-api.internal); got ${JSON.stringify(args.namespaceName)}`,
            );
        }
        const namespace = new aws.servicediscovery.PrivateDnsNamespace(
            name,
            {
                name: args.namespaceName,
                vpc: args.vpcId,
                description: args.description ?? `Service discovery of ${name}`,
                tags: args.tags,
            },
            { parent: this },
        );
        this.namespaceId = namespace.id;
        this.namespaceArn = namespace.arn;
        this.namespaceName = args.namespaceName;
        this.registerOutputs({ namespaceId: this.namespaceId, namespaceArn: this.namespaceArn });
    }
}
