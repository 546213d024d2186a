import { z } from 'zod';
import { endpointsSchema, envDurationMs, envInt, envLogLevel, envPort, envString } from '@valuepulse/config';

/**
 * The history-sink's environment. Endpoints as everywhere (CLICKHOUSE_URL,
 * CLICKHOUSE_DATABASE, …); the rest with production defaults.
 *
 * A flush starts when `SINK_BATCH_ROWS` rows wait or the oldest waiting row
 * is `SINK_BATCH_MS` old. Rows waiting plus rows being inserted never exceed
 * `SINK_MAX_BUFFERED_ROWS` / `SINK_MAX_BUFFERED_BYTES` (JSON bytes): when the
 * buffer is full the sink pauses fetching until inserts drain it, so memory
 * stays bounded while ClickHouse is down or slow.
 */
export const sinkConfigSchema = endpointsSchema.and(
  z
    .object({
      LOG_LEVEL: envLogLevel(),
      HTTP_PORT: envPort({ default: 9465, allowEphemeral: true }),
      SINK_GROUP_ID: envString({ default: 'history-sink' }),
      SINK_INSTANCE_ID: envString({ default: '' }),
      SINK_BATCH_ROWS: envInt({ min: 1, max: 1_000_000, default: 10_000 }),
      SINK_BATCH_MS: envDurationMs({ default: 1000 }),
      SINK_MAX_BUFFERED_ROWS: envInt({ min: 1, max: 10_000_000, default: 100_000 }),
      SINK_MAX_BUFFERED_BYTES: envInt({ min: 1024, max: 4 * 2 ** 30, default: 64 * 2 ** 20 }),
      SINK_FETCH_BYTES_PER_PARTITION: envInt({ min: 1024, max: 64 * 2 ** 20, default: 2 * 2 ** 20 }),
      SINK_RETRY_MAX_DELAY: envDurationMs({ default: 5000 }),
      SINK_INSERT_TIMEOUT: envDurationMs({ default: 30_000 }),
      TOPIC_PREFIX: envString({ default: '' }),
      SHUTDOWN_TIMEOUT: envDurationMs({ default: 30_000 }),
    })
    .superRefine((env, ctx) => {
      if (env.SINK_MAX_BUFFERED_ROWS < env.SINK_BATCH_ROWS) {
        ctx.addIssue({
          code: 'custom',
          path: ['SINK_MAX_BUFFERED_ROWS'],
          message: 'too small',
          params: { expected: `an integer of at least SINK_BATCH_ROWS (${env.SINK_BATCH_ROWS})` },
        });
      }
      if (env.SINK_BATCH_MS < 1) {
        ctx.addIssue({ code: 'custom', path: ['SINK_BATCH_MS'], message: 'too small', params: { expected: 'a duration of at least 1ms' } });
      }
    })
    .transform((env) => ({
      logLevel: env.LOG_LEVEL,
      httpPort: env.HTTP_PORT,
      groupId: env.SINK_GROUP_ID,
      instanceId: env.SINK_INSTANCE_ID,
      batchRows: env.SINK_BATCH_ROWS,
      batchMs: env.SINK_BATCH_MS,
      maxBufferedRows: env.SINK_MAX_BUFFERED_ROWS,
      maxBufferedBytes: env.SINK_MAX_BUFFERED_BYTES,
      fetchBytesPerPartition: env.SINK_FETCH_BYTES_PER_PARTITION,
      retryMaxDelayMs: env.SINK_RETRY_MAX_DELAY,
      insertTimeoutMs: env.SINK_INSERT_TIMEOUT,
      topicPrefix: env.TOPIC_PREFIX,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
    })),
);

export type SinkConfig = z.output<typeof sinkConfigSchema>;
