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
   * silently; with it the call fails, is retried, and then surfaces as
   * "registry unavailable" like a refused connection.
   */
  requestTimeoutMs?: number;
}

/** Per-request timeout of the registry client: a healthy registry answers in milliseconds. */
export const REGISTRY_REQUEST_TIMEOUT_MS = 5_000;

/**
 * Creates a schema-registry client that caches schema ids both ways, so
 * encoding and decoding cost one HTTP round trip per schema, not per record.
 * Each request times out after `requestTimeoutMs` and is retried three times.
 */
export function createRegistry(options: RegistryOptions): SchemaRegistry {
  const timeout = options.requestTimeoutMs ?? REGISTRY_REQUEST_TIMEOUT_MS;
  return new SchemaRegistry({
    host: options.url.replace(/\/+$/, ''),
    ...(options.auth ? { auth: options.auth } : {}),
    retry: { retries: 3, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
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
