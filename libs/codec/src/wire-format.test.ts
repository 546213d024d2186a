import { describe, expect, it } from 'vitest';
import { DecodeError } from '@valuepulse/errors';
import { encodeWire, parseWire } from './wire-format.js';

describe('Confluent wire format', () => {
  it('round-trips schema id and body', () => {
    const body = Buffer.from([1, 2, 3, 255]);
    const wire = encodeWire(123_456, body);
    expect([...wire.subarray(0, 5)]).toEqual([0, 0, 1, 0xe2, 0x40]);
    expect(parseWire(wire)).toEqual({ schemaId: 123_456, body });
  });

  it.each<[string, Buffer | null, string]>([
    ['null', null, 'DECODE_EMPTY'],
    ['empty', Buffer.alloc(0), 'DECODE_EMPTY'],
    ['JSON instead of Avro', Buffer.from('{"account_id":"a"}'), 'DECODE_BAD_MAGIC'],
    ['magic byte 1', Buffer.from([1, 0, 0, 0, 1, 2]), 'DECODE_BAD_MAGIC'],
    ['header cut short', Buffer.from([0, 0, 0]), 'DECODE_TRUNCATED'],
  ])('refuses %s with a typed error', (_label, payload, code) => {
    const result = parseWire(payload);
    expect(result).toBeInstanceOf(DecodeError);
    expect((result as DecodeError).code).toBe(code);
    expect((result as DecodeError).retriable).toBe(false);
  });
});
