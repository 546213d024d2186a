import type { AlertEvidence } from '@valuepulse/contracts';
import { round, type WeightedPart } from '../math.js';

/** One evidence entry; numbers are rounded and non-finite ones become null, which the Avro double refuses otherwise. */
export function fact(factor: string, value: number | null, detail: string | null, contribution: number | null = null): AlertEvidence {
  return { factor, value: finite(value), contribution: finite(contribution), detail };
}

/** A stakeholder role as a reader says it: EXECUTIVE_SPONSOR → "executive sponsor". */
export function roleName(r: string): string {
  return r.toLowerCase().replace(/_/g, ' ');
}

/** `ms` as an ISO calendar day (UTC), for details people read. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The parts of a weighted composite as evidence, the worst first: for a score
 * where higher is better, the biggest drag (points a part could have added
 * but did not, out of `scale`); for a pressure where higher is worse, the
 * biggest contribution. Unknown parts come last, marked "unknown,
 * re-weighted away", so the reader also sees what was not counted.
 */
export function partsEvidence(
  prefix: string,
  parts: readonly WeightedPart[],
  describe: (key: string) => string,
  options: { scale: number; higherIsWorse?: boolean },
): AlertEvidence[] {
  const total = parts.reduce((sum, p) => (p.value === null ? sum : sum + p.weight), 0);
  const badness = (p: WeightedPart): number => {
    if (p.value === null || p.contribution === null || total === 0) return Number.NEGATIVE_INFINITY;
    return options.higherIsWorse ? p.contribution : (p.weight / total) * options.scale - p.contribution;
  };
  return [...parts]
    .sort((a, b) => badness(b) - badness(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) =>
      fact(
        `${prefix}.${p.key}`,
        p.value,
        p.value === null ? `${describe(p.key)}: unknown, re-weighted away` : `${describe(p.key)} (weight ${p.weight})`,
        p.contribution,
      ),
    );
}

function finite(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value, 4);
}
