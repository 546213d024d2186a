import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileSummary } from '../scorer/profile.js';
import type { CeilingResult } from './ceiling.js';
import type { SinkResult } from './sink-run.js';

/** The goals of issue 5. */
export const GOALS = { rowsPerSecond: 50_000, ratio: 0.5 } as const;

export type Verdict = 'meets goal' | 'below goal';

export interface SinkBenchResult {
  bench: 'sink';
  startedAt: string;
  command: string;
  git: { commit: string; dirty: boolean };
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  workload: { rows: number; accounts: number; days: number; seed: number; partitions: number; avgValueBytes: number; avgRowBytes: number; produceSeconds: number };
  sinkSettings: { batchRows: number; batchMs: number; maxBufferedRows: number; maxBufferedBytes: number; fetchBytesPerPartition: number };
  clickhouseVersion: string;
  /** Cores busy over 2 s before the measurements, with nothing of the benchmark running. */
  background: number;
  ceiling: CeilingResult;
  sink: SinkResult;
  ratio: number;
  verdicts: { rowsPerSecond: Verdict; ratio: Verdict };
  cpuProfile?: ProfileSummary;
}

export function verdicts(sink: SinkResult, ratio: number): SinkBenchResult['verdicts'] {
  return {
    rowsPerSecond: sink.rowsPerSecond >= GOALS.rowsPerSecond ? 'meets goal' : 'below goal',
    ratio: ratio >= GOALS.ratio ? 'meets goal' : 'below goal',
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const cores = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(2));
const micros = (seconds: number) => (Number.isNaN(seconds) ? 'n/a' : (seconds * 1e6).toFixed(1));

function rows(r: SinkBenchResult): [string, string, string, string][] {
  const s = r.sink;
  return [
    ['ceiling: bare bulk INSERT', `${int(r.ceiling.rowsPerSecond)} rows/s`, '', `median of ${r.ceiling.passes.length} passes (${r.ceiling.passes.map(int).join(', ')}); the sink's ${r.ceiling.inserts} insert sizes, ${int(r.ceiling.rows / Math.max(1, r.ceiling.inserts))} rows on average`],
    ['sink: sustained into ClickHouse', `${int(s.rowsPerSecond)} rows/s`, `≥ ${int(GOALS.rowsPerSecond)}`, `${r.verdicts.rowsPerSecond} (first to last insert acknowledged: ${s.seconds.toFixed(2)} s)`],
    ['sink / ceiling', pct(r.ratio), `≥ ${pct(GOALS.ratio)}`, r.verdicts.ratio],
    ...(s.withoutLastInsert
      ? [['sink: sustained without the last insert', `${int(s.withoutLastInsert.rowsPerSecond)} rows/s`, '', `the backlog's last, partial batch waits ${r.sinkSettings.batchMs} ms (SINK_BATCH_MS) before it is written`] as [string, string, string, string]]
      : []),
    ['sink: end to end', `${int(s.endToEnd.rowsPerSecond)} rows/s`, '', `${int(s.rows)} rows in ${s.endToEnd.seconds.toFixed(2)} s from start() (group join included)`],
    ['inserts', `${int(s.inserts)}`, '', `${int(s.rowsPerInsert)} rows per insert on average`],
    ['insert latency p50 / p90 / p99', `${ms(s.insertMs.p50)} / ${ms(s.insertMs.p90)} / ${ms(s.insertMs.p99)} ms`, '', `max ${ms(s.insertMs.max)} ms`],
    ['peak buffered', `${int(s.peakBufferedRows)} rows`, '', `${(s.peakBufferedBytes / 2 ** 20).toFixed(1)} MiB of JSON; limits ${int(r.sinkSettings.maxBufferedRows)} rows, ${(r.sinkSettings.maxBufferedBytes / 2 ** 20).toFixed(0)} MiB`],
    ['DLQ', `${int(s.dlq)}`, '', ''],
    ['CPU during the sustained window (cores)', `${cores(s.cpu.machine)} of ${r.machine.cores}`, '', `sink process ${cores(s.cpu.sinkProcess)}, clickhouse-server ${cores(s.cpu.clickhouse)}, Kafka broker ${cores(s.cpu.kafka)}, everything else ${cores(s.cpu.others)} (registry, Redis, other work)`],
    ['CPU per row', `${micros(s.cpu.sinkProcess / s.rowsPerSecond)} µs sink`, '', `${micros(s.cpu.clickhouse / s.rowsPerSecond)} µs clickhouse-server (all its threads)`],
    ['machine busy before the run (cores)', `${r.background.toFixed(2)} of ${r.machine.cores}`, '', 'over 2 s, with nothing of the benchmark running: other work skews the figures'],
  ];
}

function title(r: SinkBenchResult): string {
  const w = r.workload;
  return `bench:sink — ${int(w.rows)} usage events (${w.partitions} partitions), ${int(w.accounts)} accounts over ${w.days} days, seed ${w.seed}; ClickHouse ${r.clickhouseVersion}`;
}

function settings(r: SinkBenchResult): string {
  const s = r.sinkSettings;
  return `sink: batches of ${int(s.batchRows)} rows or ${s.batchMs} ms, buffer ≤ ${int(s.maxBufferedRows)} rows / ${(s.maxBufferedBytes / 2 ** 20).toFixed(0)} MiB, fetch ${(s.fetchBytesPerPartition / 2 ** 20).toFixed(1)} MiB per partition; rows average ${int(r.workload.avgRowBytes)} bytes of JSON (values ${int(r.workload.avgValueBytes)} bytes of Avro)`;
}

export function consoleTable(r: SinkBenchResult): string {
  const table = rows(r);
  const width = table.map((row) => row.slice(0, 3).map((c) => c.length));
  const col = (i: number) => Math.max(...width.map((w) => w[i] ?? 0));
  const lines = table.map(([a, b, c, d]) => `${a.padEnd(col(0))}  ${b.padStart(col(1))}  ${c.padEnd(col(2))}  ${d}`.trimEnd());
  return [title(r), settings(r), ...lines].join('\n');
}

export function markdown(r: SinkBenchResult): string {
  const m = r.machine;
  return [
    `# ${title(r)}`,
    '',
    `Run ${r.startedAt} at ${r.git.commit}${r.git.dirty ? ' (uncommitted changes)' : ''}: \`${r.command}\`, with the whole local stack (Kafka, registry, Redis, ClickHouse) on the same machine — ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    '',
    `${settings(r)}.`,
    '',
    '| figure | value | goal | note |',
    '| --- | --- | --- | --- |',
    ...rows(r).map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
    '',
  ].join('\n');
}

/** Writes `<dir>/sink-<timestamp>.{json,md}` and returns the two paths. */
export function writeResults(dir: string, r: SinkBenchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `sink-${stamp}.json`);
  const md = join(dir, `sink-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdown(r));
  return [json, md];
}
