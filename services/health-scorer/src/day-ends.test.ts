import { describe, expect, it } from 'vitest';
import { createDayEnds, firstJudgement, nextJudgement } from './day-ends.js';

const DAY = 86_400_000;
const END = { judgeAt: 2 * DAY + 18 * 3_600_000, dueAt: 3 * DAY - 1 };

describe('day ends', () => {
  it('keeps the latest judging time and day end per account; a judgement at or after its time settles it', () => {
    const ends = createDayEnds();
    ends.defer(['a', 'b'], 2 * DAY + 100, 3 * DAY - 1);
    ends.defer(['a'], 2 * DAY + 50, 3 * DAY - 1); // an earlier run of the day (another partition) changes nothing
    ends.defer(['b'], 2 * DAY + 900, 3 * DAY - 1);
    expect(ends.get('a')).toEqual({ judgeAt: 2 * DAY + 100, dueAt: 3 * DAY - 1 });
    expect(ends.get('b')).toEqual({ judgeAt: 2 * DAY + 900, dueAt: 3 * DAY - 1 });
    ends.settle('a', 2 * DAY + 99);
    expect(ends.size).toBe(2);
    ends.settle('a', 2 * DAY + 100);
    expect(ends.get('a')).toBeUndefined();
    expect(ends.take()).toEqual(['b']);
    expect(ends.size).toBe(0);
  });

  it('first judgement: the day end\'s time once the pass reaches the day\'s end (earlier due times of the day passed over), else the claimed time', () => {
    expect(firstJudgement(2 * DAY + 12 * 3_600_000, END, 3 * DAY + 5)).toBe(END.judgeAt);
    expect(firstJudgement(3 * DAY, END, 3 * DAY + 5)).toBe(END.judgeAt);
    // the day is not over for every partition yet, or no chain (a batch's or the wall clock's judgement)
    expect(firstJudgement(2 * DAY + 12 * 3_600_000, END, 3 * DAY - 2)).toBe(2 * DAY + 12 * 3_600_000);
    expect(firstJudgement(2 * DAY + 12 * 3_600_000, END, undefined)).toBe(2 * DAY + 12 * 3_600_000);
    expect(firstJudgement(2 * DAY, undefined, 3 * DAY + 5)).toBe(2 * DAY);
  });

  it('next judgement: the next due time up to the pass, the day end\'s time before it when due, and a save that keeps the day end due', () => {
    // chained: midnight is up to the pass
    expect(nextJudgement(END.judgeAt, 3 * DAY, undefined, 3 * DAY + 5)).toEqual({ then: 3 * DAY, dueAt: 3 * DAY });
    // the chain stops after the pass; no chain without `upTo`
    expect(nextJudgement(3 * DAY, 3 * DAY + 12 * 3_600_000, undefined, 3 * DAY + 5)).toEqual({ then: null, dueAt: 3 * DAY + 12 * 3_600_000 });
    expect(nextJudgement(3 * DAY, 3 * DAY + 1, undefined, undefined)).toEqual({ then: null, dueAt: 3 * DAY + 1 });
    // a day end still to judge comes before a later due time once due…
    expect(nextJudgement(2 * DAY + 3_600_000, 3 * DAY, END, 3 * DAY + 5)).toEqual({ then: END.judgeAt, dueAt: END.judgeAt });
    // …and while the day is not over, the account stays due by its end (ZADD LT's promise kept)
    expect(nextJudgement(2 * DAY + 3_600_000, 3 * DAY, END, 2 * DAY + 7_200_000)).toEqual({ then: null, dueAt: END.dueAt });
    expect(nextJudgement(2 * DAY + 3_600_000, 3 * DAY, END, undefined)).toEqual({ then: null, dueAt: END.dueAt });
  });
});
