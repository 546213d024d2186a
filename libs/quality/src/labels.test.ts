import { describe, expect, it } from 'vitest';
import { parseLabels } from './labels.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ account_id: 'a', archetype: 'going_dark', at_risk: true, onset_day: 60, onset_at: 1, expected_signals: ['going_dark'], segment: 'SMB', ...fields });

describe('parseLabels', () => {
  it('reads JSON Lines, skipping blank lines and ignoring extra fields', () => {
    const labels = parseLabels(`${line({})}\n\n${line({ account_id: 'b', archetype: 'healthy_steady', at_risk: false, onset_day: null, onset_at: null, expected_signals: [] })}\n`);
    expect(labels.map((l) => l.account_id)).toEqual(['a', 'b']);
    expect(labels[0]).not.toHaveProperty('segment');
  });

  it('names the line and the problem', () => {
    expect(() => parseLabels(`${line({})}\n{oops`)).toThrow(/labels line 2: not JSON/);
    expect(() => parseLabels(line({ at_risk: 'yes' }))).toThrow(/labels line 1: at_risk/);
    expect(() => parseLabels(line({ onset_at: null }))).toThrow(/labels line 1: at-risk account a has no onset_at/);
    expect(() => parseLabels(`${line({})}\n${line({})}`)).toThrow(/labels line 2: account a appears twice/);
  });

  it('reads the renewal outcome, null when the renewal is after the scenario or the labels predate outcomes', () => {
    const outcome = { kind: 'CHURNED', at: '2026-11-02T14:12:09.000Z', arr_before: 18_400, arr_lost: 18_400 };
    const labels = parseLabels([line({ outcome }), line({ account_id: 'b', outcome: null }), line({ account_id: 'c' })].join('\n'));
    expect(labels.map((l) => l.outcome)).toEqual([outcome, null, null]);
  });

  it('refuses an outcome of an unknown kind, a time that is not ISO 8601 or a negative ARR', () => {
    const ok = { kind: 'DOWNGRADED', at: '2026-11-02T14:12:09.000Z', arr_before: 100, arr_lost: 20 };
    expect(() => parseLabels(line({ outcome: { ...ok, kind: 'LOST' } }))).toThrow(/labels line 1: outcome.kind/);
    expect(() => parseLabels(line({ outcome: { ...ok, at: 1_780_000_000_000 } }))).toThrow(/labels line 1: outcome.at/);
    expect(() => parseLabels(line({ outcome: { ...ok, arr_lost: -1 } }))).toThrow(/labels line 1: outcome.arr_lost/);
  });
});
