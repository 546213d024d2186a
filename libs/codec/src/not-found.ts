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
