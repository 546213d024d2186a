// The ingest-gateway on the real stack: the native API, the Segment Tracking
// API driven by the official @segment/analytics-node client (its own batching
// and retries) with a real health-scorer counting what arrives, a recorded
// help-desk webhook with a valid and a bad signature, and bad input of each
// kind answered with its status and reason.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEndpointEnv } from '@valuepulse/config';
import { TOPICS } from '@valuepulse/contracts';
import { createRedis, deleteKeys } from '@valuepulse/state';
import { findPromtool, lintMetrics, startServiceProcess, uniqueName, waitFor, type ServiceProcess } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { basicAuth, createGatewayTestStack, TEST_HELPDESK_SECRET, TEST_WRITE_KEY, type GatewayTestStack, type InProcessGateway } from './gateway-test.fixture.js';
import { signHelpdeskBody } from './helpdesk-signature.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const endpoints = stackEndpoints();
const name = uniqueName('vp_gw');
const auth = { authorization: basicAuth(TEST_WRITE_KEY) };
let stack: GatewayTestStack;
let gateway: InProcessGateway;
let scorer: ServiceProcess;

beforeAll(async () => {
  stack = await createGatewayTestStack({ endpoints, prefix: `${name}.`, waitFor });
  gateway = await stack.startGateway();
  scorer = await startServiceProcess({
    name: 'health-scorer',
    main: 'services/health-scorer/src/main.ts',
    cwd: REPO_ROOT,
    env: {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      ...redisEndpointEnv(endpoints.redis),
      TOPIC_PREFIX: stack.prefix,
      REDIS_KEY_PREFIX: `${name}:`,
      SCORER_GROUP_ID: `${name}_scorer`,
      SCORER_CLOCK: 'event',
      SCORER_TICK_INTERVAL: '100ms',
      HTTP_PORT: '0',
    },
  });
  stack.onCleanup(async () => void (await scorer.kill('SIGTERM')));
}, 120_000);

afterAll(async () => {
  await stack?.cleanup();
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'gateway-int-test' });
  await deleteKeys(redis, `${name}:*`);
  await redis.quit();
}, 60_000);

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}, url = gateway.url) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body });

/** The latest snapshot of `account` that satisfies `check`, once the scorer has published one. */
async function snapshotOf(account: string, check: (s: { logins_7d: number; active_users_7d: number }) => boolean) {
  return waitFor(async () => (await stack.snapshots()).filter((s) => s.account_id === account).find(check), {
    timeoutMs: 60_000,
    intervalMs: 500,
    description: `a snapshot of ${account} that matches`,
  });
}

describe('native API POST /v1/events', () => {
  it('stores the valid records of a JSON array and names the field and reason of each bad one (422)', async () => {
    const now = new Date().toISOString();
    const items = [
      { topic: 'usage.events.v1', value: { event_id: 'n-1', account_id: 'acct-native', occurred_at: now, user_id: 'u-1', event_type: 'LOGIN' } },
      { topic: 'support.events.v1', value: { event_id: 'n-2', account_id: 'acct-native', occurred_at: now, ticket_id: 'T-1', event_type: 'TICKET_OPENED' } },
      { topic: 'usage.events.v1', value: { event_id: 'n-3', account_id: 'acct-native', occurred_at: 1_700_000_000, user_id: 'u-1', event_type: 'FEATURE_USED' } },
      { topic: 'orders.v1', value: {} },
    ];
    const res = await post('/v1/events', JSON.stringify(items));
    const body = (await res.json()) as { accepted: number; rejected: number; items: { index: number; status: string; errors?: { field: string; reason: string }[] }[] };
    expect(res.status).toBe(422);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(2);
    expect(body.items[0]).toMatchObject({ index: 0, status: 'accepted', event_id: 'n-1' });
    expect(body.items[2]?.errors).toEqual(
      expect.arrayContaining([
        { field: 'value.occurred_at', reason: 'must be after 2000-01-01 (epoch milliseconds, not seconds)' },
        { field: 'value.feature_id', reason: 'is required for FEATURE_USED' },
      ]),
    );
    expect(body.items[3]).toMatchObject({ status: 'rejected', reason: 'unknown_topic', errors: [{ field: 'topic' }] });
    expect(await stack.count(TOPICS.usageEvents)).toBeGreaterThanOrEqual(1);
    expect(await stack.count(TOPICS.supportEvents)).toBe(1);
  });

  it('takes NDJSON and answers 200 once every record is acknowledged', async () => {
    const before = await stack.count(TOPICS.accountEvents);
    const lines = [
      { topic: 'account.events.v1', value: { event_id: 'n-10', account_id: 'acct-native', occurred_at: '2026-01-15T00:00:00Z', event_type: 'CONTRACT_SIGNED', contracted_seats: 20, segment: 'SMB' } },
      { topic: 'account.events.v1', value: { event_id: 'n-11', account_id: 'acct-native', occurred_at: '2026-02-01T00:00:00Z', event_type: 'SEATS_CHANGED', contracted_seats: 25 } },
    ];
    const res = await post('/v1/events', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await stack.count(TOPICS.accountEvents)).toBe(before + 2);
    expect(await gateway.metric('valuepulse_gateway_records_total', 'outcome="accepted"')).toBeGreaterThanOrEqual(4);
  });
});

describe('Segment-compatible Tracking API', () => {
  it('takes the official analytics-node client: the scorer counts its logins and active users, nothing goes to the DLQ', async () => {
    const analytics = new Analytics({ writeKey: TEST_WRITE_KEY, host: gateway.url, flushAt: 7, flushInterval: 200, maxRetries: 3 });
    const failures: unknown[] = [];
    analytics.on('error', (err) => failures.push(err));
    const account = 'acct-segment';
    const base = Date.now() - 60_000;
    const users = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
    users.forEach((userId, i) => {
      for (let n = 0; n < 2; n++) {
        analytics.track({ userId, event: 'Signed In', timestamp: new Date(base + i * 1000 + n), context: { groupId: account, traits: { role: 'member', team: 'finance' } } });
      }
    });
    analytics.track({ userId: 'u-1', event: 'Report Exported', timestamp: new Date(base + 10_000), context: { groupId: account } });
    analytics.track({ userId: 'u-1', event: 'Page Scrolled', timestamp: new Date(base + 11_000), context: { groupId: account } });
    analytics.identify({ userId: 'u-1', traits: { role: 'ceo' }, timestamp: new Date(base + 12_000), context: { groupId: account } });
    analytics.group({ userId: 'u-1', groupId: account, traits: { seats: 40, plan: 'business' }, timestamp: new Date(base + 13_000) });
    await analytics.closeAndFlush({ timeout: 30_000 });
    expect(failures).toEqual([]);

    const snapshot = await snapshotOf(account, (s) => s.logins_7d === 10 && s.active_users_7d === users.length);
    expect(snapshot).toMatchObject({ logins_7d: 10, active_users_7d: 5 });
    expect(await gateway.metric('valuepulse_gateway_records_total', 'reason="unmapped_event"')).toBe(1);
    expect(await stack.count(TOPICS.dlq)).toBe(0);
    expect(await scorer.metric('valuepulse_scorer_events_total')).toBeGreaterThanOrEqual(14);
    expect(await scorer.metric('valuepulse_scorer_dlq_total')).toBe(0);
  });

  it('counts a retried batch once downstream (event_id is the messageId) and reports unmapped events', async () => {
    const account = 'acct-retry';
    const ts = new Date(Date.now() - 30_000).toISOString();
    const batch = {
      batch: [
        { type: 'track', messageId: 'm-1', userId: 'r-1', event: 'Signed In', timestamp: ts, context: { groupId: account } },
        { type: 'track', messageId: 'm-2', userId: 'r-2', event: 'Signed In', timestamp: ts, context: { groupId: account } },
        { type: 'track', messageId: 'm-3', userId: 'r-2', event: 'Cart Viewed', timestamp: ts, context: { groupId: account } },
        { type: 'page', messageId: 'm-4', userId: 'r-2', timestamp: ts, context: { groupId: account } },
      ],
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await post('/v1/batch', JSON.stringify(batch));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        success: true,
        accepted: 2,
        skipped: 2,
        items: expect.arrayContaining([expect.objectContaining({ index: 2, status: 'skipped', reason: 'unmapped_event' }), expect.objectContaining({ index: 3, status: 'skipped', reason: 'unmapped_call' })]),
      });
    }
    const snapshot = await snapshotOf(account, (s) => s.logins_7d >= 2);
    expect(snapshot).toMatchObject({ logins_7d: 2, active_users_7d: 2 });
  });

  it('refuses a call without a messageId, naming the field', async () => {
    const res = await post('/v1/track', JSON.stringify({ userId: 'u-9', event: 'Signed In', context: { groupId: 'acct-x' } }));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ rejected: 1, items: [{ status: 'rejected', reason: 'missing_message_id', errors: [{ field: 'messageId' }] }] });
  });
});

describe('help-desk webhook', () => {
  it('turns a recorded ticket webhook with a valid signature into a SupportEvent, and refuses a bad signature with 401', async () => {
    const body = await readFile(new URL('./testdata/zendesk-ticket-solved.json', import.meta.url));
    const before = await stack.count(TOPICS.supportEvents);
    const timestamp = '2026-12-01T14:03:10Z';
    const signed = { 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': signHelpdeskBody(TEST_HELPDESK_SECRET, timestamp, body) };

    const good = await post('/v1/webhooks/helpdesk', body, { ...signed, authorization: '' });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ accepted: 1, items: [{ status: 'accepted', topic: 'support.events.v1', event_id: `helpdesk:35436:TICKET_RESOLVED:${Date.parse('2026-12-01T14:03:09Z')}` }] });
    expect(await stack.count(TOPICS.supportEvents)).toBe(before + 1);

    const tampered = Buffer.from(body.toString('utf8').replace('"high"', '"low"'));
    const bad = await post('/v1/webhooks/helpdesk', tampered, signed);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'bad_signature' });
    const unsigned = await post('/v1/webhooks/helpdesk', body);
    expect(unsigned.status).toBe(401);
    expect(await stack.count(TOPICS.supportEvents)).toBe(before + 1);
  });

  it('refuses a ticket of an organization the mapping does not know (422, field and reason)', async () => {
    const body = Buffer.from(JSON.stringify({ event: 'ticket.created', ticket: { id: 9, status: 'new', organization: { id: 1 }, updated_at: '2026-12-01T10:00:00Z' } }));
    const ts = '2026-12-01T10:00:01Z';
    const res = await post('/v1/webhooks/helpdesk', body, { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signHelpdeskBody(TEST_HELPDESK_SECRET, ts, body) });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ items: [{ reason: 'unknown_organization', errors: [{ field: 'ticket.organization', reason: 'organization 1 has no account in the mapping file' }] }] });
  });
});

describe('bad input', () => {
  it('answers 401 without a write key or with an unknown one', async () => {
    expect((await post('/v1/events', '[]', { authorization: '' })).status).toBe(401);
    const res = await post('/v1/track', '{}', { authorization: basicAuth('nope') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('answers 400 for a body that is not JSON, or empty', async () => {
    const notJson = await post('/v1/events', '[{"topic": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_json' });
    expect((await post('/v1/events', '')).status).toBe(400);
    expect((await post('/v1/batch', '{"batch": 3}')).status).toBe(400);
  });

  it('answers 413 above the body limit and above the record limit', async () => {
    const small = await stack.startGateway({ GATEWAY_BODY_LIMIT: '2048', GATEWAY_MAX_RECORDS: '2' });
    const big = await post('/v1/events', JSON.stringify([{ topic: 'usage.events.v1', value: { pad: 'x'.repeat(4096) } }]), {}, small.url);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'body_too_large' });
    const many = await post('/v1/events', JSON.stringify([{}, {}, {}]), {}, small.url);
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ error: 'too_many_records' });
    await small.stop();
  });

  it('answers 429 with Retry-After above the per-source rate', async () => {
    const slow = await stack.startGateway({ GATEWAY_RATE_LIMIT: '1', GATEWAY_RATE_BURST: '1' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('/v1/events', '[]', {}, slow.url)));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await slow.metric('valuepulse_gateway_requests_total', 'status="429"')).toBe(limited.length);
    await slow.stop();
  });

  it('stores a gzip body, answers 400 for one that does not decompress and 415 for an encoding it does not know', async () => {
    const record = { topic: 'usage.events.v1', value: { event_id: 'gz-1', account_id: 'acct-gzip', occurred_at: new Date().toISOString(), user_id: 'u-1', event_type: 'LOGIN' } };
    const gz = await post('/v1/events', gzipSync(JSON.stringify([record])), { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(await gz.json()).toMatchObject({ accepted: 1 });
    expect((await post('/v1/events', '[]', { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post('/v1/events', '[]', { 'content-encoding': 'br' })).status).toBe(415);
  });
});

describe('/metrics', () => {
  it('passes promtool check metrics after the work above, requests by route and status, records by outcome and reason', async () => {
    findPromtool();
    const page = await gateway.metrics.metrics();
    expect(await gateway.metric('valuepulse_gateway_requests_total', 'route="/v1/events",status="422"')).toBeGreaterThanOrEqual(1);
    expect(await gateway.metric('valuepulse_gateway_requests_total', 'route="/v1/batch",status="200"')).toBeGreaterThanOrEqual(1);
    expect(await gateway.metric('valuepulse_gateway_records_total', 'outcome="rejected",reason="unknown_topic"')).toBeGreaterThanOrEqual(1);
    expect(await gateway.metric('valuepulse_gateway_produce_seconds_count')).toBeGreaterThan(0);
    const lint = await lintMetrics(page);
    expect({ exitCode: lint.exitCode, complaints: lint.output }, lint.promtool).toEqual({ exitCode: 0, complaints: '' });
  });
});
