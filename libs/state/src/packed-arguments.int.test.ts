import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore } from './index.js';
import { at, D0, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// ids as producers may send them: JSON metacharacters, separators the stored
// values use, non-ASCII; they travel in the apply script's one JSON argument
// and come back in the lock-and-read script's JSON reply
const ODD = ['quote"d', 'back\\slash', 'comma,colon:pipe|', 'tab\tnew\nline', 'ünïcödé ✓ 日本', '[1,{"a":null}]'];

const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('account store: ids through the packed argument and the JSON reply on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  it('stores and reads back odd ids exactly, and recognises their redelivery', async () => {
    const events = ODD.flatMap((id, i) => [
      usage('odd', at(D0, 8 + i), `user ${id}`, 'FEATURE_USED', { event_id: `evt ${id}`, feature_id: `feature ${id}`, team: `team ${id}` }),
      support('odd', at(D0, 8 + i), 'TICKET_OPENED', { event_id: `evt ${id}`, feature_id: `feature ${id}` }),
    ]);
    expect(await store.apply(events)).toMatchObject({ applied: events.length, duplicates: 0 });

    const now = at(D0, 23);
    const locked = await store.tryLockAndRead('odd', now, 5_000);
    expect(locked).not.toBeNull();
    await locked?.release();
    const state = await store.read('odd', now);
    // the evaluation path (one JSON reply) and the plain read (a MULTI) agree
    expect(locked?.state).toEqual(state);
    expect(Object.keys(state.userActiveDays28d).sort()).toEqual(ODD.map((id) => `user ${id}`).sort());
    expect(Object.keys(state.featureLastUsedAt).sort()).toEqual(ODD.map((id) => `feature ${id}`).sort());
    expect(Object.keys(state.teamLastActiveAt).sort()).toEqual(ODD.map((id) => `team ${id}`).sort());
    expect(state.ticketsByFeature[D0]).toEqual(Object.fromEntries(ODD.map((id) => [`feature ${id}`, 1])));

    const again = await store.apply(events);
    expect(again).toMatchObject({ applied: 0, duplicates: events.length });
    expect(again.accounts.get('odd')?.duplicateEventIds).toEqual(events.map((e) => e.event.event_id));
  });

  it('reads an unknown account as the empty state on both paths', async () => {
    const now = at(D0, 12);
    const locked = await store.tryLockAndRead('nobody', now, 5_000);
    await locked?.release();
    expect(locked?.state).toEqual(await store.read('nobody', now));
    expect(locked?.state).toMatchObject({ accountId: 'nobody', days: {}, userActiveDays28d: {}, stakeholders: {}, emitted: {}, eventsApplied: 0 });
  });
});
