import { unitDaysOf, type UnitDays } from '@valuepulse/scoring';

/**
 * The stored form of one team's or product line's usage events per day
 * (a field of the `{a}:u` hash, see LAYOUT.md): `<firstDay>:<n>,<n>,…`, one
 * count per day from the first day with data to the last, an empty entry
 * for a day without any. About three bytes a day instead of ten for
 * `day:count` pairs; the apply script reads and writes the same format.
 */
export function packSubAccountDays(days: ReadonlyMap<number, number>): string | null {
  const unit = unitDaysOf(days);
  return unit === null ? null : `${unit.first}:${unit.counts.map((n) => (n > 0 ? String(n) : '')).join(',')}`;
}

/**
 * Reads {@link packSubAccountDays}' format into day → events, days without
 * any left out.
 *
 * @throws Error when the value is not in that format.
 */
export function unpackSubAccountDays(packed: string): Map<number, number> {
  const unit = parseSubAccountDays(packed);
  const out = new Map<number, number>();
  if (unit !== null) unit.counts.forEach((n, i) => n > 0 && out.set(unit.first + i, n));
  return out;
}

/** The state key of a usage event's team or product line (`team:<name>`, `product_line:<name>`); null without one. */
export function subAccountKey(kind: 'team' | 'product_line', name: string | null): string | null {
  return name === null || name === '' ? null : `${kind}:${name}`;
}

/**
 * A value packed by {@link packSubAccountDays} as {@link UnitDays} (the same
 * layout: a count per day from the first day with events to the last), or
 * null when no day has any: one pass over the string, what reading a state
 * does once for every team and product line of every account read.
 *
 * @throws Error when the value is in another format.
 */
export function parseSubAccountDays(packed: string): UnitDays | null {
  const colon = packed.indexOf(':');
  const first = Number(packed.slice(0, colon));
  if (colon < 1 || !Number.isInteger(first)) throw new Error(`sub-account days: "${packed}" has no first day`);
  const counts: number[] = [];
  let lo = -1;
  let hi = -1;
  for (let start = colon + 1; start <= packed.length; ) {
    let end = packed.indexOf(',', start);
    if (end < 0) end = packed.length;
    let n = 0;
    if (end > start) {
      n = Number(packed.slice(start, end));
      if (!Number.isInteger(n)) throw new Error(`sub-account days: "${packed}" has a non-integer count`);
    }
    if (n > 0) {
      if (lo < 0) lo = counts.length;
      hi = counts.length;
    }
    counts.push(n);
    start = end + 1;
  }
  if (lo < 0) return null;
  return lo === 0 && hi === counts.length - 1 ? { first, counts } : { first: first + lo, counts: counts.slice(lo, hi + 1) };
}

/**
 * The days `fromDay`..`toDay` of `unit`, from the first of them with events
 * to the last; null when none has any. `unit` itself when all of its days
 * are inside (so reads of one state at different times share it).
 */
export function unitDaysIn(unit: UnitDays, fromDay: number, toDay: number): UnitDays | null {
  const last = unit.first + unit.counts.length - 1;
  if (unit.first >= fromDay && last <= toDay) return unit;
  let lo = Math.max(unit.first, fromDay) - unit.first;
  let hi = Math.min(last, toDay) - unit.first;
  while (lo <= hi && !((unit.counts[lo] as number) > 0)) lo += 1;
  while (hi >= lo && !((unit.counts[hi] as number) > 0)) hi -= 1;
  return lo > hi ? null : { first: unit.first + lo, counts: unit.counts.slice(lo, hi + 1) };
}

/**
 * The days `fromDay`..`toDay` of a value packed by {@link packSubAccountDays}
 * (see {@link unitDaysIn}); null when none has events.
 *
 * @throws Error when the value is in another format.
 */
export function subAccountDaysIn(packed: string, fromDay: number, toDay: number): UnitDays | null {
  const unit = parseSubAccountDays(packed);
  return unit === null ? null : unitDaysIn(unit, fromDay, toDay);
}
