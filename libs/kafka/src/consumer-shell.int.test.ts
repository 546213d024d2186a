import { kafkaConnection } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsumerShell,
  createDlqWriter,
  createKafka,
  createTopics,
  deleteTopics,
  dlq,
  ok,
  readDlqHeaders,
  type Admin,
  type ConsumerBatch,
  type ConsumerShell,
  type ConsumerShellOptions,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from './index.js';

const logger = createLogger({ name: 'consumer-shell-int', level: 'silent' });
const VALUES = ['good-0', 'bad-1', 'good-2', 'good-3', 'bad-4'];

describe('consumer shell against the real broker', () => {
  const source = uniqueName('vp_test_shell_in');
  const dlqTopic = uniqueName('vp_test_shell_dlq');
  const groups: string[] = [];
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = createKafka({ ...kafkaConnection(stackEndpoints()), clientId: 'valuepulse-shell-int' });
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [
      { topic: source, numPartitions: 1 },
      { topic: dlqTopic, numPartitions: 1 },
    ]);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: source, acks: -1, messages: VALUES.map((value) => ({ key: 'acct-1', value })) });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deleteTopics(admin, [source, dlqTopic]);
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  });

  function shellOf(commit: ConsumerShellOptions['commit']): ConsumerShell {
    const groupId = uniqueName('vp_test_shell_group');
    groups.push(groupId);
    return createConsumerShell({ kafka, groupId, topics: [source], dlq: createDlqWriter({ producer, topic: dlqTopic }), dlqTopic, commit, logger });
  }

  /** One result per record: values starting with "bad" go to the DLQ. */
  const results = (b: ConsumerBatch) =>
    b.batch.messages.map((m) => (m.value?.toString().startsWith('bad') ? dlq(m, 'TEST_BAD', `refused ${m.value.toString()}`) : ok(m, m.value?.toString())));

  const committed = async (groupId: string) => (await admin.fetchOffsets({ groupId, topics: [source] }))[0]?.partitions[0]?.offset;

  it('settles every record (the bad ones dead-lettered), commits after the batch, and is ready only while a member', async () => {
    const shell = shellOf('after-batch');
    let handled = 0;
    await shell.start(async (b) => {
      await shell.settle(b, results(b));
      handled += b.batch.messages.length;
    });
    await waitFor(() => shell.ready() && handled >= VALUES.length, { description: 'all records handled' });
    await shell.stop();
    expect(shell.ready()).toBe(false);
    expect(await committed(groups.at(-1) as string)).toBe(String(VALUES.length));

    const dead: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('vp_test_shell_reader') });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dead.push(message) });
    await waitFor(() => dead.length >= 2, { description: 'two DLQ records' });
    await reader.disconnect();
    expect(dead.map((m) => [m.value?.toString(), readDlqHeaders(m.headers)?.sourceOffset, readDlqHeaders(m.headers)?.code])).toEqual([
      ['bad-1', '1', 'TEST_BAD'],
      ['bad-4', '4', 'TEST_BAD'],
    ]);
  });

  it('with manual commits, commits nothing itself; the flush at stop commits while still a member', async () => {
    const shell = shellOf('manual');
    const groupId = groups.at(-1) as string;
    let through: string | undefined;
    await shell.start(async (b) => {
      b.resolveOffset(b.batch.messages.at(-1)?.offset ?? '');
      await b.commitOffsetsIfNecessary();
      through = b.batch.messages.at(-1)?.offset;
    });
    await waitFor(() => through === String(VALUES.length - 1), { description: 'all records handled' });
    expect(await committed(groupId)).toBe('-1');
    await shell.stop(() => shell.commit([{ topic: source, partition: 0, offset: String(VALUES.length) }]));
    expect(await committed(groupId)).toBe(String(VALUES.length));
  });

  it('refuses to start on a topic that does not exist, naming it', async () => {
    const missing = uniqueName('vp_test_shell_missing');
    const shell = createConsumerShell({ kafka, groupId: uniqueName('vp_test_shell_group'), topics: [missing], dlq: createDlqWriter({ producer, topic: dlqTopic }), dlqTopic, commit: 'after-batch', logger });
    await expect(shell.start(async () => undefined)).rejects.toMatchObject({ code: 'TOPICS_MISSING', message: expect.stringContaining(`topic ${missing} does not exist`) });
    await shell.stop();
  });
});
