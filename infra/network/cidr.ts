/**
 * IPv4 CIDR arithmetic for laying out subnets: parse, check alignment, test overlap, carve sub-blocks.
 * Pure functions, no Pulumi; every error names the offending value.
 */

/** A parsed IPv4 block: `base` is the network address as an unsigned 32-bit integer. */
export interface Cidr {
    base: number;
    prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns a reason string instead of throwing, so validation can collect it.
 * The address must be the block's network address (`10.0.0.0/16`, not `10.0.1.0/16`).
 */
export function parseCidr(text: string): Cidr | string {
    const m = CIDR_PATTERN.exec(text);
    if (!m) return `'${text}' is not an IPv4 CIDR block like 10.0.0.0/16`;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255)) return `'${text}' has an octet above 255`;
    if (prefix > 32) return `'${text}' has a prefix length above 32`;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % size({ base: 0, prefix }) !== 0) {
        const network = formatCidr({ base: base - (base % size({ base: 0, prefix })), prefix });
        return `'${text}' is not aligned: the network address of a /${prefix} containing it is ${network}`;
    }
    return { base, prefix };
}

/** Number of addresses in the block. */
export function size(c: Cidr): number {
    return 2 ** (32 - c.prefix);
}

export function formatCidr(c: Cidr): string {
    const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
    return `${o.join(".")}/${c.prefix}`;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** The RFC 1918 private ranges, the only ones a VPC of this platform may use. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
    (t) => parseCidr(t) as Cidr,
);

/**
 * The `index`-th block of prefix length `prefix` inside `parent` (like Terraform's `cidrsubnet`).
 * @throws RangeError when the block does not fit.
 */
export function subnet(parent: Cidr, prefix: number, index: number): Cidr {
    if (prefix < parent.prefix) throw new RangeError(`a /${prefix} does not fit in ${formatCidr(parent)}`);
    const count = 2 ** (prefix - parent.prefix);
    if (index < 0 || index >= count)
        throw new RangeError(
            `${formatCidr(parent)} holds ${count} blocks of /${prefix}; index ${index} is out of range`,
        );
    return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}
