/** Keeps a producer at an average rate of wall time. */
export interface Pacer {
  /** Resolves when `count` more events may go without exceeding the rate. */
  admit(count: number): Promise<void>;
}

/**
 * A pacer for `rate` events per second measured from the first `admit`;
 * with `rate` null it never waits. The n-th event is due `n / rate` seconds
 * after the start, so a slow send is caught up rather than lost.
 */
export function createPacer(rate: number | null, now: () => number, sleep: (ms: number) => Promise<void>): Pacer {
  let started: number | undefined;
  let admitted = 0;
  return {
    async admit(count) {
      if (rate === null) return;
      started ??= now();
      const due = started + (admitted * 1000) / rate;
      admitted += count;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
    },
  };
}
