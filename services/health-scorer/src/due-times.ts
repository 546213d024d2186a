import type { DueAccount } from '@valuepulse/state';

/** Claimed accounts (each once) with the time each was due, for one evaluation call (see JudgeAt). */
export function dueTimes(due: readonly DueAccount[]): Map<string, number> {
  return new Map(due.map((d) => [d.accountId, d.dueAt]));
}
