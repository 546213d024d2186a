import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClickHouse } from '@valuepulse/clickhouse';
import { clickhouseConnection, findRepoRoot, withLocalStackEnv } from '@valuepulse/config';
import { EVENT_TOPICS, TOPICS } from '@valuepulse/contracts';
import { createRedis, dueKey } from '@valuepulse/state';
import { cliClickHouse, cliEndpoints, cliKafka } from '../clients.js';
import { processIo, write, type Command, type CommandIo } from '../command.js';
import { isAlive, startBackground, stopBackground } from '../demo/background.js';
import { groupProgress } from '../demo/catch-up.js';
import { demoSpace, type DemoSpace } from '../demo/demo-space.js';
import { historyReport } from '../demo/report.js';
import { resetDemo } from '../demo/reset.js';
import { captureIo } from '../test-io.js';
import { evaluateCommand } from './evaluate.command.js';
import { migrateCommand } from './migrate.command.js';
import { schemasCommand } from './schemas.command.js';
import { topicsCommand } from './topics.command.js';
import { withServiceNodeOptions } from './run.command.js';

const SERVICES = ['health-scorer', 'history-sink', 'health-api'] as const;

/**
 * `valuepulse demo`: the whole pipeline on a simulated scenario, in its own
 * namespace (topics `demo.*`, Redis `demo:*`, database `valuepulse_demo`):
 * resets what an earlier demo left, creates topics, registers schemas,
 * migrates, starts the scorer (event clock) and the sink in the background,
 * simulates, waits until both have caught up, and prints a report with the
 * detection quality. The services keep running; `valuepulse demo stop`
 * stops them. The stack itself must be up (`npm run demo` does that).
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the pipeline on a simulated scenario and print a report (`demo stop` stops its services)',
  usage: 'demo [stop] [--accounts N] [--days N] [--seed N] [--timeout S]',
  options: {
    stop: 'stop the scorer and the sink an earlier demo left running',
    '--accounts N': 'simulated accounts (default 200)',
    '--days N': 'days of event time (default 120)',
    '--seed N': 'scenario seed (default 1)',
    '--timeout S': 'give up waiting for the services to catch up after S seconds (default 900)',
  },
  async run(args, io = processIo()) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        accounts: { type: 'string', default: '200' },
        days: { type: 'string', default: '120' },
        seed: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '900' },
      },
    });
    const space = demoSpace(io.env);
    if (positionals[0] === 'stop' && positionals.length === 1) {
      for (const name of SERVICES) await write(io.stdout, `${name}: ${(await stopBackground(space.dir, name)) ? 'stopped' : 'was not running'}\n`);
      return 0;
    }
    const timeoutMs = Number(values.timeout) * 1000;
    if (positionals.length > 0 || !(timeoutMs > 0)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n`);
      return 2;
    }
    const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
    if (!root) throw new Error('run the demo from the valuepulse repository');
    const mains = Object.fromEntries(['health-scorer', 'history-sink', 'health-api', 'simulator'].map((s) => [s, join(root, 'services', s, 'dist', 'main.js')]));
    for (const [name, main] of Object.entries(mains)) if (!existsSync(main as string)) throw new Error(`${name} is not built (${main}): run \`npm run build\``);
    return runDemo(io, space, root, mains as Record<string, string>, { accounts: values.accounts, days: values.days, seed: values.seed, timeoutMs });
  },
};

async function runDemo(io: CommandIo, space: DemoSpace, root: string, mains: Record<string, string>, opts: { accounts: string; days: string; seed: string; timeoutMs: number }): Promise<number> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const say = (line: string) => write(io.stdout, `${line}\n`);
  const env = withLocalStackEnv(io.env);
  const endpoints = cliEndpoints(io.env);
  const kafka = cliKafka(endpoints);
  const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'valuepulse-demo' });
  const admin = cliClickHouse(endpoints);
  const clickhouse = createClickHouse({ ...clickhouseConnection(endpoints), database: space.database, quiet: true });
  mkdirSync(space.dir, { recursive: true });
  try {
    await say(`== demo namespace: topics ${space.topicPrefix}*, Redis ${space.redisKeyPrefix}*, ClickHouse database ${space.database}`);
    for (const name of SERVICES) await stopBackground(space.dir, name);
    await resetDemo(space, { kafka, redis, clickhouse: admin });
    await quietly(io, topicsCommand, ['--topic-prefix', space.topicPrefix]);
    await quietly(io, schemasCommand, ['--topic-prefix', space.topicPrefix]);
    await quietly(io, migrateCommand, ['--database', space.database]);
    await say(`== topics, schemas and ClickHouse tables ready (${elapsed()})`);

    const common = { ...env, TOPIC_PREFIX: space.topicPrefix, LOG_LEVEL: 'warn' };
    // with the V8 options `valuepulse run` gives them (the scorer's replay is where its semi-spaces pay)
    const scorer = startBackground(space.dir, 'health-scorer', mains['health-scorer'] as string, withServiceNodeOptions('health-scorer', {
      ...common, SCORER_CLOCK: 'event', SCORER_GROUP_ID: space.scorerGroup, REDIS_KEY_PREFIX: space.redisKeyPrefix,
    }));
    const sink = startBackground(space.dir, 'history-sink', mains['history-sink'] as string, withServiceNodeOptions('history-sink', { ...common, SINK_GROUP_ID: space.sinkGroup, CLICKHOUSE_DATABASE: space.database }));
    await say(`== health-scorer (event clock, pid ${scorer.pid}, log ${scorer.log}) and history-sink (pid ${sink.pid}, log ${sink.log}) started`);

    const labels = join(space.dir, 'labels.jsonl');
    await say(`== simulating ${opts.accounts} accounts × ${opts.days} days (seed ${opts.seed}) into Kafka`);
    const code = await runChild(mains.simulator as string, ['--accounts', opts.accounts, '--days', opts.days, '--seed', opts.seed, '--topic-prefix', space.topicPrefix, '--labels', labels], common);
    if (code !== 0) throw new Error(`the simulator failed (exit ${code})`);
    await say(`== produced (${elapsed()}); waiting for the scorer and the sink to catch up`);

    await waitCaughtUp(io, space, { kafka, redis }, [scorer.pid, sink.pid], opts.timeoutMs);
    await say(`== caught up (${elapsed()})\n`);

    // the dashboard on the demo's namespace, on the event clock; it keeps serving (`demo stop` stops it)
    const token = randomBytes(24).toString('hex');
    // 8091 and 9467 by default; another free port where something already listens there
    const port = String(await portOr(8091));
    const opsPort = String(await portOr(9467));
    const api = startBackground(space.dir, 'health-api', mains['health-api'] as string, {
      ...common, HEALTH_API_CLOCK: 'event', HEALTH_API_TOKENS: token, HEALTH_API_PORT: port, HTTP_PORT: opsPort,
      REDIS_KEY_PREFIX: space.redisKeyPrefix, CLICKHOUSE_DATABASE: space.database,
    });
    const apiReady = await readyWithin(`http://127.0.0.1:${opsPort}/readyz`, api.pid, 60_000);

    // the simulator's scenario ends at today's UTC midnight (its default)
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const backtestFrom = new Date(today - Number(opts.days) * 86_400_000).toISOString().slice(0, 10);
    const backtestTo = new Date(today).toISOString().slice(0, 10);
    await say(await historyReport(clickhouse, root));
    await say('Detection quality and renewal outcomes (valuepulse evaluate):');
    await evaluateCommand.run(['--labels', labels, '--topic-prefix', space.topicPrefix, '--days', opts.days], io);
    await say(`
== done in ${elapsed()}. The stack, the scorer and the sink keep running. Explore:
  npx valuepulse health <account_id> --key-prefix ${space.redisKeyPrefix} --at watermark   (an account from the tables above)
  npx valuepulse consume --topic health.alerts.v1 --topic-prefix ${space.topicPrefix} --from-beginning --max 5
  clickhouse-client --database ${space.database} --query "SELECT * FROM health_alerts_dedup LIMIT 5"
  npx valuepulse evaluate --labels ${labels} --topic-prefix ${space.topicPrefix} --days ${opts.days}
  npx valuepulse backtest --from ${backtestFrom} --to ${backtestTo} --database ${space.database} --labels ${labels} [--config candidate.json]   (replay the history, side by side)
Stop: npx valuepulse demo stop   (the services)   ·   npx valuepulse stack down   (the stack)`);
    await say(
      apiReady
        ? `\nDashboard (health-api, pid ${api.pid}, log ${api.log}; API token ${token}):\n  http://127.0.0.1:${port}/dashboard/#token=${token}`
        : `\nThe dashboard (health-api) did not become ready within 60 s: see its log ${api.log}`,
    );
    return 0;
  } finally {
    redis.disconnect();
    await admin.close();
    await clickhouse.close();
  }
}

/** Runs a sub-command with its output held back; on failure prints that output and throws. */
async function quietly(io: CommandIo, command: Command, args: string[]): Promise<void> {
  const captured = captureIo('', io.env);
  const code = await command.run(args, captured);
  if (code !== 0) {
    await write(io.stderr, captured.out() + captured.err());
    throw new Error(`${command.name} ${args.join(' ')} failed (exit ${code})`);
  }
}

function runChild(main: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', main, ...args], { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Until the scorer has committed every input record and has nothing due at
 * its clock, and the sink has committed every record of its five topics —
 * twice in a row, since the scorer's output is the sink's input. Prints
 * progress every 2 s.
 */
async function waitCaughtUp(io: CommandIo, space: DemoSpace, clients: { kafka: ReturnType<typeof cliKafka>; redis: ReturnType<typeof createRedis> }, pids: number[], timeoutMs: number): Promise<void> {
  const inputs = EVENT_TOPICS.map((t) => `${space.topicPrefix}${t}`);
  const sinkTopics = [...inputs, `${space.topicPrefix}${TOPICS.healthSnapshots}`, `${space.topicPrefix}${TOPICS.healthAlerts}`];
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  for (;;) {
    for (const pid of pids) if (!isAlive(pid)) throw new Error(`a demo service (pid ${pid}) exited: see its log in ${space.dir}`);
    const scorer = await groupProgress(clients.kafka, space.scorerGroup, inputs);
    const sink = await groupProgress(clients.kafka, space.sinkGroup, sinkTopics);
    const clock = await clients.redis.get(`${space.redisKeyPrefix}{watermark}`);
    const due = clock === null ? 0 : await clients.redis.zcount(dueKey(space.redisKeyPrefix), '-inf', clock);
    const clockText = clock === null ? 'not started' : new Date(Number(clock)).toISOString().slice(0, 10);
    await write(io.stdout, `  scorer ${scorer.committed.toLocaleString('en-US')}/${scorer.end.toLocaleString('en-US')} events (clock ${clockText}, ${due} due) · sink ${sink.committed.toLocaleString('en-US')}/${sink.end.toLocaleString('en-US')} records\n`);
    const done = scorer.end > 0 && scorer.committed >= scorer.end && due === 0 && sink.committed >= sink.end;
    quiet = done ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) throw new Error(`not caught up after ${timeoutMs / 1000} s: see the logs in ${space.dir}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** `preferred` when nothing listens on it (on all interfaces), else a free port the system picks. */
async function portOr(preferred: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
      });
    });
  return (await listen(preferred)) ?? (await listen(0)) ?? preferred;
}

/** Whether `url` answers 200 before `timeoutMs`, while process `pid` lives. */
async function readyWithin(url: string, pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive(pid)) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
