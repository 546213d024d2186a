import type { Margin } from '../scoring-config.js';

/**
 * An ordered set of states for one signal and the thresholds between them.
 * A binary signal has two states (`ok`, `breached`) and one bound; the
 * health tier has four and three.
 */
export interface BandSpec {
  /** States, best first. */
  states: readonly string[];
  /**
   * `bounds[i]` separates `states[i]` from `states[i + 1]`: descending when
   * higher values are better (the value must stay at or above the bound),
   * ascending when higher is worse (reaching the bound is the worse state).
   */
  bounds: readonly number[];
  /** Hysteresis margin per bound, in the value's unit. */
  margins: readonly number[];
  higherIsBetter: boolean;
}

/**
 * The band index of `value` (0 = best). With `current` (the band last
 * emitted) hysteresis applies: a bound the value is already on the bad side
 * of must be re-crossed by its margin before the value counts as back on the
 * good side, while crossing into a worse band needs only the bound itself.
 * So a value hovering at a bound stays wherever it was.
 */
export function classifyBand(spec: BandSpec, value: number, current: number | null): number {
  let index = 0;
  spec.bounds.forEach((bound, i) => {
    const margin = current !== null && current > i ? (spec.margins[i] ?? 0) : 0;
    const worse = spec.higherIsBetter ? value < bound + margin : value >= bound - margin;
    if (worse) index += 1;
  });
  return index;
}

/** A configured margin in the threshold's unit: absolute as given, relative as a fraction of the threshold. */
export function marginOf(margin: Margin, threshold: number): number {
  return margin.absolute ?? (margin.relative ?? 0) * Math.abs(threshold);
}

/** States of every two-state signal. */
export const BINARY_STATES = ['ok', 'breached'] as const;

/** A two-state band: breached at `threshold`, back to ok only past threshold ± margin. */
export function binaryBands(threshold: number, margin: Margin, higherIsBetter: boolean): BandSpec {
  return { states: BINARY_STATES, bounds: [threshold], margins: [marginOf(margin, threshold)], higherIsBetter };
}
