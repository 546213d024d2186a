import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@valuepulse/clickhouse';
import { guideQueries } from '@valuepulse/history';
import { textTable } from './text-table.js';

/** The analyst-guide queries the demo shows, by their names in docs/analysts.md. */
export const DEMO_GUIDE_QUERIES = ['going-dark-cohort', 'seat-utilisation-vs-contract', 'first-alert-to-red'] as const;

async function rows(clickhouse: ClickHouseClient, query: string): Promise<Record<string, unknown>[]> {
  return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
}

/**
 * The demo's report from ClickHouse (`clickhouse` has the demo database as
 * its default): accounts by tier, alerts by signal and kind, the evidence of
 * one critical alert, and three queries of the analyst guide, as text.
 */
export async function historyReport(clickhouse: ClickHouseClient, repoRoot: string): Promise<string> {
  const guide = guideQueries(await readFile(join(repoRoot, 'docs', 'analysts.md'), 'utf8'));
  const out: string[] = [];
  const section = (title: string, body: string) => out.push(`${title}\n${body}\n`);

  section('Accounts by current tier (docs/analysts.md: accounts-by-tier)', textTable(await rows(clickhouse, guide.get('accounts-by-tier') ?? 'SELECT 1')));
  section(
    'Alerts by signal and kind',
    textTable(await rows(clickhouse, 'SELECT signal, kind, count() AS alerts FROM health_alerts_dedup GROUP BY signal, kind ORDER BY alerts DESC, signal, kind'), 25),
  );
  const [alert] = await rows(
    clickhouse,
    `SELECT account_id, signal, kind, severity, from_state, to_state, value, threshold, toString(evaluated_at) AS evaluated_at,
            evidence.factor AS factor, evidence.value AS factor_value, evidence.contribution AS contribution, evidence.detail AS detail
     FROM health_alerts_dedup WHERE severity = 'CRITICAL' ORDER BY evaluated_at, alert_id LIMIT 1`,
  );
  if (alert) {
    const factors = (alert.factor as string[]).map((factor, i) => ({
      factor,
      value: (alert.factor_value as (number | null)[])[i] ?? null,
      contribution: (alert.contribution as (number | null)[])[i] ?? null,
      detail: (alert.detail as (string | null)[])[i] ?? null,
    }));
    section(
      `One alert and its evidence: ${alert.account_id} ${alert.signal} ${alert.kind} ${alert.from_state ?? 'none'} → ${alert.to_state} (${alert.severity}, value ${alert.value ?? 'n/a'}, threshold ${alert.threshold ?? 'n/a'}, evaluated ${alert.evaluated_at} UTC)`,
      textTable(factors),
    );
  }
  for (const name of DEMO_GUIDE_QUERIES) {
    const sql = guide.get(name);
    if (sql) section(`docs/analysts.md: ${name}`, textTable(await rows(clickhouse, sql), 10));
  }
  return out.join('\n');
}
