import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, type ApplyResult, type StoreEvent } from './index.js';
import { at, D0, shuffled, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

const ACCOUNTS = 20;
const EVENTS = 200;

/** Per account: 200 events over 5 days, every 4th a login, every 10th a ticket. */
function history(accountId: string): StoreEvent[] {
  return Array.from({ length: EVENTS }, (_, i) =>
    i % 10 === 9
      ? support(accountId, at(D0 - (i % 5), i % 24), 'TICKET_OPENED', { feature_id: `f-${i % 3}` })
      : usage(accountId, at(D0 - (i % 5), i % 24), `u-${i % 13}`, i % 4 === 0 ? 'LOGIN' : 'FEATURE_USED', { feature_id: `f-${i % 7}` }),
  );
}

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account store under concurrent writers on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  afterAll(() => t.cleanup());

  it('applies pipelines from two clients atomically: every event counted exactly once', async () => {
    const histories = Array.from({ length: ACCOUNTS }, (_, a) => history(`acct-${a}`));
    // client 1 gets events 0–149 of each account, client 2 events 50–199: 100 in common
    const first = shuffled(histories.flatMap((h) => h.slice(0, 150)), 1);
    const second = shuffled(histories.flatMap((h) => h.slice(50)), 2);
    const one = createAccountStore({ redis: t.redis, prefix: t.prefix });
    const two = createAccountStore({ redis: t.connect(), prefix: t.prefix });

    const run = async (store: typeof one, events: StoreEvent[]): Promise<ApplyResult[]> => {
      const results: ApplyResult[] = [];
      for (let i = 0; i < events.length; i += 100) results.push(await store.apply(events.slice(i, i + 100)));
      return results;
    };
    const results = (await Promise.all([run(one, first), run(two, second)])).flat();

    const total = (key: 'applied' | 'duplicates') => results.reduce((n, r) => n + r[key], 0);
    expect(total('applied')).toBe(ACCOUNTS * EVENTS);
    expect(total('duplicates')).toBe(ACCOUNTS * 100);

    for (const [a, events] of histories.entries()) {
      const state = await one.read(`acct-${a}`, at(D0, 23));
      const days = Object.values(state.days);
      const count = (pred: (e: StoreEvent) => boolean) => events.filter(pred).length;
      expect(days.reduce((n, d) => n + d.events, 0)).toBe(count((e) => e.kind === 'usage'));
      expect(days.reduce((n, d) => n + d.logins, 0)).toBe(count((e) => e.kind === 'usage' && e.event.event_type === 'LOGIN'));
      expect(days.reduce((n, d) => n + d.ticketsOpened, 0)).toBe(count((e) => e.kind === 'support'));
      expect(state.activeUsers7d).toBe(13);
    }
  });
});
