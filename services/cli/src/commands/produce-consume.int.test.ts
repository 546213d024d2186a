import { kafkaConnection } from '@valuepulse/config';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPICS, validateRecord } from '@valuepulse/contracts';
import { buildDlqMessage, createKafka, createTopics, deleteTopics } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { captureIo } from '../test-io.js';
import { consumeCommand } from './consume.command.js';
import { produceCommand } from './produce.command.js';
import { schemasCommand } from './schemas.command.js';
import { topicsCommand } from './topics.command.js';

const endpoints = stackEndpoints();
const env = {
  ...process.env,
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
  SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
};
const prefix = `${uniqueName('vp_cli')}.`;
const usage = EXAMPLE_RECORDS.UsageEvent;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-cli-'));
  const topics = captureIo('', env);
  expect(await topicsCommand.run(['--topic-prefix', prefix], topics), topics.err()).toBe(0);
  const schemas = captureIo('', env);
  expect(await schemasCommand.run(['--topic-prefix', prefix], schemas), schemas.err()).toBe(0);
  expect(schemas.out()).toMatch(new RegExp(`${prefix.replace(/\./g, '\\.')}usage\\.events\\.v1-value\\s+(registered|unchanged) \\(id \\d+\\)`));
});

afterAll(async () => {
  const admin = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-cli-int' }).admin();
  await admin.connect();
  await deleteTopics(admin, Object.values(TOPICS).map((t) => `${prefix}${t}`));
  await admin.disconnect();
  for (const topic of Object.values(TOPICS)) {
    const subject = `${prefix}${topic}-value`;
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  }
  await rm(dir, { recursive: true, force: true });
});

describe('valuepulse produce and consume against the real stack', () => {
  const good = [
    { ...usage, event_id: 'e1', account_id: 'acct-a' },
    { ...usage, event_id: 'e2', account_id: 'acct-b', occurred_at: 1_793_610_900_000, event_type: 'LOGIN', feature_id: null },
    { ...usage, event_id: 'e3', account_id: 'acct-a', event_type: 'WORKFLOW_RUN', workflow_id: 'wf-9' },
  ];

  it('produces the good lines, names each bad line with its reason, and exits 1', async () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(good[0]),
        '{"event_id": "e-broken", "account_id": ', // line 2: not JSON
        JSON.stringify(good[1]),
        JSON.stringify(good[2]),
        JSON.stringify({ ...usage, event_id: 'e5', occurred_at: 'last tuesday', quantity: -1 }), // line 5: invalid
        '',
      ].join('\n'),
    );
    const io = captureIo('', env);
    expect(await produceCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', prefix, '--file', file], io)).toBe(1);
    const err = io.err();
    expect(err).toMatch(/^line 2: not JSON: /m);
    expect(err).toMatch(/^line 5: occurred_at: expected an ISO-8601 timestamp or epoch milliseconds$/m);
    expect(err.match(/^line \d+:/gm)).toEqual(['line 2:', 'line 5:']);
    expect(err).toMatch(/produce: 3 record\(s\) to \S+usage\.events\.v1, 2 bad line\(s\) \(lines 2, 5\)/);
  });

  it('consume prints exactly the 3 produced records, decoded, keyed by account', async () => {
    const io = captureIo('', env);
    expect(await consumeCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', prefix, '--from-beginning', '--timeout', '5'], io)).toBe(0);
    const lines = io.out().trim().split('\n').map((l) => JSON.parse(l) as { key: string; partition: number; offset: string; timestamp: string; value: { event_id: string } });
    expect(lines).toHaveLength(3);
    const byId = new Map(lines.map((l) => [l.value.event_id, l]));
    for (const record of good) {
      const expected = validateRecord('UsageEvent', record);
      expect(expected.ok).toBe(true);
      const line = byId.get(record.event_id);
      expect(line?.key).toBe(record.account_id);
      expect(line?.value).toEqual(expected.ok && expected.value);
      expect(line?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('reads JSON Lines from stdin, and --max stops after N records', async () => {
    const stdin = `${JSON.stringify({ ...usage, event_id: 'e6' })}\n${JSON.stringify({ ...usage, event_id: 'e7' })}\n`;
    const produce = captureIo(stdin, env);
    expect(await produceCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', prefix], produce)).toBe(0);
    expect(produce.err()).toMatch(/produce: 2 record\(s\)/);
    const consume = captureIo('', env);
    expect(await consumeCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', prefix, '--from-beginning', '--max', '4', '--timeout', '20'], consume)).toBe(0);
    expect(consume.out().trim().split('\n')).toHaveLength(4);
  });

  it('shows DLQ records with their headers and the original bytes', async () => {
    const producer = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-cli-int' }).producer();
    await producer.connect();
    const original = Buffer.from([0xff, 0x00, 0x01, 0x02]);
    const message = buildDlqMessage(
      { topic: 'usage.events.v1', partition: 2, offset: '41', message: { key: Buffer.from('acct-z'), value: original, offset: '41', timestamp: '1793610900000', headers: {}, attributes: 0 } as never },
      { code: 'DECODE_BAD_MAGIC', message: 'first byte is 0xff' },
    );
    await producer.send({ topic: `${prefix}${TOPICS.dlq}`, acks: -1, messages: [message] });
    await producer.disconnect();

    const io = captureIo('', env);
    expect(await consumeCommand.run(['--topic', TOPICS.dlq, '--topic-prefix', prefix, '--from-beginning', '--max', '1', '--timeout', '20'], io)).toBe(0);
    const line = JSON.parse(io.out().trim()) as { key: string; dlq: Record<string, unknown>; value_base64: string };
    expect(line.key).toBe('acct-z');
    expect(Buffer.from(line.value_base64, 'base64')).toEqual(original);
    expect(line.dlq).toMatchObject({ code: 'DECODE_BAD_MAGIC', message: 'first byte is 0xff', sourceTopic: 'usage.events.v1', sourcePartition: 2, sourceOffset: '41' });
  });

  it('fails fast with the fix when the topic or the schema is missing', async () => {
    const noTopic = captureIo('', env);
    // commands throw; main() prints the message and exits 1
    await expect(produceCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', `${uniqueName('vp_none')}.`], noTopic)).rejects.toThrow(
      /topic \S+ does not exist: run `npx valuepulse topics`/,
    );
    const noSchema = captureIo(`${JSON.stringify(usage)}\n`, env);
    const admin = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-cli-int' }).admin();
    const bare = `${uniqueName('vp_bare')}.`;
    await admin.connect();
    await createTopics(admin, [{ topic: `${bare}usage.events.v1`, numPartitions: 1 }]);
    try {
      await expect(produceCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', bare], noSchema)).rejects.toThrow(
        /not registered under \S+usage\.events\.v1-value: run `npx valuepulse schemas`/,
      );
    } finally {
      await deleteTopics(admin, [`${bare}usage.events.v1`]);
      await admin.disconnect();
    }
    const consume = captureIo('', env);
    await expect(consumeCommand.run(['--topic', 'usage.events.v1', '--topic-prefix', `${uniqueName('vp_none')}.`], consume)).rejects.toThrow(
      /topic \S+ does not exist: run `npx valuepulse topics`/,
    );
  });

  it('refuses a topic without a contract as a usage error', async () => {
    const io = captureIo('', env);
    expect(await produceCommand.run(['--topic', 'nope.v1'], io)).toBe(2);
    expect(io.err()).toMatch(/usage: valuepulse produce/);
  });
});
