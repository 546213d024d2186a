import { describe, expect, it } from 'vitest';
import { guideQueries } from './guide-queries.js';

describe('guideQueries', () => {
  it('takes each marked sql block by name, and nothing unmarked', () => {
    const md = ['# x', '<!-- query: a-one -->', '```sql', 'SELECT 1', '```', '```sql', 'SELECT 2', '```', '<!-- query: b -->', '', '```sql', '  SELECT 3\n', '```'].join('\n');
    expect([...guideQueries(md)]).toEqual([
      ['a-one', 'SELECT 1'],
      ['b', 'SELECT 3'],
    ]);
  });

  it('refuses a name used twice', () => {
    expect(() => guideQueries('<!-- query: a -->\n```sql\nSELECT 1\n```\n<!-- query: a -->\n```sql\nSELECT 2\n```')).toThrow(/query a appears twice/);
  });
});
