import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, readStackEndpoints, withLocalStackEnv } from './local-stack.js';

function stackWith(content: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'vp-local-stack-'));
  if (content !== undefined) writeFileSync(join(dir, 'endpoints.env'), content);
  return dir;
}

describe('readStackEndpoints', () => {
  it('reads KEY=VALUE lines and ignores everything else', () => {
    const dir = stackWith('KAFKA_BROKERS=127.0.0.1:19092\n# comment\n\nnot a line\nREDIS_URL=redis://127.0.0.1:16380\n');
    expect(readStackEndpoints({ VALUEPULSE_STACK_DIR: dir })).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      REDIS_URL: 'redis://127.0.0.1:16380',
    });
  });

  it('is empty when the stack never ran', () => {
    expect(readStackEndpoints({ VALUEPULSE_STACK_DIR: stackWith(undefined) })).toEqual({});
  });
});

describe('withLocalStackEnv', () => {
  it('fills only the variables the environment lacks or leaves empty', () => {
    const dir = stackWith('KAFKA_BROKERS=127.0.0.1:19092\nREDIS_URL=redis://127.0.0.1:16380\nCLICKHOUSE_URL=http://127.0.0.1:18123\n');
    const env = withLocalStackEnv({ VALUEPULSE_STACK_DIR: dir, REDIS_URL: 'redis://cache:6379', CLICKHOUSE_URL: '' });
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:19092');
    expect(env.REDIS_URL).toBe('redis://cache:6379');
    expect(env.CLICKHOUSE_URL).toBe('http://127.0.0.1:18123');
  });
});

describe('findRepoRoot', () => {
  it('finds the folder holding deploy/local/stack.sh from below it', () => {
    const root = mkdtempSync(join(tmpdir(), 'vp-repo-'));
    mkdirSync(join(root, 'deploy', 'local'), { recursive: true });
    writeFileSync(join(root, 'deploy', 'local', 'stack.sh'), '');
    mkdirSync(join(root, 'libs', 'x', 'src'), { recursive: true });
    expect(findRepoRoot(join(root, 'libs', 'x', 'src'))).toBe(root);
  });

  it('is undefined outside a checkout', () => {
    expect(findRepoRoot(mkdtempSync(join(tmpdir(), 'vp-none-')))).toBeUndefined();
  });
});
