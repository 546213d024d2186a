import { describe, expect, it } from 'vitest';
import { envField } from './env-field.js';

const evenField = (defaultValue?: number) =>
  envField<number>({
    expected: 'an even number',
    default: defaultValue,
    parse: (raw) => (Number(raw) % 2 === 0 ? Number(raw) : undefined),
  });

function issueOf(result: { success: boolean; error?: { issues: ReadonlyArray<{ message: string; params?: unknown }> } }) {
  expect(result.success).toBe(false);
  const issue = result.error?.issues[0];
  expect(result.error?.issues).toHaveLength(1);
  return issue;
}

describe('envField', () => {
  it('outputs what parse returns', () => {
    expect(evenField().parse('42')).toBe(42);
  });

  it('raises an issue carrying the expected form when parse rejects the value', () => {
    const issue = issueOf(evenField().safeParse('41'));
    expect(issue?.message).toBe('expected an even number');
    expect(issue?.params).toEqual({ expected: 'an even number' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('requires a %s variable when there is no default', (_label, raw) => {
    const issue = issueOf(evenField().safeParse(raw));
    expect(issue?.message).toBe('is required (expected an even number)');
    expect(issue?.params).toEqual({ expected: 'an even number' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('takes the default for a %s variable without calling parse', (_label, raw) => {
    expect(evenField(8).parse(raw)).toBe(8);
  });

  it('still validates a present value when there is a default', () => {
    expect(evenField(8).safeParse('3').success).toBe(false);
  });

  it('rejects values that are not strings', () => {
    expect(evenField().safeParse(42).success).toBe(false);
  });

  it('hands out a copy of an object default, so mutating one result leaves the next intact', () => {
    const field = envField<string[]>({ expected: 'a list', default: ['a'], parse: (raw) => [raw] });
    const first = field.parse(undefined);
    first.push('mutated');
    expect(field.parse(undefined)).toEqual(['a']);
  });
});
