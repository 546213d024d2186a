import type { ArchetypeQuality, QualityReport } from './detection-quality.js';

/** The goals for the default scenario (issue 6; delays revised with model v1.1, issue 16). */
export const QUALITY_GOALS = {
  /** Share of at-risk accounts alerted, for every at-risk archetype. */
  recall: 0.95,
  /** Share of healthy accounts with any warning-or-worse alert. */
  falsePositiveRate: 0.02,
  /** Alerts per healthy account per month. */
  healthyAlertsPerAccountMonth: 2,
  /**
   * Median days from onset to the first relevant alert, where a goal is set.
   * Model v1.1 trades speed for fewer false alarms, on purpose (issue 16):
   * a sudden drop is judged on settled days (36 h late window) with evidence,
   * so 6 days; everyone stopping at once is a pause until it outlasts the
   * going-dark threshold (14 days, SMB 21), so going dark is seen at 14.
   */
  medianDelayDays: { sudden_drop: 6, going_dark: 14, champion_leaves: 3, slow_decay: 14 } as Readonly<Record<string, number>>,
} as const;

/** What an archetype misses of {@link QUALITY_GOALS} (empty: meets them all). */
export function shortfalls(row: ArchetypeQuality): string[] {
  const out: string[] = [];
  if (row.atRisk) {
    if (row.recall !== null && row.recall < QUALITY_GOALS.recall) out.push(`recall < ${pct(QUALITY_GOALS.recall)}`);
    const delayGoal = QUALITY_GOALS.medianDelayDays[row.archetype];
    if (delayGoal !== undefined && (row.medianDelayDays === null || row.medianDelayDays > delayGoal)) out.push(`median delay > ${delayGoal} d`);
  } else {
    if (row.falsePositiveRate !== null && row.falsePositiveRate > QUALITY_GOALS.falsePositiveRate) out.push(`false positives > ${pct(QUALITY_GOALS.falsePositiveRate)}`);
    if (row.alertsPerAccountMonth > QUALITY_GOALS.healthyAlertsPerAccountMonth) out.push(`> ${QUALITY_GOALS.healthyAlertsPerAccountMonth} alerts/account/month`);
  }
  return out;
}

/** The report as a fixed-width table, one row per archetype then the totals, with each row's verdict against the goals. */
export function formatQualityTable(report: QualityReport): string {
  const header = ['archetype', 'accounts', 'recall', 'median delay', 'p90 delay', 'false pos.', 'alerts/acct/month', 'goals'];
  const rows = [...report.archetypes, report.atRisk, report.healthy].map((r) => {
    const missed = shortfalls(r);
    return [
      r.archetype,
      String(r.accounts),
      r.recall === null ? '' : `${pct(r.recall)} (${r.detected}/${r.accounts})`,
      r.medianDelayDays === null ? (r.atRisk ? 'n/a' : '') : `${r.medianDelayDays.toFixed(1)} d`,
      r.p90DelayDays === null ? (r.atRisk ? 'n/a' : '') : `${r.p90DelayDays.toFixed(1)} d`,
      r.falsePositiveRate === null ? '' : `${pct(r.falsePositiveRate)} (${r.warned}/${r.accounts})`,
      r.alertsPerAccountMonth.toFixed(2),
      r.accounts === 0 ? '' : missed.length === 0 ? 'met' : `SHORT: ${missed.join(', ')}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(0, -2).map(line), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(-2).map(line)];
  if (report.unlabelledAlerts > 0) lines.push(`(${report.unlabelledAlerts} alerts for accounts not in the labels were left out)`);
  return lines.join('\n');
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1).replace(/\.0$/, '')} %`;
}
