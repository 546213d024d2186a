import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { isNotFound, registryDown } from './registry-errors.js';
import type { TopicContract } from './topic-contracts.js';

export type RegistrationOutcome =
  | { topic: string; subject: string; status: 'registered' | 'unchanged'; id: number }
  | { topic: string; subject: string; status: 'incompatible'; reason: string };

/**
 * Registers each contract's schema under its subject with the BACKWARD rule:
 * `unchanged` when exactly this schema is already registered, `registered`
 * when it became a new version, `incompatible` (with the registry's reason)
 * when the registry refused it. All subjects are tried; refusals are values.
 *
 * @throws DependencyUnavailableError when the registry cannot be reached.
 */
export async function registerSchemas(registry: SchemaRegistry, contracts: TopicContract[]): Promise<RegistrationOutcome[]> {
  const outcomes: RegistrationOutcome[] = [];
  for (const { topic, subject, avsc } of contracts) {
    const schema = { type: SchemaType.AVRO, schema: JSON.stringify(avsc) } as const;
    try {
      const id = await registry.getRegistryIdBySchema(subject, schema);
      outcomes.push({ topic, subject, status: 'unchanged', id });
      continue;
    } catch (err) {
      if (!isNotFound(err)) throw registryDown(err);
    }
    try {
      const { id } = await registry.register(schema, { subject });
      outcomes.push({ topic, subject, status: 'registered', id });
    } catch (err) {
      const status = (err as { status?: number }).status;
      const message = (err as Error).message.replace(/^Confluent_Schema_Registry - /, '');
      if (status === 409 || status === 422 || /incompatib|compatibility/i.test(message)) {
        outcomes.push({ topic, subject, status: 'incompatible', reason: message });
      } else {
        throw registryDown(err);
      }
    }
  }
  return outcomes;
}

