import type { ProfileSummary } from '../common/profile.js';
import { cores, int, markdownReport, ms, pct, textTable, verdict, type RunInfo, type Verdict } from '../common/report.js';
import type { CeilingResult } from './ceiling.js';
import type { SinkResult } from './sink-run.js';

/** The goals of issue 5. */
export const GOALS = { rowsPerSecond: 50_000, ratio: 0.5 } as const;

export interface SinkBenchResult extends RunInfo {
  bench: 'sink';
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
    rowsPerSecond: verdict(sink.rowsPerSecond, GOALS.rowsPerSecond),
    ratio: verdict(ratio, GOALS.ratio),
  };
}

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
  return textTable(title(r), settings(r), rows(r));
}

export function markdown(r: SinkBenchResult): string {
  return markdownReport(r, { title: title(r), settings: settings(r), header: ['figure', 'value', 'goal', 'note'], rows: rows(r) });
}
