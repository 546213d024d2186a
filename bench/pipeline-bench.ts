// `npm run bench [-- --accounts N --days N --seed N --rate N --paced-seconds N --probes N --paced-probes N]`
//
// The whole pipeline on this machine: the simulator's scenario → Kafka →
// health-scorer and history-sink (each its own process, wall clock) → the
// alerts topic and ClickHouse. Measures, in one run: the raw consume + decode
// ceiling of the input, saturation (a backlog drained by scorer and sink at
// once), event-to-alert latency of probe events at saturation and at a steady
// paced rate, Redis bytes per account and ClickHouse rows/s. A script that
// prints figures, not a test. Needs the stack up (`bash deploy/local/stack.sh
// up`); creates its own prefixed topics, subjects, groups, Redis keys and
// ClickHouse database, and removes them, also on failure and Ctrl-C.
import { clickhouseConnection, registryEnv } from '@valuepulse/config';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redisEndpointEnv } from '@valuepulse/config';
import { createClickHouse, identifier, migrate } from '@valuepulse/clickhouse';
import { TOPICS } from '@valuepulse/contracts';
import { HISTORY_TABLES } from '@valuepulse/history';
import { createSimulation } from '@valuepulse/simulation';
import { createRedis } from '@valuepulse/state';
import { describeFailures, probeEndpoints, testEndpoints, waitFor } from '@valuepulse/testkit';
import { redisFootprint } from './common/redis-footprint.js';
import { measureCeiling } from './scorer/ceiling.js';
import { gitInfo, machineInfo } from './scorer/report.js';
import { createSandbox, endOffsets, produceAll } from './scorer/sandbox.js';
import { benchScorerConfig } from './scorer/scorer-run.js';
import { machineBusy, machineTicks } from './scorer/stats.js';
import { benchSinkConfig } from './sink/sink-run.js';
import { stackPid } from './pipeline/cpu.js';
import { runPaced } from './pipeline/paced.js';
import { createProbeSender, probeAccountIds, probeSetupEvents, watchProbeAlerts } from './pipeline/probes.js';
import { summarizeLatency } from './pipeline/progress.js';
import { consoleTable, writeResults, type PipelineBenchResult, type ScorerCounters } from './pipeline/report.js';
import { runSaturation, type PipelineContext } from './pipeline/saturation.js';
import { produceScenario } from './pipeline/scenario-producer.js';
import { startServiceProcess, type ServiceProcess } from './pipeline/service-process.js';

const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const SAMPLED_ACCOUNTS = 50;

const { values: flags } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    rate: { type: 'string', default: '2000' },
    'paced-seconds': { type: 'string', default: '60' },
    // probe accounts for the saturation phase (one probe each, every --probe-interval ms while the backlog lasts)
    probes: { type: 'string', default: '300' },
    'probe-interval': { type: 'string', default: '250' },
    'paced-probes': { type: 'string', default: '120' },
    passes: { type: 'string', default: '3' },
  },
});

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench: --${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
let interrupted = false;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function scorerCounters(scorer: ServiceProcess): Promise<ScorerCounters> {
  const m = (name: string) => scorer.metric(`valuepulse_scorer_${name}`);
  return { events: await m('events_total'), dlq: await m('dlq_total'), duplicates: await m('duplicate_events_total'), alerts: await m('alerts_total'), snapshots: await m('snapshots_total') };
}

const minus = (a: ScorerCounters, b: ScorerCounters): ScorerCounters => ({
  events: a.events - b.events, dlq: a.dlq - b.dlq, duplicates: a.duplicates - b.duplicates, alerts: a.alerts - b.alerts, snapshots: a.snapshots - b.snapshots,
});

async function main(): Promise<number> {
  const opts = {
    accounts: positive('accounts', flags.accounts),
    days: positive('days', flags.days),
    seed: positive('seed', flags.seed),
    rate: positive('rate', flags.rate),
    pacedSeconds: positive('paced-seconds', flags['paced-seconds']),
    probes: positive('probes', flags.probes),
    probeInterval: positive('probe-interval', flags['probe-interval']),
    pacedProbes: positive('paced-probes', flags['paced-probes']),
    passes: positive('passes', flags.passes),
  };
  // events end before today's UTC midnight: in the past for a wall-clock scorer
  const endsAt = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const endpoints = testEndpoints();
  const failures = describeFailures(await probeEndpoints(endpoints));
  if (failures.length > 0) {
    for (const f of failures) console.error(`bench: ${f}`);
    return 1;
  }
  const cores = cpus().length;

  // before anything of ours runs: what else is using the machine
  const before = machineTicks();
  const loadAverage = loadavg();
  await new Promise((done) => setTimeout(done, 2000));
  const background = machineBusy(before, machineTicks()) * cores;
  if (background > 0.3) log(`the machine is busy (${background.toFixed(2)} cores, load average ${loadAverage[0]?.toFixed(2)}) before the run: figures will be low`);

  const sandbox = await createSandbox(endpoints);
  const database = `${sandbox.prefix.slice(0, -1)}_pipeline`;
  const clickhouse = createClickHouse({ ...clickhouseConnection(endpoints), requestTimeoutMs: 120_000 });
  log(`sandbox ${sandbox.prefix}, database ${database}`);
  let cleaning: Promise<string[]> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      // stops the services, consumers and producers first (registered with the sandbox)
      const problems = await sandbox.cleanup();
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` }).catch((err: unknown) => problems.push(`drop ${database}: ${(err as Error).message}`));
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
    await migrate(clickhouse, { database });
    const version = (await (await clickhouse.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>())[0]?.v ?? 'unknown';

    // probe accounts first: set up (contract, champion, login) before the backlog, so evaluated early in the drain
    const satProbeIds = probeAccountIds('sat', opts.probes);
    const pacedProbeIds = probeAccountIds('paced', opts.pacedProbes);
    const setup = probeSetupEvents([...satProbeIds, ...pacedProbeIds], Date.now());
    await produceAll(sandbox, sandbox.topic(TOPICS.accountEvents), setup.account);
    await produceAll(sandbox, sandbox.topic(TOPICS.usageEvents), setup.usage);
    const setupEvents = setup.account.length + setup.usage.length;

    let t = performance.now();
    const scenario = createSimulation({ seed: opts.seed, accounts: opts.accounts, days: opts.days, endsAt });
    const backlog = await produceScenario(sandbox, scenario, { rate: null, stopped: () => interrupted });
    const total = await endOffsets(sandbox.admin, sandbox.inputTopics);
    if (total !== backlog.events + setupEvents) throw new Error(`produced ${total} records, expected ${backlog.events + setupEvents}`);
    log(`backlog: ${backlog.events} scenario events (${(backlog.bytes / 2 ** 20).toFixed(1)} MiB of values) + ${setupEvents} probe set-up events in ${seconds(t)}`);

    // the ceiling fetches as the scorer will (SCORER_* variables apply to both)
    const scorerConfig = benchScorerConfig(sandbox);
    const fetch = { maxBytesPerPartition: scorerConfig.fetchBytesPerPartition, partitionsConsumedConcurrently: scorerConfig.partitionsConcurrency };
    t = performance.now();
    const ceiling = await measureCeiling(sandbox, total, fetch, { passes: opts.passes, timeoutMs: 60_000 + total });
    log(`ceiling: ${Math.round(ceiling.recordsPerSecond)} records/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${seconds(t)})`);

    const sinkConfig = benchSinkConfig(sandbox, database);
    const watcher = await watchProbeAlerts(sandbox, new Set([...satProbeIds, ...pacedProbeIds]));
    const common = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), ...registryEnv(endpoints), TOPIC_PREFIX: sandbox.prefix };
    t = performance.now();
    const startService = async (...args: Parameters<typeof startServiceProcess>) => {
      const service = await startServiceProcess(...args);
      sandbox.whileRunning(() => service.stop());
      return service;
    };
    // both at once: neither gets the backlog to itself
    const [scorer, sink] = await Promise.all([
      startService('health-scorer', { ...common, ...redisEndpointEnv(endpoints.redis), CLICKHOUSE_URL: endpoints.clickhouseUrl, REDIS_KEY_PREFIX: sandbox.prefix, SCORER_GROUP_ID: scorerConfig.groupId, SCORER_CLOCK: 'wall' }),
      startService('history-sink', {
        ...common, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_DATABASE: database, SINK_GROUP_ID: sinkConfig.groupId,
        ...(endpoints.clickhouseUser ? { CLICKHOUSE_USER: endpoints.clickhouseUser } : {}),
        ...(endpoints.clickhousePassword ? { CLICKHOUSE_PASSWORD: endpoints.clickhousePassword } : {}),
      }),
    ]);
    log(`scorer (pid ${scorer.pid}) and sink (pid ${sink.pid}) ready in ${seconds(t)}`);
    const probes = createProbeSender(sandbox);
    await probes.connect();
    sandbox.whileRunning(() => probes.disconnect());

    const ctx: PipelineContext = {
      sandbox, scorer, sink, probes, cores, log,
      scorerGroup: scorerConfig.groupId,
      sinkGroup: sinkConfig.groupId,
      sinkTopics: [...sandbox.inputTopics, sandbox.topic(TOPICS.healthSnapshots), sandbox.topic(TOPICS.healthAlerts)],
      cpuParts: { scorer: scorer.pid, sink: sink.pid, redis: stackPid('redis'), kafka: stackPid('kafka'), clickhouse: stackPid('clickhouse'), registry: stackPid('registry'), bench: process.pid },
      interrupted: () => interrupted,
    };
    const alertsOf = async (ids: readonly string[]) => {
      // the scorer committed after producing the alerts: they are on the topic, the watcher may be a fetch behind
      await waitFor(() => ids.every((id) => watcher.alerts.has(id)), { timeoutMs: 15_000, intervalMs: 100, description: 'probe alerts consumed' }).catch(() => undefined);
    };

    t = performance.now();
    const saturation = await runSaturation(ctx, { backlog: total, probeIds: satProbeIds, probeIntervalMs: opts.probeInterval, timeoutMs: 600_000 + total });
    await alertsOf(saturation.probes.map((p) => p.accountId));
    const afterSaturation = await scorerCounters(scorer);
    const saturationLatency = summarizeLatency(saturation.probes, watcher.alerts);
    log(`saturation: scorer ${Math.round(saturation.scorer.eventsPerSecond)} events/s, sink ${Math.round(saturation.sink.rowsPerSecond)} rows/s, latency p50 ${Math.round(saturationLatency.p50)} ms over ${saturationLatency.probes} probes (${seconds(t)})`);

    const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'valuepulse-bench' });
    const step = Math.max(1, Math.floor(opts.accounts / SAMPLED_ACCOUNTS));
    const sampled = scenario.accounts.filter((_, i) => i % step === 0).slice(0, SAMPLED_ACCOUNTS).map((a) => a.accountId);
    const footprint = await redisFootprint(redis, sandbox.prefix, sampled, opts.days).finally(() => redis.quit());

    t = performance.now();
    const live = createSimulation({ seed: opts.seed + 1, accounts: opts.accounts, days: opts.days, endsAt });
    const paced = await runPaced(ctx, { simulation: live, rate: opts.rate, seconds: opts.pacedSeconds, probeIds: pacedProbeIds, timeoutMs: 300_000 });
    await alertsOf(paced.probes.map((p) => p.accountId));
    const pacedLatency = summarizeLatency(paced.probes, watcher.alerts);
    const afterPaced = await scorerCounters(scorer);
    log(`paced: ${Math.round(paced.produced.eventsPerSecond)} events/s produced, latency p50 ${Math.round(pacedLatency.p50)} ms, p99 ${Math.round(pacedLatency.p99)} ms over ${pacedLatency.probes} probes (${seconds(t)})`);

    const rowsByTable: Record<string, number> = {};
    for (const table of HISTORY_TABLES) {
      const res = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${identifier(database)}.${identifier(table)}`, format: 'JSONEachRow' })).json<{ n: string }>();
      rowsByTable[table] = Number(res[0]?.n ?? 0);
    }
    await watcher.stop();

    const result: PipelineBenchResult = {
      bench: 'pipeline',
      startedAt: new Date().toISOString(),
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      git: gitInfo(),
      machine: machineInfo(),
      background: { cores: background, loadAverage },
      workload: {
        accounts: opts.accounts, days: opts.days, seed: opts.seed, endsAt: new Date(endsAt).toISOString(),
        backlog: { events: backlog.events, byTopic: backlog.byTopic, avgValueBytes: backlog.bytes / backlog.events, produceSeconds: backlog.seconds },
        probeAccounts: { saturation: satProbeIds.length, paced: pacedProbeIds.length, setupEvents },
      },
      settings: {
        services: 'health-scorer and history-sink as child processes (as `valuepulse run`), wall clock',
        scorer: { clock: 'wall', fetchBytesPerPartition: fetch.maxBytesPerPartition, partitionsConcurrency: fetch.partitionsConsumedConcurrently, tickIntervalMs: scorerConfig.tickIntervalMs },
        sink: { batchRows: sinkConfig.batchRows, batchMs: sinkConfig.batchMs, fetchBytesPerPartition: sinkConfig.fetchBytesPerPartition },
      },
      ceiling,
      saturation: { ...saturation, latency: saturationLatency, scorerCounters: afterSaturation, ratioToCeiling: saturation.scorer.eventsPerSecond / ceiling.recordsPerSecond },
      paced: { ...paced, latency: pacedLatency, scorerCounters: minus(afterPaced, afterSaturation) },
      redis: footprint,
      clickhouse: { version, rowsByTable },
    };
    const files = writeResults(RESULTS_DIR, result);
    console.log(consoleTable(result));
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
    console.error('bench failed:', err);
    process.exit(1);
  },
);
