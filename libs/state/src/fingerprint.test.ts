import { createHash } from 'node:crypto';
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

  it('keeps the stored format: the sets written by earlier versions still recognise their ids', () => {
    // what the fingerprint was computed as before (a createHash per event); the
    // dedup sets in Redis hold these values, so they must not change
    const before = (kind: string, id: string) => createHash('md5').update(kind).update(':').update(id).digest().readBigInt64BE(0).toString();
    for (const [kind, id] of [['usage', 'evt-1'], ['support', '0b7c3c2e-5f43-4c1e-9d0a-2d7e8f1a9b10'], ['account', 'é-ünïcode-✓'], ['usage', '']]) {
      expect(eventFingerprint(kind as string, id as string)).toBe(before(kind as string, id as string));
    }
  });
});
