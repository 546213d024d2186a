import type { RedisEndpoint } from '@valuepulse/config';
import { createRedis, type RedisClient } from './create-redis.js';
import { deleteKeys } from './scan-keys.js';

/** A Redis client for one test file and a key prefix no other run uses. */
export interface TestRedis {
  redis: RedisClient;
  prefix: string;
  /** Another connection, for concurrency tests. */
  connect(): RedisClient;
  /** Deletes every key under the prefix and closes the connections. */
  cleanup(): Promise<void>;
}

/**
 * Connects to the stack's Redis (`stackEndpoints().redis`, or a cluster's
 * endpoint); `prefix` should be unique to the run (`uniqueName` from
 * @valuepulse/testkit — imported by the test, since a fixture is not a test
 * file to the workspace check).
 */
export function testRedis(endpoint: RedisEndpoint, prefix: string): TestRedis {
  const clients: RedisClient[] = [];
  const connect = (): RedisClient => {
    const client = createRedis({ endpoint, connectionName: 'valuepulse-state-int-test' });
    clients.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      await deleteKeys(redis, `${prefix}*`);
      await Promise.all(clients.map((c) => c.quit()));
    },
  };
}
