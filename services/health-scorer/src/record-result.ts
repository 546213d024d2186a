import type { RecordResult } from '@valuepulse/kafka';
import type { StoreEvent } from '@valuepulse/state';

/**
 * A batch's results — one per message, at its index: libs/kafka's
 * RecordResult, ok with the store event or dlq with the reason — produced as
 * the caller reads on (decoding is lazy: see decode-stage.ts).
 */
export interface RecordResults {
  /** The result of the record at index `i` of the batch; undefined past its end. */
  at(i: number): Promise<RecordResult<StoreEvent> | undefined>;
  /** The results produced so far, indices 0, 1, … of the batch. */
  readonly results: readonly RecordResult<StoreEvent>[];
}
