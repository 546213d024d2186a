import { describe, expect, it } from 'vitest';
import { eventFingerprint } from './fingerprint.js';

describe('eventFingerprint', () => {
  it('is deterministic and a canonical signed 64-bit integer (intset-friendly)', () => {
    const fp = eventFingerprint('usage', 'evt-1');
    expect(eventFingerprint('usage', 'evt-1')).toBe(fp);
    expect(fp).toMatch(/^-?[1-9]\d*$|^0$/);
    const n = BigInt(fp);
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
  });

  it('tells kinds apart for the same id', () => {
    expect(eventFingerprint('usage', 'evt-1')).not.toBe(eventFingerprint('support', 'evt-1'));
  });

  it('does not collide over many ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i += 1) seen.add(eventFingerprint('usage', `evt-${i}`));
    expect(seen.size).toBe(50_000);
  });
});
