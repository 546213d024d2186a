import { describe, expect, it } from 'vitest';
import { daysAgo, emptyState, NOW } from '../test-support.fixture.js';
import { DEFAULT_SCORING_CONFIG } from '../default-scoring-config.js';
import { dayOf } from '../account-state.js';
import { computeSponsorSilence, computeStakeholders } from './stakeholders.js';

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

describe('computeSponsorSilence', () => {
  // the mechanism at a 30-day segment threshold (the default is 45), ×3 the longest gap, at most 90
  const config = { ...DEFAULT_SCORING_CONFIG.execSponsorSilence, thresholdDays: 30 };
  const today = dayOf(NOW);
  const never = () => false;
  // the sponsor's visits, as days before today (newest first), silent since the first of them
  const judge = (visitsAgo: number[] | undefined, paused: (day: number) => boolean = never, startDaysAgo: number | null = null) => {
    const state = emptyState({
      roleLastActiveAt: visitsAgo === undefined || visitsAgo.length === 0 ? {} : { EXECUTIVE_SPONSOR: daysAgo(visitsAgo[0] as number) },
      ...(visitsAgo === undefined ? {} : { roleActiveDays: { EXECUTIVE_SPONSOR: visitsAgo.map((d) => today - d) } }),
    });
    return computeSponsorSilence(state, computeStakeholders(state, NOW), config, NOW, startDaysAgo === null ? null : today - startDaysAgo, paused);
  };
  const weekly = (silent: number) => [silent, silent + 7, silent + 14, silent + 21, silent + 28];

  it('a sponsor who visits weekly alerts at the segment threshold', () => {
    expect(judge(weekly(30))).toEqual({ days: 30, pausedDays: 0, seasonDays: 0, longestGapDays: 7, thresholdDays: 30, departed: false });
  });

  it('does not count up to two weeks of a vacation season inside the silence (v1.11), but does for a sponsor who left', () => {
    const state = emptyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(40) }, roleActiveDays: { EXECUTIVE_SPONSOR: weekly(40).map((d) => today - d) } });
    // as days before today (November 22): season(35) is October 19 – November 17, season(5) November 18 – December 17
    const season = (from: number) => {
      const md = (day: number) => new Date(day * 86_400_000).toISOString().slice(5, 10);
      return [{ from: md(today - from + 1), to: md(today - from + 30) }];
    };
    // 30 of the 40 silent days in a season: 14 of them not counted
    expect(computeSponsorSilence(state, computeStakeholders(state, NOW), config, NOW, null, never, season(35))).toMatchObject({ days: 26, seasonDays: 14 });
    // 5 season days: all 5 not counted
    expect(computeSponsorSilence(state, computeStakeholders(state, NOW), config, NOW, null, never, season(5))).toMatchObject({ days: 35, seasonDays: 5 });
    // a season day the whole account paused is counted once, as a pause
    const paused = (day: number) => day > today - 3;
    expect(computeSponsorSilence(state, computeStakeholders(state, NOW), config, NOW, null, paused, season(5))).toMatchObject({ days: 35, pausedDays: 3, seasonDays: 2 });
    const left = { ...state, stakeholders: { s1: { role: 'EXECUTIVE_SPONSOR' as const, assignedAt: daysAgo(200), leftAt: daysAgo(40) } } };
    expect(computeSponsorSilence(left, computeStakeholders(left, NOW), config, NOW, null, never, season(35))).toMatchObject({ days: 40, seasonDays: 0, departed: true });
  });

  it('a sponsor who has gone 15 days between visits waits for 45', () => {
    const s = judge([40, 55, 60, 62, 70]);
    expect(s.longestGapDays).toBe(15);
    expect(s.thresholdDays).toBe(45);
    expect(s.days).toBe(40);
  });

  it('caps the personal threshold', () => {
    expect(judge([10, 50, 55, 60]).thresholdDays).toBe(90);
  });

  it('with fewer than four visits known the rhythm is unknown: twice the threshold', () => {
    expect(judge([30, 33, 36]).thresholdDays).toBe(60);
  });

  it('without the store keeping visits, the segment threshold alone', () => {
    const state = emptyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(30) } });
    expect(computeSponsorSilence(state, computeStakeholders(state, NOW), config, NOW, null, never)).toMatchObject({ days: 30, thresholdDays: 30 });
  });

  it('does not count the days the whole account paused', () => {
    const paused = (d: number) => d >= today - 20 && d < today - 10;
    expect(judge(weekly(35), paused)).toMatchObject({ days: 25, pausedDays: 10 });
  });

  it('while every visit is remembered, the account\'s first day starts the first gap', () => {
    // first seen 25 days into the account: a 25-day gap, so 75 days of silence before an alert
    expect(judge([10, 12, 14, 16], never, 41).longestGapDays).toBe(25);
    // all 16 kept: older visits were forgotten, the start says nothing
    const full = Array.from({ length: 16 }, (_, i) => 10 + 2 * i);
    expect(judge(full, never, 200).longestGapDays).toBe(2);
  });

  it('a sponsor who left (STAKEHOLDER_LEFT) and was not replaced: the departure threshold, whatever the rhythm', () => {
    const left = (leftAt: number, assignedAt = daysAgo(300)) =>
      emptyState({
        roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(10) },
        roleActiveDays: { EXECUTIVE_SPONSOR: [10, 40, 55, 60, 62].map((d) => today - d) },
        stakeholders: { exec: { role: 'EXECUTIVE_SPONSOR', assignedAt, leftAt } },
      });
    const gone = computeSponsorSilence(left(daysAgo(9)), computeStakeholders(left(daysAgo(9)), NOW), config, NOW, null, never);
    expect(gone).toMatchObject({ days: 10, longestGapDays: 30, departed: true, thresholdDays: config.leftThresholdDays });
    // assigned again after leaving: still the sponsor, judged by the rhythm (3 × 30 = 90)
    const back = left(daysAgo(9), daysAgo(5));
    expect(computeSponsorSilence(back, computeStakeholders(back, NOW), config, NOW, null, never)).toMatchObject({ departed: false, thresholdDays: 90 });
    // without a departure threshold (stakeholder_alignment's silence) a departure changes nothing
    const { leftThresholdDays: _, ...noDeparture } = config;
    expect(computeSponsorSilence(left(daysAgo(9)), computeStakeholders(left(daysAgo(9)), NOW), noDeparture, NOW, null, never).thresholdDays).toBe(90);
  });

  it('ignores visits after now (a read at an earlier time)', () => {
    const s = judge([-3, 30, 37, 44, 51]);
    expect(s.days).toBe(0);
    expect(s.longestGapDays).toBe(7);
  });
});
