import { describe, expect, it } from 'vitest';
import { ValidationError } from '@valuepulse/errors';
import { oldestKeptMonth } from './retention.js';

describe('oldestKeptMonth', () => {
  it.each([
    ['2026-11-22T10:00:00Z', 0, 202611],
    ['2026-11-22T10:00:00Z', 1, 202610],
    ['2026-11-22T10:00:00Z', 11, 202512],
    ['2026-11-22T10:00:00Z', 12, 202511],
    ['2026-01-01T00:00:00Z', 1, 202512],
    ['2026-03-31T23:59:59Z', 14, 202501],
    ['2026-12-31T23:59:59Z', 24, 202412],
  ])('at %s keeping %i months → %i', (now, months, expected) => {
    expect(oldestKeptMonth(new Date(now), months)).toBe(expected);
  });

  it('takes the month of now in UTC, whatever the local zone', () => {
    // 23:30 on 31 Oct in UTC-1 is already November in UTC
    expect(oldestKeptMonth(new Date('2026-10-31T23:30:00-01:00'), 0)).toBe(202611);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %d months', (months) => {
    expect(() => oldestKeptMonth(new Date(), months)).toThrow(ValidationError);
  });
});
