import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, readAccountRouting } from './index.js';
import { account, at, D0 } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

describe('account owner for alert routing', () => {
  const t = testRedis(stackEndpoints().redis, `${uniqueName('vp_state_owner')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  it('keeps the owner of the latest event that names one, next to the segment; an event without owner leaves it', async () => {
    expect(await readAccountRouting(t.redis, t.prefix, 'acme')).toEqual({ owner: null, segment: null });
    await store.apply([
      account('acme', at(D0 - 30), 'CONTRACT_SIGNED', { segment: 'ENTERPRISE', contracted_seats: 10, owner: 'ana@example.com' }),
      account('acme', at(D0 - 10), 'SEATS_CHANGED', { contracted_seats: 12, owner: 'bo@example.com' }),
      // older than the last owner change: arrives late, does not win
      account('acme', at(D0 - 20), 'SEATS_CHANGED', { contracted_seats: 11, owner: 'cy@example.com' }),
      account('acme', at(D0 - 5), 'SEATS_CHANGED', { contracted_seats: 13 }),
    ]);
    expect(await readAccountRouting(t.redis, t.prefix, 'acme')).toEqual({ owner: 'bo@example.com', segment: 'ENTERPRISE' });
  });
});
