import type { HealthAlert } from '@valuepulse/contracts';
import { createOutcomeCollector, detectionQuality, outcomeQuality, type AccountLabel, type Outcome, type OutcomeReport, type Period, type QualityReport } from '@valuepulse/quality';
import { DAY_MS, dayOf, type ScoringConfig } from '@valuepulse/scoring';
import { createMemoryReplay, type MemoryReplay, type StoreEvent } from '@valuepulse/state';

/** One scoring config to backtest, under a name for the report. */
export interface BacktestRun {
  name: string;
  config: ScoringConfig;
}

/** What a backtest found for one config. */
export interface BacktestConfigResult {
  name: string;
  modelVersion: string;
  evaluations: number;
  /** Every alert, in the order raised. */
  alerts: HealthAlert[];
  outcomes: OutcomeReport;
  /** Against the labels, when there are labels. */
  detection: QualityReport | null;
}

/** {@link Backtest.end}'s result. */
export interface BacktestResult {
  period: Period;
  events: number;
  accounts: number;
  outcomes: Outcome[];
  configs: BacktestConfigResult[];
}

/** A backtest fed one event at a time in delivery order: every config sees every event, in one pass over the source. */
export interface Backtest {
  push(input: StoreEvent): void;
  /** Ends the replays and measures; `period` defaults to the UTC days the events span. */
  end(options?: { period?: Period; labels?: readonly AccountLabel[] }): BacktestResult;
}

interface Tracking {
  run: BacktestRun;
  replay: MemoryReplay;
  alerts: HealthAlert[];
  tier: Map<string, string>;
  nonGreenAt: Map<string, number[]>;
  /** Per account: UTC days (ascending) and the last health score of each. */
  scores: Map<string, { days: number[]; values: number[] }>;
}

/**
 * Replays the same events through in-memory state and `evaluate` once per
 * config (`replayInMemory`'s event-clock semantics, the scorer's), keeping
 * for each its alerts, when each account's tier first left GREEN, and each
 * account's last health score per UTC day; outcomes come from the account
 * events (CONTRACT_RENEWED/DOWNGRADED/CHURNED). Deterministic.
 */
export function createBacktest(runs: readonly BacktestRun[], options: { until?: number; drainsSource?: (input: StoreEvent) => boolean } = {}): Backtest {
  const outcomes = createOutcomeCollector();
  const accounts = new Set<string>();
  let events = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const tracking: Tracking[] = runs.map((run) => {
    const t: Tracking = { run, alerts: [], tier: new Map(), nonGreenAt: new Map(), scores: new Map(), replay: undefined as unknown as MemoryReplay };
    t.replay = createMemoryReplay({
      config: run.config,
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.drainsSource ? { drainsSource: options.drainsSource } : {}),
      onAlert: (a) => t.alerts.push(a),
      onEvaluation: (id, now, e) => {
        const before = t.tier.get(id);
        if (e.tier !== before) {
          t.tier.set(id, e.tier);
          if (e.tier !== 'GREEN' && (before === undefined || before === 'GREEN')) t.nonGreenAt.set(id, [...(t.nonGreenAt.get(id) ?? []), now]);
        }
        let series = t.scores.get(id);
        if (series === undefined) t.scores.set(id, (series = { days: [], values: [] }));
        const day = dayOf(now);
        if (series.days.at(-1) === day) series.values[series.values.length - 1] = e.healthScore;
        else {
          series.days.push(day);
          series.values.push(e.healthScore);
        }
      },
    });
    return t;
  });

  return {
    push(input) {
      events += 1;
      accounts.add(input.event.account_id);
      const at = input.event.occurred_at;
      if (at < first) first = at;
      if (at > last) last = at;
      if (input.kind === 'account') outcomes.observe(input.event);
      for (const t of tracking) t.replay.push(input);
    },
    end(endOptions = {}) {
      const period = endOptions.period ?? (events === 0 ? { from: 0, to: DAY_MS } : { from: dayOf(first) * DAY_MS, to: (dayOf(last) + 1) * DAY_MS });
      const found = outcomes.outcomes();
      const configs = tracking.map((t): BacktestConfigResult => {
        const { evaluations } = t.replay.end();
        const scoreAt = (id: string, at: number): number | null => {
          const series = t.scores.get(id);
          if (series === undefined) return null;
          // the last score of the latest UTC day on or before `at`'s day
          const day = dayOf(at);
          let lo = 0;
          let hi = series.days.length - 1;
          let found: number | null = null;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if ((series.days[mid] as number) <= day) {
              found = series.values[mid] as number;
              lo = mid + 1;
            } else hi = mid - 1;
          }
          return found;
        };
        return {
          name: t.run.name,
          modelVersion: t.run.config.model_version,
          evaluations,
          alerts: t.alerts,
          outcomes: outcomeQuality({ outcomes: found, alerts: t.alerts, accounts: accounts.size, period, nonGreenAt: t.nonGreenAt, scoreAt }),
          detection: endOptions.labels ? detectionQuality(endOptions.labels, t.alerts, period) : null,
        };
      });
      return { period, events, accounts: accounts.size, outcomes: found, configs };
    },
  };
}
