import type { Redis } from 'ioredis';

// Keep the maximum: instances on different partitions advance it concurrently.
const ADVANCE = `local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local cand = tonumber(ARGV[1])
if cand > cur then redis.call('SET', KEYS[1], ARGV[1]) return cand end
return cur`;

/** The event-time watermark: the highest event time any scorer instance has seen. */
export interface Watermark {
  /** Raises the watermark to `eventTime` if higher; resolves to the watermark after the call. */
  advance(eventTime: number): Promise<number>;
  /** The watermark, or null before the first event. */
  get(): Promise<number | null>;
}

/** Creates the shared event-time watermark kept at `<prefix>watermark`. */
export function createWatermark(options: { redis: Redis; prefix: string }): Watermark {
  const key = `${options.prefix}watermark`;
  const { redis } = options;
  return {
    async advance(eventTime) {
      return Number(await redis.eval(ADVANCE, 1, key, String(Math.trunc(eventTime))));
    },
    async get() {
      const raw = await redis.get(key);
      return raw === null ? null : Number(raw);
    },
  };
}
