import { z } from 'zod';
import { endpointsSchema, envDurationMs, envInt, envLogLevel, envPort, envString, envUrl } from '@valuepulse/config';
import { ConfigError } from '@valuepulse/errors';
import { readRoutingFile, type Routing } from './routes-file.js';

/**
 * The alert-notifier's environment. Endpoints as everywhere (KAFKA_BROKERS,
 * SCHEMA_REGISTRY_URL, REDIS_URL); `NOTIFIER_ROUTES_FILE` is the routing
 * file (JSON, docs/notifier.md), read and validated here so a bad file
 * fails the start naming the variable. `HEALTH_API_PUBLIC_URL` is the base
 * of the dashboard links (`<url>/dashboard/account.html?id=<id>`, the health-api's account page); empty: no links.
 *
 * A delivery is tried `NOTIFIER_MAX_ATTEMPTS` times, waiting between
 * `NOTIFIER_RETRY_BASE_DELAY` (doubling, jittered) and
 * `NOTIFIER_RETRY_MAX_DELAY`, each attempt cut off after
 * `NOTIFIER_REQUEST_TIMEOUT`; then it goes to the DLQ.
 */
export const notifierConfigSchema = endpointsSchema.and(
  z
    .object({
      LOG_LEVEL: envLogLevel(),
      HTTP_PORT: envPort({ default: 9468, allowEphemeral: true }),
      NOTIFIER_GROUP_ID: envString({ default: 'alert-notifier' }),
      NOTIFIER_ROUTES_FILE: envString({}),
      HEALTH_API_PUBLIC_URL: envUrl({ default: '' }),
      NOTIFIER_MAX_ATTEMPTS: envInt({ min: 1, max: 100, default: 10 }),
      NOTIFIER_RETRY_BASE_DELAY: envDurationMs({ default: 1000 }),
      NOTIFIER_RETRY_MAX_DELAY: envDurationMs({ default: 300_000 }),
      NOTIFIER_REQUEST_TIMEOUT: envDurationMs({ default: 10_000 }),
      NOTIFIER_ENDPOINT_CONCURRENCY: envInt({ min: 1, max: 1000, default: 16 }),
      NOTIFIER_MAX_IN_FLIGHT: envInt({ min: 1, max: 1_000_000, default: 5000 }),
      REDIS_KEY_PREFIX: envString({ default: 'vp:' }),
      TOPIC_PREFIX: envString({ default: '' }),
      SHUTDOWN_TIMEOUT: envDurationMs({ default: 30_000 }),
    })
    .superRefine((env, ctx) => {
      if (env.NOTIFIER_RETRY_MAX_DELAY < env.NOTIFIER_RETRY_BASE_DELAY) {
        ctx.addIssue({ code: 'custom', path: ['NOTIFIER_RETRY_MAX_DELAY'], message: 'too small', params: { expected: 'a duration of at least NOTIFIER_RETRY_BASE_DELAY' } });
      }
    })
    .transform((env) => ({
        logLevel: env.LOG_LEVEL,
        httpPort: env.HTTP_PORT,
        groupId: env.NOTIFIER_GROUP_ID,
        routesFile: env.NOTIFIER_ROUTES_FILE,
        publicUrl: env.HEALTH_API_PUBLIC_URL,
        maxAttempts: env.NOTIFIER_MAX_ATTEMPTS,
        retryBaseDelayMs: env.NOTIFIER_RETRY_BASE_DELAY,
        retryMaxDelayMs: env.NOTIFIER_RETRY_MAX_DELAY,
        requestTimeoutMs: env.NOTIFIER_REQUEST_TIMEOUT,
        endpointConcurrency: env.NOTIFIER_ENDPOINT_CONCURRENCY,
        maxInFlight: env.NOTIFIER_MAX_IN_FLIGHT,
        redisKeyPrefix: env.REDIS_KEY_PREFIX,
        topicPrefix: env.TOPIC_PREFIX,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
    })),
);

export type NotifierConfig = z.output<typeof notifierConfigSchema>;

/**
 * Reads and validates the routing file `NOTIFIER_ROUTES_FILE` names
 * (`secretEnv` names are looked up in `env`). Separate from the schema so
 * that the deployment checks can validate a manifest's variables without
 * the file, which only exists where the service runs.
 *
 * @throws ConfigError naming NOTIFIER_ROUTES_FILE with every problem of the file.
 */
export function loadRouting(routesFile: string, env: NodeJS.ProcessEnv = process.env): Routing {
  const read = readRoutingFile(routesFile, env);
  if (read.ok) return read.routing;
  throw new ConfigError([{ variable: 'NOTIFIER_ROUTES_FILE', expected: `a valid routing file (docs/notifier.md); ${read.problems.join('; ')}`, received: routesFile }]);
}
