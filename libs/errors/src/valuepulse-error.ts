/** Options shared by every {@link ValuepulseError}. */
export type ValuepulseErrorOptions = {
  /** Stable, machine-readable reason (SCREAMING_SNAKE), e.g. `DEPENDENCY_UNAVAILABLE`. */
  code: string;
  /** Whether trying the same operation again may succeed. Defaults to `false`. */
  retriable?: boolean;
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
};

/**
 * Base of every error valuepulse throws on purpose. Callers branch on `code`
 * and `retriable` rather than on message text or class identity, which keeps
 * working across package copies and serialised logs.
 */
export class ValuepulseError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, options: ValuepulseErrorOptions) {
    // Only pass `cause` when given so `'cause' in err` stays meaningful.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retriable = options.retriable ?? false;
  }
}
