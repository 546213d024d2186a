// `npm run bench:scorer [-- --events N --accounts N --users N --days N --seed N --passes N --profile]`
//
// Sustained throughput of the health-scorer against the running local stack,
// next to the raw ceiling (consume + decode, nothing else) measured in the
// same run. A script that prints figures, not a test: nothing here asserts on
// time. Needs the stack up (`bash deploy/local/stack.sh up`); creates its own
// prefixed topics, subjects, consumer groups and Redis keys and removes them.
import { resolve } from 'node:path';
import { testEndpoints } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { endOffsets } from './common/offsets.js';
import { formatSummary, startProfiler, stopProfiler, type ProfileSummary } from './common/profile.js';
import { runInfo } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, measureBackground, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox, produceAll } from './common/sandbox.js';
import { measureCeiling } from './scorer/ceiling.js';
import { consoleTable, markdown, verdicts, type BenchResult } from './scorer/report.js';
import { benchScorerConfig, measureScorer, type ScorerResult } from './scorer/scorer-run.js';
import { generateWorkload } from './scorer/workload.js';

const SCRIPT = 'bench:scorer';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const SAMPLED_ACCOUNTS = 50;
const CEILING_PASSES = 3;

const flags = parseFlags(SCRIPT, {
  events: { type: 'count', default: 200_000 },
  accounts: { type: 'count', default: 500 },
  users: { type: 'count', default: 40 },
  days: { type: 'count', default: 60 },
  seed: { type: 'count', default: 1 },
  // CPU profile of the scorer phase (the first pass): a .cpuprofile next to the results and a summary by area and function
  profile: { type: 'boolean' },
  // the scorer from the start this many times (a fresh group and Redis keys each), the median pass reported:
  // runs of the same code differ by up to a fifth, one run cannot show a change of 10 %
  passes: { type: 'count', default: 1 },
});

async function main(): Promise<number> {
  const profile = {
    events: flags.events,
    accounts: flags.accounts,
    usersPerAccount: flags.users,
    days: flags.days,
    seed: flags.seed,
    // the last day ends at today's UTC midnight: live, the backlog is recent (a wall-clock scorer refuses future events)
    endsAt: Math.floor(Date.now() / 86_400_000) * 86_400_000,
  };
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;

  let t = performance.now();
  const workload = generateWorkload(profile);
  const total = workload.account.length + workload.usage.length + workload.support.length;
  log(`generated ${total} events in ${elapsed(t)}`);

  const sandbox = await createSandbox(endpoints);
  log(`sandbox ${sandbox.prefix}`);
  return withCleanup(() => sandbox.cleanup(), async () => {
    t = performance.now();
    // contracts first, as a real customer base starts
    let bytes = await produceAll(sandbox, sandbox.topic('account.events.v1'), workload.account);
    bytes += await produceAll(sandbox, sandbox.topic('usage.events.v1'), workload.usage);
    bytes += await produceAll(sandbox, sandbox.topic('support.events.v1'), workload.support);
    const produceSeconds = (performance.now() - t) / 1000;
    const produced = await endOffsets(sandbox.admin, sandbox.inputTopics);
    if (produced !== total) throw new Error(`produced ${produced} records, expected ${total}`);
    log(`produced ${total} records (${(bytes / 2 ** 20).toFixed(1)} MiB of values) in ${produceSeconds.toFixed(1)} s`);

    const background = await measureBackground();

    // the ceiling fetches as the scorer's consumer will (SCORER_* variables apply to both)
    const config = benchScorerConfig(sandbox);
    const fetch = { maxBytesPerPartition: config.fetchBytesPerPartition, partitionsConsumedConcurrently: config.partitionsConcurrency };
    t = performance.now();
    const ceiling = await measureCeiling(sandbox, total, fetch, { passes: CEILING_PASSES, timeoutMs: 60_000 + total });
    log(`ceiling: ${Math.round(ceiling.recordsPerSecond)} records/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${elapsed(t)})`);

    t = performance.now();
    const step = Math.max(1, Math.floor(profile.accounts / SAMPLED_ACCOUNTS));
    const sampleAccounts = Array.from({ length: Math.min(SAMPLED_ACCOUNTS, profile.accounts) }, (_, i) => `acct-${String(i * step + 1).padStart(5, '0')}`);
    const profiler = flags.profile ? await startProfiler() : undefined;
    const passes: ScorerResult[] = [];
    let cpuProfile: ProfileSummary | undefined;
    const run = runInfo(commandLine(`npm run ${SCRIPT}`));
    for (let pass = 0; pass < flags.passes; pass += 1) {
      const measured = await measureScorer(sandbox, pass === 0 ? config : benchScorerConfig(sandbox, pass), { sampleAccounts, days: profile.days, timeoutMs: 60_000 + total * 3, progress: log });
      log(`scorer${flags.passes > 1 ? ` pass ${pass + 1} of ${flags.passes}` : ''}: ${Math.round(measured.eventsPerSecond)} events/s (${elapsed(t)})`);
      if (pass === 0) cpuProfile = await stopProfiler(profiler, RESULTS_DIR, { bench: 'scorer', ...run }, measured.windowMicros, log);
      passes.push(measured);
      t = performance.now();
    }
    // the median pass by events/s (the lower middle one of an even number), every figure of it
    const scorer = [...passes].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor((passes.length - 1) / 2)] as ScorerResult;

    const ratio = scorer.eventsPerSecond / ceiling.recordsPerSecond;
    const result: BenchResult = {
      bench: 'scorer',
      ...run,
      workload: {
        ...profile,
        byTopic: { usage: workload.usage.length, support: workload.support.length, account: workload.account.length },
        avgValueBytes: bytes / total,
        behaviours: workload.behaviours,
        produceSeconds,
      },
      scorerSettings: { ...fetch, clock: config.clock, tickIntervalMs: config.tickIntervalMs, tickBatch: config.tickBatch },
      background: background.cores, ceiling, scorer, ratio,
      ...(passes.length > 1 ? { scorerPasses: passes.map((p) => ({ eventsPerSecond: p.eventsPerSecond, seconds: p.seconds, alerts: p.alerts, cpuScorerProcess: p.cpu.scorerProcess })) } : {}),
      verdicts: verdicts(scorer, ratio),
      ...(cpuProfile ? { cpuProfile } : {}),
    };
    publishResults(RESULTS_DIR, result, { markdown: markdown(result), table: consoleTable(result), ...(cpuProfile ? { extra: formatSummary(cpuProfile, "the scorer's") } : {}) });
    return 0;
  });
}

runBench(SCRIPT, main);
