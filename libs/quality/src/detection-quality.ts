import type { AccountLabel } from './labels.js';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 30.44;
const TIER_RANK: Readonly<Record<string, number>> = { GREEN: 0, YELLOW: 1, ORANGE: 2, RED: 3 };

/** The fields of a `health.alerts.v1` alert that detection quality looks at. */
export interface QualityAlert {
  account_id: string;
  signal: string;
  kind: string;
  severity: string;
  from_state: string | null;
  to_state: string;
  evaluated_at: number;
}

/** The scenario's event time: `from` (inclusive) to `to` (exclusive), epoch ms. */
export interface Period {
  from: number;
  to: number;
}

/** Detection quality of one archetype. Rates are 0–1; null where they do not apply. */
export interface ArchetypeQuality {
  archetype: string;
  atRisk: boolean;
  accounts: number;
  /** At risk: accounts with a relevant alert on or after the onset day. */
  detected: number | null;
  recall: number | null;
  /** At risk: days from the onset to the first relevant alert, over the detected accounts. */
  medianDelayDays: number | null;
  p90DelayDays: number | null;
  /** Healthy: accounts that received any warning-or-worse alert. */
  warned: number | null;
  falsePositiveRate: number | null;
  /** Every alert (recoveries included) per account per 30.44 days of the period. */
  alertsPerAccountMonth: number;
}

/** {@link detectionQuality}'s result. */
export interface QualityReport {
  period: Period;
  archetypes: ArchetypeQuality[];
  /** All at-risk accounts together, and all healthy ones. */
  atRisk: ArchetypeQuality;
  healthy: ArchetypeQuality;
  /** Alerts for accounts the labels do not know (none expected). */
  unlabelledAlerts: number;
}

/**
 * Whether `alert` detects `label`'s at-risk behaviour: a crossing of one of
 * the signals the behaviour is built to move (a tier change only when to a
 * worse tier), not a recovery, evaluated on or after the onset's UTC day.
 */
export function isRelevant(alert: QualityAlert, label: AccountLabel): boolean {
  if (label.onset_at === null || !label.expected_signals.includes(alert.signal)) return false;
  if (alert.kind === 'RECOVERED') return false;
  if (alert.kind === 'TIER_CHANGED' && !((TIER_RANK[alert.to_state] ?? -1) > (TIER_RANK[alert.from_state ?? 'GREEN'] ?? 0))) return false;
  return Math.floor(alert.evaluated_at / DAY_MS) >= Math.floor(label.onset_at / DAY_MS);
}

/** Whether `alert` is a warning or worse (what a healthy account must not get). */
export function isWarning(alert: QualityAlert): boolean {
  return alert.kind !== 'RECOVERED' && (alert.severity === 'WARNING' || alert.severity === 'CRITICAL');
}

/**
 * Measures alerts against a labelled scenario, per archetype: recall and
 * delay from the onset to the first relevant alert (see {@link isRelevant})
 * for at-risk archetypes; the share of accounts that got any warning-or-worse
 * alert (false positives) for healthy ones; alerts per account per month
 * for all. Alerts outside `period` count too (a scorer may judge the last day
 * after it ends); pure and deterministic.
 */
export function detectionQuality(labels: readonly AccountLabel[], alerts: readonly QualityAlert[], period: Period): QualityReport {
  const byAccount = new Map<string, QualityAlert[]>();
  let unlabelledAlerts = 0;
  const known = new Set(labels.map((l) => l.account_id));
  for (const a of alerts) {
    if (!known.has(a.account_id)) {
      unlabelledAlerts += 1;
      continue;
    }
    const list = byAccount.get(a.account_id);
    if (list) list.push(a);
    else byAccount.set(a.account_id, [a]);
  }
  const months = Math.max(period.to - period.from, DAY_MS) / DAY_MS / MONTH_DAYS;
  const measure = (archetype: string, atRisk: boolean, group: readonly AccountLabel[]): ArchetypeQuality => {
    const delays: number[] = [];
    let warned = 0;
    let alertCount = 0;
    for (const label of group) {
      const own = [...(byAccount.get(label.account_id) ?? [])].sort((x, y) => x.evaluated_at - y.evaluated_at);
      alertCount += own.length;
      if (atRisk) {
        const first = own.find((a) => isRelevant(a, label));
        if (first && label.onset_at !== null) delays.push(Math.max(0, first.evaluated_at - label.onset_at) / DAY_MS);
      } else if (own.some(isWarning)) {
        warned += 1;
      }
    }
    const n = group.length;
    return {
      archetype,
      atRisk,
      accounts: n,
      detected: atRisk ? delays.length : null,
      recall: atRisk && n > 0 ? delays.length / n : null,
      medianDelayDays: atRisk ? percentile(delays, 0.5) : null,
      p90DelayDays: atRisk ? percentile(delays, 0.9) : null,
      warned: atRisk ? null : warned,
      falsePositiveRate: !atRisk && n > 0 ? warned / n : null,
      alertsPerAccountMonth: n > 0 ? alertCount / n / months : 0,
    };
  };

  const groups = new Map<string, AccountLabel[]>();
  for (const l of labels) groups.set(l.archetype, [...(groups.get(l.archetype) ?? []), l]);
  const archetypes = [...groups]
    .map(([archetype, group]) => measure(archetype, group.every((l) => l.at_risk), group))
    .sort((a, b) => Number(a.atRisk) - Number(b.atRisk) || a.archetype.localeCompare(b.archetype));
  return {
    period,
    archetypes,
    atRisk: measure('all at risk', true, labels.filter((l) => l.at_risk)),
    healthy: measure('all healthy', false, labels.filter((l) => !l.at_risk)),
    unlabelledAlerts,
  };
}

/** Nearest-rank percentile (`q` in 0–1) of `values`; null when empty. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
