/** A stream of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit generator, fast and the same sequence on every
 * machine and Node version (Math.random is neither seedable nor stable).
 * Only the low 32 bits of `seed` matter; use {@link deriveSeed} to fold in more.
 *
 * @returns a function giving the next number in [0, 1) on each call.
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** murmur3's finaliser: every input bit flips about half of the output bits. */
function mix32(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A 32-bit seed for one independent stream, from a scenario seed (any safe
 * integer, all of its bits count) and labels such as an account index and a
 * purpose. Streams derived with different labels do not overlap in practice,
 * so one account's events never depend on how many numbers another drew.
 *
 * @returns an unsigned 32-bit integer.
 */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  const high = Math.floor(seed / 4_294_967_296);
  let h = mix32((seed >>> 0) ^ mix32(high ^ 0x9e3779b9));
  for (const part of parts) {
    const value = typeof part === 'string' ? hashString(part) : mix32((part >>> 0) ^ mix32(Math.floor(part / 4_294_967_296)));
    h = mix32(h ^ Math.imul(value + 0x9e3779b9, 0x27d4eb2d));
  }
  return h;
}

/** Seeded draws over a {@link Random} stream. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. @throws RangeError on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to its weight. @throws RangeError when no weight is positive. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Standard normal (Box–Muller). */
  gaussian(): number;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/**
 * A {@link Prng} over {@link mulberry32}(`seed`): the same seed always gives
 * the same draws.
 */
export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  const prng: Prng = {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
      if (!(total > 0)) throw new RangeError('weighted pick needs a positive weight');
      let target = next() * total;
      for (const [item, w] of items) {
        target -= Math.max(0, w);
        if (target < 0) return item;
      }
      // rounding: the last positive weight
      return [...items].reverse().find(([, w]) => w > 0)?.[0] as (typeof items)[number][0];
    },
    gaussian: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffle(items) {
      const out = [...items];
      for (let k = out.length - 1; k > 0; k -= 1) {
        const j = Math.floor(next() * (k + 1));
        [out[k], out[j]] = [out[j] as (typeof out)[number], out[k] as (typeof out)[number]];
      }
      return out;
    },
  };
  return prng;
}
