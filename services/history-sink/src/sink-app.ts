import { clickhouseConnection, kafkaConnection, registryConnection } from '@valuepulse/config';
import { createClickHouse } from '@valuepulse/clickhouse';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { TOPICS } from '@valuepulse/contracts';
import { ADDED_COLUMNS, HISTORY_TABLES, HISTORY_TOPICS } from '@valuepulse/history';
import { createConsumerShell, createDlqWriter, createKafka } from '@valuepulse/kafka';
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
  const dlqTopic = `${config.topicPrefix}${TOPICS.dlq}`;
  const dlq = createDlqWriter({ producer, topic: dlqTopic, logger: logger.child({ component: 'dlq' }) });
  let batcher: Batcher | undefined;
  const metrics = createSinkMetrics(ctx.metrics, () => {
    const s = batcher?.stats();
    return { bufferedRows: s?.bufferedRows ?? 0, bufferedBytes: s?.bufferedBytes ?? 0, peakRows: s?.peakRows ?? 0, peakBytes: s?.peakBytes ?? 0 };
  });
  const consumer = createConsumerShell({
    onFatal: (err) => ctx.fail(err),
    kafka, topics, dlq, dlqTopic, logger,
    groupId: config.groupId,
    missingTopicsFix: '`npx valuepulse topics` and `npx valuepulse schemas`',
    // offsets are committed by the batcher once ClickHouse has the rows, never by the shell
    commit: 'manual',
    maxBytesPerPartition: config.fetchBytesPerPartition,
    // also how long the consumer idles between fetches while every partition is paused: resume quickly
    maxWaitTimeInMs: 500,
    onDeadLetter: (failure) => metrics.dlq.inc({ code: failure.code }),
    onLag: (topic, partition, lag) => metrics.lag.set({ topic: topic.slice(config.topicPrefix.length), partition: String(partition) }, lag),
    // the group (re)assigned partitions and fetching starts again from the committed
    // offsets: what waits unwritten would be delivered twice, or belongs to another member now
    onAssignment: () => batcher?.discardPending(),
  });

  // aborted when a graceful stop runs out of time: a retrying insert gives up, its offsets stay uncommitted
  const giveUp = new AbortController();
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
        await consumer.commit(offsets);
      } catch (err) {
        metrics.commitFailures.inc();
        throw err;
      }
    },
    onPressure(full) {
      metrics.paused.set(full ? 1 : 0);
      if (full) {
        consumer.pause();
        batcherLog.warn({ maxRows: config.maxBufferedRows, maxBytes: config.maxBufferedBytes }, 'buffer full: fetching paused until ClickHouse takes the rows');
      } else {
        consumer.resume();
        batcherLog.info('buffer drained: fetching resumed');
      }
    },
  });

  const handleBatch = createBatchHandler({ codec, batcher, metrics, topicPrefix: config.topicPrefix, settle: consumer.settle });

  return {
    async start() {
      await assertHistoryTables(clickhouse, config.clickhouseUrl, config.clickhouseDatabase, HISTORY_TABLES, ADDED_COLUMNS);
      await producer.connect();
      await consumer.start(handleBatch);
    },
    async stop() {
      const timer = setTimeout(() => giveUp.abort(new Error('history-sink: out of time to flush')), Math.max(config.shutdownTimeoutMs - 5_000, config.shutdownTimeoutMs / 2));
      try {
        // still a member while flushing: the final commit goes through
        await consumer.stop(async () => batcher?.flushAll());
      } finally {
        clearTimeout(timer);
        await producer.disconnect();
        await clickhouse.close();
      }
    },
    ready: () => consumer.ready(),
  };
}
