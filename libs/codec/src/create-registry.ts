import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export interface RegistryOptions {
  /**
   * Base URL of a Confluent-compatible API: Confluent Schema Registry's root,
   * or Apicurio's `/apis/ccompat/v7`. Nothing else differs between the two.
   */
  url: string;
  /** Basic auth for hosted registries (`SCHEMA_REGISTRY_BASIC_AUTH`); undefined for none. */
  auth?: { username: string; password: string } | undefined;
}

/**
 * Creates a schema-registry client that caches schema ids both ways, so
 * encoding and decoding cost one HTTP round trip per schema, not per record.
 */
export function createRegistry(options: RegistryOptions): SchemaRegistry {
  return new SchemaRegistry({
    host: options.url.replace(/\/+$/, ''),
    ...(options.auth ? { auth: options.auth } : {}),
    retry: { retries: 3, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
  });
}
