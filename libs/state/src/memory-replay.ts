import type { HealthAlert } from '@valuepulse/contracts';
import { evaluate, type Evaluation, type ScoringConfig } from '@valuepulse/scoring';
import { createMemoryAccount, type MemoryAccount } from './memory-account.js';
import type { StoreEvent } from './store-event.js';

/** How {@link replayInMemory} judges. */
export interface ReplayOptions {
  config: ScoringConfig;
  /** The store's retention (default 90 days). */
  retentionDays?: number;
  /** Event-time span of one "batch": accounts with records in it are judged once at its end (default 6 h). */
  stepMs?: number;
  /** Judge every account's due times up to here after the last event (default: the last event time). */
  until?: number;
  /** Called after every evaluation (tracing, figures). */
  onEvaluation?: (accountId: string, now: number, evaluation: Evaluation) => void;
}

/** What a replay produced. */
export interface ReplayResult {
  /** Every alert, in the order they were raised. */
  alerts: HealthAlert[];
  evaluations: number;
  accounts: ReadonlyMap<string, MemoryAccount>;
}

interface Tracked {
  memory: MemoryAccount;
  due: number | null;
  judgedAt: number;
}

/**
 * Replays input events, in delivery order, through in-memory account state
 * and `evaluate` on the event clock, the way the health-scorer replays a
 * backlog: the clock is the highest event time seen; before records of a
 * later step are applied, accounts whose re-evaluation time has passed are
 * judged at that time (decay needs no input); after a step, the accounts it
 * touched are judged at the clock; an account is never judged earlier than
 * it was before. Deterministic: the same events and config give the same
 * alerts. Late events are applied where they arrive, as the scorer would.
 */
export function replayInMemory(events: Iterable<StoreEvent>, options: ReplayOptions): ReplayResult {
  const step = options.stepMs ?? 6 * 3_600_000;
  const accounts = new Map<string, Tracked>();
  const alerts: HealthAlert[] = [];
  const touched = new Set<string>();
  let evaluations = 0;
  let clock = Number.NEGATIVE_INFINITY;

  const judge = (id: string, t: Tracked, at: number) => {
    const now = Math.max(at, t.judgedAt);
    const e = evaluate(t.memory.read(now), options.config, now);
    evaluations += 1;
    options.onEvaluation?.(id, now, e);
    alerts.push(...e.alerts);
    t.memory.saveEmitted(e.emitted);
    t.due = e.nextEvaluationAt;
    t.judgedAt = now;
  };
  const runDue = (until: number) => {
    for (;;) {
      const ready = [...accounts].filter(([, t]) => t.due !== null && t.due <= until).sort((a, b) => (a[1].due as number) - (b[1].due as number) || (a[0] < b[0] ? -1 : 1));
      if (ready.length === 0) return;
      for (const [id, t] of ready) judge(id, t, t.due as number);
    }
  };
  const flush = () => {
    for (const id of touched) judge(id, accounts.get(id) as Tracked, clock);
    touched.clear();
  };

  for (const input of events) {
    const at = input.event.occurred_at;
    if (at > clock) {
      if (Number.isFinite(clock) && Math.floor(at / step) > Math.floor(clock / step)) {
        flush();
        runDue(at - 1);
      }
      clock = at;
    }
    const id = input.event.account_id;
    let t = accounts.get(id);
    if (t === undefined) accounts.set(id, (t = { memory: createMemoryAccount(id, options.retentionDays), due: null, judgedAt: Number.NEGATIVE_INFINITY }));
    if (t.memory.apply(input)) touched.add(id);
  }
  flush();
  runDue(Math.max(clock, options.until ?? clock));
  return { alerts, evaluations, accounts: new Map([...accounts].map(([id, t]) => [id, t.memory])) };
}
