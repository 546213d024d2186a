import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisFootprint } from '../common/redis-footprint.js';
import type { CeilingResult } from '../scorer/ceiling.js';
import type { BenchResult } from '../scorer/report.js';
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

export interface PipelineBenchResult {
  bench: 'pipeline';
  startedAt: string;
  command: string;
  git: BenchResult['git'];
  machine: BenchResult['machine'];
  /** Cores busy over 2 s before anything of the benchmark ran, and the 1/5/15-minute load averages then. */
  background: { cores: number; loadAverage: number[] };
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

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number) => (!Number.isFinite(n) ? 'n/a' : n >= 100 ? int(n) : n.toFixed(1));
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const cores = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(2));
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
  const table = rows(r);
  const w0 = Math.max(...table.map((row) => row[0].length));
  const w1 = Math.max(...table.map((row) => row[1].length));
  return [title(r), settings(r), ...table.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`.trimEnd())].join('\n');
}

export function markdown(r: PipelineBenchResult): string {
  const m = r.machine;
  return [
    `# ${title(r)}`,
    '',
    `Run ${r.startedAt} at ${r.git.commit}${r.git.dirty ? ' (uncommitted changes)' : ''}: \`${r.command}\`, with the whole local stack (Kafka, registry, Redis, ClickHouse ${r.clickhouse.version}) on the same machine — ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    '',
    `${settings(r)}.`,
    '',
    '| figure | value | note |',
    '| --- | --- | --- |',
    ...rows(r).map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|').replace(/^ {2}/, '↳ ')).join(' | ')} |`),
    '',
    `Backlog by topic: ${byKey(r.workload.backlog.byTopic)}; average value ${int(r.workload.backlog.avgValueBytes)} bytes; produced in ${r.workload.backlog.produceSeconds.toFixed(1)} s before anything was measured. Probe accounts: ${r.workload.probeAccounts.saturation} for saturation, ${r.workload.probeAccounts.paced} for the paced phase (${r.workload.probeAccounts.setupEvents} set-up events in the backlog).`,
    '',
  ].join('\n');
}

/** Writes `<dir>/pipeline-<timestamp>.{json,md}` and returns the two paths. */
export function writeResults(dir: string, r: PipelineBenchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `pipeline-${stamp}.json`);
  const md = join(dir, `pipeline-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdown(r));
  return [json, md];
}
