/** `value` limited to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * `value` rounded to `digits` decimals. Scores are rounded before they are
 * classified, so the number an alert shows is the number that was compared.
 */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  // Adding 0 turns -0 into 0, which would otherwise survive into JSON as 0 but fail Object.is in tests.
  return Math.round(value * f) / f + 0;
}

/** One input of a weighted composite; `value` null means "unknown", not zero. */
export interface WeightedInput {
  key: string;
  weight: number;
  value: number | null;
}

/** One input as it ended up in the composite. */
export interface WeightedPart {
  key: string;
  /** The input's value, null when unknown. */
  value: number | null;
  /** Configured weight. */
  weight: number;
  /** Points this input adds to the composite (null when unknown), after re-weighting. */
  contribution: number | null;
}

/**
 * Weighted mean of the known inputs, scaled by `scale`. Unknown inputs are
 * left out and the remaining weights re-normalised, so missing data never
 * counts as zero. `value` is null when no known input has a positive weight.
 */
export function weightedMean(inputs: readonly WeightedInput[], scale = 1): { value: number | null; parts: WeightedPart[] } {
  const total = inputs.reduce((sum, i) => (i.value === null ? sum : sum + i.weight), 0);
  const parts = inputs.map((i) => ({
    key: i.key,
    value: i.value,
    weight: i.weight,
    contribution: i.value === null || total === 0 ? null : round((scale * i.weight * i.value) / total),
  }));
  if (total === 0) return { value: null, parts };
  const sum = inputs.reduce((acc, i) => (i.value === null ? acc : acc + i.weight * i.value), 0);
  return { value: (scale * sum) / total, parts };
}

/** Code-unit string order: unlike localeCompare it does not depend on the machine's locale, so output is reproducible. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Median of `values` (0 for none). */
export function median(values: readonly number[]): number {
  return medianInPlace([...values]);
}

/**
 * {@link median} of an array the caller owns and no longer needs in its
 * order: sorted in place instead of copied first (the rhythm takes a dozen
 * medians of fresh sample arrays per evaluation).
 */
export function medianInPlace(values: number[]): number {
  if (values.length === 0) return 0;
  const s = values.sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * P(X ≥ k) for X binomial with `n` trials of chance `p` (0 < p < 1): how
 * likely at least `k` of `n` answers are detractors when each is one with
 * chance `p`. Summed from the upper end, so small tails keep their precision.
 */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  // pmf(n) = p^n, pmf(i - 1) = pmf(i) · i / (n - i + 1) · (1 - p) / p
  let pmf = p ** n;
  let sum = 0;
  for (let i = n; i >= k; i -= 1) {
    sum += pmf;
    pmf = (pmf * i * (1 - p)) / ((n - i + 1) * p);
  }
  return clamp(sum, 0, 1);
}

/**
 * P(X ≥ k) for X Poisson with mean `mean` (≥ 0): how likely `k` or more
 * tickets are in a window whose usual count is `mean`.
 */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  let term = Math.exp(-mean);
  let below = 0;
  for (let i = 0; i < k; i += 1) {
    below += term;
    term = (term * mean) / (i + 1);
  }
  return clamp(1 - below, 0, 1);
}
