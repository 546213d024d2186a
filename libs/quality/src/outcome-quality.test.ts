import { describe, expect, it } from 'vitest';
import type { QualityAlert } from './detection-quality.js';
import { leadTimes, nonGreenFromAlerts, outcomeQuality, rocAuc } from './outcome-quality.js';
import { formatOutcomeTable } from './outcome-table.js';
import type { Outcome } from './outcomes.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const d = (n: number) => T0 + n * DAY;
const period = { from: d(0), to: d(365) };

const outcome = (account_id: string, kind: Outcome['kind'], day: number, arr_lost = 0, renewalDay: number | null = null): Outcome => ({
  account_id, kind, at: d(day), renewal_at: renewalDay === null ? null : d(renewalDay), arr_before: 1000, arr_lost,
});
const alert = (account_id: string, day: number, fields: Partial<QualityAlert> = {}): QualityAlert => ({
  account_id, signal: 'login_drop', kind: 'THRESHOLD_CROSSED', severity: 'WARNING', from_state: 'ok', to_state: 'breached', evaluated_at: d(day), ...fields,
});

describe('rocAuc', () => {
  it.each([
    { pos: [3, 4], neg: [1, 2], auc: 1 },
    { pos: [1, 2], neg: [3, 4], auc: 0 },
    { pos: [2], neg: [2], auc: 0.5 },
    // pairs: (2,1) win, (2,2) tie, (2,3) loss, (3,1) win, (3,2) win, (3,3) tie → (3 + 2 × 0.5) / 6
    { pos: [2, 3], neg: [1, 2, 3], auc: 4 / 6 },
    { pos: [5, 5, 5], neg: [5, 5], auc: 0.5 },
  ])('$pos against $neg is $auc (ties count half)', ({ pos, neg, auc }) => {
    expect(rocAuc(pos, neg)).toBeCloseTo(auc, 12);
  });

  it('is null when a side is empty', () => {
    expect(rocAuc([], [1])).toBeNull();
    expect(rocAuc([1], [])).toBeNull();
  });
});

describe('leadTimes', () => {
  it('gives nearest-rank quartiles and the share of at least 90 days', () => {
    expect(leadTimes([100, 10, 50, 90])).toEqual({ outcomes: 4, medianDays: 50, p25Days: 10, p75Days: 90, atLeast90Days: 0.5 });
    expect(leadTimes([])).toEqual({ outcomes: 0, medianDays: null, p25Days: null, p75Days: null, atLeast90Days: null });
  });
});

describe('outcomeQuality', () => {
  const outcomes = [
    outcome('churn-warned', 'CHURNED', 200, 3000),
    outcome('down-warned', 'DOWNGRADED', 150, 1000),
    outcome('churn-silent', 'CHURNED', 180, 6000),
    outcome('renew-quiet', 'RENEWED', 100),
    outcome('renew-warned', 'RENEWED', 120),
    // renewed at 60 (warned at 30: that term), churned at 300 with no warning in the new term
    outcome('renew-then-churn', 'RENEWED', 60),
    outcome('renew-then-churn', 'CHURNED', 300, 2000),
  ];
  const alerts = [
    alert('churn-warned', 100),
    alert('churn-warned', 150),
    alert('churn-warned', 90, { kind: 'RECOVERED', severity: 'INFO', from_state: 'breached', to_state: 'ok' }), // not a warning
    alert('churn-warned', 210), // after the outcome
    alert('down-warned', 140, { signal: 'going_dark', severity: 'CRITICAL' }),
    alert('churn-silent', 20, { severity: 'INFO' }),
    alert('renew-warned', 10),
    alert('renew-then-churn', 30),
    alert('renew-quiet', 5, { signal: 'health_tier', kind: 'TIER_CHANGED', severity: 'INFO', from_state: 'GREEN', to_state: 'YELLOW' }),
  ];

  it('counts warned churns and downgrades, their lead times and lost ARR, and renewals warned', () => {
    const r = outcomeQuality({ outcomes, alerts, accounts: 10, period });
    expect(r.lost).toMatchObject({ outcomes: 4, churned: 3, downgraded: 1, warned: 2, warnedShare: 0.5, arrLost: 12000, arrLostWarned: 4000 });
    expect(r.lost.arrWarnedShare).toBeCloseTo(4000 / 12000, 12);
    // churn-warned: 200 − 100 = 100 days; down-warned: 150 − 140 = 10
    expect(r.lost.fromFirstWarning).toEqual({ outcomes: 2, medianDays: 10, p25Days: 10, p75Days: 100, atLeast90Days: 0.5 });
    expect(r.renewed).toEqual({ outcomes: 3, warned: 2, warnedShare: 2 / 3 });
    const months = 365 / 30.44;
    expect(r.alertsPerAccountMonth).toBeCloseTo(9 / 10 / months, 12);
    // renewed only: renew-quiet (1 alert) and renew-warned (1)
    expect(r.renewedAlertsPerAccountMonth).toBeCloseTo(2 / 2 / months, 12);
    expect(r.scoreAuc).toEqual([]);
  });

  it('measures the non-green lead from the tiers given, else from health_tier alerts', () => {
    const given = outcomeQuality({ outcomes, alerts, accounts: 10, period, nonGreenAt: new Map([['churn-silent', [d(10), d(170)]], ['renew-then-churn', [d(50)]]]) });
    // churn-silent: first in its term 10 → 170 days; renew-then-churn: 50 is in the renewed term, none after 60
    expect(given.lost.fromFirstNonGreen).toEqual({ outcomes: 1, medianDays: 170, p25Days: 170, p75Days: 170, atLeast90Days: 1 });
    const derived = outcomeQuality({ outcomes, alerts: [...alerts, alert('churn-silent', 175, { signal: 'health_tier', kind: 'TIER_CHANGED', severity: 'INFO', from_state: 'GREEN', to_state: 'ORANGE' })], accounts: 10, period });
    expect(derived.lost.fromFirstNonGreen?.medianDays).toBe(5);
    const noTiers = outcomeQuality({ outcomes, alerts: alerts.filter((a) => a.signal !== 'health_tier'), accounts: 10, period });
    expect(noTiers.lost.fromFirstNonGreen).toBeNull();
  });

  it('gives the ROC AUC of the score N days before renewal, and skips N with too few outcomes', () => {
    const many: Outcome[] = [];
    const scores = new Map<string, number>();
    for (let i = 0; i < 6; i += 1) {
      many.push(outcome(`lost${i}`, 'CHURNED', 300, 100, 300));
      scores.set(`lost${i}`, 40 + i); // 40…45
      many.push(outcome(`kept${i}`, 'RENEWED', 300, 0, 300));
      scores.set(`kept${i}`, 45 + i); // 45…50: one tie with lost5
    }
    // a score is known only from day 150 on: 180 days before day 300 is day 120, unknown
    const scoreAt = (id: string, at: number) => (at >= d(150) ? (scores.get(id) ?? null) : null);
    const r = outcomeQuality({ outcomes: many, alerts: [], accounts: 12, period, scoreAt });
    expect(r.scoreAuc.map((a) => a.days)).toEqual([30, 90, 180]);
    // 36 pairs, 35 won by the renewal's higher score, one tie
    expect(r.scoreAuc[0]).toMatchObject({ lost: 6, renewed: 6, skipped: null });
    expect(r.scoreAuc[0]?.auc).toBeCloseTo(35.5 / 36, 12);
    expect(r.scoreAuc[2]).toMatchObject({ lost: 0, renewed: 0, auc: null });
    expect(r.scoreAuc[2]?.skipped).toMatch(/too few outcomes with a score 180 days before renewal/);
  });

  it('reads health_tier alerts into non-green entries (from GREEN or nothing, to any other tier)', () => {
    const tier = (id: string, day: number, from: string | null, to: string) => alert(id, day, { signal: 'health_tier', kind: 'TIER_CHANGED', severity: 'INFO', from_state: from, to_state: to });
    expect(nonGreenFromAlerts([tier('a', 9, 'YELLOW', 'RED'), tier('a', 5, 'GREEN', 'YELLOW'), tier('a', 3, null, 'ORANGE'), tier('a', 7, 'YELLOW', 'GREEN')])).toEqual(new Map([['a', [d(3), d(5)]]]));
  });
});

describe('formatOutcomeTable', () => {
  it('says there are no outcomes rather than printing blanks', () => {
    const r = outcomeQuality({ outcomes: [], alerts: [alert('a', 1)], accounts: 1, period });
    expect(formatOutcomeTable([{ name: 'current', report: r }])).toMatch(/^no outcomes in the input/);
  });

  it('puts the configs side by side', () => {
    const outcomes = [outcome('x', 'CHURNED', 200, 500), outcome('y', 'RENEWED', 200)];
    const a = outcomeQuality({ outcomes, alerts: [alert('x', 50)], accounts: 2, period });
    const b = outcomeQuality({ outcomes, alerts: [], accounts: 2, period });
    const table = formatOutcomeTable([{ name: 'current', report: a }, { name: 'candidate', report: b }]);
    expect(table.split('\n')[0]).toMatch(/^outcomes\s+current\s+candidate$/);
    expect(table).toMatch(/lost ARR warned\s+100 % \(500 of 500\)\s+0 % \(0 of 500\)/);
    expect(table).toMatch(/lead from first warning\s+median 150 d/);
  });
});
