import { cores, int, markdownReport, ms, pct, textTable, verdict, type RunInfo, type Verdict } from '../common/report.js';
import type { CeilingResult } from './ceiling.js';
import type { PacedResult, ThroughputResult } from './load.js';

/** The goals of issue 12. */
export const GOALS = { recordsPerSecond: 20_000, ratio: 0.5, pacedP99Ms: 50 } as const;

export interface GatewayBenchResult extends RunInfo {
  bench: 'gateway';
  workload: { records: number; accounts: number; seed: number; recordsPerRequest: number; concurrency: number; avgBodyBytes: number; pacedRecordsPerRequest: number; pacedSeconds: number };
  gatewaySettings: { produceBatch: number; produceTimeoutMs: number };
  /** Cores busy over 2 s before the measurements, with nothing of the benchmark running. */
  background: number;
  ceiling: CeilingResult;
  throughput: ThroughputResult;
  ratio: number;
  paced: PacedResult;
  /** From the gateway's /metrics after the throughput run. */
  gateway: { produceSends: number; recordsPerSend: number; cpuCores: number; clientCpuCores: number };
  verdicts: { recordsPerSecond: Verdict; ratio: Verdict; pacedP99: Verdict };
}

export function verdicts(t: ThroughputResult, ratio: number, p: PacedResult): GatewayBenchResult['verdicts'] {
  return {
    recordsPerSecond: verdict(t.recordsPerSecond, GOALS.recordsPerSecond),
    ratio: verdict(ratio, GOALS.ratio),
    // lower is better: the goal is met at or below it
    pacedP99: p.latencyMs.p99 <= GOALS.pacedP99Ms && p.failed === 0 ? 'meets goal' : 'below goal',
  };
}

function rows(r: GatewayBenchResult): string[][] {
  const t = r.throughput;
  const p = r.paced;
  return [
    ['ceiling: raw kafkajs producer', `${int(r.ceiling.recordsPerSecond)} records/s`, '', `idempotent, acks=all, pre-encoded, ${int(r.ceiling.chunk)} per send; median of ${r.ceiling.passes.length} (${r.ceiling.passes.map(int).join(', ')})`],
    ['gateway: accepted end to end', `${int(t.recordsPerSecond)} records/s`, `≥ ${int(GOALS.recordsPerSecond)}`, `${r.verdicts.recordsPerSecond}: ${int(t.records)} records in ${int(t.requests)} requests of ${r.workload.recordsPerRequest}, ${t.concurrency} at a time, each answered 200 once Kafka acknowledged (${t.seconds.toFixed(2)} s)`],
    ['gateway / ceiling', pct(r.ratio), `≥ ${pct(GOALS.ratio)}`, r.verdicts.ratio],
    ['  request latency p50 / p99 (saturated)', `${ms(t.latencyMs.p50)} / ${ms(t.latencyMs.p99)} ms`, '', `max ${ms(t.latencyMs.max)} ms; ${t.failed} answers other than 200`],
    ['  Kafka sends', `${int(r.gateway.produceSends)}`, '', `${int(r.gateway.recordsPerSend)} records per send on average (requests coalesced)`],
    ['  gateway CPU', `${cores(r.gateway.cpuCores)} cores`, '', `process CPU of the gateway over the saturated run: ${(r.gateway.cpuCores / t.recordsPerSecond * 1e6).toFixed(1)} µs per record; the HTTP client (benchmark process) ${cores(r.gateway.clientCpuCores)} cores`],
    [`paced ${int(p.targetRecordsPerSecond)} records/s: p50 / p90 / p99`, `${ms(p.latencyMs.p50)} / ${ms(p.latencyMs.p90)} / ${ms(p.latencyMs.p99)} ms`, `p99 < ${GOALS.pacedP99Ms} ms`, `${r.verdicts.pacedP99}: ${int(p.requests)} requests of ${p.recordsPerRequest} over ${p.seconds.toFixed(1)} s (achieved ${int(p.achievedRecordsPerSecond)} records/s), from each request's due time; max ${ms(p.latencyMs.max)} ms, ${p.failed} not 200`],
    ['machine busy before the run (cores)', `${r.background.toFixed(2)} of ${r.machine.cores}`, '', 'over 2 s, with nothing of the benchmark running: other work skews the figures'],
  ];
}

function title(r: GatewayBenchResult): string {
  const w = r.workload;
  return `bench:gateway — ${int(w.records)} usage events over ${int(w.accounts)} accounts, POST /v1/events, seed ${w.seed}`;
}

function settings(r: GatewayBenchResult): string {
  return `gateway as its own process (valuepulse run ingest-gateway from source): GATEWAY_PRODUCE_BATCH ${int(r.gatewaySettings.produceBatch)}, GATEWAY_PRODUCE_TIMEOUT ${r.gatewaySettings.produceTimeoutMs} ms; bodies average ${int(r.workload.avgBodyBytes)} bytes (${r.workload.recordsPerRequest} records); the client (Node fetch) runs in the benchmark process on the same machine`;
}

export function consoleTable(r: GatewayBenchResult): string {
  return textTable(title(r), settings(r), rows(r));
}

export function markdown(r: GatewayBenchResult, notes: string[] = []): string {
  return markdownReport(r, { title: title(r), settings: settings(r), header: ['figure', 'value', 'goal', 'note'], rows: rows(r), notes });
}
