/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Tokens (requests) added per second per key. */
  perSecond: number;
  /** Most tokens a key can hold: the burst it may send at once. */
  burst: number;
  /** Milliseconds now; injectable for tests. */
  now?: () => number;
}

/** A token bucket per key. */
export interface RateLimiter {
  /** Takes a token for `key`: 0 when allowed, else the whole seconds to wait (≥ 1) for the next token. */
  take(key: string): number;
}

/**
 * Token buckets per key (a source, a client address). Buckets that have
 * filled up again are forgotten, so keys seen once do not pile up.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond, burst, now = Date.now } = options;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  const sweep = (t: number): void => {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [key, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) buckets.delete(key);
  };
  return {
    take(key) {
      const t = now();
      sweep(t);
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    },
  };
}
