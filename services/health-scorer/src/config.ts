import { z } from 'zod';
import { endpointsSchema, envDurationMs, envEnum, envField, envInt, envLogLevel, envPort, envScoringConfigFile, envString } from '@valuepulse/config';

/**
 * The health-scorer's environment. Endpoints as everywhere; the rest with
 * production defaults. `SCORER_CLOCK=event` makes "now" the highest event
 * time seen (replays and simulations); `wall` uses the wall clock.
 * `SCORER_FETCH_BYTES_PER_PARTITION` bounds a fetched batch (default by
 * clock, see FETCH_BYTES_DEFAULT): larger batches evaluate each account less
 * often while catching up (wall clock: more events/s, longer batches); `SCORER_PARTITIONS_CONCURRENCY` > 1 handles batches of several
 * partitions at once (little gain on 2 cores, see bench/results).
 * `SCORER_BACKLOG_DEFER` (wall clock only; 0: off): catching up, while a
 * partition's fetches do not reach its end, batches leave their accounts to
 * be judged once no partition has a backlog, scheduled this far ahead in the
 * due index meanwhile.
 * `SCORER_MAX_FUTURE` (wall clock only): records stamped further ahead of
 * the wall clock go to the DLQ instead of moving an account's windows.
 * `SCORER_DEDUP_DAYS`: how long (wall clock) event ids are remembered to
 * catch redeliveries; each day costs ~10 bytes per event of a day in Redis.
 * `SCORER_CONFIG_FILE`: the scoring model's thresholds as a JSON file (the
 * shape `valuepulse backtest --config` judges); unset, the built-in model.
 */
/**
 * `SCORER_FETCH_BYTES_PER_PARTITION` when unset. Wall clock: large batches,
 * fewer evaluations per event while catching up. Event clock: a partition
 * takes one UTC day and waits for the others, and what it fetched past that
 * day is fetched (and decoded) again after the wait, so a fetch of about a
 * busy partition's day wastes least (measured in bench/results/reference-scorer.md).
 */
export const FETCH_BYTES_DEFAULT = { wall: 2 * 2 ** 20, event: 256 * 2 ** 10 } as const;

function parseFetchBytes(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1024 && value <= 64 * 2 ** 20 ? value : undefined;
}

export const scorerConfigSchema = endpointsSchema.and(
  z
    .object({
      LOG_LEVEL: envLogLevel(),
      HTTP_PORT: envPort({ default: 9464, allowEphemeral: true }),
      SCORER_GROUP_ID: envString({ default: 'health-scorer' }),
      SCORER_INSTANCE_ID: envString({ default: '' }),
      SCORER_CLOCK: envEnum(['wall', 'event'] as const, { default: 'wall' }),
      SCORER_TICK_INTERVAL: envDurationMs({ default: 1000 }),
      SCORER_TICK_BATCH: envInt({ min: 1, max: 100_000, default: 500 }),
      SCORER_LOCK_TTL: envDurationMs({ default: 30_000 }),
      SCORER_MAX_FUTURE: envDurationMs({ default: 3_600_000 }),
      SCORER_DEDUP_DAYS: envInt({ min: 1, max: 400, default: 3 }),
      SCORER_PARTITIONS_CONCURRENCY: envInt({ min: 1, max: 64, default: 1 }),
      // unset: by clock (see FETCH_BYTES_DEFAULT)
      SCORER_FETCH_BYTES_PER_PARTITION: envField<number | null>({ default: null, expected: `an integer between 1024 and ${64 * 2 ** 20}`, parse: parseFetchBytes }),
      SCORER_BACKLOG_DEFER: envDurationMs({ default: 10_000 }),
      REDIS_KEY_PREFIX: envString({ default: 'vp:' }),
      TOPIC_PREFIX: envString({ default: '' }),
      SHUTDOWN_TIMEOUT: envDurationMs({ default: 30_000 }),
      SCORER_CONFIG_FILE: envScoringConfigFile(),
    })
    .transform((env) => ({
      logLevel: env.LOG_LEVEL,
      httpPort: env.HTTP_PORT,
      groupId: env.SCORER_GROUP_ID,
      instanceId: env.SCORER_INSTANCE_ID,
      clock: env.SCORER_CLOCK,
      tickIntervalMs: env.SCORER_TICK_INTERVAL,
      tickBatch: env.SCORER_TICK_BATCH,
      lockTtlMs: env.SCORER_LOCK_TTL,
      maxFutureMs: env.SCORER_MAX_FUTURE,
      dedupDays: env.SCORER_DEDUP_DAYS,
      partitionsConcurrency: env.SCORER_PARTITIONS_CONCURRENCY,
      fetchBytesPerPartition: env.SCORER_FETCH_BYTES_PER_PARTITION ?? FETCH_BYTES_DEFAULT[env.SCORER_CLOCK],
      backlogDeferMs: env.SCORER_BACKLOG_DEFER,
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      topicPrefix: env.TOPIC_PREFIX,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
      scoring: env.SCORER_CONFIG_FILE,
    })),
);

export type ScorerConfig = z.output<typeof scorerConfigSchema>;
