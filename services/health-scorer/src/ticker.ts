import type { Logger } from '@valuepulse/log';
import type { AccountStore, DueAccount } from '@valuepulse/state';
import type { EvaluateAccounts } from './evaluator.js';

export interface TickerDeps {
  store: AccountStore;
  evaluateAccounts: EvaluateAccounts;
  /** "now": wall time, or the event-time watermark (null before any event: nothing to do). */
  now: () => Promise<number | null>;
  intervalMs: number;
  batch: number;
  /** How long a claimed account stays invisible to other instances. */
  leaseMs: number;
  /**
   * Evaluate each account at the time it was due rather than at "now", and
   * keep claiming until nothing is due (the event clock: time may have jumped
   * days since the last tick, and an idle account must be judged each day on
   * its way, as the live ticker would have).
   */
  atDueTime?: boolean;
  logger: Logger;
}

/**
 * Decay is the absence of events: every `intervalMs` the ticker claims the
 * accounts whose next evaluation time has come (atomically, so two instances
 * never take the same account for one tick) and evaluates them, so going
 * dark, login drops and silences fire with no new input.
 */
function groupByTime(due: readonly DueAccount[]): (readonly [number, string[]])[] {
  const byTime = new Map<number, string[]>();
  for (const d of due) byTime.set(d.dueAt, [...(byTime.get(d.dueAt) ?? []), d.accountId]);
  return [...byTime].sort(([a], [b]) => a - b);
}

export function createTicker(deps: TickerDeps): { start(): void; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function tick(): Promise<void> {
    const now = await deps.now();
    if (now === null) return;
    for (;;) {
      const due = await deps.store.claimDueAt(now, deps.batch, deps.leaseMs);
      if (due.length === 0) return;
      const groups = deps.atDueTime ? groupByTime(due) : [[now, due.map((d) => d.accountId)] as const];
      let busyCount = 0;
      for (const [at, ids] of groups) {
        const busy = await deps.evaluateAccounts(ids, at, 'ticker');
        // an account locked by a batch is being evaluated anyway; look again soon
        for (const accountId of busy) await deps.store.schedule(accountId, at);
        busyCount += busy.length;
      }
      if (stopped || busyCount === due.length) return;
      if (due.length < deps.batch && !deps.atDueTime) return;
    }
  }

  function loop(): void {
    if (stopped) return;
    running = tick()
      .catch((err: unknown) => deps.logger.error({ err }, 'ticker failed; retrying next tick'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, deps.intervalMs);
      });
  }

  return {
    start() {
      timer = setTimeout(loop, deps.intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
