import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { createWatermark } from './index.js';
import { testRedis } from './test-redis.fixture.js';

describe('event-time watermark', () => {
  const t = testRedis(stackEndpoints().redisUrl, `${uniqueName('vp_state')}:`);
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
});
