import type { Redis } from 'ioredis';
import { dueKey } from './keys.js';
import { defineLuaCommand } from './lua-command.js';

// Take what is due and push it out by the lease in the same script: a second
// claimer running right after sees those accounts in the future, so one tick
// never hands an account to two instances. A claimer that dies lets the lease
// run out and the account comes due again.
const CLAIM_DUE_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id) end
return due`;

/**
 * The due-time index: when each account must next be evaluated even if it
 * sends nothing (decay is the absence of events). One sorted set, member =
 * account id, score = epoch ms. It spans all accounts, so on Redis Cluster it
 * sits in one slot, apart from the accounts' keys — see LAYOUT.md.
 */
export interface DueIndex {
  /** Schedules an evaluation at `at`, keeping an earlier time already there. */
  schedule(accountId: string, at: number): Promise<void>;
  /**
   * Atomically takes up to `limit` accounts due at or before `now` (earliest
   * first) and moves them to `now + leaseMs`, so concurrent claimers never get
   * the same account for one tick. Resolves to the claimed ids.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<string[]>;
}

/** Creates the due-time index at `<prefix>due`. */
export function createDueIndex(redis: Redis, prefix: string): DueIndex {
  const key = dueKey(prefix);
  const claim = defineLuaCommand(redis, 'vpStateClaimDue', 1, CLAIM_DUE_LUA);
  return {
    async schedule(accountId, at) {
      await redis.zadd(key, 'LT', ms(at), accountId);
    },
    async claimDue(now, limit, leaseMs) {
      if (limit <= 0) return [];
      return (await claim.run([key], [ms(now), Math.floor(limit), ms(now + leaseMs)])) as string[];
    },
  };
}

/** An epoch-ms score as Redis reads it (integral, never exponent notation). */
export function ms(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a time: ${value}`);
  return Math.trunc(value).toString();
}
