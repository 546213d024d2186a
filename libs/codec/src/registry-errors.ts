import { DependencyUnavailableError } from '@valuepulse/errors';

/**
 * Whether a registry error means "this schema is not registered under that
 * subject". The client turns the 404 into a message-only error, and the
 * wording differs: Confluent says "Subject … not found" / "Schema not found",
 * Apicurio "The given schema does not match any schema under the subject".
 */
export function isNotFound(err: unknown): boolean {
  if ((err as { status?: number }).status === 404) return true;
  return /not found|does not match any schema/i.test((err as Error).message ?? '');
}

/** A registry call that failed for a reason other than "not found": retriable, with the fix. */
export function registryDown(err: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(`schema registry request failed: ${(err as Error).message}`, {
    dependency: 'registry',
    hint: 'check SCHEMA_REGISTRY_URL, or run `npx valuepulse stack up`',
    cause: err,
  });
}
