import type { DueGate } from './due-gate.js';
import { OPEN_DUE_GATE } from './due-gate.js';

/** Why the clock refuses a record (it goes to the DLQ with this code and message). */
export interface Refusal {
  code: string;
  message: string;
}

/**
 * Where "now" comes from, and so what the scorer accepts and when it judges.
 * Chosen once, at start (`SCORER_CLOCK`): {@link createWallClock} for live
 * traffic, the event clock (createEventClock in event-clock.ts) for replays
 * and simulations. The batch handler and the ticker take whichever they are
 * given and have one path.
 */
export interface Clock {
  readonly mode: 'wall' | 'event';
  /** "now" for the ticker; null while unknown (event clock before any event). */
  now(): Promise<number | null>;
  /** Ticker: judge each account at the time it was due (time may have jumped days) rather than at now. */
  readonly judgesAtDueTime: boolean;
  /** Keeps due evaluations and applies of the same account apart (see DueGate). */
  readonly dueGate: DueGate;
  /** A new assignment of input partitions (full topic name → partitions). */
  onAssignment(assignment: Record<string, number[]>): Promise<void>;
  /** Resolves once the latest assignment is registered; never rejects. */
  settled(): Promise<void>;
  /** For one batch: null when a record stamped `occurredAt` is accepted, else why not. */
  refusals(): (occurredAt: number) => Refusal | null;
  /** Whether a record stamped `next` is applied with the run of records starting at `start`. */
  sameRun(start: number, next: number): boolean;
  /**
   * `sourceId` (`topic|partition`) is about to apply its records from event
   * time `start` on. Resolves to true when it may; to false when it must
   * wait — then `pause` was called, and what it returned is called once the
   * source may go on.
   */
  enter(sourceId: string, start: number, pause: () => () => void): Promise<boolean>;
  /** Accounts due up to this time are judged (each at its due time) before a run from `start` is applied; null: the ticker takes them. */
  dueUpTo(start: number): number | null;
  /** `sourceId` is done up to `nextOffset` (exclusive); its latest event time (null: no valid record) and the fetch's high watermark. */
  progressed(sourceId: string, nextOffset: number, maxEventTime: number | null, highWatermark: number): Promise<void>;
  /**
   * Catching up on a backlog: while a partition's batches do not reach its
   * end, the accounts of every run wait to be judged until none has a
   * backlog (see BacklogDeferrals), scheduled in the due index this far past
   * the judging time meanwhile; null: every run is judged at once.
   */
  readonly backlogDeferMs: number | null;
  /**
   * When to judge the accounts of a run (event times `start`..`maxTime`) once
   * it is applied; with `sourceId`, the run's source, just after its
   * `progressed` (the event clock then takes "now" from what that report
   * answered instead of asking again).
   */
  judgeAt(start: number, maxTime: number, sourceId?: string): Promise<number>;
  /** Sources held back now. */
  heldCount(): number;
  /**
   * Whether a partition of this instance still has a backlog (event clock).
   * Meanwhile the batch handler judges every account due before each run
   * (not only the run's) and the ticker stands aside: a ticker racing the
   * runs made a replay's alerts depend on where its timer fell (680 or 667
   * alerts from the same input, bench:scorer at the demo's density).
   */
  hasBacklog(): boolean;
  /** Stops timers and resumes what is held (shutdown). */
  close(): void;
}

/**
 * The wall clock (live): a batch is one run, judged at the wall clock's now;
 * records stamped more than `maxFutureMs` ahead of it are refused as
 * EVENT_TIME_IN_FUTURE rather than moving an account's windows forward.
 * With `backlogDeferMs`, the batches of a backlog are judged once the
 * partition reaches its end (see Clock.backlogDeferMs).
 */
export function createWallClock(options: { maxFutureMs: number; now?: () => number; backlogDeferMs?: number }): Clock {
  const wallNow = options.now ?? Date.now;
  return {
    mode: 'wall',
    now: async () => wallNow(),
    judgesAtDueTime: false,
    dueGate: OPEN_DUE_GATE,
    onAssignment: async () => undefined,
    settled: async () => undefined,
    refusals() {
      const latest = wallNow() + options.maxFutureMs;
      return (occurredAt) =>
        occurredAt <= latest
          ? null
          : {
              code: 'EVENT_TIME_IN_FUTURE',
              message: `occurred_at ${new Date(occurredAt).toISOString()} is later than ${new Date(latest).toISOString()} (wall clock plus the allowed skew)`,
            };
    },
    sameRun: () => true,
    enter: async () => true,
    dueUpTo: () => null,
    progressed: async () => undefined,
    backlogDeferMs: options.backlogDeferMs ? options.backlogDeferMs : null,
    judgeAt: async () => wallNow(),
    heldCount: () => 0,
    hasBacklog: () => false,
    close: () => undefined,
  };
}
