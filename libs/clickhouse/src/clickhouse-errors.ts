import { DependencyUnavailableError } from '@valuepulse/errors';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * Whether `err` means ClickHouse could not be reached or did not answer in
 * time (connection refused or reset, DNS failure, request timeout), as
 * opposed to ClickHouse answering with an error: the first kind is worth a
 * retry, the second is not.
 */
export function isClickHouseUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (/^Timeout error\.?$/.test(e.message) || /socket hang up/.test(e.message)) return true;
  }
  return false;
}

/**
 * `err` as a DependencyUnavailableError naming `url` (without any
 * `user:password@`) and the fix when it means ClickHouse is unreachable;
 * otherwise `err` unchanged.
 */
export function clickhouseUnavailable(err: unknown, url: string): unknown {
  if (!isClickHouseUnreachable(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new DependencyUnavailableError(`cannot reach ClickHouse at ${url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1')} (CLICKHOUSE_URL): ${reason}`, {
    dependency: 'clickhouse',
    hint: 'start the local stack: npx valuepulse stack up',
    cause: err,
  });
}
