import { describe, expect, it } from 'vitest';
import type { StakeholderRole } from '@valuepulse/contracts';
import type { AccountState, NpsAnswer } from '../account-state.js';
import { DEFAULT_SCORING_CONFIG } from '../default-scoring-config.js';
import { evaluate } from '../evaluate.js';
import { daysAgo, defaults, healthyState, NOW, TODAY } from '../test-support.fixture.js';
import { computeStakeholderAlignment } from './stakeholder-alignment.js';
import { computeStakeholders } from './stakeholders.js';

const never = () => false;
const config = defaults();

function alignment(state: AccountState, options: { onboarding?: boolean; paused?: (day: number) => boolean; startDay?: number | null; config?: typeof config } = {}) {
  return computeStakeholderAlignment(state, computeStakeholders(state, NOW), options.config ?? config, NOW, options.startDay ?? TODAY - 119, options.onboarding ?? false, options.paused ?? never);
}

/** A healthy account whose sponsor and economic buyer were last seen `sponsorAgo` and `buyerAgo` days ago (assigned long before). */
function decisionMakers(sponsorAgo: number | null, buyerAgo: number | null, overrides: Partial<AccountState> = {}): AccountState {
  return healthyState({
    roleLastActiveAt: {
      ...(sponsorAgo === null ? {} : { EXECUTIVE_SPONSOR: daysAgo(sponsorAgo) }),
      ...(buyerAgo === null ? {} : { ECONOMIC_BUYER: daysAgo(buyerAgo) }),
      DAILY_USER: daysAgo(0),
    },
    stakeholders: {
      'u-0': { role: 'CHAMPION', assignedAt: daysAgo(118), leftAt: null },
      ...(sponsorAgo === null ? {} : { ceo: { role: 'EXECUTIVE_SPONSOR', assignedAt: daysAgo(118), leftAt: null } }),
      ...(buyerAgo === null ? {} : { cfo: { role: 'ECONOMIC_BUYER', assignedAt: daysAgo(118), leftAt: null } }),
    },
    // both visited every 7 days from the account's start until they went quiet: a known rhythm (longest gap 7 → threshold max(45, 21))
    roleActiveDays: {
      ...(sponsorAgo === null ? {} : { EXECUTIVE_SPONSOR: weekly(sponsorAgo) }),
      ...(buyerAgo === null ? {} : { ECONOMIC_BUYER: weekly(buyerAgo) }),
    },
    ...overrides,
  });
}

/** Visit days every 7 days from `lastAgo` days ago back to the account's first day (119 days ago), newest first. */
function weekly(lastAgo: number): number[] {
  const out: number[] = [];
  for (let ago = lastAgo; ago <= 119 && out.length < 16; ago += 7) out.push(TODAY - ago);
  return out;
}

/** Answers `[user, score, role?, daysAgo?]`; a role of null leaves it to the stakeholder map. */
function answers(list: [string, number, StakeholderRole | null, number?][]): Record<string, NpsAnswer> {
  return Object.fromEntries(list.map(([user, score, role, ago = 10]) => [user, { score, at: daysAgo(ago), role }]));
}

describe('computeStakeholderAlignment: silent decision makers', () => {
  it.each([
    ['both silent past their threshold while users work', 50, 60, 1],
    ['the sponsor silent, the buyer seen recently', 50, 10, 0],
    ['the buyer silent, the sponsor seen recently', 5, 60, 0],
    ['both silent, just under the threshold (45)', 44, 44, 0],
    ['both at the threshold', 45, 45, 1],
  ] as const)('%s → level %s', (_name, sponsorAgo, buyerAgo, level) => {
    const a = alignment(decisionMakers(sponsorAgo, buyerAgo));
    expect(a.level).toBe(level);
    expect(a.decisionMakersSilent).toBe(level === 1);
    expect(a.sponsor.thresholdDays).toBe(45);
  });

  it('a role nobody was ever seen in or assigned to is not silent', () => {
    expect(alignment(decisionMakers(80, null)).level).toBe(0);
    expect(alignment(decisionMakers(null, 80)).level).toBe(0);
  });

  it('judges each against their own rhythm: a buyer whose longest gap was 30 days is not silent at 60 (threshold 90)', () => {
    const state = decisionMakers(60, 60);
    state.roleActiveDays = { ...state.roleActiveDays, ECONOMIC_BUYER: [TODAY - 60, TODAY - 90, TODAY - 100, TODAY - 110] };
    const a = alignment(state);
    expect(a.buyer).toMatchObject({ days: 60, longestGapDays: 30, thresholdDays: 90 });
    expect(a.level).toBe(0);
  });

  it('a buyer who never logs in: silence counts from the assignment and the threshold doubles (rhythm unknown), at most maxSilenceDays', () => {
    const state = decisionMakers(100, 0);
    state.roleLastActiveAt = { EXECUTIVE_SPONSOR: daysAgo(100), DAILY_USER: daysAgo(0) };
    state.roleActiveDays = { EXECUTIVE_SPONSOR: state.roleActiveDays?.EXECUTIVE_SPONSOR ?? [] };
    state.stakeholders = { ...state.stakeholders, cfo: { role: 'ECONOMIC_BUYER', assignedAt: daysAgo(89), leftAt: null } };
    // without a vacation season: 89 days back from November 22 reach into August (below)
    const noSeason = { ...config, loginDrop: { ...config.loginDrop, vacationSeasons: [] } };
    expect(alignment(state, { config: noSeason }).buyer).toMatchObject({ days: 89, longestGapDays: null, thresholdDays: 90, seasonDays: 0 });
    expect(alignment(state, { config: noSeason }).level).toBe(0);
    state.stakeholders = { ...state.stakeholders, cfo: { role: 'ECONOMIC_BUYER', assignedAt: daysAgo(90), leftAt: null } };
    expect(alignment(state, { config: noSeason }).level).toBe(1);
    // with the default season (July and August) the silence's August days are not counted, up to 14 (v1.11)
    expect(alignment(state).buyer).toMatchObject({ days: 83, seasonDays: 7 });
  });

  it('needs users at work and an account past onboarding', () => {
    expect(alignment(decisionMakers(50, 60, { activeUsers7d: 2 })).level).toBe(0);
    expect(alignment(decisionMakers(50, 60, { activeUsers7d: 3 })).level).toBe(1);
    expect(alignment(decisionMakers(50, 60), { onboarding: true }).level).toBe(0);
  });

  it('does not count days the whole account paused', () => {
    const paused = (day: number) => day > TODAY - 20;
    const a = alignment(decisionMakers(50, 60), { paused });
    expect(a.sponsor).toMatchObject({ days: 30, pausedDays: 20 });
    expect(a.level).toBe(0);
  });
});

describe('computeStakeholderAlignment: detractors concentrated in one role', () => {
  const sponsorsHappy: [string, number, StakeholderRole | null][] = [['ceo', 9, 'EXECUTIVE_SPONSOR'], ['cfo', 10, 'ECONOMIC_BUYER'], ['cto', 8, 'TECHNICAL_OWNER']];

  it('two daily-user detractors against happy decision makers: divided, with NPS by role', () => {
    const state = healthyState({ npsAnswers: answers([...sponsorsHappy, ['amy', 3, 'DAILY_USER'], ['bob', 5, 'DAILY_USER'], ['cat', 8, 'DAILY_USER']]) });
    const a = alignment(state);
    expect(a.divided).toEqual({ role: 'DAILY_USER', detractors: 2, answers: 3, nps: -67, restNps: 67, restAnswers: 3 });
    expect(a.level).toBe(2);
    expect(a.state).toBe('divided');
    expect(a.npsByRole.map((r) => [r.role, r.nps])).toEqual([
      ['DAILY_USER', -67],
      ['ECONOMIC_BUYER', 100],
      ['EXECUTIVE_SPONSOR', 100],
      ['TECHNICAL_OWNER', 0],
    ]);
  });

  it.each([
    ['one detractor is not a pattern', [['amy', 3, 'DAILY_USER'], ['bob', 8, 'DAILY_USER']], null],
    ['unhappy everywhere is not a division (gap 50, under 60)', [['amy', 3, 'DAILY_USER'], ['bob', 5, 'DAILY_USER'], ['x', 4, 'EXECUTIVE_SPONSOR'], ['y', 8, 'ECONOMIC_BUYER']], null],
    [
      'a role balanced between detractors and promoters (NPS 0, above -25)',
      [['ceo', 9, 'EXECUTIVE_SPONSOR'], ['cfo', 10, 'ECONOMIC_BUYER'], ['cto', 8, 'TECHNICAL_OWNER'], ['amy', 3, 'DAILY_USER'], ['bob', 5, 'DAILY_USER'], ['cat', 10, 'DAILY_USER'], ['dan', 9, 'DAILY_USER']],
      null,
    ],
    ['too few other answers', [['amy', 3, 'DAILY_USER'], ['bob', 5, 'DAILY_USER'], ['ceo', 10, 'EXECUTIVE_SPONSOR']], null],
    ['detractors of unknown role are never the divided role', [['amy', 3, null], ['bob', 5, null], ['ceo', 10, 'EXECUTIVE_SPONSOR'], ['cfo', 9, 'ECONOMIC_BUYER']], null],
  ] as const)('%s', (_name, list, expected) => {
    const given = (list as readonly (readonly [string, number, StakeholderRole | null])[]).map(([u, s, r]) => [u, s, r] as [string, number, StakeholderRole | null]);
    expect(alignment(healthyState({ npsAnswers: answers(given) })).divided).toEqual(expected);
  });

  it("takes a respondent's role from the stakeholder map when the answer names none", () => {
    const state = healthyState({
      stakeholders: { tom: { role: 'TECHNICAL_OWNER', assignedAt: daysAgo(100), leftAt: null }, tim: { role: 'TECHNICAL_OWNER', assignedAt: daysAgo(100), leftAt: null } },
      npsAnswers: answers([['tom', 2, null], ['tim', 4, null], ...sponsorsHappy.slice(0, 2), ['amy', 9, 'DAILY_USER']]),
    });
    expect(alignment(state).divided).toMatchObject({ role: 'TECHNICAL_OWNER', detractors: 2, nps: -100, restNps: 100 });
  });

  it('looks back npsLookbackDays (180): older answers and answers after now do not count', () => {
    const list = (amyAgo: number): [string, number, StakeholderRole | null, number][] => [
      ['amy', 3, 'DAILY_USER', amyAgo], ['bob', 5, 'DAILY_USER', 5], ['ceo', 9, 'EXECUTIVE_SPONSOR', 5], ['cfo', 10, 'ECONOMIC_BUYER', 5], ['cat', 2, 'DAILY_USER', -1],
    ];
    const a = alignment(healthyState({ npsAnswers: answers(list(181)) }));
    expect(a.npsByRole.find((r) => r.role === 'DAILY_USER')).toMatchObject({ answers: 1, detractors: 1 });
    expect(a.divided).toBeNull();
    expect(alignment(healthyState({ npsAnswers: answers(list(179)) })).divided).toMatchObject({ role: 'DAILY_USER', detractors: 2 });
  });

  it('reports CSAT per requester role over the look-back, not judged', () => {
    const csat = (score: number, ago: number, role: StakeholderRole | null) => ({ score, at: daysAgo(ago), role });
    const state = healthyState({
      csatAnswers: { t1: csat(1, 3, 'DAILY_USER'), t2: csat(2, 4, 'DAILY_USER'), t3: csat(4, 5, 'DAILY_USER'), t4: csat(5, 2, null), t5: csat(1, 200, 'TECHNICAL_OWNER') },
    });
    const a = alignment(state);
    expect(a.csatByRole).toEqual([
      { role: 'DAILY_USER', answers: 3, average: 2.33, low: 2 },
      { role: 'UNKNOWN', answers: 1, average: 5, low: 0 },
    ]);
    expect(a.level).toBe(0);
  });

  it('a state without answers by respondent (older store) judges nothing', () => {
    const { npsAnswers: _none, ...older } = healthyState({ latestNps: { score: 0, at: daysAgo(1) } });
    const a = alignment(older);
    expect(a.npsByRole).toEqual([]);
    expect(a.level).toBe(0);
  });
});

describe('stakeholder_alignment alerts', () => {
  const divided = healthyState({
    npsAnswers: answers([['ceo', 9, 'EXECUTIVE_SPONSOR'], ['cfo', 10, 'ECONOMIC_BUYER'], ['amy', 3, 'DAILY_USER'], ['bob', 5, 'DAILY_USER']]),
  });

  it('a healthy account raises none', () => {
    const e = evaluate(healthyState(), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts.filter((a) => a.signal === 'stakeholder_alignment')).toEqual([]);
    expect(e.emitted.stakeholder_alignment?.state).toBe('ok');
  });

  it('divided: INFO after the dwell day, with the role, its NPS against the rest and NPS by role as evidence', () => {
    const start = evaluate({ ...healthyState(), emitted: {} }, DEFAULT_SCORING_CONFIG, NOW - 3 * 86_400_000).emitted;
    const seen = evaluate({ ...divided, emitted: start }, DEFAULT_SCORING_CONFIG, NOW - 2 * 86_400_000);
    // the dwell day: seen, not emitted yet
    expect(seen.alerts.filter((a) => a.signal === 'stakeholder_alignment')).toEqual([]);
    const e = evaluate({ ...divided, emitted: seen.emitted }, DEFAULT_SCORING_CONFIG, NOW - 86_400_000 + 1);
    const alert = e.alerts.find((a) => a.signal === 'stakeholder_alignment');
    expect(alert).toMatchObject({ kind: 'THRESHOLD_CROSSED', severity: 'INFO', from_state: 'ok', to_state: 'divided', value: 2, threshold: 2 });
    expect(alert?.evidence[0]).toMatchObject({ factor: 'detractors_in_role', value: 2, detail: expect.stringContaining('daily user: 2 of 2 answers detractors (NPS -100) against NPS 100') });
    expect(alert?.evidence.filter((f) => f.factor === 'nps_by_role').map((f) => f.detail?.split(':')[0])).toEqual(['daily user', 'economic buyer', 'executive sponsor']);
    expect(alert?.evidence.filter((f) => f.factor === 'csat_by_role')).toEqual([]);
  });

  it('silent decision makers: INFO to "silent", naming both roles and their days', () => {
    const start = evaluate(healthyState(), DEFAULT_SCORING_CONFIG, NOW - 3 * 86_400_000).emitted;
    const state = decisionMakers(50, 60, { csatAnswers: { t1: { score: 2, at: daysAgo(3), role: 'TECHNICAL_OWNER' } } });
    const pending = evaluate({ ...state, emitted: start }, DEFAULT_SCORING_CONFIG, NOW - 2 * 86_400_000).emitted;
    const e = evaluate({ ...state, emitted: pending }, DEFAULT_SCORING_CONFIG, NOW);
    const alert = e.alerts.find((a) => a.signal === 'stakeholder_alignment');
    expect(alert).toMatchObject({ severity: 'INFO', to_state: 'silent' });
    expect(alert?.evidence.find((f) => f.factor === 'exec_sponsor_silent_days')?.value).toBe(50);
    expect(alert?.evidence.find((f) => f.factor === 'economic_buyer_silent_days')).toMatchObject({ value: 60, detail: expect.stringContaining('silent from 45 days') });
    expect(alert?.evidence.find((f) => f.factor === 'csat_by_role')).toMatchObject({ value: 2, detail: expect.stringContaining('technical owner requesters: 1 CSAT answers in 180 days, average 2 of 5, 1 low') });
  });

  it('is off when disabled: no observation, no memory', () => {
    const off = structuredClone(DEFAULT_SCORING_CONFIG) as typeof DEFAULT_SCORING_CONFIG;
    (off as { stakeholderAlignment: { enabled: boolean } }).stakeholderAlignment.enabled = false;
    expect(evaluate(divided, off, NOW).emitted.stakeholder_alignment).toBeUndefined();
  });
});
