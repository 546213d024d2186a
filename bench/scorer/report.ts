import type { ProfileSummary } from '../common/profile.js';
import { int, kib, markdownReport, ms, pct, textTable, verdict, type RunInfo, type Verdict } from '../common/report.js';
import type { CeilingResult } from './ceiling.js';
import type { ScorerResult } from './scorer-run.js';

/** The goals of issue 4. */
export const GOALS = { eventsPerSecond: 20_000, ratio: 0.5 } as const;

export interface BenchResult extends RunInfo {
  bench: 'scorer';
  workload: {
    events: number; accounts: number; usersPerAccount: number; days: number; seed: number;
    byTopic: { usage: number; support: number; account: number };
    avgValueBytes: number; behaviours: Record<string, number>; produceSeconds: number;
  };
  /** How the scorer (and the ceiling's consumer) ran. */
  scorerSettings: { maxBytesPerPartition: number; partitionsConsumedConcurrently: number; clock: string; tickIntervalMs: number; tickBatch: number };
  /** Cores busy over 2 s before the measurements, with nothing of the benchmark running. */
  background: number;
  ceiling: CeilingResult;
  /** The median pass of the scorer (`--passes`; the only one by default). */
  scorer: ScorerResult;
  /** With `--passes` > 1: every pass, in the order run. */
  scorerPasses?: { eventsPerSecond: number; seconds: number; alerts: number; cpuScorerProcess: number }[];
  ratio: number;
  verdicts: { eventsPerSecond: Verdict; ratio: Verdict };
  /** With `--profile` (the profiler slows the scorer: not a reference figure). */
  cpuProfile?: ProfileSummary;
}

export function verdicts(scorer: ScorerResult, ratio: number): BenchResult['verdicts'] {
  return {
    eventsPerSecond: verdict(scorer.eventsPerSecond, GOALS.eventsPerSecond),
    ratio: verdict(ratio, GOALS.ratio),
  };
}

/** Label, value, goal, verdict rows shared by the console table and the Markdown file. */
function rows(r: BenchResult): [string, string, string, string][] {
  const s = r.scorer;
  const byTrigger = Object.entries(s.evaluations).map(([k, v]) => `${k} ${int(v)}`).join(', ');
  const out: [string, string, string, string][] = [
    ['ceiling: consume + decode', `${int(r.ceiling.recordsPerSecond)} records/s`, '', `median of ${r.ceiling.passes.length} passes (${r.ceiling.passes.map(int).join(', ')}); ${r.ceiling.batches} batches`],
    ['scorer: sustained', `${int(s.eventsPerSecond)} events/s`, `≥ ${int(GOALS.eventsPerSecond)}`, `${r.verdicts.eventsPerSecond} (${int(s.events)} events in ${s.seconds.toFixed(2)} s)${r.scorerPasses ? `; median of ${r.scorerPasses.length} passes (${r.scorerPasses.map((p) => int(p.eventsPerSecond)).join(', ')}; alerts ${r.scorerPasses.map((p) => int(p.alerts)).join(', ')})` : ''}`],
    ['scorer / ceiling', pct(r.ratio), `≥ ${pct(GOALS.ratio)}`, r.verdicts.ratio],
    ['batch latency p50 / p90 / p99', `${ms(s.batchMs.p50)} / ${ms(s.batchMs.p90)} / ${ms(s.batchMs.p99)} ms`, '', `max ${ms(s.batchMs.max)} ms; ${s.batches} batches of ${int(s.recordsPerBatch)} records on average`],
    ['alerts / snapshots produced', `${int(s.alerts)} / ${int(s.snapshots)}`, '', `evaluations: ${byTrigger}; DLQ ${int(s.dlq)}, duplicates ${int(s.duplicates)}`],
    [`Redis per account (${s.redis.sampled} sampled), all keys`, `${kib(s.redis.totalMean)} mean`, '', `max ${kib(s.redis.totalMax)}`],
    ['  state (without dedup sets)', `${kib(s.redis.stateMean)} mean`, '', `max ${kib(s.redis.stateMax)}`],
    [`  dedup sets (replay: all ${r.workload.days} days live)`, `${kib(s.redis.dedupMean)} mean`, '', `max ${kib(s.redis.dedupMax)}`],
    ['  live estimate (4 days of dedup sets)', `${kib(s.redis.liveEstimateMean)} mean`, '≤ 16 KiB', ''],
    ['CPU during the scorer run (cores)', `${s.cpu.machine.toFixed(2)} of ${r.machine.cores}`, '', `scorer process ${s.cpu.scorerProcess.toFixed(2)}, redis ${s.cpu.redis.toFixed(2)}, everything else ${s.cpu.others.toFixed(2)} (Kafka, registry, other work)`],
    // CPU per event holds up better than events/s when other work takes cores: compare runs on a busy machine with it
    ['scorer CPU per event', `${((s.cpu.scorerProcess * s.seconds * 1e6) / Math.max(1, s.events + s.dlq)).toFixed(1)} µs`, '', `the scorer process's CPU over the window ÷ events; ${int((s.events + s.dlq) / Math.max(1e-9, s.cpu.scorerProcess * s.seconds))} events per CPU-second`],
    ['machine busy before the run (cores)', `${r.background.toFixed(2)} of ${r.machine.cores}`, '', 'over 2 s, with nothing of the benchmark running: other work skews the figures'],
  ];
  const stageTotal = Object.values(s.stages).reduce((sum, v) => sum + v, 0);
  if (stageTotal > 0) out.push(['batch stages', `${stageTotal.toFixed(2)} s`, '', 'summed over all batches']);
  for (const [stage, seconds] of Object.entries(s.stages).sort((a, b) => b[1] - a[1])) {
    out.push([`  ${stage}`, `${seconds.toFixed(2)} s`, '', `${pct(seconds / stageTotal)}, ${ms((seconds * 1000) / Math.max(1, s.batches))} ms per batch`]);
  }
  const stepTotal = Object.values(s.evaluationSteps).reduce((sum, v) => sum + v, 0);
  const evaluations = Object.values(s.evaluations).reduce((sum, v) => sum + v, 0);
  if (stepTotal > 0) out.push(['evaluation steps (batch + ticker)', `${stepTotal.toFixed(2)} s`, '', `${int(evaluations)} evaluations`]);
  for (const [step, seconds] of Object.entries(s.evaluationSteps).sort((a, b) => b[1] - a[1])) {
    out.push([`  ${step}`, `${seconds.toFixed(2)} s`, '', `${pct(seconds / stepTotal)}, ${((seconds * 1e6) / Math.max(1, evaluations)).toFixed(0)} µs per evaluation`]);
  }
  return out;
}

function title(r: BenchResult): string {
  const w = r.workload;
  return `bench:scorer — ${int(w.events)} events (usage ${int(w.byTopic.usage)}, support ${int(w.byTopic.support)}, account ${int(w.byTopic.account)}), ${int(w.accounts)} accounts × ${w.usersPerAccount} users over ${w.days} days, seed ${w.seed}`;
}

function settings(r: BenchResult): string {
  const s = r.scorerSettings;
  return `scorer: clock ${s.clock}, ${s.partitionsConsumedConcurrently} partition(s) at a time, fetch ${(s.maxBytesPerPartition / 2 ** 20).toFixed(1)} MiB per partition, ticker every ${s.tickIntervalMs} ms`;
}

export function consoleTable(r: BenchResult): string {
  return textTable(title(r), settings(r), rows(r));
}

export function markdown(r: BenchResult): string {
  return markdownReport(r, {
    title: title(r),
    settings: settings(r),
    header: ['figure', 'value', 'goal', 'note'],
    rows: rows(r),
    notes: [
      `Alerts by kind: ${Object.entries(r.scorer.alertsByKind).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}.`,
      `Alerts by signal: ${Object.entries(r.scorer.alertsBySignal).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}.`,
      `Workload behaviours (accounts): ${Object.entries(r.workload.behaviours).map(([k, v]) => `${k} ${v}`).join(', ')}; average value ${int(r.workload.avgValueBytes)} bytes.`,
    ],
  });
}
