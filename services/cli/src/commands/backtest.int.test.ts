// The backtest's claim on the real stack: its alerts for the current config
// are the live health-scorer's alerts on the same input. A small simulated
// scenario goes to Kafka (own topic prefix) and, in the same order, to JSON
// Lines files; the real health-scorer (a child process, event clock) works
// through the backlog; then `valuepulse backtest --from-dir` replays the
// files in-process and the two alert_id sets are compared.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEndpointEnv } from '@valuepulse/config';
import { EVENT_TOPICS, TOPICS, type HealthAlert } from '@valuepulse/contracts';
import { deleteTopics } from '@valuepulse/kafka';
import { createSimulation, type Simulation } from '@valuepulse/simulation';
import { createRedis, deleteKeys, dueKey, type Redis } from '@valuepulse/state';
import { startServiceProcess, uniqueName, waitFor, type ServiceProcess } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { cliCodec, cliKafka } from '../clients.js';
import { groupProgress } from '../demo/catch-up.js';
import { readTopic } from '../read-topic.js';
import { captureIo } from '../test-io.js';
import { backtestCommand } from './backtest.command.js';
import { schemasCommand } from './schemas.command.js';
import { topicsCommand } from './topics.command.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const endpoints = stackEndpoints();
const name = uniqueName('vp_backtest');
const prefix = `${name}.`;
const group = `${name}_scorer`;
const redisPrefix = `${name}:`;
const env: Record<string, string> = {
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
  SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
  ...redisEndpointEnv(endpoints.redis),
  CLICKHOUSE_URL: endpoints.clickhouseUrl,
};
// at-risk archetypes that alert and healthy ones, 84 days: enough for every kind of alert, small enough for a test
const simulation: Simulation = createSimulation({
  seed: 5,
  accounts: 12,
  days: 84,
  endsAt: Date.UTC(2026, 10, 30),
  mix: { healthy_steady: 2, healthy_month_end: 1, sudden_drop: 2, going_dark: 2, support_flood: 1, champion_leaves: 1, slow_decay: 2, drop_then_recovery: 1 },
});
const dir = mkdtempSync(join(tmpdir(), 'vp-backtest-'));
let kafka: ReturnType<typeof cliKafka>;
let redis: Redis;
let scorer: ServiceProcess | undefined;

beforeAll(async () => {
  kafka = cliKafka(endpoints);
  redis = createRedis({ endpoint: endpoints.redis, connectionName: 'vp-backtest-test' });
  const topics = captureIo('', { ...process.env, ...env });
  expect(await topicsCommand.run(['--topic-prefix', prefix], topics), topics.err()).toBe(0);
  const schemas = captureIo('', { ...process.env, ...env });
  expect(await schemasCommand.run(['--topic-prefix', prefix], schemas), schemas.err()).toBe(0);
}, 120_000);

afterAll(async () => {
  await scorer?.kill('SIGTERM');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await deleteTopics(admin, (await admin.listTopics()).filter((t) => t.startsWith(prefix)));
    if ((await admin.listGroups()).groups.some((g) => g.groupId === group)) await admin.deleteGroups([group]);
  } finally {
    await admin.disconnect();
  }
  await deleteKeys(redis, `${redisPrefix}*`);
  for (const topic of Object.values(TOPICS)) {
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${prefix}${topic}-value`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${prefix}${topic}-value?permanent=true`, { method: 'DELETE' });
  }
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('valuepulse backtest: the current config gives the live scorer’s alerts', () => {
  it('the same alert_id set as the health-scorer on the event clock, from the same events', { timeout: 420_000 }, async () => {
    // the same records, in the same order per topic, to Kafka and to the files
    const codec = cliCodec(endpoints, prefix);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const files: Record<string, string[]> = { [TOPICS.usageEvents]: [], [TOPICS.supportEvents]: [], [TOPICS.accountEvents]: [] };
    let produced = 0;
    for (const day of simulation.days()) {
      const perTopic = [
        [TOPICS.usageEvents, day.usage],
        [TOPICS.supportEvents, day.support],
        [TOPICS.accountEvents, day.account],
      ] as const;
      const topicMessages = await Promise.all(
        perTopic.map(async ([topic, events]) => ({
          topic: `${prefix}${topic}`,
          messages: await Promise.all(events.map(async (e) => ({ key: e.account_id, value: await codec.encode(`${prefix}${topic}`, e) }))),
        })),
      );
      await producer.sendBatch({ acks: -1, topicMessages: topicMessages.filter((t) => t.messages.length > 0) });
      for (const [topic, events] of perTopic) for (const e of events) (files[topic] as string[]).push(JSON.stringify(e));
      produced += day.usage.length + day.support.length + day.account.length;
    }
    await producer.disconnect();
    for (const [topic, lines] of Object.entries(files)) writeFileSync(join(dir, `${topic}.jsonl`), `${lines.join('\n')}\n`);

    // the whole scenario is a backlog when the scorer starts, as a backtest sees history
    scorer = await startServiceProcess({
      name: 'health-scorer',
      main: 'services/health-scorer/src/main.ts',
      cwd: REPO_ROOT,
      env: { ...env, TOPIC_PREFIX: prefix, SCORER_CLOCK: 'event', SCORER_GROUP_ID: group, REDIS_KEY_PREFIX: redisPrefix, SCORER_TICK_INTERVAL: '100ms', HTTP_PORT: '0' },
      timeoutMs: 120_000,
    });
    const inputs = EVENT_TOPICS.map((t) => `${prefix}${t}`);
    let settled = 0;
    await waitFor(
      async () => {
        const progress = await groupProgress(kafka, group, inputs);
        const clock = await redis.get(`${redisPrefix}{watermark}`);
        const due = clock === null ? 1 : await redis.zcount(dueKey(redisPrefix), '-inf', clock);
        settled = progress.end === produced && progress.committed === produced && due === 0 ? settled + 1 : 0;
        return settled >= 3;
      },
      { timeoutMs: 360_000, intervalMs: 1_000, description: 'the scorer caught up with the backlog' },
    );
    const live = await readTopic<HealthAlert>(kafka, codec, `${prefix}${TOPICS.healthAlerts}`, 60_000);

    const alertsOut = join(dir, 'backtest-alerts.jsonl');
    const io = captureIo('', { ...process.env, ...env });
    expect(await backtestCommand.run(['--from-dir', dir, '--json', '--alerts-out', alertsOut], io), io.err()).toBe(0);
    const replayed = readFileSync(alertsOut, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HealthAlert & { config: string });

    // a comparison that means something: the scenario raises alerts of several signals
    expect(live.length).toBeGreaterThan(10);
    expect(new Set(live.map((a) => a.signal)).size).toBeGreaterThan(3);
    const describe = (a: HealthAlert) => `${a.alert_id} ${a.account_id} ${a.signal} ${a.from_state}>${a.to_state} ${new Date(a.evaluated_at).toISOString().slice(0, 10)}`;
    expect(replayed.filter((a) => a.config === 'baseline').map(describe).sort()).toEqual([...new Set(live.map(describe))].sort());

    // and in worker threads, accounts shared out: the same alerts
    const threadedOut = join(dir, 'backtest-alerts-threads.jsonl');
    const threaded = captureIo('', { ...process.env, ...env });
    expect(await backtestCommand.run(['--from-dir', dir, '--threads', '2', '--alerts-out', threadedOut], threaded), threaded.err()).toBe(0);
    expect(readFileSync(threadedOut, 'utf8')).toBe(readFileSync(alertsOut, 'utf8'));
  });
});
