import { describe, expect, it } from 'vitest';
import { ARCHETYPES, ARCHETYPE_SPECS, DEFAULT_MIX } from './archetypes.js';
import { archetypeCounts, assignArchetypes, parseMix } from './mix.js';
import { createPrng } from './prng.js';
import { SimulationOptionsError } from './simulation-options-error.js';

describe('parseMix', () => {
  it('reads archetype=weight pairs; only the listed archetypes take part', () => {
    expect(parseMix(' healthy_steady=3, going_dark = 1.5 ,')).toEqual({ healthy_steady: 3, going_dark: 1.5 });
  });

  it.each([
    ['healthy_steady', /expected archetype=weight/],
    ['nope=1', /unknown archetype "nope"/],
    ['going_dark=-1', /weight of going_dark must be a number ≥ 0/],
    ['going_dark=x', /weight of going_dark must be a number ≥ 0/],
    ['going_dark=1,going_dark=2', /listed twice/],
    ['going_dark=0', /at least one archetype with a positive weight/],
    ['', /at least one archetype with a positive weight/],
  ])('refuses %j with a reason naming the option', (text, reason) => {
    let error: unknown;
    try {
      parseMix(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SimulationOptionsError);
    expect((error as SimulationOptionsError).option).toBe('mix');
    expect((error as Error).message).toMatch(reason);
  });
});

describe('archetypeCounts', () => {
  it('follows the default weights for 200 accounts: 40 % healthy, every archetype present', () => {
    const counts = archetypeCounts(200, DEFAULT_MIX);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(200);
    // 80 exactly, less the rounding of sixteen shares
    const healthy = ARCHETYPES.filter((a) => !ARCHETYPE_SPECS[a].atRisk).reduce((n, a) => n + counts[a], 0);
    expect(Math.abs(healthy - 80)).toBeLessThanOrEqual(1);
    expect(counts.healthy_steady).toBeGreaterThan(2 * counts.healthy_shutdown);
    for (const a of ARCHETYPES) expect(counts[a]).toBeGreaterThanOrEqual(11);
  });

  it('gives every archetype of the mix one account as soon as there are enough accounts', () => {
    const counts = archetypeCounts(ARCHETYPES.length, DEFAULT_MIX);
    for (const a of ARCHETYPES) expect(counts[a]).toBe(1);
    const oneMore = archetypeCounts(ARCHETYPES.length + 1, DEFAULT_MIX);
    expect(oneMore.healthy_steady).toBe(2);
  });

  it('is proportional below that, and leaves out archetypes of weight 0', () => {
    const counts = archetypeCounts(3, DEFAULT_MIX);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3);
    expect(archetypeCounts(10, { going_dark: 1, healthy_steady: 0 })).toMatchObject({ going_dark: 10, healthy_steady: 0 });
  });
});

describe('assignArchetypes', () => {
  it('shuffles the counts deterministically', () => {
    const a = assignArchetypes(50, DEFAULT_MIX, createPrng(1));
    expect(assignArchetypes(50, DEFAULT_MIX, createPrng(1))).toEqual(a);
    expect(assignArchetypes(50, DEFAULT_MIX, createPrng(2))).not.toEqual(a);
    expect(a.filter((x) => x === 'going_dark')).toHaveLength(archetypeCounts(50, DEFAULT_MIX).going_dark);
  });
});
