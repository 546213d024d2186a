import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAlert } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, LAST_DAY, expectedAlertIds, runScenario, scenarioDays } from './scenario.fixture.js';
import { createScorerTestStack, testNames, type InProcessScorer, type ScorerTestStack } from './test-support.fixture.js';

let stack: ScorerTestStack;
let scorer: InProcessScorer;

beforeAll(async () => {
  stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_scenario')), waitFor });
  scorer = await stack.startScorer();
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('health-scorer: a scripted scenario on the real stack (event clock)', () => {
  it('emits exactly the alerts the rules give, per account, on the day they give them', { timeout: 180_000 }, async () => {
    await runScenario(stack, scenarioDays());
    const alerts = await stack.alerts();

    expect(alertsByAccount(alerts)).toEqual(EXPECTED_ALERTS);
    expect(alerts.map((a) => a.alert_id).sort()).toEqual(expectedAlertIds());
    // one message per state change: nothing published twice in an uninterrupted run
    expect(new Set(alerts.map((a) => a.alert_id)).size).toBe(alerts.length);
    expect(alerts.every((a) => a.model_version === 'v1.11.0')).toBe(true);

    const byKey = (account: string, signal: string, kind: string): HealthAlert => {
      const found = alerts.find((a) => a.account_id === account && a.signal === signal && a.kind === kind);
      if (!found) throw new Error(`no ${signal} ${kind} alert for ${account}`);
      return found;
    };
    // going dark and the dark account's other alerts came with no input from it: from the ticker
    const dark = await stack.store.read(ACCOUNTS.dark, at(LAST_DAY));
    expect(dark.lastActivityAt).toBe(at(30));
    const goingDark = byKey(ACCOUNTS.dark, 'going_dark', 'THRESHOLD_CROSSED');
    expect(goingDark.severity).toBe('CRITICAL');
    expect(goingDark.value).toBe(14);
    expect(goingDark.evidence).toContainEqual(expect.objectContaining({ factor: 'days_since_activity', value: 14 }));
    const evaluations = (await scorer.metrics.getSingleMetric('valuepulse_scorer_evaluations_total')?.get())?.values ?? [];
    expect(evaluations.find((v) => v.labels.trigger === 'ticker')?.value ?? 0).toBeGreaterThan(0);

    const drop = byKey(ACCOUNTS.logins, 'login_drop', 'THRESHOLD_CROSSED');
    // days 34–40 settled: 2 days of 10 activity units and 5 of 4, against 10 a day
    expect(drop.evidence).toContainEqual(expect.objectContaining({ factor: 'activity_units', value: 40 }));
    expect(drop.evidence).toContainEqual(expect.objectContaining({ factor: 'activity_expected', value: 70 }));
    const lost = byKey(ACCOUNTS.logins, 'users_lost', 'THRESHOLD_CROSSED');
    expect(lost.evidence).toContainEqual(expect.objectContaining({ factor: 'lost_users', value: 3, detail: expect.stringContaining('u3') }));

    const flood = byKey(ACCOUNTS.flood, 'ticket_flood', 'THRESHOLD_CROSSED');
    expect(flood.evidence).toContainEqual(expect.objectContaining({ factor: 'tickets_on_feature', value: 5, detail: expect.stringContaining('exports') }));

    const champion = byKey(ACCOUNTS.champion, 'champion_left', 'THRESHOLD_CROSSED');
    expect(champion.evidence).toContainEqual(expect.objectContaining({ factor: 'champion_departed', detail: expect.stringContaining('carol') }));

    const down = byKey(ACCOUNTS.tier, 'health_tier', 'TIER_CHANGED');
    expect(down.to_state).toBe('YELLOW');
    expect(down.severity).toBe('INFO');
    // evaluated by the ticker at midnight with the state of the day before (activity one day old)
    expect(down.value).toBe(70.68);
    expect(down.evidence).toContainEqual(expect.objectContaining({ factor: 'health_score', value: 70.68 }));
  });
});

describe('health-scorer: the same scenario replayed as one backlog (event clock)', () => {
  let burst: ScorerTestStack;

  beforeAll(async () => {
    burst = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_burst')), waitFor });
  });

  afterAll(async () => {
    await burst?.cleanup();
  });

  it('gives the alerts of the day-by-day run, with the same ids, though every day is in the topics before the scorer starts', { timeout: 240_000 }, async () => {
    const days = scenarioDays();
    await burst.produce(days.flatMap((d) => [...d.clock, ...d.events]));
    const replay = await burst.startScorer();
    await burst.settled(180_000);
    const alerts = await burst.alerts();

    expect(alertsByAccount(alerts)).toEqual(EXPECTED_ALERTS);
    // one message per state change, with the ids of the day-by-day run
    expect(alerts.map((a) => a.alert_id).sort()).toEqual(expectedAlertIds());
    // due times passed inside the backlog were judged before the day's records
    const evaluations = await replay.metrics.getSingleMetric('valuepulse_scorer_evaluations_total')?.get();
    expect(evaluations?.values.find((v) => v.labels.trigger === 'due')?.value ?? 0).toBeGreaterThan(0);
  });
});
