import { describe, expect, it } from 'vitest';
import { detectionQuality, isRelevant, isWarning, percentile, type QualityAlert } from './detection-quality.js';
import type { AccountLabel } from './labels.js';
import { formatQualityTable, shortfalls } from './quality-goals.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const day = (d: number, hours = 0) => T0 + d * DAY + hours * 3_600_000;
const period = { from: T0, to: day(120) };

const label = (account_id: string, archetype: string, onsetDay: number | null, expected: string[] = []): AccountLabel => ({
  account_id,
  archetype,
  at_risk: onsetDay !== null,
  onset_day: onsetDay,
  onset_at: onsetDay === null ? null : day(onsetDay, 10),
  expected_signals: expected,
  outcome: null,
});
const alert = (account_id: string, signal: string, at: number, extra: Partial<QualityAlert> = {}): QualityAlert => ({
  account_id,
  signal,
  kind: 'THRESHOLD_CROSSED',
  severity: 'WARNING',
  from_state: 'ok',
  to_state: 'breached',
  evaluated_at: at,
  ...extra,
});

describe('isRelevant', () => {
  const dark = label('a', 'going_dark', 60, ['going_dark', 'login_drop', 'health_tier']);

  it('takes a crossing of an expected signal from the onset day on, the onset day itself included', () => {
    expect(isRelevant(alert('a', 'going_dark', day(74)), dark)).toBe(true);
    expect(isRelevant(alert('a', 'login_drop', day(60)), dark)).toBe(true); // midnight before the 10:00 onset: same UTC day
    expect(isRelevant(alert('a', 'login_drop', day(60) - 1), dark)).toBe(false);
  });

  it('ignores other signals, recoveries and tier changes for the better', () => {
    expect(isRelevant(alert('a', 'ticket_flood', day(70)), dark)).toBe(false);
    expect(isRelevant(alert('a', 'going_dark', day(70), { kind: 'RECOVERED', from_state: 'breached', to_state: 'ok' }), dark)).toBe(false);
    expect(isRelevant(alert('a', 'health_tier', day(70), { kind: 'TIER_CHANGED', from_state: 'YELLOW', to_state: 'GREEN' }), dark)).toBe(false);
    expect(isRelevant(alert('a', 'health_tier', day(70), { kind: 'TIER_CHANGED', from_state: 'GREEN', to_state: 'YELLOW', severity: 'INFO' }), dark)).toBe(true);
  });

  it('never counts for a healthy account', () => {
    expect(isRelevant(alert('h', 'going_dark', day(70)), label('h', 'healthy_steady', null))).toBe(false);
  });
});

describe('isWarning', () => {
  it('is a warning or critical alert that is not a recovery', () => {
    expect(isWarning(alert('h', 'x', 0))).toBe(true);
    expect(isWarning(alert('h', 'x', 0, { severity: 'CRITICAL' }))).toBe(true);
    expect(isWarning(alert('h', 'x', 0, { severity: 'INFO' }))).toBe(false);
    expect(isWarning(alert('h', 'x', 0, { kind: 'RECOVERED' }))).toBe(false);
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});

describe('detectionQuality', () => {
  const labels = [
    label('d1', 'going_dark', 60, ['going_dark', 'login_drop']),
    label('d2', 'going_dark', 50, ['going_dark', 'login_drop']),
    label('d3', 'going_dark', 40, ['going_dark', 'login_drop']),
    label('h1', 'healthy_steady', null),
    label('h2', 'healthy_steady', null),
  ];
  const alerts = [
    // d1: a pre-onset alert does not count; the first relevant one is 2.6 days after the 10:00 onset
    alert('d1', 'login_drop', day(30)),
    alert('d1', 'login_drop', day(63)),
    alert('d1', 'going_dark', day(74), { severity: 'CRITICAL' }),
    // d2: 4.6 days
    alert('d2', 'going_dark', day(55)),
    // d3: only an unrelated signal: missed
    alert('d3', 'ticket_flood', day(45)),
    // h1: an info alert and a recovery only; h2: a warning
    alert('h1', 'health_tier', day(20), { kind: 'TIER_CHANGED', from_state: 'GREEN', to_state: 'YELLOW', severity: 'INFO' }),
    alert('h1', 'health_tier', day(25), { kind: 'TIER_CHANGED', from_state: 'YELLOW', to_state: 'GREEN', severity: 'INFO' }),
    alert('h2', 'seat_utilisation', day(90)),
    alert('stranger', 'going_dark', day(90)),
  ];
  const report = detectionQuality(labels, alerts, period);

  it('measures recall and delays per at-risk archetype', () => {
    const dark = report.archetypes.find((a) => a.archetype === 'going_dark');
    expect(dark).toMatchObject({ atRisk: true, accounts: 3, detected: 2, warned: null, falsePositiveRate: null });
    expect(dark?.recall).toBeCloseTo(2 / 3);
    expect(dark?.medianDelayDays).toBeCloseTo(63 - 60 - 10 / 24);
    expect(dark?.p90DelayDays).toBeCloseTo(55 - 50 - 10 / 24);
  });

  it('counts healthy accounts that got a warning, and every alert as noise', () => {
    const healthy = report.archetypes.find((a) => a.archetype === 'healthy_steady');
    expect(healthy).toMatchObject({ atRisk: false, accounts: 2, warned: 1, falsePositiveRate: 0.5, recall: null, detected: null });
    expect(healthy?.alertsPerAccountMonth).toBeCloseTo(3 / 2 / (120 / 30.44));
    expect(report.healthy.falsePositiveRate).toBe(0.5);
    expect(report.atRisk.recall).toBeCloseTo(2 / 3);
    expect(report.unlabelledAlerts).toBe(1);
  });

  it('lists healthy archetypes first, then at-risk ones, by name', () => {
    expect(report.archetypes.map((a) => a.archetype)).toEqual(['healthy_steady', 'going_dark']);
  });

  it('judges rows against the goals and prints them', () => {
    const dark = report.archetypes.find((a) => a.archetype === 'going_dark');
    expect(dark && shortfalls(dark)).toEqual(['recall < 95 %']);
    const table = formatQualityTable(report);
    expect(table).toContain('going_dark');
    expect(table).toMatch(/66\.7 % \(2\/3\)/);
    expect(table).toMatch(/50 % \(1\/2\)/);
    expect(table).toContain('SHORT: false positives > 2 %');
    expect(table).toContain('1 alerts for accounts not in the labels');
  });

  it('gives no delay (and misses the delay goal) when nothing was detected', () => {
    const r = detectionQuality([label('s', 'sudden_drop', 50, ['login_drop'])], [], period);
    expect(r.archetypes[0]).toMatchObject({ recall: 0, medianDelayDays: null });
    expect(shortfalls(r.archetypes[0] as never)).toEqual(['recall < 95 %', 'median delay > 6 d']);
  });
});
