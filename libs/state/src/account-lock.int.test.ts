import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName, waitFor } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { accountKeys, createAccountLocks, createAccountStore } from './index.js';
import { account, at, D0, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account locks on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
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

  it('locks and reads in one call: the same state as read(), exclusive with the other lock holders', async () => {
    const prefix = `${t.prefix}lr:`;
    const store = createAccountStore({ redis: t.redis, prefix });
    const other = createAccountStore({ redis: t.connect(), prefix });
    await store.apply([
      account('acme', at(D0), 'CONTRACT_SIGNED', { contracted_seats: 10, segment: 'SMB' }),
      usage('acme', at(D0), 'u1', 'LOGIN'),
      usage('acme', at(D0 + 1), 'u2', 'FEATURE_USED', { feature_id: 'reports', team: 'ops' }),
      usage('acme', at(D0 + 1), 'u2', 'WORKFLOW_RUN', { workflow_id: 'wf' }),
      usage('acme', at(D0 + 2), 'u3', 'INTEGRATION_CONNECTED', { integration_id: 'crm' }),
      support('acme', at(D0 + 2), 'TICKET_OPENED', { feature_id: 'reports' }),
      account('acme', at(D0 + 2), 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: 'carol', stakeholder_role: 'CHAMPION' }),
      account('acme', at(D0 + 2), 'MILESTONE_SET', { milestone_id: 'm1', milestone_name: 'Go live', milestone_due_date: at(D0 + 30) }),
    ]);
    await store.saveEvaluation('acme', { emitted: { going_dark: { state: 'ok', since: at(D0), pending: null, lastAlertAt: null } }, nextEvaluationAt: at(D0 + 3) });

    const locked = await store.tryLockAndRead('acme', at(D0 + 3), 60_000);
    expect(locked).not.toBeNull();
    expect(locked?.state).toEqual(await store.read('acme', at(D0 + 3)));
    expect(locked?.state.contract.contractedSeats).toBe(10);
    // decoded again as of a later day: what read() gives then (the windows end with that day: u1's login of D0 leaves the 7-day one)
    expect(locked?.stateAt(at(D0 + 9))).toEqual(await store.read('acme', at(D0 + 9)));
    expect(locked?.stateAt(at(D0 + 9))).not.toEqual(locked?.state);
    expect(await other.tryLockAndRead('acme', at(D0 + 3), 60_000)).toBeNull();
    expect(await createAccountLocks({ redis: t.redis, prefix, ttlMs: 60_000 }).tryAcquire('acme')).toBeNull();
    await locked?.release();
    const again = await other.tryLockAndRead('acme', at(D0 + 3), 60_000);
    expect(again).not.toBeNull();
    await again?.release();

    // an account never seen: the empty state, as read() gives it
    const fresh = await store.tryLockAndRead('nobody', at(D0), 60_000);
    expect(fresh?.state).toEqual(await store.read('nobody', at(D0)));
    await fresh?.release();
  });
});
