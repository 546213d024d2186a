import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { accountKeys, createAccountStore, type ApplyResult, type StoreEvent } from './index.js';
import { SCENARIO_NOW, scenarioEvents, scenarioState } from './scenario.fixture.js';
import { at, D0, shuffled, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account store: the partition an account comes from, on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  const login = (account: string, hour: number) => usage(account, at(D0, hour), 'alice', 'LOGIN');
  const move = async (account: string, events: StoreEvent[], partition?: number) =>
    (await store.apply(events, partition === undefined ? undefined : { partition })).accounts.get(account)?.partitionMove;

  it('reports a move when a topic\'s events of an account come from another partition, flagged first only once', async () => {
    expect(await move('mover', [login('mover', 1)], 2)).toBeUndefined();
    expect(await move('mover', [login('mover', 2), login('mover', 3)], 2)).toBeUndefined();
    expect(await move('mover', [login('mover', 4)], 5)).toEqual({ from: 2, to: 5, first: true });
    expect(await move('mover', [login('mover', 5)], 2)).toEqual({ from: 5, to: 2, first: false });
    // a caller that names no partition neither checks nor resets it
    expect(await move('mover', [login('mover', 6)])).toBeUndefined();
    expect(await move('mover', [login('mover', 7)], 2)).toBeUndefined();
    // a redelivered event on another partition changes no state, but is a move all the same
    const again = login('mover', 8);
    await store.apply([again], { partition: 2 });
    const result = await store.apply([again], { partition: 3 });
    expect(result.accounts.get('mover')).toMatchObject({ applied: 0, duplicates: 1, partitionMove: { from: 2, to: 3, first: false } });
    expect(await t.redis.hmget(accountKeys(t.prefix, 'mover').meta, 'pU', 'pm')).toEqual(['3', '1']);
  });

  it('keeps one partition per topic: usage on one, support on another is no move', async () => {
    expect(await move('topics', [login('topics', 1)], 0)).toBeUndefined();
    expect(await move('topics', [support('topics', at(D0, 2), 'TICKET_OPENED')], 4)).toBeUndefined();
    expect(await move('topics', [login('topics', 3)], 0)).toBeUndefined();
    expect(await move('topics', [support('topics', at(D0, 4), 'TICKET_OPENED')], 1)).toEqual({ from: 4, to: 1, first: true });
  });

  it('two writers from two partitions at once: the state of one writer, every move reported, first exactly once', async () => {
    const events = shuffled(scenarioEvents('split'), 3);
    const halves = [events.filter((_, i) => i % 2 === 0), events.filter((_, i) => i % 2 === 1)];
    const two = createAccountStore({ redis: t.connect(), prefix: t.prefix });
    const run = async (writer: typeof store, list: StoreEvent[], partition: number): Promise<ApplyResult[]> => {
      const results: ApplyResult[] = [];
      for (let i = 0; i < list.length; i += 3) results.push(await writer.apply(list.slice(i, i + 3), { partition }));
      return results;
    };
    const results = (await Promise.all([run(store, halves[0] as StoreEvent[], 0), run(two, halves[1] as StoreEvent[], 1)])).flat();

    expect(await store.read('split', SCENARIO_NOW)).toEqual(scenarioState('split'));
    const moves = results.flatMap((r) => [...r.accounts.values()].flatMap((a) => (a.partitionMove ? [a.partitionMove] : [])));
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.filter((m) => m.first)).toHaveLength(1);
    expect(moves.every((m) => m.from !== m.to && [0, 1].includes(m.from) && [0, 1].includes(m.to))).toBe(true);
  });
});
