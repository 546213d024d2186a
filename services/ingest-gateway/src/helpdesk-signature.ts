import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a Zendesk webhook signs with. */
export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/**
 * The signature Zendesk sends: base64 of HMAC-SHA256 over the timestamp
 * header followed by the raw body, keyed with the webhook's signing secret.
 */
export function signHelpdeskBody(secret: string, timestamp: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

/**
 * Whether `signature` is the signature of `timestamp` + `body` under
 * `secret`, compared in constant time.
 */
export function verifyHelpdeskSignature(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer): boolean {
  if (!timestamp || !signature) return false;
  const expected = Buffer.from(signHelpdeskBody(secret, timestamp, body));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
