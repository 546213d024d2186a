import type { HealthAlert } from '@valuepulse/contracts';
import { ValuepulseError } from '@valuepulse/errors';
import { slackMessage, webhookBody } from './payload.js';
import type { AccountFacts } from './route.js';
import type { Endpoint } from './routes-file.js';
import { signWebhook, WEBHOOK_HEADERS } from './signature.js';

/** An attempt that failed; `retriable` false when the endpoint refused the request for good (a 4xx other than 408/425/429). */
export class DeliveryError extends ValuepulseError {
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, { code: options.retriable ? 'DELIVERY_FAILED' : 'DELIVERY_REFUSED', retriable: options.retriable, cause: options.cause });
  }
}

/** One request to send, built once per (alert, endpoint) so every attempt sends the same body. */
export interface Delivery {
  endpoint: Endpoint;
  alert: HealthAlert;
  body: string;
}

/** Builds the request body an endpoint gets for an alert. */
export function buildDelivery(endpoint: Endpoint, alert: HealthAlert, facts: AccountFacts, baseUrl: string): Delivery {
  const payload = endpoint.type === 'slack' ? slackMessage(alert, facts, baseUrl) : webhookBody(alert, facts, baseUrl);
  return { endpoint, alert, body: JSON.stringify(payload) };
}

const RETRIABLE_STATUS = new Set([408, 425, 429]);

/**
 * Sends one attempt: POST with the alert id as idempotency key; a webhook
 * also gets the timestamp and signature headers (signed per attempt, so the
 * timestamp is fresh). Resolves on a 2xx answer.
 *
 * @throws {@link DeliveryError}: retriable on a network error, a timeout, 408, 425, 429 or 5xx; not retriable on other answers.
 */
export async function sendOnce(delivery: Delivery, attempt: number, timeoutMs: number, now: () => number = Date.now): Promise<void> {
  const { endpoint, alert, body } = delivery;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'valuepulse-alert-notifier/0.1',
    [WEBHOOK_HEADERS.idempotencyKey]: alert.alert_id,
    [WEBHOOK_HEADERS.alertId]: alert.alert_id,
    [WEBHOOK_HEADERS.attempt]: String(attempt),
  };
  if (endpoint.type === 'webhook') {
    const ts = Math.floor(now() / 1000);
    headers[WEBHOOK_HEADERS.timestamp] = String(ts);
    headers[WEBHOOK_HEADERS.signature] = signWebhook(endpoint.secret, ts, body);
  }
  let res: Response;
  try {
    res = await fetch(endpoint.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(err);
    throw new DeliveryError(reason, { retriable: true, cause: err });
  }
  // drain the body so the connection goes back to the pool
  const text = await res.text().catch(() => '');
  if (res.ok) return;
  const retriable = res.status >= 500 || RETRIABLE_STATUS.has(res.status);
  throw new DeliveryError(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, { retriable });
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
