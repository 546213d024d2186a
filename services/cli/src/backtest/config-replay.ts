import type { HealthAlert } from '@valuepulse/contracts';
import { dayOf, type ScoringConfig } from '@valuepulse/scoring';
import { createMemoryReplay, type StoreEvent } from '@valuepulse/state';

/** What one config's replay of (some of) the accounts produced. */
export interface ConfigReplayResult {
  evaluations: number;
  alerts: HealthAlert[];
  /** Per account, when its tier went from GREEN (or none) to another, ascending. */
  nonGreenAt: Map<string, number[]>;
  /** Per account: UTC days (ascending) and the last health score of each. */
  scores: Map<string, { days: number[]; values: number[] }>;
}

/** One config's in-memory replay with what the backtest keeps of each evaluation. */
export interface ConfigReplay {
  push(input: StoreEvent, drains: boolean): void;
  advance(at: number): void;
  end(): ConfigReplayResult;
}

/** A replay of `config` (`replayInMemory`'s semantics; see `drainsSource` there for `drains`). */
export function createConfigReplay(config: ScoringConfig, options: { until?: number }): ConfigReplay {
  const alerts: HealthAlert[] = [];
  const tier = new Map<string, string>();
  const nonGreenAt = new Map<string, number[]>();
  const scores = new Map<string, { days: number[]; values: number[] }>();
  let drains = false;
  const replay = createMemoryReplay({
    config,
    ...(options.until !== undefined ? { until: options.until } : {}),
    drainsSource: () => drains,
    onAlert: (a) => alerts.push(a),
    onEvaluation: (id, now, e) => {
      const before = tier.get(id);
      if (e.tier !== before) {
        tier.set(id, e.tier);
        if (e.tier !== 'GREEN' && (before === undefined || before === 'GREEN')) nonGreenAt.set(id, [...(nonGreenAt.get(id) ?? []), now]);
      }
      let series = scores.get(id);
      if (series === undefined) scores.set(id, (series = { days: [], values: [] }));
      const day = dayOf(now);
      if (series.days.at(-1) === day) series.values[series.values.length - 1] = e.healthScore;
      else {
        series.days.push(day);
        series.values.push(e.healthScore);
      }
    },
  });
  return {
    push(input, d) {
      drains = d;
      replay.push(input);
      drains = false;
    },
    advance: (at) => replay.advance(at),
    end() {
      const { evaluations } = replay.end();
      return { evaluations, alerts, nonGreenAt, scores };
    },
  };
}
