import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AVRO_RECORDS } from './generated/contracts.generated.js';
import { TOPIC_RECORDS, TOPICS } from './topics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type Field = { name: string; type: unknown; doc?: string; default?: unknown };
type Schema = { type: string; name: string; namespace?: string; doc?: string; fields?: Field[]; symbols?: string[]; default?: string; items?: unknown; values?: unknown };

function* namedTypes(type: unknown): Generator<Schema> {
  if (Array.isArray(type)) for (const t of type) yield* namedTypes(t);
  else if (type && typeof type === 'object') {
    const s = type as Schema;
    if (s.type === 'record' || s.type === 'enum') yield s;
    for (const f of s.fields ?? []) yield* namedTypes(f.type);
    if (s.items) yield* namedTypes(s.items);
    if (s.values) yield* namedTypes(s.values);
  }
}

describe('the .avsc contracts', () => {
  for (const [name, { avsc }] of Object.entries(AVRO_RECORDS)) {
    describe(name, () => {
      const schema = avsc as unknown as Schema;

      it('is namespaced and documented, every field too', () => {
        expect(schema.namespace).toBe('dev.valuepulse.v1');
        for (const t of namedTypes(schema)) {
          expect(t.doc, `${t.name} doc`).toBeTruthy();
          for (const f of t.fields ?? []) expect(f.doc, `${t.name}.${f.name} doc`).toBeTruthy();
        }
      });

      it('makes every optional field ["null", T] with a null default', () => {
        for (const t of namedTypes(schema)) {
          for (const f of t.fields ?? []) {
            if (Array.isArray(f.type)) {
              expect(f.type[0], `${t.name}.${f.name}`).toBe('null');
              expect(f.default, `${t.name}.${f.name} default`).toBeNull();
            }
          }
        }
      });

      it('gives every enum a default symbol, so new symbols do not break old readers', () => {
        for (const t of namedTypes(schema)) {
          if (t.type === 'enum') {
            expect(t.default, `${t.name}`).toBe('UNKNOWN');
            expect(t.symbols).toContain('UNKNOWN');
          }
        }
      });

      it('carries account_id, and events carry event_id and a timestamp-millis occurred_at', () => {
        const fields = new Map((schema.fields ?? []).map((f) => [f.name, f]));
        expect(fields.get('account_id')?.type).toBe('string');
        if (name.endsWith('Event')) {
          expect(fields.get('event_id')?.type).toBe('string');
          expect(fields.get('occurred_at')?.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
        }
      });
    });
  }
});

describe('deploy/topics.json', () => {
  const declared = JSON.parse(readFileSync(join(root, 'deploy', 'topics.json'), 'utf8')) as {
    topics: { name: string; value: string | null; partitions: number; config: Record<string, string> }[];
  };

  it('declares exactly the topics the code uses, with the same value records', () => {
    expect(declared.topics.map((t) => t.name).sort()).toEqual(Object.values(TOPICS).sort());
    for (const topic of declared.topics) {
      expect(topic.value, topic.name).toBe((TOPIC_RECORDS as Record<string, string>)[topic.name] ?? null);
    }
  });

  it('compacts snapshots by account and keeps the rest for a bounded time', () => {
    for (const topic of declared.topics) {
      if (topic.name === TOPICS.healthSnapshots) expect(topic.config['cleanup.policy']).toBe('compact');
      else expect(Number(topic.config['retention.ms'])).toBeGreaterThan(0);
    }
  });
});
