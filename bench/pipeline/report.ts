import type { RedisFootprint } from '../common/redis-footprint.js';
import { cores, int, kib, markdownReport, ms, pct, textTable, type RunInfo } from '../common/report.js';
import type { Background } from '../common/run.js';
import type { CeilingResult } from '../scorer/ceiling.js';
import type { CpuShares } from './cpu.js';
import type { PacedResult } from './paced.js';
import type { LatencySummary } from './progress.js';
import type { SaturationResult } from './saturation.js';

export interface ScorerCounters {
  events: number;
  dlq: number;
  duplicates: number;
  alerts: number;
  snapshots: number;
}

export interface PipelineBenchResult extends RunInfo {
  bench: 'pipeline';
  /** Cores busy over 2 s before anything of the benchmark ran, and the 1/5/15-minute load averages then. */
  background: Background;
  workload: {
    accounts: number; days: number; seed: number; endsAt: string;
    backlog: { events: number; byTopic: Record<string, number>; avgValueBytes: number; produceSeconds: number };
    probeAccounts: { saturation: number; paced: number; setupEvents: number };
  };
  settings: { services: string; scorer: Record<string, string | number>; sink: Record<string, string | number> };
  ceiling: CeilingResult;
  saturation: SaturationResult & { latency: LatencySummary; scorerCounters: ScorerCounters; ratioToCeiling: number };
  paced: PacedResult & { latency: LatencySummary; scorerCounters: ScorerCounters };
  redis: RedisFootprint;
  clickhouse: { version: string; rowsByTable: Record<string, number> };
}

const byKey = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${int(v)}`).join(', ');

function cpuLine(c: CpuShares, total: number): [string, string] {
  const parts = Object.entries(c.parts).map(([k, v]) => `${k} ${cores(v)}`).join(', ');
  return [`${cores(c.machine)} of ${total}`, `${parts}, everything else ${cores(c.others)}`];
}

function latencyRow(label: string, l: LatencySummary, note: string): [string, string, string] {
  return [label, `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)} ms`, `${l.alerted} of ${l.probes} probes alerted${l.missing.length ? ` (MISSING: ${l.missing.slice(0, 5).join(', ')})` : ''}; min ${ms(l.min)} ms; to the alert consumed: p50 ${ms(l.consumedP50)}, p99 ${ms(l.consumedP99)} ms; ${note}`];
}

function rows(r: PipelineBenchResult): [string, string, string][] {
  const s = r.saturation;
  const p = r.paced;
  const satCpu = cpuLine(s.cpu, r.machine.cores);
  const pacedCpu = cpuLine(p.cpu, r.machine.cores);
  return [
    ['ceiling: consume + decode of the backlog', `${int(r.ceiling.recordsPerSecond)} records/s`, `median of ${r.ceiling.passes.length} passes (${r.ceiling.passes.map(int).join(', ')}), nothing else of the benchmark running`],
    ['saturation: scorer sustained', `${int(s.scorer.eventsPerSecond)} events/s`, `${int(s.scorer.events)} events in ${s.scorer.seconds.toFixed(1)} s (committed offsets polled every ${s.pollMs} ms), ${pct(s.ratioToCeiling)} of the ceiling; alerts ${int(s.scorerCounters.alerts)}, snapshots ${int(s.scorerCounters.snapshots)}, DLQ ${int(s.scorerCounters.dlq)}`],
    ['saturation: sink into ClickHouse, same time', `${int(s.sink.rowsPerSecond)} rows/s`, `${int(s.sink.rows)} rows in ${s.sink.seconds.toFixed(1)} s, into all five tables (over the whole phase: ${byKey(s.sink.rowsByTable)})`],
    ['  until the backlog was in ClickHouse', s.sink.inputDone ? `${int(s.sink.inputDone.rowsPerSecond)} rows/s` : 'n/a', s.sink.inputDone ? `the raw tables held the backlog after ${s.sink.inputDone.seconds.toFixed(1)} s; from then on the sink only follows the scorer's snapshots and alerts` : 'not observed'],
    latencyRow('latency at saturation p50 / p99 / max', s.latency, `a probe every ${int(s.probeIntervalMs)} ms while ${int(s.latency.backlogAtProbe.max)} … ${int(s.latency.backlogAtProbe.min)} input records were waiting: it queues behind the backlog on its partition, so this is backlog ÷ throughput, not processing time`),
    ['paced: produced', `${int(p.produced.eventsPerSecond)} events/s`, `target ${int(p.targetRate)}; ${int(p.produced.events)} events in ${p.produced.seconds.toFixed(1)} s`],
    latencyRow(`latency at ${int(p.targetRate)} events/s p50 / p99 / max`, p.latency, `a probe every ${int(p.probeIntervalMs)} ms`),
    ['paced: scorer lag p50 / p99 / max', `${int(p.scorerLag.p50)} / ${int(p.scorerLag.p99)} / ${int(p.scorerLag.max)} records`, `${p.scorerLag.samples} samples; caught up ${p.scorerCaughtUpAfterSeconds.toFixed(1)} s after the last event, the sink ${p.sinkCaughtUpAfterSeconds.toFixed(1)} s`],
    ['paced: sink into ClickHouse', `${int(p.sinkRowsPerSecond)} rows/s`, 'rows acknowledged over the production window (input + snapshots + alerts)'],
    [`Redis per account (${r.redis.sampled} sampled), all keys`, `${kib(r.redis.totalMean)} mean`, `max ${kib(r.redis.totalMax)}; state ${kib(r.redis.stateMean)}, dedup sets ${kib(r.redis.dedupMean)} (all ${r.workload.days} days of a fresh backlog)`],
    ['  live estimate (4 days of dedup sets)', `${kib(r.redis.liveEstimateMean)} mean`, ''],
    ['CPU at saturation (cores)', satCpu[0], `over ${s.cpuSeconds.toFixed(1)} s: ${satCpu[1]}`],
    ['CPU at the paced rate (cores)', pacedCpu[0], pacedCpu[1]],
    ['machine busy before the run (cores)', `${cores(r.background.cores)} of ${r.machine.cores}`, `over 2 s with nothing of the benchmark running; load average ${r.background.loadAverage.map((l) => l.toFixed(2)).join(' / ')}: other work skews the figures`],
    ['ClickHouse rows at the end (count(), before merges)', int(Object.values(r.clickhouse.rowsByTable).reduce((a, b) => a + b, 0)), byKey(r.clickhouse.rowsByTable)],
  ];
}

function title(r: PipelineBenchResult): string {
  const w = r.workload;
  return `bench — pipeline: ${int(w.backlog.events)}-event backlog (${w.accounts} accounts × ${w.days} days, seed ${w.seed}) drained at saturation, then ${int(r.paced.targetRate)} events/s for ${r.paced.produced.seconds.toFixed(0)} s`;
}

function settings(r: PipelineBenchResult): string {
  const fmt = (o: Record<string, string | number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${r.settings.services}; scorer: ${fmt(r.settings.scorer)}; sink: ${fmt(r.settings.sink)}`;
}

export function consoleTable(r: PipelineBenchResult): string {
  return textTable(title(r), settings(r), rows(r));
}

export function markdown(r: PipelineBenchResult): string {
  return markdownReport(r, {
    title: title(r),
    settings: settings(r),
    stack: `Kafka, registry, Redis, ClickHouse ${r.clickhouse.version}`,
    header: ['figure', 'value', 'note'],
    rows: rows(r),
    notes: [
      `Backlog by topic: ${byKey(r.workload.backlog.byTopic)}; average value ${int(r.workload.backlog.avgValueBytes)} bytes; produced in ${r.workload.backlog.produceSeconds.toFixed(1)} s before anything was measured. Probe accounts: ${r.workload.probeAccounts.saturation} for saturation, ${r.workload.probeAccounts.paced} for the paced phase (${r.workload.probeAccounts.setupEvents} set-up events in the backlog).`,
    ],
  });
}
