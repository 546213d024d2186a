import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMapping, readMappingFile } from './mapping-file.js';

describe('parseMapping', () => {
  it('fills the defaults: account and user paths, ticket events and statuses', () => {
    const parsed = parseMapping({ segment: {}, helpdesk: {} });
    expect(parsed.ok && parsed.mapping.segment?.account).toEqual(['context.groupId', 'properties.account_id', 'context.traits.account_id', 'traits.account_id']);
    expect(parsed.ok && parsed.mapping.helpdesk?.statuses).toEqual({ new: 'TICKET_OPENED', solved: 'TICKET_RESOLVED', closed: 'TICKET_CLOSED' });
    expect(parsed.ok && parsed.mapping.helpdesk?.events['satisfaction.rated']).toBe('CSAT_SUBMITTED');
  });

  it('lists every problem with its path: unknown type, missing feature, unknown keys, bad path, UNKNOWN', () => {
    const parsed = parseMapping({
      segment: { events: { A: { type: 'LOGON' }, B: { type: 'FEATURE_USED' }, C: { type: 'UNKNOWN' } }, user: 'a..b' },
      helpdesk: { organisations: {} },
      extra: true,
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^segment\.events\.A\.type: /),
        'segment.events.B.feature: is required for FEATURE_USED',
        expect.stringMatching(/^segment\.events\.C\.type: /),
        expect.stringMatching(/^segment\.user: /),
        'helpdesk: unknown key(s) organisations',
        '(file): unknown key(s) extra',
      ]),
    );
  });

  it('lower-cases the keys of a value translation so lookups ignore case', () => {
    const parsed = parseMapping({ segment: { role: { from: 'traits.role', values: { Admin: 'CHAMPION' } } } });
    expect(parsed.ok && parsed.mapping.segment?.role?.values).toEqual({ admin: 'CHAMPION' });
  });
});

describe('readMappingFile', () => {
  it('says when the file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-mapping-'));
    expect(readMappingFile(join(dir, 'none.json'))).toEqual({ ok: false, problems: ['cannot be read (ENOENT)'] });
    writeFileSync(join(dir, 'bad.json'), '{ segment: ');
    const bad = readMappingFile(join(dir, 'bad.json'));
    expect(!bad.ok && bad.problems[0]).toMatch(/^not JSON: /);
    writeFileSync(join(dir, 'good.json'), '{"segment":{"events":{"Signed In":{"type":"LOGIN"}}}}');
    expect(readMappingFile(join(dir, 'good.json')).ok).toBe(true);
  });
});
