import { describe, expect, it } from 'vitest';
import { createOffsetTracker } from './offset-tracker.js';

describe('offset tracker', () => {
  it('commits only the finished prefix of a partition, whatever order deliveries end in', () => {
    const t = createOffsetTracker();
    const e5 = t.add('t', 0, '5', 2);
    const e6 = t.add('t', 0, '6', 1);
    t.add('t', 0, '7', 0);
    expect(t.inFlight()).toBe(2);
    expect(t.takeCommittable()).toEqual([]);
    t.finish(e6);
    expect(t.takeCommittable()).toEqual([]);
    t.finish(e5);
    expect(t.takeCommittable()).toEqual([]);
    t.finish(e5);
    expect(t.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '8' }]);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.inFlight()).toBe(0);
  });

  it('keeps partitions apart: a stuck record holds back only its own partition', () => {
    const t = createOffsetTracker();
    t.add('t', 0, '10', 1);
    const p1 = t.add('t', 1, '3', 1);
    t.finish(p1);
    expect(t.takeCommittable()).toEqual([{ topic: 't', partition: 1, offset: '4' }]);
  });

  it('a record with nothing to deliver is committable at once; offsets past 2^53 stay exact', () => {
    let moved = 0;
    const t = createOffsetTracker(() => (moved += 1));
    t.add('t', 2, '9007199254740993', 0);
    expect(moved).toBe(1);
    expect(t.takeCommittable()).toEqual([{ topic: 't', partition: 2, offset: '9007199254740994' }]);
  });

  it('gives a failed commit back unless a newer offset came; forgets everything on reset', () => {
    const t = createOffsetTracker();
    const a = t.add('t', 0, '1', 1);
    t.finish(a);
    const taken = t.takeCommittable();
    t.putBack(taken);
    expect(t.takeCommittable()).toEqual(taken);
    const b = t.add('t', 0, '2', 1);
    t.reset();
    t.finish(b);
    expect(t.inFlight()).toBe(0);
    expect(t.takeCommittable()).toEqual([]);
  });
});
