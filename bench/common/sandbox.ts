import { createClickHouse, identifier, type ClickHouseClient } from '@valuepulse/clickhouse';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas, type Codec } from '@valuepulse/codec';
import { clickhouseConnection, kafkaConnection, registryConnection, type Endpoints, type RedisEndpoint } from '@valuepulse/config';
import { EVENT_TOPICS, TOPICS } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type Kafka } from '@valuepulse/kafka';
import { createRedis, deleteKeys } from '@valuepulse/state';
import { uniqueName } from '@valuepulse/testkit';

/**
 * Throw-away names for one benchmark run: topics and subjects under a random
 * prefix, Redis keys under the same prefix, the consumer groups and ClickHouse
 * databases the run creates. `cleanup` removes all of it and never throws.
 */
export interface Sandbox {
  prefix: string;
  kafka: Kafka;
  admin: Admin;
  codec: Codec;
  endpoints: Endpoints;
  topic(base: string): string;
  inputTopics: string[];
  /** Registers a consumer group for deletion at cleanup. */
  group(name: string): string;
  /** `<prefix>_<name>`, a ClickHouse database registered to be dropped at cleanup (the run creates it, e.g. with `migrate`). */
  database(name: string): string;
  /** One ClickHouse client for the run (120 s per request), closed at cleanup. */
  clickhouse(): ClickHouseClient;
  /**
   * Registers how to stop something that uses the sandbox (a consumer, the
   * scorer), run first if cleanup comes while it runs (a signal); call the
   * returned function once it has stopped by itself.
   */
  whileRunning(stop: () => Promise<unknown>): () => void;
  cleanup(): Promise<string[]>;
}

const PARTITIONS: Record<string, number> = {
  [TOPICS.usageEvents]: 6, [TOPICS.supportEvents]: 6, [TOPICS.accountEvents]: 6,
  [TOPICS.healthAlerts]: 6, [TOPICS.healthSnapshots]: 6, [TOPICS.dlq]: 3,
};

export async function createSandbox(endpoints: Endpoints): Promise<Sandbox> {
  const prefix = `${uniqueName('vp_bench')}.`;
  const topic = (base: string) => `${prefix}${base}`;
  const contracts = defaultTopicContracts(prefix);
  const registry = createRegistry(registryConnection(endpoints));
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-bench' });
  const admin = kafka.admin();
  const groups: string[] = [];
  const databases: string[] = [];
  let clickhouse: ClickHouseClient | undefined;
  const running = new Set<() => Promise<unknown>>();
  // once cleanup has begun nothing new may start: a phase racing a signal
  let closing = false;
  const open = () => {
    if (closing) throw new Error('the benchmark sandbox is being cleaned up');
  };
  await admin.connect();

  const sandbox: Sandbox = {
    prefix, kafka, admin, endpoints, topic,
    codec: createCodec({ registry, contracts }),
    inputTopics: EVENT_TOPICS.map(topic),
    group(name) {
      open();
      const id = uniqueName(name);
      groups.push(id);
      return id;
    },
    database(name) {
      open();
      const db = `${prefix.slice(0, -1)}_${name}`;
      databases.push(db);
      return db;
    },
    clickhouse() {
      open();
      return (clickhouse ??= createClickHouse({ ...clickhouseConnection(endpoints), requestTimeoutMs: 120_000 }));
    },
    whileRunning(stop) {
      open();
      running.add(stop);
      return () => running.delete(stop);
    },
    async cleanup() {
      closing = true;
      const problems: string[] = [];
      const attempt = async (what: string, run: () => Promise<unknown>) => {
        try {
          await run();
        } catch (err) {
          problems.push(`${what}: ${(err as Error).message}`);
        }
      };
      // a member still in a group keeps it from being deleted
      for (const stop of running) await attempt('stop a consumer', stop);
      await attempt('delete consumer groups', () => deleteGroups(admin, groups));
      await attempt('delete topics', () => deleteTopics(admin, Object.keys(PARTITIONS).map(topic)));
      for (const c of contracts) {
        await attempt(`delete subject ${c.subject}`, async () => {
          // soft delete first: the registry refuses a permanent delete of a live subject
          await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
          await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
        });
      }
      await attempt('delete Redis keys', () => deleteRedisKeys(endpoints.redis, prefix));
      const client = clickhouse;
      if (client) {
        for (const db of databases) await attempt(`drop ${db}`, () => client.command({ query: `DROP DATABASE IF EXISTS ${identifier(db)}` }));
        await attempt('close ClickHouse', () => client.close());
      }
      await attempt('disconnect admin', () => admin.disconnect());
      return problems;
    },
  };

  try {
    await createTopics(admin, Object.entries(PARTITIONS).map(([base, numPartitions]) => ({ topic: topic(base), numPartitions })));
    const outcomes = await registerSchemas(registry, contracts);
    const refused = outcomes.filter((o) => o.status === 'incompatible');
    if (refused.length > 0) throw new Error(`schemas refused: ${refused.map((o) => o.subject).join(', ')}`);
  } catch (err) {
    await sandbox.cleanup();
    throw err;
  }
  return sandbox;
}

/** Deletes the groups; one that is already gone (a group that never committed) is fine. */
async function deleteGroups(admin: Admin, groups: string[]): Promise<void> {
  if (groups.length === 0) return;
  try {
    await admin.deleteGroups(groups);
  } catch (err) {
    const failed = ((err as { groups?: { groupId: string; error?: { type?: string } }[] }).groups ?? []).filter((g) => g.error && g.error.type !== 'GROUP_ID_NOT_FOUND');
    if (failed.length > 0 || !(err as { groups?: unknown }).groups) {
      throw new Error(`${(err as Error).message}: ${failed.map((g) => `${g.groupId} ${g.error?.type}`).join(', ')}`, { cause: err });
    }
  }
}

async function deleteRedisKeys(endpoint: RedisEndpoint, prefix: string): Promise<void> {
  const redis = createRedis({ endpoint });
  try {
    await deleteKeys(redis, `${prefix}*`);
  } finally {
    await redis.quit();
  }
}

/**
 * Encodes `values` for `topic` with the codec and produces them keyed by
 * account, in chunks, acknowledged by all replicas.
 *
 * @returns the bytes produced (values only).
 */
export async function produceAll(sandbox: Sandbox, topic: string, values: readonly { account_id: string }[], chunk = 12_000): Promise<number> {
  const producer = sandbox.kafka.producer({ idempotent: true });
  await producer.connect();
  let bytes = 0;
  try {
    for (let i = 0; i < values.length; i += chunk) {
      const messages = await Promise.all(values.slice(i, i + chunk).map(async (v) => {
        const value = await sandbox.codec.encode(topic, v);
        bytes += value.length;
        return { key: v.account_id, value };
      }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return bytes;
}
