import { afterEach, describe, expect, it } from 'vitest';
import type { Admin } from '@valuepulse/kafka';
import type { Watermark } from '@valuepulse/state';
import { waitFor } from '@valuepulse/testkit';
import { createEventClock, type HoldTimeout } from './event-clock.js';

const T = 'usage.events.v1';

/** An admin that answers from plain maps: committed offsets and high watermarks of one topic. */
function fakeAdmin(committed: Map<number, number>, high: Map<number, number>): Admin {
  return {
    fetchOffsets: async () => [{ topic: T, partitions: [...committed].map(([partition, offset]) => ({ partition, offset: String(offset) })) }],
    fetchTopicOffsets: async () => [...high].map(([partition, h]) => ({ partition, offset: String(h), high: String(h), low: '0' })),
  } as unknown as Admin;
}

/** A watermark whose clock the test sets, recording every report's lag flags. */
function fakeWatermark() {
  const reports: Record<string, boolean>[] = [];
  let clock: number | null = null;
  const watermark = {
    report: async (_id: string | null, _t: number | null, lagging: Readonly<Record<string, boolean>>) => {
      reports.push({ ...lagging });
      return clock;
    },
    get: async () => clock,
  } as unknown as Watermark;
  return { watermark, reports, setClock: (t: number | null) => (clock = t) };
}

const clocks: { close(): void }[] = [];
afterEach(() => {
  for (const c of clocks.splice(0)) c.close();
});

type ClockOptions = Parameters<typeof createEventClock>[0];

/** An event clock on `w` (an admin with no offsets unless given), closed after the test. */
function clockOn(w: ReturnType<typeof fakeWatermark>, options: Partial<ClockOptions> = {}) {
  const clock = createEventClock({ admin: fakeAdmin(new Map(), new Map()), watermark: w.watermark, groupId: 'g', ...options });
  clocks.push(clock);
  return clock;
}

describe('event clock', () => {
  it('admits records from `from` on once the clock stands just before them', async () => {
    const w = fakeWatermark();
    const clock = clockOn(w);
    expect(await clock.announce(`${T}|0`, 1_000)).toBe(false); // no clock yet
    w.setClock(998);
    expect(await clock.announce(`${T}|0`, 1_000)).toBe(false);
    w.setClock(999);
    expect(await clock.announce(`${T}|0`, 1_000)).toBe(true);
    expect(await clock.announce(`${T}|0`, 10)).toBe(true); // late records
  });

  it('resumes a held partition when the clock gets there', async () => {
    const w = fakeWatermark();
    const clock = clockOn(w, { holdPollMs: 5 });
    let resumed = 0;
    clock.hold(`${T}|0`, 5_000, () => (resumed += 1));
    expect(clock.heldCount()).toBe(1);
    w.setClock(4_999);
    await waitFor(() => resumed === 1, { timeoutMs: 2_000, intervalMs: 5, description: 'resumed' });
    expect(clock.heldCount()).toBe(0);
  });

  it('resumes a held partition as soon as a report of this instance answers a clock that admits it, without waiting for the poll', async () => {
    const w = fakeWatermark();
    // a poll that never comes within the test: only the report can resume it
    const clock = clockOn(w, { holdPollMs: 60_000 });
    let resumed = 0;
    clock.hold(`${T}|0`, 5_000, () => (resumed += 1));
    w.setClock(4_000);
    expect(await clock.announce(`${T}|1`, 4_500)).toBe(false);
    expect(resumed).toBe(0); // the clock does not admit 5,000 yet
    w.setClock(4_999); // the other partition's report moves the clock just before the held records
    await clock.onBatch(`${T}|1`, 10, 4_999);
    expect(resumed).toBe(1);
    expect(clock.heldCount()).toBe(0);
  });

  it('lets a partition go after the longest hold, and says so', async () => {
    const w = fakeWatermark();
    const timeouts: HoldTimeout[] = [];
    const clock = clockOn(w, { holdPollMs: 5, maxHoldMs: 50, onHoldTimeout: (t) => timeouts.push(t) });
    w.setClock(0);
    let resumed = false;
    clock.hold(`${T}|3`, 1_000_000, () => (resumed = true));
    await waitFor(() => resumed, { timeoutMs: 2_000, intervalMs: 5, description: 'released after the longest hold' });
    expect(timeouts).toEqual([expect.objectContaining({ sourceId: `${T}|3`, from: 1_000_000, clock: 0 })]);
    expect(timeouts[0]?.heldMs).toBeGreaterThanOrEqual(50);
  });

  it('re-reads the committed offset of a partition flagged as lagging that gets no batch, and clears its flag', async () => {
    const committed = new Map([[0, 4]]);
    const w = fakeWatermark();
    const clock = clockOn(w, { admin: fakeAdmin(committed, new Map([[0, 10]])), healIntervalMs: 10 });
    await clock.onAssignment({ [T]: [0] });
    expect(w.reports.at(-1)).toEqual({ [`${T}|0`]: true });
    // the consumer started past what the assignment read: nothing more will come for this partition
    committed.set(0, 10);
    await waitFor(() => w.reports.at(-1)?.[`${T}|0`] === false, { timeoutMs: 5_000, intervalMs: 10, description: 'lag flag cleared' });
  });
});
