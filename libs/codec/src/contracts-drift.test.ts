import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { AVRO_RECORDS, EXAMPLE_RECORDS, validateRecord, type RecordName } from '@valuepulse/contracts';

// The TypeScript types and zod validators are generated from the .avsc files;
// this checks the result against avsc itself, in both directions, so a
// generator bug cannot hide behind a text comparison.
describe('zod validators agree with avsc on every schema', () => {
  for (const name of Object.keys(AVRO_RECORDS) as RecordName[]) {
    const type = avro.Type.forSchema(AVRO_RECORDS[name].avsc as unknown as avro.Schema);
    const shape = AVRO_RECORDS[name].schema;

    it(`${name}: 200 random Avro values pass the zod shape unchanged`, () => {
      for (let i = 0; i < 200; i += 1) {
        // JSON round trip: what a decoded record looks like once serialised
        const value = JSON.parse(JSON.stringify(type.random(), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 0 : v)));
        if (!type.isValid(value)) continue; // avsc can produce longs that JSON cannot carry exactly
        const parsed = shape.safeParse(value);
        expect(parsed.success ? [] : parsed.error.issues, JSON.stringify(value).slice(0, 300)).toEqual([]);
        expect(parsed.data).toEqual(value);
      }
    });

    it(`${name}: the validated example is a valid Avro value, and the field lists match`, () => {
      const result = validateRecord(name, EXAMPLE_RECORDS[name]);
      expect(result.ok).toBe(true);
      if (result.ok) expect(type.isValid(result.value, { errorHook: (path) => expect.fail(`invalid at ${path.join('.')}`) })).toBe(true);
      expect(Object.keys(shape.shape)).toEqual((type as avro.types.RecordType).fields.map((f) => f.name));
    });
  }
});
