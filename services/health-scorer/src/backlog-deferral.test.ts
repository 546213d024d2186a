import { describe, expect, it } from 'vitest';
import { createBacklogDeferrals } from './backlog-deferral.js';

describe('backlog deferrals', () => {
  it('gives back what a partition deferred with the accounts of its next judged batch, each once, then forgets it', () => {
    const d = createBacklogDeferrals();
    d.defer('t|0', ['a', 'b']);
    d.defer('t|0', ['b', 'c']);
    expect(d.pending('t|0')).toBe(3);
    expect(d.take('t|0', ['c', 'd']).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(d.pending('t|0')).toBe(0);
    expect(d.take('t|0', ['d'])).toEqual(['d']);
  });

  it('keeps partitions apart', () => {
    const d = createBacklogDeferrals();
    d.defer('t|0', ['a']);
    d.defer('t|1', ['b']);
    expect(d.take('t|1', [])).toEqual(['b']);
    expect(d.pending('t|0')).toBe(1);
    expect(d.take('u|0', ['x'])).toEqual(['x']);
  });
});
