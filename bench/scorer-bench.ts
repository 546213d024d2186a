// `npm run bench:scorer [-- --events N --accounts N --users N --days N --seed N]`
//
// Sustained throughput of the health-scorer against the running local stack,
// next to the raw ceiling (consume + decode, nothing else) measured in the
// same run. A script that prints figures, not a test: nothing here asserts on
// time. Needs the stack up (`bash deploy/local/stack.sh up`); creates its own
// prefixed topics, subjects, consumer groups and Redis keys and removes them.
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFailures, probeEndpoints, testEndpoints } from '@valuepulse/testkit';
import { measureCeiling } from './scorer/ceiling.js';
import { consoleTable, gitInfo, machineInfo, verdicts, writeResults, type BenchResult } from './scorer/report.js';
import { createSandbox, endOffsets, produceAll } from './scorer/sandbox.js';
import { formatSummary, startProfiler, type ProfileSummary } from './scorer/profile.js';
import { benchScorerConfig, measureScorer } from './scorer/scorer-run.js';
import { machineBusy, machineTicks } from './scorer/stats.js';
import { generateWorkload } from './scorer/workload.js';

const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const SAMPLED_ACCOUNTS = 50;
const CEILING_PASSES = 3;

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    accounts: { type: 'string', default: '500' },
    users: { type: 'string', default: '40' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    // CPU profile of the scorer phase: a .cpuprofile next to the results and a summary by area and function
    profile: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:scorer: --${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
// set by SIGINT/SIGTERM: the signal handler cleans up and exits, whatever the run does meanwhile
let interrupted = false;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const profile = {
    events: positive('events', flags.events),
    accounts: positive('accounts', flags.accounts),
    usersPerAccount: positive('users', flags.users),
    days: positive('days', flags.days),
    seed: positive('seed', flags.seed),
    // the last day ends at today's UTC midnight: live, the backlog is recent (a wall-clock scorer refuses future events)
    endsAt: Math.floor(Date.now() / 86_400_000) * 86_400_000,
  };
  const endpoints = testEndpoints();
  const failures = describeFailures(await probeEndpoints(endpoints));
  if (failures.length > 0) {
    for (const f of failures) console.error(`bench:scorer: ${f}`);
    return 1;
  }

  let t = performance.now();
  const workload = generateWorkload(profile);
  const total = workload.account.length + workload.usage.length + workload.support.length;
  log(`generated ${total} events in ${seconds(t)}`);

  const sandbox = await createSandbox(endpoints);
  log(`sandbox ${sandbox.prefix}`);
  let cleaning: Promise<string[]> | undefined;
  const cleanup = () => (cleaning ??= sandbox.cleanup());
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    log(`${signal}: cleaning up`);
    void cleanup()
      .then((problems) => {
        for (const p of problems) log(`cleanup: ${p}`);
      })
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    t = performance.now();
    // contracts first, as a real customer base starts
    let bytes = await produceAll(sandbox, sandbox.topic('account.events.v1'), workload.account);
    bytes += await produceAll(sandbox, sandbox.topic('usage.events.v1'), workload.usage);
    bytes += await produceAll(sandbox, sandbox.topic('support.events.v1'), workload.support);
    const produceSeconds = (performance.now() - t) / 1000;
    const produced = await endOffsets(sandbox.admin, sandbox.inputTopics);
    if (produced !== total) throw new Error(`produced ${produced} records, expected ${total}`);
    log(`produced ${total} records (${(bytes / 2 ** 20).toFixed(1)} MiB of values) in ${produceSeconds.toFixed(1)} s`);

    const before = machineTicks();
    await new Promise((done) => setTimeout(done, 2000));
    const background = machineBusy(before, machineTicks()) * cpus().length;
    if (background > 0.3) log(`the machine is busy (${background.toFixed(2)} cores) before the run: figures will be low`);

    // the ceiling fetches as the scorer's consumer will (SCORER_* variables apply to both)
    const config = benchScorerConfig(sandbox);
    const fetch = { maxBytesPerPartition: config.fetchBytesPerPartition, partitionsConsumedConcurrently: config.partitionsConcurrency };
    t = performance.now();
    const ceiling = await measureCeiling(sandbox, total, fetch, { passes: CEILING_PASSES, timeoutMs: 60_000 + total });
    log(`ceiling: ${Math.round(ceiling.recordsPerSecond)} records/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${seconds(t)})`);

    t = performance.now();
    const step = Math.max(1, Math.floor(profile.accounts / SAMPLED_ACCOUNTS));
    const sampleAccounts = Array.from({ length: Math.min(SAMPLED_ACCOUNTS, profile.accounts) }, (_, i) => `acct-${String(i * step + 1).padStart(5, '0')}`);
    const profiler = flags.profile ? await startProfiler() : undefined;
    const scorer = await measureScorer(sandbox, config, { sampleAccounts, days: profile.days, timeoutMs: 60_000 + total * 3, progress: log });
    log(`scorer: ${Math.round(scorer.eventsPerSecond)} events/s (${seconds(t)})`);
    const startedAt = new Date().toISOString();
    let cpuProfile: ProfileSummary | undefined;
    if (profiler) {
      const file = resolve(RESULTS_DIR, `scorer-${startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
      cpuProfile = await profiler.stop(file, scorer.windowMicros);
      log(`CPU profile written to ${file}`);
    }

    const ratio = scorer.eventsPerSecond / ceiling.recordsPerSecond;
    const result: BenchResult = {
      bench: 'scorer',
      startedAt,
      command: ['npm run bench:scorer', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      git: gitInfo(),
      machine: machineInfo(),
      workload: {
        ...profile,
        byTopic: { usage: workload.usage.length, support: workload.support.length, account: workload.account.length },
        avgValueBytes: bytes / total,
        behaviours: workload.behaviours,
        produceSeconds,
      },
      scorerSettings: { ...fetch, clock: config.clock, tickIntervalMs: config.tickIntervalMs, tickBatch: config.tickBatch },
      background, ceiling, scorer, ratio,
      verdicts: verdicts(scorer, ratio),
      ...(cpuProfile ? { cpuProfile } : {}),
    };
    const files = writeResults(RESULTS_DIR, result);
    console.log(consoleTable(result));
    if (cpuProfile) console.log(`\n${formatSummary(cpuProfile)}`);
    console.log(`\nwritten: ${files.join(', ')}`);
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    if (interrupted) await new Promise(() => {}); // the signal handler exits
    const problems = await cleanup();
    for (const p of problems) log(`cleanup: ${p}`);
    log(problems.length === 0 ? 'cleaned up' : 'cleanup incomplete (see above)');
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench:scorer failed:', err);
    process.exit(1);
  },
);
