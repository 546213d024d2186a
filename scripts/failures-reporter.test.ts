import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/failing/', import.meta.url));
const reporter = fileURLToPath(new URL('./failures-reporter.mjs', import.meta.url));

describe('scripts/failures-reporter.mjs', () => {
  it('writes each failing test and each hook error with its message', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vp-failures-')), 'unit.failures.jsonl');
    const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', join(fixtures, 'vitest.config.mjs'), '--reporter=dot', `--reporter=${reporter}`], {
      encoding: 'utf8',
      env: { ...process.env, VALUEPULSE_FAILURES_FILE: file },
    });
    expect(run.status).toBe(1);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string | null; where: string; error: string });
    expect(lines).toEqual([
      { file: 'failing.sample.ts', where: 'failing.sample.ts > a suite whose beforeAll throws (in a hook)', error: 'the broker did not answer' },
      { file: 'failing.sample.ts', where: 'failing.sample.ts > a suite > fails an assertion', error: 'AssertionError: expected 1 to be 2 // Object.is equality' },
    ]);
  });
});
