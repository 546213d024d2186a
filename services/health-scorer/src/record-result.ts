import type { FailedRecord, RawMessage } from '@valuepulse/codec';
import type { StoreEvent } from '@valuepulse/state';

/**
 * What became of one consumed record: an event to apply, or a record for the
 * DLQ with the reason (its original bytes kept). Every message of a batch
 * has exactly one result, at its index, so the DLQ form keeps offset order
 * with no sorting.
 */
export type RecordResult<M extends RawMessage = RawMessage> =
  | { readonly kind: 'ok'; readonly message: M; readonly event: StoreEvent }
  | { readonly kind: 'dlq'; readonly failed: FailedRecord<M> };

/** The DLQ result for `message` of `topic`/`partition`, with the failure's code and message. */
export function dlqResult<M extends RawMessage>(topic: string, partition: number, message: M, failure: { code: string; message: string }): RecordResult<M> {
  return { kind: 'dlq', failed: { source: { topic, partition, offset: message.offset, message }, failure } };
}

/** A batch's results, produced as the caller reads on (decoding is lazy: see decode-stage.ts). */
export interface RecordResults<M extends RawMessage = RawMessage> {
  /** The result of the record at index `i` of the batch; undefined past its end. */
  at(i: number): Promise<RecordResult<M> | undefined>;
  /** The results produced so far, indices 0, 1, … of the batch. */
  readonly results: readonly RecordResult<M>[];
}
