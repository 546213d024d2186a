import type { Sandbox } from '../common/sandbox.js';
import { cpuShares, readCpu, type CpuParts, type CpuReading, type CpuShares } from './cpu.js';
import type { createProbeSender, Probe } from './probes.js';
import { groupProgress } from '../common/offsets.js';
import type { ServiceProcess } from '../common/service-process.js';

const POLL_MS = 200;
const RAW_TABLES = ['usage_events', 'support_events', 'account_events'];

/** What the phases share: the sandbox, the two services, their groups, the probe sender. */
export interface PipelineContext {
  sandbox: Sandbox;
  scorer: ServiceProcess;
  sink: ServiceProcess;
  scorerGroup: string;
  sinkGroup: string;
  /** The topics the sink reads: the three input topics, snapshots, alerts. */
  sinkTopics: string[];
  probes: ReturnType<typeof createProbeSender>;
  cpuParts: CpuParts;
  cores: number;
  log: (line: string) => void;
  interrupted: () => boolean;
}

export interface SaturationResult {
  /** Input records waiting when the phase began (scenario + probe set-ups). */
  backlog: number;
  /** From the first poll that saw a commit to the poll that saw the group caught up. */
  scorer: { events: number; seconds: number; eventsPerSecond: number };
  /** From the first poll that saw rows acknowledged to the last poll that saw the count change. */
  sink: {
    rows: number; seconds: number; rowsPerSecond: number; rowsByTable: Record<string, number>;
    /** Until the raw tables held the whole backlog (after that the sink only follows the scorer's output); null if never seen. */
    inputDone: { seconds: number; rowsPerSecond: number } | null;
  };
  /** Sampling period of the polls that bound both windows, ms. */
  pollMs: number;
  /** Cores busy over the phase (first progress to both caught up). */
  cpu: CpuShares;
  cpuSeconds: number;
  probes: Probe[];
  probeIntervalMs: number;
  /** Probes stop once the backlog is below this: the rest of the drain is no longer saturation. */
  probesStopBelow: number;
}

interface Mark {
  t: number;
  n: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Saturation: the scorer and the sink (already running, both in their
 * groups) drain the backlog at once. Polls the scorer's committed offsets
 * and the sink's acknowledged-rows counter every 200 ms; meanwhile sends a
 * probe every `probeIntervalMs` (each behind the backlog then left on its
 * partition) until the backlog is nearly drained or the probe accounts run
 * out. Ends when the scorer committed every input offset (probes included)
 * and the sink committed every offset of its five topics.
 */
export async function runSaturation(ctx: PipelineContext, opts: { backlog: number; probeIds: readonly string[]; probeIntervalMs: number; timeoutMs: number }): Promise<SaturationResult> {
  const { sandbox, sink, probes } = ctx;
  const began = performance.now();
  const stopBelow = Math.max(1000, Math.round(opts.backlog * 0.02));
  let scorerFirst: Mark | undefined;
  let scorerDone: Mark | undefined;
  let sinkFirst: Mark | undefined;
  let sinkLast: Mark | undefined;
  let sinkInputDone: Mark | undefined;
  let cpuFirst: CpuReading | undefined;
  let probing = true;
  let inFlight = false;
  let next = 0;
  let lastProbeAt = -Infinity;
  let probeError: unknown;
  let lastReport = began;

  for (;;) {
    if (ctx.interrupted()) throw new Error('interrupted');
    if (probeError) throw probeError;
    if (performance.now() - began > opts.timeoutMs) throw new Error(`saturation did not finish in ${opts.timeoutMs / 1000} s`);
    // what was acknowledged before the offsets are read is in the end offsets read next
    const probesAcked = probes.sent.length;
    const flying = inFlight;
    const s = await groupProgress(sandbox.admin, ctx.scorerGroup, sandbox.inputTopics);
    const byTable = await sink.metricBy('valuepulse_sink_rows_inserted_total', 'table');
    const rows = Object.values(byTable).reduce((a, b) => a + b, 0);
    const t = performance.now();
    const backlog = s.end - s.committed;
    if (!scorerFirst && s.committed > 0) scorerFirst = { t, n: s.committed };
    if (!sinkFirst && rows > 0) sinkFirst = { t, n: rows };
    cpuFirst ??= scorerFirst || sinkFirst ? readCpu(ctx.cpuParts) : undefined;
    if (sinkFirst && rows !== (sinkLast ?? sinkFirst).n) sinkLast = { t, n: rows };
    if (sinkFirst && !sinkInputDone && RAW_TABLES.reduce((n, table) => n + (byTable[table] ?? 0), 0) >= opts.backlog) sinkInputDone = { t, n: rows };

    if (probing && !inFlight && t - lastProbeAt >= opts.probeIntervalMs) {
      if (next >= opts.probeIds.length || (scorerFirst && backlog < stopBelow)) {
        probing = false;
        if (next >= opts.probeIds.length && backlog >= stopBelow) ctx.log(`saturation: all ${next} probe accounts used with ${backlog} records left: the end of the drain is not probed (more with --probes)`);
      } else {
        inFlight = true;
        lastProbeAt = t;
        probes.send(opts.probeIds[next++] as string, backlog).then(
          () => void (inFlight = false),
          (err: unknown) => void (probeError = err),
        );
      }
    }
    if (!scorerDone && !probing && !flying && probesAcked === next && s.end > 0 && s.committed >= s.end) scorerDone = { t, n: s.committed };
    if (scorerDone) {
      const k = await groupProgress(sandbox.admin, ctx.sinkGroup, ctx.sinkTopics);
      if (k.committed >= k.end) break;
    }
    if (t - lastReport > 5000) {
      lastReport = t;
      ctx.log(`saturation: scorer ${s.committed} / ${s.end} input records, sink ${rows} rows, ${probes.sent.length} probes`);
    }
    await sleep(POLL_MS);
  }
  // the sink commits after ClickHouse acknowledged: a last insert may have landed since the count was read
  const finalRows = await sink.metric('valuepulse_sink_rows_inserted_total');
  const tEnd = performance.now();
  if (sinkFirst && finalRows !== (sinkLast ?? sinkFirst).n) sinkLast = { t: tEnd, n: finalRows };
  const cpuEnd = readCpu(ctx.cpuParts);
  if (!scorerFirst || !scorerDone || !sinkFirst || !sinkLast || !cpuFirst) throw new Error('saturation ended without progress from the scorer or the sink');

  const scorerSeconds = (scorerDone.t - scorerFirst.t) / 1000;
  const sinkSeconds = (sinkLast.t - sinkFirst.t) / 1000;
  return {
    backlog: opts.backlog,
    scorer: { events: scorerDone.n - scorerFirst.n, seconds: scorerSeconds, eventsPerSecond: (scorerDone.n - scorerFirst.n) / scorerSeconds },
    sink: { rows: sinkLast.n - sinkFirst.n, seconds: sinkSeconds, rowsPerSecond: (sinkLast.n - sinkFirst.n) / sinkSeconds, rowsByTable: await sink.metricBy('valuepulse_sink_rows_inserted_total', 'table'),
      inputDone: sinkInputDone ? { seconds: (sinkInputDone.t - sinkFirst.t) / 1000, rowsPerSecond: (sinkInputDone.n - sinkFirst.n) / ((sinkInputDone.t - sinkFirst.t) / 1000) } : null,
    },
    pollMs: POLL_MS,
    cpu: cpuShares(cpuFirst, cpuEnd, ctx.cores),
    cpuSeconds: (cpuEnd.at - cpuFirst.at) / 1000,
    probes: [...probes.sent],
    probeIntervalMs: opts.probeIntervalMs,
    probesStopBelow: stopBelow,
  };
}
