import { kafkaConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createKafka, createTopics, deleteTopics, type Admin, type Consumer, type Kafka, type Producer } from './index.js';

describe('kafkajs against the real broker', () => {
  const topic = uniqueName('vp_test_roundtrip');
  const groupId = uniqueName('vp_test_group');
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    kafka = createKafka({ ...kafkaConnection(stackEndpoints()), clientId: 'valuepulse-int-test' });
    admin = kafka.admin();
    await admin.connect();
    expect(await createTopics(admin, [{ topic, numPartitions: 2 }])).toEqual([topic]);
    producer = kafka.producer({ idempotent: true });
    consumer = kafka.consumer({ groupId });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([producer?.disconnect(), consumer?.disconnect()]);
    await deleteTopics(admin, [topic]);
    await admin.disconnect();
  });

  it('creating an existing topic is a no-op', async () => {
    expect(await createTopics(admin, [{ topic, numPartitions: 2 }])).toEqual([]);
  });

  it('produces and consumes keyed records, in order per key', async () => {
    const sent = [
      { key: 'acct-1', value: 'first' },
      { key: 'acct-2', value: 'other account' },
      { key: 'acct-1', value: 'second' },
      { key: 'acct-1', value: 'third' },
    ];
    const metadata = await producer.send({ topic, acks: -1, messages: sent });
    expect(metadata.every((m) => m.errorCode === 0)).toBe(true);

    const received: { key: string; value: string; partition: number }[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', partition });
      },
    });
    await waitFor(() => received.length >= sent.length, { timeoutMs: 30_000, description: 'all records consumed' });

    expect(received).toHaveLength(sent.length);
    const acct1 = received.filter((r) => r.key === 'acct-1');
    expect(acct1.map((r) => r.value)).toEqual(['first', 'second', 'third']);
    // the key decides the partition: one account stays on one partition
    expect(new Set(acct1.map((r) => r.partition)).size).toBe(1);
    expect(received.find((r) => r.key === 'acct-2')?.value).toBe('other account');
  });
});
