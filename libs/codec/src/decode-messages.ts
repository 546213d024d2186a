import type { Codec } from './codec.js';

/** The parts of a consumed Kafka message the codec needs (structurally a kafkajs KafkaMessage). */
export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  timestamp: string;
  headers?: Record<string, unknown>;
}

/** A decoded, valid record with where it came from. */
export interface DecodedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka key as a UTF-8 string (the account id), or null. */
  key: string | null;
  value: T;
  schemaId: number;
}

/** A record that goes to the DLQ: its source and why (the shape the DLQ writer takes). */
export interface FailedRecord<M extends RawMessage = RawMessage> {
  source: { topic: string; partition: number; offset: string; message: M };
  failure: { code: string; message: string };
}

/**
 * Decodes a batch of one topic-partition, keeping order. Every message ends
 * up in exactly one of the two lists: nothing is dropped, and a bad record
 * never stops the records after it.
 *
 * @throws only on infrastructure failure (registry unreachable): the caller
 *   must then not commit, and the batch is redelivered.
 */
export async function decodeMessages<T, M extends RawMessage>(
  codec: Codec,
  topic: string,
  partition: number,
  messages: readonly M[],
): Promise<{ records: DecodedRecord<T>[]; failed: FailedRecord<M>[] }> {
  const records: DecodedRecord<T>[] = [];
  const failed: FailedRecord<M>[] = [];
  for (const message of messages) {
    const result = await codec.decode<T>(topic, message.value);
    if (result.ok) {
      records.push({ topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: result.value, schemaId: result.schemaId });
    } else {
      failed.push({ source: { topic, partition, offset: message.offset, message }, failure: { code: result.error.code, message: result.error.message } });
    }
  }
  return { records, failed };
}
