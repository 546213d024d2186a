import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { readDlqHeaders } from '@valuepulse/kafka';
import { DAY_MS } from '@valuepulse/scoring';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack } from './test-support.fixture.js';

const T0 = Date.UTC(2026, 2, 2);
let stack: ScorerTestStack;

beforeAll(async () => {
  // one partition per topic: the usage partition's records keep their order, bad ones among them
  stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_clockdlq')), waitFor, partitions: 1 });
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('health-scorer, event clock: a backlog held back at day boundaries', () => {
  it('dead-letters each bad record exactly once and applies every good one once, though the partition is fetched again after each hold', { timeout: 120_000 }, async () => {
    const days = 6;
    const usage = (day: number, n: number) =>
      topicEvent('UsageEvent', { event_id: `u-${day}-${n}`, account_id: 'acct-a', occurred_at: T0 + day * DAY_MS + n * 60_000, user_id: `user-${n}`, event_type: 'LOGIN' });
    // a second topic with a record each day keeps the usage partition in step (it is held at every midnight)
    const support = (day: number) =>
      topicEvent('SupportEvent', { event_id: `s-${day}`, account_id: 'acct-b', occurred_at: T0 + day * DAY_MS + 3_600_000, ticket_id: `T-${day}`, event_type: 'TICKET_OPENED' });
    await stack.produce(Array.from({ length: days }, (_, day) => support(day)));

    const producer = stack.kafka.producer();
    await producer.connect();
    const usageTopic = stack.topic(TOPICS.usageEvents);
    let bad = 0;
    for (let day = 0; day < days; day += 1) {
      await stack.produce([usage(day, 1), usage(day, 2)]);
      // not the wire format: the codec refuses it
      await producer.send({ topic: usageTopic, acks: -1, messages: [{ key: 'acct-a', value: Buffer.from(`garbage ${day}`) }] });
      bad += 1;
      await stack.produce([usage(day, 3)]);
    }
    await producer.disconnect();

    const scorer = await stack.startScorer();
    await stack.settled(90_000);

    const held = await scorer.metrics.getSingleMetric('valuepulse_scorer_held_partitions')?.get();
    expect(held?.values[0]?.value).toBe(0);
    const holds = await scorer.metrics.getSingleMetric('valuepulse_scorer_partition_holds_total')?.get();
    expect(holds?.values[0]?.value ?? 0).toBeGreaterThan(0);
    const events = (await scorer.metrics.getSingleMetric('valuepulse_scorer_events_total')?.get())?.values ?? [];
    expect(events.find((v) => v.labels.topic === TOPICS.usageEvents)?.value).toBe(days * 3);
    const duplicates = (await scorer.metrics.getSingleMetric('valuepulse_scorer_duplicate_events_total')?.get())?.values[0]?.value ?? 0;
    expect(duplicates).toBe(0);
    const state = await stack.store.read('acct-a', T0 + days * DAY_MS);
    expect(state.lastActivityAt).toBe(T0 + (days - 1) * DAY_MS + 3 * 60_000);

    const dlq: { offset: string; value: string }[] = [];
    const reader = stack.kafka.consumer({ groupId: `${stack.names.groupId}_dlq_reader` });
    await reader.connect();
    await reader.subscribe({ topic: stack.topic(TOPICS.dlq), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const info = readDlqHeaders(message.headers);
        dlq.push({ offset: info?.sourceOffset ?? '?', value: message.value?.toString() ?? '' });
      },
    });
    try {
      await waitFor(() => dlq.length >= bad, { timeoutMs: 30_000, description: `${bad} DLQ records` });
      // the reader has caught up with the DLQ's end: nothing beyond the bad records is there
      const [end] = await stack.admin.fetchTopicOffsets(stack.topic(TOPICS.dlq));
      expect(Number(end?.high)).toBe(bad);
      expect(dlq.map((d) => d.value).sort()).toEqual(Array.from({ length: days }, (_, day) => `garbage ${day}`).sort());
      expect(new Set(dlq.map((d) => d.offset)).size).toBe(bad);
    } finally {
      await reader.disconnect();
    }
  });
});
