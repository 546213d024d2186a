import { describe, expect, it } from 'vitest';
import { createBacklogDeferrals } from './backlog-deferral.js';

describe('backlog deferrals', () => {
  it('holds every batch\'s accounts while a partition is behind; the batch after which none is judges them all, each once', () => {
    const d = createBacklogDeferrals({ staleMs: 1_000, now: () => 0 });
    expect(d.settle('usage|0', true, ['a', 'b'])).toEqual([]);
    expect(d.settle('support|0', false, ['b', 'c'])).toEqual([]); // usage|0 is still behind
    expect(d.pending()).toBe(3);
    expect(d.settle('usage|0', false, ['d']).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(d.pending()).toBe(0);
    expect(d.settle('usage|0', false, ['d'])).toEqual(['d']);
  });

  it('waits for every partition that is behind', () => {
    const d = createBacklogDeferrals({ staleMs: 1_000, now: () => 0 });
    d.settle('t|0', true, ['a']);
    d.settle('t|1', true, ['b']);
    expect(d.settle('t|0', false, [])).toEqual([]);
    expect(d.settle('t|1', false, []).sort()).toEqual(['a', 'b']);
  });

  it('forgets a partition whose batches stopped coming while it was behind (revoked)', () => {
    let t = 0;
    const d = createBacklogDeferrals({ staleMs: 1_000, now: () => t });
    d.settle('t|0', true, ['a']);
    t = 500;
    expect(d.settle('t|1', false, ['b'])).toEqual([]);
    t = 1_501;
    expect(d.settle('t|1', false, ['c']).sort()).toEqual(['a', 'b', 'c']);
  });
});
