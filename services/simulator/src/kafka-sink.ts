import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { kafkaConnection, registryConnection, type Endpoints } from '@valuepulse/config';
import { TOPICS } from '@valuepulse/contracts';
import { assertTopicsExist, createKafka, type Message, type Producer } from '@valuepulse/kafka';
import type { SimulatedDay } from '@valuepulse/simulation';
import type { EventSink } from './event-sink.js';
import type { Pacer } from './pacer.js';

/** Options of {@link createKafkaSink}. */
export interface KafkaSinkOptions {
  endpoints: Endpoints;
  topicPrefix: string;
  /** Messages per send. */
  batchSize: number;
  pacer: Pacer;
}

/** A Kafka sink that also counts what the broker acknowledged. */
export interface KafkaSink extends EventSink {
  /** Events acknowledged by the broker so far. */
  produced(): number;
}

type Kind = 'usage' | 'support' | 'account';
const TOPIC_OF: Record<Kind, string> = { usage: TOPICS.usageEvents, support: TOPICS.supportEvents, account: TOPICS.accountEvents };

/**
 * Produces each day's events to the three input topics (with `topicPrefix`),
 * Avro-encoded through the registry in the Confluent wire format, key = the
 * account id, from an idempotent producer with acks=all. The day's events go
 * out merged in event-time order, in sends of `batchSize` (each paced by
 * `pacer`); one send is in flight while the next is encoded, never more, so
 * every account's events stay in order on their partition.
 *
 * @throws ValuepulseError TOPICS_MISSING naming the fix when a topic does not exist; the codec's
 *   SCHEMA_NOT_REGISTERED (run `valuepulse schemas`) on the first write.
 */
export async function createKafkaSink(options: KafkaSinkOptions): Promise<KafkaSink> {
  const { endpoints, topicPrefix, batchSize, pacer } = options;
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-simulator', quiet: true });
  const topic = (kind: Kind) => `${topicPrefix}${TOPIC_OF[kind]}`;
  const fix = topicPrefix === '' ? '`npx valuepulse topics`' : `\`npx valuepulse topics --topic-prefix ${topicPrefix}\``;
  await assertTopicsExist(kafka, (['usage', 'support', 'account'] as const).map(topic), fix);
  const codec = createCodec({ registry: createRegistry(registryConnection(endpoints)), contracts: defaultTopicContracts(topicPrefix) });
  const producer: Producer = kafka.producer({ idempotent: true });
  await producer.connect();

  let produced = 0;
  let inFlight: Promise<void> = Promise.resolve();
  // the previous send must succeed before the next goes out; its failure surfaces at the next write or at close
  const send = async (batch: Map<string, Message[]>, count: number): Promise<void> => {
    const previous = inFlight;
    await previous;
    await pacer.admit(count);
    inFlight = producer
      .sendBatch({ acks: -1, topicMessages: [...batch].map(([t, messages]) => ({ topic: t, messages })) })
      .then(() => void (produced += count));
    inFlight.catch(() => undefined);
  };

  let closed: Promise<void> | undefined;
  return {
    produced: () => produced,
    async write(day: SimulatedDay) {
      const cursors: Record<Kind, number> = { usage: 0, support: 0, account: 0 };
      let batch = new Map<string, Message[]>();
      let count = 0;
      for (;;) {
        // three-way merge by event time: account before support before usage on ties
        let next: Kind | null = null;
        for (const kind of ['account', 'support', 'usage'] as const) {
          const candidate = day[kind][cursors[kind]];
          if (candidate && (next === null || candidate.occurred_at < (day[next][cursors[next]] as { occurred_at: number }).occurred_at)) next = kind;
        }
        if (next === null) break;
        const value = day[next][cursors[next]] as { account_id: string };
        cursors[next] += 1;
        const t = topic(next);
        const list = batch.get(t) ?? [];
        list.push({ key: value.account_id, value: await codec.encode(t, value) });
        batch.set(t, list);
        count += 1;
        if (count >= batchSize) {
          await send(batch, count);
          batch = new Map();
          count = 0;
        }
      }
      if (count > 0) await send(batch, count);
    },
    close() {
      closed ??= (async () => {
        try {
          await inFlight;
        } finally {
          await producer.disconnect();
        }
      })();
      return closed;
    },
  };
}
