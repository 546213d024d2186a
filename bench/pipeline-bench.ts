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
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { redisEndpointEnv, registryEnv } from '@valuepulse/config';
import { identifier, migrate } from '@valuepulse/clickhouse';
import { TOPICS } from '@valuepulse/contracts';
import { HISTORY_TABLES } from '@valuepulse/history';
import { createSimulation } from '@valuepulse/simulation';
import { createRedis } from '@valuepulse/state';
import { testEndpoints, waitFor } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { endOffsets } from './common/offsets.js';
import { redisFootprint } from './common/redis-footprint.js';
import { runInfo } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, measureBackground, runBench, stackReady, wasInterrupted, withCleanup } from './common/run.js';
import { createSandbox, produceAll } from './common/sandbox.js';
import { startServiceProcess, type ServiceProcess } from './common/service-process.js';
import { measureCeiling } from './scorer/ceiling.js';
import { benchScorerConfig } from './scorer/scorer-run.js';
import { benchSinkConfig } from './sink/sink-run.js';
import { stackPid } from './pipeline/cpu.js';
import { runPaced } from './pipeline/paced.js';
import { createProbeSender, probeAccountIds, probeSetupEvents, watchProbeAlerts } from './pipeline/probes.js';
import { summarizeLatency } from './pipeline/progress.js';
import { consoleTable, markdown, type PipelineBenchResult, type ScorerCounters } from './pipeline/report.js';
import { runSaturation, type PipelineContext } from './pipeline/saturation.js';
import { produceScenario } from './pipeline/scenario-producer.js';

const SCRIPT = 'bench';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const SAMPLED_ACCOUNTS = 50;

const opts = parseFlags(SCRIPT, {
  accounts: { type: 'count', default: 100 },
  days: { type: 'count', default: 60 },
  seed: { type: 'count', default: 1 },
  rate: { type: 'count', default: 2000 },
  'paced-seconds': { type: 'count', default: 60 },
  // probe accounts for the saturation phase (one probe each, every --probe-interval ms while the backlog lasts)
  probes: { type: 'count', default: 300 },
  'probe-interval': { type: 'count', default: 250 },
  'paced-probes': { type: 'count', default: 120 },
  passes: { type: 'count', default: 3 },
});

async function scorerCounters(scorer: ServiceProcess): Promise<ScorerCounters> {
  const m = (name: string) => scorer.metric(`valuepulse_scorer_${name}`);
  return { events: await m('events_total'), dlq: await m('dlq_total'), duplicates: await m('duplicate_events_total'), alerts: await m('alerts_total'), snapshots: await m('snapshots_total') };
}

const minus = (a: ScorerCounters, b: ScorerCounters): ScorerCounters => ({
  events: a.events - b.events, dlq: a.dlq - b.dlq, duplicates: a.duplicates - b.duplicates, alerts: a.alerts - b.alerts, snapshots: a.snapshots - b.snapshots,
});

async function main(): Promise<number> {
  // events end before today's UTC midnight: in the past for a wall-clock scorer
  const endsAt = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;
  const cores = cpus().length;

  // before anything of ours runs: what else is using the machine
  const background = await measureBackground();

  const sandbox = await createSandbox(endpoints);
  const database = sandbox.database('pipeline');
  const clickhouse = sandbox.clickhouse();
  log(`sandbox ${sandbox.prefix}, database ${database}`);
  // sandbox.cleanup stops the services, consumers and producers first (registered with it)
  return withCleanup(() => sandbox.cleanup(), async () => {
    await migrate(clickhouse, { database });
    const version = (await (await clickhouse.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>())[0]?.v ?? 'unknown';

    // probe accounts first: set up (contract, champion, login) before the backlog, so evaluated early in the drain
    const satProbeIds = probeAccountIds('sat', opts.probes);
    const pacedProbeIds = probeAccountIds('paced', opts['paced-probes']);
    const setup = probeSetupEvents([...satProbeIds, ...pacedProbeIds], Date.now());
    await produceAll(sandbox, sandbox.topic(TOPICS.accountEvents), setup.account);
    await produceAll(sandbox, sandbox.topic(TOPICS.usageEvents), setup.usage);
    const setupEvents = setup.account.length + setup.usage.length;

    let t = performance.now();
    const scenario = createSimulation({ seed: opts.seed, accounts: opts.accounts, days: opts.days, endsAt });
    const backlog = await produceScenario(sandbox, scenario, { rate: null, stopped: wasInterrupted });
    const total = await endOffsets(sandbox.admin, sandbox.inputTopics);
    if (total !== backlog.events + setupEvents) throw new Error(`produced ${total} records, expected ${backlog.events + setupEvents}`);
    log(`backlog: ${backlog.events} scenario events (${(backlog.bytes / 2 ** 20).toFixed(1)} MiB of values) + ${setupEvents} probe set-up events in ${elapsed(t)}`);

    // the ceiling fetches as the scorer will (SCORER_* variables apply to both)
    const scorerConfig = benchScorerConfig(sandbox);
    const fetch = { maxBytesPerPartition: scorerConfig.fetchBytesPerPartition, partitionsConsumedConcurrently: scorerConfig.partitionsConcurrency };
    t = performance.now();
    const ceiling = await measureCeiling(sandbox, total, fetch, { passes: opts.passes, timeoutMs: 60_000 + total });
    log(`ceiling: ${Math.round(ceiling.recordsPerSecond)} records/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${elapsed(t)})`);

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
    log(`scorer (pid ${scorer.pid}) and sink (pid ${sink.pid}) ready in ${elapsed(t)}`);
    const probes = createProbeSender(sandbox);
    await probes.connect();
    sandbox.whileRunning(() => probes.disconnect());

    const ctx: PipelineContext = {
      sandbox, scorer, sink, probes, cores, log,
      scorerGroup: scorerConfig.groupId,
      sinkGroup: sinkConfig.groupId,
      sinkTopics: [...sandbox.inputTopics, sandbox.topic(TOPICS.healthSnapshots), sandbox.topic(TOPICS.healthAlerts)],
      cpuParts: { scorer: scorer.pid, sink: sink.pid, redis: stackPid('redis'), kafka: stackPid('kafka'), clickhouse: stackPid('clickhouse'), registry: stackPid('registry'), bench: process.pid },
      interrupted: wasInterrupted,
    };
    const alertsOf = async (ids: readonly string[]) => {
      // the scorer committed after producing the alerts: they are on the topic, the watcher may be a fetch behind
      await waitFor(() => ids.every((id) => watcher.alerts.has(id)), { timeoutMs: 15_000, intervalMs: 100, description: 'probe alerts consumed' }).catch(() => undefined);
    };

    t = performance.now();
    const saturation = await runSaturation(ctx, { backlog: total, probeIds: satProbeIds, probeIntervalMs: opts['probe-interval'], timeoutMs: 600_000 + total });
    await alertsOf(saturation.probes.map((p) => p.accountId));
    const afterSaturation = await scorerCounters(scorer);
    const saturationLatency = summarizeLatency(saturation.probes, watcher.alerts);
    log(`saturation: scorer ${Math.round(saturation.scorer.eventsPerSecond)} events/s, sink ${Math.round(saturation.sink.rowsPerSecond)} rows/s, latency p50 ${Math.round(saturationLatency.p50)} ms over ${saturationLatency.probes} probes (${elapsed(t)})`);

    const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'valuepulse-bench' });
    const step = Math.max(1, Math.floor(opts.accounts / SAMPLED_ACCOUNTS));
    const sampled = scenario.accounts.filter((_, i) => i % step === 0).slice(0, SAMPLED_ACCOUNTS).map((a) => a.accountId);
    const footprint = await redisFootprint(redis, sandbox.prefix, sampled, opts.days).finally(() => redis.quit());

    t = performance.now();
    const live = createSimulation({ seed: opts.seed + 1, accounts: opts.accounts, days: opts.days, endsAt });
    const paced = await runPaced(ctx, { simulation: live, rate: opts.rate, seconds: opts['paced-seconds'], probeIds: pacedProbeIds, timeoutMs: 300_000 });
    await alertsOf(paced.probes.map((p) => p.accountId));
    const pacedLatency = summarizeLatency(paced.probes, watcher.alerts);
    const afterPaced = await scorerCounters(scorer);
    log(`paced: ${Math.round(paced.produced.eventsPerSecond)} events/s produced, latency p50 ${Math.round(pacedLatency.p50)} ms, p99 ${Math.round(pacedLatency.p99)} ms over ${pacedLatency.probes} probes (${elapsed(t)})`);

    const rowsByTable: Record<string, number> = {};
    for (const table of HISTORY_TABLES) {
      const res = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${identifier(database)}.${identifier(table)}`, format: 'JSONEachRow' })).json<{ n: string }>();
      rowsByTable[table] = Number(res[0]?.n ?? 0);
    }
    await watcher.stop();

    const result: PipelineBenchResult = {
      bench: 'pipeline',
      ...runInfo(commandLine(`npm run ${SCRIPT}`)),
      background,
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
    publishResults(RESULTS_DIR, result, { markdown: markdown(result), table: consoleTable(result) });
    return 0;
  });
}

runBench(SCRIPT, main);
