import { describe, expect, it } from 'vitest';
import { createPacer } from './pacer.js';

function fakeClock() {
  let t = 1_000;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), advance: (ms: number) => void (t += ms), sleeps };
}

describe('createPacer', () => {
  it('spaces sends so the average is the rate', async () => {
    const clock = fakeClock();
    const pacer = createPacer(1000, clock.now, clock.sleep);
    await pacer.admit(500); // first: at once
    await pacer.admit(500); // 500 events at 1000/s are due after 0.5 s
    await pacer.admit(500);
    expect(clock.sleeps).toEqual([500, 500]);
    expect(clock.now()).toBe(2_000);
  });

  it('does not wait when sends are slower than the rate, and catches up after a stall', async () => {
    const clock = fakeClock();
    const pacer = createPacer(100, clock.now, clock.sleep);
    await pacer.admit(100);
    clock.advance(3_000); // a slow send
    await pacer.admit(100);
    await pacer.admit(100);
    expect(clock.sleeps).toEqual([]);
    await pacer.admit(100);
    await pacer.admit(100);
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('never waits without a rate', async () => {
    const clock = fakeClock();
    const pacer = createPacer(null, clock.now, clock.sleep);
    for (let i = 0; i < 5; i += 1) await pacer.admit(1_000_000);
    expect(clock.sleeps).toEqual([]);
  });
});
