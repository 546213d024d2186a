// Integration-test support for the history-sink: one isolated copy of the
// sink's world per test (prefixed topics with registered schemas, its own
// consumer group, its own migrated ClickHouse database), producing records,
// reading rows and offsets back, and cleaning it all up. A fixture is not a
// test file to the workspace check, so it imports only what this package
// declares; the test hands in `waitFor` and a unique name.
import { inProcessContext } from '@valuepulse/runtime';
import { Registry } from 'prom-client';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas, type Codec } from '@valuepulse/codec';
import { clickhouseConnection, kafkaConnection, loadConfig, registryConnection, registryEnv, type Endpoints } from '@valuepulse/config';
import { TOPICS, validateRecord, type RecordName } from '@valuepulse/contracts';
import { HISTORY_TOPICS, type HistoryTopic } from '@valuepulse/history';
import { createKafka, createTopics, deleteTopics, type Admin, type Kafka, type KafkaMessage, type Producer } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import type { App } from '@valuepulse/runtime';
import { sinkConfigSchema } from './config.js';
import { createSinkApp } from './sink-app.js';

/** `waitFor` of @valuepulse/testkit, passed in by the test. */
export type WaitFor = <T>(
  probe: () => T | Promise<T>,
  options?: { timeoutMs?: number; intervalMs?: number; description?: string },
) => Promise<Exclude<T, undefined | null | false>>;

/** The names that isolate one test. */
export interface SinkTestNames {
  topicPrefix: string;
  groupId: string;
  database: string;
}

/** Names derived from one unique base (e.g. `uniqueName('vp_sink')`, already a valid identifier). */
export function sinkTestNames(base: string): SinkTestNames {
  return { topicPrefix: `${base}.`, groupId: `${base}_sink`, database: base };
}

export interface SinkTestStackOptions {
  endpoints: Endpoints;
  names: SinkTestNames;
  waitFor: WaitFor;
  /** Variables the sink gets on top of the stack's, e.g. a secured Kafka (`secureKafkaEnv`); `endpoints` should be parsed with them. */
  env?: Record<string, string>;
  /** Another ClickHouse than the stack's (a private server); default `endpoints.clickhouseUrl`. */
  clickhouseUrl?: string;
  /** Partitions of the five history topics; default 3. */
  partitions?: number;
}

/** A sink started in this process. */
export interface InProcessSink {
  app: App;
  metrics: Registry;
  stop(): Promise<void>;
}

/** A record on its way to a topic: explicit partition, so offsets are known. */
export interface Outgoing {
  key: string;
  value: Buffer;
  partition?: number;
}

export interface SinkTestStack {
  names: SinkTestNames;
  kafka: Kafka;
  admin: Admin;
  codec: Codec;
  clickhouse: ClickHouseClient;
  clickhouseUrl: string;
  waitFor: WaitFor;
  /** The prefixed name of `t`. */
  topic(t: string): string;
  /** The sink's environment for this stack (ephemeral ops port), `overrides` on top. */
  sinkEnv(overrides?: Record<string, string>): Record<string, string>;
  startSink(overrides?: Record<string, string>): Promise<InProcessSink>;
  /** Avro-encodes `values` for `topic` (unprefixed), keyed by account. */
  encode(topic: string, values: readonly { account_id: string }[], partition?: number): Promise<Outgoing[]>;
  /** Produces to `topic` (unprefixed), acks all, in chunks. */
  send(topic: string, messages: readonly Outgoing[]): Promise<void>;
  /** Rows in `table` of the test database (`FINAL`: duplicates collapsed). */
  count(table: string, options?: { final?: boolean }): Promise<number>;
  /** `SELECT <columns> FROM <table> FINAL [WHERE …] ORDER BY <orderBy>` as JSON objects. */
  select(table: string, columns: string, orderBy: string): Promise<Record<string, unknown>[]>;
  /** Records written to `topic` (unprefixed), all partitions. */
  produced(topic: string): Promise<number>;
  /** Committed offset (next to read) per `topic|partition` of the five history topics; -1 where nothing is committed. */
  committed(): Promise<Map<string, number>>;
  /** Whether the group has committed everything produced to the five topics. */
  isCaughtUp(): Promise<boolean>;
  caughtUp(timeoutMs?: number): Promise<void>;
  onCleanup(fn: () => Promise<void>): void;
  /** Stops what was started, deletes the topics, subjects and group, drops the database. */
  cleanup(): Promise<void>;
}

/**
 * Creates the five history topics (and the DLQ, one partition), registers
 * the schemas and migrates a fresh database with `migrate`. Call `cleanup()`
 * afterwards, also when the test failed.
 */
export async function createSinkTestStack(options: SinkTestStackOptions): Promise<SinkTestStack> {
  const { endpoints, names, waitFor } = options;
  const partitions = options.partitions ?? 3;
  const clickhouseUrl = options.clickhouseUrl ?? endpoints.clickhouseUrl;
  const topic = (t: string) => `${names.topicPrefix}${t}`;
  const contracts = defaultTopicContracts(names.topicPrefix);
  const registry = createRegistry(registryConnection(endpoints));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: `${names.groupId}_test`, quiet: true });
  const admin = kafka.admin();
  const clickhouse = createClickHouse({ ...clickhouseConnection(endpoints), url: clickhouseUrl, quiet: true });
  const db = identifier(names.database);
  const cleanups: (() => Promise<void>)[] = [];
  let producer: Producer | undefined;

  await admin.connect();
  await createTopics(admin, [
    ...contracts.map((c) => ({ topic: c.topic, numPartitions: partitions })),
    { topic: topic(TOPICS.dlq), numPartitions: 1 },
  ]);
  await registerSchemas(registry, contracts);
  await migrate(clickhouse, { database: names.database });

  async function endOffsets(t: string): Promise<{ partition: number; high: number }[]> {
    return (await admin.fetchTopicOffsets(topic(t))).map((o) => ({ partition: o.partition, high: Number(o.high) }));
  }

  async function committed(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const byTopic = await admin.fetchOffsets({ groupId: names.groupId, topics: HISTORY_TOPICS.map(topic) });
    for (const t of byTopic) for (const p of t.partitions) out.set(`${t.topic}|${p.partition}`, Number(p.offset));
    return out;
  }

  async function caughtUpNow(): Promise<boolean> {
    const done = await committed();
    for (const t of HISTORY_TOPICS) {
      for (const end of await endOffsets(t)) {
        if (end.high > 0 && (done.get(`${topic(t)}|${end.partition}`) ?? -1) < end.high) return false;
      }
    }
    return true;
  }

  const stack: SinkTestStack = {
    names, kafka, admin, codec, clickhouse, clickhouseUrl, waitFor, topic, committed,

    sinkEnv(overrides = {}) {
      return {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        ...registryEnv(endpoints),
        CLICKHOUSE_URL: clickhouseUrl,
        CLICKHOUSE_USER: endpoints.clickhouseUser,
        CLICKHOUSE_PASSWORD: endpoints.clickhousePassword,
        CLICKHOUSE_DATABASE: names.database,
        TOPIC_PREFIX: names.topicPrefix,
        SINK_GROUP_ID: names.groupId,
        SINK_BATCH_MS: '200ms',
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        ...options.env,
        ...overrides,
      };
    },

    async startSink(overrides = {}) {
      const env = stack.sinkEnv(overrides);
      const config = loadConfig(sinkConfigSchema, { ...process.env, ...env });
      const metrics = new Registry();
      const logger = createLogger({ name: 'history-sink-test', level: env.LOG_LEVEL });
      const app = await createSinkApp(config, inProcessContext({ logger, metrics }));
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= app.stop());
      cleanups.push(stop);
      await app.start();
      await waitFor(() => app.ready(), { timeoutMs: 30_000, description: 'in-process sink joined its group' });
      return { app, metrics, stop };
    },

    async encode(t, values, partition) {
      const out: Outgoing[] = [];
      for (const v of values) out.push({ key: v.account_id, value: await codec.encode(topic(t), v), ...(partition === undefined ? {} : { partition }) });
      return out;
    },

    async send(t, messages) {
      if (!producer) {
        producer = kafka.producer({ idempotent: true });
        await producer.connect();
      }
      for (let i = 0; i < messages.length; i += 5000) {
        await producer.send({ topic: topic(t), acks: -1, messages: messages.slice(i, i + 5000).map((m) => ({ ...m })) });
      }
    },

    async count(table, { final = true } = {}) {
      const result = await clickhouse.query({ query: `SELECT count() AS n FROM ${db}.${identifier(table)}${final ? ' FINAL' : ''}`, format: 'JSONEachRow' });
      const [row] = await result.json<{ n: string }>();
      return Number(row?.n ?? 0);
    },

    async select(table, columns, orderBy) {
      const result = await clickhouse.query({ query: `SELECT ${columns} FROM ${db}.${identifier(table)} FINAL ORDER BY ${orderBy}`, format: 'JSONEachRow' });
      return result.json<Record<string, unknown>>();
    },

    async produced(t) {
      return (await endOffsets(t)).reduce((n, e) => n + e.high, 0);
    },

    isCaughtUp: caughtUpNow,

    async caughtUp(timeoutMs = 60_000) {
      await waitFor(caughtUpNow, { timeoutMs, intervalMs: 50, description: `group ${names.groupId} caught up` });
    },

    onCleanup(fn) {
      cleanups.push(fn);
    },

    async cleanup() {
      const results = await Promise.allSettled([...cleanups.splice(0).map((fn) => fn()), producer?.disconnect()]);
      await deleteTopics(admin, [...contracts.map((c) => c.topic), topic(TOPICS.dlq)]);
      // best effort: a killed sink's member lingers until its session expires
      await admin.deleteGroups([names.groupId]).catch(() => undefined);
      await admin.disconnect();
      for (const c of contracts) {
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
      }
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` }).catch(() => undefined);
      await clickhouse.close();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
  return stack;
}

/**
 * `count` valid UsageEvents for `accounts` accounts, spread over three
 * months of event time (several table partitions), each with its own
 * event_id; `tag` keeps ids of different calls apart.
 */
export function usageEvents(count: number, options: { accounts?: number; tag?: string } = {}): Record<string, unknown>[] {
  const accounts = options.accounts ?? 50;
  const tag = options.tag ?? 'u';
  const start = Date.UTC(2026, 7, 1);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    out.push(valid('UsageEvent', {
      event_id: `${tag}-${i}`,
      account_id: `acct-${i % accounts}`,
      occurred_at: start + i * 97_000,
      user_id: `user-${i % 7}`,
      event_type: i % 4 === 0 ? 'LOGIN' : 'FEATURE_USED',
      ...(i % 4 === 0 ? {} : { feature_id: `feature-${i % 11}` }),
      user_role: 'DAILY_USER',
    }));
  }
  return out;
}

/** `fields` completed and checked by the contract's rules. */
export function valid(record: RecordName, fields: Record<string, unknown>): Record<string, unknown> {
  const result = validateRecord(record, fields);
  if (!result.ok) throw new Error(`invalid ${record}: ${result.issues.join('; ')}`);
  return result.value as unknown as Record<string, unknown>;
}

/** The record each history topic carries. */
export const RECORD_OF: Record<HistoryTopic, RecordName> = {
  [TOPICS.usageEvents]: 'UsageEvent',
  [TOPICS.supportEvents]: 'SupportEvent',
  [TOPICS.accountEvents]: 'AccountEvent',
  [TOPICS.healthSnapshots]: 'HealthSnapshot',
  [TOPICS.healthAlerts]: 'HealthAlert',
};

/** The first `n` DLQ records of the stack, read by a throw-away group. */
export async function readDlq(stack: SinkTestStack, n: number): Promise<KafkaMessage[]> {
  const seen: KafkaMessage[] = [];
  const consumer = stack.kafka.consumer({ groupId: `${stack.names.groupId}_dlq_reader` });
  stack.onCleanup(async () => {
    await consumer.disconnect();
    await stack.admin.deleteGroups([`${stack.names.groupId}_dlq_reader`]).catch(() => undefined);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: stack.topic(TOPICS.dlq), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
  await stack.waitFor(() => seen.length >= n, { timeoutMs: 30_000, description: `${n} DLQ records` });
  return seen;
}
