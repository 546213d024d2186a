import { EXAMPLE_RECORDS } from '@valuepulse/contracts';
import { describe, expect, it } from 'vitest';
import { nativeItem, splitBody, Unparsable } from './native-events.js';

describe('splitBody', () => {
  it('reads a JSON array, NDJSON (blank lines ignored) and a single object', () => {
    expect(splitBody('[{"a":1},{"b":2}]')).toEqual({ items: [{ a: 1 }, { b: 2 }] });
    expect(splitBody('{"a":1}\n\n{"b":2}\n')).toEqual({ items: [{ a: 1 }, { b: 2 }] });
    expect(splitBody('{"a":1}')).toEqual({ items: [{ a: 1 }] });
  });

  it('refuses an empty body and an array that is not JSON; keeps a bad NDJSON line as an item', () => {
    expect(splitBody('  \n')).toMatchObject({ reason: 'empty_body' });
    expect(splitBody('[{"a":')).toMatchObject({ reason: 'invalid_json' });
    const split = splitBody('{"a":1}\n{oops\n');
    expect('items' in split && split.items[1]).toBeInstanceOf(Unparsable);
  });
});

describe('nativeItem', () => {
  it('accepts each example record on its topic, as produce does', () => {
    for (const [topic, record] of [['usage.events.v1', 'UsageEvent'], ['support.events.v1', 'SupportEvent'], ['account.events.v1', 'AccountEvent']] as const) {
      expect(nativeItem({ topic, value: EXAMPLE_RECORDS[record] })).toMatchObject({ status: 'accepted', topic, key: 'acct-acme' });
    }
  });

  it('names the field and reason of each problem', () => {
    expect(nativeItem({ topic: 'usage.events.v1', value: { ...EXAMPLE_RECORDS.UsageEvent, quantity: -1, colour: 'red' } })).toEqual({
      status: 'rejected',
      reason: 'invalid_record',
      errors: [{ field: 'value.(record)', reason: 'unknown field(s) colour' }],
    });
    expect(nativeItem({ topic: 'usage.events.v1', value: { ...EXAMPLE_RECORDS.UsageEvent, quantity: -1 } })).toEqual({
      status: 'rejected',
      reason: 'invalid_record',
      errors: [{ field: 'value.quantity', reason: 'must not be negative' }],
    });
    expect(nativeItem({ topic: 'health.alerts.v1', value: {} })).toMatchObject({ reason: 'unknown_topic', errors: [{ field: 'topic' }] });
    expect(nativeItem({ value: {} })).toMatchObject({ reason: 'unknown_topic', errors: [{ field: 'topic' }] });
    expect(nativeItem({ topic: 'usage.events.v1' })).toMatchObject({ errors: [{ field: 'value', reason: 'is required' }] });
    expect(nativeItem({ topic: 'usage.events.v1', value: {}, key: 'x' })).toMatchObject({ reason: 'invalid_item', errors: [{ field: 'key' }] });
    expect(nativeItem([1])).toMatchObject({ reason: 'invalid_item' });
    expect(nativeItem(new Unparsable('Unexpected token'))).toMatchObject({ reason: 'invalid_json', errors: [{ reason: 'not JSON: Unexpected token' }] });
  });
});
