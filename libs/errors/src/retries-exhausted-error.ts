import { ValuepulseError } from './valuepulse-error.js';

/** Thrown by `retry` when the attempt or time budget runs out; `cause` is the last error. */
export class RetriesExhaustedError extends ValuepulseError {
  readonly attempts: number;

  constructor(attempts: number, lastError: unknown) {
    const detail = lastError instanceof Error ? lastError.message : String(lastError);
    const noun = attempts === 1 ? 'attempt' : 'attempts';
    // Not retriable, so an outer retry does not multiply the budget of an inner one.
    super(`gave up after ${attempts} ${noun}: ${detail}`, {
      code: 'RETRIES_EXHAUSTED',
      retriable: false,
      cause: lastError,
    });
    this.attempts = attempts;
  }
}
