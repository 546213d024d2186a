import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, retriableRegistryResponse } from './create-registry.js';

// Apicurio, the local registry, enforces auth only through OIDC (Keycloak),
// too heavy for the local stack; Confluent Schema Registry and Confluent Cloud
// take basic auth. So this checks what createRegistry puts on the wire,
// against a loopback listener that records request headers and answers as
// Confluent's `GET /subjects/<subject>/versions/latest` does.
let server: Server;
let base: string;
const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
    res.end(JSON.stringify({ subject: 'x-value', version: 1, id: 42, schema: '"string"' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('retriableRegistryResponse', () => {
  const response = (status: number, error: Error | null = null) => ({ status: () => status, error: () => error });
  const timeout = Object.assign(new Error('Timeout (5000ms)'), { name: 'TimeoutError' });

  it.each([
    ['a 5xx answer', response(503), true],
    ['a request that timed out', response(400, timeout), true],
    ['a refused schema (409)', response(409), false],
    ['not found (404)', response(404), false],
    ['another client error', response(400, new Error('bad request')), false],
  ])('%s: %s', (_name, r, retriable) => {
    expect(retriableRegistryResponse(r)).toBe(retriable);
  });
});

describe('createRegistry', () => {
  it('sends basic auth on every request when given credentials', async () => {
    seen.length = 0;
    const registry = createRegistry({ url: `${base}/`, auth: { username: 'KEY123', password: 's3cret:with-colon' } });
    expect(await registry.getLatestSchemaId('x-value')).toBe(42);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/apis/ccompat/v7/subjects/x-value/versions/latest');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('KEY123:s3cret:with-colon').toString('base64')}`);
  });

  it('sends no authorization header without credentials', async () => {
    seen.length = 0;
    const registry = createRegistry({ url: base, auth: undefined });
    expect(await registry.getLatestSchemaId('x-value')).toBe(42);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('gives up on a registry that accepts the connection and never answers, instead of waiting forever', async () => {
    const requests: number[] = [];
    const silent = createServer(() => {
      requests.push(Date.now()); // accepted, never answered
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const registry = createRegistry({ url, auth: undefined, requestTimeoutMs: 150 });
      const error = await registry.getLatestSchemaId('x-value').then(
        () => null,
        (err: unknown) => err as Error,
      );
      expect(error?.message).toMatch(/timeout/i);
      // a timeout is retried three times (a busy registry), then the codec reports the registry unavailable
      expect(requests).toHaveLength(4);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
