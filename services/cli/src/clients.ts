import { clickhouseConnection, endpointsSchema, kafkaConnection, loadConfig, registryConnection, withLocalStackEnv, type Endpoints } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts, type Codec } from '@valuepulse/codec';
import { clickhouseUnavailable, createClickHouse, type ClickHouseClient } from '@valuepulse/clickhouse';
import { DependencyUnavailableError } from '@valuepulse/errors';
import { createKafka, type Kafka } from '@valuepulse/kafka';

/** Endpoints for the CLI: env, else the local stack's endpoints.env, else defaults. */
export function cliEndpoints(env: NodeJS.ProcessEnv): Endpoints {
  return loadConfig(endpointsSchema, withLocalStackEnv(env));
}

/** A kafkajs client for one CLI run. */
export function cliKafka(endpoints: Endpoints): Kafka {
  return createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-cli', quiet: true });
}

/** The codec for every valuepulse topic, names prefixed by `prefix` (for tests and sandboxes). */
export function cliCodec(endpoints: Endpoints, prefix = ''): Codec {
  return createCodec({ registry: createRegistry(registryConnection(endpoints)), contracts: defaultTopicContracts(prefix) });
}

/** A ClickHouse client for one CLI run: quiet (the command reports failures itself), no default database. */
export function cliClickHouse(endpoints: Endpoints): ClickHouseClient {
  return createClickHouse({ ...clickhouseConnection(endpoints), quiet: true });
}

/** One line for a failed ClickHouse command: "cannot reach … ; <fix>" when it is down, else the error's message. */
export function clickhouseFailure(err: unknown, url: string): string {
  const failure = clickhouseUnavailable(err, url);
  if (failure instanceof DependencyUnavailableError) return `${failure.message}; ${failure.hint ?? ''}`.replace(/; $/, '');
  return failure instanceof Error ? failure.message.trim() : String(failure);
}
