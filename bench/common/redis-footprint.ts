import { createAccountStore, type createRedis } from '@valuepulse/state';
import { mean } from './stats.js';

export interface RedisFootprint {
  sampled: number;
  totalMean: number;
  totalMax: number;
  stateMean: number;
  stateMax: number;
  dedupMean: number;
  dedupMax: number;
  /** Dedup sets by wall-clock TTL keep ~4 days of ids live; a replay holds all of them. */
  liveEstimateMean: number;
}

const DEDUP_LIVE_DAYS = 4;

/**
 * Redis bytes per account (`MEMORY USAGE` of each of its keys, through the
 * state lib's `memoryByKey`) over `accounts`, split into state and dedup sets,
 * with an estimate of the live footprint (a few days of dedup sets).
 */
export async function redisFootprint(redis: ReturnType<typeof createRedis>, prefix: string, accounts: string[], days: number): Promise<RedisFootprint> {
  const store = createAccountStore({ redis, prefix });
  const totals: number[] = [];
  const states: number[] = [];
  const dedups: number[] = [];
  for (const accountId of accounts) {
    const byKey = await store.memoryByKey(accountId);
    const total = Object.values(byKey).reduce((sum, b) => sum + b, 0);
    totals.push(total);
    dedups.push(byKey.dedup);
    states.push(total - byKey.dedup);
  }
  return {
    sampled: accounts.length,
    totalMean: mean(totals), totalMax: Math.max(...totals),
    stateMean: mean(states), stateMax: Math.max(...states),
    dedupMean: mean(dedups), dedupMax: Math.max(...dedups),
    liveEstimateMean: mean(states) + (mean(dedups) * Math.min(DEDUP_LIVE_DAYS, days)) / days,
  };
}
