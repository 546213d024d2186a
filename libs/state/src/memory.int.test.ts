import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createAccountStore, dedupKey } from './index.js';
import { realisticAccount, realisticEmitted } from './realistic-account.fixture.js';
import { at, D0 } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

const BUDGET = 16 * 1024;
const DEDUP_TTL_DAYS = 3; // the default

// A memory bound, not a timing: MEMORY USAGE (SAMPLES 0) is exact for these encodings.
describe('account store: memory per account', () => {
  const t = testRedis(stackEndpoints().redis, `${uniqueName('vp_state')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  it(`keeps a realistic account (40 users, 20 features, 60 days) within ${BUDGET} bytes`, async () => {
    const events = realisticAccount('acme', D0);
    for (let i = 0; i < events.length; i += 500) await store.apply(events.slice(i, i + 500));
    await store.saveEvaluation('acme', { emitted: realisticEmitted(at(D0)), nextEvaluationAt: at(D0 + 1) });

    const byKey = await store.memoryByKey('acme');
    const total = await store.memoryUsage('acme');
    const state = total - byKey.dedup;
    // Live, a day's dedup set expires DEDUP_TTL_DAYS + 1 days after its first
    // id, so only the newest days' sets are held; a replay like this one
    // holds all of them for that long.
    const liveDays = DEDUP_TTL_DAYS + 1;
    let liveDedup = 0;
    for (let day = D0 - liveDays + 1; day <= D0; day += 1) {
      liveDedup += Number((await t.redis.memory('USAGE', dedupKey(t.prefix, 'acme', day), 'SAMPLES', 0)) ?? 0);
    }
    const steady = state + liveDedup;
    const dailyEvents = events.length / 60;

    console.log(
      [
        `memory per account — 40 users, 20 features, 60 days, ${events.length} events (${dailyEvents.toFixed(0)}/day):`,
        ...Object.entries(byKey).filter(([, b]) => b > 0).map(([k, b]) => `  ${k.padEnd(17)} ${String(b).padStart(6)} B`),
        `  state (all but dedup)      ${state} B`,
        `  dedup, 60 days of ids      ${byKey.dedup} B (${(byKey.dedup / events.length).toFixed(1)} B/event)`,
        `  live steady state          ${steady} B = state + ${liveDedup} B of ids from the last ${liveDays} days`,
        `  right after this replay    ${total} B`,
      ].join('\n'),
    );
    expect(state).toBeGreaterThan(0);
    expect(liveDedup).toBeGreaterThan(0);
    expect(state).toBeLessThanOrEqual(BUDGET);
    expect(steady).toBeLessThanOrEqual(BUDGET);
  });
});
