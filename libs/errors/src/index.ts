export { ValuepulseError, type ValuepulseErrorOptions } from './valuepulse-error.js';
export { ConfigError, type ConfigProblem } from './config-error.js';
export { DependencyUnavailableError, type DependencyUnavailableErrorOptions } from './dependency-unavailable-error.js';
export { DecodeError } from './decode-error.js';
export { ValidationError } from './validation-error.js';
export { RetriesExhaustedError } from './retries-exhausted-error.js';
export { isRetriable } from './is-retriable.js';
export { retry, type RetryOptions } from './retry.js';
