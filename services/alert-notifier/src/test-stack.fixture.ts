// Integration-test support for the alert-notifier: its own prefixed alerts
// and DLQ topics with registered schemas, its own consumer group and Redis
// key prefix, a routing file in a temporary folder, the notifier started in
// this process, alerts produced as Avro, and everything cleaned up. The test
// hands in `waitFor` and a unique name (a fixture imports only what this
// package declares).
import { inProcessContext } from '@valuepulse/runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas, type Codec } from '@valuepulse/codec';
import { kafkaConnection, loadConfig, registryConnection, registryEnv, type Endpoints } from '@valuepulse/config';
import { TOPICS, validateRecord, type AccountEvent, type HealthAlert } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type Kafka, type KafkaMessage, type Producer } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import type { App } from '@valuepulse/runtime';
import { createAccountStore, createRedis, deleteKeys, type RedisClient } from '@valuepulse/state';
import { loadRouting, notifierConfigSchema } from './config.js';
import { createNotifierApp } from './notifier-app.js';

export type WaitFor = <T>(probe: () => T | Promise<T>, options?: { timeoutMs?: number; intervalMs?: number; description?: string }) => Promise<Exclude<T, undefined | null | false>>;

export interface InProcessNotifier {
  app: App;
  metrics: Registry;
  /** The sum of a metric's series. */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

export interface NotifierTestStack {
  base: string;
  kafka: Kafka;
  admin: Admin;
  codec: Codec;
  redis: RedisClient;
  alertsTopic: string;
  dlqTopic: string;
  /** Writes the routing file and returns its path. */
  writeRoutes(routes: unknown): string;
  env(overrides?: Record<string, string>): Record<string, string>;
  startNotifier(overrides?: Record<string, string>): Promise<InProcessNotifier>;
  /** Applies account events (with owner and segment) to the scorer's state under this stack's prefix. */
  accounts(events: Partial<AccountEvent>[]): Promise<void>;
  sendAlerts(alerts: readonly HealthAlert[]): Promise<void>;
  /** Whether the group committed every alert produced. */
  caughtUp(): Promise<boolean>;
  /** Every DLQ record so far, read from the start by a throw-away consumer. */
  readDlq(n: number): Promise<KafkaMessage[]>;
  dlqCount(): Promise<number>;
  cleanup(): Promise<void>;
}

/** A valid HealthAlert; `fields` override the defaults. */
export function alert(fields: Partial<HealthAlert> & { alert_id: string; account_id: string }): HealthAlert {
  const result = validateRecord('HealthAlert', {
    signal: 'login_drop',
    kind: 'THRESHOLD_CROSSED',
    severity: 'WARNING',
    from_state: 'ok',
    to_state: 'breached',
    value: 42.5,
    threshold: 30,
    evidence: [
      { factor: 'logins_7d', value: 12, contribution: 0.6, detail: 'logins fell from 40 a week' },
      { factor: 'active_users_7d', value: 3, contribution: 0.3, detail: null },
      { factor: 'workflow_runs_7d', value: 1, contribution: 0.1, detail: null },
      { factor: 'api_calls_7d', value: 0, contribution: 0.01, detail: null },
    ],
    days_to_renewal: 45,
    model_version: 'v1.1',
    evaluated_at: Date.UTC(2026, 11, 1),
    emitted_at: Date.UTC(2026, 11, 1),
    ...fields,
  });
  if (!result.ok) throw new Error(`invalid alert: ${result.issues.join('; ')}`);
  return result.value as HealthAlert;
}

/** Creates the alerts topic (3 partitions) and the DLQ, registers the schemas. Call `cleanup()` afterwards. */
export async function createNotifierTestStack(options: { endpoints: Endpoints; base: string; waitFor: WaitFor }): Promise<NotifierTestStack> {
  const { endpoints, base, waitFor } = options;
  const prefix = `${base}.`;
  const redisPrefix = `${base}:`;
  const groupId = `${base}_notifier`;
  const contracts = defaultTopicContracts(prefix);
  const registry = createRegistry(registryConnection(endpoints));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: `${base}_test`, quiet: true });
  const admin = kafka.admin();
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'alert-notifier-test' });
  const dir = mkdtempSync(join(tmpdir(), 'vp-notifier-'));
  const alertsTopic = `${prefix}${TOPICS.healthAlerts}`;
  const dlqTopic = `${prefix}${TOPICS.dlq}`;
  const cleanups: (() => Promise<void>)[] = [];
  let producer: Producer | undefined;
  let routesPath = join(dir, 'routes.json');

  await admin.connect();
  await createTopics(admin, [{ topic: alertsTopic, numPartitions: 3 }, { topic: dlqTopic, numPartitions: 1 }]);
  await registerSchemas(registry, contracts.filter((c) => c.topic === alertsTopic));

  async function high(topic: string): Promise<Map<number, number>> {
    return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  }

  const stack: NotifierTestStack = {
    base, kafka, admin, codec, redis, alertsTopic, dlqTopic,
    writeRoutes(routes) {
      routesPath = join(dir, `routes-${cleanups.length}-${Date.now()}.json`);
      writeFileSync(routesPath, JSON.stringify(routes, null, 2));
      return routesPath;
    },
    env(overrides = {}) {
      return {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        ...registryEnv(endpoints),
        REDIS_URL: endpoints.redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        TOPIC_PREFIX: prefix,
        NOTIFIER_GROUP_ID: groupId,
        NOTIFIER_ROUTES_FILE: routesPath,
        HEALTH_API_PUBLIC_URL: 'http://dashboard.test:8080',
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        ...overrides,
      };
    },
    async startNotifier(overrides = {}) {
      const env = stack.env(overrides);
      const config = loadConfig(notifierConfigSchema, { ...process.env, ...env });
      const metrics = new Registry();
      const logger = createLogger({ name: 'alert-notifier-test', level: env.LOG_LEVEL });
      const shutdown = new AbortController();
      const app = await createNotifierApp({ ...config, routing: loadRouting(config.routesFile) }, inProcessContext({ logger, metrics, signal: shutdown.signal }));
      let stopped: Promise<void> | undefined;
      const stop = () => {
        shutdown.abort(new Error('test stops the notifier'));
        return (stopped ??= app.stop());
      };
      cleanups.push(stop);
      await app.start();
      await waitFor(() => app.ready(), { timeoutMs: 30_000, description: 'notifier joined its group' });
      const metric = async (name: string) => {
        const m = (await metrics.getMetricsAsJSON()).find((x) => x.name === name);
        return (m?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
      };
      return { app, metrics, metric, stop };
    },
    async accounts(events) {
      const store = createAccountStore({ redis, prefix: redisPrefix });
      await store.apply(
        events.map((e, i) => {
          const r = validateRecord('AccountEvent', { event_id: `${base}-acct-${i}`, occurred_at: Date.UTC(2026, 10, 1) + i, event_type: 'CONTRACT_SIGNED', ...e });
          if (!r.ok) throw new Error(`invalid account event: ${r.issues.join('; ')}`);
          return { kind: 'account' as const, event: r.value as AccountEvent };
        }),
      );
    },
    async sendAlerts(alerts) {
      if (!producer) {
        producer = kafka.producer({ idempotent: true });
        await producer.connect();
      }
      const messages = [];
      for (const a of alerts) messages.push({ key: a.account_id, value: await codec.encode(alertsTopic, a) });
      await producer.send({ topic: alertsTopic, acks: -1, messages });
    },
    async caughtUp() {
      const ends = await high(alertsTopic);
      const [done] = await admin.fetchOffsets({ groupId, topics: [alertsTopic] });
      for (const [partition, end] of ends) {
        const committed = Number(done?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        if (end > 0 && committed < end) return false;
      }
      return true;
    },
    async dlqCount() {
      return [...(await high(dlqTopic)).values()].reduce((a, b) => a + b, 0);
    },
    async readDlq(n) {
      const seen: KafkaMessage[] = [];
      const reader = `${groupId}_dlq_reader_${cleanups.length}`;
      const consumer = kafka.consumer({ groupId: reader });
      cleanups.push(async () => {
        await consumer.disconnect();
        await admin.deleteGroups([reader]).catch(() => undefined);
      });
      await consumer.connect();
      await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
      await waitFor(() => seen.length >= n, { timeoutMs: 30_000, description: `${n} DLQ records` });
      return seen;
    },
    async cleanup() {
      const results = await Promise.allSettled([...cleanups.splice(0).map((fn) => fn()), producer?.disconnect()]);
      await deleteTopics(admin, [alertsTopic, dlqTopic]);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
      for (const c of contracts.filter((x) => x.topic === alertsTopic)) {
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
      }
      await deleteKeys(redis, `${redisPrefix}*`);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
  return stack;
}
