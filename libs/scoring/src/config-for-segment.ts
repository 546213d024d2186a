import type { Segment } from '@valuepulse/contracts';
import { deepFreeze } from './deep-freeze.js';
import { deepMerge } from './deep-merge.js';
import { OVERRIDABLE_SEGMENTS, type OverridableSegment, type ScoringConfig, type SegmentConfig } from './scoring-config.js';

// Evaluation resolves a segment per account per batch; the merge is cached per
// config object, which is treated as immutable (the default is frozen).
const cache = new WeakMap<ScoringConfig, Map<string, SegmentConfig>>();

/**
 * The parameters that apply to accounts of `segment`: the base with that
 * segment's overrides deep-merged over it. `UNKNOWN` or `null` (no contract
 * yet) use the base. The result is frozen and cached per config object, so
 * treat configs as immutable.
 *
 * @returns the resolved config; `model_version` is always the base's.
 */
export function configForSegment(config: ScoringConfig, segment: Segment | null): SegmentConfig {
  const key = segment ?? 'UNKNOWN';
  let perConfig = cache.get(config);
  if (perConfig === undefined) {
    perConfig = new Map();
    cache.set(config, perConfig);
  }
  const cached = perConfig.get(key);
  if (cached !== undefined) return cached;
  const { segments, ...base } = config;
  const override = isOverridable(key) ? segments[key] : undefined;
  const merged = deepMerge<SegmentConfig>(structuredClone(base), structuredClone(override));
  const resolved = deepFreeze({ ...merged, model_version: base.model_version });
  perConfig.set(key, resolved);
  return resolved;
}

function isOverridable(segment: string): segment is OverridableSegment {
  return (OVERRIDABLE_SEGMENTS as readonly string[]).includes(segment);
}
