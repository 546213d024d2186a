import { decodeMessages, type Codec, type DecodedRecord, type FailedRecord, type RawMessage } from '@valuepulse/codec';

/** A batch decoded a chunk at a time, on demand. */
export interface ChunkedDecode<M extends RawMessage> {
  /** Records decoded so far, in offset order. */
  readonly records: DecodedRecord<unknown>[];
  /** Messages that failed to decode so far, in offset order. */
  readonly failed: FailedRecord<M>[];
  /** Decodes the next chunk; resolves to false when every message was decoded already. */
  more(): Promise<boolean>;
}

/**
 * Decodes `messages` `chunk` at a time as the caller asks for more. The
 * event-clock scorer often stops early in a fetched batch (the partition is
 * held back at a day boundary and the rest is fetched again later), so
 * decoding all of it up front decoded most records several times.
 */
export function chunkedDecode<M extends RawMessage>(codec: Codec, topic: string, partition: number, messages: readonly M[], chunk: number): ChunkedDecode<M> {
  const records: DecodedRecord<unknown>[] = [];
  const failed: FailedRecord<M>[] = [];
  let next = 0;
  return {
    records,
    failed,
    async more() {
      if (next >= messages.length) return false;
      const decoded = await decodeMessages<unknown, M>(codec, topic, partition, messages.slice(next, next + chunk));
      next += chunk;
      for (const r of decoded.records) records.push(r);
      for (const f of decoded.failed) failed.push(f);
      return true;
    },
  };
}
