import { describe, expect, it } from 'vitest';
import { envHostPortList, envList, isHostPort } from './env-list.js';

describe('envList', () => {
  it.each([
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    [' a , b ', ['a', 'b']],
    ['a,,b,', ['a', 'b']],
  ])('splits %j into %j', (raw, expected) => {
    expect(envList().parse(raw)).toEqual(expected);
  });

  it('rejects a value with no item at all', () => {
    const result = envList().safeParse(' , ,');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected a comma-separated list of values');
  });

  it('checks every item when told how', () => {
    const numbers = envList({ item: { description: 'numbers', check: (item) => /^\d+$/.test(item) } });
    expect(numbers.parse('1,2')).toEqual(['1', '2']);
    const result = numbers.safeParse('1,two');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected a comma-separated list of numbers');
  });

  it('takes the default', () => {
    expect(envList({ default: ['x'] }).parse('')).toEqual(['x']);
  });
});

describe('isHostPort', () => {
  it.each(['127.0.0.1:9092', 'localhost:1', 'kafka-0.kafka.svc:65535', 'kafka_1:9092', '[::1]:9092'])('accepts %j', (text) => {
    expect(isHostPort(text)).toBe(true);
  });
  it.each(['localhost', ':9092', 'localhost:', 'localhost:0', 'localhost:65536', 'host:port', 'a:1:2', 'PLAINTEXT://h:9092', '::1:9092'])(
    'rejects %j',
    (text) => {
      expect(isHostPort(text)).toBe(false);
    },
  );
});

describe('envHostPortList', () => {
  it('accepts several brokers', () => {
    expect(envHostPortList().parse('k1:9092, k2:9092')).toEqual(['k1:9092', 'k2:9092']);
  });
  it('rejects a list with one bad broker, describing the form', () => {
    const result = envHostPortList().safeParse('k1:9092,k2');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected a comma-separated list of host:port');
  });
});
