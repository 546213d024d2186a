import { validateRecord } from '@valuepulse/contracts';
import type { Sandbox } from '../common/sandbox.js';

/** What the raw producer measured. */
export interface CeilingResult {
  recordsPerSecond: number;
  passes: number[];
  chunk: number;
}

/**
 * The raw ceiling: one kafkajs producer (idempotent, acks=all, as the
 * gateway's) sending the same records, Avro-encoded before the clock starts,
 * in chunks of `chunk` one after another; the median of `passes` passes.
 * What the gateway adds on top (HTTP, JSON, validation, encoding) is what
 * the ratio shows.
 */
export async function measureProducerCeiling(sandbox: Sandbox, topic: string, values: readonly { account_id: string }[], options: { chunk: number; passes: number }): Promise<CeilingResult> {
  const messages = await Promise.all(
    values.map(async (v) => {
      // the JSON form converted as the gateway converts it (ISO times → epoch ms, defaults)
      const valid = validateRecord('UsageEvent', v);
      if (!valid.ok) throw new Error(`invalid workload record: ${valid.issues.join('; ')}`);
      return { key: v.account_id, value: await sandbox.codec.encode(topic, valid.value) };
    }),
  );
  const producer = sandbox.kafka.producer({ idempotent: true });
  await producer.connect();
  const passes: number[] = [];
  try {
    for (let p = 0; p < options.passes; p++) {
      const started = performance.now();
      for (let i = 0; i < messages.length; i += options.chunk) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + options.chunk) });
      }
      passes.push(messages.length / ((performance.now() - started) / 1000));
    }
  } finally {
    await producer.disconnect();
  }
  const sorted = [...passes].sort((a, b) => a - b);
  return { recordsPerSecond: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, passes, chunk: options.chunk };
}
