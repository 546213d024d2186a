import type { Logger } from '@valuepulse/log';
import type { AccountStore } from '@valuepulse/state';
import type { Clock } from './clock.js';
import { dueTimes } from './due-times.js';
import { judgeTime, type EvaluateAccounts } from './evaluator.js';

export interface TickerDeps {
  store: Pick<AccountStore, 'claimDueAt' | 'schedule'>;
  evaluateAccounts: EvaluateAccounts;
  /**
   * "now" (null before any event: nothing to do); with `judgesAtDueTime`
   * (the event clock: time may have jumped days since the last tick, and an
   * idle account must be judged each day on its way, as the live ticker
   * would have) each account is judged at the time it was due rather than at
   * now, and claiming goes on until nothing is due. Claims are marked in the
   * clock's due gate, so no batch applies an account's newer events while it
   * is judged at its due time.
   */
  clock: Pick<Clock, 'now' | 'judgesAtDueTime' | 'dueGate' | 'hasBacklog'>;
  intervalMs: number;
  batch: number;
  /** How long a claimed account stays invisible to other instances. */
  leaseMs: number;
  logger: Logger;
}

/**
 * Decay is the absence of events: every `intervalMs` the ticker claims the
 * accounts whose next evaluation time has come (atomically, so two instances
 * never take the same account for one tick) and evaluates them, so going
 * dark, login drops and silences fire with no new input.
 */
export function createTicker(deps: TickerDeps): { start(): void; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function tick(): Promise<void> {
    const { clock } = deps;
    // a backlog's runs judge every due account between them (see Clock.hasBacklog)
    if (clock.hasBacklog()) return;
    const now = await clock.now();
    if (now === null) return;
    for (;;) {
      const mark = clock.dueGate.enter(); // every account, until the claim says which
      let claimed: number;
      let busyCount = 0;
      try {
        const due = await deps.store.claimDueAt(now, deps.batch, deps.leaseMs);
        mark.narrow(due.map((d) => d.accountId));
        claimed = due.length;
        if (claimed === 0) return;
        // each claimed account once: one call, each at its due time (event clock) or all at now
        const at = clock.judgesAtDueTime ? dueTimes(due) : now;
        // event clock: on the same read, each again at every later due time up to now (see createEvaluator)
        const busy = await deps.evaluateAccounts(due.map((d) => d.accountId), at, 'ticker', clock.judgesAtDueTime ? now : undefined);
        // an account locked by a batch is being evaluated anyway; look again soon
        for (const accountId of busy) await deps.store.schedule(accountId, judgeTime(at, accountId));
        busyCount += busy.length;
      } finally {
        mark.done();
      }
      if (stopped || busyCount === claimed) return;
      if (claimed < deps.batch && !clock.judgesAtDueTime) return;
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
