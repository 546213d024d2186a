// `npm run bench:backtest [-- --accounts N --days N --seed N --scorer-accounts N --no-scorer]`
//
// Speed of `valuepulse backtest` (JSON Lines files → validated events →
// in-memory replay through libs/scoring on the event clock), next to what
// bounds it, measured in the same run: reading and validating the same files
// alone (the decode ceiling), and the real health-scorer on the event clock
// (Kafka + Redis) on the first accounts of the same scenario. A script that
// prints figures, not a test: nothing here asserts on time. The scorer part
// needs the stack up; --no-scorer leaves it out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBacktest, lastOfPartition, readJsonlDir } from '@valuepulse/cli';
import { TOPICS } from '@valuepulse/contracts';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { createSimulation, type Simulation } from '@valuepulse/simulation';
import { testEndpoints } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { endOffsets } from './common/offsets.js';
import { int, markdownReport, runInfo, textTable, verdict, type Row, type RunInfo, type Verdict } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox, produceAll } from './common/sandbox.js';
import { machineBusy, machineTicks } from './common/stats.js';
import { benchScorerConfig, measureScorer } from './scorer/scorer-run.js';

const SCRIPT = 'bench:backtest';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
/** Issue 14: a year of 10,000 accounts well under an hour on 2 cores. */
const GOAL_EVENTS_PER_SECOND = 100_000;
const PARTITIONS = 6;

const flags = parseFlags(SCRIPT, {
  accounts: { type: 'count', default: 100 },
  days: { type: 'count', default: 120 },
  seed: { type: 'count', default: 1 },
  'scorer-accounts': { type: 'count', default: 10 },
  'no-scorer': { type: 'boolean' },
});

interface Measured {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Cores busy over the whole machine while it ran (of `cores`). */
  machineCores: number;
}

interface BacktestBenchResult extends RunInfo {
  bench: 'backtest';
  workload: { accounts: number; days: number; seed: number; events: number; byTopic: Record<string, number>; writeSeconds: number };
  decode: Measured;
  backtest: Measured & { evaluations: number; alerts: number; evaluationsPerEvent: number };
  backtestTwoThreads: Measured;
  backtestTwoConfigs: Measured;
  scorer: { accounts: number; events: number; eventsPerSecond: number; seconds: number; backtestEventsPerSecond: number } | null;
  verdicts: { eventsPerSecond: Verdict };
}

async function measure(events: number, body: () => unknown): Promise<Measured> {
  const ticks = machineTicks();
  const t = performance.now();
  await body();
  const seconds = (performance.now() - t) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds, machineCores: machineBusy(ticks, machineTicks()) * cpus().length };
}

/** The scenario as `valuepulse simulate --out` writes it (accounts filtered by `keep`); returns the event count per topic. */
function writeScenario(sim: Simulation, dir: string, keep: (accountId: string) => boolean): Record<string, number> {
  const lines: Record<string, string[]> = { [TOPICS.usageEvents]: [], [TOPICS.supportEvents]: [], [TOPICS.accountEvents]: [] };
  for (const day of sim.days()) {
    for (const [topic, events] of [[TOPICS.usageEvents, day.usage], [TOPICS.supportEvents, day.support], [TOPICS.accountEvents, day.account]] as const) {
      for (const e of events) if (keep(e.account_id)) (lines[topic] as string[]).push(JSON.stringify(e));
    }
  }
  for (const [topic, list] of Object.entries(lines)) writeFileSync(join(dir, `${topic}.jsonl`), list.length > 0 ? `${list.join('\n')}\n` : '');
  return Object.fromEntries(Object.entries(lines).map(([t, l]) => [t, l.length]));
}

async function replayDir(dir: string, configs: number, threads = 1): Promise<{ evaluations: number; alerts: number }> {
  const last = lastOfPartition(dir, PARTITIONS);
  const runs = [{ name: 'baseline', config: DEFAULT_SCORING_CONFIG }, { name: 'candidate', config: { ...DEFAULT_SCORING_CONFIG, model_version: 'v0.0.0-bench' } }].slice(0, configs);
  const backtest = createBacktest(runs, { drainsSource: (input) => last.records.has(input), threads });
  for (const input of readJsonlDir(dir, { lastOfPartition: last })) backtest.push(input);
  const result = await backtest.end();
  const first = result.configs[0];
  return { evaluations: first?.evaluations ?? 0, alerts: first?.alerts.length ?? 0 };
}

async function main(): Promise<number> {
  const endsAt = Date.UTC(2026, 10, 30);
  const sim = createSimulation({ seed: flags.seed, accounts: flags.accounts, days: flags.days, endsAt });
  const dir = mkdtempSync(join(tmpdir(), 'vp-bench-backtest-'));
  try {
    let t = performance.now();
    const byTopic = writeScenario(sim, dir, () => true);
    const events = Object.values(byTopic).reduce((a, b) => a + b, 0);
    const writeSeconds = (performance.now() - t) / 1000;
    log(`scenario: ${flags.accounts} accounts × ${flags.days} days = ${events} events written in ${elapsed(t)}`);

    const decode = await measure(events, () => {
      let n = 0;
      for (const _ of readJsonlDir(dir)) n += 1;
      if (n !== events) throw new Error(`read ${n} of ${events} events`);
    });
    log(`decode: ${int(decode.eventsPerSecond)} events/s`);
    let counts = { evaluations: 0, alerts: 0 };
    const one = await measure(events, async () => (counts = await replayDir(dir, 1)));
    log(`backtest, 1 config: ${int(one.eventsPerSecond)} events/s, ${counts.evaluations} evaluations, ${counts.alerts} alerts`);
    let threaded = { evaluations: 0, alerts: 0 };
    const oneThreads = await measure(events, async () => (threaded = await replayDir(dir, 1, 2)));
    if (threaded.evaluations !== counts.evaluations || threaded.alerts !== counts.alerts) throw new Error(`2 threads gave ${threaded.evaluations} evaluations and ${threaded.alerts} alerts, 1 thread ${counts.evaluations} and ${counts.alerts}`);
    log(`backtest, 1 config, 2 threads: ${int(oneThreads.eventsPerSecond)} events/s`);
    const two = await measure(events, () => replayDir(dir, 2, 2));
    log(`backtest, 2 configs, 2 threads: ${int(two.eventsPerSecond)} events/s`);

    const scorer = flags['no-scorer'] ? null : await scorerRun(sim);
    const run = runInfo(commandLine(`npm run ${SCRIPT}`));
    const result: BacktestBenchResult = {
      bench: 'backtest',
      ...run,
      workload: { accounts: flags.accounts, days: flags.days, seed: flags.seed, events, byTopic, writeSeconds },
      decode,
      backtest: { ...one, ...counts, evaluationsPerEvent: counts.evaluations / events },
      backtestTwoThreads: oneThreads,
      backtestTwoConfigs: two,
      scorer,
      verdicts: { eventsPerSecond: verdict(Math.max(one.eventsPerSecond, oneThreads.eventsPerSecond), GOAL_EVENTS_PER_SECOND) },
    };
    publishResults(RESULTS_DIR, result, { markdown: markdown(result), table: textTable('backtest benchmark', settings(result), rows(result)) });
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real scorer, event clock, on the first `--scorer-accounts` accounts; and the backtest on the same events. */
async function scorerRun(sim: Simulation): Promise<BacktestBenchResult['scorer']> {
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) throw new Error('the stack is not up (or pass --no-scorer)');
  const ids = new Set(sim.labels.slice(0, flags['scorer-accounts']).map((l) => l.account_id));
  const dir = mkdtempSync(join(tmpdir(), 'vp-bench-backtest-scorer-'));
  try {
    const byTopic = writeScenario(sim, dir, (id) => ids.has(id));
    const events = Object.values(byTopic).reduce((a, b) => a + b, 0);
    const backtest = await measure(events, () => replayDir(dir, 1));
    const sandbox = await createSandbox(endpoints);
    return await withCleanup(() => sandbox.cleanup(), async () => {
      const all = { account: [] as { account_id: string }[], usage: [] as { account_id: string }[], support: [] as { account_id: string }[] };
      for (const day of sim.days()) {
        all.account.push(...day.account.filter((e) => ids.has(e.account_id)));
        all.usage.push(...day.usage.filter((e) => ids.has(e.account_id)));
        all.support.push(...day.support.filter((e) => ids.has(e.account_id)));
      }
      await produceAll(sandbox, sandbox.topic(TOPICS.accountEvents), all.account);
      await produceAll(sandbox, sandbox.topic(TOPICS.usageEvents), all.usage);
      await produceAll(sandbox, sandbox.topic(TOPICS.supportEvents), all.support);
      const produced = await endOffsets(sandbox.admin, sandbox.inputTopics);
      if (produced !== events) throw new Error(`produced ${produced} records, expected ${events}`);
      process.env.SCORER_CLOCK = 'event';
      const config = benchScorerConfig(sandbox);
      const t = performance.now();
      const s = await measureScorer(sandbox, config, { sampleAccounts: [...ids].slice(0, 5), days: flags.days, timeoutMs: 120_000 + events * 5, progress: log });
      log(`scorer (event clock): ${int(s.eventsPerSecond)} events/s on ${events} events (${elapsed(t)}); the backtest ${int(backtest.eventsPerSecond)} events/s on them`);
      return { accounts: ids.size, events, eventsPerSecond: s.eventsPerSecond, seconds: s.seconds, backtestEventsPerSecond: backtest.eventsPerSecond };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function settings(r: BacktestBenchResult): string {
  return `${r.workload.accounts} accounts × ${r.workload.days} days (seed ${r.workload.seed}): ${int(r.workload.events)} events in JSON Lines files, replayed as \`valuepulse backtest --from-dir\` does (validated, merged, ${PARTITIONS} partitions assumed), model ${DEFAULT_SCORING_CONFIG.model_version}`;
}

function rows(r: BacktestBenchResult): Row[] {
  const out: Row[] = [
    ['figure', 'value', 'goal', 'note'],
    ['ceiling: read + parse + validate', `${int(r.decode.eventsPerSecond)} events/s`, '', `${r.decode.seconds.toFixed(1)} s; machine ${r.decode.machineCores.toFixed(2)} cores busy`],
    ['backtest, 1 config, 1 thread', `${int(r.backtest.eventsPerSecond)} events/s`, '', `${r.backtest.seconds.toFixed(1)} s; ${(r.backtest.eventsPerSecond / r.decode.eventsPerSecond * 100).toFixed(1)} % of the ceiling; ${int(r.backtest.evaluations)} evaluations (${(r.backtest.evaluationsPerEvent * 100).toFixed(1)} per 100 events), ${int(r.backtest.alerts)} alerts; machine ${r.backtest.machineCores.toFixed(2)} cores busy`],
    ['backtest, 1 config, 2 threads', `${int(r.backtestTwoThreads.eventsPerSecond)} events/s`, `≥ ${int(GOAL_EVENTS_PER_SECOND)}: ${r.verdicts.eventsPerSecond}`, `${r.backtestTwoThreads.seconds.toFixed(1)} s; ${(r.backtestTwoThreads.eventsPerSecond / r.decode.eventsPerSecond * 100).toFixed(1)} % of the ceiling; same evaluations and alerts; machine ${r.backtestTwoThreads.machineCores.toFixed(2)} cores busy`],
    ['backtest, 2 configs (one pass), 2 threads', `${int(r.backtestTwoConfigs.eventsPerSecond)} events/s`, '', `${r.backtestTwoConfigs.seconds.toFixed(1)} s`],
  ];
  if (r.scorer) {
    out.push(['health-scorer, event clock (Kafka + Redis)', `${int(r.scorer.eventsPerSecond)} events/s`, '', `${r.scorer.accounts} accounts, ${int(r.scorer.events)} events, ${r.scorer.seconds.toFixed(1)} s; the backtest on the same events: ${int(r.scorer.backtestEventsPerSecond)} events/s (${(r.scorer.backtestEventsPerSecond / r.scorer.eventsPerSecond).toFixed(1)}×)`]);
  }
  return out;
}

function markdown(r: BacktestBenchResult): string {
  const [header, ...body] = rows(r);
  return markdownReport(r, {
    title: 'Backtest benchmark',
    settings: settings(r),
    stack: r.scorer ? 'Kafka, registry, Redis for the scorer run' : 'none: --no-scorer',
    header: header as string[],
    rows: body,
    notes: [
      'One thread: reading and the replay share a core. Two threads (`--threads 2`): the main thread reads, validates and merges, two workers replay half of the accounts each (3 threads on 2 cores). `evaluate` (libs/scoring) is most of the replay\'s time.',
      'A year of 10,000 accounts at the simulator\'s rates (57 events per account and day) is about 210 million events: its hours are events ÷ the rate ÷ 3,600.',
    ],
  });
}

runBench(SCRIPT, main);
