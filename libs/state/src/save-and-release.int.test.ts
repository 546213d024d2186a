import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName, waitFor } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { accountKeys, createAccountStore, dueKey } from './index.js';
import { at, D0, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// the same behaviour on one node (one script call) and on the local stack's 3-master Redis Cluster (three commands)
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

const memory = (since: number) => ({ going_dark: { state: 'ok', since, pending: null, lastAlertAt: null } });

describe.each(backends)('saving an evaluation under the lock on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  const other = createAccountStore({ redis: t.connect(), prefix: t.prefix });
  afterAll(() => t.cleanup());

  it('saves the memory, reschedules the account and frees its lock, as saveEvaluation then release do', async () => {
    await store.apply([usage('acme', at(D0), 'u1', 'LOGIN')]);
    const locked = await store.tryLockAndRead('acme', at(D0, 13), 60_000);
    expect(locked).not.toBeNull();
    await locked?.saveAndRelease({ emitted: memory(at(D0, 13)), nextEvaluationAt: at(D0 + 1, 0) });

    expect(await t.redis.zscore(dueKey(t.prefix), 'acme')).toBe(String(at(D0 + 1, 0)));
    const next = await other.tryLockAndRead('acme', at(D0, 14), 60_000);
    expect(next?.state.emitted).toEqual(memory(at(D0, 13)));
    expect(next?.state).toEqual(await store.read('acme', at(D0, 14)));
    await next?.release();
  });

  it('does not free a lock another holder took after ours expired', async () => {
    await store.apply([usage('slow', at(D0), 'u1', 'LOGIN')]);
    const expired = await store.tryLockAndRead('slow', at(D0, 13), 100);
    expect(expired).not.toBeNull();
    const taken = await waitFor(() => other.tryLockAndRead('slow', at(D0, 13), 60_000), { timeoutMs: 5_000, intervalMs: 20, description: 'lock expiry' });
    await expired?.saveAndRelease({ emitted: memory(at(D0, 13)), nextEvaluationAt: at(D0 + 1, 0) });
    expect(await t.redis.exists(accountKeys(t.prefix, 'slow').lock)).toBe(1);
    expect(await store.tryLockAndRead('slow', at(D0, 14), 60_000)).toBeNull();
    await taken.release();
  });
});
