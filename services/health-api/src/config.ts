import { z } from 'zod';
import { endpointsSchema, envDurationMs, envEnum, envField, envInt, envLogLevel, envPort, envScoringConfigFile, envString } from '@valuepulse/config';

const TOKEN = /^[A-Za-z0-9._~+/=-]{16,}$/;

/** `t1,t2`: bearer tokens of at least 16 characters of the token alphabet (RFC 6750), distinct. */
function envTokens() {
  return envField<string[]>({
    expected: 'a comma-separated list of bearer tokens (each at least 16 characters of A-Z a-z 0-9 . _ ~ + / = -)',
    parse: (raw) => {
      const tokens = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
      if (tokens.length === 0 || !tokens.every((t) => TOKEN.test(t))) return undefined;
      return new Set(tokens).size === tokens.length ? tokens : undefined;
    },
  });
}

/**
 * The health-api's environment. Endpoints as everywhere (REDIS_URL,
 * CLICKHOUSE_URL, CLICKHOUSE_DATABASE, CLICKHOUSE_USER/PASSWORD: give it a
 * read-only ClickHouse user; every query is also sent with `readonly=2`).
 * The API and the dashboard listen on `HEALTH_API_PORT`, the ops endpoints
 * on `HTTP_PORT`. `HEALTH_API_TOKENS` (required) are the bearer tokens every
 * `/v1` route takes. The account list is served from an in-memory index of
 * every account under `REDIS_KEY_PREFIX`, rebuilt every
 * `HEALTH_API_REFRESH`; one account is always read fresh. "Now" is the wall
 * clock, or with `HEALTH_API_CLOCK=event` the event-time watermark the
 * scorer keeps (replays, the demo). `SCORER_CONFIG_FILE`: the scoring
 * model the scorer runs (give both the same file), for the signals and the
 * evidence an account's page shows; unset, the built-in model.
 */
export const apiConfigSchema = endpointsSchema.and(
  z
    .object({
      LOG_LEVEL: envLogLevel(),
      HTTP_PORT: envPort({ default: 9467, allowEphemeral: true }),
      HEALTH_API_PORT: envPort({ default: 8091, allowEphemeral: true }),
      HEALTH_API_HOST: envString({ default: '0.0.0.0' }),
      HEALTH_API_TOKENS: envTokens(),
      HEALTH_API_CLOCK: envEnum(['wall', 'event'] as const, { default: 'wall' }),
      HEALTH_API_REFRESH: envDurationMs({ default: 30_000 }),
      HEALTH_API_MAX_PAGE: envInt({ min: 1, max: 10_000, default: 500 }),
      REDIS_KEY_PREFIX: envString({ default: 'vp:' }),
      SHUTDOWN_TIMEOUT: envDurationMs({ default: 10_000 }),
      SCORER_CONFIG_FILE: envScoringConfigFile(),
    })
    .superRefine((env, ctx) => {
      if (env.HEALTH_API_REFRESH < 1000) {
        ctx.addIssue({ code: 'custom', path: ['HEALTH_API_REFRESH'], message: 'too small', params: { expected: 'a duration of at least 1s' } });
      }
      if (/[{}]/.test(env.REDIS_KEY_PREFIX)) {
        ctx.addIssue({ code: 'custom', path: ['REDIS_KEY_PREFIX'], message: 'bad prefix', params: { expected: 'a key prefix without { or }' } });
      }
    })
    .transform((env) => ({
      logLevel: env.LOG_LEVEL,
      httpPort: env.HTTP_PORT,
      apiPort: env.HEALTH_API_PORT,
      apiHost: env.HEALTH_API_HOST,
      tokens: env.HEALTH_API_TOKENS,
      clock: env.HEALTH_API_CLOCK,
      refreshMs: env.HEALTH_API_REFRESH,
      maxPage: env.HEALTH_API_MAX_PAGE,
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
      scoring: env.SCORER_CONFIG_FILE,
    })),
);

export type ApiConfig = z.output<typeof apiConfigSchema>;
