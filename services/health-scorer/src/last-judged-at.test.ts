import { describe, expect, it } from 'vitest';
import { lastJudgedAt } from './evaluator.js';

describe('lastJudgedAt', () => {
  it('is -Infinity for a fresh account', () => {
    expect(lastJudgedAt({})).toBe(-Infinity);
  });

  it('is the latest of every memory\'s since, pending since and last alert', () => {
    expect(
      lastJudgedAt({
        going_dark: { state: 'ok', since: 100, pending: null, lastAlertAt: 300 },
        health_tier: { state: 'GREEN', since: 200, pending: { state: 'YELLOW', since: 400 }, lastAlertAt: null },
        login_drop: { state: 'ok', since: 350, pending: null, lastAlertAt: null },
      }),
    ).toBe(400);
  });
});
