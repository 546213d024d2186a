/**
 * The stored form of one team's or product line's usage events per day
 * (a field of the `{a}:u` hash, see LAYOUT.md): `<firstDay>:<n>,<n>,…`, one
 * count per day from the first day with data to the last, an empty entry
 * for a day without any. About three bytes a day instead of ten for
 * `day:count` pairs; the apply script reads and writes the same format.
 */
export function packSubAccountDays(days: ReadonlyMap<number, number>): string | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [day, n] of days) {
    if (n <= 0) continue;
    lo = Math.min(lo, day);
    hi = Math.max(hi, day);
  }
  if (lo > hi) return null;
  const parts: string[] = [];
  for (let d = lo; d <= hi; d += 1) {
    const n = days.get(d) ?? 0;
    parts.push(n > 0 ? String(n) : '');
  }
  return `${lo}:${parts.join(',')}`;
}

/**
 * Reads {@link packSubAccountDays}' format into day → events, days without
 * any left out.
 *
 * @throws Error when the value is not in that format.
 */
export function unpackSubAccountDays(packed: string): Map<number, number> {
  return new Map(Object.entries(subAccountDaysIn(packed, -Infinity, Infinity) ?? {}).map(([day, n]) => [Number(day), n]));
}

/** The state key of a usage event's team or product line (`team:<name>`, `product_line:<name>`); null without one. */
export function subAccountKey(kind: 'team' | 'product_line', name: string | null): string | null {
  return name === null || name === '' ? null : `${kind}:${name}`;
}

/**
 * The days `fromDay`..`toDay` of a value packed by {@link packSubAccountDays},
 * as day → events (days without events left out), or null when none has
 * any: what reading a state needs, in one pass over the string with no
 * intermediate Map or array (this runs for every team and product line of
 * every account read).
 *
 * @throws Error when the value is in another format.
 */
export function subAccountDaysIn(packed: string, fromDay: number, toDay: number): Record<number, number> | null {
  const colon = packed.indexOf(':');
  const first = Number(packed.slice(0, colon));
  if (colon < 1 || !Number.isInteger(first)) throw new Error(`sub-account days: "${packed}" has no first day`);
  let out: Record<number, number> | null = null;
  let start = colon + 1;
  for (let day = first; start <= packed.length; day += 1) {
    let end = packed.indexOf(',', start);
    if (end < 0) end = packed.length;
    if (day > toDay) break;
    if (end > start && day >= fromDay) {
      const n = Number(packed.slice(start, end));
      if (!Number.isInteger(n)) throw new Error(`sub-account days: "${packed}" has a non-integer count`);
      (out ??= {})[day] = n;
    }
    start = end + 1;
  }
  return out;
}
