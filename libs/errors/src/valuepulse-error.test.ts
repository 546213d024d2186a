import { describe, expect, it } from 'vitest';
import { DecodeError } from './decode-error.js';
import { DependencyUnavailableError } from './dependency-unavailable-error.js';
import { RetriesExhaustedError } from './retries-exhausted-error.js';
import { ValidationError } from './validation-error.js';
import { ValuepulseError } from './valuepulse-error.js';

describe('ValuepulseError', () => {
  it('carries code, retriable and the standard cause', () => {
    const cause = new Error('socket hang up');
    const err = new ValuepulseError('boom', { code: 'SOME_CODE', retriable: true, cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('boom');
    expect(err.code).toBe('SOME_CODE');
    expect(err.retriable).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('ValuepulseError');
    expect(err.stack).toContain('boom');
  });

  it('is not retriable and has no cause unless told', () => {
    const err = new ValuepulseError('boom', { code: 'X' });
    expect(err.retriable).toBe(false);
    expect('cause' in err).toBe(false);
  });

  it('names itself after the subclass that was constructed', () => {
    class SomethingSpecificError extends ValuepulseError {}
    const err = new SomethingSpecificError('x', { code: 'X' });
    expect(err.name).toBe('SomethingSpecificError');
    expect(err).toBeInstanceOf(ValuepulseError);
    expect(String(err)).toBe('SomethingSpecificError: x');
  });
});

describe('DependencyUnavailableError', () => {
  it('is retriable by default and keeps dependency and hint', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:6380');
    const err = new DependencyUnavailableError('redis is unreachable', {
      dependency: 'redis',
      hint: 'start the local stack: npx valuepulse stack up',
      cause,
    });
    expect(err).toBeInstanceOf(ValuepulseError);
    expect(err.name).toBe('DependencyUnavailableError');
    expect(err.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(err.retriable).toBe(true);
    expect(err.dependency).toBe('redis');
    expect(err.hint).toBe('start the local stack: npx valuepulse stack up');
    expect(err.cause).toBe(cause);
  });

  it('can be marked not retriable (e.g. authentication refused)', () => {
    const err = new DependencyUnavailableError('auth failed', { dependency: 'clickhouse', retriable: false });
    expect(err.retriable).toBe(false);
    expect(err.hint).toBeUndefined();
  });
});

describe('DecodeError', () => {
  it('takes its code from the caller and is never retriable', () => {
    const err = new DecodeError('magic byte 0x7b is not 0x00', { code: 'DECODE_BAD_MAGIC' });
    expect(err.name).toBe('DecodeError');
    expect(err.code).toBe('DECODE_BAD_MAGIC');
    expect(err.retriable).toBe(false);
  });
});

describe('ValidationError', () => {
  it('lists the issues', () => {
    const err = new ValidationError('usage event is invalid', { issues: ['account_id: required', 'occurred_at: not a date'] });
    expect(err.name).toBe('ValidationError');
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.retriable).toBe(false);
    expect(err.issues).toEqual(['account_id: required', 'occurred_at: not a date']);
  });
});

describe('RetriesExhaustedError', () => {
  it('says how many attempts and the last message, with the last error as cause', () => {
    const last = new Error('connection refused');
    const err = new RetriesExhaustedError(4, last);
    expect(err.name).toBe('RetriesExhaustedError');
    expect(err.code).toBe('RETRIES_EXHAUSTED');
    expect(err.retriable).toBe(false);
    expect(err.attempts).toBe(4);
    expect(err.cause).toBe(last);
    expect(err.message).toBe('gave up after 4 attempts: connection refused');
  });

  it('uses the singular for one attempt and stringifies non-errors', () => {
    expect(new RetriesExhaustedError(1, 'timeout').message).toBe('gave up after 1 attempt: timeout');
  });
});
