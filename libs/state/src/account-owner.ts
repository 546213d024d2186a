import type { Segment } from '@valuepulse/contracts';
import type { RedisClient } from './create-redis.js';
import { accountKeys } from './keys.js';

/** Who an account belongs to and which segment it is in, as the scorer last stored them. */
export interface AccountRouting {
  /** The owner (CSM) from the latest account event that named one; null if none did. */
  owner: string | null;
  segment: Segment | null;
}

/**
 * Reads an account's owner and segment from its meta hash (two fields, one
 * round trip): what the alert notifier routes by, since alerts carry neither.
 * An account the store does not know reads as both null.
 *
 * @throws the client's error when Redis cannot be reached.
 */
export async function readAccountRouting(redis: RedisClient, prefix: string, accountId: string): Promise<AccountRouting> {
  const [owner, segment] = await redis.hmget(accountKeys(prefix, accountId).meta, 'owner', 'segment');
  return { owner: owner ?? null, segment: (segment as Segment | null) ?? null };
}
