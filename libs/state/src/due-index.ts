import type { RedisClient } from './create-redis.js';
import { dueKey } from './keys.js';
import { defineLuaCommand } from './lua-command.js';

// Take what is due and push it out by the lease in the same script: a second
// claimer running right after sees those accounts in the future, so one tick
// never hands an account to two instances. A claimer that dies lets the lease
// run out and the account comes due again.
const CLAIM_DUE_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], due[i]) end
return due`;

// The same for named accounts only: ARGV = up-to time, lease score, ids.
const CLAIM_ACCOUNTS_DUE_LUA = `
local out = {}
local upTo = tonumber(ARGV[1])
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= upTo then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[i])
    out[#out + 1] = ARGV[i]
    out[#out + 1] = score
  end
end
return out`;

/** An account taken from the due index, with the time it was due. */
export interface DueAccount {
  accountId: string;
  dueAt: number;
}

/**
 * The due-time index: when each account must next be evaluated even if it
 * sends nothing (decay is the absence of events). One sorted set, member =
 * account id, score = epoch ms. It spans all accounts, so on Redis Cluster it
 * sits in one slot, apart from the accounts' keys — see LAYOUT.md.
 */
export interface DueIndex {
  /** Schedules an evaluation at `at`, keeping an earlier time already there. */
  schedule(accountId: string, at: number): Promise<void>;
  /** {@link schedule} for several accounts at once, in one command. */
  scheduleAll(accountIds: readonly string[], at: number): Promise<void>;
  /**
   * Atomically takes up to `limit` accounts due at or before `now` (earliest
   * first) and moves them to `now + leaseMs`, so concurrent claimers never get
   * the same account for one tick. Resolves to the claimed ids.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<string[]>;
  /** {@link claimDue}, with the time each account was due (earliest first). */
  claimDueAt(now: number, limit: number, leaseMs: number): Promise<DueAccount[]>;
  /**
   * Atomically takes those of `accountIds` due at or before `upTo` and moves
   * them to `upTo + leaseMs` (an account not in the index is not due).
   * Resolves to the claimed accounts with their due times, in argument order.
   */
  claimAccountsDue(accountIds: readonly string[], upTo: number, leaseMs: number): Promise<DueAccount[]>;
}

/** Creates the due-time index at `<prefix>due`. */
export function createDueIndex(redis: RedisClient, prefix: string): DueIndex {
  const key = dueKey(prefix);
  const claim = defineLuaCommand(redis, 'vpStateClaimDueAt', 1, CLAIM_DUE_LUA);
  const claimAccounts = defineLuaCommand(redis, 'vpStateClaimAccountsDue', 1, CLAIM_ACCOUNTS_DUE_LUA);
  async function claimDueAt(now: number, limit: number, leaseMs: number): Promise<DueAccount[]> {
    if (limit <= 0) return [];
    return pairs(await claim.run([key], [ms(now), Math.floor(limit), ms(now + leaseMs)]));
  }
  return {
    async schedule(accountId, at) {
      await redis.zadd(key, 'LT', ms(at), accountId);
    },
    async scheduleAll(accountIds, at) {
      if (accountIds.length === 0) return;
      const score = ms(at);
      await redis.zadd(key, 'LT', ...accountIds.flatMap((id) => [score, id]));
    },
    async claimDue(now, limit, leaseMs) {
      return (await claimDueAt(now, limit, leaseMs)).map((d) => d.accountId);
    },
    claimDueAt,
    async claimAccountsDue(accountIds, upTo, leaseMs) {
      if (accountIds.length === 0) return [];
      return pairs(await claimAccounts.run([key], [ms(upTo), ms(upTo + leaseMs), ...accountIds]));
    },
  };
}

function pairs(flat: unknown): DueAccount[] {
  const list = flat as string[];
  const out: DueAccount[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push({ accountId: list[i] as string, dueAt: Number(list[i + 1]) });
  return out;
}

/** An epoch-ms score as Redis reads it (integral, never exponent notation). */
export function ms(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a time: ${value}`);
  return Math.trunc(value).toString();
}
