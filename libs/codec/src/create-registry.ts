import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export interface RegistryOptions {
  /**
   * Base URL of a Confluent-compatible API: Confluent Schema Registry's root,
   * or Apicurio's `/apis/ccompat/v7`. Nothing else differs between the two.
   */
  url: string;
  /** Basic auth for hosted registries (`SCHEMA_REGISTRY_BASIC_AUTH`); undefined for none. */
  auth?: { username: string; password: string } | undefined;
  /**
   * How long one HTTP request may wait for its answer, in milliseconds
   * (default {@link REGISTRY_REQUEST_TIMEOUT_MS}). Without it a registry that
   * accepts the connection and never answers would stall the consumer
   * silently; with it the call fails, is retried (three times), and then
   * surfaces as "registry unavailable" like a refused connection.
   */
  requestTimeoutMs?: number;
}

/** Per-request timeout of the registry client: a healthy registry answers in milliseconds. */
export const REGISTRY_REQUEST_TIMEOUT_MS = 5_000;

/**
 * Creates a schema-registry client that caches schema ids both ways, so
 * encoding and decoding cost one HTTP round trip per schema, not per record.
 * Each request times out after `requestTimeoutMs`; a 5xx answer or a
 * timeout is retried three times (see {@link retriableRegistryResponse}).
 */
export function createRegistry(options: RegistryOptions): SchemaRegistry {
  const timeout = options.requestTimeoutMs ?? REGISTRY_REQUEST_TIMEOUT_MS;
  return new SchemaRegistry({
    host: options.url.replace(/\/+$/, ''),
    ...(options.auth ? { auth: options.auth } : {}),
    retry: { retries: 3, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2, validateRetry: retriableRegistryResponse },
    middlewares: [requestTimeout(timeout)],
  });
}

type Middleware = NonNullable<ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']>[number];

/** A request timeout for every call that does not set its own (the client sets none). */
function requestTimeout(ms: number): Middleware {
  return () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.timeout() ? request : request.enhance({ timeout: ms });
    },
  });
}

/**
 * Whether a failed registry call is worth another try: a 5xx answer (the
 * client's default rule) or a request that timed out. A registry busy with
 * a compatibility check can take longer than the timeout to register a
 * version (seen in CI: Apicurio under load, a 5 s POST); the client's
 * default does not retry timeouts, so one slow answer failed a start-up.
 * Registering the same schema again is idempotent (the same id), and reads
 * are safe to repeat.
 */
export function retriableRegistryResponse(response: { status(): number; error(): Error | null }): boolean {
  return response.status() >= 500 || response.error()?.name === 'TimeoutError';
}
