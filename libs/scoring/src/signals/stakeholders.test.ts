import { describe, expect, it } from 'vitest';
import { daysAgo, emptyState, NOW } from '../test-support.fixture.js';
import { computeStakeholders } from './stakeholders.js';

describe('computeStakeholders', () => {
  it('gives silence per role in UTC days, null for roles nobody holds', () => {
    const s = computeStakeholders(emptyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(30, 5), TECHNICAL_OWNER: NOW, CHAMPION: daysAgo(1) } }), NOW);
    expect(s.silentDays).toEqual({ EXECUTIVE_SPONSOR: 30, ECONOMIC_BUYER: null, TECHNICAL_OWNER: 0, DAILY_USER: null });
  });

  it('a newly assigned sponsor starts with a clean slate', () => {
    const state = emptyState({
      roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(50) },
      stakeholders: { ceo: { role: 'EXECUTIVE_SPONSOR', assignedAt: daysAgo(2), leftAt: null } },
    });
    expect(computeStakeholders(state, NOW).silentDays.EXECUTIVE_SPONSOR).toBe(2);
  });

  it('a sponsor who left does not count as present; the role stays as silent as it was', () => {
    const state = emptyState({
      roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(40) },
      stakeholders: { ceo: { role: 'EXECUTIVE_SPONSOR', assignedAt: daysAgo(10), leftAt: daysAgo(5) } },
    });
    expect(computeStakeholders(state, NOW).silentDays.EXECUTIVE_SPONSOR).toBe(40);
  });

  it.each([
    ['no champion ever', {}, false],
    ['the only champion left', { a: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(3) } }, true],
    [
      'one left, another is active',
      { a: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(3) }, b: { role: 'CHAMPION', assignedAt: daysAgo(50), leftAt: null } },
      false,
    ],
    ['left and was assigned again later (events in any order)', { a: { role: 'CHAMPION', assignedAt: daysAgo(1), leftAt: daysAgo(3) } }, false],
    [
      'a sponsor left, the champion is still there',
      { a: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: null }, b: { role: 'EXECUTIVE_SPONSOR', assignedAt: daysAgo(100), leftAt: daysAgo(2) } },
      false,
    ],
  ] as const)('champion left: %s → %s', (_name, stakeholders, expected) => {
    expect(computeStakeholders(emptyState({ stakeholders: structuredClone(stakeholders) as never }), NOW).championLeft).toBe(expected);
  });

  it('lists departed champions, latest first', () => {
    const state = emptyState({
      stakeholders: {
        a: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(30) },
        b: { role: 'CHAMPION', assignedAt: daysAgo(100), leftAt: daysAgo(3) },
      },
    });
    expect(computeStakeholders(state, NOW).departedChampions).toEqual([
      { userId: 'b', leftAt: daysAgo(3) },
      { userId: 'a', leftAt: daysAgo(30) },
    ]);
  });
});
