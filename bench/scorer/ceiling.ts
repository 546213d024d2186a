import { decodeMessages } from '@valuepulse/codec';
import type { KafkaMessage } from '@valuepulse/kafka';
import { waitFor } from '@valuepulse/testkit';
import type { Sandbox } from '../common/sandbox.js';

/** Consumer settings shared by the ceiling and the scorer, so both fetch alike. */
export interface FetchSettings {
  maxBytesPerPartition: number;
  partitionsConsumedConcurrently: number;
}

export interface CeilingPass {
  records: number;
  failed: number;
  batches: number;
  seconds: number;
  recordsPerSecond: number;
}

/** The median pass (by records/s) and every pass's rate: one pass of a second or two is at the mercy of the machine. */
export interface CeilingResult extends CeilingPass {
  passes: number[];
}

export async function measureCeiling(sandbox: Sandbox, expected: number, fetch: FetchSettings, opts: { passes: number; timeoutMs: number }): Promise<CeilingResult> {
  const passes: CeilingPass[] = [];
  for (let i = 0; i < opts.passes; i += 1) passes.push(await ceilingPass(sandbox, expected, fetch, opts.timeoutMs));
  const sorted = [...passes].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)] as CeilingPass;
  return { ...median, passes: passes.map((p) => p.recordsPerSecond) };
}

/**
 * The raw ceiling: a bare consumer group reading the input topics from the
 * beginning with eachBatch and doing nothing but decode every record with
 * the codec (Avro + validation, as the scorer does). Timed from the start of
 * the first batch to the end of the batch that holds the last record.
 */
async function ceilingPass(sandbox: Sandbox, expected: number, fetch: FetchSettings, timeoutMs: number): Promise<CeilingPass> {
  const consumer = sandbox.kafka.consumer({ groupId: sandbox.group('vp_bench_ceiling'), maxBytesPerPartition: fetch.maxBytesPerPartition });
  let records = 0;
  let failed = 0;
  let batches = 0;
  let first = 0;
  let last = 0;
  const stopped = sandbox.whileRunning(() => consumer.disconnect());
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: sandbox.inputTopics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: fetch.partitionsConsumedConcurrently,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        first ||= performance.now();
        const decoded = await decodeMessages<unknown, KafkaMessage>(sandbox.codec, batch.topic, batch.partition, batch.messages);
        records += decoded.records.length;
        failed += decoded.failed.length;
        batches += 1;
        last = performance.now();
      },
    });
    await waitFor(() => records + failed >= expected, { timeoutMs, intervalMs: 50, description: `ceiling consumer read ${expected} records` });
  } finally {
    await consumer.disconnect();
    stopped();
  }
  const seconds = (last - first) / 1000;
  return { records, failed, batches, seconds, recordsPerSecond: (records + failed) / seconds };
}
