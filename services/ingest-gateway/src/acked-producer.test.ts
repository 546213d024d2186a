import { DependencyUnavailableError } from '@valuepulse/errors';
import { createLogger } from '@valuepulse/log';
import type { Producer } from '@valuepulse/kafka';
import { describe, expect, it } from 'vitest';
import { createAckedProducer, type OutMessage } from './acked-producer.js';

type Send = { topicMessages: { topic: string; messages: unknown[] }[] };

/** A stand-in producer whose sends resolve when the test says so. */
function fakeKafka() {
  const sends: { batch: Send; resolve: () => void; reject: (e: unknown) => void; producer: number }[] = [];
  let made = 0;
  const disconnected: number[] = [];
  const newProducer = () => {
    const id = ++made;
    return {
      connect: async () => undefined,
      disconnect: async () => void disconnected.push(id),
      sendBatch: (batch: Send) => new Promise<void>((resolve, reject) => sends.push({ batch, resolve, reject, producer: id })),
    } as unknown as Producer;
  };
  return { sends, newProducer, made: () => made, disconnected };
}

const logger = createLogger({ name: 'test', level: 'silent' });
const msgs = (n: number, topic = 't'): OutMessage[] => Array.from({ length: n }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from('v') }));
const tick = () => new Promise((r) => setImmediate(r));

describe('createAckedProducer', () => {
  it('keeps one send in flight and puts the requests that arrive meanwhile into the next', async () => {
    const kafka = fakeKafka();
    const producer = createAckedProducer({ newProducer: kafka.newProducer, timeoutMs: 60_000, maxBatch: 100, logger });
    const first = producer.send(msgs(2));
    await tick();
    const second = producer.send(msgs(3));
    const third = producer.send(msgs(4, 'u'));
    await tick();
    expect(kafka.sends).toHaveLength(1);
    kafka.sends[0]?.resolve();
    await first;
    await tick();
    expect(kafka.sends).toHaveLength(2);
    expect(kafka.sends[1]?.batch.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([['t', 3], ['u', 4]]);
    kafka.sends[1]?.resolve();
    await Promise.all([second, third]);
    expect(producer.healthy()).toBe(true);
  });

  it('splits a request larger than maxBatch and resolves it once every part is acknowledged', async () => {
    const kafka = fakeKafka();
    const producer = createAckedProducer({ newProducer: kafka.newProducer, timeoutMs: 60_000, maxBatch: 2, logger });
    let done = false;
    const sent = producer.send(msgs(5)).then(() => (done = true));
    for (let i = 0; i < 3; i++) {
      await tick();
      await tick();
      expect(done).toBe(false);
      kafka.sends[i]?.resolve();
    }
    await sent;
    expect(kafka.sends.map((s) => s.batch.topicMessages[0]?.messages.length)).toEqual([2, 2, 1]);
  });

  it('fails every request of a failed send as DependencyUnavailable and starts the next on a fresh producer', async () => {
    const kafka = fakeKafka();
    const producer = createAckedProducer({ newProducer: kafka.newProducer, timeoutMs: 60_000, maxBatch: 100, logger });
    const failed = producer.send(msgs(1));
    await tick();
    kafka.sends[0]?.reject(new Error('broker gone'));
    await expect(failed).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(producer.healthy()).toBe(false);
    const next = producer.send(msgs(1));
    await tick();
    await tick();
    expect(kafka.sends[1]?.producer).toBe(2);
    expect(kafka.disconnected).toEqual([1]);
    kafka.sends[1]?.resolve();
    await next;
    expect(producer.healthy()).toBe(true);
  });

  it('recovers readiness by connecting a fresh producer when no request comes to show Kafka is back', async () => {
    const kafka = fakeKafka();
    const producer = createAckedProducer({ newProducer: kafka.newProducer, timeoutMs: 60_000, maxBatch: 100, logger });
    await producer.connect();
    const failed = producer.send(msgs(1));
    await tick();
    kafka.sends[0]?.reject(new Error('broker gone'));
    await expect(failed).rejects.toThrow();
    expect(producer.healthy()).toBe(false);
    expect(await producer.recover()).toBe(true);
    expect(kafka.made()).toBe(2);
    expect(producer.healthy()).toBe(true);
  });

  it('answers DependencyUnavailable when Kafka does not acknowledge within the timeout', async () => {
    const kafka = fakeKafka();
    const producer = createAckedProducer({ newProducer: kafka.newProducer, timeoutMs: 20, maxBatch: 100, logger });
    await expect(producer.send(msgs(1))).rejects.toThrow(/no acknowledgement from Kafka within 20 ms/);
  });
});
