import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./test-summary.mjs', import.meta.url));

/** Writes `reports` (by project) and `extra` files (by name) to a directory and runs the summary on the reports. */
function summarise(reports: Record<string, unknown>, extra: Record<string, unknown> = {}): { status: number | null; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'vp-summary-'));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  const files = Object.entries(reports).map(([project, report]) => {
    const file = join(dir, `${project}.json`);
    if (report !== undefined) writeFileSync(file, JSON.stringify(report));
    return file;
  });
  const run = spawnSync(process.execPath, [script, ...files], { encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

describe('scripts/test-summary.mjs', () => {
  it('counts every project and exits 0 when all passed', () => {
    const tests = (...statuses: string[]) => [{ name: 'x.test.ts', status: 'passed', assertionResults: statuses.map((status) => ({ status })) }];
    const { status, lines } = summarise({
      unit: { success: true, testResults: tests('passed', 'passed', 'passed') },
      integration: { success: true, testResults: tests('passed', 'skipped', 'passed') },
    });
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
      { 'integration.failures.jsonl': `${JSON.stringify({ file: 'x', where: 'libs/b/src/b.int.test.ts > b (in a hook)', error: 'Error: connect ECONNREFUSED' })}\n` },
    );
    expect(lines).toEqual([
      'integration: 0 passed, 1 failed, 1 skipped',
      'FAILED integration: libs/b/src/b.int.test.ts > b (in a hook): Error: connect ECONNREFUSED',
      'total: 0 passed, 1 failed, 1 skipped',
    ]);
    expect(status).toBe(1);
  });

  describe('with the failed files run once more', () => {
    const file = (name: string, status: string, tests: string[]) => ({ name: join(process.cwd(), name), status, message: '', assertionResults: tests.map((t) => ({ status: t, fullName: name })) });
    const first = {
      numPassedTests: 2,
      success: false,
      testResults: [file('a.int.test.ts', 'passed', ['passed', 'passed']), file('b.int.test.ts', 'failed', ['skipped', 'skipped'])],
    };
    const firstFailures = `${JSON.stringify({ file: 'b.int.test.ts', where: 'b.int.test.ts > b (in a hook)', error: 'Error: timed out' })}\n`;

    it('a file that passed the second time counts as passed and is listed as FLAKY with its first error', () => {
      const { status, lines } = summarise(
        { integration: first },
        { 'integration.failures.jsonl': firstFailures, 'integration.rerun.json': { success: true, testResults: [file('b.int.test.ts', 'passed', ['passed', 'passed'])] } },
      );
      expect(lines).toEqual([
        'integration: 4 passed, 0 failed (failed files run once more)',
        'FLAKY (failed, then passed when run once more) integration: b.int.test.ts > b (in a hook): Error: timed out',
        'total: 4 passed, 0 failed',
      ]);
      expect(status).toBe(0);
    });

    it('a file that failed again counts as failed, with the error of the second run', () => {
      const again = `${JSON.stringify({ file: 'b.int.test.ts', where: 'b.int.test.ts > b (in a hook)', error: 'Error: timed out again' })}\n`;
      const { status, lines } = summarise(
        { integration: first },
        {
          'integration.failures.jsonl': firstFailures,
          'integration.rerun.json': { success: false, testResults: [file('b.int.test.ts', 'failed', ['skipped', 'skipped'])] },
          'integration.rerun.failures.jsonl': again,
        },
      );
      expect(lines).toEqual([
        'integration: 2 passed, 1 failed, 2 skipped (failed files run once more)',
        'FAILED integration: b.int.test.ts > b (in a hook): Error: timed out again',
        'total: 2 passed, 1 failed, 2 skipped',
      ]);
      expect(status).toBe(1);
    });
  });

  it('exits 1 naming a project whose report is missing', () => {
    const { status, lines } = summarise({ unit: { numPassedTests: 1, success: true, testResults: [] }, integration: undefined });
    expect(lines).toContain('integration: no report (the run did not finish)');
    expect(status).toBe(1);
  });
});
