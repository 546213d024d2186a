import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, createRowBuffer, tableLines } from './row-buffer.js';

const at = (topic: string, partition: number, offset: string) => ({ topic, partition, offset });

describe('createRowBuffer', () => {
  it('keeps each table\'s lines, newline-terminated UTF-8, across chunk boundaries and in rows longer than a chunk', () => {
    const buffer = createRowBuffer();
    const long = JSON.stringify({ note: 'x'.repeat(CHUNK_BYTES + 10) });
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ i, text: `ünïcødé ✓ ${'y'.repeat(i % 200)}` }));
    lines.splice(1500, 0, long);
    for (const line of lines) buffer.add('a', line);
    buffer.cover(at('t', 0, String(lines.length - 1)), lines.length);
    buffer.add('b', '{"only":1}');
    buffer.cover(at('u', 1, '7'), 1);
    const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) + 11;
    expect({ rows: buffer.rows, bytes: buffer.bytes, records: buffer.records }).toEqual({ rows: 3002, bytes, records: 3002 });

    const batch = buffer.drain();
    const a = batch.tables.get('a');
    expect(a && tableLines(a)).toEqual(lines);
    expect(a?.chunks.length).toBeGreaterThan(2);
    expect(a?.bytes).toBe(Buffer.concat(a?.chunks ?? []).length);
    expect(batch.tables.get('b') && tableLines(batch.tables.get('b')!)).toEqual(['{"only":1}']);
    expect(batch.offsets).toEqual([at('t', 0, '3001'), at('u', 1, '8')]);
    expect({ rows: buffer.rows, bytes: buffer.bytes, records: buffer.records, oldestAt: buffer.oldestAt, tables: buffer.drain().tables.size }).toEqual({ rows: 0, bytes: 0, records: 0, oldestAt: null, tables: 0 });
  });

  it('commits past the highest offset of each partition, never back, dead-lettered records included', () => {
    let now = 1000;
    const buffer = createRowBuffer(() => now);
    buffer.add('a', '{}');
    now = 2000;
    // 41 a row, 42 dead-lettered
    buffer.cover(at('t', 0, '42'), 2);
    // a redelivery after a rebalance repeats a lower offset
    buffer.add('a', '{}');
    buffer.cover(at('t', 0, '40'), 1);
    buffer.cover(at('t', 3, '9007199254740993'), 1);
    buffer.cover(at('t', 3, '10'), 1);
    expect(buffer.oldestAt).toBe(1000);
    expect(buffer.drain()).toMatchObject({ rows: 2, records: 5, offsets: [at('t', 0, '43'), at('t', 3, '9007199254740994')] });
  });
});
