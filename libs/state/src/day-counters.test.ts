import { describe, expect, it } from 'vitest';
import { DAY_COUNTER_FIELDS, emptyDayCounters, packDayCounters, unpackDayCounters } from './day-counters.js';

describe('day counters packing', () => {
  it('packs in field order and drops trailing zeros', () => {
    expect(packDayCounters({ ...emptyDayCounters(), events: 12, logins: 3 })).toBe('12,3');
    expect(packDayCounters({ ...emptyDayCounters(), csatLow: 1 })).toBe('0,0,0,0,0,0,0,0,1');
    expect(packDayCounters(emptyDayCounters())).toBe('0');
  });

  it('round-trips every field', () => {
    const counters = Object.fromEntries(DAY_COUNTER_FIELDS.map((f, i) => [f, i * 7 + 1])) as unknown as ReturnType<typeof emptyDayCounters>;
    expect(unpackDayCounters(packDayCounters(counters))).toEqual(counters);
  });

  it('reads missing trailing counters as zero', () => {
    expect(unpackDayCounters('5')).toEqual({ ...emptyDayCounters(), events: 5 });
  });

  it('refuses a non-integer', () => {
    expect(() => unpackDayCounters('5,x')).toThrow(/logins/);
  });
});
