/**
 * Calls AWS JSON-protocol APIs (DynamoDB `DynamoDB_20120810.*`, EventBridge `AWSEvents.*`): one HTTPS
 * POST per call, signed with Signature Version 4 by AWS's own signer (`@smithy/signature-v4`, which the
 * AWS SDK v3 uses) with the function's credentials from the environment Lambda sets
 * (`@aws-sdk/credential-provider-env`).
 *
 * Why not the service clients: `@aws-sdk/client-dynamodb` and `@aws-sdk/client-eventbridge` are not
 * dependencies of this repository yet; the request envelope below is all the protocol needs for the
 * calls the coffee-shop functions make (a dozen lines), while signing and credentials stay in AWS's
 * code. Replace with the clients when they are added.
 *
 * Endpoint: `https://<service>.<region>.amazonaws.com/`, or the SDK's standard override variables
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_EVENTBRIDGE` (tests point them at a local server).
 * Errors: the service's `__type` (after `#`) becomes the thrown error's `name`, so callers test names
 * as with the SDK (`ConditionalCheckFailedException`, `ThrottlingException`, ...); the message is kept
 * out of logs by the callers.
 *
 * Protocol: https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html.
 */
import { createHash, createHmac } from 'node:crypto';

import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';

/** The services this client speaks to, with their JSON protocol version and endpoint prefix. */
export const SERVICES = {
  dynamodb: { signingName: 'dynamodb', endpointPrefix: 'dynamodb', contentType: 'application/x-amz-json-1.0', override: 'AWS_ENDPOINT_URL_DYNAMODB' },
  events: { signingName: 'events', endpointPrefix: 'events', contentType: 'application/x-amz-json-1.1', override: 'AWS_ENDPOINT_URL_EVENTBRIDGE' },
} as const;
export type Service = keyof typeof SERVICES;

/** Milliseconds before a call is abandoned. */
export const TIMEOUT_MS = 3000;

/** An error answered by the service: `name` is its error code. */
export class AwsError extends Error {
  constructor(
    name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = name;
  }
}

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data): Buffer => (typeof d === 'string' ? Buffer.from(d, 'utf8') : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d));

/** SHA-256 and HMAC-SHA256 with node:crypto, in the shape the signer expects. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const signers = new Map<string, SignatureV4>();
function signerFor(service: Service, region: string): SignatureV4 {
  const key = `${service}/${region}`;
  let signer = signers.get(key);
  if (signer === undefined) {
    signer = new SignatureV4({ service: SERVICES[service].signingName, region, credentials: fromEnv(), sha256: NodeSha256 });
    signers.set(key, signer);
  }
  return signer;
}

/**
 * Calls `target` (e.g. `DynamoDB_20120810.GetItem`) with `body`; resolves to the parsed JSON answer.
 * @throws AwsError for a service error; Error on timeout, a network failure or a non-JSON answer.
 */
export async function callAws<T = Record<string, unknown>>(service: Service, target: string, body: unknown): Promise<T> {
  const region = process.env.AWS_REGION ?? '';
  if (region === '') throw new Error('AWS_REGION is not set');
  const spec = SERVICES[service];
  const endpoint = new URL(process.env[spec.override] || `https://${spec.endpointPrefix}.${region}.amazonaws.com/`);
  const payload = JSON.stringify(body);
  const signed = await signerFor(service, region).sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port === '' ? undefined : Number(endpoint.port),
    path: endpoint.pathname,
    query: {},
    headers: { host: endpoint.host, 'content-type': spec.contentType, 'x-amz-target': target },
    body: payload,
  });
  const response = await fetch(endpoint, { method: 'POST', headers: signed.headers, body: payload, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new Error(`${target}: answer is not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const type = typeof parsed.__type === 'string' ? parsed.__type.split('#').pop()! : `Http${response.status}`;
    const message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : '';
    throw new AwsError(type, message, response.status);
  }
  return parsed as T;
}
