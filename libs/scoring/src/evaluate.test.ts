import { validateRecord, type HealthAlert } from '@valuepulse/contracts';
import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState, type SignalMemory } from './account-state.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { evaluate, type Evaluation } from './evaluate.js';
import type { ScoringConfig } from './scoring-config.js';
import { dayIndex, daysAgo, daysBack, emptyState, healthyState, isWorkday, loginDays, milestone, NOW, scriptedState, teamUsage, TODAY, type UsageScript } from './test-support.fixture.js';

const HOUR = 3_600_000;

/** Evaluates `state` at each time, carrying the emitted memory forward like the scorer; returns every evaluation. */
function run(state: AccountState | ((now: number) => AccountState), times: readonly number[], config: ScoringConfig = DEFAULT_SCORING_CONFIG) {
  const evaluations: Evaluation[] = [];
  let emitted = typeof state === 'function' ? state(times[0] ?? NOW).emitted : state.emitted;
  for (const now of times) {
    const s = typeof state === 'function' ? state(now) : state;
    const e = evaluate({ ...s, emitted }, config, now);
    evaluations.push(e);
    emitted = e.emitted;
  }
  return { evaluations, alerts: evaluations.flatMap((e) => e.alerts), last: evaluations[evaluations.length - 1] as Evaluation };
}

/** `state` as already evaluated once at `at` (the memory a running scorer would have). */
function settled(state: AccountState, at = NOW - DAY_MS): AccountState {
  return { ...state, emitted: evaluate(state, DEFAULT_SCORING_CONFIG, at).emitted };
}

/** `state` with the memory of the healthy account a day earlier: what changed since then is news. */
function afterHealthy(state: AccountState): AccountState {
  return { ...state, emitted: settled(healthyState()).emitted };
}

const summary = (alerts: HealthAlert[]) => alerts.map((a) => `${a.signal} ${a.kind} ${a.from_state}>${a.to_state}`);

/** The champion's (u-0's) NPS answer of `score`, `days` ago: the account's latest answer too. */
const championNps = (score: number, days = 2): Partial<AccountState> => ({
  latestNps: { score, at: daysAgo(days) },
  npsAnswers: { 'u-0': { score, at: daysAgo(days), role: null } },
});

/** A degraded account: seats under half used, the champion a detractor, a missed milestone (yellow, ~64). */
const worn = (overrides: Partial<AccountState> = {}) =>
  healthyState({
    activeUsers28d: 15,
    ...championNps(3),
    featureLastUsedAt: { f1: daysAgo(1) },
    workflowLastRunAt: {},
    milestones: { m1: milestone({ dueAt: daysAgo(5) }) },
    ...overrides,
  });

/** A failing account (red, ~37). */
const failing = () =>
  worn({
    activeUsers28d: 8,
    ...championNps(1),
    featureLastUsedAt: {},
    integrations: {},
    roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(70) },
    lastActivityAt: daysAgo(10),
  });

function expectValid(e: Evaluation): void {
  expect(validateRecord('HealthSnapshot', e.snapshot)).toEqual({ ok: true, value: e.snapshot });
  for (const a of e.alerts) expect(validateRecord('HealthAlert', a)).toEqual({ ok: true, value: a });
}

describe('evaluate: the first evaluation', () => {
  it('of a healthy account emits nothing and remembers every normal state', () => {
    const e = evaluate(healthyState(), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts).toEqual([]);
    expect(e.tier).toBe('GREEN');
    expect(e.emitted['login_drop']).toEqual({ state: 'ok', since: NOW, pending: null, lastAlertAt: null });
    expect(Object.keys(e.emitted)).toEqual(expect.arrayContaining(['health_tier', 'going_dark', 'seat_utilisation', 'adoption_depth', 'milestone_missed:m1']));
    expectValid(e);
  });

  it('of a brand-new customer judges nothing that needs history', () => {
    const fresh = emptyState({
      contract: { segment: 'ENTERPRISE', contractedSeats: 500, arr: 1e6, renewalDate: daysAgo(-365), signedAt: NOW - HOUR },
      firstActivityAt: NOW - HOUR,
      lastActivityAt: NOW - HOUR,
      activeUsers7d: 1,
      activeUsers28d: 1,
      days: daysBack({ 0: { logins: 1, events: 1 } }),
    });
    const e = evaluate(fresh, DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts).toEqual([]);
    expect(e.tier).toBe('GREEN');
    expect(e.snapshot.seat_utilisation).toBe(0.002);
    for (const key of ['seat_utilisation', 'adoption_depth', 'value_lock_in', 'login_drop']) expect(e.emitted).not.toHaveProperty(key);
    expectValid(e);
  });

  it('of an account already in trouble alerts each bad state from null, but not the tier', () => {
    const e = evaluate(failing(), DEFAULT_SCORING_CONFIG, NOW);
    expect(summary(e.alerts)).toEqual([
      'seat_utilisation THRESHOLD_CROSSED null>breached',
      'value_lock_in THRESHOLD_CROSSED null>weak',
      'exec_sponsor_silence THRESHOLD_CROSSED null>breached',
      'nps_detractor THRESHOLD_CROSSED null>breached',
      'milestone_missed THRESHOLD_CROSSED null>breached',
    ]);
    expect(e.tier).toBe('RED');
    expectValid(e);
  });

  it('of a customer that signed 20 days ago and never started: going dark', () => {
    const e = evaluate(emptyState({ contract: { segment: 'MID_MARKET', contractedSeats: 10, arr: null, renewalDate: null, signedAt: daysAgo(20) } }), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts).toHaveLength(1);
    expect(e.alerts[0]).toMatchObject({ signal: 'going_dark', severity: 'CRITICAL', value: 20, threshold: 14, from_state: null });
    expect(e.alerts[0]?.evidence[0]).toMatchObject({ factor: 'days_since_contract_signed', value: 20 });
  });
});

describe('evaluate: after a churn', () => {
  const signed = { segment: 'MID_MARKET' as const, contractedSeats: 10, arr: 50_000, renewalDate: null, signedAt: daysAgo(60) };

  it('a churned account that goes dark raises nothing, though its signals and memory still move', () => {
    const e = evaluate(emptyState({ contract: { ...signed, churnedAt: daysAgo(20) } }), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts).toEqual([]);
    expect(e.signals.activity.darkDays).toBe(60);
    expect(e.emitted['going_dark']?.state).toBe('breached');
    // the same account without the churn alerts
    expect(evaluate(emptyState({ contract: signed }), DEFAULT_SCORING_CONFIG, NOW).alerts.map((a) => a.signal)).toContain('going_dark');
  });

  it('a contract signed after the churn makes the account alert again', () => {
    const back = emptyState({ contract: { ...signed, signedAt: daysAgo(20), churnedAt: daysAgo(60) } });
    expect(evaluate(back, DEFAULT_SCORING_CONFIG, NOW).alerts.map((a) => a.signal)).toContain('going_dark');
  });
});

describe('evaluate: alerts with evidence', () => {
  it('a 70 % login drop, then its recovery', () => {
    // the 7 settled days −8…−2 at 6 logins a day instead of 20
    const dropped = afterHealthy(healthyState({ days: daysBack({ ...loginDays(89, 9, 20), ...loginDays(8, 0, 6) }) }));
    const e = evaluate(dropped, DEFAULT_SCORING_CONFIG, NOW);
    // the same week read over 14 days may also be a slide (usage_decline); nothing else changed
    expect(e.alerts.filter((a) => a.signal !== 'usage_decline').map((a) => a.signal)).toEqual(['login_drop']);
    const alert = e.alerts.find((a) => a.signal === 'login_drop') as HealthAlert;
    expect(alert).toMatchObject({
      signal: 'login_drop',
      kind: 'THRESHOLD_CROSSED',
      severity: 'WARNING',
      from_state: 'ok',
      to_state: 'breached',
      value: 70,
      threshold: 30,
      days_to_renewal: 200,
      model_version: 'v1.11.0',
      evaluated_at: NOW,
      emitted_at: NOW,
    });
    expect(alert.evidence.map((f) => [f.factor, f.value])).toEqual([
      ['login_drop_pct', 70],
      ['activity_units', 42],
      ['activity_expected', 140],
      ['evidence_z', expect.any(Number)],
      ['active_users_7d', 35],
    ]);
    expect(alert.evidence.find((f) => f.factor === 'evidence_z')?.value).toBeGreaterThanOrEqual(DEFAULT_SCORING_CONFIG.loginDrop.minEvidenceZ);
    expect(alert.evidence[1]?.detail).toContain('ending 2026-11-20 (settled days)');
    expectValid(e);

    const back = evaluate({ ...healthyState(), emitted: e.emitted }, DEFAULT_SCORING_CONFIG, NOW + DAY_MS);
    expect(summary(back.alerts.filter((a) => a.signal === 'login_drop'))).toEqual(['login_drop RECOVERED breached>ok']);
    expect(back.alerts.find((a) => a.signal === 'login_drop')).toMatchObject({ severity: 'INFO', threshold: 30 });
    expect(back.alerts.filter((a) => a.kind !== 'RECOVERED')).toEqual([]);
  });

  it('going dark with no new input: the ticker’s evaluations fire it on day 14, at midnight', () => {
    const state = settled(healthyState({ lastActivityAt: NOW - HOUR }));
    const times: number[] = [];
    for (let now = NOW; now < (TODAY + 19) * DAY_MS; ) {
      times.push(now);
      now = evaluate({ ...state }, DEFAULT_SCORING_CONFIG, now).nextEvaluationAt;
    }
    // the ticker wakes at each midnight and at each noon, when another day settles
    expect(times.slice(0, 4)).toEqual([NOW, (TODAY + 1) * DAY_MS, NOW + DAY_MS, (TODAY + 2) * DAY_MS]);
    const { alerts, evaluations } = run(state, times);
    const dark = alerts.filter((a) => a.signal === 'going_dark');
    expect(dark).toHaveLength(1);
    expect(dark[0]).toMatchObject({ evaluated_at: (TODAY + 14) * DAY_MS, value: 14, to_state: 'breached' });
    // everyone stopped at once: for up to 14 days that is a pause (going_dark judges it), and the drop
    // is held; once the stop outlasts the allowance (day +1 to the settled day +15) it is a 100 % drop
    const drop = alerts.filter((a) => a.signal === 'login_drop');
    expect(drop.map((a) => [a.from_state, a.to_state, a.value, a.evaluated_at])).toEqual([['ok', 'breached', 100, (TODAY + 17) * DAY_MS + 12 * HOUR]]);
    const held = evaluations.filter((e) => e.signals.loginDrop.stoppedDays !== null && e.signals.loginDrop.pct === null);
    expect(held.length).toBeGreaterThan(20);
    expect(alerts.filter((a) => a.signal === 'usage_decline' || a.signal === 'users_lost')).toEqual([]);
    evaluations.forEach(expectValid);
  });

  it('a ticket flood on one feature names the feature, and the window against the usual rate', () => {
    const e = evaluate(afterHealthy(healthyState({ ticketsByFeature: { [TODAY]: { exports: 3 }, [TODAY - 2]: { exports: 2, sso: 1 } } })), DEFAULT_SCORING_CONFIG, NOW);
    expect(summary(e.alerts)).toEqual(['ticket_flood THRESHOLD_CROSSED ok>breached']);
    expect(e.alerts[0]?.evidence[0]).toMatchObject({ factor: 'tickets_on_feature', value: 5, detail: expect.stringContaining('exports') });
    expect(e.alerts[0]?.evidence.find((f) => f.factor === 'window_tickets')).toMatchObject({ value: 6, detail: expect.stringContaining('against 1 usual') });
    expect(e.snapshot.flood_feature_id).toBe('exports');
  });

  it('five tickets on one feature in a week an account usually files more than that is no flood; held under the threshold, the state stays ok', () => {
    // two tickets every day before the current fortnight: 28 a fortnight, 14 a week usual
    const busy = healthyState();
    const days = Object.fromEntries(Object.entries(busy.days).map(([d, row]) => [d, { ...row, ticketsOpened: Number(d) < TODAY - 13 ? 2 : 0 }]));
    const e = evaluate(afterHealthy({ ...busy, days, ticketsByFeature: { [TODAY]: { exports: 3 }, [TODAY - 2]: { exports: 2, sso: 1 } } }), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts.filter((a) => a.signal === 'ticket_flood')).toEqual([]);
    expect(e.signals.ticketFlood).toMatchObject({ tickets: 5, unusual: false, flooding: false });
    expect(e.emitted['ticket_flood']?.state).toBe('ok');
  });

  it.each([
    ['SMB', 1],
    ['MID_MARKET', 0],
  ] as const)('the flood threshold depends on the segment: 4 tickets in %s → %d alerts', (segment, count) => {
    const base = healthyState();
    const state = { ...base, contract: { ...base.contract, segment }, ticketsByFeature: { [TODAY]: { exports: 4 } }, emitted: settled({ ...base, contract: { ...base.contract, segment } }).emitted };
    expect(evaluate(state, DEFAULT_SCORING_CONFIG, NOW).alerts.filter((a) => a.signal === 'ticket_flood')).toHaveLength(count);
  });

  it('the champion leaves, then a new one is assigned', () => {
    const left = afterHealthy(healthyState({ stakeholders: { 'u-0': { role: 'CHAMPION', assignedAt: daysAgo(118), leftAt: NOW - HOUR } } }));
    const e = evaluate(left, DEFAULT_SCORING_CONFIG, NOW);
    expect(summary(e.alerts)).toEqual(['champion_left THRESHOLD_CROSSED ok>breached']);
    expect(e.alerts[0]?.evidence).toContainEqual(expect.objectContaining({ factor: 'champion_departed', detail: expect.stringContaining('u-0 left on 2026-11-22') }));
    const replaced = { ...left, stakeholders: { ...left.stakeholders, 'u-9': { role: 'CHAMPION' as const, assignedAt: NOW, leftAt: null } }, emitted: e.emitted };
    expect(summary(evaluate(replaced, DEFAULT_SCORING_CONFIG, NOW + HOUR).alerts)).toEqual(['champion_left RECOVERED breached>ok']);
  });

  it('a missed milestone alerts per milestone, with distinct ids, and recovers when achieved late', () => {
    const missed = settled(healthyState({ milestones: { a: milestone({ dueAt: daysAgo(-1) }), b: milestone({ dueAt: daysAgo(-1) }) } }), NOW - 3 * DAY_MS);
    // due tomorrow: missed once that day is over
    expect(evaluate(missed, DEFAULT_SCORING_CONFIG, NOW + DAY_MS).alerts).toEqual([]);
    const e = evaluate(missed, DEFAULT_SCORING_CONFIG, NOW + 2 * DAY_MS);
    const ids = e.alerts.filter((a) => a.signal === 'milestone_missed').map((a) => a.alert_id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    const late = { ...missed, milestones: { ...missed.milestones, a: milestone({ dueAt: daysAgo(-1), achievedAt: NOW + 3 * DAY_MS }) }, emitted: e.emitted };
    expect(summary(evaluate(late, DEFAULT_SCORING_CONFIG, NOW + 3 * DAY_MS).alerts)).toEqual(['milestone_missed RECOVERED breached>ok']);
  });

  it.each([
    [5, ['nps_detractor THRESHOLD_CROSSED ok>breached']],
    [6, ['nps_detractor THRESHOLD_CROSSED ok>breached']],
    [7, []],
  ])('an NPS of %d from the champion (named in the stakeholder map) → %j', (score, expected) => {
    const e = evaluate(afterHealthy(healthyState(championNps(score, 0))), DEFAULT_SCORING_CONFIG, NOW);
    expect(summary(e.alerts.filter((a) => a.signal === 'nps_detractor'))).toEqual(expected);
  });

  it('names the stakeholder, the answer and the account mix in the evidence', () => {
    const e = evaluate(afterHealthy(healthyState(championNps(4, 0))), DEFAULT_SCORING_CONFIG, NOW);
    const alert = e.alerts.find((a) => a.signal === 'nps_detractor') as HealthAlert;
    expect(alert).toMatchObject({ value: 4, threshold: 6 });
    expect(alert.evidence[0]).toMatchObject({ factor: 'named_lowest_nps', value: 4 });
    expect(alert.evidence[0]?.detail).toContain(`champion u-0 answered ${new Date(NOW).toISOString().slice(0, 10)}`);
    expect(alert.evidence.find((f) => f.factor === 'nps_respondents')?.detail).toContain('1 respondents in 180 days: 0 promoters, 0 passives, 1 detractors');
  });

  it('a detractor answer from an unknown respondent or a daily user alone raises nothing: a healthy mix has them', () => {
    const unknown = healthyState({ latestNps: { score: 2, at: NOW } });
    const user = healthyState({ latestNps: { score: 2, at: NOW }, npsAnswers: { 'u-9': { score: 2, at: NOW, role: 'DAILY_USER' } } });
    const npsAlerts = (state: AccountState) => evaluate(afterHealthy(state), DEFAULT_SCORING_CONFIG, NOW).alerts.filter((a) => a.signal.includes('detractor'));
    for (const state of [unknown, user]) expect(npsAlerts(state)).toEqual([]);
  });

  it("detractor_share: the daily users' detractors alert once they are beyond chance (binomial against three in ten), with the chance in the evidence", () => {
    const answers = (scores: number[]) => ({
      latestNps: { score: scores[0] as number, at: NOW },
      npsAnswers: Object.fromEntries(scores.map((score, i) => [`d-${i}`, { score, at: NOW - i * HOUR, role: 'DAILY_USER' as const }])),
    });
    const accountAlerts = (scores: number[]) =>
      evaluate(afterHealthy(healthyState(answers(scores))), DEFAULT_SCORING_CONFIG, NOW).alerts.filter((a) => a.signal.includes('detractor'));
    // 3 of 8 detractors: P(X ≥ 3 | 8, 0.3) = 0.45, a healthy mix
    expect(accountAlerts([9, 8, 5, 10, 6, 9, 4, 8])).toEqual([]);
    // 3 of 3 (P = 0.027): the first answers of a survey wave are too few, whatever they say (minDetractors 4)
    expect(accountAlerts([5, 3, 6])).toEqual([]);
    // 6 of 8: P(X ≥ 6 | 8, 0.3) = 0.0113, just short of 0.01
    expect(accountAlerts([3, 8, 5, 2, 6, 9, 4, 6])).toEqual([]);
    // 7 of 8: 0.0013
    const flood = accountAlerts([3, 8, 5, 2, 6, 4, 4, 6]);
    expect(summary(flood)).toEqual(['detractor_share THRESHOLD_CROSSED ok>breached']);
    expect(flood[0]?.evidence.find((f) => f.factor === 'detractor_chance')).toMatchObject({ value: 0.0013 });
  });

  it('answers older than the look-back are not judged', () => {
    const old = healthyState(championNps(3, DEFAULT_SCORING_CONFIG.npsDetractor.lookbackDays + 1));
    expect(evaluate(afterHealthy(old), DEFAULT_SCORING_CONFIG, NOW).alerts.filter((a) => a.signal === 'nps_detractor')).toEqual([]);
  });

  it('a detractor recovers only past the margin: 7 holds, 8 recovers', () => {
    const detractor = settled(healthyState(championNps(4, 3)));
    const at = (score: number) => evaluate({ ...detractor, ...championNps(score, 0) }, DEFAULT_SCORING_CONFIG, NOW).alerts;
    expect(at(7)).toEqual([]);
    expect(summary(at(8))).toEqual(['nps_detractor RECOVERED breached>ok']);
  });

  it.each([
    [44, 0],
    [45, 1],
  ])('the executive sponsor silent %d days → %d alerts', (days, count) => {
    const e = evaluate(afterHealthy(healthyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(days) } })), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts.filter((a) => a.signal === 'exec_sponsor_silence')).toHaveLength(count);
  });

  it.each([
    [13, 0],
    [14, 1],
  ])('the executive sponsor left (STAKEHOLDER_LEFT), not replaced, last seen %d days ago → %d alerts', (days, count) => {
    const stakeholders = { exec: { role: 'EXECUTIVE_SPONSOR' as const, assignedAt: daysAgo(200), leftAt: daysAgo(days) } };
    const e = evaluate(afterHealthy(healthyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(days) }, stakeholders })), DEFAULT_SCORING_CONFIG, NOW);
    const alerts = e.alerts.filter((a) => a.signal === 'exec_sponsor_silence');
    expect(alerts).toHaveLength(count);
    if (count > 0) expect(alerts[0]?.evidence.find((f) => f.factor === 'exec_sponsor_departed')?.value).toBe(1);
  });

  it('a sponsor who left and was replaced is judged by the successor: no alert while the new sponsor is fresh', () => {
    const stakeholders = {
      exec: { role: 'EXECUTIVE_SPONSOR' as const, assignedAt: daysAgo(200), leftAt: daysAgo(20) },
      next: { role: 'EXECUTIVE_SPONSOR' as const, assignedAt: daysAgo(10), leftAt: null },
    };
    const e = evaluate(afterHealthy(healthyState({ roleLastActiveAt: { EXECUTIVE_SPONSOR: daysAgo(25) }, stakeholders })), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.alerts.filter((a) => a.signal === 'exec_sponsor_silence')).toEqual([]);
  });
});

describe('evaluate: tier changes', () => {
  it('changes the tier both ways, each after the 2-day dwell, with the score components as evidence', () => {
    const days = [0, 1, 2, 3, 4, 5].map((d) => NOW + d * DAY_MS);
    const { evaluations } = run((now) => (now < NOW + 3 * DAY_MS ? afterHealthy(worn()) : healthyState()), days);
    const tiers = evaluations.map((e) => e.tier);
    expect(tiers).toEqual(['GREEN', 'GREEN', 'YELLOW', 'YELLOW', 'YELLOW', 'GREEN']);
    expect(evaluations[0]?.snapshot.tier).toBe('GREEN');
    const changes = evaluations.flatMap((e) => e.alerts.filter((a) => a.signal === 'health_tier'));
    expect(changes.map((a) => [a.kind, a.from_state, a.to_state, a.severity, a.threshold, a.evaluated_at])).toEqual([
      ['TIER_CHANGED', 'GREEN', 'YELLOW', 'INFO', 75, NOW + 2 * DAY_MS],
      ['TIER_CHANGED', 'YELLOW', 'GREEN', 'INFO', 75, NOW + 5 * DAY_MS],
    ]);
    const evidence = changes[0]?.evidence ?? [];
    expect(evidence[0]).toMatchObject({ factor: 'health_score' });
    expect(evidence.map((f) => f.factor)).toContain('health.relationship');
    // the biggest drag comes first: the detractor's relationship score
    expect(evidence[1]).toMatchObject({ factor: 'health.relationship', value: 30 });
  });

  it('a fall to red is critical', () => {
    const { alerts } = run(() => afterHealthy(failing()), [NOW, NOW + DAY_MS, NOW + 2 * DAY_MS]);
    expect(alerts.find((a) => a.signal === 'health_tier')).toMatchObject({ from_state: 'GREEN', to_state: 'RED', severity: 'CRITICAL', threshold: 40 });
  });

  it('raises severity near renewal when the account is not green, never for good news', () => {
    const orange: SignalMemory = { state: 'ORANGE', since: NOW - 10 * DAY_MS, pending: null, lastAlertAt: NOW - 10 * DAY_MS };
    const renewing = (days: number) => {
      const s = healthyState({ days: daysBack({ ...loginDays(89, 9, 20), ...loginDays(8, 0, 6) }) });
      return { ...s, contract: { ...s.contract, renewalDate: daysAgo(-days) }, emitted: { ...settled(s).emitted, health_tier: orange, login_drop: { state: 'ok', since: NOW - DAY_MS, pending: null, lastAlertAt: null } } };
    };
    const drop = (days: number) => evaluate(renewing(days), DEFAULT_SCORING_CONFIG, NOW).alerts.find((a) => a.signal === 'login_drop');
    expect(drop(200)).toMatchObject({ severity: 'WARNING', days_to_renewal: 200 });
    expect(drop(45)).toMatchObject({ severity: 'CRITICAL', days_to_renewal: 45 });
    expect(drop(45)?.evidence).toContainEqual(expect.objectContaining({ factor: 'days_to_renewal', value: 45, detail: expect.stringContaining('within 60 days') }));
    // the same drop on a green account is not raised
    const green = renewing(45);
    const greenDrop = evaluate({ ...green, emitted: { ...green.emitted, health_tier: { ...orange, state: 'GREEN' } } }, DEFAULT_SCORING_CONFIG, NOW);
    expect(greenDrop.alerts.find((a) => a.signal === 'login_drop')?.severity).toBe('WARNING');
  });
});

describe('evaluate: no flapping end to end', () => {
  it('seat utilisation hovering at 48–52 % of seats, twice a day for 60 days, alerts once', () => {
    const times = Array.from({ length: 120 }, (_, i) => NOW + i * 12 * HOUR);
    const { alerts } = run((now) => healthyState({ activeUsers28d: Math.round((now - NOW) / (12 * HOUR)) % 2 === 0 ? 24 : 26, emitted: {} }), times);
    expect(summary(alerts.filter((a) => a.signal === 'seat_utilisation'))).toEqual(['seat_utilisation THRESHOLD_CROSSED null>breached']);
  });

  it('seat utilisation swinging 40 ↔ 60 % daily for 60 days: never the same transition twice in 7 days', () => {
    const times = Array.from({ length: 60 }, (_, i) => NOW + i * DAY_MS);
    const { alerts } = run((now) => healthyState({ activeUsers28d: Math.round((now - NOW) / DAY_MS) % 2 === 0 ? 20 : 30 }), times);
    const seat = alerts.filter((a) => a.signal === 'seat_utilisation');
    seat.slice(1).forEach((a, i) => expect(a.from_state).toBe(seat[i]?.to_state));
    for (const a of seat) {
      expect(seat.filter((o) => o.to_state === a.to_state && o.evaluated_at > a.evaluated_at && o.evaluated_at < a.evaluated_at + 7 * DAY_MS)).toEqual([]);
    }
    // 59 raw flips become one round trip a week: each repeat waits out its cool-down
    expect(seat).toHaveLength(16);
    expect(seat.slice(0, 4).map((a) => (a.evaluated_at - NOW) / DAY_MS)).toEqual([0, 1, 8, 9]);
    expect(new Set(alerts.map((a) => a.alert_id)).size).toBe(alerts.length);
  });
});

describe('evaluate: integration-driven accounts', () => {
  it('raises no seat alert and leaves seats out of the score while API calls are at least half the activity; the snapshot still shows the ratio', () => {
    const people = healthyState({ activeUsers28d: 2 });
    const machines = { ...people, days: Object.fromEntries(Object.entries(people.days).map(([d, c]) => [d, { ...c, apiCalls: 2 * (c.logins + c.workflowRuns) }])) };
    const byPeople = evaluate(people, DEFAULT_SCORING_CONFIG, NOW);
    const byMachines = evaluate(machines, DEFAULT_SCORING_CONFIG, NOW);
    expect(byPeople.alerts.map((a) => a.signal)).toContain('seat_utilisation');
    expect(byMachines.alerts.map((a) => a.signal)).not.toContain('seat_utilisation');
    expect(byMachines.snapshot.seat_utilisation).toBe(byPeople.snapshot.seat_utilisation);
    expect(byMachines.signals.seatUtilisation).toMatchObject({ judged: false });
    expect(byMachines.signals.health.score).toBeGreaterThan(byPeople.signals.health.score);
  });
});

describe('evaluate: determinism and bookkeeping', () => {
  it('gives deep-equal output for the same input and leaves the input untouched', () => {
    const state = settled(failing());
    const before = structuredClone(state);
    const a = evaluate(state, DEFAULT_SCORING_CONFIG, NOW);
    const b = evaluate(structuredClone(state), DEFAULT_SCORING_CONFIG, NOW);
    expect(a).toEqual(b);
    expect(state).toEqual(before);
  });

  it('gives the same alert ids when a replay evaluates later the same UTC day', () => {
    const state = afterHealthy(failing());
    const ids = (now: number) => evaluate(state, DEFAULT_SCORING_CONFIG, now).alerts.map((a) => a.alert_id);
    expect(ids(NOW).length).toBeGreaterThan(0);
    expect(ids(NOW + 11 * HOUR)).toEqual(ids(NOW));
    expect(ids((TODAY + 1) * DAY_MS)).not.toEqual(ids(NOW));
  });

  it.each([
    ['noon, just after day −2 settled: the next midnight', NOW, (TODAY + 1) * DAY_MS],
    ['an hour before noon: when day −2 settles', NOW - HOUR, NOW],
    ['midnight: noon, when day −2 settles', TODAY * DAY_MS, NOW],
    ['a millisecond before midnight', (TODAY + 1) * DAY_MS - 1, (TODAY + 1) * DAY_MS],
  ])('asks to be evaluated again when the next day settles or at the next UTC midnight, whichever is first: at %s', (_name, now, next) => {
    expect(evaluate(healthyState(), DEFAULT_SCORING_CONFIG, now).nextEvaluationAt).toBe(next);
  });

  it('without a late window, days settle at midnight', () => {
    const noLateWindow = structuredClone(DEFAULT_SCORING_CONFIG) as ScoringConfig;
    noLateWindow.loginDrop.lateWindowHours = 0;
    expect(evaluate(healthyState(), noLateWindow, NOW - HOUR).nextEvaluationAt).toBe((TODAY + 1) * DAY_MS);
  });

  it('asks to be evaluated again at the next UTC midnight, or earlier when a dwell or cool-down ends first', () => {
    expect(evaluate(healthyState(), DEFAULT_SCORING_CONFIG, NOW).nextEvaluationAt).toBe((TODAY + 1) * DAY_MS);
    const quickDwell = structuredClone(DEFAULT_SCORING_CONFIG) as ScoringConfig;
    quickDwell.health.dwellDays = 0.25;
    const pending = evaluate(afterHealthy(worn()), quickDwell, NOW);
    expect(pending.tier).toBe('GREEN');
    expect(pending.nextEvaluationAt).toBe(NOW + 6 * HOUR);
    const shortCooldown = structuredClone(DEFAULT_SCORING_CONFIG) as ScoringConfig;
    shortCooldown.noise.cooldownDays = 1;
    const cooling: SignalMemory = { state: 'ok', since: NOW - 19 * HOUR, pending: null, lastAlertAt: NOW - 19 * HOUR, transitions: { 'ok>breached': NOW - 20 * HOUR } };
    const dropped = healthyState({ days: daysBack({ ...loginDays(89, 9, 20), ...loginDays(8, 0, 6) }) });
    const held = evaluate({ ...dropped, emitted: { ...settled(dropped).emitted, login_drop: cooling } }, shortCooldown, NOW);
    expect(held.alerts.filter((a) => a.signal === 'login_drop')).toEqual([]);
    expect(held.nextEvaluationAt).toBe(NOW + 4 * HOUR);
  });

  it('carries keys it does not own, and forgets its own keys for signals no longer observed', () => {
    const mine: SignalMemory = { state: 'ok', since: 1, pending: null, lastAlertAt: null };
    const theirs: SignalMemory = { state: '["sig"]', since: 5, pending: null, lastAlertAt: null };
    const disabled = structuredClone(DEFAULT_SCORING_CONFIG) as ScoringConfig;
    disabled.ticketFlood.enabled = false;
    const e = evaluate(healthyState({ emitted: { _snapshot: theirs, 'milestone_missed:gone': mine, ticket_flood: mine } }), disabled, NOW);
    expect(e.emitted['_snapshot']).toEqual(theirs);
    expect(e.emitted).not.toHaveProperty('milestone_missed:gone');
    expect(e.emitted).not.toHaveProperty('ticket_flood');
    expect(e.emitted).toHaveProperty('milestone_missed:m1');
  });

  it('stamps the snapshot with now and the tier after noise control', () => {
    const e = evaluate(afterHealthy(worn()), DEFAULT_SCORING_CONFIG, NOW);
    expect(e.signals.health.rawTier).toBe('YELLOW');
    expect(e.snapshot).toMatchObject({ as_of: NOW, tier: 'GREEN', health_score: e.healthScore, model_version: 'v1.11.0', segment: 'MID_MARKET' });
  });

  it("carries the state's count of applied events into the snapshot as events_applied (0 when the store does not count)", () => {
    expect(evaluate({ ...healthyState(), eventsApplied: 4_321 }, DEFAULT_SCORING_CONFIG, NOW).snapshot.events_applied).toBe(4_321);
    const { eventsApplied: _omitted, ...uncounted } = healthyState();
    expect(evaluate(uncounted, DEFAULT_SCORING_CONFIG, NOW).snapshot.events_applied).toBe(0);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a now of %d', (now) => {
    expect(() => evaluate(healthyState(), DEFAULT_SCORING_CONFIG, now)).toThrow(RangeError);
  });
});

const USAGE_SIGNALS = ['login_drop', 'usage_decline', 'users_lost'];

/**
 * Follows `script` the way the scorer's ticker does: evaluates at `from`,
 * then at each `nextEvaluationAt` up to `to`, the state read afresh each
 * time and the memory carried forward.
 */
function follow(script: UsageScript, from: number, to: number, config: ScoringConfig = DEFAULT_SCORING_CONFIG) {
  const evaluations: { now: number; e: Evaluation }[] = [];
  let emitted: AccountState['emitted'] = {};
  for (let now = from; now <= to; ) {
    const e = evaluate(scriptedState(script, now, emitted), config, now);
    evaluations.push({ now, e });
    emitted = e.emitted;
    now = e.nextEvaluationAt;
  }
  const alerts = evaluations.flatMap(({ e }) => e.alerts);
  return { evaluations, alerts, usage: alerts.filter((a) => USAGE_SIGNALS.includes(a.signal)) };
}

/** Whether `day` is one of the last three working days of its month. */
function monthEndClose(day: number): boolean {
  const date = new Date(day * DAY_MS);
  let last = dayIndex(date.getUTCFullYear(), date.getUTCMonth() + 2, 1) - 1;
  for (let n = 0; n < 3; last -= 1) {
    if (!isWorkday(last)) continue;
    if (last === day) return true;
    n += 1;
  }
  return false;
}

describe('evaluate: usage against the account’s own rhythm', () => {
  // a company-wide shutdown over the holidays: nobody logs in for 10 days, scheduled workflows run on
  const shutdownFrom = dayIndex(2026, 12, 22);
  const shutdownTo = shutdownFrom + 9;
  const withShutdown = (seed: number) => teamUsage({ startDay: dayIndex(2026, 8, 1), seed, presence: (day) => (day >= shutdownFrom && day <= shutdownTo ? 0 : 1) });
  // the shutdown lies in the default year-end quiet season (v1.9): without it, the pause rule is what is tested
  const noSeasons = structuredClone(DEFAULT_SCORING_CONFIG) as ScoringConfig;
  noSeasons.loginDrop.quietSeasons = [];

  it.each([1, 2, 3])('a 10-day shutdown of a steady 40-user account (seed %d): no usage alert through it and 5 weeks after', (seed) => {
    const { evaluations, usage } = follow(withShutdown(seed), (shutdownFrom - 1) * DAY_MS, (shutdownTo + 36) * DAY_MS, noSeasons);
    expect(evaluations.length).toBeGreaterThan(2 * 45);
    expect(usage).toEqual([]);
    // not for want of judging: held during the shutdown, judged before and after it
    // (from the second settled quiet day: one quiet day is not yet a stop)
    const during = evaluations.filter(({ now }) => now >= (shutdownFrom + 4) * DAY_MS && now < (shutdownTo + 2) * DAY_MS);
    expect(during.every(({ e }) => e.signals.loginDrop.pct === null && e.signals.usersLost.pct === null)).toBe(true);
    const after = evaluations.filter(({ now }) => now >= (shutdownTo + 14) * DAY_MS);
    expect(after.filter(({ e }) => e.signals.loginDrop.pct !== null).length).toBeGreaterThan(after.length * 0.8);
    expect(after.filter(({ e }) => e.signals.usersLost.regulars >= 25).length).toBeGreaterThan(after.length * 0.8);
  });

  it('the same shutdown read with a 5-day pause allowance is a drop: the test above can fail', () => {
    const shortPauses = structuredClone(noSeasons);
    shortPauses.loginDrop.pauseMaxDays = 5;
    const { usage } = follow(withShutdown(1), (shutdownFrom - 1) * DAY_MS, (shutdownTo + 36) * DAY_MS, shortPauses);
    expect(usage.filter((a) => a.signal === 'login_drop' && a.to_state === 'breached').length).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])('a month-end-peaked account (×3 in the last 3 working days, ×0.4 otherwise; seed %d): no drop alert over 3 months', (seed) => {
    const script = teamUsage({ startDay: dayIndex(2026, 6, 1), seed, intensity: (day) => (monthEndClose(day) ? 3 : 0.4) });
    const { evaluations, usage } = follow(script, dayIndex(2026, 9, 1) * DAY_MS, dayIndex(2026, 12, 1) * DAY_MS);
    expect(usage).toEqual([]);
    // judged all along, and the peaks are there to see: the week with a close reads as growth
    expect(evaluations.every(({ e }) => e.signals.loginDrop.assessable || e.signals.loginDrop.stoppedDays !== null)).toBe(true);
    expect(Math.min(...evaluations.map(({ e }) => e.signals.loginDrop.pct ?? 0))).toBeLessThan(-50);
  });

  // 80 % of the use stops on a Monday: people and the workflows they run. The account is 10 weeks old,
  // all of its history inside the 90 days the store keeps.
  const onset = dayIndex(2026, 11, 2);
  const suddenDrop = (seed: number) =>
    teamUsage({ startDay: onset - 70, seed, presence: (day) => (day >= onset ? 0.2 : 1), machine: (day) => ({ workflowRuns: day >= onset ? 4 : 20 }) });

  it.each([1, 2, 3, 4, 5])('an 80 %% sudden drop on a 40-user account (seed %d) alerts login_drop within 5 days of onset', (seed) => {
    const { usage, evaluations } = follow(suddenDrop(seed), (onset - 7) * DAY_MS, (onset + 5) * DAY_MS);
    expect(usage.filter((a) => a.evaluated_at < onset * DAY_MS)).toEqual([]);
    const drop = usage.find((a) => a.signal === 'login_drop');
    expect(drop).toMatchObject({ kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' });
    expect(drop?.value).toBeGreaterThanOrEqual(30);
    expect(drop?.evaluated_at).toBeLessThanOrEqual((onset + 5) * DAY_MS);
    evaluations.forEach(({ e }) => expectValid(e));
  });

  it('duplicated evaluation inputs are deterministic: the same result, and no second alert', () => {
    const script = suddenDrop(1);
    const { evaluations } = follow(script, (onset - 7) * DAY_MS, (onset + 5) * DAY_MS);
    const alerting = evaluations.find(({ e }) => e.alerts.some((a) => a.signal === 'login_drop'));
    if (alerting === undefined) throw new Error('the drop never alerted');
    const before = evaluations[evaluations.indexOf(alerting) - 1];
    const state = scriptedState(script, alerting.now, before?.e.emitted);
    const first = evaluate(state, DEFAULT_SCORING_CONFIG, alerting.now);
    expect(evaluate(structuredClone(state), DEFAULT_SCORING_CONFIG, alerting.now)).toEqual(first);
    expect(first.alerts).toEqual(alerting.e.alerts);
    // the same input delivered again after the result was stored: nothing new to say
    const again = evaluate({ ...state, emitted: first.emitted }, DEFAULT_SCORING_CONFIG, alerting.now);
    expect(again.alerts).toEqual([]);
    expect(again.emitted).toEqual(first.emitted);
  });
});
