import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type HealthSnapshot } from '@valuepulse/contracts';
import type { Consumer } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack } from './test-support.fixture.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);
const ACCOUNT = 'acct-late-ticket';

let stack: ScorerTestStack;
let reader: Consumer | undefined;
const seen: { offset: number; snapshot: HealthSnapshot }[] = [];

beforeAll(async () => {
  stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_snapver')), waitFor });
  await stack.startScorer({ SCORER_TICK_INTERVAL: '200ms' });
});

afterAll(async () => {
  await reader?.disconnect();
  await stack?.cleanup();
});

/** Every snapshot on the snapshots topic so far, in the order the scorer produced them (one account: one partition). */
async function snapshots(): Promise<HealthSnapshot[]> {
  const topic = stack.topic(TOPICS.healthSnapshots);
  if (!reader) {
    const consumer = stack.kafka.consumer({ groupId: `${stack.names.groupId}_snapshot_reader` });
    reader = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = await stack.codec.decode<HealthSnapshot>(topic, message.value);
        if (!decoded.ok) throw new Error(`undecodable snapshot at offset ${message.offset}: ${decoded.error.message}`);
        seen.push({ offset: Number(message.offset), snapshot: decoded.value });
      },
    });
  }
  const total = (await stack.admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  await waitFor(() => seen.length >= total, { timeoutMs: 30_000, intervalMs: 20, description: `${total} snapshots read` });
  return [...seen].sort((a, b) => a.offset - b.offset).map((s) => s.snapshot);
}

describe('snapshots of one account and as_of are told apart by events_applied (event clock)', () => {
  it('judges a late ticket at the time the account was last judged, in a snapshot with more events applied', { timeout: 120_000 }, async () => {
    const contract = topicEvent('AccountEvent', {
      event_id: 'ev-contract', account_id: ACCOUNT, occurred_at: T0, event_type: 'CONTRACT_SIGNED',
      contracted_seats: 10, segment: 'MID_MARKET', renewal_date: T0 + 400 * DAY,
    });
    const logins = [0, 1, 2, 3].flatMap((day) =>
      ['u1', 'u2'].map((user) => topicEvent('UsageEvent', { event_id: `ev-${day}-${user}`, account_id: ACCOUNT, occurred_at: T0 + day * DAY + 9 * HOUR, user_id: user, event_type: 'LOGIN' })),
    );
    await stack.produce([contract]);
    await stack.produce(logins);
    await stack.settled();
    const before = await snapshots();
    const judged = before.at(-1);
    expect(judged?.as_of).toBe(T0 + 3 * DAY + 9 * HOUR);
    expect(judged?.tickets_14d).toBe(0);
    expect(judged?.events_applied).toBe(1 + logins.length);

    // a ticket of the same day, earlier than the logins, arriving after them (another topic, another partition):
    // the account is judged no earlier than it already was, so the new snapshot has the same as_of
    await stack.produce([
      topicEvent('SupportEvent', { event_id: 'ev-ticket', account_id: ACCOUNT, occurred_at: T0 + 3 * DAY + 8 * HOUR, ticket_id: 'T-1', event_type: 'TICKET_OPENED', priority: 'HIGH' }),
    ]);
    await stack.settled();
    const after = (await snapshots()).slice(before.length);
    expect(after.map((s) => [s.as_of, s.tickets_14d, s.events_applied])).toEqual([[T0 + 3 * DAY + 9 * HOUR, 1, 2 + logins.length]]);

    // every key with several snapshots: produced in the order of strictly growing events_applied
    const byKey = new Map<string, number[]>();
    for (const s of [...before, ...after]) byKey.set(`${s.as_of}|${s.model_version}`, [...(byKey.get(`${s.as_of}|${s.model_version}`) ?? []), s.events_applied]);
    const shared = [...byKey.values()].filter((versions) => versions.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const versions of shared) expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });
});
