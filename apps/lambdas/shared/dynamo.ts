/**
 * DynamoDB attribute values (`{"S": "x"}`, `{"N": "12"}`, ...) to and from plain JSON values, for the
 * types the coffee-shop tables hold: strings, numbers (finite), booleans, null, lists and maps.
 * Binary and set types are refused rather than guessed.
 *
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */

/** A JSON value DynamoDB can store through {@link marshall}. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** One attribute value in DynamoDB's wire form. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

/** Plain value -> attribute value. @throws TypeError for undefined, non-finite numbers, functions. */
export function toAttribute(value: Plain): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('DynamoDB numbers must be finite');
    return { N: String(value) };
  }
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === 'object') return { M: marshall(value) };
  throw new TypeError(`cannot store a ${typeof value} in DynamoDB`);
}

/** Plain object -> item (attribute name -> attribute value); `undefined` fields are left out. */
export function marshall(item: Record<string, Plain | undefined>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = toAttribute(v);
  return out;
}

/** Attribute value -> plain value. @throws TypeError for binary and set types. */
export function fromAttribute(value: unknown): Plain {
  const v = value as Record<string, unknown>;
  if (v === null || typeof v !== 'object') throw new TypeError('not an attribute value');
  if ('S' in v && typeof v.S === 'string') return v.S;
  if ('N' in v && typeof v.N === 'string') return Number(v.N);
  if ('BOOL' in v && typeof v.BOOL === 'boolean') return v.BOOL;
  if ('NULL' in v) return null;
  if ('L' in v && Array.isArray(v.L)) return v.L.map(fromAttribute);
  if ('M' in v && v.M !== null && typeof v.M === 'object') return unmarshall(v.M as Record<string, unknown>);
  throw new TypeError(`unsupported attribute type ${Object.keys(v).join(',')}`);
}

/** Item -> plain object. */
export function unmarshall(item: Record<string, unknown>): { [key: string]: Plain } {
  const out: { [key: string]: Plain } = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttribute(v);
  return out;
}
