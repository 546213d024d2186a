/**
 * Whether `err` says that trying again may succeed.
 *
 * Checks the shape, not the class: any object whose `retriable` property is
 * `true` counts. That covers `ValuepulseError` and also kafkajs's
 * `KafkaJSError`, which carries the same flag.
 *
 * @returns `true` only for an object with `retriable === true`; `false` for anything else.
 */
export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
