import { endpointsSchema, loadConfig, withLocalStackEnv, type Endpoints } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts, type Codec } from '@valuepulse/codec';
import { createKafka, type Kafka } from '@valuepulse/kafka';

/** Endpoints for the CLI: env, else the local stack's endpoints.env, else defaults. */
export function cliEndpoints(env: NodeJS.ProcessEnv): Endpoints {
  return loadConfig(endpointsSchema, withLocalStackEnv(env));
}

/** A kafkajs client for one CLI run. */
export function cliKafka(endpoints: Endpoints): Kafka {
  return createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'valuepulse-cli' });
}

/** The codec for every valuepulse topic, names prefixed by `prefix` (for tests and sandboxes). */
export function cliCodec(endpoints: Endpoints, prefix = ''): Codec {
  return createCodec({ registry: createRegistry({ url: endpoints.schemaRegistryUrl }), contracts: defaultTopicContracts(prefix) });
}
