import { describe, expect, it } from 'vitest';
import { resolveSimulationOptions } from './simulation-options.js';
import { DEFAULT_MIX } from './archetypes.js';

const base = { seed: 1, accounts: 10, days: 60, endsAt: Date.UTC(2026, 10, 22) };

describe('resolveSimulationOptions', () => {
  it('fills in the defaults and the start', () => {
    const r = resolveSimulationOptions(base);
    expect(r).toMatchObject({ ...base, holidays: 2, mix: DEFAULT_MIX, startsAt: Date.UTC(2026, 8, 23) });
    expect(r).toMatchObject({ lateShare: 0, lateMaxHours: 36, duplicateShare: 0 });
    expect(resolveSimulationOptions({ ...base, lateShare: 0.1, lateMaxHours: 2.5, duplicateShare: 1 })).toMatchObject({ lateShare: 0.1, lateMaxHours: 2.5, duplicateShare: 1 });
  });

  it.each([
    [{ seed: 1.5 }, 'seed: must be an integer'],
    [{ accounts: 0 }, 'accounts: must be an integer between 1 and 100000, got 0'],
    [{ days: 55 }, 'days: must be an integer between 56 and 730, got 55'],
    [{ holidays: 13 }, 'holidays: must be an integer between 0 and 12'],
    [{ endsAt: Date.UTC(2026, 10, 22, 1) }, 'endsAt: must be a UTC midnight'],
    [{ endsAt: Date.UTC(2000, 1, 1) }, 'endsAt: the scenario would start before 2000-01-01'],
    [{ mix: { healthy_steady: 0 } }, 'mix: needs at least one archetype with a positive weight'],
    [{ lateShare: 1.5 }, 'lateShare: must be a number between 0 and 1, got 1.5'],
    [{ lateShare: Number.NaN }, 'lateShare: must be a number between 0 and 1'],
    [{ lateMaxHours: 0 }, 'lateMaxHours: must be a number between 1 and 720, got 0'],
    [{ duplicateShare: -0.1 }, 'duplicateShare: must be a number between 0 and 1, got -0.1'],
  ])('refuses %j: %s', (override, message) => {
    expect(() => resolveSimulationOptions({ ...base, ...override })).toThrow(message);
  });
});
