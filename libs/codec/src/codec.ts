import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { isNotFound, registryDown } from './registry-errors.js';
import avro from 'avsc';
import { DecodeError, ValidationError, ValuepulseError } from '@valuepulse/errors';
import { DECODE_CODES } from './decode-codes.js';
import type { TopicContract } from './topic-contracts.js';
import { encodeWire, parseWire } from './wire-format.js';

/** Outcome of decoding one record: a value, or why it goes to the DLQ. */
export type DecodeResult<T = unknown> =
  | { ok: true; value: T; schemaId: number }
  | { ok: false; error: DecodeError | ValidationError; schemaId?: number };

export interface Codec {
  /**
   * Avro-encodes `value` with the topic's schema in the wire format.
   *
   * @throws ValidationError when `value` does not fit the schema (a bug in
   *   the caller: producers validate first), ValuepulseError
   *   `SCHEMA_NOT_REGISTERED` when `valuepulse schemas` has not run,
   *   DependencyUnavailableError when the registry cannot be reached.
   */
  encode(topic: string, value: unknown): Promise<Buffer>;
  /**
   * Decodes and validates a record of `topic`. Bad input comes back as a
   * value (`ok: false`) with a typed error; only infrastructure failures
   * (registry unreachable, unknown topic) throw.
   */
  decode<T = unknown>(topic: string, payload: Buffer | null | undefined): Promise<DecodeResult<T>>;
}

interface Reader {
  contract: TopicContract;
  type: avro.Type;
  fullName: string;
  /** Writer schema id → resolver (or the mismatch error), per topic. */
  resolvers: Map<number, Promise<avro.Resolver | DecodeError>>;
  writerId?: Promise<number>;
}

/**
 * Creates the codec for `contracts`. Writer schemas are fetched once per id
 * and resolvers built once per (topic, id); this topic's schema id is looked
 * up once, so steady-state encoding and decoding make no HTTP calls.
 */
export function createCodec(options: { registry: SchemaRegistry; contracts: TopicContract[] }): Codec {
  const { registry } = options;
  const readers = new Map<string, Reader>();
  for (const contract of options.contracts) {
    // plain objects out: record methods would be seen as unknown fields by the validators
    const type = avro.Type.forSchema(contract.avsc as avro.Schema, { omitRecordMethods: true });
    const fullName = type.name ?? contract.avsc.name;
    readers.set(contract.topic, { contract, type, fullName, resolvers: new Map() });
  }

  function readerOf(topic: string): Reader {
    const reader = readers.get(topic);
    if (!reader) throw new ValuepulseError(`no contract for topic ${topic}`, { code: 'UNKNOWN_TOPIC' });
    return reader;
  }

  async function writerIdOf(reader: Reader): Promise<number> {
    reader.writerId ??= registry
      .getRegistryIdBySchema(reader.contract.subject, { type: SchemaType.AVRO, schema: JSON.stringify(reader.contract.avsc) })
      .catch((err: unknown) => {
        reader.writerId = undefined; // let a later call retry
        if (isNotFound(err)) {
          throw new ValuepulseError(
            `the schema of ${reader.contract.topic} is not registered under ${reader.contract.subject}: run \`npx valuepulse schemas\``,
            { code: 'SCHEMA_NOT_REGISTERED', cause: err },
          );
        }
        throw registryDown(err);
      });
    return reader.writerId;
  }

  function resolverOf(reader: Reader, schemaId: number): Promise<avro.Resolver | DecodeError> {
    let resolver = reader.resolvers.get(schemaId);
    if (!resolver) {
      resolver = buildResolver(reader, schemaId);
      reader.resolvers.set(schemaId, resolver);
      // a registry outage must not be cached: drop the entry so the next record retries
      resolver.catch(() => reader.resolvers.delete(schemaId));
    }
    return resolver;
  }

  async function buildResolver(reader: Reader, schemaId: number): Promise<avro.Resolver | DecodeError> {
    let writer: avro.Type;
    try {
      writer = (await registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (err) {
      if ((err as { status?: number }).status === 404) {
        return new DecodeError(`schema id ${schemaId} is unknown to the registry`, { code: DECODE_CODES.unknownSchema, cause: err });
      }
      throw registryDown(err);
    }
    if (writer.name !== reader.fullName) {
      return new DecodeError(`written as ${writer.name ?? writer.typeName} (schema id ${schemaId}), but ${reader.contract.topic} carries ${reader.fullName}`, {
        code: DECODE_CODES.schemaMismatch,
      });
    }
    try {
      return reader.type.createResolver(writer);
    } catch (err) {
      return new DecodeError(`schema id ${schemaId} cannot be read as ${reader.fullName}: ${(err as Error).message}`, {
        code: DECODE_CODES.schemaMismatch,
        cause: err,
      });
    }
  }

  return {
    async encode(topic, value) {
      const reader = readerOf(topic);
      const paths: string[] = [];
      if (!reader.type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(record)') })) {
        throw new ValidationError(`value does not fit ${reader.fullName}`, { issues: paths.map((p) => `${p}: wrong type or missing`) });
      }
      return encodeWire(await writerIdOf(reader), reader.type.toBuffer(value));
    },

    async decode<T>(topic: string, payload: Buffer | null | undefined): Promise<DecodeResult<T>> {
      const reader = readerOf(topic);
      const wire = parseWire(payload);
      if (wire instanceof DecodeError) return { ok: false, error: wire };
      const resolver = await resolverOf(reader, wire.schemaId);
      if (resolver instanceof DecodeError) return { ok: false, error: resolver, schemaId: wire.schemaId };
      let decoded: unknown;
      try {
        decoded = reader.type.fromBuffer(wire.body, resolver);
      } catch (err) {
        const message = (err as Error).message;
        const code = /truncated/i.test(message) ? DECODE_CODES.truncated : DECODE_CODES.schemaMismatch;
        return { ok: false, error: new DecodeError(`Avro body does not decode with schema id ${wire.schemaId}: ${message}`, { code, cause: err }), schemaId: wire.schemaId };
      }
      const valid = reader.contract.validate(decoded);
      if (!valid.ok) {
        return { ok: false, error: new ValidationError(`invalid ${reader.fullName}: ${valid.issues.join('; ')}`, { issues: valid.issues }), schemaId: wire.schemaId };
      }
      return { ok: true, value: valid.value as T, schemaId: wire.schemaId };
    },
  };
}

