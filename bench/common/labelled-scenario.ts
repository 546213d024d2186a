import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLabels, type AccountLabel } from '@valuepulse/quality';
import { createSimulation, parseMix } from '@valuepulse/simulation';
import type { StoreEvent } from '@valuepulse/state';
import { readJsonlDir } from '@valuepulse/cli';

const DAY_MS = 86_400_000;

/** A labelled scenario in delivery order, for an in-memory replay (`npm run quality`, `npm run decline-candidates`). */
export interface LabelledScenario {
  labels: AccountLabel[];
  events: Iterable<StoreEvent>;
  /** The period: the first and the day after the last UTC day of the input. */
  from: number;
  to: number;
}

/** What the simulator is asked for (see `createSimulation`); `endsAt` a `YYYY-MM-DD` day, default today's UTC midnight. */
export interface SimulatedScenario {
  seed: number;
  accounts: number;
  days: number;
  mix?: string;
  endsAt?: string;
  lateShare?: number;
  duplicateShare?: number;
}

/** The simulator's scenario, each day's records in occurred-at order (stable: a late record keeps its place among its delivery day's). */
export function simulatedScenario(s: SimulatedScenario): LabelledScenario {
  const endsAt = s.endsAt ? Date.parse(`${s.endsAt}T00:00:00Z`) : Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const sim = createSimulation({
    seed: s.seed,
    accounts: s.accounts,
    days: s.days,
    endsAt,
    ...(s.mix ? { mix: parseMix(s.mix) } : {}),
    ...(s.lateShare === undefined ? {} : { lateShare: s.lateShare }),
    ...(s.duplicateShare === undefined ? {} : { duplicateShare: s.duplicateShare }),
  });
  function* events(): Generator<StoreEvent> {
    for (const day of sim.days()) {
      const all: StoreEvent[] = [
        ...day.account.map((event) => ({ kind: 'account' as const, event })),
        ...day.usage.map((event) => ({ kind: 'usage' as const, event })),
        ...day.support.map((event) => ({ kind: 'support' as const, event })),
      ];
      yield* all.map((e, i) => ({ e, i })).sort((a, b) => a.e.event.occurred_at - b.e.event.occurred_at || a.i - b.i).map(({ e }) => e);
    }
  }
  return { labels: sim.labels, events: events(), from: sim.options.startsAt, to: sim.options.endsAt };
}

/** JSON Lines files plus labels.jsonl in `dir` (e.g. from bench/heldout), read as the backtest reads them: validated, merged in delivery order. */
export function scenarioFromDir(dir: string): LabelledScenario {
  const labels = parseLabels(readFileSync(join(dir, 'labels.jsonl'), 'utf8'));
  const events = [...readJsonlDir(dir)];
  const times = events.map((e) => e.event.occurred_at);
  const from = Math.floor(times.reduce((x, y) => Math.min(x, y)) / DAY_MS) * DAY_MS;
  const to = (Math.floor(times.reduce((x, y) => Math.max(x, y)) / DAY_MS) + 1) * DAY_MS;
  return { labels, events, from, to };
}
