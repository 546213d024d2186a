import { EARLY_LEAD_DAYS, type LeadTimes, type OutcomeReport } from './outcome-quality.js';

/**
 * Outcome reports side by side, one column per named report (e.g. the
 * current config and a candidate), one row per figure. Says "no outcomes in
 * the input" rather than a table of blanks when no report has any.
 */
export function formatOutcomeTable(columns: readonly { name: string; report: OutcomeReport }[]): string {
  if (columns.every((c) => c.report.lost.outcomes + c.report.renewed.outcomes === 0)) {
    const alerts = columns.map((c) => `${c.name}: ${c.report.alertsPerAccountMonth.toFixed(2)} alerts/account/month`).join('; ');
    return `no outcomes in the input (no CONTRACT_RENEWED, CONTRACT_DOWNGRADED or CONTRACT_CHURNED): ${alerts}`;
  }
  const rows: [string, ...string[]][] = [];
  const row = (label: string, cell: (r: OutcomeReport) => string) => rows.push([label, ...columns.map((c) => cell(c.report))]);
  row('alerts/account/month (all)', (r) => r.alertsPerAccountMonth.toFixed(2));
  row('alerts/account/month (renewed)', (r) => (r.renewedAlertsPerAccountMonth === null ? 'n/a' : r.renewedAlertsPerAccountMonth.toFixed(2)));
  row('churned + downgraded', (r) => `${r.lost.outcomes} (${r.lost.churned} + ${r.lost.downgraded})`);
  row('  warned before the outcome', (r) => share(r.lost.warnedShare, r.lost.warned, r.lost.outcomes));
  row('  lost ARR warned', (r) => (r.lost.arrWarnedShare === null ? 'n/a' : `${pct(r.lost.arrWarnedShare)} (${money(r.lost.arrLostWarned)} of ${money(r.lost.arrLost)})`));
  row('  lead from first warning', (r) => lead(r.lost.fromFirstWarning));
  row(`  lead ≥ ${EARLY_LEAD_DAYS} d (first warning)`, (r) => share(r.lost.fromFirstWarning.atLeast90Days, null, null));
  row('  lead from first non-green tier', (r) => (r.lost.fromFirstNonGreen === null ? 'n/a' : lead(r.lost.fromFirstNonGreen)));
  row(`  lead ≥ ${EARLY_LEAD_DAYS} d (non-green)`, (r) => (r.lost.fromFirstNonGreen === null ? 'n/a' : share(r.lost.fromFirstNonGreen.atLeast90Days, null, null)));
  row('renewed', (r) => String(r.renewed.outcomes));
  row('  ever warned', (r) => share(r.renewed.warnedShare, r.renewed.warned, r.renewed.outcomes));
  const aucDays = [...new Set(columns.flatMap((c) => c.report.scoreAuc.map((a) => a.days)))];
  for (const days of aucDays) {
    row(`health score ROC AUC, ${days} d before renewal`, (r) => {
      const a = r.scoreAuc.find((x) => x.days === days);
      return a === undefined ? 'n/a' : a.auc === null ? `skipped (${a.lost}/${a.renewed})` : `${a.auc.toFixed(3)} (${a.lost}/${a.renewed})`;
    });
  }
  const header: [string, ...string[]] = ['outcomes', ...columns.map((c) => c.name)];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  const notes = [...new Set(columns.flatMap((c) => c.report.scoreAuc.filter((a) => a.skipped !== null).map((a) => `AUC ${a.days} d: ${a.skipped}`)))];
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...notes.map((n) => `(${n})`)].join('\n');
}

function lead(l: LeadTimes): string {
  if (l.medianDays === null) return 'n/a';
  return `median ${l.medianDays.toFixed(0)} d (p25 ${(l.p25Days as number).toFixed(0)}, p75 ${(l.p75Days as number).toFixed(0)}; n ${l.outcomes})`;
}

function share(rate: number | null, n: number | null, of: number | null): string {
  if (rate === null) return 'n/a';
  return n === null ? pct(rate) : `${pct(rate)} (${n}/${of})`;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1).replace(/\.0$/, '')} %`;
}

function money(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}
