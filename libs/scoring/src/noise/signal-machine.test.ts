import { describe, expect, it } from 'vitest';
import { DAY_MS, type SignalMemory } from '../account-state.js';
import { NOW } from '../test-support.fixture.js';
import { binaryBands } from './bands.js';
import { stepSignal, type MachineRule } from './signal-machine.js';

const HOUR = 3_600_000;
const drop: MachineRule = { bands: binaryBands(30, { absolute: 5 }, false), firstAlertFrom: 1, dwellMs: 0, cooldownMs: 7 * DAY_MS };
const tier: MachineRule = {
  bands: { states: ['GREEN', 'YELLOW', 'ORANGE', 'RED'], bounds: [75, 60, 40], margins: [3, 3, 3], higherIsBetter: true },
  firstAlertFrom: 4,
  dwellMs: 2 * DAY_MS,
  cooldownMs: 7 * DAY_MS,
};

interface Emitted {
  at: number;
  from: string | null;
  to: string;
}

/** Feeds `values` one per `everyMs`, carrying the memory forward like the scorer does; returns what was emitted. */
function run(rule: MachineRule, values: readonly number[], everyMs: number, memory?: SignalMemory) {
  const emitted: Emitted[] = [];
  let m = memory;
  values.forEach((value, i) => {
    const at = NOW + i * everyMs;
    const step = stepSignal(m, value, rule, at);
    if (step.transition) emitted.push({ at, from: step.transition.from, to: step.transition.to });
    m = step.memory ?? undefined;
  });
  return { emitted, memory: m };
}

/** Every alert's from is the previous alert's to: consumers can follow the state from alerts alone. */
function expectChain(emitted: Emitted[]): void {
  emitted.slice(1).forEach((e, i) => expect(e.from).toBe(emitted[i]?.to));
}

const ok = (since = NOW): SignalMemory => ({ state: 'ok', since, pending: null, lastAlertAt: null });

describe('stepSignal: first evaluation', () => {
  it('adopts a normal state silently', () => {
    expect(stepSignal(undefined, 10, drop, NOW)).toEqual({ memory: ok(), transition: null, wakeAt: null });
  });

  it('alerts a state that is already bad, from null', () => {
    const step = stepSignal(undefined, 45, drop, NOW);
    expect(step.transition).toEqual({ from: null, to: 'breached', fromIndex: null, toIndex: 1 });
    expect(step.memory).toEqual({ state: 'breached', since: NOW, pending: null, lastAlertAt: NOW, transitions: { 'ok>breached': NOW } });
  });

  it('never alerts a tier on the first evaluation, whatever it is', () => {
    expect(stepSignal(undefined, 10, tier, NOW)).toMatchObject({ transition: null, memory: { state: 'RED' } });
  });

  it('re-baselines a state this model does not know, silently', () => {
    const old: SignalMemory = { state: 'dormant', since: NOW - DAY_MS, pending: null, lastAlertAt: NOW - DAY_MS };
    expect(stepSignal(old, 45, drop, NOW)).toEqual({
      memory: { state: 'breached', since: NOW, pending: null, lastAlertAt: NOW - DAY_MS },
      transition: null,
      wakeAt: null,
    });
  });
});

it('cools a first-evaluation alert down like one from the normal state', () => {
  const { emitted } = run(drop, [40, 10, 40, 40, 40, 40, 40, 40], DAY_MS);
  expect(emitted.map((e) => [(e.at - NOW) / DAY_MS, e.from, e.to])).toEqual([
    [0, null, 'breached'],
    [1, 'breached', 'ok'],
    [7, 'ok', 'breached'],
  ]);
});

describe('stepSignal: unknown values hold', () => {
  it('remembers nothing for a signal that was never known', () => {
    expect(stepSignal(undefined, null, drop, NOW)).toEqual({ memory: null, transition: null, wakeAt: null });
  });

  it('keeps a breached state (missing data is not a recovery)', () => {
    const breached: SignalMemory = { state: 'breached', since: NOW - DAY_MS, pending: null, lastAlertAt: NOW - DAY_MS };
    expect(stepSignal(breached, null, drop, NOW)).toEqual({ memory: breached, transition: null, wakeAt: null });
  });
});

describe('stepSignal: hysteresis', () => {
  it.each([
    [[29.99], []],
    [[30], ['ok>breached']],
    [[30, 26, 25], ['ok>breached']],
    [[30, 24.99], ['ok>breached', 'breached>ok']],
  ])('login drop %j from ok emits %j', (values, expected) => {
    const { emitted } = run(drop, values, 8 * DAY_MS, ok(NOW - DAY_MS));
    expect(emitted.map((e) => `${e.from}>${e.to}`)).toEqual(expected);
  });
});

describe('stepSignal: dwell', () => {
  const green = (): SignalMemory => ({ state: 'GREEN', since: NOW - 30 * DAY_MS, pending: null, lastAlertAt: null });

  it('emits a tier change only after it held for the dwell time, and says when to look again', () => {
    const first = stepSignal(green(), 70, tier, NOW);
    expect(first).toMatchObject({ transition: null, wakeAt: NOW + 2 * DAY_MS, memory: { state: 'GREEN', pending: { state: 'YELLOW', since: NOW } } });
    const middle = stepSignal(first.memory ?? undefined, 71, tier, NOW + DAY_MS);
    expect(middle).toMatchObject({ transition: null, wakeAt: NOW + 2 * DAY_MS, memory: { pending: { state: 'YELLOW', since: NOW } } });
    const done = stepSignal(middle.memory ?? undefined, 72, tier, NOW + 2 * DAY_MS);
    expect(done.transition).toMatchObject({ from: 'GREEN', to: 'YELLOW' });
    expect(done.memory).toMatchObject({ state: 'YELLOW', since: NOW + 2 * DAY_MS, pending: null, lastAlertAt: NOW + 2 * DAY_MS });
  });

  it('starts the dwell again when the value comes back in between', () => {
    const { emitted, memory } = run(tier, [70, 80, 70, 70], DAY_MS, green());
    expect(emitted).toEqual([]);
    expect(memory?.pending).toEqual({ state: 'YELLOW', since: NOW + 2 * DAY_MS });
  });

  it('keeps the dwell start when the change deepens in the same direction, and emits where it ended up', () => {
    const { emitted } = run(tier, [70, 50, 50], DAY_MS, green());
    expect(emitted).toEqual([{ at: NOW + 2 * DAY_MS, from: 'GREEN', to: 'ORANGE' }]);
  });

  it('applies to improvements too', () => {
    const red: SignalMemory = { state: 'RED', since: NOW - 30 * DAY_MS, pending: null, lastAlertAt: null };
    const { emitted } = run(tier, [90, 90, 90, 90, 90], 12 * HOUR, red);
    expect(emitted).toEqual([{ at: NOW + 2 * DAY_MS, from: 'RED', to: 'GREEN' }]);
  });
});

describe('stepSignal: cool-down per transition', () => {
  it('holds back a repeat of the same transition until the cool-down ends, then emits it if it still holds', () => {
    const { emitted } = run(drop, [40, 10, 40, 40, 40, 40, 40, 40, 40, 40], DAY_MS, ok(NOW - DAY_MS));
    expect(emitted).toEqual([
      { at: NOW, from: 'ok', to: 'breached' },
      { at: NOW + DAY_MS, from: 'breached', to: 'ok' },
      { at: NOW + 7 * DAY_MS, from: 'ok', to: 'breached' },
    ]);
  });

  it('reports the cool-down end as the time to look again, and keeps the emitted state meanwhile', () => {
    const { memory } = run(drop, [40, 10], DAY_MS, ok(NOW - DAY_MS));
    const held = stepSignal(memory, 40, drop, NOW + 2 * DAY_MS);
    expect(held).toMatchObject({ transition: null, wakeAt: NOW + 7 * DAY_MS, memory: { state: 'ok', pending: { state: 'breached' } } });
  });

  it('does not hold back a different transition', () => {
    const green: SignalMemory = { state: 'GREEN', since: NOW - 30 * DAY_MS, pending: null, lastAlertAt: null };
    // yellow (emitted day 2), green again (day 5), then red (day 7): GREEN>RED is new, so it goes out after its dwell
    const { emitted } = run(tier, [70, 70, 70, 80, 80, 80, 20, 20, 20], DAY_MS, green);
    expect(emitted.map((e) => `${e.from}>${e.to}`)).toEqual(['GREEN>YELLOW', 'YELLOW>GREEN', 'GREEN>RED']);
  });

  it('forgets transitions once their cool-down is over, so the memory stays small', () => {
    const { memory } = run(drop, [40, 10], DAY_MS, ok(NOW - DAY_MS));
    expect(Object.keys(memory?.transitions ?? {})).toEqual(['ok>breached', 'breached>ok']);
    const later = stepSignal(memory, 10, drop, NOW + 30 * DAY_MS);
    expect(later.memory).toEqual({ state: 'ok', since: NOW + DAY_MS, pending: null, lastAlertAt: NOW + DAY_MS });
  });
});

describe('no flapping: an oscillating metric', () => {
  it('hysteresis: hovering around the threshold (29 ↔ 31 every 6 hours for 30 days) alerts once', () => {
    const values = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? 31 : 29));
    const { emitted } = run(drop, values, 6 * HOUR, ok(NOW - DAY_MS));
    expect(emitted).toEqual([{ at: NOW, from: 'ok', to: 'breached' }]);
  });

  it('dwell: a score swinging 70 ↔ 80 every 12 hours for 60 days never changes the tier', () => {
    const values = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? 70 : 80));
    const green: SignalMemory = { state: 'GREEN', since: NOW - DAY_MS, pending: null, lastAlertAt: null };
    expect(run(tier, values, 12 * HOUR, green).emitted).toEqual([]);
  });

  it('cool-down: a swing too wide for hysteresis (10 ↔ 50 daily for 70 days) alerts at most once per transition a week', () => {
    const values = Array.from({ length: 70 }, (_, i) => (i % 2 === 0 ? 50 : 10));
    const { emitted } = run(drop, values, DAY_MS, ok(NOW - DAY_MS));
    expectChain(emitted);
    for (const e of emitted) {
      const repeats = emitted.filter((o) => o.from === e.from && o.to === e.to && o.at > e.at && o.at < e.at + 7 * DAY_MS);
      expect(repeats).toEqual([]);
    }
    // 69 changes of the raw state became at most two alerts per week
    expect(emitted.length).toBeLessThanOrEqual(2 * Math.ceil(70 / 7));
    expect(emitted.length).toBeGreaterThanOrEqual(2);
  });

  it('all three: a tier oscillating over 3-day half-periods for 90 days changes a bounded number of times, as a chain', () => {
    const values = Array.from({ length: 360 }, (_, i) => (Math.floor(i / 12) % 2 === 0 ? 55 : 85));
    const green: SignalMemory = { state: 'GREEN', since: NOW - DAY_MS, pending: null, lastAlertAt: null };
    const { emitted } = run(tier, values, 6 * HOUR, green);
    expectChain(emitted);
    const down = emitted.filter((e) => e.to === 'ORANGE');
    down.slice(1).forEach((e, i) => expect(e.at - (down[i]?.at ?? 0)).toBeGreaterThanOrEqual(7 * DAY_MS));
    // The raw tier flips 29 times. Each change waits 2 days (dwell); a repeat
    // inside 7 days waits too, and by then the value has swung back: every
    // second swing is absorbed, so it settles at one round trip per 12 days.
    expect(emitted.length).toBe(16);
    expect(emitted.slice(0, 4).map((e) => [(e.at - NOW) / DAY_MS, e.to])).toEqual([
      [2, 'ORANGE'],
      [5, 'GREEN'],
      [14, 'ORANGE'],
      [17, 'GREEN'],
    ]);
  });
});
