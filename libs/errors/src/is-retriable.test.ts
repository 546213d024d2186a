import { describe, expect, it } from 'vitest';
import { DecodeError } from './decode-error.js';
import { DependencyUnavailableError } from './dependency-unavailable-error.js';
import { isRetriable } from './is-retriable.js';
import { ValuepulseError } from './valuepulse-error.js';

describe('isRetriable', () => {
  it.each([
    ['a retriable ValuepulseError', new ValuepulseError('x', { code: 'X', retriable: true }), true],
    ['a DependencyUnavailableError', new DependencyUnavailableError('x', { dependency: 'kafka' }), true],
    ['an error shaped like KafkaJSError', Object.assign(new Error('leader not available'), { retriable: true }), true],
    ['a non-retriable ValuepulseError', new ValuepulseError('x', { code: 'X' }), false],
    ['a DecodeError', new DecodeError('x', { code: 'DECODE_BAD_MAGIC' }), false],
    ['a plain Error', new Error('x'), false],
    ['a truthy but non-boolean flag', { retriable: 'yes' }, false],
    ['a string', 'retriable', false],
    ['null', null, false],
    ['undefined', undefined, false],
  ])('%s → %s', (_label, err, expected) => {
    expect(isRetriable(err)).toBe(expected);
  });
});
