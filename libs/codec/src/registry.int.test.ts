import { afterAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { createRegistry, SchemaType } from './index.js';

const namespace = uniqueName('vp_test');
const subject = `${namespace}-value`;

const v1 = {
  type: 'record',
  name: 'Probe',
  namespace: `dev.valuepulse.${namespace}`,
  fields: [
    { name: 'account_id', type: 'string' },
    { name: 'count', type: 'int' },
  ],
};
// BACKWARD compatible: a new optional field with a default
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
// not BACKWARD compatible: a new required field without a default
const v3 = { ...v1, fields: [...v1.fields, { name: 'required_field', type: 'long' }] };

describe('schema registry (Confluent API) against the real registry', () => {
  const url = stackEndpoints().schemaRegistryUrl;
  const registry = createRegistry({ url });

  afterAll(async () => {
    // soft delete first: both Confluent and Apicurio require it before a permanent one
    await fetch(`${url}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${url}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  });

  it('registers v1, then encodes and decodes in the Confluent wire format', async () => {
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
    const record = { account_id: 'acct-42', count: 7 };
    const payload = await registry.encode(id, record);

    expect(payload[0]).toBe(0); // magic byte
    expect(payload.readInt32BE(1)).toBe(id); // schema id, big-endian
    expect(await registry.decode(payload)).toEqual(record);
  });

  it('accepts a backward-compatible v2 of the same subject and still reads v1 records', async () => {
    const first = await registry.getLatestSchemaId(subject);
    const v1Payload = await registry.encode(first, { account_id: 'acct-1', count: 1 });

    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject });
    expect(id).not.toBe(first);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    expect(await registry.decode(v1Payload)).toEqual({ account_id: 'acct-1', count: 1 });
    const v2Payload = await registry.encode(id, { account_id: 'acct-2', count: 2, note: 'hello' });
    expect(await registry.decode(v2Payload)).toEqual({ account_id: 'acct-2', count: 2, note: 'hello' });
  });

  it('refuses a change that is not backward compatible', async () => {
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v3) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
  });
});
