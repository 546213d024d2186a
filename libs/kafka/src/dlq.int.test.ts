import { kafkaConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import {
  createDlqWriter,
  createKafka,
  createTopics,
  deleteTopics,
  DLQ_HEADERS,
  readDlqHeaders,
  type Admin,
  type Consumer,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from './index.js';

interface Received {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

// Bytes no UTF-8 round trip survives (invalid sequences, 0xff), as a corrupt producer might write.
const BAD_VALUE = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07, 0xc3, 0x28, 0xff, 0xfe, 0x80]);
const BAD_KEY = Buffer.from([0x61, 0x63, 0x63, 0x74, 0xff]);

describe('DLQ writer against the real broker', () => {
  const sourceTopic = uniqueName('vp_test_dlq_source');
  const dlqTopic = uniqueName('vp_test_dlq');
  const groupId = uniqueName('vp_test_dlq_group');
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  const received: Received[] = [];

  beforeAll(async () => {
    kafka = createKafka({ ...kafkaConnection(stackEndpoints()), clientId: 'valuepulse-int-test' });
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [
      { topic: sourceTopic, numPartitions: 2 },
      { topic: dlqTopic, numPartitions: 1 },
    ]);
    producer = kafka.producer({ idempotent: true });
    consumer = kafka.consumer({ groupId });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics: [sourceTopic, dlqTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => void received.push({ topic, partition, message }),
    });
  });

  afterAll(async () => {
    await Promise.allSettled([producer?.disconnect(), consumer?.disconnect()]);
    await deleteTopics(admin, [sourceTopic, dlqTopic]);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  it('keeps the consumed record byte for byte, with its headers, and says why and where from', async () => {
    await producer.send({
      topic: sourceTopic,
      acks: -1,
      messages: [
        { key: BAD_KEY, value: BAD_VALUE, headers: { 'trace-id': 't-1', raw: Buffer.from([0xff, 0x01]) } },
        { key: null, value: null },
      ],
    });
    const sources = await waitFor(() => {
      const got = received.filter((r) => r.topic === sourceTopic);
      return got.length === 2 && got;
    }, { description: 'both source records consumed' });

    const failure = { code: 'DECODE_FAILED', message: 'unknown schema id 7' };
    const writer = createDlqWriter({ producer, topic: dlqTopic });
    await writer.send(
      sources.map(({ topic, partition, message }) => ({ source: { topic, partition, offset: message.offset, message }, failure })),
    );

    const dead = await waitFor(() => {
      const got = received.filter((r) => r.topic === dlqTopic);
      return got.length === 2 && got;
    }, { description: 'both DLQ records consumed' });

    const tombstone = (r: Received): boolean => r.message.value === null;
    const [badIn, nullIn] = [sources.find((r) => !tombstone(r)), sources.find(tombstone)];
    const [badOut, nullOut] = [dead.find((r) => !tombstone(r)), dead.find(tombstone)];

    expect(Buffer.compare(badOut?.message.value ?? Buffer.alloc(0), BAD_VALUE)).toBe(0);
    expect(Buffer.compare(badOut?.message.key ?? Buffer.alloc(0), BAD_KEY)).toBe(0);
    expect(badOut?.message.headers?.['trace-id']?.toString()).toBe('t-1');
    expect(Buffer.compare(badOut?.message.headers?.['raw'] as Buffer, Buffer.from([0xff, 0x01]))).toBe(0);
    expect(nullOut?.message.key).toBeNull();
    expect(nullOut?.message.value).toBeNull();

    for (const [input, output] of [
      [badIn, badOut],
      [nullIn, nullOut],
    ] as const) {
      const info = readDlqHeaders(output?.message.headers);
      expect(info).toEqual({
        code: 'DECODE_FAILED',
        message: 'unknown schema id 7',
        sourceTopic,
        sourcePartition: input?.partition,
        sourceOffset: input?.message.offset,
        sourceTimestamp: input?.message.timestamp,
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(Object.keys(output?.message.headers ?? {})).toEqual(expect.arrayContaining(Object.values(DLQ_HEADERS)));
    }
  });

  it('throws when the DLQ write is not acknowledged, so the caller does not commit', async () => {
    // A producer that is not connected fails the send the way a lost broker does.
    const idle = kafka.producer();
    const writer = createDlqWriter({ producer: idle, topic: dlqTopic });
    const message = { key: null, value: BAD_VALUE, timestamp: '0', attributes: 0, offset: '0', headers: {} } as KafkaMessage;
    await expect(
      writer.send([{ source: { topic: sourceTopic, partition: 0, offset: '0', message }, failure: { code: 'X', message: 'y' } }]),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
