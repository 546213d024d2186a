import { describe, expect, it } from 'vitest';
import { createPrng, deriveSeed, mulberry32 } from './prng.js';

describe('mulberry32', () => {
  it('gives the published reference sequence, the same on every run', () => {
    const next = mulberry32(1);
    const first = [next(), next(), next()];
    expect(first).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const again = mulberry32(1);
    expect([again(), again(), again()]).toEqual(first);
  });

  it('stays in [0, 1) and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(43);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.slice(0, 5)).not.toEqual(Array.from({ length: 5 }, () => b()));
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates streams by every part and by the whole seed', () => {
    expect(deriveSeed(7, 3, 'plan')).toBe(deriveSeed(7, 3, 'plan'));
    const seeds = new Set([
      deriveSeed(7, 3, 'plan'),
      deriveSeed(7, 3, 'usage'),
      deriveSeed(7, 4, 'plan'),
      deriveSeed(8, 3, 'plan'),
      // seeds that differ only above 32 bits
      deriveSeed(7 + 2 ** 32, 3, 'plan'),
      deriveSeed(-7, 3, 'plan'),
    ]);
    expect(seeds.size).toBe(6);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});

describe('createPrng', () => {
  it('draws integers inside inclusive bounds, reaching both ends', () => {
    const prng = createPrng(5);
    const xs = Array.from({ length: 2000 }, () => prng.int(3, 6));
    expect(new Set(xs)).toEqual(new Set([3, 4, 5, 6]));
  });

  it('picks by weight, never a zero weight, and refuses impossible picks', () => {
    const prng = createPrng(9);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i += 1) counts[prng.weighted([['a', 1], ['b', 3], ['c', 0]] as const)] += 1;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.5);
    expect(counts.b / counts.a).toBeLessThan(3.5);
    expect(() => prng.weighted([['a', 0]])).toThrow(RangeError);
    expect(() => prng.pick([])).toThrow(RangeError);
  });

  it('shuffles into a permutation without touching the input', () => {
    const prng = createPrng(11);
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = prng.shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...out].sort((a, b) => a - b)).toEqual(input);
    expect(out).not.toEqual(input);
  });

  it('draws standard normals (mean ≈ 0, sd ≈ 1)', () => {
    const prng = createPrng(13);
    const xs = Array.from({ length: 20_000 }, () => prng.gaussian());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});
