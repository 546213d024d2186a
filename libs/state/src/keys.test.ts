import { describe, expect, it } from 'vitest';
import { ConfigError } from '@valuepulse/errors';
import { accountKeys, checkPrefix, dedupKey, dueKey, SCRIPT_KEY_ORDER } from './keys.js';

/** Redis Cluster's hash tag rule: the part between the first { and the next }. */
const hashTag = (key: string): string => {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
};

describe('account keys', () => {
  it('share the account hash tag and start with the prefix', () => {
    const keys = [...Object.values(accountKeys('vp:', 'acct-1')), dedupKey('vp:', 'acct-1', 20_400)];
    for (const key of keys) {
      expect(key.startsWith('vp:{acct-1}:')).toBe(true);
      expect(hashTag(key)).toBe('acct-1');
    }
  });

  it('are distinct', () => {
    const keys = Object.values(accountKeys('vp:', 'a'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('name the dedup set as the script builds it from the meta key', () => {
    const meta = accountKeys('p:', 'a').meta;
    expect(`${meta.slice(0, -1)}k:20400`).toBe(dedupKey('p:', 'a', 20_400));
  });

  it('pass the script its keys with meta first (it derives names from it)', () => {
    expect(SCRIPT_KEY_ORDER[0]).toBe('meta');
  });

  it('keep the due index out of any account', () => {
    expect(dueKey('vp:')).toBe('vp:due');
  });

  it('refuse a prefix with braces', () => {
    expect(() => checkPrefix('vp{x}:')).toThrow(ConfigError);
    expect(checkPrefix('vp:')).toBe('vp:');
  });
});
