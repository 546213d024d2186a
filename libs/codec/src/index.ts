export { createRegistry, type RegistryOptions } from './create-registry.js';
export { decodeMessages, type DecodedRecord, type FailedRecord, type RawMessage } from './decode-messages.js';
export { createCodec, type Codec, type DecodeResult } from './codec.js';
export { DECODE_CODES, type DecodeCode } from './decode-codes.js';
export { encodeWire, parseWire, HEADER_SIZE, MAGIC_BYTE } from './wire-format.js';
export { defaultTopicContracts, recordContract, type TopicContract } from './topic-contracts.js';
export { registerSchemas, type RegistrationOutcome } from './register-schemas.js';
export { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
