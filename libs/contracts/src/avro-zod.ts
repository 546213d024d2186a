import { z } from 'zod';

/** Avro `int`: a 32-bit signed integer. */
export const avroInt = z.number().int().min(-2_147_483_648).max(2_147_483_647);

/** Avro `long`, limited to what a JS number holds exactly. */
export const avroLong = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** Avro `double`/`float`: any finite number (NaN and ±Infinity are refused; JSON cannot carry them anyway). */
export const avroDouble = z.number().finite();

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Avro `timestamp-millis`: epoch milliseconds. Input may also be an ISO-8601
 * string (`2026-11-22T10:15:00Z`, `2026-11-22`); a string without an offset
 * is read as UTC. Output is always epoch milliseconds.
 */
export const avroTimestampMillis = z.union([
  avroLong,
  z
    .string()
    .regex(ISO_8601, 'an ISO-8601 timestamp or epoch milliseconds')
    .transform((value, ctx) => {
      const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10;
      const ms = Date.parse(hasZone ? value : `${value.replace(' ', 'T')}${value.length > 10 ? 'Z' : 'T00:00:00Z'}`);
      if (Number.isNaN(ms) || !isCalendarDate(value)) {
        ctx.addIssue({ code: 'custom', message: `not a valid date: ${value}` });
        return z.NEVER;
      }
      return ms;
    }),
], { error: 'expected an ISO-8601 timestamp or epoch milliseconds' });

/** Date.parse rolls 2026-02-31 over to March; refuse dates that do not exist. */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
