import { describe, expect, it } from 'vitest';
import { activeDaysInWindow, formatUserDays, markUserDay, parseUserDays, USER_DAYS_WINDOW, type UserDays } from './user-days.js';

/** Marks `days` in the given order, from nothing. */
const marked = (days: number[]): UserDays => days.reduce<UserDays | null>((s, d) => markUserDay(s, d), null) as UserDays;

/** Reference: the distinct days of `days` that fall in the window. */
const naive = (days: number[], nowDay: number, window: number): number => {
  const last = Math.max(...days);
  return new Set(days.filter((d) => d > last - USER_DAYS_WINDOW && d <= nowDay && d > nowDay - window)).size;
};

describe('markUserDay', () => {
  it('starts with the day itself as bit 0', () => {
    expect(markUserDay(null, 100)).toEqual({ lastDay: 100, mask: 1 });
  });

  it('shifts the mask when a later day comes', () => {
    expect(marked([100, 101])).toEqual({ lastDay: 101, mask: 0b11 });
    expect(marked([100, 103])).toEqual({ lastDay: 103, mask: 0b1001 });
  });

  it('sets the bit of a late day without moving lastDay', () => {
    expect(marked([103, 100])).toEqual({ lastDay: 103, mask: 0b1001 });
  });

  it('is idempotent and order-free', () => {
    expect(marked([100, 103, 103, 100, 101])).toEqual(marked([101, 100, 103]));
  });

  it('drops days that fall out of the 28-day mask', () => {
    expect(marked([100, 100 + USER_DAYS_WINDOW])).toEqual({ lastDay: 128, mask: 1 });
    expect(marked([100, 127])).toEqual({ lastDay: 127, mask: 1 + 2 ** 27 });
    expect(marked([127, 99])).toEqual({ lastDay: 127, mask: 1 });
  });

  it('keeps the mask within 28 bits whatever the gaps', () => {
    let s: UserDays | null = null;
    for (let d = 0; d < 200; d += 1) s = markUserDay(s, d);
    expect(s).toEqual({ lastDay: 199, mask: 2 ** USER_DAYS_WINDOW - 1 });
  });
});

describe('activeDaysInWindow', () => {
  const days = [70, 80, 95, 96, 99, 100];
  const s = marked(days);

  it.each([
    [100, 28, 5],
    [100, 7, 4],
    [100, 1, 1],
    [99, 7, 3],
    [101, 7, 4],
    [106, 7, 1],
    [107, 7, 0],
    [130, 28, 0],
  ])('at day %i over %i days counts %i', (nowDay, window, expected) => {
    expect(activeDaysInWindow(s, nowDay, window)).toBe(expected);
    expect(naive(days, nowDay, window)).toBe(expected);
  });

  it('agrees with counting distinct days, for random histories', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let run = 0; run < 200; run += 1) {
      const history = Array.from({ length: 1 + rnd(30) }, () => 1000 + rnd(60));
      const now = 1000 + rnd(70);
      for (const window of [7, 28]) expect(activeDaysInWindow(marked(history), now, window)).toBe(naive(history, now, window));
    }
  });
});

describe('stored form', () => {
  it('round-trips', () => {
    const s = { lastDay: 20_400, mask: 2 ** 28 - 1 };
    expect(formatUserDays(s)).toBe('20400:268435455');
    expect(parseUserDays(formatUserDays(s))).toEqual(s);
  });

  it('refuses what it did not write', () => {
    expect(parseUserDays('20400:3:20399:sales')).toEqual({ lastDay: 20400, mask: 3, teamDay: 20399, team: 'sales' });
    expect(formatUserDays({ lastDay: 20400, mask: 3, teamDay: 20398, team: 'a:b' })).toBe('20400:3:20398:a:b');
    expect(parseUserDays('20400:3:20398:a:b')).toEqual({ lastDay: 20400, mask: 3, teamDay: 20398, team: 'a:b' });
    expect(() => parseUserDays('20400')).toThrow(/cannot parse/);
    expect(() => parseUserDays('x:1')).toThrow(/cannot parse/);
  });
});
