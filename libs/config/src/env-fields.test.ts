import { describe, expect, it } from 'vitest';
import type { EnvField } from './env-field.js';
import { envBool, envDurationMs, envEnum, envIdentifier, envInt, envLogLevel, envPort, envString } from './env-fields.js';

function accepts<T>(field: EnvField<T>, raw: string | undefined): T {
  const result = field.safeParse(raw);
  if (!result.success) throw new Error(`rejected ${JSON.stringify(raw)}: ${result.error.message}`);
  return result.data;
}

/** The `expected` text a field reports for `raw`; fails the test if the field accepts it. */
function rejects(field: EnvField<unknown>, raw: string): string {
  const result = field.safeParse(raw);
  expect(result.success, `${JSON.stringify(raw)} should be rejected`).toBe(false);
  const params = result.error?.issues[0] as { params?: { expected?: string } } | undefined;
  return params?.params?.expected ?? '';
}

describe('envString', () => {
  it('keeps the value verbatim, spaces included', () => {
    expect(accepts(envString(), '  p@ss word ')).toBe('  p@ss word ');
  });
  it('requires a value, or takes the default', () => {
    expect(envString().safeParse('').success).toBe(false);
    expect(accepts(envString({ default: 'default' }), undefined)).toBe('default');
  });
});

describe('envInt', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    [' 7 ', 7],
    ['-3', -3],
    ['+5', 5],
  ])('parses %j as %d', (raw, expected) => {
    expect(accepts(envInt(), raw)).toBe(expected);
  });

  it.each(['4.2', '1e3', '0x10', 'ten', '12abc', '9007199254740993'])('rejects %j', (raw) => {
    expect(rejects(envInt(), raw)).toBe('an integer');
  });

  it.each([
    [{ min: 1, max: 10 }, '0', 'an integer between 1 and 10'],
    [{ min: 1, max: 10 }, '11', 'an integer between 1 and 10'],
    [{ min: 0 }, '-1', 'an integer of at least 0'],
    [{ max: 100 }, '101', 'an integer of at most 100'],
  ])('enforces %j on %j and says so', (range, raw, expected) => {
    expect(rejects(envInt(range), raw)).toBe(expected);
  });

  it('includes both bounds', () => {
    expect(accepts(envInt({ min: 1, max: 10 }), '1')).toBe(1);
    expect(accepts(envInt({ min: 1, max: 10 }), '10')).toBe(10);
  });
});

describe('envPort', () => {
  it('accepts 1 to 65535', () => {
    expect(accepts(envPort(), '1')).toBe(1);
    expect(accepts(envPort(), '65535')).toBe(65535);
  });
  it.each(['0', '65536', 'http'])('rejects %j', (raw) => {
    expect(rejects(envPort(), raw)).toBe('an integer between 1 and 65535');
  });
  it('accepts 0 only with allowEphemeral', () => {
    expect(accepts(envPort({ allowEphemeral: true }), '0')).toBe(0);
    expect(rejects(envPort({ allowEphemeral: true }), '-1')).toBe('an integer between 0 and 65535 (0 picks a free port)');
  });
  it('takes the default', () => {
    expect(accepts(envPort({ default: 9464 }), '')).toBe(9464);
  });
});

describe('envBool', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    [' Yes ', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('parses %j as %s', (raw, expected) => {
    expect(accepts(envBool(), raw)).toBe(expected);
  });
  it.each(['on', 'off', 'y', '2', 'truthy'])('rejects %j', (raw) => {
    expect(rejects(envBool(), raw)).toBe('one of true, false, 1, 0, yes, no');
  });
  it('takes a false default (not mistaken for "no default")', () => {
    expect(accepts(envBool({ default: false }), undefined)).toBe(false);
  });
});

describe('envDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250', 250],
    ['0', 0],
    [' 30S ', 30_000],
    ['10 s', 10_000],
  ])('parses %j as %d ms', (raw, expected) => {
    expect(accepts(envDurationMs(), raw)).toBe(expected);
  });
  it.each(['1.5s', '-1s', '2d', 's', '5 minutes', '1e3'])('rejects %j', (raw) => {
    expect(rejects(envDurationMs(), raw)).toBe('a duration such as 500ms, 2s, 5m or 1h (a bare integer means milliseconds)');
  });
  it('takes the default in ms', () => {
    expect(accepts(envDurationMs({ default: 30_000 }), undefined)).toBe(30_000);
  });
});

describe('envIdentifier', () => {
  it.each(['valuepulse', 'vp_test_1', '_x', 'A'])('accepts %j', (raw) => {
    expect(accepts(envIdentifier(), raw)).toBe(raw);
  });
  it.each(['1db', 'my-db', 'db;DROP', 'db name', 'é'])('rejects %j', (raw) => {
    expect(rejects(envIdentifier(), raw)).toBe('an identifier of letters, digits and underscores, not starting with a digit');
  });
});

describe('envEnum', () => {
  const segment = envEnum(['enterprise', 'mid-market', 'smb']);
  it('accepts a listed value, trimmed', () => {
    expect(accepts(segment, ' smb ')).toBe('smb');
  });
  it('rejects anything else, case included', () => {
    expect(rejects(segment, 'SMB')).toBe('one of enterprise, mid-market, smb');
  });
});

describe('envLogLevel', () => {
  it('defaults to info', () => {
    expect(accepts(envLogLevel(), undefined)).toBe('info');
  });
  it('takes another default and any pino level', () => {
    expect(accepts(envLogLevel({ default: 'warn' }), undefined)).toBe('warn');
    expect(accepts(envLogLevel(), 'trace')).toBe('trace');
  });
  it('rejects unknown levels', () => {
    expect(rejects(envLogLevel(), 'verbose')).toBe('one of fatal, error, warn, info, debug, trace, silent');
  });
});
