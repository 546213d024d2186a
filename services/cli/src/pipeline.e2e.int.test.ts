// End to end on the real stack: a simulated scenario with one account per
// archetype → Kafka → health-scorer (event clock) and history-sink, each a
// real child process started from source → alerts on the topic and rows in
// ClickHouse, judged against the simulator's ground truth.
import { clickhouseConnection } from '@valuepulse/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEndpointEnv } from '@valuepulse/config';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { EVENT_TOPICS, TOPICS, type HealthAlert } from '@valuepulse/contracts';
import { isRelevant, isWarning } from '@valuepulse/quality';
import { ARCHETYPES, createSimulation, DAY_MS, type ArchetypeMix, type Simulation } from '@valuepulse/simulation';
import { createRedis, dueKey, type Redis } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { cliCodec, cliKafka } from './clients.js';
import { schemasCommand } from './commands/schemas.command.js';
import { topicsCommand } from './commands/topics.command.js';
import { groupProgress } from './demo/catch-up.js';
import { type DemoSpace } from './demo/demo-space.js';
import { resetDemo } from './demo/reset.js';
import { readTopic } from './read-topic.js';
import { captureIo } from './test-io.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const endpoints = stackEndpoints();
const name = uniqueName('vp_e2e');
// the demo's kind of namespace, so its reset cleans up after the test too
const space: DemoSpace = { topicPrefix: `${name}.`, redisKeyPrefix: `${name}:`, database: name, scorerGroup: `${name}_scorer`, sinkGroup: `${name}_sink`, dir: '' };
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
  SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
  ...redisEndpointEnv(endpoints.redis),
  CLICKHOUSE_URL: endpoints.clickhouseUrl,
  TOPIC_PREFIX: space.topicPrefix,
  HTTP_PORT: '0',
  LOG_LEVEL: 'warn',
};
// one account of each archetype, two healthy-steady ones; 84 days: onsets have their runway
// A 5 %/week decline and a unit of a fifth of a small account leaving are caught on larger
// accounts, not reliably on one small one: their recall is a measured figure, not a test.
const MILD: ReadonlySet<string> = new Set(['mild_decline', 'unit_leaves']);
const MIX: ArchetypeMix = { ...Object.fromEntries(ARCHETYPES.map((a) => [a, 1])), healthy_steady: 2 };
const simulation: Simulation = createSimulation({ seed: 11, accounts: ARCHETYPES.length + 1, days: 84, endsAt: Math.floor(Date.now() / DAY_MS) * DAY_MS, mix: MIX });

const children: ChildProcess[] = [];
const logs: string[] = [];
let kafka: ReturnType<typeof cliKafka>;
let redis: Redis;
let clickhouse: ClickHouseClient;

function startService(service: 'health-scorer' | 'history-sink', extra: Record<string, string>): void {
  const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => logs.push(`[${service}] ${chunk.toString()}`);
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  children.push(child);
}

beforeAll(async () => {
  kafka = cliKafka(endpoints);
  redis = createRedis({ endpoint: endpoints.redis, connectionName: 'vp-e2e-test' });
  clickhouse = createClickHouse({ ...clickhouseConnection(endpoints), quiet: true });
  const topics = captureIo('', env);
  expect(await topicsCommand.run(['--topic-prefix', space.topicPrefix], topics), topics.err()).toBe(0);
  const schemas = captureIo('', env);
  expect(await schemasCommand.run(['--topic-prefix', space.topicPrefix], schemas), schemas.err()).toBe(0);
  await migrate(clickhouse, { database: space.database });
  startService('health-scorer', { SCORER_CLOCK: 'event', SCORER_GROUP_ID: space.scorerGroup, REDIS_KEY_PREFIX: space.redisKeyPrefix, SCORER_TICK_INTERVAL: '100ms' });
  startService('history-sink', { SINK_GROUP_ID: space.sinkGroup, CLICKHOUSE_DATABASE: space.database, SINK_BATCH_MS: '200ms' });
}, 120_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  await resetDemo(space, { kafka, redis, clickhouse });
  for (const topic of Object.values(TOPICS)) {
    const subject = `${space.topicPrefix}${topic}-value`;
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  }
  redis.disconnect();
  await clickhouse.close();
}, 120_000);

describe('the pipeline end to end: simulator → Kafka → scorer + sink → alerts and ClickHouse', () => {
  it('alerts every at-risk archetype after its onset, warns no healthy account, and lands every alert in ClickHouse once', { timeout: 300_000 }, async () => {
    const codec = cliCodec(endpoints, space.topicPrefix);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    let produced = 0;
    for (const day of simulation.days()) {
      const topicMessages = await Promise.all(
        (
          [
            [TOPICS.usageEvents, day.usage],
            [TOPICS.supportEvents, day.support],
            [TOPICS.accountEvents, day.account],
          ] as const
        ).map(async ([topic, events]) => ({
          topic: `${space.topicPrefix}${topic}`,
          messages: await Promise.all(events.map(async (e) => ({ key: e.account_id, value: await codec.encode(`${space.topicPrefix}${topic}`, e) }))),
        })),
      );
      await producer.sendBatch({ acks: -1, topicMessages: topicMessages.filter((t) => t.messages.length > 0) });
      produced += day.usage.length + day.support.length + day.account.length;
    }
    await producer.disconnect();
    expect(produced).toBeGreaterThan(0);

    const inputs = EVENT_TOPICS.map((t) => `${space.topicPrefix}${t}`);
    const sinkTopics = [...inputs, `${space.topicPrefix}${TOPICS.healthSnapshots}`, `${space.topicPrefix}${TOPICS.healthAlerts}`];
    let settled = 0;
    await waitFor(
      async () => {
        for (const c of children) if (c.exitCode !== null) throw new Error(`a service exited (${c.exitCode}): ${logs.join('').slice(-3000)}`);
        const scorer = await groupProgress(kafka, space.scorerGroup, inputs);
        const sink = await groupProgress(kafka, space.sinkGroup, sinkTopics);
        const clock = await redis.get(`${space.redisKeyPrefix}{watermark}`);
        const due = clock === null ? 1 : await redis.zcount(dueKey(space.redisKeyPrefix), '-inf', clock);
        const done = scorer.end === produced && scorer.committed === scorer.end && due === 0 && sink.committed === sink.end;
        settled = done ? settled + 1 : 0;
        return settled >= 2;
      },
      { timeoutMs: 240_000, intervalMs: 1_000, description: 'scorer and sink caught up' },
    );

    const alerts = await readTopic<HealthAlert>(kafka, codec, `${space.topicPrefix}${TOPICS.healthAlerts}`, 60_000);
    const byAccount = (id: string) => alerts.filter((a) => a.account_id === id).sort((a, b) => a.evaluated_at - b.evaluated_at);
    const outcome = simulation.labels.map((label) => {
      const own = byAccount(label.account_id);
      const first = own.find((a) => isRelevant(a, label));
      return {
        archetype: label.archetype,
        detected: label.at_risk ? first !== undefined : null,
        firstSignal: first?.signal ?? null,
        delayDays: first && label.onset_at !== null ? Math.round(((first.evaluated_at - label.onset_at) / DAY_MS) * 10) / 10 : null,
        warnings: label.at_risk ? null : own.filter(isWarning).map((a) => `${a.signal} ${a.kind} ${new Date(a.evaluated_at).toISOString().slice(0, 10)}`),
      };
    });
    // every at-risk archetype the model is built to catch within this runway is alerted, by one of the
    // signals it is built to move, on or after its onset; the mild ones (docs/quality.md) are
    // measured over many accounts by `valuepulse evaluate` and `npm run quality`, not asserted on one
    const required = (o: { archetype: string }) => !MILD.has(o.archetype);
    expect(outcome.filter((o) => o.detected === false && required(o))).toEqual([]);
    expect(outcome.filter((o) => o.detected && required(o)).map((o) => o.archetype).sort()).toEqual(ARCHETYPES.filter((a) => !a.startsWith('healthy') && !MILD.has(a)).sort());
    // no warning-or-worse alert on a healthy account
    expect(outcome.filter((o) => o.warnings !== null && o.warnings.length > 0)).toEqual([]);

    // every alert once in ClickHouse, with its evidence
    const rows = await (
      await clickhouse.query({ query: `SELECT alert_id, length(evidence.factor) AS factors FROM ${identifier(space.database)}.health_alerts FINAL`, format: 'JSONEachRow' })
    ).json<{ alert_id: string; factors: number }>();
    expect(rows.map((r) => r.alert_id).sort()).toEqual(alerts.map((a) => a.alert_id).sort());
    expect(rows.every((r) => Number(r.factors) > 0)).toBe(true);
    const [usage] = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${identifier(space.database)}.usage_events FINAL`, format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(usage?.n)).toBe([...simulation.days()].reduce((n, d) => n + d.usage.length, 0));

    // snapshots sharing a key (an account judged again at the as_of it was last judged at): each has its own
    // events_applied, and the highest — the one health_snapshots keeps — is the last the scorer produced
    const keys = await (
      await clickhouse.query({
        query: `SELECT account_id, as_of_ms, uniqExact(kafka_offset) AS snapshots, uniqExact(events_applied) AS versions,
                       toString(argMax(kafka_offset, events_applied)) AS kept, toString(max(kafka_offset)) AS last
                FROM ${identifier(space.database)}.health_snapshots GROUP BY account_id, as_of_ms, model_version HAVING snapshots > 1`,
        format: 'JSONEachRow',
      })
    ).json<{ account_id: string; as_of_ms: string; snapshots: string; versions: string; kept: string; last: string }>();
    expect(keys.filter((k) => k.versions !== k.snapshots || k.kept !== k.last)).toEqual([]);
  });
});
