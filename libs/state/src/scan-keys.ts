import type { Redis } from 'ioredis';
import type { RedisClient } from './create-redis.js';

/**
 * The servers a keyspace walk must visit: every master of a Redis Cluster
 * (SCAN on a cluster client reaches one node only), else the client itself.
 * Waits for a cluster's slot map first.
 */
async function scanTargets(redis: RedisClient): Promise<Redis[]> {
  if (!redis.isCluster) return [redis as Redis];
  const cluster = redis as Extract<RedisClient, { nodes: unknown }>;
  if (cluster.status !== 'ready') await new Promise((resolve) => cluster.once('ready', resolve));
  return cluster.nodes('master');
}

/**
 * The keys matching `pattern` (SCAN MATCH), a batch at a time, on a single
 * server or across a cluster's masters. The client must not have a
 * `keyPrefix`: SCAN returns full key names.
 */
export async function* scanKeys(redis: RedisClient, pattern: string, count = 1000): AsyncGenerator<string[]> {
  for (const node of await scanTargets(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/**
 * Deletes every key matching `pattern` (e.g. a test's or a demo's prefix
 * followed by `*`). On a cluster each key is deleted on its own (the keys of
 * one batch span slots; auto-pipelining sends them together per node).
 *
 * @returns how many keys were deleted.
 */
export async function deleteKeys(redis: RedisClient, pattern: string): Promise<number> {
  let deleted = 0;
  for await (const keys of scanKeys(redis, pattern)) {
    if (redis.isCluster) deleted += (await Promise.all(keys.map((k) => redis.unlink(k)))).reduce((n, d) => n + d, 0);
    else deleted += await redis.unlink(...keys);
  }
  return deleted;
}
