import type { Codec, RawMessage } from '@valuepulse/codec';
import { dlqResult, type RecordResult, type RecordResults } from './record-result.js';
import { toStoreEvent } from './to-store-event.js';

/**
 * Decode stage: one result per message of a batch of one input topic —
 * the store event, or a DLQ result with the decode or validation failure.
 * Decodes `chunk` messages at a time, as the caller reads on: the event
 * clock often stops early in a fetched batch (the partition is held back at
 * a day boundary and the rest is fetched again later), so decoding all of it
 * up front decoded most records several times.
 *
 * `at` rejects only on infrastructure failure (registry unreachable): the
 * batch must then not be committed.
 */
export function decodeRecords<M extends RawMessage>(
  codec: Codec,
  batch: { topic: string; partition: number; messages: readonly M[] },
  baseTopic: string,
  options: { chunk: number; onChunk?: () => void },
): RecordResults<M> {
  const results: RecordResult<M>[] = [];
  const { topic, partition, messages } = batch;
  return {
    results,
    async at(i) {
      while (i >= results.length && results.length < messages.length) {
        const end = Math.min(messages.length, results.length + options.chunk);
        for (let j = results.length; j < end; j += 1) {
          const message = messages[j] as M;
          const decoded = await codec.decode(topic, message.value);
          results.push(decoded.ok ? { kind: 'ok', message, event: toStoreEvent(baseTopic, decoded.value) } : dlqResult(topic, partition, message, { code: decoded.error.code, message: decoded.error.message }));
        }
        options.onChunk?.();
      }
      return results[i];
    },
  };
}
