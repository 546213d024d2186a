import { cpus } from 'node:os';
import { createScorerApp, scorerConfigSchema, type ScorerConfig } from '@valuepulse/health-scorer';
import { loadConfig, redisEndpointEnv, registryEnv } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { createMetricsRegistry, inProcessContext, type App } from '@valuepulse/runtime';
import { createRedis } from '@valuepulse/state';
import { waitFor } from '@valuepulse/testkit';
import { metricBy, metricSum } from '../common/metrics.js';
import { caughtUp, endOffsets } from '../common/offsets.js';
import { toMonotonicMicros } from '../common/profile.js';
import { redisFootprint, type RedisFootprint } from '../common/redis-footprint.js';
import type { Sandbox } from '../common/sandbox.js';
import { machineBusy, machineTicks, mean, quantile } from '../common/stats.js';

export type { RedisFootprint };

type Registry = ReturnType<typeof createMetricsRegistry>;

export interface ScorerResult {
  events: number;
  duplicates: number;
  dlq: number;
  batches: number;
  seconds: number;
  eventsPerSecond: number;
  batchMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  recordsPerBatch: number;
  alerts: number;
  alertsBySignal: Record<string, number>;
  alertsByKind: Record<string, number>;
  snapshots: number;
  evaluations: Record<string, number>;
  /** Time spent per batch-handler stage, seconds summed over the run (when the scorer exports it). */
  stages: Record<string, number>;
  /** Time per step of evaluating accounts (batch and ticker), seconds summed over the run. */
  evaluationSteps: Record<string, number>;
  /** The measured window on the monotonic clock, µs (to cut a CPU profile to it). */
  windowMicros: [number, number];
  redis: RedisFootprint;
  /** Cores busy on average: the scorer's process, redis-server, the whole machine (of `cores`), and everything else (Kafka, registry, other work). */
  cpu: { scorerProcess: number; redis: number; machine: number; others: number };
}

/**
 * The scorer's config for pass `pass` of a run in `sandbox`: a fresh group, the sandbox's
 * topics and a Redis prefix of the pass's own; the rest from the environment. The clock is the
 * wall clock (production) unless SCORER_CLOCK says `event`: an event-clock
 * replay evaluates every account day by day (as live traffic would over those
 * days), a different figure from catching up on a backlog live.
 */
export function benchScorerConfig(sandbox: Sandbox, pass = 0): ScorerConfig {
  const { endpoints } = sandbox;
  return loadConfig(scorerConfigSchema, {
    ...process.env,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    ...registryEnv(endpoints),
    ...redisEndpointEnv(endpoints.redis),
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    TOPIC_PREFIX: sandbox.prefix,
    // every pass from the start: a group and Redis keys of its own (under the sandbox's prefix, removed with it)
    REDIS_KEY_PREFIX: pass === 0 ? sandbox.prefix : `${sandbox.prefix}p${pass}.`,
    SCORER_GROUP_ID: sandbox.group(pass === 0 ? 'vp_bench_scorer' : `vp_bench_scorer_p${pass}`),
    SCORER_CLOCK: process.env.SCORER_CLOCK ?? 'wall',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  });
}

/**
 * Runs the health-scorer in-process (configured by benchScorerConfig) and measures from the start of its first
 * batch to the end of the batch after which the group's committed offsets
 * equal the input topics' end offsets. Batch durations come from the
 * scorer's own `valuepulse_scorer_batch_seconds` timer, observed one by one.
 */
export async function measureScorer(sandbox: Sandbox, config: ScorerConfig, opts: { sampleAccounts: string[]; days: number; timeoutMs: number; progress: (line: string) => void }): Promise<ScorerResult> {
  const { groupId } = config;
  const { endpoints } = sandbox;
  const metrics = createMetricsRegistry('health-scorer');
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'valuepulse-bench' });
  const expected = await endOffsets(sandbox.admin, sandbox.inputTopics);
  let app: App | undefined;
  let stopped = () => {};
  try {
    app = await createScorerApp(config, inProcessContext({ logger: createLogger({ name: 'health-scorer-bench', level: 'error' }), metrics }));
    const started = app;
    stopped = sandbox.whileRunning(() => started.stop());
    const batches = recordBatches(metrics, redis);
    await app.start();

    let lastReport = performance.now();
    let lastAsked = 0;
    await waitFor(
      async () => {
        const counted = (await metricSum(metrics, 'valuepulse_scorer_events_total')) + (await metricSum(metrics, 'valuepulse_scorer_dlq_total'));
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          opts.progress(`scorer: ${counted} / ${expected} events`);
        }
        // the group's offsets are asked of the brokers from this process, the scorer's: every
        // 100 ms once the scorer counted every record, once a second before (a request per topic
        // every 100 ms cost the scorer ~4 % of its main thread in an event-clock replay); the
        // measured window ends with the last batch, whenever this notices it
        if (counted < expected && performance.now() - lastAsked < 1000) return false;
        lastAsked = performance.now();
        return caughtUp(sandbox.admin, groupId, sandbox.inputTopics);
      },
      { timeoutMs: opts.timeoutMs, intervalMs: 100, description: `scorer group ${groupId} committed every input offset` },
    );
    const redisCpuAtEnd = await redisCpuSeconds(redis);
    const { durations, cpuAtStart, cpuAtEnd } = batches;
    if (!cpuAtStart || !cpuAtEnd) throw new Error('the scorer caught up without timing a batch');
    const seconds = (batches.lastEnd - batches.firstStart) / 1000;
    const processCpuToEnd = { user: cpuAtEnd.process.user - cpuAtStart.process.user, system: cpuAtEnd.process.system - cpuAtStart.process.system };
    const events = await metricSum(metrics, 'valuepulse_scorer_events_total');
    const duplicates = await metricSum(metrics, 'valuepulse_scorer_duplicate_events_total');
    const dlq = await metricSum(metrics, 'valuepulse_scorer_dlq_total');
    return {
      events, duplicates, dlq,
      batches: durations.length,
      seconds,
      eventsPerSecond: (events + dlq) / seconds,
      batchMs: { p50: quantile(durations, 0.5), p90: quantile(durations, 0.9), p99: quantile(durations, 0.99), max: Math.max(...durations), mean: mean(durations) },
      recordsPerBatch: (events + dlq) / Math.max(1, durations.length),
      alerts: await metricSum(metrics, 'valuepulse_scorer_alerts_total'),
      alertsBySignal: await metricBy(metrics, 'valuepulse_scorer_alerts_total', 'signal'),
      alertsByKind: await metricBy(metrics, 'valuepulse_scorer_alerts_total', 'kind'),
      snapshots: await metricSum(metrics, 'valuepulse_scorer_snapshots_total'),
      evaluations: await metricBy(metrics, 'valuepulse_scorer_evaluations_total', 'trigger'),
      stages: await metricBy(metrics, 'valuepulse_scorer_stage_seconds_total', 'stage'),
      evaluationSteps: await metricBy(metrics, 'valuepulse_scorer_evaluation_seconds_total', 'step'),
      windowMicros: [toMonotonicMicros(batches.firstStart), toMonotonicMicros(batches.lastEnd)],
      redis: await redisFootprint(redis, config.redisKeyPrefix, opts.sampleAccounts, opts.days),
      cpu: cpuShares({
        scorerProcess: (processCpuToEnd.user + processCpuToEnd.system) / 1e6 / seconds,
        // read when caught up, a moment after the last batch: Redis is idle by then
        redis: (redisCpuAtEnd - ((await batches.redisCpuAtStart) ?? redisCpuAtEnd)) / seconds,
        machine: machineBusy(cpuAtStart.machine, cpuAtEnd.machine) * cpus().length,
      }),
    };
  } finally {
    await app?.stop();
    stopped();
    await redis.quit();
  }
}

interface CpuReading {
  process: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
}

const cpuNow = (): CpuReading => ({ process: process.cpuUsage(), machine: machineTicks() });

/**
 * Times each batch through the scorer's own batch timer (the histogram's
 * buckets, 5 ms … 5 s, are too coarse for percentiles) and reads the CPU
 * counters when the first batch starts and each batch ends, so CPU shares
 * cover exactly the measured window.
 */
function recordBatches(metrics: Registry, redis: ReturnType<typeof createRedis>) {
  const histogram = metrics.getSingleMetric('valuepulse_scorer_batch_seconds') as unknown as { startTimer: (...args: unknown[]) => (...args: unknown[]) => unknown } | undefined;
  if (!histogram) throw new Error('the scorer no longer registers valuepulse_scorer_batch_seconds');
  const out = {
    durations: [] as number[],
    firstStart: 0,
    lastEnd: 0,
    cpuAtStart: undefined as CpuReading | undefined,
    redisCpuAtStart: undefined as Promise<number> | undefined,
    cpuAtEnd: undefined as CpuReading | undefined,
  };
  const startTimer = histogram.startTimer.bind(histogram);
  histogram.startTimer = (...args: unknown[]) => {
    const started = performance.now();
    if (!out.cpuAtStart) {
      out.firstStart = started;
      out.cpuAtStart = cpuNow();
      out.redisCpuAtStart = redisCpuSeconds(redis);
    }
    const end = startTimer(...args);
    return (...endArgs: unknown[]) => {
      const value = end(...endArgs);
      out.lastEnd = performance.now();
      out.durations.push(out.lastEnd - started);
      out.cpuAtEnd = cpuNow();
      return value;
    };
  };
  return out;
}

function cpuShares(c: { scorerProcess: number; redis: number; machine: number }): ScorerResult['cpu'] {
  return { ...c, others: Math.max(0, c.machine - c.scorerProcess - c.redis) };
}

async function redisCpuSeconds(redis: ReturnType<typeof createRedis>): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}
