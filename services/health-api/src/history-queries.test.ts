import { describe, expect, it } from 'vitest';
import { alertsSql, snapshotSeriesSql, usageSeriesSql } from './history-queries.js';

describe('the SQL the API sends', () => {
  it('writes every value as an escaped literal, even one that slipped past validation', () => {
    const sql = snapshotSeriesSql('valuepulse', "x' OR 1=1 --", '2026-01-01', '2026-02-01');
    expect(sql).toContain("account_id = 'x\\' OR 1=1 --'");
    expect(alertsSql('valuepulse', { accountId: "a'b\\", severity: ["WARNING'"], limit: 10 })).toContain("account_id = 'a\\'b\\\\' AND severity IN ('WARNING\\'')");
  });

  it('refuses a day or a database name that is not one', () => {
    expect(() => usageSeriesSql('valuepulse', 'a', "2026-01-01'", '2026-02-01')).toThrow(RangeError);
    expect(() => usageSeriesSql('valuepulse; DROP', 'a', '2026-01-01', '2026-02-01')).toThrow(/identifier/);
    expect(() => alertsSql('valuepulse', { limit: 0 })).toThrow(RangeError);
  });

  it('reads alerts one per alert_id, newest first, at most limit', () => {
    const sql = alertsSql('db', { since: '2026-01-01', limit: 7 });
    expect(sql).toMatch(/ORDER BY evaluated_at_ms DESC, alert_id\nLIMIT 1 BY alert_id\nLIMIT 7$/);
    expect(sql).toContain("evaluated_at >= toDateTime('2026-01-01 00:00:00', 'UTC')");
  });
});
