import type { AccountStore, DueAccount } from '@valuepulse/state';
import type { DueGate, DueMark } from './due-gate.js';
import { dueTimes } from './due-times.js';
import type { EvaluateAccounts, JudgeAt, Trigger } from './evaluator.js';

// A day's records rarely make an account due more than once (midnight, then a
// dwell or cool-down end); the bound only stops a pathological loop.
const MAX_DUE_ROUNDS = 16;
// Accounts claimed per round by evaluateAllDue when not given (SCORER_TICK_BATCH's default).
const DEFAULT_CLAIM_BATCH = 500;

export interface EvaluateStageDeps {
  evaluateAccounts: EvaluateAccounts;
  store: Pick<AccountStore, 'claimAccountsDue' | 'claimDueAt'>;
  dueGate: DueGate;
  /** How long a due evaluation claimed before a run's records stays leased. */
  dueLeaseMs: number;
  /** How long to wait for an account another instance is evaluating. */
  retryBusyMs: number;
  /** Accounts claimed per round by {@link evaluateAllDue}. */
  claimBatch?: number;
}

/**
 * Evaluate stage: judges accounts at a time, waiting out the ones another
 * evaluation holds (every account of a run is judged before its offsets are
 * committed — duplicates included, so a crash after the state write but
 * before the alerts is repaired on redelivery).
 */
export function createEvaluateStage(deps: EvaluateStageDeps) {
  async function evaluate(accountIds: readonly string[], at: JudgeAt, trigger: Trigger, heartbeat: () => Promise<void>, upTo?: number): Promise<void> {
    let pending = accountIds;
    while (pending.length > 0) {
      pending = await deps.evaluateAccounts(pending, at, trigger, upTo);
      if (pending.length > 0) {
        await heartbeat();
        await new Promise((resolve) => setTimeout(resolve, deps.retryBusyMs));
      }
    }
  }

  /**
   * Rounds of: mark in the due gate (so no apply of these accounts from
   * another partition lands while they are judged, see DueGate), claim, and
   * judge each claimed account at its own due time and at every later one up
   * to `upTo` on the same read (see createEvaluator), in one call; until a
   * claim comes back empty or after `maxRounds`.
   */
  async function judgeDueRounds(upTo: number, mark: () => DueMark, claim: () => Promise<DueAccount[]>, maxRounds: number, heartbeat: () => Promise<void>): Promise<void> {
    for (let round = 0; round < maxRounds; round += 1) {
      const marked = mark();
      try {
        const due = await claim();
        marked.narrow(due.map((d) => d.accountId));
        if (due.length === 0) return;
        await evaluate(due.map((d) => d.accountId), dueTimes(due), 'due', heartbeat, upTo);
      } finally {
        marked.done();
      }
    }
  }

  /**
   * Those of `accountIds` due up to `upTo`, each judged at its due time,
   * with the state from before the run's records (event clock: time passed
   * inside a backlog is judged as live would have).
   */
  function evaluateDue(accountIds: readonly string[], upTo: number, heartbeat: () => Promise<void>): Promise<void> {
    return judgeDueRounds(upTo, () => deps.dueGate.enter(accountIds), () => deps.store.claimAccountsDue(accountIds, upTo, deps.dueLeaseMs), MAX_DUE_ROUNDS, heartbeat);
  }

  /**
   * Every account due up to `upTo` (not only a run's), each judged at its
   * due time, a claim at a time until none is left: the event clock's due
   * pass before a run while a backlog lasts, in place of the ticker (see
   * Clock.hasBacklog). Done here, between runs, idle accounts are judged at
   * the same point of the replay every time, not wherever a timer falls.
   */
  function evaluateAllDue(upTo: number, heartbeat: () => Promise<void>): Promise<void> {
    const batch = deps.claimBatch ?? DEFAULT_CLAIM_BATCH;
    // every account is marked until the claim says which
    return judgeDueRounds(upTo, () => deps.dueGate.enter(), () => deps.store.claimDueAt(upTo, batch, deps.dueLeaseMs), Infinity, heartbeat);
  }

  return { evaluate, evaluateDue, evaluateAllDue };
}

export type EvaluateStage = ReturnType<typeof createEvaluateStage>;
