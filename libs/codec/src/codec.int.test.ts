import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPIC_RECORDS, validateRecord, type RecordName, type UsageEvent } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Admin, type KafkaMessage } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createCodec, createRegistry, defaultTopicContracts, recordContract, registerSchemas, type TopicContract } from './index.js';

const endpoints = stackEndpoints();
const registry = createRegistry(registryConnection(endpoints));
const subjects = new Set<string>();

async function deleteSubject(subject: string): Promise<void> {
  const base = endpoints.schemaRegistryUrl;
  await fetch(`${base}/subjects/${subject}`, { method: 'DELETE' });
  await fetch(`${base}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
}

afterAll(async () => {
  for (const subject of subjects) await deleteSubject(subject);
});

function track(contracts: TopicContract[]): TopicContract[] {
  for (const c of contracts) subjects.add(c.subject);
  return contracts;
}

describe('every schema through the real registry and Kafka', () => {
  const prefix = `${uniqueName('vp_codec')}.`;
  const contracts = track(defaultTopicContracts(prefix));
  const codec = createCodec({ registry, contracts });
  const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-codec-int' });
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, contracts.map((c) => ({ topic: c.topic, numPartitions: 1 })));
  });

  afterAll(async () => {
    await deleteTopics(admin, contracts.map((c) => c.topic));
    await admin.disconnect();
  });

  it('registers each schema once; a second run changes nothing', async () => {
    const first = await registerSchemas(registry, contracts);
    expect(first.map((o) => o.status)).toEqual(contracts.map(() => 'registered'));
    const second = await registerSchemas(registry, contracts);
    expect(second.map((o) => o.status)).toEqual(contracts.map(() => 'unchanged'));
    expect(second.map((o) => ('id' in o ? o.id : -1))).toEqual(first.map((o) => ('id' in o ? o.id : -2)));
  });

  it('encodes, produces, consumes and decodes the example of every record unchanged', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const expected = new Map<string, unknown>();
    for (const contract of contracts) {
      const record = TOPIC_RECORDS[contract.topic.slice(prefix.length) as keyof typeof TOPIC_RECORDS] as RecordName;
      const validated = validateRecord(record, EXAMPLE_RECORDS[record]);
      if (!validated.ok) throw new Error(validated.issues.join('; '));
      expected.set(contract.topic, validated.value);
      const value = await codec.encode(contract.topic, validated.value);
      await producer.send({ topic: contract.topic, acks: -1, messages: [{ key: String(EXAMPLE_RECORDS[record].account_id), value }] });
    }
    await producer.disconnect();

    const received = new Map<string, KafkaMessage>();
    const consumer = kafka.consumer({ groupId: uniqueName('vp_codec_group') });
    await consumer.connect();
    await consumer.subscribe({ topics: contracts.map((c) => c.topic), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, message }) => void received.set(topic, message) });
    await waitFor(() => received.size === contracts.length, { description: 'one record per topic' });
    await consumer.disconnect();

    for (const contract of contracts) {
      const message = received.get(contract.topic);
      expect(message?.key?.toString()).toBe('acct-acme');
      const decoded = await codec.decode(contract.topic, message?.value);
      expect(decoded.ok ? decoded.value : decoded.error.message, contract.topic).toEqual(expected.get(contract.topic));
    }
  });
});

function validUsage(): UsageEvent {
  const result = validateRecord('UsageEvent', EXAMPLE_RECORDS.UsageEvent);
  if (!result.ok) throw new Error(result.issues.join('; '));
  return result.value;
}

describe('schema evolution under the BACKWARD rule', () => {
  const topic = `${uniqueName('vp_evolve')}.usage.events.v1`;
  const current = recordContract(topic, 'UsageEvent');
  const currentFields = (current.avsc.fields as { name: string }[]);
  // what an older producer used: no product_line, no properties
  const older: TopicContract = {
    ...current,
    avsc: { ...current.avsc, fields: currentFields.filter((f) => f.name !== 'product_line' && f.name !== 'properties') },
  };
  track([current]);

  it('reads records of the older version with the current schema, defaults filled', async () => {
    expect((await registerSchemas(registry, [older]))[0]?.status).toBe('registered');
    const oldCodec = createCodec({ registry, contracts: [older] });
    const { product_line: _p, properties: _q, ...oldValue } = validUsage();
    const oldBytes = await oldCodec.encode(topic, oldValue);

    expect((await registerSchemas(registry, [current]))[0]?.status).toBe('registered');
    const decoded = await createCodec({ registry, contracts: [current] }).decode(topic, oldBytes);
    expect(decoded.ok && decoded.value).toEqual({ ...oldValue, product_line: null, properties: {} });
  });

  it('maps an enum symbol added by a newer producer to UNKNOWN', async () => {
    const types = (currentFields.find((f) => f.name === 'event_type') as unknown as { type: { symbols: string[] } }).type;
    const newer: TopicContract = {
      ...current,
      avsc: {
        ...current.avsc,
        fields: currentFields.map((f) => (f.name === 'event_type' ? { ...f, type: { ...types, symbols: [...types.symbols, 'AI_ASSISTANT_USED'] } } : f)),
      },
    };
    expect((await registerSchemas(registry, [newer]))[0]?.status).toBe('registered');
    const value = { ...validUsage(), event_type: 'AI_ASSISTANT_USED' };
    const bytes = await createCodec({ registry, contracts: [newer] }).encode(topic, value);
    const decoded = await createCodec({ registry, contracts: [current] }).decode(topic, bytes);
    expect(decoded.ok && (decoded.value as { event_type: string }).event_type).toBe('UNKNOWN');
  });

  it('refuses an incompatible change with the registry\'s reason, and registers nothing', async () => {
    const breaking: TopicContract = {
      ...current,
      avsc: { ...current.avsc, fields: [...currentFields, { name: 'tenant_id', type: 'string', doc: 'required, no default' }] },
    };
    const before = await (await fetch(`${endpoints.schemaRegistryUrl}/subjects/${current.subject}/versions`)).json();
    const [outcome] = await registerSchemas(registry, [breaking]);
    expect(outcome?.status).toBe('incompatible');
    expect(outcome?.status === 'incompatible' && outcome.reason).toMatch(/incompatib|tenant_id/i);
    expect(await (await fetch(`${endpoints.schemaRegistryUrl}/subjects/${current.subject}/versions`)).json()).toEqual(before);
  });
});

describe('decode errors are typed values', () => {
  const prefix = `${uniqueName('vp_decode')}.`;
  const contracts = track(defaultTopicContracts(prefix));
  const codec = createCodec({ registry, contracts });
  const usageTopic = `${prefix}usage.events.v1`;
  const supportTopic = `${prefix}support.events.v1`;
  let good: Buffer;

  beforeAll(async () => {
    await registerSchemas(registry, contracts);
    const value = validateRecord('UsageEvent', EXAMPLE_RECORDS.UsageEvent);
    if (!value.ok) throw new Error('example invalid');
    good = await codec.encode(usageTopic, value.value);
  });

  const cases: [string, () => Promise<Buffer | null>, string][] = [
    ['a null value', async () => null, 'DECODE_EMPTY'],
    ['plain JSON', async () => Buffer.from(JSON.stringify(EXAMPLE_RECORDS.UsageEvent)), 'DECODE_BAD_MAGIC'],
    ['a cut header', async () => good.subarray(0, 3), 'DECODE_TRUNCATED'],
    ['an unknown schema id', async () => Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), good.subarray(5)]), 'DECODE_UNKNOWN_SCHEMA'],
    ['a cut Avro body', async () => good.subarray(0, good.length - 8), 'DECODE_TRUNCATED'],
    [
      'a SupportEvent on the usage topic',
      async () => {
        const support = validateRecord('SupportEvent', EXAMPLE_RECORDS.SupportEvent);
        if (!support.ok) throw new Error('example invalid');
        return codec.encode(supportTopic, support.value);
      },
      'DECODE_SCHEMA_MISMATCH',
    ],
    [
      'a record that breaks the rules',
      async () => {
        const value = validateRecord('UsageEvent', EXAMPLE_RECORDS.UsageEvent);
        if (!value.ok) throw new Error('example invalid');
        return codec.encode(usageTopic, { ...value.value, quantity: -5 });
      },
      'VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s', async (_label, payload, code) => {
    const result = await codec.decode(usageTopic, await payload());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('still decodes a good record after all of them', async () => {
    expect((await codec.decode(usageTopic, good)).ok).toBe(true);
  });
});
