import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { accountKeys, createAccountLocks } from './index.js';
import { testRedis } from './test-redis.fixture.js';

describe('account locks', () => {
  const t = testRedis(stackEndpoints().redisUrl, `${uniqueName('vp_state')}:`);
  afterAll(() => t.cleanup());

  it('lets one holder in at a time, across clients, until it releases', async () => {
    const a = createAccountLocks({ redis: t.redis, prefix: t.prefix, ttlMs: 60_000 });
    const b = createAccountLocks({ redis: t.connect(), prefix: t.prefix, ttlMs: 60_000 });
    const release = await a.tryAcquire('acme');
    expect(release).not.toBeNull();
    expect(await t.redis.exists(accountKeys(t.prefix, 'acme').lock)).toBe(1);
    expect(await b.tryAcquire('acme')).toBeNull();
    expect(await b.tryAcquire('other')).not.toBeNull();
    await release?.();
    expect(await b.tryAcquire('acme')).not.toBeNull();
  });

  it('frees the account when a holder dies, and a stale release does not free the new holder', async () => {
    const locks = createAccountLocks({ redis: t.redis, prefix: t.prefix, ttlMs: 100 });
    const stale = await locks.tryAcquire('crash');
    expect(stale).not.toBeNull();
    const fresh = await waitFor(() => locks.tryAcquire('crash'), { timeoutMs: 5_000, intervalMs: 20, description: 'lock expiry' });
    await stale?.();
    expect(await locks.tryAcquire('crash')).toBeNull();
    await fresh();
  });
});
