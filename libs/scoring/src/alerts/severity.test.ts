import { describe, expect, it } from 'vitest';
import { defaults } from '../test-support.fixture.js';
import { renewalWindow } from '../signals/renewal.js';
import { raiseForRenewal } from './severity.js';

describe('raiseForRenewal (default windows)', () => {
  it.each([
    // days to renewal, base severity, raised severity
    [120, 'INFO', 'INFO'],
    [90, 'INFO', 'WARNING'],
    [90, 'WARNING', 'WARNING'],
    [60, 'INFO', 'WARNING'],
    [60, 'WARNING', 'CRITICAL'],
    [30, 'INFO', 'CRITICAL'],
    [30, 'CRITICAL', 'CRITICAL'],
    [-3, 'WARNING', 'CRITICAL'],
  ] as const)('%d days out, %s becomes %s', (days, base, raised) => {
    expect(raiseForRenewal(base, renewalWindow(days, defaults()))).toBe(raised);
  });
});
