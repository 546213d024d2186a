import { ValuepulseError } from './valuepulse-error.js';

/** One bad configuration variable. */
export type ConfigProblem = {
  /** The environment variable's name, e.g. `KAFKA_BROKERS`. */
  variable: string;
  /** What a valid value looks like, e.g. `an integer between 1 and 65535`. */
  expected: string;
  /** The value found (already masked for secrets); absent when the variable is missing. */
  received?: string;
};

/**
 * Thrown when configuration is invalid. Carries every problem at once so an
 * operator fixes the environment in one round instead of one variable per restart.
 */
export class ConfigError extends ValuepulseError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    super(formatProblems(problems), { code: 'CONFIG_INVALID', retriable: false, cause: options.cause });
    this.problems = problems;
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map(({ variable, expected, received }) =>
    received === undefined
      ? `  ${variable}: is required (expected ${expected})`
      : `  ${variable}: expected ${expected}, got ${JSON.stringify(received)}`,
  );
  return ['invalid configuration:', ...lines].join('\n');
}
