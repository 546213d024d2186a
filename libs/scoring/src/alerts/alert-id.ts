import { createHash } from 'node:crypto';

/**
 * The deterministic id of an alert: the first 32 hex digits (128 bits) of the
 * SHA-256 of (account, signal, transition, evaluation bucket). Replaying the
 * same events gives the same ids, so downstream de-duplication works across
 * redeliveries and restarts. `evaluate` passes the signal's memory key (the
 * signal name, plus `:<milestone id>` for per-milestone signals), the
 * transition as `"<from>><to>"` (`none` for a first evaluation) and the UTC
 * day of the evaluation as the bucket. The parts are JSON-encoded before
 * hashing, so no choice of ids can make two different tuples collide by
 * concatenation.
 *
 * @returns 32 lowercase hex characters.
 */
export function alertId(accountId: string, signal: string, transition: string, evaluationBucket: number): string {
  return createHash('sha256')
    .update(JSON.stringify([accountId, signal, transition, evaluationBucket]))
    .digest('hex')
    .slice(0, 32);
}
