import { envField, type EnvField, type EnvFieldOptions } from './env-field.js';

/**
 * A string, taken verbatim (not trimmed: passwords may contain spaces).
 * @returns a field that requires a non-empty value unless `default` is given.
 */
export function envString(options: EnvFieldOptions<string> = {}): EnvField<string> {
  return envField({ ...options, expected: 'a non-empty string', parse: (raw) => raw });
}

/** Options of {@link envInt}. */
export type EnvIntOptions = EnvFieldOptions<number> & { min?: number; max?: number };

/**
 * A base-10 integer within `[min, max]` (both inclusive, both optional).
 * @returns a field outputting a safe integer number.
 */
export function envInt(options: EnvIntOptions = {}): EnvField<number> {
  const { min, max } = options;
  return envField({ default: options.default, expected: describeRange(min, max), parse: (raw) => parseInteger(raw, min, max) });
}

function parseInteger(raw: string, min: number | undefined, max: number | undefined): number | undefined {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return undefined;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) return undefined;
  return value;
}

function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer between ${min} and ${max}`;
  if (min !== undefined) return `an integer of at least ${min}`;
  if (max !== undefined) return `an integer of at most ${max}`;
  return 'an integer';
}

/** Options of {@link envPort}. */
export type EnvPortOptions = EnvFieldOptions<number> & {
  /** Accept 0, which asks the OS for a free port (tests running many instances). */
  allowEphemeral?: boolean;
};

/** A TCP port: 1–65535, or 0–65535 with `allowEphemeral`. */
export function envPort(options: EnvPortOptions = {}): EnvField<number> {
  const min = options.allowEphemeral ? 0 : 1;
  return envField({
    default: options.default,
    expected: options.allowEphemeral ? 'an integer between 0 and 65535 (0 picks a free port)' : describeRange(min, 65_535),
    parse: (raw) => parseInteger(raw, min, 65_535),
  });
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** A boolean spelled true/false, 1/0 or yes/no (any case). */
export function envBool(options: EnvFieldOptions<boolean> = {}): EnvField<boolean> {
  return envField({
    ...options,
    expected: 'one of true, false, 1, 0, yes, no',
    parse: (raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return undefined;
    },
  });
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration as `500ms`, `2s`, `5m`, `1h`, or a bare integer meaning milliseconds.
 * @returns a field outputting whole milliseconds.
 */
export function envDurationMs(options: EnvFieldOptions<number> = {}): EnvField<number> {
  return envField({
    ...options,
    expected: 'a duration such as 500ms, 2s, 5m or 1h (a bare integer means milliseconds)',
    parse: (raw) => {
      const match = /^(\d+)\s*(ms|s|m|h)?$/i.exec(raw.trim());
      if (!match) return undefined;
      const unit = UNIT_MS[(match[2] ?? 'ms').toLowerCase()] ?? 1;
      const value = Number(match[1]) * unit;
      return Number.isSafeInteger(value) ? value : undefined;
    },
  });
}

/** An SQL-safe identifier (`^[A-Za-z_][A-Za-z0-9_]*$`), e.g. a ClickHouse database name. */
export function envIdentifier(options: EnvFieldOptions<string> = {}): EnvField<string> {
  return envField({
    ...options,
    expected: 'an identifier of letters, digits and underscores, not starting with a digit',
    parse: (raw) => {
      const text = raw.trim();
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? text : undefined;
    },
  });
}

/** One of `values`, matched exactly after trimming. */
export function envEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  options: EnvFieldOptions<T[number]> = {},
): EnvField<T[number]> {
  return envField({
    ...options,
    expected: `one of ${values.join(', ')}`,
    parse: (raw) => values.find((value) => value === raw.trim()),
  });
}

/** The pino log levels, most to least severe, then `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pino log level; defaults to `info` rather than being required. */
export function envLogLevel(options: EnvFieldOptions<LogLevel> = {}): EnvField<LogLevel> {
  return envEnum(LOG_LEVELS, { default: options.default ?? 'info' });
}
