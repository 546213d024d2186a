import { deflateSync, gzipSync } from 'node:zlib';
import { DependencyUnavailableError, ValuepulseError } from '@valuepulse/errors';
import { createLogger } from '@valuepulse/log';
import { Registry } from 'prom-client';
import type { Codec } from '@valuepulse/codec';
import { describe, expect, it } from 'vitest';
import type { AckedProducer, OutMessage } from './acked-producer.js';
import { createApiServer, type ApiDeps } from './api-server.js';
import { parseMapping } from './mapping-file.js';
import { createGatewayMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limiter.js';

// The HTTP contract without Kafka: a codec and a producer standing in, so the
// status codes and bodies of each failure can be checked one by one.
const LOGIN = { topic: 'usage.events.v1', value: { event_id: 'e-1', account_id: 'a-1', occurred_at: '2026-12-01T00:00:00Z', user_id: 'u-1', event_type: 'LOGIN' } };
const mapping = parseMapping({ segment: { events: { 'Signed In': { type: 'LOGIN' } } } });

function server(overrides: { send?: (m: readonly OutMessage[]) => Promise<void>; encode?: () => Promise<Buffer>; writeKeys?: ApiDeps['writeKeys'] } = {}) {
  const sent: OutMessage[] = [];
  const registry = new Registry();
  const producer = {
    send: overrides.send ?? (async (m: readonly OutMessage[]) => void sent.push(...m)),
    healthy: () => true,
    recover: async () => true,
    connect: async () => undefined,
    close: async () => undefined,
  } as AckedProducer;
  const codec = { encode: overrides.encode ?? (async () => Buffer.from('avro')), decode: async () => ({ ok: false }) } as unknown as Codec;
  const app = createApiServer({
    codec, producer,
    metrics: createGatewayMetrics(registry, () => true),
    limiter: createRateLimiter({ perSecond: 1000, burst: 1000 }),
    logger: createLogger({ name: 'test', level: 'silent' }),
    mapping: mapping.ok ? mapping.mapping : undefined,
    writeKeys: overrides.writeKeys ?? [],
    helpdeskSecret: '',
    bodyLimit: 4096,
    maxRecords: 100,
    topicPrefix: 'p.',
  });
  return { app, sent, registry };
}

describe('the API', () => {
  it('answers 200 with the items once the producer resolved, keyed by account on the prefixed topic', async () => {
    const { app, sent } = server();
    const res = await app.inject({ method: 'POST', url: '/v1/events', payload: JSON.stringify([LOGIN]) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 1, rejected: 0, skipped: 0, items: [{ index: 0, status: 'accepted', topic: 'usage.events.v1', event_id: 'e-1' }] });
    expect(sent).toEqual([{ topic: 'p.usage.events.v1', key: 'a-1', value: Buffer.from('avro') }]);
  });

  it('answers 503 with Retry-After when Kafka or the registry cannot take the records, and counts them as failed', async () => {
    const down = server({ send: async () => Promise.reject(new DependencyUnavailableError('no ack', { dependency: 'kafka' })) });
    const res = await down.app.inject({ method: 'POST', url: '/v1/events', payload: JSON.stringify([LOGIN]) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ error: 'unavailable' });
    expect(await down.registry.getSingleMetricAsString('valuepulse_gateway_records_total')).toMatch(/outcome="failed",reason="kafka_unavailable"} 1/);
    const registry = server({ encode: async () => Promise.reject(new ValuepulseError('not registered', { code: 'SCHEMA_NOT_REGISTERED' })) });
    expect((await registry.app.inject({ method: 'POST', url: '/v1/events', payload: JSON.stringify([LOGIN]) })).statusCode).toBe(503);
  });

  it('answers 500 for an unexpected failure, never 200', async () => {
    const broken = server({ send: async () => Promise.reject(new Error('bug')) });
    expect((await broken.app.inject({ method: 'POST', url: '/v1/events', payload: JSON.stringify([LOGIN]) })).statusCode).toBe(500);
  });

  it('answers 413 above the body limit, 404 on unknown routes, 401 without a known write key', async () => {
    const { app } = server({ writeKeys: [{ source: 'web', key: 'k' }] });
    const auth = { authorization: `Basic ${Buffer.from('k:').toString('base64')}` };
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: 'x'.repeat(5000) })).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: '/v2/events', headers: auth, payload: '[]' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/v1/events', payload: '[]' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: 'Bearer k' }, payload: '[]' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: '[]' })).statusCode).toBe(200);
  });

  it('answers 404 not_configured for the webhook without a helpdesk section, and merges a batch context into each call', async () => {
    const { app, sent } = server();
    const hook = await app.inject({ method: 'POST', url: '/v1/webhooks/helpdesk', payload: '{}' });
    expect(hook.statusCode).toBe(404);
    expect(hook.json()).toMatchObject({ error: 'not_configured' });
    const batch = { context: { groupId: 'acct-ctx' }, batch: [{ type: 'track', messageId: 'm-1', userId: 'u', event: 'Signed In' }] };
    const res = await app.inject({ method: 'POST', url: '/v1/batch', payload: JSON.stringify(batch) });
    expect(res.statusCode).toBe(200);
    expect(sent[0]?.key).toBe('acct-ctx');
  });

  it('takes a Segment write key from the body when there is no basic auth, as Segment does; an unknown one is 401', async () => {
    const { app, sent } = server({ writeKeys: [{ source: 'web', key: 'k' }] });
    const call = { type: 'track', messageId: 'm-2', userId: 'u', event: 'Signed In', context: { groupId: 'acct-body' } };
    const ok = await app.inject({ method: 'POST', url: '/v1/batch', payload: JSON.stringify({ writeKey: 'k', batch: [call] }) });
    expect(ok.statusCode).toBe(200);
    expect(sent.map((m) => m.key)).toEqual(['acct-body']);
    expect((await app.inject({ method: 'POST', url: '/v1/track', payload: JSON.stringify({ ...call, writeKey: 'nope' }) })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/track', payload: JSON.stringify(call) })).statusCode).toBe(401);
    // the native API takes basic auth only
    expect((await app.inject({ method: 'POST', url: '/v1/events', payload: JSON.stringify([LOGIN]) })).statusCode).toBe(401);
    expect(sent).toHaveLength(1);
  });

  it('decompresses gzip and deflate bodies, refuses one that does not decompress (400) or is over the limit once decompressed (413)', async () => {
    const { app, sent } = server();
    const body = JSON.stringify([LOGIN]);
    const gz = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-encoding': 'gzip' }, payload: gzipSync(body) });
    expect(gz.statusCode).toBe(200);
    const df = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-encoding': 'deflate' }, payload: deflateSync(body) });
    expect(df.statusCode).toBe(200);
    expect(sent).toHaveLength(2);
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-encoding': 'gzip' }, payload: body })).statusCode).toBe(400);
    const bomb = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-encoding': 'gzip' }, payload: gzipSync(' '.repeat(100_000)) });
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json()).toMatchObject({ error: 'body_too_large' });
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-encoding': 'br' }, payload: body })).statusCode).toBe(415);
  });
});
