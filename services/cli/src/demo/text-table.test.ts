import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('aligns text left and numbers right, and says how many rows it left out', () => {
    const out = textTable(
      [
        { tier: 'GREEN', accounts: '120', share: 0.6 },
        { tier: 'RED', accounts: '7', share: 0.035 },
        { tier: 'YELLOW', accounts: '73', share: null },
      ],
      2,
    );
    expect(out.split('\n')).toEqual(['  tier   accounts  share', '  -----  --------  -----', '  GREEN       120    0.6', '  RED           7   0.04', '  … 1 more row(s)']);
  });

  it('joins arrays and says when there is nothing', () => {
    expect(textTable([{ factors: ['a', 'b'] }])).toContain('a, b');
    expect(textTable([])).toBe('  (no rows)');
  });
});
