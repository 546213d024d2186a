import { describe, expect, it } from 'vitest';
import { bisectRefused, clickhouseErrorCode, isPermanentRefusal, refusalText } from './refusal.js';

/** What @clickhouse/client throws when it parsed the server's `(TYPE)` suffix: `code` a decimal string. */
function clientError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, type: 'SOME_TYPE' });
}

/** What ClickHouse 18.16 answers (no `(TYPE)` suffix: the client throws a plain Error with the text). */
const CH18_PARSE = 'Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: user-1"}\\n: (while read the value of key user_id): (at row 1)\n, e.what() = DB::Exception\n';

describe('isPermanentRefusal', () => {
  it('is true for the known data errors, by the client code or by the 18.16 text', () => {
    expect(isPermanentRefusal(new Error(CH18_PARSE))).toBe(true);
    for (const code of ['6', '26', '27', '38', '41', '70', '72', '117']) expect(isPermanentRefusal(clientError(code, 'x')), code).toBe(true);
    expect(isPermanentRefusal(new Error('wrapped', { cause: new Error('Code: 72, e.displayText() = DB::Exception: Cannot parse number') }))).toBe(true);
  });

  it('is false for what is worth retrying and for anything it does not know', () => {
    expect(isPermanentRefusal(clientError('252', 'Too many parts'))).toBe(false);
    // a table or view that does not fit the rows refuses every row: stall, do not dead-letter the stream
    expect(isPermanentRefusal(new Error('Code: 53, e.displayText() = DB::Exception: Type mismatch for column active_users: while pushing to view x.account_daily_usage_mv'))).toBe(false);
    expect(isPermanentRefusal(new Error('Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded'))).toBe(false);
    expect(isPermanentRefusal(new Error('Code: 999, e.displayText() = DB::Exception: something new'))).toBe(false);
    expect(isPermanentRefusal(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentRefusal(new Error('Timeout error.'))).toBe(false);
    expect(isPermanentRefusal('Code: 27')).toBe(false);
    expect(isPermanentRefusal(new Error('a message mentioning Code: 27, later'))).toBe(false);
  });

  it('reads the code from either form', () => {
    expect(clickhouseErrorCode(new Error(CH18_PARSE))).toBe(27);
    expect(clickhouseErrorCode(clientError('72', 'Cannot parse number'))).toBe(72);
    expect(clickhouseErrorCode(new Error('socket hang up'))).toBeUndefined();
  });
});

describe('refusalText', () => {
  it('keeps ClickHouse’s reason on one line without the 18.16 noise, cut to the bound', () => {
    expect(refusalText(new Error(CH18_PARSE))).toBe('Code: 27, DB::Exception: Cannot parse input: expected " before: user-1"}\\n: (while read the value of key user_id): (at row 1)');
    const long = refusalText(new Error(`Code: 27, ${'x'.repeat(1000)}`), 40);
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('bisectRefused', () => {
  /** A fake insert: refuses any range holding a bad index (code 27), records each range it accepts. */
  function fakeTable(bad: ReadonlySet<number>, options: { failOnce?: Error } = {}) {
    const accepted: number[] = [];
    const attempts: [number, number][] = [];
    let failOnce = options.failOnce;
    async function insert(from: number, to: number): Promise<void> {
      attempts.push([from, to]);
      if (failOnce) {
        const err = failOnce;
        failOnce = undefined;
        throw err;
      }
      for (let i = from; i < to; i++) {
        if (bad.has(i)) throw new Error(`Code: 27, e.displayText() = DB::Exception: row ${i}`);
      }
      for (let i = from; i < to; i++) accepted.push(i);
    }
    return { insert, accepted, attempts };
  }

  it.each([
    { count: 1, bad: [0] },
    { count: 10, bad: [3] },
    { count: 10, bad: [0, 9] },
    { count: 100, bad: [17, 18, 64] },
    { count: 7, bad: [0, 1, 2, 3, 4, 5, 6] },
    { count: 1000, bad: [999] },
  ])('finds exactly the refused rows of $count (bad $bad) and inserts every other row once', async ({ count, bad }) => {
    const table = fakeTable(new Set(bad));
    const refused = await bisectRefused(count, table.insert);
    expect(refused.map((r) => r.index)).toEqual(bad);
    for (const r of refused) expect((r.err as Error).message).toContain(`row ${r.index}`);
    const good = Array.from({ length: count }, (_, i) => i).filter((i) => !bad.includes(i));
    expect([...table.accepted].sort((a, b) => a - b)).toEqual(good);
  });

  it('does not try the whole range again when its refusal is given, and needs few inserts for one bad row', async () => {
    const table = fakeTable(new Set([500]));
    const refused = await bisectRefused(1024, table.insert, new Error('Code: 27, whole batch'));
    expect(refused.map((r) => r.index)).toEqual([500]);
    expect(table.attempts).not.toContainEqual([0, 1024]);
    // two halves per level, ten levels
    expect(table.attempts.length).toBe(20);
  });

  it('inserts everything in one go when nothing is refused, and nothing for no rows', async () => {
    const table = fakeTable(new Set());
    expect(await bisectRefused(5, table.insert)).toEqual([]);
    expect(table.attempts).toEqual([[0, 5]]);
    expect(await bisectRefused(0, table.insert)).toEqual([]);
    expect(table.attempts).toEqual([[0, 5]]);
  });

  it('passes on an error that is not a permanent refusal (the insert gave up retrying it)', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const table = fakeTable(new Set([2]), { failOnce: down });
    await expect(bisectRefused(4, table.insert, new Error('Code: 27, whole batch'))).rejects.toBe(down);
  });
});
