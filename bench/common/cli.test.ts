import { describe, expect, it } from 'vitest';
import { commandLine, readFlags } from './cli.js';

const spec = {
  events: { type: 'count', default: 200 },
  share: { type: 'number' },
  dir: { type: 'string' },
  mode: { type: 'string', default: 'wall' },
  profile: { type: 'boolean' },
  set: { type: 'list' },
} as const;

describe('readFlags', () => {
  it('gives every default when no flag is given', () => {
    expect(readFlags(spec, [])).toEqual({ events: 200, share: undefined, dir: undefined, mode: 'wall', profile: false, set: [] });
  });

  it('converts each flag to its type', () => {
    const flags = readFlags(spec, ['--events', '5000', '--share=0', '--dir', '/tmp/x', '--mode', 'event', '--profile', '--set', 'a.b=1', '--set', 'c=2']);
    expect(flags).toEqual({ events: 5000, share: 0, dir: '/tmp/x', mode: 'event', profile: true, set: ['a.b=1', 'c=2'] });
  });

  it.each([
    [['--events', '0'], '--events must be a positive integer, got "0"'],
    [['--events', '1.5'], '--events must be a positive integer, got "1.5"'],
    [['--events', 'many'], '--events must be a positive integer, got "many"'],
    [['--share', 'abc'], '--share must be a number, got "abc"'],
    [['--share='], '--share must be a number, got ""'],
  ])('refuses %j', (args, message) => {
    expect(() => readFlags(spec, args)).toThrow(message);
  });

  it('refuses an unknown flag and a positional argument', () => {
    expect(() => readFlags(spec, ['--evnets', '5'])).toThrow(/--evnets/);
    expect(() => readFlags(spec, ['5000'])).toThrow(/5000/);
  });
});

describe('commandLine', () => {
  it('repeats the arguments after --, or none', () => {
    expect(commandLine('npm run bench:sink', ['--rows', '1000'])).toBe('npm run bench:sink -- --rows 1000');
    expect(commandLine('npm run bench:sink', [])).toBe('npm run bench:sink');
  });
});
