import { uniqueName } from '@valuepulse/testkit';
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

/** Connects to the stack's Redis with a fresh random prefix. */
export function testRedis(url: string): TestRedis {
  const prefix = `${uniqueName('vp_state')}:`;
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
