import type { ClickHouseClient } from '@valuepulse/clickhouse';
import { alertsSql, SNAPSHOT_SERIES, snapshotSeriesSql, supportSeriesSql, usageSeriesSql, type AlertFilter, type Day } from './history-queries.js';

/** One alert as the API shows it, with its evidence in words. */
export interface AlertView {
  alert_id: string;
  account_id: string;
  signal: string;
  kind: string;
  severity: string;
  from_state: string | null;
  to_state: string;
  value: number | null;
  threshold: number | null;
  days_to_renewal: number | null;
  model_version: string;
  evaluated_at: string;
  evidence: { factor: string; value: number | null; contribution: number | null; detail: string | null }[];
  /** The change and its evidence as sentences. */
  summary: string;
  evidence_text: string[];
}

/** Daily series of one account: snapshots (last of each day), usage and support rollups, and its alerts. */
export interface AccountHistory {
  account_id: string;
  from: Day;
  to: Day;
  days: Day[];
  series: Record<string, (number | string | null)[]>;
  alerts: AlertView[];
}

type Row = Record<string, unknown>;

/** ClickHouse answers 64-bit numbers as strings; everything numeric becomes a number here. */
const n = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));


/** Every UTC day in [from, to]. */
export function daysBetween(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function nextDay(d: Day): Day {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function fmt(v: number | null): string {
  if (v === null) return 'unknown';
  return String(Math.round(v * 100) / 100);
}

/** The alert in words: "login_drop: ok → breached (value 42, threshold 30)" and one sentence per evidence entry. */
export function toAlertView(r: Row): AlertView {
  const factors = (r.evidence_factor as string[] | undefined) ?? [];
  const values = (r.evidence_value as (number | null)[] | undefined) ?? [];
  const contributions = (r.evidence_contribution as (number | null)[] | undefined) ?? [];
  const details = (r.evidence_detail as (string | null)[] | undefined) ?? [];
  const evidence = factors.map((factor, i) => ({ factor, value: n(values[i]), contribution: n(contributions[i]), detail: details[i] ?? null }));
  const value = n(r.value);
  const threshold = n(r.threshold);
  const change = `${String(r.signal)} ${r.from_state === null ? '' : `${String(r.from_state)} → `}${String(r.to_state)}`;
  const measured = value === null ? '' : ` (value ${fmt(value)}${threshold === null ? '' : `, threshold ${fmt(threshold)}`})`;
  return {
    alert_id: String(r.alert_id),
    account_id: String(r.account_id),
    signal: String(r.signal),
    kind: String(r.kind),
    severity: String(r.severity),
    from_state: r.from_state === null ? null : String(r.from_state),
    to_state: String(r.to_state),
    value,
    threshold,
    days_to_renewal: n(r.days_to_renewal),
    model_version: String(r.model_version),
    evaluated_at: new Date(Number(r.evaluated_at_ms)).toISOString(),
    evidence,
    summary: `${String(r.severity)}: ${change}${measured}`,
    evidence_text: evidence.map((e) => (e.detail ? `${e.detail}${e.value === null ? '' : `: ${fmt(e.value)}`}` : `${e.factor}: ${fmt(e.value)}`)),
  };
}

/** Reads history and alerts from ClickHouse, every query read-only (`readonly=2`). */
export interface HistoryReader {
  history(accountId: string, from: Day, to: Day): Promise<AccountHistory>;
  alerts(filter: AlertFilter): Promise<AlertView[]>;
  ping(): Promise<boolean>;
}

export function createHistoryReader(clickhouse: ClickHouseClient, database: string): HistoryReader {
  async function rows(query: string): Promise<Row[]> {
    const result = await clickhouse.query({ query, format: 'JSONEachRow', clickhouse_settings: { readonly: '2' } });
    return result.json<Row>();
  }
  return {
    async history(accountId, from, to) {
      const end = nextDay(to);
      const [snapshots, usage, support, alerts] = await Promise.all([
        rows(snapshotSeriesSql(database, accountId, from, end)),
        rows(usageSeriesSql(database, accountId, from, end)),
        rows(supportSeriesSql(database, accountId, from, end)),
        rows(alertsSql(database, { accountId, since: from, until: end, limit: 10_000 })),
      ]);
      const days = daysBetween(from, to);
      const at = new Map(days.map((d, i) => [d, i]));
      const series: Record<string, (number | string | null)[]> = {};
      const column = (name: string) => (series[name] ??= days.map(() => null));
      for (const name of [...SNAPSHOT_SERIES, 'tier', 'logins', 'events', 'active_users', 'tickets_opened', 'escalations', 'reopenings']) column(name);
      for (const r of snapshots) {
        const i = at.get(String(r.day));
        if (i === undefined) continue;
        for (const name of SNAPSHOT_SERIES) column(name)[i] = n(r[name]);
        column('tier')[i] = String(r.tier);
      }
      for (const r of usage) {
        const i = at.get(String(r.day_text));
        if (i === undefined) continue;
        column('logins')[i] = n(r.logins_day);
        column('events')[i] = n(r.events_day);
        column('active_users')[i] = n(r.active_users_day);
      }
      for (const r of support) {
        const i = at.get(String(r.day_text));
        if (i === undefined) continue;
        column('tickets_opened')[i] = n(r.tickets_opened_day);
        column('escalations')[i] = n(r.escalations_day);
        column('reopenings')[i] = n(r.reopenings_day);
      }
      return { account_id: accountId, from, to, days, series, alerts: alerts.map(toAlertView).reverse() };
    },
    async alerts(filter) {
      return (await rows(alertsSql(database, filter))).map(toAlertView);
    },
    async ping() {
      const r = await clickhouse.ping();
      return r.success;
    },
  };
}
