import { ValidationError } from '@valuepulse/errors';

/**
 * Splits a migration file into statements at each `;` outside string
 * literals ('…', with backslash or doubled-quote escapes), quoted identifiers
 * ("…", `…`) and comments (`-- …` to the end of the line, `/* … *\/`).
 * Comments are kept inside the statement they precede or follow; statements
 * made only of whitespace and comments are dropped. Returns the statements
 * trimmed, without their `;`.
 *
 * @throws ValidationError when a quote or block comment is never closed
 *   (a statement would otherwise be silently cut or swallowed).
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let code = false; // the current statement has something besides comments and whitespace
  let i = 0;
  const push = (end: number) => {
    if (code) statements.push(sql.slice(start, end).trim());
    start = end + 1;
    code = false;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) throw unclosed('block comment', sql, i);
      i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = closingQuote(sql, i) + 1;
      code = true;
    } else if (c === ';') {
      push(i);
      i += 1;
    } else {
      if (c !== undefined && !/\s/.test(c)) code = true;
      i += 1;
    }
  }
  push(sql.length);
  return statements;
}

/** Index of the quote that closes the one at `open`: a backslash escapes the next character, a doubled quote is a quote. */
function closingQuote(sql: string, open: number): number {
  const quote = sql[open];
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i;
    else i += 1;
  }
  throw unclosed(quote === "'" ? 'string literal' : 'quoted identifier', sql, open);
}

function unclosed(what: string, sql: string, at: number): ValidationError {
  const line = sql.slice(0, at).split('\n').length;
  return new ValidationError(`unclosed ${what} starting on line ${line}`, { issues: [`line ${line}: unclosed ${what}`] });
}
