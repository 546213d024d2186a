import { describe, expect, it } from 'vitest';
import { ValidationError } from '@valuepulse/errors';
import { splitStatements } from './split-statements.js';

describe('splitStatements', () => {
  it('splits at semicolons and trims', () => {
    expect(splitStatements('CREATE TABLE a (x UInt8) ENGINE = Memory;\n\n  SELECT 1 ;\nSELECT 2')).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  it('ignores semicolons in strings, quoted identifiers and comments', () => {
    const sql = [
      "-- a comment; with a semicolon",
      "SELECT 'a;b', 'it\\'s;', 'x'';y', \"c;d\", `e;f` /* g; h */ FROM t;",
      '/* only a comment; */',
      '-- and another one;',
      'SELECT 2;',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      "-- a comment; with a semicolon\nSELECT 'a;b', 'it\\'s;', 'x'';y', \"c;d\", `e;f` /* g; h */ FROM t",
      '/* only a comment; */\n-- and another one;\nSELECT 2',
    ]);
  });

  it('keeps a backslash before a closing quote from ending the string', () => {
    expect(splitStatements("SELECT '\\\\'; SELECT 'a\\\\\\';b'")).toEqual(["SELECT '\\\\'", "SELECT 'a\\\\\\';b'"]);
  });

  it('keeps newlines inside strings', () => {
    expect(splitStatements("SELECT 'line\nbreak;';")).toEqual(["SELECT 'line\nbreak;'"]);
  });

  it('drops empty and comment-only statements', () => {
    expect(splitStatements(';;\n-- nothing\n;  \n')).toEqual([]);
    expect(splitStatements('')).toEqual([]);
  });

  it.each([
    ["SELECT 'unclosed;", /unclosed string literal starting on line 1/],
    ['SELECT 1;\nSELECT `x;', /unclosed quoted identifier starting on line 2/],
    ['SELECT 1 /* never closed;', /unclosed block comment/],
  ])('refuses %j', (sql, message) => {
    expect(() => splitStatements(sql)).toThrow(ValidationError);
    expect(() => splitStatements(sql)).toThrow(message);
  });
});
