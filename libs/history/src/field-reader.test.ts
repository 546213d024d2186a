import { describe, expect, it } from 'vitest';
import { dateTimeText, uint64Text } from './field-reader.js';

describe('dateTimeText', () => {
  it.each([
    [0, '1970-01-01 00:00:00'],
    [999, '1970-01-01 00:00:00'],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 999), '2024-02-29 23:59:59'],
    [Date.UTC(2026, 10, 2, 9, 5, 7), '2026-11-02 09:05:07'],
    [4_294_967_295_000, '2106-02-07 06:28:15'],
  ])('%i → %s', (ms, text) => {
    expect(dateTimeText(ms)).toBe(text);
  });

  it('agrees with Date#toISOString on many instants, alternating days', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 20_000; i += 1) {
      const ms = Math.floor((next() / 2 ** 31) * 4_294_967_295_000);
      expect(dateTimeText(ms)).toBe(new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
    }
  });
});

describe('uint64Text', () => {
  it.each(['0', '7', '9007199254740993', '18446744073709551615'])('accepts %s', (value) => {
    expect(uint64Text(value)).toBe(value);
  });

  it.each(['', '-1', '01', '1.5', ' 1', '18446744073709551616', '99999999999999999999', '1e3'])('refuses %j', (value) => {
    expect(uint64Text(value)).toBeUndefined();
  });
});
