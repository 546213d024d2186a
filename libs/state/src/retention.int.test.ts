import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { accountKeys, createAccountStore, dedupKey } from './index.js';
import { account, at, D0, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

const DAY_SECONDS = 86_400;

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account store: retention window on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  const keys = accountKeys(t.prefix, 'old');
  afterAll(() => t.cleanup());

  it('trims what falls out of the window when the newest day moves on', async () => {
    await store.apply([
      usage('old', at(D0 - 125), 'ann', 'FEATURE_USED', { feature_id: 'f-old', team: 'legacy', workflow_id: 'wf-old' }),
      support('old', at(D0 - 125), 'TICKET_OPENED', { feature_id: 'f-old' }),
    ]);
    expect(await t.redis.hkeys(keys.days)).toEqual([String(D0 - 125)]);
    expect(await t.redis.hkeys(keys.ticketsByFeature)).toEqual([`${D0 - 125}|f-old`]);
    expect(await t.redis.exists(dedupKey(t.prefix, 'old', D0 - 125))).toBe(1);

    await store.apply([usage('old', at(D0), 'bob', 'LOGIN')]);
    expect(await t.redis.hkeys(keys.days)).toEqual([String(D0)]);
    expect(await t.redis.hkeys(keys.userDays)).toEqual(['bob']);
    for (const key of [keys.features, keys.teams, keys.workflows]) expect(await t.redis.zcard(key)).toBe(0);
    expect(await t.redis.hlen(keys.ticketsByFeature)).toBe(0);
    expect(await t.redis.exists(dedupKey(t.prefix, 'old', D0 - 125))).toBe(0);
    expect(await t.redis.exists(dedupKey(t.prefix, 'old', D0))).toBe(1);
  });

  it('lets windowed keys and dedup sets expire on the wall clock too, never the lasting facts', async () => {
    const ttl = async (key: string) => t.redis.ttl(key);
    for (const key of [keys.days, keys.userDays]) {
      expect(await ttl(key)).toBeGreaterThan(113 * DAY_SECONDS);
      expect(await ttl(key)).toBeLessThanOrEqual(114 * DAY_SECONDS);
    }
    expect(await ttl(dedupKey(t.prefix, 'old', D0))).toBeGreaterThan(3 * DAY_SECONDS);
    expect(await ttl(dedupKey(t.prefix, 'old', D0))).toBeLessThanOrEqual(4 * DAY_SECONDS);
    expect(await ttl(keys.meta)).toBe(-1);
  });

  it('applies an event older than the window to the lasting facts only', async () => {
    const before = await store.read('old', at(D0));
    const ancient = usage('old', at(D0 - 118), 'carol', 'INTEGRATION_CONNECTED', { integration_id: 'crm', user_role: 'CHAMPION', feature_id: 'f-x' });
    expect((await store.apply([ancient])).accounts.get('old')).toEqual({ applied: 1, duplicates: 0, duplicateEventIds: [], outsideWindow: 1, changed: true });

    const after = await store.read('old', at(D0));
    expect(after.days).toEqual(before.days);
    expect(after.userActiveDays28d).toEqual(before.userActiveDays28d);
    expect(after.featureLastUsedAt).toEqual({});
    expect(after.firstActivityAt).toBe(at(D0 - 125)); // the trimmed day's event still counts as first activity
    expect(after.roleLastActiveAt).toEqual({ CHAMPION: at(D0 - 118) });
    expect(after.integrations).toEqual({ crm: { connected: true, at: at(D0 - 118) } });

    // no dedup set out there: a copy is applied again, and changes nothing but the count of applied events
    expect((await store.apply([ancient])).accounts.get('old')).toMatchObject({ applied: 1, duplicates: 0, outsideWindow: 1, changed: false });
    expect(await store.read('old', at(D0))).toEqual({ ...after, eventsApplied: (after.eventsApplied ?? 0) + 1 });
    expect(await t.redis.exists(dedupKey(t.prefix, 'old', D0 - 118))).toBe(0);
  });

  it('still records old contract and stakeholder facts, and old support events change nothing', async () => {
    const result = await store.apply([
      account('old', at(D0 - 300), 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: 'erin', stakeholder_role: 'EXECUTIVE_SPONSOR' }),
      support('old', at(D0 - 120), 'TICKET_OPENED'),
    ]);
    expect(result.accounts.get('old')).toMatchObject({ applied: 2, outsideWindow: 2, changed: true });
    const state = await store.read('old', at(D0));
    expect(state.stakeholders).toEqual({ erin: { role: 'EXECUTIVE_SPONSOR', assignedAt: at(D0 - 300), leftAt: null } });
    expect(Object.values(state.days).reduce((n, d) => n + d.ticketsOpened, 0)).toBe(0);
  });

  it('honours a shorter retention window', async () => {
    const short = createAccountStore({ redis: t.redis, prefix: t.prefix, retentionDays: 30 });
    await short.apply([usage('short', at(D0 - 30), 'ann', 'LOGIN'), usage('short', at(D0 - 29), 'ann', 'LOGIN'), usage('short', at(D0), 'ann', 'LOGIN')]);
    expect((await t.redis.hkeys(accountKeys(t.prefix, 'short').days)).map(Number).sort()).toEqual([D0 - 29, D0]);
    expect(Object.keys((await short.read('short', at(D0 + 1))).days).map(Number)).toEqual([D0]);
  });
});
