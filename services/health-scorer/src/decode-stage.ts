import type { Codec } from '@valuepulse/codec';
import { dlq, ok, type ConsumerMessage, type RecordResult } from '@valuepulse/kafka';
import type { StoreEvent } from '@valuepulse/state';
import type { RecordResults } from './record-result.js';
import { toStoreEvent } from './to-store-event.js';

/**
 * Decode stage: one result per message of a batch of one input topic —
 * ok with the store event, or dlq with the decode or validation failure.
 * Decodes `chunk` messages at a time, as the caller reads on: the event
 * clock often stops early in a fetched batch (the partition is held back at
 * a day boundary and the rest is fetched again later), so decoding all of it
 * up front decoded most records several times.
 *
 * `at` rejects only on infrastructure failure (registry unreachable): the
 * batch must then not be committed.
 */
export function decodeRecords(
  codec: Codec,
  batch: { topic: string; messages: readonly ConsumerMessage[] },
  baseTopic: string,
  options: { chunk: number; onChunk?: () => void },
): RecordResults {
  const results: RecordResult<StoreEvent>[] = [];
  const { topic, messages } = batch;
  return {
    results,
    async at(i) {
      while (i >= results.length && results.length < messages.length) {
        const end = Math.min(messages.length, results.length + options.chunk);
        for (let j = results.length; j < end; j += 1) {
          const message = messages[j] as ConsumerMessage;
          const decoded = await codec.decode(topic, message.value);
          results.push(decoded.ok ? ok(message, toStoreEvent(baseTopic, decoded.value)) : dlq(message, decoded.error.code, decoded.error.message));
        }
        options.onChunk?.();
      }
      return results[i];
    },
  };
}
