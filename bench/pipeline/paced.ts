import type { Simulation } from '@valuepulse/simulation';
import { quantile } from '../common/stats.js';
import { cpuShares, readCpu, type CpuShares } from './cpu.js';
import type { Probe } from './probes.js';
import { groupProgress } from '../common/offsets.js';
import type { PipelineContext } from './saturation.js';
import { produceScenario, type ProduceResult } from './scenario-producer.js';

const POLL_MS = 250;

export interface PacedResult {
  targetRate: number;
  produced: ProduceResult;
  /** Input records not yet committed by the scorer, sampled every 250 ms while producing. */
  scorerLag: { p50: number; p99: number; max: number; samples: number };
  /** After the last paced event: until the scorer, then the sink, had committed everything. */
  scorerCaughtUpAfterSeconds: number;
  sinkCaughtUpAfterSeconds: number;
  /** Rows the sink had acknowledged over the production window ÷ its length. */
  sinkRowsPerSecond: number;
  /** Cores busy while producing. */
  cpu: CpuShares;
  probes: Probe[];
  probeIntervalMs: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Steady load: a second scenario (accounts of its own, `live-…`) produced at
 * `rate` events/s for `seconds` while scorer and sink run live; a probe every
 * `seconds ÷ probes`, spread over the window. Then waits until both caught up.
 */
export async function runPaced(ctx: PipelineContext, opts: { simulation: Simulation; rate: number; seconds: number; probeIds: readonly string[]; timeoutMs: number }): Promise<PacedResult> {
  const { sandbox, probes } = ctx;
  const interval = (opts.seconds * 1000) / opts.probeIds.length;
  const firstProbe = probes.sent.length;
  const rows0 = await ctx.sink.metric('valuepulse_sink_rows_inserted_total');
  const cpu0 = readCpu(ctx.cpuParts);
  const began = performance.now();
  let producing = true;
  const production = produceScenario(sandbox, opts.simulation, { accountPrefix: 'live-', rate: opts.rate, maxMs: opts.seconds * 1000, stopped: ctx.interrupted }).finally(() => {
    producing = false;
  });
  production.catch(() => undefined);

  const lags: number[] = [];
  let next = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let lastPoll = -Infinity;
  let lastReport = began;
  while (producing) {
    if (ctx.interrupted()) throw new Error('interrupted');
    const t = performance.now();
    if (next < opts.probeIds.length && t - began >= (next + 0.5) * interval) {
      const lag = lags.at(-1) ?? 0;
      const id = opts.probeIds[next++] as string;
      inFlight = inFlight.then(() => probes.send(id, lag));
    }
    if (t - lastPoll >= POLL_MS) {
      lastPoll = t;
      const s = await groupProgress(sandbox.admin, ctx.scorerGroup, sandbox.inputTopics);
      lags.push(s.end - s.committed);
    }
    if (t - lastReport > 5000) {
      lastReport = t;
      ctx.log(`paced: ${Math.round((t - began) / 1000)} s, scorer lag ${lags.at(-1)} records, ${probes.sent.length - firstProbe} probes`);
    }
    await sleep(20);
  }
  const produced = await production;
  await inFlight;
  const cpu1 = readCpu(ctx.cpuParts);
  const rows1 = await ctx.sink.metric('valuepulse_sink_rows_inserted_total');
  const ended = performance.now();

  const caughtUp = async (group: string, topics: readonly string[]) => {
    for (;;) {
      if (ctx.interrupted()) throw new Error('interrupted');
      if (performance.now() - ended > opts.timeoutMs) throw new Error(`group ${group} did not catch up within ${opts.timeoutMs / 1000} s of the paced phase`);
      const p = await groupProgress(sandbox.admin, group, topics);
      if (p.committed >= p.end) return (performance.now() - ended) / 1000;
      await sleep(100);
    }
  };
  const scorerCaughtUpAfterSeconds = await caughtUp(ctx.scorerGroup, sandbox.inputTopics);
  const sinkCaughtUpAfterSeconds = await caughtUp(ctx.sinkGroup, ctx.sinkTopics);

  return {
    targetRate: opts.rate,
    produced,
    scorerLag: { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.length ? Math.max(...lags) : Number.NaN, samples: lags.length },
    scorerCaughtUpAfterSeconds,
    sinkCaughtUpAfterSeconds,
    sinkRowsPerSecond: (rows1 - rows0) / ((ended - began) / 1000),
    cpu: cpuShares(cpu0, cpu1, ctx.cores),
    probes: probes.sent.slice(firstProbe),
    probeIntervalMs: interval,
  };
}
