import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.js';

/** An in-memory destination: every line pino writes, parsed. */
function memory(): { lines: () => Array<Record<string, unknown>>; write: (line: string) => void } {
  const chunks: string[] = [];
  return {
    write: (chunk) => void chunks.push(chunk),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes one JSON line per call with service, level label, ISO time, pid and hostname', () => {
    const out = memory();
    const logger = createLogger({ name: 'health-scorer', level: 'info', destination: out });
    logger.info({ partition: 3 }, 'batch committed');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      service: 'health-scorer',
      pid: process.pid,
      hostname: hostname(),
      partition: 3,
      msg: 'batch committed',
    });
    expect(line?.['time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('drops lines below the level', () => {
    const out = memory();
    const logger = createLogger({ name: 's', level: 'warn', destination: out });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines().map((l) => l['msg'])).toEqual(['shown']);
  });

  it('takes the level from LOG_LEVEL when none is given', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    const out = memory();
    createLogger({ name: 's', destination: out }).debug('visible at debug');
    expect(out.lines()).toHaveLength(1);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('defaults to info when LOG_LEVEL is %s', (_label, value) => {
    vi.stubEnv('LOG_LEVEL', value);
    const out = memory();
    const logger = createLogger({ name: 's', destination: out });
    logger.debug('hidden');
    logger.info('shown');
    expect(out.lines().map((l) => l['msg'])).toEqual(['shown']);
  });

  it('prefers an explicit level over LOG_LEVEL', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    const out = memory();
    createLogger({ name: 's', level: 'error', destination: out }).warn('hidden');
    expect(out.lines()).toEqual([]);
  });

  it('logs nothing at silent', () => {
    const out = memory();
    createLogger({ name: 's', level: 'silent', destination: out }).fatal('hidden');
    expect(out.lines()).toEqual([]);
  });

  it('rejects an unknown level, naming the valid ones', () => {
    expect(() => createLogger({ name: 's', level: 'verbose' })).toThrow(
      new RangeError('unknown log level "verbose"; expected one of trace, debug, info, warn, error, fatal, silent'),
    );
  });

  it('serialises err with its own fields and its cause nested', () => {
    const out = memory();
    const logger = createLogger({ name: 's', destination: out });
    const cause = Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const err = Object.assign(new Error('redis is unreachable', { cause }), { code: 'DEPENDENCY_UNAVAILABLE', retriable: true });
    logger.error({ err }, 'cannot start');
    const logged = out.lines()[0]?.['err'] as Record<string, unknown>;
    expect(logged).toMatchObject({
      type: 'Error',
      message: 'redis is unreachable',
      code: 'DEPENDENCY_UNAVAILABLE',
      retriable: true,
      cause: { type: 'Error', message: 'ECONNREFUSED', code: 'ECONNREFUSED' },
    });
    expect(logged['stack']).toContain('redis is unreachable');
  });

  it('redacts secrets at the top level and nested', () => {
    const out = memory();
    const logger = createLogger({ name: 's', destination: out });
    logger.info(
      {
        password: 'p1',
        config: { clickhousePassword: 'p2', clickhouseUser: 'default' },
        env: { CLICKHOUSE_PASSWORD: 'p3' },
        request: { headers: { authorization: 'Bearer p4' } },
        sasl: { token: 'p5', secret: 'p6' },
      },
      'config loaded',
    );
    const line = out.lines()[0];
    expect(line).toMatchObject({
      password: '[redacted]',
      config: { clickhousePassword: '[redacted]', clickhouseUser: 'default' },
      env: { CLICKHOUSE_PASSWORD: '[redacted]' },
      request: { headers: { authorization: '[redacted]' } },
      sasl: { token: '[redacted]', secret: '[redacted]' },
    });
    expect(JSON.stringify(line)).not.toMatch(/p[1-6]/);
  });

  it('gives child loggers the parent fields plus their own', () => {
    const out = memory();
    const logger = createLogger({ name: 'history-sink', destination: out });
    logger.child({ component: 'clickhouse-writer' }).info('flushed');
    expect(out.lines()[0]).toMatchObject({ service: 'history-sink', component: 'clickhouse-writer', msg: 'flushed' });
  });

  it('writes to stdout by default', () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `const { createLogger } = await import(${JSON.stringify(entry)}); createLogger({ name: 'child' }).info('to stdout');`;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: '' },
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ service: 'child', msg: 'to stdout' });
  });
});
