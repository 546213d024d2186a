// `npm run bench:api [-- --accounts N --base N --days N --history-clones N --requests N --concurrency N --seed N]`
//
// The health-api with a large portfolio: latency (p50/p95/p99) of
// `GET /v1/accounts?tier=RED`, of `/v1/portfolio`, and of an account page's
// data (`/v1/accounts/{id}` and `/v1/accounts/{id}/history`, fetched together
// as the page does), with `--accounts` accounts in Redis and `--days` days of
// history in ClickHouse. The portfolio is the demo's simulated scenario
// (`--base` accounts, seed 1) judged day by day on the event clock (the
// scorer's logic, in memory), applied to Redis once and then copied key by
// key (DUMP/RESTORE) to `--accounts` accounts; its events, snapshots and
// alerts go to ClickHouse and are copied server-side to `--history-clones`
// times as many accounts. A script that prints figures, not a test. Needs the
// stack up; removes its keys and database.
import { resolve } from 'node:path';
import { identifier } from '@valuepulse/clickhouse';
import { redisEndpointEnv } from '@valuepulse/config';
import { TOPICS, type HealthSnapshot } from '@valuepulse/contracts';
import { toRow, type HistoryRow } from '@valuepulse/history';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { createSimulation } from '@valuepulse/simulation';
import { accountKeys, createAccountStore, createRedis, createWatermark, replayInMemory, type StoreEvent } from '@valuepulse/state';
import { startServiceProcess, testEndpoints } from '@valuepulse/testkit';
import { migrate } from '@valuepulse/clickhouse';
import { commandLine, parseFlags } from './common/cli.js';
import { int, markdownReport, ms, runInfo, textTable } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox } from './common/sandbox.js';
import { quantile } from './common/stats.js';

const SCRIPT = 'bench:api';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const REPO_ROOT = resolve(import.meta.dirname, '..');
const TOKEN = 'bench-token-0123456789abcdef';
const DAY_MS = 86_400_000;

const flags = parseFlags(SCRIPT, {
  accounts: { type: 'count', default: 10_000 },
  base: { type: 'count', default: 50 },
  days: { type: 'count', default: 120 },
  'history-clones': { type: 'count', default: 5 },
  requests: { type: 'count', default: 400 },
  concurrency: { type: 'count', default: 4 },
  seed: { type: 'count', default: 1 },
});

function scenario(): { events: StoreEvent[]; at: number } {
  const endsAt = Date.UTC(2026, 8, 1);
  const sim = createSimulation({ seed: flags.seed, accounts: flags.base, days: flags.days, endsAt });
  const events: StoreEvent[] = [];
  for (const day of sim.days()) {
    const all: StoreEvent[] = [
      ...day.account.map((event) => ({ kind: 'account' as const, event })),
      ...day.usage.map((event) => ({ kind: 'usage' as const, event })),
      ...day.support.map((event) => ({ kind: 'support' as const, event })),
    ];
    events.push(...all.map((e, i) => ({ e, i })).sort((a, b) => a.e.event.occurred_at - b.e.event.occurred_at || a.i - b.i).map(({ e }) => e));
  }
  return { events, at: endsAt - 12 * 3_600_000 };
}

/** `requests` calls of `call` with `concurrency` in flight; milliseconds each. */
async function load(requests: number, concurrency: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        await call(i);
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

async function main(): Promise<number> {
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;
  const sandbox = await createSandbox(endpoints);
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'bench-api' });
  return withCleanup(async () => {
    const problems = await sandbox.cleanup();
    await redis.quit();
    return problems;
  }, async () => {
    const started = performance.now();
    const prefix = sandbox.prefix;
    const database = sandbox.database('api');
    const { events, at } = scenario();
    log(`scenario: ${flags.base} accounts × ${flags.days} days, ${int(events.length)} events (${elapsed(started)})`);
    const snapshots: HealthSnapshot[] = [];
    const replay = replayInMemory(events, { config: DEFAULT_SCORING_CONFIG, until: at, onEvaluation: (_id, _now, e) => snapshots.push(e.snapshot) });
    log(`judged: ${int(snapshots.length)} snapshots, ${int(replay.alerts.length)} alerts (${elapsed(started)})`);

    // Redis: the base accounts applied, then every key copied to the clones
    const store = createAccountStore({ redis, prefix });
    for (let i = 0; i < events.length; i += 20_000) await store.apply(events.slice(i, i + 20_000));
    for (const [id, memory] of replay.accounts) await store.saveEvaluation(id, { emitted: memory.read(at).emitted, nextEvaluationAt: at + DAY_MS });
    await createWatermark({ redis, prefix }).advance(at);
    const base = [...replay.accounts.keys()].sort();
    const parts = ['meta', 'days', 'userDays', 'features', 'workflows', 'teams', 'integrations', 'roles', 'stakeholders', 'ticketsByFeature', 'milestones', 'emitted'] as const;
    const dumps = new Map<string, (Buffer | null)[]>();
    for (const id of base) {
      const k = accountKeys(prefix, id);
      dumps.set(id, await Promise.all(parts.map((p) => redis.dumpBuffer(k[p]))));
    }
    const clones = Math.ceil(flags.accounts / base.length) - 1;
    for (let c = 1; c <= clones; c += 1) {
      const pipeline = redis.pipeline();
      for (const id of base) {
        if (base.length * c + base.indexOf(id) >= flags.accounts) continue;
        const k = accountKeys(prefix, `${id}-c${c}`);
        (dumps.get(id) ?? []).forEach((dump, i) => {
          if (dump) pipeline.restore(k[parts[i] as (typeof parts)[number]], 0, dump, 'REPLACE');
        });
      }
      await pipeline.exec();
    }
    log(`redis: ${int(Math.min(flags.accounts, base.length * (clones + 1)))} accounts (${elapsed(started)})`);

    // ClickHouse: the base history, then copied server-side to history-clones × as many accounts
    const byTable = new Map<string, HistoryRow[]>();
    const push = (topic: string, value: unknown, offset: number) => {
      const r = toRow(topic, value, { topic, partition: 0, offset: String(offset), ingestedAt: new Date(at) });
      if (!r.ok) throw new Error(r.reason);
      const rows = byTable.get(r.table);
      if (rows) rows.push(r.row);
      else byTable.set(r.table, [r.row]);
    };
    const topicOf = { usage: TOPICS.usageEvents, support: TOPICS.supportEvents, account: TOPICS.accountEvents } as const;
    events.forEach((e, i) => push(topicOf[e.kind], e.event, i));
    snapshots.forEach((s, i) => push(TOPICS.healthSnapshots, s, i));
    replay.alerts.forEach((a, i) => push(TOPICS.healthAlerts, a, i));
    // rows built before the first request: building them starves the event loop, and a pooled socket would go stale meanwhile
    const clickhouse = sandbox.clickhouse();
    await migrate(clickhouse, { database });
    const db = identifier(database);
    for (const [table, rows] of byTable) {
      for (let i = 0; i < rows.length; i += 50_000) await clickhouse.insert({ table: `${db}.${identifier(table)}`, values: rows.slice(i, i + 50_000), format: 'JSONEachRow' });
    }
    const historyClones = Math.min(flags['history-clones'], clones);
    for (const table of byTable.keys()) {
      const columns = (await (await clickhouse.query({ query: `SELECT name FROM system.columns WHERE database = '${database}' AND table = '${table}'`, format: 'JSONEachRow' })).json<{ name: string }>()).map((c) => c.name);
      // Nested columns come as `name.sub`: each part is an identifier
      const column = (c: string) => c.split('.').map(identifier).join('.');
      const select = columns.map((c) => (c === 'account_id' ? `concat(account_id, '-c', toString(c)) AS clone_account_id` : column(c))).join(', ');
      // the materialized views see these inserts too: the rollups get the clones' days
      await clickhouse.command({ query: `INSERT INTO ${db}.${identifier(table)} SELECT ${select} FROM ${db}.${identifier(table)} ARRAY JOIN arrayMap(x -> x + 1, range(${historyClones})) AS c WHERE NOT like(account_id, '%-c%')` });
    }
    log(`clickhouse: ${flags.days} days of history for ${int(base.length * (historyClones + 1))} accounts (${elapsed(started)})`);

    const api = await startServiceProcess({
      name: 'health-api',
      main: 'services/health-api/src/main.ts',
      cwd: REPO_ROOT,
      env: {
        ...redisEndpointEnv(endpoints.redis), CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_DATABASE: database, REDIS_KEY_PREFIX: prefix,
        HEALTH_API_CLOCK: 'event', HEALTH_API_TOKENS: TOKEN, HEALTH_API_PORT: '0', HEALTH_API_HOST: '127.0.0.1', HTTP_PORT: '0', HEALTH_API_REFRESH: '10m',
      },
      timeoutMs: 300_000,
    });
    sandbox.whileRunning(() => api.kill('SIGTERM'));
    try {
      const port = api.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; port?: number }).find((l) => l.msg === 'API and dashboard listening')?.port;
      const url = `http://127.0.0.1:${port}`;
      const indexed = await api.metric('valuepulse_api_index_accounts');
      const refreshSeconds = await api.metric('valuepulse_api_index_refresh_seconds_sum');
      log(`health-api ready: ${int(indexed)} accounts indexed in ${refreshSeconds.toFixed(1)} s (${elapsed(started)})`);
      const get = async (path: string) => {
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<{ total?: number }>;
      };
      const red = await get('/v1/accounts?tier=RED');
      const withHistory = base.flatMap((id) => [id, ...Array.from({ length: historyClones }, (_, c) => `${id}-c${c + 1}`)]);
      // warm-up
      await load(20, 2, async () => void (await get('/v1/accounts?tier=RED')));
      const results: { name: string; times: number[] }[] = [];
      results.push({ name: 'GET /v1/accounts?tier=RED', times: await load(flags.requests, flags.concurrency, async () => void (await get('/v1/accounts?tier=RED'))) });
      results.push({ name: 'GET /v1/accounts?sort=arr&offset=5000', times: await load(flags.requests, flags.concurrency, async () => void (await get('/v1/accounts?sort=arr&limit=50&offset=5000'))) });
      results.push({ name: 'GET /v1/portfolio', times: await load(flags.requests, flags.concurrency, async () => void (await get('/v1/portfolio'))) });
      results.push({
        name: "account page's data (account + 90-day history)",
        times: await load(flags.requests, flags.concurrency, async (i) => {
          const id = withHistory[(i * 7919) % withHistory.length] as string;
          await Promise.all([get(`/v1/accounts/${id}`), get(`/v1/accounts/${id}/history`)]);
        }),
      });
      results.push({
        name: 'GET /v1/accounts/{id}/history 120 days',
        times: await load(flags.requests, flags.concurrency, async (i) => {
          const id = withHistory[(i * 104_729) % withHistory.length] as string;
          await get(`/v1/accounts/${id}/history?from=${new Date(at - (flags.days - 1) * DAY_MS).toISOString().slice(0, 10)}&to=${new Date(at).toISOString().slice(0, 10)}`);
        }),
      });
      const rows = results.map((r) => [r.name, int(r.times.length), ms(quantile(r.times, 0.5)), ms(quantile(r.times, 0.95)), ms(quantile(r.times, 0.99)), ms(Math.max(...r.times))]);
      const settings = `${int(indexed)} accounts in Redis (${flags.base} simulated, copied), ${flags.days} days of history for ${int(withHistory.length)} of them in ClickHouse; ${int(red.total ?? 0)} RED; ${flags.requests} requests per row, ${flags.concurrency} in flight; index rebuilt in ${refreshSeconds.toFixed(1)} s`;
      const header = ['request', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
      const run = runInfo(commandLine(`npm run ${SCRIPT}`));
      const result = { bench: 'api', startedAt: run.startedAt, run, settings, indexed, refreshSeconds, results: results.map((r) => ({ name: r.name, p50: quantile(r.times, 0.5), p95: quantile(r.times, 0.95), p99: quantile(r.times, 0.99) })) };
      publishResults(RESULTS_DIR, result, {
        markdown: markdownReport(run, { title: 'health-api latency', settings, header, rows }),
        table: textTable('health-api latency', settings, [header, ...rows]),
      });
      return 0;
    } finally {
      await api.kill('SIGTERM');
    }
  });
}

runBench(SCRIPT, main);
