import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envBool, envDurationMs, envInt, envPort, envString } from '@valuepulse/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envRows, helpVariables, readEnvTable, renderEnvTable, roleVariables, schemaFields, schemaVariables, UNDESCRIBED } from './env-catalog.js';

const doc = () => readFileSync(fileURLToPath(new URL('../docs/deploying.md', import.meta.url)), 'utf8');

describe('the environment table of docs/deploying.md', () => {
  it('lists exactly the variables the code reads', () => {
    const { names } = readEnvTable(doc());
    const read = envRows().map((r) => r.name);
    const fix = 'run `npm run env-table -- --write` and describe the new variables';
    expect(read.filter((n) => !names.includes(n)), `in the code, not in the table: ${fix}`).toEqual([]);
    expect(names.filter((n) => !read.includes(n)), `in the table, read by nothing: ${fix}`).toEqual([]);
  });

  it('is what `npm run env-table` generates: readers and defaults as in the code', () => {
    const { block, meanings } = readEnvTable(doc());
    expect(block, 'run `npm run env-table -- --write`').toBe(renderEnvTable(meanings));
  });

  it('describes every variable', () => {
    const undescribed = readEnvTable(doc())
      .block.split('\n')
      .filter((line) => line.includes(UNDESCRIBED));
    expect(undescribed).toEqual([]);
  });

  it('fails on a variable the doc lacks or one nobody reads', () => {
    const text = doc().replace(/^\| `SINK_BATCH_MS` .*\n/m, '').replace('<!-- env-table:end -->', '| `SINK_FLUSH_MS` | history-sink | `1s` | gone |\n<!-- env-table:end -->');
    const { block, meanings, names } = readEnvTable(text);
    expect(names).not.toContain('SINK_BATCH_MS');
    expect(block).not.toBe(renderEnvTable(meanings));
    expect(renderEnvTable(meanings)).toContain(`| \`SINK_BATCH_MS\` | history-sink | \`1s\` | ${UNDESCRIBED} |`);
  });
});

describe('env-catalog', () => {
  it('finds the fields of intersections, transforms, refinements, unions and wrappers', () => {
    const schema = z
      .object({ A: envString({ default: 'a' }) })
      .and(
        z
          .object({ B: envInt({ default: 2 }) })
          .superRefine(() => undefined)
          .transform((env) => env),
      )
      .and(z.union([z.object({ C: envString() }), z.object({ D: envString() })]).optional());
    expect([...schemaFields(schema).keys()]).toEqual(['A', 'B', 'C', 'D']);
  });

  it('reads defaults from the fields: lists joined, durations in their largest whole unit, required as undefined', () => {
    const vars = schemaVariables(
      z.object({
        H: envDurationMs({ default: 3_600_000 }),
        S: envDurationMs({ default: 90_000 }),
        MS: envDurationMs({ default: 1500 }),
        P: envPort({ default: 9464 }),
        E: envString({ default: '' }),
        R: envString(),
        O: envString().optional(),
        B: envBool({ default: false }),
      }),
    );
    expect(Object.fromEntries([...vars].map(([name, v]) => [name, v.default]))).toEqual({ H: '1h', S: '90s', MS: '1500ms', P: '9464', E: '', R: undefined, O: '', B: 'false' });
  });

  it('reads the variables a help text names, with their defaults', () => {
    const vars = helpVariables([
      '  --seed N            scenario seed, any integer (SIMULATOR_SEED; default 1)',
      '  --rate N            pace (SIMULATOR_RATE; default: as fast as possible)',
      "'use the topics P<topic> (TOPIC_PREFIX; default none); alias --prefix'",
      '  --out DIR           write files (SIMULATOR_OUT)',
      '  Endpoints: KAFKA_BROKERS (no parentheses: not a declaration) (a note)',
    ]);
    expect([...vars.values()].map((v) => [v.name, v.default])).toEqual([
      ['SIMULATOR_SEED', '1'],
      ['SIMULATOR_RATE', 'as fast as possible'],
      ['TOPIC_PREFIX', ''],
      ['SIMULATOR_OUT', ''],
    ]);
    expect(vars.get('SIMULATOR_SEED')?.help).toBe('scenario seed, any integer');
  });

  it('knows what each process reads, from the code', () => {
    const roles = roleVariables();
    expect(roles['health-scorer'].get('HTTP_PORT')?.default).toBe('9464');
    expect(roles['history-sink'].get('HTTP_PORT')?.default).toBe('9465');
    expect(roles.init.has('TOPIC_PREFIX')).toBe(true);
    expect(roles.init.has('SCORER_CLOCK')).toBe(false);
    expect(roles.simulator.get('SIMULATOR_ACCOUNTS')?.default).toBe('200');
    for (const role of Object.values(roles)) expect(role.has('KAFKA_BROKERS')).toBe(true);
  });
});
