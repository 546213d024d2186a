import { ValuepulseError } from './valuepulse-error.js';

/** Options of {@link DependencyUnavailableError}. */
export type DependencyUnavailableErrorOptions = {
  /** Which dependency failed: `kafka`, `registry`, `redis`, `clickhouse`, … */
  dependency: string;
  /** The fix to print for a human, e.g. `start the local stack: npx valuepulse stack up`. */
  hint?: string;
  /** Defaults to `true`: a dependency that is down now may be up in a moment. */
  retriable?: boolean;
  cause?: unknown;
};

/** A dependency (broker, registry, store) could not be reached or refused the request. */
export class DependencyUnavailableError extends ValuepulseError {
  readonly dependency: string;
  readonly hint: string | undefined;

  constructor(message: string, options: DependencyUnavailableErrorOptions) {
    super(message, {
      code: 'DEPENDENCY_UNAVAILABLE',
      retriable: options.retriable ?? true,
      cause: options.cause,
    });
    this.dependency = options.dependency;
    this.hint = options.hint;
  }
}
