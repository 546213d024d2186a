import { describe, expect, it } from 'vitest';
import { parseSimulatorOptions, type SimulatorOptions } from './options.js';

const NOW = Date.UTC(2026, 10, 22, 15, 30);
const MIDNIGHT = Date.UTC(2026, 10, 22);

function ok(argv: string[], env: NodeJS.ProcessEnv = {}): SimulatorOptions {
  const parsed = parseSimulatorOptions(argv, env, NOW);
  if (parsed.kind !== 'ok') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function problems(argv: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const parsed = parseSimulatorOptions(argv, env, NOW);
  if (parsed.kind !== 'invalid') throw new Error(`expected problems, got ${JSON.stringify(parsed)}`);
  return parsed.problems;
}

describe('parseSimulatorOptions', () => {
  it('defaults: 200 accounts × 120 days to today’s UTC midnight, seed 1, to Kafka, labels in the current folder', () => {
    expect(ok([])).toEqual({
      simulation: { seed: 1, accounts: 200, days: 120, endsAt: MIDNIGHT, holidays: 2 },
      out: null,
      kafka: true,
      labels: 'simulation-labels.jsonl',
      topicPrefix: '',
      rate: null,
      batchSize: 2000,
    });
  });

  it('reads every flag', () => {
    const o = ok(['--seed=-42', '--accounts', '12', '--days', '70', '--ends-at', '2026-03-01', '--mix', 'going_dark=2,healthy_steady=1', '--holidays', '0', '--topic-prefix', 'sim.', '--rate', '2000', '--batch-size', '500', '--labels', 'l.jsonl']);
    expect(o).toMatchObject({
      simulation: { seed: -42, accounts: 12, days: 70, endsAt: Date.UTC(2026, 2, 1), holidays: 0, mix: { going_dark: 2, healthy_steady: 1 } },
      topicPrefix: 'sim.',
      rate: 2000,
      batchSize: 500,
      labels: 'l.jsonl',
      kafka: true,
    });
  });

  it('reads the delivery faults, from flags or the environment, only when given', () => {
    expect(ok(['--late-share', '0.05', '--late-max-hours', '12', '--duplicate-share', '.01']).simulation).toMatchObject({ lateShare: 0.05, lateMaxHours: 12, duplicateShare: 0.01 });
    expect(ok([], { SIMULATOR_LATE_SHARE: '0.2', SIMULATOR_DUPLICATE_SHARE: '0' }).simulation).toEqual({ seed: 1, accounts: 200, days: 120, endsAt: MIDNIGHT, holidays: 2, lateShare: 0.2, duplicateShare: 0 });
    expect(problems(['--late-share', '1.5', '--late-max-hours', '0', '--duplicate-share', 'some'])).toEqual([
      '--late-share: expected a number between 0 and 1, got "1.5"',
      '--late-max-hours: expected a number between 1 and 720, got "0"',
      '--duplicate-share: expected a number between 0 and 1, got "some"',
    ]);
    expect(problems([], { SIMULATOR_LATE_MAX_HOURS: '-3' })).toEqual(['SIMULATOR_LATE_MAX_HOURS: expected a number between 1 and 720, got "-3"']);
  });

  it('writes files instead of producing with --out (labels beside them), both with --out and --kafka', () => {
    expect(ok(['--out', 'scenario'])).toMatchObject({ out: 'scenario', kafka: false, labels: 'scenario/labels.jsonl' });
    expect(ok(['--out', 'scenario', '--kafka'])).toMatchObject({ out: 'scenario', kafka: true });
  });

  it('falls back to the environment, flags first; TOPIC_PREFIX is honoured', () => {
    const env = { SIMULATOR_ACCOUNTS: '30', SIMULATOR_SEED: '9', SIMULATOR_OUT: 'o', TOPIC_PREFIX: 'p.', SIMULATOR_ENDS_AT: '2026-01-31' };
    expect(ok(['--seed', '10'], env)).toMatchObject({ simulation: { seed: 10, accounts: 30, endsAt: Date.UTC(2026, 0, 31) }, out: 'o', topicPrefix: 'p.' });
  });

  it('lists every problem, naming the flag — or the variable the value came from', () => {
    expect(problems(['--accounts', 'many', '--days', '10', '--ends-at', '2026-02-30', '--mix', 'nope=1', '--rate', '0'], { SIMULATOR_SEED: '1.5' })).toEqual([
      'SIMULATOR_SEED: expected an integer between -9007199254740991 and 9007199254740991, got "1.5"',
      '--accounts: expected an integer between 1 and 100000, got "many"',
      '--days: expected an integer between 56 and 730, got "10"',
      '--rate: expected an integer between 1 and 10000000, got "0"',
      '--ends-at: expected a date YYYY-MM-DD, got "2026-02-30"',
      expect.stringMatching(/^--mix: unknown archetype "nope" \(one of healthy_steady, /),
    ]);
  });

  it('checks the scenario as a whole: a start before 2000 names --ends-at', () => {
    expect(problems(['--ends-at', '2000-02-01'])).toEqual([expect.stringMatching(/^--ends-at: the scenario would start before 2000-01-01/)]);
  });

  it('answers --help, and throws on an unknown flag or a missing value', () => {
    expect(parseSimulatorOptions(['--help'], {}, NOW)).toEqual({ kind: 'help' });
    expect(() => parseSimulatorOptions(['--acounts', '3'], {}, NOW)).toThrow(expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }));
    expect(() => parseSimulatorOptions(['--days'], {}, NOW)).toThrow(expect.objectContaining({ code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' }));
  });
});
