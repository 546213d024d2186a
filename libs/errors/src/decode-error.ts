import { ValuepulseError } from './valuepulse-error.js';

/**
 * Bytes that cannot be decoded (bad magic byte, unknown schema id, corrupt
 * Avro). Never retriable: the same bytes fail the same way, so they belong in
 * the DLQ with `code` as the reason.
 */
export class DecodeError extends ValuepulseError {
  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, { code: options.code, retriable: false, cause: options.cause });
  }
}
