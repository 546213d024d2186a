import { describe, expect, it } from 'vitest';
import { createDueQueue } from './due-queue.js';

describe('createDueQueue', () => {
  it('pops what is due up to the bound, earliest first, ties by account id, each account once', () => {
    const q = createDueQueue();
    for (const [due, id] of [[30, 'c'], [10, 'b'], [10, 'a'], [50, 'd'], [20, 'a'], [10, 'a']] as const) q.push(due, id);
    expect(q.popUpTo(30, () => true)).toEqual([['a', 10], ['b', 10], ['c', 30]]);
    expect(q.popUpTo(49, () => true)).toEqual([]);
    expect(q.popUpTo(50, () => true)).toEqual([['d', 50]]);
  });

  it('skips entries the caller no longer holds current (the account was rescheduled)', () => {
    const q = createDueQueue();
    q.push(5, 'a');
    q.push(7, 'b');
    q.push(9, 'a');
    const current = new Map([['a', 9], ['b', 7]]);
    expect(q.popUpTo(100, (id, due) => current.get(id) === due)).toEqual([['b', 7], ['a', 9]]);
  });

  it('keeps the order over many random pushes', () => {
    const q = createDueQueue();
    const pushed: [string, number][] = [];
    let seed = 7;
    for (let i = 0; i < 500; i += 1) {
      seed = (seed * 48271) % 2147483647;
      const entry: [string, number] = [`acct-${i}`, seed % 1000];
      pushed.push(entry);
      q.push(entry[1], entry[0]);
    }
    const expected = pushed.filter(([, d]) => d <= 600).sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
    expect(q.popUpTo(600, () => true)).toEqual(expected);
  });
});
