import { ValidationError } from '@valuepulse/errors';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Returns `name` back-quoted for use as a database, table or column name.
 *
 * @throws ValidationError unless `name` matches `[A-Za-z_][A-Za-z0-9_]*`
 *   (at most 128 characters): identifiers come from config, and anything
 *   else is refused rather than escaped.
 */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new ValidationError(`not a valid ClickHouse identifier: ${JSON.stringify(name)}`, {
      issues: ['identifiers must match [A-Za-z_][A-Za-z0-9_]* (at most 128 characters)'],
    });
  }
  return `\`${name}\``;
}

/**
 * Returns `value` as a single-quoted ClickHouse string literal: backslashes,
 * quotes and control characters escaped, so any string is safe to splice
 * into SQL on servers without query parameters.
 */
export function stringLiteral(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};
