// `npm run bench:sink [-- --rows N --accounts N --days N --seed N --passes N --profile]`
//
// Sustained throughput of the history-sink into ClickHouse against the
// running local stack, next to the ceiling measured in the same run: a bare
// bulk INSERT of the same rows (JSONEachRow, inserts of the sizes the sink's
// had) into a fresh table set. A script that prints figures, not a test: nothing here asserts
// on time. Needs the stack up (`bash deploy/local/stack.sh up`); creates its
// own prefixed topics, subjects, consumer groups and ClickHouse databases and
// removes them.
import { resolve } from 'node:path';
import { identifier, migrate } from '@valuepulse/clickhouse';
import { toRow } from '@valuepulse/history';
import { testEndpoints } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { endOffsets } from './common/offsets.js';
import { formatSummary, startProfiler, stopProfiler } from './common/profile.js';
import { runInfo } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, measureBackground, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox, produceAll } from './common/sandbox.js';
import { measureInsertCeiling } from './sink/ceiling.js';
import { consoleTable, markdown, verdicts, type SinkBenchResult } from './sink/report.js';
import { benchSinkConfig, measureSink } from './sink/sink-run.js';
import { usageWorkload } from './sink/workload.js';

const SCRIPT = 'bench:sink';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const PARTITIONS = 6; // the sandbox's
const USAGE = 'usage.events.v1';

const flags = parseFlags(SCRIPT, {
  rows: { type: 'count', default: 300_000 },
  accounts: { type: 'count', default: 2000 },
  days: { type: 'count', default: 90 },
  seed: { type: 'count', default: 1 },
  passes: { type: 'count', default: 3 },
  // CPU profile of the sink's sustained window: a .cpuprofile next to the results and a summary by area and function
  profile: { type: 'boolean' },
});

async function main(): Promise<number> {
  const profile = { rows: flags.rows, accounts: flags.accounts, days: flags.days, seed: flags.seed };
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;

  let t = performance.now();
  const events = usageWorkload(profile.rows, profile);
  log(`generated ${events.length} usage events in ${elapsed(t)}`);

  const sandbox = await createSandbox(endpoints);
  const sinkDb = sandbox.database('sink');
  const ceilingDbs = Array.from({ length: flags.passes }, (_, i) => sandbox.database(`ceiling_${i + 1}`));
  const clickhouse = sandbox.clickhouse();
  log(`sandbox ${sandbox.prefix}, databases ${sinkDb}, ${ceilingDbs.join(', ')}`);
  return withCleanup(() => sandbox.cleanup(), async () => {
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

    const background = await measureBackground();

    const config = benchSinkConfig(sandbox, sinkDb);
    t = performance.now();
    const profiler = flags.profile ? await startProfiler() : undefined;
    const sink = await measureSink(sandbox, config, { expectedRows: events.length, timeoutMs: 120_000 + events.length, progress: log });
    log(`sink: ${Math.round(sink.rowsPerSecond)} rows/s sustained (${elapsed(t)})`);
    const run = runInfo(commandLine(`npm run ${SCRIPT}`));
    const cpuProfile = await stopProfiler(profiler, RESULTS_DIR, { bench: 'sink', ...run }, sink.windowMicros, log);
    // the ceiling inserts the same rows in inserts of the sizes the sink's had
    t = performance.now();
    const ceiling = await measureInsertCeiling(clickhouse, { databases: ceilingDbs, table: 'usage_events', lines, sizes: sink.insertSizes });
    log(`ceiling: ${Math.round(ceiling.rowsPerSecond)} rows/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${elapsed(t)})`);

    const final = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${identifier(sinkDb)}.usage_events FINAL`, format: 'JSONEachRow' })).json<{ n: string }>();
    if (Number(final[0]?.n) !== events.length) throw new Error(`the sink's table holds ${final[0]?.n} rows (FINAL), expected ${events.length}`);

    const ratio = sink.rowsPerSecond / ceiling.rowsPerSecond;
    const result: SinkBenchResult = {
      bench: 'sink',
      ...run,
      workload: { ...profile, partitions: PARTITIONS, avgValueBytes: bytes / events.length, avgRowBytes, produceSeconds },
      sinkSettings: {
        batchRows: config.batchRows, batchMs: config.batchMs, maxBufferedRows: config.maxBufferedRows,
        maxBufferedBytes: config.maxBufferedBytes, fetchBytesPerPartition: config.fetchBytesPerPartition,
      },
      clickhouseVersion: version[0]?.v ?? 'unknown',
      background: background.cores, ceiling, sink, ratio,
      verdicts: verdicts(sink, ratio),
      ...(cpuProfile ? { cpuProfile } : {}),
    };
    publishResults(RESULTS_DIR, result, { markdown: markdown(result), table: consoleTable(result), ...(cpuProfile ? { extra: formatSummary(cpuProfile, "the sink's") } : {}) });
    return 0;
  });
}

runBench(SCRIPT, main);
