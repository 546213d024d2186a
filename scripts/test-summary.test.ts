import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./test-summary.mjs', import.meta.url));

function summarise(reports: Record<string, unknown>, failures: Record<string, string> = {}): { status: number | null; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'vp-summary-'));
  const files = Object.entries(reports).map(([project, report]) => {
    const file = join(dir, `${project}.json`);
    if (report !== undefined) writeFileSync(file, JSON.stringify(report));
    if (failures[project] !== undefined) writeFileSync(join(dir, `${project}.failures.jsonl`), failures[project]);
    return file;
  });
  const run = spawnSync(process.execPath, [script, ...files], { encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

describe('scripts/test-summary.mjs', () => {
  it('counts every project and exits 0 when all passed', () => {
    const ok = { numPassedTests: 3, numFailedTests: 0, success: true, testResults: [] };
    const { status, lines } = summarise({ unit: ok, integration: { ...ok, numPassedTests: 2, numPendingTests: 1 } });
    expect(lines).toEqual(['unit: 3 passed, 0 failed', 'integration: 2 passed, 0 failed, 1 skipped', 'total: 5 passed, 0 failed, 1 skipped']);
    expect(status).toBe(0);
  });

  it('names each failing test and each file that failed outside its tests, before the total', () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 1,
      numPendingTests: 2,
      success: false,
      testResults: [
        {
          name: join(process.cwd(), 'libs/a/src/a.int.test.ts'),
          status: 'failed',
          message: '',
          assertionResults: [
            { status: 'passed', fullName: 'a works' },
            { status: 'failed', fullName: 'a > keeps order', failureMessages: ['\nAssertionError: expected 1 to be 2\n    at a.int.test.ts:9'] },
          ],
        },
        {
          name: join(process.cwd(), 'libs/b/src/b.int.test.ts'),
          status: 'failed',
          message: 'Error: connect ECONNREFUSED 127.0.0.1:6380\n    at beforeAll',
          assertionResults: [{ status: 'skipped' }, { status: 'skipped' }],
        },
      ],
    };
    const { status, lines } = summarise({ integration: report });
    expect(lines).toEqual([
      'integration: 1 passed, 2 failed, 2 skipped',
      'FAILED integration: libs/a/src/a.int.test.ts > a > keeps order: AssertionError: expected 1 to be 2',
      'FAILED integration: libs/b/src/b.int.test.ts (failed outside its tests, in a hook or at import): Error: connect ECONNREFUSED 127.0.0.1:6380',
      'total: 1 passed, 2 failed, 2 skipped',
    ]);
    expect(status).toBe(1);
  });

  it('takes the FAILED lines from the failures reporter file when there is one (it has hook errors)', () => {
    const report = { numPassedTests: 0, numPendingTests: 1, success: false, testResults: [{ name: 'x', status: 'failed', message: '', assertionResults: [{ status: 'skipped' }] }] };
    const { status, lines } = summarise(
      { integration: report },
      { integration: `${JSON.stringify({ where: 'libs/b/src/b.int.test.ts > b (in a hook)', error: 'Error: connect ECONNREFUSED' })}\n` },
    );
    expect(lines).toEqual([
      'integration: 0 passed, 1 failed, 1 skipped',
      'FAILED integration: libs/b/src/b.int.test.ts > b (in a hook): Error: connect ECONNREFUSED',
      'total: 0 passed, 1 failed, 1 skipped',
    ]);
    expect(status).toBe(1);
  });

  it('exits 1 naming a project whose report is missing', () => {
    const { status, lines } = summarise({ unit: { numPassedTests: 1, success: true, testResults: [] }, integration: undefined });
    expect(lines).toContain('integration: no report (the run did not finish)');
    expect(status).toBe(1);
  });
});
