import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a webhook request carries (lower case, as Node's http server reports them). */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-valuepulse-timestamp',
  signature: 'x-valuepulse-signature',
  idempotencyKey: 'idempotency-key',
  alertId: 'x-valuepulse-alert-id',
  attempt: 'x-valuepulse-attempt',
} as const;

/**
 * The signature header's value: `v1=` and the hex HMAC-SHA256, keyed with the
 * endpoint's secret, of `<timestamp>.<raw body>` (timestamp in Unix seconds,
 * as sent in the timestamp header). Signing the timestamp lets a receiver
 * refuse replays older than its tolerance.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a received webhook the way a receiver should: the signature matches
 * (constant-time) and the timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhook(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || headers.signature === undefined || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
