import { describe, expect, it } from 'vitest';
import type { DecodedRecord, FailedRecord, RawMessage } from '@valuepulse/codec';
import { refuseFutureEvents } from './batch-handler.js';

const message = (offset: number): RawMessage => ({ key: null, value: Buffer.from([offset]), offset: String(offset), timestamp: '0' });
const record = (offset: number, occurredAt: number): DecodedRecord<unknown> => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key: 'a',
  value: { occurred_at: occurredAt },
  schemaId: 1,
});
const undecodable = (offset: number): FailedRecord => ({
  source: { topic: 't', partition: 0, offset: String(offset), message: message(offset) },
  failure: { code: 'NOT_WIRE_FORMAT', message: 'x' },
});

describe('refuseFutureEvents', () => {
  const messages = [0, 1, 2, 3, 4].map(message);

  it('keeps everything without a limit (event clock)', () => {
    const decoded = { records: [record(0, 10), record(2, 99)], failed: [undecodable(1)] };
    expect(refuseFutureEvents(decoded, messages, undefined)).toBe(decoded);
  });

  it('moves records stamped after the limit to the failures, in offset order, with their original bytes', () => {
    const decoded = { records: [record(0, 10), record(2, 51), record(3, 50), record(4, 60)], failed: [undecodable(1)] };
    const out = refuseFutureEvents(decoded, messages, 50);
    expect(out.records.map((r) => r.offset)).toEqual(['0', '3']);
    expect(out.failed.map((f) => [f.source.offset, f.failure.code])).toEqual([
      ['1', 'NOT_WIRE_FORMAT'],
      ['2', 'EVENT_TIME_IN_FUTURE'],
      ['4', 'EVENT_TIME_IN_FUTURE'],
    ]);
    expect(out.failed[1]?.source.message).toBe(messages[2]);
    expect(out.failed[1]?.failure.message).toContain('1970-01-01T00:00:00.051Z');
  });

  it('accepts a record stamped exactly at the limit', () => {
    const decoded = { records: [record(0, 50)], failed: [] };
    expect(refuseFutureEvents(decoded, messages, 50).records).toHaveLength(1);
  });
});
