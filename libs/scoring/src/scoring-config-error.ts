/**
 * Thrown by `parseScoringConfig` when a scoring config is invalid. Lists every
 * problem at once, each as `path: message` (e.g.
 * `segments.SMB.ticketFlood.threshold: expected number, received string`), so
 * a config is fixed in one round. Shaped like `@valuepulse/errors`'
 * ValidationError (`code`, `retriable`, `issues`), which this pure package
 * may not import.
 */
export class ScoringConfigError extends Error {
  /** Stable machine-readable reason. */
  readonly code = 'SCORING_CONFIG_INVALID';
  /** A bad config stays bad: never retriable. */
  readonly retriable = false;
  /** Every problem, `path: message`. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options: { cause?: unknown } = {}) {
    super(['invalid scoring config:', ...issues.map((i) => `  ${i}`)].join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScoringConfigError';
    this.issues = issues;
  }
}
