import { DependencyUnavailableError } from '@valuepulse/errors';
import type { ChainableCommander } from 'ioredis';

// Errors Redis returns for a command it received and refused for now, where
// a retry can succeed; anything else (script bug, wrong type) will not.
const TRANSIENT = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)\b/;

/**
 * Executes a pipeline or MULTI and returns the replies in order.
 *
 * @throws DependencyUnavailableError (`dependency: 'redis'`) when the
 * round trip fails, a transaction is aborted, or any command fails — the
 * first command error as the cause; retriable unless Redis refused a command
 * for a reason a retry cannot fix.
 */
export async function execOrThrow(pipeline: ChainableCommander, operation: string): Promise<unknown[]> {
  let results: [Error | null, unknown][] | null;
  try {
    results = await pipeline.exec();
  } catch (cause) {
    throw new DependencyUnavailableError(`redis: ${operation} failed`, { dependency: 'redis', cause });
  }
  if (results === null) throw new DependencyUnavailableError(`redis: ${operation}: transaction aborted`, { dependency: 'redis' });
  return results.map(([err, value]) => {
    if (err) {
      throw new DependencyUnavailableError(`redis: ${operation}: ${err.message}`, {
        dependency: 'redis',
        retriable: TRANSIENT.test(err.message),
        cause: err,
      });
    }
    return value;
  });
}

/**
 * Awaits commands sent one by one (on a Redis Cluster, where one pipeline
 * cannot span nodes; auto-pipelining still batches them per node) and
 * returns their replies in order, failing as {@link execOrThrow} does.
 *
 * @throws DependencyUnavailableError (`dependency: 'redis'`) for the first
 * command that failed; retriable unless Redis refused it for a reason a
 * retry cannot fix.
 */
export async function allOrThrow(replies: readonly Promise<unknown>[], operation: string): Promise<unknown[]> {
  const settled = await Promise.allSettled(replies);
  return settled.map((r) => {
    if (r.status === 'fulfilled') return r.value;
    const err = r.reason as Error;
    // a reply error is Redis refusing the command; anything else is the connection
    const refused = err?.name === 'ReplyError';
    throw new DependencyUnavailableError(`redis: ${operation}${refused ? ': ' : ' failed: '}${err?.message ?? String(err)}`, {
      dependency: 'redis',
      retriable: !refused || TRANSIENT.test(err.message),
      cause: err,
    });
  });
}
