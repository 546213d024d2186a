import { ConfigError } from '@valuepulse/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { envDurationMs, envInt, envPort, envString } from './env-fields.js';
import { envHostPortList } from './env-list.js';
import { envUrl } from './env-url.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const schema = z.object({
  KAFKA_BROKERS: envHostPortList(),
  HTTP_PORT: envPort({ default: 9464 }),
  BATCH_SIZE: envInt({ min: 1, max: 10_000, default: 500 }),
  FLUSH_INTERVAL: envDurationMs({ default: 1_000 }),
  GROUP_ID: envString(),
});

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('loadConfig', () => {
  it('returns the converted, typed config', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'k1:9092,k2:9092', FLUSH_INTERVAL: '2s', GROUP_ID: 'health-scorer' });
    expect(config).toEqual({
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      HTTP_PORT: 9464,
      BATCH_SIZE: 500,
      FLUSH_INTERVAL: 2_000,
      GROUP_ID: 'health-scorer',
    });
  });

  it('reads process.env when no env is given', () => {
    vi.stubEnv('VP_TEST_ONLY_VARIABLE', '17');
    expect(loadConfig(z.object({ VP_TEST_ONLY_VARIABLE: envInt() }))).toEqual({ VP_TEST_ONLY_VARIABLE: 17 });
  });

  it('reports every bad variable at once, in schema order, with expected and received', () => {
    const err = configErrorOf(() =>
      loadConfig(schema, { KAFKA_BROKERS: 'localhost', HTTP_PORT: '99999', BATCH_SIZE: '500', FLUSH_INTERVAL: 'soon' }),
    );
    expect(err.problems).toEqual([
      { variable: 'KAFKA_BROKERS', expected: 'a comma-separated list of host:port', received: 'localhost' },
      { variable: 'HTTP_PORT', expected: 'an integer between 1 and 65535', received: '99999' },
      {
        variable: 'FLUSH_INTERVAL',
        expected: 'a duration such as 500ms, 2s, 5m or 1h (a bare integer means milliseconds)',
        received: 'soon',
      },
      { variable: 'GROUP_ID', expected: 'a non-empty string' },
    ]);
    expect(err.message).toBe(
      [
        'invalid configuration:',
        '  KAFKA_BROKERS: expected a comma-separated list of host:port, got "localhost"',
        '  HTTP_PORT: expected an integer between 1 and 65535, got "99999"',
        '  FLUSH_INTERVAL: expected a duration such as 500ms, 2s, 5m or 1h (a bare integer means milliseconds), got "soon"',
        '  GROUP_ID: is required (expected a non-empty string)',
      ].join('\n'),
    );
    expect(err.cause).toBeInstanceOf(z.ZodError);
  });

  it('treats an empty required variable as missing', () => {
    const err = configErrorOf(() => loadConfig(z.object({ GROUP_ID: envString() }), { GROUP_ID: '' }));
    expect(err.problems).toEqual([{ variable: 'GROUP_ID', expected: 'a non-empty string' }]);
  });

  it.each(['CLICKHOUSE_PASSWORD', 'API_SECRET', 'AUTH_TOKEN', 'SASL_KEY', 'db_password'])(
    'masks the value of %s',
    (variable) => {
      const err = configErrorOf(() => loadConfig(z.object({ [variable]: envInt() }), { [variable]: 'hunter2' }));
      expect(err.problems[0]?.received).toBe('***');
      expect(err.message).not.toContain('hunter2');
    },
  );

  it('masks the password inside a URL, keeping the rest visible', () => {
    const redis = z.object({ REDIS_URL: envUrl({ protocols: ['redis:'] }) });
    const err = configErrorOf(() => loadConfig(redis, { REDIS_URL: 'http://admin:hunter2@cache:6380' }));
    expect(err.problems[0]?.received).toBe('http://admin:***@cache:6380');
    expect(err.message).not.toContain('hunter2');
  });

  it('falls back to zod\'s own message for plain zod schemas', () => {
    const err = configErrorOf(() => loadConfig(z.object({ MODE: z.literal('live') }), { MODE: 'replay' }));
    expect(err.problems).toEqual([{ variable: 'MODE', expected: '"live"', received: 'replay' }]);
    const missing = configErrorOf(() => loadConfig(z.object({ NAME: z.string() }), {}));
    expect(missing.message).toBe('invalid configuration:\n  NAME: is required (expected string)');
  });

  it('names object-level refinements "(config)"', () => {
    const ordered = z
      .object({ MIN: envInt(), MAX: envInt() })
      .refine((c) => c.MIN <= c.MAX, { message: 'MIN must not exceed MAX' });
    const err = configErrorOf(() => loadConfig(ordered, { MIN: '5', MAX: '1' }));
    expect(err.problems).toEqual([{ variable: '(config)', expected: 'MIN must not exceed MAX' }]);
  });

  it('reports the problems of both sides of an intersection', () => {
    const both = z.object({ A: envInt() }).and(z.object({ B: envInt() }));
    const err = configErrorOf(() => loadConfig(both, { A: 'x' }));
    expect(err.problems.map((p) => p.variable)).toEqual(['A', 'B']);
  });
});

describe('loadConfigOrExit', () => {
  class ExitCalled extends Error {
    constructor(readonly code: number) {
      super(`exit(${code})`);
    }
  }
  const exit = (code: number): never => {
    throw new ExitCalled(code);
  };

  it('returns the config when it is valid, writing nothing', () => {
    const write = vi.fn();
    expect(loadConfigOrExit(schema, { env: { KAFKA_BROKERS: 'k:1', GROUP_ID: 'g' }, write, exit }).GROUP_ID).toBe('g');
    expect(write).not.toHaveBeenCalled();
  });

  it('prints the report and exits 1 when it is not', () => {
    const write = vi.fn();
    expect(() => loadConfigOrExit(schema, { env: { HTTP_PORT: 'x' }, write, exit })).toThrow(new ExitCalled(1));
    expect(write).toHaveBeenCalledTimes(1);
    const [text] = write.mock.calls[0] as [string];
    expect(text.split('\n')).toEqual([
      'invalid configuration:',
      '  KAFKA_BROKERS: is required (expected a comma-separated list of host:port)',
      '  HTTP_PORT: expected an integer between 1 and 65535, got "x"',
      '  GROUP_ID: is required (expected a non-empty string)',
      '',
    ]);
  });

  it('rethrows errors that are not configuration problems', () => {
    const broken = z.object({ X: envString({ default: 'x' }) }).transform(() => {
      throw new TypeError('bug in schema');
    });
    const write = vi.fn();
    expect(() => loadConfigOrExit(broken, { env: {}, write, exit })).toThrow(TypeError);
    expect(write).not.toHaveBeenCalled();
  });
});
