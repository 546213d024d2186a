import { round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';

/** Lock-in bands as reported; alerts only distinguish weak from not weak. */
export type LockInBand = 'strong' | 'moderate' | 'weak';

/** The Value Lock-In Index. */
export interface ValueLockIn {
  /** 0–10; null with fewer than `minComponents` known components. */
  index: number | null;
  /** strong > `strong`, weak < `weak`, else moderate; null with the index. */
  band: LockInBand | null;
  components: WeightedPart[];
}

/** The three things the index is made of, each on its own scale. */
export interface LockInInputs {
  /** Adoption depth 0–100 (power users and feature diversity among its components). */
  adoptionDepth: number;
  /** Outcome achievement 0–1, null when nothing is due. */
  outcomeAchievement: number | null;
  /** Relationship quality 0–100, null without answers. */
  relationshipQuality: number | null;
}

/**
 * Value Lock-In Index 0–10: usage depth, outcome achievement and relationship
 * quality, weighted. With usage alone it would merely restate adoption depth,
 * so by default two of the three must be known (`minComponents`).
 */
export function computeValueLockIn(inputs: LockInInputs, config: SegmentConfig): ValueLockIn {
  const c = config.valueLockIn;
  const parts = [
    { key: 'usage_depth', weight: c.weights.usageDepth, value: inputs.adoptionDepth / 100 },
    { key: 'outcome_achievement', weight: c.weights.outcomes, value: inputs.outcomeAchievement },
    { key: 'relationship_quality', weight: c.weights.relationship, value: inputs.relationshipQuality === null ? null : inputs.relationshipQuality / 100 },
  ];
  const mean = weightedMean(parts, 10);
  const known = parts.filter((p) => p.value !== null && p.weight > 0).length;
  const index = mean.value === null || known < c.minComponents ? null : round(mean.value);
  const band = index === null ? null : index > c.strong ? 'strong' : index < c.weak ? 'weak' : 'moderate';
  const raw = [inputs.adoptionDepth, inputs.outcomeAchievement, inputs.relationshipQuality];
  return {
    index,
    band,
    components: mean.parts.map((p, i) => ({ ...p, value: raw[i] ?? null, contribution: index === null ? null : p.contribution })),
  };
}
