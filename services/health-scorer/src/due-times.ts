import type { DueAccount } from '@valuepulse/state';

/** Claimed accounts grouped by the time they were due, earliest first (each group is judged at its time). */
export function groupByDueTime(due: readonly DueAccount[]): (readonly [number, string[]])[] {
  const byTime = new Map<number, string[]>();
  for (const d of due) {
    const ids = byTime.get(d.dueAt);
    if (ids) ids.push(d.accountId);
    else byTime.set(d.dueAt, [d.accountId]);
  }
  return [...byTime].sort(([a], [b]) => a - b);
}
