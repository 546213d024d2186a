// Integration-test support for the health-scorer: one isolated copy of the
// scorer's world per test (prefixed topics with registered schemas, its own
// consumer group and Redis key prefix), producing events, waiting for the
// scorer to settle, reading the alerts it published, and cleaning it all up.
// A fixture is not a test file to the workspace check, so it imports only
// what this package declares; the test hands in `waitFor` and a unique name.
import { inProcessContext } from '@valuepulse/runtime';
import { Registry } from 'prom-client';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas, type Codec } from '@valuepulse/codec';
import { kafkaConnection, loadConfig, redisEndpointEnv, registryConnection, registryEnv, type Endpoints } from '@valuepulse/config';
import { EVENT_TOPICS, TOPICS, validateRecord, type HealthAlert, type RecordName } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type Consumer, type Kafka, type Producer } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import type { App } from '@valuepulse/runtime';
import type { AccountState } from '@valuepulse/scoring';
import { createAccountStore, createRedis, createWatermark, deleteKeys, dueKey, type AccountStore, type Redis, type Watermark } from '@valuepulse/state';
import { scorerConfigSchema } from './config.js';
import { createScorerApp } from './scorer-app.js';

/** `waitFor` of @valuepulse/testkit, passed in by the test. */
export type WaitFor = <T>(
  probe: () => T | Promise<T>,
  options?: { timeoutMs?: number; intervalMs?: number; description?: string },
) => Promise<Exclude<T, undefined | null | false>>;

/** One of the three input topics, unprefixed. */
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** An event on its way to an input topic (key = its account). */
export interface TopicEvent {
  topic: EventTopic;
  value: { account_id: string; occurred_at: number };
}

/**
 * How long a killed scorer's account locks (wall time) and ticker claims
 * (event time) block an account. Short, so a restart after SIGKILL is not
 * held up; long enough for any evaluation of these small scenarios.
 */
export const TEST_LOCK_TTL_MS = 2_000;

const RECORD_TOPIC: Record<string, EventTopic> = {
  UsageEvent: TOPICS.usageEvents,
  SupportEvent: TOPICS.supportEvents,
  AccountEvent: TOPICS.accountEvents,
};

/**
 * A valid event of `record` for its input topic: `fields` completed with the
 * record's defaults and checked by the contract's rules.
 *
 * @throws Error listing the issues when the event is invalid.
 */
export function topicEvent(record: Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>, fields: Record<string, unknown>): TopicEvent {
  const result = validateRecord(record, fields);
  if (!result.ok) throw new Error(`invalid ${record}: ${result.issues.join('; ')}`);
  return { topic: RECORD_TOPIC[record] as EventTopic, value: result.value as TopicEvent['value'] };
}

/** The names that isolate one test: topic prefix, consumer group, Redis key prefix. */
export interface TestNames {
  topicPrefix: string;
  groupId: string;
  keyPrefix: string;
}

/** Names derived from one unique base (e.g. `uniqueName('vp_restart')`). */
export function testNames(base: string): TestNames {
  return { topicPrefix: `${base}.`, groupId: `${base}_scorer`, keyPrefix: `${base}:` };
}

export interface ScorerTestStackOptions {
  endpoints: Endpoints;
  names: TestNames;
  waitFor: WaitFor;
  /** Variables the scorer gets on top of the stack's, e.g. a secured Kafka (`secureKafkaEnv`); `endpoints` should be parsed with them. */
  env?: Record<string, string>;
  /** Partitions of every topic but the DLQ; default 3. */
  partitions?: number;
}

/** A scorer started in this process. */
export interface InProcessScorer {
  app: App;
  /** Its own Prometheus registry (the scorer's metrics). */
  metrics: Registry;
  stop(): Promise<void>;
}

/** One isolated copy of the scorer's world on the real stack; see {@link createScorerTestStack}. */
export interface ScorerTestStack {
  names: TestNames;
  kafka: Kafka;
  admin: Admin;
  codec: Codec;
  redis: Redis;
  store: AccountStore;
  watermark: Watermark;
  waitFor: WaitFor;
  /** The prefixed name of `t`. */
  topic(t: string): string;
  /** The scorer's environment for this stack (event clock, fast ticker, short locks), `overrides` on top. */
  scorerEnv(overrides?: Record<string, string>): Record<string, string>;
  /**
   * Creates and starts a scorer in this process; resolves once it joined its
   * group. Its log lines go to `options.logDestination` when given (stdout otherwise).
   */
  startScorer(overrides?: Record<string, string>, options?: { logDestination?: { write(line: string): void } }): Promise<InProcessScorer>;
  /** Produces events (acks all), each to its topic, keyed by account. */
  produce(events: readonly TopicEvent[]): Promise<void>;
  /** Whether the group has committed everything produced to the input topics. */
  isCaughtUp(): Promise<boolean>;
  /** Until it has. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Until no account is due at the watermark, nor claimed by a ticker that has not saved it yet. */
  tickerIdle(timeoutMs?: number): Promise<void>;
  /** Caught up, then the ticker idle: nothing left to do at the current watermark. */
  settled(timeoutMs?: number): Promise<void>;
  /** Every alert on the alerts topic so far (waits until the reader has all of them). */
  alerts(): Promise<HealthAlert[]>;
  /** Each account's state as of `now`. */
  readStates(accountIds: readonly string[], now: number): Promise<Record<string, AccountState>>;
  /** The due index as account → next evaluation time. */
  dueIndex(): Promise<Record<string, number>>;
  /** Registers something to run at cleanup (a scorer to stop, a process to kill). */
  onCleanup(fn: () => Promise<void>): void;
  /** Stops what was started, deletes the topics, schemas and Redis keys. */
  cleanup(): Promise<void>;
}

/**
 * Creates the topics (input, alerts and snapshots with `partitions`, the DLQ
 * with one) and registers the schemas; the alerts reader starts with the
 * first `alerts()`. Call `cleanup()` afterwards, also when the test failed.
 */
export async function createScorerTestStack(options: ScorerTestStackOptions): Promise<ScorerTestStack> {
  const { endpoints, names, waitFor } = options;
  const partitions = options.partitions ?? 3;
  const topic = (t: string) => `${names.topicPrefix}${t}`;
  const contracts = defaultTopicContracts(names.topicPrefix);
  const registry = createRegistry(registryConnection(endpoints));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: `${names.groupId}_test`, quiet: true });
  const admin = kafka.admin();
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'health-scorer-int-test' });
  const store = createAccountStore({ redis, prefix: names.keyPrefix });
  const watermark = createWatermark({ redis, prefix: names.keyPrefix });
  const cleanups: (() => Promise<void>)[] = [];
  const alertsSeen: HealthAlert[] = [];
  const undecodable: string[] = [];
  let producer: Producer | undefined;
  let reader: Consumer | undefined;

  await admin.connect();
  await createTopics(admin, [
    ...contracts.map((c) => ({ topic: c.topic, numPartitions: partitions })),
    { topic: topic(TOPICS.dlq), numPartitions: 1 },
  ]);
  await registerSchemas(registry, contracts);

  async function endOffsets(t: string): Promise<{ partition: number; high: number }[]> {
    return (await admin.fetchTopicOffsets(topic(t))).map((o) => ({ partition: o.partition, high: Number(o.high) }));
  }

  async function caughtUpNow(): Promise<boolean> {
    for (const t of EVENT_TOPICS) {
      const ends = await endOffsets(t);
      const [committed] = await admin.fetchOffsets({ groupId: names.groupId, topics: [topic(t)] });
      for (const end of ends) {
        const c = committed?.partitions.find((p) => p.partition === end.partition);
        if (end.high > 0 && Number(c?.offset ?? -1) < end.high) return false;
      }
    }
    return true;
  }

  async function tickerIdleNow(): Promise<boolean> {
    const now = await watermark.get();
    if (now === null) return true;
    // Evaluations save a next time past `now` (a later midnight, a dwell or
    // cool-down end); a claimed account sits at `now + lease` until saved;
    // one found busy is put back at `now`.
    return (await redis.zcount(dueKey(names.keyPrefix), '-inf', String(now + TEST_LOCK_TTL_MS))) === 0;
  }

  const stack: ScorerTestStack = {
    names, kafka, admin, codec, redis, store, watermark, waitFor, topic,

    scorerEnv(overrides = {}) {
      return {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        ...registryEnv(endpoints),
        ...redisEndpointEnv(endpoints.redis),
        TOPIC_PREFIX: names.topicPrefix,
        REDIS_KEY_PREFIX: names.keyPrefix,
        SCORER_GROUP_ID: names.groupId,
        SCORER_CLOCK: 'event',
        SCORER_TICK_INTERVAL: '50ms',
        SCORER_LOCK_TTL: `${TEST_LOCK_TTL_MS}ms`,
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        ...options.env,
        ...overrides,
      };
    },

    async startScorer(overrides = {}, startOptions = {}) {
      const env = stack.scorerEnv(overrides);
      const config = loadConfig(scorerConfigSchema, { ...process.env, ...env });
      const metrics = new Registry();
      const logger = createLogger({ name: 'health-scorer-test', level: env.LOG_LEVEL, ...(startOptions.logDestination ? { destination: startOptions.logDestination } : {}) });
      const app = await createScorerApp(config, inProcessContext({ logger, metrics }));
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= app.stop());
      cleanups.push(stop);
      await app.start();
      await waitFor(() => app.ready(), { timeoutMs: 30_000, description: 'in-process scorer joined its group' });
      return { app, metrics, stop };
    },

    async produce(events) {
      if (events.length === 0) return;
      if (!producer) {
        producer = kafka.producer({ idempotent: true });
        await producer.connect();
      }
      const byTopic = new Map<string, { key: string; value: Buffer }[]>();
      for (const e of events) {
        const t = topic(e.topic);
        const list = byTopic.get(t) ?? [];
        list.push({ key: e.value.account_id, value: await codec.encode(t, e.value) });
        byTopic.set(t, list);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([t, messages]) => ({ topic: t, messages })) });
    },

    isCaughtUp: caughtUpNow,

    async caughtUp(timeoutMs = 60_000) {
      await waitFor(caughtUpNow, { timeoutMs, intervalMs: 20, description: `group ${names.groupId} caught up` });
    },

    async tickerIdle(timeoutMs = 30_000) {
      await waitFor(tickerIdleNow, { timeoutMs, intervalMs: 20, description: 'ticker idle at the watermark' });
    },

    async settled(timeoutMs = 60_000) {
      await stack.caughtUp(timeoutMs);
      await stack.tickerIdle(timeoutMs);
    },

    async alerts() {
      if (!reader) {
        const consumer = kafka.consumer({ groupId: `${names.groupId}_alert_reader` });
        reader = consumer;
        await consumer.connect();
        await consumer.subscribe({ topic: topic(TOPICS.healthAlerts), fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            const decoded = await codec.decode<HealthAlert>(topic(TOPICS.healthAlerts), message.value);
            if (decoded.ok) alertsSeen.push(decoded.value);
            else undecodable.push(`offset ${message.offset}: ${decoded.error.message}`);
          },
        });
      }
      const total = (await endOffsets(TOPICS.healthAlerts)).reduce((n, e) => n + e.high, 0);
      await waitFor(() => alertsSeen.length + undecodable.length >= total, { timeoutMs: 30_000, intervalMs: 20, description: `${total} alerts read` });
      if (undecodable.length > 0) throw new Error(`undecodable alerts: ${undecodable.join('; ')}`);
      return [...alertsSeen];
    },

    async readStates(accountIds, now) {
      const out: Record<string, AccountState> = {};
      for (const id of accountIds) out[id] = await store.read(id, now);
      return out;
    },

    async dueIndex() {
      const flat = await redis.zrange(dueKey(names.keyPrefix), '0', '-1', 'WITHSCORES');
      const out: Record<string, number> = {};
      for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = Number(flat[i + 1]);
      return out;
    },

    onCleanup(fn) {
      cleanups.push(fn);
    },

    async cleanup() {
      const results = await Promise.allSettled([...cleanups.splice(0).map((fn) => fn()), reader?.disconnect(), producer?.disconnect()]);
      await deleteTopics(admin, [...contracts.map((c) => c.topic), topic(TOPICS.dlq)]);
      // best effort: a group still has a member when a killed scorer's session has not expired yet
      await admin.deleteGroups([names.groupId, `${names.groupId}_alert_reader`]).catch(() => undefined);
      await admin.disconnect();
      for (const c of contracts) {
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
      }
      await deleteKeys(redis, `${names.keyPrefix}*`);
      await redis.quit();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
  return stack;
}

/** What a scorer run left behind, for comparing runs. */
export interface RunOutcome {
  /** Each account's state read at the final watermark. */
  states: Record<string, AccountState>;
  /** The due index (account → next evaluation). */
  due: Record<string, number>;
  watermark: number | null;
  /** Distinct alert ids, sorted (at-least-once output may repeat one). */
  alertIds: string[];
  /** Every alert message, repeats included. */
  alerts: HealthAlert[];
}

/** The outcome of the run on `stack`, with the states of `accountIds` read at `now`. */
export async function runOutcome(stack: ScorerTestStack, accountIds: readonly string[], now: number): Promise<RunOutcome> {
  const alerts = await stack.alerts();
  return {
    states: await stack.readStates(accountIds, now),
    due: await stack.dueIndex(),
    watermark: await stack.watermark.get(),
    alertIds: [...new Set(alerts.map((a) => a.alert_id))].sort(),
    alerts,
  };
}
