import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type RecordName } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { findPromtool, lintMetrics, scrapeMetrics, uniqueName, waitFor } from '@valuepulse/testkit';
import { startScorerProcess, type ScorerProcess } from './scorer-process.fixture.js';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack, type TopicEvent } from './test-support.fixture.js';

// The scorer's /metrics, as the process serves it after real work (events of
// the three topics applied, an alert, a record dead-lettered), passes
// `promtool check metrics`: counters end in _total, no other type does,
// base units, help on every family. Node's default metrics carry their stock
// names (process_*, nodejs_*), the scorer's own the valuepulse_ prefix.
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2);
let seq = 0;
function event(record: Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>, fields: Record<string, unknown>): TopicEvent {
  return topicEvent(record, { event_id: `ev-${(seq += 1)}`, ...fields });
}
const account = 'acct-lint';

let stack: ScorerTestStack;
let scorer: ScorerProcess;

beforeAll(async () => {
  // no promtool: fail at once, with the fix, before any work
  findPromtool();
  stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_promlint')), waitFor });
  scorer = await startScorerProcess(stack.scorerEnv());
  stack.onCleanup(async () => {
    await scorer.kill('SIGTERM');
  });
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('health-scorer /metrics', () => {
  it('passes promtool check metrics after real work, with stock Node names and valuepulse_ for its own', { timeout: 180_000 }, async () => {
    // eleven days in use, then six HIGH tickets on one feature: a ticket flood
    await stack.produce([event('AccountEvent', { account_id: account, occurred_at: T0, event_type: 'CONTRACT_SIGNED', contracted_seats: 5, segment: 'SMB', renewal_date: T0 + 300 * DAY })]);
    const usage: TopicEvent[] = [];
    for (let day = 0; day <= 10; day += 1) {
      for (const user of ['u1', 'u2', 'u3']) usage.push(event('UsageEvent', { account_id: account, occurred_at: T0 + day * DAY + 9 * 3_600_000, user_id: user, event_type: 'LOGIN' }));
    }
    await stack.produce(usage);
    const producer = stack.kafka.producer();
    await producer.connect();
    // not the wire format: dead-lettered
    await producer.send({ topic: stack.topic(TOPICS.usageEvents), acks: -1, messages: [{ key: account, value: Buffer.from('not avro') }] });
    await producer.disconnect();
    await stack.produce(Array.from({ length: 6 }, (_, n) =>
      event('SupportEvent', { account_id: account, occurred_at: T0 + 10 * DAY + 10 * 3_600_000 + n * 60_000, ticket_id: `T-${n}`, event_type: 'TICKET_OPENED', feature_id: 'exports', priority: 'HIGH' }),
    ));
    await stack.caughtUp(120_000);
    await waitFor(async () => (await stack.alerts()).some((a) => a.account_id === account && a.signal === 'ticket_flood'), { timeoutMs: 60_000, intervalMs: 200, description: 'ticket_flood alert' });
    expect(await scorer.metric('valuepulse_scorer_dlq_total')).toBe(1);

    const { page, families } = await scrapeMetrics(scorer.port);
    expect(families).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_active_handles', 'valuepulse_scorer_events_total', 'valuepulse_scorer_alerts_total', 'valuepulse_scorer_dlq_total']));
    expect(families.filter((name) => !/^(process_|nodejs_|valuepulse_scorer_)/.test(name))).toEqual([]);

    const lint = await lintMetrics(page);
    expect({ exitCode: lint.exitCode, complaints: lint.output }, `${lint.promtool}; families given a zero sample: ${lint.padded.join(', ') || 'none'}`).toEqual({ exitCode: 0, complaints: '' });
  });
});
