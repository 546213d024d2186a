export { createRegistry, type RegistryOptions } from './create-registry.js';
export { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
