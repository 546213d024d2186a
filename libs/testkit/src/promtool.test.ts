import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPromtool, withSampleForEveryFamily } from './promtool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vp-promtool-'));
  dirs.push(dir);
  return dir;
}
function fakePromtool(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'promtool');
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('withSampleForEveryFamily', () => {
  const page = [
    '# HELP a_total with a sample',
    '# TYPE a_total counter',
    'a_total{service="s"} 3',
    '# HELP b_total no sample yet',
    '# TYPE b_total counter',
    '# HELP c_seconds a histogram with samples',
    '# TYPE c_seconds histogram',
    'c_seconds_bucket{le="+Inf"} 1',
    'c_seconds_sum 0.5',
    'c_seconds_count 1',
    '# HELP d_rows an empty histogram',
    '# TYPE d_rows histogram',
    '# HELP e_lag an empty gauge',
    '# TYPE e_lag gauge',
    '',
  ].join('\n');

  it('adds a zero sample after the TYPE line of each family without one, and names them', () => {
    const { text, padded } = withSampleForEveryFamily(page);
    expect(padded).toEqual(['b_total', 'd_rows', 'e_lag']);
    expect(text.split('\n')).toEqual([
      '# HELP a_total with a sample',
      '# TYPE a_total counter',
      'a_total{service="s"} 3',
      '# HELP b_total no sample yet',
      '# TYPE b_total counter',
      'b_total 0',
      '# HELP c_seconds a histogram with samples',
      '# TYPE c_seconds histogram',
      'c_seconds_bucket{le="+Inf"} 1',
      'c_seconds_sum 0.5',
      'c_seconds_count 1',
      '# HELP d_rows an empty histogram',
      '# TYPE d_rows histogram',
      'd_rows_bucket{le="+Inf"} 0',
      'd_rows_sum 0',
      'd_rows_count 0',
      '# HELP e_lag an empty gauge',
      '# TYPE e_lag gauge',
      'e_lag 0',
      '',
    ]);
  });

  it('leaves a page whose families all have samples as it is', () => {
    const full = '# HELP a_total x\n# TYPE a_total counter\na_total 1\n';
    expect(withSampleForEveryFamily(full)).toEqual({ text: full, padded: [] });
  });
});

describe('findPromtool', () => {
  it('takes VALUEPULSE_PROMTOOL first, then PATH, then <stack dir>/tools/bin', () => {
    const named = fakePromtool(join(tempDir(), 'named'));
    const pathDir = join(tempDir(), 'bin');
    const onPath = fakePromtool(pathDir);
    const stack = tempDir();
    const inStack = fakePromtool(join(stack, 'tools', 'bin'));
    expect(findPromtool({ VALUEPULSE_PROMTOOL: named, PATH: pathDir, VALUEPULSE_STACK_DIR: stack })).toBe(named);
    expect(findPromtool({ PATH: pathDir, VALUEPULSE_STACK_DIR: stack })).toBe(onPath);
    expect(findPromtool({ PATH: tempDir(), VALUEPULSE_STACK_DIR: stack })).toBe(inStack);
  });

  it('fails, naming where it looked and the fix, when there is none', () => {
    const stack = tempDir();
    expect(() => findPromtool({ PATH: tempDir(), VALUEPULSE_STACK_DIR: stack })).toThrow(
      new RegExp(`^promtool not found \\(looked at VALUEPULSE_PROMTOOL, PATH, ${stack}/tools/bin/promtool\\) — fix: run \`npx valuepulse stack up\``),
    );
    expect(() => findPromtool({ VALUEPULSE_PROMTOOL: join(stack, 'nope'), VALUEPULSE_STACK_DIR: stack })).toThrow(/^VALUEPULSE_PROMTOOL=.*nope is not an executable file — fix: /);
  });
});
