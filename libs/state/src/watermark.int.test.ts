import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createWatermark } from './index.js';
import { testRedis } from './test-redis.fixture.js';

// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('event-time watermark on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_state')}:`);
  afterAll(() => t.cleanup());

  it('is null before any event and only ever moves forward', async () => {
    const mark = createWatermark({ redis: t.redis, prefix: t.prefix });
    expect(await mark.get()).toBeNull();
    expect(await mark.advance(1_760_000_000_000)).toBe(1_760_000_000_000);
    expect(await mark.advance(1_750_000_000_000)).toBe(1_760_000_000_000);
    expect(await mark.get()).toBe(1_760_000_000_000);
  });

  it('keeps the maximum when instances advance it concurrently', async () => {
    const prefix = `${t.prefix}race:`;
    const one = createWatermark({ redis: t.redis, prefix });
    const two = createWatermark({ redis: t.connect(), prefix });
    const times = Array.from({ length: 200 }, (_, i) => 1_760_000_000_000 + ((i * 7919) % 200) * 1000);
    await Promise.all(times.map((time, i) => (i % 2 === 0 ? one : two).advance(time)));
    expect(await one.get()).toBe(Math.max(...times));
  });

  it('is held back by a partition that still lags, and never moves backwards', async () => {
    const mark = createWatermark({ redis: t.redis, prefix: `${t.prefix}low:` });
    const day = 86_400_000;
    const base = 1_760_000_000_000;
    // two assigned partitions with a backlog, times not known yet: the clock waits
    expect(await mark.register(['usage|0', 'usage|1'])).toBeNull();
    expect(await mark.advance(base + 30 * day, { id: 'usage|0', lagging: true })).toBeNull();
    // both reported: the clock is the slower one
    expect(await mark.advance(base + 5 * day, { id: 'usage|1', lagging: true })).toBe(base + 5 * day);
    expect(await mark.advance(base + 9 * day, { id: 'usage|1', lagging: true })).toBe(base + 9 * day);
    // usage|1 caught up: only usage|0 lags, so its time rules
    expect(await mark.advance(base + 12 * day, { id: 'usage|1', lagging: false })).toBe(base + 30 * day);
    // nobody lags: the maximum
    expect(await mark.advance(base + 31 * day, { id: 'usage|0', lagging: false })).toBe(base + 31 * day);
    // a source that starts lagging again with an older time cannot pull the clock back
    expect(await mark.advance(base + 2 * day, { id: 'account|0', lagging: true })).toBe(base + 31 * day);
    expect(await mark.get()).toBe(base + 31 * day);
    // a batch without valid records updates only the lag flag
    expect(await mark.advance(null, { id: 'account|0', lagging: false })).toBe(base + 31 * day);
    // registering an already known source changes nothing
    expect(await mark.register(['usage|0'])).toBe(base + 31 * day);
  });
});
