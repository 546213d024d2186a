import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { generate, OUTPUT, readSchemas } from '../../../schemas/codegen/generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('generated contracts', () => {
  it('match schemas/avro: regenerating gives the committed file (run `npm run codegen` after a schema change)', () => {
    expect(OUTPUT).toBe(join(root, 'libs', 'contracts', 'src', 'generated', 'contracts.generated.ts'));
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generate(readSchemas()));
  });

  it('refuse two different definitions of one named type', () => {
    const enumA = { type: 'enum', name: 'Role', symbols: ['A'] };
    const enumB = { type: 'enum', name: 'Role', symbols: ['A', 'B'] };
    const rec = (name: string, e: object) => ({ type: 'record', name, namespace: 'x', fields: [{ name: 'r', type: e }] });
    expect(() => generate([{ file: 'a.avsc', schema: rec('A', enumA) }, { file: 'b.avsc', schema: rec('B', enumB) }])).toThrow(/defined differently/);
  });
});
