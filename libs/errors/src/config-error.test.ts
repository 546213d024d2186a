import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';

describe('ConfigError', () => {
  it('lists every problem on its own line', () => {
    const problems = [
      { variable: 'KAFKA_BROKERS', expected: 'a comma-separated list of host:port', received: 'localhost' },
      { variable: 'GROUP_ID', expected: 'a non-empty string' },
    ];
    const err = new ConfigError(problems);
    expect(err.name).toBe('ConfigError');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.retriable).toBe(false);
    expect(err.problems).toEqual(problems);
    expect(err.message).toBe(
      [
        'invalid configuration:',
        '  KAFKA_BROKERS: expected a comma-separated list of host:port, got "localhost"',
        '  GROUP_ID: is required (expected a non-empty string)',
      ].join('\n'),
    );
  });

  it('quotes received values so whitespace and quotes stay visible', () => {
    const err = new ConfigError([{ variable: 'X', expected: 'an integer', received: ' 4"2' }]);
    expect(err.message).toContain('got " 4\\"2"');
  });
});
