import { clickhouseConnection, kafkaConnection, registryConnection } from '@valuepulse/config';
import { createClickHouse } from '@valuepulse/clickhouse';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { TOPICS } from '@valuepulse/contracts';
import { ValuepulseError } from '@valuepulse/errors';
import { ADDED_COLUMNS, HISTORY_TABLES, HISTORY_TOPICS } from '@valuepulse/history';
import { createDlqWriter, createKafka, type Kafka } from '@valuepulse/kafka';
import type { App, ServiceContext } from '@valuepulse/runtime';
import { createBatchHandler } from './batch-handler.js';
import { createBatcher, type Batcher } from './batcher.js';
import { assertHistoryTables, createClickHouseWriter } from './clickhouse-writer.js';
import type { SinkConfig } from './config.js';
import { createSinkMetrics } from './metrics.js';

/**
 * Builds the history-sink from its config: Kafka consumer and DLQ producer,
 * codec, ClickHouse client, the batcher and the batch handler. `start`
 * checks that the topics and the history tables exist, then joins the group.
 * `stop` stops buffering and fetching, writes and commits what it holds,
 * then leaves the group and closes the clients.
 */
export async function createSinkApp(config: SinkConfig, ctx: ServiceContext): Promise<App> {
  const { logger } = ctx;
  const clientId = config.instanceId ? `history-sink-${config.instanceId}` : 'history-sink';
  const topics = HISTORY_TOPICS.map((t) => `${config.topicPrefix}${t}`);
  const kafka = createKafka({ ...kafkaConnection(config), clientId, logger });
  const codec = createCodec({ registry: createRegistry(registryConnection(config)), contracts: defaultTopicContracts(config.topicPrefix) });
  const clickhouse = createClickHouse({
    ...clickhouseConnection(config),
    requestTimeoutMs: config.insertTimeoutMs,
  });
  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({
    groupId: config.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: config.fetchBytesPerPartition,
    // also how long kafkajs idles between fetches while every partition is paused: resume quickly
    maxWaitTimeInMs: 500,
  });
  const dlq = createDlqWriter({ producer, topic: `${config.topicPrefix}${TOPICS.dlq}`, logger: logger.child({ component: 'dlq' }) });

  // aborted when a graceful stop runs out of time: a retrying insert gives up, its offsets stay uncommitted
  const giveUp = new AbortController();
  let batcher: Batcher | undefined;
  const metrics = createSinkMetrics(ctx.metrics, () => {
    const s = batcher?.stats();
    return { bufferedRows: s?.bufferedRows ?? 0, bufferedBytes: s?.bufferedBytes ?? 0, peakRows: s?.peakRows ?? 0, peakBytes: s?.peakBytes ?? 0 };
  });
  const writer = createClickHouseWriter({
    client: clickhouse,
    database: config.clickhouseDatabase,
    metrics,
    logger: logger.child({ component: 'clickhouse-writer' }),
    dlq,
    retryMaxDelayMs: config.retryMaxDelayMs,
    signal: giveUp.signal,
  });
  const batcherLog = logger.child({ component: 'batcher' });
  batcher = createBatcher({
    batchRows: config.batchRows,
    batchMs: config.batchMs,
    maxRows: config.maxBufferedRows,
    maxBytes: config.maxBufferedBytes,
    logger: batcherLog,
    async write(batch) {
      const stop = metrics.flushSeconds.startTimer();
      await writer.write(batch);
      stop();
    },
    async commit(offsets) {
      try {
        await consumer.commitOffsets(offsets);
      } catch (err) {
        metrics.commitFailures.inc();
        throw err;
      }
    },
    onPressure(full) {
      metrics.paused.set(full ? 1 : 0);
      const all = topics.map((topic) => ({ topic }));
      if (full) {
        consumer.pause(all);
        batcherLog.warn({ maxRows: config.maxBufferedRows, maxBytes: config.maxBufferedBytes }, 'buffer full: fetching paused until ClickHouse takes the rows');
      } else {
        consumer.resume(all);
        batcherLog.info('buffer drained: fetching resumed');
      }
    },
  });

  let generation = 0;
  let stopping = false;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    // the group (re)assigned partitions and kafkajs fetches again from the committed
    // offsets: what waits unwritten would be delivered twice, or belongs to another member now
    generation += 1;
    batcher?.discardPending();
    joined = true;
    logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
  });

  const handleBatch = createBatchHandler({
    codec, dlq, batcher, metrics,
    topicPrefix: config.topicPrefix,
    generation: () => generation,
    stopping: () => stopping,
  });

  let running = false;
  return {
    async start() {
      await assertTopics(kafka, [...topics, `${config.topicPrefix}${TOPICS.dlq}`]);
      await assertHistoryTables(clickhouse, config.clickhouseUrl, config.clickhouseDatabase, HISTORY_TABLES, ADDED_COLUMNS);
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        // offsets are committed by the batcher once ClickHouse has the rows, never by kafkajs
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: handleBatch,
      });
      running = true;
    },
    async stop() {
      stopping = true;
      const timer = setTimeout(() => giveUp.abort(new Error('history-sink: out of time to flush')), Math.max(config.shutdownTimeoutMs - 5_000, config.shutdownTimeoutMs / 2));
      try {
        if (running) {
          consumer.pause(topics.map((topic) => ({ topic })));
          // the consumer is still a member: the final commit goes through
          await batcher?.flushAll();
        }
      } finally {
        clearTimeout(timer);
        await consumer.disconnect();
        await producer.disconnect();
        await clickhouse.close();
      }
    },
    ready: () => joined,
  };
}

/** Fails start with the fix instead of kafkajs retrying metadata for a topic that is not there. */
async function assertTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new ValuepulseError(`missing topic(s) ${missing.join(', ')}: run \`npx valuepulse topics\` and \`npx valuepulse schemas\``, { code: 'TOPICS_MISSING' });
    }
  } finally {
    await admin.disconnect();
  }
}
