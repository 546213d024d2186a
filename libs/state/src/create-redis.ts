import { Redis, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** Prepended to every key the client sends; isolates tests and tenants. */
  keyPrefix?: string;
  /** Name shown by `CLIENT LIST`. */
  connectionName?: string;
  /** Do not connect until the first command (or `connect()`). Default false. */
  lazyConnect?: boolean;
}

/**
 * Creates an ioredis client. Commands issued while disconnected are queued and
 * retried on reconnect (ioredis' offline queue); a request that keeps failing
 * is rejected after a few retries instead of hanging forever.
 */
export function createRedis(options: RedisClientOptions): Redis {
  const redisOptions: RedisOptions = {
    lazyConnect: options.lazyConnect ?? false,
    maxRetriesPerRequest: 5,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 5000),
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  return new Redis(options.url, redisOptions);
}
