import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { dueKey } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { startPrivateRedis, uniqueName, waitFor, type PrivateRedis } from '@valuepulse/testkit';
import { ALL_ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, expectedAlertIds, LAST_DAY, scenarioDays } from './scenario.fixture.js';
import { startScorerProcess, type ScorerProcess } from './scorer-process.fixture.js';
import { createScorerTestStack, testNames, type ScorerTestStack } from './test-support.fixture.js';

// Redis stops (SIGTERM: the append-only file is complete) after this day's events are in the
// topics, and the next OUTAGE_DAYS days are produced while it is down.
const OUTAGE_FROM_DAY = 20;
const OUTAGE_DAYS = 5;
const OUTAGE_MS = 20_000;

let redis: PrivateRedis | undefined;
let stack: ScorerTestStack | undefined;
afterAll(async () => {
  await stack?.cleanup().catch(() => undefined);
  await redis?.destroy();
});

function dedupe<T extends { alert_id: string }>(alerts: readonly T[]): T[] {
  return [...new Map(alerts.map((a) => [a.alert_id, a])).values()];
}

describe('health-scorer while Redis is down', () => {
  it('survives a 20 s Redis restart mid-stream: not ready meanwhile, then every alert of an uninterrupted run, nothing dead-lettered', { timeout: 300_000 }, async () => {
    // a server of its own: the shared stack's Redis serves other tests meanwhile
    redis = await startPrivateRedis();
    const shared = stackEndpoints();
    const endpoints = { ...shared, redis: { ...shared.redis, nodes: [{ host: '127.0.0.1', port: redis.port }], cluster: false } };
    stack = await createScorerTestStack({ endpoints, names: testNames(uniqueName('vp_redis_outage')), waitFor });
    const s = stack;
    const scorer: ScorerProcess = await startScorerProcess(s.scorerEnv({ SCORER_INSTANCE_ID: 'outage' }));
    s.onCleanup(async () => void (await scorer.kill('SIGKILL')));
    const ready = async () => (await fetch(`http://127.0.0.1:${scorer.port}/readyz`)).status;

    const days = scenarioDays();
    let readyDuringOutage = -1;
    let exitedDuringOutage = false;
    for (let i = 0; i < days.length; i += 1) {
      const d = days[i];
      if (!d) break;
      if (d.day !== OUTAGE_FROM_DAY) {
        await s.produce(d.clock);
        await s.settled();
        await s.produce(d.events);
        await s.settled();
        continue;
      }
      await s.produce([...d.clock, ...d.events]);
      await redis.kill('SIGTERM');
      const downAt = Date.now();
      // the next days arrive while Redis is down: the scorer cannot apply them
      const during = days.slice(i + 1, i + 1 + OUTAGE_DAYS);
      await s.produce(during.flatMap((o) => [...o.clock, ...o.events]));
      i += during.length;
      readyDuringOutage = await waitFor(async () => ((await ready()) === 503 ? 503 : undefined), { timeoutMs: OUTAGE_MS, intervalMs: 200, description: 'scorer not ready while Redis is down' }).catch(() => ready());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + OUTAGE_MS - Date.now())));
      exitedDuringOutage = await Promise.race([scorer.exited.then(() => true), Promise.resolve(false)]);
      await redis.start();
      // a scorer that never catches up after the outage is the failure to read about: its log says why
      await s.settled(120_000).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- scorer log ---\n${scorer.output().slice(-20_000)}`);
      });
    }
    const readyAfter = await ready();
    const dlq = await s.admin.fetchTopicOffsets(s.topic(TOPICS.dlq));
    const alerts = await s.alerts();
    const watermark = await s.watermark.get();
    const exit = await scorer.kill('SIGTERM');

    expect({ exitedDuringOutage, readyDuringOutage, readyAfter }, scorer.output()).toEqual({ exitedDuringOutage: false, readyDuringOutage: 503, readyAfter: 200 });
    expect(exit, scorer.output()).toEqual({ code: 0, signal: null });
    // the outage is logged as JSON lines (lost, back), not as ioredis' stderr line per reconnect attempt
    const redisLines = scorer.output().split('\n').filter((l) => l.includes('"component":"redis"')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(redisLines[0]).toMatch(/^Redis unreachable/);
    expect(redisLines.at(-1)).toBe('Redis reachable again');
    expect(scorer.output()).not.toContain('Unhandled error event');
    // a Redis error is not the record's fault: nothing went to the DLQ
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
    expect(watermark).toBe(at(LAST_DAY));
    // at-least-once out: an interrupted evaluation may repeat an alert, never change or lose one
    expect(alertsByAccount(dedupe(alerts))).toEqual(EXPECTED_ALERTS);
    expect([...new Set(alerts.map((a) => a.alert_id))].sort()).toEqual(expectedAlertIds());
    expect(await s.redis.zcard(dueKey(s.names.keyPrefix))).toBe(ALL_ACCOUNTS.length);
  });
});
