import { describe, expect, it } from 'vitest';
import type { HealthAlert } from '@valuepulse/contracts';
import type { AccountLabel } from '@valuepulse/quality';
import { scenarioPeriod } from './evaluate.command.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const label = (onsetDay: number | null, hours = 0): AccountLabel => ({
  account_id: `a${onsetDay}`,
  archetype: 'x',
  at_risk: onsetDay !== null,
  onset_day: onsetDay,
  onset_at: onsetDay === null ? null : T0 + onsetDay * DAY + hours * 3_600_000,
  expected_signals: [],
  outcome: null,
});
const alertAt = (t: number) => ({ evaluated_at: t }) as HealthAlert;

describe('scenarioPeriod', () => {
  it('starts at the day the onsets point back to and runs `days` when given', () => {
    expect(scenarioPeriod([label(50, 13), label(null)], [], 120)).toEqual({ from: T0, to: T0 + 120 * DAY });
  });

  it('ends with the UTC day of the last alert otherwise', () => {
    expect(scenarioPeriod([label(50)], [alertAt(T0 + 99 * DAY + 5), alertAt(T0 + 3 * DAY)])).toEqual({ from: T0, to: T0 + 100 * DAY });
  });

  it('falls back to the alerts when no label has an onset', () => {
    expect(scenarioPeriod([label(null)], [alertAt(T0 + 10 * DAY + 7)])).toEqual({ from: T0 + 10 * DAY, to: T0 + 11 * DAY });
  });
});
