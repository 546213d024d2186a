import { formatOutcomeTable, formatQualityTable } from '@valuepulse/quality';
import type { BacktestResult } from './backtest.js';

const DAY_MS = 86_400_000;

/** The backtest as text: the outcome view with the configs side by side, then each config's detection quality when there are labels. */
export function formatBacktest(result: BacktestResult, labelled: boolean): string {
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const days = Math.round((result.period.to - result.period.from) / DAY_MS);
  const lines = [
    `backtest: ${result.accounts} accounts, ${result.events} events, ${iso(result.period.from)} – ${iso(result.period.to - 1)} (${days} days), ${result.outcomes.length} outcomes`,
    ...result.configs.map((c) => `  ${c.name}: model ${c.modelVersion}, ${c.alerts.length} alerts, ${c.evaluations} evaluations`),
    '',
    formatOutcomeTable(result.configs.map((c) => ({ name: c.name, report: c.outcomes }))),
  ];
  if (labelled) {
    for (const c of result.configs) if (c.detection) lines.push('', `detection quality against the labels: ${c.name} (model ${c.modelVersion})`, '', formatQualityTable(c.detection));
  } else {
    lines.push('', 'detection quality: no labels (labels.jsonl in the directory, or --labels F)');
  }
  return lines.join('\n');
}

/** The backtest as JSON for machines: per config its figures (alerts counted, not listed; see --alerts-out). */
export function backtestJson(result: BacktestResult): unknown {
  return {
    period: result.period,
    events: result.events,
    accounts: result.accounts,
    outcomes: result.outcomes.length,
    configs: result.configs.map((c) => ({ name: c.name, model_version: c.modelVersion, alerts: c.alerts.length, evaluations: c.evaluations, outcomes: c.outcomes, detection: c.detection })),
  };
}
