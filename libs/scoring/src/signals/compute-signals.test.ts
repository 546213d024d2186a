import { describe, expect, it } from 'vitest';
import type { AccountState } from '../account-state.js';
import { DEFAULT_SCORING_CONFIG } from '../default-scoring-config.js';
import { daysAgo, emptyState, healthyState, milestone, NOW, TODAY } from '../test-support.fixture.js';
import { computeSignals } from './compute-signals.js';

/** The same facts with every string-keyed record in reverse insertion order. */
function reversed(state: AccountState): AccountState {
  const flip = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).reverse());
  return {
    ...state,
    featureLastUsedAt: flip(state.featureLastUsedAt),
    workflowLastRunAt: flip(state.workflowLastRunAt),
    teamLastActiveAt: flip(state.teamLastActiveAt),
    userActiveDays28d: flip(state.userActiveDays28d),
    integrations: flip(state.integrations),
    stakeholders: flip(state.stakeholders),
    milestones: flip(state.milestones),
    ticketsByFeature: Object.fromEntries(Object.entries(state.ticketsByFeature).map(([d, f]) => [d, flip(f)])),
  };
}

describe('computeSignals', () => {
  it('uses the thresholds of the account’s segment', () => {
    // 4 tickets on one feature: SMB's threshold is 3 (and 4 in a week is unusual at its floor of 0.5 a week), mid-market's 5
    const flood = (segment: 'SMB' | 'MID_MARKET') =>
      computeSignals(healthyState({ contract: { ...healthyState().contract, segment }, ticketsByFeature: { [TODAY]: { exports: 4 } } }), DEFAULT_SCORING_CONFIG, NOW);
    expect(flood('SMB')).toMatchObject({ segment: 'SMB', ticketFlood: { flooding: true } });
    expect(flood('MID_MARKET')).toMatchObject({ segment: 'MID_MARKET', ticketFlood: { flooding: false } });
  });

  it.each([
    ['no data at all', emptyState(), null, true],
    ['first seen 27 days ago', emptyState({ firstActivityAt: daysAgo(27) }), 27, true],
    ['first seen 28 days ago', emptyState({ firstActivityAt: daysAgo(28) }), 28, false],
  ])('onboarding grace (28 days): %s → age %s, onboarding %s', (_name, state, age, onboarding) => {
    expect(computeSignals(state, DEFAULT_SCORING_CONFIG, NOW)).toMatchObject({ accountAgeDays: age, onboarding });
  });

  it('does not depend on the order records arrive in (out-of-order data, ties broken by id)', () => {
    const state = healthyState({
      stakeholders: {
        b: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(3) },
        a: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(3) },
      },
      milestones: { z: milestone({ dueAt: daysAgo(4) }), y: milestone({ dueAt: daysAgo(9), achievedAt: daysAgo(9) }) },
      ticketsByFeature: { [TODAY]: { sso: 5, exports: 5 } },
    });
    const signals = computeSignals(state, DEFAULT_SCORING_CONFIG, NOW);
    expect(computeSignals(reversed(state), DEFAULT_SCORING_CONFIG, NOW)).toEqual(signals);
    expect(signals.ticketFlood.featureId).toBe('exports');
    expect(signals.stakeholders.departedChampions.map((d) => d.userId)).toEqual(['a', 'b']);
  });
});
