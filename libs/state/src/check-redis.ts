import { describeRedisEndpoint, type RedisEndpoint } from '@valuepulse/config';
import { DependencyUnavailableError } from '@valuepulse/errors';
import type { RedisClient } from './create-redis.js';

const AUTH = /WRONGPASS|NOAUTH|NOPERM|invalid password|AUTH failed/i;
const TLS = /certificate|self[- ]signed|CERT_|SSL|TLS|EPROTO|wrong version number/i;

/**
 * Sends one PING so a service fails at start, with the fix, instead of on
 * its first batch. The message names the endpoint without its password and,
 * for a refused login or certificate, the variables to check.
 *
 * @throws DependencyUnavailableError (`dependency: 'redis'`): not retriable
 * for a wrong user/password or a certificate problem, retriable otherwise.
 */
export async function checkRedis(redis: RedisClient, endpoint: RedisEndpoint): Promise<void> {
  // A refused login or certificate shows as the connection's error event; the
  // PING itself would only fail after the client's retries, with a generic
  // "max retries" error. Those two are final: fail on the first one.
  let connectionError: Error | undefined;
  let failEarly: (err: Error) => void = () => undefined;
  const early = new Promise<never>((_, reject) => (failEarly = reject));
  const onError = (err: Error) => {
    connectionError = err;
    if (AUTH.test(err.message) || TLS.test(err.message)) failEarly(err);
  };
  redis.on('error', onError);
  redis.on('node error', onError);
  try {
    await Promise.race([redis.ping(), early]);
  } catch (thrown) {
    const cause = connectionError ?? thrown;
    const reason = redact((cause as Error).message ?? String(cause), endpoint);
    const auth = AUTH.test(reason);
    const tls = !auth && TLS.test(reason);
    const hint = auth
      ? 'check REDIS_USERNAME and REDIS_PASSWORD (or the user and password in REDIS_URL)'
      : tls
        ? 'check REDIS_TLS_CA_FILE (the CA that signed the server certificate) and the host in REDIS_URL'
        : 'check REDIS_URL and that Redis runs';
    throw new DependencyUnavailableError(`redis: cannot use ${describeRedisEndpoint(endpoint)}: ${reason} — ${hint}`, {
      dependency: 'redis',
      retriable: !auth && !tls,
      hint,
      cause: redactError(cause, endpoint),
    });
  } finally {
    redis.off('error', onError);
    redis.off('node error', onError);
  }
}

/** The password never travels on in a message, even if a server or library echoed it. */
function redact(text: string, endpoint: RedisEndpoint): string {
  return endpoint.password ? text.split(endpoint.password).join('***') : text;
}

function redactError(cause: unknown, endpoint: RedisEndpoint): unknown {
  if (!(cause instanceof Error) || !endpoint.password || !cause.message.includes(endpoint.password)) return cause;
  return new Error(redact(cause.message, endpoint));
}
