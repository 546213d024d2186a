import { randomBytes } from 'node:crypto';
import type { RedisClient } from './create-redis.js';
import { defineLuaCommand } from './lua-command.js';

// Delete the lock only if it still holds our token: a lock that expired and
// was taken by another instance must not be released by us.
export const RELEASE_LOCK_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** A per-account evaluation lock: one evaluator at a time per account, across instances. */
export interface AccountLocks {
  /** Tries once; resolves to a release function, or null when another holder has it. */
  tryAcquire(accountId: string): Promise<(() => Promise<void>) | null>;
}

/**
 * Creates per-account locks (`SET NX PX` with a random token) under
 * `<prefix>{<account>}:lock`, sharing the account's hash tag. `ttlMs` bounds
 * how long a crashed holder blocks the account.
 */
export function createAccountLocks(options: { redis: RedisClient; prefix: string; ttlMs: number }): AccountLocks {
  const { redis, prefix, ttlMs } = options;
  const release = defineLuaCommand(redis, 'vpStateLockRelease', 1, RELEASE_LOCK_LUA);
  return {
    async tryAcquire(accountId) {
      const key = `${prefix}{${accountId}}:lock`;
      const token = randomBytes(12).toString('hex');
      const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return null;
      return async () => {
        await release.run([key], [token]);
      };
    },
  };
}
