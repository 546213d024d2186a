import { describe, expect, it, vi } from 'vitest';
import type { KafkaMessage, Producer } from 'kafkajs';
import { DependencyUnavailableError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import { readDlqHeaders, type DlqSource } from './dlq.js';
import { createDlqWriter } from './dlq-writer.js';

// The writer's contract with its producer; the real broker is exercised in dlq.int.test.ts.

const NOT_UTF8 = Buffer.from([0x00, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0x0a]);

function source(offset: string, value: Buffer | null = Buffer.from(NOT_UTF8)): DlqSource {
  const message = { key: Buffer.from('acct-42'), value, timestamp: '1767225600000', attributes: 0, offset, headers: {} } as KafkaMessage;
  return { topic: 'usage.events.v1', partition: 4, offset, message };
}

const DLQ_TOPIC = 't1.valuepulse.dlq.v1';
const failure = { code: 'DECODE_FAILED', message: 'unknown magic byte 0x00' };

describe('createDlqWriter', () => {
  function fakeProducer(send: Producer['send']): Producer {
    return { send } as Producer;
  }

  it('sends every entry in one request acknowledged by all replicas, to its topic', async () => {
    const send = vi.fn<Producer['send']>(async () => []);
    const writer = createDlqWriter({ producer: fakeProducer(send), topic: DLQ_TOPIC });
    const other = source('18', Buffer.from('{"not":"avro"}'));
    await writer.send([
      { source: source('17'), failure },
      { source: other, failure: { code: 'VALIDATION_FAILED', message: 'occurred_at is in the future' } },
    ]);
    expect(send).toHaveBeenCalledTimes(1);
    const record = send.mock.calls[0]?.[0];
    expect(record?.topic).toBe(DLQ_TOPIC);
    expect(record?.acks).toBe(-1);
    expect(record?.messages).toHaveLength(2);
    expect(Buffer.compare(record?.messages[0]?.value as Buffer, NOT_UTF8)).toBe(0);
    expect(readDlqHeaders(record?.messages[1]?.headers)).toMatchObject({ code: 'VALIDATION_FAILED', sourceOffset: '18' });
  });

  it('writes to the topic it is given', async () => {
    const send = vi.fn<Producer['send']>(async () => []);
    await createDlqWriter({ producer: fakeProducer(send), topic: 'other.dlq' }).send([{ source: source('17'), failure }]);
    expect(send.mock.calls[0]?.[0].topic).toBe('other.dlq');
  });

  it('sends nothing for no entries', async () => {
    const send = vi.fn<Producer['send']>(async () => []);
    await createDlqWriter({ producer: fakeProducer(send), topic: DLQ_TOPIC }).send([]);
    expect(send).not.toHaveBeenCalled();
  });

  it('throws a retriable DependencyUnavailableError when the send fails', async () => {
    const cause = new Error('NOT_ENOUGH_REPLICAS');
    const writer = createDlqWriter({ producer: fakeProducer(async () => Promise.reject(cause)), topic: DLQ_TOPIC });
    const err = await writer.send([{ source: source('17'), failure }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err).toMatchObject({ retriable: true, dependency: 'kafka', cause });
    expect((err as Error).message).toMatch(/valuepulse\.dlq\.v1/);
  });

  it('logs one warning per batch naming each record and its failure code, after the send', async () => {
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    await createDlqWriter({ producer: fakeProducer(async () => []), topic: DLQ_TOPIC, logger }).send([{ source: source('17'), failure }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatchObject({
      dlqTopic: DLQ_TOPIC,
      count: 1,
      records: [{ topic: 'usage.events.v1', partition: 4, offset: '17', code: 'DECODE_FAILED' }],
    });

    warn.mockClear();
    const failing = createDlqWriter({ producer: fakeProducer(async () => Promise.reject(new Error('down'))), topic: DLQ_TOPIC, logger });
    await expect(failing.send([{ source: source('17'), failure }])).rejects.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });
});
