import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig, ScoringConfigError, type ScoringConfig } from '@valuepulse/scoring';
import type { EnvField, EnvIssueParams } from './env-field.js';

/**
 * The scoring model's config from a JSON file named by an environment
 * variable (`SCORER_CONFIG_FILE`: the shape `valuepulse backtest --config`
 * takes, checked by `parseScoringConfig`); unset or empty, the built-in
 * current model (`DEFAULT_SCORING_CONFIG`). A file that cannot be read, is
 * not JSON or is not a valid config fails the start, naming the variable,
 * the file and every problem in it.
 */
export function envScoringConfigFile(): EnvField<ScoringConfig> {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): ScoringConfig => {
      if (value === undefined || value === '') return DEFAULT_SCORING_CONFIG;
      const problem = (detail: string) => {
        const params: EnvIssueParams = { expected: `a scoring config JSON file (${detail})` };
        ctx.addIssue({ code: 'custom', message: `expected ${params.expected}`, params, input: value });
        return z.NEVER;
      };
      if (typeof value !== 'string') return problem('a path');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(value, 'utf8'));
      } catch (err) {
        return problem(`${value}: ${(err as Error).message}`);
      }
      try {
        return parseScoringConfig(json);
      } catch (err) {
        if (!(err instanceof ScoringConfigError)) throw err;
        return problem(`${value}: ${err.issues.join('; ')}`);
      }
    });
}
