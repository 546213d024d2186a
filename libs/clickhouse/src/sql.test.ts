import { describe, expect, it } from 'vitest';
import { ValidationError } from '@valuepulse/errors';
import { identifier, stringLiteral } from './sql.js';

describe('identifier', () => {
  it.each(['valuepulse', '_t1', 'Events_2026', 'a'.repeat(128)])('back-quotes %s', (name) => {
    expect(identifier(name)).toBe(`\`${name}\``);
  });

  it.each(['', '1abc', 'a-b', 'a b', 'db.table', 'x`; DROP TABLE t; --', 'é', 'a'.repeat(129)])('refuses %j', (name) => {
    expect(() => identifier(name)).toThrow(ValidationError);
  });
});

describe('stringLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['line\nbreak', "'line\\nbreak'"],
    ['cr\r\ttab', "'cr\\r\\ttab'"],
    ['nul\0', "'nul\\0'"],
    ["\\'", "'\\\\\\''"],
    ['', "''"],
  ])('escapes %j', (value, expected) => {
    expect(stringLiteral(value)).toBe(expected);
  });
});
