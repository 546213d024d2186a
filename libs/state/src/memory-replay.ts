import type { HealthAlert } from '@valuepulse/contracts';
import { DAY_MS, evaluate, type AccountState, type Evaluation, type ScoringConfig } from '@valuepulse/scoring';
import { createDueQueue } from './due-queue.js';
import { createMemoryAccount, type MemoryAccount } from './memory-account.js';
import type { StoreEvent } from './store-event.js';

/**
 * The default step of {@link replayInMemory}: one UTC day. The scorer's event
 * clock applies a partition's records a UTC day at a time and judges that
 * day's accounts once at its end; judging every 6 h (the default before
 * 2026-12-07) gave the same alert ids at twice the evaluations.
 */
export const REPLAY_STEP_MS = DAY_MS;

// How close before the last event of a step a partition's last record must be for its accounts
// to be judged in the next day (drainsSource): the step's length before steps were a day long.
const DRAIN_WINDOW_MS = 6 * 3_600_000;

/** How {@link replayInMemory} judges. */
export interface ReplayOptions {
  config: ScoringConfig;
  /** The store's retention (default DEFAULT_RETENTION_DAYS, 112 days). */
  retentionDays?: number;
  /** Event-time span of one "batch": accounts with records in it are judged once at its end (default one UTC day, as the scorer's event clock judges a partition's day of records). */
  stepMs?: number;
  /** Judge every account's due times up to here after the last event (default: the last event time). */
  until?: number;
  /** Called after every evaluation (tracing, figures). */
  onEvaluation?: (accountId: string, now: number, evaluation: Evaluation, state: AccountState) => void;
  /**
   * Backlog replays only: whether `input` is the last record of its Kafka
   * partition in the whole input. The scorer stops counting a partition as
   * behind once its last record is applied, so the event clock may already
   * stand in the next day (the other partitions waiting at its start) when
   * that run's accounts are judged: such an account is then judged at the
   * next step's first event time − 1 ms when that is in a later UTC day and
   * the partition's last record came in the last 6 h before the step's last
   * event (the others had most likely finished the day), as the scorer judges
   * it, instead of at the clock. Without it, accounts are judged at the clock.
   */
  drainsSource?: (input: StoreEvent) => boolean;
  /** Called with every alert as it is raised; when given, the result's `alerts` stays empty (a long replay need not hold them). */
  onAlert?: (alert: HealthAlert) => void;
}

/** What a replay produced. */
export interface ReplayResult {
  /** Every alert, in the order they were raised (empty when `onAlert` took them). */
  alerts: HealthAlert[];
  evaluations: number;
  accounts: ReadonlyMap<string, MemoryAccount>;
}

/** A replay fed one event at a time (see {@link replayInMemory}): for sources that are read asynchronously, or several configs on one pass. */
export interface MemoryReplay {
  /** Applies the next event in delivery order, judging what its time makes due first. */
  push(input: StoreEvent): void;
  /**
   * Moves the clock as an event at `at` would, without applying one: for a
   * replay that holds only some accounts (a shard) and must still see every
   * step end the whole input sees. `push(e)` is `advance(e.occurred_at)`
   * then applying `e`.
   */
  advance(at: number): void;
  /** Judges the last step and every due time up to `until`; returns the result. Call once, after the last event. */
  end(): ReplayResult;
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
  const replay = createMemoryReplay(options);
  for (const input of events) replay.push(input);
  return replay.end();
}

/**
 * {@link replayInMemory} one event at a time. Due times wait in a priority
 * queue, so passing time costs the accounts it makes due, not a scan of all.
 */
export function createMemoryReplay(options: ReplayOptions): MemoryReplay {
  const step = options.stepMs ?? REPLAY_STEP_MS;
  const accounts = new Map<string, Tracked>();
  const alerts: HealthAlert[] = [];
  const touched = new Set<string>();
  const drained = new Map<string, number>(); // touched accounts with a partition's last record in this step → its time
  const queue = createDueQueue();
  let evaluations = 0;
  let clock = Number.NEGATIVE_INFINITY;

  const judge = (id: string, t: Tracked, at: number) => {
    const now = Math.max(at, t.judgedAt);
    const state = t.memory.read(now);
    const e = evaluate(state, options.config, now);
    evaluations += 1;
    options.onEvaluation?.(id, now, e, state);
    if (options.onAlert) for (const a of e.alerts) options.onAlert(a);
    else for (const a of e.alerts) alerts.push(a);
    t.memory.saveEmitted(e.emitted);
    if (e.nextEvaluationAt !== t.due) queue.push(e.nextEvaluationAt, id);
    t.due = e.nextEvaluationAt;
    t.judgedAt = now;
  };
  // rounds as before the queue: everything due up to `until`, earliest first (ties by account id),
  // then again for what those evaluations made due
  const runDue = (until: number) => {
    for (;;) {
      const ready = queue.popUpTo(until, (id, due) => accounts.get(id)?.due === due);
      if (ready.length === 0) return;
      for (const [id, due] of ready) judge(id, accounts.get(id) as Tracked, due);
    }
  };
  // `next`: the first event time of the step that ends this one (none after the last event)
  const flush = (next?: number) => {
    const nextDay = next !== undefined && Math.floor((next - 1) / DAY_MS) > Math.floor(clock / DAY_MS) ? next - 1 : null;
    // a partition drained in the last hours before the next day: the others may wait at that day's start (see drainsSource)
    const drainedLate = (id: string) => Math.floor((drained.get(id) ?? Number.NEGATIVE_INFINITY) / DRAIN_WINDOW_MS) === Math.floor(clock / DRAIN_WINDOW_MS);
    for (const id of touched) judge(id, accounts.get(id) as Tracked, nextDay !== null && drainedLate(id) ? nextDay : clock);
    touched.clear();
    drained.clear();
  };

  let ended = false;
  function advance(at: number): void {
    if (ended) throw new Error('replay: event after end');
    if (at > clock) {
      if (Number.isFinite(clock) && Math.floor(at / step) > Math.floor(clock / step)) {
        flush(at);
        runDue(at - 1);
      }
      clock = at;
    }
  }
  return {
    advance,
    push(input) {
      advance(input.event.occurred_at);
      const id = input.event.account_id;
      let t = accounts.get(id);
      if (t === undefined) accounts.set(id, (t = { memory: createMemoryAccount(id, options.retentionDays), due: null, judgedAt: Number.NEGATIVE_INFINITY }));
      if (t.memory.apply(input)) {
        touched.add(id);
        if (options.drainsSource?.(input)) drained.set(id, input.event.occurred_at);
      }
    },
    end() {
      if (ended) throw new Error('replay: end called twice');
      ended = true;
      flush();
      runDue(Math.max(clock, options.until ?? clock));
      return { alerts, evaluations, accounts: new Map([...accounts].map(([id, t]) => [id, t.memory])) };
    },
  };
}
