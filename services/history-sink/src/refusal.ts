/** The DLQ code of a record whose row ClickHouse refused for good (see {@link isPermanentRefusal}). */
export const CLICKHOUSE_REFUSED = 'CLICKHOUSE_REFUSED';

/**
 * ClickHouse error codes that mean "this data can never be inserted as it
 * is": retrying the same rows gets the same answer. An allow-list on
 * purpose — a code not listed (server down, timeout, TOO_MANY_PARTS 252,
 * MEMORY_LIMIT_EXCEEDED 241, …) is retried as before. Not listed either:
 * 53 TYPE_MISMATCH, which on an insert means a table or view whose types do
 * not fit (e.g. a materialized view's column): every row would be refused,
 * and dead-lettering the whole stream is worse than stalling visibly.
 */
export const PERMANENT_CLICKHOUSE_CODES: ReadonlyMap<number, string> = new Map([
  [6, 'CANNOT_PARSE_TEXT'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [190, 'SIZES_OF_ARRAYS_DOESNT_MATCH'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
]);

/**
 * The ClickHouse error code `err` carries: `code` of the client's
 * ClickHouseError (a decimal string), or the `Code: N` an error's message
 * starts with (ClickHouse 18.16's error text has no `(TYPE)` suffix, so the
 * client hands it over as a plain Error). Follows `cause` a few levels.
 *
 * @returns the code, or undefined when `err` is no ClickHouse answer.
 */
export function clickhouseErrorCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
    const match = /^\s*Code: (\d+)[,.]/.exec(e.message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Whether ClickHouse refused the insert for its data: a code of {@link PERMANENT_CLICKHOUSE_CODES}. */
export function isPermanentRefusal(err: unknown): boolean {
  const code = clickhouseErrorCode(err);
  return code !== undefined && PERMANENT_CLICKHOUSE_CODES.has(code);
}

/** ClickHouse's error text, one line, without the 18.16 `e.displayText() =` noise, at most `max` characters. */
export function refusalText(err: unknown, max = 500): string {
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw
    .replace(/e\.displayText\(\) = /g, '')
    .replace(/,\s*e\.what\(\) = DB::Exception\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A row of a refused batch, by its index, and ClickHouse's answer to it alone. */
export interface RefusedRow {
  index: number;
  err: unknown;
}

/**
 * Finds the rows ClickHouse refuses among `count` rows: inserts rows
 * `[from, to)` with `insert`, and on a permanent refusal splits the range in
 * halves and inserts each, down to single rows. Every row that can be
 * inserted is, each exactly once (a range is inserted only after its larger
 * range was refused as a whole), with the same lines as before.
 *
 * @param insert inserts a range, retrying what is worth retrying; rejects with
 *   a permanent refusal (see {@link isPermanentRefusal}) or gives up.
 * @param refusal the refusal of all `count` rows when already known (the
 *   first, whole-batch insert): not tried again.
 * @returns the refused rows, in index order.
 * @throws whatever `insert` throws that is not a permanent refusal.
 */
export async function bisectRefused(count: number, insert: (from: number, to: number) => Promise<void>, refusal?: unknown): Promise<RefusedRow[]> {
  const refused: RefusedRow[] = [];
  async function range(from: number, to: number, known: unknown): Promise<void> {
    let err = known;
    if (err === undefined) {
      try {
        await insert(from, to);
        return;
      } catch (e) {
        if (!isPermanentRefusal(e)) throw e;
        err = e;
      }
    }
    if (to - from === 1) {
      refused.push({ index: from, err });
      return;
    }
    const mid = from + Math.floor((to - from) / 2);
    await range(from, mid, undefined);
    await range(mid, to, undefined);
  }
  if (count > 0) await range(0, count, refusal);
  return refused;
}
