import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@valuepulse/log';
import { assertTopicsExist } from './assert-topics.js';
import type { BatchHandler, ConsumerBatch, TopicPartitionOffset } from './consumer-batch.js';
import type { DlqFailure } from './dlq.js';
import type { DlqWriter } from './dlq-writer.js';
import { createSettleStep, type SettleResults } from './record-result.js';

/** Options of {@link createConsumerShell}. */
export interface ConsumerShellOptions {
  kafka: Kafka;
  groupId: string;
  /** The topics to consume (full names, prefix included). */
  topics: readonly string[];
  /** Topics the service writes to, checked at start like `topics` (the DLQ topic is added). */
  outputTopics?: readonly string[];
  /** What to run when a topic is missing (default "`npx valuepulse topics`"). */
  missingTopicsFix?: string;
  dlq: DlqWriter;
  /** The topic `dlq` writes to: checked at start. */
  dlqTopic: string;
  /** Called once per record written to the DLQ by {@link ConsumerShell.settle}. */
  onDeadLetter?: (failure: DlqFailure, topic: string) => void;
  /**
   * `after-batch`: offsets a handler resolved are committed after every batch
   * (and on stop). `manual`: never by the shell; the service commits with
   * {@link ConsumerShell.commit} once its output is durable.
   */
  commit: 'after-batch' | 'manual';
  /** Upper bound of one fetch per partition, bytes. */
  maxBytesPerPartition?: number;
  /** How long a fetch waits for data; also how long the consumer idles between fetches while everything is paused. */
  maxWaitTimeInMs?: number;
  /** Batches of different partitions handled at once (default 1). */
  partitionsConsumedConcurrently?: number;
  /** Called on every group (re)join with the partitions now assigned, by topic, before any batch of the new assignment. */
  onAssignment?: (assignment: Record<string, number[]>) => void;
  /**
   * The consumer crashed on an error kafkajs does not retry and will not
   * restart (retriable ones restart it after its backoff): nothing is consumed
   * any more. Services pass their `ctx.fail`, so the process exits 1.
   */
  onFatal?: (err: Error) => void;
  /** Called after every resolved offset: records left behind it on that partition (high watermark − 1 − offset). */
  onLag?: (topic: string, partition: number, lag: number) => void;
  logger: Logger;
}

/** A consumer group member that hands fetched batches to one handler; see {@link createConsumerShell}. */
export interface ConsumerShell {
  /**
   * Checks that the topics exist, joins the group and starts handing every
   * fetched batch to `handler`. Resolves once consuming has started.
   *
   * @throws ValuepulseError `TOPICS_MISSING` naming the fix; the client's
   *   error when the brokers cannot be reached.
   */
  start(handler: BatchHandler): Promise<void>;
  /**
   * Leaves in order: stop fetching, let the batches in hand finish, `flush`
   * (the service writes and commits what it buffered, while still a member),
   * commit the resolved offsets, leave the group. Idempotent; safe after a
   * failed or partial start.
   */
  stop(flush?: () => Promise<void>): Promise<void>;
  /** Joined and not crashed since: partitions are assigned and being consumed. */
  ready(): boolean;
  /** Stops fetching every topic (backpressure); batches already fetched are still handed over. */
  pause(): void;
  /** Fetches again after {@link ConsumerShell.pause}. */
  resume(): void;
  /** Commits `offsets` (next offset to read per partition) for the group; rejects when the group is rebalancing. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Sends a batch's `dlq` results to the DLQ, then resolves its last offset (see {@link SettleResults}). */
  settle: SettleResults;
}

/**
 * Creates the one consumer loop every valuepulse consumer runs on: the
 * client's settings, topic checks, readiness from group join and crash,
 * rebalance callbacks, backpressure, the lag hook and the stop order live
 * here, and handlers see only {@link ConsumerBatch}.
 *
 * A batch fetched before the latest group join reports `isStale()`; once
 * `stop` begins, `isRunning()` is false.
 *
 * @returns a {@link ConsumerShell}; nothing connects until `start`. Never throws.
 */
export function createConsumerShell(options: ConsumerShellOptions): ConsumerShell {
  const { kafka, topics, logger } = options;
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    ...(options.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
    ...(options.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: options.maxWaitTimeInMs } : {}),
  });
  const all = topics.map((topic) => ({ topic }));
  let generation = 0;
  let joined = false;
  let running = false;
  let stopping: Promise<void> | undefined;
  let inHand = 0;
  let idle: (() => void) | undefined;

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    generation += 1;
    joined = true;
    logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    options.onAssignment?.(e.payload.memberAssignment);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    if (!e.payload.restart && stopping === undefined) options.onFatal?.(e.payload.error);
  });

  function view(payload: EachBatchPayload): ConsumerBatch {
    const { batch } = payload;
    const fetchedIn = generation;
    return {
      batch: { topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark, messages: batch.messages },
      resolveOffset(offset) {
        payload.resolveOffset(offset);
        options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - 1 - Number(offset)));
      },
      commitOffsetsIfNecessary: () => payload.commitOffsetsIfNecessary(),
      heartbeat: () => payload.heartbeat(),
      isRunning: () => stopping === undefined && payload.isRunning(),
      isStale: () => fetchedIn !== generation || payload.isStale(),
      pause: () => payload.pause(),
    };
  }

  async function eachBatch(handler: BatchHandler, payload: EachBatchPayload): Promise<void> {
    inHand += 1;
    try {
      await handler(view(payload));
    } finally {
      inHand -= 1;
      if (inHand === 0) idle?.();
    }
  }

  async function leave(flush?: () => Promise<void>): Promise<void> {
    try {
      if (running) {
        consumer.pause(all);
        if (inHand > 0) await new Promise<void>((resolve) => (idle = resolve));
        await flush?.();
      }
    } finally {
      // kafkajs commits what was resolved (after-batch), then leaves the group
      await consumer.disconnect();
      joined = false;
      running = false;
    }
  }

  return {
    async start(handler) {
      await assertTopicsExist(kafka, [...topics, ...(options.outputTopics ?? []), options.dlqTopic], options.missingTopicsFix);
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        autoCommit: options.commit === 'after-batch',
        // commit after every fully processed batch: offsets are resolved only once it is done
        ...(options.commit === 'after-batch' ? { autoCommitThreshold: 1 } : {}),
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => eachBatch(handler, payload),
      });
      running = true;
    },
    stop(flush) {
      stopping ??= leave(flush);
      return stopping;
    },
    ready: () => joined,
    pause: () => consumer.pause(all),
    resume: () => consumer.resume(all),
    commit: (offsets) => consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }))),
    settle: createSettleStep({ dlq: options.dlq, ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}) }),
  };
}
