import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('allows a burst, then asks to wait until a token is back; keys are independent', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now = 500; // one token back at 2/s
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('says how many whole seconds to wait at slow rates', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 0.25, burst: 1, now: () => now });
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(4);
    now = 2000;
    expect(limiter.take('k')).toBe(2);
  });
});
