import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, dueKey } from './index.js';
import { at, D0 } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('due-time index on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  afterAll(() => t.cleanup());

  /** A store on its own prefix, so each test sees only its own due index. */
  const freshStore = (redis = t.redis, name = uniqueName('due')) => createAccountStore({ redis, prefix: `${t.prefix}${name}:` });
  const score = (prefix: string, id: string) => t.redis.zscore(dueKey(prefix), id);

  it('keeps the earliest time when an account is scheduled again', async () => {
    const prefix = `${t.prefix}keep:`;
    const store = createAccountStore({ redis: t.redis, prefix });
    await store.schedule('a', 2_000);
    await store.schedule('a', 3_000);
    expect(await score(prefix, 'a')).toBe('2000');
    await store.schedule('a', 1_000);
    expect(await score(prefix, 'a')).toBe('1000');
  });

  it('schedules several accounts in one call, keeping each one\'s earlier time', async () => {
    const prefix = `${t.prefix}all:`;
    const store = createAccountStore({ redis: t.redis, prefix });
    await store.schedule('a', 1_000);
    await store.scheduleAll(['a', 'b', 'c'], 2_000);
    expect([await score(prefix, 'a'), await score(prefix, 'b'), await score(prefix, 'c')]).toEqual(['1000', '2000', '2000']);
    await store.scheduleAll([], 0);
    expect(await t.redis.zcard(dueKey(prefix))).toBe(3);
  });

  it('claims what is due, earliest first, up to the limit, and leases it', async () => {
    const store = freshStore();
    await Promise.all([store.schedule('a', 100), store.schedule('b', 200), store.schedule('c', 300), store.schedule('d', 5_000)]);
    expect(await store.claimDue(250, 10, 1_000)).toEqual(['a', 'b']);
    expect(await store.claimDue(250, 10, 1_000)).toEqual([]); // same tick: leased
    expect(await store.claimDue(300, 1, 1_000)).toEqual(['c']);
    expect(await store.claimDue(1_249, 10, 1_000)).toEqual([]);
    expect(await store.claimDue(1_250, 10, 1_000)).toEqual(['a', 'b']); // lease ran out: due again
    expect(await store.claimDue(1_250, 0, 1_000)).toEqual([]);
  });

  it('claims with the due times, earliest first', async () => {
    const store = freshStore();
    await Promise.all([store.schedule('a', 100), store.schedule('b', 200), store.schedule('c', 5_000)]);
    expect(await store.claimDueAt(250, 10, 1_000)).toEqual([
      { accountId: 'a', dueAt: 100 },
      { accountId: 'b', dueAt: 200 },
    ]);
    expect(await store.claimDueAt(250, 10, 1_000)).toEqual([]);
  });

  it('claims named accounts only when they are due, and leases them', async () => {
    const store = freshStore();
    await Promise.all([store.schedule('a', 100), store.schedule('b', 200), store.schedule('c', 300)]);
    expect(await store.claimAccountsDue(['c', 'a', 'unknown', 'b'], 200, 1_000)).toEqual([
      { accountId: 'a', dueAt: 100 },
      { accountId: 'b', dueAt: 200 },
    ]);
    // leased to upTo + lease: not due again for the same step, and not for the global ticker either
    expect(await store.claimAccountsDue(['a', 'b'], 200, 1_000)).toEqual([]);
    expect(await store.claimDueAt(1_199, 10, 1_000)).toEqual([{ accountId: 'c', dueAt: 300 }]);
    expect(await store.claimAccountsDue(['a', 'b'], 1_200, 1_000)).toEqual([
      { accountId: 'a', dueAt: 1_200 },
      { accountId: 'b', dueAt: 1_200 },
    ]);
    expect(await store.claimAccountsDue([], 1_200, 1_000)).toEqual([]);
  });

  it('never hands one account to two concurrent claimers in the same tick', async () => {
    const name = uniqueName('race');
    const a = freshStore(t.redis, name);
    const b = freshStore(t.connect(), name);
    const ids = Array.from({ length: 300 }, (_, i) => `acct-${i}`);
    await Promise.all(ids.map((id, i) => a.schedule(id, 1_000 + i)));

    const drain = async (store: typeof a): Promise<string[]> => {
      const claimed: string[] = [];
      for (;;) {
        const batch = await store.claimDue(10_000, 7, 60_000);
        if (batch.length === 0) return claimed;
        claimed.push(...batch);
      }
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect([...byA, ...byB].sort()).toEqual([...ids].sort());
  });

  it('saves the emitted memory and reschedules the account in one step', async () => {
    const prefix = `${t.prefix}save:`;
    const store = createAccountStore({ redis: t.redis, prefix });
    await store.schedule('acme', at(D0));
    expect(await store.claimDue(at(D0), 10, 60_000)).toEqual(['acme']);

    const emitted = { going_dark: { state: 'breached', since: at(D0), pending: null, lastAlertAt: at(D0) } };
    await store.saveEvaluation('acme', { emitted, nextEvaluationAt: at(D0 + 1) });
    expect((await store.read('acme', at(D0))).emitted).toEqual(emitted);
    // the evaluation's time replaces the lease, later or earlier
    expect(await score(prefix, 'acme')).toBe(String(at(D0 + 1)));
    await store.saveEvaluation('acme', { emitted: {}, nextEvaluationAt: at(D0) + 5 });
    expect(await score(prefix, 'acme')).toBe(String(at(D0) + 5));
    expect((await store.read('acme', at(D0))).emitted).toEqual({});
  });
});
