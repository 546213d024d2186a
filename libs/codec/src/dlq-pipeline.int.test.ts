import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPICS, validateRecord, type UsageEvent } from '@valuepulse/contracts';
import { createDlqWriter, createKafka, createTopics, deleteTopics, readDlqHeaders, type Admin, type KafkaMessage } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createCodec, createRegistry, decodeMessages, defaultTopicContracts, registerSchemas } from './index.js';

// The consumer pattern every valuepulse service uses: decode a batch, hand
// the good records on, send the bad ones to the DLQ, then commit.
describe('bad records land in the DLQ with their reason while good ones flow on', () => {
  const endpoints = stackEndpoints();
  const prefix = `${uniqueName('vp_dlq')}.`;
  const usageTopic = `${prefix}${TOPICS.usageEvents}`;
  const supportTopic = `${prefix}${TOPICS.supportEvents}`;
  const dlqTopic = `${prefix}${TOPICS.dlq}`;
  const contracts = defaultTopicContracts(prefix);
  const registry = createRegistry(registryConnection(endpoints));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-dlq-int' });
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [usageTopic, dlqTopic].map((topic) => ({ topic, numPartitions: 1 })));
    await registerSchemas(registry, contracts);
  });

  afterAll(async () => {
    await deleteTopics(admin, [usageTopic, dlqTopic]);
    await admin.disconnect();
    for (const c of contracts) {
      await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
      await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
    }
  });

  it('every decode-error kind goes to the DLQ with the right headers and untouched bytes', async () => {
    const usage = (id: string, extra: Partial<UsageEvent> = {}) => {
      const v = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, event_id: id });
      if (!v.ok) throw new Error(v.issues.join('; '));
      return { ...v.value, ...extra };
    };
    const support = validateRecord('SupportEvent', EXAMPLE_RECORDS.SupportEvent);
    if (!support.ok) throw new Error('example invalid');
    const goodBytes = await codec.encode(usageTopic, usage('good-1'));

    const sent: { value: Buffer | null; expect: string }[] = [
      { value: goodBytes, expect: 'ok' },
      { value: Buffer.from('{"account_id":"acct-acme"}'), expect: 'DECODE_BAD_MAGIC' },
      { value: await codec.encode(usageTopic, usage('good-2')), expect: 'ok' },
      { value: Buffer.from([0, 0, 1]), expect: 'DECODE_TRUNCATED' },
      { value: Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), goodBytes.subarray(5)]), expect: 'DECODE_UNKNOWN_SCHEMA' },
      { value: await codec.encode(supportTopic, support.value), expect: 'DECODE_SCHEMA_MISMATCH' },
      { value: goodBytes.subarray(0, goodBytes.length - 6), expect: 'DECODE_TRUNCATED' },
      { value: await codec.encode(usageTopic, usage('bad-rules', { quantity: -3 })), expect: 'VALIDATION_FAILED' },
      { value: null, expect: 'DECODE_EMPTY' },
      { value: await codec.encode(usageTopic, usage('good-3')), expect: 'ok' },
    ];
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: usageTopic, acks: -1, messages: sent.map((s) => ({ key: 'acct-acme', value: s.value })) });

    const processed: string[] = [];
    const dlq = createDlqWriter({ producer, topic: dlqTopic });
    const consumer = kafka.consumer({ groupId: uniqueName('vp_dlq_group') });
    await consumer.connect();
    await consumer.subscribe({ topic: usageTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        const { records, failed } = await decodeMessages<UsageEvent, KafkaMessage>(codec, batch.topic, batch.partition, batch.messages);
        processed.push(...records.map((r) => r.value.event_id));
        await dlq.send(failed); // acknowledged before the offsets move
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await commitOffsetsIfNecessary();
      },
    });
    await waitFor(() => processed.length === 3, { description: 'the three good records processed' });
    await consumer.disconnect();
    expect(processed).toEqual(['good-1', 'good-2', 'good-3']);

    const dead: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('vp_dlq_reader') });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dead.push(message) });
    const bad = sent.map((s, offset) => ({ ...s, offset })).filter((s) => s.expect !== 'ok');
    await waitFor(() => dead.length === bad.length, { description: 'all bad records in the DLQ' });
    await reader.disconnect();
    await producer.disconnect();

    expect(dead.map((m) => readDlqHeaders(m.headers)?.code)).toEqual(bad.map((b) => b.expect));
    dead.forEach((message, i) => {
      const info = readDlqHeaders(message.headers);
      expect(info).toMatchObject({ sourceTopic: usageTopic, sourcePartition: 0, sourceOffset: String(bad[i]?.offset) });
      expect(info?.message.length).toBeGreaterThan(10);
      expect(message.key?.toString()).toBe('acct-acme');
      expect(message.value).toEqual(bad[i]?.value ?? null);
    });
  });
});
