import type { Redis } from 'ioredis';
import { createRedis } from './create-redis.js';

/** A Redis client for one test file and a key prefix no other run uses. */
export interface TestRedis {
  redis: Redis;
  prefix: string;
  /** Another connection, for concurrency tests. */
  connect(): Redis;
  /** Deletes every key under the prefix and closes the connections. */
  cleanup(): Promise<void>;
}

/**
 * Connects to the stack's Redis; `prefix` should be unique to the run
 * (`uniqueName` from @valuepulse/testkit — imported by the test, since a
 * fixture is not a test file to the workspace check).
 */
export function testRedis(url: string, prefix: string): TestRedis {
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = createRedis({ url, connectionName: 'valuepulse-state-int-test' });
    clients.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await Promise.all(clients.map((c) => c.quit()));
    },
  };
}
