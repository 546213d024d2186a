import { ConfigError, type ConfigProblem } from '@valuepulse/errors';
import type { Redis } from 'ioredis';
import { checkPrefix } from './keys.js';
import { USER_DAYS_WINDOW } from './user-days.js';

/** Options of {@link createAccountStore}. */
export interface AccountStoreOptions {
  /** A client without `keyPrefix` (the store prefixes its keys itself). */
  redis: Redis;
  /** Prepended to every key, e.g. `vp:`; isolates deployments and tests. No braces. */
  prefix: string;
  /** Days of event time kept per account, counted back from its newest event. Default 90. */
  retentionDays?: number;
  /**
   * Days of event time (counted back from the account's newest event) for
   * which event ids are remembered to recognise redeliveries. Default: the
   * retention window, so no duplicate can ever be counted twice. Shorter
   * saves 8 bytes per event per day dropped; events older than this but
   * inside the retention window are then counted without the check.
   */
  dedupTtlDays?: number;
}

/** {@link AccountStoreOptions} with defaults applied and checked. */
export interface StoreSettings {
  redis: Redis;
  prefix: string;
  retentionDays: number;
  dedupDays: number;
  /** Wall-clock TTL of windowed keys: a safety net for accounts that go silent. */
  windowTtlSeconds: number;
  /** Wall-clock TTL of dedup sets. */
  dedupTtlSeconds: number;
}

// A margin on the wall-clock TTLs so they never cut into the event-time
// windows when events arrive a little late.
const TTL_MARGIN_DAYS = 2;
const DAY_SECONDS = 86_400;

/**
 * Applies defaults and checks the options.
 *
 * @throws ConfigError naming every bad option.
 */
export function storeSettings(options: AccountStoreOptions): StoreSettings {
  const problems: ConfigProblem[] = [];
  const retentionDays = options.retentionDays ?? 90;
  if (!Number.isInteger(retentionDays) || retentionDays < USER_DAYS_WINDOW) {
    problems.push({ variable: 'retentionDays', expected: `an integer ≥ ${USER_DAYS_WINDOW}`, received: String(retentionDays) });
  }
  const dedupDays = options.dedupTtlDays ?? retentionDays;
  if (!Number.isInteger(dedupDays) || dedupDays < 1 || dedupDays > retentionDays) {
    problems.push({ variable: 'dedupTtlDays', expected: `an integer from 1 to retentionDays (${retentionDays})`, received: String(dedupDays) });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    redis: options.redis,
    prefix: checkPrefix(options.prefix),
    retentionDays,
    dedupDays,
    windowTtlSeconds: (retentionDays + TTL_MARGIN_DAYS) * DAY_SECONDS,
    dedupTtlSeconds: (dedupDays + TTL_MARGIN_DAYS) * DAY_SECONDS,
  };
}
