import { describe, expect, it } from 'vitest';
import * as S from './event-clock-state.js';

const T = 'usage.events.v1';
const U = 'support.events.v1';
const id = (topic: string, p: number) => `${topic}|${p}`;

/** Two partitions of T and one of U, assigned at t=0: T|0 at 5 of 10 (lagging), T|1 caught up at 7, U|0 at 0 with no known high watermark. */
function assigned(): S.EventClockState {
  return S.assign(S.EMPTY_EVENT_CLOCK_STATE, {
    topics: [T, U],
    sources: [
      { sourceId: id(T, 0), position: 5, highWatermark: 10 },
      { sourceId: id(T, 1), position: 7, highWatermark: 7 },
      { sourceId: id(U, 0), position: 0 },
    ],
    at: 0,
  }).state;
}

describe('event clock state', () => {
  it('admits records from `from` on once the clock stands just before them, never without a clock', () => {
    expect(S.admits(null, 1_000)).toBe(false);
    expect(S.admits(998, 1_000)).toBe(false);
    expect(S.admits(999, 1_000)).toBe(true);
    expect(S.admits(999, 10)).toBe(true);
  });

  it('flags a partition as lagging while its position is below its high watermark (none known: caught up)', () => {
    expect(S.lagFlags(assigned())).toEqual({ [id(T, 0)]: true, [id(T, 1)]: false, [id(U, 0)]: false });
    expect(S.lagFlags(S.EMPTY_EVENT_CLOCK_STATE)).toEqual({});
  });

  it('moves a partition\'s position with each batch and raises, never lowers, its high watermark from a fetch', () => {
    let s = S.batchDone(assigned(), { sourceId: id(T, 0), nextOffset: 10, at: 5 });
    expect(S.lagFlags(s)[id(T, 0)]).toBe(false);
    s = S.highWatermarkFetched(s, id(T, 0), 12);
    expect(S.lagFlags(s)[id(T, 0)]).toBe(true);
    s = S.highWatermarkFetched(s, id(T, 0), 3);
    expect(s.highWatermarks.get(id(T, 0))).toBe(12);
  });

  it('leaves the state it was given untouched (a value, not an object that changes)', () => {
    const before = assigned();
    const positions = new Map(before.positions);
    S.batchDone(before, { sourceId: id(T, 0), nextOffset: 10, at: 5 });
    S.hold(before, id(T, 1), 1_000, 5);
    expect(before.positions).toEqual(positions);
    expect(before.held.size).toBe(0);
  });

  it('reads the high watermarks again once they are older than the limit', () => {
    const s = assigned();
    expect(S.highWatermarksStale(s, 999, 1_000)).toBe(false);
    expect(S.highWatermarksStale(s, 1_000, 1_000)).toBe(true);
    const read = S.highWatermarksRead(s, [{ sourceId: id(T, 1), highWatermark: 9 }], 1_000);
    expect(read.highWatermarksAt).toBe(1_000);
    expect(S.lagFlags(read)[id(T, 1)]).toBe(true);
  });

  it('releases a held partition once the clock admits its records, and keeps the others', () => {
    let s = S.hold(assigned(), id(T, 0), 5_000, 10).state;
    s = S.hold(s, id(T, 1), 9_000, 10).state;
    const early = S.releaseDue(s, 4_998, 20, 15_000);
    expect(early.release).toEqual([]);
    expect(early.state).toBe(s);
    const out = S.releaseDue(s, 4_999, 20, 15_000);
    expect(out.release).toEqual([{ sourceId: id(T, 0) }]);
    expect([...out.state.held.keys()]).toEqual([id(T, 1)]);
  });

  it('lets a partition go after the longest hold, with what to report', () => {
    const s = S.hold(assigned(), id(T, 1), 1_000_000, 100).state;
    expect(S.releaseDue(s, 0, 150, 50).release).toEqual([]);
    expect(S.releaseDue(s, 0, 151, 50).release).toEqual([
      { sourceId: id(T, 1), timedOut: { sourceId: id(T, 1), from: 1_000_000, clock: 0, heldMs: 51, lagging: [id(T, 0)] } },
    ]);
    expect(S.releaseDue(s, null, 151, 50).release[0]?.timedOut?.clock).toBeNull();
  });

  it('says when a hold replaces one of the same partition (the old pause must be resumed)', () => {
    const first = S.hold(assigned(), id(T, 0), 5_000, 0);
    expect(first.replaced).toBe(false);
    const second = S.hold(first.state, id(T, 0), 6_000, 1);
    expect(second.replaced).toBe(true);
    expect(second.state.held.get(id(T, 0))).toEqual({ from: 6_000, since: 1 });
  });

  it('releases every hold at a new assignment, which replaces positions and sightings', () => {
    const s = S.hold(S.hold(assigned(), id(T, 0), 5_000, 0).state, id(U, 0), 5_000, 0).state;
    const out = S.assign(s, { topics: [T], sources: [{ sourceId: id(T, 1), position: 3 }], at: 50 });
    expect(out.release.sort()).toEqual([id(U, 0), id(T, 0)]);
    expect(out.state.held.size).toBe(0);
    expect([...out.state.positions]).toEqual([[id(T, 1), 3]]);
    expect(out.state.lastSeen.get(id(T, 1))).toBe(50);
    expect(S.lagFlags(out.state)).toEqual({ [id(T, 1)]: true }); // T|1's high watermark (7) is still known
    expect(S.releaseAll(out.state).release).toEqual([]);
  });

  it('names the topics of lagging partitions silent for longer than the limit, not held ones or those heard from', () => {
    const s = assigned();
    expect(S.silentLaggingTopics(s, 1_000, 1_000)).toEqual([]);
    expect(S.silentLaggingTopics(s, 1_001, 1_000)).toEqual([T]);
    expect(S.silentLaggingTopics(S.announced(s, id(T, 0), 500), 1_001, 1_000)).toEqual([]);
    expect(S.silentLaggingTopics(S.hold(s, id(T, 0), 5, 0).state, 1_001, 1_000)).toEqual([]);
  });

  it('moves positions forward only to committed offsets read again, and says whether any moved', () => {
    const s = assigned();
    const same = S.committedRead(s, [{ sourceId: id(T, 0), offset: 4 }, { sourceId: id(T, 9), offset: 100 }]);
    expect(same).toEqual({ state: s, moved: false });
    const out = S.committedRead(s, [{ sourceId: id(T, 0), offset: 10 }]);
    expect(out.moved).toBe(true);
    expect(S.lagFlags(out.state)[id(T, 0)]).toBe(false);
  });
});
