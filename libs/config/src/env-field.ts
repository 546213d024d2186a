import { z } from 'zod';

/** A zod schema for one environment variable: accepts the raw value (or its absence), outputs `T`. */
export type EnvField<T> = z.ZodPipe<z.ZodOptional<z.ZodUnknown>, z.ZodTransform<T, unknown>>;

/** The option every env helper takes. */
export type EnvFieldOptions<T> = {
  /** Used when the variable is missing or empty. Without it the variable is required. */
  default?: T;
};

/** What {@link envField} needs to build a field. */
export type EnvFieldSpec<T> = EnvFieldOptions<T> & {
  /** What a valid value looks like, phrased to follow "expected", e.g. `an integer`. */
  expected: string;
  /** Converts the raw value; returns `undefined` when it is invalid. */
  parse: (raw: string) => T | undefined;
};

/** Params of the zod issues an {@link EnvField} raises; `loadConfig` reads `expected` from them. */
export type EnvIssueParams = { expected: string };

/**
 * Builds an env field from a parser. The other `env*` helpers are built on it;
 * use it directly for a variable none of them fits.
 *
 * An empty string counts as missing, because `FOO=` in a shell or compose file
 * almost always means "not set", never "set to nothing".
 *
 * @returns a schema that never throws by itself: a missing required variable or
 *   an unparsable value becomes a zod issue whose `params.expected` describes
 *   the valid form.
 */
export function envField<T>(spec: EnvFieldSpec<T>): EnvField<T> {
  const { expected, parse } = spec;
  const params: EnvIssueParams = { expected };
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      if (value === undefined || value === '') {
        // A copy, so a caller mutating its config (e.g. a broker list) cannot change the default.
        if (spec.default !== undefined) return structuredClone(spec.default);
        ctx.addIssue({ code: 'custom', message: `is required (expected ${expected})`, params });
        return z.NEVER;
      }
      const parsed = typeof value === 'string' ? parse(value) : undefined;
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}`, params, input: value });
        return z.NEVER;
      }
      return parsed;
    });
}
