import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, createMemoryAccount, type StoreEvent } from './index.js';
import { realisticAccount } from './realistic-account.fixture.js';
import { SCENARIO_NOW, scenarioEvents } from './scenario.fixture.js';
import { at, D0, shuffled, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// The in-memory state behind backtests and `npm run quality` must read exactly
// like the Redis store: the same events, in the same order, the same state.
// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('createMemoryAccount: the same AccountState as the Redis store on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_memory')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  async function compare(accountId: string, events: readonly StoreEvent[], nows: readonly number[], batch = 250): Promise<void> {
    const memory = createMemoryAccount(accountId);
    for (let i = 0; i < events.length; i += batch) {
      const slice = events.slice(i, i + batch);
      await store.apply(slice);
      for (const e of slice) memory.apply(e);
    }
    for (const now of nows) expect(memory.read(now), `read at ${new Date(now).toISOString()}`).toEqual(await store.read(accountId, now));
  }

  it('a scripted mix of every event kind', async () => {
    await compare('scripted', scenarioEvents('scripted'), [SCENARIO_NOW, at(D0 - 5), at(D0 + 30)]);
  });

  it('60 days of a realistic account, delivered shuffled, read at several instants', async () => {
    const events = shuffled(realisticAccount('realistic', D0, { users: 30, features: 15, days: 60 }), 7);
    await compare('realistic', events, [at(D0, 23), at(D0 - 10, 12), at(D0 - 30), at(D0 + 3)]);
  });

  it('redelivered events and events older than the retention window', async () => {
    const old = usage('old', at(D0 - 200), 'zoe', 'LOGIN', { feature_id: 'ancient', team: 'past' });
    const events = [usage('old', at(D0), 'amy', 'LOGIN'), old, usage('old', at(D0 - 1), 'amy', 'API_CALL'), old];
    await compare('old', events, [at(D0, 12)], 1);
  });
});
