import { dlq, type RecordResult } from '@valuepulse/kafka';
import type { StoreEvent } from '@valuepulse/state';
import type { Clock, Refusal } from './clock.js';
import type { RecordResults } from './record-result.js';

/**
 * Gate stage, per record: each decoded event the clock refuses (wall clock:
 * stamped beyond the allowed skew) becomes a dlq result at its index, in
 * place of the event; everything else passes through.
 */
export function gateRecords(records: RecordResults, refuse: (occurredAt: number) => Refusal | null): RecordResults {
  const results: RecordResult<StoreEvent>[] = [];
  return {
    results,
    async at(i) {
      for (let j = results.length; j <= i; j += 1) {
        const r = await records.at(j);
        if (r === undefined) break;
        const refusal = r.ok ? refuse(r.value.event.occurred_at) : null;
        results.push(refusal ? dlq(r.message, refusal.code, refusal.message) : r);
      }
      return results[i];
    },
  };
}

/** Consecutive events of a batch the clock takes as one: applied, reported and judged together. */
export interface Run {
  events: StoreEvent[];
  /** The accounts of `events`, each once. */
  accountIds: string[];
  /** Event time of the first event; the latest of all. */
  start: number;
  maxTime: number;
  /** Index of the first event after the run (the batch's length when none): dlq results before it go with the run. */
  next: number;
}

/** What the gate lets through from index `from` on: a run, nothing more (`done`), or `held` at the run's first event. */
export type GateOutcome = { kind: 'run'; run: Run } | { kind: 'held'; at: number } | { kind: 'done' };

/**
 * Gate stage, per run: the events from `from` on that the clock takes
 * together (wall clock: the rest of the batch; event clock: one UTC day, late
 * records included), if the clock lets `sourceId` enter them now. When it
 * does not, the clock has paused the source and the run is `held`: the
 * batch ends before it and the rest is fetched again.
 */
export async function nextRun(records: RecordResults, from: number, clock: Clock, sourceId: string, pause: () => () => void): Promise<GateOutcome> {
  let first = from;
  let head = await records.at(first);
  while (head !== undefined && !head.ok) head = await records.at((first += 1));
  if (head === undefined) return { kind: 'done' };
  const start = head.value.event.occurred_at;
  // asked before the rest of the run is read: a held run's records are fetched and decoded again
  if (!(await clock.enter(sourceId, start, pause))) return { kind: 'held', at: first };
  const events: StoreEvent[] = [head.value];
  let maxTime = start;
  let next = first + 1;
  for (let r = await records.at(next); r !== undefined; r = await records.at((next += 1))) {
    if (!r.ok) continue;
    const t = r.value.event.occurred_at;
    if (!clock.sameRun(start, t)) break;
    events.push(r.value);
    // a comparison, not Math.max(...): spreading a large batch overflows the call stack
    if (t > maxTime) maxTime = t;
  }
  return { kind: 'run', run: { events, accountIds: [...new Set(events.map((e) => e.event.account_id))], start, maxTime, next } };
}
