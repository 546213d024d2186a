import type { Endpoints } from './endpoints.js';
import type { BasicAuth, KafkaSasl, KafkaTls } from './secured-connections.js';

// Every place that creates a client spreads one of these into the client's
// factory, so a new connection setting reaches the services, the CLI, the
// bench and the tests through one function each, not through every call site.

/**
 * What `createKafka` needs to reach the brokers: the list, TLS and SASL.
 * @returns a plain object to spread into `createKafka({ ...kafkaConnection(e), clientId })`.
 */
export function kafkaConnection(endpoints: Endpoints): { brokers: string[]; ssl: KafkaTls | undefined; sasl: KafkaSasl | undefined } {
  return { brokers: endpoints.kafkaBrokers, ssl: endpoints.kafkaSsl, sasl: endpoints.kafkaSasl };
}

/**
 * What `createRegistry` needs: the URL (without userinfo) and basic auth.
 * @returns a plain object to pass as `createRegistry(registryConnection(e))`.
 */
export function registryConnection(endpoints: Endpoints): { url: string; auth: BasicAuth | undefined } {
  return { url: endpoints.schemaRegistryUrl, auth: endpoints.schemaRegistryAuth };
}

/**
 * What `createClickHouse` needs: URL, credentials and the CA of an https
 * server with a private CA. The database is left to the caller.
 * @returns a plain object to spread into `createClickHouse({ ...clickhouseConnection(e), database })`.
 */
export function clickhouseConnection(endpoints: Endpoints): { url: string; username: string; password: string; caCert: string | undefined } {
  return { url: endpoints.clickhouseUrl, username: endpoints.clickhouseUser, password: endpoints.clickhousePassword, caCert: endpoints.clickhouseCaCert };
}

/**
 * The registry variables that reproduce `endpoints` in a child process (a
 * service started by a test or a benchmark): the URL without userinfo, and
 * the credentials, if any, as `SCHEMA_REGISTRY_BASIC_AUTH`.
 * @returns `SCHEMA_REGISTRY_URL`, plus `SCHEMA_REGISTRY_BASIC_AUTH` when there is auth.
 */
export function registryEnv(endpoints: Endpoints): Record<string, string> {
  const auth = endpoints.schemaRegistryAuth;
  return { SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl, ...(auth ? { SCHEMA_REGISTRY_BASIC_AUTH: `${auth.username}:${auth.password}` } : {}) };
}
