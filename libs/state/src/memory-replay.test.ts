import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { createSimulation, type SimulationOptions } from '@valuepulse/simulation';
import { describe, expect, it } from 'vitest';
import { replayInMemory } from './memory-replay.js';
import type { StoreEvent } from './store-event.js';

// A scenario with every archetype, short enough for a unit test.
const BASE: SimulationOptions = {
  seed: 11,
  accounts: 32,
  days: 84,
  endsAt: Date.UTC(2026, 10, 30),
  mix: {
    healthy_steady: 1, healthy_shutdown: 1, healthy_month_end: 1, healthy_api_driven: 1,
    sudden_drop: 1, drop_then_recovery: 1, unit_leaves: 1, slow_decay: 1, going_dark: 1, support_flood: 1, champion_leaves: 1,
  },
};

/** Every record of the scenario in delivery order (a day's records as the simulator emits them). */
function* delivered(options: SimulationOptions): Generator<StoreEvent> {
  for (const day of createSimulation(options).days()) {
    const all: StoreEvent[] = [
      ...day.account.map((event) => ({ kind: 'account' as const, event })),
      ...day.usage.map((event) => ({ kind: 'usage' as const, event })),
      ...day.support.map((event) => ({ kind: 'support' as const, event })),
    ];
    yield* all.map((e, i) => ({ e, i })).sort((a, b) => a.e.event.occurred_at - b.e.event.occurred_at || a.i - b.i).map(({ e }) => e);
  }
}

// The alert as a subscriber de-duplicates it: its id is (account, signal,
// transition, UTC day). The instant inside the day is when a record of the
// account happened to arrive, which delivery faults may move.
function alertKeys(options: SimulationOptions): string[] {
  const { alerts } = replayInMemory(delivered(options), { config: DEFAULT_SCORING_CONFIG, until: options.endsAt });
  return alerts.map((a) => `${a.alert_id} ${a.account_id} ${a.signal} ${a.from_state}>${a.to_state} ${new Date(a.evaluated_at).toISOString().slice(0, 10)} ${a.value}`).sort();
}

// each replay of 32 accounts × 84 days takes a few seconds on a busy machine
describe('replayInMemory: delivery faults inside the documented window change no alert', { timeout: 60_000 }, () => {
  const clean = alertKeys(BASE);

  it('the clean scenario raises alerts (the comparison below means something)', () => {
    expect(clean.length).toBeGreaterThan(20);
    expect(new Set(clean.map((k) => k.split(' ')[2]))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect(clean.some((k) => k.includes(' login_drop '))).toBe(true);
  });

  it('5 % of usage events delivered twice (same event id): the same alerts, ids and times', () => {
    expect(alertKeys({ ...BASE, duplicateShare: 0.05 })).toEqual(clean);
  });

  it('10 % of usage events up to 36 h late (the late window): the same alerts, ids and times', () => {
    expect(alertKeys({ ...BASE, lateShare: 0.1, lateMaxHours: 36 })).toEqual(clean);
  });

  it('both at once', () => {
    expect(alertKeys({ ...BASE, lateShare: 0.1, lateMaxHours: 36, duplicateShare: 0.05 })).toEqual(clean);
  });
});

describe('replayInMemory: a partition drained before a new day (drainsSource)', () => {
  const D = Date.UTC(2026, 10, 16);
  const usage = (id: string, account: string, at: number): StoreEvent => ({
    kind: 'usage',
    event: { event_id: id, account_id: account, occurred_at: at, user_id: 'u1', event_type: 'LOGIN', feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'UNKNOWN', product_line: null, quantity: 1, properties: {} },
  });
  const events = [usage('e1', 'a', D + 20 * 3_600_000), usage('e2', 'b', D + 21 * 3_600_000), usage('e3', 'b', D + 86_400_000 + 60_000)];
  const judgedAt = (drainsSource?: (input: StoreEvent) => boolean) => {
    const seen: string[] = [];
    replayInMemory(events, { config: DEFAULT_SCORING_CONFIG, ...(drainsSource ? { drainsSource } : {}), onEvaluation: (id, now) => seen.push(`${id} ${new Date(now).toISOString()}`) });
    return seen.slice(0, 2);
  };

  it('judges the accounts of a step at the clock', () => {
    expect(judgedAt()).toEqual(['a 2026-11-16T21:00:00.000Z', 'b 2026-11-16T21:00:00.000Z']);
  });

  it('judges an account whose partition ended in the step just before the next day starts, as the scorer does', () => {
    expect(judgedAt((input) => input.event.event_id === 'e1')).toEqual(['a 2026-11-17T00:00:59.999Z', 'b 2026-11-16T21:00:00.000Z']);
  });
});

describe('replayInMemory: a step of one UTC day (the default)', { timeout: 60_000 }, () => {
  const replay = (stepMs?: number) => {
    const { alerts, evaluations } = replayInMemory(delivered(BASE), { config: DEFAULT_SCORING_CONFIG, until: BASE.endsAt, ...(stepMs ? { stepMs } : {}) });
    return { evaluations, ids: alerts.map((a) => `${a.alert_id} ${new Date(a.evaluated_at).toISOString().slice(0, 10)}`).sort() };
  };

  // Judged every 6 h, this scenario raises 99 alerts, judged daily 97: 96 the same (id and
  // day). The others: a stakeholder_alignment flap inside one day (divided at noon, ok the
  // next afternoon) that a daily judgement does not see, and an NPS detractor whose account
  // answered twice on one day (ok, then breached; daily: from nothing to breached, another id).
  it('raises nearly the alerts (ids and days) of judging every 6 h with about half the evaluations', () => {
    const daily = replay();
    const sixHourly = replay(6 * 3_600_000);
    expect(daily.ids.length).toBeGreaterThan(20);
    const both = daily.ids.filter((id) => sixHourly.ids.includes(id));
    expect(both.length).toBeGreaterThanOrEqual(0.95 * Math.max(daily.ids.length, sixHourly.ids.length));
    expect(daily.evaluations).toBeLessThan(sixHourly.evaluations * 0.6);
  });
});
