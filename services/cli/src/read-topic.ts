import { randomBytes } from 'node:crypto';
import type { Codec } from '@valuepulse/codec';
import type { Kafka } from '@valuepulse/kafka';

/**
 * Every record of `topic` written before the call, decoded: consumes each
 * partition from its start to the end offset it had when the call began,
 * with a throw-away group that commits nothing.
 *
 * @throws when a record cannot be decoded (naming partition and offset), or
 *   when `timeoutMs` passes before the end is reached.
 */
export async function readTopic<T>(kafka: Kafka, codec: Codec, topic: string, timeoutMs: number): Promise<T[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high) - 1]));
  const out: T[] = [];
  if (remaining.size === 0) return out;

  const consumer = kafka.consumer({ groupId: `valuepulse-cli-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 200 });
  let failure: Error | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(() => {
    failure = new Error(`reading ${topic}: end offsets not reached within ${timeoutMs / 1000} s (${remaining.size} partition(s) left)`);
    done();
  }, timeoutMs);
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = remaining.get(batch.partition);
        if (last === undefined) return;
        for (const message of batch.messages) {
          if (Number(message.offset) > last) break;
          const decoded = await codec.decode<T>(topic, message.value);
          if (!decoded.ok) {
            failure = new Error(`${topic} partition ${batch.partition} offset ${message.offset}: ${decoded.error.message}`);
            done();
            return;
          }
          out.push(decoded.value);
        }
        if (Number(batch.messages.at(-1)?.offset ?? -1) >= last) remaining.delete(batch.partition);
        if (remaining.size === 0) done();
      },
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  if (failure) throw failure;
  return out;
}
