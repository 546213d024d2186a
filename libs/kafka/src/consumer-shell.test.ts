import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { createLogger } from '@valuepulse/log';
import type { ConsumerBatch } from './consumer-batch.js';
import { createConsumerShell, type ConsumerShellOptions } from './consumer-shell.js';

// The shell's own logic against a fake client; the real broker runs it in the
// history-sink and health-scorer integration tests.

const logger = createLogger({ name: 'consumer-shell-test', level: 'silent' });
const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' } as const;

function fakeKafka(existing: string[]) {
  const log: string[] = [];
  const listeners = new Map<string, (e: { payload: Record<string, unknown> }) => void>();
  let runConfig: { eachBatch: (p: EachBatchPayload) => Promise<void> } & Record<string, unknown> = { eachBatch: async () => undefined };
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (e: { payload: Record<string, unknown> }) => void) => void listeners.set(event, listener),
    connect: async () => void log.push('connect'),
    subscribe: async (s: { topics: string[]; fromBeginning: boolean }) => void log.push(`subscribe ${s.topics.join(',')} fromBeginning=${s.fromBeginning}`),
    run: async (config: typeof runConfig) => {
      runConfig = config;
      log.push('run');
    },
    pause: (topics: { topic: string }[]) => void log.push(`pause ${topics.map((t) => t.topic).join(',')}`),
    resume: (topics: { topic: string }[]) => void log.push(`resume ${topics.map((t) => t.topic).join(',')}`),
    commitOffsets: async (offsets: unknown[]) => void log.push(`commit ${JSON.stringify(offsets)}`),
    disconnect: async () => void log.push('disconnect'),
  };
  const admin = { connect: async () => undefined, disconnect: async () => undefined, listTopics: async () => existing };
  let consumerConfig: Record<string, unknown> = {};
  const kafka = {
    consumer: (config: Record<string, unknown>) => {
      consumerConfig = config;
      return consumer;
    },
    admin: () => admin,
  } as unknown as Kafka;
  const emit = (event: string, payload: Record<string, unknown>) => listeners.get(event)?.({ payload });
  const join = (assignment: Record<string, number[]> = { in1: [0] }) => emit(EVENTS.GROUP_JOIN, { memberAssignment: assignment });
  /** Hands a fetched batch to the shell as the client would; resolves when the handler is done. */
  const deliver = (offsets: string[], topic = 'in1', partition = 0) =>
    runConfig.eachBatch({
      batch: { topic, partition, highWatermark: '100', messages: offsets.map((offset) => ({ key: null, value: null, offset, timestamp: '0', attributes: 0 })) },
      resolveOffset: (offset: string) => void log.push(`resolve ${offset}`),
      commitOffsetsIfNecessary: async () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
      pause: () => () => undefined,
    } as unknown as EachBatchPayload);
  return { kafka, log, emit, join, deliver, runConfig: () => runConfig, consumerConfig: () => consumerConfig };
}

function shellOf(fake: ReturnType<typeof fakeKafka>, extra: Partial<ConsumerShellOptions> = {}) {
  return createConsumerShell({
    kafka: fake.kafka,
    groupId: 'g1',
    topics: ['in1', 'in2'],
    dlq: { send: async () => undefined },
    dlqTopic: 'dlq',
    commit: 'after-batch',
    logger,
    ...extra,
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createConsumerShell', () => {
  it('refuses to start, naming every missing topic and the fix, before joining the group', async () => {
    const fake = fakeKafka(['in1', 'dlq']);
    const shell = shellOf(fake, { outputTopics: ['out'], missingTopicsFix: '`make topics`' });
    await expect(shell.start(async () => undefined)).rejects.toMatchObject({
      code: 'TOPICS_MISSING',
      message: 'topic in2, out does not exist: run `make topics` (or check KAFKA_BROKERS)',
    });
    expect(fake.log).toEqual([]);
  });

  it('subscribes from the beginning and runs with the commit policy asked for, resolving offsets by hand', async () => {
    const after = fakeKafka(['in1', 'in2', 'dlq']);
    await shellOf(after, { maxBytesPerPartition: 4096, maxWaitTimeInMs: 100, partitionsConsumedConcurrently: 3 }).start(async () => undefined);
    expect(after.log).toEqual(['connect', 'subscribe in1,in2 fromBeginning=true', 'run']);
    expect(after.runConfig()).toMatchObject({ autoCommit: true, autoCommitThreshold: 1, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3 });
    expect(after.consumerConfig()).toMatchObject({ groupId: 'g1', maxBytesPerPartition: 4096, maxWaitTimeInMs: 100 });

    const manual = fakeKafka(['in1', 'in2', 'dlq']);
    await shellOf(manual, { commit: 'manual' }).start(async () => undefined);
    expect(manual.runConfig()).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1 });
    expect(manual.runConfig()).not.toHaveProperty('autoCommitThreshold');
  });

  it('is ready once joined, not after a crash, again after a rejoin, and not once stopped', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const shell = shellOf(fake);
    await shell.start(async () => undefined);
    expect(shell.ready()).toBe(false);
    fake.join();
    expect(shell.ready()).toBe(true);
    fake.emit(EVENTS.CRASH, { error: new Error('broker gone'), restart: true });
    expect(shell.ready()).toBe(false);
    fake.join();
    expect(shell.ready()).toBe(true);
    await shell.stop();
    expect(shell.ready()).toBe(false);
  });

  it('calls onFatal when kafkajs will not restart the consumer, not for a crash it restarts nor once stopping', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const fatal: Error[] = [];
    const shell = shellOf(fake, { onFatal: (err) => void fatal.push(err) });
    await shell.start(async () => undefined);
    fake.join();
    fake.emit(EVENTS.CRASH, { error: new Error('broker gone'), restart: true });
    expect(fatal).toEqual([]);
    const denied = new Error('Not authorized to access topics');
    fake.emit(EVENTS.CRASH, { error: denied, restart: false });
    expect(fatal).toEqual([denied]);
    await shell.stop();
    fake.emit(EVENTS.CRASH, { error: new Error('after stop'), restart: false });
    expect(fatal).toEqual([denied]);
  });

  it('reports every assignment, and a batch fetched before a rejoin as stale', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const assignments: Record<string, number[]>[] = [];
    const shell = shellOf(fake, { onAssignment: (a) => void assignments.push(a) });
    const inHand = deferred();
    const seen: boolean[] = [];
    await shell.start(async (b) => {
      seen.push(b.isStale());
      await inHand.promise;
      seen.push(b.isStale());
    });
    fake.join({ in1: [0, 1] });
    const handling = fake.deliver(['5']);
    fake.join({ in1: [1], in2: [0] });
    inHand.resolve();
    await handling;
    expect(assignments).toEqual([{ in1: [0, 1] }, { in1: [1], in2: [0] }]);
    expect(seen).toEqual([false, true]);
  });

  it('reports the lag left behind each resolved offset', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const lags: [string, number, number][] = [];
    const shell = shellOf(fake, { onLag: (topic, partition, lag) => void lags.push([topic, partition, lag]) });
    await shell.start(async (b) => {
      b.resolveOffset('10');
      b.resolveOffset('99');
    });
    await fake.deliver(['10', '99'], 'in2', 4);
    expect(fake.log.filter((l) => l.startsWith('resolve'))).toEqual(['resolve 10', 'resolve 99']);
    expect(lags).toEqual([['in2', 4, 89], ['in2', 4, 0]]);
  });

  it('pauses and resumes every topic for backpressure, and commits what it is given', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const shell = shellOf(fake);
    shell.pause();
    shell.resume();
    await shell.commit([{ topic: 'in1', partition: 2, offset: '8' }]);
    expect(fake.log).toEqual(['pause in1,in2', 'resume in1,in2', 'commit [{"topic":"in1","partition":2,"offset":"8"}]']);
  });

  it('stops in order: stop fetching, finish the batch in hand, flush, then leave (which commits)', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const shell = shellOf(fake);
    const inHand = deferred();
    let batch: ConsumerBatch | undefined;
    await shell.start(async (b) => {
      batch = b;
      fake.log.push('handling');
      await inHand.promise;
      b.resolveOffset(b.batch.messages.at(-1)?.offset ?? '');
      fake.log.push('handled');
    });
    fake.join();
    const handling = fake.deliver(['1', '2']);
    expect(batch?.isRunning()).toBe(true);
    const stopped = shell.stop(async () => void fake.log.push('flush'));
    await new Promise((resolve) => setImmediate(resolve));
    // the batch in hand is not cut short, and nothing is flushed before it is done
    expect(fake.log.slice(-2)).toEqual(['handling', 'pause in1,in2']);
    expect(batch?.isRunning()).toBe(false);
    inHand.resolve();
    await Promise.all([handling, stopped]);
    expect(fake.log.slice(-5)).toEqual(['pause in1,in2', 'resolve 2', 'handled', 'flush', 'disconnect']);
  });

  it('leaves the group even when the flush fails, and stops once however often it is asked', async () => {
    const fake = fakeKafka(['in1', 'in2', 'dlq']);
    const shell = shellOf(fake);
    await shell.start(async () => undefined);
    const failure = new Error('ClickHouse gave up');
    const first = shell.stop(async () => Promise.reject(failure));
    const second = shell.stop(async () => void fake.log.push('second flush'));
    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    expect(fake.log.slice(3)).toEqual(['pause in1,in2', 'disconnect']);
  });

  it('after a failed start, stopping only disconnects', async () => {
    const fake = fakeKafka([]);
    const shell = shellOf(fake);
    await expect(shell.start(async () => undefined)).rejects.toMatchObject({ code: 'TOPICS_MISSING' });
    let flushed = false;
    await shell.stop(async () => void (flushed = true));
    expect(flushed).toBe(false);
    expect(fake.log).toEqual(['disconnect']);
  });
});
