import { afterAll, describe, expect, it } from 'vitest';
import { unitDaysOf } from '@valuepulse/scoring';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, createMemoryAccount, scanKeys, type AccountStore, type Redis, type StoreEvent } from './index.js';
import { accountKeys } from './keys.js';
import { realisticAccount } from './realistic-account.fixture.js';
import { account, at, D0, shuffled, support, usage } from './store-events.fixture.js';
import { packSubAccountDays, unpackSubAccountDays } from './sub-account-days.js';
import { testRedis } from './test-redis.fixture.js';

// The apply script decides duplicates with one SMISMEMBER per day and adds
// the new ids once per day, and merges team / product-line counts into the
// packed values without re-parsing them: whatever the batching, what is
// stored must be what applying the events one call at a time stores.
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

/** Every key of the account: type, value, and whether it has a TTL (its value depends on the wall clock). */
async function dumpAccount(redis: Redis, prefix: string, accountId: string): Promise<Record<string, unknown>> {
  const base = `${prefix}{${accountId}}`;
  const names: string[] = [];
  for await (const page of scanKeys(redis, `${base}*`)) names.push(...page);
  const out: Record<string, unknown> = {};
  for (const name of names.sort()) {
    const type = await redis.type(name);
    let value: unknown;
    if (type === 'hash') value = await redis.hgetall(name);
    else if (type === 'zset') value = await redis.zrange(name, '0', '-1', 'WITHSCORES');
    else if (type === 'set') value = (await redis.smembers(name)).sort();
    else value = await redis.get(name);
    out[name.slice(base.length)] = { type, value, ttl: (await redis.ttl(name)) > 0 };
  }
  return out;
}

interface Outcome {
  applied: number;
  duplicates: number;
  outsideWindow: number;
  duplicateEventIds: string[];
}

async function applyIn(store: AccountStore, events: readonly StoreEvent[], batch: number): Promise<Outcome> {
  const out: Outcome = { applied: 0, duplicates: 0, outsideWindow: 0, duplicateEventIds: [] };
  for (let i = 0; i < events.length; i += batch) {
    const r = await store.apply(events.slice(i, i + batch), { partition: 0 });
    out.applied += r.applied;
    out.duplicates += r.duplicates;
    for (const a of r.accounts.values()) {
      out.outsideWindow += a.outsideWindow;
      out.duplicateEventIds.push(...a.duplicateEventIds);
    }
  }
  return out;
}

/**
 * A realistic account's 60 days, shuffled, with copies: inside one account-day,
 * across days, of events applied batches before, and of an event whose day a
 * later event pushes out of the window (counted again, outside the window).
 */
function eventsWithCopies(id: string): StoreEvent[] {
  const base = shuffled(realisticAccount(id, D0, { users: 12, features: 6, days: 60 }), 11).map((e, i) =>
    e.kind === 'usage' ? { ...e, event: { ...e.event, team: `team-${i % 5}`, product_line: i % 3 === 0 ? null : `line-${i % 2}` } } : e,
  );
  const withCopies: StoreEvent[] = [];
  base.forEach((e, i) => {
    withCopies.push(e);
    if (i % 7 === 0) withCopies.push(e); // the same account-day, same call
    if (i % 11 === 0 && i > 40) withCopies.push(base[i - 40] as StoreEvent); // an earlier event, often another day
  });
  // a copy of a day the newest event then drops (retention 90: D0 + 40 moves the floor past D0 - 49)
  const dropped = usage(id, at(D0 - 55, 8), 'late-user', 'LOGIN', { team: 'team-late', product_line: 'line-late' });
  return [
    ...withCopies,
    dropped,
    support(id, at(D0 - 55, 9), 'TICKET_OPENED', { feature_id: 'feature-x' }),
    usage(id, at(D0 + 40, 10), 'user-0', 'FEATURE_USED', { team: 'team-0', product_line: 'line-0' }),
    dropped,
    usage(id, at(D0 + 40, 11), 'user-1', 'LOGIN', { team: 'team-late' }),
    usage(id, at(D0 + 38, 11), 'user-1', 'LOGIN', { team: 'team-late' }),
    account(id, at(D0 - 70), 'NPS_RESPONSE', { nps_score: 4, stakeholder_user_id: 'sam' }),
  ];
}

describe.each(backends)('apply script: batched dedup and counts store what one event per call stores, on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_batching')}:`);
  // at the 90-day retention its dates were written for (the 112-day default: retention.int.test.ts)
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix, retentionDays: 90 });
  afterAll(() => t.cleanup());

  it('duplicates inside and across account-days and batches, late and dropped days: the same keys, outcomes and state', async () => {
    const events = eventsWithCopies('one-by-one');
    const relabel = (id: string) => events.map((e) => ({ ...e, event: { ...e.event, account_id: id } }) as StoreEvent);
    const single = await applyIn(store, relabel('one-by-one'), 1);
    const memory = createMemoryAccount('batched', 90);
    let memoryDuplicates = 0;
    for (const e of relabel('batched')) if (!memory.apply(e)) memoryDuplicates += 1;
    // batches of 37 and of the store's whole call (500 events): calls that cross days and hold copies
    const batched = await applyIn(store, relabel('batched'), 37);
    const whole = await applyIn(store, relabel('whole'), events.length);

    expect(single.duplicates).toBeGreaterThan(50);
    expect(single.outsideWindow).toBeGreaterThan(0);
    for (const outcome of [batched, whole]) expect(outcome).toEqual(single);
    expect(memoryDuplicates).toBe(single.duplicates);

    const reference = await dumpAccount(t.redis, t.prefix, 'one-by-one');
    expect(Object.keys(reference).filter((k) => k.startsWith(':k:')).length).toBeGreaterThan(30);
    expect(await dumpAccount(t.redis, t.prefix, 'batched')).toEqual(reference);
    expect(await dumpAccount(t.redis, t.prefix, 'whole')).toEqual(reference);
    for (const now of [at(D0 + 40, 23), at(D0 + 10), at(D0 - 20)]) {
      const state = await store.read('batched', now);
      expect({ ...(await store.read('one-by-one', now)), accountId: 'batched' }).toEqual(state);
      expect(memory.read(now)).toEqual(state);
    }

    // redelivered whole, in one call: every event a duplicate or outside the window, nothing changes
    const again = await applyIn(store, relabel('batched'), events.length);
    expect(again.applied).toBe(again.outsideWindow);
    expect(await dumpAccount(t.redis, t.prefix, 'batched')).toEqual({
      ...reference,
      // only the count of applied events moves: copies older than the window count again
      ':m': { ...(reference[':m'] as object), value: { ...((reference[':m'] as { value: object }).value), n: String(single.applied + again.applied) } },
    });
  });

  it('usage events summed up per call: the same keys, outcomes and state as applying them event by event', async () => {
    const byEvent = createAccountStore({ redis: t.redis, prefix: t.prefix, retentionDays: 90, sumUsage: false });
    const roles = ['DAILY_USER', 'EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'UNKNOWN', 'CHAMPION'] as const;
    const types = ['LOGIN', 'FEATURE_USED', 'API_CALL', 'WORKFLOW_RUN'] as const;
    const base = shuffled(realisticAccount('x', D0, { users: 12, features: 6, days: 60 }).filter((e) => e.kind === 'usage'), 5).map((e, i) =>
      e.kind === 'usage'
        ? {
            ...e,
            event: {
              ...e.event,
              // a user's team changes between days, some events name none; several product lines, roles and types
              team: i % 9 === 0 ? null : `team-${(i + Math.floor(e.event.occurred_at / 86_400_000)) % 4}`,
              product_line: i % 3 === 0 ? null : `line-${i % 2}`,
              user_role: roles[i % roles.length] ?? 'UNKNOWN',
              event_type: e.event.event_type === 'INTEGRATION_CONNECTED' ? e.event.event_type : (types[i % types.length] ?? 'LOGIN'),
            },
          }
        : e,
    );
    const events: StoreEvent[] = [];
    base.forEach((e, i) => {
      events.push(e);
      if (i % 13 === 0 && i > 60) events.push(base[i - 60] as StoreEvent); // a copy, in another call of 37
    });
    const late = usage('x', at(D0 - 55, 8), 'late-user', 'LOGIN', { team: 'team-late', product_line: 'line-late' });
    events.push(
      late,
      usage('x', at(D0 - 3, 9), 'user-i', 'INTEGRATION_CONNECTED', { integration_id: 'jira' }),
      usage('x', at(D0 - 3, 9), 'user-i', 'INTEGRATION_DISCONNECTED', { integration_id: 'jira' }),
      usage('x', at(D0 + 40, 10), 'user-0', 'FEATURE_USED', { team: 'team-0', product_line: 'line-0', user_role: 'EXECUTIVE_SPONSOR' }),
      usage('x', at(D0 - 55, 9), 'late-user', 'LOGIN', { team: 'team-late' }), // outside the window by then
      usage('x', at(D0 + 38, 11), 'user-1', 'LOGIN', { team: 'team-late' }),
    );
    const relabel = (id: string) => events.map((e) => ({ ...e, event: { ...e.event, account_id: id } }) as StoreEvent);
    const applyCounting = async (target: AccountStore, id: string, batch: number) => {
      let summed = 0;
      let eventByEvent = 0;
      const outcome: Outcome = { applied: 0, duplicates: 0, outsideWindow: 0, duplicateEventIds: [] };
      const list = relabel(id);
      for (let i = 0; i < list.length; i += batch) {
        const r = await target.apply(list.slice(i, i + batch), { partition: 0 });
        summed += r.calls.summed;
        eventByEvent += r.calls.eventByEvent;
        outcome.applied += r.applied;
        outcome.duplicates += r.duplicates;
        for (const a of r.accounts.values()) {
          outcome.outsideWindow += a.outsideWindow;
          outcome.duplicateEventIds.push(...a.duplicateEventIds);
        }
      }
      return { outcome, summed, eventByEvent };
    };
    const reference = await applyCounting(byEvent, 'usage-by-event', 37);
    const batched = await applyCounting(store, 'usage-summed', 37);
    const single = await applyCounting(store, 'usage-single', 1);
    expect(reference.summed).toBe(0);
    // most calls summed up; the ones holding a copy applied event by event
    expect(batched.summed).toBeGreaterThan(batched.eventByEvent);
    expect(batched.eventByEvent).toBeGreaterThan(0);
    expect(reference.outcome.duplicates).toBeGreaterThan(10);
    expect(reference.outcome.outsideWindow).toBeGreaterThan(0);
    expect(batched.outcome).toEqual(reference.outcome);
    expect(single.outcome).toEqual(reference.outcome);

    // then, alone in a call: a day of user-1 inside its 28 days but not inside those of the
    // newest day stored (D0 + 40): not a day of the user's, whatever the call's own days say
    const inside = usage('x', at(D0 + 12, 9), 'user-1', 'LOGIN', { team: 'team-z' });
    for (const [target, id] of [[byEvent, 'usage-by-event'], [store, 'usage-summed'], [store, 'usage-single']] as const) {
      await target.apply([{ ...inside, event: { ...inside.event, account_id: id } } as StoreEvent]);
    }

    const dump = await dumpAccount(t.redis, t.prefix, 'usage-by-event');
    expect(await dumpAccount(t.redis, t.prefix, 'usage-summed')).toEqual(dump);
    expect(await dumpAccount(t.redis, t.prefix, 'usage-single')).toEqual(dump);
    const memory = createMemoryAccount('usage-summed', 90);
    for (const e of [...relabel('usage-summed'), inside]) memory.apply({ ...e, event: { ...e.event, account_id: 'usage-summed' } } as StoreEvent);
    for (const now of [at(D0 + 40, 23), at(D0 + 10), at(D0 - 20)]) {
      const state = await store.read('usage-summed', now);
      expect({ ...(await store.read('usage-by-event', now)), accountId: 'usage-summed' }).toEqual(state);
      expect(memory.read(now)).toEqual(state);
    }
  });

  it('a usage call that could take the last team or product-line key is applied event by event: which key gets a place freed in the call follows the order', async () => {
    const byEvent = createAccountStore({ redis: t.redis, prefix: t.prefix, retentionDays: 90, sumUsage: false });
    // 50 keys held (the most kept), 40 of them only on a day the call's newest day drops
    const held = Array.from({ length: 50 }, (_, i) => usage('cap', at(i < 40 ? D0 - 85 : D0 - 10, 9), `u${i}`, 'LOGIN', { team: `t${i}` }));
    // a new team before the newest day moves (no place yet), the move, the new team again (a place now)
    const call = [
      usage('cap', at(D0 - 20, 9), 'n', 'LOGIN', { team: 'new' }),
      usage('cap', at(D0 + 10, 9), 'm', 'LOGIN'),
      usage('cap', at(D0 - 5, 9), 'n', 'FEATURE_USED', { team: 'new' }),
    ];
    const relabel = (events: StoreEvent[], id: string) => events.map((e) => ({ ...e, event: { ...e.event, account_id: id } }) as StoreEvent);
    await byEvent.apply(relabel(held, 'cap-by-event'));
    await byEvent.apply(relabel(call, 'cap-by-event'));
    await store.apply(relabel(held, 'cap-summed'));
    const r = await store.apply(relabel(call, 'cap-summed'));
    expect(r.calls).toEqual({ summed: 1, eventByEvent: 1 });
    const state = await store.read('cap-summed', at(D0 + 10, 12));
    expect(state.subAccountDays?.['team:new']).toEqual({ first: D0 - 5, counts: [1] });
    expect({ ...(await byEvent.read('cap-by-event', at(D0 + 10, 12))), accountId: 'cap-summed' }).toEqual(state);
    expect(await dumpAccount(t.redis, t.prefix, 'cap-summed')).toEqual(await dumpAccount(t.redis, t.prefix, 'cap-by-event'));
  });

  it('team and product-line counts merge into values written before: on the last day and after it, before it, below the floor, and trimmed', async () => {
    const id = 'units-before';
    const k = accountKeys(t.prefix, id);
    const packed = (days: [number, number][]) => packSubAccountDays(new Map(days)) as string;
    // state as an earlier version left it (newest day D0, retention 90: floor D0 - 89), packed with gaps
    await t.redis.hset(k.meta, 'maxDay', String(D0));
    await t.redis.hset(k.subAccounts, {
      'team:recent': packed([[D0 - 3, 1], [D0 - 1, 5]]),
      'team:early': packed([[D0 - 5, 2], [D0 - 1, 1]]),
      // its first day is below the floor (a value from before a shorter retention): re-packed when counted
      'team:old': packed([[D0 - 100, 2], [D0 - 60, 1], [D0 - 58, 4], [D0, 3]]),
    });
    const read = async (field: string) => unpackSubAccountDays((await t.redis.hget(k.subAccounts, field)) as string);

    await store.apply([
      usage(id, at(D0, 9), 'u1', 'LOGIN', { team: 'recent' }),
      usage(id, at(D0 - 1, 9), 'u1', 'LOGIN', { team: 'recent' }),
      usage(id, at(D0 - 4, 9), 'u1', 'LOGIN', { team: 'early' }),
      usage(id, at(D0, 10), 'u2', 'LOGIN', { team: 'old' }),
    ]);
    expect(await t.redis.hget(k.subAccounts, 'team:recent')).toBe(packed([[D0 - 3, 1], [D0 - 1, 6], [D0, 1]]));
    expect(await t.redis.hget(k.subAccounts, 'team:early')).toBe(packed([[D0 - 5, 2], [D0 - 4, 1], [D0 - 1, 1]]));
    expect(await read('team:old')).toEqual(new Map([[D0 - 60, 1], [D0 - 58, 4], [D0, 4]]));

    // the newest day moves to D0 + 30 (floor D0 - 59): 'old' loses D0 - 60, the others are inside and stay as they are
    await store.apply([usage(id, at(D0 + 30, 9), 'u3', 'LOGIN', { team: 'recent' }), usage(id, at(D0 + 30, 10), 'u3', 'LOGIN', { team: 'recent' })]);
    expect(await t.redis.hget(k.subAccounts, 'team:old')).toBe(packed([[D0 - 58, 4], [D0, 4]]));
    expect(await t.redis.hget(k.subAccounts, 'team:early')).toBe(packed([[D0 - 5, 2], [D0 - 4, 1], [D0 - 1, 1]]));
    expect(await t.redis.hget(k.subAccounts, 'team:recent')).toBe(packed([[D0 - 3, 1], [D0 - 1, 6], [D0, 1], [D0 + 30, 2]]));
    const state = await store.read(id, at(D0 + 30, 12));
    expect(state.subAccountDays?.['team:recent']).toEqual(unitDaysOf({ [D0 - 3]: 1, [D0 - 1]: 6, [D0]: 1, [D0 + 30]: 2 }));
  });
});
