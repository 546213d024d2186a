/**
 * Why a record could not be turned into a valid value. Each becomes the
 * `dlq.error.code` header of the record's DLQ copy.
 */
export const DECODE_CODES = {
  /** No value bytes (null or empty). */
  empty: 'DECODE_EMPTY',
  /** Fewer bytes than the wire format or the schema needs. */
  truncated: 'DECODE_TRUNCATED',
  /** First byte is not the Confluent magic byte 0: not written by a registry-aware serializer. */
  badMagic: 'DECODE_BAD_MAGIC',
  /** The schema id is not known to the registry. */
  unknownSchema: 'DECODE_UNKNOWN_SCHEMA',
  /** Written with a schema this topic's record cannot be read from (another record, or bytes that do not fit the schema). */
  schemaMismatch: 'DECODE_SCHEMA_MISMATCH',
  /** Decoded, but breaks the contract's rules (see @valuepulse/contracts validateRecord). */
  invalid: 'VALIDATION_FAILED',
} as const;

export type DecodeCode = (typeof DECODE_CODES)[keyof typeof DECODE_CODES];
