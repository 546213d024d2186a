import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, scanKeys } from './index.js';
import { SCENARIO_NOW, scenarioEvents, scenarioState } from './scenario.fixture.js';
import { at, D0, shuffled, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

/** Every key under the prefix with its DUMP: equal snapshots mean nothing changed. */
async function snapshot(redis: ReturnType<typeof testRedis>['redis'], prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const keys of scanKeys(redis, `${prefix}*`)) {
    for (const key of keys) out.set(key, ((await redis.dumpBuffer(key)) ?? Buffer.alloc(0)).toString('hex'));
  }
  return out;
}

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account store: apply and read on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  // the windows' mechanics at the 90-day retention its dates were written for (the 112-day default:
  // retention.int.test.ts, memory-account.int.test.ts)
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix, retentionDays: 90 });
  afterAll(() => t.cleanup());

  it('reads exactly the state a scripted mix of events implies', async () => {
    const events = scenarioEvents('acme');
    const result = await store.apply(events);
    expect(result).toMatchObject({ applied: events.length, duplicates: 0 });
    expect(result.accounts.get('acme')).toEqual({ applied: events.length, duplicates: 0, duplicateEventIds: [], outsideWindow: 0, changed: true });
    expect(await store.read('acme', SCENARIO_NOW)).toEqual(scenarioState('acme'));
  });

  it('changes nothing when the same events come again, and reports them as duplicates', async () => {
    const events = scenarioEvents('again');
    await store.apply(events);
    const before = await snapshot(t.redis, `${t.prefix}{again}`);

    const redelivered = shuffled(events);
    const result = await store.apply(redelivered);
    expect(result.accounts.get('again')).toEqual({
      applied: 0, duplicates: events.length, duplicateEventIds: redelivered.map((e) => e.event.event_id), outsideWindow: 0, changed: false,
    });
    expect(await snapshot(t.redis, `${t.prefix}{again}`)).toEqual(before);
    expect(await store.read('again', SCENARIO_NOW)).toEqual(scenarioState('again'));
  });

  it('counts the events applied to the account, never a duplicate, and reads the count under the evaluation lock', async () => {
    const events = scenarioEvents('counted');
    await store.apply(events.slice(0, 10));
    expect((await store.read('counted', SCENARIO_NOW)).eventsApplied).toBe(10);
    await store.apply(shuffled(events, 3)); // the first ten again, as duplicates
    expect((await store.read('counted', SCENARIO_NOW)).eventsApplied).toBe(events.length);
    const locked = await store.tryLockAndRead('counted', SCENARIO_NOW, 60_000);
    expect(locked?.state.eventsApplied).toBe(events.length);
    await locked?.release();
    expect((await store.read('never-seen', SCENARIO_NOW)).eventsApplied).toBe(0);
  });

  it('counts a duplicate inside one batch once', async () => {
    const login = usage('twice', at(D0), 'alice', 'LOGIN');
    const result = await store.apply([login, login]);
    expect(result.accounts.get('twice')).toMatchObject({ applied: 1, duplicates: 1, duplicateEventIds: [login.event.event_id] });
    expect((await store.read('twice', at(D0))).days[D0]).toMatchObject({ events: 1, logins: 1 });
  });

  it('tells a usage and a support event with the same id apart', async () => {
    const result = await store.apply([
      usage('ids', at(D0), 'alice', 'LOGIN', { event_id: 'same' }),
      support('ids', at(D0), 'TICKET_OPENED', { event_id: 'same' }),
    ]);
    expect(result).toMatchObject({ applied: 2, duplicates: 0 });
  });

  it('gives the same state whatever the order and batching of the events', async () => {
    const events = shuffled(scenarioEvents('scrambled'), 7);
    for (let i = 0; i < events.length; i += 5) await store.apply(events.slice(i, i + 5));
    expect(await store.read('scrambled', SCENARIO_NOW)).toEqual(scenarioState('scrambled'));
  });

  it('puts a late event in the UTC day it happened, not the day it arrived', async () => {
    await store.apply([usage('late', at(D0, 1), 'alice', 'LOGIN')]);
    const late = usage('late', D0 * 86_400_000 - 1, 'bob', 'LOGIN'); // the last ms of D0-1
    expect((await store.apply([late])).accounts.get('late')).toMatchObject({ applied: 1, outsideWindow: 0, changed: true });
    const state = await store.read('late', at(D0, 2));
    expect(state.days[D0 - 1]).toMatchObject({ events: 1, logins: 1 });
    expect(state.days[D0]).toMatchObject({ events: 1, logins: 1 });
    expect(state.userActiveDays28d).toEqual({ alice: 1, bob: 1 });
    expect(state.firstActivityAt).toBe(D0 * 86_400_000 - 1);
  });

  it('moves every window with now', async () => {
    // a week on: alice (D0, D0-1) and bob (D0-2) leave the 7 days; nobody leaves the 28 yet
    const weekLater = await store.read('acme', at(D0 + 7));
    expect(weekLater).toMatchObject({ activeUsers7d: 0, activeUsers28d: 3, userActiveDays28d: { alice: 2, bob: 3, erin: 1 } });
    expect(weekLater.ticketsByFeature).toEqual({ [D0 - 1]: { reports: 1 }, [D0]: { reports: 1, '(none)': 1 } });

    // 51 days on the retention window starts at D0-38: dave's day D0-40 and his feature are gone
    const later = await store.read('acme', at(D0 + 51));
    expect(Object.keys(later.days).map(Number).sort()).toEqual([D0 - 30, D0 - 20, D0 - 12, D0 - 8, D0 - 2, D0 - 1, D0].sort());
    expect(later.featureLastUsedAt).toEqual({ reports: at(D0, 10), dashboards: at(D0 - 1, 10) });
    expect(later).toMatchObject({ activeUsers7d: 0, activeUsers28d: 0, userActiveDays28d: {}, ticketsByFeature: {} });
    // facts that are not windowed stay
    expect(later.lastActivityAt).toBe(at(D0, 10));
    expect(later.stakeholders).toEqual(scenarioState('acme').stakeholders);

    // read before the newest day: that day is not counted yet
    const dayBefore = await store.read('acme', at(D0 - 1, 23));
    expect(dayBefore.days[D0]).toBeUndefined();
    expect(dayBefore.userActiveDays28d).toEqual({ alice: 1, bob: 3, erin: 1 });
  });

  it('reads an account it has never seen as empty', async () => {
    const state = await store.read('nobody', SCENARIO_NOW);
    expect(state).toMatchObject({ accountId: 'nobody', days: {}, lastActivityAt: null, emitted: {}, latestNps: null });
  });
});
