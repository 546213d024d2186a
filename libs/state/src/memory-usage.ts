import { execOrThrow } from './exec-or-throw.js';
import { accountKeys, dedupKey, type AccountKeys } from './keys.js';
import type { StoreSettings } from './store-options.js';

/** Bytes per key kind of one account; `dedup` sums the per-day sets. */
export type MemoryByKey = Record<keyof AccountKeys | 'dedup', number>;

/** Redis memory held by one account. */
export interface MemoryUsage {
  /** Bytes of all the account's keys (`MEMORY USAGE`, exact: SAMPLES 0). */
  memoryUsage(accountId: string): Promise<number>;
  /** The same, per key kind, to see where the bytes go. */
  memoryByKey(accountId: string): Promise<MemoryByKey>;
}

/**
 * Measures by knowing the key list rather than SCANning the keyspace: the
 * fixed keys, plus the dedup sets, which exist only for the days of the
 * retention window ending with the account's newest day. Two round trips.
 */
export function createMemoryUsage(settings: StoreSettings): MemoryUsage {
  const { redis, prefix, retentionDays } = settings;

  async function memoryByKey(accountId: string): Promise<MemoryByKey> {
    const keys = accountKeys(prefix, accountId);
    const maxDay = Number(await redis.hget(keys.meta, 'maxDay'));
    const dedupKeys: string[] = [];
    if (maxDay > 0) for (let day = maxDay - retentionDays + 1; day <= maxDay; day += 1) dedupKeys.push(dedupKey(prefix, accountId, day));

    const kinds = Object.keys(keys) as (keyof AccountKeys)[];
    const pipeline = redis.pipeline();
    for (const key of [...kinds.map((k) => keys[k]), ...dedupKeys]) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const bytes = (await execOrThrow(pipeline, 'memoryUsage')).map((b) => Number(b ?? 0));

    const out = {} as MemoryByKey;
    kinds.forEach((kind, i) => {
      out[kind] = bytes[i] ?? 0;
    });
    out.dedup = bytes.slice(kinds.length).reduce((sum, b) => sum + b, 0);
    return out;
  }

  return {
    memoryByKey,
    async memoryUsage(accountId) {
      return Object.values(await memoryByKey(accountId)).reduce((sum, b) => sum + b, 0);
    },
  };
}
