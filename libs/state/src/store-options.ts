import { ConfigError, type ConfigProblem } from '@valuepulse/errors';
import type { RedisClient } from './create-redis.js';
import { checkPrefix } from './keys.js';
import { USER_DAYS_WINDOW } from './user-days.js';

/** Options of {@link createAccountStore}. */
export interface AccountStoreOptions {
  /** A client without `keyPrefix` (the store prefixes its keys itself). */
  redis: RedisClient;
  /** Prepended to every key, e.g. `vp:`; isolates deployments and tests. No braces. */
  prefix: string;
  /** Days of event time kept per account, counted back from its newest event. Default {@link DEFAULT_RETENTION_DAYS} (112). */
  retentionDays?: number;
  /**
   * Wall-clock days an event id is remembered at least: its (account, day)
   * dedup set lives this long plus one day from its first id, the day's own
   * events arriving within that day. A copy of an event arriving later is
   * counted again. Default 3: redeliveries after a scorer outage of up to
   * three days (a long weekend), producer retries and the same file produced
   * twice within that time are caught, at ~10 bytes per event of the last 4
   * days (live mode) — what keeps an account within 16 KiB. A replay holds
   * every replayed id that long. Each extra day costs ~10 bytes per event of
   * a day.
   */
  dedupTtlDays?: number;
  /**
   * Whether a call of usage events only is applied summed up (the usage
   * apply script; default true). False applies every call event by event:
   * the same state, slower — the reference the tests hold the sums to.
   */
  sumUsage?: boolean;
}

/** {@link AccountStoreOptions} with defaults applied and checked. */
export interface StoreSettings {
  redis: RedisClient;
  prefix: string;
  retentionDays: number;
  /** Wall-clock TTL of windowed keys: a safety net for accounts that go silent. */
  windowTtlSeconds: number;
  /** Wall-clock TTL of a dedup set, from its creation. */
  dedupTtlSeconds: number;
  sumUsage: boolean;
}

// A margin on the windowed keys' wall-clock TTL so it never cuts into the
// event-time window when events arrive a little late.
const TTL_MARGIN_DAYS = 2;

/**
 * Days of counters kept per account: 16 weeks, so the scoring model can look at the same days of the
 * quarter before (a 14-day window one quarter and a fortnight back; model v1.11, before it 90).
 */
export const DEFAULT_RETENTION_DAYS = 112;
const DEFAULT_DEDUP_DAYS = 3;
const DAY_SECONDS = 86_400;

/**
 * Applies defaults and checks the options.
 *
 * @throws ConfigError naming every bad option.
 */
export function storeSettings(options: AccountStoreOptions): StoreSettings {
  const problems: ConfigProblem[] = [];
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < USER_DAYS_WINDOW) {
    problems.push({ variable: 'retentionDays', expected: `an integer ≥ ${USER_DAYS_WINDOW}`, received: String(retentionDays) });
  }
  const dedupDays = options.dedupTtlDays ?? DEFAULT_DEDUP_DAYS;
  if (!Number.isInteger(dedupDays) || dedupDays < 1) {
    problems.push({ variable: 'dedupTtlDays', expected: 'an integer ≥ 1', received: String(dedupDays) });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    redis: options.redis,
    prefix: checkPrefix(options.prefix),
    retentionDays,
    windowTtlSeconds: (retentionDays + TTL_MARGIN_DAYS) * DAY_SECONDS,
    // from the set's creation, i.e. the first id of its day: one day more
    // covers the ids that arrive at the end of that day
    dedupTtlSeconds: (dedupDays + 1) * DAY_SECONDS,
    sumUsage: options.sumUsage ?? true,
  };
}
