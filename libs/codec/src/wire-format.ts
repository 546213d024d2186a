import { DecodeError } from '@valuepulse/errors';
import { DECODE_CODES } from './decode-codes.js';

/** The Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro body. */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** Prepends the wire-format header for `schemaId` to an Avro body. */
export function encodeWire(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeInt32BE(schemaId, 1);
  body.copy(out, HEADER_SIZE);
  return out;
}

/**
 * Splits a wire-format payload into schema id and Avro body.
 *
 * @returns the parts, or a DecodeError (`DECODE_EMPTY`, `DECODE_TRUNCATED`,
 *   `DECODE_BAD_MAGIC`) as a value: bad input is not exceptional here.
 */
export function parseWire(payload: Buffer | null | undefined): { schemaId: number; body: Buffer } | DecodeError {
  if (!payload || payload.length === 0) return new DecodeError('record has no value', { code: DECODE_CODES.empty });
  if (payload[0] !== MAGIC_BYTE) {
    return new DecodeError(`first byte is 0x${payload[0]?.toString(16).padStart(2, '0')}, not the wire-format magic byte 0x00`, {
      code: DECODE_CODES.badMagic,
    });
  }
  if (payload.length < HEADER_SIZE) {
    return new DecodeError(`value is ${payload.length} bytes, shorter than the 5-byte wire-format header`, {
      code: DECODE_CODES.truncated,
    });
  }
  return { schemaId: payload.readInt32BE(1), body: payload.subarray(HEADER_SIZE) };
}
