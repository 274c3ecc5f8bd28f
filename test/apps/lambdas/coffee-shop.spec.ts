import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createServer, Server, TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

import { handler as steps, charge, StepError } from '../../../apps/lambdas/order-steps/handler';
import { handler as orders, newOrderId, parseLines } from '../../../apps/lambdas/orders/handler';
import { handler as products, resetCacheConnection } from '../../../apps/lambdas/products/handler';
import { AwsError, callAws } from '../../../apps/lambdas/shared/aws-json';
import { marshall, unmarshall } from '../../../apps/lambdas/shared/dynamo';
import { encodeCommand, parseReply, RedisConnection, Reply } from '../../../apps/lambdas/shared/redis';
import { awsEnvironment, FakeAws } from './fake-aws';
import { captureConsole, CapturedLogs, lambdaContext } from './support';

const ORIGIN = 'https://shop.example.com';
const SUB = '8f1c2d3e-0000-4000-8000-00000000abcd';

function apiEvent(method: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body: null,
    httpMethod: method,
    path: resource,
    resource,
    isBase64Encoded: false,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'api-req-1', authorizer: { claims: { sub: SUB } } } as unknown as APIGatewayProxyEvent['requestContext'],
    ...extra,
  };
}
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Record<string, any>;
const product = (id: string, priceCents: number, extra: Record<string, unknown> = {}) => marshall({ productId: id, category: 'beans', name: id, priceCents, currency: 'BRL', available: true, ...extra });

describe('coffee-shop functions', () => {
  const aws = new FakeAws();
  let restore: () => void;
  let logs: CapturedLogs;
  before(async () => {
    const endpoint = await aws.start();
    restore = awsEnvironment(endpoint, { PRODUCTS_TABLE: 'products-t', ORDERS_TABLE: 'orders-t', EVENT_BUS_NAME: 'orders-bus', ALLOWED_ORIGIN: ORIGIN });
  });
  after(async () => {
    restore();
    await aws.stop();
  });
  beforeEach(() => {
    aws.reset();
    logs = captureConsole();
  });
  afterEach(() => logs.restore());

  describe('shared/aws-json', () => {
    it('signs with SigV4 for the service and region, speaks the JSON protocol version of each service', async () => {
      aws.on('DynamoDB_20120810.GetItem', () => ({ Item: { productId: { S: 'x' } } })).on('AWSEvents.PutEvents', () => ({ FailedEntryCount: 0 }));
      assert.deepEqual(await callAws('dynamodb', 'DynamoDB_20120810.GetItem', { TableName: 't' }), { Item: { productId: { S: 'x' } } });
      await callAws('events', 'AWSEvents.PutEvents', { Entries: [] });
      const [ddb, events] = aws.calls;
      assert.match(ddb.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/sa-east-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      assert.match(events.authorization, /\/sa-east-1\/events\/aws4_request/);
      assert.deepEqual([ddb.contentType, events.contentType], ['application/x-amz-json-1.0', 'application/x-amz-json-1.1']);
    });

    it("throws the service's error name, like the SDK", async () => {
      aws.on('DynamoDB_20120810.PutItem', () => ({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' } }));
      await assert.rejects(callAws('dynamodb', 'DynamoDB_20120810.PutItem', {}), (err: AwsError) => err.name === 'ConditionalCheckFailedException' && err.statusCode === 400);
    });
  });

  describe('shared/dynamo', () => {
    it('round-trips strings, numbers, booleans, null, lists and maps', () => {
      const value = { s: 'a', n: 12.5, b: true, z: null, l: [1, 'x'], m: { k: [false] } };
      const item = marshall({ ...value, skipped: undefined });
      assert.deepEqual(item, { s: { S: 'a' }, n: { N: '12.5' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ N: '1' }, { S: 'x' }] }, m: { M: { k: { L: [{ BOOL: false }] } } } });
      assert.deepEqual(unmarshall(item), value);
      assert.throws(() => marshall({ n: Number.NaN }), /finite/);
      assert.throws(() => unmarshall({ b: { B: 'AAEC' } }), /unsupported attribute type B/);
    });
  });

  describe('shared/redis (RESP over TLS)', () => {
    let dir: string;
    let server: Server;
    let port: number;
    let ca: string;
    const store = new Map<string, string>();
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'redis-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      server = createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, (socket: TLSSocket) => {
        let authed = false;
        let buf = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk]);
          const text = buf.toString('utf8');
          const parts = text.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
          if (!text.endsWith('\r\n') || parts.length !== Number(text.slice(1, text.indexOf('\r\n')))) return;
          buf = Buffer.alloc(0);
          const [cmd, ...args] = parts;
          if (cmd === 'AUTH') {
            authed = args[0] === 'right-token';
            socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair\r\n');
          } else if (!authed) socket.write('-NOAUTH Authentication required.\r\n');
          else if (cmd === 'GET') socket.write(store.has(args[0]) ? `$${Buffer.byteLength(store.get(args[0])!)}\r\n${store.get(args[0])}\r\n` : '$-1\r\n');
          else if (cmd === 'SET') {
            store.set(args[0], args[1]);
            socket.write('+OK\r\n');
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('encodes commands as RESP arrays of bulk strings and parses every reply kind', () => {
      assert.equal(encodeCommand(['SET', 'k', 'vé']), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvé\r\n');
      const replies: [string, Reply][] = [['+OK\r\n', { kind: 'simple', value: 'OK' }], [':7\r\n', { kind: 'integer', value: 7 }], ['$-1\r\n', { kind: 'bulk', value: null }], ['$2\r\nhi\r\n', { kind: 'bulk', value: 'hi' }], ['-ERR x\r\n', { kind: 'error', message: 'ERR x' }]];
      for (const [wire, reply] of replies) assert.deepEqual(parseReply(Buffer.from(wire))?.reply, reply);
      assert.equal(parseReply(Buffer.from('$5\r\nhel')), undefined, 'incomplete bulk');
    });

    it('authenticates over verified TLS, then GETs and SETs', async () => {
      const c = await RedisConnection.open({ host: 'localhost', port, authToken: 'right-token', ca });
      assert.deepEqual(await c.command(['GET', 'k']), { kind: 'bulk', value: null });
      assert.deepEqual(await c.command(['SET', 'k', '{"a":1}', 'EX', '300']), { kind: 'simple', value: 'OK' });
      assert.deepEqual(await c.command(['GET', 'k']), { kind: 'bulk', value: '{"a":1}' });
      c.close();
    });

    it('refuses a wrong token and an untrusted certificate', async () => {
      await assert.rejects(RedisConnection.open({ host: 'localhost', port, authToken: 'wrong', ca }), /AUTH refused/);
      await assert.rejects(RedisConnection.open({ host: 'localhost', port, authToken: 'right-token' }), /self-signed|self signed/);
    });
  });

  describe('products', () => {
    const secrets = mockClient(SecretsManagerClient);
    const cached = new Map<string, string>();
    const realOpen = RedisConnection.open.bind(RedisConnection);
    let opened = 0;
    before(() => {
      Object.assign(process.env, { CACHE_HOST: 'master.cache.local', CACHE_SECRET_ARN: 'arn:aws:secretsmanager:sa-east-1:123456789012:secret:cache-AbCdEf', CACHE_TTL_SECONDS: '120' });
      RedisConnection.open = (endpoint) => {
        opened++;
        assert.deepEqual([endpoint.host, endpoint.port, endpoint.authToken], ['master.cache.local', 6379, 'tok-123']);
        return Promise.resolve({
          command: (args: string[]) => {
            if (args[0] === 'GET') return Promise.resolve<Reply>({ kind: 'bulk', value: cached.get(args[1]) ?? null });
            assert.deepEqual([args[0], args[3], args[4]], ['SET', 'EX', '120']);
            cached.set(args[1], args[2]);
            return Promise.resolve<Reply>({ kind: 'simple', value: 'OK' });
          },
          close: () => undefined,
        } as unknown as RedisConnection);
      };
    });
    after(() => {
      RedisConnection.open = realOpen;
      for (const k of ['CACHE_HOST', 'CACHE_SECRET_ARN', 'CACHE_TTL_SECONDS']) delete process.env[k];
      secrets.restore();
    });
    beforeEach(() => {
      cached.clear();
      opened = 0;
      resetCacheConnection();
      secrets.reset();
      secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ authToken: 'tok-123' }) });
    });

    it('lists a category from the index on a miss, fills the cache, and answers the next call from it', async () => {
      aws.on('DynamoDB_20120810.Query', () => ({ Items: [product('bourbon', 4500), product('catuai', 3900)] }));
      const first = await products(apiEvent('GET', '/products', { queryStringParameters: { category: 'beans' } }), lambdaContext('r1'));
      assert.equal(first.statusCode, 200);
      assert.deepEqual(bodyOf(first).items.map((p: any) => [p.productId, p.priceCents]), [['bourbon', 4500], ['catuai', 3900]]);
      assert.deepEqual(first.headers, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=60', 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': ORIGIN, Vary: 'Origin' });
      assert.deepEqual(aws.calls[0].body, { TableName: 'products-t', IndexName: 'by-category', KeyConditionExpression: 'category = :c', ExpressionAttributeValues: { ':c': { S: 'beans' } }, Limit: 100 });
      const second = await products(apiEvent('GET', '/products', { queryStringParameters: { category: 'beans' } }), lambdaContext('r2'));
      assert.deepEqual(bodyOf(second), bodyOf(first));
      assert.equal(aws.calls.length, 1, 'the second answer came from the cache');
      assert.equal(opened, 1, 'one connection per container');
      assert.deepEqual(logs.records().map((r) => [r.event, r.status, r.cache]), [['products.completed', 200, 'miss'], ['products.completed', 200, 'hit']]);
    });

    it('reads one product, 404 when missing, and falls back to DynamoDB when the cache is unreachable', async () => {
      aws.on('DynamoDB_20120810.GetItem', (b) => (b.Key.productId.S === 'bourbon' ? { Item: product('bourbon', 4500) } : {}));
      secrets.reset();
      secrets.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
      const found = await products(apiEvent('GET', '/products/{productId}', { pathParameters: { productId: 'bourbon' } }), lambdaContext('r3'));
      assert.deepEqual([found.statusCode, bodyOf(found).priceCents], [200, 4500]);
      const missing = await products(apiEvent('GET', '/products/{productId}', { pathParameters: { productId: 'nope' } }), lambdaContext('r4'));
      assert.deepEqual([missing.statusCode, bodyOf(missing)], [404, { error: 'not_found', requestId: 'r4' }]);
      assert.deepEqual(logs.records().map((r) => r.cache), ['off', 'off']);
    });

    it('refuses bad ids and categories and other methods without calling AWS', async () => {
      for (const event of [apiEvent('GET', '/products'), apiEvent('GET', '/products', { queryStringParameters: { category: 'a b' } }), apiEvent('GET', '/products/{productId}', { pathParameters: { productId: '../x' } })]) {
        assert.equal((await products(event, lambdaContext('r'))).statusCode, 400);
      }
      assert.equal((await products(apiEvent('DELETE', '/products/{productId}'), lambdaContext('r'))).statusCode, 405);
      assert.deepEqual(aws.calls, []);
    });

    it("answers 500 without the service's message when DynamoDB fails", async () => {
      aws.on('DynamoDB_20120810.GetItem', () => ({ status: 500, body: { __type: 'InternalServerError', message: 'SECRET-DETAIL' } }));
      const r = await products(apiEvent('GET', '/products/{productId}', { pathParameters: { productId: 'x' } }), lambdaContext('r5'));
      assert.deepEqual([r.statusCode, bodyOf(r)], [500, { error: 'internal_error', requestId: 'r5' }]);
      assert.ok(!logs.lines.join('\n').includes('SECRET-DETAIL'));
    });
  });

  describe('orders', () => {
    const place = (items: unknown) => orders(apiEvent('POST', '/orders', { body: JSON.stringify({ items }) }), lambdaContext('o1'));

    it('prices the order from the catalogue (never the client), stores it PLACED for the token subject and publishes OrderPlaced', async () => {
      aws
        .on('DynamoDB_20120810.BatchGetItem', () => ({ Responses: { 'products-t': [product('bourbon', 4500), product('catuai', 3900)] } }))
        .on('DynamoDB_20120810.PutItem', () => ({}))
        .on('AWSEvents.PutEvents', () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] }));
      const r = await place([{ productId: 'bourbon', quantity: 2, unitPriceCents: 1 }, { productId: 'catuai', quantity: 1 }]);
      assert.equal(r.statusCode, 201);
      const body = bodyOf(r);
      assert.deepEqual([body.status, body.totalCents, body.currency], ['PLACED', 12900, 'BRL']);
      assert.deepEqual(aws.targets(), ['DynamoDB_20120810.BatchGetItem', 'DynamoDB_20120810.PutItem', 'AWSEvents.PutEvents']);
      assert.deepEqual(aws.calls[0].body.RequestItems['products-t'].Keys, [{ productId: { S: 'bourbon' } }, { productId: { S: 'catuai' } }]);
      const put = aws.calls[1].body;
      assert.equal(put.ConditionExpression, 'attribute_not_exists(orderId)');
      const item = unmarshall(put.Item) as any;
      assert.deepEqual([item.customerId, item.orderId, item.status, item.totalCents], [SUB, body.orderId, 'PLACED', 12900]);
      assert.deepEqual(item.items, [{ productId: 'bourbon', quantity: 2, unitPriceCents: 4500 }, { productId: 'catuai', quantity: 1, unitPriceCents: 3900 }]);
      const [entry] = aws.calls[2].body.Entries;
      assert.deepEqual([entry.EventBusName, entry.Source, entry.DetailType, JSON.parse(entry.Detail)], ['orders-bus', 'coffee-shop.orders', 'OrderPlaced', { orderId: body.orderId, customerId: SUB, totalCents: 12900, currency: 'BRL' }]);
    });

    it('refuses unknown or unavailable products with 409, and bad lines with 400, storing nothing', async () => {
      aws.on('DynamoDB_20120810.BatchGetItem', () => ({ Responses: { 'products-t': [product('bourbon', 4500, { available: false })] } }));
      const conflict = await place([{ productId: 'bourbon', quantity: 1 }, { productId: 'ghost', quantity: 1 }]);
      assert.deepEqual([conflict.statusCode, bodyOf(conflict).productIds], [409, ['bourbon', 'ghost']]);
      for (const items of [[], [{ productId: 'x', quantity: 0 }], [{ productId: 'x', quantity: 21 }], [{ productId: 'a', quantity: 1 }, { productId: 'a', quantity: 2 }], 'x']) {
        assert.equal((await place(items)).statusCode, 400, JSON.stringify(items));
      }
      assert.deepEqual(aws.targets(), ['DynamoDB_20120810.BatchGetItem']);
      assert.equal(typeof parseLines({ items: [{ productId: 'a', quantity: 1.5 }] }), 'string');
    });

    it('marks the order PUBLISH_FAILED and answers 503 when the event cannot be published', async () => {
      aws
        .on('DynamoDB_20120810.BatchGetItem', () => ({ Responses: { 'products-t': [product('bourbon', 4500)] } }))
        .on('DynamoDB_20120810.PutItem', () => ({}))
        .on('AWSEvents.PutEvents', () => ({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }))
        .on('DynamoDB_20120810.UpdateItem', () => ({}));
      const r = await place([{ productId: 'bourbon', quantity: 1 }]);
      assert.deepEqual([r.statusCode, r.headers?.['Retry-After']], [503, '5']);
      const update = aws.calls[3].body;
      assert.deepEqual([update.ExpressionAttributeValues, update.ConditionExpression], [{ ':failed': { S: 'PUBLISH_FAILED' }, ':placed': { S: 'PLACED' } }, '#s = :placed']);
    });

    it("lists and reads only the caller's orders; 401 without a subject", async () => {
      aws.on('DynamoDB_20120810.Query', () => ({ Items: [] })).on('DynamoDB_20120810.GetItem', () => ({}));
      assert.equal((await orders(apiEvent('GET', '/orders'), lambdaContext('o2'))).statusCode, 200);
      assert.deepEqual(aws.calls[0].body.ExpressionAttributeValues, { ':c': { S: SUB } });
      const id = newOrderId();
      const r = await orders(apiEvent('GET', '/orders/{orderId}', { pathParameters: { orderId: id } }), lambdaContext('o3'));
      assert.equal(r.statusCode, 404);
      assert.deepEqual(aws.calls[1].body.Key, { customerId: { S: SUB }, orderId: { S: id } });
      assert.equal((await orders(apiEvent('GET', '/orders/{orderId}', { pathParameters: { orderId: 'x' } }), lambdaContext('o4'))).statusCode, 400);
      const anonymous = apiEvent('GET', '/orders', { requestContext: { requestId: 'a' } as APIGatewayProxyEvent['requestContext'] });
      assert.equal((await orders(anonymous, lambdaContext('o5'))).statusCode, 401);
      assert.equal(aws.calls.length, 2);
    });

    it('makes time-ordered unique order ids', () => {
      const a = newOrderId(1_700_000_000_000);
      const b = newOrderId(1_700_000_000_001);
      assert.match(a, /^[0-9a-z]{8,12}-[0-9a-f]{16}$/);
      assert.ok(a < b);
      assert.notEqual(newOrderId(1), newOrderId(1));
    });
  });

  describe('order-steps', () => {
    const stored = (status: string, totalCents = 8400) => ({ Item: marshall({ customerId: SUB, orderId: 'o-1', status, items: [{ productId: 'bourbon', quantity: 2, unitPriceCents: 4200 }], totalCents, currency: 'BRL' }) });

    it('validates a PLACED order with a consistent read and passes its total on', async () => {
      aws.on('DynamoDB_20120810.GetItem', () => stored('PLACED'));
      assert.deepEqual(await steps({ action: 'validate', orderId: 'o-1', customerId: SUB }, lambdaContext('s1')), { orderId: 'o-1', customerId: SUB, totalCents: 8400, currency: 'BRL' });
      assert.deepEqual(aws.calls[0].body, { TableName: 'orders-t', Key: { customerId: { S: SUB }, orderId: { S: 'o-1' } }, ConsistentRead: true });
    });

    it('throws OrderInvalid for a missing, already processed or empty order', async () => {
      for (const answer of [{}, stored('CONFIRMED'), stored('PLACED', 0)]) {
        aws.reset();
        aws.on('DynamoDB_20120810.GetItem', () => answer);
        await assert.rejects(steps({ action: 'validate', orderId: 'o-1', customerId: SUB }, lambdaContext('s2')), (e: Error) => e.name === 'OrderInvalid');
      }
    });

    it('charges up to the limit with a payment id stable per order, declines above it, refuses bad input', async () => {
      process.env.PAYMENT_LIMIT_CENTS = '10000';
      try {
        const ok = (await steps({ action: 'charge', orderId: 'o-1', customerId: SUB, totalCents: 8400, currency: 'BRL' }, lambdaContext('s3'))) as { paymentId: string; chargedCents: number };
        assert.match(ok.paymentId, /^pay_[0-9a-f]{24}$/);
        assert.equal(ok.chargedCents, 8400);
        assert.equal(charge({ action: 'charge', orderId: 'o-1', customerId: SUB, totalCents: 8400 }, 10000).paymentId, ok.paymentId, 'a retried charge is the same payment');
        await assert.rejects(steps({ action: 'charge', orderId: 'o-1', customerId: SUB, totalCents: 10001 }, lambdaContext('s4')), (e: Error) => e instanceof StepError && e.name === 'PaymentDeclined');
        await assert.rejects(steps({ action: 'refund' as 'charge', orderId: 'o-1', customerId: SUB }, lambdaContext('s5')), (e: Error) => e.name === 'BadInput');
        await assert.rejects(steps({ action: 'charge', orderId: '', customerId: SUB, totalCents: 1 }, lambdaContext('s6')), (e: Error) => e.name === 'BadInput');
      } finally {
        delete process.env.PAYMENT_LIMIT_CENTS;
      }
      assert.deepEqual(logs.records().map((r) => [r.event, r.outcome, r.error]), [['order.step', 'ok', undefined], ['order.step', 'failed', 'PaymentDeclined'], ['order.step', 'failed', 'BadInput'], ['order.step', 'failed', 'BadInput']]);
    });
  });
});
