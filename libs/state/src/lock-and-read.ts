import { randomBytes } from 'node:crypto';
import type { RedisClient } from './create-redis.js';
import type { AccountState } from '@valuepulse/scoring';
import { RELEASE_LOCK_LUA } from './account-lock.js';
import { decodeAccountState, type RawAccountState } from './decode-state.js';
import { accountKeys } from './keys.js';
import { defineLuaCommand } from './lua-command.js';

// Takes the account's evaluation lock and, if it got it, reads the whole state
// in the same call: one command per account instead of the lock's SET and a
// MULTI of twelve reads (client-side cost per command dominated evaluations).
// KEYS: lock, meta, days, userDays, features, workflows, teams, integrations,
// roles, stakeholders, ticketsByFeature, milestones, emitted. ARGV: token, ttl ms.
const LOCK_AND_READ_LUA = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
return {
  redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4]),
  redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES'), redis.call('ZRANGE', KEYS[6], 0, -1, 'WITHSCORES'),
  redis.call('ZRANGE', KEYS[7], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[8]), redis.call('HGETALL', KEYS[9]),
  redis.call('HGETALL', KEYS[10]), redis.call('HGETALL', KEYS[11]), redis.call('HGETALL', KEYS[12]),
  redis.call('GET', KEYS[13])
}`;

/** An account's state read under its evaluation lock. */
export interface LockedState {
  state: AccountState;
  /** Releases the lock (only if it is still ours). */
  release(): Promise<void>;
}

/**
 * Per-account evaluation lock plus state read in one atomic round trip (see
 * LOCK_AND_READ_LUA). The lock is `<prefix>{<account>}:lock` (`SET NX PX`
 * with a random token), the same key {@link createAccountLocks} uses, so
 * both kinds of holder exclude each other.
 */
export function createLockedReader(options: { redis: RedisClient; prefix: string; retentionDays: number }) {
  const { redis, prefix, retentionDays } = options;
  const lockAndRead = defineLuaCommand(redis, 'vpStateLockAndRead', 13, LOCK_AND_READ_LUA);
  const release = defineLuaCommand(redis, 'vpStateLockRelease', 1, RELEASE_LOCK_LUA);

  /**
   * Tries once to lock `accountId` for `ttlMs` and read its state as of `now`.
   *
   * @returns the state and a release function, or null when another holder has the lock.
   * @throws when Redis fails.
   */
  return async function tryLockAndRead(accountId: string, now: number, ttlMs: number): Promise<LockedState | null> {
    const k = accountKeys(prefix, accountId);
    const token = randomBytes(12).toString('hex');
    const keys = [k.lock, k.meta, k.days, k.userDays, k.features, k.workflows, k.teams, k.integrations, k.roles, k.stakeholders, k.ticketsByFeature, k.milestones, k.emitted];
    const reply = (await lockAndRead.run(keys, [token, ttlMs])) as unknown[] | null;
    if (reply === null) return null;
    const [meta, days, userDays, features, workflows, teams, integrations, roles, stakeholders, ticketsByFeature, milestones, emitted] = reply as string[][];
    const raw: RawAccountState = {
      meta: pairs(meta), days: pairs(days), userDays: pairs(userDays),
      features: features ?? [], workflows: workflows ?? [], teams: teams ?? [],
      integrations: pairs(integrations), roles: pairs(roles), stakeholders: pairs(stakeholders),
      ticketsByFeature: pairs(ticketsByFeature), milestones: pairs(milestones),
      emitted: (emitted as unknown as string | null) ?? null,
    };
    return {
      state: decodeAccountState(raw, accountId, now, retentionDays),
      release: async () => {
        await release.run([k.lock], [token]);
      },
    };
  };
}

/** HGETALL's flat reply as an object, as ioredis gives it outside scripts. */
function pairs(flat: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!flat) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

