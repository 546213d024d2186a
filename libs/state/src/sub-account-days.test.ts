import { describe, expect, it } from 'vitest';
import { unitDaysOf } from '@valuepulse/scoring';
import { packSubAccountDays, parseSubAccountDays, subAccountDaysIn, subAccountKey, unitDaysIn, unpackSubAccountDays } from './sub-account-days.js';

describe('packSubAccountDays / unpackSubAccountDays', () => {
  it('packs one count a day from the first day with events to the last, empty for a day without', () => {
    expect(packSubAccountDays(new Map([[20_400, 3], [20_403, 12], [20_401, 0]]))).toBe('20400:3,,,12');
    expect(unpackSubAccountDays('20400:3,,,12')).toEqual(new Map([[20_400, 3], [20_403, 12]]));
  });

  it('round-trips any days, and packs nothing when no day has events', () => {
    const days = new Map([[5, 1], [6, 40], [9, 2], [94, 7]]);
    expect(unpackSubAccountDays(packSubAccountDays(days) as string)).toEqual(days);
    expect(packSubAccountDays(new Map([[5, 0]]))).toBeNull();
    expect(packSubAccountDays(new Map())).toBeNull();
  });

  it('refuses a value in another format', () => {
    expect(() => unpackSubAccountDays('3,4')).toThrow(/first day/);
    expect(() => unpackSubAccountDays('12:1,x')).toThrow(/non-integer/);
  });
});

describe('subAccountDaysIn', () => {
  it('the days of a window, as unpacking then filtering gives them, from the first with events to the last; null when none has events', () => {
    const packed = '20400:3,,,12,1,,7';
    for (const [from, to] of [[0, 99_999], [20_401, 20_404], [20_403, 20_403], [20_406, 20_500], [20_401, 20_402], [20_407, 20_500], [0, 20_399], [20_401, 20_405]]) {
      const expected = new Map([...unpackSubAccountDays(packed)].filter(([d]) => d >= (from as number) && d <= (to as number)));
      expect(subAccountDaysIn(packed, from as number, to as number)).toEqual(unitDaysOf(expected));
    }
    expect(subAccountDaysIn(packed, 20_401, 20_405)).toEqual({ first: 20_403, counts: [12, 1] });
    expect(subAccountDaysIn('20400:', 0, 99_999)).toBeNull();
    expect(subAccountDaysIn('20400:,,', 0, 99_999)).toBeNull();
  });

  it('a value written with empty days at its ends reads from its first day with events to its last', () => {
    expect(parseSubAccountDays('20400:,,3,,4,,')).toEqual({ first: 20_402, counts: [3, 0, 4] });
  });

  it('a window that holds all of a unit\'s days gives the unit itself, so reads at different times share it', () => {
    const unit = parseSubAccountDays('20400:3,,,12') as NonNullable<ReturnType<typeof parseSubAccountDays>>;
    expect(unitDaysIn(unit, 20_400, 20_403)).toBe(unit);
    expect(unitDaysIn(unit, 20_300, 20_500)).toBe(unit);
    expect(unitDaysIn(unit, 20_401, 20_500)).toEqual({ first: 20_403, counts: [12] });
  });

  it('refuses a value in another format', () => {
    expect(() => subAccountDaysIn('3,4', 0, 10)).toThrow(/first day/);
    expect(() => subAccountDaysIn('12:1,x', 0, 20)).toThrow(/non-integer/);
  });
});

describe('subAccountKey', () => {
  it('names the unit by its kind; none without a name', () => {
    expect(subAccountKey('team', 'finance')).toBe('team:finance');
    expect(subAccountKey('product_line', 'analytics')).toBe('product_line:analytics');
    expect(subAccountKey('team', null)).toBeNull();
    expect(subAccountKey('product_line', '')).toBeNull();
  });
});
