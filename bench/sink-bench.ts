// `npm run bench:sink [-- --rows N --accounts N --days N --seed N --profile]`
//
// Sustained throughput of the history-sink into ClickHouse against the
// running local stack, next to the ceiling measured in the same run: a bare
// bulk INSERT of the same rows (JSONEachRow, inserts of the sizes the sink's
// had) into a fresh table set. A script that prints figures, not a test: nothing here asserts
// on time. Needs the stack up (`bash deploy/local/stack.sh up`); creates its
// own prefixed topics, subjects, consumer groups and ClickHouse databases and
// removes them.
import { clickhouseConnection } from '@valuepulse/config';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClickHouse, identifier, migrate } from '@valuepulse/clickhouse';
import { toRow } from '@valuepulse/history';
import { describeFailures, probeEndpoints, testEndpoints } from '@valuepulse/testkit';
import { gitInfo, machineInfo } from './scorer/report.js';
import { formatSummary, startProfiler, type ProfileSummary } from './scorer/profile.js';
import { createSandbox, endOffsets, produceAll } from './scorer/sandbox.js';
import { machineBusy, machineTicks } from './scorer/stats.js';
import { measureInsertCeiling } from './sink/ceiling.js';
import { consoleTable, verdicts, writeResults, type SinkBenchResult } from './sink/report.js';
import { benchSinkConfig, measureSink } from './sink/sink-run.js';
import { usageWorkload } from './sink/workload.js';

const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const PARTITIONS = 6; // the sandbox's
const USAGE = 'usage.events.v1';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '300000' },
    accounts: { type: 'string', default: '2000' },
    days: { type: 'string', default: '90' },
    seed: { type: 'string', default: '1' },
    passes: { type: 'string', default: '3' },
    // CPU profile of the sink's sustained window: a .cpuprofile next to the results and a summary by area and function
    profile: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:sink: --${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
let interrupted = false;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const profile = { rows: positive('rows', flags.rows), accounts: positive('accounts', flags.accounts), days: positive('days', flags.days), seed: positive('seed', flags.seed) };
  const passes = positive('passes', flags.passes);
  const endpoints = testEndpoints();
  const failures = describeFailures(await probeEndpoints(endpoints));
  if (failures.length > 0) {
    for (const f of failures) console.error(`bench:sink: ${f}`);
    return 1;
  }

  let t = performance.now();
  const events = usageWorkload(profile.rows, profile);
  log(`generated ${events.length} usage events in ${seconds(t)}`);

  const sandbox = await createSandbox(endpoints);
  const base = sandbox.prefix.slice(0, -1);
  const sinkDb = `${base}_sink`;
  const ceilingDbs = Array.from({ length: passes }, (_, i) => `${base}_ceiling_${i + 1}`);
  const clickhouse = createClickHouse({ ...clickhouseConnection(endpoints), requestTimeoutMs: 120_000 });
  log(`sandbox ${sandbox.prefix}, databases ${sinkDb}, ${ceilingDbs.join(', ')}`);
  let cleaning: Promise<string[]> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      const problems = await sandbox.cleanup();
      for (const db of [sinkDb, ...ceilingDbs]) {
        await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${identifier(db)}` }).catch((err: unknown) => problems.push(`drop ${db}: ${(err as Error).message}`));
      }
      await clickhouse.close();
      return problems;
    })());
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
    const topic = sandbox.topic(USAGE);
    const bytes = await produceAll(sandbox, topic, events);
    const produceSeconds = (performance.now() - t) / 1000;
    const produced = await endOffsets(sandbox.admin, [topic]);
    if (produced !== events.length) throw new Error(`produced ${produced} records, expected ${events.length}`);
    log(`produced ${produced} records (${(bytes / 2 ** 20).toFixed(1)} MiB of values) in ${produceSeconds.toFixed(1)} s`);
    for (const db of [sinkDb, ...ceilingDbs]) await migrate(clickhouse, { database: db });
    const version = await (await clickhouse.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();

    // the same rows the sink writes (its provenance columns are as wide)
    const ingestedAt = new Date();
    const lines = events.map((value, i) => {
      const mapped = toRow(topic, value, { topic, partition: i % PARTITIONS, offset: String(i), ingestedAt });
      if (!mapped.ok) throw new Error(mapped.reason);
      return JSON.stringify(mapped.row);
    });
    const avgRowBytes = lines.reduce((n, l) => n + l.length + 1, 0) / lines.length;

    const before = machineTicks();
    await new Promise((done) => setTimeout(done, 2000));
    const background = machineBusy(before, machineTicks()) * cpus().length;
    if (background > 0.3) log(`the machine is busy (${background.toFixed(2)} cores) before the run: figures will be low`);

    const config = benchSinkConfig(sandbox, sinkDb);
    t = performance.now();
    const profiler = flags.profile ? await startProfiler() : undefined;
    const sink = await measureSink(sandbox, config, { expectedRows: events.length, timeoutMs: 120_000 + events.length, progress: log });
    log(`sink: ${Math.round(sink.rowsPerSecond)} rows/s sustained (${seconds(t)})`);
    const startedAt = new Date().toISOString();
    let cpuProfile: ProfileSummary | undefined;
    if (profiler) {
      const file = resolve(RESULTS_DIR, `sink-${startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
      cpuProfile = await profiler.stop(file, sink.windowMicros);
      log(`CPU profile written to ${file}`);
    }
    // the ceiling inserts the same rows in inserts of the sizes the sink's had
    t = performance.now();
    const ceiling = await measureInsertCeiling(clickhouse, { databases: ceilingDbs, table: 'usage_events', lines, sizes: sink.insertSizes });
    log(`ceiling: ${Math.round(ceiling.rowsPerSecond)} rows/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${seconds(t)})`);

    const final = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${identifier(sinkDb)}.usage_events FINAL`, format: 'JSONEachRow' })).json<{ n: string }>();
    if (Number(final[0]?.n) !== events.length) throw new Error(`the sink's table holds ${final[0]?.n} rows (FINAL), expected ${events.length}`);

    const ratio = sink.rowsPerSecond / ceiling.rowsPerSecond;
    const result: SinkBenchResult = {
      bench: 'sink',
      startedAt,
      command: ['npm run bench:sink', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      git: gitInfo(),
      machine: machineInfo(),
      workload: { ...profile, partitions: PARTITIONS, avgValueBytes: bytes / events.length, avgRowBytes, produceSeconds },
      sinkSettings: {
        batchRows: config.batchRows, batchMs: config.batchMs, maxBufferedRows: config.maxBufferedRows,
        maxBufferedBytes: config.maxBufferedBytes, fetchBytesPerPartition: config.fetchBytesPerPartition,
      },
      clickhouseVersion: version[0]?.v ?? 'unknown',
      background, ceiling, sink, ratio,
      verdicts: verdicts(sink, ratio),
      ...(cpuProfile ? { cpuProfile } : {}),
    };
    const files = writeResults(RESULTS_DIR, result);
    console.log(consoleTable(result));
    if (cpuProfile) console.log(`\n${formatSummary(cpuProfile).replace("scorer's", "sink's")}`);
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
    console.error('bench:sink failed:', err);
    process.exit(1);
  },
);
