import { describe, expect, it } from 'vitest';
import type { Admin } from '@valuepulse/kafka';
import type { Watermark } from '@valuepulse/state';
import { createWallClock } from './clock.js';
import { OPEN_DUE_GATE } from './due-gate.js';
import { createEventClock } from './event-clock.js';
import { DAY, eventClockAt } from './stage-fakes.fixture.js';

describe('wall clock', () => {
  let now = 1_000;
  const clock = createWallClock({ maxFutureMs: 50, now: () => now });

  it('accepts records up to the wall clock plus the skew, read once per batch, and refuses later ones as EVENT_TIME_IN_FUTURE', () => {
    const refuse = clock.refusals();
    now = 2_000; // a batch's limit does not move while it is handled
    expect(refuse(1_050)).toBeNull();
    expect(refuse(1_051)).toEqual({ code: 'EVENT_TIME_IN_FUTURE', message: 'occurred_at 1970-01-01T00:00:01.051Z is later than 1970-01-01T00:00:01.050Z (wall clock plus the allowed skew)' });
    expect(clock.refusals()(1_051)).toBeNull();
  });

  it('takes a batch as one run, always admitted, judged at now, with nothing due before it (the ticker takes what is due)', async () => {
    now = 5_000;
    expect(clock.sameRun(0, 100 * DAY)).toBe(true);
    expect(await clock.enter('t|0', 0, () => () => undefined)).toBe(true);
    expect(clock.dueUpTo(4_000)).toBeNull();
    expect(await clock.judgeAt(1, 2)).toBe(5_000);
    expect(await clock.now()).toBe(5_000);
    expect(clock.judgesAtDueTime).toBe(false);
    expect(clock.dueGate).toBe(OPEN_DUE_GATE);
  });
});

describe('event clock as a Clock', () => {
  it('accepts every record and takes a batch a UTC day at a time, late records with the day', () => {
    const clock = eventClockAt(0);
    expect(clock.refusals()(Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(clock.sameRun(2 * DAY + 5, 3 * DAY - 1)).toBe(true);
    expect(clock.sameRun(2 * DAY + 5, DAY)).toBe(true);
    expect(clock.sameRun(2 * DAY + 5, 3 * DAY)).toBe(false);
    expect(clock.dueUpTo(2 * DAY + 5)).toBe(2 * DAY + 5);
    expect(clock.judgesAtDueTime).toBe(true);
  });

  it('judges a run in its own day, late runs (the clock days ahead) at the clock, and at the run before any clock', async () => {
    expect(await eventClockAt(2 * DAY + 99).judgeAt(2 * DAY + 5, 2 * DAY + 9)).toBe(2 * DAY + 9);
    expect(await eventClockAt(4 * DAY).judgeAt(2 * DAY + 5, 2 * DAY + 9)).toBe(4 * DAY);
    expect(await eventClockAt(null).judgeAt(2 * DAY + 5, 2 * DAY + 9)).toBe(2 * DAY + 9);
  });

  it("judges a run at the clock its source's progress report answered, without asking the watermark again", async () => {
    let gets = 0;
    const watermark = { report: async () => 4 * DAY, get: async () => ((gets += 1), 2 * DAY + 99) } as unknown as Watermark;
    const clock = createEventClock({ admin: {} as Admin, watermark, groupId: 'g' });
    await clock.progressed('t|0', 10, 2 * DAY + 9, 10);
    expect(await clock.judgeAt(2 * DAY + 5, 2 * DAY + 9, 't|0')).toBe(4 * DAY);
    expect(gets).toBe(0);
    // another source, or no source: the watermark is asked
    expect(await clock.judgeAt(2 * DAY + 5, 2 * DAY + 9, 't|1')).toBe(2 * DAY + 9);
    expect(await clock.judgeAt(2 * DAY + 5, 2 * DAY + 9)).toBe(2 * DAY + 9);
    expect(gets).toBe(2);
    clock.close();
  });

  it('settles even when registering an assignment failed (the batch goes on; the failure is logged by the caller)', async () => {
    const failing = { fetchOffsets: async () => Promise.reject(new Error('admin down')) } as unknown as Admin;
    const clock = createEventClock({ admin: failing, watermark: {} as Watermark, groupId: 'g' });
    await expect(clock.onAssignment({ t: [0] })).rejects.toThrow('admin down');
    await expect(clock.settled()).resolves.toBeUndefined();
    clock.close();
  });
});
