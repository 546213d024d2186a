import { afterAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { ALL_ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, LAST_DAY, runScenario, scenarioDays } from './scenario.fixture.js';
import { createScorerTestStack, runOutcome, testNames, type InProcessScorer, type ScorerTestStack } from './test-support.fixture.js';

const stacks: ScorerTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

async function newStack(label: string): Promise<ScorerTestStack> {
  const stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName(label)), waitFor, partitions: 6 });
  stacks.push(stack);
  return stack;
}

async function eventsApplied(scorer: InProcessScorer): Promise<number> {
  const values = (await scorer.metrics.getSingleMetric('valuepulse_scorer_events_total')?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

describe('two health-scorer instances in one consumer group', () => {
  it('share 6-partition topics and end with the state and alert ids of one instance', { timeout: 180_000 }, async () => {
    const days = scenarioDays();

    const single = await newStack('vp_one_instance');
    const alone = await single.startScorer({ SCORER_INSTANCE_ID: 'alone' });
    await runScenario(single, days);
    await alone.stop();
    const expected = await runOutcome(single, ALL_ACCOUNTS, at(LAST_DAY));
    expect(alertsByAccount(expected.alerts)).toEqual(EXPECTED_ALERTS);

    const pair = await newStack('vp_two_instances');
    const a = await pair.startScorer({ SCORER_INSTANCE_ID: 'a' });
    const b = await pair.startScorer({ SCORER_INSTANCE_ID: 'b' });
    await runScenario(pair, days);
    const [appliedByA, appliedByB] = [await eventsApplied(a), await eventsApplied(b)];
    await Promise.all([a.stop(), b.stop()]);
    const actual = await runOutcome(pair, ALL_ACCOUNTS, at(LAST_DAY));

    // both did part of the work
    expect(appliedByA).toBeGreaterThan(0);
    expect(appliedByB).toBeGreaterThan(0);
    expect(actual.watermark).toBe(at(LAST_DAY));
    expect(actual.states).toEqual(expected.states);
    expect(actual.due).toEqual(expected.due);
    expect(actual.alertIds).toEqual(expected.alertIds);
    // no account evaluated twice for one change: every alert went out once
    expect(actual.alerts).toHaveLength(actual.alertIds.length);
  });
});
