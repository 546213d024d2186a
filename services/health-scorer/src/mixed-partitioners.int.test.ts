import { afterAll, describe, expect, it } from 'vitest';
import { consistentRandomPartitionOf, ConsistentRandomPartitioner, javaPartitionOf, type Producer } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { ALL_ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, LAST_DAY, runScenario, scenarioDays } from './scenario.fixture.js';
import { createScorerTestStack, runOutcome, testNames, type InProcessScorer, type ScorerTestStack, type TopicEvent } from './test-support.fixture.js';

const PARTITIONS = 6;
const WARNING = /arrive on more than one partition/;
const stacks: ScorerTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

async function newStack(label: string): Promise<ScorerTestStack> {
  const stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName(label)), waitFor, partitions: PARTITIONS });
  stacks.push(stack);
  return stack;
}

/** The scorer's log lines, parsed. */
function logLines() {
  const chunks: string[] = [];
  return {
    destination: { write: (line: string) => void chunks.push(line) },
    lines: () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function eventsApplied(scorer: InProcessScorer): Promise<number> {
  const values = (await scorer.metrics.getSingleMetric('valuepulse_scorer_events_total')?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** The conflict counter per topic, summed over `scorers`. */
async function partitionMoves(...scorers: InProcessScorer[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const scorer of scorers) {
    const values = (await scorer.metrics.getSingleMetric('valuepulse_scorer_account_partition_conflicts_total')?.get())?.values ?? [];
    for (const v of values) out[String(v.labels.topic)] = (out[String(v.labels.topic)] ?? 0) + v.value;
  }
  return out;
}

/**
 * Two producers on one topic set, as when a Java/kafkajs service and a
 * Python (librdkafka, default partitioner) job both feed it: the n-th event
 * of an account on a topic goes through the librdkafka-like producer when n
 * is odd. Returns the (account, topic) pairs that got events from both.
 */
function mixedProducer(stack: ScorerTestStack) {
  let crcProducer: Producer | undefined;
  const seen = new Map<string, number>();
  const both = new Set<string>();
  async function produce(events: readonly TopicEvent[]): Promise<void> {
    if (!crcProducer) {
      crcProducer = stack.kafka.producer({ idempotent: true, createPartitioner: ConsistentRandomPartitioner });
      await crcProducer.connect();
      stack.onCleanup(() => crcProducer?.disconnect() ?? Promise.resolve());
    }
    const java: TopicEvent[] = [];
    const crc: { topic: string; key: string; value: Buffer }[] = [];
    for (const e of events) {
      const pair = `${e.value.account_id}|${e.topic}`;
      const n = seen.get(pair) ?? 0;
      seen.set(pair, n + 1);
      if (n % 2 === 0) java.push(e);
      else {
        both.add(pair);
        crc.push({ topic: stack.topic(e.topic), key: e.value.account_id, value: await stack.codec.encode(stack.topic(e.topic), e.value) });
      }
    }
    await stack.produce(java);
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (const m of crc) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), { key: m.key, value: m.value }]);
    if (byTopic.size > 0) await crcProducer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  return { produce, both };
}

describe('health-scorer fed by producers that hash keys differently (kafkajs/Java murmur2 and librdkafka consistent_random)', () => {
  it('counts and logs (once per account, over two instances) the accounts split over two partitions, and ends with the state and alerts of a one-partition-per-account run', { timeout: 240_000 }, async () => {
    const days = scenarioDays();

    const single = await newStack('vp_one_partitioner');
    const singleLog = logLines();
    const alone = await single.startScorer({}, { logDestination: singleLog.destination });
    await runScenario(single, days);
    await alone.stop();
    const expected = await runOutcome(single, ALL_ACCOUNTS, at(LAST_DAY));
    expect(alertsByAccount(expected.alerts)).toEqual(EXPECTED_ALERTS);
    // one partitioner: nothing to report
    expect(await partitionMoves(alone)).toEqual({});
    expect(singleLog.lines().filter((l) => WARNING.test(String(l.msg)))).toEqual([]);

    const mixed = await newStack('vp_mixed_partitioners');
    // two instances share the partitions: the move memory is in Redis, so the warning is still once per account
    const mixedLog = logLines();
    const a = await mixed.startScorer({ SCORER_INSTANCE_ID: 'a' }, { logDestination: mixedLog.destination });
    const b = await mixed.startScorer({ SCORER_INSTANCE_ID: 'b' }, { logDestination: mixedLog.destination });
    const producers = mixedProducer(mixed);
    await runScenario({ ...mixed, produce: producers.produce }, days);
    await Promise.all([a.stop(), b.stop()]);
    expect(await eventsApplied(a)).toBeGreaterThan(0);
    expect(await eventsApplied(b)).toBeGreaterThan(0);
    const actual = await runOutcome(mixed, ALL_ACCOUNTS, at(LAST_DAY));

    // which (account, topic) pairs really landed on two partitions: where the two hashes disagree
    const split = [...producers.both].filter((pair) => {
      const account = pair.slice(0, pair.indexOf('|'));
      return javaPartitionOf(account, PARTITIONS) !== consistentRandomPartitionOf(account, PARTITIONS);
    });
    const splitAccounts = [...new Set(split.map((pair) => pair.slice(0, pair.indexOf('|'))))].sort();
    // the scenario has accounts on both sides (the hashes agree for some ids)
    expect(splitAccounts.length).toBeGreaterThan(0);
    expect(splitAccounts.length).toBeLessThan(ALL_ACCOUNTS.length);

    // counted per topic, every move (at least one per split account and topic), nothing elsewhere
    const moves = await partitionMoves(a, b);
    const splitTopics = [...new Set(split.map((pair) => pair.slice(pair.indexOf('|') + 1)))].sort();
    expect(Object.keys(moves).sort()).toEqual(splitTopics);
    for (const topic of splitTopics) expect(moves[topic]).toBeGreaterThanOrEqual(split.filter((pair) => pair.endsWith(`|${topic}`)).length);
    // one warning per split account, naming it and the two partitions
    const warnings = mixedLog.lines().filter((l) => WARNING.test(String(l.msg)));
    expect(warnings.map((w) => w.accountId).sort()).toEqual(splitAccounts);
    for (const w of warnings) {
      const account = String(w.accountId);
      expect([w.fromPartition, w.toPartition].sort()).toEqual([javaPartitionOf(account, PARTITIONS), consistentRandomPartitionOf(account, PARTITIONS)].sort());
      expect(w.level).toBe('warn');
    }

    // the state and the alerts are those of the run where each account stayed on one partition
    expect(actual.watermark).toBe(expected.watermark);
    expect(actual.states).toEqual(expected.states);
    expect(actual.due).toEqual(expected.due);
    expect(actual.alertIds).toEqual(expected.alertIds);
    expect(alertsByAccount(actual.alerts)).toEqual(EXPECTED_ALERTS);
    expect(actual.alerts).toHaveLength(actual.alertIds.length);
  });
});
