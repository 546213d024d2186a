import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadConfig, registryEnv, stackDir } from '@valuepulse/config';
import { createSinkApp, sinkConfigSchema, type SinkConfig } from '@valuepulse/history-sink';
import { createLogger } from '@valuepulse/log';
import { createMetricsRegistry, inProcessContext, type App } from '@valuepulse/runtime';
import { waitFor } from '@valuepulse/testkit';
import { metricSum } from '../common/metrics.js';
import { caughtUp } from '../common/offsets.js';
import { toMonotonicMicros } from '../common/profile.js';
import type { Sandbox } from '../common/sandbox.js';
import { machineBusy, machineTicks, quantile } from '../common/stats.js';

type Registry = ReturnType<typeof createMetricsRegistry>;

export interface SinkResult {
  rows: number;
  dlq: number;
  /** Sustained: rows acknowledged after the first insert's acknowledgement, over the time to the last one. */
  seconds: number;
  rowsPerSecond: number;
  /**
   * Like `rowsPerSecond` without the last insert: the backlog's end leaves a
   * last, partial batch that waits for SINK_BATCH_MS before it is written.
   */
  withoutLastInsert: { seconds: number; rowsPerSecond: number } | null;
  /** From `start()` (joining the group included) to the last acknowledgement, all rows. */
  endToEnd: { seconds: number; rowsPerSecond: number };
  inserts: number;
  rowsPerInsert: number;
  /** Rows of each insert, in the order they were acknowledged. */
  insertSizes: number[];
  /** When each insert was acknowledged, ms after the first acknowledgement. */
  insertAckMs: number[];
  insertMs: { p50: number; p90: number; p99: number; max: number };
  peakBufferedRows: number;
  peakBufferedBytes: number;
  /** Cores busy on average over the sustained window: this process (the sink), clickhouse-server and the Kafka broker (NaN when not the stack's), the machine, the rest. */
  cpu: { sinkProcess: number; clickhouse: number; kafka: number; machine: number; others: number };
  /** The sustained window on the monotonic clock, µs (to cut a CPU profile to it). */
  windowMicros: [number, number];
}

/** The sink's config for a run in `sandbox`: its topics, a fresh group and `database`; SINK_* from the environment. */
export function benchSinkConfig(sandbox: Sandbox, database: string): SinkConfig {
  const { endpoints } = sandbox;
  return loadConfig(sinkConfigSchema, {
    ...process.env,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    ...registryEnv(endpoints),
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    CLICKHOUSE_USER: endpoints.clickhouseUser,
    CLICKHOUSE_PASSWORD: endpoints.clickhousePassword,
    CLICKHOUSE_DATABASE: database,
    TOPIC_PREFIX: sandbox.prefix,
    SINK_GROUP_ID: sandbox.group('vp_bench_sink'),
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  });
}

interface CpuReading {
  process: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
  clickhouse: number;
  kafka: number;
}

/** CPU seconds of a part of the local stack (all its threads), from /proc and the stack's pid file; NaN when it is not the stack's. */
function stackPartCpuSeconds(part: 'clickhouse' | 'kafka'): number {
  try {
    const dir = stackDir();
    if (!dir) return Number.NaN;
    const pid = readFileSync(join(dir, 'run', `${part}.pid`), 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of the whole line) in clock ticks of 1/100 s on Linux
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const cpuNow = (): CpuReading => ({ process: process.cpuUsage(), machine: machineTicks(), clickhouse: stackPartCpuSeconds('clickhouse'), kafka: stackPartCpuSeconds('kafka') });

/**
 * Times every insert through the sink's own insert timer (observed one by
 * one; the histogram's buckets are too coarse) and records the rows of each
 * acknowledged insert, with CPU readings at the first and last acknowledgement.
 */
function recordInserts(metrics: Registry) {
  type Timer = { startTimer: (...args: unknown[]) => (...args: unknown[]) => unknown };
  type Observer = { observe: (...args: unknown[]) => unknown };
  const timer = metrics.getSingleMetric('valuepulse_sink_insert_seconds') as unknown as Timer | undefined;
  const sizes = metrics.getSingleMetric('valuepulse_sink_insert_rows') as unknown as Observer | undefined;
  if (!timer || !sizes) throw new Error('the sink no longer registers valuepulse_sink_insert_seconds / _insert_rows');
  const out = { durations: [] as number[], acks: [] as number[], rows: [] as number[], firstAck: 0, lastAck: 0, cpuAtFirst: undefined as CpuReading | undefined, cpuAtLast: undefined as CpuReading | undefined };
  const startTimer = timer.startTimer.bind(timer);
  timer.startTimer = (...args: unknown[]) => {
    const started = performance.now();
    const end = startTimer(...args);
    return (...endArgs: unknown[]) => {
      const value = end(...endArgs);
      out.lastAck = performance.now();
      out.durations.push(out.lastAck - started);
      out.acks.push(out.lastAck);
      out.cpuAtLast = cpuNow();
      if (!out.cpuAtFirst) {
        out.firstAck = out.lastAck;
        out.cpuAtFirst = out.cpuAtLast;
      }
      return value;
    };
  };
  const observe = sizes.observe.bind(sizes);
  sizes.observe = (...args: unknown[]) => {
    out.rows.push(Number(args[1]));
    return observe(...args);
  };
  return out;
}

/**
 * Runs the history-sink in-process (configured by benchSinkConfig) over the
 * sandbox's topics until ClickHouse acknowledged `expectedRows` rows and the
 * group committed every offset.
 */
export async function measureSink(sandbox: Sandbox, config: SinkConfig, opts: { expectedRows: number; timeoutMs: number; progress: (line: string) => void }): Promise<SinkResult> {
  const metrics = createMetricsRegistry('history-sink');
  let app: App | undefined;
  let stopped = () => {};
  try {
    app = await createSinkApp(config, inProcessContext({ logger: createLogger({ name: 'history-sink-bench', level: 'warn' }), metrics }));
    const started = app;
    stopped = sandbox.whileRunning(() => started.stop());
    const inserts = recordInserts(metrics);
    const startedAt = performance.now();
    await app.start();
    let lastReport = performance.now();
    await waitFor(
      async () => {
        const rows = await metricSum(metrics, 'valuepulse_sink_rows_inserted_total');
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          opts.progress(`sink: ${rows} / ${opts.expectedRows} rows`);
        }
        return rows >= opts.expectedRows && caughtUp(sandbox.admin, config.groupId, [sandbox.topic('usage.events.v1')]);
      },
      { timeoutMs: opts.timeoutMs, intervalMs: 50, description: `sink wrote ${opts.expectedRows} rows and committed` },
    );
    const { cpuAtFirst, cpuAtLast } = inserts;
    if (!cpuAtFirst || !cpuAtLast) throw new Error('the sink caught up without timing an insert');
    const rows = await metricSum(metrics, 'valuepulse_sink_rows_inserted_total');
    const single = inserts.rows.length < 2;
    const seconds = (single ? inserts.lastAck - startedAt : inserts.lastAck - inserts.firstAck) / 1000;
    const sustainedRows = single ? rows : rows - (inserts.rows[0] ?? 0);
    const cores = (from: CpuReading, to: CpuReading) => ({
      sinkProcess: (to.process.user - from.process.user + to.process.system - from.process.system) / 1e6 / seconds,
      clickhouse: (to.clickhouse - from.clickhouse) / seconds,
      kafka: (to.kafka - from.kafka) / seconds,
      machine: machineBusy(from.machine, to.machine) * cpus().length,
    });
    const cpu = cores(cpuAtFirst, cpuAtLast);
    const d = inserts.durations;
    return {
      rows,
      dlq: await metricSum(metrics, 'valuepulse_sink_dlq_total'),
      seconds,
      rowsPerSecond: sustainedRows / seconds,
      withoutLastInsert: inserts.acks.length >= 3 ? steady(inserts.acks, inserts.rows) : null,
      endToEnd: { seconds: (inserts.lastAck - startedAt) / 1000, rowsPerSecond: rows / ((inserts.lastAck - startedAt) / 1000) },
      inserts: d.length,
      rowsPerInsert: rows / Math.max(1, d.length),
      insertSizes: inserts.rows,
      insertAckMs: inserts.acks.map((t) => Math.round(t - inserts.firstAck)),
      insertMs: { p50: quantile(d, 0.5), p90: quantile(d, 0.9), p99: quantile(d, 0.99), max: Math.max(...d) },
      peakBufferedRows: await metricSum(metrics, 'valuepulse_sink_buffered_rows_peak'),
      peakBufferedBytes: await metricSum(metrics, 'valuepulse_sink_buffered_bytes_peak'),
      cpu: { ...cpu, others: Math.max(0, cpu.machine - cpu.sinkProcess - (Number.isNaN(cpu.clickhouse) ? 0 : cpu.clickhouse) - (Number.isNaN(cpu.kafka) ? 0 : cpu.kafka)) },
      windowMicros: [toMonotonicMicros(inserts.firstAck), toMonotonicMicros(inserts.lastAck)],
    };
  } finally {
    await app?.stop();
    stopped();
  }
}

/** Rows acknowledged after the first insert and before the last one, over the time between their acknowledgements. */
function steady(acks: readonly number[], rows: readonly number[]): { seconds: number; rowsPerSecond: number } {
  const seconds = ((acks[acks.length - 2] ?? 0) - (acks[0] ?? 0)) / 1000;
  const between = rows.slice(1, -1).reduce((n, r) => n + r, 0);
  return { seconds, rowsPerSecond: between / seconds };
}
