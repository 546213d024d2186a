/**
 * Event clock, while a backlog lasts: the accounts whose records of a UTC
 * day were applied, waiting to be judged once that day is over for every
 * partition, rather than after each partition's run of the day. Every
 * partition takes a day before any takes the next (see the event clock), so
 * by the time the due pass before the next day takes them, all of their
 * day's usage, support and account records are in: one judgement where a
 * run per partition made two or three (`npm run bench:scorer` at the demo's
 * density: 1.6 batch evaluations per account and day).
 *
 * An account is judged at the latest time one of its runs of the day would
 * have been judged at (`judgeAt`, what a live run's last batch of the day
 * gives), once the due pass reaches the day's end (`dueAt`, its last
 * millisecond: no run of that day starts later, whichever partition comes
 * last). The due index holds it at `dueAt` too (ZADD LT: an earlier due time
 * stays), which is what survives a restart; this in-process record is what
 * says to judge at `judgeAt`, and keeps it judged when an earlier due time
 * of the same day (a dwell's end, say) is judged first and the evaluation
 * reschedules the account past the day.
 */
export interface DayEnd {
  /** When to judge: the latest judging time of the account's runs of the day. */
  judgeAt: number;
  /** Not before the due pass reaches this: the day's last millisecond. */
  dueAt: number;
}

export interface DayEnds {
  /** `accountIds` had a run judged at `judgeAt` in the day ending at `dueAt` (later times replace earlier ones). */
  defer(accountIds: readonly string[], judgeAt: number, dueAt: number): void;
  /** The account's pending judgement, if any. */
  get(accountId: string): DayEnd | undefined;
  /** `accountId` was judged at `now`: a pending judgement at or before it is settled and forgotten. */
  settle(accountId: string, now: number): void;
  /** Every account waiting, forgotten here: the backlog ended, they are judged now. */
  take(): string[];
  readonly size: number;
}

export function createDayEnds(): DayEnds {
  const ends = new Map<string, DayEnd>();
  return {
    defer(accountIds, judgeAt, dueAt) {
      for (const id of accountIds) {
        const known = ends.get(id);
        ends.set(id, known === undefined ? { judgeAt, dueAt } : { judgeAt: Math.max(known.judgeAt, judgeAt), dueAt: Math.max(known.dueAt, dueAt) });
      }
    },
    get: (accountId) => ends.get(accountId),
    settle(accountId, now) {
      const end = ends.get(accountId);
      if (end !== undefined && end.judgeAt <= now) ends.delete(accountId);
    },
    take() {
      const ids = [...ends.keys()];
      ends.clear();
      return ids;
    },
    get size() {
      return ends.size;
    },
  };
}

/**
 * The time of an account's first judgement on one read (see createEvaluator),
 * claimed at `claimed`: a pending day's end when `upTo` (undefined: one
 * judgement, no chain) reaches its `dueAt`. Due times of that day before it
 * are passed over: with the day's records in, they would judge them before
 * their time, where a live run judges them once, after its batch (its due
 * pass takes only what was due before the batch's first record).
 */
export function firstJudgement(claimed: number, end: DayEnd | undefined, upTo: number | undefined): number {
  return end !== undefined && upTo !== undefined && end.dueAt <= upTo ? end.judgeAt : claimed;
}

/**
 * After a judgement at `at` whose evaluation asked for `next`: the next
 * judgement on the same read (null: none is due up to `upTo`, or no chain),
 * and the due time to save if the chain stops there (a pending day's end
 * keeps the account due by its `dueAt`).
 */
export function nextJudgement(at: number, next: number, end: DayEnd | undefined, upTo: number | undefined): { then: number | null; dueAt: number } {
  let due = next;
  if (end !== undefined && end.judgeAt > at) {
    if (upTo !== undefined && end.dueAt <= upTo) due = Math.min(due, end.judgeAt);
    else due = Math.min(due, end.dueAt);
  }
  return { then: upTo !== undefined && due <= upTo ? due : null, dueAt: due };
}
