import type { ConsumerBatch, ConsumerMessage } from './consumer-batch.js';
import type { DlqEntry, DlqFailure } from './dlq.js';
import type { DlqWriter } from './dlq-writer.js';

/**
 * What became of one consumed record: `ok` with the value the handler made of
 * it, or `dlq` with the reason it goes to the dead-letter topic. A handler
 * keeps one result per record, in offset order; nothing is dropped silently.
 */
export type RecordResult<T> = { ok: true; message: ConsumerMessage; value: T } | { ok: false; message: ConsumerMessage; failure: DlqFailure };

/** A record handled: `value` is what the next stage takes. */
export function ok<T>(message: ConsumerMessage, value: T): RecordResult<T> {
  return { ok: true, message, value };
}

/** A record for the DLQ, with a stable `code` and a human `reason`. */
export function dlq(message: ConsumerMessage, code: string, reason: string): RecordResult<never> {
  return { ok: false, message, failure: { code, message: reason } };
}

/**
 * Settles a run of results of one batch: sends the `dlq` ones to the DLQ,
 * then resolves the offset of the last result. Resolves `true` once resolved,
 * `false` (nothing resolved) when the batch went stale or the consumer began
 * to stop while the DLQ was written: the records are delivered again.
 *
 * @throws what the DLQ writer throws; nothing is resolved then.
 */
export type SettleResults = (batch: ConsumerBatch, results: readonly RecordResult<unknown>[]) => Promise<boolean>;

/** Options of {@link createSettleStep}. */
export interface SettleStepOptions {
  dlq: DlqWriter;
  /** Called once per record written to the DLQ (a metric by code), after the write. */
  onDeadLetter?: (failure: DlqFailure, topic: string) => void;
}

/**
 * The one step every consumer settles its records with: the DLQ has a
 * record before its offset can move, so a crash in between redelivers the
 * record rather than losing it.
 *
 * @returns a {@link SettleResults}. Never throws; the step may.
 */
export function createSettleStep(options: SettleStepOptions): SettleResults {
  const { dlq: writer, onDeadLetter } = options;
  return async function settle(consumed, results) {
    const last = results.at(-1);
    if (last === undefined) return true;
    const { topic, partition } = consumed.batch;
    const entries: DlqEntry[] = [];
    for (const r of results) {
      if (!r.ok) entries.push({ source: { topic, partition, offset: r.message.offset, message: r.message }, failure: r.failure });
    }
    if (entries.length > 0) {
      await writer.send(entries);
      for (const e of entries) onDeadLetter?.(e.failure, topic);
    }
    if (!consumed.isRunning() || consumed.isStale()) return false;
    consumed.resolveOffset(last.message.offset);
    return true;
  };
}
