import { randomBytes } from 'node:crypto';
import type { RedisClient } from './create-redis.js';
import type { AccountState, EmittedState } from '@valuepulse/scoring';
import { RELEASE_LOCK_LUA } from './account-lock.js';
import { parseFlatAccountState, type FlatAccountState } from './decode-state.js';
import { ms } from './due-index.js';
import { accountKeys, dueKey, luaAccountKeys } from './keys.js';
import { defineLuaCommand } from './lua-command.js';

// Takes the account's evaluation lock and, if it got it, reads the whole state
// in the same call: one command per account instead of the lock's SET and a
// MULTI of twelve reads (client-side cost per command dominated evaluations).
// The reply is one JSON string (cjson, in C) rather than ~12 nested arrays of
// a few hundred bulk strings: the client parses it with JSON.parse instead of
// allocating a reply object per field (the read was ~40 % of an evaluation).
// cjson writes an empty table as {}, which decoding takes for an empty reply.
// KEYS: the account's lock key; the script names the others from it. ARGV: token, ttl ms.
const LOCK_AND_READ_LUA = `
${luaAccountKeys('lock', { M: 'meta', D: 'days', UD: 'userDays', F: 'features', W: 'workflows', T: 'teams', I: 'integrations', RL: 'roles', S: 'stakeholders', TF: 'ticketsByFeature', MS: 'milestones', E: 'emitted', U: 'subAccounts' })}
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
return cjson.encode({
  redis.call('HGETALL', M), redis.call('HGETALL', D), redis.call('HGETALL', UD),
  redis.call('ZRANGE', F, 0, -1, 'WITHSCORES'), redis.call('ZRANGE', W, 0, -1, 'WITHSCORES'),
  redis.call('ZRANGE', T, 0, -1, 'WITHSCORES'), redis.call('HGETALL', I), redis.call('HGETALL', RL),
  redis.call('HGETALL', S), redis.call('HGETALL', TF), redis.call('HGETALL', MS),
  redis.call('GET', E), redis.call('HGETALL', U)
})`;

// Saves an evaluation and releases the lock in one call (one Redis node: the
// due index's slot does not matter there). KEYS: lock, due. ARGV: token,
// emitted JSON, next evaluation time (ms), account id.
const SAVE_AND_RELEASE_LUA = `
${luaAccountKeys('lock', { E: 'emitted' })}
redis.call('SET', E, ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** An account's state read under its evaluation lock. */
export interface LockedState {
  state: AccountState;
  /**
   * The same reply decoded as of a later `now` (the windows end with its
   * day): what a second read under the same lock would give, without the
   * round trip, while nothing but this holder writes the account.
   */
  stateAt(now: number): AccountState;
  /** Releases the lock (only if it is still ours). */
  release(): Promise<void>;
  /**
   * {@link AccountStore.saveEvaluation} then {@link release}, in that order,
   * with the lock held until the account is rescheduled. On one Redis node
   * this is one script call instead of three commands; on a Cluster (the due
   * index lives in another slot) it is those three, one after the other.
   *
   * @throws when Redis fails; the lock is then left to its expiry.
   */
  saveAndRelease(evaluation: { emitted: EmittedState; nextEvaluationAt: number }): Promise<void>;
}

/**
 * Per-account evaluation lock plus state read in one atomic round trip (see
 * LOCK_AND_READ_LUA). The lock is `<prefix>{<account>}:lock` (`SET NX PX`
 * with a random token), the same key {@link createAccountLocks} uses, so
 * both kinds of holder exclude each other.
 */
export function createLockedReader(options: { redis: RedisClient; prefix: string; retentionDays: number }) {
  const { redis, prefix, retentionDays } = options;
  const lockAndRead = defineLuaCommand(redis, 'vpStateLockAndRead', 1, LOCK_AND_READ_LUA);
  const release = defineLuaCommand(redis, 'vpStateLockRelease', 1, RELEASE_LOCK_LUA);
  const saveAndRelease = defineLuaCommand(redis, 'vpStateSaveAndRelease', 2, SAVE_AND_RELEASE_LUA);

  /**
   * Tries once to lock `accountId` for `ttlMs` and read its state as of `now`.
   *
   * @returns the state and a release function, or null when another holder has the lock.
   * @throws when Redis fails.
   */
  return async function tryLockAndRead(accountId: string, now: number, ttlMs: number): Promise<LockedState | null> {
    const k = accountKeys(prefix, accountId);
    const token = randomBytes(12).toString('hex');
    const reply = (await lockAndRead.run([k.lock], [token, ttlMs])) as string | null;
    if (reply === null) return null;
    const [meta, days, userDays, features, workflows, teams, integrations, roles, stakeholders, ticketsByFeature, milestones, emitted, subAccounts] = JSON.parse(reply) as unknown[];
    const raw: FlatAccountState = {
      meta: list(meta), days: list(days), userDays: list(userDays),
      features: list(features), workflows: list(workflows), teams: list(teams),
      integrations: list(integrations), roles: list(roles), stakeholders: list(stakeholders),
      ticketsByFeature: list(ticketsByFeature), milestones: list(milestones),
      emitted: typeof emitted === 'string' ? emitted : null,
      subAccounts: list(subAccounts),
    };
    // parsed once: the evaluator may judge this read at later times too (see stateAt)
    const parsed = parseFlatAccountState(raw, accountId, retentionDays);
    return {
      state: parsed.at(now),
      stateAt: (later) => parsed.at(later),
      release: async () => {
        await release.run([k.lock], [token]);
      },
      saveAndRelease: async ({ emitted, nextEvaluationAt }) => {
        const json = JSON.stringify(emitted);
        const at = ms(nextEvaluationAt);
        if (redis.isCluster) {
          await redis.set(k.emitted, json);
          await redis.zadd(dueKey(prefix), at, accountId);
          await release.run([k.lock], [token]);
        } else {
          await saveAndRelease.run([k.lock, dueKey(prefix)], [token, json, at, accountId]);
        }
      },
    };
  };
}

/** A flat reply from the JSON: cjson writes an empty one as {}. */
function list(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}
