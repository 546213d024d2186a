import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas } from '@valuepulse/codec';
import { loadConfig } from '@valuepulse/config';
import { TOPICS, validateRecord, type HealthAlert, type RecordName } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type Kafka } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import type { App } from '@valuepulse/runtime';
import { createAccountStore, createRedis } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { scorerConfigSchema } from './config.js';
import { createScorerApp } from './scorer-app.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
const endpoints = stackEndpoints();
const prefix = `${uniqueName('vp_scorer')}.`;
const keyPrefix = `${prefix}`;
const contracts = defaultTopicContracts(prefix);
const registry = createRegistry({ url: endpoints.schemaRegistryUrl });
const codec = createCodec({ registry, contracts });
const kafka: Kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'valuepulse-scorer-int' });
const groupId = uniqueName('vp_scorer_group');
const topic = (t: string) => `${prefix}${t}`;
let admin: Admin;
let app: App | undefined;
const metrics = new Registry();

let seq = 0;
function event(record: RecordName, fields: Record<string, unknown>) {
  const result = validateRecord(record, { event_id: `ev-${(seq += 1)}`, ...fields });
  if (!result.ok) throw new Error(result.issues.join('; '));
  return result.value as { account_id: string };
}
const contract = (account: string, day: number) =>
  event('AccountEvent', { account_id: account, occurred_at: T0 + day * DAY, event_type: 'CONTRACT_SIGNED', contracted_seats: 10, segment: 'MID_MARKET', renewal_date: T0 + 400 * DAY });
const login = (account: string, day: number, user: string) =>
  event('UsageEvent', { account_id: account, occurred_at: T0 + day * DAY + 9 * 3_600_000, user_id: user, event_type: 'LOGIN' });
const ticket = (account: string, day: number, n: number) =>
  event('SupportEvent', { account_id: account, occurred_at: T0 + day * DAY + n * 60_000, ticket_id: `T-${account}-${n}`, event_type: 'TICKET_OPENED', feature_id: 'exports', priority: 'HIGH' });

async function produce(t: string, values: { account_id: string }[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const messages = await Promise.all(values.map(async (v) => ({ key: v.account_id, value: await codec.encode(topic(t), v) })));
  await producer.send({ topic: topic(t), acks: -1, messages });
  await producer.disconnect();
}

/** Until the group has committed everything produced to the input topics. */
async function caughtUp(): Promise<void> {
  await waitFor(
    async () => {
      for (const t of [TOPICS.usageEvents, TOPICS.supportEvents, TOPICS.accountEvents]) {
        const ends = await admin.fetchTopicOffsets(topic(t));
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic(t)] });
        for (const end of ends) {
          const c = committed?.partitions.find((p) => p.partition === end.partition);
          if (Number(end.high) > 0 && Number(c?.offset ?? -1) < Number(end.high)) return false;
        }
      }
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'scorer caught up' },
  );
}

async function alerts(): Promise<HealthAlert[]> {
  const out: HealthAlert[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('vp_alert_reader') });
  await consumer.connect();
  await consumer.subscribe({ topic: topic(TOPICS.healthAlerts), fromBeginning: true });
  const ends = await admin.fetchTopicOffsets(topic(TOPICS.healthAlerts));
  const total = ends.reduce((n, e) => n + Number(e.high), 0);
  await consumer.run({
    eachMessage: async ({ message }) => {
      const decoded = await codec.decode<HealthAlert>(topic(TOPICS.healthAlerts), message.value);
      if (decoded.ok) out.push(decoded.value);
    },
  });
  await waitFor(() => out.length >= total, { description: `${total} alerts read` });
  await consumer.disconnect();
  return out;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, contracts.map((c) => ({ topic: c.topic, numPartitions: 3 })).concat([{ topic: topic(TOPICS.dlq), numPartitions: 1 }]));
  await registerSchemas(registry, contracts);
  const config = loadConfig(scorerConfigSchema, {
    ...process.env,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    REDIS_URL: endpoints.redisUrl,
    TOPIC_PREFIX: prefix,
    REDIS_KEY_PREFIX: keyPrefix,
    SCORER_GROUP_ID: groupId,
    SCORER_CLOCK: 'event',
    SCORER_TICK_INTERVAL: '200ms',
    HTTP_PORT: '0',
  });
  app = await createScorerApp(config, { logger: createLogger({ name: 'health-scorer-test', level: 'warn' }), metrics, signal: new AbortController().signal });
  await app.start();
  await waitFor(() => app?.ready(), { description: 'scorer joined its group' });
});

afterAll(async () => {
  await app?.stop();
  await deleteTopics(admin, [...contracts.map((c) => c.topic), topic(TOPICS.dlq)]);
  await admin.disconnect();
  for (const c of contracts) {
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
  }
  const redis = createRedis({ url: endpoints.redisUrl });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
});

describe('health-scorer against the real stack (event clock)', () => {
  const phase1 = {
    account: ['acct-dark', 'acct-clock', 'acct-flood'].map((a) => contract(a, 0)),
    usage: [] as { account_id: string }[],
  };
  for (let day = 0; day <= 20; day += 1) {
    for (const user of ['u1', 'u2', 'u3']) phase1.usage.push(login('acct-dark', day, user), login('acct-clock', day, user), login('acct-flood', day, user));
  }
  const phase2 = { usage: [] as { account_id: string }[], support: [] as { account_id: string }[] };
  for (let day = 21; day <= 40; day += 1) {
    for (const user of ['u1', 'u2', 'u3']) phase2.usage.push(login('acct-clock', day, user), login('acct-flood', day, user));
  }
  // inside the 7-day flood window of the watermark (day 40)
  for (let n = 0; n < 6; n += 1) phase2.support.push(ticket('acct-flood', 38, n));

  it('builds state, then fires going-dark from the ticker with no new input, and a flood on one feature', { timeout: 180_000 }, async () => {
    await produce(TOPICS.accountEvents, phase1.account);
    await produce(TOPICS.usageEvents, phase1.usage);
    await caughtUp();
    const store = createAccountStore({ redis: createRedis({ url: endpoints.redisUrl }), prefix: keyPrefix });
    const dark = await store.read('acct-dark', T0 + 20 * DAY);
    expect(dark.lastActivityAt).toBe(T0 + 20 * DAY + 9 * 3_600_000);
    expect(dark.contract.contractedSeats).toBe(10);

    await produce(TOPICS.usageEvents, phase2.usage);
    await produce(TOPICS.supportEvents, phase2.support);
    await caughtUp();
    let last: HealthAlert[] = [];
    const found = await waitFor(
      async () => {
        const all = await alerts();
        last = all;
        const goingDark = all.find((a) => a.account_id === 'acct-dark' && a.signal === 'going_dark');
        const flood = all.find((a) => a.account_id === 'acct-flood' && a.signal === 'ticket_flood');
        return goingDark && flood ? { all, goingDark, flood } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'going_dark and ticket_flood alerts' },
    ).catch((err: unknown) => {
      throw new Error(`alerts so far: ${JSON.stringify(last.map((a) => [a.account_id, a.signal, a.kind, a.to_state, new Date(a.evaluated_at).toISOString()]))}`, { cause: err });
    });
    // acct-dark sent nothing after day 20: only the ticker can have evaluated it past day 34
    expect(found.goingDark.kind).toBe('THRESHOLD_CROSSED');
    expect(found.goingDark.evaluated_at).toBeGreaterThanOrEqual(T0 + 34 * DAY);
    expect(found.goingDark.evidence.length).toBeGreaterThan(0);
    expect(found.flood.evidence.some((e) => /exports/.test(`${e.factor} ${e.detail ?? ''}`))).toBe(true);
    expect(found.all.some((a) => a.account_id === 'acct-clock' && a.signal === 'going_dark')).toBe(false);
    const tickerEvaluations = (await metrics.getSingleMetric('valuepulse_scorer_evaluations_total')?.get())?.values.find((v) => v.labels.trigger === 'ticker');
    expect(tickerEvaluations?.value ?? 0).toBeGreaterThan(0);
    // alert ids are unique
    expect(new Set(found.all.map((a) => a.alert_id)).size).toBe(found.all.length);
  });

  it('the same events delivered again change no state and produce no new alert', async () => {
    const before = await alerts();
    const store = createAccountStore({ redis: createRedis({ url: endpoints.redisUrl }), prefix: keyPrefix });
    const stateBefore = await store.read('acct-flood', T0 + 40 * DAY);
    await produce(TOPICS.accountEvents, phase1.account);
    await produce(TOPICS.usageEvents, [...phase1.usage, ...phase2.usage]);
    await produce(TOPICS.supportEvents, phase2.support);
    await caughtUp();
    const stateAfter = await store.read('acct-flood', T0 + 40 * DAY);
    expect({ ...stateAfter, emitted: null }).toEqual({ ...stateBefore, emitted: null });
    const duplicates = (await metrics.getSingleMetric('valuepulse_scorer_duplicate_events_total')?.get())?.values[0]?.value ?? 0;
    expect(duplicates).toBe(phase1.account.length + phase1.usage.length + phase2.usage.length + phase2.support.length);
    const after = await alerts();
    expect(after.map((a) => a.alert_id).sort()).toEqual(before.map((a) => a.alert_id).sort());
  });
});
