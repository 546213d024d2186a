import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '@valuepulse/contracts';
import { DAY_MS, HOUR_MS } from './calendar.js';
import { createSimulation, generateScenario, type SimulatedDay } from './simulation.js';

const endsAt = Date.UTC(2026, 10, 22);
const base = { seed: 4, accounts: 12, days: 60, endsAt };
const faults = { lateShare: 0.2, lateMaxHours: 36, duplicateShare: 0.05 };
const clean = generateScenario(base).usage;
const byId = new Map(clean.map((e) => [e.event_id, e]));
const streamed: SimulatedDay[] = [...createSimulation({ ...base, ...faults }).days()];
const faulty = streamed.flatMap((d) => d.usage);

/** Events emitted after one that happened later than they did. */
function overtaken(stream: readonly UsageEvent[]): UsageEvent[] {
  let latest = -Infinity;
  return stream.filter((e) => {
    const late = e.occurred_at < latest;
    latest = Math.max(latest, e.occurred_at);
    return late;
  });
}

describe('delivery faults', () => {
  it('are off by default: the same stream as with both shares at 0', () => {
    expect(generateScenario({ ...base, lateShare: 0, duplicateShare: 0, lateMaxHours: 5 }).usage).toEqual(clean);
    expect(overtaken(clean)).toEqual([]);
  });

  it('change only delivery: the same distinct event ids (late ones still held at the end go out with the last day), each emitted once or twice with its content unchanged', () => {
    expect(new Set(faulty.map((e) => e.event_id))).toEqual(new Set(byId.keys()));
    const times = new Map<string, number>();
    for (const e of faulty) {
      times.set(e.event_id, (times.get(e.event_id) ?? 0) + 1);
      expect(e).toEqual(byId.get(e.event_id));
    }
    expect(Math.max(...times.values())).toBe(2);
    const twice = [...times.values()].filter((n) => n === 2).length;
    expect(faulty.length).toBe(clean.length + twice);
    expect(twice / clean.length).toBeGreaterThan(0.04);
    expect(twice / clean.length).toBeLessThan(0.06);
  });

  it('emit a duplicate as a copy right after its original', () => {
    const seen = new Set<string>();
    faulty.forEach((e, i) => {
      if (!seen.has(e.event_id)) {
        seen.add(e.event_id);
        return;
      }
      expect(faulty[i - 1]?.event_id).toBe(e.event_id);
      expect(faulty[i - 1]).not.toBe(e);
    });
  });

  it('hold a late event back: emitted after events that happened later, on its own day or a later one', () => {
    const behind = overtaken(faulty);
    // most of the 20 % late are overtaken (events are dense across 12 accounts); no more than them (and their copies)
    expect(behind.length / clean.length).toBeGreaterThan(0.12);
    expect(behind.length / clean.length).toBeLessThan(0.22);
    const nextDay = streamed.flatMap((d) => d.usage.filter((e) => e.occurred_at < d.startsAt));
    expect(nextDay.length / clean.length).toBeGreaterThan(0.05);
    expect(nextDay.length / clean.length).toBeLessThan(0.2);
  });

  it('never emit an event more than lateMaxHours after it happened, in the event time of its day, nor before it happened', () => {
    const maxLate = faults.lateMaxHours * HOUR_MS;
    const wrong: string[] = [];
    let latest = -Infinity;
    for (const day of streamed) {
      for (const e of day.usage) {
        latest = Math.max(latest, e.occurred_at);
        if (latest - e.occurred_at > maxLate) wrong.push(`${e.event_id} after an event ${latest - e.occurred_at} ms later`);
        if (e.occurred_at >= day.startsAt + DAY_MS || e.occurred_at < day.startsAt - maxLate) wrong.push(`${e.event_id} with day ${day.day}`);
      }
    }
    expect(wrong).toEqual([]);
    const short = [...createSimulation({ ...base, lateShare: 0.5, lateMaxHours: 2 }).days()];
    expect(short.flatMap((d) => d.usage.filter((e) => e.occurred_at < d.startsAt - 2 * HOUR_MS))).toEqual([]);
    expect(short.some((d) => d.usage.some((e) => e.occurred_at < d.startsAt))).toBe(true);
  });

  it('are deterministic, and leave support and account events alone', () => {
    const again = generateScenario({ ...base, ...faults });
    expect(again.usage).toEqual(faulty);
    const plain = generateScenario(base);
    expect([again.support, again.account]).toEqual([plain.support, plain.account]);
    expect(generateScenario({ ...base, ...faults, seed: 5 }).usage).not.toEqual(faulty);
  });

});
