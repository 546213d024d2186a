// Integration-test support for the ingest-gateway: one isolated copy of its
// world per test (prefixed input, alerts, snapshots and DLQ topics with
// registered schemas), a gateway started in this process on a free port,
// a health-scorer started as a child process, and readers of what landed.
// A fixture is not a test file to the workspace check, so it imports only
// what this package declares and what the test hands in.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas, type Codec } from '@valuepulse/codec';
import { kafkaConnection, loadConfig, registryConnection, type Endpoints } from '@valuepulse/config';
import { TOPICS, type HealthSnapshot } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type Kafka } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import { createMetricsRegistry, inProcessContext } from '@valuepulse/runtime';
import { gatewayConfigSchema } from './config.js';
import { createGatewayApp, type GatewayApp } from './gateway-app.js';

/** The mapping file the tests use (docs/gateway.md shows the same). */
export const TEST_MAPPING = {
  segment: {
    account: ['context.groupId', 'properties.account_id'],
    user: ['userId', 'anonymousId'],
    team: 'context.traits.team',
    role: { from: 'context.traits.role', values: { admin: 'CHAMPION', ceo: 'EXECUTIVE_SPONSOR', member: 'DAILY_USER' } },
    events: {
      'Signed In': { type: 'LOGIN' },
      'Report Exported': { type: 'FEATURE_USED', feature: { value: 'exports' } },
      'Feature Used': { type: 'FEATURE_USED', feature: 'properties.feature' },
      'Workflow Run': { type: 'WORKFLOW_RUN', workflow: 'properties.workflow_id' },
      'Integration Connected': { type: 'INTEGRATION_CONNECTED', integration: 'properties.integration' },
    },
    identify: { role: { from: 'traits.role', values: { ceo: 'EXECUTIVE_SPONSOR', cfo: 'ECONOMIC_BUYER' } } },
    group: { seats: 'traits.seats', segment: { from: 'traits.plan', values: { enterprise: 'ENTERPRISE', business: 'MID_MARKET', starter: 'SMB' } } },
  },
  helpdesk: { organizations: { '57542': 'acct-acme' }, useExternalId: false },
};

export const TEST_WRITE_KEY = 'wk_test_123';
export const TEST_HELPDESK_SECRET = 'dGhpcyBpcyBhIHRlc3Qgc2VjcmV0';

/** `waitFor` of @valuepulse/testkit, passed in by the test. */
export type WaitFor = <T>(probe: () => T | Promise<T>, options?: { timeoutMs?: number; intervalMs?: number; description?: string }) => Promise<Exclude<T, undefined | null | false>>;

/** A gateway started in this process. */
export interface InProcessGateway {
  app: GatewayApp;
  metrics: Registry;
  url: string;
  stop(): Promise<void>;
  /** The sum of a metric's series matching `labels` (a substring such as `outcome="accepted"`). */
  metric(name: string, labels?: string): Promise<number>;
}

/** One isolated copy of the gateway's world on the real stack. */
export interface GatewayTestStack {
  prefix: string;
  kafka: Kafka;
  admin: Admin;
  codec: Codec;
  mappingFile: string;
  topic(t: string): string;
  /** The gateway's environment for this stack, `overrides` on top. */
  env(overrides?: Record<string, string>): Record<string, string>;
  startGateway(overrides?: Record<string, string>): Promise<InProcessGateway>;
  /** Records on a topic (sum of the partitions' high watermarks). */
  count(t: string): Promise<number>;
  /** Every snapshot so far on the snapshots topic, decoded, oldest first per partition. */
  snapshots(): Promise<HealthSnapshot[]>;
  onCleanup(fn: () => Promise<void>): void;
  cleanup(): Promise<void>;
}

/**
 * Creates the topics (3 partitions, the DLQ 1) under `prefix`, registers the
 * schemas and writes the mapping file. Call `cleanup()` afterwards.
 */
export async function createGatewayTestStack(options: { endpoints: Endpoints; prefix: string; waitFor: WaitFor }): Promise<GatewayTestStack> {
  const { endpoints, prefix, waitFor } = options;
  const topic = (t: string) => `${prefix}${t}`;
  const contracts = defaultTopicContracts(prefix);
  const registry = createRegistry(registryConnection(endpoints));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'gateway-int-test', quiet: true });
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [...contracts.map((c) => ({ topic: c.topic, numPartitions: 3 })), { topic: topic(TOPICS.dlq), numPartitions: 1 }]);
  await registerSchemas(registry, contracts);
  const dir = await mkdtemp(join(tmpdir(), 'vp-gateway-'));
  const mappingFile = join(dir, 'mapping.json');
  await writeFile(mappingFile, JSON.stringify(TEST_MAPPING, null, 2));
  const cleanups: (() => Promise<void>)[] = [];

  const stack: GatewayTestStack = {
    prefix, kafka, admin, codec, mappingFile, topic,
    env(overrides = {}) {
      return {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
        TOPIC_PREFIX: prefix,
        HTTP_PORT: '0',
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_MAPPING_FILE: mappingFile,
        GATEWAY_WRITE_KEYS: `test-app:${TEST_WRITE_KEY}`,
        GATEWAY_HELPDESK_SECRET: TEST_HELPDESK_SECRET,
        LOG_LEVEL: 'warn',
        ...overrides,
      };
    },
    async startGateway(overrides = {}) {
      const env = stack.env(overrides);
      const config = loadConfig(gatewayConfigSchema, { ...process.env, ...env });
      // the registry runService gives the service: Node's default metrics too
      const metrics = createMetricsRegistry('ingest-gateway');
      const logger = createLogger({ name: 'ingest-gateway-test', level: env.LOG_LEVEL });
      const app = await createGatewayApp(config, inProcessContext({ logger, metrics }));
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= app.stop());
      cleanups.push(stop);
      await app.start();
      return {
        app, metrics, stop,
        url: `http://127.0.0.1:${app.apiPort()}`,
        async metric(name, labels = '') {
          const text = await metrics.metrics();
          return text
            .split('\n')
            .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels))
            .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
        },
      };
    },
    async count(t) {
      return (await admin.fetchTopicOffsets(topic(t))).reduce((n, o) => n + Number(o.high), 0);
    },
    async snapshots() {
      const total = await stack.count(TOPICS.healthSnapshots);
      const seen: HealthSnapshot[] = [];
      if (total === 0) return seen;
      const consumer = kafka.consumer({ groupId: `${prefix}snapshot_reader_${Date.now()}` });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: topic(TOPICS.healthSnapshots), fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            const d = await codec.decode<HealthSnapshot>(topic(TOPICS.healthSnapshots), message.value);
            if (!d.ok) throw d.error;
            seen.push(d.value);
          },
        });
        await waitFor(() => seen.length >= total, { timeoutMs: 30_000, intervalMs: 20, description: `${total} snapshots read` });
      } finally {
        await consumer.disconnect();
      }
      return seen;
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
    async cleanup() {
      const results = await Promise.allSettled(cleanups.splice(0).map((fn) => fn()));
      await deleteTopics(admin, [...contracts.map((c) => c.topic), topic(TOPICS.dlq)]);
      await admin.disconnect();
      for (const c of contracts) {
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
        await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
      }
      await rm(dir, { recursive: true, force: true });
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
  return stack;
}

/** `Authorization` for a write key, as Segment's libraries send it. */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
