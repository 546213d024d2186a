import { ValuepulseError } from './valuepulse-error.js';

/** A decoded value breaks the contract; `issues` lists each broken rule for the DLQ reason. */
export class ValidationError extends ValuepulseError {
  readonly issues: readonly string[];

  constructor(message: string, options: { issues: readonly string[]; cause?: unknown }) {
    super(message, { code: 'VALIDATION_FAILED', retriable: false, cause: options.cause });
    this.issues = options.issues;
  }
}
