import { z } from 'zod';
import { deepMerge } from './deep-merge.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { ScoringConfigError } from './scoring-config-error.js';
import {
  OVERRIDABLE_SEGMENTS,
  scoringParamsSchema,
  type OverridableSegment,
  type ScoringConfig,
  type SegmentOverride,
} from './scoring-config.js';

const overrideShape = z.record(z.string(), z.unknown());
const segmentsSchema = z.strictObject(
  Object.fromEntries(OVERRIDABLE_SEGMENTS.map((s) => [s, overrideShape.optional()])) as Record<
    OverridableSegment,
    z.ZodOptional<typeof overrideShape>
  >,
);

/**
 * Validates a scoring config read from JSON (or any value) and returns it
 * typed. Every field of the base is required (see `scoringParamsSchema` for
 * why); `segments` is optional and holds partial overrides per segment, each
 * checked by validating the base deep-merged with it, so an override cannot
 * produce an invalid segment config (e.g. yellow above green).
 *
 * @returns the config, ready for `configForSegment` and `evaluate`.
 * @throws {@link ScoringConfigError} listing every bad path, base and segments alike.
 */
export function parseScoringConfig(json: unknown): ScoringConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ScoringConfigError(['(config): expected an object']);
  }
  const { segments: rawSegments, ...given } = json as Record<string, unknown>;
  const rawBase = withLaterSignalsOff(given);
  const base = scoringParamsSchema.safeParse(rawBase, { reportInput: true });
  const issues = base.success ? [] : base.error.issues.map((i) => formatIssue(i, ''));
  const baseIssuePaths = new Set(base.success ? [] : base.error.issues.map((i) => pathOf(i)));

  const segments = segmentsSchema.safeParse(rawSegments ?? {}, { reportInput: true });
  if (!segments.success) {
    issues.push(...segments.error.issues.map((i) => formatIssue(i, 'segments.')));
  } else {
    for (const segment of OVERRIDABLE_SEGMENTS) {
      const override = segments.data[segment];
      if (override === undefined) continue;
      const prefix = `segments.${segment}.`;
      if ('model_version' in override) issues.push(`${prefix}model_version: cannot be overridden per segment`);
      const merged = scoringParamsSchema.safeParse(deepMerge(rawBase, { ...override, model_version: rawBase['model_version'] }), {
        reportInput: true,
      });
      if (merged.success) continue;
      // A path that is bad in the base already was reported once, without the segment prefix.
      for (const issue of merged.error.issues) {
        if (!baseIssuePaths.has(pathOf(issue))) issues.push(formatIssue(issue, prefix));
      }
    }
  }

  if (issues.length > 0 || !base.success || !segments.success) throw new ScoringConfigError(issues);
  const overrides: Partial<Record<OverridableSegment, SegmentOverride>> = {};
  for (const segment of OVERRIDABLE_SEGMENTS) {
    const override = segments.data[segment];
    // a copy: the caller may go on editing the object it parsed
    if (override !== undefined) overrides[segment] = structuredClone(override) as SegmentOverride;
  }
  return { ...base.data, segments: overrides };
}

/**
 * Signals added after a config could have been written: absent from it, they
 * are off, as they were in the model version the file was written for (its
 * other thresholds left as they are); present, they are checked like any
 * other field. A file that names a model version keeps meaning what it meant.
 */
const LATER_SIGNALS = ['teamContraction', 'stakeholderAlignment', 'detractorShare'] as const;

function withLaterSignalsOff(base: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const key of LATER_SIGNALS) if (out[key] === undefined) out[key] = { ...structuredClone(DEFAULT_SCORING_CONFIG[key]), enabled: false };
  return out;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

function formatIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const path = pathOf(issue);
  const where = path === '' ? prefix.slice(0, -1) || '(config)' : prefix + path;
  return `${where}: ${describe(issue)}`;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
